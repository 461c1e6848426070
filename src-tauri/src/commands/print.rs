//! Printing the page: the recovery sheet, a group's ground-rules handout and a member's signed
//! copy are print-ready documents in the page (print.css); this asks the system to print the
//! window, through its own print dialog — where "Print to File" saves a PDF wherever the
//! practitioner chooses. (WebKitGTK ignores the page's own `window.print()`.)
//!
//! Not a `#[tauri::command]`: it needs the calling webview, which a generic command cannot
//! name here, so the handler in `lib.rs` calls [`print_page`] directly. It is allow-listed and
//! granted like every command, and refused in client mode like every other command.

use tauri::ipc::Invoke;
use tauri::Runtime;

use crate::error::IpcError;

/// The command's name, as the page calls it.
pub const PRINT_PAGE: &str = "print_page";

/// Opens the system print dialog for the calling window.
pub fn print_page<R: Runtime>(invoke: Invoke<R>) -> bool {
    match invoke.message.webview().print() {
        Ok(()) => invoke.resolver.resolve(()),
        Err(_) => invoke.resolver.reject(IpcError::print_failed()),
    }
    true
}
