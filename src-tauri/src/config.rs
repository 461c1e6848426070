//! How the app was started: which vault folder, and an optional fixed auto-lock time; or
//! only to say its version or its options (`--version`, `--help`), as any program does.
//!
//! Policy: `--vault DIR` wins over `HOLDSPACE_VAULT`, which wins over the per-user data folder
//! (the same rule as holdspace-cli). `--auto-lock-seconds N` replaces the profile's minutes for
//! this run — for demonstrations and the end-to-end tests; it can only make locking sooner
//! than the ten-minute default's order of magnitude, never disable it.

use std::path::PathBuf;
use std::time::Duration;

/// The app's start-up options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppConfig {
    /// The vault folder.
    pub vault_dir: PathBuf,
    /// A fixed idle time before auto-lock, overriding the profile.
    pub auto_lock: Option<Duration>,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Open the window on this vault.
    Run(AppConfig),
    /// Print [`version_text`] and stop.
    Version,
    /// Print [`HELP`] and stop.
    Help,
}

/// What `holdspace --help` prints.
pub const HELP: &str = "\
Holdspace: group therapy records, encrypted on this computer.

Usage: holdspace [--vault DIR] [--auto-lock-seconds N]

Options:
  --vault DIR              the vault folder (default: $HOLDSPACE_VAULT, else
                           the per-user data folder)
  --auto-lock-seconds N    lock after N seconds idle, for this run only (1-86400)
  -h, --help               print this help
  -V, --version            print the version
";

/// What `holdspace --version` prints: the app's version and the vault format it writes.
pub fn version_text() -> String {
    format!(
        "holdspace {} (vault format {})",
        env!("CARGO_PKG_VERSION"),
        holdspace::header::FORMAT_VERSION
    )
}

/// Reads the command line (without the program name): `--version` or `--help` anywhere
/// wins, as in other programs; otherwise the options, as [`parse`] reads them.
pub fn invocation(args: impl IntoIterator<Item = String>) -> Result<Invocation, String> {
    let args: Vec<String> = args.into_iter().collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Invocation::Help);
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        return Ok(Invocation::Version);
    }
    parse(args).map(Invocation::Run)
}

/// Longest fixed auto-lock accepted on the command line.
const MAX_AUTO_LOCK_SECONDS: u64 = 24 * 60 * 60;

/// Reads the options from command-line `args` (without the program name); `None` with a
/// message when they are wrong.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<AppConfig, String> {
    let mut vault_dir = None;
    let mut auto_lock = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--vault" => {
                let dir = args.next().ok_or("--vault needs a folder")?;
                vault_dir = Some(PathBuf::from(dir));
            }
            "--auto-lock-seconds" => {
                let n: u64 = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| (1..=MAX_AUTO_LOCK_SECONDS).contains(n))
                    .ok_or("--auto-lock-seconds needs a number of seconds from 1 to 86400")?;
                auto_lock = Some(Duration::from_secs(n));
            }
            other if other.starts_with("--vault=") => {
                vault_dir = Some(PathBuf::from(&other["--vault=".len()..]));
            }
            other => return Err(format!("unknown option {other:?}; see holdspace --help")),
        }
    }
    let vault_dir = match vault_dir {
        Some(dir) => dir,
        None => holdspace::paths::default_vault_dir()
            .ok_or("this system has no home folder; start Holdspace with --vault DIR")?,
    };
    Ok(AppConfig {
        vault_dir,
        auto_lock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vault_flag_wins() {
        let config = parse(args(&["--vault", "/tmp/v"])).unwrap();
        assert_eq!(config.vault_dir, PathBuf::from("/tmp/v"));
        let config = parse(args(&["--vault=/tmp/w"])).unwrap();
        assert_eq!(config.vault_dir, PathBuf::from("/tmp/w"));
    }

    #[test]
    fn version_and_help_win_wherever_they_are() {
        let cases: [(&[&str], Invocation); 6] = [
            (&["--version"], Invocation::Version),
            (&["-V"], Invocation::Version),
            (&["--vault", "x", "--version"], Invocation::Version),
            (&["--help"], Invocation::Help),
            (&["-h", "--version"], Invocation::Help),
            (&["--frobnicate", "--help"], Invocation::Help),
        ];
        for (line, wanted) in cases {
            assert_eq!(invocation(args(line)), Ok(wanted), "{line:?}");
        }
        assert!(matches!(
            invocation(args(&["--vault", "x"])),
            Ok(Invocation::Run(_))
        ));
    }

    #[test]
    fn the_version_names_the_release_and_the_vault_format() {
        let text = version_text();
        assert!(text.starts_with(&format!("holdspace {} ", env!("CARGO_PKG_VERSION"))));
        assert!(text.ends_with(&format!(
            "(vault format {})",
            holdspace::header::FORMAT_VERSION
        )));
    }

    #[test]
    fn bad_options_are_explained() {
        assert!(parse(args(&["--vault"])).is_err());
        assert!(parse(args(&["--auto-lock-seconds", "0"])).is_err());
        assert!(parse(args(&["--frobnicate"])).is_err());
        let config = parse(args(&["--vault", "x", "--auto-lock-seconds", "3"])).unwrap();
        assert_eq!(config.auto_lock, Some(Duration::from_secs(3)));
    }
}
