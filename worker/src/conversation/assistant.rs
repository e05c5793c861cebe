//! The conversation's copy of its assistant: the settings, and the revision of the
//! knowledge base to answer from. Read from the workspace on the first event that needs
//! it (or given at creation), then kept: the workspace tells every conversation holding
//! a copy when either changes ([`AssistantNews`]), and a copy older than
//! [`SETTINGS_KEPT_MS`] is read again in case that news was lost. So a conversation's
//! messages never each ask the workspace, one object for every chat; and however many
//! events find the copy expired at once, one read is in flight.

use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, AssistantNews, SETTINGS_KEPT_MS};
use baton_shared::protocol::Millis;
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
    pub fn set(&self, news: AssistantNews) {
        self.keep(now(), Rc::new(news));
    }

    fn keep(&self, at: Millis, copy: Rc<AssistantNews>) {
        *self.held.borrow_mut() = Some((at, copy));
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
