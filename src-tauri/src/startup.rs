//! Start-up timing for the benchmarks: when `HOLDSPACE_REPORT_STARTUP=1` is set, the moment
//! the page first reports a painted screen is printed once to stderr as UNIX nanoseconds, so
//! a script that noted when it launched the app can compute cold-start time. Prints nothing
//! about the vault or its contents, and nothing at all unless asked.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Environment variable that turns the report on.
pub const REPORT_ENV: &str = "HOLDSPACE_REPORT_STARTUP";

static REPORTED: AtomicBool = AtomicBool::new(false);

/// Prints `holdspace-startup painted_unix_ns=N` the first time it is called, if asked to.
pub fn report_first_paint() {
    if std::env::var_os(REPORT_ENV).is_none() || REPORTED.swap(true, Ordering::AcqRel) {
        return;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    eprintln!("holdspace-startup painted_unix_ns={now}");
}
