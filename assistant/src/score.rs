//! Scoring entries against a question: BM25F over two fields of each entry,
//! its questions and its answer, normalised per word so that a word found in
//! one of the entry's questions counts fully; blended with how much of the
//! best-matching stored question the user's words account for.
//!
//! Only what matches is looked at: the question's terms are turned into the
//! stored words they can match, the index says where entries use those words,
//! and each entry is scored from those hits alone. An entry without hits
//! scores 0, and so do the parts of the formulas below that no hit reaches.
//! Those parts are left out of the sums: every term is at least 0, so that
//! changes no sum.

use crate::index::{EntryTerms, Index, QueryTerm, TermId, IN_ANSWER};
use crate::lexicon::SYNONYM_STRENGTH;

/// A word found only in the entry's other question counts nearly fully: all
/// questions of an entry ask the same thing, but the best-matching one
/// should win.
const OTHER_QUESTION: f32 = 0.9;
/// BM25's saturation: how quickly more evidence for a word stops adding to it.
const K1: f32 = 1.2;
/// Field weights: a word of the entry's questions says what the entry is
/// about; one of its answer is weaker evidence, as answers mention things
/// they are not about ("… on delivery"). Questions are short and alike in
/// length, so only answers are length-normalised (see `index::ANSWER_B`).
const QUESTION_FIELD: f32 = 1.0;
const ANSWER_FIELD: f32 = 0.5;
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

/// How well an entry fits a question.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Fit {
    /// In [0, 1], 1 for a question worded as one of the entry's: each word
    /// counts at most as a plain match in one of its questions.
    pub confidence: f32,
    /// The same without that cap, so that a word the answer uses as well
    /// counts more: what ranks entries of equal confidence.
    pub rank: f32,
}

impl Fit {
    fn max(self, other: Fit) -> Fit {
        Fit {
            confidence: self.confidence.max(other.confidence),
            rank: self.rank.max(other.rank),
        }
    }
}

/// The entries `query` can match, as positions in knowledge-base order, each
/// with its fit. Entries left out fit not at all.
pub(crate) fn scores(index: &Index, query: &Query) -> Vec<(usize, Fit)> {
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
    fn score(&mut self, entry: &EntryTerms, hits: &[Hit]) -> Fit {
        self.tabulate(hits);
        let mut top = Fit::default();
        let mut questions_hit = 0;
        for hits in hits.chunk_by(|a, b| a.question == b.question) {
            if hits[0].question != IN_ANSWER {
                let question = hits[0].question;
                let total = entry.question_weights[question as usize];
                top = top.max(self.score_question(question, total, entry.answer_norm, hits));
                questions_hit += 1;
            }
        }
        // A question without hits covers nothing itself, and all such
        // questions score alike: from the entry's other questions and answer.
        if questions_hit < entry.question_weights.len() {
            let (capped, whole) = self.covered(None, entry.answer_norm);
            top = top.max(Fit {
                confidence: QUERY_SHARE * capped / self.query.weight,
                rank: QUERY_SHARE * whole / self.query.weight,
            });
        }
        for &i in &self.touched {
            let i = i as usize;
            (self.best[i], self.second[i], self.in_answer[i]) = ((0.0, 0), 0.0, 0.0);
        }
        top
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
    fn score_question(&mut self, question: u32, total: f32, answer_norm: f32, hits: &[Hit]) -> Fit {
        self.assign(hits);
        for pair in &self.given {
            self.by_query[pair.term as usize] = pair.strength;
        }
        let (capped, whole) = self.covered(Some(question), answer_norm);
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
        let blend = |covered: f32| {
            QUERY_SHARE * covered / self.query.weight + (1.0 - QUERY_SHARE) * question_cov
        };
        Fit {
            confidence: blend(capped),
            rank: blend(whole),
        }
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

    /// Weight of the user's words the entry accounts for, scoring `question`
    /// (None: a question without hits): per word, its BM25F evidence in the
    /// entry's questions and answer, as a share of a plain match in one
    /// question; capped at that, and whole (more when the answer uses it too).
    fn covered(&self, question: Option<u32>, answer_norm: f32) -> (f32, f32) {
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
                let in_questions = word.max(elsewhere * OTHER_QUESTION);
                let frequency =
                    QUESTION_FIELD * in_questions + ANSWER_FIELD * self.in_answer[i] / answer_norm;
                // Confidence takes the better field alone: a related word in a
                // question and a mention in the answer are not a match.
                let alone = share_of_plain_match(QUESTION_FIELD * in_questions).max(
                    share_of_plain_match(ANSWER_FIELD * self.in_answer[i] / answer_norm),
                );
                let weight = self.query.terms[i].weight;
                (
                    weight * alone.min(1.0),
                    weight * share_of_plain_match(frequency),
                )
            })
            .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d))
    }
}

/// BM25's saturated term frequency of `frequency`, as a share of that of a
/// plain match in one question: up to (K1 + 1) / 1, for a word every field
/// repeats.
pub(crate) fn share_of_plain_match(frequency: f32) -> f32 {
    let saturate = |f: f32| f * (K1 + 1.0) / (f + K1);
    saturate(frequency) / saturate(QUESTION_FIELD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_shares_saturate_and_a_plain_question_match_is_one() {
        assert!((share_of_plain_match(QUESTION_FIELD) - 1.0).abs() < 1e-6);
        // More evidence adds less and less, never beyond K1 + 1.
        let (one, two, many) = (
            share_of_plain_match(1.0),
            share_of_plain_match(2.0),
            share_of_plain_match(100.0),
        );
        assert!(one < two && two - one < one);
        assert!(many < K1 + 1.0);
        // A word only in an answer of average length is weaker evidence.
        let answer_only = share_of_plain_match(ANSWER_FIELD);
        assert!(answer_only > 0.4 && answer_only < 0.8, "{answer_only}");
    }
}
