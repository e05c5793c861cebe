//! Answers agents saved from their replies, waiting for an admin: each is the visitor's
//! question and the answer to give, as a new entry or as one more question of an
//! existing entry. An admin's own save is published at once and never waits here.

use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_assistant::docs::{self, EntryDoc, MAX_ANSWER_CHARS};
use baton_shared::protocol::{AgentRef, FieldError, Millis};
use serde::{Deserialize, Serialize};
use worker::SqlStorageValue;

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS knowledge_suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assistant TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    entry TEXT,
    conversation_id TEXT,
    agent TEXT NOT NULL,
    saved_at INTEGER NOT NULL
);
";

/// What "Save as answer" sends: the question and the answer, both as the agent edited
/// them, and `entry` when the question is to join that existing entry (whose answer
/// then stays as it is).
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Saved {
    pub question: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

impl Saved {
    /// Trims, and names every problem by its field.
    pub fn checked(mut self) -> Result<Self, Vec<FieldError>> {
        self.question = self.question.trim().to_string();
        self.answer = self.answer.trim().to_string();
        self.entry = self
            .entry
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty());
        let mut problems = Vec::new();
        if let Some(problem) = docs::question_problem(&self.question) {
            problems.push(field("question", problem));
        }
        if self.entry.is_none() {
            if self.answer.is_empty() {
                problems.push(field(
                    "answer",
                    "is empty; write the answer the assistant should give".into(),
                ));
            } else if self.answer.chars().count() > MAX_ANSWER_CHARS {
                problems.push(field(
                    "answer",
                    format!("is longer than {MAX_ANSWER_CHARS} characters; shorten it"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The new entry it makes, when it joins none (its id made from the question).
    pub fn new_entry(&self) -> EntryDoc {
        EntryDoc {
            id: String::new(),
            questions: vec![self.question.clone()],
            answer: self.answer.clone(),
            handover: false,
        }
    }
}

fn field(name: &str, problem: String) -> FieldError {
    FieldError {
        field: name.into(),
        problem,
    }
}

/// One waiting suggestion, as the knowledge page lists it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Suggestion {
    pub id: i64,
    pub assistant: String,
    #[serde(flatten)]
    pub saved: Saved,
    pub agent: AgentRef,
    pub saved_at: Millis,
}

#[derive(Deserialize)]
struct Row {
    id: i64,
    assistant: String,
    question: String,
    answer: String,
    entry: Option<String>,
    conversation_id: Option<String>,
    agent: String,
    saved_at: i64,
}

impl Row {
    fn suggestion(self) -> ApiResult<Suggestion> {
        Ok(Suggestion {
            id: self.id,
            assistant: self.assistant,
            saved: Saved {
                question: self.question,
                answer: self.answer,
                entry: self.entry,
                conversation_id: self.conversation_id,
            },
            agent: serde_json::from_str(&self.agent)?,
            saved_at: Millis(self.saved_at as u64),
        })
    }
}

/// Waiting suggestions an assistant keeps at most: enough for any team's backlog, few
/// enough that the page lists them all.
pub const MAX_WAITING: usize = 500;

pub struct Suggestions {
    sql: Sql,
}

impl Suggestions {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Suggestions { sql })
    }

    pub fn add(
        &self,
        assistant: &str,
        saved: Saved,
        agent: &AgentRef,
        at: Millis,
    ) -> ApiResult<Suggestion> {
        if self.waiting(assistant)?.len() >= MAX_WAITING {
            return Err(ApiError::BadRequest(format!(
                "assistant {assistant} has {MAX_WAITING} suggestions waiting; an admin must publish or discard some first"
            )));
        }
        let row: Row = self
            .sql
            .exec(
                "INSERT INTO knowledge_suggestions \
                 (assistant, question, answer, entry, conversation_id, agent, saved_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
                vec![
                    assistant.into(),
                    saved.question.as_str().into(),
                    saved.answer.as_str().into(),
                    saved.entry.as_deref().into(),
                    saved.conversation_id.as_deref().into(),
                    serde_json::to_string(agent)?.into(),
                    SqlStorageValue::from(at.0 as i64),
                ],
            )?
            .one()?;
        row.suggestion()
    }

    /// The assistant's waiting suggestions, oldest first.
    pub fn waiting(&self, assistant: &str) -> ApiResult<Vec<Suggestion>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT * FROM knowledge_suggestions WHERE assistant = ? ORDER BY id",
                vec![assistant.into()],
            )?
            .to_array()?;
        rows.into_iter().map(Row::suggestion).collect()
    }

    pub fn get(&self, assistant: &str, id: i64) -> ApiResult<Suggestion> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT * FROM knowledge_suggestions WHERE assistant = ? AND id = ?",
                vec![assistant.into(), SqlStorageValue::from(id)],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "assistant {assistant} has no suggestion {id} waiting; it may have been published or discarded already"
                ))
            })?
            .suggestion()
    }

    /// Takes suggestion `id` off the list: published or discarded.
    pub fn remove(&self, assistant: &str, id: i64) -> ApiResult<Suggestion> {
        let suggestion = self.get(assistant, id)?;
        self.sql.exec(
            "DELETE FROM knowledge_suggestions WHERE id = ?",
            vec![SqlStorageValue::from(id)],
        )?;
        Ok(suggestion)
    }
}
