use super::*;
use crate::protocol::{Millis, Rating, DEFAULT_ASSISTANT};
use proptest::prelude::*;

fn agent(id: &str, name: &str) -> AgentRef {
    AgentRef {
        id: id.into(),
        name: name.into(),
    }
}

fn record(status: HandoverStatus, trigger: Trigger) -> HandoverRecord {
    let mut r = HandoverRecord::new(1, trigger, DEFAULT_ASSISTANT, Millis(1_000));
    r.status = status;
    r
}

fn resolved(by: AgentRef, claimed: u64, ended: u64, score: Option<u8>) -> HandoverRecord {
    let mut r = record(HandoverStatus::Resolved, Trigger::VisitorRequest);
    r.claimed_at = Some(Millis(claimed));
    r.ended_at = Some(Millis(ended));
    r.holder = Some(by);
    r.rating = score.map(|score| Rating {
        score,
        comment: None,
        at: Millis(ended + 1),
    });
    r
}

fn cancelled(reason: CancelReason) -> HandoverRecord {
    let mut r = record(HandoverStatus::Cancelled, Trigger::Unknown);
    r.cancel_reason = Some(reason);
    r
}

#[test]
fn statuses_times_ratings_agents_and_unanswered_questions() {
    let ana = agent("a1", "Ana");
    let ben = agent("a2", "Ben");
    let records = [
        resolved(ana.clone(), 3_000, 63_000, Some(5)),
        resolved(ana.clone(), 11_000, 21_000, Some(4)),
        resolved(ben.clone(), 5_000, 105_000, None),
        cancelled(CancelReason::Visitor),
        cancelled(CancelReason::VisitorLeft),
        cancelled(CancelReason::QueueTimeout),
        record(HandoverStatus::Pending, Trigger::Unknown),
        {
            let mut r = record(HandoverStatus::Acknowledged, Trigger::HumanOnly);
            r.claimed_at = Some(Millis(2_000));
            r.holder = Some(ben.clone());
            r
        },
    ];
    let questions = [
        None,
        None,
        None,
        Some("Do you sell  BIKES?"),
        Some("do you sell bikes?"),
        Some("Can I pay in yen?"),
        Some("   "),
        None,
    ];
    let handovers: Vec<Handover> = records
        .iter()
        .zip(questions)
        .map(|(record, question)| Handover { record, question })
        .collect();
    let s = summarize(&handovers);
    assert_eq!(
        (s.total, s.pending, s.in_progress, s.resolved, s.cancelled),
        (8, 1, 1, 3, 3)
    );
    assert_eq!(
        s.cancelled_by,
        CancelCounts {
            visitor: 1,
            no_agent: 0,
            queue_timeout: 1,
            visitor_left: 1,
        }
    );
    // Waits of the four claimed: 2, 10, 4, 1 s.
    assert_eq!(
        s.wait,
        Times {
            count: 4,
            mean_ms: Some(4_250),
            median_ms: Some(4_000),
        }
    );
    // Resolutions: 60, 10, 100 s.
    assert_eq!(
        s.resolution,
        Times {
            count: 3,
            mean_ms: Some(56_666),
            median_ms: Some(60_000),
        }
    );
    assert_eq!(
        s.ratings,
        Ratings {
            count: 2,
            mean: Some(4.5),
        }
    );
    assert_eq!(
        s.agents,
        vec![
            AgentFigures {
                agent: ana,
                resolved: 2,
                ratings: Ratings {
                    count: 2,
                    mean: Some(4.5),
                },
            },
            AgentFigures {
                agent: ben,
                resolved: 1,
                ratings: Ratings::default(),
            },
        ]
    );
    // Only handovers the assistant did not know; the same words counted together.
    assert_eq!(
        s.unanswered,
        vec![
            Unanswered {
                question: "do you sell bikes?".into(),
                count: 2,
            },
            Unanswered {
                question: "can i pay in yen?".into(),
                count: 1,
            },
        ]
    );
}

#[test]
fn nothing_yet_is_all_zero_and_no_averages() {
    let s = summarize(&[]);
    assert_eq!(s, Summary::default());
    assert_eq!(s.wait.mean_ms, None);
}

fn any_record() -> impl Strategy<Value = HandoverRecord> {
    (0..4u8, 0..4u8, proptest::option::of(1..=5u8)).prop_map(|(status, reason, score)| match status
    {
        0 => record(HandoverStatus::Pending, Trigger::Unknown),
        1 => {
            let mut r = record(HandoverStatus::Acknowledged, Trigger::Explicit);
            r.claimed_at = Some(Millis(1_500));
            r.holder = Some(agent("a1", "Ana"));
            r
        }
        2 => resolved(agent("a2", "Ben"), 2_000, 9_000, score),
        _ => cancelled(match reason {
            0 => CancelReason::Visitor,
            1 => CancelReason::NoAgent,
            2 => CancelReason::QueueTimeout,
            _ => CancelReason::VisitorLeft,
        }),
    })
}

proptest! {
    #[test]
    fn the_parts_always_add_up_to_the_total(records in proptest::collection::vec(any_record(), 0..40)) {
        let handovers: Vec<Handover> =
            records.iter().map(|record| Handover { record, question: None }).collect();
        let s = summarize(&handovers);
        prop_assert_eq!(s.total as usize, records.len());
        prop_assert_eq!(s.pending + s.in_progress + s.resolved + s.cancelled, s.total);
        let c = &s.cancelled_by;
        prop_assert_eq!(c.visitor + c.no_agent + c.queue_timeout + c.visitor_left, s.cancelled);
        prop_assert_eq!(s.agents.iter().map(|a| a.resolved).sum::<u32>(), s.resolved);
        prop_assert!(s.ratings.mean.is_none_or(|m| (1.0..=5.0).contains(&m)));
    }
}
