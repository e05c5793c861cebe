//! What the widget shows when it opens on a new conversation: the assistant's greeting
//! (`messages.welcome`), a line on who answers, and, when a person could take over and
//! someone is online, how the queue stands.

use super::settings::{AssistantMode, Settings};
use crate::protocol::Welcome;

/// The welcome for a conversation starting now, with `online` agents online and
/// `waiting` handovers waiting in the queue. A blank greeting is left out, as a blank
/// message is not sent.
pub fn welcome(settings: &Settings, online: usize, waiting: usize) -> Welcome {
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
    let greeting = settings.messages.welcome.trim();
    Welcome {
        greeting: (!greeting.is_empty()).then(|| greeting.to_string()),
        who: who.into(),
        wait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(mode: AssistantMode) -> Settings {
        Settings {
            mode,
            ..Settings::default()
        }
    }

    #[test]
    fn a_new_conversation_is_greeted_and_told_who_answers() {
        let w = welcome(&Settings::default(), 0, 0);
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
        let wait = |waiting| welcome(&s, 2, waiting).wait.unwrap();
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
        let bot = welcome(&with(AssistantMode::BotOnly), 3, 2);
        assert_eq!(bot.who, "The assistant answers right away.");
        assert_eq!(
            bot.wait, None,
            "no handover in bot-only mode: no queue to tell"
        );
        let human = welcome(&with(AssistantMode::HumanOnly), 0, 0);
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
            welcome(&s, 0, 0).greeting.as_deref(),
            Some("Welcome to Trailhead! Ask us anything.")
        );
        s.messages.welcome = "  ".into();
        assert_eq!(welcome(&s, 0, 0).greeting, None);
    }
}
