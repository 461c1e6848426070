//! A member's own record (the right of access) from the app: the preview the practitioner
//! reads before handing it over, saving it as JSON, and recording that it was printed.
//!
//! Policy: the preview is exactly what is handed over (the same [`MemberRecord`]); it is not
//! audited, as nothing leaves. Saving writes a new owner-only file named for the moment, never
//! the member, never over an existing file or through a symlink; saving and printing are each
//! audited as an export about the member.

use std::path::Path;

use holdspace::fsutil::{write_private, Existing};
use holdspace::practice::{MemberId, MemberRecord, Practice};

use super::settings::Exported;
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
    let now = practice.now();
    let name = format!(
        "holdspace-member-record-{:04}-{:02}-{:02}-{:02}{:02}{:02}.json",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let path = folder.join(&name);
    if path.symlink_metadata().is_ok() {
        return Err(AppError::FileExists);
    }
    // Checked before the audit event, so a refusal leaves no "exported" line behind.
    practice.member_record(member, practice.today())?;
    let record = practice.hand_over_member_record(member, "member record, saved as JSON")?;
    let json = serde_json::to_vec_pretty(&record).map_err(|_| AppError::ExportFailed)?;
    write_private(&path, &json, Existing::Refuse).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => AppError::FileExists,
        _ => AppError::ExportFailed,
    })?;
    Ok(Exported {
        path: path.display().to_string(),
        bytes: json.len() as u64,
    })
}

/// The record to print, audited as printed (the system's print dialog does the rest).
pub fn printed(practice: &mut Practice, member: MemberId) -> Result<MemberRecord, AppError> {
    Ok(practice.hand_over_member_record(member, "member record, printed")?)
}
