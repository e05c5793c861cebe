//! Each assistant's handover settings, stored in the workspace's object, which alone
//! writes them. A change is a partial JSON object read over what is stored; it is stored
//! only when it reads and validates, so a refused change leaves everything as it was.

use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_shared::handover::{Eligible, Settings};
use baton_shared::protocol::FieldError;
use serde::Deserialize;
use serde_json::{Map, Value};

const SCHEMA: &str =
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

pub struct SettingsStore {
    sql: Sql,
}

impl SettingsStore {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        sql.exec(SCHEMA, None)?;
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
        self.sql.exec(
            "INSERT INTO assistant_settings (assistant, json) VALUES (?, ?) \
             ON CONFLICT(assistant) DO UPDATE SET json = excluded.json",
            vec![assistant.into(), serde_json::to_string(&settings)?.into()],
        )?;
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
    let routing = &settings.routing;
    let mut named_teams: Vec<(String, &String)> = routing
        .languages
        .iter()
        .map(|(tag, team)| (format!("routing.languages.{tag}"), team))
        .collect();
    if let Some(team) = &routing.default_team {
        named_teams.push(("routing.default_team".into(), team));
    }
    let mut named_agents = Vec::new();
    if let Eligible::Chosen {
        teams: chosen_teams,
        agents: chosen_agents,
    } = &routing.eligible
    {
        named_teams.extend(
            chosen_teams
                .iter()
                .map(|t| ("routing.eligible.teams".into(), t)),
        );
        named_agents.extend(chosen_agents.iter().map(|a| ("routing.eligible.agents", a)));
    }
    let team_problems = named_teams
        .into_iter()
        .filter(|(_, team)| !teams.contains(team))
        .map(|(field, team)| FieldError {
            field,
            problem: format!("there is no team {team:?}; the TEAMS setting lists the teams"),
        });
    let agent_problems = named_agents
        .into_iter()
        .filter(|(_, agent)| !agents.contains(agent))
        .map(|(field, agent)| FieldError {
            field: field.into(),
            problem: format!("there is no agent {agent:?}; agent ids are those of GET /api/queue and POST /api/login"),
        });
    team_problems.chain(agent_problems).collect()
}
