//! The Holdspace desktop app: the Tauri window around `holdspace_shell`, which holds the
//! session, the services behind every command and the one `{code, message}` error the UI
//! sees, with no Tauri in it.
//!
//! Here: [`commands`] are the IPC entry points, one call into the shell's services each;
//! [`host`] is the shell's window (the page shown afresh, the system's choosers); and this
//! file wires them into a Tauri app: the state, the command handler, the one window
//! (navigation confined to the app), and the auto-lock watcher, which locks in Rust and shows
//! the page afresh ([`web_process`]) so nothing the page held survives.
//!
//! Policy: the shell has no network code and no access to sled or the crypto crates — only
//! the core's API. Its one plugin is the dialog plugin, for the backup folder and file
//! pickers, called from Rust only. Closing an unlocked window locks it first, so the
//! automatic backup on quit runs (and a failure is shown, not lost).

// `deny`, not `forbid`: memory.rs holds the one audited exception.
#![deny(unsafe_code)]

pub mod about;
pub mod commands;
pub mod config;
pub mod host;
pub mod memory;
pub mod navigation;
pub mod startup;
pub mod web_process;

pub use holdspace_shell::{error, progress, restoring, service, session, throttle};

include!("command_names.rs");

use std::time::Duration;

use tauri::{Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use config::AppConfig;
use session::AppSession;

/// The window's label (the capability grants commands to this window only).
pub const MAIN_WINDOW: &str = "main";

/// How often the auto-lock watcher looks at the idle time.
const AUTO_LOCK_TICK: Duration = Duration::from_millis(500);

/// Every how many ticks the watcher returns freed memory to the system (10 s).
const RELEASE_MEMORY_EVERY: u32 = 20;

/// Registers the session and every command on `builder` (shared by the app and the tests).
/// While client mode is active, a gate in front of the handler answers every command that is
/// not one of [`CLIENT_MODE_COMMANDS`] with the same error, before it runs — so a command
/// added later cannot slip through.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, session: AppSession) -> tauri::Builder<R> {
    let handler = commands_handler::<R>();
    builder.manage(session).invoke_handler(move |invoke| {
        let command = invoke.message.command();
        let client_mode = invoke
            .message
            .webview()
            .state::<AppSession>()
            .in_client_mode();
        if client_mode && !CLIENT_MODE_COMMANDS.contains(&command) {
            invoke.resolver.reject(error::IpcError::client_mode());
            return true;
        }
        if command == commands::print::PRINT_PAGE {
            return commands::print::print_page(invoke);
        }
        handler(invoke)
    })
}

/// Every command, as Tauri's handler.
fn commands_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        commands::vault::app_status,
        commands::vault::passphrase_strength,
        commands::vault::create_vault,
        commands::vault::unlock,
        commands::vault::recover,
        commands::vault::lock,
        commands::vault::show_afresh,
        commands::vault::touch,
        commands::vault::change_passphrase,
        commands::vault::rotate_key,
        commands::vault::rotation_progress,
        commands::vault::export_practice,
        commands::practice::home,
        commands::practice::search,
        commands::practice::list_groups,
        commands::practice::group_page,
        commands::practice::save_group,
        commands::practice::add_to_group,
        commands::practice::update_membership,
        commands::practice::unanswered_before_leaving,
        commands::practice::remove_from_group,
        commands::practice::list_members,
        commands::practice::member_page,
        commands::practice::save_member,
        commands::practice::delete_member,
        commands::practice::purge_preview,
        commands::practice::purge_member,
        commands::practice::session_draft,
        commands::practice::session_page,
        commands::practice::save_session,
        commands::practice::save_note,
        commands::practice::delete_note,
        commands::practice::agreement_page,
        commands::practice::save_agreement,
        commands::practice::record_paper_signature,
        commands::practice::withdraw_signature,
        commands::practice::mark_talked_about,
        commands::practice::member_record_preview,
        commands::practice::save_member_record,
        commands::practice::member_record_printed,
        commands::practice::measure_definitions,
        commands::practice::record_paper_questionnaire,
        commands::practice::review_safety_flag,
        commands::practice::delete_questionnaire,
        commands::practice::list_incidents,
        commands::practice::incident_choices,
        commands::practice::save_incident,
        commands::practice::audit_log,
        commands::practice::settings,
        commands::practice::licences,
        commands::practice::save_profile,
        commands::client::start_client_mode,
        commands::client::client_view,
        commands::client::client_acknowledge,
        commands::client::client_mark,
        commands::client::client_sign,
        commands::client::client_answer,
        commands::client::client_finish_questionnaire,
        commands::client::leave_client_mode,
        commands::client::dismiss_client_exit_notice,
        commands::vault::dismiss_unlock_notice,
        commands::vault::accept_history,
        commands::vault::new_recovery_code,
        commands::backups::backup_overview,
        commands::backups::save_backup_settings,
        commands::backups::store_backup_key,
        commands::backups::back_up_now,
        commands::backups::save_protected_copy,
        commands::backups::choose_folder,
        commands::backups::choose_backup_file,
        commands::backups::inspect_backup,
        commands::backups::restore_backup,
        commands::backups::restored_sheet,
        commands::backups::restore_progress,
        commands::drafts::hold_unsaved,
        commands::drafts::forget_unsaved,
        commands::drafts::draft,
        commands::drafts::settle_draft,
        commands::drafts::close_window,
    ]
}

/// Runs the desktop app until its window closes; the vault is locked on the way out. `kdf`
/// is the key-derivation policy new vaults and passphrases get.
pub fn run(config: AppConfig, kdf: holdspace::KdfPolicy) -> Result<(), String> {
    let session = AppSession::new(config.vault_dir, kdf, config.auto_lock)
        .after_unlock(std::sync::Arc::new(memory::release_free_memory));
    let app = builder(tauri::Builder::default(), session)
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            open_main_window(app.handle())?;
            watch_idle_time(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let session = window.state::<AppSession>();
                if session.should_ask_before_close() {
                    api.prevent_close();
                    ask_before_close(window);
                } else if session.needs_lock_before_close() {
                    api.prevent_close();
                    lock_then_close(window.clone());
                }
            }
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("the window could not be opened ({e})"))?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Locking wipes the keys; a failure to record the lock changes nothing else.
            let _ = handle.state::<AppSession>().lock();
        }
    });
    Ok(())
}

/// Closing an unlocked window: lock first (making the automatic backup if one is due), off
/// the main thread. The page shows the unlock screen at once, so no record stays on screen
/// while the backup runs. If the backup failed, the window stays open and the unlock screen
/// says why; closing it again then quits. Otherwise the window closes.
pub(crate) fn lock_then_close<R: Runtime>(window: tauri::Window<R>) {
    std::thread::spawn(move || {
        let session = window.state::<AppSession>();
        let backup_failed = match session.take_for_lock() {
            Some(locking) => {
                web_process::show_afresh(window.app_handle());
                session.finish_lock(locking).unwrap_or(false)
            }
            None => false,
        };
        if backup_failed {
            web_process::show_afresh(window.app_handle());
        } else {
            let _ = window.close();
        }
    });
}

/// Asks the page what to do with its unsaved changes before the window closes: the page
/// offers to save, discard or stay, then calls `close_window`. A fixed script that only
/// raises an event; no data goes into it.
fn ask_before_close<R: Runtime>(window: &tauri::Window<R>) {
    if let Some(page) = window.app_handle().get_webview_window(MAIN_WINDOW) {
        let _ = page.eval(CLOSE_REQUESTED_SCRIPT);
    }
}

/// What [`ask_before_close`] runs in the page.
const CLOSE_REQUESTED_SCRIPT: &str =
    "document.dispatchEvent(new CustomEvent('holdspace-close-requested'));";

/// The one window, confined to the app's own pages.
fn open_main_window<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<()> {
    WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Holdspace")
        .inner_size(1200.0, 800.0)
        .min_inner_size(880.0, 600.0)
        .on_navigation(navigation::is_app_url)
        // The window's title follows the page's, which names the kind of page, never whose
        // (ui/lib/router.js): it shows in the taskbar and the window switcher.
        .on_document_title_changed(|window, title| {
            let _ = window.set_title(&title);
        })
        .build()?;
    Ok(())
}

/// Locks the vault after the idle time, from Rust, and shows the page afresh so the UI forgets;
/// every ten seconds also returns freed memory to the system (see [`memory`]).
fn watch_idle_time<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || {
        for tick in 1u32.. {
            std::thread::sleep(AUTO_LOCK_TICK);
            let session = app.state::<AppSession>();
            if let Some(locking) = session.take_if_idle() {
                // The page goes to the unlock screen first; the backup runs after.
                web_process::show_afresh(&app);
                if session.finish_lock(locking).unwrap_or(false) {
                    web_process::show_afresh(&app);
                }
            }
            if tick % RELEASE_MEMORY_EVERY == 0 {
                memory::release_free_memory();
            }
        }
    });
}
