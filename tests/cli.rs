//! The `holdspace-cli` contract scripts rely on: secrets as stdin lines, exit codes 0/1/2, one
//! human line on stderr per failure, never a panic or a backtrace.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::cli::BIN;
const PASS: &str = "correct horse battery staple";

/// Runs the CLI on `vault` with `stdin` and the explicit insecure test KDF.
fn cli(vault: &Path, args: &[&str], stdin: &str) -> Output {
    let vault = vault.display().to_string();
    let mut all = vec!["--vault", vault.as_str()];
    all.extend_from_slice(args);
    common::cli::run(&all, stdin)
}

fn stderr(out: &Output) -> String {
    common::cli::stderr(out)
}

/// The stderr lines that are not the insecure-KDF warning.
fn messages(out: &Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| !l.starts_with("WARNING:"))
        .map(str::to_owned)
        .collect()
}

/// A failure: the given exit code, exactly one message line, no panic or backtrace.
fn assert_fails(out: &Output, code: i32, needle: &str) {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", stderr(out));
    let lines = messages(out);
    assert_eq!(lines.len(), 1, "one line expected, got {lines:?}");
    assert!(lines[0].starts_with("holdspace-cli: "), "{lines:?}");
    assert!(
        lines[0].contains(needle),
        "{lines:?} should mention {needle:?}"
    );
    let all = stderr(out);
    assert!(
        !all.contains("panicked") && !all.contains("stack backtrace"),
        "{all}"
    );
}

fn init(vault: &Path) -> String {
    let out = cli(vault, &["init"], &format!("{PASS}\n"));
    assert!(out.status.success(), "init failed: {}", stderr(&out));
    let code = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    assert_eq!(code.len(), 39, "recovery code printed once: {code:?}");
    code
}

#[test]
fn init_check_stats_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = init(&vault);
    assert!(!stderr(&cli(&vault, &["check"], &format!("{PASS}\n"))).contains(&code));
    let out = cli(&vault, &["check"], &format!("{PASS}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        printed.contains("history verified: 4 audit events, unbroken"),
        "{printed}"
    );
    let out = cli(&vault, &["stats", "--json"], &format!("{PASS}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats is JSON");
    assert_eq!(stats["format_version"], 2);
    assert_eq!(stats["key_epoch"], 1);
    // init stores the backup key (one record and its audit event) and records the lock; each
    // of the two checks records its unlock and its lock.
    assert_eq!(stats["records"], 7);
    assert_eq!(stats["kinds"]["backup_settings"]["count"], 1);
    assert_eq!(stats["kdf"]["iterations"], 1);
    assert!(stats["kinds"].is_object());
    assert!(stats["disk_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn init_refuses_an_existing_vault_and_short_passphrases() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    assert_fails(&cli(&vault, &["init"], "short\n"), 2, "too easy to guess");
    assert!(!vault.join("vault.hdr").exists());
    init(&vault);
    let header = std::fs::read(vault.join("vault.hdr")).unwrap();
    assert_fails(
        &cli(&vault, &["init"], &format!("{PASS}\n")),
        2,
        "already holds a vault",
    );
    assert_eq!(std::fs::read(vault.join("vault.hdr")).unwrap(), header);
}

#[test]
fn wrong_passphrase_missing_vault_and_missing_input_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    assert_fails(
        &cli(&vault, &["check"], ""),
        2,
        "does not hold a Holdspace vault",
    );
    init(&vault);
    assert_fails(
        &cli(&vault, &["check"], "not the passphrase\n"),
        2,
        "passphrase is not correct",
    );
    assert_fails(&cli(&vault, &["check"], ""), 2, "input ended");
    assert_fails(
        &cli(&vault, &["passwd"], &format!("{PASS}\n")),
        2,
        "input ended",
    );
}

#[test]
fn passwd_then_recover() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = init(&vault);
    let out = cli(
        &vault,
        &["passwd"],
        &format!("{PASS}\nviolet engine harbour quiet\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_fails(
        &cli(&vault, &["check"], &format!("{PASS}\n")),
        2,
        "not correct",
    );
    assert!(cli(&vault, &["check"], "violet engine harbour quiet\n")
        .status
        .success());
    let out = cli(
        &vault,
        &["recover"],
        &format!("{}\namber kettle zephyr willow\n", code.to_lowercase()),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(cli(&vault, &["check"], "amber kettle zephyr willow\n")
        .status
        .success());
    assert_fails(
        &cli(&vault, &["recover"], "AAAA-BBBB\nwhatever passphrase\n"),
        2,
        "not a valid recovery code",
    );
}

#[test]
fn rotate_bumps_the_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    init(&vault);
    let out = cli(&vault, &["rotate"], &format!("{PASS}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&vault, &["stats", "--json"], &format!("{PASS}\n"));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["key_epoch"], 2);
}

#[test]
fn check_names_damaged_records_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    init(&dir);
    // Damage one of the records init wrote (the backup key and its audit events) by flipping a
    // byte of its ciphertext.
    let ids: Vec<holdspace::RecordId> = {
        let db = common::open_store_directly(&dir.join("store-00000001"));
        let tree = db.open_tree("records").unwrap();
        let ids: Vec<_> = tree
            .iter()
            .keys()
            .filter_map(|key| holdspace::RecordId::from_key(&key.unwrap()))
            .collect();
        assert!(ids.len() >= 3, "init wrote {} records", ids.len());
        let mut value = tree.get(ids[1].as_bytes()).unwrap().unwrap().to_vec();
        value[40] ^= 0x55;
        tree.insert(ids[1].as_bytes(), value).unwrap();
        db.flush().unwrap();
        ids
    };
    let out = cli(&dir, &["check"], &format!("{PASS}\n"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("damaged record: {}", ids[1])),
        "{err}"
    );
    assert!(!err.contains(&ids[0].to_string()) && !err.contains(&ids[2].to_string()));
}

#[test]
fn help_describes_every_command() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["init", "check", "stats", "passwd", "rotate", "recover"] {
        assert!(text.contains(command), "--help lacks {command}");
    }
}

/// `demo` then `export`: the practice JSON as a value.
fn demo_export(vault: &Path) -> serde_json::Value {
    init(vault);
    let out = cli(
        vault,
        &["demo", "--scale", "0.05", "--seed", "7"],
        &format!("{PASS}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(vault, &["export"], &format!("{PASS}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

#[test]
fn demo_export_import_export_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let first = demo_export(&tmp.path().join("a"));
    assert!(first["members"].as_array().unwrap().len() >= 10);
    let file = tmp.path().join("practice.json");
    std::fs::write(&file, serde_json::to_vec(&first).unwrap()).unwrap();
    let b = tmp.path().join("b");
    init(&b);
    let out = cli(
        &b,
        &["import", file.to_str().unwrap()],
        &format!("{PASS}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&b, &["export"], &format!("{PASS}\n"));
    let second: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "profile",
        "groups",
        "members",
        "memberships",
        "agreements",
        "signatures",
        "sessions",
        "notes",
        "incidents",
    ] {
        assert_eq!(
            first[key], second[key],
            "{key} differs after the round trip"
        );
    }
}

#[test]
fn a_bad_import_names_the_path_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut json = demo_export(&tmp.path().join("a"));
    json["members"][3]["email"] = "nobody at example".into();
    let file = tmp.path().join("broken.json");
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    let b = tmp.path().join("b");
    init(&b);
    let before = cli(&b, &["stats", "--json"], &format!("{PASS}\n"));
    let out = cli(
        &b,
        &["import", file.to_str().unwrap()],
        &format!("{PASS}\n"),
    );
    assert_fails(&out, 2, "members[3].email");
    let after = cli(&b, &["stats", "--json"], &format!("{PASS}\n"));
    let records = |o: &Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["kinds"].clone()
    };
    let (before, after) = (records(&before), records(&after));
    assert_eq!(before.get("member"), after.get("member"));
    assert!(after.get("member").is_none(), "no member was written");
    std::fs::write(&file, b"{ not json").unwrap();
    assert_fails(
        &cli(
            &b,
            &["import", file.to_str().unwrap()],
            &format!("{PASS}\n"),
        ),
        2,
        "not a valid practice file",
    );
}

#[test]
fn member_export_leaves_out_psychotherapy_notes_and_other_names() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("a");
    let json = demo_export(&vault);
    let notes = json["notes"].as_array().unwrap();
    let private = notes
        .iter()
        .find(|n| n["kind"] == "psychotherapy")
        .expect("a psychotherapy note");
    let member = private["member"].as_str().unwrap();
    for html in [false, true] {
        let mut args = vec!["member-export", member];
        if html {
            args.push("--html");
        }
        let out = cli(&vault, &args, &format!("{PASS}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        let snippet: String = private["text"].as_str().unwrap().chars().take(60).collect();
        assert!(
            !text.contains(&snippet),
            "psychotherapy note leaked (html={html})"
        );
        for other in json["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["id"] != member)
        {
            let name = other["legal_name"].as_str().unwrap();
            assert!(
                !text.contains(name),
                "{name} appears in another member's record"
            );
        }
    }
    assert_fails(
        &cli(
            &vault,
            &["member-export", "not-an-id"],
            &format!("{PASS}\n"),
        ),
        2,
        "not a member id",
    );
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_fails(
        &cli(&vault, &["member-export", unknown], &format!("{PASS}\n")),
        2,
        "no member",
    );
}

#[test]
fn demo_refuses_a_vault_that_already_holds_a_practice() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("a");
    demo_export(&vault);
    let out = cli(&vault, &["demo", "--scale", "0.05"], &format!("{PASS}\n"));
    assert_fails(&out, 2, "already holds a practice");
}

#[test]
fn search_finds_a_member_accent_insensitively() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("a");
    let json = demo_export(&vault);
    let member = &json["members"][0];
    let name = member["legal_name"].as_str().unwrap();
    let out = cli(&vault, &["search", name, "--json"], &format!("{PASS}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = results["members"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert!(
        ids.contains(&member["id"].as_str().unwrap()),
        "{name} not found: {results}"
    );
    let out = cli(
        &vault,
        &["search", "zzzz-no-such-word"],
        &format!("{PASS}\n"),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing found"));
}

#[test]
fn version_names_the_release() {
    for flag in ["--version", "-V"] {
        let out = common::cli::run(&[flag], "");
        assert!(out.status.success(), "{flag}: {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("holdspace-cli {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn man_pages_are_generated_for_the_tool_and_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::cli::run(&["generate-man", dir.path().to_str().unwrap()], "");
    assert!(out.status.success(), "{out:?}");
    let page = |name: &str| {
        std::fs::read_to_string(dir.path().join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"))
    };
    let tool = page("holdspace-cli");
    assert!(tool.contains(".TH holdspace-cli 1"), "{tool}");
    for (command, option) in [
        ("init", ""),
        ("restore", "recovery\\-code\\-stdin"),
        ("member-export", "html"),
        ("backup-settings", "keep\\-monthly"),
    ] {
        let text = page(&format!("holdspace-cli-{command}"));
        assert!(
            text.contains(&format!(".TH holdspace-cli-{command} 1")),
            "{text}"
        );
        assert!(text.contains(option), "{command}'s page names {option}");
        let listed = format!("holdspace-cli-{command}(1)").replace('-', "\\-");
        assert!(tool.contains(&listed), "the tool's page lists {command}");
    }
    assert!(
        !tool.contains("generate\\-man"),
        "the hidden command has no page entry"
    );
    let help = common::cli::run(&["--help"], "");
    assert!(!String::from_utf8_lossy(&help.stdout).contains("generate-man"));
}
