//! How the app resists guessing its secrets at the keyboard: wrong passphrases (or recovery
//! codes) typed in a row, the growing wait enforced before the next one is even checked, and
//! what the practitioner is told once they are back in. The session keeps one record of these
//! for leaving client mode (per visit) and one for the locked app (unlock, recovery, and the
//! current vault's secret when a restore replaces it).
//!
//! Policy: the first [`FREE_TRIES`] wrong secrets cost nothing extra (typos happen); from then
//! on each one makes the next check wait — [`FIRST_WAIT`], doubling, at most
//! [`LONGEST_WAIT`]. A try made while waiting is refused *before* any key derivation and only
//! counted. Time comes from the caller, so the schedule is tested with an injected clock.
//! Nothing here sees or keeps what was typed; no Tauri, no wording.

use std::time::{Duration, Instant};

use serde::Serialize;
use time::OffsetDateTime;

/// Wrong passphrases allowed before the waits begin.
pub const FREE_TRIES: u32 = 2;
/// The wait after the first wrong passphrase beyond the free ones.
pub const FIRST_WAIT: Duration = Duration::from_secs(5);
/// The longest wait.
pub const LONGEST_WAIT: Duration = Duration::from_secs(5 * 60);

/// The wait before the next check after `failures` wrong passphrases.
pub fn wait_after(failures: u32) -> Duration {
    let Some(beyond) = failures.checked_sub(FREE_TRIES + 1) else {
        return Duration::ZERO;
    };
    let factor = 1u32.checked_shl(beyond.min(16)).unwrap_or(u32::MAX);
    FIRST_WAIT.saturating_mul(factor).min(LONGEST_WAIT)
}

/// Wrong secrets typed in a row (in one client-mode visit, or at the locked app since it was
/// last unlocked).
#[derive(Clone, Debug, Default)]
pub struct WrongTries {
    wrong: u32,
    refused_while_waiting: u32,
    next_check: Option<Instant>,
    last_wrong_at: Option<OffsetDateTime>,
}

impl WrongTries {
    /// How long until a passphrase may be checked again, if a wait is running at `now`.
    pub fn waiting(&self, now: Instant) -> Option<Duration> {
        self.next_check
            .and_then(|at| at.checked_duration_since(now))
            .filter(|left| !left.is_zero())
    }

    /// Counts a try refused during a wait (no passphrase was checked).
    pub fn refused(&mut self) {
        self.refused_while_waiting = self.refused_while_waiting.saturating_add(1);
    }

    /// Counts a wrong secret checked at `now` (`at` for the record) and starts the wait it
    /// earns; returns how many wrong ones there have been in a row.
    pub fn wrong(&mut self, now: Instant, at: OffsetDateTime) -> u32 {
        self.wrong = self.wrong.saturating_add(1);
        self.last_wrong_at = Some(at);
        let wait = wait_after(self.wrong);
        self.next_check = (!wait.is_zero()).then(|| now + wait);
        self.wrong
    }

    /// What the practitioner should hear when they get back in, if anything went wrong.
    /// (Reset by replacing the value with a new one.)
    pub fn summary(&self) -> Option<WrongTriesSummary> {
        (self.wrong > 0 || self.refused_while_waiting > 0).then_some(WrongTriesSummary {
            wrong: self.wrong,
            refused_while_waiting: self.refused_while_waiting,
            last_wrong_at: self.last_wrong_at,
        })
    }
}

/// The wrong tries before the practitioner got back in, for their banner and the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WrongTriesSummary {
    /// Wrong secrets checked.
    pub wrong: u32,
    /// Tries refused while a wait ran.
    pub refused_while_waiting: u32,
    /// When the last wrong secret was typed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_wrong_at: Option<OffsetDateTime>,
}

impl WrongTriesSummary {
    /// The counts for the audit trail — `what` names the wrong secrets ("passphrase(s)") —
    /// never what was typed.
    pub fn counts(&self, what: &str) -> String {
        format!(
            "{} wrong {what} and {} try(s) refused while waiting",
            self.wrong, self.refused_while_waiting
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waits_begin_at_the_third_wrong_passphrase_double_and_stop_at_five_minutes() {
        let secs = |n| wait_after(n).as_secs();
        let schedule: Vec<u64> = (0..=12).map(secs).collect();
        assert_eq!(
            schedule,
            vec![0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300, 300]
        );
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT);
    }

    #[test]
    fn a_try_during_a_wait_is_refused_until_the_wait_is_over() {
        let start = Instant::now();
        let at = OffsetDateTime::UNIX_EPOCH;
        let mut attempts = WrongTries::default();
        assert_eq!(attempts.wrong(start, at), 1);
        assert_eq!(attempts.wrong(start, at), 2);
        assert_eq!(attempts.waiting(start), None, "two typos cost nothing");
        attempts.wrong(start, at);
        assert_eq!(attempts.waiting(start), Some(Duration::from_secs(5)));
        let later = start + Duration::from_secs(3);
        assert_eq!(attempts.waiting(later), Some(Duration::from_secs(2)));
        attempts.refused();
        assert_eq!(attempts.waiting(start + Duration::from_secs(5)), None);
        let fourth = start + Duration::from_secs(6);
        attempts.wrong(fourth, at);
        assert_eq!(attempts.waiting(fourth), Some(Duration::from_secs(10)));
        let summary = attempts.summary().unwrap();
        assert_eq!((summary.wrong, summary.refused_while_waiting), (4, 1));
        assert_eq!(
            summary.counts("passphrase(s)"),
            "4 wrong passphrase(s) and 1 try(s) refused while waiting"
        );
        assert!(WrongTries::default().summary().is_none());
    }
}
