//! Figures over handover records, for admins. Pure: the workspace passes the records it
//! has heard of. Every handover counts under exactly one status, so the parts always add
//! up to the total, and every time is measured between the record's own timestamps.

use crate::protocol::{AgentRef, CancelReason, HandoverRecord, HandoverStatus, Trigger};
use serde::{Deserialize, Serialize};

/// How many of the questions the assistant did not know are listed.
pub const TOP_UNANSWERED: usize = 10;

/// One handover as the workspace knows it: its latest record and, when the assistant did
/// not know, the visitor's words that started it.
pub struct Handover<'a> {
    pub record: &'a HandoverRecord,
    pub question: Option<&'a str>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Summary {
    pub total: u32,
    pub pending: u32,
    /// Held by an agent (acknowledged).
    pub in_progress: u32,
    pub resolved: u32,
    pub cancelled: u32,
    pub cancelled_by: CancelCounts,
    /// From the request to the first claim, of those claimed.
    pub wait: Times,
    /// From the first claim to the end, of those resolved.
    pub resolution: Times,
    pub ratings: Ratings,
    /// Per agent who resolved a handover, most first.
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
    pub median_ms: Option<u64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Ratings {
    pub count: u32,
    /// 1 to 5.
    pub mean: Option<f64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AgentFigures {
    pub agent: AgentRef,
    pub resolved: u32,
    pub ratings: Ratings,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Unanswered {
    pub question: String,
    pub count: u32,
}

pub fn summarize(handovers: &[Handover]) -> Summary {
    let mut s = Summary::default();
    let mut waits = Vec::new();
    let mut resolutions = Vec::new();
    let mut scores = Vec::new();
    let mut agents: Vec<(AgentRef, u32, Vec<u8>)> = Vec::new();
    let mut questions: Vec<Unanswered> = Vec::new();
    for h in handovers {
        let r = h.record;
        s.total += 1;
        match r.status {
            HandoverStatus::Pending => s.pending += 1,
            HandoverStatus::Acknowledged => s.in_progress += 1,
            HandoverStatus::Resolved => s.resolved += 1,
            HandoverStatus::Cancelled => s.cancelled += 1,
        }
        let counts = &mut s.cancelled_by;
        match r.cancel_reason {
            Some(CancelReason::Visitor) => counts.visitor += 1,
            Some(CancelReason::NoAgent) => counts.no_agent += 1,
            Some(CancelReason::QueueTimeout) => counts.queue_timeout += 1,
            Some(CancelReason::VisitorLeft) => counts.visitor_left += 1,
            None => {}
        }
        if let Some(claimed) = r.claimed_at {
            waits.push(claimed.0.saturating_sub(r.requested_at.0));
        }
        if r.status == HandoverStatus::Resolved {
            if let (Some(claimed), Some(ended)) = (r.claimed_at, r.ended_at) {
                resolutions.push(ended.0.saturating_sub(claimed.0));
            }
            if let Some(holder) = &r.holder {
                let at = match agents.iter().position(|(a, ..)| a.id == holder.id) {
                    Some(i) => i,
                    None => {
                        agents.push((holder.clone(), 0, Vec::new()));
                        agents.len() - 1
                    }
                };
                agents[at].1 += 1;
                agents[at].2.extend(r.rating.as_ref().map(|g| g.score));
            }
        }
        scores.extend(r.rating.as_ref().map(|g| g.score));
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
    s.resolution = times(resolutions);
    s.ratings = ratings(&scores);
    agents.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    s.agents = agents
        .into_iter()
        .map(|(agent, resolved, scores)| AgentFigures {
            agent,
            resolved,
            ratings: ratings(&scores),
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

fn times(mut ms: Vec<u64>) -> Times {
    ms.sort_unstable();
    let count = ms.len() as u32;
    Times {
        count,
        mean_ms: (count > 0).then(|| ms.iter().sum::<u64>() / u64::from(count)),
        median_ms: ms.get(ms.len() / 2).copied(),
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
