//! Who is calling: visitors hold a token bound to their conversation, agents a signed,
//! expiring token from `POST /api/login`. Both are HMAC-SHA256 over `AUTH_SECRET`, so the
//! router checks them without asking an object. An agent's token also carries their
//! role and their account's generation; the object that serves the request checks that
//! generation is still the account's (the workspace in its storage, a conversation in
//! its copy), so a disabled agent's tokens stop working at once.

use crate::config::{self, Setting};
use crate::error::{ApiError, ApiResult};
use baton_shared::protocol::{AgentRef, Millis};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long an agent's login lasts.
const AGENT_TOKEN_TTL_MS: u64 = 12 * 60 * 60 * 1000;

/// Who a request acts as, once its token checked out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    Visitor,
    Agent(AgentRef),
}

pub struct Keys {
    secret: Vec<u8>,
}

/// Whom an object's request is for: the actor, and for an agent the generation their
/// token was signed for, which the object checks.
pub struct Caller {
    pub actor: Actor,
    pub generation: Option<u64>,
}

impl From<Session> for Caller {
    fn from(s: Session) -> Self {
        Caller {
            actor: Actor::Agent(s.agent),
            generation: Some(s.generation),
        }
    }
}

impl From<Actor> for Caller {
    fn from(actor: Actor) -> Self {
        Caller {
            actor,
            generation: None,
        }
    }
}

/// What an agent whose token no longer holds is told, wherever it is checked.
pub const SIGNED_OUT: &str = "you were signed out (your account changed); sign in again";

/// A signed-in agent, as their token says.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Session {
    pub agent: AgentRef,
    pub admin: bool,
    pub generation: u64,
}

#[derive(Serialize, Deserialize)]
struct AgentClaims {
    #[serde(flatten)]
    session: Session,
    exp: u64,
}

impl Keys {
    pub fn from_env(env: &worker::Env) -> ApiResult<Self> {
        let secret = config::required(env, Setting::AuthSecret)?;
        if secret.len() < 16 {
            return Err(ApiError::Misconfigured(
                "AUTH_SECRET is shorter than 16 characters; use a long random value".into(),
            ));
        }
        Ok(Keys {
            secret: secret.into_bytes(),
        })
    }

    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        for p in parts {
            mac.update(p);
        }
        mac
    }

    pub fn visitor_token(&self, conversation: &str) -> String {
        hex(&self
            .mac(&[b"visitor:", conversation.as_bytes()])
            .finalize()
            .into_bytes())
    }

    pub fn is_visitor_of(&self, conversation: &str, token: &str) -> bool {
        unhex(token).is_some_and(|sig| {
            self.mac(&[b"visitor:", conversation.as_bytes()])
                .verify_slice(&sig)
                .is_ok()
        })
    }

    pub fn agent_token(&self, session: &Session, now: Millis) -> String {
        let claims = AgentClaims {
            session: session.clone(),
            exp: now.0 + AGENT_TOKEN_TTL_MS,
        };
        let payload = hex(&serde_json::to_vec(&claims).expect("claims serialise"));
        let sig = hex(&self
            .mac(&[b"agent:", payload.as_bytes()])
            .finalize()
            .into_bytes());
        format!("{payload}.{sig}")
    }

    pub fn agent(&self, token: &str, now: Millis) -> ApiResult<Session> {
        let invalid =
            || ApiError::Unauthorized("the agent token is not valid; log in again".into());
        let (payload, sig) = token.split_once('.').ok_or_else(invalid)?;
        let sig = unhex(sig).ok_or_else(invalid)?;
        self.mac(&[b"agent:", payload.as_bytes()])
            .verify_slice(&sig)
            .map_err(|_| invalid())?;
        let claims: AgentClaims = unhex(payload)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(invalid)?;
        if claims.exp <= now.0 {
            return Err(ApiError::Unauthorized(
                "your login has expired; log in again".into(),
            ));
        }
        Ok(claims.session)
    }
}

/// A new random id (a conversation's, an invitation's secret): 16 bytes as 32 hex digits.
pub fn random_id() -> ApiResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(hex(&bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}
