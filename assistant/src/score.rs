//! Scoring an entry against a question: weighted coverage of the question's
//! words by the entry's best-matching question, blended with how much of
//! that stored question the user's words account for.

use crate::index::{EntryTerms, Index, QueryTerm, TermId};
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

/// Confidence in [0, 1] that `entry` answers the question made of `query`.
pub(crate) fn score_entry(index: &Index, entry: &EntryTerms, query: &[QueryTerm]) -> f32 {
    let query_weight: f32 = query.iter().map(|t| t.weight).sum();
    if query.is_empty() || query_weight <= 0.0 {
        return 0.0;
    }
    // best[q][i]: how well query term i matches some word of question q.
    let best: Vec<Vec<f32>> = entry
        .questions
        .iter()
        .map(|q| best_matches(index, query, q.iter().map(|&(t, _)| t), 0.0))
        .collect();
    // Answers talk about "items" in general: a specific product matching
    // that is no evidence, so only exact words and synonyms count there.
    let in_answer = best_matches(index, query, entry.answer.iter().copied(), SYNONYM_STRENGTH);

    let mut top = 0.0f32;
    for (qi, question) in entry.questions.iter().enumerate() {
        let (by_query, by_question) = assign(index, query, question);
        let covered: f32 = query
            .iter()
            .enumerate()
            .map(|(i, term)| {
                let elsewhere = best
                    .iter()
                    .enumerate()
                    .filter(|&(other, _)| other != qi)
                    .map(|(_, row)| row[i] * OTHER_QUESTION)
                    .fold(0.0, f32::max);
                term.weight * by_query[i].max(elsewhere).max(in_answer[i] * ANSWER)
            })
            .sum();
        let query_cov = covered / query_weight;

        let question_weight: f32 = question.iter().map(|&(_, w)| w).sum();
        let question_cov = question
            .iter()
            .zip(&by_question)
            .map(|(&(_, w), m)| w * m)
            .sum::<f32>()
            / question_weight.max(f32::EPSILON);

        top = top.max(QUERY_SHARE * query_cov + (1.0 - QUERY_SHARE) * question_cov);
    }
    top.clamp(0.0, 1.0)
}

/// How well `term` matches `word`: the relation's strength times how sure we
/// are of the term's reading; relations weaker than `min_relation` count 0.
fn strength(index: &Index, term: &QueryTerm, word: TermId, min_relation: f32) -> f32 {
    let mut best = 0.0f32;
    for &(candidate, sure) in &term.candidates {
        let relation = index.relation(candidate, word);
        if relation > 0.0 && relation >= min_relation {
            best = best.max(sure * relation);
        }
    }
    best
}

/// Per query term, its best match among `words` (words may be reused).
fn best_matches(
    index: &Index,
    query: &[QueryTerm],
    words: impl Iterator<Item = TermId> + Clone,
    min_relation: f32,
) -> Vec<f32> {
    query
        .iter()
        .map(|term| {
            words
                .clone()
                .map(|w| strength(index, term, w, min_relation))
                .fold(0.0, f32::max)
        })
        .collect()
}

/// One-to-one matching between query terms and the question's words,
/// strongest pairs first, so that one stored word cannot vouch for two of
/// the user's words (a typo reading and the real word).
fn assign(index: &Index, query: &[QueryTerm], question: &[(TermId, f32)]) -> (Vec<f32>, Vec<f32>) {
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (i, term) in query.iter().enumerate() {
        for (j, &(word, _)) in question.iter().enumerate() {
            let s = strength(index, term, word, 0.0);
            if s > 0.0 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut by_query = vec![0.0; query.len()];
    let mut by_question = vec![0.0; question.len()];
    for (s, i, j) in pairs {
        if by_query[i] == 0.0 && by_question[j] == 0.0 {
            by_query[i] = s;
            by_question[j] = s;
        }
    }
    (by_query, by_question)
}
