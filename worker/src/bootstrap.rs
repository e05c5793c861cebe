//! The workspace's people, from the Worker's settings: agent accounts (`AGENTS`),
//! their teams (`TEAMS`) and who may change the settings (`ADMINS`). Configuration rather
//! than storage, so the router can check a login without asking an object.

use crate::auth::hex;
use crate::config::{self, Setting};
use crate::error::{ApiError, ApiResult};
use baton_shared::protocol::{AgentRef, Directory, DirectoryAgent, TransferTarget};
use sha2::{Digest, Sha256};
use worker::Env;

/// An agent account from the `AGENTS` setting.
pub struct Account {
    pub email: String,
    pub password: String,
    pub agent: AgentRef,
    /// Ids of the teams the `TEAMS` setting puts them in.
    pub teams: Vec<String>,
}

/// Agent ids derive from the email, so they stay the same when the lists are edited.
fn agent_id(email: &str) -> String {
    format!("ag_{}", &hex(&Sha256::digest(email.as_bytes()))[..12])
}

fn emails(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split(',')
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
}

/// Every account, with its teams.
pub fn accounts(env: &Env) -> ApiResult<Vec<Account>> {
    let mut accounts = parse_agents(&config::required(env, Setting::Agents)?)?;
    let teams = teams(&config::optional(env, Setting::Teams).unwrap_or_default())?;
    for account in &mut accounts {
        account.teams = teams
            .iter()
            .filter(|(_, members)| members.contains(&account.email))
            .map(|(team, _)| team.clone())
            .collect();
    }
    Ok(accounts)
}

/// The teams of the agent `agent_id`.
pub fn teams_of(env: &Env, agent_id: &str) -> ApiResult<Vec<String>> {
    Ok(accounts(env)?
        .into_iter()
        .find(|a| a.agent.id == agent_id)
        .map(|a| a.teams)
        .unwrap_or_default())
}

/// Every team id `TEAMS` defines.
pub fn team_ids(env: &Env) -> ApiResult<Vec<String>> {
    Ok(
        teams(&config::optional(env, Setting::Teams).unwrap_or_default())?
            .into_iter()
            .map(|(team, _)| team)
            .collect(),
    )
}

/// Refuses a transfer to a team or agent the workspace does not have.
pub fn check_target(env: &Env, to: &TransferTarget) -> ApiResult<()> {
    match to {
        TransferTarget::Team(team) if !team_ids(env)?.contains(team) => Err(ApiError::BadRequest(
            format!("there is no team {team:?} to transfer to; the TEAMS setting lists the teams"),
        )),
        TransferTarget::Agent(agent) if !accounts(env)?.iter().any(|a| a.agent.id == agent.id) => {
            Err(ApiError::BadRequest(format!(
                "there is no agent {:?} to transfer to; the AGENTS setting lists the agents",
                agent.id
            )))
        }
        _ => Ok(()),
    }
}

/// Every team and agent, for the inbox's transfer choices.
pub fn directory(env: &Env) -> ApiResult<Directory> {
    Ok(Directory {
        teams: team_ids(env)?,
        agents: accounts(env)?
            .into_iter()
            .map(|a| DirectoryAgent {
                agent: a.agent,
                teams: a.teams,
            })
            .collect(),
    })
}

/// Whether `ADMINS` (agent emails, comma-separated) lists this agent.
pub fn is_admin(env: &Env, agent: &AgentRef) -> bool {
    let admins = config::optional(env, Setting::Admins).unwrap_or_default();
    let listed = emails(&admins).any(|email| agent_id(&email) == agent.id);
    listed
}

/// Parses `AGENTS`: `email:Name:password` entries separated by `;`.
fn parse_agents(config: &str) -> ApiResult<Vec<Account>> {
    config
        .split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .enumerate()
        .map(|(n, entry)| {
            let mut parts = entry.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(email), Some(name), Some(password))
                    if !email.trim().is_empty()
                        && !name.trim().is_empty()
                        && !password.is_empty() =>
                {
                    let email = email.trim().to_lowercase();
                    Ok(Account {
                        agent: AgentRef {
                            id: agent_id(&email),
                            name: name.trim().to_string(),
                        },
                        email,
                        password: password.to_string(),
                        teams: Vec::new(),
                    })
                }
                // Named by its place, not its text: the text may hold a password.
                _ => Err(ApiError::Misconfigured(format!(
                    "AGENTS has an entry that is not email:Name:password (entry {})",
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
