//! One value of every frame and body the widget reads or writes, for the tests that
//! check every reader and writer against them.

use super::*;

pub fn ana() -> AgentRef {
    AgentRef {
        id: "a1".into(),
        name: "Ana".into(),
    }
}

pub fn every_frame() -> Vec<ServerFrame> {
    let message = |author, client_id: Option<&str>| {
        ServerFrame::Message(Message {
            seq: 7,
            at: Millis(1_795_400_000_000),
            author,
            text: "Hello".into(),
            client_id: client_id.map(String::from),
            note: false,
        })
    };
    let form = PreHandoverForm {
        name: FieldRule::Optional,
        email: FieldRule::Required,
    };
    vec![
        message(Author::Visitor, Some("c1")),
        message(Author::Assistant, None),
        message(Author::Agent(ana()), None),
        message(Author::System, None),
        ServerFrame::Ack {
            client_id: "c1".into(),
            seq: 7,
        },
        ServerFrame::State(ConversationState::Bot),
        ServerFrame::State(ConversationState::Form { form }),
        ServerFrame::State(ConversationState::Pending),
        ServerFrame::State(ConversationState::Assigned { agent: ana() }),
        ServerFrame::State(ConversationState::Closed),
        ServerFrame::Rating { open: true },
        ServerFrame::Error(ErrorBody {
            error: ErrorCode::Conflict,
            message: "Ana holds it".into(),
            holder: Some(ana()),
        }),
        ServerFrame::Typing {
            author: Author::Agent(ana()),
        },
        ServerFrame::Typing {
            author: Author::Visitor,
        },
        ServerFrame::Error(ErrorBody {
            error: ErrorCode::BadRequest,
            message: "too long".into(),
            holder: None,
        }),
        ServerFrame::Pong,
        ServerFrame::Offline { open: true },
    ]
}

/// Every frame the widget sends.
pub fn every_client_frame() -> Vec<ClientFrame> {
    vec![
        ClientFrame::Send(PostMessage {
            client_id: Some("c1".into()),
            text: "Où est ma commande ? \"Vite\"\n😀".into(),
        }),
        ClientFrame::Send(PostMessage {
            client_id: None,
            text: String::new(),
        }),
        ClientFrame::Form {
            answers: FormAnswers {
                name: Some("Zoë".into()),
                email: None,
            },
        },
        ClientFrame::Cancel,
        ClientFrame::Typing,
        ClientFrame::Rate(RatingRequest {
            score: 5,
            comment: Some("Thanks".into()),
        }),
        ClientFrame::Rate(RatingRequest {
            score: 1,
            comment: None,
        }),
        ClientFrame::Ping,
        ClientFrame::LeaveMessage(MessageForTeam {
            email: "rosa@example.com".into(),
            text: "Can you call me back?".into(),
        }),
    ]
}
