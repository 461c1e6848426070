//! The IPC commands: each takes the session, makes one call into the shell's services (or the
//! session), and maps the error to the shell's `IpcError` with [`reply`]. No logic lives here.
//!
//! Policy: every command is `async`, so none runs on the window's main thread (a key
//! derivation or a rotation never freezes the window); arguments keep the UI's snake_case
//! names; secrets arrive as [`SecretArg`], wiped when dropped. Every command must be listed in
//! `command_names.rs` and granted in `capabilities/main.json`, or the window cannot call it.

pub mod backups;
pub mod client;
pub mod drafts;
pub mod practice;
pub mod print;
pub mod vault;

pub use holdspace_shell::ipc::{reply, CommandResult, SecretArg};
