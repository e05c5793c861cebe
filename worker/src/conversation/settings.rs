//! The conversation's copy of its assistant's settings. Read from the workspace on the
//! first event that needs them (or given at creation), then kept: the workspace tells
//! every conversation holding a copy when the settings change ([`SettingsNews`]), and a
//! copy older than [`SETTINGS_KEPT_MS`] is read again in case that news was lost. So a
//! conversation's messages never each ask the workspace, one object for every chat; and
//! however many events find the copy expired at once, one read is in flight.

use crate::error::{ApiError, ApiResult};
use crate::internal::{self, now, SettingsNews, SETTINGS_KEPT_MS};
use baton_shared::handover::Settings;
use baton_shared::protocol::Millis;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;
use std::rc::Rc;
use worker::Env;

type Reading = Shared<LocalBoxFuture<'static, Result<Rc<Settings>, String>>>;

#[derive(Default)]
pub struct SettingsCopy {
    /// The settings and when they were read.
    held: RefCell<Option<(Millis, Rc<Settings>)>>,
    /// The read in flight, which every event that needs the settings meanwhile awaits.
    reading: RefCell<Option<Reading>>,
}

impl SettingsCopy {
    /// `assistant`'s settings, for conversation `id`.
    pub async fn get(&self, env: &Env, id: &str, assistant: &str) -> ApiResult<Rc<Settings>> {
        let at = now();
        if let Some((read, settings)) = self.held.borrow().as_ref() {
            if at.0.saturating_sub(read.0) < SETTINGS_KEPT_MS {
                return Ok(settings.clone());
            }
        }
        let reading = self
            .reading
            .borrow_mut()
            .get_or_insert_with(|| read(env.clone(), id, assistant))
            .clone();
        let result = reading.await;
        self.reading.borrow_mut().take();
        let settings = result.map_err(ApiError::Internal)?;
        self.keep(at, settings.clone());
        Ok(settings)
    }

    /// Settings the router or the workspace handed over: a new conversation's, or news.
    pub fn set(&self, news: SettingsNews) {
        self.keep(now(), Rc::new(news.settings));
    }

    fn keep(&self, at: Millis, settings: Rc<Settings>) {
        *self.held.borrow_mut() = Some((at, settings));
    }
}

/// One read from the workspace, naming the conversation so that it hears of changes.
fn read(env: Env, id: &str, assistant: &str) -> Reading {
    let path = format!("/settings?assistant={assistant}&reader={id}");
    async move {
        let workspace = internal::workspace(&env).map_err(|e| format!("{e:?}"))?;
        let settings: Settings = internal::get(&workspace, &path)
            .await
            .map_err(|e| format!("reading the settings: {e:?}"))?;
        Ok(Rc::new(settings))
    }
    .boxed_local()
    .shared()
}
