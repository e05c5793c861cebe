//! The holder: replies, transfer, end, and the rating afterwards.

use super::*;

fn end(chat: &mut Chat, now: u64, agent: AgentRef) -> Vec<Effect> {
    chat.ok(
        now,
        Event::End {
            agent,
            note: String::new(),
        },
    )
}

fn transfer(agent: AgentRef, to: TransferTarget, reason: &str) -> Event {
    Event::Transfer {
        agent,
        to,
        reason: reason.into(),
    }
}

fn rate(score: u8, comment: Option<&str>) -> Event {
    Event::Rate {
        score,
        comment: comment.map(Into::into),
    }
}

#[test]
fn only_the_holder_posts_and_the_first_reply_is_recorded() {
    let mut chat = assigned(Settings::default());
    let by_ben = Event::Agent {
        agent: ben(),
        text: "hi".into(),
    };
    assert_eq!(chat.refused(11 * SEC, by_ben), Refusal::HeldBy(ana()));
    let e = chat.say(12 * SEC, ana(), "hi");
    assert_eq!(posts(&e), vec![(Author::Agent(ana()), "hi".into())]);
    assert_eq!(record(&e).first_reply_at, Some(t(12 * SEC)));
    let e = chat.say(13 * SEC, ana(), "again");
    assert_eq!(e.len(), 1, "the first reply is recorded once");
    assert_eq!(chat.record().first_reply_at, Some(t(12 * SEC)));
}

#[test]
fn each_holders_first_reply_is_kept_on_their_turn() {
    // Ana claims at 10 s (`assigned`), replies at 12 s and 13 s, transfers to Ben, who
    // takes it at 30 s and first replies at 45 s.
    let mut chat = assigned(Settings::default());
    chat.say(12 * SEC, ana(), "hi");
    chat.say(13 * SEC, ana(), "one moment");
    chat.ok(20 * SEC, transfer(ana(), TransferTarget::Agent(ben()), ""));
    let e = chat.claim(30 * SEC, ben());
    assert_eq!(
        record(&e).holders[1].first_reply_at,
        None,
        "Ben has not replied yet"
    );
    let e = chat.say(45 * SEC, ben(), "Ben here");
    let rec = record(&e);
    assert_eq!(
        rec.holders
            .iter()
            .map(|h| (h.agent.name.as_str(), h.at, h.first_reply_at))
            .collect::<Vec<_>>(),
        vec![
            ("Ana", t(10 * SEC), Some(t(12 * SEC))),
            ("Ben", t(30 * SEC), Some(t(45 * SEC))),
        ]
    );
    assert_eq!(
        rec.first_reply_at,
        Some(t(12 * SEC)),
        "the handover's first reply"
    );
    assert_eq!(
        chat.say(46 * SEC, ben(), "again").len(),
        1,
        "a later reply changes no record"
    );
}

#[test]
fn agents_cannot_act_without_a_holder() {
    for mut chat in [Chat::new(Settings::default()), pending(Settings::default())] {
        let events = [
            Event::Agent {
                agent: ana(),
                text: "hi".into(),
            },
            Event::End {
                agent: ana(),
                note: String::new(),
            },
            transfer(ana(), TransferTarget::Agent(ben()), ""),
        ];
        for event in events {
            assert_eq!(chat.refused(5 * SEC, event), Refusal::NotAssigned);
        }
    }
}

#[test]
fn ending_hands_back_to_the_assistant_and_asks_for_a_rating() {
    let mut chat = assigned(Settings::default());
    let by_ben = Event::End {
        agent: ben(),
        note: String::new(),
    };
    assert_eq!(chat.refused(30 * SEC, by_ben), Refusal::HeldBy(ana()));
    let e = end(&mut chat, 31 * SEC, ana());
    assert_eq!(
        notices(&e),
        vec![
            chat.s.messages.back_to_assistant.clone(),
            chat.s.messages.rating_prompt.clone()
        ]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Resolved);
    assert_eq!(rec.ended_at, Some(t(31 * SEC)));
    assert_eq!(rec.holder, Some(ana()));
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
    assert!(chat
        .visitor(32 * SEC, "next")
        .contains(&Effect::AskAssistant {
            question: "next".into()
        }));
    // The next handover gets the next id.
    let e = chat.visitor(33 * SEC, "talk to a human");
    assert_eq!(requested(&e).unwrap().id, 2);
}

#[test]
fn no_rating_prompt_when_ratings_are_off() {
    let mut chat = assigned(Settings {
        rating: false,
        ..Settings::default()
    });
    let e = end(&mut chat, 31 * SEC, ana());
    assert_eq!(notices(&e), vec![chat.s.messages.back_to_assistant.clone()]);
    assert_eq!(
        chat.refused(32 * SEC, rate(5, None)),
        Refusal::NothingToRate
    );
}

#[test]
fn a_rating_is_stored_on_the_resolved_handover() {
    let mut chat = assigned(Settings::default());
    assert_eq!(
        chat.refused(20 * SEC, rate(5, None)),
        Refusal::NothingToRate
    );
    end(&mut chat, 31 * SEC, ana());
    for score in [0, 6, 255] {
        assert_eq!(
            chat.refused(32 * SEC, rate(score, None)),
            Refusal::BadRating { score }
        );
    }
    let long = "x".repeat(crate::protocol::MAX_TEXT_CHARS + 1);
    assert!(matches!(
        chat.refused(32 * SEC, rate(4, Some(&long))),
        Refusal::TooLong { .. }
    ));
    let e = chat.ok(33 * SEC, rate(4, Some("  Quick and kind. ")));
    let rec = record(&e);
    assert_eq!(
        rec.rating,
        Some(Rating {
            score: 4,
            comment: Some("Quick and kind.".into()),
            at: t(33 * SEC)
        })
    );
    assert_eq!(rec.status, HandoverStatus::Resolved);
    assert_eq!(
        chat.refused(34 * SEC, rate(5, None)),
        Refusal::NothingToRate,
        "rated once"
    );
}

#[test]
fn a_blank_comment_is_no_comment() {
    let mut chat = assigned(Settings::default());
    end(&mut chat, 31 * SEC, ana());
    let e = chat.ok(32 * SEC, rate(1, Some("   ")));
    assert_eq!(record(&e).rating.unwrap().comment, None);
}

#[test]
fn a_cancelled_handover_cannot_be_rated() {
    let mut chat = pending(Settings::default());
    chat.ok(5 * SEC, Event::Cancel);
    assert_eq!(chat.refused(6 * SEC, rate(5, None)), Refusal::NothingToRate);
}

#[test]
fn transfer_to_a_team_puts_it_back_in_the_queue_for_them() {
    let mut chat = assigned(Settings::default());
    let e = chat.ok(
        20 * SEC,
        transfer(
            ana(),
            TransferTarget::Team("billing".into()),
            " refund over 500 € ",
        ),
    );
    assert_eq!(
        notices(&e),
        vec!["Ana is passing you to a colleague. Please stay here."]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Pending);
    assert_eq!(rec.holder, None);
    assert_eq!(rec.team.as_deref(), Some("billing"));
    assert_eq!(
        rec.transfers,
        vec![Transfer {
            at: t(20 * SEC),
            from: ana(),
            to: TransferTarget::Team("billing".into()),
            reason: "refund over 500 €".into()
        }]
    );
    assert_eq!(requested(&e), Some(rec));
    assert_eq!(new_state(&e), Some(ConversationState::Pending));
    let outsider = Event::Claim {
        agent: ben(),
        teams: vec!["support".into()],
    };
    assert_eq!(
        chat.refused(21 * SEC, outsider),
        Refusal::NotEligible(WaitingFor::Team("billing".into()))
    );
    chat.ok(
        22 * SEC,
        Event::Claim {
            agent: ben(),
            teams: vec!["billing".into()],
        },
    );
    assert_eq!(chat.record().status, HandoverStatus::Acknowledged);
}

#[test]
fn transfer_to_an_agent_waits_for_that_agent_only() {
    let mut chat = assigned(Settings::default());
    let e = chat.ok(20 * SEC, transfer(ana(), TransferTarget::Agent(ben()), ""));
    assert_eq!(record(&e).requested_agent, Some(ben()));
    assert_eq!(record(&e).transfers[0].reason, "");
    let cara = agent("a3", "Cara");
    let by_cara = Event::Claim {
        agent: cara,
        teams: vec![],
    };
    assert_eq!(
        chat.refused(21 * SEC, by_cara).to_string(),
        "this conversation is waiting for Ben"
    );
    let e = chat.claim(22 * SEC, ben());
    assert_eq!(
        record(&e).requested_agent,
        None,
        "no longer waiting for anyone"
    );
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ben() });
}

#[test]
fn transfer_needs_the_holder_and_someone_else() {
    let mut chat = assigned(Settings::default());
    assert_eq!(
        chat.refused(
            20 * SEC,
            transfer(ben(), TransferTarget::Team("x".into()), "")
        ),
        Refusal::HeldBy(ana())
    );
    assert_eq!(
        chat.refused(20 * SEC, transfer(ana(), TransferTarget::Agent(ana()), "")),
        Refusal::TransferToSelf
    );
}

#[test]
fn every_change_of_a_record_has_a_higher_revision() {
    let mut chat = assigned(Settings::default());
    let r1 = record(&chat.say(11 * SEC, ana(), "hi")).revision;
    let r2 = record(&chat.ok(12 * SEC, transfer(ana(), TransferTarget::Agent(ben()), ""))).revision;
    let r3 = record(&chat.claim(13 * SEC, ben())).revision;
    let r4 = record(&end(&mut chat, 14 * SEC, ben())).revision;
    assert!(r1 < r2 && r2 < r3 && r3 < r4, "{r1} {r2} {r3} {r4}");
}

#[test]
fn closing_resolves_and_the_visitors_next_message_reopens_with_the_assistant() {
    let mut chat = assigned(Settings::default());
    let by_ben = Event::Close {
        agent: ben(),
        note: String::new(),
    };
    assert_eq!(chat.refused(30 * SEC, by_ben), Refusal::HeldBy(ana()));
    let e = chat.ok(
        31 * SEC,
        Event::Close {
            agent: ana(),
            note: String::new(),
        },
    );
    assert_eq!(
        notices(&e),
        vec![
            chat.s.messages.closed.clone(),
            chat.s.messages.rating_prompt.clone()
        ]
    );
    assert_eq!(record(&e).status, HandoverStatus::Resolved);
    assert_eq!(new_state(&e), Some(ConversationState::Closed));
    let claim = Event::Claim {
        agent: ana(),
        teams: vec![],
    };
    assert_eq!(chat.refused(32 * SEC, claim), Refusal::NotPending);
    assert_eq!(chat.refused(32 * SEC, Event::Cancel), Refusal::NotPending);
    chat.ok(33 * SEC, rate(5, None));
    let e = chat.visitor(34 * SEC, "one more thing");
    assert!(e.contains(&Effect::AskAssistant {
        question: "one more thing".into()
    }));
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
    let e = chat.visitor(35 * SEC, "talk to a human");
    assert_eq!(requested(&e).unwrap().id, 2);
}

#[test]
fn the_holders_closing_note_goes_to_whoever_takes_the_conversation_next() {
    let mut chat = assigned(Settings::default());
    let too_long = Event::End {
        agent: ana(),
        note: "x".repeat(crate::protocol::MAX_TEXT_CHARS + 1),
    };
    assert!(matches!(
        chat.refused(30 * SEC, too_long),
        Refusal::TooLong { .. }
    ));
    let note = "Refund of order 1042 approved; it arrives in 5 days.";
    let e = chat.ok(
        31 * SEC,
        Event::End {
            agent: ana(),
            note: format!("  {note}\n"),
        },
    );
    assert_eq!(record(&e).note.as_deref(), Some(note));
    // The visitor asks for a person again: the next agent reads what was settled.
    let e = chat.visitor(60 * SEC, "talk to a human");
    let next = requested(&e).expect("a new handover");
    assert_eq!(next.id, 2);
    assert_eq!(next.earlier_note.as_deref(), Some(note));
    assert_eq!(next.note, None);
}

#[test]
fn a_blank_closing_note_is_no_note() {
    let mut chat = assigned(Settings::default());
    let e = chat.ok(
        31 * SEC,
        Event::Close {
            agent: ana(),
            note: "   ".into(),
        },
    );
    assert_eq!(record(&e).note, None);
    let e = chat.visitor(60 * SEC, "talk to a human");
    assert_eq!(requested(&e).unwrap().earlier_note, None);
}

#[test]
fn only_the_holders_typing_reaches_the_visitor_and_the_visitors_reaches_agents() {
    let mut chat = pending(Settings::default());
    assert!(chat.c.shows_typing(&Author::Visitor));
    assert!(
        !chat.c.shows_typing(&Author::Agent(ana())),
        "nobody holds it yet"
    );
    chat.claim(10 * SEC, ana());
    assert!(chat.c.shows_typing(&Author::Agent(ana())));
    assert!(
        !chat.c.shows_typing(&Author::Agent(ben())),
        "not the holder"
    );
    assert!(!chat.c.shows_typing(&Author::Assistant));
}
