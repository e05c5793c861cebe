//! Days and dates without a clock or a time-zone database: a day is 24 hours from
//! midnight at a fixed offset from UTC, and dates are the proleptic Gregorian calendar's.

use super::{Handover, Period, Statuses, MAX_DAYS};
use crate::protocol::Millis;
use serde::{Deserialize, Serialize};

/// The widest offset from UTC there is (UTC+14:00; UTC−12:00 is within it).
pub const MAX_OFFSET_MINUTES: i32 = 14 * 60;

const DAY_MS: i64 = 86_400_000;

/// One day of the period and its handovers by status (those requested that day).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Day {
    /// `YYYY-MM-DD`, at the period's offset.
    pub date: String,
    /// When the day starts, milliseconds since 1970.
    pub start: Millis,
    #[serde(flatten)]
    pub statuses: Statuses,
}

/// The day `at` falls on, counted from 1970-01-01, `offset` minutes east of UTC.
fn day_of(at: Millis, offset: i32) -> i64 {
    (at.0 as i64 + i64::from(offset) * 60_000).div_euclid(DAY_MS)
}

/// Year, month (1 to 12) and day (1 to 31) of day `n` from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil(n: i64) -> (i64, u32, u32) {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn date(n: i64) -> String {
    let (y, m, d) = civil(n);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date (`YYYY-MM-DD`) `at` falls on, `offset` minutes east of UTC.
pub fn date_at(at: Millis, offset: i32) -> String {
    date(day_of(at, offset))
}

/// `at` in UTC as ISO 8601 with milliseconds: `2026-11-20T14:03:05.120Z`.
pub fn iso_time(at: Millis) -> String {
    let ms = at.0 as i64;
    let n = ms.div_euclid(DAY_MS);
    let of_day = ms.rem_euclid(DAY_MS);
    let (h, m, s, milli) = (
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000,
    );
    format!("{}T{h:02}:{m:02}:{s:02}.{milli:03}Z", date(n))
}

/// Every day of `period`, each with the handovers requested on it (all of them in the
/// period). A period longer than [`MAX_DAYS`] keeps only the days from its first
/// handover's to its last's, so that "all time" is not fifty years of empty days.
pub(super) fn days(handovers: &[&Handover], period: &Period) -> Vec<Day> {
    if period.to <= period.from {
        return Vec::new();
    }
    let offset = period.utc_offset_minutes;
    let (mut first, mut last) = (
        day_of(period.from, offset),
        day_of(Millis(period.to.0 - 1), offset),
    );
    if last - first + 1 > MAX_DAYS {
        let on = handovers
            .iter()
            .map(|h| day_of(h.record.requested_at, offset));
        let (Some(earliest), Some(latest)) = (on.clone().min(), on.max()) else {
            return Vec::new();
        };
        (first, last) = (first.max(earliest), last.min(latest));
    }
    let mut days: Vec<Day> = (first..=last)
        .map(|n| Day {
            date: date(n),
            start: Millis((n * DAY_MS - i64::from(offset) * 60_000).max(0) as u64),
            statuses: Statuses::default(),
        })
        .collect();
    for h in handovers {
        let n = day_of(h.record.requested_at, offset) - first;
        if let Some(day) = usize::try_from(n).ok().and_then(|i| days.get_mut(i)) {
            day.statuses.count(h.record.status);
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_days_around_leap_years_and_the_epoch() {
        for (n, want) in [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (11_017, "2000-03-01"),
            (19_782, "2024-02-29"),
            (20_454, "2026-01-01"),
        ] {
            assert_eq!(date(n), want, "day {n}");
        }
    }

    #[test]
    fn iso_times_in_utc_with_milliseconds() {
        assert_eq!(iso_time(Millis(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_time(Millis(1_795_400_095_120)),
            "2026-11-23T02:14:55.120Z"
        );
        assert_eq!(
            iso_time(Millis(951_782_399_999)),
            "2000-02-28T23:59:59.999Z"
        );
    }

    #[test]
    fn a_day_starts_at_midnight_at_the_offset() {
        // 2026-01-01T23:30Z is already the 2nd at UTC+1, still the 1st at UTC-5.
        let at = Millis(1_767_310_200_000);
        assert_eq!(date_at(at, 0), "2026-01-01");
        assert_eq!(date(day_of(at, 60)), "2026-01-02");
        assert_eq!(date(day_of(at, -300)), "2026-01-01");
        // Midnight at UTC-5 is 05:00Z.
        let midnight = Millis(1_767_330_000_000);
        assert_eq!(date(day_of(midnight, -300)), "2026-01-02");
        assert_eq!(date(day_of(Millis(midnight.0 - 1), -300)), "2026-01-01");
    }
}
