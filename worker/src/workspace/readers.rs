//! Who holds a copy of an assistant (its settings, its knowledge revision, the accounts),
//! and the news of a change still to give them. A conversation keeps the settings it read for [`SETTINGS_KEPT_MS`]; a change
//! is announced to every conversation that read that assistant's within that time, by
//! the workspace's alarm, so no conversation asks again on its messages.

use crate::error::ApiResult;
use crate::internal::SETTINGS_KEPT_MS;
use crate::sql::Sql;
use baton_shared::protocol::Millis;
use serde::Deserialize;
use worker::SqlStorageValue;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS settings_readers (
    conversation_id TEXT PRIMARY KEY,
    assistant TEXT NOT NULL,
    read_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS settings_readers_by_time ON settings_readers (read_at);
CREATE TABLE IF NOT EXISTS settings_news (
    conversation_id TEXT PRIMARY KEY,
    assistant TEXT NOT NULL
);
";

/// How many conversations one alarm tells, so that it stays within a request's budget of
/// calls to other objects; a longer list takes more alarms.
pub const NEWS_BATCH: usize = 50;

#[derive(Deserialize)]
pub struct News {
    pub conversation_id: String,
    pub assistant: String,
}

pub struct Readers {
    sql: Sql,
}

impl Readers {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Readers { sql })
    }

    /// `conversation_id` now holds `assistant`'s settings as of `now`. Copies older than
    /// they are kept have expired: their holders ask again, and hear nothing meanwhile.
    pub fn read(&self, conversation_id: &str, assistant: &str, now: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO settings_readers (conversation_id, assistant, read_at) VALUES (?, ?, ?) \
             ON CONFLICT(conversation_id) DO UPDATE SET assistant = excluded.assistant, \
             read_at = excluded.read_at",
            vec![
                conversation_id.into(),
                assistant.into(),
                SqlStorageValue::from(now.0 as i64),
            ],
        )?;
        self.sql.exec(
            "DELETE FROM settings_readers WHERE read_at < ?",
            vec![SqlStorageValue::from(expired_before(now))],
        )?;
        Ok(())
    }

    /// `assistant`'s settings changed: every conversation holding a copy is to hear of it.
    pub fn announce(&self, assistant: &str, now: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO settings_news (conversation_id, assistant) \
             SELECT conversation_id, assistant FROM settings_readers \
             WHERE assistant = ? AND read_at >= ?",
            vec![assistant.into(), SqlStorageValue::from(expired_before(now))],
        )?;
        Ok(())
    }

    /// What every assistant's copy holds of the accounts changed: every conversation
    /// holding one is to hear of it.
    pub fn announce_all(&self, now: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO settings_news (conversation_id, assistant) \
             SELECT conversation_id, assistant FROM settings_readers WHERE read_at >= ?",
            vec![SqlStorageValue::from(expired_before(now))],
        )?;
        Ok(())
    }

    /// The next news to give, at most [`NEWS_BATCH`], taken off the list.
    pub fn take(&self) -> ApiResult<Vec<News>> {
        let news: Vec<News> = self
            .sql
            .exec(
                "DELETE FROM settings_news WHERE conversation_id IN \
                 (SELECT conversation_id FROM settings_news LIMIT ?) \
                 RETURNING conversation_id, assistant",
                vec![SqlStorageValue::from(NEWS_BATCH as i64)],
            )?
            .to_array()?;
        Ok(news)
    }
}

fn expired_before(now: Millis) -> i64 {
    now.0.saturating_sub(SETTINGS_KEPT_MS) as i64
}
