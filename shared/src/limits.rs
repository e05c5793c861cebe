//! The limits an open endpoint needs, as named numbers, and the sliding window that
//! counts what a client did lately. Pure: the caller passes the time and keeps the
//! window wherever it lives (an object's memory, its storage).

use crate::protocol::Millis;
use std::collections::VecDeque;

/// A request body the API reads at most; larger ones are refused (`413`) unread.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// A knowledge-base import: 2,000 entries with long answers fit.
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;

/// At most `count` in any `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub count: usize,
    pub window_ms: u64,
}

/// New conversations one client address may start.
pub const NEW_CONVERSATIONS: Limit = Limit {
    count: 30,
    window_ms: 60_000,
};
/// Messages a visitor may send in one conversation: far above typing speed, far below a
/// script's.
pub const VISITOR_MESSAGES: Limit = Limit {
    count: 20,
    window_ms: 10_000,
};

/// Page reports (the visitor's context) one conversation takes: a page change every few
/// seconds, not a script's.
pub const CONTEXT_REPORTS: Limit = Limit {
    count: 20,
    window_ms: 60_000,
};

impl Limit {
    /// How long to wait, given the times of what was done before, for one more to be
    /// allowed: `None` when it is allowed now.
    pub fn wait(&self, done: impl IntoIterator<Item = Millis>, now: Millis) -> Option<u64> {
        let mut recent: Vec<u64> = done
            .into_iter()
            .map(|t| t.0)
            .filter(|&t| t + self.window_ms > now.0)
            .collect();
        if recent.len() < self.count {
            return None;
        }
        recent.sort_unstable();
        // Allowed again when fewer than `count` remain: when this one leaves the window.
        let frees = recent[recent.len() - self.count];
        Some(frees + self.window_ms - now.0)
    }
}

/// What one client did lately, for one limit; forgets what left the window.
#[derive(Clone, Debug, Default)]
pub struct Window {
    done: VecDeque<Millis>,
}

impl Window {
    /// Counts one more at `now` if `limit` allows it; else how many milliseconds until it
    /// would (nothing is counted).
    pub fn take(&mut self, limit: Limit, now: Millis) -> Result<(), u64> {
        match self.wait(limit, now) {
            Some(wait) => Err(wait),
            None => {
                self.record(now);
                Ok(())
            }
        }
    }

    /// How long until `limit` allows one more, counting nothing: for what is counted only
    /// once it turns out to be new (a resend is not).
    pub fn wait(&mut self, limit: Limit, now: Millis) -> Option<u64> {
        while self
            .done
            .front()
            .is_some_and(|t| t.0 + limit.window_ms <= now.0)
        {
            self.done.pop_front();
        }
        limit.wait(self.done.iter().copied(), now)
    }

    pub fn record(&mut self, now: Millis) {
        self.done.push_back(now);
    }

    /// Nothing left in the window at `now`: the window can be dropped.
    pub fn is_idle(&self, limit: Limit, now: Millis) -> bool {
        self.done
            .back()
            .is_none_or(|t| t.0 + limit.window_ms <= now.0)
    }
}

/// Whole seconds to wait, at least one, as `Retry-After` says them.
pub fn retry_after_secs(wait_ms: u64) -> u64 {
    wait_ms.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_PER_SECOND: Limit = Limit {
        count: 2,
        window_ms: 1000,
    };

    #[test]
    fn a_window_allows_count_then_says_when_the_oldest_leaves() {
        let mut w = Window::default();
        assert_eq!(w.take(TWO_PER_SECOND, Millis(0)), Ok(()));
        assert_eq!(w.take(TWO_PER_SECOND, Millis(300)), Ok(()));
        assert_eq!(w.take(TWO_PER_SECOND, Millis(400)), Err(600));
        // Refused attempts are not counted: at 1000 the first has left.
        assert_eq!(w.take(TWO_PER_SECOND, Millis(1000)), Ok(()));
        assert_eq!(w.take(TWO_PER_SECOND, Millis(1200)), Err(100));
        assert!(!w.is_idle(TWO_PER_SECOND, Millis(1999)));
        assert!(w.is_idle(TWO_PER_SECOND, Millis(2000)));
    }

    #[test]
    fn the_wait_counts_only_what_is_in_the_window() {
        let done = [Millis(0), Millis(10), Millis(900)];
        assert_eq!(TWO_PER_SECOND.wait(done, Millis(950)), Some(60));
        assert_eq!(TWO_PER_SECOND.wait(done, Millis(1010)), None);
        assert_eq!(retry_after_secs(60), 1);
        assert_eq!(retry_after_secs(2001), 3);
    }

    #[test]
    fn the_shipped_limits_are_the_documented_ones() {
        assert_eq!(
            (NEW_CONVERSATIONS.count, NEW_CONVERSATIONS.window_ms),
            (30, 60_000)
        );
        assert_eq!(
            (VISITOR_MESSAGES.count, VISITOR_MESSAGES.window_ms),
            (20, 10_000)
        );
        assert_eq!((MAX_BODY_BYTES, MAX_IMPORT_BYTES), (65_536, 8_388_608));
    }
}
