//! `holdspace-cli`: a thin second shell over the Holdspace core, for scripts, checks and
//! recovery. It owns argument parsing, secret input, output formatting and exit codes; every
//! vault operation is one call into the core.
//!
//! Exit codes: 0 success; 1 `check` found damaged records; 2 any other failure (wrong
//! passphrase, unusable vault, bad input). Every failure is one line on stderr; never a panic.

mod messages;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use holdspace::{KdfPolicy, Passphrase, RecoveryCode, Vault, VaultError};

use secrets::{SecretError, SecretSource};

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
    /// Unlock and decrypt every record. Exit 0 when all are intact, 1 when any is damaged
    /// (each named on stderr), 2 when the vault cannot be opened.
    Check,
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
    /// Print where the vault is (or would be) and whether it exists.
    Where,
}

/// Why a command failed, with the exit code it maps to.
enum Failure {
    Vault(VaultError),
    Secret(SecretError),
    Usage(String),
    Damaged(usize),
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        Self::Vault(e)
    }
}

impl From<SecretError> for Failure {
    fn from(e: SecretError) -> Self {
        Self::Secret(e)
    }
}

/// The shortest passphrase `init`, `passwd` and `recover` accept.
const MIN_PASSPHRASE_CHARS: usize = 8;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("holdspace-cli: internal error ({info}); nothing further was written");
    }));
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
        Failure::Vault(e) => (2, messages::for_vault_error(&e)),
        Failure::Secret(e) => (2, e.to_string()),
        Failure::Usage(m) => (2, m),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let dir = match cli.vault.or_else(holdspace::paths::default_vault_dir) {
        Some(dir) => dir,
        None => {
            return Err(Failure::Usage(
                "no home folder found; pass --vault DIR".into(),
            ))
        }
    };
    let mut secrets = SecretSource::from_stdin();
    match cli.command {
        Command::Init => init(&dir, &mut secrets),
        Command::Check => check(&dir, &mut secrets),
        Command::Stats { json } => stats(&dir, &mut secrets, json),
        Command::Passwd => passwd(&dir, &mut secrets),
        Command::Rotate => rotate(&dir, &mut secrets),
        Command::Recover => recover(&dir, &mut secrets),
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

fn policy() -> KdfPolicy {
    KdfPolicy::from_env()
}

fn read_passphrase(secrets: &mut SecretSource, what: &'static str) -> Result<Passphrase, Failure> {
    let typed = secrets.read(what)?;
    Ok(Passphrase::new(typed.as_str())?)
}

fn read_new_passphrase(secrets: &mut SecretSource) -> Result<Passphrase, Failure> {
    let typed = secrets.read_new("new passphrase")?;
    if typed.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Failure::Usage(format!(
            "choose a passphrase of at least {MIN_PASSPHRASE_CHARS} characters (a few unrelated words work well); nothing was changed"
        )));
    }
    Ok(Passphrase::new(typed.as_str())?)
}

/// Refuses a folder without a vault before anyone types a secret for it.
fn require_vault(dir: &std::path::Path) -> Result<(), Failure> {
    if holdspace::vault::vault_exists(dir) {
        Ok(())
    } else {
        Err(VaultError::NotAVault {
            path: dir.to_path_buf(),
        }
        .into())
    }
}

fn unlock(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<Vault, Failure> {
    require_vault(dir)?;
    let passphrase = read_passphrase(secrets, "passphrase")?;
    Ok(Vault::open(dir, &passphrase, policy())?)
}

fn init(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<(), Failure> {
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
    created.vault.lock()?;
    eprintln!("Created a vault in {}.", dir.display());
    eprintln!(
        "Your recovery code is below. Write it down and keep it somewhere safe, away from this"
    );
    eprintln!("computer. It is the only way in if the passphrase is forgotten, and it is shown only once.");
    println!("{}", created.recovery_code.display_grouped().as_str());
    Ok(())
}

fn check(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    let vault = unlock(dir, secrets)?;
    let mut intact = 0usize;
    let mut damaged = 0usize;
    for record in vault.scan() {
        match record {
            Ok(_) => intact += 1,
            Err(VaultError::RecordDamaged { id }) => {
                damaged += 1;
                eprintln!("damaged record: {id}");
            }
            Err(other) => return Err(other.into()),
        }
    }
    vault.lock()?;
    if damaged > 0 {
        return Err(Failure::Damaged(damaged));
    }
    println!("{intact} record(s), all intact");
    Ok(())
}

fn stats(dir: &std::path::Path, secrets: &mut SecretSource, json: bool) -> Result<(), Failure> {
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
        "key derivation   Argon2id, {} MiB, {} iterations, {} lane(s)",
        stats.kdf.memory_kib / 1024,
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

fn passwd(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let current = read_passphrase(secrets, "current passphrase")?;
    let new = read_new_passphrase(secrets)?;
    let mut vault = Vault::open(dir, &current, policy())?;
    vault.change_passphrase(&current, &new)?;
    vault.lock()?;
    eprintln!("Passphrase changed. The old passphrase no longer opens the vault.");
    Ok(())
}

fn rotate(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let passphrase = read_passphrase(secrets, "passphrase")?;
    let mut vault = Vault::open(dir, &passphrase, policy())?;
    let mut last_percent = None;
    vault.rotate(&passphrase, |p| {
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
    let epoch = vault.key_epoch();
    vault.lock()?;
    eprintln!("Rotated the data key (now key epoch {epoch}); every record is re-encrypted.");
    Ok(())
}

fn recover(dir: &std::path::Path, secrets: &mut SecretSource) -> Result<(), Failure> {
    require_vault(dir)?;
    let typed = secrets.read("recovery code")?;
    let code = RecoveryCode::parse(&typed)?;
    let new = read_new_passphrase(secrets)?;
    let vault = Vault::recover(dir, &code, &new, policy())?;
    vault.lock()?;
    eprintln!("New passphrase set. The recovery code still works; keep it safe.");
    Ok(())
}
