//! Carrying out the state machine's effects: storing and broadcasting messages, talking
//! to the assistant and the workspace's queue, and setting the alarm for timers.

use super::store::Store;
use super::ConversationObject;
use crate::assistant;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, AssistantRated, HandoverUpdate, QueueReply, QueueRequest};
use crate::knowledge;
use crate::socket::{send, send_all};
use baton_shared::handover::{Effect, Event, QueueAnswer};
use baton_shared::protocol::{Author, HandoverRecord, Message, Millis, Rating, ServerFrame};
use std::collections::VecDeque;
use worker::WebSocket;

/// Effects that need a round trip to another object or the runtime; done after the
/// state is saved.
enum Later {
    /// The external bot is asked after the visitor's message is stored and shown; its
    /// answer comes back as a follow-up event, like the queue's.
    AskBot(String),
    RequestAgent(HandoverRecord),
    Notify(HandoverRecord),
    Rated(Rating),
    Wake(Millis),
}

/// Who sent the event being run, when it is a post: its `client_id` and, over a
/// WebSocket, the socket, which gets an `ack` instead of its own words back.
#[derive(Default)]
pub(super) struct Sender<'a> {
    pub client_id: Option<String>,
    pub socket: Option<&'a WebSocket>,
}

/// What a post stored for its sender.
pub(super) enum Posted {
    Fresh(Message),
    /// The same `client_id` was stored before: a resend after a reconnect.
    Again(Message),
    /// The event was no post.
    Nothing,
}

impl ConversationObject {
    /// Feeds `event` to the state machine and carries out the effects, then the follow-up
    /// events (the queue's answer) until none is left. The state and the messages of one
    /// event are written with no await in between, so concurrent requests see either all
    /// of it or none. A post's words are its first effect, and their insert finds a
    /// resend by its `client_id`: then nothing of the event happens, and two sends of
    /// one message store it once.
    pub(super) async fn run(
        &self,
        store: &Store,
        event: Event,
        from: Sender<'_>,
    ) -> ApiResult<Posted> {
        let id = store.id()?;
        let assistant = store.machine()?.assistant().to_string();
        let copy = self.assistant.get(&self.env, &id, &assistant).await?;
        let settings = &copy.settings;
        // Only a visitor's words ask the built-in assistant: its index is at hand before
        // the event runs, which then has no await until its state is saved.
        let kb = match (&event, &settings.bot_url) {
            (Event::Visitor { .. }, None) => Some(
                knowledge::index(&self.env, &self.knowledge, &assistant, copy.knowledge).await?,
            ),
            _ => None,
        };
        // Who posts what: a `client_id` names one sender's message, so only the same
        // words from the same sender count as a resend of it.
        let (sender, said) = match &event {
            Event::Visitor { text } => (Some(Author::Visitor), text.trim().to_string()),
            Event::Agent { agent, text } => {
                (Some(Author::Agent(agent.clone())), text.trim().to_string())
            }
            _ => (None, String::new()),
        };
        let resend = |stored: Message| -> ApiResult<Posted> {
            let same = sender
                .as_ref()
                .is_some_and(|a| same_author(a, &stored.author))
                && stored.text == said;
            if same {
                Ok(resent(stored, from.socket))
            } else {
                Err(ApiError::Conflict(format!(
                    "client_id {:?} already names another message in this conversation; send this one with a new client_id",
                    stored.client_id.unwrap_or_default()
                )))
            }
        };
        let mut posted = Posted::Nothing;
        let mut events = VecDeque::from([event]);
        let mut first = true;
        while let Some(event) = events.pop_front() {
            let at = now();
            let mut machine = store.running_machine(settings)?;
            let effects = match machine.handle(settings, at, event) {
                Ok(effects) => effects,
                Err(refusal) if first => {
                    // A resend of what was stored before things moved on (the holder's
                    // last words, resent after the handover ended) still finds it.
                    let stored = match &from.client_id {
                        Some(cid) => store.by_client_id(cid)?,
                        None => None,
                    };
                    // Someone else's message under that id is no excuse: the refusal stands.
                    return match stored {
                        Some(m) if sender.as_ref().is_some_and(|a| same_author(a, &m.author)) => {
                            resend(m)
                        }
                        _ => Err(ApiError::Refused(refusal)),
                    };
                }
                Err(refusal) => {
                    worker::console_error!("follow-up event refused: {refusal}");
                    continue;
                }
            };
            let mut later = Vec::new();
            let mut effects = VecDeque::from(effects);
            let mut carried_out = 0;
            while let Some(effect) = effects.pop_front() {
                carried_out += 1;
                match effect {
                    Effect::Post { author, text } => {
                        let mine =
                            matches!(posted, Posted::Nothing) && sender.as_ref() == Some(&author);
                        let cid = if mine {
                            from.client_id.as_deref()
                        } else {
                            None
                        };
                        let Some(message) = store.append(at, &author, &text, cid, false)? else {
                            // A resend: the machine's turn is dropped, unsaved.
                            if carried_out > 1 {
                                return Err(ApiError::Internal(
                                    "a resend was found after its event's first effect".into(),
                                ));
                            }
                            let stored =
                                store
                                    .by_client_id(cid.unwrap_or_default())?
                                    .ok_or_else(|| {
                                        ApiError::Internal(
                                            "a client_id stored and not found".into(),
                                        )
                                    })?;
                            return resend(stored);
                        };
                        let to_others = ServerFrame::Message(message.clone());
                        match from.socket.filter(|_| mine) {
                            Some(ws) => {
                                send(ws, &ack(&message));
                                self.broadcast(&to_others, Some(ws));
                            }
                            None => self.broadcast(&to_others, None),
                        }
                        if mine {
                            posted = Posted::Fresh(message);
                        }
                    }
                    Effect::AskAssistant { question } if settings.bot_url.is_some() => {
                        later.push(Later::AskBot(question));
                    }
                    Effect::AskAssistant { question } => {
                        let kb = kb.as_deref().ok_or_else(|| {
                            ApiError::Internal(
                                "the assistant was asked outside a visitor's event".into(),
                            )
                        })?;
                        let reply = assistant::answer(kb, &question);
                        let more = machine
                            .handle(&settings, at, Event::Assistant(reply))
                            .map_err(|r| {
                                ApiError::Internal(format!("assistant reply refused: {r}"))
                            })?;
                        effects.extend(more);
                    }
                    Effect::Handover(record) => {
                        store.save_handover(&record)?;
                        later.push(Later::Notify(record));
                    }
                    Effect::RequestAgent { handover } => {
                        // The request carries the record, and the queue lists it only if
                        // someone can take it: no separate update for it.
                        later.retain(|job| !matches!(job, Later::Notify(r) if r.id == handover.id));
                        later.push(Later::RequestAgent(handover));
                    }
                    Effect::State(state) => self.broadcast(&ServerFrame::State(state), None),
                    Effect::Rating { open } => self.broadcast(&ServerFrame::Rating { open }, None),
                    Effect::Offline { open } => {
                        self.broadcast(&ServerFrame::Offline { open }, None)
                    }
                    Effect::AssistantRated(rating) => later.push(Later::Rated(rating)),
                    Effect::Wake { at } => later.push(Later::Wake(at)),
                }
            }
            store.save_machine(&machine)?;
            first = false;
            for job in later {
                match job {
                    Later::RequestAgent(handover) => {
                        let answer = self.request_agent(store, &id, &handover).await;
                        events.push_back(Event::Queue {
                            handover: handover.id,
                            answer,
                        });
                    }
                    Later::Notify(handover) => self.notify(&id, handover).await,
                    Later::Rated(rating) => self.tell_rating(&id, &assistant, rating).await,
                    Later::AskBot(question) => {
                        let url = settings.bot_url.as_deref().unwrap_or_default();
                        let reply = assistant::ask_bot(url, &question, &id, &assistant).await;
                        events.push_back(Event::Assistant(reply));
                    }
                    // The machine asks only when the alarm moves earlier.
                    Later::Wake(at) => internal::set_alarm(&self.state, at).await?,
                }
            }
        }
        Ok(posted)
    }

    /// Sends a frame to every socket of the conversation but `except`, written once; a
    /// message the visitor may not read (a note) to the agents' sockets only.
    pub(super) fn broadcast(&self, frame: &ServerFrame, except: Option<&WebSocket>) {
        let mut sockets = match frame {
            ServerFrame::Message(m) if !m.visitor_reads() => {
                self.state.get_websockets_with_tag("agent")
            }
            _ => self.state.get_websockets(),
        };
        if let Some(except) = except {
            let except: &worker::web_sys::WebSocket = except.as_ref();
            sockets.retain(|ws| AsRef::<worker::web_sys::WebSocket>::as_ref(ws) != except);
        }
        send_all(&sockets, frame);
    }

    async fn request_agent(
        &self,
        store: &Store,
        id: &str,
        handover: &HandoverRecord,
    ) -> QueueAnswer {
        let ask = async {
            let request = QueueRequest {
                conversation_id: id.to_string(),
                handover: handover.clone(),
                preview: store.last_visitor_text()?,
            };
            let workspace = internal::workspace(&self.env)?;
            internal::call::<QueueReply>(&workspace, "/queue/request", &request).await
        };
        match ask.await {
            Ok(reply) => reply.into(),
            Err(e) => {
                // The visitor is better told "no one is available" than left waiting on
                // a queue that never heard of them.
                worker::console_error!("queue request failed: {e:?}");
                QueueAnswer::NoAgent
            }
        }
    }

    async fn notify(&self, id: &str, handover: HandoverRecord) {
        let update = HandoverUpdate {
            conversation_id: id.to_string(),
            handover,
        };
        self.tell_workspace("/queue/update", &update).await;
    }

    /// The analytics count the assistant's ratings: the workspace keeps them. The machine
    /// keeps its own copy, so a failed call loses nothing stored.
    async fn tell_rating(&self, id: &str, assistant: &str, rating: Rating) {
        let rated = AssistantRated {
            conversation_id: id.to_string(),
            assistant: assistant.to_string(),
            rating,
        };
        self.tell_workspace("/ratings", &rated).await;
    }

    /// Tells the workspace what it keeps a copy of; a failure is logged, since what the
    /// conversation stored stands either way.
    async fn tell_workspace(&self, path: &str, body: &impl serde::Serialize) {
        let call = async {
            let workspace = internal::workspace(&self.env)?;
            internal::call::<serde_json::Value>(&workspace, path, body).await
        };
        if let Err(e) = call.await {
            worker::console_error!("{path} failed: {e:?}");
        }
    }
}

/// The same sender: the visitor, or the same agent (by id: a renamed agent's resend is
/// still theirs).
pub(super) fn same_author(a: &Author, b: &Author) -> bool {
    match (a, b) {
        (Author::Agent(x), Author::Agent(y)) => x.id == y.id,
        _ => a == b,
    }
}

/// A resend of `stored`: its sender's socket hears the same ack again.
fn resent(stored: Message, socket: Option<&WebSocket>) -> Posted {
    if let Some(ws) = socket {
        send(ws, &ack(&stored));
    }
    Posted::Again(stored)
}

/// What the sender of `message` hears back: that it is stored, and as which `seq`.
fn ack(message: &Message) -> ServerFrame {
    ServerFrame::Ack {
        client_id: message.client_id.clone().unwrap_or_default(),
        seq: message.seq,
    }
}
