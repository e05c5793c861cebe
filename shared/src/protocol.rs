//! Every HTTP body and WebSocket frame, defined once. JSON field names are the public
//! protocol (docs/protocol.md); renaming one is a breaking change.

use serde::{Deserialize, Serialize};

mod context;
mod flat;
mod form;
mod record;
#[cfg(test)]
pub(crate) mod samples;
mod visitor_view;

pub use context::{
    conversation_title, cut, families, ContextView, EarlierChat, PageReport, PageVisit,
    VisitorContext, MAX_TITLE_CHARS, MAX_URL_CHARS, PAGES_KEPT,
};
pub use form::{FieldRule, FormAnswers, PreHandoverForm};
pub use record::{
    CancelReason, EndReason, HandoverRecord, HandoverStatus, Holding, LeftMessage, Rating,
    Transfer, TransferTarget, Trigger,
};
pub use visitor_view::VisitorHandover;

/// Milliseconds since the Unix epoch. Always supplied by the caller: the core has no clock.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    pub fn plus_secs(self, secs: u32) -> Millis {
        Millis(self.0.saturating_add(u64::from(secs) * 1000))
    }
}

/// Longest message a visitor or agent may send, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// An agent as others see them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AgentRef {
    pub id: String,
    pub name: String,
}

/// Who wrote a message.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "role", rename_all = "snake_case", try_from = "flat::FlatAuthor")]
pub enum Author {
    Visitor,
    Assistant,
    Agent(AgentRef),
    /// Notices from Baton itself ("connecting you to a person", "Ana has joined").
    System,
}

/// One stored message. `seq` is per conversation, starts at 1 and never repeats, so a
/// client that reconnects asks for `after=<last seq>` and drops anything it already has.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub seq: u64,
    pub at: Millis,
    pub author: Author,
    pub text: String,
    /// The sender's own id for the message, echoed so it can match its optimistic copy
    /// and so a resend after a dropped connection is stored once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// A private note: agents write it for each other and the visitor never receives it
    /// ([`Message::visitor_reads`]). Never read back in Rust: the widget, the one Rust
    /// reader of messages, is never sent a note, so reading the flag would only add to its
    /// size.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        skip_deserializing
    )]
    pub note: bool,
}

/// Who answers the visitor right now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "mode", rename_all = "snake_case", try_from = "flat::FlatState")]
pub enum ConversationState {
    /// The assistant answers.
    Bot,
    /// Before a handover: the visitor is asked to fill in the pre-handover form.
    Form { form: PreHandoverForm },
    /// Waiting for a person; nobody answers meanwhile, everything written is kept.
    Pending,
    /// A person holds the conversation; the assistant is silent.
    Assigned { agent: AgentRef },
    /// An agent closed the chat; the visitor's next message reopens it with the assistant.
    Closed,
}

/// Frames the server sends on a conversation's WebSocket (visitor and agent alike).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "flat::FlatFrame")]
pub enum ServerFrame {
    Message(Message),
    /// To the socket that sent it: its message is stored as `seq`. Everyone else gets
    /// the whole `message`; the sender has the text already.
    Ack {
        client_id: String,
        seq: u64,
    },
    State(ConversationState),
    /// Whether the visitor may rate the handover that just ended: sent when that changes,
    /// and after `state` on connect while it is open.
    Rating {
        open: bool,
    },
    Error(ErrorBody),
    /// `author` is typing: show it for a few seconds. Not stored; the visitor sees only
    /// the holder's, agents see the visitor's.
    Typing {
        author: Author,
    },
    /// The answer to a `ping`: the socket is alive ([`PONG`]).
    Pong,
    /// Whether the visitor may leave a message for the team (nobody was available for
    /// their last request): sent when that changes, and after `state` on connect while
    /// it is open.
    Offline {
        open: bool,
    },
}

/// The heartbeat a client sends, as text: the conversation's object has the runtime answer
/// it with [`PONG`] without waking (`setWebSocketAutoResponse`), so it must be these bytes
/// exactly; the same as `ClientFrame::Ping` serialized.
pub const PING: &str = r#"{"type":"ping"}"#;
/// `ServerFrame::Pong` serialized.
pub const PONG: &str = r#"{"type":"pong"}"#;

/// Frames a client sends on a conversation's WebSocket.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Send(PostMessage),
    /// The visitor submits the pre-handover form.
    Form {
        answers: FormAnswers,
    },
    /// The visitor stops waiting for a person (or leaves the form).
    Cancel,
    /// The visitor rates the handover that just ended.
    Rate(RatingRequest),
    /// The sender is typing; sent at most every few seconds while they do.
    Typing,
    /// The visitor's page and browser, on connecting and when the page changes. The
    /// widget writes this frame's JSON itself (its loader reads the page), so it is never
    /// serialised in Rust: the widget's serialiser stays without it.
    #[serde(skip_serializing)]
    Context {
        context: PageReport,
    },
    /// The heartbeat: the server answers `pong` ([`PING`]).
    Ping,
    /// The visitor leaves a message for the team, nobody being available.
    LeaveMessage(MessageForTeam),
}

/// The `leave_message` frame: the visitor's email and message.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MessageForTeam {
    pub email: String,
    pub text: String,
}

/// The visitor's rating: `score` 1 to 5, an optional comment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RatingRequest {
    pub score: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `GET /api/agents`: the workspace's teams and agents, for choosing whom to transfer to.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Directory {
    pub teams: Vec<String>,
    pub agents: Vec<DirectoryAgent>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DirectoryAgent {
    #[serde(flatten)]
    pub agent: AgentRef,
    pub teams: Vec<String>,
}

/// `POST /api/conversations/{id}/transfer` body: the holder hands the conversation on.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TransferRequest {
    pub to: TransferTarget,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/conversations/{id}/end` and `/close` body, optional: the holder's closing
/// note, what was settled, for whoever takes the conversation next.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct EndRequest {
    pub note: String,
}

/// `POST /api/conversations/{id}/messages` and the `send` frame.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PostMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub text: String,
}

/// What kind of conversation: a website chat, or a private 1:1 dialog created through the
/// API, which cannot take a third participant and so never hands over.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    #[default]
    Widget,
    Private,
}

/// `POST /api/conversations` body; `{}` starts a widget conversation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct StartConversation {
    pub kind: ConversationKind,
    /// The visitor's language (a tag such as `es` or `pt-BR`), for routing by language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whose settings the conversation follows; [`DEFAULT_ASSISTANT`] when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assistant: Option<String>,
}

impl StartConversation {
    /// The assistant, [`DEFAULT_ASSISTANT`] when none is named.
    pub fn assistant(&self) -> &str {
        self.assistant.as_deref().unwrap_or(DEFAULT_ASSISTANT)
    }

    /// Why the body cannot start a conversation: a malformed assistant id or language.
    pub fn check(&self) -> Result<(), String> {
        check_assistant_id(self.assistant())?;
        match &self.language {
            Some(tag) if !is_word(tag, 35) => Err(format!(
                "language {tag:?} is not a language tag such as en, es or pt-BR"
            )),
            _ => Ok(()),
        }
    }
}

/// The assistant of a conversation that names none, and of `/api/settings` without
/// `?assistant=`.
pub const DEFAULT_ASSISTANT: &str = "default";

/// 1 to `max` ASCII letters, digits, `-` and `_`: safe in a URL and a header.
fn is_word(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An assistant id is 1 to 64 letters, digits, `-` and `_`: it appears in URLs and the
/// widget's `data-assistant`.
pub fn check_assistant_id(id: &str) -> Result<(), String> {
    match is_word(id, 64) {
        true => Ok(()),
        false => Err(format!(
            "assistant {id:?} is not an assistant id: 1 to 64 letters, digits, - and _"
        )),
    }
}

/// `POST /api/conversations` answer: the conversation and the visitor's bearer token.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct NewConversation {
    pub id: String,
    pub token: String,
    /// What the widget shows first ([`crate::handover::welcome`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome: Option<Welcome>,
}

/// The greeting (`messages.welcome`; absent when blank), who answers, and how the queue
/// stands when someone is online.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Welcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    pub who: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<String>,
}

/// `GET /api/conversations/{id}/messages` answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct History {
    pub state: ConversationState,
    pub messages: Vec<Message>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LoginResponse {
    pub token: String,
    pub agent: AgentRef,
    /// Listed in `ADMINS`: the inbox shows them the knowledge page and the settings.
    pub admin: bool,
    /// The status the agent last chose (offline if never): a new inbox shows it, and
    /// it holds again once that inbox's socket is open.
    pub presence: Presence,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Online,
    Away,
    Offline,
}

/// `PUT /api/presence` body.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PresenceUpdate {
    pub status: Presence,
}

/// `POST /api/conversations/{id}/claim` answer on success.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ClaimResponse {
    pub holder: AgentRef,
}

/// One open handover in the workspace's live queue.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct QueueEntry {
    pub conversation_id: String,
    pub handover: HandoverRecord,
    /// The visitor's last words before the handover, so an agent can pick.
    pub preview: String,
}

/// Frames the server sends on the inbox's WebSocket (`/api/inbox/ws`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxFrame {
    /// Every open handover (pending and acknowledged), oldest first; sent on connect.
    Queue { entries: Vec<QueueEntry> },
    /// An open handover joined or changed.
    Entry { entry: QueueEntry },
    /// A handover ended: its conversation left the queue.
    Removed { conversation_id: String },
}

/// Machine-readable error codes; the HTTP status follows from the code.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    /// Another agent holds the conversation; `holder` says who.
    AlreadyHeld,
    /// The conversation is not in a state that allows this.
    Conflict,
    /// A WebSocket route asked without the WebSocket handshake.
    UpgradeRequired,
    /// A request body over the API's limit.
    PayloadTooLarge,
    /// Too many failed sign-ins; `Retry-After` says when to try again.
    TooManyRequests,
    /// A setting of the Worker's environment is missing or malformed, or its storage was
    /// written by a newer Baton; the message names it.
    Misconfigured,
    /// The server is stopping to restart: ask again in a moment.
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::AlreadyHeld | ErrorCode::Conflict => 409,
            ErrorCode::UpgradeRequired => 426,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Misconfigured | ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }
}

/// One problem with one field of what was sent (a setting, a knowledge-base entry, a CSV
/// row): `field` says where (`messages.handover`, `entries[2].answer`, `row 7: question`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for FieldError {}

/// Body of every error answer, and of the `error` frame.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ErrorBody {
    pub error: ErrorCode,
    /// A sentence a person can act on.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<AgentRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_frame_reads_back_as_itself() {
        for frame in samples::every_client_frame() {
            let json = serde_json::to_string(&frame).unwrap();
            let back: ClientFrame =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, frame, "{json}");
        }
    }

    #[test]
    fn the_heartbeat_texts_are_the_frames_serialized() {
        assert_eq!(serde_json::to_string(&ClientFrame::Ping).unwrap(), PING);
        assert_eq!(serde_json::to_string(&ServerFrame::Pong).unwrap(), PONG);
        assert_eq!(
            serde_json::from_str::<ServerFrame>(PONG).unwrap(),
            ServerFrame::Pong
        );
        assert_eq!(
            serde_json::from_str::<ClientFrame>(PING).unwrap(),
            ClientFrame::Ping
        );
    }

    #[test]
    fn assistant_ids_are_short_url_safe_words() {
        for good in ["default", "demo", "sales-EU_2", &"x".repeat(64)] {
            assert_eq!(check_assistant_id(good), Ok(()), "{good}");
        }
        for bad in ["", "sales team", "a/b", "é", &"x".repeat(65)] {
            let problem = check_assistant_id(bad).unwrap_err();
            assert!(problem.contains("assistant id"), "{bad}: {problem}");
        }
    }

    #[test]
    fn a_start_is_checked_for_its_assistant_and_language() {
        let start = |assistant: Option<&str>, language: Option<&str>| StartConversation {
            assistant: assistant.map(String::from),
            language: language.map(String::from),
            ..StartConversation::default()
        };
        assert_eq!(start(None, None).check(), Ok(()));
        assert_eq!(start(Some("shop"), Some("pt-BR")).check(), Ok(()));
        assert!(start(Some("a b"), None)
            .check()
            .unwrap_err()
            .contains("assistant id"));
        for bad in ["", "en us", "<script>", &"x".repeat(36)] {
            let problem = start(None, Some(bad)).check().unwrap_err();
            assert!(problem.contains("not a language tag"), "{bad}: {problem}");
        }
    }

    #[test]
    fn a_conversation_names_its_assistant_or_the_default() {
        use crate::handover::Conversation;
        let named = Conversation::new(StartConversation {
            assistant: Some("sales".into()),
            ..StartConversation::default()
        });
        assert_eq!(named.assistant(), "sales");
        let unnamed = Conversation::new(StartConversation::default());
        assert_eq!(unnamed.assistant(), DEFAULT_ASSISTANT);
    }
}
