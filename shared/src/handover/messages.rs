//! Every notice the visitor can get, and how placeholders are filled in. An empty
//! message is not sent.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Messages {
    /// The greeting the widget shows when it opens on a new conversation ([`welcome`]).
    ///
    /// [`welcome`]: super::welcome
    pub welcome: String,
    /// A handover was queued: "connecting you to a person".
    pub handover: String,
    /// The visitor's place in the queue, sent when it is first known and when it moves.
    /// `{position}`: 1 = next.
    pub queue_position: String,
    /// An agent took the conversation (when `notify_agent_assigned` is on). `{agent}`.
    pub agent_assigned: String,
    /// The conversation went to an offline agent. `{agent}`.
    pub offline_agent: String,
    /// Nobody can take the handover, or nobody did within the queue timeout.
    pub no_agent: String,
    /// The assistant does not know and there is no handover.
    pub dont_know: String,
    /// The handover ended or the visitor cancelled it.
    pub back_to_assistant: String,
    /// The agent closed the chat.
    pub closed: String,
    /// The holder was silent too long and the conversation went back to the queue.
    /// `{agent}`: the holder.
    pub holder_silent: String,
    /// The holder transferred the conversation. `{agent}`: the holder.
    pub transferred: String,
    /// The suggestion step. `{suggestions}`: the closest answers, one per line.
    pub suggestions: String,
    /// Sent with the pre-handover form.
    pub form: String,
    /// Sent after a resolved handover when `rating` is on.
    pub rating_prompt: String,
    /// The visitor left a message for the team, nobody being available.
    pub message_left: String,
}

/// A placeholder a message may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placeholder {
    Agent,
    Position,
    Suggestions,
    /// The name the pre-handover form gave; only saved replies use it (`crate::replies`).
    VisitorName,
}

impl Placeholder {
    pub const ALL: [Placeholder; 4] = [
        Placeholder::Agent,
        Placeholder::Position,
        Placeholder::Suggestions,
        Placeholder::VisitorName,
    ];

    pub fn token(self) -> &'static str {
        match self {
            Placeholder::Agent => "{agent}",
            Placeholder::Position => "{position}",
            Placeholder::Suggestions => "{suggestions}",
            Placeholder::VisitorName => "{visitor_name}",
        }
    }
}

impl Messages {
    /// Each message with its field name and the placeholders it may use.
    pub fn each(&self) -> [(&'static str, &str, &'static [Placeholder]); 15] {
        use Placeholder::*;
        [
            ("welcome", &self.welcome, &[]),
            ("handover", &self.handover, &[]),
            ("queue_position", &self.queue_position, &[Position]),
            ("agent_assigned", &self.agent_assigned, &[Agent]),
            ("offline_agent", &self.offline_agent, &[Agent]),
            ("no_agent", &self.no_agent, &[]),
            ("dont_know", &self.dont_know, &[]),
            ("back_to_assistant", &self.back_to_assistant, &[]),
            ("closed", &self.closed, &[]),
            ("holder_silent", &self.holder_silent, &[Agent]),
            ("transferred", &self.transferred, &[Agent]),
            ("suggestions", &self.suggestions, &[Suggestions]),
            ("form", &self.form, &[]),
            ("rating_prompt", &self.rating_prompt, &[]),
            ("message_left", &self.message_left, &[]),
        ]
    }
}

/// Fills `template`'s placeholders in one pass, so a value that itself looks like a
/// placeholder (an agent called "{position}") stays as written. `None` when the
/// template is blank: that message is off.
pub fn render(template: &str, values: &[(Placeholder, &str)]) -> Option<String> {
    if template.trim().is_empty() {
        return None;
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    'scan: while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        for (placeholder, value) in values {
            if let Some(after) = rest.strip_prefix(placeholder.token()) {
                out.push_str(value);
                rest = after;
                continue 'scan;
            }
        }
        out.push('{');
        rest = &rest[1..];
    }
    out.push_str(rest);
    Some(out)
}

impl Default for Messages {
    fn default() -> Self {
        Messages {
            welcome: "Hi! How can we help you today?".into(),
            handover: "Connecting you to a person. Please stay here; everything you write \
                       will be read."
                .into(),
            queue_position: "You are number {position} in the queue.".into(),
            agent_assigned: "{agent} has joined the conversation.".into(),
            offline_agent: String::new(),
            no_agent: "Sorry, no one is available right now. You can keep chatting with the \
                       assistant."
                .into(),
            dont_know: "Sorry, I don't know the answer to that.".into(),
            back_to_assistant: "You're back with the assistant.".into(),
            closed: "This chat is closed. Write again any time to reopen it.".into(),
            holder_silent: "{agent} had to step away. We're finding someone else; please \
                            stay here."
                .into(),
            transferred: "{agent} is passing you to a colleague. Please stay here.".into(),
            suggestions: "I'm not sure I understood. Did you mean:\n{suggestions}".into(),
            form: "Before we connect you, please tell us who you are.".into(),
            rating_prompt: "How did we do? Please rate this conversation from 1 to 5.".into(),
            message_left: "Thank you, your message is with the team. We will answer by \
                           email, and here if you come back."
                .into(),
        }
    }
}
