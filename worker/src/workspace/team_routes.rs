//! The workspace's account routes: signing in (with the lockout), following an
//! invitation, changing one's password, and the Team page's API (admins only). Every
//! change that touches whose tokens hold, or the teams, is announced to the
//! conversations holding a copy, and closes the changed agent's inbox sockets, so that a
//! disabled agent's open inbox signs out at once.

use super::accounts::Row;
use super::inboxes;
use super::{Stores, WorkspaceObject};
use crate::auth::{hex, random_id, Actor, Keys, Session, SIGNED_OUT};
use crate::bootstrap::agent_id;
use crate::error::{ApiError, ApiResult};
use crate::internal::{self, json_body, json_response, now};
use crate::password::{self, Hash};
use crate::socket::close_signed_out;
use baton_shared::handover::Named;
use baton_shared::protocol::{FieldError, LoginRequest, LoginResponse, Millis, Presence};
use baton_shared::team::{
    self, locked_for, normal_email, Member, MemberChange, NewMember, Role, Status,
    LOCKOUT_WINDOW_MS,
};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use worker::{Method, Request, Response};

/// What the Team page's refusals leave as it was.
const UNCHANGED: &str = "the team was";

/// A hash that matches nothing, checked when the email has no account, so that a wrong
/// email takes as long as a wrong password.
const NOBODY: &str = "pbkdf2-sha256.100000.00000000000000000000000000000000.0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Deserialize)]
struct Accept {
    token: String,
    password: String,
}

#[derive(Deserialize)]
struct NewPassword {
    current: String,
    new: String,
}

#[derive(Deserialize)]
struct TeamName {
    id: String,
}

fn refused(fields: Vec<FieldError>) -> ApiError {
    ApiError::BadFields {
        unchanged: UNCHANGED,
        fields,
    }
}

/// Refuses to let `id` go while an assistant's routing names it: its handovers would go
/// to nobody. The admin changes those settings first.
fn still_named(stores: &Stores, id: Named, kind: &str, verb: &str) -> ApiResult<()> {
    let naming = stores.settings.naming(id)?;
    if naming.is_empty() {
        return Ok(());
    }
    let name = match id {
        Named::Team(x) | Named::Agent(x) => x,
    };
    Err(ApiError::Conflict(format!(
        "cannot {verb} the {kind} {name:?}: the settings hand conversations to them ({}); change those settings first",
        naming.join(", ")
    )))
}

fn token_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The account routes, by their first segment.
pub const PATHS: [&str; 7] = [
    "/login",
    "/logout",
    "/invitation",
    "/password",
    "/session",
    "/agents",
    "/team",
];

/// Routes that are the admins': the Team page, the settings, the assistants, the
/// analytics and the knowledge base (but for an agent's save of an answer).
fn for_admins(method: &Method, path: &str) -> bool {
    let under = |p: &str| {
        path == p || path.starts_with(&format!("{p}/")) || path.starts_with(&format!("{p}?"))
    };
    ["/team", "/settings", "/assistants", "/analytics"]
        .iter()
        .any(|p| under(p))
        || (under("/knowledge") && !(*method == Method::Post && path == "/knowledge/suggestions"))
}

impl WorkspaceObject {
    /// Every request the router forwards names its caller: an agent's token must still
    /// hold, and an admin's route needs an admin now; a visitor reaches only sign-in and
    /// invitations. Calls between objects name none and pass.
    pub(super) fn gate(&self, stores: &Stores, req: &Request, path: &str) -> ApiResult<()> {
        match internal::caller(req)? {
            None => Ok(()),
            Some(Actor::Visitor) if path == "/login" || path == "/invitation" => Ok(()),
            Some(Actor::Visitor) => Err(ApiError::Unauthorized(
                "only a signed-in agent can do this".into(),
            )),
            Some(Actor::Agent(_)) if for_admins(&req.method(), path) => {
                self.admin_of(stores, req).map(|_| ())
            }
            Some(Actor::Agent(_)) => self.session_of(stores, req).map(|_| ()),
        }
    }

    /// The agent behind an agent's request, if their token still holds, and their role.
    pub(super) fn session_of(&self, stores: &Stores, req: &Request) -> ApiResult<(Session, Role)> {
        let signed_out = || ApiError::Unauthorized(SIGNED_OUT.into());
        let Actor::Agent(agent) = internal::actor(req)? else {
            return Err(ApiError::Unauthorized(
                "only a signed-in agent can do this".into(),
            ));
        };
        let generation = internal::generation(req)?.ok_or_else(signed_out)?;
        let role = stores
            .accounts
            .holds(&agent.id, generation)?
            .ok_or_else(signed_out)?;
        Ok((
            Session {
                agent,
                admin: role == Role::Admin,
                generation,
            },
            role,
        ))
    }

    /// An admin's request; anyone else is refused.
    fn admin_of(&self, stores: &Stores, req: &Request) -> ApiResult<Session> {
        match self.session_of(stores, req)? {
            (session, Role::Admin) => Ok(session),
            _ => Err(ApiError::Forbidden(
                "only an admin can do this: the team, the settings, the knowledge base and the analytics are theirs".into(),
            )),
        }
    }

    /// `rest` is the path: `/login`, `/invitation`, `/password`, `/session`, `/team/...`.
    pub(super) async fn team_route(
        &self,
        stores: &Stores,
        mut req: Request,
        path: &str,
    ) -> ApiResult<Response> {
        let accounts = &stores.accounts;
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let at = now();
        match (req.method(), segments.as_slice()) {
            (Method::Post, ["login"]) => {
                // Unknown addresses share one count, as one client would.
                let client = internal::client_address(&req)?.unwrap_or_else(|| "unknown".into());
                let body: LoginRequest = json_body(&mut req, "login (email and password)").await?;
                self.login(stores, body, &client, at).await
            }
            (Method::Post, ["invitation"]) => {
                let body: Accept = json_body(&mut req, "invitation (token and password)").await?;
                if let Some(p) = password::problem(&body.password) {
                    return Err(refused(vec![FieldError {
                        field: "password".into(),
                        problem: p,
                    }]));
                }
                let id = accounts.take_invitation(&token_hash(&body.token), at)?.ok_or_else(|| {
                    ApiError::NotFound(
                        "this invitation is not valid: it was used, replaced, or is more than 7 days old; ask an admin for a new one".into(),
                    )
                })?;
                let row = accounts.set_password(&id, &password::hash(&body.password).await?)?;
                self.changed(stores, &id).await?;
                self.signed_in(stores, &row)
            }
            (Method::Put, ["password"]) => {
                let (session, _) = self.session_of(stores, &req)?;
                let body: NewPassword =
                    json_body(&mut req, "password change (current and new)").await?;
                let row = accounts.by_id(&session.agent.id)?;
                let stored = row.password.as_deref().and_then(Hash::parse);
                let right = match stored {
                    Some(hash) => hash.verify(&body.current).await?,
                    None => false,
                };
                if !right {
                    return Err(refused(vec![FieldError {
                        field: "current".into(),
                        problem: "this is not your current password".into(),
                    }]));
                }
                if let Some(p) = password::problem(&body.new) {
                    return Err(refused(vec![FieldError {
                        field: "new".into(),
                        problem: p,
                    }]));
                }
                let row = accounts.set_password(&row.id, &password::hash(&body.new).await?)?;
                self.changed(stores, &row.id).await?;
                self.signed_in(stores, &row)
            }
            // Tokens are signed, not stored: signing out moves the account's generation
            // on, which ends this token and the agent's others at once.
            (Method::Post, ["logout"]) => {
                let (session, _) = self.session_of(stores, &req)?;
                accounts.sign_out(&session.agent.id)?;
                self.changed(stores, &session.agent.id).await?;
                json_response(&json!({}), 200)
            }
            (Method::Get, ["session"]) => {
                let (_, role) = self.session_of(stores, &req)?;
                json_response(&json!({ "admin": role == Role::Admin }), 200)
            }
            (Method::Get, ["agents"]) => {
                self.session_of(stores, &req)?;
                json_response(&super::directory(stores)?, 200)
            }
            (_, ["team", rest @ ..]) => {
                self.admin_of(stores, &req)?;
                self.team_admin(stores, req, rest).await
            }
            _ => Err(ApiError::NotFound("no such account route".into())),
        }
    }

    async fn login(
        &self,
        stores: &Stores,
        body: LoginRequest,
        client: &str,
        at: Millis,
    ) -> ApiResult<Response> {
        let accounts = &stores.accounts;
        let email = normal_email(&body.email);
        let keys = [format!("email:{email}"), format!("client:{client}")];
        let since = Millis(at.0.saturating_sub(LOCKOUT_WINDOW_MS));
        let wait = locked_for(
            &accounts.failures(&keys[0], since)?,
            &accounts.failures(&keys[1], since)?,
            at,
        );
        if let Some(ms) = wait {
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "too many failed sign-ins; try again in {} minute(s)",
                    ms.div_ceil(60_000)
                ),
                retry_after_secs: ms.div_ceil(1000),
            });
        }
        let row = accounts.by_email(&email)?;
        let hash = row
            .as_ref()
            .and_then(|r| r.password.as_deref())
            .and_then(Hash::parse)
            .or_else(|| Hash::parse(NOBODY))
            .ok_or_else(|| ApiError::Internal("the stand-in hash does not read".into()))?;
        let right = hash.verify(&body.password).await?;
        match row {
            Some(row) if right && row.member()?.status == Status::Active => {
                self.signed_in(stores, &row)
            }
            Some(_) if right => Err(ApiError::Forbidden(
                "this account is disabled; ask an admin to enable it".into(),
            )),
            _ => {
                accounts.failed(&[&keys[0], &keys[1]], at, since)?;
                Err(ApiError::Unauthorized("wrong email or password".into()))
            }
        }
    }

    /// A new token for the account as it now is.
    fn signed_in(&self, stores: &Stores, row: &Row) -> ApiResult<Response> {
        let admin = row.member()?.role == Role::Admin;
        let session = Session {
            agent: row.agent(),
            admin,
            generation: row.generation as u64,
        };
        json_response(
            &LoginResponse {
                token: Keys::from_env(&self.env)?.agent_token(&session, now()),
                agent: row.agent(),
                admin,
                presence: stores
                    .queue
                    .presences()?
                    .get(&row.id)
                    .copied()
                    .unwrap_or(Presence::Offline),
            },
            200,
        )
    }

    async fn team_admin(
        &self,
        stores: &Stores,
        mut req: Request,
        rest: &[&str],
    ) -> ApiResult<Response> {
        let accounts = &stores.accounts;
        let at = now();
        match (req.method(), rest) {
            (Method::Get, []) => json_response(
                &json!({ "agents": accounts.members()?, "teams": accounts.teams()? }),
                200,
            ),
            (Method::Post, ["agents"]) => {
                let new: NewMember =
                    json_body(&mut req, "agent (name, email, role, teams)").await?;
                let new = new
                    .checked(&accounts.members()?, &accounts.teams()?)
                    .map_err(refused)?;
                let member = Member {
                    id: agent_id(&new.email),
                    name: new.name,
                    email: new.email,
                    role: new.role,
                    status: Status::Invited,
                    teams: new.teams,
                };
                accounts.add(&member, at)?;
                let invitation = self.invite(stores, &member.id, at)?;
                json_response(&json!({ "agent": member, "invitation": invitation }), 201)
            }
            (Method::Post, ["agents", id, "invitation"]) => {
                let row = accounts.by_id(id)?;
                if row.member()?.status != Status::Invited {
                    return Err(ApiError::BadRequest(format!(
                        "{} has signed in already; an invitation is for an agent who has not",
                        row.name
                    )));
                }
                json_response(&json!({ "invitation": self.invite(stores, id, at)? }), 201)
            }
            (Method::Put, ["agents", id]) => {
                let change: MemberChange =
                    json_body(&mut req, "change (name, role, teams, status)").await?;
                let before = accounts.by_id(id)?.member()?;
                let after = team::change(&accounts.members()?, id, change, &accounts.teams()?)
                    .map_err(refused)?;
                let moves_on = before.role != after.role || before.status != after.status;
                let row = accounts.update(&after, moves_on)?;
                self.changed(stores, id).await?;
                json_response(&row.member()?, 200)
            }
            (Method::Delete, ["agents", id]) => {
                let gone = accounts.by_id(id)?.member()?;
                team::may_remove(&accounts.members()?, id).map_err(|f| refused(vec![f]))?;
                still_named(stores, Named::Agent(id), "agent", "remove")?;
                accounts.remove(id)?;
                self.changed(stores, id).await?;
                json_response(&gone, 200)
            }
            (Method::Post, ["teams"]) => {
                let body: TeamName = json_body(&mut req, "team ({\"id\"})").await?;
                let id = body.id.trim();
                if let Some(p) = team::team_problem(id, &accounts.teams()?) {
                    return Err(refused(vec![p]));
                }
                accounts.add_team(id)?;
                self.changed(stores, "").await?;
                json_response(&json!({ "id": id }), 201)
            }
            (Method::Put | Method::Delete, ["teams", id]) => {
                let teams = accounts.teams()?;
                if !teams.iter().any(|t| t == id) {
                    return Err(ApiError::NotFound(format!("there is no team {id:?}")));
                }
                let to = match req.method() {
                    Method::Put => {
                        let body: TeamName = json_body(&mut req, "team ({\"id\"})").await?;
                        let to = body.id.trim().to_string();
                        if let Some(p) = team::team_problem(&to, &teams) {
                            return Err(refused(vec![p]));
                        }
                        Some(to)
                    }
                    _ => None,
                };
                match &to {
                    // Handovers keep going where they went: the settings follow the name.
                    Some(to) => {
                        stores.settings.rename_team(id, to)?;
                    }
                    None => still_named(stores, Named::Team(id), "team", "delete")?,
                }
                accounts.rename_team(id, to.as_deref())?;
                self.changed(stores, "").await?;
                json_response(&json!({ "teams": accounts.teams()? }), 200)
            }
            _ => Err(ApiError::NotFound("no such team route".into())),
        }
    }

    /// A new invitation: its secret goes to the admin once and is kept only hashed.
    fn invite(&self, stores: &Stores, agent_id: &str, at: Millis) -> ApiResult<serde_json::Value> {
        let secret = format!("{}{}", random_id()?, random_id()?);
        let expires = stores.accounts.invite(agent_id, &token_hash(&secret), at)?;
        Ok(
            json!({ "token": secret, "path": format!("/inbox/#invite={secret}"), "expires_at": expires.0 }),
        )
    }

    /// The accounts changed (agent `id`'s, or the teams): conversations holding a copy hear
    /// of it, and that agent's inbox sockets close, so a stale inbox signs in again.
    async fn changed(&self, stores: &Stores, id: &str) -> ApiResult<()> {
        for ws in self.state.get_websockets_with_tag("inbox") {
            if inboxes::attachment(&ws).is_some_and(|s| s.agent.id == id) {
                close_signed_out(&ws);
            }
        }
        stores.readers.announce_all(now())?;
        internal::set_alarm(&self.state, now()).await
    }
}
