//! Routing: teams by language, who may take a handover, the queue's answer.

use super::*;

fn candidate(agent: AgentRef, teams: &[&str], presence: Presence, open_chats: u32) -> Candidate {
    Candidate {
        agent,
        teams: teams.iter().map(|t| t.to_string()).collect(),
        presence,
        open_chats,
    }
}

fn cara() -> AgentRef {
    agent("a3", "Cara")
}

fn fresh() -> HandoverRecord {
    HandoverRecord::new(1, Trigger::Unknown, DEFAULT_ASSISTANT, t(0))
}

fn auto(max_chats: u32) -> Settings {
    Settings {
        assignment: Assignment::AutoAssign { max_chats },
        ..Settings::default()
    }
}

#[test]
fn teams_by_language_fall_back_to_the_primary_language_then_the_default() {
    let mut r = Routing::default();
    assert_eq!(r.team_for(Some("es")), None);
    r.languages.insert("pt".into(), "pt-team".into());
    r.languages.insert("pt-br".into(), "br-team".into());
    r.default_team = Some("main".into());
    assert_eq!(r.team_for(Some("pt_BR")).as_deref(), Some("br-team"));
    assert_eq!(r.team_for(Some("pt-PT")).as_deref(), Some("pt-team"));
    assert_eq!(r.team_for(Some("de")).as_deref(), Some("main"));
    assert_eq!(r.team_for(None).as_deref(), Some("main"));
}

#[test]
fn claim_mode_queues_while_someone_eligible_is_online() {
    let s = Settings::default();
    let agents = [
        candidate(ana(), &[], Presence::Online, 9),
        candidate(ben(), &[], Presence::Away, 0),
    ];
    assert_eq!(
        route(&s, &fresh(), &agents, 3),
        QueueAnswer::Queued { position: 3 }
    );
}

#[test]
fn nobody_online_is_no_agent_unless_offline_agents_count() {
    let mut s = Settings::default();
    let agents = [
        candidate(ana(), &[], Presence::Offline, 2),
        candidate(ben(), &[], Presence::Away, 1),
        candidate(cara(), &[], Presence::Offline, 1),
    ];
    assert_eq!(route(&s, &fresh(), &agents, 1), QueueAnswer::NoAgent);
    s.availability = Availability::OnlineAndOffline;
    // Least busy, ties to the smallest id.
    assert_eq!(
        route(&s, &fresh(), &agents, 1),
        QueueAnswer::Offline { agent: ben() }
    );
    assert_eq!(route(&s, &fresh(), &[], 1), QueueAnswer::NoAgent);
}

#[test]
fn auto_assignment_picks_the_least_busy_online_agent_under_the_maximum() {
    let agents = [
        candidate(ana(), &[], Presence::Online, 2),
        candidate(ben(), &[], Presence::Online, 1),
        candidate(cara(), &[], Presence::Offline, 0),
    ];
    assert_eq!(
        route(&auto(3), &fresh(), &agents, 1),
        QueueAnswer::Assigned { agent: ben() }
    );
    // Everyone online at the maximum: it waits, even though an offline agent is free.
    assert_eq!(
        route(&auto(1), &fresh(), &agents, 4),
        QueueAnswer::Queued { position: 4 }
    );
}

#[test]
fn earlier_holders_are_not_given_the_handover_again() {
    let mut rec = fresh();
    rec.holders.push(Holding {
        agent: ben(),
        at: t(1),
        first_reply_at: None,
    });
    let agents = [
        candidate(ana(), &[], Presence::Online, 2),
        candidate(ben(), &[], Presence::Online, 0),
    ];
    assert_eq!(
        route(&auto(3), &rec, &agents, 1),
        QueueAnswer::Assigned { agent: ana() }
    );
    let only_ben = [candidate(ben(), &[], Presence::Online, 0)];
    assert_eq!(
        route(&auto(3), &rec, &only_ben, 1),
        QueueAnswer::Queued { position: 1 }
    );
}

#[test]
fn only_eligible_agents_count() {
    let mut s = auto(3);
    s.routing.eligible = Eligible::Chosen {
        teams: vec!["support".into()],
        agents: vec!["a3".into()],
    };
    let agents = [
        candidate(ana(), &["sales"], Presence::Online, 0),
        candidate(ben(), &["support"], Presence::Online, 2),
        candidate(cara(), &[], Presence::Online, 1),
    ];
    assert_eq!(
        route(&s, &fresh(), &agents, 1),
        QueueAnswer::Assigned { agent: cara() }
    );
    assert_eq!(route(&s, &fresh(), &agents[..1], 1), QueueAnswer::NoAgent);
    // A team on the record narrows it to that team's members.
    let mut rec = fresh();
    rec.team = Some("support".into());
    assert_eq!(
        route(&s, &rec, &agents, 1),
        QueueAnswer::Assigned { agent: ben() }
    );
    // A transfer to one agent narrows it to them.
    rec.requested_agent = Some(ana());
    assert_eq!(
        route(&s, &rec, &agents, 1),
        QueueAnswer::Assigned { agent: ana() }
    );
    assert!(may_take(&s, &rec, "a1", &[]));
    assert!(!may_take(&s, &rec, "a2", &["support".into()]));
}

fn named_everywhere() -> Routing {
    Routing {
        eligible: Eligible::Chosen {
            teams: vec!["sales".into(), "support".into()],
            agents: vec!["a1".into()],
        },
        languages: [("es".to_string(), "sales".to_string())].into(),
        default_team: Some("sales".into()),
    }
}

#[test]
fn the_routing_lists_every_id_it_names_with_its_field() {
    let r = named_everywhere();
    assert_eq!(
        r.named(),
        vec![
            ("routing.eligible.teams".to_string(), Named::Team("sales")),
            ("routing.eligible.teams".to_string(), Named::Team("support")),
            ("routing.eligible.agents".to_string(), Named::Agent("a1")),
            ("routing.languages.es".to_string(), Named::Team("sales")),
            ("routing.default_team".to_string(), Named::Team("sales")),
        ]
    );
    assert_eq!(
        r.naming(Named::Team("sales")),
        vec![
            "routing.eligible.teams",
            "routing.languages.es",
            "routing.default_team"
        ]
    );
    assert_eq!(r.naming(Named::Agent("sales")), Vec::<String>::new());
    assert_eq!(Routing::default().named(), vec![]);
}

#[test]
fn a_renamed_team_is_followed_everywhere_and_nothing_else_changes() {
    let mut r = named_everywhere();
    assert!(r.rename_team("sales", "ventas"));
    assert_eq!(
        r,
        Routing {
            eligible: Eligible::Chosen {
                teams: vec!["ventas".into(), "support".into()],
                agents: vec!["a1".into()],
            },
            languages: [("es".to_string(), "ventas".to_string())].into(),
            default_team: Some("ventas".into()),
        }
    );
    assert!(
        !r.rename_team("sales", "other"),
        "nothing names it any more"
    );
    // Renamed onto a team already chosen: chosen once.
    assert!(r.rename_team("support", "ventas"));
    assert_eq!(
        r.eligible,
        Eligible::Chosen {
            teams: vec!["ventas".into()],
            agents: vec!["a1".into()],
        }
    );
}
