//! The handover settings of one assistant, with PRODUCT.md's defaults. Every field has a
//! default, so a partial JSON object (an admin's patch) reads as "these, the rest as
//! before"; an unknown field is an error rather than a silently ignored typo.

use super::messages::Messages;
use crate::protocol::PreHandoverForm;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub mode: AssistantMode,
    /// Hand over when the assistant has no confident answer.
    pub handover_on_unknown: bool,
    /// Hand over when the visitor asks for a person in one of `request_phrases`.
    pub handover_on_request: bool,
    /// Phrases that mean "I want a person", matched case- and accent-insensitively as
    /// whole words anywhere in the visitor's message.
    pub request_phrases: Vec<String>,
    /// How many of the assistant's closest answers to offer ("did you mean…?") before
    /// handing over a question it does not know; 0 = no suggestion step.
    pub suggestions: u8,
    /// Asked once per conversation before its first handover.
    pub form: PreHandoverForm,
    pub messages: Messages,
    /// Send `messages.agent_assigned` when an agent takes the conversation.
    pub notify_agent_assigned: bool,
    pub routing: Routing,
    pub availability: Availability,
    pub assignment: Assignment,
    /// Ask the visitor for a rating (1–5) when a handover is resolved.
    pub rating: bool,
    /// With `rating` on, a visitor whom the assistant alone answered (no handover yet) is
    /// asked for a rating this many seconds after its last answer, so the assistant's
    /// chats are rated too; `null` = never. The wait keeps the prompt out of a chat
    /// still going on.
    pub assistant_rating_secs: Option<u32>,
    /// A handover nobody takes within this many seconds is cancelled and the visitor gets
    /// `messages.no_agent`; `null` = wait for ever.
    pub queue_timeout_secs: Option<u32>,
    /// A holder who leaves the visitor waiting this many seconds for an answer loses the
    /// conversation back to the queue; `null` = never.
    pub holder_silence_secs: Option<u32>,
    /// A visitor whose last connection closed and who is not back within this many
    /// seconds has left: a waiting handover is cancelled, a held one ends. Long enough for
    /// a reload or the next page of the site; `null` = never.
    pub visitor_leave_secs: Option<u32>,
    /// An external bot answers instead of the built-in assistant: its HTTP endpoint
    /// (docs/protocol.md, "External bot"); `null` = the built-in one.
    pub bot_url: Option<String>,
    /// The websites (origins such as `https://shop.example`) whose pages may start a
    /// widget conversation with this assistant; empty = any site.
    pub allowed_origins: Vec<String>,
}

/// Who may answer the visitor at all.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssistantMode {
    /// The assistant only; never a handover.
    BotOnly,
    #[default]
    BotAndHuman,
    /// Every conversation goes straight to the queue; the assistant is never asked.
    HumanOnly,
}

/// Which agents a handover may go to.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Routing {
    pub eligible: Eligible,
    /// Visitor language (`es`, `pt-br`) → team id. `pt-br` falls back to `pt`.
    pub languages: BTreeMap<String, String>,
    /// The team for a visitor whose language has no team; `null` = every eligible agent.
    pub default_team: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Eligible {
    /// Every agent of the workspace.
    #[default]
    Everyone,
    /// Members of these teams, and these agents (by id).
    Chosen {
        #[serde(default)]
        teams: Vec<String>,
        #[serde(default)]
        agents: Vec<String>,
    },
}

/// Whether offline agents can be given a handover when nobody eligible is online.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Nobody online: the visitor gets `messages.no_agent` and stays with the assistant.
    #[default]
    OnlineOnly,
    /// Nobody online: the least busy offline agent gets it, and the visitor
    /// `messages.offline_agent`.
    OnlineAndOffline,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    /// Agents claim handovers from the live queue.
    #[default]
    Claim,
    /// The least busy eligible online agent with fewer than `max_chats` open handovers
    /// gets it at once; with everyone at the maximum it waits in the queue (where it can
    /// still be claimed).
    AutoAssign { max_chats: u32 },
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: AssistantMode::default(),
            handover_on_unknown: true,
            handover_on_request: true,
            request_phrases: super::phrases::DEFAULT_REQUEST_PHRASES
                .iter()
                .map(|p| p.to_string())
                .collect(),
            suggestions: 0,
            form: PreHandoverForm::default(),
            messages: Messages::default(),
            notify_agent_assigned: true,
            routing: Routing::default(),
            availability: Availability::default(),
            assignment: Assignment::default(),
            rating: true,
            assistant_rating_secs: Some(30),
            queue_timeout_secs: Some(300),
            holder_silence_secs: Some(600),
            visitor_leave_secs: Some(120),
            bot_url: None,
            allowed_origins: Vec::new(),
        }
    }
}
