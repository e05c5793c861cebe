//! Each assistant's handover settings, stored in the workspace's object, which alone
//! writes them. A change is a partial JSON object read over what is stored; it is stored
//! only when it reads and validates, so a refused change leaves everything as it was.

use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_shared::handover::{Named, Settings};
use baton_shared::protocol::FieldError;
use serde::Deserialize;
use serde_json::{Map, Value};

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS assistant_settings (assistant TEXT PRIMARY KEY, json TEXT NOT NULL);";

/// What a refused change leaves as it was.
const SETTINGS: &str = "the settings were";

/// The nested objects a change sets field by field (docs/settings.md); any other value,
/// `routing.languages` among them, is replaced whole.
const NESTED: [&str; 3] = ["messages", "routing", "form"];

#[derive(Deserialize)]
struct JsonRow {
    json: String,
}

#[derive(Deserialize)]
struct StoredRow {
    assistant: String,
    json: String,
}

pub struct SettingsStore {
    sql: Sql,
}

impl SettingsStore {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(SettingsStore { sql })
    }

    /// An assistant's stored settings; PRODUCT.md's defaults until an admin changes them.
    pub fn get(&self, assistant: &str) -> ApiResult<Settings> {
        let rows: Vec<JsonRow> = self
            .sql
            .exec(
                "SELECT json FROM assistant_settings WHERE assistant = ?",
                vec![assistant.into()],
            )?
            .to_array()?;
        match rows.into_iter().next() {
            Some(row) => Ok(serde_json::from_str(&row.json)?),
            None => Ok(Settings::default()),
        }
    }

    /// Every assistant whose settings an admin changed (the others have the defaults).
    pub fn stored(&self) -> ApiResult<Vec<(String, Settings)>> {
        let rows: Vec<StoredRow> = self
            .sql
            .exec("SELECT assistant, json FROM assistant_settings", None)?
            .to_array()?;
        rows.into_iter()
            .map(|r| Ok((r.assistant, serde_json::from_str(&r.json)?)))
            .collect()
    }

    /// Team `from` was renamed `to`: every assistant's routing follows. The assistants
    /// whose settings changed.
    pub fn rename_team(&self, from: &str, to: &str) -> ApiResult<Vec<String>> {
        let mut changed = Vec::new();
        for (assistant, mut settings) in self.stored()? {
            if settings.routing.rename_team(from, to) {
                self.put(&assistant, &settings)?;
                changed.push(assistant);
            }
        }
        Ok(changed)
    }

    /// The assistants' settings that name `id` (a team to delete, an agent to remove), as
    /// "assistant \"shop\": routing.default_team": such an id cannot go.
    pub fn naming(&self, id: Named) -> ApiResult<Vec<String>> {
        Ok(self
            .stored()?
            .iter()
            .flat_map(|(assistant, settings)| {
                settings
                    .routing
                    .naming(id)
                    .into_iter()
                    .map(move |field| format!("assistant {assistant:?}: {field}"))
            })
            .collect())
    }

    fn put(&self, assistant: &str, settings: &Settings) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO assistant_settings (assistant, json) VALUES (?, ?) \
             ON CONFLICT(assistant) DO UPDATE SET json = excluded.json",
            vec![assistant.into(), serde_json::to_string(settings)?.into()],
        )?;
        Ok(())
    }

    /// Applies `change` over the assistant's stored settings and stores the result, or refuses with
    /// every problem and stores nothing. `teams` and `agents` are the ids the workspace
    /// has, which the settings may name.
    pub fn change(
        &self,
        assistant: &str,
        change: Value,
        teams: &[String],
        agents: &[String],
    ) -> ApiResult<Settings> {
        let Value::Object(change) = change else {
            return Err(ApiError::BadFields {
                unchanged: SETTINGS,
                fields: vec![FieldError {
                    field: String::new(),
                    problem: "the settings are a JSON object".into(),
                }],
            });
        };
        let current = serde_json::to_value(self.get(assistant)?)?;
        let Value::Object(mut merged) = current else {
            return Err(ApiError::Internal(
                "stored settings are not an object".into(),
            ));
        };
        for (field, value) in change.iter() {
            match (merged.get_mut(field), value) {
                (Some(Value::Object(old)), Value::Object(new))
                    if NESTED.contains(&field.as_str()) =>
                {
                    old.extend(new.clone());
                }
                _ => {
                    merged.insert(field.clone(), value.clone());
                }
            }
        }
        let settings = read(&merged, &change)?;
        let mut problems = settings.validate().err().unwrap_or_default();
        problems.extend(unknown_ids(&settings, teams, agents));
        if !problems.is_empty() {
            return Err(ApiError::BadFields {
                unchanged: SETTINGS,
                fields: problems,
            });
        }
        self.put(assistant, &settings)?;
        Ok(settings)
    }
}

/// Reads the merged settings. When they do not read, each changed field is read alone,
/// so the answer names the fields at fault (an unknown one, a value of the wrong type).
fn read(merged: &Map<String, Value>, change: &Map<String, Value>) -> ApiResult<Settings> {
    let whole = serde_json::from_value(Value::Object(merged.clone()));
    whole.map_err(|whole_error| {
        let mut problems: Vec<FieldError> = change
            .keys()
            .filter_map(|field| {
                let alone = Map::from_iter([(field.clone(), merged[field].clone())]);
                serde_json::from_value::<Settings>(Value::Object(alone))
                    .err()
                    .map(|e| FieldError {
                        field: field.clone(),
                        problem: e.to_string(),
                    })
            })
            .collect();
        if problems.is_empty() {
            problems.push(FieldError {
                field: String::new(),
                problem: whole_error.to_string(),
            });
        }
        ApiError::BadFields {
            unchanged: SETTINGS,
            fields: problems,
        }
    })
}

/// The team and agent ids the settings name that the workspace does not have; shared's
/// rules cannot know them.
fn unknown_ids(settings: &Settings, teams: &[String], agents: &[String]) -> Vec<FieldError> {
    let has = |list: &[String], id: &str| list.iter().any(|x| x == id);
    settings
        .routing
        .named()
        .into_iter()
        .filter_map(|(field, named)| {
            let problem = match named {
                Named::Team(t) if !has(teams, t) => {
                    format!("there is no team {t:?}; the Team page lists the teams")
                }
                Named::Agent(a) if !has(agents, a) => {
                    format!("there is no agent {a:?}; the Team page lists the agents and their ids")
                }
                Named::Team(_) | Named::Agent(_) => return None,
            };
            Some(FieldError { field, problem })
        })
        .collect()
}
