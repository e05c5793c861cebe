//! Counters of what chat traffic costs inside the Worker, for `scripts/bench`: requests
//! the workspace's object serves, SQL statements, alarms set, messages stored, frames
//! sent. Off unless `BENCH_COUNTERS` is set; then `GET /api/bench` reads them. They are
//! per isolate: locally (wrangler dev, scripts/serve) the router and every object share
//! one, so the figures cover the whole Worker.

use crate::config::{self, Setting};
use serde_json::{json, Value};
use std::cell::Cell;
use worker::Env;

#[derive(Clone, Copy)]
pub enum Counter {
    WorkspaceRequests,
    /// Of those: a conversation reading its settings.
    WorkspaceSettingsReads,
    /// Of those: a conversation's handover record changed (`/queue/request`, `/queue/update`).
    WorkspaceHandoverEvents,
    ConversationSql,
    WorkspaceSql,
    AlarmsSet,
    MessagesStored,
    FramesSent,
}

const NAMES: [&str; 8] = [
    "workspace_requests",
    "workspace_settings_reads",
    "workspace_handover_events",
    "conversation_sql",
    "workspace_sql",
    "alarms_set",
    "messages_stored",
    "frames_sent",
];

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static COUNTS: [Cell<u64>; 8] = const { [const { Cell::new(0) }; 8] };
}

/// Turns counting on when the deployment asks for it; called where the Worker first
/// sees its environment (a request, an object's construction).
pub fn enable_from(env: &Env) {
    if !ON.get() && config::optional(env, Setting::BenchCounters).is_some() {
        ON.set(true);
    }
}

/// Whether this is a benchmark's deployment: it offers each conversation more visitor
/// messages than a person types, so their limit is lifted (docs/performance.md).
pub fn running() -> bool {
    ON.get()
}

pub fn count(counter: Counter) {
    if ON.get() {
        COUNTS.with(|c| c[counter as usize].set(c[counter as usize].get() + 1));
    }
}

/// Every counter by name, or `None` when counting is off.
pub fn report() -> Option<Value> {
    ON.get().then(|| {
        COUNTS.with(|c| {
            let pairs = NAMES
                .iter()
                .zip(c.iter())
                .map(|(n, v)| (n.to_string(), json!(v.get())));
            Value::Object(pairs.collect())
        })
    })
}
