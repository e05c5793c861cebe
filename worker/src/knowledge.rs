//! Knowledge bases as the assistant answers from them: each assistant's, indexed once per
//! revision and kept in the isolate, where every conversation of that assistant (and the
//! router) shares it. A conversation knows the current revision from its copy of the
//! assistant; an older index is read again from the workspace, once however many ask.

use crate::error::{ApiError, ApiResult};
use crate::internal;
use baton_assistant::docs::EntryDoc;
use baton_assistant::KnowledgeBase;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::Env;

/// An assistant's knowledge base as the workspace gives it.
#[derive(Serialize, Deserialize)]
pub struct Revision {
    pub revision: u64,
    pub entries: Vec<EntryDoc>,
}

type Loading = Shared<LocalBoxFuture<'static, Result<(u64, Rc<KnowledgeBase>), String>>>;

thread_local! {
    /// Assistant → the newest revision indexed here.
    static INDEXES: RefCell<HashMap<String, (u64, Rc<KnowledgeBase>)>> = RefCell::new(HashMap::new());
    /// Assistant → the read in flight.
    static LOADING: RefCell<HashMap<String, Loading>> = RefCell::new(HashMap::new());
}

/// `assistant`'s knowledge base, at `revision` or newer.
pub async fn index(env: &Env, assistant: &str, revision: u64) -> ApiResult<Rc<KnowledgeBase>> {
    let held = INDEXES.with_borrow(|m| {
        m.get(assistant)
            .filter(|(r, _)| *r >= revision)
            .map(|(_, kb)| kb.clone())
    });
    if let Some(kb) = held {
        return Ok(kb);
    }
    if revision == 0 {
        // Never written: an assistant that knows nothing yet.
        return Ok(Rc::new(KnowledgeBase::from_docs(&[])));
    }
    let loading = LOADING.with_borrow_mut(|m| {
        m.entry(assistant.to_string())
            .or_insert_with(|| load(env.clone(), assistant))
            .clone()
    });
    let result = loading.await;
    LOADING.with_borrow_mut(|m| m.remove(assistant));
    let (read, kb) = result.map_err(ApiError::Internal)?;
    INDEXES.with_borrow_mut(|m| {
        let newer = m.get(assistant).is_none_or(|(r, _)| *r < read);
        if newer {
            m.insert(assistant.to_string(), (read, kb.clone()));
        }
    });
    Ok(kb)
}

fn load(env: Env, assistant: &str) -> Loading {
    let path = format!("/knowledge?assistant={assistant}");
    async move {
        let workspace = internal::workspace(&env).map_err(|e| format!("{e:?}"))?;
        let read: Revision = internal::get(&workspace, &path)
            .await
            .map_err(|e| format!("reading the knowledge base: {e:?}"))?;
        Ok((
            read.revision,
            Rc::new(KnowledgeBase::from_docs(&read.entries)),
        ))
    }
    .boxed_local()
    .shared()
}
