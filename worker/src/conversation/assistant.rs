//! The conversation's copy of its assistant: the settings, and the revision of the
//! knowledge base to answer from. Read from the workspace on the first event that needs
//! it (or given at creation), then kept: the workspace tells every conversation holding
//! a copy when either changes ([`AssistantNews`]), and a copy older than
//! [`SETTINGS_KEPT_MS`] is read again in case that news was lost. So a conversation's
//! messages never each ask the workspace, one object for every chat; and however many
//! events find the copy expired at once, one read is in flight.

use crate::auth::SIGNED_OUT;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, AssistantNews, SETTINGS_KEPT_MS};
use crate::workspace::Standing;
use baton_shared::protocol::{AgentRef, Millis, TransferTarget};
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;
use std::rc::Rc;
use worker::Env;

type Reading = Shared<LocalBoxFuture<'static, Result<Rc<AssistantNews>, String>>>;

#[derive(Default)]
pub struct AssistantCopy {
    /// What was read, and when.
    held: RefCell<Option<(Millis, Rc<AssistantNews>)>>,
    /// The read in flight, which every event that needs the copy meanwhile awaits.
    reading: RefCell<Option<Reading>>,
}

impl AssistantCopy {
    /// `assistant`'s settings and knowledge revision, for conversation `id`.
    pub async fn get(&self, env: &Env, id: &str, assistant: &str) -> ApiResult<Rc<AssistantNews>> {
        let at = now();
        if let Some((read, copy)) = self.held.borrow().as_ref() {
            if at.0.saturating_sub(read.0) < SETTINGS_KEPT_MS {
                return Ok(copy.clone());
            }
        }
        let reading = self
            .reading
            .borrow_mut()
            .get_or_insert_with(|| read(env.clone(), id, assistant))
            .clone();
        let result = reading.await;
        self.reading.borrow_mut().take();
        let copy = result.map_err(ApiError::Internal)?;
        self.keep(at, copy.clone());
        Ok(copy)
    }

    /// What the router or the workspace handed over: a new conversation's, or news.
    /// Returns the agents whose standing it changed (disabled, removed, signed out),
    /// whose sockets must close.
    pub fn set(&self, news: AssistantNews) -> Vec<String> {
        let before = self.held.borrow().as_ref().map(|(_, copy)| copy.clone());
        let changed = match &before {
            Some(before) => before
                .agents
                .iter()
                .filter(|old| {
                    !news
                        .agents
                        .iter()
                        .any(|new| new.id == old.id && new.generation == old.generation)
                })
                .map(|old| old.id.clone())
                .collect(),
            None => Vec::new(),
        };
        self.keep(now(), Rc::new(news));
        changed
    }

    fn keep(&self, at: Millis, copy: Rc<AssistantNews>) {
        *self.held.borrow_mut() = Some((at, copy));
    }
}

/// The standing of the agent behind a request: their token, of `generation`, holds only
/// while their account is active and has not moved on.
pub fn standing<'a>(
    copy: &'a AssistantNews,
    agent: &AgentRef,
    generation: Option<u64>,
) -> ApiResult<&'a Standing> {
    copy.agents
        .iter()
        .find(|s| s.id == agent.id && Some(s.generation) == generation)
        .ok_or_else(|| ApiError::Unauthorized(SIGNED_OUT.into()))
}

/// Refuses a transfer to a team or agent the workspace does not have (or not active).
pub fn check_target(copy: &AssistantNews, to: &TransferTarget) -> ApiResult<()> {
    match to {
        TransferTarget::Team(team) if !copy.teams.contains(team) => Err(ApiError::BadRequest(
            format!("there is no team {team:?} to transfer to; the Team page lists the teams"),
        )),
        TransferTarget::Agent(agent) if !copy.agents.iter().any(|s| s.id == agent.id) => {
            Err(ApiError::BadRequest(format!(
                "there is no active agent {:?} to transfer to; the Team page lists the agents",
                agent.id
            )))
        }
        _ => Ok(()),
    }
}

/// One read from the workspace, naming the conversation so that it hears of changes.
fn read(env: Env, id: &str, assistant: &str) -> Reading {
    let path = format!("/assistant?assistant={assistant}&reader={id}");
    async move {
        let workspace = internal::workspace(&env).map_err(|e| format!("{e:?}"))?;
        let copy: AssistantNews = internal::get(&workspace, &path)
            .await
            .map_err(|e| format!("reading the assistant: {e:?}"))?;
        Ok(Rc::new(copy))
    }
    .boxed_local()
    .shared()
}
