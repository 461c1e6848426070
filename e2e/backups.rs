//! Backups on the real window: the backups page shows the chosen folder, "Back up now" writes
//! a file and lists it, and an automatic backup that fails at lock is shown on the unlock
//! screen and then as a banner — never silent. The folder and file pickers are native GTK
//! dialogs outside WebDriver's reach, so the folder is chosen through the core beforehand.

use std::path::Path;

use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::practice::Practice;
use holdspace::{KdfPolicy, Passphrase, Vault};

use super::{create_group, PASSPHRASE};
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

async fn unlock(app: &App) {
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
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
