//! Where a vault lives by default.
//!
//! Policy: one per-user data folder shared by the desktop app and `holdspace-cli`, so both open
//! the same vault without being told; `HOLDSPACE_VAULT` overrides it for both.

use std::path::PathBuf;

/// Environment variable naming a vault folder that overrides the default.
pub const VAULT_ENV: &str = "HOLDSPACE_VAULT";

/// The vault folder to use when none is given: `$HOLDSPACE_VAULT` if set, else `vault` inside
/// the per-user data folder (`~/.local/share/Holdspace` on Linux, `~/Library/Application
/// Support/Holdspace` on macOS, `%APPDATA%\Holdspace` on Windows). `None` when the system has
/// no home or data folder.
pub fn default_vault_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("Holdspace").join("vault"))
}

/// The folder a practitioner expects exported files in: Documents, else the home folder,
/// else the current folder.
pub fn documents_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}
