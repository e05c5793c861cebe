//! The bootstrap: `AGENTS`, `TEAMS` and `ADMINS` seed a workspace that has no accounts
//! yet (the demo's, a test's, a new deployment's first admin). After that the accounts
//! live in the workspace's storage and the Team page changes them; editing these
//! settings changes nothing. `AGENTS` holds password hashes (`scripts/hash-password`),
//! never passwords.

use crate::auth::hex;
use crate::config::{self, Setting};
use crate::error::{ApiError, ApiResult};
use crate::password::Hash;
use baton_shared::team::{normal_email, Role};
use sha2::{Digest, Sha256};
use worker::Env;

/// One agent of `AGENTS`, with their teams of `TEAMS` and their role from `ADMINS`.
pub struct Seed {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: Role,
    pub teams: Vec<String>,
}

pub struct People {
    pub agents: Vec<Seed>,
    pub teams: Vec<String>,
}

/// Agent ids derive from the email: the same person keeps the same id.
pub fn agent_id(email: &str) -> String {
    format!("ag_{}", &hex(&Sha256::digest(email.as_bytes()))[..12])
}

fn emails(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split(',').map(normal_email).filter(|e| !e.is_empty())
}

pub fn read(env: &Env) -> ApiResult<People> {
    let teams = teams(&config::optional(env, Setting::Teams).unwrap_or_default())?;
    let admins: Vec<String> =
        emails(&config::optional(env, Setting::Admins).unwrap_or_default()).collect();
    let mut agents = parse_agents(&config::required(env, Setting::Agents)?)?;
    for agent in &mut agents {
        agent.teams = teams
            .iter()
            .filter(|(_, members)| members.contains(&agent.email))
            .map(|(team, _)| team.clone())
            .collect();
        if admins.contains(&agent.email) {
            agent.role = Role::Admin;
        }
    }
    Ok(People {
        agents,
        teams: teams.into_iter().map(|(team, _)| team).collect(),
    })
}

/// Parses `AGENTS`: `email:Name:hash` entries separated by `;`.
fn parse_agents(config: &str) -> ApiResult<Vec<Seed>> {
    config
        .split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .enumerate()
        .map(|(n, entry)| {
            let mut parts = entry.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(email), Some(name), Some(password))
                    if !email.trim().is_empty() && !name.trim().is_empty() && !password.is_empty() =>
                {
                    // Named by its place, never its text: the text may be a password.
                    if Hash::parse(password.trim()).is_none() {
                        return Err(ApiError::Misconfigured(format!(
                            "AGENTS entry {} holds no password hash: make one with scripts/hash-password (a password itself is never kept)",
                            n + 1
                        )));
                    }
                    let email = normal_email(email);
                    Ok(Seed {
                        id: agent_id(&email),
                        email,
                        name: name.trim().to_string(),
                        password: password.trim().to_string(),
                        role: Role::Agent,
                        teams: Vec::new(),
                    })
                }
                _ => Err(ApiError::Misconfigured(format!(
                    "AGENTS has an entry that is not email:Name:hash (entry {})",
                    n + 1
                ))),
            }
        })
        .collect()
}

/// Parses `TEAMS`: `team:email,email` entries separated by `;`.
fn teams(config: &str) -> ApiResult<Vec<(String, Vec<String>)>> {
    config
        .split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .enumerate()
        .map(|(n, entry)| match entry.split_once(':') {
            Some((team, members)) if !team.trim().is_empty() => {
                Ok((team.trim().to_string(), emails(members).collect()))
            }
            _ => Err(ApiError::Misconfigured(format!(
                "TEAMS has an entry that is not team:email,email (entry {})",
                n + 1
            ))),
        })
        .collect()
}
