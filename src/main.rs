//! `holdspace-cli`: a thin second shell over the Holdspace core, for scripts, checks and
//! recovery. It owns argument parsing, secret input, output formatting and exit codes; every
//! vault operation is one call into the core.
//!
//! Exit codes: 0 success; 1 `check` found damaged records, or a backup is damaged, cut short or
//! altered (`verify-backup`, `restore`); 2 any other failure (wrong passphrase, unusable vault,
//! bad input). Every failure is one line on stderr; never a panic.

mod backup_cmds;
mod man;
mod messages;
mod practice_cmds;
mod secrets;
mod vault_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

/// Every heap block the CLI frees is zeroed first, whoever allocated it: the passphrase read
/// from stdin, serde's buffers, decoded records.
#[global_allocator]
static ALLOCATOR: zalloc::ZeroizingAlloc<std::alloc::System> =
    zalloc::ZeroizingAlloc(std::alloc::System);

use clap::{Parser, Subcommand};
use holdspace::backup::BackupError;
use holdspace::practice::PracticeError;
use holdspace::VaultError;

use secrets::{SecretError, SecretSource};
use vault_cmds as v;

/// Holdspace's command-line tool: create, check and maintain an encrypted practice vault.
///
/// Secrets are asked for on a terminal; otherwise each is read from one line of standard input,
/// in the order the command's help gives.
#[derive(Parser)]
#[command(name = "holdspace-cli", version, about, long_about = None)]
struct Cli {
    /// The vault folder (default: $HOLDSPACE_VAULT, else the per-user data folder the app uses).
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault. Asks for the passphrase (twice on a terminal) and prints the
    /// recovery code once.
    Init,
    /// Unlock, decrypt every record and check the store against its sealed history. Exit 0
    /// when every record is intact and the history verified; 1 when a record is damaged (each
    /// named on stderr) or the history shows a record removed, put back to an older copy, or
    /// the store replaced by an older copy (each problem named); 2 when the vault cannot be
    /// opened.
    Check {
        /// After reading the problems: accept the vault as it is now, so later checks start
        /// from here. Recorded in the audit trail.
        #[arg(long)]
        accept: bool,
    },
    /// Counts by kind, sizes, key-derivation settings and format version.
    Stats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase. stdin: current passphrase, then the new one.
    Passwd,
    /// Re-encrypt every record under a new data key. stdin: the passphrase.
    Rotate,
    /// Set a new passphrase with the recovery code. stdin: recovery code, then the new passphrase.
    Recover,
    /// Make a new recovery code, if the recovery sheet was lost: the old code stops opening
    /// the vault, and new backups are made to the new code's backup key. Prints the new code
    /// once. stdin: the passphrase.
    NewRecoveryCode,
    /// Print where the vault is (or would be) and whether it exists.
    Where,
    /// Import a practice JSON file (docs/practice-json.md) into an empty vault. Checks the
    /// whole file first; a bad file names its first bad path and changes nothing.
    /// stdin: the passphrase.
    Import {
        /// The practice JSON file.
        file: PathBuf,
    },
    /// Write the whole practice as JSON to stdout (or --output). NOT encrypted.
    /// stdin: the passphrase.
    Export {
        /// Write to this new file (owner-only) instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the --output file if it exists (a symlink there is replaced, not followed).
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Search members, groups, sessions, notes and incidents (case- and accent-insensitive;
    /// the last word matches as a prefix). stdin: the passphrase.
    Search {
        /// What to look for.
        query: String,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
        /// Most hits shown per kind.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// A member's own record (right of access) as JSON, or as a printable HTML document with
    /// --html: other members by initials only, psychotherapy notes left out. NOT encrypted.
    /// stdin: the passphrase.
    MemberExport {
        /// The member's id (see `export` or `search --json`).
        id: String,
        /// Write a printable HTML document instead of JSON.
        #[arg(long)]
        html: bool,
        /// Write to this new file (owner-only) instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the --output file if it exists (a symlink there is replaced, not followed).
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Back up the whole practice to FILE (a standard age file; FILE must not exist yet).
    /// With --passphrase-stdin, stdin: the vault passphrase, then the backup's passphrase.
    /// With --backup-key (no backup passphrase; the recovery code opens it), stdin: the vault
    /// passphrase.
    #[command(group(clap::ArgGroup::new("protection").required(true).args(["passphrase_stdin", "backup_key"])))]
    Backup {
        /// The backup file to write.
        file: PathBuf,
        /// Protect the backup with a passphrase of its own (read after the vault passphrase).
        #[arg(long)]
        passphrase_stdin: bool,
        /// Encrypt to the vault's backup key, which the recovery code opens.
        #[arg(long)]
        backup_key: bool,
    },
    /// Decrypt and check a backup completely without touching any vault. Exit 0 when it is
    /// intact, 1 when it is damaged, cut short or altered. stdin: the backup's passphrase, or
    /// with --recovery-code-stdin the recovery code.
    VerifyBackup {
        /// The backup file.
        file: PathBuf,
        /// Open a backup made with --backup-key with the recovery code.
        #[arg(long)]
        recovery_code_stdin: bool,
        /// Print the manifest as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Restore a backup into a new vault in DIR (missing or empty); an existing vault is never
    /// changed. Prints the new vault's recovery code. stdin: the backup's passphrase (or with
    /// --recovery-code-stdin the recovery code), then the new vault's passphrase.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// The folder for the new vault.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Open a backup made with --backup-key with the recovery code.
        #[arg(long)]
        recovery_code_stdin: bool,
        /// Restore an intact backup whose records break a rule (made by an older Holdspace,
        /// or edited) as it is, and list every problem found: nothing is lost, and the
        /// practice can be put right afterwards.
        #[arg(long)]
        as_found: bool,
        /// Restore a backup-key backup that this practice's signature does not vouch for
        /// (made before backups were signed, or by someone who knew only the public backup
        /// key). Only for a backup you know the origin of.
        #[arg(long)]
        allow_unsigned: bool,
    },
    /// Print the vault's public backup recipient (age1…), for encrypting to it with other
    /// tools. stdin: the passphrase.
    BackupRecipient,
    /// Print the backup key as an age identity file (AGE-SECRET-KEY-1…), to open backups with
    /// the plain `age -d -i FILE`. SECRET. stdin: the recovery code.
    BackupIdentity,
    /// Store the backup key in a vault created before backups existed. stdin: the recovery code.
    SetBackupKey,
    /// Show the automatic-backup settings, changing those given. stdin: the passphrase.
    BackupSettings {
        /// The folder automatic backups go to (an existing folder, outside the vault).
        #[arg(long, value_name = "FOLDER")]
        folder: Option<PathBuf>,
        /// Back up when the app locks or closes.
        #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
        on_lock: Option<bool>,
        /// Keep the newest N backups (1–100).
        #[arg(long, value_name = "N")]
        keep_recent: Option<u32>,
        /// Keep the newest backup of each month for N months (0–120).
        #[arg(long, value_name = "N")]
        keep_monthly: Option<u32>,
    },
    /// Back up into the backup folder now, encrypted to the backup key, then remove the old
    /// backups the retention rule does not keep (as the app does on lock). stdin: the passphrase.
    BackupNow,
    /// Fill an empty vault with a synthetic practice (for demos, screenshots, benchmarks).
    /// stdin: the passphrase.
    Demo {
        /// 1 ≈ 300 members, 30 groups, 1,500 sessions, 15,000 notes.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The same seed gives the same practice.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the manual pages (roff) into DIR: one for the tool, one per command. Used when
    /// the package is built.
    #[command(hide = true)]
    GenerateMan {
        /// An existing folder.
        dir: PathBuf,
    },
}

/// Why a command failed, with the exit code it maps to.
pub enum Failure {
    Vault(VaultError),
    Practice(PracticeError),
    Backup(BackupError),
    Secret(SecretError),
    Usage(String),
    Io(String, std::io::Error),
    Damaged(usize),
    History(usize),
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        Self::Vault(e)
    }
}

impl From<PracticeError> for Failure {
    fn from(e: PracticeError) -> Self {
        match e {
            PracticeError::Vault(v) => Self::Vault(v),
            other => Self::Practice(other),
        }
    }
}

impl From<BackupError> for Failure {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Vault(v) => Self::Vault(v),
            BackupError::Practice(p) => p.into(),
            other => Self::Backup(other),
        }
    }
}

impl From<SecretError> for Failure {
    fn from(e: SecretError) -> Self {
        Self::Secret(e)
    }
}

fn main() -> ExitCode {
    // Where it happened, never what: a panic's message can quote record text.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("holdspace-cli: internal error{at}; nothing further was written");
    }));
    // Before anything else, and before any secret exists: no core files, not dumpable,
    // private new files. Without that protection the tool does not run.
    if let Err(e) = holdspace::hardening::harden_process() {
        eprintln!("holdspace-cli: {e}; holdspace-cli does not run without this protection");
        return ExitCode::from(2);
    }
    match holdspace::KdfPolicy::from_env() {
        Ok(policy) => vault_cmds::set_policy(policy),
        Err(refused) => {
            eprintln!("holdspace-cli: {refused}");
            return ExitCode::from(2);
        }
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let (code, message) = describe(failure);
            eprintln!("holdspace-cli: {message}");
            ExitCode::from(code)
        }
    }
}

/// The exit code and the one-line message for a failure.
fn describe(failure: Failure) -> (u8, String) {
    match failure {
        Failure::Damaged(n) => (
            1,
            format!("{n} damaged record(s); restore them from a backup"),
        ),
        Failure::History(n) => (
            1,
            format!(
                "the vault's history shows {n} problem(s), listed above: records were removed or put back to older copies outside Holdspace. Restore a backup made before it happened, or, once you have read them, run `holdspace-cli check --accept`"
            ),
        ),
        Failure::Vault(e) => (2, messages::for_vault_error(&e)),
        Failure::Practice(e) => (2, messages::for_practice_error(&e)),
        Failure::Backup(e) => (
            if e.is_bad_backup() { 1 } else { 2 },
            messages::for_backup_error(&e),
        ),
        Failure::Secret(e) => (2, e.to_string()),
        Failure::Usage(m) => (2, m),
        Failure::Io(what, e) => (2, format!("{what}: {e}")),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut secrets = SecretSource::from_stdin();
    // Commands that need no vault run before the vault folder is looked for.
    match &cli.command {
        Command::VerifyBackup {
            file,
            recovery_code_stdin,
            json,
        } => return backup_cmds::verify(&mut secrets, file, *recovery_code_stdin, *json),
        Command::Restore {
            file,
            into,
            recovery_code_stdin,
            as_found,
            allow_unsigned,
        } => {
            return backup_cmds::restore(
                &mut secrets,
                file,
                into,
                *recovery_code_stdin,
                *as_found,
                *allow_unsigned,
            )
        }
        Command::BackupIdentity => return backup_cmds::identity(&mut secrets),
        Command::GenerateMan { dir } => {
            return man::write_pages(<Cli as clap::CommandFactory>::command(), dir)
        }
        _ => {}
    }
    let dir = match cli.vault.or_else(holdspace::paths::default_vault_dir) {
        Some(dir) => dir,
        None => {
            return Err(Failure::Usage(
                "no home folder found; pass --vault DIR".into(),
            ))
        }
    };
    match cli.command {
        Command::VerifyBackup { .. }
        | Command::Restore { .. }
        | Command::BackupIdentity
        | Command::GenerateMan { .. } => Ok(()),
        Command::Backup {
            file,
            passphrase_stdin,
            ..
        } => backup_cmds::backup(&dir, &mut secrets, &file, passphrase_stdin),
        Command::BackupRecipient => backup_cmds::recipient(&dir, &mut secrets),
        Command::SetBackupKey => backup_cmds::set_key(&dir, &mut secrets),
        Command::BackupSettings {
            folder,
            on_lock,
            keep_recent,
            keep_monthly,
        } => backup_cmds::settings(
            &dir,
            &mut secrets,
            backup_cmds::SettingsChange {
                folder,
                on_lock,
                keep_recent,
                keep_monthly,
            },
        ),
        Command::BackupNow => backup_cmds::back_up_now(&dir, &mut secrets),
        Command::Init => v::init(&dir, &mut secrets),
        Command::Check { accept } => v::check(&dir, &mut secrets, accept),
        Command::Stats { json } => v::stats(&dir, &mut secrets, json),
        Command::Passwd => v::passwd(&dir, &mut secrets),
        Command::Rotate => v::rotate(&dir, &mut secrets),
        Command::NewRecoveryCode => v::new_recovery_code(&dir, &mut secrets),
        Command::Recover => v::recover(&dir, &mut secrets),
        Command::Import { file } => practice_cmds::import(&dir, &mut secrets, &file),
        Command::Export { output, force } => {
            practice_cmds::export(&dir, &mut secrets, output_of(output.as_deref(), force))
        }
        Command::Search { query, json, limit } => {
            practice_cmds::search(&dir, &mut secrets, &query, json, limit)
        }
        Command::MemberExport {
            id,
            html,
            output,
            force,
        } => practice_cmds::member_export(
            &dir,
            &mut secrets,
            &id,
            html,
            output_of(output.as_deref(), force),
        ),
        Command::Demo { scale, seed } => practice_cmds::demo(&dir, &mut secrets, scale, seed),
        Command::Where => {
            let state = if holdspace::vault::vault_exists(&dir) {
                "exists"
            } else {
                "not created yet"
            };
            println!("{} ({state})", dir.display());
            Ok(())
        }
    }
}

/// Where a plaintext export goes: a file (replaced only with `--force`), or stdout.
fn output_of(path: Option<&std::path::Path>, force: bool) -> Option<practice_cmds::Output<'_>> {
    path.map(|path| practice_cmds::Output { path, force })
}

/// `yes`/`no` (also `true`/`false`, `on`/`off`) for a switch option.
fn parse_yes_no(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" => Ok(true),
        "no" | "false" | "off" => Ok(false),
        _ => Err(format!("expected yes or no, not {value:?}")),
    }
}
