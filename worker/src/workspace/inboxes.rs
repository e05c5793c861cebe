//! Which agents have an inbox open: their hibernatable sockets (tagged `inbox`, each
//! carrying its agent, its own id and when it was last heard from), and when an agent's
//! last one went, kept in SQL so that an evicted object still knows. shared's
//! `presence` rules turn that and the chosen status into what routing sees.

use super::{Stores, WorkspaceObject};
use crate::auth::random_id;
use crate::error::ApiResult;
use crate::internal::{self, now};
use crate::sql::Sql;
use baton_shared::presence::{grace_ends, is_silent, Inbox, SWEEP_MS};
use baton_shared::protocol::{AgentRef, Millis};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use worker::{SqlStorageValue, WebSocket};

pub const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS inbox_gone (agent_id TEXT PRIMARY KEY, at INTEGER NOT NULL);";

/// What an inbox socket carries. No `#[serde(flatten)]`: the runtime keeps an
/// attachment as a JS value, where a flattened struct becomes a `Map` that reads back as
/// nothing, and the socket's agent would be lost.
#[derive(Serialize, Deserialize)]
pub struct InboxSocket {
    pub agent: AgentRef,
    /// Tells this socket from the agent's others.
    socket: String,
    heard: u64,
}

#[derive(Deserialize)]
struct GoneRow {
    agent_id: String,
    at: i64,
}

pub struct Inboxes {
    sql: Sql,
}

impl Inboxes {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Inboxes { sql })
    }

    /// The agent is back, or set their status anew: nothing went.
    pub fn forget(&self, agent_id: &str) -> ApiResult<()> {
        self.sql.exec(
            "DELETE FROM inbox_gone WHERE agent_id = ?",
            vec![agent_id.into()],
        )?;
        Ok(())
    }

    fn gone(&self, agent_id: &str, at: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO inbox_gone (agent_id, at) VALUES (?, ?)",
            vec![agent_id.into(), SqlStorageValue::from(at.0 as i64)],
        )?;
        Ok(())
    }

    fn all_gone(&self) -> ApiResult<HashMap<String, Millis>> {
        let rows: Vec<GoneRow> = self
            .sql
            .exec("SELECT agent_id, at FROM inbox_gone", None)?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| (r.agent_id, Millis(r.at as u64)))
            .collect())
    }
}

pub(super) fn attachment(ws: &WebSocket) -> Option<InboxSocket> {
    ws.deserialize_attachment::<InboxSocket>().ok().flatten()
}

impl WorkspaceObject {
    /// A new inbox socket of `agent`: accepted, and the agent is there again.
    pub(super) async fn accept_inbox(
        &self,
        stores: &Stores,
        server: &WebSocket,
        agent: AgentRef,
    ) -> ApiResult<()> {
        self.state.accept_websocket_with_tags(server, &["inbox"]);
        let at = now();
        stores.inboxes.forget(&agent.id)?;
        server.serialize_attachment(&InboxSocket {
            agent,
            socket: random_id()?,
            heard: at.0,
        })?;
        // The sweeps that notice a socket gone silent.
        self.alarm_by(Millis(at.0 + SWEEP_MS)).await
    }

    /// A ping from an inbox: heard now, and a pong so that the inbox knows it is heard.
    pub(super) fn heard(&self, ws: &WebSocket) -> ApiResult<()> {
        if let Some(mut link) = attachment(ws) {
            link.heard = now().0;
            ws.serialize_attachment(&link)?;
        }
        let _ = ws.send_with_str("pong");
        Ok(())
    }

    /// An inbox socket closed (or failed, or went silent): if it was its agent's last,
    /// their grace starts.
    pub(super) async fn inbox_closed(&self, ws: &WebSocket) -> ApiResult<()> {
        let Some(closed) = attachment(ws) else {
            return Ok(());
        };
        let others = self
            .state
            .get_websockets_with_tag("inbox")
            .iter()
            .filter_map(attachment)
            .any(|s| s.agent.id == closed.agent.id && s.socket != closed.socket);
        if !others {
            let at = now();
            self.stores()?.inboxes.gone(&closed.agent.id, at)?;
            self.alarm_by(grace_ends(at)).await?;
        }
        Ok(())
    }

    /// Where each agent's inboxes stand now.
    pub(super) fn inboxes_now(&self, stores: &Stores) -> ApiResult<HashMap<String, Inbox>> {
        let mut out: HashMap<String, Inbox> = stores
            .inboxes
            .all_gone()?
            .into_iter()
            .map(|(id, at)| (id, Inbox::GoneSince(at)))
            .collect();
        for s in self
            .state
            .get_websockets_with_tag("inbox")
            .iter()
            .filter_map(attachment)
        {
            out.insert(s.agent.id, Inbox::Open);
        }
        Ok(out)
    }

    /// The alarm's part for presence: closes sockets gone silent, re-routes what waits
    /// when an agent's grace has ended, and says when to look again.
    pub(super) async fn sweep_inboxes(&self, stores: &Stores) -> ApiResult<Option<Millis>> {
        let at = now();
        let sockets = self.state.get_websockets_with_tag("inbox");
        for ws in &sockets {
            if attachment(ws).is_some_and(|s| is_silent(Millis(s.heard), at)) {
                let _ = ws.close(Some(4000), Some("no heartbeat: reconnect"));
                self.inbox_closed(ws).await?;
            }
        }
        let gone = stores.inboxes.all_gone()?;
        if gone.values().any(|g| grace_ends(*g) <= at) {
            self.reroute_waiting(stores).await?;
        }
        let next_grace = gone
            .values()
            .map(|g| grace_ends(*g))
            .filter(|g| *g > at)
            .min();
        let next_sweep = (!sockets.is_empty()).then(|| Millis(at.0 + SWEEP_MS));
        Ok(next_grace.into_iter().chain(next_sweep).min())
    }

    /// Sets the alarm for `at` unless it is set for earlier: the alarm serves webhooks
    /// and news too.
    pub(super) async fn alarm_by(&self, at: Millis) -> ApiResult<()> {
        let set = self.state.storage().get_alarm().await?;
        if set.is_none_or(|s| s as u64 > at.0) {
            internal::set_alarm(&self.state, at).await?;
        }
        Ok(())
    }
}
