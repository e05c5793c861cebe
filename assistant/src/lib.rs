//! Baton's built-in assistant v0: answers a visitor's question from a small
//! knowledge base of question/answer entries, or says it does not know.
//!
//! Pure Rust, no I/O: the worker passes the knowledge-base JSON and the
//! question in and gets a [`Reply`] back. Retrieval is lexical (normalised,
//! stemmed words weighted by rarity, with typo tolerance and a small synonym
//! table), which is predictable, tiny in wasm and needs no model.

pub mod docs;
mod hash;
mod index;
mod kb;
mod language;
mod lexicon;
mod score;
mod text;

pub use kb::KbError;

use index::Index;
use kb::Entry;
use language::Language;

/// Confidence below which [`KnowledgeBase::answer`] says [`Reply::Unknown`].
/// Chosen on the demo knowledge base, where the tested paraphrases score
/// 0.64 or more and off-topic questions that share a word with an entry
/// ("do you sell tents", "what's the price of a tent") 0.55 or less.
pub const DEFAULT_THRESHOLD: f32 = 0.6;

/// Scores from which an entry counts as near enough to offer when the assistant does not
/// know: on the demo, a question sharing one telling word with an entry ("do you sell
/// bicycles?" and the gift-card entry) scores 0.3 to 0.55.
pub const SUGGESTION_FLOOR: f32 = 0.25;

/// How far the best entry must score above the next one to answer: two entries about as
/// near are a guess between them, and a wrong answer misleads more than "I don't know".
/// Compared on the scores that rank entries, which a word the answer also uses raises.
/// Not applied from [`SURE`]: every word of the question is in one of the entry's
/// questions, which is no guess ("can I send something back?" and the returns entry,
/// though return costs share the word).
pub const ANSWER_MARGIN: f32 = 0.08;

/// Confidence from which the best entry answers however near the next one is.
const SURE: f32 = 0.8;
/// Most near questions [`Reply::Unknown`] carries; the settings allow up to 5.
pub const MAX_SUGGESTIONS: usize = 5;

/// Longest question considered, in characters; the rest is ignored so a
/// huge input cannot burn the worker's CPU budget.
const MAX_QUESTION_CHARS: usize = 1000;

/// What the assistant says to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The entry that answers the question, its answer text and the
    /// confidence in [0, 1]. `handover`: the entry is an explicit handover
    /// step, so the answer is followed by a handover to a person.
    Answer {
        entry_id: String,
        text: String,
        confidence: f32,
        handover: bool,
    },
    /// Nothing fits well enough; `best_confidence` is the best entry's score
    /// (0 for an empty question), useful for logging and tuning. `near` holds
    /// the first question of each entry scoring at least [`SUGGESTION_FLOOR`],
    /// best first, at most [`MAX_SUGGESTIONS`]: what to offer the visitor
    /// before a handover.
    Unknown {
        best_confidence: f32,
        near: Vec<String>,
    },
}

/// An entry near a question: its id, its first question, and its score in [0, 1].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Near {
    pub entry_id: String,
    pub question: String,
    pub score: f32,
}

/// A parsed, indexed knowledge base. Build it once and reuse it: parsing
/// does the indexing work so that answering is cheap.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    index: Index,
    threshold: f32,
    /// What the entries are written in: questions are stemmed as they were.
    language: Language,
}

impl KnowledgeBase {
    /// Parses `{"entries": [{"id", "questions": [..], "answer", "handover"?}]}` (other
    /// top-level fields such as `"assistant"` are ignored) and checks that
    /// every entry can be matched and answered. Indexing happens here (about
    /// a millisecond for the demo), so build once and keep it.
    ///
    /// # Errors
    /// A [`KbError`] naming the first problem found.
    pub fn from_json(json: &str) -> Result<Self, KbError> {
        Ok(Self::indexed(kb::parse(json)?))
    }

    /// Indexes entries that passed [`docs::problems_of_all`]; none at all is a knowledge
    /// base that knows nothing (a new assistant's).
    pub fn from_docs(docs: &[docs::EntryDoc]) -> Self {
        Self::indexed(kb::from_docs(docs))
    }

    fn indexed(parsed: kb::Parsed) -> Self {
        KnowledgeBase {
            index: Index::build(&parsed.texts, &parsed.vocabulary),
            entries: parsed.entries,
            threshold: DEFAULT_THRESHOLD,
            language: parsed.language,
        }
    }

    /// The demo knowledge base's entries, as owners would write them.
    pub fn demo_docs() -> Vec<docs::EntryDoc> {
        docs::from_json(include_str!("../knowledge-base.json"))
            .expect("the bundled knowledge-base.json is valid")
    }

    /// The demo knowledge base (a fictional outdoor-gear shop), compiled in.
    ///
    /// # Panics
    /// Never in practice: the bundled file is checked by the tests.
    #[must_use]
    pub fn demo() -> Self {
        Self::from_json(include_str!("../knowledge-base.json"))
            .expect("the bundled knowledge-base.json is valid")
    }

    /// Sets the confidence an answer needs. Values are clamped to [0, 1];
    /// NaN leaves the threshold unchanged. At 0 any question sharing a word
    /// with an entry gets that entry, at 1 only near-exact matches pass.
    #[must_use]
    pub fn with_threshold(mut self, threshold: f32) -> Self {
        if !threshold.is_nan() {
            self.threshold = threshold.clamp(0.0, 1.0);
        }
        self
    }

    /// The confidence an answer needs (see [`KnowledgeBase::with_threshold`]).
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Answers `question` with the best-matching entry, or [`Reply::Unknown`]
    /// when no entry reaches the threshold or the next one is within
    /// [`ANSWER_MARGIN`] of it.
    #[must_use]
    pub fn answer(&self, question: &str) -> Reply {
        let ranked = self.ranked(question, MAX_SUGGESTIONS);
        let runner_up = ranked.get(1).map_or(0.0, |(_, fit)| fit.rank);
        match ranked.first() {
            Some(&(entry, fit))
                if fit.confidence >= self.threshold
                    && (fit.confidence >= SURE || fit.rank - runner_up >= ANSWER_MARGIN) =>
            {
                Reply::Answer {
                    entry_id: entry.id.clone(),
                    text: entry.answer.clone(),
                    confidence: fit.confidence,
                    handover: entry.handover,
                }
            }
            best => Reply::Unknown {
                best_confidence: best.map_or(0.0, |(_, fit)| fit.confidence),
                near: ranked
                    .iter()
                    .filter(|(_, fit)| fit.confidence >= SUGGESTION_FLOOR)
                    .take(MAX_SUGGESTIONS)
                    .map(|(entry, _)| entry.title.clone())
                    .collect(),
            },
        }
    }

    /// The `n` entries that fit `question` best, best first, any score above 0: where
    /// an agent's answer to it might belong, as one more of their questions.
    #[must_use]
    pub fn closest(&self, question: &str, n: usize) -> Vec<Near> {
        self.ranked(question, n)
            .into_iter()
            .map(|(entry, fit)| Near {
                entry_id: entry.id.clone(),
                question: entry.title.clone(),
                score: fit.confidence,
            })
            .collect()
    }

    /// The `limit` entries ranking best above 0 for `question`, best first; ties
    /// keep their order.
    fn ranked(&self, question: &str, limit: usize) -> Vec<(&Entry, score::Fit)> {
        let question: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let terms = self
            .index
            .resolve(&text::tokens_in(&question, self.language));
        let query = score::Query::new(&self.index, &terms);
        let mut ranked: Vec<(usize, score::Fit)> = score::scores(&self.index, &query)
            .into_iter()
            .filter(|(_, fit)| fit.rank > 0.0)
            .collect();
        // Ties go by position, so the order is total and only the first
        // `limit` need sorting.
        let order = |a: &(usize, score::Fit), b: &(usize, score::Fit)| {
            b.1.rank.total_cmp(&a.1.rank).then(a.0.cmp(&b.0))
        };
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked
            .into_iter()
            .map(|(at, score)| (&self.entries[at], score))
            .collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for a knowledge base with no entries (a new assistant's).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWINS: &str = r#"{"entries": [
        {"id": "a", "questions": ["When does the shop open?"], "answer": "At nine."},
        {"id": "b", "questions": ["When does the cafe open?"], "answer": "At ten."}
    ]}"#;

    #[test]
    fn two_entries_about_as_near_are_a_guess_not_an_answer() {
        let kb = KnowledgeBase::from_json(TWINS).unwrap().with_threshold(0.0);
        // "open" fits both alike, and "easter" neither: no winner by the margin.
        let question = "is it open at easter";
        let ranked = kb.ranked(question, 2);
        assert!(ranked[0].1.confidence < SURE);
        assert!((ranked[0].1.rank - ranked[1].1.rank).abs() < ANSWER_MARGIN);
        assert!(matches!(kb.answer(question), Reply::Unknown { .. }));
        // Naming one settles it.
        assert!(
            matches!(kb.answer("is the cafe open at easter"), Reply::Answer { entry_id, .. } if entry_id == "b")
        );
    }

    #[test]
    fn a_customer_is_the_visitor_not_customs_and_buying_is_ordering() {
        // The stemmer reads "customers" as "custom", which duties are about.
        assert!(text::tokens("customers").is_empty());
        let kb = KnowledgeBase::from_json(
            r#"{"entries": [
            {"id": "abroad", "questions": ["Can I order from outside the US?"], "answer": "We ship to Canada."},
            {"id": "customs", "questions": ["Will I pay customs?"], "answer": "Duties are included."}
        ]}"#,
        )
        .unwrap();
        assert!(
            matches!(kb.answer("can customers buy from outside the us"), Reply::Answer { entry_id, .. } if entry_id == "abroad")
        );
    }

    #[test]
    fn a_city_abroad_asks_about_shipping_abroad() {
        let kb = KnowledgeBase::from_json(
            r#"{"entries": [
            {"id": "abroad", "questions": ["Can I order from outside the US?"], "answer": "We ship to the UK."},
            {"id": "stores", "questions": ["Where are your stores?"], "answer": "In Denver."}
        ]}"#,
        )
        .unwrap();
        // "Leeds" is in the UK, which the answer names, and outside the US.
        assert!(
            matches!(kb.answer("can I order to leeds"), Reply::Answer { entry_id, .. } if entry_id == "abroad")
        );
    }

    #[test]
    fn gear_words_are_known_goods_not_unknown_words() {
        let kb = KnowledgeBase::demo();
        for gear in ["poles", "pad", "sleeping pad", "goretex"] {
            let terms = kb.index.resolve(&text::tokens(gear));
            assert!(terms.iter().all(|t| !t.candidates.is_empty()), "{gear}");
        }
    }
}

#[cfg(test)]
mod debug {
    //! Prints the top entries for questions given in $Q, separated by `|`:
    //! `Q='…|…' cargo test -p baton-assistant --lib debug -- --ignored
    //! --nocapture`. For tuning the word lists.
    use super::*;

    #[test]
    #[ignore]
    fn print_rankings() {
        let kb = KnowledgeBase::demo();
        let questions = std::env::var("Q").unwrap_or_default();
        for q in questions.split('|').filter(|q| !q.trim().is_empty()) {
            let tokens = text::tokens(q);
            let query = kb.index.resolve(&tokens);
            let prepared = score::Query::new(&kb.index, &query);
            let mut scored: Vec<(f32, &str)> = score::scores(&kb.index, &prepared)
                .into_iter()
                .map(|(at, fit)| (fit.rank, kb.entries[at].id.as_str()))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let stems: Vec<&str> = tokens.iter().map(|t| t.stem.as_str()).collect();
            let weights: Vec<String> = query.iter().map(|t| format!("{:.2}", t.weight)).collect();
            println!(
                "{q:?}\n  stems {stems:?} weights {weights:?}\n  {:?}",
                &scored[..scored.len().min(3)]
            );
        }
    }

    #[test]
    #[ignore]
    fn phases() {
        let kb = KnowledgeBase::demo();
        let qs = [
            "how long does shiping take",
            "do you sell bicycles?",
            "can I pay with bitcoin",
            "my parcel arrived damaged",
        ];
        let n = 200;
        let t = std::time::Instant::now();
        for _ in 0..n {
            for q in qs {
                let _ = text::tokens(q);
            }
        }
        println!("tokens {:?}", t.elapsed() / (n * 4));
        let toks: Vec<_> = qs.iter().map(|q| text::tokens(q)).collect();
        let t = std::time::Instant::now();
        for _ in 0..n {
            for tk in &toks {
                let _ = kb.index.resolve(tk);
            }
        }
        println!("resolve {:?}", t.elapsed() / (n * 4));
        let terms: Vec<_> = toks.iter().map(|tk| kb.index.resolve(tk)).collect();
        let t = std::time::Instant::now();
        for _ in 0..n {
            for q in &terms {
                let _ = score::scores(&kb.index, &score::Query::new(&kb.index, q));
            }
        }
        println!("score {:?}", t.elapsed() / (n * 4));
    }
}
