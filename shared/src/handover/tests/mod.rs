//! Scenario tests, one file per part of the life cycle, and property tests over random
//! event sequences. Everything runs in simulated time.

use super::*;
use crate::protocol::{HandoverStatus, Holding, Presence, Rating, Transfer};

mod bot;
mod form;
mod holder;
mod offline;
mod properties;
mod queue;
mod rating;
mod routing;
mod settings;
mod timers;

pub fn agent(id: &str, name: &str) -> AgentRef {
    AgentRef {
        id: id.into(),
        name: name.into(),
    }
}
pub fn ana() -> AgentRef {
    agent("a1", "Ana")
}
pub fn ben() -> AgentRef {
    agent("a2", "Ben")
}
pub fn t(ms: u64) -> Millis {
    Millis(ms)
}
pub const SEC: u64 = 1000;

pub fn posts(effects: &[Effect]) -> Vec<(Author, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Post { author, text } => Some((author.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

/// The system notices among `effects`.
pub fn notices(effects: &[Effect]) -> Vec<String> {
    posts(effects)
        .into_iter()
        .filter(|(a, _)| *a == Author::System)
        .map(|(_, text)| text)
        .collect()
}

/// The one changed record among `effects`.
pub fn record(effects: &[Effect]) -> HandoverRecord {
    let found: Vec<&HandoverRecord> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Handover(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "one Handover effect in {effects:?}");
    found[0].clone()
}

pub fn requested(effects: &[Effect]) -> Option<HandoverRecord> {
    effects.iter().find_map(|e| match e {
        Effect::RequestAgent { handover } => Some(handover.clone()),
        _ => None,
    })
}

pub fn wake(effects: &[Effect]) -> Option<Millis> {
    effects.iter().find_map(|e| match e {
        Effect::Wake { at } => Some(*at),
        _ => None,
    })
}

pub fn new_state(effects: &[Effect]) -> Option<ConversationState> {
    effects.iter().find_map(|e| match e {
        Effect::State(s) => Some(s.clone()),
        _ => None,
    })
}

pub fn unknown() -> Event {
    Event::Assistant(AssistantReply::Unknown {
        suggestions: vec![],
    })
}

/// A conversation with its settings, driven event by event.
pub struct Chat {
    pub c: Conversation,
    pub s: Settings,
}

impl Chat {
    pub fn new(s: Settings) -> Self {
        Chat {
            c: Conversation::default(),
            s,
        }
    }

    /// Applies an event that must be accepted.
    pub fn ok(&mut self, now: u64, event: Event) -> Vec<Effect> {
        let shown = format!("{event:?}");
        self.c
            .handle(&self.s, t(now), event)
            .unwrap_or_else(|r| panic!("{shown} refused: {r}"))
    }

    /// Applies an event that must be refused, and checks that it changed nothing.
    pub fn refused(&mut self, now: u64, event: Event) -> Refusal {
        let before = self.c.clone();
        let refusal = self.c.handle(&self.s, t(now), event).expect_err("refused");
        assert_eq!(self.c, before, "a refusal changed the conversation");
        refusal
    }

    pub fn visitor(&mut self, now: u64, text: &str) -> Vec<Effect> {
        self.ok(now, Event::Visitor { text: text.into() })
    }

    pub fn queue(&mut self, now: u64, answer: QueueAnswer) -> Vec<Effect> {
        let id = self.c.handover().expect("a handover").id;
        self.ok(
            now,
            Event::Queue {
                handover: id,
                answer,
            },
        )
    }

    pub fn claim(&mut self, now: u64, agent: AgentRef) -> Vec<Effect> {
        self.ok(
            now,
            Event::Claim {
                agent,
                teams: vec![],
            },
        )
    }

    pub fn say(&mut self, now: u64, agent: AgentRef, text: &str) -> Vec<Effect> {
        self.ok(
            now,
            Event::Agent {
                agent,
                text: text.into(),
            },
        )
    }

    pub fn record(&self) -> &HandoverRecord {
        self.c.handover().expect("a handover")
    }
}

/// A conversation whose unknown question (at 1 s) was queued at place 1 (at 3 s).
pub fn pending(s: Settings) -> Chat {
    let mut chat = Chat::new(s);
    chat.visitor(SEC, "something odd");
    chat.ok(2 * SEC, unknown());
    chat.queue(3 * SEC, QueueAnswer::Queued { position: 1 });
    chat
}

/// [`pending`], then claimed by Ana at 10 s.
pub fn assigned(s: Settings) -> Chat {
    let mut chat = pending(s);
    chat.claim(10 * SEC, ana());
    chat
}

#[test]
fn conversation_state_survives_serialisation_with_its_clock_from_the_history() {
    let s = Settings::default();
    let chat = assigned(s.clone());
    let json = serde_json::to_string(&chat.c).unwrap();
    let mut back: Conversation = serde_json::from_str(&json).unwrap();
    assert_ne!(back, chat.c, "the silence clock is not stored");
    back.resume_silence(&s, Silence::NoReply);
    assert_eq!(back, chat.c);
}
