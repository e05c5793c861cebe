//! The rating of a chat the assistant answered alone.

use super::*;

fn answer(text: &str) -> Event {
    Event::Assistant(AssistantReply::Answer(text.into()))
}

fn rate(score: u8) -> Event {
    Event::Rate {
        score,
        comment: Some("  quick  ".into()),
    }
}

/// The visitor asked at 1 s and the assistant answered at 2 s.
fn answered(s: Settings) -> Chat {
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "q");
    chat.ok(2 * SEC, answer("a"));
    chat
}

#[test]
fn a_quiet_visitor_is_asked_to_rate_the_assistant_once() {
    let mut chat = answered(Settings::default());
    assert!(!chat.c.rating_open(&chat.s));
    assert_eq!(chat.refused(10 * SEC, rate(5)), Refusal::NothingToRate);
    // 30 s after the answer.
    let e = chat.ok(32 * SEC, Event::Tick);
    assert_eq!(notices(&e), vec![chat.s.messages.rating_prompt.clone()]);
    assert!(e.contains(&Effect::Rating { open: true }));
    assert_eq!(
        chat.refused(33 * SEC, rate(0)),
        Refusal::BadRating { score: 0 }
    );
    let e = chat.ok(40 * SEC, rate(4));
    assert_eq!(
        e,
        vec![
            Effect::AssistantRated(Rating {
                score: 4,
                comment: Some("quick".into()),
                at: t(40 * SEC),
            }),
            Effect::Rating { open: false },
        ]
    );
    assert_eq!(chat.c.handover(), None);
    assert_eq!(chat.c.assistant_rated().map(|r| r.score), Some(4));
    assert_eq!(chat.refused(41 * SEC, rate(5)), Refusal::NothingToRate);
    // Rated once: later answers do not ask again.
    chat.visitor(50 * SEC, "q2");
    let e = chat.ok(51 * SEC, answer("a2"));
    assert_eq!(wake(&e), None);
}

#[test]
fn writing_again_puts_the_question_off_until_after_the_next_answer() {
    let mut chat = answered(Settings::default());
    chat.visitor(20 * SEC, "another");
    // The alarm set for 32 s goes off: nothing is due any more.
    let e = chat.ok(32 * SEC, Event::Tick);
    assert!(
        posts(&e).is_empty() && !chat.c.rating_open(&chat.s),
        "{e:?}"
    );
    let e = chat.ok(40 * SEC, answer("a2"));
    assert_eq!(wake(&e), Some(t(70 * SEC)));
    let e = chat.ok(70 * SEC, Event::Tick);
    assert!(e.contains(&Effect::Rating { open: true }));
}

#[test]
fn an_open_rating_stays_open_while_the_assistant_chat_goes_on() {
    let mut chat = answered(Settings::default());
    chat.ok(32 * SEC, Event::Tick);
    chat.visitor(35 * SEC, "one more");
    let e = chat.ok(36 * SEC, answer("a2"));
    assert!(chat.c.rating_open(&chat.s));
    assert_eq!(wake(&e), None);
}

#[test]
fn a_handover_takes_the_assistants_rating_away_for_good() {
    let mut chat = answered(Settings::default());
    chat.ok(32 * SEC, Event::Tick);
    let e = chat.visitor(40 * SEC, "talk to a person");
    assert!(requested(&e).is_some());
    assert!(e.contains(&Effect::Rating { open: false }));
    assert_eq!(chat.refused(41 * SEC, rate(5)), Refusal::NothingToRate);
    chat.queue(42 * SEC, QueueAnswer::NoAgent);
    // Back with the assistant, but a handover happened: its own rating path applies.
    chat.visitor(50 * SEC, "q");
    let e = chat.ok(51 * SEC, answer("a"));
    assert_eq!(wake(&e), None);
    assert!(!chat.c.rating_open(&chat.s));
}

#[test]
fn a_reply_that_hands_over_sets_no_rating() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "odd");
    let e = chat.ok(2 * SEC, unknown());
    // The one alarm is the queue timeout's.
    assert_eq!(wake(&e), Some(t(302 * SEC)));
    chat.queue(3 * SEC, QueueAnswer::Queued { position: 1 });
    // An early tick only asks for the queue timeout's alarm again.
    assert_eq!(
        chat.ok(32 * SEC, Event::Tick),
        vec![Effect::Wake { at: t(302 * SEC) }]
    );
}

#[test]
fn no_rating_of_the_assistant_when_ratings_or_its_timer_are_off() {
    for s in [
        Settings {
            rating: false,
            ..Settings::default()
        },
        Settings {
            assistant_rating_secs: None,
            ..Settings::default()
        },
    ] {
        let mut chat = Chat::new(s);
        chat.visitor(SEC, "q");
        let e = chat.ok(2 * SEC, answer("a"));
        assert_eq!(wake(&e), None);
        assert_eq!(chat.ok(3_600 * SEC, Event::Tick), vec![]);
        assert_eq!(chat.refused(3_601 * SEC, rate(5)), Refusal::NothingToRate);
    }
}

#[test]
fn a_bot_only_assistants_dont_know_is_rated_too() {
    let mut chat = Chat::new(Settings {
        mode: AssistantMode::BotOnly,
        ..Settings::default()
    });
    chat.visitor(SEC, "odd");
    let e = chat.ok(2 * SEC, unknown());
    assert_eq!(notices(&e), vec![chat.s.messages.dont_know.clone()]);
    assert_eq!(wake(&e), Some(t(32 * SEC)));
}

#[test]
fn a_state_stored_before_assistant_ratings_reads_as_not_yet_asked() {
    let chat = answered(Settings::default());
    let mut json = serde_json::to_value(&chat.c).unwrap();
    json.as_object_mut().unwrap().remove("assistant_rating");
    let back: Conversation = serde_json::from_value(json).unwrap();
    assert!(!back.rating_open(&chat.s));
    assert_eq!(back.assistant_rating, AssistantRating::Unasked);
}

#[test]
fn leaving_the_form_does_not_bring_back_a_rating_put_off() {
    let mut s = Settings {
        suggestions: 1,
        ..Settings::default()
    };
    s.form.name = crate::protocol::FieldRule::Required;
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "odd");
    let suggestion = Event::Assistant(AssistantReply::Unknown {
        suggestions: vec!["Shipping?".into()],
    });
    assert_eq!(wake(&chat.ok(2 * SEC, suggestion)), Some(t(32 * SEC)));
    chat.ok(2 * SEC, unknown());
    assert_eq!(
        chat.c.state(),
        ConversationState::Form { form: chat.s.form }
    );
    chat.ok(40 * SEC, Event::Cancel);
    assert_eq!(chat.ok(41 * SEC, Event::Tick), vec![]);
}
