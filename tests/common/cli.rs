//! Running `holdspace-cli` from a test: arguments, one stdin text, the explicit insecure test
//! KDF, and the output captured.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The CLI binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_holdspace-cli");

/// Runs the CLI with `args` and `stdin`; the insecure test KDF is set explicitly.
pub fn run(args: &[&str], stdin: &str) -> Output {
    run_program(BIN, args, stdin)
}

/// Runs `program` (the CLI, or a wrapper that runs it) with `args` and `stdin`, with the
/// environment the CLI gets in tests.
pub fn run_program(program: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .env("HOLDSPACE_INSECURE_TEST_KDF", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
    // The CLI may exit before reading everything (e.g. no vault): ignore a broken pipe.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait")
}

/// Its standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
