//! A member's own record (the right of access) from the app: the preview the practitioner
//! reads before handing it over, saving it as JSON, and recording that it was printed.
//!
//! Policy: the preview is exactly what is handed over (the same [`MemberRecord`]); it is not
//! audited, as nothing leaves. Saving writes a new owner-only file named for the moment, never
//! the member, never over an existing file or through a symlink; saving and printing are each
//! audited as an export about the member.

use std::path::Path;

use holdspace::practice::{MemberId, MemberRecord, Practice};

use super::settings::{save_new_file, Exported};
use crate::error::AppError;

/// The record as it would be handed over today, for the practitioner to read first.
pub fn preview(practice: &Practice, member: MemberId) -> Result<MemberRecord, AppError> {
    Ok(practice.member_record(member, practice.today())?)
}

/// Saves the record as JSON in a new owner-only file in `folder`; audited.
pub fn save(
    practice: &mut Practice,
    member: MemberId,
    folder: &Path,
) -> Result<Exported, AppError> {
    // Checked first, so an unknown member leaves no "exported" line behind.
    practice.member_record(member, practice.today())?;
    let now = practice.now();
    save_new_file(folder, "holdspace-member-record", now, || {
        let record = practice.hand_over_member_record(member, "member record, saved as JSON")?;
        serde_json::to_vec_pretty(&record).map_err(|_| AppError::ExportFailed)
    })
}

/// The record to print, audited as printed (the system's print dialog does the rest).
pub fn printed(practice: &mut Practice, member: MemberId) -> Result<MemberRecord, AppError> {
    Ok(practice.hand_over_member_record(member, "member record, printed")?)
}
