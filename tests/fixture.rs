//! The frozen format-1 vault in `tests/data/fixture-v1/`: every future version must open it with
//! its passphrase and with its recovery code, upgrade it (on a copy) to the current format, and
//! read back every record exactly. A failure here
//! is a format regression — fix the code, never the fixture.
//!
//! The fixture was made once, with `KdfPolicy::Fixed(KdfParams::FLOOR)` so that it opens under
//! production limits, by the ignored generator below. It is kept forever. Only if a new fixture
//! is truly wanted (a new format version gets a new `fixture-vN` folder instead), remove the
//! folder by hand and run
//!
//! ```text
//! HOLDSPACE_WRITE_FIXTURE=1 cargo test --test fixture -- --ignored --nocapture write_fixture
//! ```
//!
//! then paste the recovery code it prints into [`RECOVERY_CODE`]. The generator refuses to
//! overwrite an existing fixture and does nothing without the variable.

mod common;

use std::path::{Path, PathBuf};

use common::copy_tree;
use std::str::FromStr;

use holdspace::{KdfParams, KdfPolicy, Passphrase, RecordId, RecoveryCode, Vault};

/// The fixture's passphrase. Non-ASCII and in NFC; [`PASSPHRASE_DECOMPOSED`] is the same text in
/// NFD, which must open the vault too (passphrases are normalised before derivation).
const PASSPHRASE: &str = "Fixture passphrase: caf\u{e9}, Gr\u{fc}\u{df}e, \u{9375} \u{1F511}";
const PASSPHRASE_DECOMPOSED: &str =
    "Fixture passphrase: cafe\u{301}, Gru\u{308}\u{df}e, \u{9375} \u{1F511}";

/// The recovery code printed when the fixture was generated. A test fixture, not a secret.
const RECOVERY_CODE: &str = "VGEH-P7FY-74SY-6C3E-LYZP-XF8Y-TYSH-RA93";

/// Production limits: a fixture that needed the insecure test policy would prove nothing.
const POLICY: KdfPolicy = KdfPolicy::Fixed(KdfParams::FLOOR);

/// One stored record: fixed id, kind, schema and exact JSON body bytes (compact, keys sorted —
/// the form `serde_json` writes, so what is stored is byte for byte this text).
struct Expected {
    id: &'static str,
    kind: &'static str,
    schema: u32,
    body: &'static str,
}

const RECORDS: &[Expected] = &[
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a01",
        kind: "member",
        schema: 1,
        body: r#"{"display_name":"Ana M.","joined":"2024-09-02","notes":null,"pronouns":"she/her"}"#,
    },
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a02",
        kind: "group",
        schema: 2,
        body: r#"{"meets":{"day":"Tuesday","minutes":90,"time":"18:00"},"members":["0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a01"],"name":"Tuesday evening group"}"#,
    },
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a03",
        kind: "session_note",
        schema: 3,
        body: r#"{"attended":7,"text":"Grüße — «confidentiality» reviewed; 心の安全; \"quoted\"\n🌱","topics":["agreement","welcome"]}"#,
    },
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a04",
        kind: "audit-event",
        schema: 1,
        body: r#"{"action":"created","at":1717171717,"negative":-42,"ok":true,"ratio":0.5}"#,
    },
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a05",
        kind: "consent-v2",
        schema: 4_000_000_000,
        body: r#""a body that is a bare JSON string""#,
    },
    Expected {
        id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a06",
        kind: "x",
        schema: 0,
        body: "[]",
    },
];

/// Written, then overwritten: only the second body may come back.
const OVERWRITTEN: Expected = Expected {
    id: "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a07",
    kind: "member",
    schema: 2,
    body: r#"{"display_name":"Ben K.","status":"left the group"}"#,
};
const OVERWRITTEN_FIRST_BODY: &str = r#"{"display_name":"Ben K.","status":"active"}"#;

/// Written, then deleted: must stay absent.
const DELETED_ID: &str = "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a08";

/// A record above 4 KiB, so the larger padding bucket is covered.
const LARGE_ID: &str = "0b5e7c1a-3f2d-4e8b-9a61-5c4d3e2f1a09";

fn large_body() -> String {
    let text: String = (0..600).map(|i| format!("line {i:03}\n")).collect();
    serde_json::to_string(&serde_json::json!({ "text": text })).unwrap()
}

fn id(text: &str) -> RecordId {
    RecordId::from_str(text).unwrap()
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixture-v1")
}

/// Every record the fixture must hold, as `(id, kind, schema, body)`, in key order.
fn expected_records() -> Vec<(RecordId, &'static str, u32, String)> {
    let mut all: Vec<_> = RECORDS
        .iter()
        .chain([&OVERWRITTEN])
        .map(|r| (id(r.id), r.kind, r.schema, r.body.to_string()))
        .collect();
    all.push((id(LARGE_ID), "note", 1, large_body()));
    all.sort_by_key(|r| *r.0.as_bytes());
    all
}

// ---------------------------------------------------------------------------------------------
// The test every version must pass
// ---------------------------------------------------------------------------------------------

fn working_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    copy_tree(&fixture_dir(), &dir);
    (tmp, dir)
}

/// The fixture's records as any version reads them. Opening upgrades the format-1 vault to
/// format 2, which re-seals it into the next key epoch with every record at revision 1.
fn assert_fixture_contents(vault: &Vault) {
    assert_eq!(vault.key_epoch(), 2, "upgraded into the next epoch");
    assert_eq!(vault.kdf_params(), KdfParams::FLOOR);
    let expected = expected_records();
    for (id, kind, schema, body) in &expected {
        let record = vault.get(*id).unwrap().expect("fixture record present");
        assert_eq!(record.id, *id);
        assert_eq!(record.revision, 1, "{id}");
        assert_eq!(record.kind, *kind, "{id}");
        assert_eq!(record.schema, *schema, "{id}");
        assert_eq!(
            std::str::from_utf8(record.body_json()).unwrap(),
            body,
            "{id}"
        );
        let decoded: serde_json::Value = record.decode().unwrap();
        assert_eq!(
            decoded,
            serde_json::from_str::<serde_json::Value>(body).unwrap()
        );
    }
    assert!(vault.get(id(DELETED_ID)).unwrap().is_none());
    let scanned: Vec<RecordId> = vault.scan().map(|r| r.unwrap().id).collect();
    let expected_ids: Vec<RecordId> = expected.iter().map(|r| r.0).collect();
    assert_eq!(scanned, expected_ids);
    assert_eq!(vault.len(), expected.len());
    let integrity = vault.integrity().unwrap();
    assert!(integrity.is_verified(), "{:?}", integrity.findings);
    assert_eq!(integrity.expected_records, expected.len());
}

/// The fixture on disk is format 1 and stays so: a failure here means someone rewrote it.
fn assert_fixture_is_format_1() {
    let header = std::fs::read(fixture_dir().join("vault.hdr")).unwrap();
    assert_eq!(header.len(), holdspace::header::LEGACY_HEADER_LEN);
    assert_eq!(u16::from_le_bytes([header[16], header[17]]), 1);
}

fn header_format(dir: &Path) -> (usize, u16) {
    let header = std::fs::read(dir.join("vault.hdr")).unwrap();
    (header.len(), u16::from_le_bytes([header[16], header[17]]))
}

#[test]
fn the_v1_fixture_opens_with_its_passphrase() {
    assert_fixture_is_format_1();
    let (_tmp, dir) = working_copy();
    assert_eq!(header_format(&dir), (363, 1));
    let vault = Vault::open(&dir, &Passphrase::new(PASSPHRASE).unwrap(), POLICY).unwrap();
    assert_eq!(vault.upgraded_from(), Some(1), "the first open upgrades");
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
    assert_eq!(header_format(&dir), (371, 2));
    assert!(
        !dir.join("store-00000001").exists(),
        "the format-1 store is gone"
    );
    // Upgraded once: open it again, through the production policy's limits.
    let vault = Vault::open(
        &dir,
        &Passphrase::new(PASSPHRASE_DECOMPOSED).unwrap(),
        KdfPolicy::Calibrated,
    )
    .unwrap();
    assert_eq!(vault.upgraded_from(), None, "upgraded only once");
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
    assert_fixture_is_format_1();
}

#[test]
fn the_v1_fixture_opens_with_its_recovery_code() {
    let (_tmp, dir) = working_copy();
    let code = RecoveryCode::parse(RECOVERY_CODE).unwrap();
    let vault = Vault::open_with_recovery_code(&dir, &code, POLICY).unwrap();
    assert_eq!(vault.upgraded_from(), Some(1));
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
    // The upgrade keeps the recovery code and the passphrase.
    let vault = Vault::open_with_recovery_code(&dir, &code, POLICY).unwrap();
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
    let vault = Vault::open(&dir, &Passphrase::new(PASSPHRASE).unwrap(), POLICY).unwrap();
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
}

#[test]
fn opening_the_v1_fixture_as_a_practice_records_the_upgrade() {
    let (_tmp, dir) = working_copy();
    let vault = Vault::open(&dir, &Passphrase::new(PASSPHRASE).unwrap(), POLICY).unwrap();
    let practice = holdspace::practice::Practice::load(vault).unwrap();
    let upgrade_events = practice
        .state()
        .audit
        .iter()
        .filter(|e| e.detail == holdspace::practice::history::UPGRADED_DETAIL)
        .count();
    assert_eq!(upgrade_events, 1);
    assert!(practice.history().verified);
    practice.lock().unwrap();
}

// ---------------------------------------------------------------------------------------------
// The generator (run once; see the module comment)
// ---------------------------------------------------------------------------------------------

/// Copies the files under `from` into `to`, leaving out the lock file and empty folders (git
/// keeps neither, and sled recreates its empty `blobs` folder).
fn copy_fixture_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_fixture_files(&entry.path(), &target);
        } else if entry.file_name() != holdspace::vault::LOCK_FILE {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn put_json(vault: &Vault, id_text: &str, kind: &str, schema: u32, body: &str) {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        body,
        "fixture bodies must be in the form serde_json writes"
    );
    vault.put(id(id_text), kind, schema, &value).unwrap();
}

#[test]
#[ignore = "writes tests/data/fixture-v1; run only with HOLDSPACE_WRITE_FIXTURE=1"]
fn write_fixture() {
    if std::env::var("HOLDSPACE_WRITE_FIXTURE").as_deref() != Ok("1") {
        eprintln!("HOLDSPACE_WRITE_FIXTURE is not 1: nothing written");
        return;
    }
    let target = fixture_dir();
    assert!(
        !target.exists(),
        "{} exists: the fixture is frozen; remove it by hand only if you mean to replace it",
        target.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let created = Vault::create(&dir, &Passphrase::new(PASSPHRASE).unwrap(), POLICY).unwrap();
    let vault = created.vault;
    for r in RECORDS {
        put_json(&vault, r.id, r.kind, r.schema, r.body);
    }
    let o = &OVERWRITTEN;
    put_json(&vault, o.id, o.kind, 1, OVERWRITTEN_FIRST_BODY);
    put_json(&vault, o.id, o.kind, o.schema, o.body);
    put_json(
        &vault,
        DELETED_ID,
        "member",
        1,
        r#"{"display_name":"gone"}"#,
    );
    vault.delete(id(DELETED_ID)).unwrap();
    put_json(&vault, LARGE_ID, "note", 1, &large_body());
    assert_fixture_contents(&vault);
    vault.lock().unwrap();
    copy_fixture_files(&dir, &target);
    println!(
        "fixture written to {}\nRECOVERY_CODE = {:?}",
        target.display(),
        created.recovery_code.display_grouped().as_str()
    );
}
