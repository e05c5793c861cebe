//! Figures over handover records, for admins. Pure: the workspace passes the records it
//! has heard of and the period asked for. Every handover counts under exactly one status,
//! on exactly one day, so the parts always add up to the total; every turn an agent takes
//! ends in exactly one way, so an agent's outcomes add up to what they handled; and every
//! time is measured between the record's own timestamps.

mod calendar;
mod export;

use crate::protocol::{
    AgentRef, CancelReason, HandoverRecord, HandoverStatus, Holding, Millis, Rating, Trigger,
};
pub use calendar::{date_at, iso_time, Day, MAX_OFFSET_MINUTES};
pub use export::to_csv;
use serde::{Deserialize, Serialize};

/// How many of the questions the assistant did not know are listed.
pub const TOP_UNANSWERED: usize = 10;

/// The longest period listed day by day from its first day to its last; a longer one
/// (such as "all time") lists the days from its first handover to its last.
pub const MAX_DAYS: i64 = 400;

/// One handover as the workspace knows it: its latest record and, when the assistant did
/// not know, the visitor's words that started it.
pub struct Handover<'a> {
    pub conversation_id: &'a str,
    pub record: &'a HandoverRecord,
    pub question: Option<&'a str>,
}

/// The handovers counted: those requested from `from` until before `to`, their days
/// starting at midnight `utc_offset_minutes` east of UTC (a fixed offset: the days of a
/// period across a change of summer time are an hour off on one side of it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    pub from: Millis,
    pub to: Millis,
    pub utc_offset_minutes: i32,
}

impl Period {
    pub fn holds(&self, h: &Handover) -> bool {
        (self.from..self.to).contains(&h.record.requested_at)
    }
}

/// Handovers by status; the four add up to `total`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Statuses {
    pub total: u32,
    pub pending: u32,
    /// Held by an agent (acknowledged).
    pub in_progress: u32,
    pub resolved: u32,
    pub cancelled: u32,
}

impl Statuses {
    fn count(&mut self, status: HandoverStatus) {
        self.total += 1;
        *match status {
            HandoverStatus::Pending => &mut self.pending,
            HandoverStatus::Acknowledged => &mut self.in_progress,
            HandoverStatus::Resolved => &mut self.resolved,
            HandoverStatus::Cancelled => &mut self.cancelled,
        } += 1;
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Summary {
    #[serde(flatten)]
    pub statuses: Statuses,
    pub cancelled_by: CancelCounts,
    /// From the request to the first claim, of those claimed.
    pub wait: Times,
    /// From the first claim to the first reply, of those replied to.
    pub first_reply: Times,
    /// From the first claim to the end, of those resolved.
    pub resolution: Times,
    /// Every rating given in the period: of handovers requested in it, and of the
    /// assistant alone.
    pub ratings: Ratings,
    /// The same ratings by the path the chat took.
    pub ratings_by_path: RatingsByPath,
    /// Every day of the period, first to last, by status of the handovers requested that
    /// day (see [`MAX_DAYS`]).
    pub days: Vec<Day>,
    /// Per agent who held a handover, most handled first.
    pub agents: Vec<AgentFigures>,
    /// The visitor's words when the assistant did not know, most often first.
    pub unanswered: Vec<Unanswered>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct CancelCounts {
    pub visitor: u32,
    pub no_agent: u32,
    pub queue_timeout: u32,
    pub visitor_left: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Times {
    pub count: u32,
    pub mean_ms: Option<u64>,
    /// The middle value (the upper one of two).
    pub median_ms: Option<u64>,
    /// The 90th percentile, nearest rank: the smallest value at least 90 % of them do
    /// not exceed.
    pub p90_ms: Option<u64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Ratings {
    pub count: u32,
    /// 1 to 5.
    pub mean: Option<f64>,
}

/// Ratings by path: a chat the assistant answered alone is rated on its own (the
/// `assistant_rating_secs` setting), a handover when a person ends it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct RatingsByPath {
    /// The assistant alone: no handover in that conversation.
    pub assistant_only: Ratings,
    /// The assistant first, then a person: every trigger but human-only.
    pub assistant_then_person: Ratings,
    /// A human-only assistant: a person from the start.
    pub person_only: Ratings,
}

/// One agent's turns at holding handovers: each claim or assignment is one, and each
/// ends in exactly one way, so `resolved + transferred_away + lost_for_silence +
/// in_progress = handled`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AgentFigures {
    pub agent: AgentRef,
    pub handled: u32,
    pub resolved: u32,
    /// Passed on to a team or another agent.
    pub transferred_away: u32,
    /// Went back to the queue because they stayed silent (`holder_silence_secs`).
    pub lost_for_silence: u32,
    /// Held now.
    pub in_progress: u32,
    /// From taking it to their first reply in that turn, of the turns they replied in.
    pub first_reply: Times,
    /// The visitors' ratings of the handovers they resolved.
    pub ratings: Ratings,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Unanswered {
    pub question: String,
    pub count: u32,
}

/// From the request to the first claim.
fn wait_ms(r: &HandoverRecord) -> Option<u64> {
    r.claimed_at.map(|c| c.0.saturating_sub(r.requested_at.0))
}

/// From the first claim to the first reply.
fn first_reply_ms(r: &HandoverRecord) -> Option<u64> {
    Some(r.first_reply_at?.0.saturating_sub(r.claimed_at?.0))
}

/// From the first claim to the end, of a resolved one.
fn resolution_ms(r: &HandoverRecord) -> Option<u64> {
    if r.status != HandoverStatus::Resolved {
        return None;
    }
    Some(r.ended_at?.0.saturating_sub(r.claimed_at?.0))
}

/// From taking it to the holder's first reply in that turn. A record kept before turns
/// had their own first reply has the record's, which is its only holder's.
fn turn_reply_ms(r: &HandoverRecord, h: &Holding) -> Option<u64> {
    let first = h
        .first_reply_at
        .or(r.first_reply_at.filter(|_| r.holders.len() == 1))?;
    Some(first.0.saturating_sub(h.at.0))
}

/// One agent's tally while counting.
struct Tally {
    agent: AgentRef,
    handled: u32,
    resolved: u32,
    transferred_away: u32,
    in_progress: u32,
    replies: Vec<u64>,
    scores: Vec<u8>,
}

fn tally<'t>(tallies: &'t mut Vec<Tally>, agent: &AgentRef) -> &'t mut Tally {
    let at = match tallies.iter().position(|t| t.agent.id == agent.id) {
        Some(i) => i,
        None => {
            tallies.push(Tally {
                agent: agent.clone(),
                handled: 0,
                resolved: 0,
                transferred_away: 0,
                in_progress: 0,
                replies: Vec::new(),
                scores: Vec::new(),
            });
            tallies.len() - 1
        }
    };
    &mut tallies[at]
}

/// The figures of the handovers requested in `period` and of the ratings of the
/// assistant alone given in it (any others are left out).
pub fn summarize(handovers: &[Handover], assistant_ratings: &[Rating], period: &Period) -> Summary {
    let alone: Vec<u8> = assistant_ratings
        .iter()
        .filter(|r| (period.from..period.to).contains(&r.at))
        .map(|r| r.score)
        .collect();
    let handovers: Vec<&Handover> = handovers.iter().filter(|h| period.holds(h)).collect();
    let mut s = Summary::default();
    let (mut waits, mut replies, mut resolutions) = (Vec::new(), Vec::new(), Vec::new());
    let (mut scores, mut assisted, mut person_only) = (Vec::new(), Vec::new(), Vec::new());
    let mut tallies: Vec<Tally> = Vec::new();
    let mut questions: Vec<Unanswered> = Vec::new();
    for h in &handovers {
        let r = h.record;
        s.statuses.count(r.status);
        let counts = &mut s.cancelled_by;
        match r.cancel_reason {
            Some(CancelReason::Visitor) => counts.visitor += 1,
            Some(CancelReason::NoAgent) => counts.no_agent += 1,
            Some(CancelReason::QueueTimeout) => counts.queue_timeout += 1,
            Some(CancelReason::VisitorLeft) => counts.visitor_left += 1,
            None => {}
        }
        waits.extend(wait_ms(r));
        replies.extend(first_reply_ms(r));
        resolutions.extend(resolution_ms(r));
        for turn in &r.holders {
            let t = tally(&mut tallies, &turn.agent);
            t.handled += 1;
            t.replies.extend(turn_reply_ms(r, turn));
        }
        for transfer in &r.transfers {
            tally(&mut tallies, &transfer.from).transferred_away += 1;
        }
        let score = r.rating.as_ref().map(|g| g.score);
        if let Some(holder) = &r.holder {
            let t = tally(&mut tallies, holder);
            match r.status {
                HandoverStatus::Acknowledged => t.in_progress += 1,
                HandoverStatus::Resolved => {
                    t.resolved += 1;
                    t.scores.extend(score);
                }
                HandoverStatus::Pending | HandoverStatus::Cancelled => {}
            }
        }
        scores.extend(score);
        if r.trigger == Trigger::HumanOnly {
            person_only.extend(score);
        } else {
            assisted.extend(score);
        }
        if let (Trigger::Unknown, Some(q)) = (r.trigger, h.question) {
            let question = q
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            match questions.iter_mut().find(|u| u.question == question) {
                Some(u) => u.count += 1,
                None if !question.is_empty() => questions.push(Unanswered { question, count: 1 }),
                None => {}
            }
        }
    }
    s.wait = times(waits);
    s.first_reply = times(replies);
    s.resolution = times(resolutions);
    scores.extend(&alone);
    s.ratings = ratings(&scores);
    s.ratings_by_path = RatingsByPath {
        assistant_only: ratings(&alone),
        assistant_then_person: ratings(&assisted),
        person_only: ratings(&person_only),
    };
    s.days = calendar::days(&handovers, period);
    tallies.sort_by(|a, b| {
        b.handled
            .cmp(&a.handled)
            .then_with(|| b.resolved.cmp(&a.resolved))
            .then_with(|| a.agent.name.cmp(&b.agent.name))
    });
    s.agents = tallies
        .into_iter()
        .map(|t| AgentFigures {
            // Every turn that ended another way went back to the queue for silence.
            lost_for_silence: t
                .handled
                .saturating_sub(t.resolved + t.transferred_away + t.in_progress),
            handled: t.handled,
            resolved: t.resolved,
            transferred_away: t.transferred_away,
            in_progress: t.in_progress,
            first_reply: times(t.replies),
            ratings: ratings(&t.scores),
            agent: t.agent,
        })
        .collect();
    questions.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.question.cmp(&b.question))
    });
    questions.truncate(TOP_UNANSWERED);
    s.unanswered = questions;
    s
}

/// How long handovers usually wait for a person: the median of `waits` (the same median
/// as the analytics'), none without any.
pub fn typical_wait(waits: Vec<u64>) -> Option<u64> {
    times(waits).median_ms
}

fn times(mut ms: Vec<u64>) -> Times {
    ms.sort_unstable();
    let count = ms.len() as u32;
    Times {
        count,
        mean_ms: (count > 0).then(|| ms.iter().sum::<u64>() / u64::from(count)),
        median_ms: ms.get(ms.len() / 2).copied(),
        p90_ms: (ms.len() * 9)
            .div_ceil(10)
            .checked_sub(1)
            .and_then(|i| ms.get(i).copied()),
    }
}

fn ratings(scores: &[u8]) -> Ratings {
    let count = scores.len() as u32;
    Ratings {
        count,
        mean: (count > 0)
            .then(|| scores.iter().map(|&s| f64::from(s)).sum::<f64>() / f64::from(count)),
    }
}

#[cfg(test)]
mod tests;
