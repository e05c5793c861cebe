//! Recognising a visitor's request for a person: the built-in detector (`person`), and
//! the owner's phrases on top of it.

mod person;

/// Shipped phrases, English, Spanish, French and German: the settings' default
/// `request_phrases`, what an owner sees and edits. Matched after folding case and
/// accents, so "HABLAR CON UN AGENTE" and "hablar con un agénte" both count. The built-in
/// detector understands all of them and far more besides; an owner adds phrases of their
/// own for what it misses (another language, their own words).
pub const DEFAULT_REQUEST_PHRASES: &[&str] = &[
    // English
    "talk to a human",
    "talk to a person",
    "talk to an agent",
    "talk to someone",
    "speak to a human",
    "speak to a person",
    "speak to an agent",
    "speak to someone",
    "speak with a human",
    "speak with a person",
    "talk with a human",
    "talk with a person",
    "real person",
    "human agent",
    "live agent",
    "customer service",
    "operator",
    // Spanish
    "hablar con una persona",
    "hablar con un humano",
    "hablar con un agente",
    "agente humano",
    // French
    "parler a une personne",
    "parler a un humain",
    "parler a un agent",
    "conseiller",
    // German
    "mit einem menschen",
    "mit einer person",
    "mit einem mitarbeiter",
    "echten menschen",
];

/// Lowercases, folds the common Latin accents and collapses everything that is not a
/// letter or digit into single spaces, so phrase matching ignores punctuation.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ß' => 's',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// True when `text` asks for a person: the built-in detector says so (in English,
/// Spanish, French or German), or `text` contains one of `phrases` as whole words.
pub fn asks_for_person(text: &str, phrases: &[String]) -> bool {
    let text = fold(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    person::asks(&words)
        || phrases.iter().any(|p| {
            let p = fold(p);
            p.trim() != "" && text.contains(&p)
        })
}
