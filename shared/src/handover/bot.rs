//! The assistant's side: visitor messages, the assistant's replies, the suggestion step,
//! the pre-handover form, and the triggers that start a handover.

use super::messages::{render, Placeholder};
use super::settings::AssistantMode;
use super::{
    asks_for_person, checked_text, form, queue_deadline, AssistantReply, Conversation, Effect,
    Mode, Refusal, Settings, Turn,
};
use crate::protocol::{Author, ConversationKind, FormAnswers, HandoverRecord, Millis, Trigger};

impl Conversation {
    pub(super) fn on_visitor(
        &mut self,
        settings: &Settings,
        now: Millis,
        text: String,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        let text = checked_text(text)?;
        turn.post(Author::Visitor, text.clone());
        // Writing again reopens a closed chat with the assistant.
        if self.mode == Mode::Closed {
            self.mode = Mode::default();
        }
        match &mut self.mode {
            Mode::Bot { .. } => {
                self.put_off_assistant_rating();
                if settings.mode == AssistantMode::HumanOnly && self.can_hand_over(settings) {
                    self.request(settings, now, Trigger::HumanOnly, turn);
                } else if settings.handover_on_request
                    && asks_for_person(&text, &settings.request_phrases)
                {
                    self.request(settings, now, Trigger::VisitorRequest, turn);
                } else {
                    turn.effects.push(Effect::AskAssistant { question: text });
                }
            }
            // The visitor is waiting for the holder's answer from now on, unless already.
            Mode::Assigned {
                online: true,
                deadline: deadline @ None,
            } => *deadline = settings.holder_silence_secs.map(|s| now.plus_secs(s)),
            // Kept for the agent; nobody else answers.
            Mode::Form { .. }
            | Mode::Requesting { .. }
            | Mode::Pending { .. }
            | Mode::Assigned { .. }
            | Mode::Closed => {}
        }
        Ok(())
    }

    pub(super) fn on_assistant(
        &mut self,
        settings: &Settings,
        now: Millis,
        reply: AssistantReply,
        turn: &mut Turn,
    ) {
        // A late reply after a handover started must not speak over the person.
        let Mode::Bot { suggested } = self.mode else {
            return;
        };
        self.mode = Mode::Bot { suggested: false };
        match reply {
            AssistantReply::Answer(text) => turn.post(Author::Assistant, text),
            AssistantReply::Handover { say: Some(text) } if !self.can_hand_over(settings) => {
                // Where nobody can take over, the answer stands on its own.
                turn.post(Author::Assistant, text);
            }
            AssistantReply::Handover { say } => {
                if let Some(text) = say {
                    turn.post(Author::Assistant, text);
                }
                self.request(settings, now, Trigger::Explicit, turn);
            }
            AssistantReply::Unknown { .. } if !settings.handover_on_unknown => {
                turn.notice(render(&settings.messages.dont_know, &[]));
            }
            AssistantReply::Unknown { suggestions } => {
                let offer: Vec<String> = suggestions
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .take(usize::from(settings.suggestions))
                    .map(|s| format!("- {s}"))
                    .collect();
                // The suggestion step comes once before a handover, never before a
                // don't-know: it is a last try to spare the visitor a wait.
                if offer.is_empty() || suggested || !self.can_hand_over(settings) {
                    self.request(settings, now, Trigger::Unknown, turn);
                } else {
                    let list = offer.join("\n");
                    turn.notice(render(
                        &settings.messages.suggestions,
                        &[(Placeholder::Suggestions, &list)],
                    ));
                    self.mode = Mode::Bot { suggested: true };
                }
            }
        }
        // Whatever it said, if it still answers the visitor, its rating falls due.
        self.assistant_answered(settings, now);
    }

    pub(super) fn on_form(
        &mut self,
        settings: &Settings,
        now: Millis,
        answers: FormAnswers,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        let Mode::Form { trigger, form } = self.mode else {
            return Err(Refusal::NoForm);
        };
        self.visitor = Some(form::check(&form, answers)?);
        self.mode = Mode::default();
        self.request(settings, now, trigger, turn);
        Ok(())
    }

    /// Whether this conversation can have a handover at all.
    fn can_hand_over(&self, settings: &Settings) -> bool {
        self.kind == ConversationKind::Widget && settings.mode != AssistantMode::BotOnly
    }

    /// A trigger fired (in bot mode): the don't-know message where there is no handover,
    /// else the form if it is still to be filled in, else the request to the queue.
    fn request(&mut self, settings: &Settings, now: Millis, trigger: Trigger, turn: &mut Turn) {
        self.put_off_assistant_rating();
        if !self.can_hand_over(settings) {
            turn.notice(render(&settings.messages.dont_know, &[]));
        } else if settings.form.asks_anything() && self.visitor.is_none() {
            turn.notice(render(&settings.messages.form, &[]));
            self.mode = Mode::Form {
                trigger,
                form: settings.form,
            };
        } else {
            self.open_handover(settings, now, trigger, queue_deadline(settings, now), turn);
        }
    }

    /// A new handover record, asked of the queue; `deadline`: the queue timeout.
    pub(super) fn open_handover(
        &mut self,
        settings: &Settings,
        now: Millis,
        trigger: Trigger,
        deadline: Option<Millis>,
        turn: &mut Turn,
    ) -> &mut HandoverRecord {
        // This request's own answer decides whether a message may be left.
        self.offline = false;
        let id = self.handover.as_ref().map_or(1, |h| h.id + 1);
        let mut record = HandoverRecord::new(id, trigger, self.assistant(), now);
        // What the last holder settled travels with the conversation.
        record.earlier_note = self.handover.as_ref().and_then(|h| h.note.clone());
        record.team = settings.routing.team_for(self.language.as_deref());
        record.form = self.visitor.clone();
        self.mode = Mode::Requesting { deadline };
        turn.request_agent = true;
        self.handover.insert(record)
    }
}
