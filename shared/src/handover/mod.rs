//! The handover rulebook. A [`Conversation`] takes an [`Event`] with the current time and
//! returns the [`Effect`]s its owner must carry out, in order, or a [`Refusal`] that
//! changed nothing. Every rule about who may speak, who holds the conversation and what
//! the visitor is told lives here and nowhere else. Timers are effects too: the machine
//! asks to be woken ([`Effect::Wake`]) and decides on [`Event::Tick`] what is due.

mod bot;
mod form;
mod holder;
mod messages;
mod named;
mod offline;
mod origins;
mod phrases;
mod places;
mod queue;
mod rating;
mod refusal;
mod routing;
mod settings;
mod silence;
#[cfg(test)]
mod tests;
mod validate;
mod welcome;

pub use messages::{render, Messages, Placeholder};
pub use named::Named;
pub use origins::{origin_problem, MAX_ORIGINS};
pub use phrases::{asks_for_person, DEFAULT_REQUEST_PHRASES};
pub use places::{shifted, QueueKey};
pub use refusal::{Refusal, WaitingFor};
pub use routing::{may_take, route, Candidate, QueueAnswer};
pub use settings::{Assignment, AssistantMode, Availability, Eligible, Routing, Settings};
pub use silence::{Silence, SilenceQuery};
pub(crate) use validate::placeholders_in;
pub use welcome::{welcome, QueueNow};

use crate::protocol::{
    AgentRef, Author, ConversationKind, ConversationState, FormAnswers, HandoverRecord, Millis,
    PreHandoverForm, Rating, StartConversation, TransferTarget, Trigger, DEFAULT_ASSISTANT,
};
use rating::AssistantRating;
use serde::{Deserialize, Serialize};

/// The durable state of one conversation's handovers. Serialised by its owner after
/// every accepted event that changed it; the silent holder's clock is left out and read
/// back from the history on load ([`Conversation::resume_silence`]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Conversation {
    #[serde(default)]
    kind: ConversationKind,
    /// The visitor's language, for routing to a team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    /// Whose settings apply; `None` for the default assistant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assistant: Option<String>,
    mode: Mode,
    /// The latest handover, open or ended; the next one gets the next id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handover: Option<HandoverRecord>,
    /// The pre-handover form's answers, once given; the form is asked once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    visitor: Option<FormAnswers>,
    /// When the visitor's last connection closed; `None` while connected. Away for
    /// `visitor_leave_secs` of an open handover, they have left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    away_since: Option<Millis>,
    /// The wake-up last asked for ([`Effect::Wake`]) and not yet spent by a tick: a
    /// deadline later than it needs no new alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alarm: Option<Millis>,
    /// The rating of the assistant by a visitor it alone answered.
    #[serde(default, skip_serializing_if = "AssistantRating::is_unasked")]
    assistant_rating: AssistantRating,
    /// Nobody was available for the last request: the visitor may leave a message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    offline: bool,
}

/// What is happening now. `Requesting`, `Pending` and `Assigned` have an open
/// `handover`; the other modes have none.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "mode", rename_all = "snake_case")]
enum Mode {
    Bot {
        /// The suggestion step was offered for the last unknown question; the next
        /// unknown one goes to a person.
        #[serde(default)]
        suggested: bool,
    },
    /// Asking for the pre-handover form; the handover `trigger` started follows it.
    Form {
        trigger: Trigger,
        form: PreHandoverForm,
    },
    /// A trigger fired; the workspace's queue has not yet said whether anyone can take
    /// it. The visitor is not told yet, so that "connecting you" is never followed by
    /// "no one is available" for the same request.
    Requesting { deadline: Option<Millis> },
    /// Waiting for a person; the visitor was told. `deadline`: the queue timeout.
    Pending {
        deadline: Option<Millis>,
        /// The place the visitor was last told.
        position: Option<u32>,
    },
    /// The record's holder answers. `deadline`: when a silent holder loses it; only
    /// armed for a holder who took it online. Not stored: it is read back from the
    /// history when the conversation is loaded (`silence.rs`).
    Assigned {
        online: bool,
        #[serde(skip)]
        deadline: Option<Millis>,
    },
    /// The holder closed the chat; nobody answers until the visitor writes again.
    Closed,
}

impl Default for Mode {
    fn default() -> Self {
        Mode::Bot { suggested: false }
    }
}

/// What the assistant made of a visitor's message.
#[derive(Clone, Debug, PartialEq)]
pub enum AssistantReply {
    Answer(String),
    /// No confident answer; `suggestions` are its closest known questions, best first,
    /// for the suggestion step.
    Unknown {
        suggestions: Vec<String>,
    },
    /// The assistant's own flow asks for a person: a knowledge-base entry that is a
    /// handover step, or an external bot's handover request. `say` comes first.
    Handover {
        say: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Visitor {
        text: String,
    },
    /// The answer to [`Effect::AskAssistant`].
    Assistant(AssistantReply),
    /// The visitor submitted the pre-handover form.
    Form {
        answers: FormAnswers,
    },
    /// The visitor stops waiting (or leaves the form).
    Cancel,
    /// The queue's answer to [`Effect::RequestAgent`] for handover `handover`, or its
    /// later word on it while it waits.
    Queue {
        handover: u32,
        answer: QueueAnswer,
    },
    /// An agent, member of `teams` (ids), claims the conversation.
    Claim {
        agent: AgentRef,
        teams: Vec<String>,
    },
    Agent {
        agent: AgentRef,
        text: String,
    },
    /// The holder hands the conversation on.
    Transfer {
        agent: AgentRef,
        to: TransferTarget,
        reason: String,
    },
    /// The holder ends the handover: back to the assistant. `note`: what was settled,
    /// for whoever takes the conversation next (blank: none).
    End {
        agent: AgentRef,
        note: String,
    },
    /// The holder ends the handover and closes the chat, with a note as for `End`.
    Close {
        agent: AgentRef,
        note: String,
    },
    /// The visitor rates the last resolved handover, or the assistant alone.
    Rate {
        score: u8,
        comment: Option<String>,
    },
    /// The visitor leaves a message and their email, nobody being available.
    LeaveMessage {
        email: String,
        text: String,
    },
    /// The visitor's last connection closed. If they are not back within
    /// `visitor_leave_secs`, an open handover ends: they left.
    VisitorAway,
    /// A connection of the visitor's opened.
    VisitorBack,
    /// The alarm set by [`Effect::Wake`] went off (or any time: nothing not yet due
    /// happens).
    Tick,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Store this message (the owner assigns its sequence number) and send it to everyone
    /// watching the conversation.
    Post { author: Author, text: String },
    /// Ask the assistant; feed its reply back as [`Event::Assistant`].
    AskAssistant { question: String },
    /// The handover record changed (or was created): store it and tell the workspace.
    Handover(HandoverRecord),
    /// Ask the workspace queue for an agent for this record (just reported by
    /// [`Effect::Handover`]); feed the answer back as [`Event::Queue`].
    RequestAgent { handover: HandoverRecord },
    /// Who answers the visitor changed: tell everyone watching.
    State(ConversationState),
    /// The visitor may now rate the handover that ended or the assistant (`open`), or no
    /// longer may: the widget shows or hides its rating.
    Rating { open: bool },
    /// The visitor rated a chat the assistant answered alone: store it and tell the
    /// workspace (a handover's rating comes on its record instead).
    AssistantRated(Rating),
    /// The visitor may now leave a message for the team (`open`), or no longer may: the
    /// widget shows or hides its form.
    Offline { open: bool },
    /// Feed [`Event::Tick`] at `at` or later; replaces any earlier wake-up.
    Wake { at: Millis },
}

impl Conversation {
    pub fn new(start: StartConversation) -> Self {
        Conversation {
            kind: start.kind,
            language: start.language,
            assistant: start.assistant,
            ..Conversation::default()
        }
    }

    /// The assistant whose settings the conversation follows.
    pub fn assistant(&self) -> &str {
        self.assistant.as_deref().unwrap_or(DEFAULT_ASSISTANT)
    }

    /// Who answers the visitor, as clients see it. A request still waiting for the
    /// queue's answer shows as the assistant's, since nothing was promised yet.
    pub fn state(&self) -> ConversationState {
        match &self.mode {
            Mode::Bot { .. } | Mode::Requesting { .. } => ConversationState::Bot,
            Mode::Closed => ConversationState::Closed,
            Mode::Form { form, .. } => ConversationState::Form { form: *form },
            Mode::Pending { .. } => ConversationState::Pending,
            Mode::Assigned { .. } => ConversationState::Assigned {
                agent: self.holder().clone(),
            },
        }
    }

    /// Whether `author`'s typing is shown to the other side: the visitor's always (to the
    /// agents watching), an agent's only while they hold the conversation.
    pub fn shows_typing(&self, author: &Author) -> bool {
        match author {
            Author::Visitor => true,
            Author::Agent(agent) => {
                matches!(self.mode, Mode::Assigned { .. }) && self.holder() == agent
            }
            Author::Assistant | Author::System => false,
        }
    }

    /// The visitor's last connection closed and they have not been back since.
    pub fn visitor_away(&self) -> bool {
        self.away_since.is_some()
    }

    /// The latest handover, open or ended.
    pub fn handover(&self) -> Option<&HandoverRecord> {
        self.handover.as_ref()
    }

    /// Applies `event` at `now`. On success the effects come in this order: messages and
    /// questions, the changed record, the request for an agent, the new state, whether a
    /// rating is open, the wake-up.
    pub fn handle(
        &mut self,
        settings: &Settings,
        now: Millis,
        event: Event,
    ) -> Result<Vec<Effect>, Refusal> {
        // Transitions work on a copy, so a refusal anywhere leaves `self` untouched.
        let mut next = self.clone();
        let mut turn = Turn::default();
        // A tick means the alarm went off, so a deadline still ahead (an alarm that fired
        // early) must be asked for again, or that timer would never fire.
        let alarm_spent = event == Event::Tick;
        next.apply(settings, now, event, &mut turn)?;
        let mut effects = turn.effects;
        if next.handover != self.handover {
            let record = next
                .handover
                .as_mut()
                .expect("a handover, once started, is never forgotten");
            record.revision = match &self.handover {
                Some(old) if old.id == record.id => old.revision + 1,
                _ => 1,
            };
            effects.push(Effect::Handover(record.clone()));
        }
        if turn.request_agent {
            effects.push(Effect::RequestAgent {
                handover: next.open().clone(),
            });
        }
        if next.state() != self.state() {
            effects.push(Effect::State(next.state()));
        }
        let rating = next.rating_open(settings);
        if rating != self.rating_open(settings) {
            effects.push(Effect::Rating { open: rating });
        }
        if next.offline != self.offline {
            effects.push(Effect::Offline { open: next.offline });
        }
        // The alarm only ever moves earlier. A deadline that moved later (a claim ending
        // the queue timeout, the visitor back before leaving, a silent-holder timer armed
        // again) keeps the alarm set: it goes off early and that tick asks again. So the
        // owner sets an alarm only when it moves earlier, and the next deadline, even one
        // whose alarm is late, is never asked for in the past.
        if alarm_spent {
            next.alarm = None;
        }
        if let Some(at) = next.deadline(settings) {
            if next.alarm.is_none_or(|set| at < set) {
                effects.push(Effect::Wake { at });
                next.alarm = Some(at);
            }
        }
        *self = next;
        Ok(effects)
    }

    fn apply(
        &mut self,
        settings: &Settings,
        now: Millis,
        event: Event,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        match event {
            Event::Visitor { text } => {
                // Whoever writes is here, whatever became of their last connection.
                self.away_since = None;
                self.on_visitor(settings, now, text, turn)
            }
            Event::Assistant(reply) => {
                self.on_assistant(settings, now, reply, turn);
                Ok(())
            }
            Event::Form { answers } => self.on_form(settings, now, answers, turn),
            Event::Cancel => self.on_cancel(settings, now, turn),
            Event::Queue { handover, answer } => {
                self.on_queue(settings, now, handover, answer, turn);
                Ok(())
            }
            Event::Claim { agent, teams } => self.on_claim(settings, now, agent, &teams, turn),
            Event::Agent { agent, text } => self.on_agent(now, agent, text, turn),
            Event::Transfer { agent, to, reason } => {
                self.on_transfer(settings, now, agent, to, reason, turn)
            }
            Event::End { agent, note } => self.on_end(settings, now, agent, note, false, turn),
            Event::Close { agent, note } => self.on_end(settings, now, agent, note, true, turn),
            Event::Rate { score, comment } => self.on_rate(settings, now, score, comment, turn),
            Event::LeaveMessage { email, text } => {
                self.on_leave_message(settings, now, email, text, turn)
            }
            Event::VisitorAway => {
                self.away_since.get_or_insert(now);
                Ok(())
            }
            Event::VisitorBack => {
                self.away_since = None;
                Ok(())
            }
            Event::Tick => {
                self.on_tick(settings, now, turn);
                Ok(())
            }
        }
    }

    /// The next timer due: the mode's own, or the visitor's leaving.
    fn deadline(&self, settings: &Settings) -> Option<Millis> {
        match (self.mode_deadline(), self.leave_deadline(settings)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When an away visitor counts as gone: `visitor_leave_secs` after they went away or
    /// the handover was requested, whichever is later (only an open handover's time
    /// counts).
    fn leave_deadline(&self, settings: &Settings) -> Option<Millis> {
        // A message left for the team waits for its answer however long they are away.
        let away = self
            .away_since
            .filter(|_| self.is_handing_over() && !self.is_left_message())?;
        let from = away.max(self.open().requested_at);
        settings.visitor_leave_secs.map(|s| from.plus_secs(s))
    }

    /// The queue timeout, the silent holder's, or the assistant's rating.
    fn mode_deadline(&self) -> Option<Millis> {
        match self.mode {
            Mode::Requesting { deadline }
            | Mode::Pending { deadline, .. }
            | Mode::Assigned { deadline, .. } => deadline,
            Mode::Bot { .. } => self.assistant_rating_due(),
            Mode::Form { .. } | Mode::Closed => None,
        }
    }

    /// A handover is open: requested, pending or assigned.
    fn is_handing_over(&self) -> bool {
        matches!(
            self.mode,
            Mode::Requesting { .. } | Mode::Pending { .. } | Mode::Assigned { .. }
        )
    }

    /// The open handover is a message the visitor left (trigger `offline_message`): the
    /// visitor is not told of the queue, and their being away ends nothing.
    fn is_left_message(&self) -> bool {
        self.handover
            .as_ref()
            .is_some_and(|h| h.trigger == Trigger::OfflineMessage)
    }

    /// Whether the visitor may leave a message for the team now.
    pub fn takes_a_message(&self) -> bool {
        self.offline
    }

    /// The open handover; only called in the modes that have one.
    fn open(&self) -> &HandoverRecord {
        self.handover
            .as_ref()
            .expect("requesting, pending and assigned always have a handover")
    }

    fn open_mut(&mut self) -> &mut HandoverRecord {
        self.handover
            .as_mut()
            .expect("requesting, pending and assigned always have a handover")
    }

    /// The holder; only called while assigned.
    fn holder(&self) -> &AgentRef {
        self.open()
            .holder
            .as_ref()
            .expect("an assigned handover always has a holder")
    }
}

/// What one event produced so far.
#[derive(Default)]
struct Turn {
    effects: Vec<Effect>,
    request_agent: bool,
}

impl Turn {
    fn post(&mut self, author: Author, text: String) {
        self.effects.push(Effect::Post { author, text });
    }

    /// A system notice, unless the message is turned off (empty).
    fn notice(&mut self, text: Option<String>) {
        if let Some(text) = text {
            self.post(Author::System, text);
        }
    }
}

/// A message's text, trimmed; refused when blank or too long. An agents' private note is
/// checked alike, outside the machine.
pub fn checked_text(text: String) -> Result<String, Refusal> {
    let text = optional_text(text)?;
    text.ok_or(Refusal::EmptyText)
}

/// A note's text (a transfer reason, a rating comment), trimmed; blank is `None`.
fn optional_text(text: String) -> Result<Option<String>, Refusal> {
    let text = text.trim();
    if text.chars().count() > crate::protocol::MAX_TEXT_CHARS {
        return Err(Refusal::TooLong {
            max_chars: crate::protocol::MAX_TEXT_CHARS,
        });
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

/// When a queue timeout started now ends.
fn queue_deadline(settings: &Settings, now: Millis) -> Option<Millis> {
    settings.queue_timeout_secs.map(|s| now.plus_secs(s))
}
