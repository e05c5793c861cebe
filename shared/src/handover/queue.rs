//! Waiting for a person: the queue's answers, claims, the visitor's cancel, and the
//! timers (queue timeout, silent holder).

use super::messages::{render, Placeholder};
use super::{
    may_take, queue_deadline, Conversation, Mode, QueueAnswer, Refusal, Settings, Turn, WaitingFor,
};
use crate::protocol::{
    AgentRef, Author, CancelReason, EndReason, HandoverStatus, Holding, Millis, Trigger,
};

/// What the agents read when the visitor left with a handover open.
pub const VISITOR_LEFT: &str = "The visitor left the chat.";

impl Conversation {
    pub(super) fn on_queue(
        &mut self,
        settings: &Settings,
        now: Millis,
        id: u32,
        answer: QueueAnswer,
        turn: &mut Turn,
    ) {
        let (announced, deadline, told) = match self.mode {
            Mode::Requesting { deadline } => (false, deadline, None),
            Mode::Pending { deadline, position } => (true, deadline, position),
            // Already taken (a claim was quicker than the answer), ended, or cancelled.
            _ => return,
        };
        if self.open().id != id {
            return;
        }
        // A message left for the team is not told of the queue: the visitor has the
        // `message_left` notice.
        let left = self.is_left_message();
        if !announced && !left && answer != QueueAnswer::NoAgent {
            turn.notice(render(&settings.messages.handover, &[]));
        }
        match answer {
            QueueAnswer::Queued { position } => {
                if told != Some(position) && !left {
                    turn.notice(render(
                        &settings.messages.queue_position,
                        &[(Placeholder::Position, &position.to_string())],
                    ));
                }
                self.mode = Mode::Pending {
                    deadline,
                    position: Some(position),
                };
            }
            QueueAnswer::Assigned { agent } => self.assign(settings, now, agent, true, turn),
            QueueAnswer::Offline { agent } => self.assign(settings, now, agent, false, turn),
            QueueAnswer::NoAgent => {
                // "Nobody is available" alone would not say that the question went
                // unanswered: the visitor first reads that the assistant did not know.
                if !announced && self.open().trigger == Trigger::Unknown {
                    turn.notice(render(&settings.messages.dont_know, &[]));
                }
                self.cancel(now, CancelReason::NoAgent);
                turn.notice(render(&settings.messages.no_agent, &[]));
                self.offline = true;
            }
        }
    }

    pub(super) fn on_claim(
        &mut self,
        settings: &Settings,
        now: Millis,
        agent: AgentRef,
        teams: &[String],
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        let announced = match self.mode {
            Mode::Bot { .. } | Mode::Form { .. } | Mode::Closed => return Err(Refusal::NotPending),
            Mode::Assigned { .. } => return Err(Refusal::HeldBy(self.holder().clone())),
            // A claim may overtake the queue's answer: the queue lists a request as soon
            // as it accepts it.
            Mode::Requesting { .. } => false,
            Mode::Pending { .. } => true,
        };
        let record = self.open();
        if !may_take(settings, record, &agent.id, teams) {
            let waiting_for = match (&record.requested_agent, &record.team) {
                (Some(wanted), _) => WaitingFor::Agent(wanted.clone()),
                (None, Some(team)) => WaitingFor::Team(team.clone()),
                (None, None) => WaitingFor::EligibleAgents,
            };
            return Err(Refusal::NotEligible(waiting_for));
        }
        if !announced && !self.is_left_message() {
            turn.notice(render(&settings.messages.handover, &[]));
        }
        self.assign(settings, now, agent, true, turn);
        Ok(())
    }

    pub(super) fn on_cancel(
        &mut self,
        settings: &Settings,
        now: Millis,
        turn: &mut Turn,
    ) -> Result<(), Refusal> {
        match self.mode {
            Mode::Form { .. } => self.mode = Mode::default(),
            Mode::Requesting { .. } | Mode::Pending { .. } => {
                self.cancel(now, CancelReason::Visitor)
            }
            Mode::Bot { .. } | Mode::Assigned { .. } | Mode::Closed => {
                return Err(Refusal::NotPending)
            }
        }
        turn.notice(render(&settings.messages.back_to_assistant, &[]));
        Ok(())
    }

    pub(super) fn on_tick(&mut self, settings: &Settings, now: Millis, turn: &mut Turn) {
        if self.leave_deadline(settings).is_some_and(|at| at <= now) {
            return self.visitor_left(now, turn);
        }
        if self.mode_deadline().is_none_or(|d| d > now) {
            return;
        }
        match self.mode {
            Mode::Requesting { .. } | Mode::Pending { .. } => {
                self.cancel(now, CancelReason::QueueTimeout);
                turn.notice(render(&settings.messages.no_agent, &[]));
                self.offline = true;
            }
            Mode::Assigned { .. } => {
                let holder = self.holder().name.clone();
                turn.notice(render(
                    &settings.messages.holder_silent,
                    &[(Placeholder::Agent, &holder)],
                ));
                self.requeue(settings, now, turn);
            }
            Mode::Bot { .. } => self.ask_assistant_rating(settings, turn),
            Mode::Form { .. } | Mode::Closed => {}
        }
    }

    /// Gives the open handover to `agent`, who took it `online` or was given it while
    /// offline (then no silence timer: they will answer when they are back).
    fn assign(
        &mut self,
        settings: &Settings,
        now: Millis,
        agent: AgentRef,
        online: bool,
        turn: &mut Turn,
    ) {
        let notice = if !online {
            &settings.messages.offline_agent
        } else if settings.notify_agent_assigned {
            &settings.messages.agent_assigned
        } else {
            ""
        };
        turn.notice(render(notice, &[(Placeholder::Agent, &agent.name)]));
        let record = self.open_mut();
        record.status = HandoverStatus::Acknowledged;
        record.requested_agent = None;
        record.claimed_at.get_or_insert(now);
        record.holders.push(Holding {
            agent: agent.clone(),
            at: now,
            first_reply_at: None,
        });
        record.holder = Some(agent);
        self.mode = Mode::Assigned {
            online,
            // The visitor waits for the first words from now.
            deadline: settings
                .holder_silence_secs
                .filter(|_| online)
                .map(|s| now.plus_secs(s)),
        };
    }

    /// The open handover goes back to the queue: nobody holds it, the queue is asked again.
    pub(super) fn requeue(&mut self, settings: &Settings, now: Millis, turn: &mut Turn) {
        let record = self.open_mut();
        record.status = HandoverStatus::Pending;
        record.holder = None;
        self.mode = Mode::Pending {
            deadline: queue_deadline(settings, now),
            position: None,
        };
        turn.request_agent = true;
    }

    /// The visitor stayed away past `visitor_leave_secs` with a handover open: a waiting
    /// one is cancelled (they left before anyone answered), a held one ends and the chat
    /// closes. The note is for the agents; the visitor is gone.
    fn visitor_left(&mut self, now: Millis, turn: &mut Turn) {
        turn.post(Author::System, VISITOR_LEFT.into());
        match self.mode {
            Mode::Assigned { .. } => {
                self.resolve(now, EndReason::VisitorLeft);
                self.mode = Mode::Closed;
            }
            _ => self.cancel(now, CancelReason::VisitorLeft),
        }
    }

    /// The open handover ends, resolved; the caller sets the mode that follows.
    pub(super) fn resolve(&mut self, now: Millis, reason: EndReason) {
        let record = self.open_mut();
        record.status = HandoverStatus::Resolved;
        record.ended_at = Some(now);
        record.end_reason = Some(reason);
    }

    fn cancel(&mut self, now: Millis, reason: CancelReason) {
        let record = self.open_mut();
        record.status = HandoverStatus::Cancelled;
        record.cancelled_at = Some(now);
        record.cancel_reason = Some(reason);
        self.mode = Mode::default();
    }
}
