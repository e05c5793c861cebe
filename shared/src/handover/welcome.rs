//! What the widget shows when it opens on a new conversation: the assistant's greeting
//! (`messages.welcome`), a line on who answers, and, when a person could take over and
//! someone is online, how the queue stands.

use super::settings::{AssistantMode, Settings};
use crate::protocol::Welcome;

/// How the queue stands as a conversation starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueNow {
    /// Active agents online.
    pub online: usize,
    /// Handovers waiting that nobody has been given yet.
    pub waiting: usize,
    /// How long recent handovers waited for a person (analytics::typical_wait), if any did.
    pub typical_wait_ms: Option<u64>,
}

/// The welcome for a conversation starting now, with the queue as it stands. A blank
/// greeting is left out, as a blank message is not sent.
pub fn welcome(settings: &Settings, queue: QueueNow) -> Welcome {
    let QueueNow {
        online,
        waiting,
        typical_wait_ms,
    } = queue;
    let who = match settings.mode {
        AssistantMode::BotOnly => "The assistant answers right away.",
        AssistantMode::BotAndHuman => "The assistant answers right away; a person can take over.",
        AssistantMode::HumanOnly => "A person from the team answers here.",
    };
    let wait = match (settings.mode, online, waiting) {
        (AssistantMode::BotOnly, _, _) => None,
        (AssistantMode::HumanOnly, 0, _) => {
            Some("Nobody from the team is online right now.".into())
        }
        (_, 0, _) => None,
        (_, _, 0) => Some("Someone is online now, and nobody is waiting.".into()),
        (_, _, 1) => Some("Someone is online now; 1 person is waiting before you.".into()),
        (_, _, n) => Some(format!(
            "Someone is online now; {n} people are waiting before you."
        )),
    };
    // The expected wait: what recent handovers took, told only when someone is there.
    let wait = match (wait, typical_wait_ms) {
        (Some(line), Some(ms)) if online > 0 => Some(format!("{line} {}", usual_wait(ms))),
        (wait, _) => wait,
    };
    let greeting = settings.messages.welcome.trim();
    Welcome {
        greeting: (!greeting.is_empty()).then(|| greeting.to_string()),
        who: who.into(),
        wait,
    }
}

/// The usual wait in words, rounded up to whole minutes.
fn usual_wait(ms: u64) -> String {
    if ms < 60_000 {
        return "A person usually takes over in under a minute.".into();
    }
    match ms.div_ceil(60_000) {
        1 => "A person usually takes over in about a minute.".into(),
        n => format!("A person usually takes over in about {n} minutes."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(online: usize, waiting: usize) -> QueueNow {
        QueueNow {
            online,
            waiting,
            typical_wait_ms: None,
        }
    }

    #[test]
    fn the_expected_wait_is_what_recent_handovers_took_when_someone_is_online() {
        let s = Settings::default();
        let told = |online, ms| {
            welcome(
                &s,
                QueueNow {
                    online,
                    waiting: 1,
                    typical_wait_ms: ms,
                },
            )
            .wait
        };
        assert_eq!(
            told(1, Some(42_000)).as_deref(),
            Some("Someone is online now; 1 person is waiting before you. A person usually takes over in under a minute.")
        );
        assert_eq!(
            told(1, Some(60_000)).unwrap(),
            "Someone is online now; 1 person is waiting before you. A person usually takes over in about a minute."
        );
        assert!(told(2, Some(150_000))
            .unwrap()
            .ends_with("in about 3 minutes."));
        assert_eq!(
            told(1, None).as_deref(),
            Some("Someone is online now; 1 person is waiting before you."),
            "no handover waited yet: no figure"
        );
        assert_eq!(told(0, Some(150_000)), None, "nobody online: no promise");
        let bot = welcome(
            &with(AssistantMode::BotOnly),
            QueueNow {
                online: 2,
                waiting: 0,
                typical_wait_ms: Some(10_000),
            },
        );
        assert_eq!(
            bot.wait, None,
            "no person takes over from the assistant alone"
        );
    }

    fn with(mode: AssistantMode) -> Settings {
        Settings {
            mode,
            ..Settings::default()
        }
    }

    #[test]
    fn a_new_conversation_is_greeted_and_told_who_answers() {
        let w = welcome(&Settings::default(), queue(0, 0));
        assert_eq!(
            w.greeting.as_deref(),
            Some("Hi! How can we help you today?")
        );
        assert_eq!(
            w.who,
            "The assistant answers right away; a person can take over."
        );
        assert_eq!(w.wait, None, "nobody online: no word on a wait");
    }

    #[test]
    fn with_someone_online_the_queue_is_told() {
        let s = Settings::default();
        let wait = |waiting| welcome(&s, queue(2, waiting)).wait.unwrap();
        assert_eq!(wait(0), "Someone is online now, and nobody is waiting.");
        assert_eq!(
            wait(1),
            "Someone is online now; 1 person is waiting before you."
        );
        assert_eq!(
            wait(4),
            "Someone is online now; 4 people are waiting before you."
        );
    }

    #[test]
    fn the_mode_decides_who_answers_and_whether_a_wait_is_told() {
        let bot = welcome(&with(AssistantMode::BotOnly), queue(3, 2));
        assert_eq!(bot.who, "The assistant answers right away.");
        assert_eq!(
            bot.wait, None,
            "no handover in bot-only mode: no queue to tell"
        );
        let human = welcome(&with(AssistantMode::HumanOnly), queue(0, 0));
        assert_eq!(human.who, "A person from the team answers here.");
        assert_eq!(
            human.wait.as_deref(),
            Some("Nobody from the team is online right now.")
        );
    }

    #[test]
    fn the_greeting_is_the_setting_and_a_blank_one_is_left_out() {
        let mut s = Settings::default();
        s.messages.welcome = "Welcome to Trailhead! Ask us anything.".into();
        assert_eq!(
            welcome(&s, queue(0, 0)).greeting.as_deref(),
            Some("Welcome to Trailhead! Ask us anything.")
        );
        s.messages.welcome = "  ".into();
        assert_eq!(welcome(&s, queue(0, 0)).greeting, None);
    }
}
