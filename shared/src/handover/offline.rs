//! Leaving a message when nobody is available: after the no-agent message (nobody
//! eligible, or nobody within the queue timeout) the visitor may leave their email and a
//! message. It becomes a handover with trigger `offline_message` that waits in the queue
//! for whoever comes online, with no timeout and whether or not the visitor stays; the
//! holder's replies are stored as usual (the visitor reads them when they come back) and
//! the latest goes on the record, for the owner's webhook receiver to email.

use super::form::looks_like_email;
use super::messages::render;
use super::{checked_text, Conversation, Mode, Refusal, Settings, Turn};
use crate::protocol::{Author, FormAnswers, LeftMessage, Millis, Trigger};

impl Conversation {
    pub(super) fn on_leave_message(
        &mut self,
        settings: &Settings,
        now: Millis,
        email: String,
        text: String,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        if !self.offline || !matches!(self.mode, Mode::Bot { .. } | Mode::Closed) {
            return Err(Refusal::NoMessageAsked);
        }
        let email = email.trim().to_string();
        if !looks_like_email(&email) || email.chars().count() > 200 {
            return Err(Refusal::FormField {
                field: "email",
                problem: "this does not look like an email address",
            });
        }
        let text = checked_text(text)?;
        turn.post(Author::Visitor, text.clone());
        let answers = self.visitor.get_or_insert_with(FormAnswers::default);
        answers.email = Some(email.clone());
        let record = self.open_handover(settings, now, Trigger::OfflineMessage, None, turn);
        record.left_message = Some(LeftMessage {
            email,
            text,
            reply: None,
        });
        turn.notice(render(&settings.messages.message_left, &[]));
        Ok(())
    }
}
