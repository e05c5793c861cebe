//! Leaving a message when nobody is available.

use super::*;
use crate::protocol::{CancelReason, LeftMessage, Trigger};

/// A conversation whose unknown question (at 1 s) found nobody (at 3 s).
fn nobody(s: Settings) -> Chat {
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "Do you repair tents?");
    chat.ok(2 * SEC, unknown());
    chat.queue(3 * SEC, QueueAnswer::NoAgent);
    chat
}

fn leave(email: &str, text: &str) -> Event {
    Event::LeaveMessage {
        email: email.into(),
        text: text.into(),
    }
}

fn offline(effects: &[Effect]) -> Option<bool> {
    effects.iter().find_map(|e| match e {
        Effect::Offline { open } => Some(*open),
        _ => None,
    })
}

#[test]
fn nobody_available_offers_to_leave_a_message() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "Do you repair tents?");
    chat.ok(2 * SEC, unknown());
    let e = chat.queue(3 * SEC, QueueAnswer::NoAgent);
    assert_eq!(chat.record().cancel_reason, Some(CancelReason::NoAgent));
    assert_eq!(offline(&e), Some(true));
    assert!(chat.c.takes_a_message());
}

#[test]
fn the_queue_timeout_offers_it_too() {
    let s = Settings {
        queue_timeout_secs: Some(60),
        ..Settings::default()
    };
    let mut chat = pending(s);
    let e = chat.ok(63 * SEC, Event::Tick);
    assert_eq!(
        chat.record().cancel_reason,
        Some(CancelReason::QueueTimeout)
    );
    assert_eq!(offline(&e), Some(true));
}

#[test]
fn a_left_message_is_a_handover_waiting_for_agents_with_the_email() {
    let mut chat = nobody(Settings::default());
    let e = chat.ok(
        5 * SEC,
        leave(" rosa@example.com ", "  Can you fix a torn fly?  "),
    );
    assert_eq!(
        posts(&e),
        vec![
            (Author::Visitor, "Can you fix a torn fly?".to_string()),
            (Author::System, chat.s.messages.message_left.clone()),
        ]
    );
    let r = record(&e);
    assert_eq!(
        (r.id, r.trigger, r.status),
        (2, Trigger::OfflineMessage, HandoverStatus::Pending)
    );
    assert_eq!(
        r.left_message,
        Some(LeftMessage {
            email: "rosa@example.com".into(),
            text: "Can you fix a torn fly?".into(),
            reply: None,
        })
    );
    assert_eq!(
        r.form.and_then(|f| f.email).as_deref(),
        Some("rosa@example.com")
    );
    assert_eq!(
        requested(&e).map(|h| h.trigger),
        Some(Trigger::OfflineMessage)
    );
    assert_eq!(
        offline(&e),
        Some(false),
        "one message per time nobody was there"
    );
    // The queue's answer tells the visitor nothing more: they have the thank-you.
    let e = chat.queue(6 * SEC, QueueAnswer::Queued { position: 1 });
    assert_eq!(notices(&e), Vec::<String>::new());
    assert_eq!(chat.c.state(), ConversationState::Pending);
}

#[test]
fn it_waits_however_long_the_visitor_is_away_and_has_no_queue_timeout() {
    let s = Settings {
        queue_timeout_secs: Some(60),
        visitor_leave_secs: Some(30),
        ..Settings::default()
    };
    let mut chat = nobody(s);
    chat.ok(5 * SEC, leave("rosa@example.com", "Call me back"));
    chat.queue(6 * SEC, QueueAnswer::Queued { position: 1 });
    let e = chat.ok(7 * SEC, Event::VisitorAway);
    assert_eq!(
        wake(&e),
        None,
        "no timer: neither the queue's nor the visitor's leaving"
    );
    chat.ok(3600 * SEC, Event::Tick);
    assert_eq!(chat.record().status, HandoverStatus::Pending);
}

#[test]
fn the_holder_s_reply_goes_on_the_record_for_the_owner_to_email() {
    let mut chat = nobody(Settings::default());
    chat.ok(
        5 * SEC,
        leave("rosa@example.com", "Can you fix a torn fly?"),
    );
    chat.ok(7 * SEC, Event::VisitorAway);
    let e = chat.claim(100 * SEC, ana());
    assert_eq!(
        notices(&e),
        vec!["Ana has joined the conversation."],
        "no 'connecting you' for a visitor who is gone"
    );
    let e = chat.say(110 * SEC, ana(), "Yes: bring it to any shop.");
    assert_eq!(
        posts(&e),
        vec![(
            Author::Agent(ana()),
            "Yes: bring it to any shop.".to_string()
        )]
    );
    let r = record(&e);
    assert_eq!(
        r.left_message.and_then(|m| m.reply).as_deref(),
        Some("Yes: bring it to any shop.")
    );
}

#[test]
fn a_message_is_taken_only_when_nobody_was_available_and_with_an_email() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "hello");
    assert_eq!(
        chat.refused(2 * SEC, leave("rosa@example.com", "hi")),
        Refusal::NoMessageAsked
    );
    let mut chat = nobody(Settings::default());
    for bad in ["", "rosa", "rosa@example", "ro sa@example.com"] {
        assert!(
            matches!(
                chat.refused(5 * SEC, leave(bad, "hi")),
                Refusal::FormField { field: "email", .. }
            ),
            "{bad:?}"
        );
    }
    assert_eq!(
        chat.refused(5 * SEC, leave("rosa@example.com", "  ")),
        Refusal::EmptyText
    );
    chat.ok(5 * SEC, leave("rosa@example.com", "hi"));
    assert_eq!(
        chat.refused(6 * SEC, leave("rosa@example.com", "again")),
        Refusal::NoMessageAsked
    );
}

#[test]
fn a_new_request_takes_the_offer_back() {
    let mut chat = nobody(Settings::default());
    chat.visitor(10 * SEC, "something else odd");
    let e = chat.ok(11 * SEC, unknown());
    assert_eq!(offline(&e), Some(false));
    assert!(!chat.c.takes_a_message());
}

#[test]
fn the_queue_waits_for_anyone_with_a_left_message() {
    let mut r = HandoverRecord::new(1, Trigger::OfflineMessage, "default", t(0));
    let nobody: Vec<Candidate> = vec![];
    assert_eq!(
        route(&Settings::default(), &r, &nobody, 3),
        QueueAnswer::Queued { position: 3 }
    );
    r.trigger = Trigger::Unknown;
    assert_eq!(
        route(&Settings::default(), &r, &nobody, 3),
        QueueAnswer::NoAgent
    );
}
