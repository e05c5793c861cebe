//! Checking the visitor's answers to the pre-handover form.

use super::Refusal;
use crate::protocol::{FieldRule, FormAnswers, PreHandoverForm};

const MAX_FIELD_CHARS: usize = 200;

/// The answers as stored: trimmed, blanks and fields the form does not ask for dropped.
pub(super) fn check(form: &PreHandoverForm, answers: FormAnswers) -> Result<FormAnswers, Refusal> {
    let name = field("name", form.name, answers.name)?;
    let email = field("email", form.email, answers.email)?;
    if let Some(email) = &email {
        if !looks_like_email(email) {
            return Err(Refusal::FormField {
                field: "email",
                problem: "this does not look like an email address",
            });
        }
    }
    Ok(FormAnswers { name, email })
}

fn field(
    name: &'static str,
    rule: FieldRule,
    value: Option<String>,
) -> Result<Option<String>, Refusal> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty() && rule != FieldRule::Off);
    match &value {
        None if rule == FieldRule::Required => Err(Refusal::FormField {
            field: name,
            problem: "this field is required",
        }),
        Some(v) if v.chars().count() > MAX_FIELD_CHARS => Err(Refusal::FormField {
            field: name,
            problem: "this is longer than 200 characters",
        }),
        _ => Ok(value),
    }
}

/// One `@` with something on both sides, a dot in the domain, no spaces: enough to catch
/// typos without refusing real addresses.
pub(super) fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}
