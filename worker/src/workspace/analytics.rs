//! The workspace's analytics routes (the router and the gate let only admins reach them):
//! the figures of an assistant's handovers in a period, computed by shared's
//! `analytics`, and the same handovers' records as CSV.

use super::Stores;
use crate::error::{ApiError, ApiResult};
use crate::internal::{json_response, now};
use baton_shared::analytics::{date_at, summarize, to_csv, Handover, Period};
use baton_shared::protocol::Millis;
use serde::Deserialize;
use worker::{Request, Response};

/// `?assistant=&from=&to=&utc_offset=`, as the router checked them.
#[derive(Deserialize)]
struct AnalyticsQuery {
    assistant: String,
    #[serde(default)]
    from: u64,
    to: Option<u64>,
    #[serde(default)]
    utc_offset: i32,
}

/// `rest` is the path after `/analytics`: nothing for the figures, `/export` for the CSV.
pub(super) fn route(stores: &Stores, req: &Request, rest: &str) -> ApiResult<Response> {
    let q: AnalyticsQuery = req
        .query()
        .map_err(|e| ApiError::Internal(format!("analytics query: {e}")))?;
    let period = Period {
        from: Millis(q.from),
        to: q.to.map_or(now(), Millis),
        utc_offset_minutes: q.utc_offset,
    };
    let found = stores
        .history
        .between(&q.assistant, period.from, period.to)?;
    let handovers: Vec<Handover> = found
        .iter()
        .map(|e| Handover {
            conversation_id: &e.conversation_id,
            record: &e.handover,
            question: Some(e.preview.as_str()).filter(|p| !p.is_empty()),
        })
        .collect();
    match rest {
        "" => {
            let alone = stores
                .history
                .ratings_between(&q.assistant, period.from, period.to)?;
            json_response(&summarize(&handovers, &alone, &period), 200)
        }
        "/export" => {
            let mut response = Response::ok(to_csv(&handovers))?;
            let headers = response.headers_mut();
            headers.set("content-type", "text/csv; charset=utf-8")?;
            let last = Millis(period.to.0.saturating_sub(1).max(period.from.0));
            let (first, last) = (
                date_at(period.from, q.utc_offset),
                date_at(last, q.utc_offset),
            );
            headers.set(
                "content-disposition",
                &format!(
                    "attachment; filename=\"handovers-{}-{first}-to-{last}.csv\"",
                    q.assistant
                ),
            )?;
            Ok(response)
        }
        _ => Err(ApiError::NotFound("no such analytics route".into())),
    }
}
