//! Agents' private notes: words for the other agents, kept in the history in their place
//! among the messages and never given to the visitor ([`Message::visitor_reads`], which
//! `broadcast`, the catch-up and the messages route ask). Any agent of the workspace may
//! write one, holder or not. A note is no event of the state machine: it changes neither
//! who holds the chat nor its timers, and is no reply to the visitor.

use super::run::same_author;
use super::store::Store;
use super::{check_client_id, ConversationObject};
use crate::error::{ApiError, ApiResult};
use crate::internal::now;
use baton_shared::handover::checked_text;
use baton_shared::protocol::{AgentRef, Author, Message, PostMessage, ServerFrame};

impl ConversationObject {
    /// Stores an agent's note and shows it on the agents' sockets: the note, and whether it
    /// is new rather than a resend (the same `client_id`, author and words) of a stored one.
    pub(super) fn note(
        &self,
        store: &Store,
        agent: AgentRef,
        body: PostMessage,
    ) -> ApiResult<(Message, bool)> {
        check_client_id(body.client_id.as_deref())?;
        let text = checked_text(body.text).map_err(ApiError::Refused)?;
        let author = Author::Agent(agent);
        let cid = body.client_id.as_deref();
        if let Some(note) = store.append(now(), &author, &text, cid, true)? {
            self.broadcast(&ServerFrame::Message(note.clone()), None);
            return Ok((note, true));
        }
        let stored: Option<Message> = store.by_client_id(cid.unwrap_or_default())?;
        match stored {
            Some(m) if m.note && same_author(&author, &m.author) && m.text == text => {
                Ok((m, false))
            }
            _ => Err(ApiError::Conflict(format!(
                "client_id {:?} already names another message in this conversation; send this note with a new client_id",
                cid.unwrap_or_default()
            ))),
        }
    }
}
