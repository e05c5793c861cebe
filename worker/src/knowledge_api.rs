//! `/api/knowledge/*`: who may call what, and what the router answers itself. Admins
//! edit, import and export, and publish or discard suggestions; any agent saves an
//! answer from a reply and asks which entries are closest to a question. The edits are
//! the workspace's (the single writer); export and the closest entries are answered
//! here, from what it gives and from the isolate's index.

use crate::auth::Keys;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, json_response, AssistantNews};
use crate::knowledge::{self, Revision};
use crate::router::{admin, agent, assistant_of, forward, not_found, still_holds};
use baton_assistant::docs;
use serde::Deserialize;
use worker::{Env, Method, Request, Response};

/// How many entries "Save as answer" offers to add the question to.
const CLOSEST_SHOWN: usize = 5;

#[derive(Deserialize)]
struct Options {
    mode: Option<String>,
    format: Option<String>,
    q: Option<String>,
}

/// `rest`: the path's segments after `/api/knowledge`.
pub async fn route(
    req: &mut Request,
    env: &Env,
    keys: &Keys,
    rest: &[&str],
) -> ApiResult<Response> {
    let assistant = assistant_of(req)?;
    let options: Options = req
        .query()
        .map_err(|_| ApiError::BadRequest("the query is ?assistant=&mode=&format=&q=".into()))?;
    let path = req.path();
    let to_workspace = |tail: &str| format!("/knowledge{tail}?assistant={assistant}");
    let method = req.method();
    let (inner, actor) = match (method, rest) {
        (Method::Post, ["suggestions"]) => (to_workspace("/suggestions"), agent(req, keys)?),
        (Method::Get, ["closest"]) => {
            still_holds(env, agent(req, keys)?).await?;
            return closest(env, &assistant, options.q.as_deref().unwrap_or_default()).await;
        }
        (Method::Get, ["export"]) => {
            still_holds(env, admin(req, keys)?).await?;
            return export(env, &assistant, options.format.as_deref()).await;
        }
        (Method::Post, ["import"]) => {
            let actor = admin(req, keys)?;
            let mode = match options.mode.as_deref() {
                None | Some("replace") => "replace",
                Some("merge") => "merge",
                Some(other) => {
                    return Err(ApiError::BadRequest(format!(
                        "mode {other:?} is not one Baton knows: replace (the default: the file is the whole knowledge base) or merge (its entries replace those of the same id, the others are added)"
                    )))
                }
            };
            let mut tail = format!("{}&mode={mode}", to_workspace("/import"));
            if let Some(format) = &options.format {
                tail.push_str(&format!("&format={}", format_of(Some(format))?));
            }
            (tail, actor)
        }
        (Method::Get, [])
        | (Method::Post, ["entries"])
        | (Method::Get | Method::Put | Method::Delete, ["entries", _])
        | (Method::Get, ["suggestions"])
        | (Method::Post, ["suggestions", _, "publish"])
        | (Method::Delete, ["suggestions", _]) => {
            let actor = admin(req, keys)?;
            // The segments as sent: one that is no id or number finds nothing.
            let tail: String = rest.iter().map(|s| format!("/{s}")).collect();
            (to_workspace(&tail), actor)
        }
        _ => return Err(not_found(&path)),
    };
    forward(&internal::workspace(env)?, req, &inner, actor).await
}

fn format_of(format: Option<&str>) -> ApiResult<&'static str> {
    match format {
        None | Some("json") => Ok("json"),
        Some("csv") => Ok("csv"),
        Some(other) => Err(ApiError::BadRequest(format!(
            "format {other:?} is not one Baton knows: json or csv"
        ))),
    }
}

/// The whole knowledge base as a file to keep or edit, in the format import reads.
async fn export(env: &Env, assistant: &str, format: Option<&str>) -> ApiResult<Response> {
    let format = format_of(format)?;
    let read: Revision = internal::get(
        &internal::workspace(env)?,
        &format!("/knowledge?assistant={assistant}"),
    )
    .await?;
    let (body, kind) = match format {
        "csv" => (docs::to_csv(&read.entries), "text/csv; charset=utf-8"),
        _ => (docs::to_json(&read.entries), "application/json"),
    };
    let mut response = Response::ok(body)?;
    let headers = response.headers_mut();
    headers.set("content-type", kind)?;
    headers.set(
        "content-disposition",
        &format!("attachment; filename=\"knowledge-{assistant}.{format}\""),
    )?;
    headers.set("x-knowledge-revision", &read.revision.to_string())?;
    Ok(response)
}

/// The entries closest to `question`, from the current revision's index.
async fn closest(env: &Env, assistant: &str, question: &str) -> ApiResult<Response> {
    if question.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "which question: ?q= the visitor's words".into(),
        ));
    }
    let copy: AssistantNews = internal::get(
        &internal::workspace(env)?,
        &format!("/assistant?assistant={assistant}"),
    )
    .await?;
    let kb = knowledge::index(env, &knowledge::Reads::default(), assistant, copy.knowledge).await?;
    json_response(
        &serde_json::json!({ "closest": kb.closest(question, CLOSEST_SHOWN) }),
        200,
    )
}
