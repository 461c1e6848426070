//! Damage and tampering: every single-byte flip of `vault.hdr`, deliberate header edits with a
//! recomputed checksum, foreign and truncated headers, KDF bounds read from a header, flipped and
//! swapped record blobs inside sled, and a canary proving no secret or plaintext reaches disk.
//!
//! Each case must give its own specific error — never a panic, never altered data — and the
//! vault must open intact again once the original bytes are back. These tests edit files behind
//! the vault's back; they never weaken the vault's own checks.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use common::*;
use holdspace::header::HEADER_LEN;
use holdspace::{KdfParams, KdfPolicy, RecordId, RecoveryCode, Vault, VaultError};
use sha2::{Digest, Sha256};

/// Byte offsets of the header fields (see the table in `crates/holdspace-vault/src/header.rs`).
mod at {
    pub const VERSION: usize = 16;
    pub const VAULT_ID: usize = 18;
    pub const EPOCH: usize = 34;
    pub const CREATED: usize = 38;
    pub const KDF_ALGORITHM: usize = 46;
    pub const KDF_MEMORY: usize = 47;
    pub const KDF_ITERATIONS: usize = 51;
    pub const KDF_PARALLELISM: usize = 55;
    pub const SALT: usize = 59;
    pub const PASSPHRASE_SLOT: usize = 91;
    pub const RECOVERY_PUBLIC: usize = 163;
    pub const RECOVERY_SLOT: usize = 195;
    pub const HIGH_WATER: usize = 299;
    pub const MAC: usize = 307;
    pub const CHECKSUM: usize = 339;
}

/// The record directory of a vault that was never rotated.
const STORE: &str = "store-00000001";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A closed test vault holding `n` notes: the folder guard, the vault folder, the ids, the code.
fn closed_vault(n: usize) -> (tempfile::TempDir, PathBuf, Vec<RecordId>, RecoveryCode) {
    let (tmp, vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, n);
    vault.lock().unwrap();
    (tmp, dir, ids, code)
}

fn header_path(dir: &Path) -> PathBuf {
    dir.join("vault.hdr")
}

fn read_header(dir: &Path) -> Vec<u8> {
    std::fs::read(header_path(dir)).unwrap()
}

fn write_header(dir: &Path, bytes: &[u8]) {
    std::fs::write(header_path(dir), bytes).unwrap();
}

/// Recomputes the SHA-256 checksum, as somebody editing the header on purpose would.
fn recompute_checksum(header: &mut [u8]) {
    let sum = Sha256::digest(&header[..at::CHECKSUM]);
    header[at::CHECKSUM..].copy_from_slice(&sum);
}

/// A copy of `original` with `edit` applied and the checksum recomputed.
fn edited(original: &[u8], edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut bytes = original.to_vec();
    edit(&mut bytes);
    recompute_checksum(&mut bytes);
    bytes
}

fn put_u32(header: &mut [u8], offset: usize, value: u32) {
    header[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
}

/// The error from opening with the test passphrase; a panic or a success fails the test,
/// naming `case`.
fn open_error(dir: &Path, policy: KdfPolicy, case: &str) -> VaultError {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        Vault::open(dir, &passphrase(PASSPHRASE), policy)
    }));
    match outcome {
        Err(_) => panic!("opening panicked: {case}"),
        Ok(Ok(vault)) => {
            vault.lock().unwrap();
            panic!("opening succeeded: {case}")
        }
        Ok(Err(err)) => err,
    }
}

/// The error from opening with the recovery code, naming `case` on success.
fn recovery_error(dir: &Path, code: &RecoveryCode, case: &str) -> VaultError {
    match Vault::open_with_recovery_code(dir, code, POLICY) {
        Ok(vault) => {
            vault.lock().unwrap();
            panic!("opening with the recovery code succeeded: {case}")
        }
        Err(err) => err,
    }
}

/// Opens with the passphrase and checks that every note is exactly as written.
fn assert_all_intact(dir: &Path, ids: &[RecordId]) {
    let vault = reopen(dir);
    for (i, id) in ids.iter().enumerate() {
        let record = vault.get(*id).unwrap().expect("record present");
        assert_eq!(record.decode::<Note>().unwrap(), note(i));
    }
    assert_eq!(vault.scan().filter(Result::is_ok).count(), ids.len());
    vault.lock().unwrap();
}

// ---------------------------------------------------------------------------------------------
// Header: accidental damage
// ---------------------------------------------------------------------------------------------

#[test]
fn every_single_byte_flip_of_the_header_is_damage() {
    let (_tmp, dir, ids, _) = closed_vault(3);
    let original = read_header(&dir);
    assert_eq!(original.len(), HEADER_LEN);
    for position in 0..HEADER_LEN {
        for mask in [0xFF, 0x01] {
            let mut bytes = original.clone();
            bytes[position] ^= mask;
            write_header(&dir, &bytes);
            let case = format!("byte {position} ^ {mask:#04x}");
            let err = open_error(&dir, POLICY, &case);
            // A flipped magic byte is damage too: the checksum still matches the canonical magic.
            assert!(matches!(err, VaultError::HeaderDamaged), "{case}: {err:?}");
        }
    }
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

#[test]
fn a_truncated_or_extended_header_is_damage() {
    let (_tmp, dir, ids, _) = closed_vault(2);
    let original = read_header(&dir);
    // From a complete magic upwards the file is recognisably ours.
    for len in 16..HEADER_LEN {
        write_header(&dir, &original[..len]);
        let err = open_error(&dir, POLICY, &format!("truncated to {len}"));
        assert!(matches!(err, VaultError::HeaderDamaged), "{len}: {err:?}");
    }
    let mut longer = original.clone();
    longer.push(0);
    write_header(&dir, &longer);
    let err = open_error(&dir, POLICY, "one byte appended");
    assert!(matches!(err, VaultError::HeaderDamaged), "{err:?}");
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

#[test]
fn a_header_cut_short_inside_its_magic_is_damaged() {
    // A prefix of the magic can only be a truncated header; anything else that short is not one.
    let (_tmp, dir, _, _) = closed_vault(0);
    let original = read_header(&dir);
    for len in 1..16 {
        write_header(&dir, &original[..len]);
        let err = open_error(&dir, POLICY, &format!("truncated to {len}"));
        assert!(matches!(err, VaultError::HeaderDamaged), "{len}: {err:?}");
    }
    write_header(&dir, b"HOLDSPACE");
    assert!(matches!(
        open_error(&dir, POLICY, "prefix"),
        VaultError::HeaderDamaged
    ));
    write_header(&dir, b"HOLDSPICE");
    assert!(matches!(
        open_error(&dir, POLICY, "other"),
        VaultError::NotAVault { .. }
    ));
}

#[test]
fn an_empty_text_or_random_file_is_not_a_vault() {
    let (_tmp, dir, _, _) = closed_vault(0);
    let mut random = vec![0u8; HEADER_LEN];
    getrandom::getrandom(&mut random).unwrap();
    let cases: [(&str, &[u8]); 3] = [
        ("empty file", b""),
        ("text file", b"Dear diary, today the group met at six.\n"),
        ("random bytes of header length", &random),
    ];
    for (case, bytes) in cases {
        write_header(&dir, bytes);
        let err = open_error(&dir, POLICY, case);
        assert!(
            matches!(err, VaultError::NotAVault { .. }),
            "{case}: {err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Header: deliberate edits with a recomputed checksum
// ---------------------------------------------------------------------------------------------

/// One deliberate change to a header's bytes.
type Edit = fn(&mut [u8]);

/// Edits that leave the passphrase derivation alone: the data key unwraps, the MAC catches them.
fn edits_outside_the_passphrase_derivation() -> Vec<(&'static str, Edit)> {
    vec![
        ("vault id", |h| h[at::VAULT_ID] ^= 0x01),
        ("epoch", |h| put_u32(h, at::EPOCH, 2)),
        ("created", |h| h[at::CREATED] ^= 0x01),
        ("recovery public key", |h| h[at::RECOVERY_PUBLIC] ^= 0x01),
        ("recovery slot, ephemeral key", |h| {
            h[at::RECOVERY_SLOT] ^= 0x01
        }),
        ("recovery slot, tag", |h| h[at::HIGH_WATER - 1] ^= 0x01),
        ("high-water mark lowered", |h| h[at::HIGH_WATER] ^= 0x01),
        ("MAC", |h| h[at::MAC] ^= 0x01),
    ]
}

/// Edits to what the passphrase key derivation reads: salt, KDF parameters (within bounds) and
/// the passphrase slot.
fn edits_to_the_passphrase_derivation() -> Vec<(&'static str, Edit)> {
    vec![
        ("salt", |h| h[at::SALT] ^= 0x01),
        ("KDF memory", |h| put_u32(h, at::KDF_MEMORY, 128)),
        ("KDF iterations", |h| put_u32(h, at::KDF_ITERATIONS, 2)),
        ("KDF parallelism", |h| put_u32(h, at::KDF_PARALLELISM, 2)),
        ("passphrase slot, nonce", |h| h[at::PASSPHRASE_SLOT] ^= 0x01),
        ("passphrase slot, sealed key", |h| {
            h[at::PASSPHRASE_SLOT + 30] ^= 0x01
        }),
        ("passphrase slot, tag", |h| {
            h[at::RECOVERY_PUBLIC - 1] ^= 0x01
        }),
    ]
}

#[test]
fn edited_fields_with_a_valid_checksum_are_tampering() {
    let (_tmp, dir, ids, _) = closed_vault(2);
    let original = read_header(&dir);
    for (case, edit) in edits_outside_the_passphrase_derivation() {
        write_header(&dir, &edited(&original, edit));
        let err = open_error(&dir, POLICY, case);
        assert!(matches!(err, VaultError::HeaderTampered), "{case}: {err:?}");
    }
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

/// Inherent, not a gap: the salt, KDF parameters and passphrase slot are the inputs that turn
/// the passphrase into the key that unwraps the data key. Change any of them and the right
/// passphrase yields a different key, the slot does not open, and without the data key the MAC
/// cannot be checked — so the header cannot be told apart from a wrong passphrase. The same
/// header opened with the recovery code (which does not read them) is reported as tampering.
#[test]
fn edits_to_the_passphrase_derivation_look_like_a_wrong_passphrase() {
    let (_tmp, dir, ids, code) = closed_vault(2);
    let original = read_header(&dir);
    for (case, edit) in edits_to_the_passphrase_derivation() {
        write_header(&dir, &edited(&original, edit));
        let err = open_error(&dir, POLICY, case);
        assert!(
            matches!(err, VaultError::WrongPassphrase),
            "{case}: {err:?}"
        );
        let err = recovery_error(&dir, &code, case);
        assert!(matches!(err, VaultError::HeaderTampered), "{case}: {err:?}");
    }
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

/// The mirror image: an edited recovery slot cannot be told from a wrong recovery code, while
/// the passphrase still opens the data key and the MAC names the edit.
#[test]
fn an_edited_recovery_slot_looks_like_a_wrong_recovery_code() {
    let (_tmp, dir, ids, code) = closed_vault(1);
    let original = read_header(&dir);
    for offset in [
        at::RECOVERY_SLOT,
        at::RECOVERY_SLOT + 40,
        at::HIGH_WATER - 1,
    ] {
        let case = format!("recovery slot byte {offset}");
        write_header(&dir, &edited(&original, |h| h[offset] ^= 0x01));
        let err = recovery_error(&dir, &code, &case);
        assert!(
            matches!(err, VaultError::WrongRecoveryCode),
            "{case}: {err:?}"
        );
        let err = open_error(&dir, POLICY, &case);
        assert!(matches!(err, VaultError::HeaderTampered), "{case}: {err:?}");
    }
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

#[test]
fn a_newer_format_version_is_unsupported() {
    let (_tmp, dir, ids, _) = closed_vault(1);
    let original = read_header(&dir);
    for found in [3u16, 0x0100, u16::MAX] {
        let bytes = edited(&original, |h| {
            h[at::VERSION..at::VERSION + 2].copy_from_slice(&found.to_le_bytes())
        });
        write_header(&dir, &bytes);
        let err = open_error(&dir, POLICY, &format!("version {found}"));
        assert!(
            matches!(err, VaultError::UnsupportedVersion { found: f } if f == found),
            "{found}: {err:?}"
        );
    }
    // A future format may have a longer header: its version is still what is reported.
    let mut longer = edited(&original, |h| h[at::VERSION] = 3);
    longer.extend_from_slice(&[0; 64]);
    write_header(&dir, &longer);
    let err = open_error(&dir, POLICY, "longer version-3 header");
    assert!(
        matches!(err, VaultError::UnsupportedVersion { found: 3 }),
        "{err:?}"
    );
    write_header(&dir, &original);
    assert_all_intact(&dir, &ids);
}

// ---------------------------------------------------------------------------------------------
// Header: KDF bounds
// ---------------------------------------------------------------------------------------------

/// `(case, memory KiB, iterations, parallelism)` each breaking exactly one production bound.
fn out_of_bounds_params() -> Vec<(&'static str, u32, u32, u32)> {
    let KdfParams {
        memory_kib: m,
        iterations: t,
        parallelism: p,
    } = KdfParams::FLOOR;
    let cap = KdfParams::CAP;
    vec![
        ("memory 0", 0, t, p),
        ("memory below the floor", m - 1, t, p),
        ("memory above the cap", cap.memory_kib + 1, t, p),
        ("memory u32::MAX", u32::MAX, t, p),
        ("iterations 0", m, 0, p),
        ("iterations below the floor", m, t - 1, p),
        ("iterations above the cap", m, cap.iterations + 1, p),
        ("iterations u32::MAX", m, u32::MAX, p),
        ("parallelism 0", m, t, 0),
        ("parallelism above the cap", m, t, cap.parallelism + 1),
        ("parallelism u32::MAX", m, t, u32::MAX),
    ]
}

fn with_kdf(original: &[u8], memory: u32, iterations: u32, parallelism: u32) -> Vec<u8> {
    edited(original, |h| {
        put_u32(h, at::KDF_MEMORY, memory);
        put_u32(h, at::KDF_ITERATIONS, iterations);
        put_u32(h, at::KDF_PARALLELISM, parallelism);
    })
}

/// Every case is refused before any derivation: with memory at u32::MAX (4 TiB) a derivation
/// could not even allocate, and the cap cases would take minutes, so this test finishing at all
/// shows the check comes first. No timing is asserted.
#[test]
fn kdf_parameters_out_of_production_bounds_are_refused_before_deriving() {
    let (_tmp, dir, _, _) = closed_vault(0);
    let original = read_header(&dir);
    for policy in [KdfPolicy::Calibrated, KdfPolicy::Fixed(KdfParams::FLOOR)] {
        for (case, m, t, p) in out_of_bounds_params() {
            write_header(&dir, &with_kdf(&original, m, t, p));
            let err = open_error(&dir, policy, case);
            assert!(
                matches!(err, VaultError::KdfOutOfBounds { .. }),
                "{policy:?}, {case}: {err:?}"
            );
        }
    }
}

#[test]
fn an_unknown_kdf_algorithm_is_refused() {
    let (_tmp, dir, _, _) = closed_vault(0);
    let original = read_header(&dir);
    for algorithm in [0u8, 2, 0xFF] {
        write_header(
            &dir,
            &edited(&original, |h| h[at::KDF_ALGORITHM] = algorithm),
        );
        let case = format!("algorithm {algorithm}");
        let err = open_error(&dir, POLICY, &case);
        assert!(
            matches!(err, VaultError::KdfOutOfBounds { .. }),
            "{case}: {err:?}"
        );
    }
}

/// The control for the bounds test: the production floor itself passes the check, so the
/// derivation runs (one 64 MiB Argon2id) and the mismatch shows as a wrong passphrase.
#[test]
fn kdf_parameters_at_the_floor_pass_the_bounds_check() {
    let (_tmp, dir, _, _) = closed_vault(0);
    let original = read_header(&dir);
    let KdfParams {
        memory_kib,
        iterations,
        parallelism,
    } = KdfParams::FLOOR;
    write_header(
        &dir,
        &with_kdf(&original, memory_kib, iterations, parallelism),
    );
    let err = open_error(&dir, KdfPolicy::Calibrated, "floor parameters");
    assert!(matches!(err, VaultError::WrongPassphrase), "{err:?}");
}

/// The insecure test parameters are refused once production limits apply.
#[test]
fn a_test_vault_is_refused_under_production_limits() {
    let (_tmp, dir, _, _) = closed_vault(0);
    let err = open_error(&dir, KdfPolicy::Calibrated, "insecure test parameters");
    assert!(matches!(err, VaultError::KdfOutOfBounds { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Records inside sled
// ---------------------------------------------------------------------------------------------

/// Runs `f` on the vault's record tree, opened directly with sled while the vault is closed.
fn with_records_tree<T>(dir: &Path, f: impl FnOnce(&sled::Tree) -> T) -> T {
    let db = open_store_directly(&dir.join(STORE));
    let tree = db.open_tree("records").unwrap();
    let out = f(&tree);
    tree.flush().unwrap();
    out
}

fn stored_value(dir: &Path, id: RecordId) -> Vec<u8> {
    with_records_tree(dir, |tree| {
        tree.get(id.as_bytes()).unwrap().unwrap().to_vec()
    })
}

fn store_value(dir: &Path, id: RecordId, value: &[u8]) {
    with_records_tree(dir, |tree| {
        tree.insert(id.as_bytes(), value).unwrap();
    });
}

/// Opens the vault and checks that exactly the records in `damaged` are `RecordDamaged`
/// naming themselves, and every other note decrypts unchanged, through `get` and `scan`.
fn assert_only_damaged(dir: &Path, ids: &[RecordId], damaged: &[RecordId], case: &str) {
    let vault = reopen(dir);
    for (i, id) in ids.iter().enumerate() {
        match vault.get(*id) {
            Err(VaultError::RecordDamaged { id: named }) if damaged.contains(id) => {
                assert_eq!(named, *id, "{case}: the damage names the record")
            }
            Ok(Some(record)) if !damaged.contains(id) => {
                assert_eq!(record.decode::<Note>().unwrap(), note(i), "{case}")
            }
            other => panic!("{case}: record {i}: {other:?}"),
        }
    }
    let mut scan_errors: Vec<RecordId> = vault
        .scan()
        .filter_map(|r| match r {
            Ok(_) => None,
            Err(VaultError::RecordDamaged { id }) => Some(id),
            Err(other) => panic!("{case}: scan gave {other:?}"),
        })
        .collect();
    scan_errors.sort();
    let mut expected = damaged.to_vec();
    expected.sort();
    assert_eq!(scan_errors, expected, "{case}: scan errors");
    assert_eq!(vault.scan().count(), ids.len(), "{case}: scan goes on");
    vault.lock().unwrap();
}

#[test]
fn every_single_byte_flip_of_a_record_damages_only_that_record() {
    let (_tmp, dir, ids, _) = closed_vault(5);
    let victim = ids[2];
    let original = stored_value(&dir, victim);
    for position in 0..original.len() {
        let mut flipped = original.clone();
        flipped[position] ^= 0xFF;
        store_value(&dir, victim, &flipped);
        assert_only_damaged(&dir, &ids, &[victim], &format!("byte {position}"));
    }
    store_value(&dir, victim, &original);
    assert_all_intact(&dir, &ids);
}

#[test]
fn swapped_records_are_both_damaged_and_named() {
    let (_tmp, dir, ids, _) = closed_vault(5);
    let (a, b) = (ids[1], ids[3]);
    let (value_a, value_b) = (stored_value(&dir, a), stored_value(&dir, b));
    store_value(&dir, a, &value_b);
    store_value(&dir, b, &value_a);
    assert_only_damaged(&dir, &ids, &[a, b], "swapped");
    store_value(&dir, a, &value_a);
    store_value(&dir, b, &value_b);
    assert_all_intact(&dir, &ids);
}

// ---------------------------------------------------------------------------------------------
// Nothing secret on disk
// ---------------------------------------------------------------------------------------------

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(all_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn no_plaintext_passphrase_or_recovery_code_reaches_the_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let unique = RecordId::random().to_string();
    let canary = format!("CANARY-{unique}");
    let secret_passphrase = format!("canary passphrase {unique}");
    let created = Vault::create(&dir, &passphrase(&secret_passphrase), POLICY).unwrap();
    let grouped = created.recovery_code.display_grouped().to_string();
    let canonical = grouped.replace('-', "");
    let vault = created.vault;
    for i in 0..20 {
        let body = Note {
            title: format!("{canary} title {i}"),
            text: format!("{canary} said in session {i}"),
        };
        vault.put(RecordId::random(), "note", 1, &body).unwrap();
    }
    // One large record too, in case the store keeps big values elsewhere.
    vault
        .put(RecordId::random(), "note", 1, &canary.repeat(4000))
        .unwrap();
    vault.lock().unwrap();

    let needles: Vec<(&str, Vec<u8>)> = vec![
        ("canary, UTF-8", canary.clone().into_bytes()),
        ("canary, UTF-16LE", utf16le(&canary)),
        ("passphrase", secret_passphrase.into_bytes()),
        ("recovery code, grouped", grouped.into_bytes()),
        ("recovery code, canonical", canonical.into_bytes()),
    ];
    let mut saw_store_contents = false;
    for file in all_files(&dir) {
        let bytes = std::fs::read(&file).unwrap();
        // Control: sled keeps its tree names in the clear, so finding this one shows the
        // search really reads the store's data file (and is not vacuously passing).
        saw_store_contents |= contains(&bytes, b"records");
        for (what, needle) in &needles {
            assert!(
                !contains(&bytes, needle),
                "{what} found in {}",
                file.display()
            );
        }
    }
    assert!(saw_store_contents, "the record store's data was not read");
}
