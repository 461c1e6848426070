//! The backup commands: make a backup, verify one, restore one into a new vault, and the backup
//! key's two halves (the public recipient the vault stores; the secret identity, from the
//! recovery code, for the plain `age` tool). Each reads its secrets, makes one core call and
//! reports in a line or two.

use std::io::{IsTerminal, Write};
use std::path::Path;

use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::backup::{self, BackupContent, BackupError, BackupIdentity, Opener, Protection};
use holdspace::clock::system_clock;
use holdspace::practice::Practice;
use holdspace::{RecoveryCode, Vault};

use crate::secrets::SecretSource;
use crate::vault_cmds::{policy, read_new_passphrase_as, require_vault, unlock};
use crate::Failure;

/// `backup FILE --passphrase-stdin | --backup-key`.
pub fn backup(
    dir: &Path,
    secrets: &mut SecretSource,
    file: &Path,
    with_passphrase: bool,
) -> Result<(), Failure> {
    backup::file::refuse_existing(file)?;
    let vault = unlock(dir, secrets)?;
    let backup_passphrase = if with_passphrase {
        Some(read_new_passphrase_as(secrets, "backup passphrase")?)
    } else {
        None
    };
    let mut practice = Practice::unlock(vault)?;
    let written = (|| {
        let recipient;
        let protection = match &backup_passphrase {
            Some(p) => Protection::Passphrase(p),
            None => {
                recipient = backup::stored_recipient(&practice)?;
                Protection::BackupKey(&recipient)
            }
        };
        backup::write_backup(&mut practice, file, protection, policy())
    })();
    practice.lock()?;
    let summary = written?;
    let c = &summary.manifest.counts;
    eprintln!(
        "Wrote {} ({} bytes): {} groups, {} members, {} sessions, {} notes.",
        summary.path.display(),
        summary.bytes,
        c.groups,
        c.members,
        c.sessions,
        c.notes
    );
    if with_passphrase {
        eprintln!("Keep the backup passphrase safe: without it this backup cannot be opened.");
    } else {
        eprintln!("The recovery code opens this backup.");
    }
    Ok(())
}

/// Reads what opens a backup: its passphrase, or the recovery code.
fn read_opener_secret(
    secrets: &mut SecretSource,
    recovery_code: bool,
) -> Result<OpenerSecret, Failure> {
    if recovery_code {
        let typed = secrets.read("recovery code")?;
        let code = RecoveryCode::parse(&typed)?;
        Ok(OpenerSecret::Key(BackupIdentity::from_recovery_code(&code)))
    } else {
        Ok(OpenerSecret::Passphrase(
            crate::vault_cmds::read_passphrase(secrets, "backup passphrase")?,
        ))
    }
}

/// An owned secret that opens a backup.
enum OpenerSecret {
    Passphrase(holdspace::Passphrase),
    Key(BackupIdentity),
}

impl OpenerSecret {
    fn opener(&self) -> Opener<'_> {
        match self {
            Self::Passphrase(p) => Opener::Passphrase(p),
            Self::Key(k) => Opener::BackupKey(k),
        }
    }
}

/// `verify-backup FILE [--recovery-code-stdin] [--json]`.
pub fn verify(
    secrets: &mut SecretSource,
    file: &Path,
    recovery_code: bool,
    json: bool,
) -> Result<(), Failure> {
    require_file(file)?;
    let secret = read_opener_secret(secrets, recovery_code)?;
    let content = backup::verify_backup(file, secret.opener(), system_clock().date())?;
    if json {
        let unformattable =
            |e: serde_json::Error| Failure::Usage(format!("could not format the manifest: {e}"));
        let mut shown = serde_json::to_value(&content.manifest).map_err(unformattable)?;
        if let Some(object) = shown.as_object_mut() {
            let authenticity = serde_json::to_value(content.authenticity).map_err(unformattable)?;
            object.insert("authenticity".into(), authenticity);
        }
        let text = serde_json::to_string_pretty(&shown).map_err(unformattable)?;
        println!("{text}");
    } else {
        println!("{}", describe_content(&content));
    }
    Ok(())
}

/// `restore FILE --into DIR [--recovery-code-stdin] [--as-found] [--allow-unsigned]`.
pub fn restore(
    secrets: &mut SecretSource,
    file: &Path,
    into: &Path,
    recovery_code: bool,
    as_found: bool,
    allow_unsigned: bool,
) -> Result<(), Failure> {
    require_file(file)?;
    if holdspace::vault::vault_exists(into) {
        return Err(BackupError::TargetNotEmpty {
            path: into.to_path_buf(),
        }
        .into());
    }
    let secret = read_opener_secret(secrets, recovery_code)?;
    let new_passphrase = read_new_passphrase_as(secrets, "new vault passphrase")?;
    if secrets.is_interactive() {
        eprintln!("Checking the backup, then creating the new vault…");
    }
    let opener = secret.opener();
    let (restored, findings) = if as_found {
        backup::restore_as_found(
            file,
            opener,
            into,
            &new_passphrase,
            policy(),
            allow_unsigned,
        )?
    } else {
        let restored = backup::restore(
            file,
            opener,
            into,
            &new_passphrase,
            policy(),
            allow_unsigned,
        )?;
        (restored, Vec::new())
    };
    restored.practice.lock()?;
    if !findings.is_empty() {
        eprintln!(
            "Restored as found, with {} problem(s) kept; changes to these records are refused, and backups fail, until they are put right:",
            findings.len()
        );
        for found in &findings {
            eprintln!("  {}: {}", found.field, found.reason);
        }
    }
    let r = &restored.report;
    eprintln!(
        "Restored {} groups, {} members, {} sessions and {} notes into a new vault in {}.",
        r.groups,
        r.members,
        r.sessions,
        r.notes,
        into.display()
    );
    eprintln!(
        "The new vault has its own recovery code, below. Write it down and keep it safe; the"
    );
    eprintln!(
        "old recovery code still opens the old backups, but not this vault. It is shown only once."
    );
    println!("{}", restored.recovery_code.display_grouped().as_str());
    Ok(())
}

/// `backup-recipient`: the public age recipient stored in the vault.
pub fn recipient(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let practice = Practice::unlock(vault)?;
    let recipient = backup::stored_recipient(&practice);
    practice.lock()?;
    println!("{}", recipient?);
    Ok(())
}

/// `backup-identity`: the backup key's secret half as an age identity file, from the recovery
/// code on stdin.
pub fn identity(secrets: &mut SecretSource) -> Result<(), Failure> {
    let typed = secrets.read("recovery code")?;
    let code = RecoveryCode::parse(&typed)?;
    let identity = BackupIdentity::from_recovery_code(&code);
    if std::io::stdout().is_terminal() {
        eprintln!("Note: this is a secret key. Redirect it to a file you will protect, e.g. > identity.txt");
    }
    let mut out = std::io::stdout().lock();
    let secret = identity.to_age_secret_key();
    writeln!(
        out,
        "# Holdspace backup key, derived from the recovery code. Secret: it opens every backup\n\
         # made to this key (age -d -i THIS_FILE backup.age).\n\
         # public key: {}\n{}",
        identity.recipient(),
        secret.as_str()
    )
    .map_err(|e| Failure::Io("could not write the output".into(), e))
}

/// `set-backup-key`: stores the backup recipient of the recovery code on stdin, after the code
/// has opened this vault (so a code from another vault can never be stored).
pub fn set_key(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let typed = secrets.read("recovery code")?;
    let code = RecoveryCode::parse(&typed)?;
    let vault = Vault::open_with_recovery_code(dir, &code, policy())?;
    let mut practice = Practice::unlock(vault)?;
    let stored = backup::store_backup_key(&mut practice, &code);
    practice.lock()?;
    let recipient = stored?;
    eprintln!(
        "Stored the backup key. Backups made with --backup-key now open with the recovery code."
    );
    println!("{recipient}");
    Ok(())
}

/// Refuses a missing backup file before anyone types a secret for it.
fn require_file(file: &Path) -> Result<(), Failure> {
    if file.is_file() {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "{} does not exist or is not a file",
            file.display()
        )))
    }
}

/// One line about a verified backup.
fn describe_content(content: &BackupContent) -> String {
    let m = &content.manifest;
    let c = &m.counts;
    let when = m
        .created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    format!(
        "Backup intact: made {when}; {} groups, {} members, {} sessions, {} notes, {} audit events.\nIt is {}.",
        c.groups,
        c.members,
        c.sessions,
        c.notes,
        c.audit,
        content.authenticity.describe()
    )
}

/// The settings `backup-settings` was asked to change.
pub struct SettingsChange {
    /// A new backup folder.
    pub folder: Option<std::path::PathBuf>,
    /// Back up on lock, or not.
    pub on_lock: Option<bool>,
    /// A new recent count.
    pub keep_recent: Option<u32>,
    /// A new monthly count.
    pub keep_monthly: Option<u32>,
}

impl SettingsChange {
    fn is_empty(&self) -> bool {
        self.folder.is_none()
            && self.on_lock.is_none()
            && self.keep_recent.is_none()
            && self.keep_monthly.is_none()
    }
}

/// `backup-settings [--folder F] [--on-lock yes|no] [--keep-recent N] [--keep-monthly N]`:
/// changes what was given, then prints the settings.
pub fn settings(
    dir: &Path,
    secrets: &mut SecretSource,
    change: SettingsChange,
) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let mut practice = Practice::unlock(vault)?;
    let outcome = (|| {
        let current = practice.backup_settings().cloned().unwrap_or_default();
        let mut wanted = FolderPreferences::of(&current);
        if !change.is_empty() {
            if let Some(folder) = change.folder {
                wanted.folder = Some(std::path::absolute(&folder).unwrap_or(folder));
            }
            wanted.on_lock = change.on_lock.unwrap_or(wanted.on_lock);
            wanted.keep_recent = change.keep_recent.unwrap_or(wanted.keep_recent);
            wanted.keep_monthly = change.keep_monthly.unwrap_or(wanted.keep_monthly);
            folder::save_preferences(&mut practice, &wanted)?;
        }
        Ok::<_, BackupError>(wanted)
    })();
    practice.lock()?;
    let shown = outcome?;
    let folder = shown
        .folder
        .map_or_else(|| "(none chosen)".to_owned(), |f| f.display().to_string());
    println!("folder: {folder}");
    println!("on lock: {}", if shown.on_lock { "yes" } else { "no" });
    println!("keep recent: {}", shown.keep_recent);
    println!("keep monthly: {}", shown.keep_monthly);
    Ok(())
}

/// `backup-now`: a backup into the backup folder, encrypted to the backup key, then retention.
pub fn back_up_now(dir: &Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let mut practice = Practice::unlock(vault)?;
    let outcome = folder::back_up_to_folder(&mut practice);
    practice.lock()?;
    let done = outcome?;
    let c = &done.made.counts;
    eprintln!(
        "Wrote {} ({} bytes): {} groups, {} members, {} sessions, {} notes.",
        done.path.display(),
        done.made.bytes,
        c.groups,
        c.members,
        c.sessions,
        c.notes
    );
    for name in &done.removed {
        eprintln!("Removed {name} (older than the retention rule keeps).");
    }
    if let Some(e) = done.removal_failed {
        eprintln!(
            "warning: an old backup could not be removed: {}",
            crate::messages::for_backup_error(&e)
        );
    }
    println!("{}", done.path.display());
    Ok(())
}
