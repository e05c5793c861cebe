use super::*;
use crate::protocol::{EndReason, Rating, Transfer, TransferTarget, DEFAULT_ASSISTANT};
use proptest::prelude::*;

fn agent(id: &str, name: &str) -> AgentRef {
    AgentRef {
        id: id.into(),
        name: name.into(),
    }
}

fn ana() -> AgentRef {
    agent("a1", "Ana")
}
fn ben() -> AgentRef {
    agent("a2", "Ben")
}
fn cara() -> AgentRef {
    agent("a3", "Cara")
}

/// Everything from 1970 until well after the records below.
const ALL: Period = Period {
    from: Millis(0),
    to: Millis(u64::MAX / 2),
    utc_offset_minutes: 0,
};

fn record(status: HandoverStatus, trigger: Trigger) -> HandoverRecord {
    let mut r = HandoverRecord::new(1, trigger, DEFAULT_ASSISTANT, Millis(1_000));
    r.status = status;
    r
}

fn turn(agent: AgentRef, at: u64, reply: Option<u64>) -> Holding {
    Holding {
        agent,
        at: Millis(at),
        first_reply_at: reply.map(Millis),
    }
}

/// Taken by `by` at `claimed`, replied to a second later, resolved at `ended`.
fn resolved(by: AgentRef, claimed: u64, ended: u64, score: Option<u8>) -> HandoverRecord {
    let mut r = record(HandoverStatus::Resolved, Trigger::VisitorRequest);
    r.claimed_at = Some(Millis(claimed));
    r.first_reply_at = Some(Millis(claimed + 1_000));
    r.ended_at = Some(Millis(ended));
    r.end_reason = Some(EndReason::Holder);
    r.holders = vec![turn(by.clone(), claimed, Some(claimed + 1_000))];
    r.holder = Some(by);
    r.rating = score.map(|score| Rating {
        score,
        comment: None,
        at: Millis(ended + 1),
    });
    r
}

fn held(by: AgentRef, claimed: u64) -> HandoverRecord {
    let mut r = record(HandoverStatus::Acknowledged, Trigger::HumanOnly);
    r.claimed_at = Some(Millis(claimed));
    r.holders = vec![turn(by.clone(), claimed, None)];
    r.holder = Some(by);
    r
}

fn cancelled(reason: CancelReason) -> HandoverRecord {
    let mut r = record(HandoverStatus::Cancelled, Trigger::Unknown);
    r.cancel_reason = Some(reason);
    r.cancelled_at = Some(Millis(9_000));
    r
}

fn handovers<'a>(
    records: &'a [HandoverRecord],
    questions: &[Option<&'a str>],
) -> Vec<Handover<'a>> {
    records
        .iter()
        .enumerate()
        .map(|(i, record)| Handover {
            conversation_id: ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"][i % 8],
            record,
            question: questions.get(i).copied().flatten(),
        })
        .collect()
}

fn statuses(s: &Statuses) -> (u32, u32, u32, u32, u32) {
    (s.total, s.pending, s.in_progress, s.resolved, s.cancelled)
}

#[test]
fn statuses_times_ratings_agents_and_unanswered_questions() {
    let records = [
        resolved(ana(), 3_000, 63_000, Some(5)),
        resolved(ana(), 11_000, 21_000, Some(4)),
        resolved(ben(), 5_000, 105_000, None),
        cancelled(CancelReason::Visitor),
        cancelled(CancelReason::VisitorLeft),
        cancelled(CancelReason::QueueTimeout),
        record(HandoverStatus::Pending, Trigger::Unknown),
        held(ben(), 2_000),
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
    let s = summarize(&handovers(&records, &questions), &[], &ALL);
    assert_eq!(statuses(&s.statuses), (8, 1, 1, 3, 3));
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
            p90_ms: Some(10_000),
        }
    );
    // The three resolved were replied to a second after the claim.
    assert_eq!(
        s.first_reply,
        Times {
            count: 3,
            mean_ms: Some(1_000),
            median_ms: Some(1_000),
            p90_ms: Some(1_000),
        }
    );
    // Resolutions: 60, 10, 100 s.
    assert_eq!(
        s.resolution,
        Times {
            count: 3,
            mean_ms: Some(56_666),
            median_ms: Some(60_000),
            p90_ms: Some(100_000),
        }
    );
    assert_eq!(
        s.ratings,
        Ratings {
            count: 2,
            mean: Some(4.5),
        }
    );
    let one_second = Times {
        count: 1,
        mean_ms: Some(1_000),
        median_ms: Some(1_000),
        p90_ms: Some(1_000),
    };
    assert_eq!(
        s.agents,
        vec![
            AgentFigures {
                agent: ana(),
                handled: 2,
                resolved: 2,
                transferred_away: 0,
                lost_for_silence: 0,
                in_progress: 0,
                first_reply: Times {
                    count: 2,
                    ..one_second.clone()
                },
                ratings: Ratings {
                    count: 2,
                    mean: Some(4.5),
                },
            },
            AgentFigures {
                agent: ben(),
                handled: 2,
                resolved: 1,
                transferred_away: 0,
                lost_for_silence: 0,
                in_progress: 1,
                first_reply: one_second,
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
    let s = summarize(&[], &[], &ALL);
    assert_eq!(s, Summary::default());
    assert_eq!(s.wait.mean_ms, None);
    assert_eq!(s.wait.p90_ms, None);
}

#[test]
fn the_90th_percentile_is_the_nearest_rank() {
    let of = |ms: &[u64]| times(ms.to_vec());
    // Ten values: the ninth; eleven: the tenth; one: itself.
    let ten: Vec<u64> = (1..=10).map(|s| s * 1_000).collect();
    assert_eq!(of(&ten).p90_ms, Some(9_000));
    assert_eq!(of(&ten).median_ms, Some(6_000), "the upper middle of two");
    let eleven: Vec<u64> = (1..=11).rev().map(|s| s * 1_000).collect();
    assert_eq!(of(&eleven).p90_ms, Some(10_000));
    assert_eq!(of(&eleven).median_ms, Some(6_000));
    assert_eq!(of(&[7]).p90_ms, Some(7));
    // One slow outlier among twenty shows in neither the median nor the 90th.
    let mut twenty = vec![2_000; 19];
    twenty.push(600_000);
    let t = of(&twenty);
    assert_eq!((t.median_ms, t.p90_ms), (Some(2_000), Some(2_000)));
    assert_eq!(t.mean_ms, Some(31_900));
}

#[test]
fn each_turn_is_the_holders_resolved_transferred_lost_or_in_progress() {
    // Ana takes it at 10 s, replies at 15 s and transfers it to Ben; Ben takes it at
    // 20 s, says nothing and loses it for silence; Cara takes it at 200 s, replies at
    // 202 s and resolves it at 300 s; the visitor rates it 2.
    let mut passed_on = record(HandoverStatus::Resolved, Trigger::Unknown);
    passed_on.claimed_at = Some(Millis(10_000));
    passed_on.first_reply_at = Some(Millis(15_000));
    passed_on.holders = vec![
        turn(ana(), 10_000, Some(15_000)),
        turn(ben(), 20_000, None),
        turn(cara(), 200_000, Some(202_000)),
    ];
    passed_on.transfers = vec![Transfer {
        at: Millis(18_000),
        from: ana(),
        to: TransferTarget::Agent(ben()),
        reason: String::new(),
    }];
    passed_on.holder = Some(cara());
    passed_on.ended_at = Some(Millis(300_000));
    passed_on.rating = Some(Rating {
        score: 2,
        comment: None,
        at: Millis(301_000),
    });
    // Ana holds another now, replied to after 30 s.
    let mut holding = held(ana(), 5_000);
    holding.holders[0].first_reply_at = Some(Millis(35_000));
    holding.first_reply_at = Some(Millis(35_000));
    let records = [passed_on, holding];
    let s = summarize(&handovers(&records, &[]), &[], &ALL);
    fn row(a: &AgentFigures) -> (&str, u32, u32, u32, u32, u32, Option<u64>, Option<f64>) {
        (
            a.agent.name.as_str(),
            a.handled,
            a.resolved,
            a.transferred_away,
            a.lost_for_silence,
            a.in_progress,
            a.first_reply.median_ms,
            a.ratings.mean,
        )
    }
    assert_eq!(
        s.agents.iter().map(row).collect::<Vec<_>>(),
        vec![
            // Ana: 5 s and 30 s, the upper middle of two.
            ("Ana", 2, 0, 1, 0, 1, Some(30_000), None),
            // As many turns each: the more resolved first.
            ("Cara", 1, 1, 0, 0, 0, Some(2_000), Some(2.0)),
            ("Ben", 1, 0, 0, 1, 0, None, None),
        ]
    );
    // The handover's own first reply is from its first claim: Ana's, 5 s and 30 s.
    assert_eq!(s.first_reply.count, 2);
    assert_eq!(s.first_reply.median_ms, Some(30_000));
    assert_eq!(
        s.resolution.median_ms,
        Some(290_000),
        "from the first claim"
    );
}

#[test]
fn a_record_kept_before_turns_had_replies_gives_its_only_holders_first_reply() {
    let mut old = resolved(ana(), 3_000, 63_000, None);
    old.holders[0].first_reply_at = None;
    old.first_reply_at = Some(Millis(7_000));
    // With two holders the record's first reply cannot be told apart: none is counted.
    let mut two = old.clone();
    two.holders.insert(0, turn(ben(), 2_000, None));
    two.transfers = vec![Transfer {
        at: Millis(2_500),
        from: ben(),
        to: TransferTarget::Team("billing".into()),
        reason: String::new(),
    }];
    let records = [old, two];
    let s = summarize(&handovers(&records, &[]), &[], &ALL);
    let ana_row = s.agents.iter().find(|a| a.agent == ana()).unwrap();
    assert_eq!(ana_row.handled, 2);
    assert_eq!(ana_row.first_reply.count, 1);
    assert_eq!(ana_row.first_reply.median_ms, Some(4_000));
}

#[test]
fn ratings_by_path_split_the_assistant_alone_assistant_then_person_and_person_only() {
    let mut human_only = resolved(ben(), 2_000, 9_000, Some(1));
    human_only.trigger = Trigger::HumanOnly;
    let mut unknown = resolved(ana(), 2_000, 9_000, Some(5));
    unknown.trigger = Trigger::Unknown;
    let records = [
        human_only,
        unknown,
        resolved(ana(), 2_000, 9_000, Some(4)),
        resolved(ana(), 2_000, 9_000, None),
    ];
    let given = |score, at| Rating {
        score,
        comment: None,
        at: Millis(at),
    };
    let period = Period {
        from: Millis(1_000),
        to: Millis(100_000),
        utc_offset_minutes: 0,
    };
    // The last rating of the assistant was given after the period.
    let alone = [given(5, 3_000), given(2, 99_999), given(1, 100_000)];
    let s = summarize(&handovers(&records, &[]), &alone, &period);
    assert_eq!(
        s.ratings_by_path,
        RatingsByPath {
            assistant_only: Ratings {
                count: 2,
                mean: Some(3.5),
            },
            assistant_then_person: Ratings {
                count: 2,
                mean: Some(4.5),
            },
            person_only: Ratings {
                count: 1,
                mean: Some(1.0),
            },
        }
    );
    assert_eq!(
        s.ratings,
        Ratings {
            count: 5,
            mean: Some(17.0 / 5.0),
        }
    );
}

/// 2026-01-10T00:00Z.
const JAN_10: u64 = 1_768_003_200_000;
const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;

fn requested(mut r: HandoverRecord, at: u64) -> HandoverRecord {
    r.requested_at = Millis(at);
    r
}

#[test]
fn handovers_per_day_by_status_every_day_of_the_period_even_empty_ones() {
    // Three days at UTC+2 from midnight there on the 10th (22:00Z on the 9th).
    let period = Period {
        from: Millis(JAN_10 - 2 * HOUR),
        to: Millis(JAN_10 - 2 * HOUR + 3 * DAY),
        utc_offset_minutes: 120,
    };
    let records = [
        // 23:00Z on the 9th is 01:00 on the 10th at UTC+2.
        requested(resolved(ana(), 0, 0, None), JAN_10 - HOUR),
        requested(cancelled(CancelReason::Visitor), JAN_10 + 3 * HOUR),
        // 22:30Z on the 11th is 00:30 on the 12th there.
        requested(
            record(HandoverStatus::Pending, Trigger::Unknown),
            JAN_10 + DAY + 22 * HOUR + HOUR / 2,
        ),
        // Before the period and at its end: not counted anywhere.
        requested(
            record(HandoverStatus::Pending, Trigger::Unknown),
            JAN_10 - 3 * HOUR,
        ),
        requested(
            record(HandoverStatus::Pending, Trigger::Unknown),
            period.to.0,
        ),
    ];
    let s = summarize(&handovers(&records, &[]), &[], &period);
    let days: Vec<(&str, u64, (u32, u32, u32, u32, u32))> = s
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.start.0, statuses(&d.statuses)))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2026-01-10", JAN_10 - 2 * HOUR, (2, 0, 0, 1, 1)),
            ("2026-01-11", JAN_10 - 2 * HOUR + DAY, (0, 0, 0, 0, 0)),
            ("2026-01-12", JAN_10 - 2 * HOUR + 2 * DAY, (1, 1, 0, 0, 0)),
        ]
    );
    assert_eq!(statuses(&s.statuses), (3, 1, 0, 1, 1));
    // In UTC the first one falls on the 9th, before this period's first day there.
    let utc = Period {
        from: Millis(JAN_10 - DAY),
        to: Millis(JAN_10 + 3 * DAY),
        utc_offset_minutes: 0,
    };
    let s = summarize(&handovers(&records, &[]), &[], &utc);
    let dated: Vec<(&str, u32)> = s
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.statuses.total))
        .collect();
    assert_eq!(
        dated,
        vec![
            ("2026-01-09", 2),
            ("2026-01-10", 1),
            ("2026-01-11", 1),
            ("2026-01-12", 1)
        ]
    );
}

#[test]
fn all_time_lists_the_days_from_the_first_handover_to_the_last() {
    let records = [
        requested(
            record(HandoverStatus::Pending, Trigger::Unknown),
            JAN_10 + 5 * DAY,
        ),
        requested(
            record(HandoverStatus::Pending, Trigger::Unknown),
            JAN_10 + HOUR,
        ),
    ];
    let s = summarize(&handovers(&records, &[]), &[], &ALL);
    assert_eq!(s.days.len(), 6);
    assert_eq!(s.days[0].date, "2026-01-10");
    assert_eq!(s.days[5].date, "2026-01-15");
    assert_eq!(s.days.iter().map(|d| d.statuses.total).sum::<u32>(), 2);
    assert_eq!(summarize(&[], &[], &ALL).days, vec![]);
    // A period of exactly MAX_DAYS is listed whole.
    let long = Period {
        from: Millis(JAN_10),
        to: Millis(JAN_10 + MAX_DAYS as u64 * DAY),
        utc_offset_minutes: 0,
    };
    assert_eq!(summarize(&[], &[], &long).days.len(), MAX_DAYS as usize);
}

#[test]
fn the_summary_keeps_its_json_field_names() {
    let records = [held(ana(), 2_000)];
    let json = serde_json::to_value(summarize(&handovers(&records, &[]), &[], &ALL)).unwrap();
    // The statuses stay at the top, as they were before days and agents had them too.
    for field in [
        "total",
        "pending",
        "in_progress",
        "resolved",
        "cancelled",
        "cancelled_by",
        "wait",
        "resolution",
        "ratings",
        "agents",
        "unanswered",
        "first_reply",
        "ratings_by_path",
        "days",
    ] {
        assert!(json.get(field).is_some(), "{field} in {json}");
    }
    assert_eq!(json["days"][0]["in_progress"], 1);
    assert_eq!(
        json["agents"][0]["first_reply"]["p90_ms"],
        serde_json::Value::Null
    );
    assert_eq!(json["agents"][0]["handled"], 1);
}

/// Each of `all` is named as serde writes it.
fn named_as_on_the_wire<T: serde::Serialize + Copy>(all: &[T], name: fn(T) -> &'static str) {
    for &v in all {
        assert_eq!(serde_json::to_value(v).unwrap(), name(v));
    }
}

#[test]
fn names_are_the_wire_names() {
    use Trigger::*;
    named_as_on_the_wire(
        &[Unknown, VisitorRequest, Explicit, HumanOnly],
        Trigger::name,
    );
    use HandoverStatus::*;
    named_as_on_the_wire(
        &[Pending, Acknowledged, Resolved, Cancelled],
        HandoverStatus::name,
    );
    use CancelReason::*;
    named_as_on_the_wire(
        &[Visitor, NoAgent, QueueTimeout, VisitorLeft],
        CancelReason::name,
    );
    named_as_on_the_wire(
        &[EndReason::Holder, EndReason::Closed, EndReason::VisitorLeft],
        EndReason::name,
    );
}

#[test]
fn the_csv_has_one_row_per_handover_oldest_first_quoted_where_needed() {
    let mut rated = requested(
        resolved(ana(), JAN_10 + 4_000, JAN_10 + 64_000, Some(5)),
        JAN_10,
    );
    rated.rating.as_mut().unwrap().comment = Some("Quick, and \"kind\".".into());
    let mut gave_up = requested(cancelled(CancelReason::Visitor), JAN_10 - 60_000);
    gave_up.cancelled_at = Some(Millis(JAN_10 - 30_000));
    let waiting = requested(
        record(HandoverStatus::Pending, Trigger::Unknown),
        JAN_10 + 1,
    );
    let records = [rated, gave_up, waiting];
    let questions = [
        Some("I want to talk to a human"),
        Some("=HYPERLINK(\"http://x\")\nline two"),
        None,
    ];
    let csv = to_csv(&handovers(&records, &questions));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], export::COLUMNS.join(","));
    assert_eq!(
        lines[1],
        "c2,1,default,cancelled,unknown,2026-01-09T23:59:00.000Z,,,2026-01-09T23:59:30.000Z,,,0,,,,,,visitor,\"'=HYPERLINK(\"\"http://x\"\")\nline two\"",
        "a formula is shown, not run; a line break stays inside its quoted cell"
    );
    assert_eq!(
        lines[2],
        "c1,1,default,resolved,visitor_request,2026-01-10T00:00:00.000Z,2026-01-10T00:00:04.000Z,2026-01-10T00:00:05.000Z,2026-01-10T00:01:04.000Z,a1,Ana,0,4000,1000,60000,5,\"Quick, and \"\"kind\"\".\",holder,I want to talk to a human"
    );
    assert_eq!(
        lines[3],
        "c3,1,default,pending,unknown,2026-01-10T00:00:00.001Z,,,,,,0,,,,,,,"
    );
    assert_eq!(lines[4], "", "every row ends with CRLF");
    assert_eq!(lines.len(), 5);
    assert_eq!(to_csv(&[]), format!("{}\r\n", export::COLUMNS.join(",")));
}

fn any_record() -> impl Strategy<Value = HandoverRecord> {
    (
        0..4u8,
        0..4u8,
        proptest::option::of(1..=5u8),
        0..(40 * DAY),
        any::<bool>(),
    )
        .prop_map(|(status, reason, score, at, human)| {
            let mut r = match status {
                0 => record(HandoverStatus::Pending, Trigger::Unknown),
                1 => held(ana(), 1_500),
                2 => resolved(ben(), 2_000, 9_000, score),
                _ => cancelled(match reason {
                    0 => CancelReason::Visitor,
                    1 => CancelReason::NoAgent,
                    2 => CancelReason::QueueTimeout,
                    _ => CancelReason::VisitorLeft,
                }),
            };
            if human {
                r.trigger = Trigger::HumanOnly;
            }
            requested(r, JAN_10 + at)
        })
}

proptest! {
    #[test]
    fn the_parts_always_add_up_to_the_total(
        records in proptest::collection::vec(any_record(), 0..40),
        from_day in 0..45u64,
        days in 1..60u64,
        offset in -MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES,
    ) {
        let period = Period {
            from: Millis(JAN_10 + from_day * DAY),
            to: Millis(JAN_10 + (from_day + days) * DAY),
            utc_offset_minutes: offset,
        };
        let all = handovers(&records, &[]);
        let s = summarize(&all, &[], &period);
        let inside = records.iter().filter(|r| (period.from..period.to).contains(&r.requested_at)).count();
        prop_assert_eq!(s.statuses.total as usize, inside);
        let t = &s.statuses;
        prop_assert_eq!(t.pending + t.in_progress + t.resolved + t.cancelled, t.total);
        let c = &s.cancelled_by;
        prop_assert_eq!(c.visitor + c.no_agent + c.queue_timeout + c.visitor_left, t.cancelled);
        prop_assert_eq!(s.agents.iter().map(|a| a.resolved).sum::<u32>(), t.resolved);
        prop_assert_eq!(s.agents.iter().map(|a| a.in_progress).sum::<u32>(), t.in_progress);
        for a in &s.agents {
            prop_assert_eq!(a.resolved + a.transferred_away + a.lost_for_silence + a.in_progress, a.handled);
        }
        prop_assert!(s.ratings.mean.is_none_or(|m| (1.0..=5.0).contains(&m)));
        let p = &s.ratings_by_path;
        prop_assert_eq!(p.assistant_only.count + p.assistant_then_person.count + p.person_only.count, s.ratings.count);
        for times in [&s.wait, &s.first_reply, &s.resolution] {
            prop_assert!(times.median_ms <= times.p90_ms);
        }
        // Each day's statuses add up, and the days add up to the period's.
        let mut sum = Statuses::default();
        for d in &s.days {
            let x = &d.statuses;
            prop_assert_eq!(x.pending + x.in_progress + x.resolved + x.cancelled, x.total);
            sum.total += x.total;
            sum.pending += x.pending;
            sum.in_progress += x.in_progress;
            sum.resolved += x.resolved;
            sum.cancelled += x.cancelled;
        }
        prop_assert_eq!(&sum, &s.statuses);
        // One day each, consecutive, each starting 24 hours after the one before.
        prop_assert_eq!(s.days.len() as u64, days + u64::from(offset.rem_euclid(1440) != 0));
        prop_assert!(s.days.windows(2).all(|w| w[1].start.0 - w[0].start.0 == DAY));
        prop_assert!(s.days.first().is_none_or(|d| d.start <= period.from));
    }
}
