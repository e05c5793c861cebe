//! One Durable Object per conversation. It alone stores the conversation's messages and
//! decides who holds it: every claim, post, transfer and end passes through
//! [`ConversationObject::run`], which feeds the shared state machine and carries out its
//! effects. Visitor and agent WebSockets use the hibernation API, so an idle conversation
//! costs nothing; everything a socket needs after waking (who it is) lives in its
//! attachment. Timers are the object's alarm, which feeds the machine a tick.

mod assistant;
mod context;
mod notes;
mod run;
mod store;

use crate::auth::Actor;
use crate::bench;
use crate::error::{respond, ApiError, ApiResult};
use crate::internal::{
    self, json_body, json_response, now, optional_json_body, AssistantNews, QueueNews,
};
use crate::knowledge;
use crate::socket::{self, close_back, close_signed_out, send, send_all};
use crate::sql::Sql;
use assistant::AssistantCopy;
use baton_shared::handover::{Conversation, Event};
use baton_shared::limits::{Window, VISITOR_MESSAGES};
use baton_shared::protocol::{
    AgentRef, Author, ClaimResponse, ClientFrame, EndRequest, FormAnswers, History, PageReport,
    PostMessage, RatingRequest, ServerFrame, StartConversation, TransferRequest, PING, PONG,
};
use run::{Posted, Sender};
use serde::{Deserialize, Serialize};
use std::cell::{OnceCell, RefCell};
use store::Store;
use worker::{
    durable_object, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

/// The binding of this class (worker/wrangler.toml, scripts/serve).
const BINDING: &str = "CONVERSATION";

#[durable_object]
pub struct ConversationObject {
    state: State,
    env: Env,
    /// Opened on the first event of this instance: the schema is checked once.
    store: OnceCell<Store>,
    assistant: AssistantCopy,
    /// Its reads of a knowledge base's index in flight.
    knowledge: knowledge::Reads,
    /// The visitor's messages lately, for their limit (in memory: see the workspace's).
    visitor_sends: RefCell<Window>,
    /// The visitor's page reports lately, for theirs.
    context_reports: RefCell<Window>,
}

#[derive(Serialize, Deserialize)]
pub struct CreateBody {
    pub id: String,
    #[serde(flatten)]
    pub start: StartConversation,
    /// The assistant, as the router just read it for this conversation (not named
    /// `assistant`: the start has a field of that name).
    pub copy: AssistantNews,
}

#[derive(Deserialize)]
struct AfterQuery {
    #[serde(default)]
    after: u64,
}

impl worker::DurableObject for ConversationObject {
    fn new(state: State, env: Env) -> Self {
        bench::enable_from(&env);
        // The widget's heartbeat is answered by the runtime, without waking the object.
        if let Ok(pair) = worker::worker_sys::WebSocketRequestResponsePair::new(PING, PONG) {
            state.set_websocket_auto_response(&pair);
        }
        Self {
            state,
            env,
            store: OnceCell::new(),
            assistant: AssistantCopy::default(),
            knowledge: knowledge::Reads::default(),
            visitor_sends: RefCell::default(),
            context_reports: RefCell::default(),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        if req.path() == socket::RESTART_PATH {
            return socket::close_for_restart(&self.state);
        }
        respond(self.route(req).await)
    }

    /// A timer the machine asked for ([`baton_shared::handover::Effect::Wake`]) is due.
    async fn alarm(&self) -> worker::Result<Response> {
        let tick = async {
            self.run(self.store()?, Event::Tick, Sender::default())
                .await
        };
        match tick.await {
            Ok(_) => Response::ok(""),
            // An error makes the runtime retry the alarm, which is what a failed tick needs.
            Err(e) => Err(worker::Error::RustError(format!("tick failed: {e:?}"))),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        if let Err(e) = self.on_frame(&ws, message).await {
            send(&ws, &ServerFrame::Error(e.body()));
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        close_back(&ws, code, reason);
        socket::released(BINDING, &self.state);
        self.socket_gone(&ws).await;
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        socket::released(BINDING, &self.state);
        self.socket_gone(&ws).await;
        Ok(())
    }
}

impl ConversationObject {
    fn store(&self) -> ApiResult<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::open(Sql::conversation(self.state.storage().sql()))?;
        Ok(self.store.get_or_init(|| store))
    }

    async fn route(&self, mut req: Request) -> ApiResult<Response> {
        let path = req.path();
        // News for a conversation that was never created (a start the site was refused)
        // must not create its storage.
        if path == "/assistant"
            && self.store.get().is_none()
            && !Store::exists(self.state.storage().sql())?
        {
            return Err(ApiError::NotFound("there is no such conversation".into()));
        }
        let store = self.store()?;
        // Calls from the router and the workspace, which carry no actor.
        match (req.method(), path.as_str()) {
            (Method::Post, "/create") => {
                let body: CreateBody = json_body(&mut req, "conversation").await?;
                self.assistant.set(body.copy);
                let machine = Conversation::new(body.start);
                store.create(&body.id, &machine)?;
                return json_response(&serde_json::json!({ "id": body.id }), 201);
            }
            (Method::Post, "/assistant") => {
                let news: AssistantNews = json_body(&mut req, "assistant news").await?;
                if news.assistant == store.machine()?.assistant() {
                    let signed_out = self.assistant.set(news);
                    self.close_agents(&signed_out);
                }
                return json_response(&serde_json::json!({}), 200);
            }
            (Method::Post, "/queue/news") => {
                let news: QueueNews = json_body(&mut req, "queue news").await?;
                store.id()?;
                let event = Event::Queue {
                    handover: news.handover,
                    answer: news.reply.into(),
                };
                self.run(store, event, Sender::default()).await?;
                return json_response(&serde_json::json!({}), 200);
            }
            _ => {}
        }
        let id = store.id()?;
        let actor = internal::actor(&req)?;
        // An agent's token must still hold, by this conversation's copy of the accounts.
        let standing = match &actor {
            Actor::Agent(agent) => {
                let copy = self
                    .assistant
                    .get(&self.env, &id, store.machine()?.assistant())
                    .await?;
                Some((
                    assistant::standing(&copy, agent, internal::generation(&req)?)?.clone(),
                    copy,
                ))
            }
            Actor::Visitor => None,
        };
        if actor == Actor::Visitor && store.blocked()? {
            return Err(blocked());
        }
        let after = req.query::<AfterQuery>().map(|q| q.after).unwrap_or(0);
        match (req.method(), path.as_str()) {
            (Method::Get, "/ws") => self.accept(store, actor, after).await,
            // The router lets only admins reach it.
            (Method::Post, "/block") => {
                agent_only(actor)?;
                store.block()?;
                for ws in self.state.get_websockets_with_tag("visitor") {
                    let _ = ws.close(Some(4003), Some("closed by the site's team"));
                }
                json_response(&serde_json::json!({ "blocked": true }), 200)
            }
            (Method::Get, "/messages") => json_response(
                &History {
                    state: store.machine()?.state(),
                    messages: store.after_for(after, actor == Actor::Visitor)?,
                },
                200,
            ),
            (Method::Get, "/context") => {
                agent_only(actor)?;
                json_response(&self.context_view(store).await?, 200)
            }
            (Method::Post, "/context") => {
                visitor_only(&actor)?;
                let report: PageReport = json_body(&mut req, "context").await?;
                json_response(&self.report_context(store, report).await?, 200)
            }
            (Method::Post, "/notes") => {
                let agent = agent_only(actor)?;
                let body: PostMessage = json_body(&mut req, "note").await?;
                let (note, fresh) = self.note(store, agent, body)?;
                json_response(&note, if fresh { 201 } else { 200 })
            }
            (Method::Post, "/messages") => {
                let body: PostMessage = json_body(&mut req, "message").await?;
                match self.post(store, actor, body, None).await? {
                    Posted::Fresh(message) => json_response(&message, 201),
                    Posted::Again(message) => json_response(&message, 200),
                    Posted::Nothing => {
                        Err(ApiError::Internal("an accepted post stored nothing".into()))
                    }
                }
            }
            (Method::Post, "/claim") => {
                let agent = agent_only(actor)?;
                let teams = standing.map(|(s, _)| s.teams).unwrap_or_default();
                let event = Event::Claim {
                    agent: agent.clone(),
                    teams,
                };
                self.run(store, event, Sender::default()).await?;
                json_response(&ClaimResponse { holder: agent }, 200)
            }
            (Method::Post, "/transfer") => {
                let agent = agent_only(actor)?;
                let body: TransferRequest = json_body(&mut req, "transfer").await?;
                if let Some((_, copy)) = &standing {
                    assistant::check_target(copy, &body.to)?;
                }
                let event = Event::Transfer {
                    agent,
                    to: body.to,
                    reason: body.reason,
                };
                self.answer_state(store, event).await
            }
            (Method::Post, "/end" | "/close") => {
                let agent = agent_only(actor)?;
                let body: EndRequest = optional_json_body(&mut req, &path[1..]).await?;
                let note = body.note;
                let event = match path.as_str() {
                    "/close" => Event::Close { agent, note },
                    _ => Event::End { agent, note },
                };
                self.answer_state(store, event).await
            }
            (Method::Post, "/form") => {
                visitor_only(&actor)?;
                let answers: FormAnswers = json_body(&mut req, "form").await?;
                self.answer_state(store, Event::Form { answers }).await
            }
            (Method::Post, "/cancel") => {
                visitor_only(&actor)?;
                self.answer_state(store, Event::Cancel).await
            }
            (Method::Post, "/rate") => {
                visitor_only(&actor)?;
                let body: RatingRequest = json_body(&mut req, "rating").await?;
                self.run(store, rate(body), Sender::default()).await?;
                let machine = store.machine()?;
                match machine.handover() {
                    // The visitor's view: the record also holds the agents' notes.
                    Some(record) => json_response(&record.for_visitor(), 200),
                    None => json_response(
                        &serde_json::json!({ "assistant_rating": machine.assistant_rated() }),
                        200,
                    ),
                }
            }
            _ => Err(ApiError::NotFound("no such conversation route".into())),
        }
    }

    /// Closes the sockets of agents who must sign in again.
    fn close_agents(&self, ids: &[String]) {
        if ids.is_empty() {
            return;
        }
        for ws in self.state.get_websockets_with_tag("agent") {
            if let Ok(Some(Actor::Agent(agent))) = ws.deserialize_attachment::<Actor>() {
                if ids.contains(&agent.id) {
                    close_signed_out(&ws);
                }
            }
        }
    }

    /// Runs an action and answers who answers the visitor now.
    async fn answer_state(&self, store: &Store, event: Event) -> ApiResult<Response> {
        self.run(store, event, Sender::default()).await?;
        json_response(&store.machine()?.state(), 200)
    }

    /// A socket closed. When it was the visitor's last one, the machine starts counting
    /// towards "the visitor left" (`visitor_leave_secs`).
    async fn socket_gone(&self, ws: &WebSocket) {
        let visitor = matches!(ws.deserialize_attachment(), Ok(Some(Actor::Visitor)));
        let open = worker::web_sys::WebSocket::OPEN;
        let others = self
            .state
            .get_websockets_with_tag("visitor")
            .iter()
            .any(|s| s.as_ref().ready_state() == open);
        if !visitor || others {
            return;
        }
        let away = async {
            self.run(self.store()?, Event::VisitorAway, Sender::default())
                .await
        };
        if let Err(e) = away.await {
            worker::console_error!("marking the visitor away failed: {e:?}");
        }
    }

    async fn accept(&self, store: &Store, actor: Actor, after: u64) -> ApiResult<Response> {
        let assistant = store.machine()?.assistant().to_string();
        let copy = self
            .assistant
            .get(&self.env, &store.id()?, &assistant)
            .await?;
        let pair = WebSocketPair::new()?;
        let actor_is_visitor = matches!(actor, Actor::Visitor);
        let tag = match actor {
            Actor::Visitor => "visitor",
            Actor::Agent(_) => "agent",
        };
        self.state.accept_websocket_with_tags(&pair.server, &[tag]);
        socket::held(BINDING, &self.state);
        pair.server.serialize_attachment(&actor)?;
        // Catch up from where the client left off, then say who answers now.
        let mut last = after;
        loop {
            let page = store.after(last)?;
            let full = page.len() as i64 == store::PAGE;
            for message in page {
                last = message.seq;
                if !actor_is_visitor || message.visitor_reads() {
                    send(&pair.server, &ServerFrame::Message(message));
                }
            }
            if !full {
                break;
            }
        }
        let mut machine = store.machine()?;
        if actor_is_visitor && machine.visitor_away() {
            self.run(store, Event::VisitorBack, Sender::default())
                .await?;
            machine = store.machine()?;
        }
        send(&pair.server, &ServerFrame::State(machine.state()));
        if machine.rating_open(&copy.settings) {
            send(&pair.server, &ServerFrame::Rating { open: true });
        }
        if machine.takes_a_message() {
            send(&pair.server, &ServerFrame::Offline { open: true });
        }
        Ok(Response::from_websocket(pair.client)?)
    }

    async fn on_frame(&self, ws: &WebSocket, message: WebSocketIncomingMessage) -> ApiResult<()> {
        let WebSocketIncomingMessage::String(text) = message else {
            return Err(ApiError::BadRequest(
                "frames are JSON text, not binary".into(),
            ));
        };
        let frame: ClientFrame =
            serde_json::from_str(&text).map_err(|e| ApiError::bad_json("frame", e))?;
        let actor: Actor = ws
            .deserialize_attachment()?
            .ok_or_else(|| ApiError::Internal("a socket lost its attachment".into()))?;
        let store = self.store()?;
        let event = match frame {
            ClientFrame::Send(body) => {
                // The sender hears an `ack`, a resend too.
                self.post(store, actor, body, Some(ws)).await?;
                return Ok(());
            }
            ClientFrame::Typing => {
                self.typing(store, actor)?;
                return Ok(());
            }
            ClientFrame::Context { context } => {
                visitor_only(&actor)?;
                return match self.report_context(store, context).await {
                    // Over the limit the page waits for its next change: nothing the
                    // visitor could act on.
                    Err(ApiError::TooManyRequests { .. }) => Ok(()),
                    other => other.map(|_| ()),
                };
            }
            // Only a ping written otherwise than `PING` reaches here.
            ClientFrame::Ping => {
                send(ws, &ServerFrame::Pong);
                return Ok(());
            }
            ClientFrame::Form { answers } => Event::Form { answers },
            ClientFrame::Cancel => Event::Cancel,
            ClientFrame::Rate(body) => rate(body),
            ClientFrame::LeaveMessage(m) => Event::LeaveMessage {
                email: m.email,
                text: m.text,
            },
        };
        visitor_only(&actor)?;
        self.run(store, event, Sender::default()).await?;
        Ok(())
    }

    /// Passes "typing" to the other side's sockets when the rules show it; nothing is
    /// stored.
    fn typing(&self, store: &Store, actor: Actor) -> ApiResult<()> {
        let (author, to) = match actor {
            Actor::Visitor => (Author::Visitor, "agent"),
            Actor::Agent(agent) => (Author::Agent(agent), "visitor"),
        };
        if store.machine()?.shows_typing(&author) {
            send_all(
                &self.state.get_websockets_with_tag(to),
                &ServerFrame::Typing { author },
            );
        }
        Ok(())
    }

    /// A message from the visitor or an agent; over a WebSocket, `socket` is its sender's.
    async fn post(
        &self,
        store: &Store,
        actor: Actor,
        body: PostMessage,
        socket: Option<&WebSocket>,
    ) -> ApiResult<Posted> {
        check_client_id(body.client_id.as_deref())?;
        // Only new messages count: a resend after a reconnect is never refused for speed.
        let limited = actor == Actor::Visitor && !bench::running();
        if limited {
            let wait = self
                .visitor_sends
                .borrow_mut()
                .wait(VISITOR_MESSAGES, now());
            if let Some(wait) = wait {
                let resend = match &body.client_id {
                    Some(cid) => store.by_client_id(cid)?.is_some(),
                    None => false,
                };
                if !resend {
                    return Err(ApiError::too_many(
                        &format!(
                            "you are sending messages too fast (at most {} in {} s)",
                            VISITOR_MESSAGES.count,
                            VISITOR_MESSAGES.window_ms / 1000
                        ),
                        wait,
                    ));
                }
            }
        }
        let event = match actor {
            Actor::Visitor => Event::Visitor { text: body.text },
            Actor::Agent(agent) => Event::Agent {
                agent,
                text: body.text,
            },
        };
        let from = Sender {
            client_id: body.client_id,
            socket,
        };
        let posted = self.run(store, event, from).await?;
        if limited && matches!(posted, Posted::Fresh(_)) {
            self.visitor_sends.borrow_mut().record(now());
        }
        Ok(posted)
    }
}

fn check_client_id(client_id: Option<&str>) -> ApiResult<()> {
    match client_id {
        Some(cid) if cid.is_empty() || cid.len() > 64 => Err(ApiError::BadRequest(
            "client_id must be 1 to 64 characters".into(),
        )),
        _ => Ok(()),
    }
}

fn blocked() -> ApiError {
    ApiError::Forbidden("this conversation was closed by the site's team".into())
}

fn rate(body: RatingRequest) -> Event {
    Event::Rate {
        score: body.score,
        comment: body.comment,
    }
}

fn agent_only(actor: Actor) -> ApiResult<AgentRef> {
    match actor {
        Actor::Agent(agent) => Ok(agent),
        Actor::Visitor => Err(ApiError::Unauthorized(
            "only a logged-in agent can do this".into(),
        )),
    }
}

fn visitor_only(actor: &Actor) -> ApiResult<()> {
    match actor {
        Actor::Visitor => Ok(()),
        Actor::Agent(_) => Err(ApiError::Forbidden(
            "only the visitor of this conversation can do this".into(),
        )),
    }
}
