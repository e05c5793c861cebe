//! The built-in assistant: the demo knowledge base answered by text retrieval, with
//! "unknown" below the confidence threshold.

use baton_assistant::{KnowledgeBase, Reply};
use baton_shared::handover::AssistantReply;
use std::sync::OnceLock;

/// Parsed once per isolate: every conversation object in it shares the index.
fn knowledge_base() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(KnowledgeBase::demo)
}

pub fn answer(question: &str) -> AssistantReply {
    match knowledge_base().answer(question) {
        Reply::Answer {
            text,
            handover: true,
            ..
        } => AssistantReply::Handover { say: Some(text) },
        Reply::Answer { text, .. } => AssistantReply::Answer(text),
        Reply::Unknown { near, .. } => AssistantReply::Unknown { suggestions: near },
    }
}
