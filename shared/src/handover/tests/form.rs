//! The pre-handover form.

use super::*;
use crate::protocol::{FieldRule, FormAnswers, PreHandoverForm};

fn with_form(name: FieldRule, email: FieldRule) -> Chat {
    Chat::new(Settings {
        form: PreHandoverForm { name, email },
        ..Settings::default()
    })
}

fn answers(name: Option<&str>, email: Option<&str>) -> Event {
    Event::Form {
        answers: FormAnswers {
            name: name.map(Into::into),
            email: email.map(Into::into),
        },
    }
}

#[test]
fn the_form_comes_before_the_handover() {
    let mut chat = with_form(FieldRule::Required, FieldRule::Optional);
    let e = chat.visitor(SEC, "talk to a human");
    assert_eq!(notices(&e), vec![chat.s.messages.form.clone()]);
    assert_eq!(
        new_state(&e),
        Some(ConversationState::Form { form: chat.s.form })
    );
    assert_eq!(requested(&e), None);
    assert_eq!(chat.c.handover(), None);

    // Written while the form is open: kept, nobody answers.
    let e = chat.visitor(2 * SEC, "hello?");
    assert_eq!(posts(&e), vec![(Author::Visitor, "hello?".into())]);
    assert_eq!(e.len(), 1);

    let e = chat.ok(3 * SEC, answers(Some(" Eva "), Some("")));
    let rec = requested(&e).expect("the handover starts after the form");
    assert_eq!(rec.trigger, Trigger::VisitorRequest);
    assert_eq!(rec.requested_at, t(3 * SEC));
    assert_eq!(
        rec.form,
        Some(FormAnswers {
            name: Some("Eva".into()),
            email: None
        })
    );
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
}

#[test]
fn missing_or_malformed_answers_are_refused() {
    let mut chat = with_form(FieldRule::Optional, FieldRule::Required);
    chat.visitor(SEC, "talk to a human");
    assert_eq!(
        chat.refused(2 * SEC, answers(Some("Eva"), Some("  "))),
        Refusal::FormField {
            field: "email",
            problem: "this field is required"
        }
    );
    for bad in ["eva", "eva@", "@x.org", "eva@x", "eva @x.org", "eva@x.org."] {
        assert!(
            matches!(
                chat.refused(2 * SEC, answers(None, Some(bad))),
                Refusal::FormField { field: "email", .. }
            ),
            "{bad}"
        );
    }
    let long = "n".repeat(201);
    assert!(matches!(
        chat.refused(2 * SEC, answers(Some(&long), Some("eva@x.org"))),
        Refusal::FormField { field: "name", .. }
    ));
    assert!(requested(&chat.ok(3 * SEC, answers(None, Some("eva@x.org")))).is_some());
}

#[test]
fn fields_the_form_does_not_ask_for_are_dropped() {
    let mut chat = with_form(FieldRule::Off, FieldRule::Optional);
    chat.visitor(SEC, "talk to a human");
    let e = chat.ok(2 * SEC, answers(Some("Eva"), Some("eva@x.org")));
    assert_eq!(requested(&e).unwrap().form.unwrap().name, None);
}

#[test]
fn the_form_is_asked_once_per_conversation() {
    let mut chat = with_form(FieldRule::Required, FieldRule::Off);
    chat.visitor(SEC, "talk to a human");
    chat.ok(2 * SEC, answers(Some("Eva"), None));
    chat.queue(3 * SEC, QueueAnswer::NoAgent);
    let e = chat.visitor(4 * SEC, "talk to a human");
    let rec = requested(&e).expect("no second form");
    assert_eq!(rec.form.unwrap().name.as_deref(), Some("Eva"));
}

#[test]
fn leaving_the_form_goes_back_to_the_assistant() {
    let mut chat = with_form(FieldRule::Required, FieldRule::Off);
    chat.visitor(SEC, "talk to a human");
    let e = chat.ok(2 * SEC, Event::Cancel);
    assert_eq!(notices(&e), vec![chat.s.messages.back_to_assistant.clone()]);
    assert_eq!(new_state(&e), Some(ConversationState::Bot));
    assert!(chat.visitor(3 * SEC, "q").contains(&Effect::AskAssistant {
        question: "q".into()
    }));
}

#[test]
fn a_form_nobody_asked_for_is_refused() {
    let mut chat = Chat::new(Settings::default());
    assert_eq!(
        chat.refused(SEC, answers(Some("Eva"), None)),
        Refusal::NoForm
    );
    let mut chat = pending(Settings::default());
    assert_eq!(
        chat.refused(SEC, answers(Some("Eva"), None)),
        Refusal::NoForm
    );
}

#[test]
fn claims_wait_until_the_form_is_in() {
    let mut chat = with_form(FieldRule::Required, FieldRule::Off);
    chat.visitor(SEC, "talk to a human");
    let claim = Event::Claim {
        agent: ana(),
        teams: vec![],
    };
    assert_eq!(chat.refused(2 * SEC, claim), Refusal::NotPending);
}
