//! "Now", for every layer: the practice stamps its records and audit events with it, backups
//! name their files and check their dates with it. Tests set a fixed clock instead.

use time::OffsetDateTime;

/// The source of "now" (the system clock, or a fixed one in tests).
pub type Clock = fn() -> OffsetDateTime;

/// Local time if the system can tell the offset, else UTC.
pub fn system_clock() -> OffsetDateTime {
    OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc())
}
