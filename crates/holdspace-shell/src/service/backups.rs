//! Backups in the app: the backups screen (settings, the folder's backups, "Back up now"), and
//! restoring — open and check a backup, then restore it into a new folder or in place of the
//! vault this app uses.
//!
//! Policy: the app's own backups always go to the backup folder, encrypted to the backup key.
//! A restore needs a backup opened and fully checked first ([`inspect`]). The vault this app
//! uses is replaced only when the practitioner confirmed it *and proved it is theirs* with its
//! current passphrase or recovery code — checked here, before anything moves, whether the app
//! is locked or not ([`prove_current`]); then it is locked (which makes its automatic backup
//! first), and the replaced vault is kept beside it, never deleted. Without that proof only a
//! restore into another folder, or into the app's folder while no vault is there, is possible.
//! The one exception is a vault whose header is damaged beyond reading (or is no Holdspace
//! header at all): no secret can be checked against it, nothing could open it, and it is
//! kept aside like any replaced vault.

use std::path::{Path, PathBuf};

use holdspace::backup::folder::{self, FolderPreferences, ListedBackup};
use holdspace::backup::{self, BackupIdentity, Counts, Opener};
use holdspace::clock::system_clock;
use holdspace::practice::Practice;
use holdspace::vault::{self, Credential};
use holdspace::{Passphrase, RecoveryCode};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{AppError, IpcError};
use crate::restoring::Phase;
use crate::session::{AppSession, BackupAlert, RecoverySheet};

/// The backups screen.
#[derive(Debug, Serialize)]
pub struct BackupOverview {
    /// The backup folder, if one is chosen.
    pub folder: Option<String>,
    /// Back up when the app locks or closes.
    pub on_lock: bool,
    /// How many of the newest backups are kept.
    pub keep_recent: u32,
    /// For how many months the newest backup of each month is kept.
    pub keep_monthly: u32,
    /// False for vaults made before backups (no key, so no automatic backups).
    pub has_backup_key: bool,
    /// False while the vault cannot sign its backups (its key was stored before backups were
    /// signed): a restore would call them "not signed by this practice".
    pub signs_backups: bool,
    /// Why the folder cannot be used right now, if it cannot.
    pub folder_problem: Option<IpcError>,
    /// True when the practice changed since the last backup into the folder.
    pub changed_since_last: bool,
    /// When the last backup into the folder was made.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_backup_at: Option<OffsetDateTime>,
    /// The last backup attempt failed (in this run), and none has succeeded since.
    pub last_failure: Option<BackupAlert>,
    /// The backups in the folder, newest first.
    pub backups: Vec<BackupListed>,
}

/// One backup in the folder.
#[derive(Debug, Serialize)]
pub struct BackupListed {
    /// The file name.
    pub file_name: String,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds, when this vault made it.
    pub counts: Option<Counts>,
}

impl From<ListedBackup> for BackupListed {
    fn from(listed: ListedBackup) -> Self {
        Self {
            file_name: listed.file_name,
            created_at: listed.created_at,
            bytes: listed.bytes,
            counts: listed.counts,
        }
    }
}

/// The backups screen for `practice`, with the session's last failure.
pub fn overview(practice: &Practice, last_failure: Option<BackupAlert>) -> BackupOverview {
    let settings = practice.backup_settings().cloned().unwrap_or_default();
    let preferences = FolderPreferences::of(&settings);
    let (backups, folder_problem) = match &preferences.folder {
        None => (Vec::new(), None),
        Some(_) => match folder::list_folder(practice) {
            Ok(listed) => (listed.into_iter().map(BackupListed::from).collect(), None),
            Err(e) => (Vec::new(), Some(IpcError::from(AppError::Backup(e)))),
        },
    };
    BackupOverview {
        folder: preferences.folder.map(|f| f.display().to_string()),
        on_lock: preferences.on_lock,
        keep_recent: preferences.keep_recent,
        keep_monthly: preferences.keep_monthly,
        has_backup_key: !settings.recipient.is_empty(),
        signs_backups: !settings.signing_key.is_empty(),
        folder_problem,
        changed_since_last: folder::changed_since_last(practice),
        last_backup_at: settings.history.last().map(|h| h.created_at),
        last_failure: last_failure.or_else(|| crate::session::recorded_backup_alert(practice)),
        backups,
    }
}

/// The backup settings as the form sends them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSettingsForm {
    /// The folder (a full path), or none.
    pub folder: Option<String>,
    /// Back up on lock and close.
    pub on_lock: bool,
    /// The newest this many are kept.
    pub keep_recent: u32,
    /// The newest of each month, for this many months.
    pub keep_monthly: u32,
}

/// Saves the backup settings.
pub fn save_settings(practice: &mut Practice, form: BackupSettingsForm) -> Result<(), AppError> {
    let folder = form
        .folder
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .map(PathBuf::from);
    let preferences = FolderPreferences {
        folder,
        on_lock: form.on_lock,
        keep_recent: form.keep_recent,
        keep_monthly: form.keep_monthly,
    };
    Ok(folder::save_preferences(practice, &preferences)?)
}

/// What "Back up now" made.
#[derive(Debug, Serialize)]
pub struct BackedUp {
    /// The new file's name.
    pub file_name: String,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds.
    pub counts: Counts,
    /// How many old backups the retention rule removed.
    pub removed: usize,
}

/// Backs up into the folder now, at the practitioner's asking. A success clears the alert of an
/// automatic backup that failed; a failure is this attempt's own answer, never reported as a
/// failed automatic backup.
pub fn back_up_now(session: &AppSession) -> Result<BackedUp, AppError> {
    let (outcome, at) = session
        .with_practice(|practice| Ok((folder::back_up_to_folder(practice), practice.now())))?;
    let done = outcome?;
    session.note_backup(None, at);
    Ok(BackedUp {
        file_name: done.made.file_name,
        created_at: done.made.created_at,
        bytes: done.made.bytes,
        counts: done.made.counts,
        removed: done.removed.len(),
    })
}

/// A passphrase-protected copy the practitioner saved.
#[derive(Debug, Serialize)]
pub struct SavedCopy {
    /// The file's name.
    pub file_name: String,
    /// The full path, to show where it went.
    pub path: String,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds.
    pub counts: Counts,
}

/// Saves a copy of the practice into `folder`, protected by `passphrase` (not the backup key).
pub fn save_copy(
    practice: &mut Practice,
    folder: &Path,
    passphrase: &Passphrase,
    kdf: holdspace::KdfPolicy,
) -> Result<SavedCopy, AppError> {
    let saved = folder::save_copy(practice, folder, passphrase, kdf)?;
    Ok(SavedCopy {
        file_name: saved
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: saved.path.display().to_string(),
        created_at: saved.manifest.created_at,
        bytes: saved.bytes,
        counts: saved.manifest.counts,
    })
}

/// What a checked backup holds, for the restore screen.
#[derive(Debug, Serialize)]
pub struct Inspected {
    /// The file's name.
    pub file_name: String,
    /// When the backup was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// What it holds.
    pub counts: Counts,
    /// `backup_key` or `passphrase`.
    pub protection: &'static str,
    /// Opened as found: the rules its records break, each `{field, reason}` (empty for a
    /// backup that breaks none). Restoring it keeps them.
    pub findings: Vec<Finding>,
    /// Who could have made it: `made_by_this_practice`, `passphrase_protected`, `unsigned`
    /// or `signed_by_another_key`.
    pub authenticity: backup::Authenticity,
    /// The same, in a sentence.
    pub authenticity_text: &'static str,
    /// True when restoring it needs the practitioner's word that they know where it came
    /// from.
    pub needs_vouching: bool,
}

/// One rule a backup's records break, by its path in the practice file.
#[derive(Debug, Serialize)]
pub struct Finding {
    /// Where, e.g. `signatures[3].discuss`.
    pub field: String,
    /// What, in plain words.
    pub reason: String,
}

/// What a folder is being chosen for; the picker's title says it.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FolderPurpose {
    /// The folder automatic backups go to.
    Backups,
    /// An empty folder a backup is restored into.
    RestoreTarget,
    /// Where a protected copy of a backup is saved.
    Copy,
}

impl FolderPurpose {
    /// The folder picker's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Backups => "Choose the folder for your backups",
            Self::RestoreTarget => "Choose an empty folder for the restored vault",
            Self::Copy => "Choose where to save the protected copy",
        }
    }
}

/// How the practitioner opens a backup.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// The recovery code (backups made to the backup key).
    RecoveryCode,
    /// The backup's own passphrase.
    Passphrase,
}

/// Opens and fully checks the backup at `path`, keeping it for [`restore`]. With `as_found`,
/// an intact backup whose records break a rule is kept as it is, its problems listed.
pub fn inspect(
    session: &AppSession,
    path: &Path,
    kind: SecretKind,
    secret: &str,
    as_found: bool,
) -> Result<Inspected, AppError> {
    let restoring = &session.restoring;
    session.touch();
    restoring.forget();
    restoring.begin(Phase::Reading);
    let outcome = (|| {
        let bytes = backup::file::read(path)?;
        restoring.reach(Phase::Checking);
        let open = |opener| {
            let today = system_clock().date();
            if as_found {
                backup::open_backup_as_found(&bytes, opener, today)
            } else {
                backup::open_backup(&bytes, opener, today)
            }
        };
        let content = match kind {
            SecretKind::RecoveryCode => {
                let identity = BackupIdentity::from_recovery_code(&RecoveryCode::parse(secret)?);
                open(Opener::BackupKey(&identity))?
            }
            SecretKind::Passphrase => {
                let passphrase = Passphrase::new(secret)?;
                open(Opener::Passphrase(&passphrase))?
            }
        };
        Ok::<_, AppError>(content)
    })();
    restoring.finish();
    let content = outcome?;
    let inspected = Inspected {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        created_at: content.manifest.created_at,
        counts: content.manifest.counts.clone(),
        protection: match kind {
            SecretKind::RecoveryCode => "backup_key",
            SecretKind::Passphrase => "passphrase",
        },
        findings: content
            .findings
            .iter()
            .map(|f| Finding {
                field: f.field.clone(),
                reason: f.reason.clone(),
            })
            .collect(),
        authenticity: content.authenticity,
        authenticity_text: content.authenticity.describe(),
        needs_vouching: !content.authenticity.is_vouched_for(),
    };
    restoring.keep(content);
    Ok(inspected)
}

/// Stores the backup key and signing key of `typed`, the vault's recovery code, after proving
/// from the header that it opens this vault: for a vault created before backups, or before
/// they were signed. Audited.
pub fn store_backup_key(
    session: &AppSession,
    practice: &mut Practice,
    typed: &str,
) -> Result<(), AppError> {
    let code = RecoveryCode::parse(typed)?;
    vault::prove(
        session.vault_dir(),
        Credential::RecoveryCode(&code),
        session.kdf(),
    )?;
    backup::store_backup_key(practice, &code)?;
    Ok(())
}

/// Where a backup is restored.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RestoreTarget {
    /// The vault folder this app uses (created if missing, else replaced after confirmation).
    AppVault,
    /// Another folder, missing or empty; the app's vault stays as it is.
    OtherFolder,
}

/// A finished restore.
pub struct RestoredVault {
    /// The new vault's recovery sheet (a new code: the old one does not open it).
    pub sheet: RecoverySheet,
    /// Where the restored vault is.
    pub vault_dir: PathBuf,
    /// Where the replaced vault was kept, if one was replaced.
    pub previous_kept_at: Option<PathBuf>,
}

/// Proves that `typed` — the current vault's passphrase, or its recovery code — opens the
/// vault in `dir` (a full key derivation for a passphrase). With nothing typed, only a vault
/// whose header cannot be read at all may be replaced.
pub fn prove_current(
    dir: &Path,
    typed: Option<&str>,
    kdf: holdspace::KdfPolicy,
) -> Result<(), AppError> {
    let typed = typed.map(str::trim).filter(|t| !t.is_empty());
    let Some(typed) = typed else {
        return match holdspace::vault::check_header(dir, kdf) {
            Err(holdspace::VaultError::HeaderDamaged | holdspace::VaultError::NotAVault { .. }) => {
                Ok(())
            }
            _ => Err(AppError::CurrentSecretNeeded),
        };
    };
    let proved = match RecoveryCode::parse(typed) {
        Ok(code) => vault::prove(dir, Credential::RecoveryCode(&code), kdf),
        Err(_) => vault::prove(dir, Credential::Passphrase(&Passphrase::new(typed)?), kdf),
    };
    match proved {
        Ok(()) => Ok(()),
        Err(holdspace::VaultError::WrongPassphrase | holdspace::VaultError::WrongRecoveryCode) => {
            Err(AppError::CurrentSecretWrong)
        }
        Err(other) => Err(other.into()),
    }
}

/// Restores the checked backup to `target` with the new vault passphrase `new`. Replacing the
/// app's vault needs `replace_confirmed` and `current`, its passphrase or recovery code. A
/// backup this practice's signature does not vouch for needs `trust` from the practitioner;
/// without it, nothing is locked, proven or made.
pub fn restore(
    session: &AppSession,
    target: RestoreTarget,
    folder: Option<PathBuf>,
    replace_confirmed: bool,
    current: Option<&str>,
    new: &Passphrase,
    trust: backup::Trust,
) -> Result<RestoredVault, AppError> {
    if let Some(content) = session.restoring.take() {
        let vouched = trust.check(&content);
        session.restoring.keep(content);
        vouched?;
    }
    let app_vault = session.vault_dir().to_path_buf();
    let replacing = target == RestoreTarget::AppVault && holdspace::vault::vault_exists(&app_vault);
    if replacing && !replace_confirmed {
        return Err(AppError::ReplaceNotConfirmed);
    }
    if replacing {
        session.touch();
        session.guess(|| prove_current(&app_vault, current, session.kdf()))?;
        // Proven: wrong tries so far were at the vault being replaced, not at the new one.
        session.forget_wrong_tries();
    }
    let into = match target {
        RestoreTarget::AppVault => app_vault.clone(),
        RestoreTarget::OtherFolder => folder
            .filter(|f| f.is_absolute())
            .ok_or(AppError::FolderNeeded)?,
    };
    if !replacing {
        // Checked before the backup is taken, so a folder that is not empty can be fixed
        // without opening the backup again.
        backup::restore::check_target(&into)?;
    }
    let content = session
        .restoring
        .take()
        .ok_or(AppError::NoBackupInspected)?;
    // The vault being replaced is locked first, which also makes its automatic backup.
    let preferences = if replacing {
        let preferences = session
            .with_practice(|p| Ok(p.backup_settings().map(FolderPreferences::of)))
            .unwrap_or(None);
        session.lock()?;
        preferences
    } else {
        None
    };
    let restoring = &session.restoring;
    session.touch();
    restoring.begin(Phase::Creating);
    let step = |s| restoring.reach(Phase::from(s));
    // A copy goes into the restore, so that a restore failing part way (a full disk, a
    // folder that went away) keeps the checked backup for another try.
    let kept = content.clone();
    let outcome = if replacing {
        backup::replace_vault(
            content,
            &into,
            new,
            session.kdf(),
            preferences.as_ref(),
            trust,
            step,
        )
        .map(|r| (r.recovery_code, Some(r.previous_kept_at)))
    } else {
        backup::restore_content(content, &into, new, session.kdf(), None, trust, step).map(|r| {
            // Recording the lock may fail without harm: the keys are wiped either way.
            let _ = r.practice.lock();
            (r.recovery_code, None)
        })
    };
    restoring.finish();
    let (code, previous_kept_at) = match outcome {
        Ok(done) => done,
        Err(e) => {
            restoring.keep(kept);
            return Err(e.into());
        }
    };
    Ok(RestoredVault {
        sheet: RecoverySheet::of(&code),
        vault_dir: into,
        previous_kept_at,
    })
}
