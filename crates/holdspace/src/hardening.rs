//! Process hardening that every Holdspace binary applies first thing at start: an unlocked
//! practice must never end up in a core file, and nothing the process creates may be readable
//! by other users.
//!
//! Policy: [`harden_process`] sets the core-file limit to zero (soft and hard, so it cannot be
//! raised again, and children such as WebKit's web process inherit it), marks the process
//! non-dumpable on Linux (no core file, no `ptrace` or `/proc/PID/mem` by other processes of
//! the same user), and sets the file-creation mask to 077 (new files 0600, new folders 0700,
//! whoever creates them — sled's own files included). Failure is an error, and the binaries
//! refuse to start on it: running unprotected without saying so is worse than not running.
//! On systems without these controls (Windows) it does nothing, and SECURITY.md says so.
//! Safe wrappers only (`rustix`): this crate keeps `forbid(unsafe_code)`.

/// What could not be set up; the binaries print it in one line and stop.
#[derive(Debug, thiserror::Error)]
pub enum HardeningError {
    /// The core-file limit could not be set to zero.
    #[error("could not turn off core files ({0})")]
    CoreLimit(std::io::Error),
    /// The process could not be marked non-dumpable.
    #[error("could not mark the process as not dumpable ({0})")]
    Dumpable(std::io::Error),
}

/// Turns off core files, marks the process non-dumpable (Linux) and makes new files private.
/// Call it before anything reads a secret; calling it again is harmless.
pub fn harden_process() -> Result<(), HardeningError> {
    // Not dumpable first: once the core limit reads zero, the whole call has taken effect.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        set_dumpable_behavior(DumpableBehavior::NotDumpable)
            .map_err(|e| HardeningError::Dumpable(e.into()))?;
    }
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let none = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        setrlimit(Resource::Core, none).map_err(|e| HardeningError::CoreLimit(e.into()))?;
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
    Ok(())
}

/// How the running process stands, read back from the kernel (for tests and diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessProtection {
    /// The core-file limit is zero, soft and hard.
    pub core_files_off: bool,
    /// The process is not dumpable (always false where the system has no such flag).
    pub not_dumpable: bool,
}

/// Reads back what [`harden_process`] set.
pub fn process_protection() -> ProcessProtection {
    #[cfg(unix)]
    let core_files_off = {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        limit.current == Some(0) && limit.maximum == Some(0)
    };
    #[cfg(not(unix))]
    let core_files_off = false;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let not_dumpable = matches!(
        rustix::process::dumpable_behavior(),
        Ok(rustix::process::DumpableBehavior::NotDumpable)
    );
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let not_dumpable = false;
    ProcessProtection {
        core_files_off,
        not_dumpable,
    }
}
