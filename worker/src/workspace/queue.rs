//! The workspace's live queue and agent presence, in SQLite. It only ever hears about
//! handovers, never messages, and it never decides who holds a conversation: it lists
//! what the conversations report, and the facts routing needs (places, presence, load).

use crate::error::ApiResult;
use baton_shared::protocol::{HandoverRecord, HandoverStatus, Millis, Presence, QueueEntry};
use serde::Deserialize;
use std::collections::HashMap;
use crate::sql::Sql;
use worker::SqlStorageValue;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS queue (
    conversation_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    preview TEXT NOT NULL,
    requested_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reservations (
    conversation_id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS presence (
    agent_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    at INTEGER NOT NULL
);
";

#[derive(Deserialize)]
struct QueueRow {
    conversation_id: String,
    record: String,
    preview: String,
}

#[derive(Deserialize)]
struct ReservationRow {
    conversation_id: String,
    agent_id: String,
}

#[derive(Deserialize)]
struct PresenceRow {
    agent_id: String,
    status: String,
}

pub struct Queue {
    sql: Sql,
}

/// Whether `new` is a later word on the conversation's handovers than `old`: a newer
/// handover, or a later revision of the same one. Updates can arrive out of order.
fn supersedes(new: &HandoverRecord, old: &HandoverRecord) -> bool {
    (new.id, new.revision) >= (old.id, old.revision)
}

/// Where a pending handover stands in the queue: oldest request first.
fn queue_order(entry: &QueueEntry) -> (Millis, &str) {
    (entry.handover.requested_at, &entry.conversation_id)
}

/// The place (1 = next) `conversation_id`'s handover, requested at `requested_at`, has
/// or would have among the pending `entries`.
pub fn position(entries: &[QueueEntry], conversation_id: &str, requested_at: Millis) -> u32 {
    let ahead = entries
        .iter()
        .filter(|e| e.handover.status == HandoverStatus::Pending)
        .filter(|e| e.conversation_id != conversation_id)
        .filter(|e| queue_order(e) < (requested_at, conversation_id))
        .count();
    ahead as u32 + 1
}

/// Every pending handover with its place.
pub fn positions(entries: &[QueueEntry]) -> Vec<(&QueueEntry, u32)> {
    entries
        .iter()
        .filter(|e| e.handover.status == HandoverStatus::Pending)
        .map(|e| {
            (
                e,
                position(entries, &e.conversation_id, e.handover.requested_at),
            )
        })
        .collect()
}

/// How many handovers `agent_id` holds now, or has been given and not yet taken up.
pub fn open_chats(entries: &[QueueEntry], reserved: &Reservations, agent_id: &str) -> u32 {
    let held = entries
        .iter()
        .filter(|e| e.handover.status == HandoverStatus::Acknowledged)
        .filter(|e| e.handover.holder.as_ref().is_some_and(|h| h.id == agent_id))
        .count();
    let given = reserved.values().filter(|a| *a == agent_id).count();
    (held + given) as u32
}

/// Conversation id → the agent the queue gave its waiting handover to, until the
/// conversation reports what it made of that.
pub type Reservations = HashMap<String, String>;

impl Queue {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Queue { sql })
    }

    pub fn entries(&self) -> ApiResult<Vec<QueueEntry>> {
        let rows: Vec<QueueRow> = self
            .sql
            .exec(
                "SELECT conversation_id, record, preview FROM queue ORDER BY requested_at, conversation_id",
                None,
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| {
                Ok(QueueEntry {
                    conversation_id: r.conversation_id,
                    handover: serde_json::from_str(&r.record)?,
                    preview: r.preview,
                })
            })
            .collect()
    }

    fn entry(&self, conversation_id: &str) -> ApiResult<Option<HandoverRecord>> {
        let rows: Vec<QueueRow> = self
            .sql
            .exec(
                "SELECT conversation_id, record, preview FROM queue WHERE conversation_id = ?",
                vec![conversation_id.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(|r| Ok(serde_json::from_str(&r.record)?))
            .transpose()
    }

    /// Records a handover's latest state: open ones are listed, ended ones leave the
    /// queue. Returns whether anything changed.
    pub fn update(
        &self,
        conversation_id: &str,
        record: &HandoverRecord,
        preview: Option<&str>,
    ) -> ApiResult<bool> {
        if let Some(old) = self.entry(conversation_id)? {
            if !supersedes(record, &old) {
                return Ok(false);
            }
        }
        // The conversation's word replaces whatever the queue had given it.
        self.sql.exec(
            "DELETE FROM reservations WHERE conversation_id = ?",
            vec![conversation_id.into()],
        )?;
        match record.status {
            HandoverStatus::Resolved | HandoverStatus::Cancelled => {
                self.sql.exec(
                    "DELETE FROM queue WHERE conversation_id = ?",
                    vec![conversation_id.into()],
                )?;
            }
            HandoverStatus::Pending | HandoverStatus::Acknowledged => {
                self.sql.exec(
                    "INSERT INTO queue (conversation_id, record, preview, requested_at) \
                     VALUES (?, ?, ?, ?) ON CONFLICT(conversation_id) DO UPDATE SET \
                     record = excluded.record, requested_at = excluded.requested_at, \
                     preview = CASE WHEN ? THEN excluded.preview ELSE queue.preview END",
                    vec![
                        conversation_id.into(),
                        serde_json::to_string(record)?.into(),
                        preview.unwrap_or_default().into(),
                        SqlStorageValue::from(record.requested_at.0 as i64),
                        // SQLite bindings take numbers, not booleans.
                        SqlStorageValue::from(i64::from(preview.is_some())),
                    ],
                )?;
            }
        }
        Ok(true)
    }

    /// Counts a handover the queue just gave `agent_id` towards their load, so that
    /// requests arriving before the conversation confirms it do not overload them.
    pub fn reserve(&self, conversation_id: &str, agent_id: &str) -> ApiResult<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO reservations (conversation_id, agent_id) VALUES (?, ?)",
            vec![conversation_id.into(), agent_id.into()],
        )?;
        Ok(())
    }

    pub fn reservations(&self) -> ApiResult<Reservations> {
        let rows: Vec<ReservationRow> = self
            .sql
            .exec("SELECT conversation_id, agent_id FROM reservations", None)?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| (r.conversation_id, r.agent_id))
            .collect())
    }

    pub fn set_presence(
        &self,
        agent_id: &str,
        name: &str,
        status: Presence,
        at: u64,
    ) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO presence (agent_id, name, status, at) VALUES (?, ?, ?, ?) \
             ON CONFLICT(agent_id) DO UPDATE SET name = excluded.name, \
             status = excluded.status, at = excluded.at",
            vec![
                agent_id.into(),
                name.into(),
                presence_name(status).into(),
                SqlStorageValue::from(at as i64),
            ],
        )?;
        Ok(())
    }

    /// Each agent's last reported presence; agents never heard from are offline.
    pub fn presences(&self) -> ApiResult<HashMap<String, Presence>> {
        let rows: Vec<PresenceRow> = self
            .sql
            .exec("SELECT agent_id, status FROM presence", None)?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let status = match r.status.as_str() {
                    "online" => Presence::Online,
                    "away" => Presence::Away,
                    _ => Presence::Offline,
                };
                (r.agent_id, status)
            })
            .collect())
    }
}

fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}
