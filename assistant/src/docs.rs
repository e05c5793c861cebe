//! Knowledge-base entries as owners write them: in the admin API, and imported or
//! exported as JSON (the format of `knowledge-base.json`) or CSV. Every rule an entry
//! must keep is checked here, and every problem is reported with the field (or CSV row)
//! it is in, so that one import says all that is wrong with it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::text;

/// At most this many entries in one knowledge base.
pub const MAX_ENTRIES: usize = 2000;
/// At most this many questions in one entry.
pub const MAX_QUESTIONS: usize = 20;
/// An answer's length, in characters.
pub const MAX_ANSWER_CHARS: usize = 4000;
/// A question's length, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// An id's length; ids are letters, digits, `-` and `_`.
pub const MAX_ID_CHARS: usize = 64;

/// One entry: the questions it answers, its answer, and whether answering hands the
/// conversation over to a person afterwards (an explicit handover step).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct EntryDoc {
    /// Left out of a new entry, it is made from the first question.
    #[serde(default)]
    pub id: String,
    pub questions: Vec<String>,
    pub answer: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub handover: bool,
}

/// A whole knowledge base as JSON: `{"entries": [...]}`; other fields are ignored.
#[derive(Serialize, Deserialize)]
pub struct KnowledgeDoc {
    pub entries: Vec<EntryDoc>,
}

/// What is wrong, and where: `entries[2].answer`, `row 7: question`, or `entries` for
/// the knowledge base as a whole.
pub use baton_shared::protocol::FieldError;

fn problem(field: impl Into<String>, problem: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.into(),
    }
}

impl EntryDoc {
    /// Trims every text; what the checks and the store see.
    pub fn tidy(mut self) -> Self {
        self.id = self.id.trim().to_string();
        self.answer = self.answer.trim().to_string();
        self.questions = self
            .questions
            .iter()
            .map(|q| q.trim().to_string())
            .collect();
        self
    }

    /// The problems of this entry alone, each named under `at` (`entries[2]`, or empty
    /// for an entry on its own).
    pub fn problems(&self, at: &str) -> Vec<FieldError> {
        let field = |name: &str| field_of(at, name);
        let mut found = Vec::new();
        if let Some(p) = id_problem(&self.id) {
            found.push(problem(field("id"), p));
        }
        if self.questions.is_empty() {
            found.push(problem(
                field("questions"),
                "an entry needs at least one question",
            ));
        }
        if self.questions.len() > MAX_QUESTIONS {
            found.push(problem(
                field("questions"),
                format!(
                    "{} questions; an entry has at most {MAX_QUESTIONS}",
                    self.questions.len()
                ),
            ));
        }
        for (i, q) in self.questions.iter().enumerate() {
            if let Some(p) = question_problem(q) {
                found.push(problem(field(&format!("questions[{i}]")), p));
            }
        }
        if self.answer.trim().is_empty() {
            found.push(problem(field("answer"), "the answer is empty"));
        } else if self.answer.chars().count() > MAX_ANSWER_CHARS {
            found.push(problem(
                field("answer"),
                format!(
                    "{} characters; an answer has at most {MAX_ANSWER_CHARS}",
                    self.answer.chars().count()
                ),
            ));
        }
        found
    }
}

/// Field `name` of the entry at `at` (nothing: the entry on its own).
fn field_of(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("the id is empty".into())
    } else if id.chars().count() > MAX_ID_CHARS {
        Some(format!("an id has at most {MAX_ID_CHARS} characters"))
    } else if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some(format!("{id:?}: an id is letters, digits, - and _"))
    } else {
        None
    }
}

/// Why a question cannot be one, if it cannot.
pub fn question_problem(question: &str) -> Option<String> {
    if question.trim().is_empty() {
        Some("the question is empty".into())
    } else if question.chars().count() > MAX_QUESTION_CHARS {
        Some(format!(
            "a question has at most {MAX_QUESTION_CHARS} characters"
        ))
    } else if text::tokens(question).is_empty() {
        Some(format!("{question:?} has no words that could be matched"))
    } else {
        None
    }
}

/// The problems of a whole knowledge base: each entry's (named by `name(i)`), ids used
/// twice, and too many entries.
pub fn problems_of_all(entries: &[EntryDoc], name: impl Fn(usize) -> String) -> Vec<FieldError> {
    let mut found: Vec<FieldError> = too_many(entries.len()).into_iter().collect();
    let mut seen = BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        found.extend(entry.problems(&name(i)));
        if !entry.id.is_empty() && !seen.insert(entry.id.as_str()) {
            found.push(problem(
                field_of(&name(i), "id"),
                format!("{:?} is used by an earlier entry", entry.id),
            ));
        }
    }
    found
}

fn too_many(entries: usize) -> Option<FieldError> {
    (entries > MAX_ENTRIES).then(|| {
        problem(
            "entries",
            format!("{entries} entries; a knowledge base has at most {MAX_ENTRIES}"),
        )
    })
}

/// Reads a JSON knowledge base and checks it, all or nothing.
pub fn from_json(text: &str) -> Result<Vec<EntryDoc>, Vec<FieldError>> {
    let doc: KnowledgeDoc = serde_json::from_str(text).map_err(|e| {
        vec![problem(
            "body",
            format!("not a knowledge base ({{\"entries\": [...]}}): {e}"),
        )]
    })?;
    let entries: Vec<EntryDoc> = doc.entries.into_iter().map(EntryDoc::tidy).collect();
    let found = problems_of_all(&entries, |i| format!("entries[{i}]"));
    if found.is_empty() {
        Ok(entries)
    } else {
        Err(found)
    }
}

pub fn to_json(entries: &[EntryDoc]) -> String {
    let doc = KnowledgeDoc {
        entries: entries.to_vec(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// One CSV row, as read.
#[derive(Deserialize)]
struct Row {
    question: String,
    answer: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    handover: Option<String>,
}

/// Reads a CSV knowledge base: columns `question` and `answer`, optional `id` and
/// `handover`. Rows with the same id are one entry with several questions; a row with
/// no id is an entry of its own, whose id is made from its question. Problems name the
/// row (the header is row 1), and nothing is kept unless there are none.
pub fn from_csv(text: &str) -> Result<Vec<EntryDoc>, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| vec![problem("row 1", format!("not CSV: {e}"))])?
        .clone();
    let missing: Vec<&str> = ["question", "answer"]
        .into_iter()
        .filter(|h| !headers.iter().any(|c| c == *h))
        .collect();
    if !missing.is_empty() {
        return Err(vec![problem(
            "row 1",
            format!(
                "the header names no {} column (columns: question, answer, id, handover)",
                missing.join(" or ")
            ),
        )]);
    }
    let mut found = Vec::new();
    let mut entries: Vec<EntryDoc> = Vec::new();
    // Which entry each id (given or made) is, and the row it started on.
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut given = BTreeSet::new();
    for (n, record) in reader.deserialize::<Row>().enumerate() {
        let at = format!("row {}", n + 2);
        let row = match record {
            Ok(row) => row,
            Err(e) => {
                found.push(problem(&at, format!("cannot be read: {e}")));
                continue;
            }
        };
        let handover = match row
            .handover
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") | Some("false") | Some("no") | Some("0") => false,
            Some("true") | Some("yes") | Some("1") => true,
            Some(other) => {
                found.push(problem(
                    format!("{at}: handover"),
                    format!("{other:?} is not true or false"),
                ));
                false
            }
        };
        if let Some(p) = question_problem(&row.question) {
            found.push(problem(format!("{at}: question"), p));
        }
        let given_id = row.id.filter(|id| !id.is_empty());
        match given_id.as_ref().and_then(|id| by_id.get(id)) {
            Some(&i) => {
                let entry = &mut entries[i];
                if !row.answer.is_empty() && row.answer != entry.answer {
                    found.push(problem(
                        format!("{at}: answer"),
                        format!("entry {:?} has another answer on an earlier row; give it once, or the same", entry.id),
                    ));
                }
                if handover {
                    entry.handover = true;
                }
                entry.questions.push(row.question);
            }
            None => {
                let id = match given_id {
                    Some(id) => {
                        if let Some(p) = id_problem(&id) {
                            found.push(problem(format!("{at}: id"), p));
                        }
                        given.insert(id.clone());
                        id
                    }
                    None => made_id(&row.question, |c| {
                        by_id.contains_key(c) || given.contains(c)
                    }),
                };
                if row.answer.is_empty() {
                    found.push(problem(format!("{at}: answer"), "the answer is empty"));
                } else if row.answer.chars().count() > MAX_ANSWER_CHARS {
                    found.push(problem(
                        format!("{at}: answer"),
                        format!("an answer has at most {MAX_ANSWER_CHARS} characters"),
                    ));
                }
                by_id.insert(id.clone(), entries.len());
                entries.push(EntryDoc {
                    id,
                    questions: vec![row.question],
                    answer: row.answer,
                    handover,
                });
            }
        }
    }
    found.extend(too_many(entries.len()));
    for entry in &entries {
        if entry.questions.len() > MAX_QUESTIONS {
            found.push(problem(
                format!("entry {:?}", entry.id),
                format!(
                    "{} questions; an entry has at most {MAX_QUESTIONS}",
                    entry.questions.len()
                ),
            ));
        }
    }
    if found.is_empty() {
        Ok(entries)
    } else {
        Err(found)
    }
}

/// One row per question, with the entry's id, answer and handover on each: what
/// [`from_csv`] reads back as the same entries.
pub fn to_csv(entries: &[EntryDoc]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["id", "question", "answer", "handover"]);
    for entry in entries {
        for question in &entry.questions {
            let handover = if entry.handover { "true" } else { "false" };
            let _ = writer.write_record([entry.id.as_str(), question, &entry.answer, handover]);
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// An id made from `question` (its words, lower-case, joined by `-`), not `taken`.
pub fn made_id(question: &str, taken: impl Fn(&str) -> bool) -> String {
    let words: Vec<String> = question
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut base = String::new();
    for word in words {
        if base.len() + word.len() + 1 > 40 {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word);
    }
    if base.is_empty() {
        base.push_str("entry");
    }
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some number is free")
}

/// `incoming` over `existing`: an entry with an id already there replaces it where it
/// stands; the others come after, in their order.
pub fn merge(existing: &[EntryDoc], incoming: Vec<EntryDoc>) -> Vec<EntryDoc> {
    let mut merged = existing.to_vec();
    for entry in incoming {
        match merged.iter_mut().find(|e| e.id == entry.id) {
            Some(old) => *old = entry,
            None => merged.push(entry),
        }
    }
    merged
}
