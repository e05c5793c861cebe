//! Which language a knowledge base is written in, so that its words and the visitors'
//! are stemmed by the same Snowball stemmer: English, Spanish, French or German.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Language {
    #[default]
    English,
    Spanish,
    French,
    German,
}

/// Little words every text of a language is full of, and that no other of the four
/// uses as much: enough to tell a knowledge base's language from its own text.
#[rustfmt::skip]
const FUNCTION_WORDS: &[(Language, &[&str])] = &[
    (Language::English, &["the", "and", "you", "your", "is", "are", "of", "to", "do", "can", "for", "with", "we", "it"]),
    (Language::Spanish, &["el", "los", "las", "y", "es", "su", "sus", "para", "con", "por", "que", "puedo", "del", "una"]),
    (Language::French, &["le", "les", "et", "est", "vous", "votre", "vos", "pour", "avec", "que", "je", "des", "du", "une"]),
    (Language::German, &["der", "die", "das", "und", "ist", "sie", "ihr", "ihre", "mit", "ich", "fur", "den", "ein", "eine"]),
];

impl Language {
    /// The language most of `texts`' words belong to; English when none stands out.
    pub fn guess<'a>(texts: impl IntoIterator<Item = &'a str>) -> Language {
        let mut hits = [0usize; 4];
        for text in texts {
            // Function words are short: longer words are skipped before the copy that
            // folding makes, which would otherwise cost as much as the indexing.
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.is_empty() || word.len() > 6 {
                    continue;
                }
                let word = word.replace('ü', "u");
                for (at, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
                    hits[at] += usize::from(words.iter().any(|w| w.eq_ignore_ascii_case(&word)));
                }
            }
        }
        // English, first, keeps ties.
        let mut best = 0;
        for at in 1..hits.len() {
            if hits[at] > hits[best] {
                best = at;
            }
        }
        FUNCTION_WORDS[best].0
    }

    /// Its Snowball stemmer, made once.
    pub fn stemmer(self) -> &'static Stemmer {
        static STEMMERS: OnceLock<[Stemmer; 4]> = OnceLock::new();
        let all = STEMMERS.get_or_init(|| {
            [
                Algorithm::English,
                Algorithm::Spanish,
                Algorithm::French,
                Algorithm::German,
            ]
            .map(Stemmer::create)
        });
        &all[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_four_languages_apart() {
        assert_eq!(
            Language::guess(["How long does shipping take?", "We ship in 2 days."]),
            Language::English
        );
        assert_eq!(
            Language::guess(["¿Cuánto tarda el envío?", "Los pedidos salen en 2 días."]),
            Language::Spanish
        );
        assert_eq!(
            Language::guess([
                "Quel est le délai de livraison ?",
                "Vous recevez votre colis en 3 jours."
            ]),
            Language::French
        );
        assert_eq!(
            Language::guess([
                "Wie lange dauert der Versand?",
                "Die Lieferung kommt in 3 Tagen und ist kostenlos."
            ]),
            Language::German
        );
        assert_eq!(Language::guess(["", "123"]), Language::English);
    }

    #[test]
    fn each_language_has_its_own_stems() {
        assert_eq!(Language::English.stemmer().stem("shipping"), "ship");
        assert_eq!(
            Language::Spanish.stemmer().stem("envíos"),
            Language::Spanish.stemmer().stem("envío")
        );
        assert_eq!(Language::French.stemmer().stem("livraisons"), "livraison");
        assert_eq!(
            Language::German
                .stemmer()
                .stem("Lieferungen".to_lowercase().as_str()),
            "liefer"
        );
    }
}
