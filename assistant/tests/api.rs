//! Parsing errors, the threshold setter and other API guarantees.

use baton_assistant::{KbError, KnowledgeBase, Reply, DEFAULT_THRESHOLD};

fn kb(entries: &str) -> Result<KnowledgeBase, KbError> {
    KnowledgeBase::from_json(&format!(
        r#"{{"assistant": "test", "entries": [{entries}]}}"#
    ))
}

const GOOD: &str = r#"{"id": "hours", "questions": ["When are you open?"], "answer": "9 to 5."}"#;

#[test]
fn a_minimal_knowledge_base_parses_and_answers() {
    let kb = kb(GOOD).unwrap();
    assert_eq!(kb.len(), 1);
    assert!(!kb.is_empty());
    assert_eq!(
        kb.answer("when are you open"),
        Reply::Answer {
            entry_id: "hours".into(),
            text: "9 to 5.".into(),
            confidence: 1.0,
            handover: false,
        }
    );
    // The "assistant" field is optional.
    assert!(KnowledgeBase::from_json(&format!(r#"{{"entries": [{GOOD}]}}"#)).is_ok());
}

#[test]
fn the_demo_has_all_thirty_entries() {
    let kb = KnowledgeBase::demo();
    assert_eq!(kb.len(), 30);
    assert!(!kb.is_empty());
    assert_eq!(kb.threshold(), DEFAULT_THRESHOLD);
}

#[test]
fn bad_json_is_reported_as_such() {
    for json in [
        "",
        "not json",
        "[1, 2]",
        r#"{"entries": 3}"#,
        r#"{"entry": []}"#,
        r#"{"entries": [{"id": "x"}]}"#,
    ] {
        match KnowledgeBase::from_json(json) {
            Err(KbError::InvalidJson(reason)) => assert!(!reason.is_empty(), "{json:?}"),
            other => panic!("{json:?}: {other:?}"),
        }
    }
}

#[test]
fn each_invalid_entry_is_named() {
    let cases: Vec<(String, KbError)> = vec![
        (String::new(), KbError::NoEntries),
        (
            format!(
                r#"{GOOD}, {{"id": "  ", "questions": ["Where is the shop?"], "answer": "Here."}}"#
            ),
            KbError::EmptyId { index: 1 },
        ),
        (
            format!(
                r#"{GOOD}, {{"id": " hours ", "questions": ["Where is the shop?"], "answer": "Here."}}"#
            ),
            KbError::DuplicateId { id: "hours".into() },
        ),
        (
            r#"{"id": "a", "questions": [], "answer": "Here."}"#.into(),
            KbError::NoQuestions { id: "a".into() },
        ),
        (
            r#"{"id": "a", "questions": ["Where is the shop?", " "], "answer": "Here."}"#.into(),
            KbError::EmptyQuestion { id: "a".into() },
        ),
        (
            r#"{"id": "a", "questions": ["How do I do it?"], "answer": "Here."}"#.into(),
            KbError::QuestionWithoutKeywords {
                id: "a".into(),
                question: "How do I do it?".into(),
            },
        ),
        (
            r#"{"id": "a", "questions": ["Where is the shop?"], "answer": " \n "}"#.into(),
            KbError::EmptyAnswer { id: "a".into() },
        ),
    ];
    for (entries, expected) in cases {
        assert_eq!(kb(&entries).unwrap_err(), expected, "{entries}");
    }
}

#[test]
fn errors_display_what_is_wrong_and_are_std_errors() {
    let err = kb(&format!("{GOOD}, {GOOD}")).unwrap_err();
    assert!(err.to_string().contains("\"hours\""), "{err}");
    assert!(err.to_string().contains("more than once"), "{err}");
    let boxed: Box<dyn std::error::Error> = Box::new(KbError::EmptyAnswer { id: "x".into() });
    assert_eq!(boxed.to_string(), "entry \"x\" has an empty answer");
    assert!(KbError::InvalidJson("eof".into())
        .to_string()
        .contains("eof"));
    assert_eq!(
        KbError::NoEntries.to_string(),
        "knowledge base has no entries"
    );
}

#[test]
fn threshold_setter_moves_the_line_between_answer_and_unknown() {
    // "do you sell bicycles?" shares "sell" with the gift-card entry and
    // scores well below the default threshold, but above 0.3.
    let near_miss = "do you sell bicycles?";
    let demo = KnowledgeBase::demo();
    assert!(
        matches!(demo.answer(near_miss), Reply::Unknown { best_confidence, .. } if best_confidence > 0.3)
    );

    let lenient = KnowledgeBase::demo().with_threshold(0.3);
    assert_eq!(lenient.threshold(), 0.3);
    assert!(
        matches!(lenient.answer(near_miss), Reply::Answer { entry_id, .. } if entry_id == "gift-cards")
    );

    // A paraphrase passes by default but not with a strict threshold, which
    // still lets stored questions through.
    let paraphrase = "whats the shipping fee";
    assert!(
        matches!(demo.answer(paraphrase), Reply::Answer { entry_id, .. } if entry_id == "shipping-cost")
    );
    let strict = KnowledgeBase::demo().with_threshold(0.95);
    assert!(matches!(strict.answer(paraphrase), Reply::Unknown { .. }));
    assert!(
        matches!(strict.answer("How much is shipping?"), Reply::Answer { entry_id, .. } if entry_id == "shipping-cost")
    );
}

#[test]
fn threshold_is_clamped_and_nan_ignored() {
    assert_eq!(KnowledgeBase::demo().with_threshold(2.0).threshold(), 1.0);
    assert_eq!(KnowledgeBase::demo().with_threshold(-1.0).threshold(), 0.0);
    assert_eq!(
        KnowledgeBase::demo()
            .with_threshold(0.4)
            .with_threshold(f32::NAN)
            .threshold(),
        0.4
    );
}

#[test]
fn an_unknown_question_near_some_entries_offers_their_questions_best_first() {
    let demo = KnowledgeBase::demo();
    let Reply::Unknown { near, .. } = demo.answer("do you sell bicycles?") else {
        panic!("the demo knows nothing about bicycles");
    };
    assert!(!near.is_empty() && near.len() <= baton_assistant::MAX_SUGGESTIONS);
    // The gift-card entry shares "sell"; its first question is offered as written.
    let gift = demo.answer(&near[0]);
    assert!(
        matches!(&gift, Reply::Answer { entry_id, .. } if entry_id == "gift-cards"),
        "{near:?} -> {gift:?}"
    );
    // Each offered question is one the assistant answers, so picking it works.
    for question in &near {
        assert!(
            matches!(demo.answer(question), Reply::Answer { .. }),
            "{question:?}"
        );
    }
}

#[test]
fn even_a_zero_threshold_does_not_answer_nothing() {
    let kb = KnowledgeBase::demo().with_threshold(0.0);
    assert_eq!(
        kb.answer("   "),
        Reply::Unknown {
            best_confidence: 0.0,
            near: vec![]
        }
    );
    assert_eq!(
        kb.answer("what is the meaning of life"),
        Reply::Unknown {
            best_confidence: 0.0,
            near: vec![]
        }
    );
}

#[test]
fn an_entry_can_be_a_handover_step() {
    let step = r#"{"id": "quote", "questions": ["Can I get a quote?"], "answer": "Our sales desk quotes.", "handover": true}"#;
    let kb = kb(&format!("{GOOD}, {step}")).unwrap();
    assert!(matches!(
        kb.answer("can I get a quote"),
        Reply::Answer { entry_id, handover: true, .. } if entry_id == "quote"
    ));
    assert!(matches!(
        kb.answer("when are you open"),
        Reply::Answer {
            handover: false,
            ..
        }
    ));
    // The demo's volume orders are quoted by a person.
    assert!(matches!(
        KnowledgeBase::demo().answer("can my company place a large order"),
        Reply::Answer { entry_id, handover: true, .. } if entry_id == "bulk-orders"
    ));
}
