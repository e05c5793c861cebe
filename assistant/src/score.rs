//! Scoring entries against a question: weighted coverage of the question's
//! words by the entry's best-matching question, blended with how much of
//! that stored question the user's words account for.
//!
//! Only what matches is looked at: the question's terms are turned into the
//! stored words they can match, the index says where entries use those words,
//! and each entry is scored from those hits alone. An entry without hits
//! scores 0, and so do the parts of the formulas below that no hit reaches.
//! Those parts are left out of the sums: every term is at least 0, so that
//! changes no sum.

use crate::index::{EntryTerms, Index, QueryTerm, TermId, IN_ANSWER};
use crate::lexicon::SYNONYM_STRENGTH;

/// A word found only in the entry's other question still counts nearly
/// fully: all questions of an entry ask the same thing.
const OTHER_QUESTION: f32 = 0.9;
/// A word found only in the answer counts for a bit more than half: answers
/// mention many things they are not about.
const ANSWER: f32 = 0.6;
/// Share of the user's words being covered in the final score; the rest is
/// the share of the stored question covered, which breaks ties between
/// questions that both contain the user's only word.
const QUERY_SHARE: f32 = 0.75;

/// How well one query term matches one stored word.
#[derive(Debug, Clone, Copy)]
struct Reach {
    word: TermId,
    /// Position of the query term.
    term: u32,
    /// In a question: the relation's strength times how sure we are of the
    /// term's reading.
    any: f32,
    /// In an answer: the same, but relations weaker than synonyms count 0.
    /// Answers talk about "items" in general: a specific product matching
    /// that is no evidence.
    strong: f32,
}

/// A question ready for scoring: its terms and every stored word they can match.
#[derive(Debug)]
pub(crate) struct Query<'a> {
    terms: &'a [QueryTerm],
    weight: f32,
    /// One per (word, term) pair that matches at all, sorted by word, then term.
    reach: Vec<Reach>,
}

impl<'a> Query<'a> {
    pub fn new(index: &Index, terms: &'a [QueryTerm]) -> Self {
        let mut reach = Vec::new();
        for (term, query_term) in (0..).zip(terms) {
            for &(candidate, sure) in &query_term.candidates {
                let related = index.related(candidate).iter().copied();
                for (word, relation) in std::iter::once((candidate, 1.0)).chain(related) {
                    let any = sure * relation;
                    let strong = if relation >= SYNONYM_STRENGTH {
                        any
                    } else {
                        0.0
                    };
                    reach.push(Reach {
                        word,
                        term,
                        any,
                        strong,
                    });
                }
            }
        }
        reach.sort_unstable_by_key(|r| (r.word, r.term));
        // Two candidates of one term may both reach a word: the better counts.
        reach.dedup_by(|later, kept| {
            let same = (later.word, later.term) == (kept.word, kept.term);
            if same {
                kept.any = kept.any.max(later.any);
                kept.strong = kept.strong.max(later.strong);
            }
            same
        });
        Query {
            terms,
            weight: terms.iter().map(|t| t.weight).sum(),
            reach,
        }
    }

    /// Every place where an entry uses a word that one of the terms matches.
    fn hits(&self, index: &Index) -> Vec<Hit> {
        let mut hits = Vec::new();
        for reach in self.reach.chunk_by(|a, b| a.word == b.word) {
            let word = reach[0].word;
            let weight = index.weight(word);
            for used in index.uses(word) {
                for r in reach {
                    let strength = if used.question == IN_ANSWER {
                        r.strong
                    } else {
                        r.any
                    };
                    if strength > 0.0 {
                        hits.push(Hit {
                            entry: used.entry,
                            question: used.question,
                            term: r.term,
                            position: used.position,
                            strength,
                            weight,
                        });
                    }
                }
            }
        }
        hits
    }
}

/// A query term matching a word an entry uses.
#[derive(Debug, Clone, Copy)]
struct Hit {
    entry: u32,
    /// Which of the entry's questions, or [`IN_ANSWER`].
    question: u32,
    term: u32,
    /// The word's position in the question.
    position: u32,
    strength: f32,
    /// The stored word's weight.
    weight: f32,
}

/// The entries `query` can match, as positions in knowledge-base order, each
/// with its confidence in [0, 1] that it answers the question. Entries left
/// out score 0.
pub(crate) fn scores(index: &Index, query: &Query) -> Vec<(usize, f32)> {
    if query.terms.is_empty() || query.weight <= 0.0 {
        return Vec::new();
    }
    let mut hits = by_entry(query.hits(index), index.entries.len());
    let mut scorer = Scorer::new(query);
    hits.chunk_by_mut(|a, b| a.entry == b.entry)
        .map(|hits| {
            // The entry's questions in order with its answer last, and in a
            // question term by term.
            hits.sort_unstable_by_key(|h| (h.question, h.term, h.position));
            let entry = hits[0].entry as usize;
            (entry, scorer.score(&index.entries[entry], hits))
        })
        .collect()
}

/// The hits in knowledge-base order of their entries: a counting sort, as
/// entries are few and there can be thousands of hits.
fn by_entry(hits: Vec<Hit>, entries: usize) -> Vec<Hit> {
    let mut next = vec![0; entries + 1];
    for hit in &hits {
        next[hit.entry as usize + 1] += 1;
    }
    for at in 1..next.len() {
        next[at] += next[at - 1];
    }
    let mut sorted = hits.clone();
    for hit in hits {
        sorted[next[hit.entry as usize]] = hit;
        next[hit.entry as usize] += 1;
    }
    sorted
}

/// Scores entry after entry, reusing its per-term tables (cleared after each).
struct Scorer<'q> {
    query: &'q Query<'q>,
    /// Per term: its best match in a question, and which question that is.
    best: Vec<(f32, u32)>,
    /// Per term: its best match in the questions other than that one.
    second: Vec<f32>,
    /// Per term: its best match in the answer.
    in_answer: Vec<f32>,
    /// Per term: how well the word it was paired with in the question being
    /// scored matches it (0: none).
    by_query: Vec<f32>,
    /// The terms with hits in the entry, ascending.
    touched: Vec<u32>,
    /// Pairs of the question being scored, in the order they are tried.
    pairs: Vec<Hit>,
    /// Pairs given to each other in it: no word vouches for two terms.
    given: Vec<Hit>,
}

impl<'q> Scorer<'q> {
    fn new(query: &'q Query<'q>) -> Self {
        let n = query.terms.len();
        Scorer {
            query,
            best: vec![(0.0, 0); n],
            second: vec![0.0; n],
            in_answer: vec![0.0; n],
            by_query: vec![0.0; n],
            touched: Vec::new(),
            pairs: Vec::new(),
            given: Vec::new(),
        }
    }

    /// The entry's confidence from its hits (sorted as [`scores`] sorts them):
    /// the best over its questions.
    fn score(&mut self, entry: &EntryTerms, hits: &[Hit]) -> f32 {
        self.tabulate(hits);
        let mut top = 0.0f32;
        let mut questions_hit = 0;
        for hits in hits.chunk_by(|a, b| a.question == b.question) {
            if hits[0].question != IN_ANSWER {
                let question = hits[0].question;
                let total = entry.question_weights[question as usize];
                top = top.max(self.score_question(question, total, hits));
                questions_hit += 1;
            }
        }
        // A question without hits covers nothing itself, and all such
        // questions score alike: from the entry's other questions and answer.
        if questions_hit < entry.question_weights.len() {
            top = top.max(QUERY_SHARE * (self.covered(None) / self.query.weight));
        }
        for &i in &self.touched {
            let i = i as usize;
            (self.best[i], self.second[i], self.in_answer[i]) = ((0.0, 0), 0.0, 0.0);
        }
        top.clamp(0.0, 1.0)
    }

    /// Fills the per-term tables from the entry's hits.
    fn tabulate(&mut self, hits: &[Hit]) {
        self.touched.clear();
        self.touched.extend(hits.iter().map(|h| h.term));
        self.touched.sort_unstable();
        self.touched.dedup();
        for hits in hits.chunk_by(|a, b| (a.question, a.term) == (b.question, b.term)) {
            let (question, i) = (hits[0].question, hits[0].term as usize);
            let strength = hits.iter().map(|h| h.strength).fold(0.0, f32::max);
            if question == IN_ANSWER {
                self.in_answer[i] = strength;
            } else if strength > self.best[i].0 {
                self.second[i] = self.best[i].0;
                self.best[i] = (strength, question);
            } else if strength > self.second[i] {
                self.second[i] = strength;
            }
        }
    }

    /// Score of one question with hits: its share of the user's words and
    /// its own words covered, after pairing them one to one.
    fn score_question(&mut self, question: u32, total: f32, hits: &[Hit]) -> f32 {
        self.assign(hits);
        for pair in &self.given {
            self.by_query[pair.term as usize] = pair.strength;
        }
        let query_cov = self.covered(Some(question)) / self.query.weight;
        for pair in &self.given {
            self.by_query[pair.term as usize] = 0.0;
        }
        self.given.sort_unstable_by_key(|pair| pair.position);
        let question_cov = self
            .given
            .iter()
            .map(|pair| pair.weight * pair.strength)
            .sum::<f32>()
            / total.max(f32::EPSILON);
        QUERY_SHARE * query_cov + (1.0 - QUERY_SHARE) * question_cov
    }

    /// One-to-one matching between query terms and the question's words,
    /// strongest pairs first, so that one stored word cannot vouch for two
    /// of the user's words (a typo reading and the real word).
    fn assign(&mut self, hits: &[Hit]) {
        self.pairs.clear();
        self.pairs.extend_from_slice(hits);
        // Equal strengths go term by term, then word by word.
        self.pairs.sort_unstable_by(|a, b| {
            (b.strength.total_cmp(&a.strength))
                .then((a.term, a.position).cmp(&(b.term, b.position)))
        });
        self.given.clear();
        for pair in &self.pairs {
            let taken = |given: &Hit| given.term == pair.term || given.position == pair.position;
            if !self.given.iter().any(taken) {
                self.given.push(*pair);
            }
        }
    }

    /// Weight of the user's words covered in `question` (None: in a question
    /// without hits), by its own words, the entry's other questions or its
    /// answer, whichever covers each best.
    fn covered(&self, question: Option<u32>) -> f32 {
        self.touched
            .iter()
            .map(|&i| {
                let i = i as usize;
                let (best, best_in) = self.best[i];
                let elsewhere = if Some(best_in) == question {
                    self.second[i]
                } else {
                    best
                };
                let word = self.by_query[i];
                let weight = self.query.terms[i].weight;
                weight
                    * word
                        .max(elsewhere * OTHER_QUESTION)
                        .max(self.in_answer[i] * ANSWER)
            })
            .sum()
    }
}
