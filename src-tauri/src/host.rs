//! The shell's window: the [`Host`] the services call for what only the window can do —
//! show the page afresh in a new web content process, and open the system's folder and file
//! choosers.
//!
//! Policy: the choosers are the dialog plugin's, called from Rust, with the window as their
//! parent; the page gets the chosen path from the service, never the plugin's own commands
//! (the capability grants none of them).

use std::path::PathBuf;

use holdspace_shell::error::AppError;
use holdspace_shell::host::{FileFilter, Host};
use tauri::{Manager, Runtime, Window};
use tauri_plugin_dialog::{Dialog, FileDialogBuilder};

/// The window a command came from, as the shell's host.
pub struct WindowHost<R: Runtime>(pub Window<R>);

impl<R: Runtime> WindowHost<R> {
    /// A chooser titled `title` over this window, or [`AppError::PickerFailed`] when the
    /// dialog plugin is not set up (the mock runtime in tests).
    fn chooser(&self, title: &str) -> Result<FileDialogBuilder<R>, AppError> {
        let dialog = self
            .0
            .try_state::<Dialog<R>>()
            .map(|d| d.inner().clone())
            .ok_or(AppError::PickerFailed)?;
        Ok(dialog.file().set_title(title).set_parent(&self.0))
    }
}

impl<R: Runtime> Host for WindowHost<R> {
    fn show_afresh(&self) {
        crate::web_process::show_afresh(self.0.app_handle());
    }

    fn choose_folder(&self, title: &str) -> Result<Option<PathBuf>, AppError> {
        Ok(self
            .chooser(title)?
            .blocking_pick_folder()
            .and_then(chosen_path))
    }

    fn choose_file(&self, title: &str, filter: FileFilter) -> Result<Option<PathBuf>, AppError> {
        Ok(self
            .chooser(title)?
            .add_filter(filter.name, filter.extensions)
            .blocking_pick_file()
            .and_then(chosen_path))
    }
}

/// The chosen path, when it is a path on this computer.
fn chosen_path(picked: tauri_plugin_dialog::FilePath) -> Option<PathBuf> {
    picked.into_path().ok()
}
