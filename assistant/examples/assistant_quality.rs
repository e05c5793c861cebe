//! How well the built-in assistant routes a set of visitors' questions (a measurement,
//! not a test; `scripts/assistant-quality [SET.json] [KB.json|KB.csv]` runs it).
//!
//! Each case is decided as the product decides it with the default settings
//! (`shared/src/handover/bot.rs`, `on_visitor`): first the request-for-person check
//! (`asks_for_person` with the shipped phrases, as `handover_on_request` does), then the
//! assistant's answer from the knowledge base, read and indexed as the Worker imports it.
//! Figures are printed, overall, per kind of case and per language, with every miss; the
//! exit code is 0 whatever the figures, and 2 for input it cannot read.
//!
//! With a third file, the routes are not computed but read from it: what a running Worker
//! did with each question (`tools/assistant-live.mjs`, `scripts/assistant-quality
//! --live`), reported the same way.

use baton_assistant::docs::{self, EntryDoc};
use baton_assistant::{KnowledgeBase, Reply};
use baton_shared::handover::{asks_for_person, DEFAULT_REQUEST_PHRASES};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::process::exit;

/// A set: `{"cases": [{"q", "expect", "also"?, "lang"?}]}`; other fields are ignored.
#[derive(Deserialize)]
struct Set {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    q: String,
    /// An entry id, `unknown` (no confident answer) or `human` (a request for a person).
    expect: String,
    /// Other entries whose answer settles the question as well: one id or a list.
    #[serde(default)]
    also: Also,
    /// `en`, `es`, `fr`, `de`…; guessed from the words when absent.
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Also {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Also {
    fn contains(&self, id: &str) -> bool {
        match self {
            Also::None => false,
            Also::One(one) => one == id,
            Also::Many(many) => many.iter().any(|a| a == id),
        }
    }
}

/// What the product does with a message.
enum Routed {
    /// `handover_on_request` fired: a handover starts, the assistant is not asked.
    PersonRequest,
    /// The assistant answered with this entry; `handover`: an explicit handover step.
    Entry {
        id: String,
        /// Known when the crate was asked; a visitor of a running Worker sees none.
        confidence: Option<f32>,
        handover: bool,
    },
    /// No confident answer (then a handover, or the don't-know message, per settings).
    Unknown { best: Option<f32> },
}

/// What a running Worker did with each question (`tools/assistant-live.mjs`).
#[derive(Deserialize)]
struct Live {
    routed: Vec<LiveCase>,
}

#[derive(Deserialize)]
struct LiveCase {
    q: String,
    route: LiveRoute,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LiveRoute {
    /// `"person"` or `"unknown"`.
    Plain(String),
    Entry {
        entry: String,
        handover: bool,
    },
}

impl LiveRoute {
    fn routed(self) -> Routed {
        match self {
            LiveRoute::Entry { entry, handover } => Routed::Entry {
                id: entry,
                confidence: None,
                handover,
            },
            LiveRoute::Plain(p) if p == "person" => Routed::PersonRequest,
            LiveRoute::Plain(p) if p == "unknown" => Routed::Unknown { best: None },
            LiveRoute::Plain(p) => {
                fail(format!("a route is person, unknown or an entry, not {p:?}"))
            }
        }
    }
}

fn score(s: Option<f32>) -> String {
    s.map(|s| format!(" (score {s:.2})")).unwrap_or_default()
}

impl Routed {
    fn describe(&self) -> String {
        match self {
            Routed::PersonRequest => "a request for a person".into(),
            Routed::Entry {
                id,
                confidence,
                handover,
            } => {
                let step = if *handover { ", then a handover" } else { "" };
                format!("entry {id}{step}{}", score(*confidence))
            }
            Routed::Unknown { best } => {
                format!("unknown{}", score(*best).replace("score", "best score"))
            }
        }
    }
}

fn route(kb: &KnowledgeBase, phrases: &[String], question: &str) -> Routed {
    if asks_for_person(question, phrases) {
        return Routed::PersonRequest;
    }
    match kb.answer(question) {
        Reply::Answer {
            entry_id,
            confidence,
            handover,
            ..
        } => Routed::Entry {
            id: entry_id,
            confidence: Some(confidence),
            handover,
        },
        Reply::Unknown {
            best_confidence, ..
        } => Routed::Unknown {
            best: Some(best_confidence),
        },
    }
}

/// Whether the product did what the case expects. A request for a person answered by an
/// entry marked `handover` still reaches a person (after that entry's answer), so it
/// counts, and the report says how many went that way.
fn right(case: &Case, routed: &Routed) -> bool {
    match (case.expect.as_str(), routed) {
        ("human", Routed::PersonRequest) => true,
        ("human", Routed::Entry { handover, .. }) => *handover,
        (_, Routed::PersonRequest) => false,
        ("unknown", Routed::Unknown { .. }) => true,
        (_, Routed::Unknown { .. }) => false,
        (expect, Routed::Entry { id, .. }) => id == expect || case.also.contains(id),
    }
}

fn kind(expect: &str) -> &'static str {
    match expect {
        "human" => "request for a person",
        "unknown" => "not in the knowledge base",
        _ => "answered by an entry",
    }
}

/// A guess from telling little words, for sets without `lang`.
fn language(question: &str) -> &'static str {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "es",
            &[
                "el", "la", "los", "un", "una", "con", "por", "quiero", "hablar", "para", "favor",
                "mi", "páseme",
            ],
        ),
        (
            "fr",
            &[
                "le", "les", "un", "une", "je", "veux", "parler", "à", "svp", "plaît", "moi",
                "passez", "avec",
            ],
        ),
        (
            "de",
            &[
                "ich", "mit", "einem", "einen", "dem", "der", "bitte", "sie", "mich", "und",
                "will", "möchte", "ist",
            ],
        ),
    ];
    let lower = question.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != 'à')
        .filter(|w| !w.is_empty())
        .collect();
    let (best, hits) = WORDS
        .iter()
        .map(|(lang, list)| (*lang, words.iter().filter(|w| list.contains(w)).count()))
        .max_by_key(|&(_, hits)| hits)
        .unwrap_or(("en", 0));
    if hits >= 2 || (hits == 1 && words.len() <= 3) {
        best
    } else {
        "en"
    }
}

fn fail(message: String) -> ! {
    eprintln!("assistant-quality: {message}");
    exit(2);
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")))
}

/// The knowledge base as the Worker imports it: JSON `{"entries": [...]}`, or CSV for a
/// `.csv` file; refused with the import's own problems.
fn knowledge(path: &str) -> (KnowledgeBase, Vec<String>) {
    let text = read(path);
    let parsed: Result<Vec<EntryDoc>, _> = if path.ends_with(".csv") {
        docs::from_csv(&text)
    } else {
        docs::from_json(&text)
    };
    let entries: Vec<EntryDoc> = parsed
        .map(|e| e.into_iter().map(EntryDoc::tidy).collect())
        .unwrap_or_else(|problems| fail(format!("{path}: {}", listed(&problems))));
    let problems = docs::problems_of_all(&entries, |i| format!("entries[{i}]"));
    if !problems.is_empty() {
        fail(format!("{path}: {}", listed(&problems)));
    }
    let ids = entries.iter().map(|e| e.id.clone()).collect();
    (KnowledgeBase::from_docs(&entries), ids)
}

fn listed(problems: &[docs::FieldError]) -> String {
    let all: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.problem))
        .collect();
    all.join("; ")
}

fn percent(right: usize, all: usize) -> String {
    format!(
        "{right}/{all} ({:.1} %)",
        100.0 * right as f64 / all.max(1) as f64
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (set_path, kb_path, live_path) = match args.as_slice() {
        [set, kb] => (set, kb, None),
        [set, kb, live] => (set, kb, Some(live)),
        _ => fail("usage: assistant_quality SET.json KB.json|KB.csv [ROUTED.json]".into()),
    };
    let set: Set = serde_json::from_str(&read(set_path)).unwrap_or_else(|e| {
        fail(format!(
            "{set_path}: not a set of the form {{\"cases\": [{{\"q\", \"expect\", \"also\"?}}]}}: {e}"
        ))
    });
    if set.cases.is_empty() {
        fail(format!("{set_path}: no cases"));
    }
    let (kb, ids) = knowledge(kb_path);
    for case in &set.cases {
        let expect = case.expect.as_str();
        if !["human", "unknown"].contains(&expect) && !ids.iter().any(|id| id == expect) {
            fail(format!(
                "{set_path}: {:?} expects entry {expect}, which {kb_path} does not have",
                case.q
            ));
        }
    }
    let phrases: Vec<String> = DEFAULT_REQUEST_PHRASES
        .iter()
        .map(|p| p.to_string())
        .collect();

    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_language: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut wrong_entry, mut false_requests, mut via_entry) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut live = live_path.map(|path| {
        let live: Live = serde_json::from_str(&read(path)).unwrap_or_else(|e| {
            fail(format!(
                "{path}: not the routes of tools/assistant-live.mjs: {e}"
            ))
        });
        if live.routed.len() != set.cases.len()
            || live.routed.iter().zip(&set.cases).any(|(l, c)| l.q != c.q)
        {
            fail(format!(
                "{path}: its questions are not those of {set_path}, in order"
            ));
        }
        live.routed.into_iter()
    });
    for case in &set.cases {
        let routed = match live.as_mut().and_then(Iterator::next) {
            Some(l) => l.route.routed(),
            None => route(&kb, &phrases, &case.q),
        };
        let ok = right(case, &routed);
        let lang = case
            .lang
            .clone()
            .unwrap_or_else(|| language(&case.q).into());
        for tally in [
            by_kind.entry(kind(&case.expect)).or_default(),
            by_language.entry(lang).or_default(),
        ] {
            tally.0 += usize::from(ok);
            tally.1 += 1;
        }
        match &routed {
            Routed::Entry { handover: true, .. } if case.expect == "human" => via_entry += 1,
            Routed::Entry { .. } if !ok => wrong_entry += 1,
            Routed::PersonRequest if case.expect != "human" => false_requests += 1,
            _ => {}
        }
        if !ok {
            misses.push(format!(
                "  {:?}\n      expected {}, got {}",
                case.q,
                match case.expect.as_str() {
                    "human" => "a request for a person".into(),
                    "unknown" => "unknown".into(),
                    id => format!("entry {id}"),
                },
                routed.describe()
            ));
        }
    }

    let all = set.cases.len();
    let right_all: usize = by_kind.values().map(|t| t.0).sum();
    println!(
        "set {set_path}: {all} cases; knowledge base {kb_path}: {} entries; routed {}",
        kb.len(),
        match live_path {
            Some(path) => format!("by a running Worker, as a visitor sends ({path})"),
            None => "by the crate".into(),
        }
    );
    println!("right: {}", percent(right_all, all));
    for (kind, (right, of)) in &by_kind {
        println!("  {kind}: {}", percent(*right, *of));
    }
    println!("by language:");
    for (lang, (right, of)) in &by_language {
        println!("  {lang}: {}", percent(*right, *of));
    }
    println!("answered with a wrong entry: {wrong_entry}");
    println!("ordinary questions taken for a request for a person: {false_requests}");
    println!("requests for a person reaching one through an entry marked handover: {via_entry}");
    println!("misses: {}", misses.len());
    for miss in misses {
        println!("{miss}");
    }
}
