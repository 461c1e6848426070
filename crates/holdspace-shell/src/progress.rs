//! How far a long operation has got, for the page's progress bars: one shape for every long
//! operation (re-encrypting the vault, erasing a member from its files, opening or restoring a
//! backup), and one meter that publishes it.
//!
//! Policy: the work publishes through atomics, so asking how far it has got never waits
//! behind the work itself. A step-by-step operation counts its steps (`done` of `total`) and
//! names the one it is at; a record-by-record one counts records and names none. No wording:
//! the page words each step.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use serde::Serialize;

/// Where a long operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// True while it runs.
    pub running: bool,
    /// Units done so far: records, or the number of the step it is at (from 1).
    pub done: u64,
    /// Units in all (0 until known).
    pub total: u64,
    /// The step it is at, for an operation with named steps, while it runs.
    pub step: Option<&'static str>,
}

/// Publishes one operation's [`Progress`].
#[derive(Debug, Default)]
pub struct ProgressMeter {
    /// The names of the operation's steps, in order (empty: it counts records).
    steps: &'static [&'static str],
    running: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    /// The step it is at: its index in `steps` plus one (0: none).
    step: AtomicUsize,
}

impl ProgressMeter {
    /// A meter for an operation that goes through the named `steps`, in order.
    pub const fn with_steps(steps: &'static [&'static str]) -> Self {
        Self {
            steps,
            running: AtomicBool::new(false),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            step: AtomicUsize::new(0),
        }
    }

    /// Marks the start: nothing done, the total not known yet.
    pub fn begin(&self) {
        self.done.store(0, Ordering::Release);
        self.total.store(0, Ordering::Release);
        self.step.store(0, Ordering::Release);
        self.running.store(true, Ordering::Release);
    }

    /// `done` of `total` units.
    pub fn count(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Release);
        self.total.store(total, Ordering::Release);
    }

    /// At the step named `name` (one of the meter's steps; another name changes nothing).
    pub fn reach(&self, name: &str) {
        if let Some(index) = self.steps.iter().position(|s| *s == name) {
            self.step.store(index + 1, Ordering::Release);
            self.count(index as u64 + 1, self.steps.len() as u64);
        }
    }

    /// Marks the end, however it went.
    pub fn finish(&self) {
        self.running.store(false, Ordering::Release);
        self.step.store(0, Ordering::Release);
    }

    /// True while the operation runs.
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    /// Where it stands now. A finished step-by-step operation reports no step and nothing
    /// done; a finished count keeps its last figures (the page says how many were done).
    pub fn progress(&self) -> Progress {
        let running = self.is_running();
        let step = self.step.load(Ordering::Acquire);
        let named = !self.steps.is_empty();
        Progress {
            running,
            done: if named && !running {
                0
            } else {
                self.done.load(Ordering::Acquire)
            },
            total: self.total.load(Ordering::Acquire),
            step: step
                .checked_sub(1)
                .and_then(|i| self.steps.get(i).copied())
                .filter(|_| running),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &[&str] = &["reading", "checking", "writing"];

    #[test]
    fn a_count_is_published_as_it_goes_and_kept_after() {
        let meter = ProgressMeter::default();
        assert_eq!(
            meter.progress(),
            Progress {
                running: false,
                done: 0,
                total: 0,
                step: None
            }
        );
        meter.begin();
        meter.count(1_200, 5_000);
        assert_eq!(
            meter.progress(),
            Progress {
                running: true,
                done: 1_200,
                total: 5_000,
                step: None
            }
        );
        meter.count(5_000, 5_000);
        meter.finish();
        assert_eq!(
            meter.progress(),
            Progress {
                running: false,
                done: 5_000,
                total: 5_000,
                step: None
            }
        );
    }

    #[test]
    fn named_steps_count_from_one_and_are_forgotten_at_the_end() {
        let meter = ProgressMeter::with_steps(STEPS);
        meter.begin();
        meter.reach("checking");
        assert_eq!(
            meter.progress(),
            Progress {
                running: true,
                done: 2,
                total: 3,
                step: Some("checking")
            }
        );
        meter.reach("no such step");
        assert_eq!(meter.progress().step, Some("checking"));
        meter.finish();
        assert_eq!(meter.progress().step, None);
        assert_eq!(meter.progress().done, 0);
    }
}
