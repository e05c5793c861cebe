//! Saved replies (`/api/replies`): the workspace's, which admins write and every agent
//! reads, and each agent's own. Shared's rules check a reply; this keeps the rows and
//! says who may touch which. The inbox reads the list once per sign-in and after its own
//! changes, so no chat message comes here.

use super::{Stores, WorkspaceObject};
use crate::auth::Session;
use crate::error::{ApiError, ApiResult};
use crate::internal::{json_body, json_response, now};
use crate::sql::Sql;
use baton_shared::protocol::{AgentRef, FieldError, Millis};
use baton_shared::replies::{ReplyDraft, SavedReply, Scope, MAX_PER_SCOPE, PLACEHOLDERS};
use serde::Deserialize;
use worker::{Method, Request, Response, SqlStorageValue};

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
// `owner` is NULL for a workspace reply, else the agent's id; `owner_ref` is their
// AgentRef as JSON, so the list names them without a read of the accounts.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS saved_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    owner TEXT,
    owner_ref TEXT,
    updated_at INTEGER NOT NULL
);
";

#[derive(Deserialize)]
struct Row {
    id: i64,
    name: String,
    text: String,
    owner_ref: Option<String>,
    updated_at: i64,
}

impl Row {
    fn reply(self) -> ApiResult<SavedReply> {
        let owner: Option<AgentRef> = match self.owner_ref {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        };
        Ok(SavedReply {
            id: self.id,
            name: self.name,
            text: self.text,
            scope: if owner.is_some() {
                Scope::Personal
            } else {
                Scope::Workspace
            },
            owner,
            updated_at: Millis(self.updated_at as u64),
        })
    }
}

pub struct Replies {
    sql: Sql,
}

impl Replies {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Replies { sql })
    }

    /// The workspace's replies and `agent`'s own, by name.
    fn visible(&self, agent: &str) -> ApiResult<Vec<SavedReply>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT * FROM saved_replies WHERE owner IS NULL OR owner = ? ORDER BY name, id",
                vec![agent.into()],
            )?
            .to_array()?;
        rows.into_iter().map(Row::reply).collect()
    }

    /// One reply `agent` can see: another agent's personal reply is as good as absent.
    fn get(&self, agent: &str, id: i64) -> ApiResult<SavedReply> {
        self.visible(agent)?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| ApiError::NotFound(format!("you have no saved reply {id}")))
    }

    /// A checked draft for `owner`'s scope (`None`: the workspace's), `except` the reply
    /// it replaces.
    fn check(
        &self,
        draft: ReplyDraft,
        owner: Option<&AgentRef>,
        except: Option<i64>,
    ) -> ApiResult<ReplyDraft> {
        let agent = owner.map_or("", |o| o.id.as_str());
        let same_scope: Vec<SavedReply> = self
            .visible(agent)?
            .into_iter()
            .filter(|r| r.owner.is_some() == owner.is_some() && Some(r.id) != except)
            .collect();
        if except.is_none() && same_scope.len() >= MAX_PER_SCOPE {
            return Err(refused(vec![FieldError {
                field: "scope".into(),
                problem: format!(
                    "holds {MAX_PER_SCOPE} replies, the most it may; delete one first"
                ),
            }]));
        }
        let taken: Vec<&str> = same_scope.iter().map(|r| r.name.as_str()).collect();
        draft.checked(&taken).map_err(refused)
    }

    fn save(
        &self,
        id: Option<i64>,
        draft: &ReplyDraft,
        owner: Option<&AgentRef>,
    ) -> ApiResult<SavedReply> {
        let owner_ref = owner.map(serde_json::to_string).transpose()?;
        let values = vec![
            draft.name.as_str().into(),
            draft.text.as_str().into(),
            owner.map(|o| o.id.as_str()).into(),
            owner_ref.as_deref().into(),
            SqlStorageValue::from(now().0 as i64),
        ];
        let row: Row = match id {
            None => self.sql.exec(
                "INSERT INTO saved_replies (name, text, owner, owner_ref, updated_at) \
                 VALUES (?, ?, ?, ?, ?) RETURNING *",
                values,
            )?,
            Some(id) => {
                let mut values = values;
                values.push(SqlStorageValue::from(id));
                self.sql.exec(
                    "UPDATE saved_replies SET name = ?, text = ?, owner = ?, owner_ref = ?, \
                     updated_at = ? WHERE id = ? RETURNING *",
                    values,
                )?
            }
        }
        .one()?;
        row.reply()
    }

    fn delete(&self, id: i64) -> ApiResult<()> {
        self.sql.exec(
            "DELETE FROM saved_replies WHERE id = ?",
            vec![SqlStorageValue::from(id)],
        )?;
        Ok(())
    }
}

fn refused(fields: Vec<FieldError>) -> ApiError {
    ApiError::BadFields {
        unchanged: "the saved reply was",
        fields,
    }
}

/// Who owns a reply of `scope` written by `session`: only admins write the workspace's.
fn owner_for(session: &Session, scope: Scope) -> ApiResult<Option<AgentRef>> {
    match scope {
        Scope::Personal => Ok(Some(session.agent.clone())),
        Scope::Workspace if session.admin => Ok(None),
        Scope::Workspace => Err(ApiError::Forbidden(
            "only an admin can change the workspace's saved replies; save it as personal".into(),
        )),
    }
}

fn reply_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::NotFound(format!("there is no saved reply {id:?}")))
}

impl WorkspaceObject {
    /// `rest` is the path after `/replies`; any signed-in agent reaches it.
    pub(super) async fn replies_route(
        &self,
        stores: &Stores,
        mut req: Request,
        rest: &str,
    ) -> ApiResult<Response> {
        let (session, _) = self.session_of(stores, &req)?;
        let replies = &stores.replies;
        let me = session.agent.id.as_str();
        let what = "saved reply ({\"name\", \"text\", \"scope\"?: \"personal\" | \"workspace\"})";
        match (req.method(), rest.trim_matches('/')) {
            (Method::Get, "") => {
                let tokens: Vec<&str> = PLACEHOLDERS.iter().map(|p| p.token()).collect();
                json_response(
                    &serde_json::json!({ "replies": replies.visible(me)?, "placeholders": tokens }),
                    200,
                )
            }
            (Method::Post, "") => {
                let draft: ReplyDraft = json_body(&mut req, what).await?;
                let owner = owner_for(&session, draft.scope)?;
                let draft = replies.check(draft, owner.as_ref(), None)?;
                json_response(&replies.save(None, &draft, owner.as_ref())?, 201)
            }
            (Method::Put, id) => {
                let old = replies.get(me, reply_id(id)?)?;
                owner_for(&session, old.scope)?;
                let draft: ReplyDraft = json_body(&mut req, what).await?;
                let owner = owner_for(&session, draft.scope)?;
                // Moved to another scope, it counts there as a new one.
                let except = (draft.scope == old.scope).then_some(old.id);
                let draft = replies.check(draft, owner.as_ref(), except)?;
                json_response(&replies.save(Some(old.id), &draft, owner.as_ref())?, 200)
            }
            (Method::Delete, id) => {
                let old = replies.get(me, reply_id(id)?)?;
                owner_for(&session, old.scope)?;
                replies.delete(old.id)?;
                json_response(&old, 200)
            }
            _ => Err(ApiError::NotFound("no such saved-replies route".into())),
        }
    }
}
