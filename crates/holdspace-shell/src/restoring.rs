//! The restore in progress: the backup the practitioner has opened and checked (kept between
//! "Open and check" and "Restore"), and how far the current step has got, for a progress bar.
//!
//! Policy: a checked backup is held only until it is restored, another is opened, the app
//! locks, or it has waited [`HOLD_FOR`]; it is never written anywhere. Progress is published
//! through atomics, so asking for it never waits behind the work. No Tauri, no wording.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use holdspace::backup::{BackupContent, RestoreStep};
use serde::Serialize;

/// How long a checked backup waits for the practitioner to choose where to restore it.
pub const HOLD_FOR: Duration = Duration::from_secs(15 * 60);

/// A step of opening or restoring a backup, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the file.
    Reading,
    /// Decrypting and checking everything in it.
    Checking,
    /// Creating the new vault.
    Creating,
    /// Writing the records.
    Writing,
    /// Putting the restored vault in place.
    Moving,
}

impl Phase {
    const ALL: [Phase; 5] = [
        Phase::Reading,
        Phase::Checking,
        Phase::Creating,
        Phase::Writing,
        Phase::Moving,
    ];

    fn number(self) -> u8 {
        Self::ALL
            .iter()
            .position(|p| *p == self)
            .map_or(0, |i| i as u8 + 1)
    }
}

impl From<RestoreStep> for Phase {
    fn from(step: RestoreStep) -> Self {
        match step {
            RestoreStep::Creating => Self::Creating,
            RestoreStep::Writing => Self::Writing,
            RestoreStep::Moving => Self::Moving,
        }
    }
}

/// What the progress bar shows.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RestoreProgress {
    /// True while a backup is being opened or restored.
    pub running: bool,
    /// The current step, while running.
    pub phase: Option<Phase>,
    /// The current step's number (1-based; 0 when idle).
    pub step: u8,
    /// How many steps there are.
    pub steps: u8,
}

/// The restore state shared by the restore commands.
#[derive(Default)]
pub struct Restoring {
    checked: Mutex<Option<(BackupContent, Instant)>>,
    running: AtomicBool,
    phase: AtomicU8,
}

impl Restoring {
    /// Marks the start of opening or restoring (at `phase`).
    pub fn begin(&self, phase: Phase) {
        self.phase.store(phase.number(), Ordering::Release);
        self.running.store(true, Ordering::Release);
    }

    /// Moves on to `phase`.
    pub fn reach(&self, phase: Phase) {
        self.phase.store(phase.number(), Ordering::Release);
    }

    /// Marks the end of opening or restoring, however it went.
    pub fn finish(&self) {
        self.running.store(false, Ordering::Release);
        self.phase.store(0, Ordering::Release);
    }

    /// Where things stand.
    pub fn progress(&self) -> RestoreProgress {
        let running = self.running.load(Ordering::Acquire);
        let number = self.phase.load(Ordering::Acquire);
        let phase = number
            .checked_sub(1)
            .and_then(|i| Phase::ALL.get(usize::from(i)).copied());
        RestoreProgress {
            running,
            phase: if running { phase } else { None },
            step: if running { number } else { 0 },
            steps: Phase::ALL.len() as u8,
        }
    }

    /// Keeps a checked backup for the restore step, replacing any earlier one.
    pub fn keep(&self, content: BackupContent) {
        *self.slot() = Some((content, Instant::now()));
    }

    /// Takes the checked backup, if one is held and has not waited too long.
    pub fn take(&self) -> Option<BackupContent> {
        self.slot()
            .take()
            .filter(|(_, since)| since.elapsed() < HOLD_FOR)
            .map(|(content, _)| content)
    }

    /// The words a passphrase for the checked backup's practice must not lean on, if one is
    /// held (for the passphrase rule, before the backup is taken).
    pub fn own_words(&self) -> Option<Vec<String>> {
        self.slot()
            .as_ref()
            .map(|(content, _)| content.practice.own_words())
    }

    /// Drops the checked backup (on lock, or when it has waited too long).
    pub fn forget(&self) {
        *self.slot() = None;
    }

    /// Drops the checked backup if it has waited too long.
    pub fn forget_if_stale(&self) {
        let mut slot = self.slot();
        if slot
            .as_ref()
            .is_some_and(|(_, since)| since.elapsed() >= HOLD_FOR)
        {
            *slot = None;
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<(BackupContent, Instant)>> {
        crate::session::lock_or_recover(&self.checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_steps_only_while_running() {
        let restoring = Restoring::default();
        assert_eq!(restoring.progress().step, 0);
        restoring.begin(Phase::Reading);
        restoring.reach(Phase::Writing);
        let now = restoring.progress();
        assert!(now.running);
        assert_eq!(
            (now.phase, now.step, now.steps),
            (Some(Phase::Writing), 4, 5)
        );
        restoring.finish();
        assert!(restoring.progress().phase.is_none());
    }
}
