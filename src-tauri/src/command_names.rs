// The app's IPC commands, by name: one list shared by build.rs (the `AppManifest` allow-list)
// and the tests that check every command is registered and granted. A command missing here
// cannot be called from the window at all.

/// Every command the UI may call.
pub const COMMAND_NAMES: &[&str] = &[
    // the vault and the session
    "app_status",
    "passphrase_strength",
    "create_vault",
    "unlock",
    "recover",
    "lock",
    "dismiss_unlock_notice",
    "accept_history",
    "touch",
    "change_passphrase",
    "rotate_key",
    "new_recovery_code",
    "rotation_progress",
    "export_practice",
    // unsaved changes and drafts
    "hold_unsaved",
    "forget_unsaved",
    "draft",
    "settle_draft",
    "close_window",
    // the practice
    "home",
    "search",
    "list_groups",
    "group_page",
    "save_group",
    "add_to_group",
    "update_membership",
    "remove_from_group",
    "list_members",
    "member_page",
    "save_member",
    "delete_member",
    "purge_preview",
    "purge_member",
    "session_draft",
    "session_page",
    "save_session",
    "save_note",
    "delete_note",
    "agreement_page",
    "save_agreement",
    "record_paper_signature",
    "withdraw_signature",
    "list_incidents",
    "incident_choices",
    "save_incident",
    "audit_log",
    "settings",
    "save_profile",
    "print_page",
    // backups and restore
    "backup_overview",
    "save_backup_settings",
    "store_backup_key",
    "back_up_now",
    "save_protected_copy",
    "choose_folder",
    "choose_backup_file",
    "inspect_backup",
    "restore_backup",
    "restore_progress",
    // client mode
    "start_client_mode",
    "client_view",
    "client_acknowledge",
    "client_mark",
    "client_sign",
    "leave_client_mode",
    "dismiss_client_exit_notice",
];

/// The only commands answered while client mode is active; every other one gets the same
/// "not available in client mode" error from the handler's gate.
pub const CLIENT_MODE_COMMANDS: &[&str] = &[
    "client_view",
    "client_acknowledge",
    "client_mark",
    "client_sign",
    "leave_client_mode",
];
