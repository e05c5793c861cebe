//! The one error type of the HTTP API: each variant maps to a status and an [`ErrorBody`]
//! whose message a person can act on.

use baton_shared::handover::Refusal;
use baton_shared::protocol::FieldError;
use baton_shared::protocol::{ErrorBody, ErrorCode};
use serde::Serialize;
use worker::Response;

#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized(String),
    Forbidden(String),
    NotFound(String),
    /// What was to be made exists already (`409`).
    Conflict(String),
    /// The handover rules refused the action; nothing changed.
    Refused(Refusal),
    /// A body that does not read or validate, field by field: settings, a knowledge
    /// base or one of its entries. `unchanged` says what stayed as it was, with its verb
    /// ("the settings were"). Nothing stored changed.
    BadFields {
        unchanged: &'static str,
        fields: Vec<FieldError>,
    },
    /// A WebSocket route asked without the handshake (`426`).
    UpgradeRequired(String),
    /// A body over its route's limit, refused unread (`413`).
    TooLarge(String),
    /// Too many failed sign-ins, conversations or messages: `429` with `Retry-After`.
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// A setting of the Worker's environment is missing or malformed, or the storage is of
    /// a newer layout: the message names it and says how to fix it, for whoever runs this
    /// deployment.
    Misconfigured(String),
    /// The server is stopping to restart (`503`).
    Unavailable(String),
    /// Our fault or the runtime's; the detail goes to the log, not to the client.
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The error body of a refused change: every field and why.
#[derive(Serialize)]
struct FieldsRefused<'a> {
    #[serde(flatten)]
    body: ErrorBody,
    fields: &'a [FieldError],
}

impl ApiError {
    pub fn body(&self) -> ErrorBody {
        let plain = |error, message: &String| ErrorBody {
            error,
            message: message.clone(),
            holder: None,
        };
        match self {
            ApiError::BadRequest(m) => plain(ErrorCode::BadRequest, m),
            ApiError::Unauthorized(m) => plain(ErrorCode::Unauthorized, m),
            ApiError::Forbidden(m) => plain(ErrorCode::Forbidden, m),
            ApiError::NotFound(m) => plain(ErrorCode::NotFound, m),
            ApiError::Conflict(m) => plain(ErrorCode::Conflict, m),
            ApiError::Misconfigured(m) => plain(ErrorCode::Misconfigured, m),
            ApiError::Unavailable(m) => plain(ErrorCode::Unavailable, m),
            ApiError::UpgradeRequired(m) => plain(ErrorCode::UpgradeRequired, m),
            ApiError::TooLarge(m) => plain(ErrorCode::PayloadTooLarge, m),
            ApiError::TooManyRequests { message, .. } => plain(ErrorCode::TooManyRequests, message),
            ApiError::Refused(r) => r.body(),
            ApiError::BadFields { unchanged, fields } => plain(
                ErrorCode::BadRequest,
                &format!(
                    "{unchanged} not changed: {}",
                    fields
                        .iter()
                        .map(|f| f.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
            ApiError::Internal(_) => plain(
                ErrorCode::Internal,
                &"Something went wrong on the server; please try again.".to_string(),
            ),
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        match &self {
            ApiError::Internal(detail) => worker::console_error!("internal error: {detail}"),
            ApiError::Misconfigured(problem) => worker::console_error!("misconfigured: {problem}"),
            _ => {}
        }
        let body = self.body();
        let status = body.error.http_status();
        let response = match &self {
            ApiError::UpgradeRequired(_) => {
                let mut response = Response::from_json(&body)?;
                response.headers_mut().set("upgrade", "websocket")?;
                response
            }
            ApiError::BadFields { fields, .. } => {
                Response::from_json(&FieldsRefused { body, fields })?
            }
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => {
                let mut response = Response::from_json(&body)?;
                response
                    .headers_mut()
                    .set("retry-after", &retry_after_secs.to_string())?;
                response
            }
            _ => Response::from_json(&body)?,
        };
        Ok(response.with_status(status))
    }

    /// `wait_ms` until `what` is allowed again, as a `429` with `Retry-After`.
    pub fn too_many(what: &str, wait_ms: u64) -> Self {
        let secs = baton_shared::limits::retry_after_secs(wait_ms);
        ApiError::TooManyRequests {
            message: format!("{what}; try again in {secs} s"),
            retry_after_secs: secs,
        }
    }

    /// A body that did not parse as the JSON the route expects.
    pub fn bad_json(what: &str, err: impl std::fmt::Display) -> Self {
        ApiError::BadRequest(format!("the body is not a valid {what}: {err}"))
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// Turns a handler's result into the HTTP answer.
pub fn respond(result: ApiResult<Response>) -> worker::Result<Response> {
    result.or_else(ApiError::into_response)
}
