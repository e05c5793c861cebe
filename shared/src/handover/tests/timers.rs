//! Queue timeout and the silent holder, through Wake and Tick.

use super::*;
use crate::protocol::{CancelReason, EndReason};

#[test]
fn a_handover_nobody_takes_in_time_ends_with_the_no_agent_message() {
    let mut chat = pending(Settings {
        queue_timeout_secs: Some(60),
        ..Settings::default()
    });
    // Requested at 2 s: due at 62 s. An alarm that fires early changes nothing but is
    // set again.
    assert_eq!(
        chat.ok(61 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(62 * SEC) }]
    );
    assert_eq!(chat.c.state(), ConversationState::Pending);
    let e = chat.ok(62 * SEC, Event::Tick);
    assert_eq!(notices(&e), vec![chat.s.messages.no_agent.clone()]);
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Cancelled);
    assert_eq!(rec.cancel_reason, Some(CancelReason::QueueTimeout));
    assert_eq!(rec.cancelled_at, Some(t(62 * SEC)));
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
    assert_eq!(
        chat.ok(99 * SEC, Event::Tick),
        vec![],
        "nothing due any more"
    );
}

#[test]
fn without_a_queue_timeout_the_visitor_waits() {
    let mut chat = Chat::new(Settings {
        queue_timeout_secs: None,
        ..Settings::default()
    });
    chat.visitor(SEC, "talk to a human");
    assert_eq!(chat.c.state(), ConversationState::Bot);
    chat.queue(2 * SEC, QueueAnswer::Queued { position: 1 });
    assert_eq!(chat.ok(u64::MAX, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Pending);
}

#[test]
fn a_claim_stops_the_queue_timer_and_starts_the_silence_timer() {
    let mut chat = pending(Settings {
        queue_timeout_secs: Some(60),
        holder_silence_secs: Some(120),
        ..Settings::default()
    });
    let e = chat.claim(10 * SEC, ana());
    // The next deadline moved later: the alarm set stays, goes off early…
    assert_eq!(wake(&e), None);
    // …and only sets the silence timer's.
    assert_eq!(
        chat.ok(62 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(130 * SEC) }]
    );
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
}

#[test]
fn a_silent_holder_loses_the_conversation_back_to_the_queue() {
    let mut chat = assigned(Settings {
        holder_silence_secs: Some(120),
        ..Settings::default()
    });
    // Ana answers: the clock stops; the visitor writes: it starts again.
    assert_eq!(wake(&chat.say(20 * SEC, ana(), "hi")), None);
    assert_eq!(chat.ok(200 * SEC, Event::Tick), vec![]);
    assert_eq!(
        wake(&chat.visitor(300 * SEC, "still there?")),
        Some(t(420 * SEC))
    );
    assert_eq!(
        wake(&chat.visitor(310 * SEC, "hello?")),
        None,
        "already running"
    );
    assert_eq!(
        chat.ok(419 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(420 * SEC) }]
    );

    let e = chat.ok(420 * SEC, Event::Tick);
    assert_eq!(
        notices(&e),
        vec!["Ana had to step away. We're finding someone else; please stay here."]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Pending);
    assert_eq!(rec.holder, None);
    assert_eq!(rec.holders.len(), 1, "Ana stays in the history");
    assert_eq!(requested(&e), Some(rec));
    assert_eq!(new_state(&e), Some(ConversationState::Pending));
    // Back in the queue, with a fresh queue timeout.
    assert_eq!(wake(&e), Some(t(720 * SEC)));

    let e = chat.claim(500 * SEC, ben());
    let rec = record(&e);
    assert_eq!(rec.holder, Some(ben()));
    assert_eq!(
        rec.holders
            .iter()
            .map(|h| h.agent.clone())
            .collect::<Vec<_>>(),
        vec![ana(), ben()]
    );
    assert_eq!(rec.claimed_at, Some(t(10 * SEC)), "the first claim counts");
    assert_eq!(rec.first_reply_at, Some(t(20 * SEC)));
}

#[test]
fn a_chat_back_and_forth_asks_for_one_alarm_not_one_per_message() {
    let mut chat = assigned(Settings {
        holder_silence_secs: Some(120),
        ..Settings::default()
    });
    // Claimed at 10 s with the question unanswered: the alarm is set for 130 s.
    assert_eq!(wake(&chat.say(20 * SEC, ana(), "hello")), None);
    // Each question starts the clock again and each of Ana's answers stops it; every
    // deadline is later than the alarm already set: no new alarm, on any message.
    assert_eq!(wake(&chat.visitor(30 * SEC, "hi")), None);
    for at in [40, 50, 60] {
        assert_eq!(wake(&chat.say((at + 1) * SEC, ana(), "sure")), None);
        assert_eq!(
            wake(&chat.visitor(at * SEC + 5 * SEC, "and?")),
            None,
            "at {at} s"
        );
    }
    // The alarm goes off early and asks for the deadline of the last question.
    assert_eq!(
        chat.ok(130 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(185 * SEC) }]
    );
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
}

#[test]
fn chat_messages_change_nothing_stored_and_a_reload_finds_the_silence_clock_again() {
    let s = Settings {
        holder_silence_secs: Some(120),
        ..Settings::default()
    };
    let mut chat = assigned(s.clone());
    // The first reply is news (the record's first_reply_at); the chat after it is not.
    chat.say(20 * SEC, ana(), "hello");
    let stored = serde_json::to_string(&chat.c).unwrap();
    chat.visitor(30 * SEC, "hi");
    chat.say(40 * SEC, ana(), "sure");
    chat.visitor(45 * SEC, "and?");
    chat.visitor(50 * SEC, "hello?");
    assert_eq!(serde_json::to_string(&chat.c).unwrap(), stored);

    // Loaded again: the history says Ana last replied at 40 s, and the visitor wrote at
    // 45 s after it.
    let mut back: Conversation = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        back.silence_query(),
        Some(SilenceQuery {
            holder: ana().id,
            since: t(10 * SEC)
        })
    );
    back.resume_silence(
        &s,
        Silence::Replied {
            unanswered_since: Some(t(45 * SEC)),
        },
    );
    assert_eq!(back, chat.c);
    // The alarm set at the claim goes off at 130 s and asks for 45 + 120 s.
    assert_eq!(
        back.handle(&s, t(130 * SEC), Event::Tick).unwrap(),
        vec![Effect::Wake { at: t(165 * SEC) }]
    );

    // Answered last: no clock. Never answered since the claim: from the claim.
    back.resume_silence(
        &s,
        Silence::Replied {
            unanswered_since: None,
        },
    );
    assert_eq!(back.deadline(&s), None);
    back.resume_silence(&s, Silence::NoReply);
    assert_eq!(back.deadline(&s), Some(t(130 * SEC)));
}

#[test]
fn the_holder_is_not_timed_when_the_setting_is_off() {
    let mut chat = pending(Settings {
        holder_silence_secs: None,
        ..Settings::default()
    });
    assert_eq!(wake(&chat.claim(10 * SEC, ana())), None);
    chat.visitor(20 * SEC, "hello?");
    assert_eq!(chat.ok(u64::MAX, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
}

#[test]
fn an_offline_holder_is_not_timed_even_after_the_visitor_writes() {
    let mut chat = pending(Settings::default());
    chat.queue(4 * SEC, QueueAnswer::Offline { agent: ana() });
    assert_eq!(wake(&chat.visitor(5 * SEC, "hello?")), None);
    assert_eq!(chat.ok(u64::MAX, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Assigned { agent: ana() });
}

fn leaving(s: Settings) -> Settings {
    Settings {
        visitor_leave_secs: Some(60),
        queue_timeout_secs: None,
        holder_silence_secs: None,
        ..s
    }
}

#[test]
fn a_visitor_away_past_the_leave_time_cancels_a_waiting_handover() {
    let mut chat = pending(leaving(Settings::default()));
    let e = chat.ok(20 * SEC, Event::VisitorAway);
    assert_eq!(e, vec![Effect::Wake { at: t(80 * SEC) }]);
    assert_eq!(
        chat.ok(79 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(80 * SEC) }]
    );
    let e = chat.ok(80 * SEC, Event::Tick);
    assert_eq!(
        posts(&e),
        vec![(
            Author::System,
            super::super::queue::VISITOR_LEFT.to_string()
        )]
    );
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Cancelled);
    assert_eq!(rec.cancel_reason, Some(CancelReason::VisitorLeft));
    assert_eq!(rec.cancelled_at, Some(t(80 * SEC)));
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
}

#[test]
fn a_visitor_back_in_time_keeps_their_place() {
    let mut chat = pending(leaving(Settings::default()));
    chat.ok(20 * SEC, Event::VisitorAway);
    // A reload: the socket closed and a new one opened.
    assert_eq!(chat.ok(22 * SEC, Event::VisitorBack), vec![]);
    assert_eq!(chat.ok(80 * SEC, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Pending);
}

#[test]
fn a_visitor_who_leaves_a_held_handover_ends_it_and_the_chat_closes() {
    let mut chat = assigned(leaving(Settings::default()));
    chat.ok(30 * SEC, Event::VisitorAway);
    let e = chat.ok(90 * SEC, Event::Tick);
    let rec = record(&e);
    assert_eq!(rec.status, HandoverStatus::Resolved);
    assert_eq!(rec.end_reason, Some(EndReason::VisitorLeft));
    assert_eq!(rec.ended_at, Some(t(90 * SEC)));
    assert_eq!(new_state(&e), Some(ConversationState::Closed));
    assert_eq!(notices(&e).len(), 1, "only the note for the agent: {e:?}");
    // No rating for someone who left; writing again reopens with the assistant.
    assert!(!chat.c.rating_open(&chat.s));
    let e = chat.visitor(200 * SEC, "hello again");
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
}

#[test]
fn away_without_a_handover_sets_no_timer_and_a_later_handover_is_not_ended_by_it() {
    let mut chat = Chat::new(leaving(Settings::default()));
    chat.visitor(SEC, "hello");
    assert_eq!(chat.ok(2 * SEC, Event::VisitorAway), vec![]);
    // Writing again means they are here, even without the connection event.
    chat.visitor(300 * SEC, "talk to a human");
    chat.queue(301 * SEC, QueueAnswer::Queued { position: 1 });
    assert_eq!(chat.ok(400 * SEC, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Pending);
}

#[test]
fn with_no_leave_time_a_visitor_is_never_counted_as_gone() {
    let mut chat = pending(Settings {
        visitor_leave_secs: None,
        queue_timeout_secs: None,
        ..Settings::default()
    });
    assert_eq!(chat.ok(20 * SEC, Event::VisitorAway), vec![]);
    assert_eq!(chat.ok(u64::MAX, Event::Tick), vec![]);
    assert_eq!(chat.c.state(), ConversationState::Pending);
}

#[test]
fn the_earlier_of_leaving_and_the_queue_timeout_wakes_first() {
    let mut chat = pending(Settings {
        visitor_leave_secs: Some(60),
        queue_timeout_secs: Some(300),
        ..Settings::default()
    });
    // Queue timeout due at 302 s; leaving at 80 s.
    assert_eq!(
        chat.ok(20 * SEC, Event::VisitorAway),
        vec![Effect::Wake { at: t(80 * SEC) }]
    );
    // Back: the alarm set for 80 s stays and, when it goes off, asks for 302 s.
    assert_eq!(chat.ok(21 * SEC, Event::VisitorBack), vec![]);
    assert_eq!(
        chat.ok(80 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(302 * SEC) }]
    );
}
