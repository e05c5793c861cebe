//! Carrying out the state machine's effects: storing and broadcasting messages, talking
//! to the assistant and the workspace's queue, and setting the alarm for timers.

use super::store::Store;
use super::ConversationObject;
use crate::assistant;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, HandoverUpdate, QueueReply, QueueRequest};
use baton_shared::handover::{Effect, Event, QueueAnswer, Settings};
use baton_shared::protocol::{Author, HandoverRecord, Message, Millis, ServerFrame};
use std::collections::VecDeque;

/// How long a conversation keeps the settings it read (see `settings`).
const SETTINGS_FRESH_MS: u64 = 10_000;

/// Effects that need a round trip to another object or the runtime; done after the
/// state is saved.
enum Later {
    /// The external bot is asked after the visitor's message is stored and shown; its
    /// answer comes back as a follow-up event, like the queue's.
    AskBot(String),
    RequestAgent(HandoverRecord),
    Notify(HandoverRecord),
    Wake(Millis),
}

impl ConversationObject {
    /// Feeds `event` to the state machine and carries out the effects, then the follow-up
    /// events (the queue's answer) until none is left. Returns the message stored for the
    /// sender of a post. The state and the messages of one event are written with no
    /// await in between, so concurrent requests see either all of it or none.
    pub(super) async fn run(
        &self,
        store: &Store,
        event: Event,
        client_id: Option<String>,
    ) -> ApiResult<Option<Message>> {
        let id = store.id()?;
        let settings = self.settings(store.machine()?.assistant()).await?;
        let sender = match &event {
            Event::Visitor { .. } => Some(Author::Visitor),
            Event::Agent { agent, .. } => Some(Author::Agent(agent.clone())),
            _ => None,
        };
        let mut sent = None;
        let mut events = VecDeque::from([event]);
        let mut first = true;
        while let Some(event) = events.pop_front() {
            let at = now();
            let mut machine = store.machine()?;
            let effects = match machine.handle(&settings, at, event) {
                Ok(effects) => effects,
                Err(refusal) if first => return Err(ApiError::Refused(refusal)),
                Err(refusal) => {
                    worker::console_error!("follow-up event refused: {refusal}");
                    continue;
                }
            };
            let mut later = Vec::new();
            let mut effects = VecDeque::from(effects);
            while let Some(effect) = effects.pop_front() {
                match effect {
                    Effect::Post { author, text } => {
                        let mine = sent.is_none() && sender.as_ref() == Some(&author);
                        let cid = if mine { client_id.as_deref() } else { None };
                        let message = store.append(at, &author, &text, cid)?;
                        self.broadcast(&ServerFrame::Message(message.clone()));
                        if mine {
                            sent = Some(message);
                        }
                    }
                    Effect::AskAssistant { question } if settings.bot_url.is_some() => {
                        later.push(Later::AskBot(question));
                    }
                    Effect::AskAssistant { question } => {
                        let reply = assistant::answer(&question);
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
                    Effect::State(state) => self.broadcast(&ServerFrame::State(state)),
                    Effect::Rating { open } => self.broadcast(&ServerFrame::Rating { open }),
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
                    Later::AskBot(question) => {
                        let url = settings.bot_url.as_deref().unwrap_or_default();
                        let assistant = machine.assistant();
                        let reply = assistant::ask_bot(url, &question, &id, assistant).await;
                        events.push_back(Event::Assistant(reply));
                    }
                    Later::Wake(at) => internal::set_alarm(&self.state, at).await?,
                }
            }
        }
        Ok(sent)
    }

    /// The conversation's assistant's settings. Read from the workspace at most every
    /// [`SETTINGS_FRESH_MS`] while this object stays in memory, so that a conversation's
    /// messages do not each call the workspace (one object for all conversations): an
    /// admin's change reaches a busy conversation within that time.
    pub(super) async fn settings(&self, assistant: &str) -> ApiResult<Settings> {
        let at = now();
        if let Some((read, settings)) = self.settings.borrow().as_ref() {
            if at.0.saturating_sub(read.0) < SETTINGS_FRESH_MS {
                return Ok(settings.clone());
            }
        }
        let path = format!("/settings?assistant={assistant}");
        let settings: Settings = internal::get(&internal::workspace(&self.env)?, &path).await?;
        *self.settings.borrow_mut() = Some((at, settings.clone()));
        Ok(settings)
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
        let call = async {
            let workspace = internal::workspace(&self.env)?;
            internal::call::<serde_json::Value>(&workspace, "/queue/update", &update).await
        };
        if let Err(e) = call.await {
            worker::console_error!("queue update failed: {e:?}");
        }
    }
}
