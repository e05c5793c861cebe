//! The thin front door: checks who is calling and hands the request to the object that
//! owns the fact. Static files (demo page, widget, inbox) are served by the assets
//! binding before the Worker runs; `/api/*`, and whatever is no file, reach this router.

use crate::auth::{self, Actor, Caller, Keys, Session};
use crate::bench;
use crate::conversation::CreateBody;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, json_response, now, object_request, optional_json_body, StartNews};
use crate::knowledge_api;
use crate::socket;
use baton_shared::analytics::MAX_OFFSET_MINUTES;
use baton_shared::handover::{welcome, QueueNow, Settings};
use baton_shared::limits;
use baton_shared::protocol::{
    check_assistant_id, ErrorBody, NewConversation, StartConversation, DEFAULT_ASSISTANT,
};
use serde::{Deserialize, Serialize};
use worker::{js_sys, Env, Headers, Method, Request, Response, Stub};

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
struct AssistantQuery {
    assistant: Option<String>,
}

/// The time range of `/api/analytics` and its export: handovers requested from `from`
/// until before `to` (default: from the start until now), their days counted from
/// midnight `utc_offset` minutes east of UTC (default 0).
#[derive(Deserialize)]
struct RangeQuery {
    #[serde(default)]
    from: u64,
    to: Option<u64>,
    #[serde(default)]
    utc_offset: i32,
}

/// The workspace's path for `/api/analytics` (`rest` empty) or `/api/analytics/export`,
/// with the query checked.
fn analytics_path(req: &Request, rest: &[&str]) -> ApiResult<String> {
    let assistant = assistant_of(req)?;
    let range: RangeQuery = req.query().map_err(|_| {
        ApiError::BadRequest(
            "from and to are times in milliseconds since 1970, as in the records; utc_offset is minutes east of UTC".into(),
        )
    })?;
    if range.utc_offset.abs() > MAX_OFFSET_MINUTES {
        return Err(ApiError::BadRequest(format!(
            "utc_offset is minutes east of UTC, from -{MAX_OFFSET_MINUTES} to {MAX_OFFSET_MINUTES}"
        )));
    }
    let what: String = rest.iter().map(|s| format!("/{s}")).collect();
    let mut path = format!(
        "/analytics{what}?assistant={assistant}&from={}&utc_offset={}",
        range.from, range.utc_offset
    );
    if let Some(to) = range.to {
        path.push_str(&format!("&to={to}"));
    }
    Ok(path)
}

pub async fn route(mut req: Request, env: &Env) -> ApiResult<Response> {
    if req.method() == Method::Options {
        return Ok(Response::empty()?.with_status(204));
    }
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    refuse_large_body(&req, body_limit(&segments))?;
    let keys = Keys::from_env(env)?;
    // No socket opens while the server stops for a restart: a 503 before any token is
    // looked at, so that no client reads it as a sign-in that failed.
    if segments.last() == Some(&"ws") {
        socket::refuse_while_stopping()?;
    }
    match (req.method(), segments.as_slice()) {
        (Method::Post, ["api", "conversations"]) => create_conversation(&mut req, env, &keys).await,
        (method, ["api", "conversations", id, op]) => {
            // The conversation's object checks who may do what (agent or visitor).
            let op = match (method, *op) {
                (Method::Get, "ws" | "messages" | "context")
                | (
                    Method::Post,
                    "messages" | "notes" | "claim" | "transfer" | "end" | "close" | "form"
                    | "cancel" | "rate" | "block" | "context",
                ) => *op,
                _ => return Err(not_found(&path)),
            };
            let id = valid_conversation_id(id)?;
            let actor = match op {
                "block" => admin(&req, &keys)?.into(),
                _ => conversation_actor(&req, &keys, &id)?,
            };
            if op == "ws" {
                websocket_upgrade(&req)?;
            }
            let query = req
                .url()?
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let stub = internal::conversation(env, &id)?;
            forward(&stub, &mut req, &format!("/{op}{query}"), actor).await
        }
        // Accounts are the workspace's: it signs in (with the lockout), follows
        // invitations, and runs the Team page's routes, checking who is an admin now.
        (Method::Post, ["api", "login"]) => {
            forward(
                &internal::workspace(env)?,
                &mut req,
                "/login",
                Actor::Visitor,
            )
            .await
        }
        (Method::Post, ["api", "invitations", "accept"]) => {
            forward(
                &internal::workspace(env)?,
                &mut req,
                "/invitation",
                Actor::Visitor,
            )
            .await
        }
        (Method::Post, ["api", "logout"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/logout", actor).await
        }
        (Method::Put, ["api", "password"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/password", actor).await
        }
        (_, ["api", "team", rest @ ..]) => {
            let actor = admin(&req, &keys)?;
            let path: String = rest.iter().map(|s| format!("/{s}")).collect();
            forward(
                &internal::workspace(env)?,
                &mut req,
                &format!("/team{path}"),
                actor,
            )
            .await
        }
        (Method::Put, ["api", "presence"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/presence", actor).await
        }
        (Method::Get, ["api", "handovers", "ended"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/ended", actor).await
        }
        (Method::Get, ["api", "queue"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/queue", actor).await
        }
        (Method::Get, ["api", "inbox", "ws"]) => {
            let actor = agent(&req, &keys)?;
            websocket_upgrade(&req)?;
            forward(&internal::workspace(env)?, &mut req, "/ws", actor).await
        }
        // Every agent has saved replies; the workspace decides who may change which.
        (_, ["api", "replies", rest @ ..]) => {
            let actor = agent(&req, &keys)?;
            let path: String = rest.iter().map(|s| format!("/{s}")).collect();
            let path = format!("/replies{path}");
            forward(&internal::workspace(env)?, &mut req, &path, actor).await
        }
        (Method::Get, ["api", "agents"]) => {
            let actor = agent(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/agents", actor).await
        }
        (Method::Get, ["api", "analytics", rest @ ..]) if matches!(rest, [] | ["export"]) => {
            let actor = admin(&req, &keys)?;
            let path = analytics_path(&req, rest)?;
            forward(&internal::workspace(env)?, &mut req, &path, actor).await
        }
        // Only where the deployment counts (BENCH_COUNTERS): scripts/bench reads them.
        (Method::Get, ["api", "health"]) => health(env).await,
        (Method::Get, ["api", "bench"]) => match bench::report() {
            Some(counters) => json_response(&counters, 200),
            None => Err(not_found(&path)),
        },
        (_, ["api", "knowledge", rest @ ..]) => {
            knowledge_api::route(&mut req, env, &keys, rest).await
        }
        (Method::Get, ["api", "settings", "defaults"]) => {
            admin(&req, &keys)?;
            json_response(&settings_defaults(), 200)
        }
        (Method::Get | Method::Post, ["api", "assistants"]) => {
            let actor = admin(&req, &keys)?;
            forward(&internal::workspace(env)?, &mut req, "/assistants", actor).await
        }
        (Method::Get | Method::Put, ["api", "settings"]) => {
            let actor = admin(&req, &keys)?;
            let path = format!("/settings?assistant={}", assistant_of(&req)?);
            forward(&internal::workspace(env)?, &mut req, &path, actor).await
        }
        _ => Err(not_found(&path)),
    }
}

/// The `?assistant=` an admin route is about, checked; `default` when absent.
pub fn assistant_of(req: &Request) -> ApiResult<String> {
    let assistant = req
        .query::<AssistantQuery>()
        .ok()
        .and_then(|q| q.assistant)
        .unwrap_or_else(|| DEFAULT_ASSISTANT.into());
    check_assistant_id(&assistant).map_err(ApiError::BadRequest)?;
    Ok(assistant)
}

/// What the settings page shows beside each field: PRODUCT.md's defaults, and the
/// placeholders each message may use.
fn settings_defaults() -> serde_json::Value {
    let settings = Settings::default();
    let placeholders: serde_json::Map<String, serde_json::Value> = settings
        .messages
        .each()
        .iter()
        .map(|(field, _, allowed)| {
            let tokens: Vec<&str> = allowed.iter().map(|p| p.token()).collect();
            (field.to_string(), tokens.into())
        })
        .collect();
    serde_json::json!({ "settings": settings, "placeholders": placeholders })
}

pub fn not_found(path: &str) -> ApiError {
    ApiError::NotFound(format!(
        "nothing at {path}: no such file or API route (docs/protocol.md lists the API)"
    ))
}

async fn create_conversation(req: &mut Request, env: &Env, keys: &Keys) -> ApiResult<Response> {
    // No body at all starts a widget conversation, as `{}` does.
    let start: StartConversation = optional_json_body(req, "conversation start").await?;
    start.check().map_err(ApiError::BadRequest)?;
    let assistant = start.assistant();
    let origin = req.headers().get("origin")?;
    let id = auth::random_id()?;
    // Read for the new conversation, which keeps it and hears of its changes; the
    // workspace counts the conversations each client address starts.
    let client = match internal::client_address(req)? {
        Some(address) => format!("&client={}", js_sys::encode_uri_component(&address)),
        None => String::new(),
    };
    let path = format!("/start?assistant={assistant}&reader={id}{client}");
    let StartNews {
        copy,
        online,
        waiting,
        typical_wait_ms,
    } = internal::get(&internal::workspace(env)?, &path).await?;
    let settings = copy.settings.clone();
    if !settings.allows_origin(origin.as_deref()) {
        return Err(ApiError::Forbidden(format!(
            "this site ({}) may not start a chat with assistant {assistant}: its allowed_origins setting does not list it",
            origin.unwrap_or_default()
        )));
    }
    let _: serde_json::Value = internal::call(
        &internal::conversation(env, &id)?,
        "/create",
        &CreateBody {
            id: id.clone(),
            start,
            copy,
        },
    )
    .await?;
    let token = keys.visitor_token(&id);
    json_response(
        &NewConversation {
            id,
            token,
            welcome: Some(welcome(
                &settings,
                QueueNow {
                    online,
                    waiting,
                    typical_wait_ms,
                },
            )),
        },
        201,
    )
}

/// The most a route's body may hold: a knowledge-base import is a whole file.
fn body_limit(segments: &[&str]) -> usize {
    match segments {
        ["api", "knowledge", "import"] => limits::MAX_IMPORT_BYTES,
        _ => limits::MAX_BODY_BYTES,
    }
}

/// Refuses a body whose declared length is over `limit` before anything reads it.
fn refuse_large_body(req: &Request, limit: usize) -> ApiResult<()> {
    let length = req.headers().get("content-length")?;
    match length.and_then(|l| l.trim().parse::<usize>().ok()) {
        Some(n) if n > limit => Err(too_large(limit)),
        _ => Ok(()),
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::TooLarge(format!(
        "the body is larger than this route takes ({} KB)",
        limit / 1024
    ))
}

/// What this build is: the crate's version, and `git describe` of the checkout it was
/// built from when scripts/build-worker could tell.
#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    build: Option<&'static str>,
    storage: String,
}

/// `GET /api/health`, for a load balancer or a service manager: no token, and no
/// conversation touched; storage is the workspace object's (it opens at this code's
/// layout and answers a query). `503` when storage fails or the server stops.
async fn health(env: &Env) -> ApiResult<Response> {
    let storage = async {
        let mut answer = internal::workspace(env)?
            .fetch_with_str("https://workspace/health")
            .await?;
        if answer.status_code() == 200 {
            Ok("ok".to_string())
        } else {
            Ok::<_, ApiError>(answer.json::<ErrorBody>().await?.message)
        }
    };
    let storage = storage.await.unwrap_or_else(|e| e.body().message);
    let (status, code) = match (storage == "ok", socket::stopping()) {
        (true, false) => ("ok", 200),
        (true, true) => ("stopping", 503),
        (false, _) => ("unavailable", 503),
    };
    json_response(
        &Health {
            status,
            version: env!("CARGO_PKG_VERSION"),
            build: option_env!("BATON_BUILD").filter(|b| !b.is_empty()),
            storage,
        },
        code,
    )
}

/// A WebSocket route answers only a WebSocket handshake: anything else would have the
/// object accept a socket nobody holds (and count as the visitor being there).
fn websocket_upgrade(req: &Request) -> ApiResult<()> {
    let upgrade = req.headers().get("upgrade")?.unwrap_or_default();
    if upgrade.eq_ignore_ascii_case("websocket") {
        Ok(())
    } else {
        Err(ApiError::UpgradeRequired(
            "this route is a WebSocket: open it with a WebSocket client (Upgrade: websocket)"
                .into(),
        ))
    }
}

/// The bearer token, from the Authorization header or, for a WebSocket handshake only
/// (browsers cannot set headers on one), the `token` query parameter: anywhere else a
/// token in the URL would end up in logs and histories.
fn token(req: &Request) -> ApiResult<String> {
    if let Some(header) = req.headers().get("authorization")? {
        if let Some(token) = header.strip_prefix("Bearer ") {
            return Ok(token.trim().to_string());
        }
    }
    let in_url = req.query::<TokenQuery>().ok().and_then(|q| q.token);
    match in_url {
        Some(token) if websocket_upgrade(req).is_ok() => Ok(token),
        Some(_) => Err(ApiError::Unauthorized(
            "a token in the URL (?token=) opens only a WebSocket; send it as `Authorization: Bearer <token>`".into(),
        )),
        None => Err(ApiError::Unauthorized(
            "a token is needed: `Authorization: Bearer <token>`".into(),
        )),
    }
}

/// A signed-in agent, as their token says; the object serving the request checks that
/// the token still holds.
pub fn agent(req: &Request, keys: &Keys) -> ApiResult<Session> {
    keys.agent(&token(req)?, now())
}

/// An admin, as their token says: only they run the team, the settings, the knowledge
/// base and the analytics. The workspace checks their role again.
pub fn admin(req: &Request, keys: &Keys) -> ApiResult<Session> {
    let session = agent(req, keys)?;
    if session.admin {
        Ok(session)
    } else {
        Err(ApiError::Forbidden(
            "only an admin can do this: the team, the settings, the knowledge base and the analytics are theirs".into(),
        ))
    }
}

/// For what the router answers itself: asks the workspace whether the session's token
/// still holds (the account is active, unchanged since), and refuses as it does if not.
pub async fn still_holds(env: &Env, session: Session) -> ApiResult<()> {
    let caller = Caller::from(session);
    let req = object_request(
        "/session",
        Method::Get,
        Some((&caller.actor, caller.generation)),
        None,
        Headers::new(),
    )?;
    let mut res = internal::workspace(env)?.fetch_with_request(req).await?;
    match res.status_code() {
        200 => Ok(()),
        _ => {
            let body: ErrorBody = res.json().await?;
            Err(ApiError::Unauthorized(body.message))
        }
    }
}

/// A conversation's visitor (by its own token) or any logged-in agent.
fn conversation_actor(req: &Request, keys: &Keys, id: &str) -> ApiResult<Caller> {
    let token = token(req)?;
    if keys.is_visitor_of(id, &token) {
        return Ok(Actor::Visitor.into());
    }
    keys.agent(&token, now())
        .map(Caller::from)
        .map_err(|_| ApiError::Unauthorized("this token does not open this conversation".into()))
}

fn valid_conversation_id(id: &str) -> ApiResult<String> {
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(ApiError::NotFound(format!(
            "there is no conversation {id:?}"
        )))
    }
}

/// Passes the request on with its method, headers (a WebSocket upgrade among them) and
/// body, and the caller we checked.
pub async fn forward(
    stub: &Stub,
    req: &mut Request,
    path: &str,
    caller: impl Into<Caller>,
) -> ApiResult<Response> {
    let caller = caller.into();
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        headers.append(&name, &value)?;
    }
    let body = match req.method() {
        Method::Get | Method::Head => None,
        _ => {
            let text = req.text().await?;
            // A body sent without its length (chunked) is measured once read.
            let path = req.path();
            let limit = body_limit(&path.trim_matches('/').split('/').collect::<Vec<_>>());
            if text.len() > limit {
                return Err(too_large(limit));
            }
            Some(text)
        }
    };
    let inner = object_request(
        path,
        req.method(),
        Some((&caller.actor, caller.generation)),
        body,
        headers,
    )?;
    Ok(stub.fetch_with_request(inner).await?)
}
