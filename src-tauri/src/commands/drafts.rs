//! Commands about unsaved changes: a page holding what it has not saved (sealed as a draft if
//! the app locks), a draft found again after unlock and settled, and closing the window once
//! the practitioner has answered for a page's unsaved changes.

use std::collections::BTreeMap;

use holdspace::practice::Draft;
use tauri::{Runtime, State, Window};

use super::{reply, CommandResult};
use crate::service::drafts;
use crate::session::AppSession;

/// Holds a page's unsaved changes (field name → value) in memory; no fields forgets them.
#[tauri::command(rename_all = "snake_case")]
pub async fn hold_unsaved(
    session: State<'_, AppSession>,
    place: String,
    title: String,
    fields: BTreeMap<String, String>,
) -> CommandResult<()> {
    reply(session.with_practice(|p| drafts::hold(p, &place, &title, fields)))
}

/// Forgets a page's unsaved changes: saved, or discarded by the practitioner.
#[tauri::command(rename_all = "snake_case")]
pub async fn forget_unsaved(session: State<'_, AppSession>, place: String) -> CommandResult<()> {
    reply(session.with_practice(|p| drafts::forget(p, &place)))
}

/// The draft kept at a lock for the page at `place`, if any.
#[tauri::command(rename_all = "snake_case")]
pub async fn draft(session: State<'_, AppSession>, place: String) -> CommandResult<Option<Draft>> {
    reply(session.with_practice(|p| drafts::draft(p, &place)))
}

/// Settles the draft for `place`: saved through its page (`saved`), or discarded.
#[tauri::command(rename_all = "snake_case")]
pub async fn settle_draft(
    session: State<'_, AppSession>,
    place: String,
    saved: bool,
) -> CommandResult<()> {
    reply(session.with_practice(|p| drafts::settle(p, &place, saved)))
}

/// Closes the window, locking first, once the page has saved or discarded its changes.
#[tauri::command(rename_all = "snake_case")]
pub async fn close_window<R: Runtime>(window: Window<R>) -> CommandResult<()> {
    crate::lock_then_close(window);
    Ok(())
}
