//! What a visitor may read of a handover record and of the messages. The record also
//! carries what agents keep for each other (closing notes, transfer reasons, teams, who
//! held it before), and the history their private notes: every route or frame that
//! answers a visitor with a record sends this view, and every one that gives them
//! messages asks [`Message::visitor_reads`], decided here and nowhere else.

use super::{AgentRef, FormAnswers, HandoverStatus, Message, Millis, Rating};
use crate::protocol::HandoverRecord;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VisitorHandover {
    pub id: u32,
    pub status: HandoverStatus,
    pub requested_at: Millis,
    /// Who holds it now or resolved it: the visitor was told their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<AgentRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Millis>,
    /// Their own answers to the pre-handover form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormAnswers>,
    /// Their own rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

impl HandoverRecord {
    pub fn for_visitor(&self) -> VisitorHandover {
        VisitorHandover {
            id: self.id,
            status: self.status,
            requested_at: self.requested_at,
            holder: self.holder.clone(),
            claimed_at: self.claimed_at,
            ended_at: self.ended_at,
            cancelled_at: self.cancelled_at,
            form: self.form.clone(),
            rating: self.rating.clone(),
        }
    }
}

impl Message {
    /// Whether the visitor may be given this message: anything but an agents' note.
    pub fn visitor_reads(&self) -> bool {
        !self.note
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Transfer, TransferTarget, Trigger};

    #[test]
    fn a_visitor_never_reads_what_agents_keep_for_each_other() {
        let ana = AgentRef {
            id: "a1".into(),
            name: "Ana".into(),
        };
        let mut r = HandoverRecord::new(2, Trigger::Unknown, "shop", Millis(1));
        r.status = HandoverStatus::Resolved;
        r.holder = Some(ana.clone());
        r.team = Some("secret-team".into());
        r.note = Some("refund approved, customer is difficult".into());
        r.earlier_note = Some("earlier: flagged for fraud".into());
        r.transfers = vec![Transfer {
            from: ana.clone(),
            to: TransferTarget::Agent(ana),
            reason: "ask billing about the chargeback".into(),
            at: Millis(3),
        }];
        r.rating = Some(Rating {
            score: 4,
            comment: Some("ok".into()),
            at: Millis(9),
        });
        let json = serde_json::to_string(&r.for_visitor()).unwrap();
        for secret in [
            "secret-team",
            "difficult",
            "fraud",
            "chargeback",
            "transfers",
            "note",
        ] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        let seen: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(seen["status"], "resolved");
        assert_eq!(seen["holder"]["name"], "Ana");
        assert_eq!(seen["rating"]["score"], 4);
    }

    #[test]
    fn a_visitor_reads_every_message_but_a_note() {
        use crate::protocol::Author;
        let mut m = Message {
            seq: 3,
            at: Millis(1),
            author: Author::Agent(AgentRef {
                id: "a1".into(),
                name: "Ana".into(),
            }),
            text: "Hi".into(),
            client_id: None,
            note: false,
        };
        assert!(m.visitor_reads());
        assert!(!serde_json::to_string(&m).unwrap().contains("note"));
        m.note = true;
        assert!(!m.visitor_reads());
        assert!(serde_json::to_string(&m)
            .unwrap()
            .contains(r#""note":true"#));
    }
}
