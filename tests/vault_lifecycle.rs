//! Vault lifecycle: create, open, lock, change passphrase, recover, rotate, and the errors that
//! must stay distinct.

mod common;

use common::*;
use holdspace::{RecordId, RecoveryCode, Vault, VaultError};

#[test]
fn records_survive_lock_and_reopen() {
    let (tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 20);
    vault.lock().unwrap();
    let vault = reopen(&dir);
    for (i, id) in ids.iter().enumerate() {
        let record = vault.get(*id).unwrap().expect("present");
        assert_eq!(record.kind, "note");
        assert_eq!(record.decode::<Note>().unwrap(), note(i));
    }
    assert_eq!(vault.scan().count(), 20);
    drop(tmp);
}

#[test]
fn wrong_passphrase_is_its_own_error() {
    let (_tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    vault.lock().unwrap();
    let err = Vault::open(&dir, &passphrase("not it"), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::WrongPassphrase), "{err:?}");
}

#[test]
fn a_second_open_is_refused_while_the_first_is_open() {
    let (_tmp, vault, _) = new_vault();
    let err = Vault::open(vault.dir(), &passphrase(PASSPHRASE), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::AlreadyOpen), "{err:?}");
}

#[test]
fn create_refuses_an_existing_vault_or_a_busy_folder() {
    let (_tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    vault.lock().unwrap();
    let err = Vault::create(&dir, &passphrase("x"), POLICY).err().unwrap();
    assert!(matches!(err, VaultError::AlreadyExists { .. }), "{err:?}");
    let busy = tempfile::tempdir().unwrap();
    std::fs::write(busy.path().join("thesis.docx"), b"mine").unwrap();
    let err = Vault::create(busy.path(), &passphrase(PASSPHRASE), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::FolderNotEmpty { .. }), "{err:?}");
    assert_eq!(
        std::fs::read(busy.path().join("thesis.docx")).unwrap(),
        b"mine"
    );
}

#[test]
fn opening_a_folder_without_a_vault_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Vault::open(tmp.path(), &passphrase("x"), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::NotAVault { .. }), "{err:?}");
    std::fs::write(tmp.path().join("vault.hdr"), b"hello, I am a text file").unwrap();
    let err = Vault::open(tmp.path(), &passphrase("x"), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::NotAVault { .. }), "{err:?}");
}

#[test]
fn the_recovery_code_opens_the_vault() {
    let (_tmp, vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 3);
    vault.lock().unwrap();
    let typed = code.display_grouped().to_lowercase();
    let vault = Vault::open_with_recovery_code(&dir, &RecoveryCode::parse(&typed).unwrap(), POLICY)
        .unwrap();
    assert!(vault.get(ids[2]).unwrap().is_some());
    vault.lock().unwrap();
    let other = RecoveryCode::generate().unwrap();
    let err = Vault::open_with_recovery_code(&dir, &other, POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::WrongRecoveryCode), "{err:?}");
}

#[test]
fn changing_the_passphrase_retires_the_old_one() {
    let (_tmp, mut vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 3);
    let err = vault
        .change_passphrase(
            &passphrase("wrong"),
            &passphrase("violet engine harbour quiet"),
        )
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::WrongPassphrase));
    vault
        .change_passphrase(
            &passphrase(PASSPHRASE),
            &passphrase("violet engine harbour quiet"),
        )
        .unwrap();
    vault.lock().unwrap();
    assert!(matches!(
        Vault::open(&dir, &passphrase(PASSPHRASE), POLICY)
            .err()
            .unwrap(),
        VaultError::WrongPassphrase
    ));
    let vault = Vault::open(&dir, &passphrase("violet engine harbour quiet"), POLICY).unwrap();
    assert!(vault.get(ids[0]).unwrap().is_some());
    vault.lock().unwrap();
    // The recovery code still works after a passphrase change.
    Vault::open_with_recovery_code(&dir, &code, POLICY)
        .unwrap()
        .lock()
        .unwrap();
}

#[test]
fn recovery_resets_the_passphrase() {
    let (_tmp, vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 2);
    vault.lock().unwrap();
    Vault::recover(&dir, &code, &passphrase("after the holidays"), POLICY)
        .unwrap()
        .lock()
        .unwrap();
    assert!(matches!(
        Vault::open(&dir, &passphrase(PASSPHRASE), POLICY)
            .err()
            .unwrap(),
        VaultError::WrongPassphrase
    ));
    let vault = Vault::open(&dir, &passphrase("after the holidays"), POLICY).unwrap();
    assert_eq!(
        vault
            .get(ids[1])
            .unwrap()
            .unwrap()
            .decode::<Note>()
            .unwrap(),
        note(1)
    );
}

#[test]
fn rotation_keeps_every_record_and_retires_the_old_key_material() {
    let (_tmp, mut vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 5000);
    let old_header = std::fs::read(dir.join("vault.hdr")).unwrap();
    let old_store = dir.join("store-00000001");
    let mut seen = Vec::new();
    assert!(matches!(
        vault.rotate(&passphrase("wrong"), |_| {}).err().unwrap(),
        VaultError::WrongPassphrase
    ));
    vault
        .rotate(&passphrase(PASSPHRASE), |p| seen.push(p))
        .unwrap();
    assert_eq!(vault.key_epoch(), 2);
    assert_eq!(seen.first().map(|p| p.done), Some(0));
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((5000, 5000)));
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(!old_store.exists(), "the old record directory is removed");
    for (i, id) in ids.iter().enumerate().step_by(97) {
        assert_eq!(
            vault.get(*id).unwrap().unwrap().decode::<Note>().unwrap(),
            note(i)
        );
    }
    vault.lock().unwrap();
    // The old header (old data key wrapped under the same passphrase) cannot open the new
    // records: they are bound to the new epoch and sealed under the new key.
    let new_header = std::fs::read(dir.join("vault.hdr")).unwrap();
    std::fs::write(dir.join("vault.hdr"), &old_header).unwrap();
    let err = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::RecordsMissing { .. }), "{err:?}");
    std::fs::write(dir.join("vault.hdr"), &new_header).unwrap();
    let vault = reopen(&dir);
    assert_eq!(vault.scan().filter(|r| r.is_ok()).count(), 5000);
    vault.lock().unwrap();
    Vault::open_with_recovery_code(&dir, &code, POLICY)
        .unwrap()
        .lock()
        .unwrap();
}

#[test]
fn batches_apply_together_and_deletes_work() {
    let (_tmp, vault, _) = new_vault();
    let keep = RecordId::random();
    let gone = RecordId::random();
    let mut batch = vault.batch();
    batch.put(keep, "member", 1, &note(1)).unwrap();
    batch.put(gone, "audit", 1, &note(2)).unwrap();
    assert_eq!(batch.len(), 2);
    vault.commit(batch).unwrap();
    assert_eq!(vault.len(), 2);
    vault.delete(gone).unwrap();
    assert!(vault.get(gone).unwrap().is_none());
    let members: Vec<_> = vault.scan_kind("member").collect::<Result<_, _>>().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].id, keep);
}

#[test]
fn bad_kinds_are_refused_and_nothing_is_written() {
    let (_tmp, vault, _) = new_vault();
    let mut batch = vault.batch();
    batch.put(RecordId::random(), "note", 1, &note(1)).unwrap();
    let err = batch
        .put(RecordId::random(), "Bad Kind", 1, &note(2))
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::InvalidKind { .. }));
    drop(batch);
    assert!(vault.is_empty());
}

#[test]
fn decode_all_matches_scan_in_order_across_many_chunks() {
    let (_tmp, vault, _) = new_vault();
    fill(&vault, 5000);
    let scanned: Vec<RecordId> = vault.scan().map(|r| r.unwrap().id).collect();
    let decoded = vault.decode_all(|record| Ok(record.id)).unwrap();
    let decoded: Vec<RecordId> = decoded.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(decoded, scanned);
    let failing = vault.decode_all(|record| record.decode::<u32>()).unwrap();
    assert!(failing
        .iter()
        .all(|r| matches!(r, Err(VaultError::Decode { .. }))));
}

#[test]
fn a_half_written_sled_snapshot_does_not_make_the_vault_unopenable() {
    // sled 0.34 picks the newest `snap.*` file at start-up, even one a killed process left
    // half-written; the crash loops met this as "Read corrupted data" on every later open.
    let (_tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 50);
    vault.lock().unwrap();
    let store = dir.join("store-00000001");
    std::fs::write(store.join("snap.FFFFFFFFFFFFFFFF.generating"), b"").unwrap();
    let vault = reopen(&dir);
    assert!(vault.get(ids[49]).unwrap().is_some());
    assert_eq!(vault.scan().filter(|r| r.is_ok()).count(), 50);
    assert!(!store.join("snap.FFFFFFFFFFFFFFFF.generating").exists());
}
