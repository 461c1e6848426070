//! The web content process after a lock: ended, and a new one shows the unlock screen.
//!
//! Policy: everything the page ever showed or was typed into it (records, notes, the
//! passphrase) lives in WebKit's web content process: in the JavaScript heap until it is
//! collected, and in WebKit's own caches, such as the text layout cache, which keeps the
//! words of every laid-out text keyed by the text itself and is emptied only under memory
//! pressure. Reloading the page keeps that process. So a lock ends it: the app asks WebKit
//! to terminate the page's web process and loads the page again, which starts a fresh
//! process that has never seen a record. Its memory goes back to the system when the
//! process exits.
//!
//! One exception: a webview controlled through WebDriver (the end-to-end tests) keeps its
//! process, because WebKit ends the WebDriver session with it; such a page is reloaded.
//! The memory test that checks this runs the app without WebDriver.
//!
//! On other platforms the page is reloaded.

use tauri::{Manager, Runtime};

use crate::MAIN_WINDOW;

/// Shows the app's page afresh, in a new web content process where the platform allows it
/// (see the module doc), else reloaded. Returns at once; the work is done on the window's
/// thread.
pub fn show_afresh<R: Runtime>(app: &tauri::AppHandle<R>) {
    let Some(page) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    #[cfg(target_os = "linux")]
    {
        let renewed = page.with_webview(|platform| renew(&platform.inner()));
        if renewed.is_ok() {
            return;
        }
    }
    let _ = page.reload();
}

/// Ends `webview`'s web content process and loads its page again in a new one; a webview
/// under WebDriver is only reloaded.
#[cfg(target_os = "linux")]
fn renew(webview: &webkit2gtk::WebView) {
    use webkit2gtk::WebViewExt;
    if !webview.is_controlled_by_automation() {
        webview.terminate_web_process();
    }
    webview.reload();
}
