//! What a lock leaves in memory: the passphrase, the recovery code, a member's name and a
//! note, typed and shown in the real window, searched for in every readable page of the app's
//! process and of every WebKit process under it, five seconds after the lock.
//!
//! The goal is zero everywhere, and this test asserts it. It does not hold yet (SECURITY.md,
//! "Memory after locking", has the counts), so `make test` skips it and `make memory-probe`
//! runs it: it prints what it found in each process, unlocked and after the lock.

use std::time::Duration;

use crate::support::{self, App};

const CANARY_PASSPHRASE: &str = "Xylophone passphrase canary 77";
const CANARY_NAME: &str = "Quillonette Zebracanary";
const CANARY_NOTE: &str = "Nightjar marmalade verandah canary";

/// Each secret, in UTF-8 and in UTF-16LE.
fn needles(recovery_code: &str) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for (what, text) in [
        ("passphrase", CANARY_PASSPHRASE),
        ("recovery code", recovery_code),
        ("member's name", CANARY_NAME),
        ("note", CANARY_NOTE),
    ] {
        all.push((format!("{what} (UTF-8)"), text.as_bytes().to_vec()));
        all.push((format!("{what} (UTF-16)"), support::utf16le(text)));
    }
    all
}

/// Counts every needle in the app and each process under it: `(process, needle, count)`
/// for every count above zero, and the processes scanned.
fn scan(app: &App, needles: &[(String, Vec<u8>)]) -> (Vec<(String, String, usize)>, Vec<String>) {
    let app_pid = app.app_pid();
    let mut pids = vec![app_pid];
    pids.extend(support::descendants(app_pid));
    let bytes: Vec<Vec<u8>> = needles.iter().map(|(_, b)| b.clone()).collect();
    let mut found = Vec::new();
    let mut scanned = Vec::new();
    for pid in pids {
        let name = format!("{} ({pid})", support::process_name(pid));
        let counts = support::occurrences_in_memory(pid, &bytes);
        for ((what, _), count) in needles.iter().zip(counts) {
            if count > 0 {
                found.push((name.clone(), what.clone(), count));
            }
        }
        scanned.push(name);
    }
    (found, scanned)
}

#[tokio::test]
#[ignore = "end to end, and not yet true: make memory-probe runs it"]
async fn a_lock_leaves_no_secret_and_no_record_in_any_process() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(&dir.path().join("vault"), &[]).await;
    let code = crate::create_vault_with(&app, CANARY_PASSPHRASE).await;

    app.go("/members/new").await;
    app.fill("legal_name", CANARY_NAME).await;
    app.fill("intake_notes", CANARY_NOTE).await;
    app.click("[data-testid=save-member]").await;
    app.wait_text(CANARY_NAME).await;
    app.script("location.reload()", vec![]).await;
    app.wait_text(CANARY_NAME).await;
    app.wait_text(CANARY_NOTE).await;

    let needles = needles(&code);
    let (unlocked, _) = scan(&app, &needles);
    assert!(
        unlocked
            .iter()
            .any(|(_, what, _)| what.starts_with("member's name")),
        "the probe finds the name while it is on screen: {unlocked:?}"
    );

    app.click("[data-testid=lock]").await;
    app.wait_text("Unlock your records").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (left, scanned) = scan(&app, &needles);
    eprintln!(
        "scanned {scanned:?}\nfound while unlocked: {unlocked:?}\nleft after the lock: {left:?}"
    );
    assert!(
        left.is_empty(),
        "left in memory 5 s after the lock: {left:?}"
    );
    app.quit().await;
}
