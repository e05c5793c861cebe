//! The workspace's team as its admins run it: agents with a role and a status, the teams
//! they are in, and the rules every change must keep (there is always an active admin; an
//! email is one account; teams named once). Also the login lockout. Pure: the Worker
//! stores what these functions allow.

use crate::limits::Limit;
use crate::protocol::{FieldError, Millis};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Agent,
    /// Also runs the workspace: settings, knowledge, team, analytics.
    Admin,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Added, with an invitation not yet followed: cannot sign in.
    Invited,
    Active,
    /// Cannot sign in, and whatever tokens it had stopped working.
    Disabled,
}

/// An account as the Team page lists it (never its password).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub status: Status,
    pub teams: Vec<String>,
}

/// `POST /api/team/agents`: who to add.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub role: Role,
    #[serde(default)]
    pub teams: Vec<String>,
}

/// `PUT /api/team/agents/{id}`: what to change; what is left out stays.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub teams: Option<Vec<String>>,
    /// `active` or `disabled`; an invited account becomes active by its invitation only.
    pub status: Option<Status>,
}

fn problem(field: &str, problem: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.into(),
    }
}

const MAX_NAME_CHARS: usize = 80;

fn name_problem(name: &str) -> Option<FieldError> {
    let chars = name.trim().chars().count();
    (chars == 0 || chars > MAX_NAME_CHARS).then(|| {
        problem(
            "name",
            format!("a name is 1 to {MAX_NAME_CHARS} characters"),
        )
    })
}

fn teams_problem(teams: &[String], known: &[String]) -> Option<FieldError> {
    let unknown: Vec<&str> = teams
        .iter()
        .filter(|t| !known.contains(t))
        .map(String::as_str)
        .collect();
    (!unknown.is_empty()).then(|| {
        problem(
            "teams",
            format!("no team {}; create it first", unknown.join(", ")),
        )
    })
}

/// An email as accounts keep it: trimmed, lower case.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn email_problem(email: &str) -> Option<FieldError> {
    let sound = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.contains(char::is_whitespace)
            && email.len() <= 254
    });
    (!sound).then(|| problem("email", "not an email address"))
}

impl NewMember {
    /// Tidied (trimmed name, normal email), or every problem, by field.
    pub fn checked(
        mut self,
        members: &[Member],
        teams: &[String],
    ) -> Result<Self, Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        self.email = normal_email(&self.email);
        let mut found: Vec<FieldError> = name_problem(&self.name).into_iter().collect();
        if let Some(p) = email_problem(&self.email) {
            found.push(p);
        } else if members.iter().any(|m| m.email == self.email) {
            found.push(problem(
                "email",
                format!("{} has an account already", self.email),
            ));
        }
        found.extend(teams_problem(&self.teams, teams));
        if found.is_empty() {
            Ok(self)
        } else {
            Err(found)
        }
    }
}

/// Applies `change` to the member `id`, keeping at least one active admin: an admin
/// cannot demote, disable or remove the last one (themselves included).
pub fn change(
    members: &[Member],
    id: &str,
    change: MemberChange,
    teams: &[String],
) -> Result<Member, Vec<FieldError>> {
    let Some(before) = members.iter().find(|m| m.id == id) else {
        return Err(vec![problem("id", format!("there is no agent {id:?}"))]);
    };
    let mut after = before.clone();
    let mut found = Vec::new();
    if let Some(name) = change.name {
        match name_problem(&name) {
            Some(p) => found.push(p),
            None => after.name = name.trim().to_string(),
        }
    }
    if let Some(list) = change.teams {
        match teams_problem(&list, teams) {
            Some(p) => found.push(p),
            None => after.teams = list,
        }
    }
    if let Some(role) = change.role {
        after.role = role;
    }
    match change.status {
        Some(Status::Invited) => found.push(problem(
            "status",
            "an account is invited when added; send a new invitation instead",
        )),
        Some(Status::Active) if before.status == Status::Invited => found.push(problem(
            "status",
            "an invited agent becomes active by following their invitation",
        )),
        Some(status) => after.status = status,
        None => {}
    }
    if found.is_empty() && !keeps_an_admin(members, Some(&after), id) {
        found.push(problem(
            "role",
            "this is the last active admin; make someone else an admin first",
        ));
    }
    if found.is_empty() {
        Ok(after)
    } else {
        Err(found)
    }
}

/// Whether removing the member `id` leaves an active admin.
pub fn may_remove(members: &[Member], id: &str) -> Result<(), FieldError> {
    match keeps_an_admin(members, None, id) {
        true => Ok(()),
        false => Err(problem(
            "id",
            "this is the last active admin; make someone else an admin first",
        )),
    }
}

/// With member `id` replaced by `now` (or gone), is there still an active admin?
fn keeps_an_admin(members: &[Member], now: Option<&Member>, id: &str) -> bool {
    members
        .iter()
        .filter(|m| m.id != id)
        .chain(now)
        .any(|m| m.role == Role::Admin && m.status == Status::Active)
}

/// A team id: 1 to 40 letters, digits, `-` and `_` (it is what the settings name).
pub fn team_problem(team: &str, teams: &[String]) -> Option<FieldError> {
    let word = (1..=40).contains(&team.len())
        && team
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !word {
        Some(problem(
            "id",
            "a team id is 1 to 40 letters, digits, - and _",
        ))
    } else if teams.iter().any(|t| t == team) {
        Some(problem("id", format!("there is a team {team} already")))
    } else {
        None
    }
}

/// Login attempts are counted over this window.
pub const LOCKOUT_WINDOW_MS: u64 = 10 * 60 * 1000;
/// Failed attempts for one email within the window that lock it.
pub const LOCKOUT_PER_EMAIL: usize = 10;
/// Failed attempts from one client address within the window that lock it.
pub const LOCKOUT_PER_CLIENT: usize = 30;

/// How long a login must wait, given the times of the failed attempts in the window for
/// its email and for its client address; `None`: it may try. Once locked, the right
/// password is refused too, until the oldest failure that counts leaves the window.
pub fn locked_for(
    email_failures: &[Millis],
    client_failures: &[Millis],
    now: Millis,
) -> Option<u64> {
    let limit = |count| Limit {
        count,
        window_ms: LOCKOUT_WINDOW_MS,
    };
    match (
        limit(LOCKOUT_PER_EMAIL).wait(email_failures.iter().copied(), now),
        limit(LOCKOUT_PER_CLIENT).wait(client_failures.iter().copied(), now),
    ) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
