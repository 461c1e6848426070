//! One passphrase rule everywhere in the CLI: `init`, `passwd`, `recover`, `restore` and a
//! passphrase backup refuse a weak new passphrase with exit 2 and the very line the app shows
//! ([`TooWeak::message`]), weighed against the practice's own names where it has them; and
//! nothing changes (no vault, no file, the old passphrase still opens).

mod common;

use std::path::Path;
use std::process::Output;

use common::cli::{run, stderr};
use holdspace::strength::{check_new, own_words, TooWeak};

const PASS: &str = "correct horse battery staple";
const STRONG: &str = "violet engine harbour quiet";

fn cli(vault: &Path, args: &[&str], stdin: &str) -> Output {
    let vault = vault.display().to_string();
    let mut all = vec!["--vault", vault.as_str()];
    all.extend_from_slice(args);
    run(&all, stdin)
}

/// The refusal the core gives `passphrase` with `words`.
fn refusal(passphrase: &str, words: &[String]) -> TooWeak {
    check_new(passphrase, words).expect_err("the rule refuses it")
}

/// Asserts exit 2 and exactly the app's sentence and advice, on one line.
fn assert_refused(out: &Output, weak: &TooWeak) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    let line = stderr(out)
        .lines()
        .find(|l| l.starts_with("holdspace-cli: "))
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        line,
        format!("holdspace-cli: {} Nothing was changed.", weak.message())
    );
}

/// A demo practice's own words, read from its export.
fn practice_words(vault: &Path) -> (Vec<String>, String, String) {
    let out = cli(vault, &["export"], &format!("{PASS}\n"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let practitioner = json["profile"]["practitioner_name"]
        .as_str()
        .unwrap()
        .to_owned();
    let practice = json["profile"]["practice_name"]
        .as_str()
        .unwrap()
        .to_owned();
    (own_words(&practitioner, &practice), practitioner, practice)
}

#[test]
fn init_refuses_a_weak_passphrase_with_the_apps_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    for weak in ["sunflower garden", "password123456", "holdspace holdspace"] {
        let out = cli(&vault, &["init"], &format!("{weak}\n"));
        assert_refused(&out, &refusal(weak, &own_words("", "")));
        assert!(!vault.join("vault.hdr").exists());
    }
}

#[test]
fn passwd_recover_backup_and_restore_weigh_the_practice_own_names() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let init = cli(&vault, &["init"], &format!("{PASS}\n"));
    assert!(init.status.success(), "{}", stderr(&init));
    let code = String::from_utf8(init.stdout).unwrap().trim().to_owned();
    let demo = cli(&vault, &["demo", "--scale", "0.01"], &format!("{PASS}\n"));
    assert!(demo.status.success(), "{}", stderr(&demo));
    let (words, practitioner, practice) = practice_words(&vault);
    // Strong to a stranger, weak to anyone who knows whose practice this is.
    let theirs = format!("{practitioner} {practice}").to_lowercase();
    assert!(
        check_new(&theirs, &own_words("", "")).is_ok(),
        "{theirs:?} alone would pass"
    );
    let weak = refusal(&theirs, &words);

    let out = cli(&vault, &["passwd"], &format!("{PASS}\n{theirs}\n"));
    assert_refused(&out, &weak);
    let out = cli(&vault, &["recover"], &format!("{code}\n{theirs}\n"));
    assert_refused(&out, &weak);
    assert!(
        cli(&vault, &["check"], &format!("{PASS}\n"))
            .status
            .success(),
        "the passphrase is unchanged"
    );

    let copy = tmp.path().join("copy.age");
    let path = copy.to_str().unwrap();
    let out = cli(
        &vault,
        &["backup", path, "--passphrase-stdin"],
        &format!("{PASS}\n{theirs}\n"),
    );
    assert_refused(&out, &weak);
    assert!(!copy.exists(), "no backup was written");

    let backup = tmp.path().join("key.age");
    let made = cli(
        &vault,
        &["backup", backup.to_str().unwrap(), "--backup-key"],
        &format!("{PASS}\n"),
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let into = tmp.path().join("restored");
    let out = run(
        &[
            "restore",
            backup.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
            "--recovery-code-stdin",
        ],
        &format!("{code}\n{theirs}\n"),
    );
    assert_refused(&out, &weak);
    assert!(!into.exists(), "no vault was made");

    // A strong passphrase goes through everywhere.
    let out = cli(&vault, &["passwd"], &format!("{PASS}\n{STRONG}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
}
