//! Baton's Worker: a thin router in front of two kinds of Durable Object, one per
//! conversation and one per workspace (queue, presence, settings), and the built-in
//! assistant.

mod assistant;
mod auth;
mod bench;
mod bootstrap;
mod config;
mod conversation;
mod error;
mod internal;
mod knowledge;
mod knowledge_api;
mod password;
mod router;
mod schema;
mod socket;
mod sql;
mod workspace;

pub use conversation::ConversationObject;
pub use workspace::WorkspaceObject;

use wasm_bindgen::prelude::wasm_bindgen;
use worker::{event, Context, Env, Headers, Request, Response};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    bench::enable_from(&env);
    let response = error::respond(router::route(req, &env).await)?;
    cors(response)
}

/// Before a self-hosted Baton stops (scripts/serve): closes every socket with 1012 and
/// refuses new ones; answers how many were closed. Called only by worker/js/entry.mjs's
/// `Admin` entrypoint, which no public route reaches.
#[wasm_bindgen]
pub async fn close_sockets_for_restart(env: Env) -> Result<usize, wasm_bindgen::JsValue> {
    socket::close_all_for_restart(&env)
        .await
        .map_err(|e| e.to_string().into())
}

/// Token-authenticated and cookie-free, so any site embedding the widget may call the API.
fn cors(response: Response) -> worker::Result<Response> {
    if response.status_code() == 101 {
        return Ok(response);
    }
    // Headers of a response fetched from an object are immutable: copy them.
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.append(&name, &value)?;
    }
    headers.set("access-control-allow-origin", "*")?;
    headers.set(
        "access-control-allow-headers",
        "authorization, content-type",
    )?;
    headers.set(
        "access-control-allow-methods",
        "GET, POST, PUT, DELETE, OPTIONS",
    )?;
    Ok(response.with_headers(headers))
}
