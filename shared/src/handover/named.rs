//! The team and agent ids an assistant's routing names, each with the field that names
//! it: the workspace checks them against its accounts, makes a renamed team's new name
//! follow, and refuses to delete a team or remove an agent still named.

use super::settings::{Eligible, Routing};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named<'a> {
    Team(&'a str),
    Agent(&'a str),
}

impl Routing {
    /// Every id the routing names, with its field (`routing.languages.es`), in the order
    /// of docs/settings.md.
    pub fn named(&self) -> Vec<(String, Named<'_>)> {
        let mut out: Vec<(String, Named)> = Vec::new();
        if let Eligible::Chosen { teams, agents } = &self.eligible {
            out.extend(
                teams
                    .iter()
                    .map(|t| ("routing.eligible.teams".into(), Named::Team(t))),
            );
            out.extend(
                agents
                    .iter()
                    .map(|a| ("routing.eligible.agents".into(), Named::Agent(a))),
            );
        }
        out.extend(
            self.languages
                .iter()
                .map(|(tag, t)| (format!("routing.languages.{tag}"), Named::Team(t))),
        );
        if let Some(t) = &self.default_team {
            out.push(("routing.default_team".into(), Named::Team(t)));
        }
        out
    }

    /// The fields that name `id`.
    pub fn naming(&self, id: Named) -> Vec<String> {
        self.named()
            .into_iter()
            .filter(|(_, n)| *n == id)
            .map(|(field, _)| field)
            .collect()
    }

    /// Team `from` is now called `to`: everywhere the routing named it, it names `to`.
    /// Whether anything changed.
    pub fn rename_team(&mut self, from: &str, to: &str) -> bool {
        let mut changed = false;
        let mut follow = |team: &mut String| {
            if team == from {
                *team = to.to_string();
                changed = true;
            }
        };
        if let Eligible::Chosen { teams, .. } = &mut self.eligible {
            teams.iter_mut().for_each(&mut follow);
            // `to` may have been chosen already, under its new name.
            let mut seen = Vec::new();
            teams.retain(|t| {
                let fresh = !seen.contains(t);
                seen.push(t.clone());
                fresh
            });
        }
        self.languages.values_mut().for_each(&mut follow);
        if let Some(team) = &mut self.default_team {
            follow(team);
        }
        changed
    }
}
