//! What the engine knows about words: how rare each one is in this knowledge
//! base (IDF), which words are related, and how to read a misspelt word as a
//! known one. Words are interned as numbers once, at parse time, so that
//! answering compares integers instead of strings.

use std::collections::BTreeMap;

use crate::kb::Entry;
use crate::lexicon::{
    GENERIC_GOODS, GENERIC_STRENGTH, SPECIFIC_GOODS, STOP_WORDS, SYNONYMS, SYNONYM_STRENGTH,
};
use crate::text::{self, Token};

/// Match strength of a word read through one typo, and through two.
const ONE_TYPO: f32 = 0.85;
const TWO_TYPOS: f32 = 0.7;
/// Weight of a number, about that of the commonest words.
const NUMBER_WEIGHT: f32 = 0.5;

/// A known stem (from the knowledge base or the lexicon), interned.
pub(crate) type TermId = u32;

/// A word of the question, ready for scoring.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerm {
    /// Known stems this word may stand for, with how sure we are (1.0 unless
    /// it was read as a typo). Empty for a word the knowledge base does not
    /// know: it can match nothing but still weighs in.
    pub candidates: Vec<(TermId, f32)>,
    /// Importance of the word: rare words decide the topic.
    pub weight: f32,
}

/// An entry's words as term ids, with their weights.
#[derive(Debug, Clone)]
pub(crate) struct EntryTerms {
    /// Per question: its distinct terms and their weights.
    pub questions: Vec<Vec<(TermId, f32)>>,
    /// Distinct terms of the answer.
    pub answer: Vec<TermId>,
}

#[derive(Debug, Clone)]
pub(crate) struct Index {
    ids: BTreeMap<String, TermId>,
    /// Per term: its weight (see [`Index::build`]).
    weights: Vec<f32>,
    /// Per term: related terms sorted by id, with the relation's strength.
    related: Vec<Vec<(TermId, f32)>>,
    /// Weight of a word nobody uses; the highest there is.
    unknown_weight: f32,
    /// Every known spelling (surface form or stem) and the term it means,
    /// shortest first, for typo correction.
    spellings: Vec<(Vec<char>, TermId)>,
    /// Stop words long enough to be misspelt ("shoud").
    stop_spellings: Vec<Vec<char>>,
    /// Per entry, in knowledge-base order.
    pub entries: Vec<EntryTerms>,
}

impl Index {
    pub fn build(entries: &[Entry]) -> Self {
        let mut index = Index {
            ids: BTreeMap::new(),
            weights: Vec::new(),
            related: Vec::new(),
            unknown_weight: 0.0,
            spellings: Vec::new(),
            stop_spellings: Vec::new(),
            entries: Vec::new(),
        };
        let mut spellings: BTreeMap<String, TermId> = BTreeMap::new();

        // Knowledge-base words, and in how many entries each appears.
        let mut doc_freq: Vec<u32> = Vec::new();
        for entry in entries {
            let mut seen: Vec<TermId> = Vec::new();
            for token in entry.questions.iter().flatten().chain(&entry.answer_tokens) {
                let id = index.intern(&token.stem);
                spellings.insert(token.surface.clone(), id);
                spellings.insert(token.stem.clone(), id);
                if !seen.contains(&id) {
                    seen.push(id);
                    doc_freq.resize(index.ids.len(), 0);
                    doc_freq[id as usize] += 1;
                }
            }
        }

        for group in SYNONYMS {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    index.relate(a, b, SYNONYM_STRENGTH);
                }
            }
        }
        for specific in SPECIFIC_GOODS {
            for generic in GENERIC_GOODS {
                index.relate(specific, generic, GENERIC_STRENGTH);
            }
        }
        // Lexicon words are real words too: "parcel" must not be read as a
        // typo of something in the knowledge base.
        for word in SYNONYMS
            .iter()
            .flat_map(|g| g.iter())
            .chain(SPECIFIC_GOODS)
            .chain(GENERIC_GOODS)
        {
            let id = index.intern(&text::stem(word));
            spellings.entry(word.to_string()).or_insert(id);
        }
        let terms = index.ids.len();
        index.related.resize(terms, Vec::new());
        for list in &mut index.related {
            list.sort_by_key(|(t, _)| *t);
        }
        doc_freq.resize(terms, 0);

        // Smoothed IDF over entries: a word no entry uses gets the highest
        // weight, so an unknown topic word ("bicycles") pulls the confidence
        // down hard. Lexicon-only words borrow the weight of their most
        // common relative in the knowledge base ("parcel" weighs like
        // "package").
        let docs = entries.len() as f32;
        let idf = |df: u32| ((docs + 1.0) / (df as f32 + 0.5)).ln();
        index.unknown_weight = idf(0);
        let mut by_id: Vec<&str> = vec![""; terms];
        for (stem, &id) in &index.ids {
            by_id[id as usize] = stem;
        }
        index.weights = (0..terms)
            .map(|id| {
                if by_id[id].bytes().all(|b| b.is_ascii_digit()) {
                    // Quantities ("50 jackets") rarely decide the topic.
                    NUMBER_WEIGHT
                } else if doc_freq[id] > 0 {
                    idf(doc_freq[id])
                } else {
                    let relative = index.related[id]
                        .iter()
                        .map(|&(t, _)| doc_freq[t as usize])
                        .max();
                    idf(relative.unwrap_or(0))
                }
            })
            .collect();

        index.spellings = spellings
            .into_iter()
            .map(|(s, id)| (s.chars().collect(), id))
            .collect();
        index.spellings.sort_by_key(|(chars, _)| chars.len());
        index.stop_spellings = STOP_WORDS
            .iter()
            .map(|w| w.chars().collect::<Vec<char>>())
            .filter(|w| text::allowed_edits(w.len()) > 0)
            .collect();

        index.entries = entries
            .iter()
            .map(|entry| {
                let questions = entry
                    .questions
                    .iter()
                    .map(|q| {
                        q.iter()
                            .map(|t| index.ids[&t.stem])
                            .map(|id| (id, index.weight(id)))
                            .collect()
                    })
                    .collect();
                let mut answer: Vec<TermId> = entry
                    .answer_tokens
                    .iter()
                    .map(|t| index.ids[&t.stem])
                    .collect();
                answer.sort_unstable();
                answer.dedup();
                EntryTerms { questions, answer }
            })
            .collect();
        index
    }

    /// Records that `a` and `b` (plain words) are related, both ways.
    fn relate(&mut self, a: &str, b: &str, strength: f32) {
        let (a, b) = (text::stem(a), text::stem(b));
        if a == b {
            return;
        }
        let (a, b) = (self.intern(&a), self.intern(&b));
        self.related.resize(self.ids.len(), Vec::new());
        for (from, to) in [(a, b), (b, a)] {
            let list = &mut self.related[from as usize];
            match list.iter_mut().find(|(t, _)| *t == to) {
                Some(existing) => existing.1 = existing.1.max(strength),
                None => list.push((to, strength)),
            }
        }
    }

    fn intern(&mut self, stem: &str) -> TermId {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = self.ids.len() as TermId;
        self.ids.insert(stem.to_owned(), id);
        id
    }

    pub fn weight(&self, id: TermId) -> f32 {
        self.weights[id as usize]
    }

    /// 1 for the same term, the relation's strength for related terms, else 0.
    pub fn relation(&self, a: TermId, b: TermId) -> f32 {
        if a == b {
            return 1.0;
        }
        let list = &self.related[a as usize];
        list.binary_search_by_key(&b, |&(t, _)| t)
            .map_or(0.0, |i| list[i].1)
    }

    /// Turns question tokens into scoring terms: known words as they are,
    /// unknown ones read as the closest known spelling when one is near
    /// enough, misspelt filler words ("shoud") dropped.
    pub fn resolve(&self, tokens: &[Token]) -> Vec<QueryTerm> {
        let written: Vec<TermId> = tokens
            .iter()
            .filter_map(|t| self.ids.get(&t.stem).copied())
            .collect();
        let mut terms: Vec<QueryTerm> = Vec::with_capacity(tokens.len());
        let mut unknown: Vec<&str> = Vec::new();
        for token in tokens {
            let candidates = match self.ids.get(&token.stem) {
                Some(&id) => vec![(id, 1.0)],
                None => match self.correct(token) {
                    Correction::Filler => continue,
                    Correction::Known(mut candidates) => {
                        // A word the user also wrote correctly is not what
                        // this one meant: in "rents and tents", "rents" is
                        // no typo.
                        candidates.retain(|(id, _)| !written.contains(id));
                        candidates
                    }
                    Correction::Unknown => Vec::new(),
                },
            };
            if candidates.is_empty() {
                if !unknown.contains(&token.stem.as_str()) {
                    unknown.push(&token.stem);
                    terms.push(QueryTerm {
                        candidates,
                        weight: self.unknown_weight,
                    });
                }
                continue;
            }
            let weight = candidates
                .iter()
                .map(|&(id, _)| self.weight(id))
                .sum::<f32>()
                / candidates.len() as f32;
            if !terms.iter().any(|t| t.candidates == candidates) {
                terms.push(QueryTerm { candidates, weight });
            }
        }
        terms
    }

    fn correct(&self, token: &Token) -> Correction {
        let surface: Vec<char> = token.surface.chars().collect();
        let stem: Vec<char> = token.stem.chars().collect();
        let (shortest, longest) = (stem.len().min(surface.len()), stem.len().max(surface.len()));
        let mut best = usize::MAX;
        let mut candidates: Vec<TermId> = Vec::new();
        // Spellings are sorted by length; only those within two letters of
        // the word can be close enough.
        let first = self
            .spellings
            .partition_point(|(s, _)| s.len() + 2 < shortest);
        for (spelling, id) in &self.spellings[first..] {
            if spelling.len() > longest + 2 {
                break;
            }
            let mut d = typo_distance(&surface, spelling);
            if stem != surface {
                d = d.min(typo_distance(&stem, spelling));
            }
            if d < best {
                best = d;
                candidates.clear();
            }
            if d == best && d != usize::MAX && !candidates.contains(id) {
                candidates.push(*id);
            }
        }
        let stop = self
            .stop_spellings
            .iter()
            .map(|w| typo_distance(&surface, w))
            .min()
            .unwrap_or(usize::MAX);
        if stop != usize::MAX && stop <= best {
            return Correction::Filler;
        }
        if best == usize::MAX {
            return Correction::Unknown;
        }
        let strength = if best <= 1 { ONE_TYPO } else { TWO_TYPOS };
        Correction::Known(candidates.into_iter().map(|id| (id, strength)).collect())
    }
}

enum Correction {
    Filler,
    Unknown,
    Known(Vec<(TermId, f32)>),
}

/// Edit distance if it is within what the shorter word tolerates, else MAX.
fn typo_distance(a: &[char], b: &[char]) -> usize {
    let shorter = a.len().min(b.len());
    let allowed = text::allowed_edits(shorter);
    if allowed == 0 {
        return usize::MAX;
    }
    // Too many real four-letter words are one letter apart ("rent"/"tent",
    // "bike"/"like", "site"/"size"); at that length only a swap of two
    // letters ("tkae") is taken for a typo.
    if shorter <= 4 && !is_swap(a, b) {
        return usize::MAX;
    }
    text::edit_distance_within(a, b, allowed).unwrap_or(usize::MAX)
}

/// Same letters, two neighbours swapped.
fn is_swap(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = (0..a.len()).filter(|&i| a[i] != b[i]);
    match (diff.next(), diff.next(), diff.next()) {
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb;

    fn demo_index() -> Index {
        Index::build(&kb::parse(include_str!("../knowledge-base.json")).unwrap())
    }

    /// Stems the question's words were read as; "?" for unknown words.
    fn read(index: &Index, question: &str) -> Vec<String> {
        let by_id: BTreeMap<TermId, &String> = index.ids.iter().map(|(s, &id)| (id, s)).collect();
        index
            .resolve(&text::tokens(question))
            .iter()
            .map(|t| {
                let names: Vec<&str> = t
                    .candidates
                    .iter()
                    .map(|(id, _)| by_id[id].as_str())
                    .collect();
                if names.is_empty() {
                    "?".to_owned()
                } else {
                    names.join("/")
                }
            })
            .collect()
    }

    #[test]
    fn typos_are_read_as_known_words() {
        let index = demo_index();
        assert_eq!(read(&index, "retrun"), ["return"]);
        assert_eq!(read(&index, "pasword"), ["password"]);
        assert_eq!(read(&index, "warrenty"), ["warranty"]);
        assert_eq!(read(&index, "szie"), ["siz"]);
    }

    #[test]
    fn real_short_words_are_not_typos() {
        let index = demo_index();
        // One letter from "tent", "like", "came", but real words.
        assert_eq!(read(&index, "rent bike camp"), ["?", "?", "?"]);
    }

    #[test]
    fn misspelt_filler_is_dropped_and_lexicon_words_kept() {
        let index = demo_index();
        assert_eq!(read(&index, "shoud tkae parcel"), ["parcel"]);
    }

    #[test]
    fn unknown_words_weigh_most_and_numbers_least() {
        let index = demo_index();
        let terms = index.resolve(&text::tokens("bicycle order 50"));
        assert_eq!(terms[0].weight, index.unknown_weight);
        assert!(terms[1].weight < terms[0].weight);
        assert_eq!(terms[2].weight, NUMBER_WEIGHT);
    }

    #[test]
    fn relations_are_symmetric_and_graded() {
        let index = demo_index();
        let id = |w: &str| index.ids[&text::stem(w)];
        assert_eq!(index.relation(id("refund"), id("return")), SYNONYM_STRENGTH);
        assert_eq!(index.relation(id("return"), id("refund")), SYNONYM_STRENGTH);
        assert_eq!(index.relation(id("boot"), id("item")), GENERIC_STRENGTH);
        assert_eq!(index.relation(id("boot"), id("tent")), 0.0);
        assert_eq!(index.relation(id("tent"), id("tent")), 1.0);
    }
}
