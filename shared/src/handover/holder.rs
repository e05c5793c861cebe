//! The holder's side: replies, transfer, end or close.

use super::messages::{render, Placeholder};
use super::{checked_text, optional_text, Conversation, Mode, Refusal, Settings, Turn};
use crate::protocol::{AgentRef, Author, EndReason, Millis, Transfer, TransferTarget};

impl Conversation {
    /// Only the holder may act as agent; anyone else is told who holds it.
    fn check_holder(&self, agent: &AgentRef) -> Result<(), Refusal> {
        if !matches!(self.mode, Mode::Assigned { .. }) {
            return Err(Refusal::NotAssigned);
        }
        if self.holder().id != agent.id {
            return Err(Refusal::HeldBy(self.holder().clone()));
        }
        Ok(())
    }

    pub(super) fn on_agent(
        &mut self,
        now: Millis,
        agent: AgentRef,
        text: String,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        self.check_holder(&agent)?;
        let text = checked_text(text)?;
        let record = self.open_mut();
        // The owner's webhook receiver emails the visitor who left a message.
        if let Some(left) = &mut record.left_message {
            left.reply = Some(text.clone());
        }
        record.first_reply_at.get_or_insert(now);
        if let Some(holding) = record.holders.last_mut() {
            // The holder's turn is the last one: their first reply in it.
            holding.first_reply_at.get_or_insert(now);
        }
        turn.post(Author::Agent(agent), text);
        if let Mode::Assigned { deadline, .. } = &mut self.mode {
            // Answered: the silence clock waits for the visitor's next message.
            *deadline = None;
        }
        Ok(())
    }

    pub(super) fn on_transfer(
        &mut self,
        settings: &Settings,
        now: Millis,
        agent: AgentRef,
        to: TransferTarget,
        reason: String,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        self.check_holder(&agent)?;
        if matches!(&to, TransferTarget::Agent(a) if a.id == agent.id) {
            return Err(Refusal::TransferToSelf);
        }
        let reason = optional_text(reason)?.unwrap_or_default();
        turn.notice(render(
            &settings.messages.transferred,
            &[(Placeholder::Agent, &agent.name)],
        ));
        let record = self.open_mut();
        match &to {
            TransferTarget::Team(team) => record.team = Some(team.clone()),
            TransferTarget::Agent(wanted) => record.requested_agent = Some(wanted.clone()),
        }
        record.transfers.push(Transfer {
            at: now,
            from: agent,
            to,
            reason,
        });
        self.requeue(settings, now, turn);
        Ok(())
    }

    pub(super) fn on_end(
        &mut self,
        settings: &Settings,
        now: Millis,
        agent: AgentRef,
        note: String,
        close: bool,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        self.check_holder(&agent)?;
        let note = optional_text(note)?;
        self.open_mut().note = note;
        self.resolve(
            now,
            if close {
                EndReason::Closed
            } else {
                EndReason::Holder
            },
        );
        let (mode, notice) = if close {
            (Mode::Closed, &settings.messages.closed)
        } else {
            (Mode::default(), &settings.messages.back_to_assistant)
        };
        self.mode = mode;
        turn.notice(render(notice, &[]));
        if settings.rating {
            turn.notice(render(&settings.messages.rating_prompt, &[]));
        }
        Ok(())
    }
}
