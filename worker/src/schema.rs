//! Brings an object's storage to the layout this code writes ([`baton_shared::schema`]),
//! once per object instance: a single statement when it is there already.

use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_shared::schema::Layout;
use serde::Deserialize;

#[derive(Deserialize)]
struct VersionRow {
    version: Option<u32>,
}

/// Opens `sql` at `layout`'s current version: layout 1's tables, the steps and the new
/// version in one batch. `unversioned` then runs if the storage had no version: moves of
/// data older than layout 1, written with today's statements.
pub fn open(
    sql: &Sql,
    layout: &Layout,
    unversioned: impl FnOnce() -> ApiResult<()>,
) -> ApiResult<()> {
    let row: VersionRow = sql
        .exec(
            "CREATE TABLE IF NOT EXISTS layout (version INTEGER NOT NULL); \
             SELECT MAX(version) AS version FROM layout",
            None,
        )?
        .one()?;
    let plan = layout
        .plan(row.version)
        .map_err(|too_new| ApiError::Misconfigured(too_new.to_string()))?;
    let Some(version) = plan.write else {
        return Ok(());
    };
    let mut batch = String::new();
    if plan.base {
        batch.extend(layout.base.iter().copied());
    }
    batch.extend(layout.steps[plan.steps].iter().copied());
    batch.push_str(&format!(
        "DELETE FROM layout; INSERT INTO layout (version) VALUES ({version});"
    ));
    sql.exec(&batch, None)?;
    if plan.base {
        unversioned()?;
    }
    Ok(())
}
