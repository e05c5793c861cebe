//! The workspace's live queue and agent presence, in SQLite. It only ever hears about
//! handovers, never messages, and it never decides who holds a conversation: it lists
//! what the conversations report, and the facts routing needs (places, presence, load).
//! What routing and places need is in columns with indexes, so a change costs the rows it
//! touches, not a read of every open handover.

use crate::error::ApiResult;
use crate::sql::Sql;
use baton_shared::handover::QueueKey;
use baton_shared::protocol::{HandoverRecord, HandoverStatus, Millis, Presence, QueueEntry};
use serde::Deserialize;
use std::collections::HashMap;
use worker::SqlStorageValue;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS open_handovers (
    conversation_id TEXT PRIMARY KEY,
    handover_id INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    waiting INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    holder_id TEXT,
    record TEXT NOT NULL,
    preview TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS open_handovers_by_place
    ON open_handovers (waiting, requested_at, conversation_id);
CREATE INDEX IF NOT EXISTS open_handovers_by_holder ON open_handovers (holder_id);
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

const ENTRY: &str = "SELECT conversation_id, record, preview FROM open_handovers";

#[derive(Deserialize)]
struct EntryRow {
    conversation_id: String,
    record: String,
    preview: String,
}

impl EntryRow {
    fn into_entry(self) -> ApiResult<QueueEntry> {
        Ok(QueueEntry {
            conversation_id: self.conversation_id,
            handover: serde_json::from_str(&self.record)?,
            preview: self.preview,
        })
    }
}

#[derive(Deserialize)]
struct StandingRow {
    handover_id: i64,
    revision: i64,
    waiting: i64,
    requested_at: i64,
}

#[derive(Deserialize)]
struct WaitingRow {
    conversation_id: String,
    handover_id: i64,
    requested_at: i64,
}

#[derive(Deserialize)]
struct CountRow {
    agent_id: String,
    n: i64,
}

#[derive(Deserialize)]
struct PresenceRow {
    agent_id: String,
    status: String,
}

/// Where a conversation's handover stands in the queue, as stored.
struct Standing {
    handover_id: u32,
    revision: u32,
    /// Its place in the order while it waits; `None` while held.
    waiting: Option<QueueKey>,
}

/// What an update did to the queue: the place in the order before and after (`None` when
/// not waiting), for [`baton_shared::handover::shifted`].
pub struct Change {
    pub before: Option<QueueKey>,
    pub after: Option<QueueKey>,
}

pub struct Queue {
    sql: Sql,
}

impl Queue {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Queue { sql })
    }

    /// Storage written before the queue had columns kept its records in `queue`: they
    /// move to `open_handovers`, once (when the storage has no layout version yet).
    pub fn migrate(&self) -> ApiResult<()> {
        #[derive(Deserialize)]
        struct Found {
            n: i64,
        }
        let found: Found = self
            .sql
            .exec(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'queue'",
                None,
            )?
            .one()?;
        if found.n == 0 {
            return Ok(());
        }
        let rows: Vec<EntryRow> = self
            .sql
            .exec("SELECT conversation_id, record, preview FROM queue", None)?
            .to_array()?;
        for row in rows {
            let entry = row.into_entry()?;
            self.update(
                &entry.conversation_id,
                &entry.handover,
                Some(&entry.preview),
            )?;
        }
        self.sql.exec("DROP TABLE queue", None)?;
        Ok(())
    }

    /// Every open handover, oldest request first.
    pub fn entries(&self) -> ApiResult<Vec<QueueEntry>> {
        let rows: Vec<EntryRow> = self
            .sql
            .exec(
                &format!("{ENTRY} ORDER BY requested_at, conversation_id"),
                None,
            )?
            .to_array()?;
        rows.into_iter().map(EntryRow::into_entry).collect()
    }

    pub fn entry(&self, conversation_id: &str) -> ApiResult<Option<QueueEntry>> {
        let rows: Vec<EntryRow> = self
            .sql
            .exec(
                &format!("{ENTRY} WHERE conversation_id = ?"),
                vec![conversation_id.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(EntryRow::into_entry)
            .transpose()
    }

    fn standing(&self, conversation_id: &str) -> ApiResult<Option<Standing>> {
        let rows: Vec<StandingRow> = self
            .sql
            .exec(
                "SELECT handover_id, revision, waiting, requested_at FROM open_handovers \
                 WHERE conversation_id = ?",
                vec![conversation_id.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| Standing {
            handover_id: r.handover_id as u32,
            revision: r.revision as u32,
            waiting: (r.waiting != 0)
                .then(|| (Millis(r.requested_at as u64), conversation_id.to_string())),
        }))
    }

    /// Records a handover's latest state: open ones are listed, ended ones leave the
    /// queue. `None` when the queue already had a later word (updates can arrive out of
    /// order: a newer handover, or a later revision of the same one, wins).
    pub fn update(
        &self,
        conversation_id: &str,
        record: &HandoverRecord,
        preview: Option<&str>,
    ) -> ApiResult<Option<Change>> {
        let old = self.standing(conversation_id)?;
        if let Some(old) = &old {
            if (record.id, record.revision) < (old.handover_id, old.revision) {
                return Ok(None);
            }
        }
        // The conversation's word replaces whatever the queue had given it.
        self.sql.exec(
            "DELETE FROM reservations WHERE conversation_id = ?",
            vec![conversation_id.into()],
        )?;
        let waiting = record.status == HandoverStatus::Pending;
        match record.status {
            HandoverStatus::Resolved | HandoverStatus::Cancelled => {
                self.sql.exec(
                    "DELETE FROM open_handovers WHERE conversation_id = ?",
                    vec![conversation_id.into()],
                )?;
            }
            HandoverStatus::Pending | HandoverStatus::Acknowledged => {
                let holder = record.holder.as_ref().map(|h| h.id.as_str());
                self.sql.exec(
                    "INSERT INTO open_handovers (conversation_id, handover_id, revision, waiting, \
                     requested_at, holder_id, record, preview) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT(conversation_id) DO UPDATE SET handover_id = excluded.handover_id, \
                     revision = excluded.revision, waiting = excluded.waiting, \
                     requested_at = excluded.requested_at, holder_id = excluded.holder_id, \
                     record = excluded.record, \
                     preview = CASE WHEN ? THEN excluded.preview ELSE open_handovers.preview END",
                    vec![
                        conversation_id.into(),
                        SqlStorageValue::from(i64::from(record.id)),
                        SqlStorageValue::from(i64::from(record.revision)),
                        SqlStorageValue::from(i64::from(waiting)),
                        SqlStorageValue::from(record.requested_at.0 as i64),
                        holder.map_or(SqlStorageValue::Null, SqlStorageValue::from),
                        serde_json::to_string(record)?.into(),
                        preview.unwrap_or_default().into(),
                        // SQLite bindings take numbers, not booleans.
                        SqlStorageValue::from(i64::from(preview.is_some())),
                    ],
                )?;
            }
        }
        Ok(Some(Change {
            before: old.and_then(|o| o.waiting),
            after: waiting.then(|| (record.requested_at, conversation_id.to_string())),
        }))
    }

    /// The place (1 = next) a handover at `key` has, or would have, among those waiting.
    pub fn position(&self, key: &QueueKey) -> ApiResult<u32> {
        #[derive(Deserialize)]
        struct Ahead {
            n: i64,
        }
        let ahead: Ahead = self
            .sql
            .exec(
                "SELECT COUNT(*) AS n FROM open_handovers WHERE waiting = 1 \
                 AND (requested_at, conversation_id) < (?, ?)",
                vec![
                    SqlStorageValue::from(key.0 .0 as i64),
                    key.1.as_str().into(),
                ],
            )?
            .one()?;
        Ok(ahead.n as u32 + 1)
    }

    /// The waiting handovers strictly after `low` and, when given, before `high`, in
    /// order, with their places: `(conversation id, handover id, place)`.
    pub fn places_between(
        &self,
        low: &QueueKey,
        high: Option<&QueueKey>,
    ) -> ApiResult<Vec<(String, u32, u32)>> {
        let mut bindings = vec![
            SqlStorageValue::from(low.0 .0 as i64),
            low.1.as_str().into(),
        ];
        let mut query = "SELECT conversation_id, handover_id, requested_at FROM open_handovers \
                         WHERE waiting = 1 AND (requested_at, conversation_id) > (?, ?)"
            .to_string();
        if let Some(high) = high {
            query.push_str(" AND (requested_at, conversation_id) < (?, ?)");
            bindings.extend([
                SqlStorageValue::from(high.0 .0 as i64),
                high.1.as_str().into(),
            ]);
        }
        query.push_str(" ORDER BY requested_at, conversation_id");
        let rows: Vec<WaitingRow> = self.sql.exec(&query, bindings)?.to_array()?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        // The rows follow each other in the order: the first's place, then one more each.
        let first = self.position(&(
            Millis(first.requested_at as u64),
            first.conversation_id.clone(),
        ))?;
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r.conversation_id, r.handover_id as u32, first + i as u32))
            .collect())
    }

    /// The waiting handovers nobody has been given yet, oldest first.
    pub fn unreserved_waiting(&self) -> ApiResult<Vec<QueueEntry>> {
        let rows: Vec<EntryRow> = self
            .sql
            .exec(
                &format!(
                    "{ENTRY} WHERE waiting = 1 AND conversation_id NOT IN \
                     (SELECT conversation_id FROM reservations) ORDER BY requested_at, conversation_id"
                ),
                None,
            )?
            .to_array()?;
        rows.into_iter().map(EntryRow::into_entry).collect()
    }

    /// How many handovers each agent holds now, or has been given and not yet taken up.
    pub fn loads(&self) -> ApiResult<HashMap<String, u32>> {
        let rows: Vec<CountRow> = self
            .sql
            .exec(
                "SELECT agent_id, SUM(n) AS n FROM ( \
                   SELECT holder_id AS agent_id, COUNT(*) AS n FROM open_handovers \
                   WHERE waiting = 0 AND holder_id IS NOT NULL GROUP BY holder_id \
                   UNION ALL SELECT agent_id, COUNT(*) AS n FROM reservations GROUP BY agent_id \
                 ) GROUP BY agent_id",
                None,
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| (r.agent_id, r.n as u32)).collect())
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
