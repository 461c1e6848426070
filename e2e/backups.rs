//! Backups on the real window: the backups page shows the chosen folder, "Back up now" writes
//! a file and lists it, an automatic backup that fails at lock is shown on the unlock screen
//! and then as a banner — never silent — and restoring from the unlock screen replaces the
//! vault only with the current vault's passphrase. The folder and file pickers are native GTK
//! dialogs outside WebDriver's reach: the backup folder is chosen through the core beforehand,
//! and the backup file is chosen in GTK's file chooser with `xdotool` (`support`).

use std::path::Path;

use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::backup::Protection;
use holdspace::practice::{Practice, PracticeProfile};
use holdspace::{KdfPolicy, Passphrase, Vault};

use super::{create_group, unlock, PASSPHRASE};
use crate::support::App;

/// A locked vault with its backup key, backing up into `backups` on lock.
fn vault_backing_up_into(vault: &Path, backups: &Path) {
    let created = Vault::create(
        vault,
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("vault created");
    let mut practice = Practice::load(created.vault).expect("practice");
    holdspace::backup::store_backup_key(&mut practice, &created.recovery_code).expect("key");
    let preferences = FolderPreferences {
        folder: Some(backups.to_path_buf()),
        on_lock: true,
        keep_recent: 10,
        keep_monthly: 12,
    };
    folder::save_preferences(&mut practice, &preferences).expect("backup folder");
    practice.lock().expect("locked");
}

fn backups_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn back_up_now_lists_the_backup_and_a_failed_backup_at_lock_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let vault = dir.path().join("vault");
    vault_backing_up_into(&vault, &backups);
    let app = App::start(&vault, &[]).await;
    unlock(&app).await;

    app.go("/settings/backups").await;
    app.wait("[data-testid=back-up-now]").await;
    app.wait_text(backups.to_str().unwrap()).await;
    app.shot("backups-01-page").await;
    app.click("[data-testid=back-up-now]").await;
    app.wait_text("Backed up").await;
    let made = backups_in(&backups);
    assert_eq!(made.len(), 1, "{made:?}");
    app.wait_text(&made[0]).await;
    app.shot("backups-02-backed-up").await;
    app.assert_accessible("backups page").await;

    // The drive goes away, the practice changes, and the practitioner locks.
    std::fs::remove_dir_all(&backups).unwrap();
    create_group(&app).await;
    app.click("[data-testid=lock]").await;
    app.wait("[data-testid=backup-alert]").await;
    assert!(
        app.body_text()
            .await
            .contains("The backup folder isn't there"),
        "the unlock screen says why the backup failed"
    );
    app.shot("backups-03-unlock-alert").await;

    unlock(&app).await;
    app.wait("[data-testid=backup-alert]").await;
    app.shot("backups-04-banner").await;

    app.go("/settings/restore").await;
    app.wait("[data-testid=restore-check]").await;
    app.shot("backups-05-restore").await;
    app.assert_accessible("restore page").await;
    app.quit().await;
}

/// The passphrase the backup was given when it was made.
pub(crate) const BACKUP_PASSPHRASE: &str = "copper kettle drifting willow";
/// The passphrase the restored vault gets.
pub(crate) const RESTORED_PASSPHRASE: &str = "amber tide quarry whistle";
/// The practice name in the backup, shown once the restored vault is unlocked.
const RESTORED_PRACTICE: &str = "Quayside Group Practice";
/// GTK's file chooser title for a backup (`choose_backup_file`).
pub(crate) const CHOOSER_TITLE: &str = "Choose a Holdspace backup";

/// A backup protected by its own passphrase, made through the core from another vault (in
/// `source`) whose practice is called [`RESTORED_PRACTICE`]; written to `file`.
pub(crate) fn backup_of_another_practice(source: &Path, file: &Path) {
    let created = Vault::create(
        source,
        &Passphrase::new("a different vault entirely").unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("source vault created");
    let mut practice = Practice::unlock(created.vault).expect("practice");
    practice
        .save_profile(PracticeProfile {
            practitioner_name: "Dr Mira Okafor".into(),
            credentials: String::new(),
            practice_name: RESTORED_PRACTICE.into(),
            contact_line: String::new(),
            auto_lock_minutes: 10,
        })
        .expect("profile");
    holdspace::backup::write_backup(
        &mut practice,
        file,
        Protection::Passphrase(&Passphrase::new(BACKUP_PASSPHRASE).unwrap()),
        KdfPolicy::InsecureTest,
    )
    .expect("backup written");
    practice.lock().expect("locked");
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names = backups_in(dir);
    names.sort();
    names
}

/// The error shown beside the restore form's `current` field.
async fn current_field_error(app: &App) -> String {
    let text = app
        .script(
            "const e = document.querySelector('[data-field=current] .field-error'); return e ? e.textContent : null",
            vec![],
        )
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

/// Presses "Restore" and waits for the shell's answer beside the `current` field.
async fn restore_refused_beside_current(app: &App, expected: &str) {
    app.click("[data-testid=restore-start]").await;
    let started = std::time::Instant::now();
    loop {
        let shown = current_field_error(app).await;
        if shown == expected {
            return;
        }
        if started.elapsed() > crate::support::PATIENCE {
            app.shot("failure").await;
            panic!(
                "beside the current passphrase: {shown:?}, not {expected:?}; the page shows:\n{}",
                app.body_text().await
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver, webkit2gtk-driver and xdotool (make test)"]
async fn restoring_over_the_vault_from_the_unlock_screen_needs_its_current_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    crate::existing_vault(&vault);
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let backup = backups.join("quayside.age");
    backup_of_another_practice(&dir.path().join("source"), &backup);
    let before = entries(dir.path());
    let vault_before = entries(&vault);

    // GTK's file chooser records the chosen file in XDG_DATA_HOME's recently-used list: the
    // app's fresh profile (`support::FreshProfile`) keeps it out of the tester's own.
    let app = App::start(&vault, &[]).await;
    app.wait_text("Unlock your records").await;
    app.click("[data-testid=restore-open]").await;
    app.wait_text("Restore from a backup").await;

    // Step 1: the file comes from GTK's own file chooser, then it is opened and checked.
    app.click("[data-testid=restore-file]").await;
    app.wait_native_window(CHOOSER_TITLE).await;
    app.screen_shot("restore-00-file-chooser");
    app.choose_in_file_chooser(CHOOSER_TITLE, &backup).await;
    let chosen = app.wait("[data-testid=restore-file-path]").await;
    assert_eq!(chosen.text().await.unwrap(), backup.to_str().unwrap());
    app.click("[data-testid=restore-kind-passphrase]").await;
    app.fill_css("[data-testid=restore-secret]", BACKUP_PASSPHRASE)
        .await;
    app.click("[data-testid=restore-check]").await;
    let summary = app.wait("[data-testid=restore-summary]").await;
    let summary = summary.text().await.unwrap();
    assert!(
        summary.contains("quayside.age") && summary.contains("Its own passphrase"),
        "the opened backup is described: {summary}"
    );

    // Steps 2 and 3: replacing the vault asks for its current passphrase.
    app.wait("[data-testid=restore-current]").await;
    app.click("[data-testid=restore-confirm]").await;
    app.fill_css("[data-testid=restore-passphrase]", RESTORED_PASSPHRASE)
        .await;
    app.fill_css("[data-testid=restore-confirmation]", RESTORED_PASSPHRASE)
        .await;
    app.shot("restore-01-asks-for-the-current-passphrase").await;

    restore_refused_beside_current(
        &app,
        "To replace the vault Holdspace uses now, type its current passphrase or its recovery code. Nothing was changed.",
    )
    .await;
    app.shot("restore-02-current-passphrase-needed").await;
    assert_eq!(entries(dir.path()), before, "nothing was set aside");
    assert_eq!(entries(&vault), vault_before, "the vault is untouched");

    app.fill_css("[data-testid=restore-current]", "not what opens this vault")
        .await;
    restore_refused_beside_current(
        &app,
        "That passphrase or recovery code doesn't open the vault Holdspace uses now, so it was not replaced. Nothing was changed.",
    )
    .await;
    app.shot("restore-03-current-passphrase-wrong").await;
    assert_eq!(entries(dir.path()), before, "nothing was set aside");
    assert_eq!(entries(&vault), vault_before, "the vault is untouched");

    app.fill_css("[data-testid=restore-current]", PASSPHRASE)
        .await;
    app.click("[data-testid=restore-start]").await;

    // Step 4: the restored vault's new recovery code, once; the old vault was kept.
    let code = app.wait("[data-testid=recovery-code]").await;
    assert_eq!(code.text().await.unwrap().len(), 39, "a new recovery code");
    app.shot("restore-04-new-recovery-code").await;
    let after = entries(dir.path());
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the replaced vault is kept beside it: {after:?}"
    );
    app.click("[data-testid=stored-code]").await;
    app.click("[data-testid=restore-continue]").await;

    // The old passphrase no longer opens the vault Holdspace uses; the new one does.
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait_text("That passphrase doesn't open this vault")
        .await;
    app.fill("passphrase", RESTORED_PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.wait_text(RESTORED_PRACTICE).await;
    app.shot("restore-05-restored-vault-unlocked").await;
    app.quit().await;
}
