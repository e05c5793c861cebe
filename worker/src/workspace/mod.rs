//! The workspace's one Durable Object: the assistants' settings, agent presence and the
//! live queue of open handovers, pushed to every inbox over hibernatable WebSockets. It
//! sees handover events and admin changes only; messages stay inside their
//! conversation's object, which reads its settings once and hears of a change from here.
//! It routes a handover with shared's rules and tells waiting conversations their place.

mod accounts;
mod analytics;
mod assistants;
mod history;
mod inboxes;
mod knowledge;
mod knowledge_routes;
mod queue;
mod readers;
mod replies;
mod settings;
mod suggestions;
mod team_routes;
mod webhooks;

pub use accounts::Standing;

use crate::auth::Actor;
use crate::bench::{self, Counter};
use crate::error::{respond, ApiError, ApiResult};
use crate::internal::{
    self, json_body, json_response, now, AssistantNews, AssistantRated, HandoverUpdate, QueueNews,
    QueueReply, QueueRequest, StartNews, VisitorSeen,
};
use crate::schema;
use crate::socket::{self, close_back, send, send_all};
use crate::sql::Sql;
use accounts::Accounts;
use assistants::{Assistants, NewAssistant};
use baton_shared::handover::{route, shifted, Assignment, Candidate, QueueAnswer, QueueKey};
use baton_shared::limits::{Window, NEW_CONVERSATIONS};
use baton_shared::presence::{available, Inbox};
use baton_shared::protocol::{
    Directory, DirectoryAgent, HandoverRecord, HandoverStatus, InboxFrame, Millis, Presence,
    PresenceUpdate,
};
use baton_shared::schema::Layout;
use baton_shared::team::Status;
use futures_util::future::join_all;
use history::History;
use inboxes::Inboxes;
use knowledge::Knowledge;
use queue::{Change, Queue};
use readers::Readers;
use replies::Replies;
use serde::Deserialize;
use settings::SettingsStore;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use suggestions::Suggestions;
use webhooks::Webhooks;
use worker::{
    durable_object, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

/// The workspace's layouts: every store's tables as layout 1, and no later step yet.
const LAYOUT: Layout = Layout {
    object: "workspace",
    base: &[
        queue::SCHEMA,
        history::SCHEMA,
        settings::SCHEMA,
        knowledge::SCHEMA,
        suggestions::SCHEMA,
        readers::SCHEMA,
        assistants::SCHEMA,
        accounts::SCHEMA,
        replies::SCHEMA,
        inboxes::SCHEMA,
        webhooks::SCHEMA,
    ],
    steps: &[],
};

/// The binding of this class (worker/wrangler.toml, scripts/serve).
const BINDING: &str = "WORKSPACE";

#[durable_object]
pub struct WorkspaceObject {
    state: State,
    env: Env,
    /// Opened on the first event of this instance: the schema is checked once.
    stores: OnceCell<Stores>,
    /// The conversations each client address started lately. In memory: a limit, not a
    /// record; an evicted object forgets it, and a minute later it would have anyway.
    starts: RefCell<HashMap<String, Window>>,
}

struct Stores {
    queue: Queue,
    history: History,
    settings: SettingsStore,
    knowledge: Knowledge,
    suggestions: Suggestions,
    readers: Readers,
    assistants: Assistants,
    accounts: Accounts,
    inboxes: Inboxes,
    replies: Replies,
    /// `None` when `WEBHOOK_URL` is not set.
    webhooks: Option<Webhooks>,
}

impl worker::DurableObject for WorkspaceObject {
    fn new(state: State, env: Env) -> Self {
        bench::enable_from(&env);
        Self {
            state,
            env,
            stores: OnceCell::new(),
            starts: RefCell::default(),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        bench::count(Counter::WorkspaceRequests);
        match req.path().as_str() {
            socket::RESTART_PATH => socket::close_for_restart(&self.state),
            "/health" => respond(self.health()),
            _ => respond(self.route(req).await),
        }
    }

    /// What the alarm delivers: webhooks that are due ([`Webhooks::deliver`]), and the
    /// news of an assistant's change to the conversations holding a copy.
    async fn alarm(&self) -> worker::Result<Response> {
        let run = async {
            let stores = self.stores()?;
            let mut next: Option<Millis> = None;
            if let Some(hooks) = &stores.webhooks {
                next = hooks.deliver().await?;
            }
            if self.give_assistant_news(stores).await? {
                next = Some(now());
            }
            if let Some(at) = self.sweep_inboxes(stores).await? {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
            if let Some(at) = next {
                internal::set_alarm(&self.state, at).await?;
            }
            Ok::<(), ApiError>(())
        };
        match run.await {
            Ok(()) => Response::ok(""),
            Err(e) => Err(worker::Error::RustError(format!("workspace alarm: {e:?}"))),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        // Agents act over HTTP; the inbox only pings, so that a dead socket is noticed.
        if matches!(&message, WebSocketIncomingMessage::String(t) if t == "ping") {
            if let Err(e) = self.heard(&ws) {
                worker::console_error!("inbox ping: {e:?}");
            }
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
        self.inbox_gone(&ws).await;
        socket::released(BINDING, &self.state);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        self.inbox_gone(&ws).await;
        socket::released(BINDING, &self.state);
        Ok(())
    }
}

impl WorkspaceObject {
    fn stores(&self) -> ApiResult<&Stores> {
        if let Some(stores) = self.stores.get() {
            return Ok(stores);
        }
        let sql = || Sql::workspace(self.state.storage().sql());
        let stores = Stores {
            queue: Queue::open(sql())?,
            history: History::open(sql())?,
            settings: SettingsStore::open(sql())?,
            knowledge: Knowledge::open(sql())?,
            suggestions: Suggestions::open(sql())?,
            readers: Readers::open(sql())?,
            assistants: Assistants::open(sql())?,
            accounts: Accounts::open(sql())?,
            inboxes: Inboxes::open(sql())?,
            replies: Replies::open(sql())?,
            webhooks: Webhooks::open(sql(), &self.env)?,
        };
        schema::open(&sql(), &LAYOUT, || stores.queue.migrate())?;
        stores.accounts.seed(&self.env, now())?;
        Ok(self.stores.get_or_init(|| stores))
    }

    /// For `GET /api/health`: the storage opens at this code's layout and answers a query.
    fn health(&self) -> ApiResult<Response> {
        self.stores()?;
        Sql::workspace(self.state.storage().sql()).exec("SELECT 1", None)?;
        json_response(&"ok", 200)
    }

    /// A handover changed: into the webhook outbox, and the alarm delivers it.
    async fn announce(&self, conversation_id: &str, handover: &HandoverRecord) -> ApiResult<()> {
        if let Some(hooks) = &self.stores()?.webhooks {
            hooks.enqueue(conversation_id, handover)?;
            internal::set_alarm(&self.state, now()).await?;
        }
        Ok(())
    }

    async fn route(&self, mut req: Request) -> ApiResult<Response> {
        let stores = self.stores()?;
        let queue = &stores.queue;
        let path = req.path();
        self.gate(stores, &req, &path)?;
        if let Some(rest) = path.strip_prefix("/knowledge") {
            return self.knowledge_route(stores, req, rest).await;
        }
        if let Some(rest) = path.strip_prefix("/replies") {
            return self.replies_route(stores, req, rest).await;
        }
        if let Some(rest) = path.strip_prefix("/analytics") {
            return analytics::route(stores, &req, rest);
        }
        if team_routes::PATHS
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        {
            return self.team_route(stores, req, &path).await;
        }
        match (req.method(), path.as_str()) {
            (Method::Get, "/ws") => {
                let Actor::Agent(agent) = internal::actor(&req)? else {
                    return Err(ApiError::Unauthorized("only agents see the queue".into()));
                };
                let pair = WebSocketPair::new()?;
                self.accept_inbox(stores, &pair.server, agent).await?;
                socket::held(BINDING, &self.state);
                // Back: what waits may be theirs now.
                self.assign_waiting(stores).await?;
                send(
                    &pair.server,
                    &InboxFrame::Queue {
                        entries: queue.entries()?,
                    },
                );
                Ok(Response::from_websocket(pair.client)?)
            }
            (Method::Get, "/ended") => {
                let entries = stores.history.ended(ENDED_SHOWN)?;
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
                // A status set anew stands until an inbox of theirs opens and goes.
                stores.inboxes.forget(&agent.id)?;
                if update.status == Presence::Online {
                    self.assign_waiting(stores).await?;
                }
                json_response(&update, 200)
            }
            // A new conversation's first read of its assistant, counted per client
            // address: one address may start only so many a minute.
            (Method::Get, "/start") => {
                let q: StartQuery = req.query().map_err(|_| {
                    ApiError::BadRequest("a start names ?assistant=, reader= and client=".into())
                })?;
                if let Some(client) = &q.client {
                    self.count_start(client)?;
                }
                stores.readers.read(&q.reader, &q.assistant, now())?;
                let online = self
                    .candidates(stores)?
                    .iter()
                    .filter(|c| c.presence == Presence::Online)
                    .count();
                let news = StartNews {
                    copy: assistant_news(stores, &q.assistant)?,
                    online,
                    waiting: stores.queue.unreserved_waiting()?.len(),
                    typical_wait_ms: stores.history.typical_wait(now())?,
                };
                json_response(&news, 200)
            }
            // What a conversation holds of its assistant, read naming itself so that it
            // hears of a change.
            (Method::Get, "/assistant") => {
                bench::count(Counter::WorkspaceSettingsReads);
                let q: SettingsQuery = req
                    .query()
                    .map_err(|_| ApiError::BadRequest("which assistant: ?assistant=".into()))?;
                if let Some(reader) = &q.reader {
                    stores.readers.read(reader, &q.assistant, now())?;
                }
                json_response(&assistant_news(stores, &q.assistant)?, 200)
            }
            // The router lets only admins reach the settings.
            (Method::Get, "/settings") => {
                let q: SettingsQuery = req.query().map_err(|_| {
                    ApiError::BadRequest("which assistant's settings: ?assistant=".into())
                })?;
                json_response(&stores.settings.get(&q.assistant)?, 200)
            }
            (Method::Put, "/settings") => {
                let q: SettingsQuery = req.query().map_err(|_| {
                    ApiError::BadRequest("which assistant's settings: ?assistant=".into())
                })?;
                let change: serde_json::Value = json_body(&mut req, "settings object").await?;
                let teams = stores.accounts.teams()?;
                let agents: Vec<String> =
                    stores.accounts.rows()?.into_iter().map(|a| a.id).collect();
                let stored = stores
                    .settings
                    .change(&q.assistant, change, &teams, &agents)?;
                stores.readers.announce(&q.assistant, now())?;
                internal::set_alarm(&self.state, now()).await?;
                self.assign_waiting(stores).await?;
                json_response(&stored, 200)
            }
            // The router lets only admins reach the list of assistants.
            (Method::Get, "/assistants") => json_response(
                &serde_json::json!({ "assistants": stores.assistants.list()? }),
                200,
            ),
            (Method::Post, "/assistants") => {
                let new: NewAssistant = json_body(&mut req, "new assistant ({\"id\": …})").await?;
                json_response(&stores.assistants.add(new.id.trim(), now())?, 201)
            }
            (Method::Post, "/queue/request") => {
                bench::count(Counter::WorkspaceHandoverEvents);
                let request: QueueRequest = json_body(&mut req, "queue request").await?;
                let (id, handover) = (&request.conversation_id, &request.handover);
                stores
                    .history
                    .record(id, handover, Some(request.preview.as_str()))?;
                self.announce(id, handover).await?;
                let answer = self.answer(stores, id, handover)?;
                // Listed only when someone can take it: "no agent" ends the request.
                if answer != QueueAnswer::NoAgent {
                    let preview = Some(request.preview.as_str());
                    if let Some(change) = queue.update(id, handover, preview)? {
                        if let QueueAnswer::Assigned { agent } | QueueAnswer::Offline { agent } =
                            &answer
                        {
                            queue.reserve(id, &agent.id)?;
                        }
                        self.push_entry(queue, id)?;
                        // One given to an agent at once leaves the queue with its next
                        // update: nobody else's place moves meanwhile. One that joined
                        // hears its place in this answer.
                        if matches!(answer, QueueAnswer::Queued { .. }) {
                            self.tell_places(queue, &change, None).await?;
                        }
                    }
                }
                json_response(&QueueReply::from(answer), 200)
            }
            (Method::Post, "/visitor") => {
                let seen: VisitorSeen = json_body(&mut req, "visitor seen").await?;
                stores
                    .history
                    .visitor(&seen.conversation_id, &seen.visitor, seen.at)?;
                json_response(&serde_json::json!({}), 200)
            }
            (Method::Get, "/visitor") => {
                let q: VisitorQuery = req.query().map_err(|_| {
                    ApiError::BadRequest("whose chats: ?visitor= and conversation=".into())
                })?;
                let earlier = stores
                    .history
                    .earlier(&q.visitor, &q.conversation, EARLIER_SHOWN)?;
                json_response(&earlier, 200)
            }
            (Method::Post, "/ratings") => {
                let rated: AssistantRated = json_body(&mut req, "assistant rating").await?;
                stores
                    .history
                    .rated(&rated.conversation_id, &rated.assistant, &rated.rating)?;
                json_response(&serde_json::json!({}), 200)
            }
            (Method::Post, "/queue/update") => {
                bench::count(Counter::WorkspaceHandoverEvents);
                let update: HandoverUpdate = json_body(&mut req, "handover update").await?;
                let (id, handover) = (&update.conversation_id, &update.handover);
                stores.history.record(id, handover, None)?;
                self.announce(id, handover).await?;
                if let Some(change) = queue.update(id, handover, None)? {
                    self.push_entry(queue, id)?;
                    self.tell_places(queue, &change, Some((id, handover.id)))
                        .await?;
                    // Anything but a take-up may free an agent or put a handover back.
                    if handover.status != HandoverStatus::Acknowledged {
                        self.assign_waiting(stores).await?;
                    }
                }
                json_response(&serde_json::json!({}), 200)
            }
            _ => Err(ApiError::NotFound("no such workspace route".into())),
        }
    }

    /// Counts a conversation started from `client`, or refuses it (`429`).
    fn count_start(&self, client: &str) -> ApiResult<()> {
        let at = now();
        let mut starts = self.starts.borrow_mut();
        // Forget the idle addresses now and then, so the map stays small.
        if starts.len() > 1000 {
            starts.retain(|_, w| !w.is_idle(NEW_CONVERSATIONS, at));
        }
        starts
            .entry(client.to_string())
            .or_default()
            .take(NEW_CONVERSATIONS, at)
            .map_err(|wait| {
                ApiError::too_many(
                    &format!(
                        "too many new conversations from this address (at most {} a minute)",
                        NEW_CONVERSATIONS.count
                    ),
                    wait,
                )
            })
    }

    /// Every agent as routing sees them: eligible for what, online or not, how busy.
    /// Only active accounts: a disabled or invited agent takes nothing.
    fn candidates(&self, stores: &Stores) -> ApiResult<Vec<Candidate>> {
        let loads = stores.queue.loads()?;
        let presences = stores.queue.presences()?;
        let inboxes = self.inboxes_now(stores)?;
        let at = now();
        let mut out = Vec::new();
        for row in stores.accounts.rows()? {
            let member = row.member()?;
            if member.status != Status::Active {
                continue;
            }
            let chosen = presences.get(&row.id).copied().unwrap_or(Presence::Offline);
            let inbox = inboxes.get(&row.id).copied().unwrap_or(Inbox::Unknown);
            out.push(Candidate {
                presence: available(chosen, inbox, at),
                open_chats: loads.get(&row.id).copied().unwrap_or(0),
                agent: row.agent(),
                teams: member.teams,
            });
        }
        Ok(out)
    }

    /// Shared's routing rules over the workspace's facts: who is eligible, online, and
    /// how busy, and the place the handover has or would have.
    fn answer(
        &self,
        stores: &Stores,
        conversation_id: &str,
        handover: &HandoverRecord,
    ) -> ApiResult<QueueAnswer> {
        let key: QueueKey = (handover.requested_at, conversation_id.to_string());
        Ok(route(
            &stores.settings.get(&handover.assistant)?,
            handover,
            &self.candidates(stores)?,
            stores.queue.position(&key)?,
        ))
    }

    /// Tells every inbox what became of one conversation's handover: the entry, or that
    /// it left. One frame, written once.
    fn push_entry(&self, queue: &Queue, conversation_id: &str) -> ApiResult<()> {
        let frame = match queue.entry(conversation_id)? {
            Some(entry) => InboxFrame::Entry { entry },
            None => InboxFrame::Removed {
                conversation_id: conversation_id.to_string(),
            },
        };
        send_all(&self.state.get_websockets_with_tag("inbox"), &frame);
        Ok(())
    }

    /// Tells each waiting conversation whose place the change moved its new place: only
    /// those between where the changed one was and where it is. `moved`, the changed
    /// handover itself, hears its own new place when it still waits elsewhere.
    async fn tell_places(
        &self,
        queue: &Queue,
        change: &Change,
        moved: Option<(&str, u32)>,
    ) -> ApiResult<()> {
        let mut told = Vec::new();
        if let Some((low, high)) = shifted(change.before.as_ref(), change.after.as_ref()) {
            told = queue.places_between(&low, high.as_ref())?;
        }
        if let (Some((id, handover)), Some(before), Some(after)) =
            (moved, &change.before, &change.after)
        {
            if before != after {
                told.push((id.to_string(), handover, queue.position(after)?));
            }
        }
        // A few at a time: each is a call to another object.
        for chunk in told.chunks(TELL_AT_ONCE) {
            join_all(chunk.iter().map(|(id, handover, place)| {
                let news = QueueNews {
                    handover: *handover,
                    reply: QueueReply::Queued { position: *place },
                };
                async move { self.tell(id, &news).await }
            }))
            .await;
        }
        Ok(())
    }

    /// Where its assistant auto-assigns, gives waiting handovers, oldest first, to agents
    /// who can take them now (one came online, finished a chat, or the settings changed).
    /// Routing only proposes: the conversation decides, and reports back with an update.
    async fn assign_waiting(&self, stores: &Stores) -> ApiResult<()> {
        let queue = &stores.queue;
        let mut settings = HashMap::new();
        let mut candidates = None;
        for entry in queue.unreserved_waiting()? {
            // Each handover follows its own assistant's settings.
            let assistant = entry.handover.assistant.clone();
            if !settings.contains_key(&assistant) {
                settings.insert(assistant.clone(), stores.settings.get(&assistant)?);
            }
            let rules = &settings[&assistant];
            let Assignment::AutoAssign { max_chats } = rules.assignment else {
                continue;
            };
            if candidates.is_none() {
                candidates = Some(self.candidates(stores)?);
            }
            let agents = candidates.as_deref().unwrap_or_default();
            // Nobody online has room: nothing more can be given now.
            if !agents
                .iter()
                .any(|c| c.presence == Presence::Online && c.open_chats < max_chats)
            {
                continue;
            }
            // The calls below let other events in: this one may have moved on meanwhile.
            let Some(now_entry) = queue.entry(&entry.conversation_id)? else {
                continue;
            };
            if now_entry.handover.status != HandoverStatus::Pending {
                continue;
            }
            let key: QueueKey = (
                now_entry.handover.requested_at,
                entry.conversation_id.clone(),
            );
            let answer = route(rules, &now_entry.handover, agents, queue.position(&key)?);
            if let QueueAnswer::Assigned { agent } = &answer {
                queue.reserve(&entry.conversation_id, &agent.id)?;
                // Loads changed: asked again for the next one.
                candidates = None;
                let news = QueueNews {
                    handover: now_entry.handover.id,
                    reply: answer.into(),
                };
                self.tell(&entry.conversation_id, &news).await?;
            }
        }
        Ok(())
    }

    /// Gives the next batch of news of an assistant (its settings or its knowledge
    /// changed); true when more is left for another alarm.
    async fn give_assistant_news(&self, stores: &Stores) -> ApiResult<bool> {
        let news = stores.readers.take()?;
        let mut copies = HashMap::new();
        for n in &news {
            if !copies.contains_key(&n.assistant) {
                copies.insert(n.assistant.clone(), assistant_news(stores, &n.assistant)?);
            }
        }
        join_all(news.iter().map(|n| async {
            let call = async {
                let stub = internal::conversation(&self.env, &n.conversation_id)?;
                internal::call::<serde_json::Value>(&stub, "/assistant", &copies[&n.assistant])
                    .await
            };
            // A conversation that missed it reads its assistant again when its copy expires.
            if let Err(e) = call.await {
                worker::console_error!("assistant news to {} failed: {e:?}", n.conversation_id);
            }
        }))
        .await;
        Ok(news.len() == readers::NEWS_BATCH)
    }

    /// The queue's later word to a conversation; a failure is logged, not passed on, since
    /// the caller's own change is already made.
    /// An inbox socket went: its agent's grace starts if it was their last.
    async fn inbox_gone(&self, ws: &WebSocket) {
        if let Err(e) = self.inbox_closed(ws).await {
            worker::console_error!("inbox closed: {e:?}");
        }
    }

    /// Someone is no longer there: a waiting handover that nobody available may take
    /// now gets what the settings say for that case (the no-agent message when only
    /// online agents count; with offline agents allowed it keeps waiting for them).
    async fn reroute_waiting(&self, stores: &Stores) -> ApiResult<()> {
        let queue = &stores.queue;
        let candidates = self.candidates(stores)?;
        for entry in queue.unreserved_waiting()? {
            let key: QueueKey = (entry.handover.requested_at, entry.conversation_id.clone());
            let rules = stores.settings.get(&entry.handover.assistant)?;
            let answer = route(&rules, &entry.handover, &candidates, queue.position(&key)?);
            if answer == QueueAnswer::NoAgent {
                let news = QueueNews {
                    handover: entry.handover.id,
                    reply: answer.into(),
                };
                self.tell(&entry.conversation_id, &news).await?;
            }
        }
        Ok(())
    }

    async fn tell(&self, conversation_id: &str, news: &QueueNews) -> ApiResult<()> {
        let stub = internal::conversation(&self.env, conversation_id)?;
        if let Err(e) = internal::call::<serde_json::Value>(&stub, "/queue/news", news).await {
            worker::console_error!("telling {conversation_id} the queue's news failed: {e:?}");
        }
        Ok(())
    }
}

/// What a conversation holds of `assistant`: its settings and knowledge revision.
fn assistant_news(stores: &Stores, assistant: &str) -> ApiResult<AssistantNews> {
    Ok(AssistantNews {
        assistant: assistant.to_string(),
        settings: stores.settings.get(assistant)?,
        knowledge: stores.knowledge.revision(assistant)?,
        agents: stores.accounts.standings()?,
        teams: stores.accounts.teams()?,
    })
}

/// Every team and active agent, for the inbox's transfer choices.
fn directory(stores: &Stores) -> ApiResult<Directory> {
    Ok(Directory {
        teams: stores.accounts.teams()?,
        agents: stores
            .accounts
            .rows()?
            .iter()
            .filter_map(|row| {
                let member = row.member().ok()?;
                (member.status == Status::Active).then(|| DirectoryAgent {
                    agent: row.agent(),
                    teams: member.teams,
                })
            })
            .collect(),
    })
}

/// How many ended handovers the inbox's "Closed" tab lists.
const ENDED_SHOWN: usize = 50;
/// How many of a browser's other chats the summary panel lists.
const EARLIER_SHOWN: usize = 10;

/// How many waiting conversations are told their new places at once.
const TELL_AT_ONCE: usize = 25;

/// `?assistant=` of a settings call (the router checked it), and for a conversation's
/// read, `&reader=` its id.
#[derive(Deserialize)]
struct SettingsQuery {
    assistant: String,
    reader: Option<String>,
}

#[derive(Deserialize)]
struct VisitorQuery {
    visitor: String,
    /// The conversation asking, left out of its browser's list.
    conversation: String,
}

#[derive(Deserialize)]
struct StartQuery {
    assistant: String,
    reader: String,
    /// `None`: no address names one client (see `internal::client_address`).
    client: Option<String>,
}
