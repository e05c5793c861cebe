//! The silent holder's clock is not stored with the state. It starts when the holder
//! takes the conversation, stops at each of their replies and starts again at the
//! visitor's next message, so it would change the stored state with nearly every chat
//! message. The history holds the same facts: a conversation loaded from storage reads
//! them back once ([`Conversation::silence_query`], then [`Conversation::resume_silence`]),
//! and a chat message writes nothing but itself.

use super::{Conversation, Mode, Settings};
use crate::protocol::Millis;

/// What a loaded conversation must look up in its history for the clock: the last reply
/// of the agent `holder` (an id) sent at or after `since`, when they took it, and the
/// visitor's first message after that reply. Agents' notes are no replies.
#[derive(Clone, Debug, PartialEq)]
pub struct SilenceQuery {
    pub holder: String,
    pub since: Millis,
}

/// What the history answered to a [`SilenceQuery`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Silence {
    /// The holder has not replied since taking it: the clock runs from then.
    NoReply,
    /// They replied; the clock runs from the visitor's first message after their last
    /// reply, and is stopped when there is none.
    Replied { unanswered_since: Option<Millis> },
}

impl Conversation {
    /// What to ask the history, when the clock runs: only for a holder who took the
    /// conversation online.
    pub fn silence_query(&self) -> Option<SilenceQuery> {
        let Mode::Assigned { online: true, .. } = self.mode else {
            return None;
        };
        let holding = self.handover.as_ref()?.holders.last()?;
        Some(SilenceQuery {
            holder: holding.agent.id.clone(),
            since: holding.at,
        })
    }

    /// Sets the clock of a conversation just loaded from what its history answered. The
    /// timeout is today's `holder_silence_secs`: a change of it since the visitor wrote
    /// applies to the clock already running.
    pub fn resume_silence(&mut self, settings: &Settings, silence: Silence) {
        let taken = self.silence_query().map(|q| q.since);
        if let Mode::Assigned {
            online: true,
            deadline,
        } = &mut self.mode
        {
            let start = match silence {
                Silence::NoReply => taken,
                Silence::Replied { unanswered_since } => unanswered_since,
            };
            *deadline = start.and_then(|at| settings.holder_silence_secs.map(|s| at.plus_secs(s)));
        }
    }
}
