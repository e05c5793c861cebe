//! The frames and bodies the widget reads and writes, through the browser's own
//! `JSON.parse`/`JSON.stringify` and property reads. Measured with twiggy: serde's derived
//! code and `baton_shared::json` were about 19 KB of the widget's 86 KB of wasm (and more
//! inlined into the callbacks that read frames); these few property reads are a fraction
//! of that. The shapes are docs/protocol.md's, the same JSON the server's serde writes.

use baton_shared::protocol::{
    AgentRef, Author, ClientFrame, ConversationState, FieldRule, Message, Millis, PreHandoverForm,
};
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// What the widget reads of a server frame (`ServerFrame` in shared).
pub enum Frame {
    Message(Message),
    Ack(String, u64),
    State(ConversationState),
    Rating(bool),
    /// The error's sentence for the visitor.
    Error(String),
    /// The name of the agent typing.
    Typing(String),
    /// Whether the visitor may leave a message, nobody being available.
    Offline(bool),
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or_default()
}

pub fn text(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

pub fn num(v: &JsValue, key: &str) -> Option<u64> {
    get(v, key).as_f64().map(|n| n as u64)
}

/// An object of the fields that are not `undefined` (an absent `Option`).
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        if !v.is_undefined() {
            let _ = Reflect::set(&o, &(*k).into(), v);
        }
    }
    o.into()
}

pub fn opt(v: &Option<String>) -> JsValue {
    v.as_deref().map(JsValue::from_str).unwrap_or_default()
}

pub fn parse(json: &str) -> Option<JsValue> {
    JSON::parse(json).ok()
}

pub fn stringify(v: &JsValue) -> Option<String> {
    JSON::stringify(v).ok().map(String::from)
}

fn agent(v: &JsValue) -> Option<AgentRef> {
    Some(AgentRef {
        id: text(v, "id")?,
        name: text(v, "name")?,
    })
}

fn author(v: &JsValue) -> Option<Author> {
    Some(match text(v, "role")?.as_str() {
        "visitor" => Author::Visitor,
        "assistant" => Author::Assistant,
        "system" => Author::System,
        "agent" => Author::Agent(agent(v)?),
        _ => return None,
    })
}

fn rule(v: &JsValue, key: &str) -> FieldRule {
    match text(v, key).as_deref() {
        Some("optional") => FieldRule::Optional,
        Some("required") => FieldRule::Required,
        _ => FieldRule::Off,
    }
}

fn state(v: &JsValue) -> Option<ConversationState> {
    Some(match text(v, "mode")?.as_str() {
        "bot" => ConversationState::Bot,
        "pending" => ConversationState::Pending,
        "closed" => ConversationState::Closed,
        "assigned" => ConversationState::Assigned {
            agent: agent(&get(v, "agent"))?,
        },
        "form" => {
            let f = get(v, "form");
            ConversationState::Form {
                form: PreHandoverForm {
                    name: rule(&f, "name"),
                    email: rule(&f, "email"),
                },
            }
        }
        _ => return None,
    })
}

/// One frame of the socket; `None` for one the widget does not know (a newer server's).
pub fn read(json: &str) -> Option<Frame> {
    let v = parse(json)?;
    Some(match text(&v, "type")?.as_str() {
        "message" => Frame::Message(Message {
            seq: num(&v, "seq")?,
            at: Millis(num(&v, "at")?),
            author: author(&get(&v, "author"))?,
            text: text(&v, "text")?,
            client_id: text(&v, "client_id"),
            note: false,
        }),
        "ack" => Frame::Ack(text(&v, "client_id")?, num(&v, "seq")?),
        "state" => Frame::State(state(&v)?),
        "rating" => Frame::Rating(get(&v, "open").as_bool()?),
        "offline" => Frame::Offline(get(&v, "open").as_bool()?),
        "error" => Frame::Error(text(&v, "message")?),
        "typing" => match author(&get(&v, "author"))? {
            Author::Agent(a) => Frame::Typing(a.name),
            _ => return None,
        },
        _ => return None,
    })
}

/// A `send` frame's body, also what is kept in `localStorage` until acknowledged.
pub fn post(client_id: &str, text: &str) -> JsValue {
    object(&[("client_id", client_id.into()), ("text", text.into())])
}

/// A client frame as JSON text.
pub fn write(frame: &ClientFrame) -> Option<String> {
    let (kind, body) = match frame {
        ClientFrame::Send(p) => (
            "send",
            object(&[
                ("client_id", opt(&p.client_id)),
                ("text", p.text.as_str().into()),
            ]),
        ),
        ClientFrame::Form { answers } => (
            "form",
            object(&[(
                "answers",
                object(&[("name", opt(&answers.name)), ("email", opt(&answers.email))]),
            )]),
        ),
        ClientFrame::Cancel => ("cancel", object(&[])),
        ClientFrame::Rate(r) => (
            "rate",
            object(&[
                ("score", JsValue::from(r.score)),
                ("comment", opt(&r.comment)),
            ]),
        ),
        ClientFrame::Typing => ("typing", object(&[])),
        ClientFrame::Ping => ("ping", object(&[])),
        // The loader writes this one itself (crate::context).
        ClientFrame::Context { .. } => return None,
        ClientFrame::LeaveMessage(m) => (
            "leave_message",
            object(&[
                ("email", m.email.as_str().into()),
                ("text", m.text.as_str().into()),
            ]),
        ),
    };
    let _ = Reflect::set(&body, &"type".into(), &kind.into());
    stringify(&body)
}
