//! Checking settings before they are stored: each problem names its field and says, in
//! words an admin can act on, what is wrong.

use super::messages::Placeholder;
use super::origins::{origin_problem, MAX_ORIGINS};
use super::phrases::fold;
use super::settings::{Assignment, Eligible, Settings};
use crate::protocol::{FieldError, MAX_TEXT_CHARS};

const MAX_PHRASE_CHARS: usize = 100;
/// An owner's own phrases, on top of the built-in detector; enough for every language.
const MAX_PHRASES: usize = 200;
/// Languages routed to teams.
const MAX_LANGUAGES: usize = 100;
const MAX_SUGGESTIONS: u8 = 5;
const MAX_CHATS: u32 = 100;
/// A week: longer is surely a mistake (milliseconds against seconds, say).
const MAX_TIMEOUT_SECS: u32 = 7 * 24 * 3600;

impl Settings {
    /// Every problem at once, so an admin can fix them in one go.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem =
            |field: String, problem: String| errors.push(FieldError { field, problem });
        self.check_phrases(&mut problem);
        self.check_messages(&mut problem);
        self.check_routing(&mut problem);
        if let Some(url) = &self.bot_url {
            let scheme = url.starts_with("https://") || url.starts_with("http://");
            if !scheme || url.len() > 2000 || url.chars().any(char::is_whitespace) {
                problem(
                    "bot_url".into(),
                    format!("{url:?} is not an http:// or https:// address; use null for the built-in assistant"),
                );
            }
        }
        for (i, origin) in self.allowed_origins.iter().enumerate() {
            if let Some(why) = origin_problem(origin) {
                problem(format!("allowed_origins[{i}]"), why);
            }
        }
        if self.allowed_origins.len() > MAX_ORIGINS {
            problem(
                "allowed_origins".into(),
                format!("list at most {MAX_ORIGINS} sites"),
            );
        }
        if self.suggestions > MAX_SUGGESTIONS {
            problem(
                "suggestions".into(),
                format!("offer at most {MAX_SUGGESTIONS} answers (0 turns the step off)"),
            );
        }
        if let Assignment::AutoAssign { max_chats } = self.assignment {
            if !(1..=MAX_CHATS).contains(&max_chats) {
                problem(
                    "assignment.auto_assign.max_chats".into(),
                    format!("must be from 1 to {MAX_CHATS} chats per agent"),
                );
            }
        }
        for (field, secs, off) in [
            (
                "queue_timeout_secs",
                self.queue_timeout_secs,
                "to wait for ever",
            ),
            (
                "holder_silence_secs",
                self.holder_silence_secs,
                "to never take a conversation from a silent agent",
            ),
            (
                "visitor_leave_secs",
                self.visitor_leave_secs,
                "to never count a visitor as gone",
            ),
            (
                "assistant_rating_secs",
                self.assistant_rating_secs,
                "to never ask for a rating of the assistant alone",
            ),
        ] {
            if secs.is_some_and(|s| !(1..=MAX_TIMEOUT_SECS).contains(&s)) {
                problem(
                    field.into(),
                    format!(
                        "must be from 1 to {MAX_TIMEOUT_SECS} seconds (7 days); use null {off}"
                    ),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_phrases(&self, problem: &mut impl FnMut(String, String)) {
        for (i, phrase) in self.request_phrases.iter().enumerate() {
            let field = format!("request_phrases[{i}]");
            if fold(phrase).trim().is_empty() {
                problem(field, "a phrase needs at least one letter or digit".into());
            } else if phrase.chars().count() > MAX_PHRASE_CHARS {
                problem(
                    field,
                    format!("is longer than {MAX_PHRASE_CHARS} characters"),
                );
            }
        }
        // An empty list is fine: the built-in detector still hears requests for a person.
        if self.request_phrases.len() > MAX_PHRASES {
            problem(
                "request_phrases".into(),
                format!("list at most {MAX_PHRASES} phrases"),
            );
        }
    }

    fn check_messages(&self, problem: &mut impl FnMut(String, String)) {
        for (name, text, allowed) in self.messages.each() {
            let field = format!("messages.{name}");
            if text.chars().count() > MAX_TEXT_CHARS {
                problem(
                    field.clone(),
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                );
            }
            for token in placeholders_in(text) {
                if !allowed.iter().any(|p| p.token() == token) {
                    let can = if allowed.is_empty() {
                        "this message takes no placeholders".to_string()
                    } else {
                        let names: Vec<&str> = allowed.iter().map(|p| p.token()).collect();
                        format!("this message can use {}", names.join(", "))
                    };
                    problem(
                        field.clone(),
                        format!("{token} is not filled in here; {can}"),
                    );
                }
            }
        }
        let token = Placeholder::Suggestions.token();
        if self.suggestions > 0 && !self.messages.suggestions.contains(token) {
            problem(
                "messages.suggestions".into(),
                format!("must contain {token} while the suggestion step is on, or the visitor sees no answers"),
            );
        }
    }

    fn check_routing(&self, problem: &mut impl FnMut(String, String)) {
        let routing = &self.routing;
        let chosen_teams = match &routing.eligible {
            Eligible::Everyone => None,
            Eligible::Chosen { teams, agents } => {
                if teams.is_empty() && agents.is_empty() {
                    problem(
                        "routing.eligible".into(),
                        "choose at least one team or agent, or \"everyone\"".into(),
                    );
                }
                for (list, ids) in [("teams", teams), ("agents", agents)] {
                    if ids.iter().any(|id| id.trim().is_empty()) {
                        problem(format!("routing.eligible.{list}"), "an id is blank".into());
                    }
                }
                Some(teams)
            }
        };
        let team_problem = |team: &str| {
            if team.trim().is_empty() {
                Some("the team id is blank".to_string())
            } else if chosen_teams.is_some_and(|t| !t.iter().any(|c| c == team)) {
                Some(format!(
                    "team \"{team}\" is not among the eligible teams (routing.eligible.teams)"
                ))
            } else {
                None
            }
        };
        if routing.languages.len() > MAX_LANGUAGES {
            problem(
                "routing.languages".into(),
                format!("route at most {MAX_LANGUAGES} languages"),
            );
        }
        for (language, team) in &routing.languages {
            let field = format!("routing.languages.{language}");
            if !is_language_tag(language) {
                let why = "not a language tag in lower case, like \"es\" or \"pt-br\"";
                problem(field.clone(), why.into());
            }
            if let Some(why) = team_problem(team) {
                problem(field, why);
            }
        }
        if let Some(why) = routing.default_team.as_deref().and_then(team_problem) {
            problem("routing.default_team".into(), why);
        }
    }
}

/// Every `{word}` in a message, known placeholder or typo.
pub(crate) fn placeholders_in(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open..];
        let word_end = rest[1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .map_or(rest.len(), |i| i + 1);
        if word_end > 1 && rest[word_end..].starts_with('}') {
            found.push(&rest[..=word_end]);
        }
        rest = &rest[1..];
    }
    found
}

/// `es`, `pt-br`, `zh-hant`: a 2–3 letter language, then 2–8 letter or digit subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}
