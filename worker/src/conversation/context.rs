//! The visitor's context (`baton_shared::protocol::VisitorContext`): the widget reports the
//! page on connecting and on every page change; this object alone keeps it, with the
//! conversation, and shows it to agents (`GET .../context` and a `context` frame on their
//! sockets, never the visitor's). The first report naming the browser's visitor id tells
//! the workspace, once per conversation, so that agents see that browser's other chats.

use super::store::Store;
use super::ConversationObject;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, VisitorSeen};
use crate::socket::send_all;
use baton_shared::limits::CONTEXT_REPORTS;
use baton_shared::protocol::{
    conversation_title, ContextView, EarlierChat, HandoverStatus, Millis, PageReport, PageVisit,
    VisitorContext,
};
use serde::Serialize;
use worker::js_sys;

/// What agents' sockets get when the context changes.
#[derive(Serialize)]
struct ContextFrame<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    context: &'a VisitorContext,
}

impl ConversationObject {
    /// Keeps what the visitor's page reported, at most [`CONTEXT_REPORTS`] a minute.
    pub(super) async fn report_context(
        &self,
        store: &Store,
        report: PageReport,
    ) -> ApiResult<VisitorContext> {
        let kept = store.context()?;
        let known = kept.as_ref().and_then(|k| k.visitor.clone());
        let context =
            VisitorContext::update(kept.clone(), report, now()).map_err(ApiError::BadRequest)?;
        // The same page, language and browser again (a reconnect): nothing to write or tell.
        if let Some(k) = kept.filter(|k| same_but_time(k, &context)) {
            return Ok(k);
        }
        let limit = CONTEXT_REPORTS;
        if let Err(wait) = self.context_reports.borrow_mut().take(limit, now()) {
            return Err(ApiError::too_many(
                &format!(
                    "the page is reported too often (at most {} in {} s)",
                    limit.count,
                    limit.window_ms / 1000
                ),
                wait,
            ));
        }
        if let (None, Some(visitor)) = (known, &context.visitor) {
            let seen = VisitorSeen {
                conversation_id: store.id()?,
                visitor: visitor.clone(),
                at: now(),
            };
            let _: serde_json::Value =
                internal::call(&internal::workspace(&self.env)?, "/visitor", &seen).await?;
        }
        store.set_context(&context)?;
        let frame = ContextFrame {
            kind: "context",
            context: &context,
        };
        send_all(&self.state.get_websockets_with_tag("agent"), &frame);
        Ok(context)
    }

    /// The summary panel's facts for agents.
    pub(super) async fn context_view(&self, store: &Store) -> ApiResult<ContextView> {
        let context = store.context()?;
        let handovers = store.handovers()?;
        let form = handovers.iter().rev().find_map(|h| h.form.clone());
        let last_handover = handovers.into_iter().rev().find(|h| {
            matches!(
                h.status,
                HandoverStatus::Resolved | HandoverStatus::Cancelled
            )
        });
        let earlier: Vec<EarlierChat> = match context.as_ref().and_then(|c| c.visitor.as_ref()) {
            Some(visitor) => {
                let path = format!(
                    "/visitor?visitor={}&conversation={}",
                    js_sys::encode_uri_component(visitor),
                    js_sys::encode_uri_component(&store.id()?)
                );
                internal::get(&internal::workspace(&self.env)?, &path).await?
            }
            None => Vec::new(),
        };
        Ok(ContextView {
            title: conversation_title(form.as_ref(), context.as_ref()),
            assistant: store.machine()?.assistant().to_string(),
            context,
            form,
            last_handover,
            earlier,
        })
    }
}

/// Whether two contexts differ only in when they were heard of.
fn same_but_time(a: &VisitorContext, b: &VisitorContext) -> bool {
    let untimed = |c: &VisitorContext| VisitorContext {
        updated_at: Millis(0),
        pages: c
            .pages
            .iter()
            .map(|p| PageVisit {
                at: Millis(0),
                ..p.clone()
            })
            .collect(),
        ..c.clone()
    };
    untimed(a) == untimed(b)
}
