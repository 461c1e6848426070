//! What the shell needs from the window it serves, and nothing more: show the page afresh,
//! and ask the practitioner for a folder or a file in the system's own chooser.
//!
//! Policy: the services call the window only through [`Host`], so every one of them runs, and
//! is tested, without a window (the desktop app implements it over Tauri; the tests over a
//! recording fake). A host never sees a record, a secret or a path it did not choose itself.

use std::path::PathBuf;

use crate::error::AppError;

/// A file chooser's filter: a name for people and the extensions it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileFilter {
    /// What the filter is called in the chooser ("Holdspace backups").
    pub name: &'static str,
    /// The extensions it shows, without the dot.
    pub extensions: &'static [&'static str],
}

/// The window the shell serves.
pub trait Host {
    /// Ends the page's web content process and shows the first page in a new one, so that
    /// nothing the page held (records, typed text) survives a lock.
    fn show_afresh(&self);

    /// Asks for a folder in the system's chooser titled `title`; `None` when cancelled.
    /// [`AppError::PickerFailed`] when no chooser could be opened.
    fn choose_folder(&self, title: &str) -> Result<Option<PathBuf>, AppError>;

    /// Asks for one file in the system's chooser titled `title`, showing `filter`; `None`
    /// when cancelled. [`AppError::PickerFailed`] when no chooser could be opened.
    fn choose_file(&self, title: &str, filter: FileFilter) -> Result<Option<PathBuf>, AppError>;
}
