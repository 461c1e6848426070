//! Unsaved changes, as the page reports them: what a page holds and has not saved (sealed as
//! a draft if the app locks), a draft found again after unlock, and how it was settled.
//!
//! Policy: the practice keeps the rules (bounds, audit, what a lock seals); here the page's
//! words become the practice's values.

use std::collections::BTreeMap;

use holdspace::practice::{Draft, Practice, Settled};

use crate::error::AppError;

/// Holds a page's unsaved changes (field name → value) in memory; no fields forgets them.
pub fn hold(
    practice: &mut Practice,
    place: &str,
    title: &str,
    fields: BTreeMap<String, String>,
) -> Result<(), AppError> {
    Ok(practice.hold_unsaved(place, title, fields)?)
}

/// Forgets a page's unsaved changes: saved, or discarded by the practitioner.
pub fn forget(practice: &mut Practice, place: &str) -> Result<(), AppError> {
    practice.forget_unsaved(place);
    Ok(())
}

/// The draft kept at a lock for the page at `place`, if any.
pub fn draft(practice: &Practice, place: &str) -> Result<Option<Draft>, AppError> {
    Ok(practice.draft(place).cloned())
}

/// Settles the draft for `place`: saved through its page when `saved`, else discarded.
pub fn settle(practice: &mut Practice, place: &str, saved: bool) -> Result<(), AppError> {
    let how = if saved {
        Settled::Saved
    } else {
        Settled::Discarded
    };
    Ok(practice.settle_draft(place, how)?)
}
