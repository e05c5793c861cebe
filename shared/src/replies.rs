//! Saved replies: text an agent inserts into the reply box by a short name (`/shipping`),
//! kept for the whole workspace (admins write those) or for one agent. The rules a
//! reply must keep before it is stored; the inbox fills its placeholders when the agent
//! picks it, since the values (the agent, the visitor's form answers) are there.

use crate::handover::{placeholders_in, Placeholder};
use crate::protocol::{AgentRef, FieldError, Millis, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

/// Whose reply it is: every agent reads the workspace's; a personal one is its owner's.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Workspace,
    #[default]
    Personal,
}

/// `POST /api/replies` and `PUT /api/replies/{id}`: the whole reply.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReplyDraft {
    pub name: String,
    pub text: String,
    #[serde(default)]
    pub scope: Scope,
}

/// A stored reply as `GET /api/replies` lists it; `owner` is the agent of a personal one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SavedReply {
    pub id: i64,
    pub name: String,
    pub text: String,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<AgentRef>,
    pub updated_at: Millis,
}

/// A name is what follows `/` in the reply box: short, and typed without thinking.
pub const MAX_NAME_CHARS: usize = 32;
/// Replies one scope holds (the workspace, or one agent): the `/` list stays readable.
pub const MAX_PER_SCOPE: usize = 200;
/// What a reply may contain besides text: filled in when the agent picks it.
pub const PLACEHOLDERS: [Placeholder; 2] = [Placeholder::VisitorName, Placeholder::Agent];

fn problem(field: &str, problem: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.into(),
    }
}

impl ReplyDraft {
    /// Tidied (trimmed; the name lower case without a leading `/`), or every problem by
    /// field. `taken`: the other names in the same scope.
    pub fn checked(mut self, taken: &[&str]) -> Result<Self, Vec<FieldError>> {
        self.name = self.name.trim().trim_start_matches('/').to_lowercase();
        self.text = self.text.trim().to_string();
        let mut problems = Vec::new();
        let name_chars = self.name.chars().count();
        if name_chars == 0 || name_chars > MAX_NAME_CHARS {
            problems.push(problem(
                "name",
                format!("a name is 1 to {MAX_NAME_CHARS} characters"),
            ));
        } else if !self
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            problems.push(problem(
                "name",
                "use letters a-z, digits, - and _ only, as in /shipping",
            ));
        } else if taken.contains(&self.name.as_str()) {
            problems.push(problem(
                "name",
                format!("/{} is taken in this scope; choose another", self.name),
            ));
        }
        if self.text.is_empty() {
            problems.push(problem("text", "is empty; write the reply"));
        } else if self.text.chars().count() > MAX_TEXT_CHARS {
            problems.push(problem(
                "text",
                format!("is longer than {MAX_TEXT_CHARS} characters, the most a message holds"),
            ));
        }
        for token in placeholders_in(&self.text) {
            if !PLACEHOLDERS.iter().any(|p| p.token() == token) {
                let known: Vec<&str> = PLACEHOLDERS.iter().map(|p| p.token()).collect();
                problems.push(problem(
                    "text",
                    format!(
                        "{token} is not filled in; a reply can use {}",
                        known.join(", ")
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, text: &str) -> ReplyDraft {
        ReplyDraft {
            name: name.into(),
            text: text.into(),
            scope: Scope::Personal,
        }
    }

    fn fields(result: Result<ReplyDraft, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn a_reply_is_tidied_and_its_placeholders_kept() {
        let ok = draft(" /Shipping ", " Hi {visitor_name}, {agent} here. ")
            .checked(&["returns"])
            .unwrap();
        assert_eq!(ok.name, "shipping");
        assert_eq!(ok.text, "Hi {visitor_name}, {agent} here.");
    }

    #[test]
    fn names_are_short_slugs_unique_in_their_scope() {
        assert_eq!(
            fields(draft("", "x").checked(&[])),
            ["name: a name is 1 to 32 characters"]
        );
        assert_eq!(fields(draft(&"a".repeat(33), "x").checked(&[])).len(), 1);
        assert!(fields(draft("free shipping", "x").checked(&[]))[0].contains("a-z"));
        assert_eq!(
            fields(draft("/Shipping", "x").checked(&["shipping"])),
            ["name: /shipping is taken in this scope; choose another"]
        );
    }

    #[test]
    fn text_is_one_message_long_and_uses_known_placeholders_only() {
        assert_eq!(
            fields(draft("a", "  ").checked(&[])),
            ["text: is empty; write the reply"]
        );
        let emoji = "😀".repeat(MAX_TEXT_CHARS);
        assert!(draft("a", &emoji).checked(&[]).is_ok());
        assert_eq!(
            fields(draft("a", &format!("{emoji}!")).checked(&[])).len(),
            1
        );
        assert_eq!(
            fields(draft("a", "Hi {name}, you are {position}").checked(&[])),
            [
                "text: {name} is not filled in; a reply can use {visitor_name}, {agent}",
                "text: {position} is not filled in; a reply can use {visitor_name}, {agent}",
            ]
        );
        // Braces that name no placeholder are text.
        assert!(draft("a", "use {} or { x }").checked(&[]).is_ok());
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let all = fields(draft("no way", "").checked(&[]));
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn the_scope_is_personal_unless_said() {
        let d: ReplyDraft = serde_json::from_str(r#"{"name":"a","text":"b"}"#).unwrap();
        assert_eq!(d.scope, Scope::Personal);
        assert!(serde_json::from_str::<ReplyDraft>(r#"{"name":"a","text":"b","x":1}"#).is_err());
    }
}
