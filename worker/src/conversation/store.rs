//! A conversation's SQLite storage: its messages, numbered by a sequence that never
//! repeats, its handover records, and the state machine's saved state. The object is the
//! only writer of it, so its id and the machine are also kept in memory once read, and
//! the machine is written only when it changed: a chat message costs its insert (which
//! also finds a resend, by its `client_id`) and nothing else, since the one part of the
//! machine that moves with every question and answer (the silent holder's clock) is not
//! stored but read back from the history once per instance.
//! Agents' private notes are messages too, in their place in the history, their `seq`
//! listed in `notes` (a table of its own, so storage made before notes needs no change).

use crate::bench::{self, Counter};
use crate::error::{ApiError, ApiResult};
use crate::schema;
use crate::sql::Sql;
use baton_shared::handover::{Conversation, Settings, Silence, SilenceQuery};
use baton_shared::protocol::{Author, HandoverRecord, Message, Millis, VisitorContext};
use baton_shared::schema::Layout;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use worker::{SqlStorage, SqlStorageValue};

/// The conversation's layouts: its tables as layout 1 (a change is a later step, never an
/// edit of `SCHEMA`), and no later step yet.
const LAYOUT: Layout = Layout {
    object: "conversation",
    base: &[SCHEMA],
    steps: &[],
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    client_id TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS notes (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS handovers (id INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// How many messages one catch-up returns at most; a client asks again from the last.
pub const PAGE: i64 = 500;

#[derive(Deserialize)]
struct MessageRow {
    seq: i64,
    at: i64,
    author: String,
    text: String,
    client_id: Option<String>,
    #[serde(default)]
    note: i64,
}

/// A message row and whether it is a note.
const SELECT_MESSAGES: &str = "SELECT m.seq, m.at, m.author, m.text, m.client_id, \
     n.seq IS NOT NULL AS note FROM messages m LEFT JOIN notes n ON n.seq = m.seq";

impl MessageRow {
    fn into_message(self) -> ApiResult<Message> {
        Ok(Message {
            seq: self.seq as u64,
            at: Millis(self.at as u64),
            author: serde_json::from_str(&self.author)?,
            text: self.text,
            client_id: self.client_id,
            note: self.note != 0,
        })
    }
}

#[derive(Deserialize)]
struct ValueRow {
    value: String,
}

#[derive(Deserialize)]
struct TextRow {
    text: String,
}

pub struct Store {
    sql: Sql,
    id: RefCell<Option<String>>,
    /// Whether an admin closed the conversation to its visitor's token, once read.
    blocked: Cell<Option<bool>>,
    /// The machine as last read or run, and its stored JSON, to tell whether it changed.
    machine: RefCell<Option<(Conversation, String)>>,
    /// Whether the machine's silence clock was read back from the history yet.
    resumed: Cell<bool>,
}

impl Store {
    /// Whether this object's storage holds a conversation, without creating anything.
    pub fn exists(sql: SqlStorage) -> ApiResult<bool> {
        #[derive(Deserialize)]
        struct Found {
            n: i64,
        }
        let found: Found = sql
            .exec(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                None,
            )?
            .one()?;
        Ok(found.n > 0)
    }

    /// Opens the storage at the current layout: once per object instance.
    pub fn open(sql: Sql) -> ApiResult<Self> {
        schema::open(&sql, &LAYOUT, || Ok(()))?;
        Ok(Store {
            sql,
            id: RefCell::new(None),
            blocked: Cell::new(None),
            machine: RefCell::new(None),
            resumed: Cell::new(false),
        })
    }

    fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        let rows: Vec<ValueRow> = self
            .sql
            .exec("SELECT value FROM meta WHERE key = ?", vec![key.into()])?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    fn set_meta(&self, key: &str, value: String) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO meta (key, value) VALUES (?, ?) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    /// The conversation's public id, set once when it is created.
    pub fn id(&self) -> ApiResult<String> {
        if let Some(id) = self.id.borrow().as_ref() {
            return Ok(id.clone());
        }
        let id = self
            .meta("id")?
            .ok_or_else(|| ApiError::NotFound("there is no such conversation".into()))?;
        *self.id.borrow_mut() = Some(id.clone());
        Ok(id)
    }

    /// An admin closed the conversation to its visitor (abuse): their token opens it no
    /// more. Read once per instance, so a visitor's message costs no statement for it.
    pub fn blocked(&self) -> ApiResult<bool> {
        if let Some(b) = self.blocked.get() {
            return Ok(b);
        }
        let b = self.meta("blocked")?.is_some();
        self.blocked.set(Some(b));
        Ok(b)
    }

    pub fn block(&self) -> ApiResult<()> {
        self.set_meta("blocked", "1".into())?;
        self.blocked.set(Some(true));
        Ok(())
    }

    /// Stores the id and the new conversation's machine, once.
    pub fn create(&self, id: &str, machine: &Conversation) -> ApiResult<()> {
        if self.meta("id")?.is_none() {
            self.save_machine(machine)?;
            self.set_meta("id", id.to_string())?;
        }
        Ok(())
    }

    pub fn machine(&self) -> ApiResult<Conversation> {
        if let Some((machine, _)) = self.machine.borrow().as_ref() {
            return Ok(machine.clone());
        }
        let machine = match self.meta("machine")? {
            Some(json) => {
                let machine: Conversation = serde_json::from_str(&json)?;
                *self.machine.borrow_mut() = Some((machine.clone(), json));
                machine
            }
            // Created before the machine was stored at creation: a widget conversation.
            None => Conversation::default(),
        };
        Ok(machine)
    }

    /// The machine to run an event on: once per instance its silence clock, which is not
    /// stored, is read back from the history (one statement).
    pub fn running_machine(&self, settings: &Settings) -> ApiResult<Conversation> {
        let mut machine = self.machine()?;
        if !self.resumed.get() {
            if let Some(query) = machine.silence_query() {
                machine.resume_silence(settings, self.silence(&query)?);
                if let Some((cached, _)) = self.machine.borrow_mut().as_mut() {
                    *cached = machine.clone();
                }
            }
            self.resumed.set(true);
        }
        Ok(machine)
    }

    /// The holder's last reply since they took it, and the visitor's first message after
    /// it (see `baton_shared::handover::SilenceQuery`); notes are no replies.
    fn silence(&self, query: &SilenceQuery) -> ApiResult<Silence> {
        #[derive(Deserialize)]
        struct Row {
            replied: Option<i64>,
            since: Option<i64>,
        }
        let row: Row = self
            .sql
            .exec(
                "WITH reply AS (SELECT MAX(m.seq) AS seq FROM messages m \
                   WHERE m.at >= ? AND json_extract(m.author, '$.role') = 'agent' \
                   AND json_extract(m.author, '$.id') = ? \
                   AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.seq = m.seq)) \
                 SELECT reply.seq AS replied, \
                   (SELECT MIN(v.at) FROM messages v WHERE v.seq > reply.seq AND v.author = ?) AS since \
                 FROM reply",
                vec![
                    SqlStorageValue::from(query.since.0 as i64),
                    query.holder.as_str().into(),
                    serde_json::to_string(&Author::Visitor)?.into(),
                ],
            )?
            .one()?;
        Ok(match row.replied {
            None => Silence::NoReply,
            Some(_) => Silence::Replied {
                unanswered_since: row.since.map(|at| Millis(at as u64)),
            },
        })
    }

    /// Keeps the machine as it ran, and writes it unless what is stored is the same:
    /// a chat message changes nothing stored (the silence clock is not).
    pub fn save_machine(&self, machine: &Conversation) -> ApiResult<()> {
        let json = serde_json::to_string(machine)?;
        let unchanged = self
            .machine
            .borrow()
            .as_ref()
            .is_some_and(|(_, stored)| *stored == json);
        if !unchanged {
            self.set_meta("machine", json.clone())?;
        }
        *self.machine.borrow_mut() = Some((machine.clone(), json));
        Ok(())
    }

    /// Stores a message (or, with `note`, an agents' note) under the next `seq`; `None`
    /// when its `client_id` is stored already (a resend), and then nothing is written.
    pub fn append(
        &self,
        at: Millis,
        author: &Author,
        text: &str,
        client_id: Option<&str>,
        note: bool,
    ) -> ApiResult<Option<Message>> {
        let rows: Vec<MessageRow> = self
            .sql
            .exec(
                "INSERT INTO messages (at, author, text, client_id) VALUES (?, ?, ?, ?) \
                 ON CONFLICT(client_id) DO NOTHING RETURNING seq, at, author, text, client_id",
                vec![
                    SqlStorageValue::from(at.0 as i64),
                    serde_json::to_string(author)?.into(),
                    text.into(),
                    client_id.map(str::to_string).into(),
                ],
            )?
            .to_array()?;
        let mut stored = rows
            .into_iter()
            .next()
            .map(MessageRow::into_message)
            .transpose()?;
        if let Some(message) = &mut stored {
            bench::count(Counter::MessagesStored);
            if note {
                self.sql.exec(
                    "INSERT INTO notes (seq) VALUES (?)",
                    vec![SqlStorageValue::from(message.seq as i64)],
                )?;
                message.note = true;
            }
        }
        Ok(stored)
    }

    pub fn by_client_id(&self, client_id: &str) -> ApiResult<Option<Message>> {
        let rows: Vec<MessageRow> = self
            .sql
            .exec(
                &format!("{SELECT_MESSAGES} WHERE m.client_id = ?"),
                vec![client_id.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(MessageRow::into_message)
            .transpose()
    }

    /// Messages after `seq`, oldest first, at most [`PAGE`].
    pub fn after(&self, seq: u64) -> ApiResult<Vec<Message>> {
        let rows: Vec<MessageRow> = self
            .sql
            .exec(
                &format!("{SELECT_MESSAGES} WHERE m.seq > ? ORDER BY m.seq LIMIT ?"),
                vec![SqlStorageValue::from(seq as i64), PAGE.into()],
            )?
            .to_array()?;
        rows.into_iter().map(MessageRow::into_message).collect()
    }

    /// The page after `seq` for its reader: the visitor's holds only what
    /// [`Message::visitor_reads`] lets them have, and a page of notes alone is skipped
    /// rather than answered empty, which would read as the end.
    pub fn after_for(&self, seq: u64, visitor: bool) -> ApiResult<Vec<Message>> {
        let mut last = seq;
        loop {
            let page = self.after(last)?;
            let full = page.len() as i64 == PAGE;
            last = page.last().map_or(last, |m| m.seq);
            let shown: Vec<Message> = page
                .into_iter()
                .filter(|m| !visitor || m.visitor_reads())
                .collect();
            if !shown.is_empty() || !full {
                return Ok(shown);
            }
        }
    }

    /// What the visitor said last, shown in the agents' queue.
    pub fn last_visitor_text(&self) -> ApiResult<String> {
        let rows: Vec<TextRow> = self
            .sql
            .exec(
                "SELECT text FROM messages WHERE author = ? ORDER BY seq DESC LIMIT 1",
                vec![serde_json::to_string(&Author::Visitor)?.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.text).unwrap_or_default())
    }

    /// Every handover of the conversation, the first first.
    pub fn handovers(&self) -> ApiResult<Vec<HandoverRecord>> {
        #[derive(Deserialize)]
        struct RecordRow {
            record: String,
        }
        let rows: Vec<RecordRow> = self
            .sql
            .exec("SELECT record FROM handovers ORDER BY id", None)?
            .to_array()?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.record)?))
            .collect()
    }

    /// The visitor's context, once the widget reported one.
    pub fn context(&self) -> ApiResult<Option<VisitorContext>> {
        match self.meta("context")? {
            Some(json) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        }
    }

    pub fn set_context(&self, context: &VisitorContext) -> ApiResult<()> {
        self.set_meta("context", serde_json::to_string(context)?)
    }

    pub fn save_handover(&self, record: &HandoverRecord) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO handovers (id, record) VALUES (?, ?) \
             ON CONFLICT(id) DO UPDATE SET record = excluded.record",
            vec![
                SqlStorageValue::from(record.id as i64),
                serde_json::to_string(record)?.into(),
            ],
        )?;
        Ok(())
    }
}
