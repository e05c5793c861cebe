//! The workspace's accounts, kept in its storage: agents with their role, status, teams
//! and password hash, the teams, the invitations waiting to be followed, and the failed
//! logins the lockout counts. A workspace with no accounts yet is seeded once from the
//! Worker's `AGENTS`, `TEAMS` and `ADMINS` (the bootstrap). Each account has a
//! `generation`, written into its tokens: disabling it, changing its role or its password
//! moves it on, and tokens of an older one stop working at once.

use crate::bootstrap;
use crate::error::{ApiError, ApiResult};
use crate::sql::Sql;
use baton_shared::protocol::{AgentRef, Millis};
use baton_shared::team::{Member, Role, Status};
use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorageValue};

/// This store's tables in layout 1 (the workspace's `LAYOUT`): a change is a later step there.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    teams TEXT NOT NULL,
    password TEXT,
    generation INTEGER NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS teams (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS invitations (
    token TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures (key, at);
CREATE TABLE IF NOT EXISTS accounts_seeded (at INTEGER NOT NULL);
";

/// How long an invitation link works.
pub const INVITATION_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// One account as stored.
#[derive(Deserialize, Clone)]
pub struct Row {
    pub id: String,
    pub email: String,
    pub name: String,
    role: String,
    status: String,
    teams: String,
    pub password: Option<String>,
    pub generation: i64,
}

impl Row {
    pub fn member(&self) -> ApiResult<Member> {
        Ok(Member {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            role: serde_json::from_value(self.role.clone().into())?,
            status: serde_json::from_value(self.status.clone().into())?,
            teams: serde_json::from_str(&self.teams)?,
        })
    }

    pub fn agent(&self) -> AgentRef {
        AgentRef {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// What a conversation needs to know of an active agent: that their tokens of this
/// generation hold, and their teams (for claims and transfers).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Standing {
    pub id: String,
    pub generation: u64,
    pub teams: Vec<String>,
}

#[derive(Deserialize)]
struct TeamRow {
    id: String,
}

#[derive(Deserialize)]
struct AtRow {
    at: i64,
}

#[derive(Deserialize)]
struct InvitationRow {
    agent_id: String,
    expires_at: i64,
}

fn text<T: Serialize>(value: &T) -> ApiResult<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

pub struct Accounts {
    sql: Sql,
}

impl Accounts {
    pub fn open(sql: Sql) -> ApiResult<Self> {
        Ok(Accounts { sql })
    }

    /// Seeds a workspace that never had accounts from the bootstrap settings, once.
    pub fn seed(&self, env: &Env, now: Millis) -> ApiResult<()> {
        let seeded: Vec<AtRow> = self
            .sql
            .exec("SELECT at FROM accounts_seeded", None)?
            .to_array()?;
        if !seeded.is_empty() {
            return Ok(());
        }
        let people = bootstrap::read(env)?;
        for team in &people.teams {
            self.sql.exec(
                "INSERT OR IGNORE INTO teams (id) VALUES (?)",
                vec![team.as_str().into()],
            )?;
        }
        for p in &people.agents {
            let member = Member {
                id: p.id.clone(),
                name: p.name.clone(),
                email: p.email.clone(),
                role: p.role,
                status: Status::Active,
                teams: p.teams.clone(),
            };
            self.insert(&member, Some(&p.password), now)?;
        }
        self.sql.exec(
            "INSERT INTO accounts_seeded (at) VALUES (?)",
            vec![SqlStorageValue::from(now.0 as i64)],
        )?;
        Ok(())
    }

    fn insert(&self, m: &Member, password: Option<&str>, now: Millis) -> ApiResult<()> {
        self.sql.exec(
            "INSERT INTO accounts (id, email, name, role, status, teams, password, generation, added_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
            vec![
                m.id.as_str().into(),
                m.email.as_str().into(),
                m.name.as_str().into(),
                text(&m.role)?.into(),
                text(&m.status)?.into(),
                serde_json::to_string(&m.teams)?.into(),
                password.into(),
                SqlStorageValue::from(now.0 as i64),
            ],
        )?;
        Ok(())
    }

    pub fn add(&self, m: &Member, now: Millis) -> ApiResult<()> {
        self.insert(m, None, now)
    }

    pub fn rows(&self) -> ApiResult<Vec<Row>> {
        Ok(self
            .sql
            .exec("SELECT * FROM accounts ORDER BY added_at, email", None)?
            .to_array()?)
    }

    pub fn members(&self) -> ApiResult<Vec<Member>> {
        self.rows()?.iter().map(Row::member).collect()
    }

    pub fn by_email(&self, email: &str) -> ApiResult<Option<Row>> {
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT * FROM accounts WHERE email = ?", vec![email.into()])?
            .to_array()?;
        Ok(rows.into_iter().next())
    }

    pub fn by_id(&self, id: &str) -> ApiResult<Row> {
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT * FROM accounts WHERE id = ?", vec![id.into()])?
            .to_array()?;
        rows.into_iter()
            .next()
            .ok_or_else(|| ApiError::NotFound(format!("there is no agent {id:?}")))
    }

    /// Active agents with their generation and teams.
    pub fn standings(&self) -> ApiResult<Vec<Standing>> {
        let mut out = Vec::new();
        for row in self.rows()? {
            let member = row.member()?;
            if member.status == Status::Active {
                out.push(Standing {
                    id: row.id,
                    generation: row.generation as u64,
                    teams: member.teams,
                });
            }
        }
        Ok(out)
    }

    /// Whether a token of `generation` for agent `id` holds: the account is active and
    /// has not moved on since. Its role, for the admin routes.
    pub fn holds(&self, id: &str, generation: u64) -> ApiResult<Option<Role>> {
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT * FROM accounts WHERE id = ?", vec![id.into()])?
            .to_array()?;
        match rows.first() {
            Some(row) if row.generation as u64 == generation => {
                let m = row.member()?;
                Ok((m.status == Status::Active).then_some(m.role))
            }
            _ => Ok(None),
        }
    }

    /// Writes a changed member; `moves_on`: its tokens stop working.
    pub fn update(&self, m: &Member, moves_on: bool) -> ApiResult<Row> {
        self.sql.exec(
            "UPDATE accounts SET name = ?, role = ?, status = ?, teams = ?, \
             generation = generation + ? WHERE id = ?",
            vec![
                m.name.as_str().into(),
                text(&m.role)?.into(),
                text(&m.status)?.into(),
                serde_json::to_string(&m.teams)?.into(),
                SqlStorageValue::from(i64::from(moves_on)),
                m.id.as_str().into(),
            ],
        )?;
        self.by_id(&m.id)
    }

    /// A new password; every token of the account stops working, and an invited one is
    /// active from now.
    pub fn set_password(&self, id: &str, hash: &str) -> ApiResult<Row> {
        self.sql.exec(
            "UPDATE accounts SET password = ?, generation = generation + 1, \
             status = CASE status WHEN 'invited' THEN 'active' ELSE status END WHERE id = ?",
            vec![hash.into(), id.into()],
        )?;
        self.by_id(id)
    }

    /// Every token of the account stops working.
    pub fn sign_out(&self, id: &str) -> ApiResult<()> {
        self.sql.exec(
            "UPDATE accounts SET generation = generation + 1 WHERE id = ?",
            vec![id.into()],
        )?;
        Ok(())
    }

    pub fn remove(&self, id: &str) -> ApiResult<()> {
        self.sql
            .exec("DELETE FROM accounts WHERE id = ?", vec![id.into()])?;
        self.sql.exec(
            "DELETE FROM invitations WHERE agent_id = ?",
            vec![id.into()],
        )?;
        Ok(())
    }

    pub fn teams(&self) -> ApiResult<Vec<String>> {
        let rows: Vec<TeamRow> = self
            .sql
            .exec("SELECT id FROM teams ORDER BY id", None)?
            .to_array()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub fn add_team(&self, id: &str) -> ApiResult<()> {
        self.sql
            .exec("INSERT INTO teams (id) VALUES (?)", vec![id.into()])?;
        Ok(())
    }

    /// Renames team `from` (`to: None` deletes it), in every member's teams too.
    pub fn rename_team(&self, from: &str, to: Option<&str>) -> ApiResult<()> {
        self.sql
            .exec("DELETE FROM teams WHERE id = ?", vec![from.into()])?;
        if let Some(to) = to {
            self.add_team(to)?;
        }
        for mut m in self.members()? {
            if m.teams.iter().any(|t| t == from) {
                m.teams.retain(|t| t != from);
                if let Some(to) = to {
                    m.teams.push(to.to_string());
                }
                self.update(&m, false)?;
            }
        }
        Ok(())
    }

    /// A new invitation for `agent_id`, replacing any earlier one; `token_hash` is the
    /// SHA-256 of the link's secret, which is not kept.
    pub fn invite(&self, agent_id: &str, token_hash: &str, now: Millis) -> ApiResult<Millis> {
        let expires = Millis(now.0 + INVITATION_MS);
        self.sql.exec(
            "DELETE FROM invitations WHERE agent_id = ?",
            vec![agent_id.into()],
        )?;
        self.sql.exec(
            "INSERT INTO invitations (token, agent_id, expires_at) VALUES (?, ?, ?)",
            vec![
                token_hash.into(),
                agent_id.into(),
                SqlStorageValue::from(expires.0 as i64),
            ],
        )?;
        Ok(expires)
    }

    /// The agent an invitation is for, if it is still good; it can be followed once.
    pub fn take_invitation(&self, token_hash: &str, now: Millis) -> ApiResult<Option<String>> {
        let rows: Vec<InvitationRow> = self
            .sql
            .exec(
                "DELETE FROM invitations WHERE token = ? RETURNING agent_id, expires_at",
                vec![token_hash.into()],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .find(|r| r.expires_at as u64 > now.0)
            .map(|r| r.agent_id))
    }

    /// Failed logins under `key` since `since`.
    pub fn failures(&self, key: &str, since: Millis) -> ApiResult<Vec<Millis>> {
        let rows: Vec<AtRow> = self
            .sql
            .exec(
                "SELECT at FROM login_failures WHERE key = ? AND at > ?",
                vec![key.into(), SqlStorageValue::from(since.0 as i64)],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| Millis(r.at as u64)).collect())
    }

    /// A failed login, under each key; failures older than `forget_before` are dropped.
    pub fn failed(&self, keys: &[&str], now: Millis, forget_before: Millis) -> ApiResult<()> {
        for key in keys {
            self.sql.exec(
                "INSERT INTO login_failures (key, at) VALUES (?, ?)",
                vec![(*key).into(), SqlStorageValue::from(now.0 as i64)],
            )?;
        }
        self.sql.exec(
            "DELETE FROM login_failures WHERE at <= ?",
            vec![SqlStorageValue::from(forget_before.0 as i64)],
        )?;
        Ok(())
    }
}
