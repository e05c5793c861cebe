//! Calls between the router and the Durable Objects, and between the objects. These are
//! not public protocol: the router checks every token first and passes who is acting in
//! the `x-baton-actor` header, which it always sets itself.

use crate::auth::{hex, unhex, Actor};
use crate::bench::{self, Counter};
use crate::error::{ApiError, ApiResult};
use crate::workspace::Standing;
use baton_shared::handover::{QueueAnswer, Settings};
use baton_shared::protocol::{AgentRef, ErrorBody, HandoverRecord, Millis, Rating};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{
    js_sys, Env, Fetch, Headers, Method, Request, RequestInit, Response, ScheduledTime, State, Stub,
};

const ACTOR_HEADER: &str = "x-baton-actor";
/// The generation of the agent's account their token was signed for.
const GENERATION_HEADER: &str = "x-baton-generation";

/// A conversation asks the workspace's queue for an agent.
#[derive(Serialize, Deserialize)]
pub struct QueueRequest {
    pub conversation_id: String,
    pub handover: HandoverRecord,
    pub preview: String,
}

/// The queue's answer on the wire between the objects; [`QueueAnswer`] itself is not
/// serialisable, being no public protocol.
#[derive(Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum QueueReply {
    Queued { position: u32 },
    Assigned { agent: AgentRef },
    Offline { agent: AgentRef },
    NoAgent,
}

impl From<QueueReply> for QueueAnswer {
    fn from(r: QueueReply) -> Self {
        match r {
            QueueReply::Queued { position } => QueueAnswer::Queued { position },
            QueueReply::Assigned { agent } => QueueAnswer::Assigned { agent },
            QueueReply::Offline { agent } => QueueAnswer::Offline { agent },
            QueueReply::NoAgent => QueueAnswer::NoAgent,
        }
    }
}

impl From<QueueAnswer> for QueueReply {
    fn from(a: QueueAnswer) -> Self {
        match a {
            QueueAnswer::Queued { position } => QueueReply::Queued { position },
            QueueAnswer::Assigned { agent } => QueueReply::Assigned { agent },
            QueueAnswer::Offline { agent } => QueueReply::Offline { agent },
            QueueAnswer::NoAgent => QueueReply::NoAgent,
        }
    }
}

/// The workspace's later word on a waiting handover (its new place in the queue).
#[derive(Serialize, Deserialize)]
pub struct QueueNews {
    pub handover: u32,
    pub reply: QueueReply,
}

/// How long a conversation keeps what it read of its assistant without asking again. A
/// change reaches it sooner: the workspace tells every conversation that read it within
/// this time ([`AssistantNews`]); this is for news that got lost.
pub const SETTINGS_KEPT_MS: u64 = 5 * 60 * 1000;

/// What a conversation holds of its assistant: the settings, which revision of the
/// knowledge base is current, and the workspace's active agents and teams (whose tokens
/// hold, who may claim and be transferred to). The workspace's answer to a conversation's
/// read (`GET /assistant`), and its word when any of it changed.
#[derive(Serialize, Deserialize, Clone)]
pub struct AssistantNews {
    pub assistant: String,
    pub settings: Settings,
    pub knowledge: u64,
    pub agents: Vec<Standing>,
    pub teams: Vec<String>,
}

/// The workspace's answer to a start: the assistant as the conversation keeps it, and how
/// the team stands now, for the visitor's welcome.
#[derive(Serialize, Deserialize)]
pub struct StartNews {
    #[serde(flatten)]
    pub copy: AssistantNews,
    /// Active agents online.
    pub online: usize,
    /// Handovers waiting in the queue that nobody has been given yet.
    pub waiting: usize,
    /// How long recent handovers waited for a person, when some did.
    pub typical_wait_ms: Option<u64>,
}

/// A conversation's handover record changed.
#[derive(Serialize, Deserialize)]
pub struct HandoverUpdate {
    pub conversation_id: String,
    pub handover: HandoverRecord,
}

/// A conversation tells the workspace which browser (the widget's visitor id) it is of.
#[derive(Serialize, Deserialize)]
pub struct VisitorSeen {
    pub conversation_id: String,
    pub visitor: String,
    pub at: Millis,
}

/// A visitor rated a chat the assistant answered alone.
#[derive(Serialize, Deserialize)]
pub struct AssistantRated {
    pub conversation_id: String,
    pub assistant: String,
    pub rating: Rating,
}

/// The client's address, for limits per client: Cloudflare's own header (which a client
/// cannot set there; scripts/serve drops a client's), else, behind the owner's proxy, the
/// first address it names. `None` when no address names one client: none is known, or
/// it is this machine's own (wrangler dev's, or a proxy that does not say), where every
/// visitor would look the same.
pub fn client_address(req: &Request) -> ApiResult<Option<String>> {
    let named = |v: Option<String>| {
        v.and_then(|v| v.split(',').next().map(|a| a.trim().to_string()))
            .filter(|a| !a.is_empty() && !is_loopback(a))
    };
    let cloudflare = named(req.headers().get("cf-connecting-ip")?);
    Ok(cloudflare.or(named(req.headers().get("x-forwarded-for")?)))
}

fn is_loopback(address: &str) -> bool {
    address
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

pub fn now() -> Millis {
    Millis(worker::Date::now().as_millis())
}

/// A request to an object, with the actor set by us and never taken from the client,
/// and for an agent, the generation of the account their token was signed for.
pub fn object_request(
    path_and_query: &str,
    method: Method,
    actor: Option<(&Actor, Option<u64>)>,
    body: Option<String>,
    headers: Headers,
) -> ApiResult<Request> {
    headers.delete(ACTOR_HEADER)?;
    headers.delete(GENERATION_HEADER)?;
    if let Some((actor, generation)) = actor {
        // Hex keeps any name (accents included) inside what a header may carry.
        headers.set(ACTOR_HEADER, &hex(&serde_json::to_vec(actor)?))?;
        if let Some(generation) = generation {
            headers.set(GENERATION_HEADER, &generation.to_string())?;
        }
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(body) = body {
        init.with_body(Some(body.into()));
    }
    Ok(Request::new_with_init(
        &format!("https://object{path_and_query}"),
        &init,
    )?)
}

/// The generation an agent's token was signed for; none for calls between objects.
pub fn generation(req: &Request) -> ApiResult<Option<u64>> {
    Ok(req
        .headers()
        .get(GENERATION_HEADER)?
        .and_then(|g| g.parse().ok()))
}

/// The actor the router put on a request, if it came through the router.
pub fn caller(req: &Request) -> ApiResult<Option<Actor>> {
    match req.headers().get(ACTOR_HEADER)? {
        None => Ok(None),
        Some(_) => actor(req).map(Some),
    }
}

/// The actor the router put on a request.
pub fn actor(req: &Request) -> ApiResult<Actor> {
    let raw = req
        .headers()
        .get(ACTOR_HEADER)?
        .ok_or_else(|| ApiError::Internal("a request reached an object without an actor".into()))?;
    let bytes = unhex(&raw).ok_or_else(|| ApiError::Internal("bad actor header".into()))?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// POSTs JSON to an object and decodes its JSON answer.
pub async fn call<T: DeserializeOwned>(
    stub: &Stub,
    path: &str,
    body: &impl Serialize,
) -> ApiResult<T> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    let req = object_request(
        path,
        Method::Post,
        None,
        Some(serde_json::to_string(body)?),
        headers,
    )?;
    answer(stub, path, req).await
}

/// GETs JSON from an object.
pub async fn get<T: DeserializeOwned>(stub: &Stub, path: &str) -> ApiResult<T> {
    let req = object_request(path, Method::Get, None, None, Headers::new())?;
    answer(stub, path, req).await
}

/// An object's JSON answer; an error answer becomes an internal error.
async fn answer<T: DeserializeOwned>(stub: &Stub, path: &str, req: Request) -> ApiResult<T> {
    let mut res = stub.fetch_with_request(req).await?;
    // A limit the object enforces is the caller's answer too, with its wait.
    if res.status_code() == 429 {
        let retry_after_secs = res
            .headers()
            .get("retry-after")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let body: ErrorBody = res.json().await?;
        return Err(ApiError::TooManyRequests {
            message: body.message,
            retry_after_secs,
        });
    }
    if res.status_code() >= 300 {
        return Err(ApiError::Internal(format!(
            "{path} answered {}: {}",
            res.status_code(),
            res.text().await.unwrap_or_default()
        )));
    }
    Ok(res.json().await?)
}

pub fn json_response<T: Serialize>(value: &T, status: u16) -> ApiResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

/// Reads a JSON body, saying what was expected when it does not parse.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request, what: &str) -> ApiResult<T> {
    let text = req.text().await?;
    serde_json::from_str(&text).map_err(|e| ApiError::bad_json(what, e))
}

/// As [`json_body`], for a body that may be left out: none at all reads as `{}`.
pub async fn optional_json_body<T: DeserializeOwned + Default>(
    req: &mut Request,
    what: &str,
) -> ApiResult<T> {
    let text = req.text().await?;
    match text.trim().is_empty() {
        true => Ok(T::default()),
        false => serde_json::from_str(&text).map_err(|e| ApiError::bad_json(what, e)),
    }
}

/// Sets an object's one alarm to `at`; the runtime then calls its `alarm` handler.
pub async fn set_alarm(state: &State, at: Millis) -> ApiResult<()> {
    bench::count(Counter::AlarmsSet);
    let date = js_sys::Date::new(&(at.0 as f64).into());
    state.storage().set_alarm(ScheduledTime::new(date)).await?;
    Ok(())
}

/// POSTs a JSON `body` to an address outside Baton (the owner's bot, a webhook), with
/// `extra` headers besides its content type.
pub async fn post_out(url: &str, body: String, extra: &[(&str, &str)]) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    for (name, value) in extra {
        headers.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    Fetch::Request(Request::new_with_init(url, &init)?)
        .send()
        .await
}

/// The object of one conversation.
pub fn conversation(env: &Env, id: &str) -> ApiResult<Stub> {
    Ok(env.durable_object("CONVERSATION")?.get_by_name(id)?)
}

/// The workspace's one object: queue, presence, settings.
pub fn workspace(env: &Env) -> ApiResult<Stub> {
    Ok(env.durable_object("WORKSPACE")?.get_by_name("default")?)
}
