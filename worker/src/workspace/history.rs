//! Every handover the workspace has heard of, open or ended, and the ratings of chats
//! the assistant answered alone, for the analytics, and which browser (the widget's visitor
//! id) each conversation is of, for the agents' summary panel. Like the queue it keeps what the
//! conversations report, the latest revision of each record, and decides nothing.

use crate::error::ApiResult;
use crate::sql::Sql;
use baton_shared::analytics::typical_wait;
use baton_shared::protocol::{EarlierChat, HandoverRecord, Millis, QueueEntry, Rating};
use serde::Deserialize;
use worker::SqlStorageValue;

/// The expected wait a new visitor is told is that of the last this many handovers
/// claimed within the window.
const TYPICAL_WAIT_OF: usize = 50;
const TYPICAL_WAIT_WINDOW_MS: u64 = 7 * 24 * 3600 * 1000;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS handovers (
    conversation_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    assistant TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    record TEXT NOT NULL,
    question TEXT,
    PRIMARY KEY (conversation_id, id)
);
CREATE TABLE IF NOT EXISTS visitors (
    conversation_id TEXT PRIMARY KEY,
    visitor TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS visitors_by_visitor ON visitors (visitor, at);
CREATE TABLE IF NOT EXISTS assistant_ratings (
    conversation_id TEXT PRIMARY KEY,
    assistant TEXT NOT NULL,
    at INTEGER NOT NULL,
    rating TEXT NOT NULL
);
";

#[derive(Deserialize)]
struct Row {
    conversation_id: String,
    record: String,
    question: Option<String>,
}

#[derive(Deserialize)]
struct RatingRow {
    rating: String,
}

pub struct History {
    sql: Sql,
}

impl History {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(History { sql })
    }

    /// Keeps `record` unless a later revision of it is already here (updates can arrive
    /// out of order). `question`: the visitor's words that started it (the queue's
    /// preview), known only when it was requested; later updates keep them.
    pub fn record(
        &self,
        conversation_id: &str,
        record: &HandoverRecord,
        question: Option<&str>,
    ) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO handovers (conversation_id, id, revision, assistant, requested_at, record, question) \
             VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (conversation_id, id) DO UPDATE SET \
               revision = excluded.revision, record = excluded.record, \
               question = COALESCE(excluded.question, handovers.question) \
             WHERE excluded.revision >= handovers.revision",
            vec![
                conversation_id.into(),
                SqlStorageValue::from(i64::from(record.id)),
                SqlStorageValue::from(i64::from(record.revision)),
                record.assistant.as_str().into(),
                SqlStorageValue::from(record.requested_at.0 as i64),
                serde_json::to_string(record)?.into(),
                question.map_or(SqlStorageValue::Null, SqlStorageValue::from),
            ],
        )?;
        Ok(())
    }

    /// The most recently requested handovers that ended (resolved or cancelled), at most
    /// `limit`: for the inbox's "Closed" tab.
    pub fn ended(&self, limit: usize) -> ApiResult<Vec<QueueEntry>> {
        self.entries(
            "SELECT conversation_id, record, question FROM handovers \
             WHERE json_extract(record, '$.status') IN ('resolved', 'cancelled') \
             ORDER BY requested_at DESC LIMIT ?",
            vec![SqlStorageValue::from(limit as i64)],
        )
    }

    /// The assistant's handovers requested from `from` until before `to`.
    pub fn between(&self, assistant: &str, from: Millis, to: Millis) -> ApiResult<Vec<QueueEntry>> {
        self.entries(
            "SELECT conversation_id, record, question FROM handovers \
             WHERE assistant = ? AND requested_at >= ? AND requested_at < ?",
            vec![
                assistant.into(),
                SqlStorageValue::from(from.0 as i64),
                SqlStorageValue::from(to.0 as i64),
            ],
        )
    }

    /// Keeps the visitor's rating of a chat the assistant answered alone; a conversation
    /// rates its assistant once, so a repeated report changes nothing.
    pub fn rated(&self, conversation_id: &str, assistant: &str, rating: &Rating) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO assistant_ratings (conversation_id, assistant, at, rating) VALUES (?, ?, ?, ?) \
             ON CONFLICT (conversation_id) DO NOTHING",
            vec![
                conversation_id.into(),
                assistant.into(),
                SqlStorageValue::from(rating.at.0 as i64),
                serde_json::to_string(rating)?.into(),
            ],
        )?;
        Ok(())
    }

    /// How long the last handovers of the past week waited from the request to a
    /// person's claim (a message left for later is not a wait anyone sat through). One
    /// query per new conversation, none per message.
    pub fn typical_wait(&self, now: Millis) -> ApiResult<Option<u64>> {
        #[derive(Deserialize)]
        struct Wait {
            wait: i64,
        }
        let rows: Vec<Wait> = self
            .sql
            .exec(
                "SELECT json_extract(record, '$.claimed_at') - requested_at AS wait FROM handovers \
                 WHERE requested_at >= ? AND json_extract(record, '$.claimed_at') IS NOT NULL \
                 AND json_extract(record, '$.trigger') != 'offline_message' \
                 ORDER BY requested_at DESC LIMIT ?",
                vec![
                    SqlStorageValue::from(now.0.saturating_sub(TYPICAL_WAIT_WINDOW_MS) as i64),
                    SqlStorageValue::from(TYPICAL_WAIT_OF as i64),
                ],
            )?
            .to_array()?;
        Ok(typical_wait(
            rows.into_iter().map(|r| r.wait.max(0) as u64).collect(),
        ))
    }

    /// The ratings of the assistant alone given from `from` until before `to`.
    pub fn ratings_between(
        &self,
        assistant: &str,
        from: Millis,
        to: Millis,
    ) -> ApiResult<Vec<Rating>> {
        let rows: Vec<RatingRow> = self
            .sql
            .exec(
                "SELECT rating FROM assistant_ratings WHERE assistant = ? AND at >= ? AND at < ?",
                vec![
                    assistant.into(),
                    SqlStorageValue::from(from.0 as i64),
                    SqlStorageValue::from(to.0 as i64),
                ],
            )?
            .to_array()?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.rating)?))
            .collect()
    }

    /// Conversation `conversation_id` is of the browser `visitor`; the first word stays.
    pub fn visitor(&self, conversation_id: &str, visitor: &str, at: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO visitors (conversation_id, visitor, at) VALUES (?, ?, ?) \
             ON CONFLICT (conversation_id) DO NOTHING",
            vec![
                conversation_id.into(),
                visitor.into(),
                SqlStorageValue::from(at.0 as i64),
            ],
        )?;
        Ok(())
    }

    /// The browser `visitor`'s conversations other than `except`, the latest `limit`, each
    /// with its latest handover or, without one, its rating of the assistant.
    pub fn earlier(
        &self,
        visitor: &str,
        except: &str,
        limit: usize,
    ) -> ApiResult<Vec<EarlierChat>> {
        #[derive(Deserialize)]
        struct EarlierRow {
            conversation_id: String,
            at: i64,
            record: Option<String>,
            rating: Option<String>,
        }
        let rows: Vec<EarlierRow> = self
            .sql
            .exec(
                "SELECT v.conversation_id, v.at, \
                   (SELECT record FROM handovers h WHERE h.conversation_id = v.conversation_id \
                    ORDER BY h.id DESC LIMIT 1) AS record, \
                   (SELECT rating FROM assistant_ratings r \
                    WHERE r.conversation_id = v.conversation_id) AS rating \
                 FROM visitors v WHERE v.visitor = ? AND v.conversation_id != ? \
                 ORDER BY v.at DESC LIMIT ?",
                vec![
                    visitor.into(),
                    except.into(),
                    SqlStorageValue::from(limit as i64),
                ],
            )?
            .to_array()?;
        rows.into_iter()
            .map(|r| {
                Ok(EarlierChat {
                    conversation_id: r.conversation_id,
                    at: Millis(r.at as u64),
                    handover: r.record.map(|j| serde_json::from_str(&j)).transpose()?,
                    assistant_rating: r.rating.map(|j| serde_json::from_str(&j)).transpose()?,
                })
            })
            .collect()
    }

    /// Rows as queue entries, the `preview` being the visitor's words that started each.
    fn entries(&self, query: &str, bindings: Vec<SqlStorageValue>) -> ApiResult<Vec<QueueEntry>> {
        let rows: Vec<Row> = self.sql.exec(query, bindings)?.to_array()?;
        rows.into_iter()
            .map(|r| {
                Ok(QueueEntry {
                    conversation_id: r.conversation_id,
                    handover: serde_json::from_str(&r.record)?,
                    preview: r.question.unwrap_or_default(),
                })
            })
            .collect()
    }
}
