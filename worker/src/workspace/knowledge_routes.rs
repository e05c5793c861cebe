//! The workspace's knowledge routes: the admin API's edits, imports and suggestions
//! (the router let only admins reach all but a save), and the reads conversations and
//! the router make. Every change ends with the news to every conversation holding a
//! copy of the assistant, as a settings change does.

use super::knowledge::{refused, ImportMode};
use super::suggestions::Saved;
use super::{Stores, WorkspaceObject};
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, json_body, json_response, now, optional_json_body};
use crate::knowledge::Revision;
use baton_assistant::docs::{self, EntryDoc};
use baton_shared::team::Role;
use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{Method, Request, Response};

#[derive(Deserialize)]
struct KnowledgeQuery {
    assistant: String,
    #[serde(default)]
    mode: Option<ImportMode>,
    #[serde(default)]
    format: Option<String>,
}

/// What a change answers: the new revision, and the entry as stored.
#[derive(Serialize)]
struct Changed {
    revision: u64,
    entry: EntryDoc,
}

impl WorkspaceObject {
    /// `rest` is the path after `/knowledge`.
    pub(super) async fn knowledge_route(
        &self,
        stores: &Stores,
        mut req: Request,
        rest: &str,
    ) -> ApiResult<Response> {
        let q: KnowledgeQuery = req.query().map_err(|_| {
            ApiError::BadRequest("which assistant's knowledge base: ?assistant=".into())
        })?;
        let assistant = q.assistant.as_str();
        let kb = &stores.knowledge;
        let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
        let response = match (req.method(), segments.as_slice()) {
            (Method::Get, [""]) => {
                let (revision, entries) = kb.entries(assistant)?;
                return json_response(&Revision { revision, entries }, 200);
            }
            (Method::Get, ["entries", id]) => return json_response(&kb.entry(assistant, id)?, 200),
            (Method::Post, ["entries"]) => {
                let entry: EntryDoc = json_body(&mut req, "entry").await.map_err(entry_fields)?;
                let (revision, entry) = kb.add(assistant, entry)?;
                json_response(&Changed { revision, entry }, 201)
            }
            (Method::Put, ["entries", id]) => {
                let entry: EntryDoc = json_body(&mut req, "entry").await.map_err(entry_fields)?;
                let (revision, entry) = kb.change(assistant, id, entry)?;
                json_response(&Changed { revision, entry }, 200)
            }
            (Method::Delete, ["entries", id]) => {
                let revision = kb.delete(assistant, id)?;
                json_response(&json!({ "revision": revision }), 200)
            }
            (Method::Post, ["import"]) => {
                let text = req.text().await?;
                let csv = match q.format.as_deref() {
                    Some("csv") => true,
                    Some("json") => false,
                    Some(other) => {
                        return Err(ApiError::BadRequest(format!(
                            "format {other:?} is not one Baton reads: json or csv"
                        )))
                    }
                    None => req
                        .headers()
                        .get("content-type")?
                        .is_some_and(|t| t.starts_with("text/csv")),
                };
                let read = if csv {
                    docs::from_csv(&text)
                } else {
                    docs::from_json(&text)
                };
                let entries = read.map_err(refused)?;
                let mode = q.mode.unwrap_or(ImportMode::Replace);
                let (revision, count) = kb.import(assistant, entries, mode)?;
                json_response(&json!({ "revision": revision, "entries": count }), 200)
            }
            (Method::Get, ["suggestions"]) => {
                let waiting = stores.suggestions.waiting(assistant)?;
                return json_response(&json!({ "suggestions": waiting }), 200);
            }
            (Method::Post, ["suggestions"]) => {
                let (session, role) = self.session_of(stores, &req)?;
                let agent = session.agent;
                let saved: Saved = json_body(&mut req, "saved answer").await?;
                let saved = saved.checked().map_err(refused)?;
                if role != Role::Admin {
                    let suggestion = stores.suggestions.add(assistant, saved, &agent, now())?;
                    return json_response(
                        &json!({ "published": false, "suggestion": suggestion }),
                        201,
                    );
                }
                let (revision, entry) = kb.learn(assistant, &saved)?;
                json_response(
                    &json!({ "published": true, "revision": revision, "entry": entry }),
                    201,
                )
            }
            (Method::Post, ["suggestions", id, "publish"]) => {
                let id = suggestion_id(id)?;
                let waiting = stores.suggestions.get(assistant, id)?;
                // The admin may have edited it before publishing.
                let edited: Saved = optional_json_body(&mut req, "saved answer").await?;
                let saved = match edited.question.is_empty() {
                    true => waiting.saved,
                    false => edited,
                };
                let saved = saved.checked().map_err(refused)?;
                // Published first: a refused one stays waiting.
                let (revision, entry) = kb.learn(assistant, &saved)?;
                stores.suggestions.remove(assistant, id)?;
                json_response(&json!({ "revision": revision, "entry": entry }), 200)
            }
            (Method::Delete, ["suggestions", id]) => {
                let gone = stores.suggestions.remove(assistant, suggestion_id(id)?)?;
                return json_response(&gone, 200);
            }
            _ => return Err(ApiError::NotFound("no such knowledge route".into())),
        }?;
        // Only changes reach here: conversations holding a copy hear the new revision.
        stores.readers.announce(assistant, now())?;
        internal::set_alarm(&self.state, now()).await?;
        Ok(response)
    }
}

fn suggestion_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::NotFound(format!("there is no suggestion {id:?}")))
}

/// A body that is no entry at all is refused as one, with what was expected.
fn entry_fields(e: ApiError) -> ApiError {
    match e {
        ApiError::BadRequest(m) => ApiError::BadRequest(format!(
            "{m}; an entry is {{\"id\"?, \"questions\": [...], \"answer\", \"handover\"?}}"
        )),
        other => other,
    }
}
