//! Property tests: random sequences of visitor, assistant, queue, agent and clock events
//! in simulated time, against random settings, with the life cycle's invariants checked
//! after every event. Cases are fixed in number so the suite stays fast in debug builds.

use super::*;
use crate::protocol::{
    CancelReason, ConversationKind, FieldRule, FormAnswers, PreHandoverForm, StartConversation,
    DEFAULT_ASSISTANT,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Random event sequences per run of the life-cycle property.
const LIFE_CYCLE_CASES: u32 = 512;
/// Random workspaces per run of the routing property.
const ROUTING_CASES: u32 = 512;

const TEXTS: [&str; 6] = [
    "Where is my parcel?",
    "  I want to talk to a human  ",
    "quiero hablar con un agente",
    "ok",
    "   ",
    "thanks!",
];

fn agents() -> [(AgentRef, Vec<String>); 3] {
    [
        (ana(), vec!["support".into()]),
        (ben(), vec!["billing".into()]),
        (agent("a3", "Cara"), vec![]),
    ]
}

#[derive(Clone, Debug)]
enum Step {
    Advance(u64),
    Visitor(usize),
    Answer,
    Unknown(usize),
    AssistantHandover,
    Form(bool, bool),
    Cancel,
    /// The queue's word, for the current handover id minus `.1` (stale when not 0).
    Queue(QueueStep, u32),
    Claim(usize),
    Agent(usize, usize),
    Transfer(usize, Option<usize>),
    End(usize),
    Close(usize),
    Rate(u8),
    LeaveMessage(usize),
    VisitorAway,
    VisitorBack,
    Tick,
}

#[derive(Clone, Debug)]
enum QueueStep {
    Queued(u32),
    Assigned(usize),
    Offline(usize),
    NoAgent,
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0..3usize;
    let queue = prop_oneof![
        (1..4u32).prop_map(QueueStep::Queued),
        (0..3usize).prop_map(QueueStep::Assigned),
        (0..3usize).prop_map(QueueStep::Offline),
        Just(QueueStep::NoAgent),
    ];
    prop_oneof![
        3 => (0..400_000u64).prop_map(Step::Advance),
        4 => (0..TEXTS.len()).prop_map(Step::Visitor),
        2 => Just(Step::Answer),
        2 => (0..3usize).prop_map(Step::Unknown),
        1 => Just(Step::AssistantHandover),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(n, e)| Step::Form(n, e)),
        1 => Just(Step::Cancel),
        3 => (queue, prop_oneof![3 => Just(0u32), 1 => 1..3u32]).prop_map(|(q, s)| Step::Queue(q, s)),
        3 => who.clone().prop_map(Step::Claim),
        3 => (who.clone(), 0..TEXTS.len()).prop_map(|(a, t)| Step::Agent(a, t)),
        1 => (who.clone(), proptest::option::of(0..3usize)).prop_map(|(a, to)| Step::Transfer(a, to)),
        2 => who.clone().prop_map(Step::End),
        1 => who.prop_map(Step::Close),
        1 => (0..7u8).prop_map(Step::Rate),
        1 => (0..TEXTS.len()).prop_map(Step::LeaveMessage),
        1 => Just(Step::VisitorAway),
        1 => Just(Step::VisitorBack),
        2 => Just(Step::Tick),
    ]
}

fn timeout() -> impl Strategy<Value = Option<u32>> {
    proptest::option::of(30..600u32)
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop_oneof![
            Just(AssistantMode::BotOnly),
            Just(AssistantMode::BotAndHuman),
            Just(AssistantMode::HumanOnly)
        ],
        (any::<bool>(), any::<bool>(), 0..3u8, any::<bool>()),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        (timeout(), timeout(), timeout()),
    )
        .prop_map(
            |(
                mode,
                (unknown, request, suggestions, form),
                (notify, offline, rating, chosen),
                (queue, silence, leave),
            )| {
                let mut s = Settings {
                    mode,
                    handover_on_unknown: unknown,
                    handover_on_request: request,
                    suggestions,
                    notify_agent_assigned: notify,
                    rating,
                    queue_timeout_secs: queue,
                    holder_silence_secs: silence,
                    visitor_leave_secs: leave,
                    ..Settings::default()
                };
                if form {
                    s.form = PreHandoverForm {
                        name: FieldRule::Required,
                        email: FieldRule::Optional,
                    };
                }
                if offline {
                    s.availability = Availability::OnlineAndOffline;
                }
                if chosen {
                    s.routing.eligible = Eligible::Chosen {
                        teams: vec!["support".into(), "billing".into()],
                        agents: vec!["a3".into()],
                    };
                    s.routing.languages.insert("es".into(), "billing".into());
                }
                s
            },
        )
}

fn conversation() -> impl Strategy<Value = Conversation> {
    (
        prop_oneof![4 => Just(ConversationKind::Widget), 1 => Just(ConversationKind::Private)],
        prop_oneof![
            Just(None),
            Just(Some("es".to_string())),
            Just(Some("de".to_string()))
        ],
    )
        .prop_map(|(kind, language)| {
            Conversation::new(StartConversation {
                kind,
                language,
                assistant: None,
            })
        })
}

/// Turns a step into an event, given the conversation as it is.
fn event(step: &Step, c: &Conversation) -> Option<Event> {
    let a = |i: usize| agents()[i].clone();
    Some(match step {
        Step::Advance(_) => return None,
        Step::Visitor(i) => Event::Visitor {
            text: TEXTS[*i].into(),
        },
        Step::Answer => Event::Assistant(AssistantReply::Answer("Here you go.".into())),
        Step::Unknown(n) => Event::Assistant(AssistantReply::Unknown {
            suggestions: (0..*n).map(|i| format!("Question {i}?")).collect(),
        }),
        Step::AssistantHandover => Event::Assistant(AssistantReply::Handover { say: None }),
        Step::Form(name, email) => Event::Form {
            answers: FormAnswers {
                name: name.then(|| "Eva".into()),
                email: email.then(|| "eva@example.org".into()),
            },
        },
        Step::Cancel => Event::Cancel,
        Step::Queue(answer, back) => Event::Queue {
            handover: c.handover().map_or(1, |h| h.id).saturating_sub(*back),
            answer: match answer {
                QueueStep::Queued(position) => QueueAnswer::Queued {
                    position: *position,
                },
                QueueStep::Assigned(i) => QueueAnswer::Assigned { agent: a(*i).0 },
                QueueStep::Offline(i) => QueueAnswer::Offline { agent: a(*i).0 },
                QueueStep::NoAgent => QueueAnswer::NoAgent,
            },
        },
        Step::Claim(i) => Event::Claim {
            agent: a(*i).0,
            teams: a(*i).1,
        },
        Step::Agent(i, text) => Event::Agent {
            agent: a(*i).0,
            text: TEXTS[*text].into(),
        },
        Step::Transfer(i, to) => Event::Transfer {
            agent: a(*i).0,
            to: match to {
                Some(j) => TransferTarget::Agent(a(*j).0),
                None => TransferTarget::Team("billing".into()),
            },
            reason: "needs billing".into(),
        },
        Step::End(i) => Event::End {
            agent: a(*i).0,
            note: TEXTS[*i % TEXTS.len()].into(),
        },
        Step::Close(i) => Event::Close {
            agent: a(*i).0,
            note: String::new(),
        },
        Step::Rate(score) => Event::Rate {
            score: *score,
            comment: None,
        },
        Step::LeaveMessage(text) => Event::LeaveMessage {
            email: "rosa@example.com".into(),
            text: TEXTS[*text].into(),
        },
        Step::VisitorAway => Event::VisitorAway,
        Step::VisitorBack => Event::VisitorBack,
        Step::Tick => Event::Tick,
    })
}

/// What the effects showed so far, to check each new event against.
#[derive(Default)]
struct Seen {
    visitor_sent: Vec<String>,
    visitor_stored: Vec<String>,
    records: BTreeMap<u32, HandoverRecord>,
    alarm: Option<Millis>,
    /// Turns lost back to the queue for silence, by agent id.
    silences: BTreeMap<String, u32>,
    /// Ratings of the assistant alone.
    assistant_ratings: u32,
    /// The history as the owner stores it: who posted, when.
    log: Vec<(Author, Millis)>,
}

/// What the owner's history answers to a silence query (the worker asks it in SQL):
/// the holder's last reply since `since`, then the visitor's first message after it.
fn silence_in(log: &[(Author, Millis)], q: &SilenceQuery) -> Silence {
    let reply = log.iter().rposition(|(a, at)| {
        matches!(a, Author::Agent(agent) if agent.id == q.holder) && *at >= q.since
    });
    match reply {
        None => Silence::NoReply,
        Some(i) => Silence::Replied {
            unanswered_since: log[i + 1..]
                .iter()
                .find(|(a, _)| *a == Author::Visitor)
                .map(|(_, at)| *at),
        },
    }
}

/// The conversation as the owner loads it again: stored, read back, its silence clock
/// resumed from the history.
fn reloaded(c: &Conversation, settings: &Settings, log: &[(Author, Millis)]) -> Conversation {
    let json = serde_json::to_string(c).unwrap();
    let mut back: Conversation = serde_json::from_str(&json).unwrap();
    if let Some(q) = back.silence_query() {
        back.resume_silence(settings, silence_in(log, &q));
    }
    back
}

fn check_record(r: &HandoverRecord, now: Millis) -> Result<(), TestCaseError> {
    use HandoverStatus::*;
    let first_holding = r.holders.first().map(|h| h.at);
    prop_assert_eq!(
        r.claimed_at,
        first_holding,
        "claimed_at is the first holding"
    );
    prop_assert!(r.claimed_at.is_none_or(|c| r.requested_at <= c));
    prop_assert!(r.holders.windows(2).all(|w| w[0].at <= w[1].at));
    prop_assert!(r
        .first_reply_at
        .is_none_or(|f| r.claimed_at.is_some_and(|c| c <= f)));
    // Each turn's first reply is in that turn, and the record's is the first of them.
    for (i, h) in r.holders.iter().enumerate() {
        let until = r.holders.get(i + 1).map(|n| n.at);
        prop_assert!(h
            .first_reply_at
            .is_none_or(|f| h.at <= f && until.is_none_or(|u| f <= u)));
    }
    prop_assert_eq!(
        r.first_reply_at,
        r.holders.iter().filter_map(|h| h.first_reply_at).min()
    );
    prop_assert!(r.transfers.iter().all(|t| r.requested_at <= t.at));
    prop_assert!(r.transfers.windows(2).all(|w| w[0].at <= w[1].at));
    let last_event = [
        r.claimed_at,
        r.first_reply_at,
        r.holders.last().map(|h| h.at),
    ]
    .into_iter()
    .flatten()
    .chain(r.transfers.last().map(|t| t.at))
    .max()
    .unwrap_or(r.requested_at);
    prop_assert_eq!(r.ended_at.is_some(), r.status == Resolved);
    prop_assert_eq!(r.cancelled_at.is_some(), r.status == Cancelled);
    prop_assert_eq!(r.cancel_reason.is_some(), r.status == Cancelled);
    for end in [r.ended_at, r.cancelled_at].into_iter().flatten() {
        prop_assert!(last_event <= end && end <= now);
    }
    prop_assert!(r.rating.is_none() || r.status == Resolved);
    prop_assert!(r
        .rating
        .as_ref()
        .is_none_or(|x| (1..=5).contains(&x.score) && r.ended_at.is_some_and(|e| e <= x.at)));
    match r.status {
        Acknowledged => prop_assert_eq!(r.holder.as_ref(), r.holders.last().map(|h| &h.agent)),
        Pending => prop_assert!(r.holder.is_none()),
        Resolved => prop_assert!(r.holder.is_some()),
        Cancelled => prop_assert!(r.holder.is_none()),
    }
    Ok(())
}

fn check_step(
    seen: &mut Seen,
    settings: &Settings,
    before: &Conversation,
    c: &Conversation,
    now: Millis,
    event: &Event,
    effects: &[Effect],
) -> Result<(), TestCaseError> {
    let was = before.state();
    let quiet_before = before.handover().is_none_or(|h| !h.is_open());
    let alarm = seen.alarm;
    let mut states = Vec::new();
    for effect in effects {
        if let Effect::Post { author, .. } = effect {
            seen.log.push((author.clone(), now));
        }
        match effect {
            Effect::Post {
                author: Author::Visitor,
                text,
            } => seen.visitor_stored.push(text.clone()),
            Effect::Post {
                author: Author::Assistant,
                ..
            } => {
                prop_assert!(
                    was == ConversationState::Bot && quiet_before,
                    "assistant spoke in {was:?}"
                );
                prop_assert_eq!(c.state(), ConversationState::Bot);
            }
            Effect::Post {
                author: Author::Agent(a),
                ..
            } => {
                prop_assert_eq!(&was, &ConversationState::Assigned { agent: a.clone() });
            }
            Effect::Handover(r) => {
                match seen.records.get(&r.id) {
                    Some(old) => {
                        prop_assert!(
                            old.status.may_become(r.status),
                            "{:?} -> {:?}",
                            old.status,
                            r.status
                        );
                        prop_assert!(old.revision < r.revision);
                    }
                    None => {
                        prop_assert_eq!(r.id, seen.records.len() as u32 + 1);
                        prop_assert_eq!((r.status, r.revision), (HandoverStatus::Pending, 1));
                    }
                }
                check_record(r, now)?;
                seen.records.insert(r.id, r.clone());
            }
            Effect::State(s) => states.push(s.clone()),
            Effect::Rating { open } => prop_assert!(
                !*open
                    || c.handover().map_or(
                        seen.assistant_ratings == 0 && c.state() == ConversationState::Bot,
                        |r| r.status == HandoverStatus::Resolved && r.rating.is_none()
                    ),
                "a rating opened for a handover that is not resolved and unrated, or for an assistant rated already"
            ),
            Effect::AssistantRated(rating) => {
                seen.assistant_ratings += 1;
                prop_assert!(seen.assistant_ratings == 1, "the assistant rated twice");
                prop_assert!(seen.records.is_empty(), "the assistant rated after a handover");
                prop_assert!((1..=5).contains(&rating.score) && rating.at == now);
            }
            Effect::Wake { at } => {
                prop_assert!(*at > now);
                seen.alarm = Some(*at);
            }
            // Offered only when the last request found nobody, then taken back.
            Effect::Offline { open } => prop_assert!(
                !*open
                    || c.handover().is_some_and(|r| matches!(
                        r.cancel_reason,
                        Some(CancelReason::NoAgent | CancelReason::QueueTimeout)
                    )),
                "a message offered while someone could answer"
            ),
            Effect::Post {
                author: Author::System,
                ..
            }
            | Effect::AskAssistant { .. }
            | Effect::RequestAgent { .. } => {}
        }
    }
    if let Event::Visitor { text } | Event::LeaveMessage { text, .. } = event {
        seen.visitor_sent.push(text.trim().to_string());
    }
    prop_assert_eq!(
        &seen.visitor_stored,
        &seen.visitor_sent,
        "each visitor message stored once, in order"
    );
    if c.state() == was {
        prop_assert!(states.is_empty());
    } else {
        prop_assert_eq!(states, vec![c.state()]);
    }
    if let (Event::Tick, Some(at)) = (event, alarm.filter(|a| *a > now)) {
        // Nothing is due: at most an alarm is set again, for the timer it was set for or
        // one that moved later since (none when the timers were stopped, e.g. by an end).
        prop_assert!(
            effects.is_empty() || matches!(effects, [Effect::Wake { at: w }] if *w >= at),
            "a Tick before its alarm acted: {effects:?}"
        );
    }
    // No timer is missed: whatever is due next has an alarm set at or before it.
    if let Some(due) = c.deadline(settings) {
        prop_assert!(
            seen.alarm.is_some_and(|a| a <= due),
            "the next deadline {due:?} has no alarm before it (alarm {:?})",
            seen.alarm
        );
    }
    if let (Event::Tick, ConversationState::Assigned { agent }, ConversationState::Pending) =
        (event, &was, c.state())
    {
        *seen.silences.entry(agent.id.clone()).or_default() += 1;
    }
    if let Event::Claim { .. } = event {
        prop_assert!(
            !matches!(was, ConversationState::Assigned { .. }),
            "a claim over a holder"
        );
    }
    // One holder at most: the state names the record's holder, and no record but the
    // latest is acknowledged.
    let acknowledged = seen
        .records
        .values()
        .filter(|r| r.status == HandoverStatus::Acknowledged)
        .count();
    prop_assert!(acknowledged <= 1);
    if let Some(latest) = c.handover() {
        prop_assert_eq!(
            Some(latest),
            seen.records.get(&latest.id),
            "every change was reported"
        );
    }
    prop_assert_eq!(
        &reloaded(c, settings, &seen.log),
        c,
        "stored, loaded and resumed from the history, the conversation is the same"
    );
    match c.state() {
        ConversationState::Assigned { agent } => {
            let r = c.handover().expect("assigned has a handover");
            prop_assert_eq!(r.status, HandoverStatus::Acknowledged);
            prop_assert_eq!(r.holder.as_ref(), Some(&agent));
        }
        _ => prop_assert!(acknowledged == 0),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(LIFE_CYCLE_CASES))]

    #[test]
    fn the_life_cycle_keeps_its_invariants(
        s in settings(),
        start in conversation(),
        steps in proptest::collection::vec(step(), 1..80),
    ) {
        let mut c = start;
        let mut now = Millis(1_000);
        let mut seen = Seen::default();
        for step in &steps {
            if let Step::Advance(ms) = step {
                now = Millis(now.0 + ms);
            }
            let Some(event) = event(step, &c) else { continue };
            let before = c.clone();
            match c.handle(&s, now, event.clone()) {
                Ok(effects) => check_step(&mut seen, &s, &before, &c, now, &event, &effects)?,
                Err(_) => prop_assert_eq!(&c, &before, "a refusal changed the conversation"),
            }
        }
        check_agent_figures(&seen, now)?;
    }
}

/// The analytics of the records this run produced: each agent's turns add up, and the
/// turns counted as lost for silence are the ones the machine took back for it.
fn check_agent_figures(seen: &Seen, now: Millis) -> Result<(), TestCaseError> {
    use crate::analytics::{summarize, Handover, Period};
    let handovers: Vec<Handover> = seen
        .records
        .values()
        .map(|record| Handover {
            conversation_id: "c",
            record,
            question: None,
        })
        .collect();
    let period = Period {
        from: Millis(0),
        to: Millis(now.0 + 1),
        utc_offset_minutes: 0,
    };
    let s = summarize(&handovers, &[], &period);
    prop_assert_eq!(s.statuses.total as usize, seen.records.len());
    for a in &s.agents {
        prop_assert_eq!(
            a.resolved + a.transferred_away + a.lost_for_silence + a.in_progress,
            a.handled,
            "{:?}",
            a
        );
        prop_assert_eq!(
            a.lost_for_silence,
            seen.silences.get(&a.agent.id).copied().unwrap_or(0),
            "{:?}",
            a
        );
        prop_assert!(a.first_reply.count <= a.handled);
    }
    let turns: usize = seen.records.values().map(|r| r.holders.len()).sum();
    prop_assert_eq!(
        s.agents.iter().map(|a| a.handled as usize).sum::<usize>(),
        turns
    );
    Ok(())
}

fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
    let one = (
        0..6u32,
        proptest::sample::subsequence(vec!["support", "billing"], 0..=2),
        prop_oneof![
            Just(Presence::Online),
            Just(Presence::Away),
            Just(Presence::Offline)
        ],
        0..5u32,
    )
        .prop_map(|(id, teams, presence, open_chats)| Candidate {
            agent: agent(&format!("a{id}"), &format!("Agent {id}")),
            teams: teams.into_iter().map(String::from).collect(),
            presence,
            open_chats,
        });
    // One entry per agent, as the workspace has.
    proptest::collection::vec(one, 0..6).prop_map(|mut all| {
        all.sort_by(|a, b| a.agent.id.cmp(&b.agent.id));
        all.dedup_by(|a, b| a.agent.id == b.agent.id);
        all
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(ROUTING_CASES))]

    #[test]
    fn the_queue_only_ever_picks_an_eligible_agent_within_the_rules(
        s in settings(),
        max_chats in 1..4u32,
        auto_assign in any::<bool>(),
        team in proptest::option::of(Just("support".to_string())),
        held in proptest::option::of(0..6u32),
        agents in candidates(),
    ) {
        let mut s = s;
        if auto_assign {
            s.assignment = Assignment::AutoAssign { max_chats };
        }
        let mut rec = HandoverRecord::new(1, Trigger::Unknown, DEFAULT_ASSISTANT, t(0));
        rec.team = team;
        if let Some(id) = held {
            rec.holders.push(Holding {
                agent: agent(&format!("a{id}"), "x"),
                at: t(1),
                first_reply_at: None,
            });
        }
        let eligible: Vec<&Candidate> =
            agents.iter().filter(|c| may_take(&s, &rec, &c.agent.id, &c.teams)).collect();
        let held_before = |c: &Candidate| rec.holders.iter().any(|h| h.agent.id == c.agent.id);
        let any_online = eligible.iter().any(|c| c.presence == Presence::Online);
        match route(&s, &rec, &agents, 7) {
            QueueAnswer::Assigned { agent } => {
                let Assignment::AutoAssign { max_chats } = s.assignment else {
                    return Err(TestCaseError::fail("assigned in claim mode"));
                };
                let free: Vec<&&Candidate> = eligible.iter()
                    .filter(|c| c.presence == Presence::Online && c.open_chats < max_chats && !held_before(c))
                    .collect();
                let chosen = free.iter().find(|c| c.agent == agent).expect("a free eligible agent");
                prop_assert!(free.iter().all(|c| chosen.open_chats <= c.open_chats), "the least busy");
            }
            QueueAnswer::Queued { position } => {
                prop_assert_eq!(position, 7);
                prop_assert!(any_online);
            }
            QueueAnswer::Offline { agent } => {
                prop_assert!(!any_online);
                prop_assert_eq!(s.availability, Availability::OnlineAndOffline);
                let chosen = eligible.iter().find(|c| c.agent == agent).expect("an eligible agent");
                prop_assert!(!held_before(chosen));
            }
            QueueAnswer::NoAgent => {
                prop_assert!(!any_online);
                prop_assert!(
                    s.availability == Availability::OnlineOnly
                        || eligible.iter().all(|c| held_before(c))
                );
            }
        }
    }
}
