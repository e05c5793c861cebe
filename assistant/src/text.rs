//! Text handling shared by the knowledge base and the questions: normalising,
//! phrase rewriting, stop words, stemming and edit distance. Both sides go
//! through the same pipeline so that their tokens are comparable.

use std::sync::OnceLock;

use crate::lexicon::{PHRASES, STOP_WORDS};

/// A content word: its normalised surface form (kept for typo matching) and
/// its stem (used for everything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub surface: String,
    pub stem: String,
}

/// Full pipeline: normalise, rewrite phrases, drop stop words and one-letter
/// words, stem. Duplicates are removed (first occurrence wins) because a
/// repeated word should not count twice.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for word in rewrite_phrases(words(text)) {
        if word.chars().count() < 2 || is_stop_word(&word) {
            continue;
        }
        let stem = stem(&word);
        // "says" is as empty as "say".
        if is_stop_word(&stem) {
            continue;
        }
        if !out.iter().any(|t| t.stem == stem) {
            out.push(Token {
                surface: word,
                stem,
            });
        }
    }
    out
}

/// Lowercases and splits on anything that is not a letter or digit.
/// Apostrophes are removed rather than split on, so "what's" becomes "whats"
/// (a stop word) and "product's" becomes "products".
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => {}
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            _ => cleaned.push(' '),
        }
    }
    cleaned.split_whitespace().map(str::to_owned).collect()
}

pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// How many stop words may sit between the words of a phrase
/// ("send it back", "log me in").
const PHRASE_GAP: usize = 2;

/// Stems of each phrase's words, computed once.
fn phrase_stems() -> &'static [Vec<String>] {
    static STEMS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    STEMS.get_or_init(|| {
        PHRASES
            .iter()
            .map(|(pattern, _)| pattern.split(' ').map(stem).collect())
            .collect()
    })
}

/// Replaces multi-word expressions by one word that carries their meaning
/// ("how much" → "cost", "send it back" → "return"). Words are compared by
/// stem so that "sending it back" matches too.
pub(crate) fn rewrite_phrases(words: Vec<String>) -> Vec<String> {
    let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        for ((_, replacement), pattern) in PHRASES.iter().zip(phrase_stems()) {
            if let Some(end) = match_phrase(&words, &stems, i, pattern) {
                out.extend(replacement.split(' ').map(str::to_owned));
                i = end;
                continue 'outer;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

/// If the phrase whose word stems are `pattern` starts at `start`, returns
/// the index just past its last word.
fn match_phrase(
    words: &[String],
    stems: &[String],
    start: usize,
    pattern: &[String],
) -> Option<usize> {
    let mut at = start;
    for (k, part) in pattern.iter().enumerate() {
        let mut skipped = 0;
        loop {
            let word = words.get(at)?;
            if stems[at] == *part {
                break;
            }
            // Only the gaps between words may hold stop words, not the start.
            if k == 0 || skipped == PHRASE_GAP || !is_stop_word(word) {
                return None;
            }
            skipped += 1;
            at += 1;
        }
        at += 1;
    }
    Some(at)
}

/// Light suffix stripping: enough to merge plurals and common verb forms
/// ("shipping", "shipped", "ships" → "ship"; "store", "stored" → "stor")
/// without a full Porter stemmer.
pub(crate) fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    let letters = w.chars().count();
    if letters <= 3 || !w.chars().all(char::is_alphabetic) {
        return w;
    }
    // Suffixes are ASCII, so byte lengths are safe to cut at; the length
    // rules below count letters.
    let mut len = letters;
    let cut = |w: &mut String, n: usize, add: &str, len: &mut usize| {
        w.truncate(w.len() - n);
        w.push_str(add);
        *len = *len - n + add.len();
    };

    // Plurals.
    if w.ends_with("ies") && len > 4 {
        cut(&mut w, 3, "y", &mut len);
    } else if w.ends_with("sses") {
        cut(&mut w, 2, "", &mut len);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        cut(&mut w, 1, "", &mut len);
    }

    // Verb endings; the remaining stem must keep at least three letters so
    // that "bring" or "need" survive.
    if w.ends_with("ied") && len > 4 {
        cut(&mut w, 3, "y", &mut len);
    } else if w.ends_with("ing") && len >= 6 {
        cut(&mut w, 3, "", &mut len);
        undouble(&mut w);
    } else if w.ends_with("ed") && !w.ends_with("eed") && len >= 5 {
        cut(&mut w, 2, "", &mut len);
        undouble(&mut w);
    } else if w.ends_with("ly") && len >= 7 {
        cut(&mut w, 2, "", &mut len);
    }

    // A final silent "e" makes "size" and "sizing" differ; drop it (but keep
    // "free", "fee").
    if len > 3 && w.ends_with('e') && !w.ends_with("ee") {
        w.pop();
    }
    w
}

/// "shipp" → "ship", but "fill", "miss" and "buzz" keep their double letter.
fn undouble(w: &mut String) {
    let mut tail = w.chars().rev();
    if let (Some(last), Some(before)) = (tail.next(), tail.next()) {
        if last == before && !"aeioulsz".contains(last) {
            w.pop();
        }
    }
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

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
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
    fn stop_words_and_duplicates_are_dropped() {
        assert_eq!(stems("is it the shipping, the shipping?"), ["ship"]);
        assert!(tokens("how do I do it?").is_empty());
    }
}
