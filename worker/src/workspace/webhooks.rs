//! Handover events for the owner's own systems: every record change the workspace hears
//! of is POSTed to `WEBHOOK_URL`, signed with `WEBHOOK_SECRET`. An outbox in the
//! workspace's storage, emptied in order by its alarm, so an event survives a failed
//! delivery and a restart: each is delivered at least once, retried with backoff.

use crate::auth::hex;
use crate::config::{self, Setting};
use crate::error::ApiResult;
use crate::internal::{now, post_out};
use crate::sql::Sql;
use baton_shared::protocol::{HandoverRecord, Millis};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use worker::{Env, SqlStorageValue};

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL
);
";

/// Events one alarm delivers before it hands over to the next.
const BATCH: usize = 50;
/// The longest wait between two tries of a failing delivery.
const MAX_BACKOFF_MS: u64 = 10 * 60 * 1000;

/// What the owner's endpoint receives.
#[derive(Serialize)]
struct Event<'a> {
    /// Grows with every event; deliveries are in this order, but a retried one may come
    /// twice. Keep the highest `(handover.id, handover.revision)` per conversation.
    seq: i64,
    event: &'static str,
    conversation_id: &'a str,
    handover: &'a HandoverRecord,
}

#[derive(Deserialize)]
struct Row {
    seq: i64,
    body: String,
    attempts: i64,
    next_at: i64,
}

pub struct Webhooks {
    sql: Sql,
    url: String,
    secret: String,
}

impl Webhooks {
    /// `None` when `WEBHOOK_URL` is not set: there is nothing to deliver.
    pub fn open(sql: Sql, env: &Env) -> ApiResult<Option<Self>> {
        let Some(url) = config::optional(env, Setting::WebhookUrl) else {
            return Ok(None);
        };
        let secret = config::optional(env, Setting::WebhookSecret).unwrap_or_default();
        Ok(Some(Webhooks { sql, url, secret }))
    }

    /// Puts a handover's change in the outbox; the caller sets the alarm.
    pub fn enqueue(&self, conversation_id: &str, handover: &HandoverRecord) -> ApiResult<()> {
        // The body carries its own sequence number, which SQLite gives on insert.
        #[derive(Deserialize)]
        struct Inserted {
            seq: i64,
        }
        let inserted: Vec<Inserted> = self
            .sql
            .exec(
                "INSERT INTO outbox (body, next_at) VALUES ('', ?) RETURNING seq",
                vec![SqlStorageValue::from(now().0 as i64)],
            )?
            .to_array()?;
        let seq = inserted.first().map_or(0, |i| i.seq);
        let body = serde_json::to_string(&Event {
            seq,
            event: "handover",
            conversation_id,
            handover,
        })?;
        self.sql.exec(
            "UPDATE outbox SET body = ? WHERE seq = ?",
            vec![body.into(), SqlStorageValue::from(seq)],
        )?;
        Ok(())
    }

    /// Delivers what is due, oldest first, and stops at the first failure so that order
    /// holds. Returns when to run again, if anything is left.
    pub async fn deliver(&self) -> ApiResult<Option<Millis>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT seq, body, attempts, next_at FROM outbox ORDER BY seq LIMIT ?",
                vec![SqlStorageValue::from(BATCH as i64)],
            )?
            .to_array()?;
        for row in &rows {
            // A failed one waits out its backoff, and everything behind it waits too.
            let due = row.next_at.max(0) as u64;
            if due > now().0 {
                return Ok(Some(Millis(due)));
            }
            if self.post(&row.body).await {
                self.sql.exec(
                    "DELETE FROM outbox WHERE seq = ?",
                    vec![SqlStorageValue::from(row.seq)],
                )?;
                continue;
            }
            let attempts = row.attempts + 1;
            let wait = (1000u64 << attempts.clamp(0, 20)).min(MAX_BACKOFF_MS);
            let next_at = now().0 + wait;
            self.sql.exec(
                "UPDATE outbox SET attempts = ?, next_at = ? WHERE seq = ?",
                vec![
                    SqlStorageValue::from(attempts),
                    SqlStorageValue::from(next_at as i64),
                    SqlStorageValue::from(row.seq),
                ],
            )?;
            return Ok(Some(Millis(next_at)));
        }
        // A full batch may have more behind it.
        Ok((rows.len() == BATCH).then(now))
    }

    /// One POST; true on a 2xx answer.
    async fn post(&self, body: &str) -> bool {
        let signature = (!self.secret.is_empty()).then(|| {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).expect("any key length");
            mac.update(body.as_bytes());
            format!("sha256={}", hex(&mac.finalize().into_bytes()))
        });
        let extra: Vec<(&str, &str)> = signature
            .iter()
            .map(|s| ("x-baton-signature", s.as_str()))
            .collect();
        match post_out(&self.url, body.to_string(), &extra).await {
            Ok(response) => (200..300).contains(&response.status_code()),
            Err(e) => {
                worker::console_error!("webhook delivery failed: {e:?}");
                false
            }
        }
    }
}
