//! Knowledge bases as the assistant answers from them: each assistant's, indexed once per
//! revision and kept in the isolate, where every conversation of that assistant (and the
//! router) shares it. A conversation knows the current revision from its copy of the
//! assistant; an older index is read again from the workspace, once per object however
//! many of its events ask. A read in flight is not shared further: its I/O belongs to
//! the object (or request) that made it, and the runtime refuses it to any other ("Cannot
//! perform I/O on behalf of a different Durable Object", seen on workerd, where the
//! conversations of a class share one isolate).

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
}

/// One object's (or one request's) reads in flight, assistant → read, which its events
/// that need the same index meanwhile await.
#[derive(Default)]
pub struct Reads(RefCell<HashMap<String, Loading>>);

/// `assistant`'s knowledge base, at `revision` or newer; a read it needs goes through
/// the caller's own `reads`.
pub async fn index(
    env: &Env,
    reads: &Reads,
    assistant: &str,
    revision: u64,
) -> ApiResult<Rc<KnowledgeBase>> {
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
    let loading = reads
        .0
        .borrow_mut()
        .entry(assistant.to_string())
        .or_insert_with(|| load(env.clone(), assistant))
        .clone();
    let result = loading.await;
    reads.0.borrow_mut().remove(assistant);
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
