//! The restore in progress: the backup the practitioner has opened and checked (kept between
//! "Open and check" and "Restore"), and how far the current step has got, for a progress bar.
//!
//! Policy: a checked backup is held only until it is restored, another is opened, the app
//! locks, or it has waited [`HOLD_FOR`]; it is never written anywhere. Progress is published
//! through the shell's one [`ProgressMeter`], so asking for it never waits behind the work.
//! No Tauri, no wording.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use holdspace::backup::{BackupContent, RestoreStep};
use serde::Serialize;

use crate::progress::{Progress, ProgressMeter};

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

/// The steps' names, in order, as the page receives them.
const PHASE_NAMES: &[&str] = &["reading", "checking", "creating", "writing", "moving"];

impl Phase {
    /// The step's name, as the page receives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Reading => PHASE_NAMES[0],
            Self::Checking => PHASE_NAMES[1],
            Self::Creating => PHASE_NAMES[2],
            Self::Writing => PHASE_NAMES[3],
            Self::Moving => PHASE_NAMES[4],
        }
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

/// The restore state shared by the restore commands.
pub struct Restoring {
    checked: Mutex<Option<(BackupContent, Instant)>>,
    meter: ProgressMeter,
}

impl Default for Restoring {
    fn default() -> Self {
        Self {
            checked: Mutex::new(None),
            meter: ProgressMeter::with_steps(PHASE_NAMES),
        }
    }
}

impl Restoring {
    /// Marks the start of opening or restoring (at `phase`).
    pub fn begin(&self, phase: Phase) {
        self.meter.begin();
        self.meter.reach(phase.name());
    }

    /// Moves on to `phase`.
    pub fn reach(&self, phase: Phase) {
        self.meter.reach(phase.name());
    }

    /// Marks the end of opening or restoring, however it went.
    pub fn finish(&self) {
        self.meter.finish();
    }

    /// Where things stand.
    pub fn progress(&self) -> Progress {
        self.meter.progress()
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
        crate::locks::lock_or_recover(&self.checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_steps_only_while_running() {
        let restoring = Restoring::default();
        assert_eq!(restoring.progress().done, 0);
        restoring.begin(Phase::Reading);
        restoring.reach(Phase::Writing);
        let now = restoring.progress();
        assert!(now.running);
        assert_eq!((now.step, now.done, now.total), (Some("writing"), 4, 5));
        restoring.finish();
        assert!(restoring.progress().step.is_none());
    }

    #[test]
    fn every_phase_has_its_own_name_in_order() {
        let phases = [
            Phase::Reading,
            Phase::Checking,
            Phase::Creating,
            Phase::Writing,
            Phase::Moving,
        ];
        let names: Vec<&str> = phases.iter().map(|p| p.name()).collect();
        assert_eq!(names, PHASE_NAMES);
        for phase in phases {
            let json = serde_json::to_value(phase).unwrap();
            assert_eq!(json, phase.name(), "the page gets the same name either way");
        }
    }
}
