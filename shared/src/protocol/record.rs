//! The handover record: one per handover, the object agents, the queue and analytics read.
//! Its JSON field names are public protocol (docs/protocol.md).

use super::{AgentRef, Millis};
use crate::protocol::FormAnswers;
use serde::{Deserialize, Serialize};

/// What started a handover.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The assistant had no confident answer.
    Unknown,
    /// The visitor asked for a person.
    VisitorRequest,
    /// The assistant's own flow handed over (an external bot's handover request).
    Explicit,
    /// The assistant is in human-only mode: every conversation goes to the queue.
    HumanOnly,
    /// Nobody was available and the visitor left a message with their email
    /// ([`LeftMessage`]): it waits for an agent without a timeout, however long the
    /// visitor is away.
    OfflineMessage,
}

impl Trigger {
    /// Its name on the wire (as serde writes it), for text such as the CSV export.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::Unknown => "unknown",
            Trigger::VisitorRequest => "visitor_request",
            Trigger::Explicit => "explicit",
            Trigger::HumanOnly => "human_only",
            Trigger::OfflineMessage => "offline_message",
        }
    }
}

/// A handover's status as agents and analytics see it. The only moves are
/// pending → acknowledged → resolved, pending → cancelled, and acknowledged → pending
/// when the holder transfers it or loses it for silence.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HandoverStatus {
    Pending,
    /// An agent holds it ("in progress").
    Acknowledged,
    Resolved,
    Cancelled,
}

impl HandoverStatus {
    /// Its name on the wire (as serde writes it).
    pub fn name(self) -> &'static str {
        match self {
            HandoverStatus::Pending => "pending",
            HandoverStatus::Acknowledged => "acknowledged",
            HandoverStatus::Resolved => "resolved",
            HandoverStatus::Cancelled => "cancelled",
        }
    }

    /// Whether a record may go from `self` to `next` (staying put is always allowed).
    pub fn may_become(self, next: HandoverStatus) -> bool {
        use HandoverStatus::*;
        self == next
            || matches!(
                (self, next),
                (Pending, Acknowledged)
                    | (Pending, Cancelled)
                    | (Acknowledged, Resolved)
                    | (Acknowledged, Pending)
            )
    }
}

/// Why a handover was cancelled.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The visitor stopped waiting.
    Visitor,
    /// The queue found no eligible agent.
    NoAgent,
    /// Nobody took it within the queue timeout.
    QueueTimeout,
    /// The visitor left (stayed away past `visitor_leave_secs`) before anyone took it.
    VisitorLeft,
}

impl CancelReason {
    /// Its name on the wire (as serde writes it).
    pub fn name(self) -> &'static str {
        match self {
            CancelReason::Visitor => "visitor",
            CancelReason::NoAgent => "no_agent",
            CancelReason::QueueTimeout => "queue_timeout",
            CancelReason::VisitorLeft => "visitor_left",
        }
    }
}

/// How a resolved handover ended.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The holder handed the conversation back to the assistant.
    Holder,
    /// The holder closed the chat.
    Closed,
    /// The visitor left (stayed away past `visitor_leave_secs`).
    VisitorLeft,
}

impl EndReason {
    /// Its name on the wire (as serde writes it).
    pub fn name(self) -> &'static str {
        match self {
            EndReason::Holder => "holder",
            EndReason::Closed => "closed",
            EndReason::VisitorLeft => "visitor_left",
        }
    }
}

/// One agent's turn at holding a handover.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub agent: AgentRef,
    /// When they claimed it or were assigned it.
    pub at: Millis,
    /// Their first reply in this turn (the record's `first_reply_at` is the first of
    /// any holder's). Absent until they reply, and in records from before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reply_at: Option<Millis>,
}

/// Where a holder sent the conversation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TransferTarget {
    /// A team, by id: any of its members may take it.
    Team(String),
    /// One agent: only they may take it.
    Agent(AgentRef),
}

/// The note a transfer leaves on the record: who, to whom, why.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub at: Millis,
    pub from: AgentRef,
    pub to: TransferTarget,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The visitor's rating of a resolved handover.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// 1 to 5.
    pub score: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub at: Millis,
}

/// A handover, tracked as an object of its own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct HandoverRecord {
    /// Per conversation, from 1.
    pub id: u32,
    /// Grows with every change of the record, so a reader that gets updates out of order
    /// keeps the latest (the status alone can go back to pending).
    #[serde(default)]
    pub revision: u32,
    pub trigger: Trigger,
    /// The assistant whose settings route it (the conversation's).
    #[serde(default = "default_assistant")]
    pub assistant: String,
    pub status: HandoverStatus,
    /// The team it is routed to, by visitor language, default team or transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The one agent it waits for after a transfer to them; nobody else may take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_agent: Option<AgentRef>,
    /// The pre-handover form's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormAnswers>,
    pub requested_at: Millis,
    /// Who holds it now (while acknowledged) or resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<AgentRef>,
    /// Every holder so far, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Holding>,
    /// The first claim or assignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reply_at: Option<Millis>,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<EndReason>,
    /// The holder's closing note: what was settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The previous handover's closing note, for the agent who takes this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<CancelReason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<Transfer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// What the visitor left when nobody was available (trigger `offline_message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_message: Option<LeftMessage>,
}

/// A message left for the team: the visitor's email and words, and the holder's latest
/// reply, which the owner's webhook receiver can email them (the visitor also reads it
/// in the widget when they come back in the same browser).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct LeftMessage {
    pub email: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

impl HandoverRecord {
    /// A new pending handover.
    pub fn new(id: u32, trigger: Trigger, assistant: &str, requested_at: Millis) -> Self {
        HandoverRecord {
            id,
            revision: 0,
            trigger,
            assistant: assistant.to_string(),
            status: HandoverStatus::Pending,
            team: None,
            requested_agent: None,
            form: None,
            requested_at,
            holder: None,
            holders: Vec::new(),
            claimed_at: None,
            first_reply_at: None,
            ended_at: None,
            end_reason: None,
            note: None,
            earlier_note: None,
            cancelled_at: None,
            cancel_reason: None,
            transfers: Vec::new(),
            rating: None,
            left_message: None,
        }
    }

    /// Pending or acknowledged: still in the queue or in progress.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            HandoverStatus::Pending | HandoverStatus::Acknowledged
        )
    }
}

/// Records stored before handovers named their assistant belong to the default one.
fn default_assistant() -> String {
    super::DEFAULT_ASSISTANT.to_string()
}
