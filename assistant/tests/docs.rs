//! Knowledge bases as owners write them: JSON and CSV in and out, every problem named
//! by its field or row, the limits, merging, and indexing what was written.

use baton_assistant::docs::{
    self, from_csv, from_json, merge, to_csv, to_json, EntryDoc, MAX_ANSWER_CHARS, MAX_ENTRIES,
    MAX_QUESTIONS,
};
use baton_assistant::{KnowledgeBase, Reply};

fn entry(id: &str, questions: &[&str], answer: &str) -> EntryDoc {
    EntryDoc {
        id: id.into(),
        questions: questions.iter().map(|q| q.to_string()).collect(),
        answer: answer.into(),
        handover: false,
    }
}

fn fields(errors: &[docs::FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn the_demo_goes_out_and_back_as_json_and_as_csv_unchanged() {
    let demo = KnowledgeBase::demo_docs();
    assert_eq!(demo.len(), 30);
    assert_eq!(from_json(&to_json(&demo)).unwrap(), demo);
    assert_eq!(from_csv(&to_csv(&demo)).unwrap(), demo);
}

#[test]
fn csv_rows_with_one_id_are_one_entry_and_rows_without_get_an_id_of_their_own() {
    let csv = "question,answer,id,handover\n\
               How long does shipping take?,3-5 business days.,shipping,\n\
               When will my order arrive?,,shipping,\n\
               \"Do you sell gift cards, too?\",\"Yes, from $10.\",,\n\
               Can my company order in bulk?,Our Teams desk quotes it.,bulk,yes\n\
               Do you sell gift cards too?,They come by email.,,\n";
    let entries = from_csv(csv).unwrap();
    assert_eq!(
        entries,
        vec![
            entry(
                "shipping",
                &["How long does shipping take?", "When will my order arrive?"],
                "3-5 business days."
            ),
            entry(
                "do-you-sell-gift-cards-too",
                &["Do you sell gift cards, too?"],
                "Yes, from $10."
            ),
            EntryDoc {
                handover: true,
                ..entry(
                    "bulk",
                    &["Can my company order in bulk?"],
                    "Our Teams desk quotes it."
                )
            },
            entry(
                "do-you-sell-gift-cards-too-2",
                &["Do you sell gift cards too?"],
                "They come by email."
            ),
        ]
    );
    // Only the two required columns, in any order.
    assert_eq!(
        from_csv("answer,question\n9 to 5.,When are you open?\n").unwrap()[0].id,
        "when-are-you-open"
    );
}

#[test]
fn every_problem_of_a_csv_is_named_by_its_row() {
    let csv = "question,answer,id,handover\n\
               When are you open?,9 to 5.,hours,\n\
               What are your hours?,8 to 6.,hours,\n\
               ,No question here.,,\n\
               How do I do it?,Filler only.,,\n\
               Is it free?,,free,\n\
               Is it cheap?,Yes.,cheap,maybe\n\
               Spaces?,Yes.,bad id,\n";
    let errors = from_csv(csv).unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            "row 3: answer",
            "row 4: question",
            "row 5: question",
            "row 6: answer",
            "row 7: handover",
            "row 8: id",
        ],
        "{errors:?}"
    );
    assert!(errors[0].problem.contains("another answer"), "{errors:?}");
    let header = from_csv("q,a\nx,y\n").unwrap_err();
    assert_eq!(fields(&header), vec!["row 1"]);
    assert!(
        header[0].problem.contains("question or answer"),
        "{header:?}"
    );
}

#[test]
fn every_problem_of_a_json_knowledge_base_is_named_by_its_field() {
    let json = r#"{"entries": [
        {"id": "ok", "questions": ["When are you open?"], "answer": "9 to 5."},
        {"id": "ok", "questions": [], "answer": " "},
        {"id": "", "questions": ["", "how do I do it?"], "answer": "x"}
    ]}"#;
    let errors = from_json(json).unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            "entries[1].questions",
            "entries[1].answer",
            "entries[1].id",
            "entries[2].id",
            "entries[2].questions[0]",
            "entries[2].questions[1]",
        ],
        "{errors:?}"
    );
    assert_eq!(fields(&from_json("not json").unwrap_err()), vec!["body"]);
}

#[test]
fn the_limits_are_refused_with_what_they_are() {
    let many: Vec<EntryDoc> = (0..=MAX_ENTRIES)
        .map(|i| entry(&format!("e{i}"), &["When are you open?"], "9 to 5."))
        .collect();
    let errors = docs::problems_of_all(&many, |i| format!("entries[{i}]"));
    assert_eq!(fields(&errors), vec!["entries"]);
    assert!(errors[0].problem.contains("at most 2000"), "{errors:?}");

    let questions: Vec<String> = (0..=MAX_QUESTIONS)
        .map(|i| format!("Question number {i}?"))
        .collect();
    let wide = EntryDoc {
        questions,
        ..entry("wide", &[], "x")
    };
    let long = entry(
        "long",
        &["When are you open?"],
        &"a".repeat(MAX_ANSWER_CHARS + 1),
    );
    let errors = docs::problems_of_all(&[wide, long], |i| format!("entries[{i}]"));
    assert_eq!(
        fields(&errors),
        vec!["entries[0].questions", "entries[1].answer"]
    );
    assert!(errors[0].problem.contains("at most 20"), "{errors:?}");
    assert!(errors[1].problem.contains("at most 4000"), "{errors:?}");
}

#[test]
fn merging_replaces_entries_by_id_where_they_stand_and_adds_the_rest() {
    let existing = vec![entry("a", &["Q a?"], "A"), entry("b", &["Q b?"], "B")];
    let merged = merge(
        &existing,
        vec![entry("c", &["Q c?"], "C"), entry("a", &["Q a2?"], "A2")],
    );
    let ids: Vec<&str> = merged.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["a", "b", "c"]);
    assert_eq!(merged[0].answer, "A2");
}

#[test]
fn what_owners_wrote_is_what_the_assistant_answers_from() {
    let empty = KnowledgeBase::from_docs(&[]);
    assert!(empty.is_empty());
    assert!(matches!(
        empty.answer("When are you open?"),
        Reply::Unknown { .. }
    ));

    let kb = KnowledgeBase::from_docs(&[
        entry(
            "hours",
            &["When are you open?", "What are your opening hours?"],
            "9 to 5.",
        ),
        entry("returns", &["How do I return an item?"], "Within 60 days."),
    ]);
    match kb.answer("what are your opening hours") {
        Reply::Answer { entry_id, .. } => assert_eq!(entry_id, "hours"),
        other => panic!("{other:?}"),
    }
    let demo = KnowledgeBase::from_docs(&KnowledgeBase::demo_docs());
    assert_eq!(
        demo.answer("how long does shiping take?"),
        KnowledgeBase::demo().answer("how long does shiping take?")
    );
}

#[test]
fn closest_ranks_the_entries_a_question_might_join_and_leaves_out_those_sharing_nothing() {
    let kb = KnowledgeBase::from_docs(&[
        entry("kayaks", &["Do you rent kayaks?"], "Yes, by the day."),
        entry("bikes", &["Do you rent bikes?"], "No."),
        entry("hours", &["When are you open?"], "9 to 5."),
    ]);
    let near = kb.closest("Can I rent a kayak for a week?", 5);
    let ids: Vec<&str> = near.iter().map(|n| n.entry_id.as_str()).collect();
    assert_eq!(ids, ["kayaks", "bikes"]);
    assert_eq!(near[0].question, "Do you rent kayaks?");
    assert!(near[0].score > near[1].score);
    assert_eq!(kb.closest("Can I rent a kayak?", 1).len(), 1);
    assert!(kb.closest("quantum chromodynamics", 5).is_empty());
}
