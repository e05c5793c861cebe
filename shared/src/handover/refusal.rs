//! Why the rules refused an event. A refused event changes nothing.

use crate::protocol::{AgentRef, ErrorBody, ErrorCode};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    EmptyText,
    TooLong {
        max_chars: usize,
    },
    /// Another agent holds the conversation.
    HeldBy(AgentRef),
    /// Nothing is waiting for a person: nothing to claim or cancel.
    NotPending,
    /// Nobody holds the conversation, so there is nothing an agent can post, transfer or
    /// end.
    NotAssigned,
    /// The handover waits for someone else.
    NotEligible(WaitingFor),
    TransferToSelf,
    /// A form arrived while none was asked for.
    NoForm,
    /// A form answer is missing or malformed; `field` is `name` or `email`.
    FormField {
        field: &'static str,
        problem: &'static str,
    },
    /// No resolved handover is waiting for a rating (none yet, already rated, or ratings
    /// are off).
    NothingToRate,
    /// A rating outside 1–5.
    BadRating {
        score: u8,
    },
    /// A message for the team is taken only when nobody was available for the visitor's
    /// last request.
    NoMessageAsked,
}

/// Whom a handover waits for, as a refused claimer is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitingFor {
    Agent(AgentRef),
    Team(String),
    /// The agents and teams the settings make eligible.
    EligibleAgents,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::EmptyText => write!(f, "the message is empty"),
            Refusal::TooLong { max_chars } => {
                write!(f, "the text is longer than {max_chars} characters")
            }
            Refusal::HeldBy(holder) => write!(f, "{} already holds this conversation", holder.name),
            Refusal::NotPending => write!(f, "this conversation is not waiting for an agent"),
            Refusal::NotAssigned => write!(f, "no agent holds this conversation"),
            Refusal::NotEligible(WaitingFor::Agent(a)) => {
                write!(f, "this conversation is waiting for {}", a.name)
            }
            Refusal::NotEligible(WaitingFor::Team(t)) => {
                write!(f, "this conversation is waiting for the team \"{t}\"")
            }
            Refusal::NotEligible(WaitingFor::EligibleAgents) => write!(
                f,
                "you are not among the agents this assistant hands conversations to"
            ),
            Refusal::TransferToSelf => write!(f, "you already hold this conversation"),
            Refusal::NoForm => write!(f, "no form is being asked for"),
            Refusal::FormField { field, problem } => write!(f, "{field}: {problem}"),
            Refusal::NothingToRate => write!(f, "there is no ended conversation to rate"),
            Refusal::BadRating { score } => {
                write!(f, "a rating is a whole number from 1 to 5, not {score}")
            }
            Refusal::NoMessageAsked => write!(
                f,
                "a message for the team is left only when nobody is available: ask for a person"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    /// The protocol's error code, hence the HTTP status.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::EmptyText
            | Refusal::TooLong { .. }
            | Refusal::TransferToSelf
            | Refusal::FormField { .. }
            | Refusal::BadRating { .. } => ErrorCode::BadRequest,
            Refusal::HeldBy(_) => ErrorCode::AlreadyHeld,
            Refusal::NotEligible(_) => ErrorCode::Forbidden,
            Refusal::NotPending
            | Refusal::NotAssigned
            | Refusal::NoForm
            | Refusal::NothingToRate
            | Refusal::NoMessageAsked => ErrorCode::Conflict,
        }
    }

    /// The error answer a client gets; `holder` is set for [`Refusal::HeldBy`].
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code(),
            message: self.to_string(),
            holder: match self {
                Refusal::HeldBy(h) => Some(h.clone()),
                _ => None,
            },
        }
    }
}
