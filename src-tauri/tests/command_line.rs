//! The app's command line, run on the built binary with no display: `--version` and `--help`
//! answer and stop before any window or vault is touched, and a wrong option is refused with
//! a pointer to `--help`.

use std::process::{Command, Output};

/// Runs the app with `args` and no display, so anything that tried to open a window fails.
fn holdspace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the app runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_release_and_the_vault_format() {
    for flag in ["--version", "-V"] {
        let out = holdspace(&[flag]);
        assert!(out.status.success(), "{flag}: {out:?}");
        assert_eq!(
            stdout(&out),
            format!(
                "holdspace {} (vault format {})\n",
                env!("CARGO_PKG_VERSION"),
                holdspace::header::FORMAT_VERSION
            )
        );
    }
}

#[test]
fn help_lists_every_option() {
    let out = holdspace(&["--help"]);
    assert!(out.status.success(), "{out:?}");
    let help = stdout(&out);
    for option in [
        "--vault DIR",
        "--auto-lock-seconds N",
        "--help",
        "--version",
    ] {
        assert!(
            help.contains(option),
            "--help does not mention {option}:\n{help}"
        );
    }
}

#[test]
fn a_wrong_option_is_refused_with_a_pointer_to_help() {
    let out = holdspace(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stdout(&out).is_empty());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--frobnicate") && said.contains("holdspace --help"),
        "{said}"
    );
}
