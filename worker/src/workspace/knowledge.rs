//! Each assistant's knowledge base, kept in the workspace's object, which alone writes
//! it: its entries in order, and a revision that grows with every change, by which
//! conversations know whether the index they hold is current. The `default` and `demo`
//! assistants start with the demo knowledge base, any other empty. Every change is
//! checked whole before anything is written, so a refused one changes nothing.

use super::suggestions::Saved;
use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_assistant::docs::{self, EntryDoc};
use baton_assistant::KnowledgeBase;
use baton_shared::protocol::{FieldError, DEFAULT_ASSISTANT};
use serde::Deserialize;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS knowledge (
    assistant TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (assistant, id)
);
CREATE TABLE IF NOT EXISTS knowledge_revisions (
    assistant TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
);
";

/// What a refused change leaves as it was.
const UNCHANGED: &str = "the knowledge base was";

/// The assistants that start with the demo knowledge base.
const SEEDED: [&str; 2] = [DEFAULT_ASSISTANT, "demo"];

#[derive(Deserialize)]
struct EntryRow {
    entry: String,
}

#[derive(Deserialize)]
struct RevisionRow {
    revision: i64,
}

pub struct Knowledge {
    sql: Sql,
}

/// How an import meets what is there.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// The import is the whole knowledge base.
    Replace,
    /// Entries with an id already there replace it; the others are added.
    Merge,
}

impl Knowledge {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Knowledge { sql })
    }

    /// The assistant's revision: 0 for a knowledge base never written (empty, or the
    /// demo's until first seeded).
    pub fn revision(&self, assistant: &str) -> ApiResult<u64> {
        let rows: Vec<RevisionRow> = self
            .sql
            .exec(
                "SELECT revision FROM knowledge_revisions WHERE assistant = ?",
                vec![assistant.into()],
            )?
            .to_array()?;
        match rows.first() {
            Some(row) => Ok(row.revision as u64),
            None if SEEDED.contains(&assistant) => {
                self.write(assistant, &KnowledgeBase::demo_docs())?;
                Ok(1)
            }
            None => Ok(0),
        }
    }

    /// Every entry, in order, and the revision they are.
    pub fn entries(&self, assistant: &str) -> ApiResult<(u64, Vec<EntryDoc>)> {
        let revision = self.revision(assistant)?;
        let rows: Vec<EntryRow> = self
            .sql
            .exec(
                "SELECT entry FROM knowledge WHERE assistant = ? ORDER BY position",
                vec![assistant.into()],
            )?
            .to_array()?;
        let entries = rows
            .iter()
            .map(|r| serde_json::from_str(&r.entry))
            .collect::<Result<_, _>>()?;
        Ok((revision, entries))
    }

    pub fn entry(&self, assistant: &str, id: &str) -> ApiResult<EntryDoc> {
        let (_, entries) = self.entries(assistant)?;
        entries
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| no_entry(assistant, id))
    }

    /// Adds an entry after the others; an id left empty is made from its first question.
    pub fn add(&self, assistant: &str, entry: EntryDoc) -> ApiResult<(u64, EntryDoc)> {
        let (_, mut entries) = self.entries(assistant)?;
        let mut entry = entry.tidy();
        if entry.id.is_empty() {
            let first = entry.questions.first().cloned().unwrap_or_default();
            entry.id = docs::made_id(&first, |id| entries.iter().any(|e| e.id == id));
        }
        if entries.iter().any(|e| e.id == entry.id) {
            return Err(refused(vec![FieldError {
                field: "id".into(),
                problem: format!(
                    "{:?} is the id of an entry already; change that one, or choose another",
                    entry.id
                ),
            }]));
        }
        entries.push(entry.clone());
        check(&entries, alone(entries.len() - 1))?;
        self.put(assistant, &entry)?;
        Ok((self.bump(assistant)?, entry))
    }

    /// Changes entry `id`; the body's id, if it gives one, must be the same.
    pub fn change(&self, assistant: &str, id: &str, entry: EntryDoc) -> ApiResult<(u64, EntryDoc)> {
        let (_, mut entries) = self.entries(assistant)?;
        let at = entries
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| no_entry(assistant, id))?;
        let mut entry = entry.tidy();
        if entry.id.is_empty() {
            entry.id = id.to_string();
        }
        if entry.id != id {
            return Err(refused(vec![FieldError {
                field: "id".into(),
                problem: format!(
                    "the entry is {id:?}; delete it and add {:?} to rename it",
                    entry.id
                ),
            }]));
        }
        entries[at] = entry.clone();
        check(&entries, alone(at))?;
        self.put(assistant, &entry)?;
        Ok((self.bump(assistant)?, entry))
    }

    /// What an agent's reply taught: a new entry, or one more question of `saved.entry`
    /// (whose answer stays).
    pub fn learn(&self, assistant: &str, saved: &Saved) -> ApiResult<(u64, EntryDoc)> {
        let Some(id) = &saved.entry else {
            return self.add(assistant, saved.new_entry());
        };
        let mut entry = self.entry(assistant, id)?;
        if entry
            .questions
            .iter()
            .any(|q| q.eq_ignore_ascii_case(&saved.question))
        {
            return Err(refused(vec![FieldError {
                field: "question".into(),
                problem: format!("entry {id:?} has this question already"),
            }]));
        }
        entry.questions.push(saved.question.clone());
        self.change(assistant, id, entry)
    }

    pub fn delete(&self, assistant: &str, id: &str) -> ApiResult<u64> {
        let (_, mut entries) = self.entries(assistant)?;
        if !entries.iter().any(|e| e.id == id) {
            return Err(no_entry(assistant, id));
        }
        entries.retain(|e| e.id != id);
        self.sql.exec(
            "DELETE FROM knowledge WHERE assistant = ? AND id = ?",
            vec![assistant.into(), id.into()],
        )?;
        self.bump(assistant)
    }

    /// An import, already read and checked as a file: the whole knowledge base, or
    /// merged over it. Returns the new revision and how many entries there are.
    pub fn import(
        &self,
        assistant: &str,
        incoming: Vec<EntryDoc>,
        mode: ImportMode,
    ) -> ApiResult<(u64, usize)> {
        let entries = match mode {
            ImportMode::Replace => incoming,
            ImportMode::Merge => docs::merge(&self.entries(assistant)?.1, incoming),
        };
        let count = entries.len();
        check(&entries, |i| format!("entries[{i}]"))?;
        Ok((self.write(assistant, &entries)?, count))
    }

    /// Writes every entry and the next revision, in one event: seen whole or not at all.
    fn write(&self, assistant: &str, entries: &[EntryDoc]) -> ApiResult<u64> {
        self.sql.exec(
            "DELETE FROM knowledge WHERE assistant = ?",
            vec![assistant.into()],
        )?;
        for entry in entries {
            self.put(assistant, entry)?;
        }
        self.bump(assistant)
    }

    /// Writes one entry: a new one after the others, a known one where it stands.
    fn put(&self, assistant: &str, entry: &EntryDoc) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO knowledge (assistant, id, position, entry) VALUES (?, ?, \
             (SELECT COALESCE(MAX(position), -1) + 1 FROM knowledge WHERE assistant = ?), ?) \
             ON CONFLICT(assistant, id) DO UPDATE SET entry = excluded.entry",
            vec![
                assistant.into(),
                entry.id.as_str().into(),
                assistant.into(),
                serde_json::to_string(entry)?.into(),
            ],
        )?;
        Ok(())
    }

    /// The next revision: every change is one.
    fn bump(&self, assistant: &str) -> ApiResult<u64> {
        let row: RevisionRow = self
            .sql
            .exec(
                "INSERT INTO knowledge_revisions (assistant, revision) VALUES (?, 1) \
                 ON CONFLICT(assistant) DO UPDATE SET revision = revision + 1 RETURNING revision",
                vec![assistant.into()],
            )?
            .one()?;
        Ok(row.revision as u64)
    }
}

/// Refuses entries that are not all right, each problem named by `name(i)`.
fn check(entries: &[EntryDoc], name: impl Fn(usize) -> String) -> ApiResult<()> {
    let problems = docs::problems_of_all(entries, name);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(refused(problems))
    }
}

/// Problems of the entry at `at`, sent on its own, are named by its fields alone.
fn alone(at: usize) -> impl Fn(usize) -> String {
    move |i| {
        if i == at {
            String::new()
        } else {
            format!("entries[{i}]")
        }
    }
}

pub(super) fn refused(fields: Vec<FieldError>) -> ApiError {
    ApiError::BadFields {
        unchanged: UNCHANGED,
        fields,
    }
}

fn no_entry(assistant: &str, id: &str) -> ApiError {
    ApiError::NotFound(format!(
        "assistant {assistant}'s knowledge base has no entry {id:?}"
    ))
}
