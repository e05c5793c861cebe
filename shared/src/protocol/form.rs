//! The pre-handover form: which fields an assistant asks for, and the visitor's answers.

use serde::{Deserialize, Serialize};

/// Whether the form asks for a field.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    #[default]
    Off,
    Optional,
    Required,
}

/// The fields asked before a handover. With every field off there is no form.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PreHandoverForm {
    pub name: FieldRule,
    pub email: FieldRule,
}

impl PreHandoverForm {
    pub fn asks_anything(&self) -> bool {
        self.name != FieldRule::Off || self.email != FieldRule::Off
    }
}

/// What the visitor entered; a field left out or blank is `None`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct FormAnswers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}
