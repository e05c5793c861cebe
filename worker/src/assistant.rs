//! The assistant: the built-in one (the assistant's knowledge base answered by text
//! retrieval, "unknown" below the confidence threshold), or the owner's external bot over
//! HTTP.

use crate::internal::post_out;
use baton_assistant::{KnowledgeBase, Reply, DEFAULT_THRESHOLD};
use baton_shared::handover::AssistantReply;
use serde::{Deserialize, Serialize};

pub fn answer(kb: &KnowledgeBase, question: &str) -> AssistantReply {
    match kb.answer(question) {
        Reply::Answer {
            text,
            handover: true,
            ..
        } => AssistantReply::Handover { say: Some(text) },
        Reply::Answer { text, .. } => AssistantReply::Answer(text),
        Reply::Unknown { near, .. } => AssistantReply::Unknown { suggestions: near },
    }
}

/// What the external bot is sent for each question (docs/protocol.md, "External bot").
#[derive(Serialize)]
struct BotQuestion<'a> {
    question: &'a str,
    conversation_id: &'a str,
    assistant: &'a str,
}

/// Its answer: a reply, how sure it is (0 to 1; absent = sure) and whether a person
/// should take over.
#[derive(Deserialize)]
struct BotAnswer {
    #[serde(default)]
    reply: Option<String>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    handover: bool,
}

/// Asks the external bot at `url`. A bot that fails or answers nonsense does not know:
/// the rules then hand over or say so, as for the built-in assistant.
pub async fn ask_bot(
    url: &str,
    question: &str,
    conversation_id: &str,
    assistant: &str,
) -> AssistantReply {
    let ask = async {
        let body = serde_json::to_string(&BotQuestion {
            question,
            conversation_id,
            assistant,
        })
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
        let mut response = post_out(url, body, &[]).await?;
        if !(200..300).contains(&response.status_code()) {
            return Err(worker::Error::RustError(format!(
                "the bot answered {}",
                response.status_code()
            )));
        }
        response.json::<BotAnswer>().await
    };
    match ask.await {
        Ok(BotAnswer {
            reply,
            handover: true,
            ..
        }) => AssistantReply::Handover { say: reply },
        Ok(BotAnswer {
            reply: Some(text),
            confidence,
            ..
        }) if !text.trim().is_empty() && confidence.is_none_or(|c| c >= DEFAULT_THRESHOLD) => {
            AssistantReply::Answer(text)
        }
        Ok(_) => AssistantReply::Unknown {
            suggestions: Vec::new(),
        },
        Err(e) => {
            worker::console_error!("the external bot failed: {e:?}");
            AssistantReply::Unknown {
                suggestions: Vec::new(),
            }
        }
    }
}
