//! Parsing and validating the knowledge-base JSON.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;

use crate::docs::EntryDoc;
use crate::language::Language;
use crate::text::{Vocabulary, WordId};

/// Why a knowledge base was rejected. Each variant names the offending entry
/// so that whoever edits the JSON can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbError {
    /// Not JSON, or not the `{"entries": [{"id", "questions", "answer"}]}` shape.
    InvalidJson(String),
    /// `entries` is empty: nothing could ever be answered.
    NoEntries,
    /// The entry at this position (0-based) has a blank id.
    EmptyId { index: usize },
    /// Two entries share an id; replies would be ambiguous.
    DuplicateId { id: String },
    /// The entry has no questions, so it can never match.
    NoQuestions { id: String },
    /// One of the entry's questions is blank.
    EmptyQuestion { id: String },
    /// The question has only filler words ("how do I do it?"), so it can
    /// never match anything.
    QuestionWithoutKeywords { id: String, question: String },
    /// The entry's answer is blank.
    EmptyAnswer { id: String },
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KbError::InvalidJson(reason) => write!(
                f,
                "knowledge base is not valid JSON of the expected shape: {reason}"
            ),
            KbError::NoEntries => write!(f, "knowledge base has no entries"),
            KbError::EmptyId { index } => write!(f, "entry #{index} has an empty id"),
            KbError::DuplicateId { id } => write!(f, "entry id {id:?} is used more than once"),
            KbError::NoQuestions { id } => write!(f, "entry {id:?} has no questions"),
            KbError::EmptyQuestion { id } => write!(f, "entry {id:?} has an empty question"),
            KbError::QuestionWithoutKeywords { id, question } => {
                write!(
                    f,
                    "entry {id:?}: question {question:?} has no words that could be matched"
                )
            }
            KbError::EmptyAnswer { id } => write!(f, "entry {id:?} has an empty answer"),
        }
    }
}

impl std::error::Error for KbError {}

#[derive(Deserialize)]
struct RawKb {
    entries: Vec<EntryDoc>,
}

/// One validated entry: what a reply needs.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: String,
    pub answer: String,
    /// Answering is followed by a handover to a person.
    pub handover: bool,
    /// The first question as written: what the assistant offers when it is near.
    pub title: String,
}

/// An entry's text as words of the knowledge base's [`Vocabulary`]: what the
/// index is built from.
#[derive(Debug)]
pub(crate) struct EntryText {
    /// Tokens of each question, in the order the JSON gives them.
    pub questions: Vec<Vec<WordId>>,
    pub answer: Vec<WordId>,
}

/// Entries read and tokenized, ready to index.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub entries: Vec<Entry>,
    /// Per entry, in the same order.
    pub texts: Vec<EntryText>,
    pub vocabulary: Vocabulary,
    /// What the entries are written in; questions are stemmed the same way.
    pub language: Language,
}

impl Parsed {
    /// Nothing read yet, of entries whose questions and answers are `texts`.
    fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let language = Language::guess(texts);
        Parsed {
            entries: Vec::new(),
            texts: Vec::new(),
            vocabulary: Vocabulary::new(language),
            language,
        }
    }
}

fn texts(docs: &[EntryDoc]) -> impl Iterator<Item = &str> {
    docs.iter().flat_map(|d| {
        d.questions
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(d.answer.as_str()))
    })
}

pub(crate) fn parse(json: &str) -> Result<Parsed, KbError> {
    let raw: RawKb = serde_json::from_str(json).map_err(|e| KbError::InvalidJson(e.to_string()))?;
    if raw.entries.is_empty() {
        return Err(KbError::NoEntries);
    }
    let mut seen = BTreeSet::new();
    let mut parsed = Parsed::of(texts(&raw.entries));
    for (index, raw) in raw.entries.into_iter().enumerate() {
        let id = raw.id.trim().to_owned();
        if id.is_empty() {
            return Err(KbError::EmptyId { index });
        }
        if !seen.insert(id.clone()) {
            return Err(KbError::DuplicateId { id });
        }
        if raw.questions.is_empty() {
            return Err(KbError::NoQuestions { id });
        }
        let answer = raw.answer.trim().to_owned();
        if answer.is_empty() {
            return Err(KbError::EmptyAnswer { id });
        }
        let mut questions = Vec::with_capacity(raw.questions.len());
        for question in &raw.questions {
            if question.trim().is_empty() {
                return Err(KbError::EmptyQuestion { id });
            }
            let tokens = parsed.vocabulary.tokens(question);
            if tokens.is_empty() {
                return Err(KbError::QuestionWithoutKeywords {
                    id,
                    question: question.clone(),
                });
            }
            questions.push(tokens);
        }
        parsed.texts.push(EntryText {
            questions,
            answer: parsed.vocabulary.tokens(&answer),
        });
        parsed.entries.push(Entry {
            title: raw.questions[0].trim().to_owned(),
            id,
            answer,
            handover: raw.handover,
        });
    }
    Ok(parsed)
}

/// Entries that passed [`EntryDoc::problems`], ready for the index; their
/// questions without words to match are left out (the checks refuse them where
/// owners write).
pub(crate) fn from_docs(docs: &[EntryDoc]) -> Parsed {
    let mut parsed = Parsed::of(texts(docs));
    for doc in docs {
        let questions = doc
            .questions
            .iter()
            .map(|q| parsed.vocabulary.tokens(q))
            .filter(|t| !t.is_empty())
            .collect();
        parsed.texts.push(EntryText {
            questions,
            answer: parsed.vocabulary.tokens(&doc.answer),
        });
        parsed.entries.push(Entry {
            id: doc.id.clone(),
            answer: doc.answer.clone(),
            handover: doc.handover,
            title: doc.questions.first().cloned().unwrap_or_default(),
        });
    }
    parsed
}
