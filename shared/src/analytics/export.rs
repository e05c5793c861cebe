//! The handover records as CSV (RFC 4180), one row per handover, oldest request first:
//! what `GET /api/analytics/export` answers, for a spreadsheet.

use super::{first_reply_ms, iso_time, resolution_ms, wait_ms, Handover};
use crate::protocol::Millis;

/// The columns, in order (docs/protocol.md describes each).
pub const COLUMNS: [&str; 19] = [
    "conversation_id",
    "handover_id",
    "assistant",
    "status",
    "trigger",
    "requested_at",
    "claimed_at",
    "first_reply_at",
    "ended_at",
    "holder_id",
    "holder",
    "transfers",
    "wait_ms",
    "first_reply_ms",
    "resolution_ms",
    "rating",
    "rating_comment",
    "end_reason",
    "question",
];

/// One row per handover: times in UTC (ISO 8601), durations in milliseconds, empty
/// where there is nothing (not claimed, not ended, not rated). `ended_at` and
/// `end_reason` are when and why it was resolved or, for a cancelled one, cancelled.
pub fn to_csv(handovers: &[Handover]) -> String {
    let mut sorted: Vec<&Handover> = handovers.iter().collect();
    sorted.sort_by(|a, b| {
        (a.record.requested_at, a.conversation_id, a.record.id).cmp(&(
            b.record.requested_at,
            b.conversation_id,
            b.record.id,
        ))
    });
    let mut out = String::new();
    line(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    let time = |at: Option<Millis>| at.map(iso_time).unwrap_or_default();
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for h in sorted {
        let r = h.record;
        let reason = r
            .end_reason
            .map(|e| e.name())
            .or(r.cancel_reason.map(|c| c.name()));
        line(
            &mut out,
            [
                h.conversation_id.to_string(),
                r.id.to_string(),
                r.assistant.clone(),
                r.status.name().to_string(),
                r.trigger.name().to_string(),
                iso_time(r.requested_at),
                time(r.claimed_at),
                time(r.first_reply_at),
                time(r.ended_at.or(r.cancelled_at)),
                r.holder.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
                r.holder
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                r.transfers.len().to_string(),
                number(wait_ms(r)),
                number(first_reply_ms(r)),
                number(resolution_ms(r)),
                number(r.rating.as_ref().map(|g| u64::from(g.score))),
                r.rating
                    .as_ref()
                    .and_then(|g| g.comment.clone())
                    .unwrap_or_default(),
                reason.unwrap_or_default().to_string(),
                h.question.unwrap_or_default().to_string(),
            ],
        );
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(&cell));
    }
    out.push_str("\r\n");
}

/// One cell: quoted when it holds a comma, a quote or a line break. Text that a
/// spreadsheet would run as a formula (a visitor's words starting with `=`, `+`, `-`,
/// `@`) gets a leading `'`, so that it is shown, not run.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
