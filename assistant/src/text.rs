//! Text handling shared by the knowledge base and the questions: normalising,
//! phrase rewriting, stop words, stemming and edit distance. Both sides go
//! through the same pipeline so that their tokens are comparable.

use std::sync::OnceLock;

use crate::language::Language;

use crate::hash::{FastMap, FastSet};
use crate::lexicon::{PHRASES, STOP_WORDS};

/// A content word: its normalised surface form (kept for typo matching) and
/// its stem (used for everything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub surface: String,
    pub stem: String,
}

/// [`Vocabulary::tokens`] of one English text, as words.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    tokens_in(text, Language::English)
}

/// [`Vocabulary::tokens`] of one text, as words, stemmed for `language`.
pub(crate) fn tokens_in(text: &str, language: Language) -> Vec<Token> {
    let mut vocabulary = Vocabulary::new(language);
    let ids = vocabulary.tokens(text);
    ids.into_iter()
        .map(|id| vocabulary.token(id).clone())
        .collect()
}

/// Position of a distinct word in a [`Vocabulary`].
pub(crate) type WordId = u32;

/// A distinct word, as the pipeline needs it.
#[derive(Debug, Clone)]
struct Word {
    token: Token,
    /// Position of its stem among the vocabulary's distinct stems.
    stem: u32,
    /// A stop word, which phrases may skip between their words.
    stop: bool,
    /// A number, which phrases may skip too: "within 60 days" reads as "within days".
    number: bool,
    /// Kept once phrases are rewritten: neither it nor its stem is a stop
    /// word, and it has more than one letter.
    content: bool,
    /// Positions in [`PHRASES`] of the phrases that start with its stem.
    phrases: &'static [usize],
}

/// The distinct words of many texts, each worked out once (its stem, whether
/// it is a stop word): a knowledge base uses a few thousand words over and
/// over, and doing that for every occurrence was most of an index's build time.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    ids: FastMap<String, WordId>,
    words: Vec<Word>,
    stems: FastMap<String, u32>,
    /// Per stem: the last text that used it (counting from 1), to drop repeats.
    last_text: Vec<u32>,
    texts: u32,
    /// Whose stemmer reads the words.
    language: Language,
}

impl Vocabulary {
    pub fn new(language: Language) -> Self {
        Vocabulary {
            language,
            ..Vocabulary::default()
        }
    }

    /// Full pipeline: normalise, rewrite phrases, drop stop words and
    /// one-letter words, stem. Duplicates are removed (first occurrence wins)
    /// because a repeated word should not count twice.
    pub fn tokens(&mut self, text: &str) -> Vec<WordId> {
        let mut words = Vec::new();
        for_each_word(text, |word| words.push(self.id(word)));
        let words = self.rewrite_phrases(&words);
        self.texts += 1;
        words
            .into_iter()
            .filter(|&id| self.words[id as usize].content && self.first_in_text(id))
            .collect()
    }

    /// The word's surface form and stem.
    pub fn token(&self, id: WordId) -> &Token {
        &self.words[id as usize].token
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True the first time the current text uses the word's stem.
    fn first_in_text(&mut self, id: WordId) -> bool {
        let stem = self.words[id as usize].stem as usize;
        let first = self.last_text[stem] != self.texts;
        self.last_text[stem] = self.texts;
        first
    }

    fn id(&mut self, word: &str) -> WordId {
        match self.ids.get(word) {
            Some(&id) => id,
            None => self.add(word),
        }
    }

    fn add(&mut self, surface: &str) -> WordId {
        let token = Token {
            stem: stem_in(surface, self.language),
            surface: surface.to_owned(),
        };
        let stop = is_stop_word(surface);
        let number = surface.bytes().all(|b| b.is_ascii_digit());
        // "says" is as empty as "say".
        let content = surface.chars().nth(1).is_some() && !stop && !is_stop_word(&token.stem);
        let stems = self.stems.len() as u32;
        let stem = *self.stems.entry(token.stem.clone()).or_insert(stems);
        if stem == stems {
            self.last_text.push(0);
        }
        let phrases = phrases()
            .by_first
            .get(&token.stem)
            .map_or(&[][..], Vec::as_slice);
        let id = self.words.len() as WordId;
        self.ids.insert(surface.to_owned(), id);
        self.words.push(Word {
            token,
            stem,
            stop,
            number,
            content,
            phrases,
        });
        id
    }

    /// Replaces multi-word expressions by one word that carries their
    /// meaning ("how much" → "cost", "send it back" → "return"). Words are
    /// compared by stem so that "sending it back" matches too.
    fn rewrite_phrases(&mut self, words: &[WordId]) -> Vec<WordId> {
        let phrases = &phrases().list;
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            // A phrase starts with its first word (see `match_phrase`); among
            // those that start here, the first in the list wins.
            let starting = self.words[words[i] as usize].phrases;
            let matched = starting
                .iter()
                .find_map(|&at| Some((at, self.match_phrase(words, i, &phrases[at].pattern)?)));
            match matched {
                Some((at, end)) => {
                    for word in &phrases[at].replacement {
                        let id = self.id(word);
                        out.push(id);
                    }
                    i = end;
                }
                None => {
                    out.push(words[i]);
                    i += 1;
                }
            }
        }
        out
    }

    /// If the phrase whose word stems are `pattern` starts at `start`,
    /// returns the index just past its last word.
    fn match_phrase(&self, words: &[WordId], start: usize, pattern: &[String]) -> Option<usize> {
        let mut at = start;
        for (k, part) in pattern.iter().enumerate() {
            let mut skipped = 0;
            loop {
                let word = &self.words[*words.get(at)? as usize];
                if word.token.stem == *part {
                    break;
                }
                // Only the gaps between words may hold stop words (or numbers), not the start.
                if k == 0 || skipped == PHRASE_GAP || !(word.stop || word.number) {
                    return None;
                }
                skipped += 1;
                at += 1;
            }
            at += 1;
        }
        Some(at)
    }
}

/// Lowercases and splits on anything that is not a letter or digit, handing
/// each word to `f`. Apostrophes are removed rather than split on, so
/// "what's" becomes "whats" (a stop word) and "product's" becomes "products".
fn for_each_word(text: &str, f: impl FnMut(&str)) {
    if text.is_ascii() {
        for_each_ascii_word(text, f);
    } else {
        for_each_unicode_word(text, f);
    }
}

/// [`for_each_word`] for ASCII text, the usual case: a word already in lower
/// case and without apostrophes is handed over as it is, without a copy.
fn for_each_ascii_word(text: &str, mut f: impl FnMut(&str)) {
    let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'\'' || b == b'`';
    let bytes = text.as_bytes();
    let mut lowered = String::new();
    let mut start = 0;
    while start < bytes.len() {
        let len = bytes[start..].iter().position(|&b| !in_word(b));
        let end = len.map_or(bytes.len(), |len| start + len);
        let run = &text[start..end];
        if run
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            if !run.is_empty() {
                f(run);
            }
        } else {
            lowered.clear();
            lowered.extend(
                run.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase()),
            );
            if !lowered.is_empty() {
                f(&lowered);
            }
        }
        start = end + 1;
    }
}

fn for_each_unicode_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => {}
            c if c.is_alphanumeric() => word.extend(c.to_lowercase()),
            _ if word.is_empty() => {}
            _ => {
                f(&word);
                word.clear();
            }
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

pub(crate) fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<FastSet<&str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// How many stop words may sit between the words of a phrase
/// ("send it back", "log me in").
const PHRASE_GAP: usize = 2;

/// A phrase of [`PHRASES`], ready to match.
struct Phrase {
    /// Stems of its words.
    pattern: Vec<String>,
    /// The words it is replaced by.
    replacement: Vec<&'static str>,
}

/// [`PHRASES`] ready to match.
struct Phrases {
    list: Vec<Phrase>,
    /// By the stem of their first word, the positions in `list` of the
    /// phrases that start with it (ascending).
    by_first: FastMap<String, Vec<usize>>,
}

fn phrases() -> &'static Phrases {
    static PHRASE_TABLE: OnceLock<Phrases> = OnceLock::new();
    PHRASE_TABLE.get_or_init(|| {
        let list: Vec<Phrase> = PHRASES
            .iter()
            .map(|(pattern, replacement)| Phrase {
                pattern: pattern.split(' ').map(stem).collect(),
                replacement: replacement.split(' ').collect(),
            })
            .collect();
        let mut by_first: FastMap<String, Vec<usize>> = FastMap::default();
        for (at, phrase) in list.iter().enumerate() {
            by_first
                .entry(phrase.pattern[0].clone())
                .or_default()
                .push(at);
        }
        Phrases { list, by_first }
    })
}

/// The word's Snowball (Porter 2) English stem, for the lexicon's words: "shipping",
/// "shipped", "ships" → "ship"; "sizes", "sizing" → "size".
pub(crate) fn stem(word: &str) -> String {
    stem_in(word, Language::English)
}

/// The word's Snowball stem in `language`. Words of three letters or fewer, and words
/// with digits, are kept as they are: stemming them merges more than it helps ("us",
/// "10").
pub(crate) fn stem_in(word: &str, language: Language) -> String {
    if word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
    }
    language.stemmer().stem(word).into_owned()
}

/// Optimal-string-alignment distance if it is at most `max`, else None:
/// insertions, deletions, substitutions and swaps of two neighbouring
/// letters each cost 1 (swaps are the most common typo, "retrun"). Gives up
/// as soon as a whole row exceeds `max`, since typo checks run against every
/// known word.
/// Words longer than this are never taken for typos (no real word is, and
/// it keeps the rows below on the stack).
pub(crate) const MAX_TYPO_WORD: usize = 31;

pub(crate) fn edit_distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max || a.len() > MAX_TYPO_WORD || b.len() > MAX_TYPO_WORD {
        return None;
    }
    // Three rolling rows: the swap rule looks two rows back.
    let mut before = [0usize; MAX_TYPO_WORD + 1];
    let mut previous = [0usize; MAX_TYPO_WORD + 1];
    let mut current = [0usize; MAX_TYPO_WORD + 1];
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= max)
}

/// Edits tolerated for a word of this many letters: none for short words
/// (too many real words are one letter apart), one from 4, two from 8.
pub(crate) fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.stem).collect()
    }

    fn words(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        for_each_word(text, |word| words.push(word.to_owned()));
        words
    }

    #[test]
    fn stop_words_are_sorted_and_unique() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "STOP_WORDS must be sorted and unique"
        );
    }

    #[test]
    fn normalises_case_punctuation_and_apostrophes() {
        assert_eq!(
            words("What's your RETURN-policy?!"),
            ["whats", "your", "return", "policy"]
        );
        assert_eq!(words("Don\u{2019}t  go"), ["dont", "go"]);
        assert_eq!(words("  \t "), Vec::<String>::new());
    }

    #[test]
    fn ascii_text_splits_as_unicode_text_does() {
        for text in [
            "What's your RETURN-policy?!",
            "a'b '' `x` don't it`s",
            "50 jackets, 2XL  and 3x",
            "",
            "  .,;  ",
            "under_score-and/slash",
        ] {
            let (mut ascii, mut unicode) = (Vec::new(), Vec::new());
            for_each_ascii_word(text, |w| ascii.push(w.to_owned()));
            for_each_unicode_word(text, |w| unicode.push(w.to_owned()));
            assert_eq!(ascii, unicode, "{text:?}");
        }
    }

    #[test]
    fn stems_merge_common_forms() {
        for (a, b) in [
            ("shipping", "ship"),
            ("shipped", "ship"),
            ("ships", "ship"),
            ("sizes", "sizing"),
            ("stored", "store"),
            ("refunds", "refunded"),
            ("duties", "duty"),
            ("notified", "notify"),
            ("arrives", "arriving"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} vs {b}");
        }
        assert_eq!(stem("address"), "address");
        assert_eq!(stem("need"), "need");
        assert_eq!(stem("free"), "free");
        assert_eq!(stem("bring"), "bring");
    }

    fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        edit_distance_within(&a, &b, max)
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(distance("retrun", "return", 2), Some(1));
        assert_eq!(distance("shiping", "shipping", 2), Some(1));
        assert_eq!(distance("kitten", "sitting", 5), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("", "abc", 3), Some(3));
        assert_eq!(distance("same", "same", 0), Some(0));
        assert_eq!(distance("abcdef", "badcfe", 3), Some(3));
        assert_eq!(distance("ab", "abcd", 1), None);
    }

    #[test]
    fn phrases_are_rewritten_across_small_gaps() {
        assert_eq!(stems("can I send something back?"), ["return"]);
        assert_eq!(stems("How much is shipping?"), ["cost", "ship"]);
        assert_eq!(stems("when will my order get here"), ["order", "arriv"]);
        // A phrase may not start on a gap.
        assert_eq!(stems("back, send"), ["back", "send"]);
    }

    #[test]
    fn a_time_allowed_is_a_deadline_and_a_duration_is_not() {
        // Numbers may sit in a gap: answers give time limits in numbers of days.
        assert_eq!(
            stems("Return unused items within 60 days."),
            ["return", "unus", "item", "deadlin", "day"]
        );
        assert_eq!(
            stems("how many days do I have to send it back"),
            ["deadlin", "return"]
        );
        assert_eq!(stems("how many days does shipping take"), ["long", "ship"]);
        assert_eq!(
            stems("free on orders over $50"),
            ["free", "order", "minimum", "50"]
        );
    }

    #[test]
    fn stop_words_and_duplicates_are_dropped() {
        assert_eq!(stems("is it the shipping, the shipping?"), ["ship"]);
        assert!(tokens("how do I do it?").is_empty());
    }
}
