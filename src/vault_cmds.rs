//! The vault-level commands: create, check, inspect, change the passphrase, rotate, recover.
//! Each reads its secrets, makes one core call and reports in one line.

use std::path::Path;

use holdspace::practice::Practice;
use holdspace::{KdfPolicy, Passphrase, RecoveryCode, Vault, VaultError};

use crate::secrets::SecretSource;
use crate::Failure;

/// The key-derivation policy of this run, chosen once at start ([`set_policy`]).
static POLICY: std::sync::OnceLock<KdfPolicy> = std::sync::OnceLock::new();

/// Fixes the policy for this run (the environment's, read once at start).
pub fn set_policy(policy: KdfPolicy) {
    let _ = POLICY.set(policy);
}

/// The policy new vaults, passphrases and backups get in this run.
pub fn policy() -> KdfPolicy {
    POLICY.get().copied().unwrap_or(KdfPolicy::Calibrated)
}

pub fn read_passphrase(
    secrets: &mut SecretSource,
    what: &'static str,
) -> Result<Passphrase, Failure> {
    let typed = secrets.read(what)?;
    Ok(Passphrase::new(typed.as_str())?)
}

fn read_new_passphrase(secrets: &mut SecretSource) -> Result<Passphrase, Failure> {
    read_new_passphrase_as(secrets, "new passphrase")
}

/// A new passphrase (asked twice on a terminal). The core weighs it against the one
/// passphrase rule wherever it is used, and refuses it with the app's own sentence.
pub fn read_new_passphrase_as(
    secrets: &mut SecretSource,
    what: &'static str,
) -> Result<Passphrase, Failure> {
    let typed = secrets.read_new(what)?;
    Ok(Passphrase::new(typed.as_str())?)
}

/// Refuses a folder without a vault before anyone types a secret for it.
pub fn require_vault(dir: &Path) -> Result<(), Failure> {
    if holdspace::vault::vault_exists(dir) {
        Ok(())
    } else {
        Err(VaultError::NotAVault {
            path: dir.to_path_buf(),
        }
        .into())
    }
}

pub fn unlock(dir: &Path, secrets: &mut SecretSource) -> Result<Vault, Failure> {
    require_vault(dir)?;
    let passphrase = read_passphrase(secrets, "passphrase")?;
    Ok(Vault::open(dir, &passphrase, policy())?)
}

pub fn init(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    if holdspace::vault::vault_exists(dir) {
        return Err(VaultError::AlreadyExists {
            path: dir.to_path_buf(),
        }
        .into());
    }
    let passphrase = read_new_passphrase(secrets)?;
    if secrets.is_interactive() {
        eprintln!(
            "Creating the vault (tuning the key derivation to this computer takes a few seconds)…"
        );
    }
    let created = Vault::create(dir, &passphrase, policy())?;
    let code = created.recovery_code;
    // The backup key comes from the recovery code, which exists only now: store its public
    // half so backups can be made without a passphrase. The code is shown even if this fails.
    let stored = (|| {
        let mut practice = Practice::load(created.vault)?;
        holdspace::backup::store_backup_key(&mut practice, &code)?;
        practice.lock()?;
        Ok::<_, holdspace::backup::BackupError>(())
    })();
    eprintln!("Created a vault in {}.", dir.display());
    eprintln!(
        "Your recovery code is below. Write it down and keep it somewhere safe, away from this"
    );
    eprintln!("computer. It is the only way in if the passphrase is forgotten, and it is shown only once.");
    println!("{}", code.display_grouped().as_str());
    stored.map_err(|e| {
        Failure::Usage(format!(
            "the vault was created, but its backup key could not be stored ({}); run `holdspace-cli --vault {} set-backup-key` with the recovery code",
            crate::messages::for_backup_error(&e),
            dir.display()
        ))
    })
}

pub fn check(dir: &Path, secrets: &mut SecretSource, accept: bool) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let mut practice = Practice::unlock(vault)?;
    let damaged = practice.damaged().to_vec();
    for id in &damaged {
        eprintln!("damaged record: {id}");
    }
    let records = practice.stored_records();
    let mut verdict = practice.history();
    if accept && !verdict.verified {
        println!("{}", verdict.summary());
        for problem in &verdict.problems {
            println!("  accepted: {problem}");
        }
        verdict = practice.accept_history()?;
    }
    practice.lock()?;
    if damaged.is_empty() {
        println!("{records} record(s), all intact");
    } else {
        println!("{records} record(s), {} damaged", damaged.len());
    }
    println!("{}", verdict.summary());
    for problem in &verdict.problems {
        println!("  - {problem}");
    }
    if !damaged.is_empty() {
        return Err(Failure::Damaged(damaged.len()));
    }
    if !verdict.verified {
        return Err(Failure::History(verdict.problems.len()));
    }
    Ok(())
}

pub fn stats(dir: &Path, secrets: &mut SecretSource, json: bool) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let stats = vault.stats()?;
    vault.lock()?;
    if json {
        let text = serde_json::to_string_pretty(&stats)
            .map_err(|e| Failure::Usage(format!("could not format the statistics: {e}")))?;
        println!("{text}");
        return Ok(());
    }
    println!(
        "format version   {} (records: {})",
        stats.format_version, stats.record_format
    );
    println!("key epoch        {}", stats.key_epoch);
    println!(
        "key derivation   Argon2id, {}, {} iterations, {} lane(s)",
        memory_text(stats.kdf.memory_kib),
        stats.kdf.iterations,
        stats.kdf.parallelism
    );
    println!(
        "records          {} intact, {} damaged",
        stats.records,
        stats.damaged.len()
    );
    for (kind, k) in &stats.kinds {
        println!("  {kind:<15}{:>8}  ({} bytes)", k.count, k.body_bytes);
    }
    println!(
        "stored           {} bytes encrypted, {} bytes on disk",
        stats.stored_bytes, stats.disk_bytes
    );
    Ok(())
}

pub fn passwd(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let current = read_passphrase(secrets, "current passphrase")?;
    let new = read_new_passphrase(secrets)?;
    let mut practice = Practice::unlock(Vault::open(dir, &current, policy())?)?;
    let changed = practice.change_passphrase(&current, &new);
    practice.lock()?;
    changed?;
    eprintln!("Passphrase changed. The old passphrase no longer opens the vault.");
    Ok(())
}

/// `new-recovery-code`: the passphrase on stdin; the new code printed once on stdout.
pub fn new_recovery_code(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let passphrase = read_passphrase(secrets, "passphrase")?;
    let mut practice = Practice::unlock(Vault::open(dir, &passphrase, policy())?)?;
    let made = holdspace::backup::new_recovery_code(&mut practice, &passphrase);
    practice.lock()?;
    let code = made?;
    eprintln!(
        "A new recovery code, below: write it down and keep it safe. It is shown only once. The old code no longer opens the vault; backups made before today still open only with the old code, so keep the old sheet as long as you keep them."
    );
    println!("{}", code.display_grouped().as_str());
    Ok(())
}

pub fn rotate(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let passphrase = read_passphrase(secrets, "passphrase")?;
    let mut practice = Practice::unlock(Vault::open(dir, &passphrase, policy())?)?;
    let mut last_percent = None;
    practice.rotate_key(&passphrase, |p| {
        let percent = (p.done * 100).checked_div(p.total).unwrap_or(100);
        if last_percent != Some(percent) {
            eprint!(
                "\rRe-encrypting records: {percent:>3}% ({} of {})",
                p.done, p.total
            );
            last_percent = Some(percent);
        }
    })?;
    eprintln!();
    let epoch = practice.vault_facts().key_epoch;
    practice.lock()?;
    eprintln!("Rotated the data key (now key epoch {epoch}); every record is re-encrypted.");
    Ok(())
}

pub fn recover(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let typed = secrets.read("recovery code")?;
    let code = RecoveryCode::parse(&typed)?;
    let new = read_new_passphrase(secrets)?;
    let practice = holdspace::practice::recover(dir, &code, &new, policy())?;
    practice.lock()?;
    eprintln!("New passphrase set. The recovery code still works; keep it safe.");
    Ok(())
}

/// Argon2id memory as people read it: whole MiB, or KiB below one MiB.
fn memory_text(kib: u32) -> String {
    if kib >= 1024 {
        format!("{} MiB", kib / 1024)
    } else {
        format!("{kib} KiB")
    }
}
