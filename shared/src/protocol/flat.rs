//! Reading the tagged enums (`Author`, `ConversationState`, `ServerFrame`) through flat
//! structs. Serde's derive for an internally tagged enum first buffers every field into a
//! generic `Content` tree, and that code was the largest part of the visitor's widget; a
//! struct with the tag as a plain field reads in one pass. The JSON is the same: the enums
//! still serialize through their derives, and the tests below check that every variant
//! reads back as itself.

use serde::Deserialize;

use super::{
    AgentRef, Author, ConversationState, ErrorBody, ErrorCode, Message, Millis, ServerFrame,
};
use crate::protocol::PreHandoverForm;

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Role {
    Visitor,
    Assistant,
    Agent,
    System,
}

#[derive(Deserialize)]
pub struct FlatAuthor {
    role: Role,
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Bot,
    Form,
    Pending,
    Assigned,
    Closed,
}

#[derive(Deserialize)]
pub struct FlatState {
    mode: Mode,
    form: Option<PreHandoverForm>,
    agent: Option<AgentRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Message,
    Ack,
    State,
    Rating,
    Error,
    Typing,
    Pong,
    Offline,
}

/// Every field of every frame; which ones must be there depends on `type`.
#[derive(Deserialize)]
pub struct FlatFrame {
    #[serde(rename = "type")]
    kind: Kind,
    // message
    seq: Option<u64>,
    at: Option<Millis>,
    author: Option<Author>,
    text: Option<String>,
    client_id: Option<String>,
    // state
    mode: Option<Mode>,
    form: Option<PreHandoverForm>,
    agent: Option<AgentRef>,
    // rating
    open: Option<bool>,
    // error
    error: Option<ErrorCode>,
    message: Option<String>,
    holder: Option<AgentRef>,
}

/// Why a flat form is not a value of its enum: the field that is missing.
#[derive(Debug)]
pub struct Missing(&'static str);

impl core::fmt::Display for Missing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

fn need<T>(value: Option<T>, field: &'static str) -> Result<T, Missing> {
    value.ok_or(Missing(field))
}

impl TryFrom<FlatAuthor> for Author {
    type Error = Missing;
    fn try_from(a: FlatAuthor) -> Result<Self, Missing> {
        Ok(match a.role {
            Role::Visitor => Author::Visitor,
            Role::Assistant => Author::Assistant,
            Role::System => Author::System,
            Role::Agent => Author::Agent(AgentRef {
                id: need(a.id, "id")?,
                name: need(a.name, "name")?,
            }),
        })
    }
}

fn state(
    mode: Mode,
    form: Option<PreHandoverForm>,
    agent: Option<AgentRef>,
) -> Result<ConversationState, Missing> {
    Ok(match mode {
        Mode::Bot => ConversationState::Bot,
        Mode::Form => ConversationState::Form {
            form: need(form, "form")?,
        },
        Mode::Pending => ConversationState::Pending,
        Mode::Assigned => ConversationState::Assigned {
            agent: need(agent, "agent")?,
        },
        Mode::Closed => ConversationState::Closed,
    })
}

impl TryFrom<FlatState> for ConversationState {
    type Error = Missing;
    fn try_from(s: FlatState) -> Result<Self, Missing> {
        state(s.mode, s.form, s.agent)
    }
}

impl TryFrom<FlatFrame> for ServerFrame {
    type Error = Missing;
    fn try_from(f: FlatFrame) -> Result<Self, Missing> {
        Ok(match f.kind {
            Kind::Message => ServerFrame::Message(Message {
                seq: need(f.seq, "seq")?,
                at: need(f.at, "at")?,
                author: need(f.author, "author")?,
                text: need(f.text, "text")?,
                client_id: f.client_id,
                note: false,
            }),
            Kind::Ack => ServerFrame::Ack {
                client_id: need(f.client_id, "client_id")?,
                seq: need(f.seq, "seq")?,
            },
            Kind::State => ServerFrame::State(state(need(f.mode, "mode")?, f.form, f.agent)?),
            Kind::Rating => ServerFrame::Rating {
                open: need(f.open, "open")?,
            },
            Kind::Error => ServerFrame::Error(ErrorBody {
                error: need(f.error, "error")?,
                message: need(f.message, "message")?,
                holder: f.holder,
            }),
            Kind::Typing => ServerFrame::Typing {
                author: need(f.author, "author")?,
            },
            Kind::Pong => ServerFrame::Pong,
            Kind::Offline => ServerFrame::Offline {
                open: need(f.open, "open")?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::protocol::samples::every_frame;
    use crate::protocol::ServerFrame;

    #[test]
    fn every_frame_reads_back_as_itself() {
        for frame in every_frame() {
            let json = serde_json::to_string(&frame).unwrap();
            let back: ServerFrame =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, frame, "{json}");
        }
    }

    #[test]
    fn a_frame_without_a_field_its_type_needs_is_refused_with_that_field() {
        for (json, field) in [
            (r#"{"type":"message","seq":1,"at":2,"text":"hi"}"#, "author"),
            (r#"{"type":"state","mode":"assigned"}"#, "agent"),
            (r#"{"type":"state","mode":"form"}"#, "form"),
            (r#"{"type":"rating"}"#, "open"),
            (r#"{"type":"ack","seq":3}"#, "client_id"),
            (r#"{"type":"typing"}"#, "author"),
            (
                r#"{"type":"message","seq":1,"at":2,"text":"hi","author":{"role":"agent","name":"Ana"}}"#,
                "id",
            ),
        ] {
            let err = serde_json::from_str::<ServerFrame>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("`{field}`")), "{json}: {err}");
        }
        let err = serde_json::from_str::<ServerFrame>(r#"{"type":"shrug"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("shrug"), "{err}");
    }
}
