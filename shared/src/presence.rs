//! Whether an agent is there: the status they chose, as long as their inbox is open.
//! An agent is available only while one of their inbox sockets lives (each pings every
//! [`HEARTBEAT_MS`]; one silent for [`SILENT_MS`] is dead); when the last one goes they
//! keep their status for a [`GRACE_MS`] (a reload or a flaky network is not leaving),
//! then count as away until an inbox of theirs opens again, when the chosen status
//! comes back. Pure: the workspace passes what it knows and the time.

use crate::protocol::{Millis, Presence};

/// How often the inbox pings its socket.
pub const HEARTBEAT_MS: u64 = 10_000;
/// A socket not heard from for this long (two pings lost) is dead, whatever the network
/// stack says.
pub const SILENT_MS: u64 = 20_000;
/// How often the workspace looks for silent sockets while any inbox is open: a dead one
/// is noticed within `SILENT_MS + SWEEP_MS`, 25 s.
pub const SWEEP_MS: u64 = 5_000;
/// How long an agent whose last inbox went keeps their status.
pub const GRACE_MS: u64 = 60_000;

/// Where an agent's inboxes stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inbox {
    /// At least one socket lives.
    Open,
    /// The last one went at this time.
    GoneSince(Millis),
    /// None since the status was set: an agent on the API alone, whose status stands.
    Unknown,
}

/// The presence routing sees.
pub fn available(chosen: Presence, inbox: Inbox, now: Millis) -> Presence {
    match inbox {
        Inbox::GoneSince(at) if now.0 >= grace_ends(at).0 && chosen != Presence::Offline => {
            Presence::Away
        }
        _ => chosen,
    }
}

/// When an agent whose last inbox went at `at` stops counting as there.
pub fn grace_ends(at: Millis) -> Millis {
    Millis(at.0 + GRACE_MS)
}

/// Whether a socket last heard from at `heard` is dead by `now`.
pub fn is_silent(heard: Millis, now: Millis) -> bool {
    now.0 >= heard.0 + SILENT_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use Presence::*;

    #[test]
    fn the_chosen_status_holds_while_an_inbox_is_open_and_through_the_grace() {
        let gone = Inbox::GoneSince(Millis(1_000));
        assert_eq!(available(Online, Inbox::Open, Millis(0)), Online);
        assert_eq!(available(Online, gone, Millis(60_999)), Online, "a reload");
        assert_eq!(available(Online, gone, Millis(61_000)), Away);
        assert_eq!(available(Away, gone, Millis(99_000)), Away);
        assert_eq!(available(Offline, gone, Millis(99_000)), Offline);
        // Back: the chosen status again.
        assert_eq!(available(Online, Inbox::Open, Millis(99_000)), Online);
        assert_eq!(available(Online, Inbox::Unknown, Millis(99_000)), Online);
    }

    #[test]
    fn a_socket_is_dead_after_twenty_silent_seconds_and_noticed_within_thirty() {
        assert!(!is_silent(Millis(0), Millis(19_999)));
        assert!(is_silent(Millis(0), Millis(20_000)));
        assert!(HEARTBEAT_MS * 2 <= SILENT_MS, "one lost ping is not death");
        assert!(SILENT_MS + SWEEP_MS <= 30_000);
        assert_eq!(grace_ends(Millis(5)), Millis(60_005));
    }
}
