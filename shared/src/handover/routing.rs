//! Which agents may take a handover, and what the workspace's queue answers when asked
//! for one. Pure functions of the settings and the workspace's facts (who is online,
//! how busy), so the workspace object only gathers facts and carries out the answer.

use super::settings::{Assignment, Availability, Eligible, Routing, Settings};
use crate::protocol::{AgentRef, HandoverRecord, Presence, Trigger};

/// The workspace queue's answer to [`super::Effect::RequestAgent`], and its later word
/// on a waiting handover (a new place in the queue, or an agent for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueAnswer {
    /// Waiting in the queue at this place; 1 = next.
    Queued { position: u32 },
    /// Given to this online agent (auto-assignment).
    Assigned { agent: AgentRef },
    /// Nobody eligible is online and offline agents count: given to this offline agent.
    Offline { agent: AgentRef },
    /// Nobody can take it.
    NoAgent,
}

/// An agent as the workspace knows them when routing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub agent: AgentRef,
    /// Ids of the teams they belong to.
    pub teams: Vec<String>,
    pub presence: Presence,
    /// Handovers they hold now.
    pub open_chats: u32,
}

impl Routing {
    /// The team for a visitor speaking `language`: its own team, the team of its primary
    /// language (`pt-BR` → `pt`), else the default team.
    pub fn team_for(&self, language: Option<&str>) -> Option<String> {
        let lang = language.map(|l| l.trim().to_lowercase().replace('_', "-"));
        let found = lang.as_deref().and_then(|l| {
            self.languages.get(l).or_else(|| {
                let primary = l.split('-').next().unwrap_or(l);
                self.languages.get(primary)
            })
        });
        found.or(self.default_team.as_ref()).cloned()
    }
}

/// Whether the agent `agent_id`, member of `teams`, may take `handover`: the one agent
/// it was transferred to, else a member of its team, else anyone the settings make
/// eligible.
pub fn may_take(
    settings: &Settings,
    handover: &HandoverRecord,
    agent_id: &str,
    teams: &[String],
) -> bool {
    if let Some(wanted) = &handover.requested_agent {
        return wanted.id == agent_id;
    }
    if let Some(team) = &handover.team {
        return teams.contains(team);
    }
    match &settings.routing.eligible {
        Eligible::Everyone => true,
        Eligible::Chosen {
            teams: chosen_teams,
            agents,
        } => agents.iter().any(|a| a == agent_id) || teams.iter().any(|t| chosen_teams.contains(t)),
    }
}

/// What the queue answers for `handover`, which would be at `position` if it waits.
/// Auto-assignment and offline assignment never pick an agent who held this handover
/// before: they gave it up or lost it.
pub fn route(
    settings: &Settings,
    handover: &HandoverRecord,
    candidates: &[Candidate],
    position: u32,
) -> QueueAnswer {
    let eligible: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| may_take(settings, handover, &c.agent.id, &c.teams))
        .collect();
    let fresh = |c: &&&Candidate| !handover.holders.iter().any(|h| h.agent.id == c.agent.id);
    let online: Vec<&Candidate> = eligible
        .iter()
        .copied()
        .filter(|c| c.presence == Presence::Online)
        .collect();
    if !online.is_empty() {
        if let Assignment::AutoAssign { max_chats } = settings.assignment {
            let free = online
                .iter()
                .filter(fresh)
                .filter(|c| c.open_chats < max_chats);
            if let Some(c) = least_busy(free) {
                return QueueAnswer::Assigned {
                    agent: c.agent.clone(),
                };
            }
        }
        return QueueAnswer::Queued { position };
    }
    // A message left for the team waits for whoever comes online.
    if handover.trigger == Trigger::OfflineMessage {
        return QueueAnswer::Queued { position };
    }
    match settings.availability {
        Availability::OnlineOnly => QueueAnswer::NoAgent,
        Availability::OnlineAndOffline => match least_busy(eligible.iter().filter(fresh)) {
            Some(c) => QueueAnswer::Offline {
                agent: c.agent.clone(),
            },
            None => QueueAnswer::NoAgent,
        },
    }
}

/// Fewest open handovers; ties go to the smallest id, so the choice is reproducible.
fn least_busy<'a>(candidates: impl Iterator<Item = &'a &'a Candidate>) -> Option<&'a Candidate> {
    candidates
        .min_by(|a, b| (a.open_chats, &a.agent.id).cmp(&(b.open_chats, &b.agent.id)))
        .copied()
}
