//! The workspace's one Durable Object: the assistant's settings, agent presence and the
//! live queue of open handovers, pushed to every inbox over hibernatable WebSockets. It
//! sees handover events only; messages stay inside their conversation's object. It routes
//! a handover with shared's rules and tells waiting conversations their place.

mod history;
mod queue;
mod settings;
mod webhooks;

use crate::accounts;
use crate::bench::{self, Counter};
use crate::auth::Actor;
use crate::error::{respond, ApiError, ApiResult};
use crate::internal::{
    self, json_body, json_response, now, HandoverUpdate, QueueNews, QueueReply, QueueRequest,
};
use crate::socket::{close_back, send};
use crate::sql::Sql;
use baton_shared::analytics::{summarize, Handover};
use baton_shared::handover::{route, Assignment, Candidate, QueueAnswer};
use baton_shared::protocol::{
    HandoverRecord, HandoverStatus, InboxFrame, Millis, Presence, PresenceUpdate, QueueEntry,
};
use history::History;
use queue::Queue;
use serde::Deserialize;
use settings::SettingsStore;
use webhooks::Webhooks;
use worker::{
    durable_object, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

#[durable_object]
pub struct WorkspaceObject {
    state: State,
    env: Env,
}

impl worker::DurableObject for WorkspaceObject {
    fn new(state: State, env: Env) -> Self {
        bench::enable_from(&env);
        Self { state, env }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        bench::count(Counter::WorkspaceRequests);
        respond(self.route(req).await)
    }

    /// Webhook deliveries that are due ([`Webhooks::deliver`]).
    async fn alarm(&self) -> worker::Result<Response> {
        let run = async {
            if let Some(hooks) = self.webhooks()? {
                if let Some(at) = hooks.deliver().await? {
                    internal::set_alarm(&self.state, at).await?;
                }
            }
            Ok::<(), ApiError>(())
        };
        match run.await {
            Ok(()) => Response::ok(""),
            Err(e) => Err(worker::Error::RustError(format!("webhooks: {e:?}"))),
        }
    }

    async fn websocket_message(
        &self,
        _ws: WebSocket,
        _message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        // The inbox socket is server-to-client; agents act over HTTP.
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
        Ok(())
    }

    async fn websocket_error(&self, _ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        Ok(())
    }
}

impl WorkspaceObject {
    fn queue(&self) -> ApiResult<Queue> {
        Queue::open(Sql::workspace(self.state.storage().sql()))
    }

    fn webhooks(&self) -> ApiResult<Option<Webhooks>> {
        Webhooks::open(Sql::workspace(self.state.storage().sql()), &self.env)
    }

    /// A handover changed: into the webhook outbox, and the alarm delivers it.
    async fn announce(&self, conversation_id: &str, handover: &HandoverRecord) -> ApiResult<()> {
        if let Some(hooks) = self.webhooks()? {
            hooks.enqueue(conversation_id, handover)?;
            internal::set_alarm(&self.state, now()).await?;
        }
        Ok(())
    }

    fn history(&self) -> ApiResult<History> {
        History::open(Sql::workspace(self.state.storage().sql()))
    }

    fn settings(&self) -> ApiResult<SettingsStore> {
        SettingsStore::open(Sql::workspace(self.state.storage().sql()))
    }

    async fn route(&self, mut req: Request) -> ApiResult<Response> {
        let queue = self.queue()?;
        let path = req.path();
        match (req.method(), path.as_str()) {
            (Method::Get, "/ws") => {
                let Actor::Agent(agent) = internal::actor(&req)? else {
                    return Err(ApiError::Unauthorized("only agents see the queue".into()));
                };
                let pair = WebSocketPair::new()?;
                self.state
                    .accept_websocket_with_tags(&pair.server, &["inbox"]);
                pair.server.serialize_attachment(&agent)?;
                send(
                    &pair.server,
                    &InboxFrame::Queue {
                        entries: queue.entries()?,
                    },
                );
                Ok(Response::from_websocket(pair.client)?)
            }
            (Method::Get, "/ended") => {
                let entries = self.history()?.ended(ENDED_SHOWN)?;
                json_response(&serde_json::json!({ "entries": entries }), 200)
            }
            (Method::Get, "/queue") => {
                json_response(&serde_json::json!({ "entries": queue.entries()? }), 200)
            }
            (Method::Put, "/presence") => {
                let Actor::Agent(agent) = internal::actor(&req)? else {
                    return Err(ApiError::Unauthorized("only agents have a presence".into()));
                };
                let update: PresenceUpdate = json_body(&mut req, "presence update").await?;
                queue.set_presence(&agent.id, &agent.name, update.status, now().0)?;
                if update.status == Presence::Online {
                    self.assign_waiting(&queue).await?;
                }
                json_response(&update, 200)
            }
            // The router lets only admins reach the settings; conversations read them.
            (Method::Get, "/settings") => {
                json_response(&self.settings()?.get(&assistant(&req)?)?, 200)
            }
            (Method::Put, "/settings") => {
                let assistant = assistant(&req)?;
                let change: serde_json::Value = json_body(&mut req, "settings object").await?;
                let teams = accounts::team_ids(&self.env)?;
                let agents: Vec<String> = accounts::accounts(&self.env)?
                    .into_iter()
                    .map(|a| a.agent.id)
                    .collect();
                let stored = self
                    .settings()?
                    .change(&assistant, change, &teams, &agents)?;
                self.assign_waiting(&queue).await?;
                json_response(&stored, 200)
            }
            (Method::Get, "/analytics") => {
                // The router checked the query.
                let q: AnalyticsQuery = req
                    .query()
                    .map_err(|e| ApiError::Internal(format!("analytics query: {e}")))?;
                let to = q.to.map_or(now(), Millis);
                let found = self.history()?.between(&q.assistant, Millis(q.from), to)?;
                let handovers: Vec<Handover> = found
                    .iter()
                    .map(|e| Handover {
                        record: &e.handover,
                        question: Some(e.preview.as_str()).filter(|p| !p.is_empty()),
                    })
                    .collect();
                json_response(&summarize(&handovers), 200)
            }
            (Method::Post, "/queue/request") => {
                let request: QueueRequest = json_body(&mut req, "queue request").await?;
                self.history()?.record(
                    &request.conversation_id,
                    &request.handover,
                    Some(request.preview.as_str()),
                )?;
                self.announce(&request.conversation_id, &request.handover)
                    .await?;
                let answer = self.answer(&queue, &request.conversation_id, &request.handover)?;
                // Listed only when someone can take it: "no agent" ends the request.
                if answer != QueueAnswer::NoAgent {
                    let before = queue.entries()?;
                    let preview = Some(request.preview.as_str());
                    if queue.update(&request.conversation_id, &request.handover, preview)? {
                        if let QueueAnswer::Assigned { agent } | QueueAnswer::Offline { agent } =
                            &answer
                        {
                            queue.reserve(&request.conversation_id, &agent.id)?;
                        }
                        let after = queue.entries()?;
                        self.push(&after);
                        // One given to an agent at once leaves the queue with its next
                        // update: nobody else's place moves meanwhile.
                        if matches!(answer, QueueAnswer::Queued { .. }) {
                            self.tell_places(&before, &after).await?;
                        }
                    }
                }
                json_response(&QueueReply::from(answer), 200)
            }
            (Method::Post, "/queue/update") => {
                let update: HandoverUpdate = json_body(&mut req, "handover update").await?;
                self.history()?
                    .record(&update.conversation_id, &update.handover, None)?;
                self.announce(&update.conversation_id, &update.handover)
                    .await?;
                let before = queue.entries()?;
                if queue.update(&update.conversation_id, &update.handover, None)? {
                    let after = queue.entries()?;
                    self.push(&after);
                    self.tell_places(&before, &after).await?;
                    // Anything but a take-up may free an agent or put a handover back.
                    if update.handover.status != HandoverStatus::Acknowledged {
                        self.assign_waiting(&queue).await?;
                    }
                }
                json_response(&serde_json::json!({}), 200)
            }
            _ => Err(ApiError::NotFound("no such workspace route".into())),
        }
    }

    /// Shared's routing rules over the workspace's facts: who is eligible, online, and
    /// how busy, and the place the handover would have.
    fn answer(
        &self,
        queue: &Queue,
        conversation_id: &str,
        handover: &HandoverRecord,
    ) -> ApiResult<QueueAnswer> {
        let entries = queue.entries()?;
        let reserved = queue.reservations()?;
        let presences = queue.presences()?;
        let candidates: Vec<Candidate> = accounts::accounts(&self.env)?
            .into_iter()
            .map(|account| Candidate {
                presence: presences
                    .get(&account.agent.id)
                    .copied()
                    .unwrap_or(Presence::Offline),
                open_chats: queue::open_chats(&entries, &reserved, &account.agent.id),
                agent: account.agent,
                teams: account.teams,
            })
            .collect();
        let position = queue::position(&entries, conversation_id, handover.requested_at);
        Ok(route(
            &self.settings()?.get(&handover.assistant)?,
            handover,
            &candidates,
            position,
        ))
    }

    /// Sends the whole queue to every inbox: small, and no inbox can miss a change.
    fn push(&self, entries: &[QueueEntry]) {
        let frame = InboxFrame::Queue {
            entries: entries.to_vec(),
        };
        for ws in self.state.get_websockets_with_tag("inbox") {
            send(&ws, &frame);
        }
    }

    /// Tells every conversation still waiting whose place moved its new place.
    async fn tell_places(&self, before: &[QueueEntry], after: &[QueueEntry]) -> ApiResult<()> {
        let old = queue::positions(before);
        for (entry, place) in queue::positions(after) {
            // A handover that just joined heard its place in the queue's answer.
            let moved = old.iter().any(|(e, was)| {
                e.conversation_id == entry.conversation_id
                    && e.handover.id == entry.handover.id
                    && *was != place
            });
            if !moved {
                continue;
            }
            let news = QueueNews {
                handover: entry.handover.id,
                reply: QueueReply::Queued { position: place },
            };
            self.tell(&entry.conversation_id, &news).await?;
        }
        Ok(())
    }

    /// Where its assistant auto-assigns, gives waiting handovers, oldest first, to agents who can take
    /// them now (one came online, finished a chat, or the settings changed). Routing only
    /// proposes: the conversation decides, and reports back with an update.
    async fn assign_waiting(&self, queue: &Queue) -> ApiResult<()> {
        let store = self.settings()?;
        for waiting in queue.entries()? {
            // Each handover follows its own assistant's settings.
            let settings = store.get(&waiting.handover.assistant)?;
            if !matches!(settings.assignment, Assignment::AutoAssign { .. }) {
                continue;
            }
            // Read again each time: an earlier proposal changed the loads, and the calls
            // below let other events in.
            let Some(entry) = queue
                .entries()?
                .into_iter()
                .find(|e| e.conversation_id == waiting.conversation_id)
            else {
                continue;
            };
            if entry.handover.status != HandoverStatus::Pending
                || queue.reservations()?.contains_key(&entry.conversation_id)
            {
                continue;
            }
            let answer = self.answer(queue, &entry.conversation_id, &entry.handover)?;
            if let QueueAnswer::Assigned { agent } = &answer {
                queue.reserve(&entry.conversation_id, &agent.id)?;
                let news = QueueNews {
                    handover: entry.handover.id,
                    reply: answer.into(),
                };
                self.tell(&entry.conversation_id, &news).await?;
            }
        }
        Ok(())
    }

    /// The queue's later word to a conversation; a failure is logged, not passed on, since
    /// the caller's own change is already made.
    async fn tell(&self, conversation_id: &str, news: &QueueNews) -> ApiResult<()> {
        let stub = internal::conversation(&self.env, conversation_id)?;
        if let Err(e) = internal::call::<serde_json::Value>(&stub, "/queue/news", news).await {
            worker::console_error!("telling {conversation_id} the queue's news failed: {e:?}");
        }
        Ok(())
    }
}

/// How many ended handovers the inbox's "Closed" tab lists.
const ENDED_SHOWN: usize = 50;

#[derive(Deserialize)]
struct AnalyticsQuery {
    assistant: String,
    #[serde(default)]
    from: u64,
    to: Option<u64>,
}

#[derive(Deserialize)]
struct AssistantQuery {
    assistant: String,
}

/// The `?assistant=` of a settings call; the router checked it.
fn assistant(req: &Request) -> ApiResult<String> {
    req.query::<AssistantQuery>()
        .map(|q| q.assistant)
        .map_err(|_| ApiError::BadRequest("which assistant's settings: ?assistant=".into()))
}
