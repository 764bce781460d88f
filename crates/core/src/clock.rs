//! A hybrid logical clock (HLC) with an injected wall clock.
//!
//! A timestamp is the wall time in milliseconds plus a counter that orders events within the
//! same millisecond, or events after a device saw a timestamp ahead of its own clock. It is
//! monotonic per device and respects causality: an operation made after seeing another sorts
//! after it. Ties between devices are broken by device id (see [`crate::op::Stamp`]).
//!
//! # The drift rule
//! A device whose clock runs fast would otherwise win every last-writer-wins edit until real
//! time catches up, and, because HLCs adopt the largest time they see, drag every device it
//! syncs with into the future too. Two rules bound that:
//!
//! 1. A clock never adopts a remote timestamp more than [`MAX_DRIFT_MS`] ahead of its own wall
//!    time ([`HlcClock::observe`] refuses it), so a fast clock does not spread.
//! 2. Whoever accepts operations into the shared log (the server) rejects an operation stamped
//!    more than [`MAX_DRIFT_MS`] ahead of its own wall time ([`check_drift`]). The device then
//!    corrects its clock by the offset the server reports and re-stamps the operations still in
//!    its outbox: nobody else has seen them, so that changes nothing already shared.
//!
//! So an edit can be "in the future" by at most [`MAX_DRIFT_MS`], and only until real time
//! passes it.

use serde::{Deserialize, Serialize};

/// How far ahead of the receiver's wall clock a timestamp may be: five minutes covers normal
/// phone clock error and network delay, and is short enough that a fast device cannot
/// dominate edits.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// A hybrid logical clock timestamp. Orders by wall time, then counter.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (the largest wall time seen).
    pub wall_ms: u64,
    /// Orders events that share `wall_ms`.
    pub counter: u32,
}

impl Hlc {
    /// A timestamp at `wall_ms` with counter 0.
    pub fn at(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
        }
    }
}

/// Why a timestamp was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The timestamp is more than [`MAX_DRIFT_MS`] ahead of the local wall clock.
    #[error("timestamp {remote_ms} is {ahead_ms} ms ahead of this clock")]
    TooFarAhead {
        /// The refused wall time.
        remote_ms: u64,
        /// How far ahead it is.
        ahead_ms: u64,
    },
    /// The counter cannot grow further within one millisecond.
    #[error("clock counter exhausted")]
    CounterExhausted,
}

/// Checks the drift rule: `hlc` may be at most [`MAX_DRIFT_MS`] ahead of `now_ms`.
pub fn check_drift(hlc: Hlc, now_ms: u64) -> Result<(), ClockError> {
    let ahead_ms = hlc.wall_ms.saturating_sub(now_ms);
    if ahead_ms > MAX_DRIFT_MS {
        Err(ClockError::TooFarAhead {
            remote_ms: hlc.wall_ms,
            ahead_ms,
        })
    } else {
        Ok(())
    }
}

/// A device's clock: the last timestamp it issued or observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock that continues after `last` (for example, restored from storage).
    pub fn resume(last: Hlc) -> HlcClock {
        HlcClock { last }
    }

    /// The last timestamp issued or observed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new timestamp for a local event, given the device's wall time now. Always greater than
    /// every timestamp this clock issued or observed, even if the wall clock went backwards.
    pub fn tick(&mut self, now_ms: u64) -> Result<Hlc, ClockError> {
        let next = if now_ms > self.last.wall_ms {
            Hlc::at(now_ms)
        } else {
            Hlc {
                wall_ms: self.last.wall_ms,
                counter: self
                    .last
                    .counter
                    .checked_add(1)
                    .ok_or(ClockError::CounterExhausted)?,
            }
        };
        self.last = next;
        Ok(next)
    }

    /// Takes in a timestamp seen on another device's operation, so later local events sort
    /// after it. A timestamp too far ahead of `now_ms` is refused and leaves the clock as it was.
    pub fn observe(&mut self, remote: Hlc, now_ms: u64) -> Result<(), ClockError> {
        check_drift(remote, now_ms)?;
        if remote > self.last {
            self.last = remote;
        }
        Ok(())
    }
}

/// Today's date in the Netherlands at `at_ms`: Central European Time, summer time from the
/// last Sunday of March to the last Sunday of October (01:00 UTC both).
pub fn dutch_date(at_ms: u64) -> chrono::NaiveDate {
    let utc = utc(i64::try_from(at_ms).unwrap_or(i64::MAX));
    (utc + chrono::Duration::hours(dutch_offset_hours(utc))).date()
}

/// The instant (milliseconds since the Unix epoch) a day starts in the Netherlands. Summer
/// time changes at 02:00 or 03:00 local time, never at midnight, so every day has one.
pub fn dutch_midnight_ms(date: chrono::NaiveDate) -> u64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight in summer time is 22:00 UTC the day before; if that instant is not in summer
    // time, the day starts at 23:00 UTC.
    let summer = midnight - chrono::Duration::hours(2);
    let start = if dutch_offset_hours(summer) == 2 {
        summer
    } else {
        midnight - chrono::Duration::hours(1)
    };
    u64::try_from(start.and_utc().timestamp_millis()).unwrap_or(0)
}

fn utc(ms: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .naive_utc()
}

/// Hours the Netherlands is ahead of UTC at the instant `utc`.
fn dutch_offset_hours(utc: chrono::NaiveDateTime) -> i64 {
    use chrono::Datelike;
    let last_sunday = |month: u32| {
        let end = chrono::NaiveDate::from_ymd_opt(utc.year(), month, 31).unwrap_or_default();
        let back = end.weekday().num_days_from_sunday();
        (end - chrono::Days::new(u64::from(back)))
            .and_hms_opt(1, 0, 0)
            .unwrap_or_default()
    };
    if utc >= last_sunday(3) && utc < last_sunday(10) {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_monotonic_even_when_the_wall_clock_goes_back() {
        let mut clock = HlcClock::default();
        let a = clock.tick(1_000).expect("tick");
        let b = clock.tick(1_000).expect("tick");
        let c = clock.tick(900).expect("tick");
        let d = clock.tick(2_000).expect("tick");
        assert!(a < b && b < c && c < d);
        assert_eq!(
            c,
            Hlc {
                wall_ms: 1_000,
                counter: 2
            }
        );
        assert_eq!(d, Hlc::at(2_000));
    }

    #[test]
    fn an_observed_remote_event_orders_later_local_events_after_it() {
        let mut clock = HlcClock::default();
        clock.tick(1_000).expect("tick");
        let remote = Hlc {
            wall_ms: 1_100,
            counter: 7,
        };
        clock.observe(remote, 1_000).expect("within drift");
        let next = clock.tick(1_000).expect("tick");
        assert!(next > remote);
    }

    #[test]
    fn an_hour_fast_device_cannot_drag_others_into_the_future() {
        let now = 1_764_000_000_000;
        let hour_fast = Hlc::at(now + 3_600_000);
        let mut clock = HlcClock::default();
        assert!(matches!(
            clock.observe(hour_fast, now),
            Err(ClockError::TooFarAhead {
                ahead_ms: 3_600_000,
                ..
            })
        ));
        assert_eq!(clock.last(), Hlc::default(), "refused time is not adopted");
        assert!(check_drift(hour_fast, now).is_err());
        assert!(check_drift(Hlc::at(now + MAX_DRIFT_MS), now).is_ok());
        assert!(
            check_drift(Hlc::at(now - 86_400_000), now).is_ok(),
            "late is fine"
        );
    }

    fn ms(y: i32, m: u32, d: u32, h: u32, min: u32) -> u64 {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .map(|t| t.and_utc().timestamp_millis() as u64)
            .expect("valid")
    }

    fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    #[test]
    fn the_dutch_date_follows_summer_time_month_ends_and_leap_days() {
        // Winter: 23:30 UTC is already the next day (UTC+1).
        assert_eq!(dutch_date(ms(2026, 11, 30, 23, 30)), date(2026, 12, 1));
        assert_eq!(dutch_date(ms(2026, 12, 31, 22, 59)), date(2026, 12, 31));
        assert_eq!(dutch_date(ms(2026, 12, 31, 23, 0)), date(2027, 1, 1));
        // Summer (UTC+2): 22:30 UTC on 30 June is 1 July.
        assert_eq!(dutch_date(ms(2026, 6, 30, 22, 30)), date(2026, 7, 1));
        // Summer time starts 29 March 2026 at 01:00 UTC, ends 25 October 2026 at 01:00 UTC.
        assert_eq!(dutch_date(ms(2026, 3, 28, 22, 30)), date(2026, 3, 28));
        assert_eq!(dutch_date(ms(2026, 3, 29, 22, 30)), date(2026, 3, 30));
        assert_eq!(dutch_date(ms(2026, 10, 24, 22, 30)), date(2026, 10, 25));
        assert_eq!(dutch_date(ms(2026, 10, 25, 22, 30)), date(2026, 10, 25));
        // A leap day.
        assert_eq!(dutch_date(ms(2028, 2, 28, 23, 30)), date(2028, 2, 29));
        assert_eq!(dutch_date(ms(2028, 2, 29, 23, 30)), date(2028, 3, 1));
    }

    #[test]
    fn a_dutch_day_starts_at_local_midnight_on_both_sides_of_summer_time() {
        assert_eq!(
            dutch_midnight_ms(date(2026, 12, 1)),
            ms(2026, 11, 30, 23, 0)
        );
        assert_eq!(dutch_midnight_ms(date(2026, 7, 1)), ms(2026, 6, 30, 22, 0));
        // The days summer time starts and ends begin at midnight of the time before.
        assert_eq!(dutch_midnight_ms(date(2026, 3, 29)), ms(2026, 3, 28, 23, 0));
        assert_eq!(dutch_midnight_ms(date(2026, 3, 30)), ms(2026, 3, 29, 22, 0));
        assert_eq!(
            dutch_midnight_ms(date(2026, 10, 25)),
            ms(2026, 10, 24, 22, 0)
        );
        assert_eq!(
            dutch_midnight_ms(date(2026, 10, 26)),
            ms(2026, 10, 25, 23, 0)
        );
        assert_eq!(dutch_midnight_ms(date(2028, 2, 29)), ms(2028, 2, 28, 23, 0));
        for d in [
            date(2026, 3, 29),
            date(2026, 10, 25),
            date(2028, 2, 29),
            date(2027, 1, 1),
        ] {
            let start = dutch_midnight_ms(d);
            assert_eq!(dutch_date(start), d);
            assert_eq!(dutch_date(start - 1), d.pred_opt().expect("valid"));
        }
    }
}
