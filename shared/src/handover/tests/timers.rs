//! Queue timeout and the silent holder, through Wake and Tick.

use super::*;
use crate::protocol::CancelReason;

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
    assert_eq!(wake(&e), Some(t(130 * SEC)));
    // The queue timer's alarm, if it still goes off, only sets the silence timer's.
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
