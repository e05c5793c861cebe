//! The workspace's assistants, as the settings page lists them: `default` and `demo`,
//! always there, the ids an admin added (with when), and any assistant whose settings or
//! knowledge base an admin changed without adding it first. An assistant needs no entry
//! here to work: a widget's `data-assistant` is enough; the list is for admins to find
//! their assistants and their embed snippets.

use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_shared::protocol::{check_assistant_id, Millis, DEFAULT_ASSISTANT};
use serde::{Deserialize, Serialize};
use worker::SqlStorageValue;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS assistants (id TEXT PRIMARY KEY, added_at INTEGER NOT NULL);";

/// Always listed, though nobody added them: the widget's default and the demo page's.
const BUILT_IN: [&str; 2] = [DEFAULT_ASSISTANT, "demo"];

/// The added ids, and those that have stored settings (`assistant_settings`, settings.rs)
/// or a written knowledge base (`knowledge_revisions`, knowledge.rs): one row per id,
/// with when it was added, if it was.
const LISTED: &str = "
SELECT id, MAX(added_at) AS added_at FROM (
    SELECT id, added_at FROM assistants
    UNION ALL SELECT assistant, NULL FROM assistant_settings
    UNION ALL SELECT assistant, NULL FROM knowledge_revisions
) GROUP BY id ORDER BY id";

/// Most assistants a workspace lists: far more than any site has, few enough for a page.
pub const MAX_ASSISTANTS: usize = 500;

/// One assistant of `GET /api/assistants`: `added_at` is when an admin added it, `null`
/// for the built-in ones and those only configured.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Listed {
    pub id: String,
    pub added_at: Option<Millis>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    added_at: Option<i64>,
}

/// `POST /api/assistants`.
#[derive(Deserialize)]
pub struct NewAssistant {
    pub id: String,
}

pub struct Assistants {
    sql: Sql,
}

impl Assistants {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Assistants { sql })
    }

    /// The built-in assistants first, then the others by id.
    pub fn list(&self) -> ApiResult<Vec<Listed>> {
        let rows: Vec<Row> = self.sql.exec(LISTED, None)?.to_array()?;
        let mut listed: Vec<Listed> = BUILT_IN
            .iter()
            .map(|id| Listed {
                id: id.to_string(),
                added_at: None,
            })
            .collect();
        listed.extend(
            rows.into_iter()
                .filter(|r| !BUILT_IN.contains(&r.id.as_str()))
                .map(|r| Listed {
                    id: r.id,
                    added_at: r.added_at.map(|at| Millis(at as u64)),
                }),
        );
        Ok(listed)
    }

    /// Adds `id`, refused when it is not an assistant id (`400`) or is listed already
    /// (`409`).
    pub fn add(&self, id: &str, at: Millis) -> ApiResult<Listed> {
        check_assistant_id(id).map_err(ApiError::BadRequest)?;
        let listed = self.list()?;
        if listed.iter().any(|a| a.id == id) {
            return Err(ApiError::Conflict(format!(
                "there is an assistant {id:?} already; its settings are at /api/settings?assistant={id}"
            )));
        }
        if listed.len() >= MAX_ASSISTANTS {
            return Err(ApiError::BadRequest(format!(
                "the workspace lists {MAX_ASSISTANTS} assistants, the most it keeps"
            )));
        }
        self.sql.exec(
            "INSERT INTO assistants (id, added_at) VALUES (?, ?)",
            vec![id.into(), SqlStorageValue::from(at.0 as i64)],
        )?;
        Ok(Listed {
            id: id.to_string(),
            added_at: Some(at),
        })
    }
}
