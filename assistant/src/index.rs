//! What the engine knows about words: how rare each one is in this knowledge
//! base (IDF), which words are related, and how to read a misspelt word as a
//! known one. Words are interned as numbers once, at parse time, so that
//! answering compares integers instead of strings.

use crate::hash::FastMap;
use crate::kb::EntryText;
use crate::lexicon::places::PLACES;
use crate::lexicon::{
    GENERIC_GOODS, GENERIC_STRENGTH, RELATED, RELATED_STRENGTH, SPECIFIC_GOODS, STOP_WORDS,
    SYNONYMS, SYNONYM_STRENGTH,
};
use crate::text::{self, Token, Vocabulary, WordId};

/// Match strength of a word read through one typo, and through two.
const ONE_TYPO: f32 = 0.85;
const TWO_TYPOS: f32 = 0.7;
/// Weight of a number, about that of the commonest words.
const NUMBER_WEIGHT: f32 = 0.5;
/// A word the knowledge base does not know weighs as one used by this share of its
/// entries: it lowers the confidence (the question may be about something else) but
/// less than a telling word raises it, so that one unexpected word ("quickly",
/// "window") does not sink a good match. A question made mostly of unknown words still
/// scores low.
const UNKNOWN_AS_SHARE: f32 = 0.05;
/// BM25's length normalisation of answers: a word is weaker evidence in a long answer,
/// which mentions many things, than in a short one.
const ANSWER_B: f32 = 0.3;

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

/// What scoring needs of an entry beyond where it uses each term.
#[derive(Debug, Clone)]
pub(crate) struct EntryTerms {
    /// Per question: the sum of its distinct terms' weights.
    pub question_weights: Vec<f32>,
    /// BM25's length factor of the answer: 1 for an answer of average length.
    pub answer_norm: f32,
}

/// Where an entry uses a term.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Use {
    /// The entry's position in the knowledge base.
    pub entry: u32,
    /// Which of its questions, or [`IN_ANSWER`].
    pub question: u32,
    /// The term's position among the question's terms (0 in the answer).
    pub position: u32,
}

/// [`Use::question`] of a term in the entry's answer: after all its questions.
pub(crate) const IN_ANSWER: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub(crate) struct Index {
    ids: FastMap<String, TermId>,
    /// Per term: its weight (see [`Index::build`]).
    weights: Vec<f32>,
    /// Per term: related terms sorted by id, with the relation's strength.
    related: Vec<Vec<(TermId, f32)>>,
    /// Per term: where entries use it, in knowledge-base order and each
    /// entry's questions before its answer, so that a question is scored only
    /// against what it can match.
    postings: Vec<Vec<Use>>,
    /// Weight of a word nobody uses: lower than a rare known word's (see
    /// [`UNKNOWN_AS_SHARE`]).
    unknown_weight: f32,
    /// Every known spelling (surface form or stem) and the term it means,
    /// shortest first, for typo correction.
    spellings: Vec<(Spelling, TermId)>,
    /// Stop words long enough to be misspelt ("shoud").
    stop_spellings: Vec<Spelling>,
    /// Per entry, in knowledge-base order.
    pub entries: Vec<EntryTerms>,
}

impl Index {
    pub fn build(entries: &[EntryText], vocabulary: &Vocabulary) -> Self {
        let mut index = Index {
            ids: FastMap::default(),
            weights: Vec::new(),
            related: Vec::new(),
            postings: Vec::new(),
            unknown_weight: 0.0,
            spellings: Vec::new(),
            stop_spellings: Vec::new(),
            entries: Vec::new(),
        };

        // Knowledge-base words, and where each entry uses them.
        let mut reading = Reading::new(vocabulary);
        for (entry, at) in entries.iter().zip(0..) {
            for (question, words) in (0..).zip(&entry.questions) {
                for (position, &word) in (0..).zip(words) {
                    let id = reading.read(&mut index, word);
                    index.postings[id as usize].push(Use {
                        entry: at,
                        question,
                        position,
                    });
                }
            }
            for &word in &entry.answer {
                let id = reading.read(&mut index, word);
                index.postings[id as usize].push(Use {
                    entry: at,
                    question: IN_ANSWER,
                    position: 0,
                });
            }
        }
        let mut spellings = reading.spellings();

        for (groups, strength) in [(SYNONYMS, SYNONYM_STRENGTH), (RELATED, RELATED_STRENGTH)] {
            for group in groups {
                for (i, a) in group.iter().enumerate() {
                    for b in &group[i + 1..] {
                        index.relate(a, b, strength);
                    }
                }
            }
        }
        // A place is its country for a question ("Toronto" ~ "Canada"), not its neighbour;
        // and, for a shop in the US, abroad ("Toronto" ~ "international"), more loosely.
        for &(country, places) in PLACES {
            for place in places {
                index.relate(country, place, SYNONYM_STRENGTH);
                for abroad in ["international", "abroad", "outside", "overseas", "foreign"] {
                    index.relate(abroad, place, RELATED_STRENGTH);
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
            .chain(RELATED)
            .flat_map(|g| g.iter())
            .chain(PLACES.iter().flat_map(|(_, places)| places.iter()))
            .chain(SPECIFIC_GOODS)
            .chain(GENERIC_GOODS)
        {
            let id = index.intern(&text::stem(word));
            spellings.entry(word).or_insert(id);
        }
        let terms = index.ids.len();
        index.related.resize(terms, Vec::new());
        for list in &mut index.related {
            list.sort_by_key(|(t, _)| *t);
        }

        // BM25's IDF over entries. Lexicon-only words borrow the weight of
        // their most common relative in the knowledge base ("parcel" weighs
        // like "package"); words unknown to both weigh as [`UNKNOWN_AS_SHARE`]
        // says.
        let doc_freq: Vec<u32> = index
            .postings
            .iter()
            .map(|uses| uses.chunk_by(|a, b| a.entry == b.entry).count() as u32)
            .collect();
        let docs = entries.len() as f32;
        let idf = |df: f32| (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
        index.unknown_weight = idf((docs * UNKNOWN_AS_SHARE).max(1.0));
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
                    idf(doc_freq[id] as f32)
                } else {
                    let relative = index.related[id]
                        .iter()
                        .map(|&(t, _)| doc_freq[t as usize])
                        .max();
                    relative
                        .filter(|&df| df > 0)
                        .map_or(index.unknown_weight, |df| idf(df as f32))
                }
            })
            .collect();

        let mut spellings: Vec<(Spelling, TermId)> = spellings
            .into_iter()
            .map(|(s, id)| (Spelling::new(s), id))
            .collect();
        // Shortest first, then alphabetical: the order in which equally near
        // corrections are listed. Spellings are unique, so the order is total.
        spellings.sort_unstable_by(|(a, _), (b, _)| {
            let (a, b) = (&a.chars, &b.chars);
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        });
        index.spellings = spellings;
        index.stop_spellings = STOP_WORDS
            .iter()
            .map(|w| Spelling::new(w))
            .filter(|w| text::allowed_edits(w.chars.len()) > 0)
            .collect();

        let average_answer =
            entries.iter().map(|e| e.answer.len()).sum::<usize>() as f32 / docs.max(1.0);
        index.entries = entries
            .iter()
            .map(|entry| EntryTerms {
                answer_norm: 1.0 - ANSWER_B
                    + ANSWER_B * entry.answer.len() as f32 / average_answer.max(1.0),
                question_weights: entry
                    .questions
                    .iter()
                    .map(|q| q.iter().map(|&w| index.weight(reading.term(w))).sum())
                    .collect(),
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
        self.postings.push(Vec::new());
        id
    }

    pub fn weight(&self, id: TermId) -> f32 {
        self.weights[id as usize]
    }

    /// Terms related to `id`, sorted by id, with the relation's strength.
    pub fn related(&self, id: TermId) -> &[(TermId, f32)] {
        &self.related[id as usize]
    }

    /// Where entries use `id`.
    pub fn uses(&self, id: TermId) -> &[Use] {
        &self.postings[id as usize]
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
        let surface = Spelling::new(&token.surface);
        let stem = Spelling::new(&token.stem);
        let (surface_len, stem_len) = (surface.chars.len(), stem.chars.len());
        let (shortest, longest) = (stem_len.min(surface_len), stem_len.max(surface_len));
        let mut best = usize::MAX;
        let mut candidates: Vec<TermId> = Vec::new();
        // Spellings are sorted by length; only those within two letters of
        // the word can be close enough.
        let first = self
            .spellings
            .partition_point(|(s, _)| s.chars.len() + 2 < shortest);
        for (spelling, id) in &self.spellings[first..] {
            if spelling.chars.len() > longest + 2 {
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

/// The knowledge base's words as the index reads them, entry after entry:
/// which term each word means, and when its spellings were last read.
struct Reading<'v> {
    vocabulary: &'v Vocabulary,
    /// Per word: the term it means and when it was last read (as the number
    /// of words read before), once read.
    words: Vec<Option<(TermId, u32)>>,
    /// Per term read: a word with its stem, and when the stem was last read.
    stems: Vec<(WordId, u32)>,
    read: u32,
}

impl<'v> Reading<'v> {
    fn new(vocabulary: &'v Vocabulary) -> Self {
        Reading {
            vocabulary,
            words: vec![None; vocabulary.len()],
            stems: Vec::new(),
            read: 0,
        }
    }

    /// Reads the next word of the knowledge base; returns its term. Terms are
    /// interned as the knowledge base first uses them, before the lexicon's.
    fn read(&mut self, index: &mut Index, word: WordId) -> TermId {
        let id = match self.words[word as usize] {
            Some((id, _)) => id,
            None => index.intern(&self.vocabulary.token(word).stem),
        };
        self.words[word as usize] = Some((id, self.read));
        match self.stems.get_mut(id as usize) {
            Some(stem) => stem.1 = self.read,
            None => self.stems.push((word, self.read)),
        }
        self.read += 1;
        id
    }

    /// The term of a word read.
    fn term(&self, word: WordId) -> TermId {
        self.words[word as usize]
            .expect("every word of the entries is read first")
            .0
    }

    /// Every spelling read (words as written and their stems) and the term it
    /// means. A string can be both a word and another word's stem, meaning
    /// different terms ("cris" is read as "cri", and is the stem of
    /// "crises"): the one read last counts.
    fn spellings(&self) -> FastMap<&'v str, TermId> {
        let mut latest: FastMap<&str, (TermId, u32)> = FastMap::default();
        let mut offer = |spelling: &'v str, id: TermId, read: u32| {
            let kept = latest.entry(spelling).or_insert((id, read));
            if read > kept.1 {
                *kept = (id, read);
            }
        };
        for (word, read) in (0..).zip(&self.words) {
            if let Some((id, read)) = *read {
                offer(&self.vocabulary.token(word).surface, id, read);
            }
        }
        for (id, &(word, read)) in (0..).zip(&self.stems) {
            offer(&self.vocabulary.token(word).stem, id, read);
        }
        latest
            .into_iter()
            .map(|(spelling, (id, _))| (spelling, id))
            .collect()
    }
}

enum Correction {
    Filler,
    Unknown,
    Known(Vec<(TermId, f32)>),
}

/// A spelling ready for typo checks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spelling {
    chars: Vec<char>,
    /// Its letters as a set: one of 64 bits per letter (a few letters share one).
    letters: u64,
}

impl Spelling {
    fn new(word: &str) -> Self {
        let chars: Vec<char> = word.chars().collect();
        let letters = chars.iter().fold(0, |set, &c| set | 1 << (c as u32 % 64));
        Spelling { chars, letters }
    }
}

/// Edit distance if it is within what the shorter word tolerates, else MAX.
fn typo_distance(a: &Spelling, b: &Spelling) -> usize {
    let (letters, a, b) = ((a.letters, b.letters), &a.chars, &b.chars);
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
    // Rules out most known words at the cost of a few instructions.
    if fewest_edits(letters) > allowed {
        return usize::MAX;
    }
    text::edit_distance_within(a, b, allowed).unwrap_or(usize::MAX)
}

/// At most the edit distance between two words with these letter sets: each
/// letter that one has and the other lacks takes an edit of its own (a swap
/// adds or removes none).
fn fewest_edits((a, b): (u64, u64)) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
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
        let parsed = kb::parse(include_str!("../knowledge-base.json")).unwrap();
        Index::build(&parsed.texts, &parsed.vocabulary)
    }

    /// Stems the question's words were read as; "?" for unknown words.
    fn read(index: &Index, question: &str) -> Vec<String> {
        let by_id: std::collections::HashMap<TermId, &String> =
            index.ids.iter().map(|(s, &id)| (id, s)).collect();
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
        assert_eq!(read(&index, "warrenty"), ["warranti"]);
        assert_eq!(read(&index, "szie"), ["size"]);
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
    fn unknown_words_weigh_less_than_rare_words_and_numbers_least() {
        let index = demo_index();
        let terms = index.resolve(&text::tokens("bicycle order warranty 50"));
        assert_eq!(terms[0].weight, index.unknown_weight);
        // "order" is in many entries, "warranty" in one: an unknown word
        // weighs between them, so it lowers a match without sinking it.
        assert!(terms[1].weight < terms[0].weight);
        assert!(terms[0].weight < terms[2].weight);
        assert_eq!(terms[3].weight, NUMBER_WEIGHT);
    }

    #[test]
    fn answers_are_length_normalised() {
        let parsed = kb::parse(
            r#"{"entries": [
            {"id": "a", "questions": ["first topic"], "answer": "short answer"},
            {"id": "b", "questions": ["second topic"], "answer": "a much longer answer with many more words in it"}
        ]}"#,
        )
        .unwrap();
        let index = Index::build(&parsed.texts, &parsed.vocabulary);
        let (short, long) = (index.entries[0].answer_norm, index.entries[1].answer_norm);
        assert!(short < 1.0 && 1.0 < long, "{short} {long}");
    }

    /// 1 for the same term, the relation's strength for related terms, else 0.
    fn relation(index: &Index, a: TermId, b: TermId) -> f32 {
        if a == b {
            return 1.0;
        }
        let list = index.related(a);
        list.binary_search_by_key(&b, |&(t, _)| t)
            .map_or(0.0, |i| list[i].1)
    }

    #[test]
    fn letter_sets_never_count_more_edits_than_needed() {
        let index = demo_index();
        let words: Vec<&Spelling> = index.spellings.iter().map(|(s, _)| s).collect();
        for a in &words {
            for b in &words {
                if let Some(d) = text::edit_distance_within(&a.chars, &b.chars, 3) {
                    assert!(fewest_edits((a.letters, b.letters)) <= d, "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn relations_are_symmetric_and_graded() {
        let index = demo_index();
        let id = |w: &str| index.ids[&text::stem(w)];
        assert_eq!(
            relation(&index, id("parcel"), id("package")),
            SYNONYM_STRENGTH
        );
        assert_eq!(
            relation(&index, id("package"), id("parcel")),
            SYNONYM_STRENGTH
        );
        // Returning a thing and getting money back are different questions.
        assert_eq!(
            relation(&index, id("refund"), id("return")),
            RELATED_STRENGTH
        );
        // A place is its country, not its neighbour.
        assert_eq!(
            relation(&index, id("toronto"), id("canada")),
            SYNONYM_STRENGTH
        );
        assert_eq!(relation(&index, id("toronto"), id("london")), 0.0);
        assert_eq!(relation(&index, id("boot"), id("item")), GENERIC_STRENGTH);
        assert_eq!(relation(&index, id("boot"), id("tent")), 0.0);
        assert_eq!(relation(&index, id("tent"), id("tent")), 1.0);
    }
}
