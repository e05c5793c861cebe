//! The visitor's ratings: of a handover a person resolved, stored on its record, and of
//! a chat the assistant answered alone, asked `assistant_rating_secs` after its last
//! answer and reported on its own, since such a chat has no record.

use super::messages::render;
use super::{optional_text, Conversation, Effect, Mode, Refusal, Settings, Turn};
use crate::protocol::{EndReason, HandoverStatus, Millis, Rating};
use serde::{Deserialize, Serialize};

/// Where the rating of the assistant alone stands. Only a conversation that never had a
/// handover has one: once a person took part, the handover's rating is the one asked.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub(super) enum AssistantRating {
    #[default]
    Unasked,
    /// The assistant answered; the visitor is asked at `at` unless they write first.
    Due {
        at: Millis,
    },
    Open,
    /// Kept here too, so the conversation holds what the workspace was told.
    Given {
        rating: Rating,
    },
}

impl AssistantRating {
    pub(super) fn is_unasked(&self) -> bool {
        *self == AssistantRating::Unasked
    }
}

impl Conversation {
    /// Whether the visitor may rate now: the latest handover, resolved while they were
    /// there and not yet rated; or, with no handover ever, the assistant once asked. Never
    /// with ratings off.
    pub fn rating_open(&self, settings: &Settings) -> bool {
        settings.rating
            && match &self.handover {
                Some(r) => {
                    r.status == HandoverStatus::Resolved
                        && r.rating.is_none()
                        && r.end_reason != Some(EndReason::VisitorLeft)
                }
                None => {
                    self.assistant_rating == AssistantRating::Open
                        && matches!(self.mode, Mode::Bot { .. })
                }
            }
    }

    /// The visitor's rating of the assistant alone, once given.
    pub fn assistant_rated(&self) -> Option<&Rating> {
        match &self.assistant_rating {
            AssistantRating::Given { rating } => Some(rating),
            _ => None,
        }
    }

    /// The assistant spoke and nobody else is to: its rating falls due, from now.
    pub(super) fn assistant_answered(&mut self, settings: &Settings, now: Millis) {
        let waiting = matches!(
            self.assistant_rating,
            AssistantRating::Unasked | AssistantRating::Due { .. }
        );
        if let (true, true, None, Mode::Bot { .. }, Some(secs)) = (
            settings.rating,
            waiting,
            &self.handover,
            &self.mode,
            settings.assistant_rating_secs,
        ) {
            self.assistant_rating = AssistantRating::Due {
                at: now.plus_secs(secs),
            };
        }
    }

    /// The visitor wrote, or a handover is being asked for: a chat still going on is not
    /// interrupted; the assistant's next answer sets the time again.
    pub(super) fn put_off_assistant_rating(&mut self) {
        if let AssistantRating::Due { .. } = self.assistant_rating {
            self.assistant_rating = AssistantRating::Unasked;
        }
    }

    /// When the assistant's rating is to be asked, if it is.
    pub(super) fn assistant_rating_due(&self) -> Option<Millis> {
        match (&self.assistant_rating, &self.handover) {
            (AssistantRating::Due { at }, None) => Some(*at),
            _ => None,
        }
    }

    /// The assistant's rating fell due: the prompt, and the rating opens.
    pub(super) fn ask_assistant_rating(&mut self, settings: &Settings, turn: &mut Turn) {
        self.assistant_rating = AssistantRating::Open;
        if settings.rating {
            turn.notice(render(&settings.messages.rating_prompt, &[]));
        }
    }

    pub(super) fn on_rate(
        &mut self,
        settings: &Settings,
        now: Millis,
        score: u8,
        comment: Option<String>,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        if !self.rating_open(settings) {
            return Err(Refusal::NothingToRate);
        }
        if !(1..=5).contains(&score) {
            return Err(Refusal::BadRating { score });
        }
        let rating = Rating {
            score,
            comment: optional_text(comment.unwrap_or_default())?,
            at: now,
        };
        match self.handover.as_mut() {
            Some(record) => record.rating = Some(rating),
            None => {
                turn.effects.push(Effect::AssistantRated(rating.clone()));
                self.assistant_rating = AssistantRating::Given { rating };
            }
        }
        Ok(())
    }
}
