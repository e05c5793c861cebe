//! Waiting for a person: the queue's answers, claims, the visitor's cancel.

use super::*;
use crate::protocol::{CancelReason, StartConversation};

/// A conversation whose unknown question (at 1 s) awaits the queue's answer.
fn requesting(s: Settings) -> Chat {
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "something odd");
    chat.ok(2 * SEC, unknown());
    chat
}

#[test]
fn a_queued_request_tells_the_visitor_and_their_place() {
    let mut chat = requesting(Settings::default());
    let e = chat.queue(3 * SEC, QueueAnswer::Queued { position: 2 });
    assert_eq!(
        notices(&e),
        vec![
            chat.s.messages.handover.clone(),
            "You are number 2 in the queue.".to_string()
        ]
    );
    assert_eq!(new_state(&e), Some(ConversationState::Pending));
    // The record did not change: nothing to store.
    assert!(!e.iter().any(|e| matches!(e, Effect::Handover(_))));
    assert_eq!(chat.record().status, HandoverStatus::Pending);
}

#[test]
fn the_visitor_hears_when_their_place_moves() {
    let mut chat = pending(Settings::default());
    let e = chat.queue(4 * SEC, QueueAnswer::Queued { position: 1 });
    assert_eq!(e, vec![], "same place, no news");
    let mut chat = requesting(Settings::default());
    chat.queue(3 * SEC, QueueAnswer::Queued { position: 3 });
    let e = chat.queue(4 * SEC, QueueAnswer::Queued { position: 2 });
    assert_eq!(notices(&e), vec!["You are number 2 in the queue."]);
}

#[test]
fn no_agent_cancels_and_keeps_the_visitor_with_the_assistant() {
    let mut chat = requesting(Settings::default());
    let e = chat.queue(3 * SEC, QueueAnswer::NoAgent);
    // The question went unanswered: the visitor reads that first.
    assert_eq!(
        notices(&e),
        vec![
            chat.s.messages.dont_know.clone(),
            chat.s.messages.no_agent.clone()
        ]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Cancelled);
    assert_eq!(rec.cancel_reason, Some(CancelReason::NoAgent));
    assert_eq!(rec.cancelled_at, Some(t(3 * SEC)));
    assert_eq!(new_state(&e), None, "the visitor never left the assistant");
    let e = chat.visitor(4 * SEC, "next");
    assert!(e.contains(&Effect::AskAssistant {
        question: "next".into()
    }));
}

#[test]
fn a_visitor_who_asked_for_a_person_reads_only_that_nobody_is_available() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "I want to talk to a person");
    let e = chat.queue(2 * SEC, QueueAnswer::NoAgent);
    assert_eq!(notices(&e), vec![chat.s.messages.no_agent.clone()]);
}

#[test]
fn no_agent_while_pending_goes_back_to_the_assistant() {
    let mut chat = pending(Settings::default());
    let e = chat.queue(4 * SEC, QueueAnswer::NoAgent);
    assert_eq!(notices(&e), vec![chat.s.messages.no_agent.clone()]);
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
}

#[test]
fn stale_queue_answers_are_ignored() {
    let mut chat = assigned(Settings::default());
    let before = chat.c.clone();
    for (id, answer) in [
        (1, QueueAnswer::NoAgent),
        (1, QueueAnswer::Queued { position: 4 }),
        (1, QueueAnswer::Assigned { agent: ben() }),
    ] {
        assert_eq!(
            chat.ok(
                11 * SEC,
                Event::Queue {
                    handover: id,
                    answer
                }
            ),
            vec![]
        );
    }
    assert_eq!(chat.c, before);
    let mut chat = pending(Settings::default());
    let wrong_id = Event::Queue {
        handover: 7,
        answer: QueueAnswer::NoAgent,
    };
    assert_eq!(chat.ok(11 * SEC, wrong_id), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Pending);
    let mut chat = Chat::new(Settings::default());
    let in_bot = Event::Queue {
        handover: 1,
        answer: QueueAnswer::NoAgent,
    };
    assert_eq!(chat.ok(SEC, in_bot), vec![]);
}

#[test]
fn auto_assignment_announces_the_agent() {
    let mut chat = requesting(Settings::default());
    let e = chat.queue(3 * SEC, QueueAnswer::Assigned { agent: ana() });
    assert_eq!(
        notices(&e),
        vec![
            chat.s.messages.handover.clone(),
            "Ana has joined the conversation.".into()
        ]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Acknowledged);
    assert_eq!(rec.holder, Some(ana()));
    assert_eq!(rec.claimed_at, Some(t(3 * SEC)));
    assert_eq!(
        new_state(&e),
        Some(ConversationState::Assigned { agent: ana() })
    );
}

#[test]
fn an_offline_agent_gets_it_with_the_offline_message_when_there_is_one() {
    let mut chat = requesting(Settings::default());
    let e = chat.queue(3 * SEC, QueueAnswer::Offline { agent: ana() });
    // The offline-agent message is empty by default, so not sent.
    assert_eq!(notices(&e), vec![chat.s.messages.handover.clone()]);
    assert_eq!(record(&e).holder, Some(ana()));
    // An offline holder is not timed for silence: they answer when back.
    assert_eq!(wake(&e), None);
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });

    let mut s = Settings::default();
    s.messages.offline_agent = "{agent} is away; they will answer here.".into();
    let mut chat = pending(s);
    let e = chat.queue(4 * SEC, QueueAnswer::Offline { agent: ana() });
    assert_eq!(notices(&e), vec!["Ana is away; they will answer here."]);
}

#[test]
fn a_claim_assigns_and_announces_the_agent() {
    let mut chat = pending(Settings::default());
    let e = chat.claim(10 * SEC, ana());
    assert_eq!(notices(&e), vec!["Ana has joined the conversation."]);
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Acknowledged);
    assert_eq!(rec.claimed_at, Some(t(10 * SEC)));
    assert_eq!(
        rec.holders,
        vec![Holding {
            agent: ana(),
            at: t(10 * SEC),
            first_reply_at: None,
        }]
    );
    assert_eq!(rec.revision, 2);
    assert_eq!(&rec, chat.record());
}

#[test]
fn a_claim_can_overtake_the_queue_answer() {
    let mut chat = requesting(Settings::default());
    let e = chat.claim(3 * SEC, ana());
    // The visitor still hears "connecting you" before "Ana has joined".
    assert_eq!(notices(&e)[0], chat.s.messages.handover);
    assert_eq!(
        chat.queue(4 * SEC, QueueAnswer::Queued { position: 1 }),
        vec![]
    );
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
}

#[test]
fn the_agent_assigned_notice_can_be_turned_off() {
    let mut chat = pending(Settings {
        notify_agent_assigned: false,
        ..Settings::default()
    });
    assert!(notices(&chat.claim(10 * SEC, ana())).is_empty());
}

#[test]
fn a_second_claim_is_refused_with_the_holders_name() {
    let mut chat = assigned(Settings::default());
    for agent in [ben(), ana()] {
        let claim = Event::Claim {
            agent,
            teams: vec![],
        };
        assert_eq!(chat.refused(11 * SEC, claim), Refusal::HeldBy(ana()));
    }
    let refusal = Refusal::HeldBy(ana());
    assert_eq!(refusal.to_string(), "Ana already holds this conversation");
    assert_eq!(refusal.body().holder, Some(ana()));
    assert_eq!(refusal.code().http_status(), 409);
}

#[test]
fn claiming_a_conversation_nobody_waits_on_is_refused() {
    let mut chat = Chat::new(Settings::default());
    let claim = Event::Claim {
        agent: ana(),
        teams: vec![],
    };
    assert_eq!(chat.refused(SEC, claim), Refusal::NotPending);
}

#[test]
fn only_eligible_agents_may_claim() {
    let mut chat = pending(Settings {
        routing: Routing {
            eligible: Eligible::Chosen {
                teams: vec!["support".into()],
                agents: vec!["a2".into()],
            },
            ..Routing::default()
        },
        ..Settings::default()
    });
    let claim = |agent: AgentRef, teams: &[&str]| Event::Claim {
        agent,
        teams: teams.iter().map(|t| t.to_string()).collect(),
    };
    let refusal = chat.refused(10 * SEC, claim(ana(), &["sales"]));
    assert_eq!(refusal, Refusal::NotEligible(WaitingFor::EligibleAgents));
    assert_eq!(refusal.code().http_status(), 403);
    // Chosen by id, or by team.
    chat.ok(10 * SEC, claim(ben(), &[]));
    let mut chat = pending(chat.s);
    chat.ok(10 * SEC, claim(ana(), &["support"]));
}

#[test]
fn a_visitor_routed_to_a_team_waits_for_that_team() {
    let mut s = Settings::default();
    s.routing.languages.insert("es".into(), "soporte".into());
    let mut chat = Chat::new(s);
    chat.c = Conversation::new(StartConversation {
        language: Some("es-MX".into()),
        assistant: Some("ventas".into()),
        ..StartConversation::default()
    });
    let e = chat.visitor(SEC, "quiero hablar con un agente");
    assert_eq!(requested(&e).unwrap().team.as_deref(), Some("soporte"));
    // The record names the conversation's assistant, whose settings route it.
    assert_eq!(requested(&e).unwrap().assistant, "ventas");
    let claim = Event::Claim {
        agent: ana(),
        teams: vec!["support".into()],
    };
    assert_eq!(
        chat.refused(2 * SEC, claim).to_string(),
        "this conversation is waiting for the team \"soporte\""
    );
    chat.ok(
        2 * SEC,
        Event::Claim {
            agent: ana(),
            teams: vec!["soporte".into()],
        },
    );
}

#[test]
fn the_visitor_can_stop_waiting() {
    for mut chat in [
        requesting(Settings::default()),
        pending(Settings::default()),
    ] {
        let e = chat.ok(5 * SEC, Event::Cancel);
        assert_eq!(notices(&e), vec![chat.s.messages.back_to_assistant.clone()]);
        let rec = record(&e);
        assert_eq!(rec.status, HandoverStatus::Cancelled);
        assert_eq!(rec.cancel_reason, Some(CancelReason::Visitor));
        assert_eq!(rec.cancelled_at, Some(t(5 * SEC)));
        assert_eq!(chat.c.state(), ConversationState::Bot);
        let claim = Event::Claim {
            agent: ana(),
            teams: vec![],
        };
        assert_eq!(chat.refused(6 * SEC, claim), Refusal::NotPending);
    }
}

#[test]
fn there_is_nothing_to_cancel_with_the_assistant_or_a_holder() {
    assert_eq!(
        Chat::new(Settings::default()).refused(SEC, Event::Cancel),
        Refusal::NotPending
    );
    assert_eq!(
        assigned(Settings::default()).refused(SEC, Event::Cancel),
        Refusal::NotPending
    );
}
