//! The Holdspace desktop app without its window: the session (the unlocked practice, idle
//! time, client mode), the services behind every command the page may call, and the one
//! `{code, message}` error the page sees.
//!
//! Layers, inward only: [`error`], [`locks`], [`progress`], [`throttle`], [`restoring`] and
//! [`visit`] know nothing of the modules above them; [`session`] holds the state; [`service`]
//! does what each command does, over the session and, for what needs the window, a
//! [`host::Host`]; [`ipc`] is how arguments arrive and answers leave.
//!
//! Policy: no Tauri, no window, no network, no sled and no crypto here — only the core's API
//! (`holdspace`). The desktop app (`src-tauri`) implements [`host::Host`] and turns each
//! command into one call into [`service`]; everything else is tested here, without a window.

#![forbid(unsafe_code)]

pub mod error;
pub mod host;
pub mod ipc;
pub mod locks;
pub mod progress;
pub mod restoring;
pub mod service;
pub mod session;
pub mod throttle;
pub mod visit;
