//! The assistant's side and the triggers.

use super::*;
use crate::protocol::{ConversationKind, FieldRule, FormAnswers, StartConversation};

fn ask(text: &str) -> Effect {
    Effect::AskAssistant {
        question: text.into(),
    }
}

fn answer(text: &str) -> Event {
    Event::Assistant(AssistantReply::Answer(text.into()))
}

fn unknown_with(suggestions: &[&str]) -> Event {
    Event::Assistant(AssistantReply::Unknown {
        suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
    })
}

#[test]
fn visitor_message_is_posted_then_asked() {
    let mut chat = Chat::new(Settings::default());
    let e = chat.visitor(SEC, "  How long does shipping take? ");
    assert_eq!(
        e,
        vec![
            Effect::Post {
                author: Author::Visitor,
                text: "How long does shipping take?".into()
            },
            ask("How long does shipping take?"),
        ]
    );
}

#[test]
fn assistant_answer_is_posted_in_bot_mode() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "q");
    let e = chat.ok(2 * SEC, answer("a"));
    assert_eq!(
        e,
        vec![
            Effect::Post {
                author: Author::Assistant,
                text: "a".into()
            },
            // Its rating, asked if the visitor stays quiet (30 s by default).
            Effect::Wake { at: t(32 * SEC) },
        ]
    );
    assert_eq!(chat.c.state(), ConversationState::Bot);
}

#[test]
fn empty_and_overlong_messages_are_refused() {
    let mut chat = Chat::new(Settings::default());
    let blank = Event::Visitor {
        text: " \n ".into(),
    };
    assert_eq!(chat.refused(SEC, blank), Refusal::EmptyText);
    let long = Event::Visitor {
        text: "x".repeat(crate::protocol::MAX_TEXT_CHARS + 1),
    };
    assert_eq!(
        chat.refused(SEC, long),
        Refusal::TooLong {
            max_chars: crate::protocol::MAX_TEXT_CHARS
        }
    );
}

#[test]
fn unknown_requests_an_agent_without_telling_the_visitor_yet() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "odd");
    let e = chat.ok(5 * SEC, unknown());
    let rec = record(&e);
    assert_eq!(rec.trigger, Trigger::Unknown);
    assert_eq!(rec.requested_at, t(5 * SEC));
    assert_eq!((rec.id, rec.revision), (1, 1));
    assert_eq!(rec.status, HandoverStatus::Pending);
    assert_eq!(requested(&e), Some(rec));
    assert!(posts(&e).is_empty());
    assert_eq!(chat.c.state(), ConversationState::Bot);
    // The queue timeout's alarm, 300 s by default.
    assert_eq!(wake(&e), Some(t(305 * SEC)));
}

#[test]
fn unknown_without_handover_on_unknown_says_dont_know() {
    let mut chat = Chat::new(Settings {
        handover_on_unknown: false,
        ..Settings::default()
    });
    chat.visitor(SEC, "odd");
    let e = chat.ok(2 * SEC, unknown());
    assert_eq!(notices(&e), vec![chat.s.messages.dont_know.clone()]);
    assert_eq!(posts(&e).len(), 1);
    assert_eq!(chat.c.handover(), None);
}

#[test]
fn an_empty_dont_know_message_is_not_sent() {
    let mut s = Settings {
        handover_on_unknown: false,
        ..Settings::default()
    };
    s.messages.dont_know = "  ".into();
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "odd");
    assert_eq!(posts(&chat.ok(2 * SEC, unknown())), vec![]);
}

#[test]
fn asking_for_a_person_requests_an_agent_in_each_shipped_language() {
    for text in [
        "I want to talk to a human",
        "Can I SPEAK TO A PERSON please?",
        "Quiero hablar con una persona",
        "Je veux parler à un humain",
        "Ich möchte mit einem Menschen sprechen",
    ] {
        let mut chat = Chat::new(Settings::default());
        let e = chat.visitor(SEC, text);
        let rec = requested(&e).unwrap_or_else(|| panic!("no request for {text}"));
        assert_eq!(rec.trigger, Trigger::VisitorRequest, "{text}");
        assert!(
            !e.iter().any(|e| matches!(e, Effect::AskAssistant { .. })),
            "{text}"
        );
    }
}

#[test]
fn request_phrases_match_whole_words_only() {
    let phrases = vec!["operator".to_string()];
    assert!(asks_for_person("get me an operator!", &phrases));
    assert!(!asks_for_person("cooperators welcome", &phrases));
}

#[test]
fn configured_phrases_add_to_the_built_in_detector() {
    let mut chat = Chat::new(Settings {
        request_phrases: vec!["menneske".into()],
        ..Settings::default()
    });
    assert!(requested(&chat.visitor(SEC, "Et menneske, takk")).is_some());
    let mut chat = Chat::new(chat.s.clone());
    assert!(requested(&chat.visitor(SEC, "talk to a human")).is_some());
    let mut chat = Chat::new(chat.s);
    assert_eq!(
        chat.visitor(SEC, "how long does shipping take")[1],
        ask("how long does shipping take")
    );
}

#[test]
fn asking_for_a_person_is_an_ordinary_question_when_turned_off() {
    let mut chat = Chat::new(Settings {
        handover_on_request: false,
        ..Settings::default()
    });
    let e = chat.visitor(SEC, "I want to talk to a human");
    assert!(e.contains(&ask("I want to talk to a human")));
}

#[test]
fn the_assistants_explicit_handover_step_requests_an_agent() {
    let mut chat = Chat::new(Settings::default());
    chat.visitor(SEC, "I'd like to return my tent");
    let e = chat.ok(
        2 * SEC,
        Event::Assistant(AssistantReply::Handover { say: None }),
    );
    assert_eq!(requested(&e).unwrap().trigger, Trigger::Explicit);
}

/// A visitor's question answered by a knowledge-base entry that is a handover step.
fn handover_step(chat: &mut Chat, say: &str) -> Vec<Effect> {
    chat.visitor(SEC, "can my company place a large order?");
    chat.ok(
        2 * SEC,
        Event::Assistant(AssistantReply::Handover {
            say: Some(say.into()),
        }),
    )
}

#[test]
fn a_handover_step_says_its_answer_first_then_requests_an_agent() {
    let mut chat = Chat::new(Settings::default());
    let say = "Orders of 20 items or more get volume pricing.";
    let e = handover_step(&mut chat, say);
    assert_eq!(posts(&e), vec![(Author::Assistant, say.to_string())]);
    let said = e.iter().position(|e| matches!(e, Effect::Post { .. }));
    let asked = e
        .iter()
        .position(|e| matches!(e, Effect::RequestAgent { .. }));
    assert!(said < asked, "the answer comes before the request: {e:?}");
    assert_eq!(requested(&e).unwrap().trigger, Trigger::Explicit);
}

#[test]
fn a_handover_step_where_nobody_can_take_over_is_just_its_answer() {
    let mut chat = Chat::new(Settings {
        mode: AssistantMode::BotOnly,
        ..Settings::default()
    });
    let say = "Orders of 20 items or more get volume pricing.";
    let e = handover_step(&mut chat, say);
    assert_eq!(posts(&e), vec![(Author::Assistant, say.to_string())]);
    assert_eq!(chat.c.handover(), None);
}

#[test]
fn a_handover_step_asks_for_the_form_first_when_it_is_on() {
    let form = PreHandoverForm {
        name: FieldRule::Required,
        email: FieldRule::Off,
    };
    let s = Settings {
        form,
        ..Settings::default()
    };
    let form_notice = s.messages.form.clone();
    let mut chat = Chat::new(s);
    let e = handover_step(&mut chat, "Volume pricing from 20 items.");
    assert_eq!(notices(&e), vec![form_notice]);
    assert_eq!(chat.c.state(), ConversationState::Form { form });
    let e = chat.ok(
        3 * SEC,
        Event::Form {
            answers: FormAnswers {
                name: Some("Zoë".into()),
                email: None,
            },
        },
    );
    assert_eq!(requested(&e).unwrap().trigger, Trigger::Explicit);
}

#[test]
fn human_only_sends_every_conversation_to_the_queue() {
    let mut chat = Chat::new(Settings {
        mode: AssistantMode::HumanOnly,
        ..Settings::default()
    });
    let e = chat.visitor(SEC, "hello");
    assert_eq!(requested(&e).unwrap().trigger, Trigger::HumanOnly);
    assert!(!e.contains(&ask("hello")));
    // After the handover, the next message goes to the queue again, not the assistant.
    chat.queue(2 * SEC, QueueAnswer::NoAgent);
    let e = chat.visitor(3 * SEC, "anyone?");
    assert_eq!(requested(&e).unwrap().id, 2);
}

#[test]
fn bot_only_never_hands_over() {
    let s = Settings {
        mode: AssistantMode::BotOnly,
        ..Settings::default()
    };
    let dont_know = vec![s.messages.dont_know.clone()];
    let mut chat = Chat::new(s);
    assert_eq!(notices(&chat.visitor(SEC, "talk to a human")), dont_know);
    chat.visitor(2 * SEC, "odd");
    assert_eq!(notices(&chat.ok(3 * SEC, unknown())), dont_know);
    chat.visitor(4 * SEC, "odd");
    let e = chat.ok(
        5 * SEC,
        Event::Assistant(AssistantReply::Handover { say: None }),
    );
    assert_eq!(notices(&e), dont_know);
    assert_eq!(chat.c.handover(), None);
}

#[test]
fn private_conversations_never_hand_over_even_in_human_only_mode() {
    let s = Settings {
        mode: AssistantMode::HumanOnly,
        ..Settings::default()
    };
    let dont_know = vec![s.messages.dont_know.clone()];
    let mut chat = Chat::new(s);
    chat.c = Conversation::new(StartConversation {
        kind: ConversationKind::Private,
        ..StartConversation::default()
    });
    // The assistant answers a private conversation, whatever the mode.
    assert!(chat.visitor(SEC, "hello").contains(&ask("hello")));
    assert_eq!(notices(&chat.ok(2 * SEC, unknown())), dont_know);
    assert_eq!(
        notices(&chat.visitor(3 * SEC, "talk to a human")),
        dont_know
    );
    assert_eq!(chat.c.handover(), None);
}

#[test]
fn the_suggestion_step_offers_the_closest_answers_once_before_handing_over() {
    let mut chat = Chat::new(Settings {
        suggestions: 2,
        ..Settings::default()
    });
    chat.visitor(SEC, "gift card paypal");
    let e = chat.ok(
        2 * SEC,
        unknown_with(&["Can I pay with PayPal?", " ", "Gift cards?", "Third?"]),
    );
    assert_eq!(
        notices(&e),
        vec!["I'm not sure I understood. Did you mean:\n- Can I pay with PayPal?\n- Gift cards?"]
    );
    assert_eq!(chat.c.handover(), None);
    // Still unknown: now a person.
    chat.visitor(3 * SEC, "no, both together");
    let e = chat.ok(4 * SEC, unknown_with(&["Can I pay with PayPal?"]));
    assert_eq!(requested(&e).unwrap().trigger, Trigger::Unknown);
}

#[test]
fn an_answer_between_unknowns_offers_suggestions_again() {
    let mut chat = Chat::new(Settings {
        suggestions: 3,
        ..Settings::default()
    });
    chat.ok(SEC, unknown_with(&["A?"]));
    chat.ok(2 * SEC, answer("yes"));
    let e = chat.ok(3 * SEC, unknown_with(&["A?"]));
    assert_eq!(notices(&e).len(), 1);
    assert_eq!(chat.c.handover(), None);
}

#[test]
fn no_suggestion_step_when_off_or_when_there_is_nothing_to_suggest() {
    let mut chat = Chat::new(Settings::default());
    assert!(requested(&chat.ok(SEC, unknown_with(&["A?"]))).is_some());
    let mut chat = Chat::new(Settings {
        suggestions: 3,
        ..Settings::default()
    });
    assert!(requested(&chat.ok(SEC, unknown_with(&[]))).is_some());
}

#[test]
fn the_assistant_stays_silent_while_a_person_is_involved() {
    for mut chat in [pending(Settings::default()), assigned(Settings::default())] {
        let e = chat.visitor(20 * SEC, "hello?");
        assert_eq!(
            e,
            vec![Effect::Post {
                author: Author::Visitor,
                text: "hello?".into()
            }]
        );
        for late in [
            answer("late"),
            unknown(),
            Event::Assistant(AssistantReply::Handover { say: None }),
        ] {
            assert_eq!(chat.ok(21 * SEC, late), vec![]);
        }
    }
}
