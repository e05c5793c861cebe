//! What both objects' hibernatable WebSockets share, and closing them all for a restart.

use crate::bench::{self, Counter};
use crate::error::{ApiError, ApiResult};
use futures_util::future::join_all;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use worker::{web_sys, Env, Response, State, WebSocket};

/// Sends a frame, ignoring sockets that are closing: they catch up when they reconnect.
pub fn send<T: Serialize>(ws: &WebSocket, frame: &T) {
    send_all(std::slice::from_ref(ws), frame);
}

/// Sends one frame to every socket of `to`, written once.
pub fn send_all<T: Serialize>(to: &[WebSocket], frame: &T) {
    if to.is_empty() {
        return;
    }
    let Ok(json) = serde_json::to_string(frame) else {
        return;
    };
    for ws in to {
        bench::count(Counter::FramesSent);
        let _ = ws.send_with_str(&json);
    }
}

/// Completes a close the client started. 1005 and 1006 are reserved and may not be sent.
pub fn close_back(ws: &WebSocket, code: usize, reason: String) {
    let code = if code == 1005 || code == 1006 {
        1000
    } else {
        code as u16
    };
    let _ = ws.close(Some(code), Some(reason));
}

/// Closes the socket of an agent whose account changed (disabled, removed, another role or
/// password): code 4001, on which the inbox signs in again.
pub fn close_signed_out(ws: &WebSocket) {
    let _ = ws.close(Some(4001), Some("signed out: the account changed"));
}

/// The path of an object's own route that [`close_for_restart`] answers; no route of the
/// router forwards to it.
pub const RESTART_PATH: &str = "/restart";

thread_local! {
    /// The objects of this isolate that hold an open socket, by binding and id. On workerd
    /// alone (`scripts/serve`) the Worker and all its objects run in one isolate, so this
    /// names every object to ask before a restart ([`close_all_for_restart`]).
    static HOLDERS: RefCell<BTreeSet<(&'static str, String)>> = RefCell::default();
    /// Set once the sockets were closed for a restart: new ones are refused until the
    /// process exits, so that reconnecting clients do not hold it up.
    static STOPPING: Cell<bool> = const { Cell::new(false) };
}

/// The object of `binding` with this `state` accepted a socket.
pub fn held(binding: &'static str, state: &State) {
    HOLDERS.with_borrow_mut(|h| h.insert((binding, state.id().to_string())));
}

/// One of its sockets closed: forgotten when none is open any more.
pub fn released(binding: &'static str, state: &State) {
    let open = web_sys::WebSocket::OPEN;
    if !state
        .get_websockets()
        .iter()
        .any(|s| s.as_ref().ready_state() == open)
    {
        HOLDERS.with_borrow_mut(|h| h.remove(&(binding, state.id().to_string())));
    }
}

/// `503` for a new socket while the server stops.
pub fn refuse_while_stopping() -> ApiResult<()> {
    if STOPPING.get() {
        return Err(ApiError::Unavailable(
            "the server is restarting; connect again in a moment".into(),
        ));
    }
    Ok(())
}

/// Whether the sockets were closed for a restart (`GET /api/health` says "stopping").
pub fn stopping() -> bool {
    STOPPING.get()
}

/// Closes this object's sockets with 1012 ("service restart"), on which the widget and the
/// inbox reconnect soon and catch up from their last message; answers how many.
pub fn close_for_restart(state: &State) -> worker::Result<Response> {
    let sockets = state.get_websockets();
    for ws in &sockets {
        let _ = ws.close(Some(1012), Some("service restart: reconnect in a moment"));
    }
    Response::from_json(&sockets.len())
}

/// Asks every object holding a socket to close them for a restart, and refuses new ones
/// from now on; answers how many sockets were closed.
pub async fn close_all_for_restart(env: &Env) -> worker::Result<usize> {
    STOPPING.set(true);
    let holders: Vec<_> = HOLDERS.with_borrow(|h| h.iter().cloned().collect());
    let closes = holders.iter().map(|(binding, id)| async move {
        let namespace = env.durable_object(binding)?;
        let stub = namespace.id_from_string(id)?.get_stub()?;
        let mut answer = stub
            .fetch_with_str(&format!("https://object{RESTART_PATH}"))
            .await?;
        answer.json::<usize>().await
    });
    let mut closed = 0;
    for result in join_all(closes).await {
        closed += result?;
    }
    Ok(closed)
}
