//! Crash safety with real `kill -9`s (the rules under "Durability" in `docs/vault-format.md`):
//! a child process writes or rotates, the parent SIGKILLs it at a random moment and then
//! checks, by reopening the vault, that the old or the new complete state is on disk — never a
//! lost acknowledged write, a torn batch, a damaged record or a half-rotated vault. Also: a
//! second process on an open vault is refused and changes nothing. A purge (its deletion, then
//! the erasure that rewrites the store) is killed the same way.
//!
//! The children are this test binary run again (`current_exe()`) on one of the `#[ignore]`d
//! `crash_child_*` functions, told what to do through environment variables; they do nothing
//! when those are missing, so `cargo test -- --ignored` stays harmless. A child prints a line
//! (and flushes) only after the vault call it reports has returned `Ok`.
//!
//! `HOLDSPACE_CRASH_ROUNDS` sets the kills per loop (default 50; `make soak` uses 500) and
//! `HOLDSPACE_CRASH_SEED` replays a schedule (kill delays, write mix). On a failure the vault
//! folder and a copy taken just before the parent's reopen are kept and their paths printed.
//!
//! This file must not weaken what it checks to make a flaky store pass: a failure here is a
//! finding about sled or the vault, to be reported with its round and seed.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::*;
use holdspace::{RecordId, Vault, VaultError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Kills per loop, overridable for the soak run.
const ROUNDS_ENV: &str = "HOLDSPACE_CRASH_ROUNDS";
const DEFAULT_ROUNDS: u64 = 50;
/// Seed of the kill schedule; random (and printed) when unset.
const SEED_ENV: &str = "HOLDSPACE_CRASH_SEED";

/// Tells a child which vault folder to use; a child without it does nothing.
const CHILD_VAULT_ENV: &str = "HOLDSPACE_CRASH_CHILD_VAULT";
/// The writer child's round number (part of every body it writes).
const CHILD_ROUND_ENV: &str = "HOLDSPACE_CRASH_CHILD_ROUND";
/// The writer child's seed for its mix of puts and batches.
const CHILD_SEED_ENV: &str = "HOLDSPACE_CRASH_CHILD_SEED";

/// Kill delay after spawning a writer, in milliseconds (inclusive range).
const KILL_DELAY_MS: (u64, u64) = (5, 150);
/// The writer loop starts a fresh vault once its vault holds this many records. Every round
/// decrypts the whole vault, and the debug build seals and opens at only a few MB/s, so an
/// ever-growing vault would make a 500-round soak quadratic; this still piles a couple of
/// dozen crash recoveries onto one sled store.
const WRITER_MAX_RECORDS: usize = 3000;
/// Records in the vault the rotation loop works on (one of them large, in a sled blob). Below
/// the vault's rotation batch (2048) so that the progress callback reports `done == total`
/// only once, after the new store is flushed, just before the commit.
const ROTATION_RECORDS: u64 = 2000;
/// Schema version of every record written here.
const SCHEMA: u32 = 7;
/// How long a child may take to say it has opened the vault.
const CHILD_START_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Record bodies: deterministic from (round, seq, index), carrying the size of the write they
// were part of so that atomicity can be checked even for writes nobody acknowledged.
// ---------------------------------------------------------------------------------------------

/// The body of every record the crash tests write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// Writer round (0 for the rotation loop's records).
    round: u64,
    /// Sequence number of the write within its round.
    seq: u64,
    /// Records in the write: 1 for a single `put`, more for a `batch`/`commit`.
    size: u32,
    /// Position of this record within its write.
    index: u32,
    /// Filler derived from the fields above; about 1 record in 1000 is large enough
    /// (> 128 KiB) to go to one of sled's blob files.
    text: String,
}

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,0123456789";

/// The one body record `index` of write `seq` in `round` (of `size` records) must have.
fn entry(round: u64, seq: u64, size: u32, index: u32) -> Entry {
    let mut rng = Rng::new(round, seq, u64::from(index));
    let len = if rng.below(1000) == 0 {
        135_000 + rng.below(5_000)
    } else {
        16 + rng.below(200)
    };
    Entry {
        round,
        seq,
        size,
        index,
        text: filler(&mut rng, len),
    }
}

fn filler(rng: &mut Rng, len: u64) -> String {
    (0..len)
        .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len() as u64) as usize]))
        .collect()
}

/// The kind of record `index` of a write: a save is a record plus its audit event.
fn kind_of(index: u32) -> &'static str {
    if index == 0 {
        "note"
    } else {
        "audit-event"
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A small deterministic PRNG (SplitMix64): kill delays and the write mix, reproducible from
/// the printed seed without another dependency.
struct Rng(u64);

impl Rng {
    fn new(a: u64, b: u64, c: u64) -> Self {
        let mut rng =
            Rng(a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ c.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn kill_delay(&mut self) -> Duration {
        let (lo, hi) = KILL_DELAY_MS;
        Duration::from_millis(lo + self.below(hi - lo + 1))
    }
}

fn rounds() -> u64 {
    match std::env::var(ROUNDS_ENV) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{ROUNDS_ENV}={v:?} is not a number")),
        Err(_) => DEFAULT_ROUNDS,
    }
}

fn base_seed() -> u64 {
    if let Ok(v) = std::env::var(SEED_ENV) {
        return v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{SEED_ENV}={v:?} is not a number"));
    }
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).expect("random seed");
    u64::from_le_bytes(bytes)
}

/// Progress and summary lines go straight to the process's stderr, past libtest's output
/// capture, so `make test` shows them.
/// The rounds (the configured count, divided by `share` for the slower loops) and the base
/// seed of the loop called `name`, said on stderr so a failure can be replayed.
fn schedule(name: &str, share: u64) -> (u64, u64) {
    let rounds = rounds().div_ceil(share);
    let seed = base_seed();
    report(&format!(
        "crash/{name}: {rounds} rounds, seed {seed} ({SEED_ENV}={seed} replays the schedule)"
    ));
    (rounds, seed)
}

fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

// ---------------------------------------------------------------------------------------------
// The children.
// ---------------------------------------------------------------------------------------------

fn child_vault() -> Option<PathBuf> {
    std::env::var_os(CHILD_VAULT_ENV).map(PathBuf::from)
}

fn child_env_u64(name: &str) -> u64 {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set"))
        .parse()
        .unwrap_or_else(|_| panic!("{name} is not a number"))
}

/// Ends the child when its parent goes away (its stdin reaches end of file), so that a parent
/// that dies never leaves a writer running.
fn exit_when_parent_goes() {
    thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(3);
    });
}

/// Prints one protocol line and flushes it. The leading newline of the first line ends
/// whatever libtest printed on the current line.
fn say(out: &mut impl Write, line: &str) {
    writeln!(out, "{line}").expect("write to the parent");
    out.flush().expect("flush to the parent");
}

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_writer() {
    let Some(dir) = child_vault() else { return };
    let round = child_env_u64(CHILD_ROUND_ENV);
    let mut rng = Rng::new(child_env_u64(CHILD_SEED_ENV), 0, 0);
    exit_when_parent_goes();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).expect("writer opens");
    let mut out = std::io::stdout().lock();
    say(&mut out, "\nREADY");
    for seq in 0.. {
        // Two writes in three are single puts, the rest batches of 2 to 6 records.
        let size = if rng.below(3) == 0 {
            2 + rng.below(5) as u32
        } else {
            1
        };
        let ids: Vec<RecordId> = (0..size).map(|_| RecordId::random()).collect();
        if size == 1 {
            vault
                .put(ids[0], kind_of(0), SCHEMA, &entry(round, seq, 1, 0))
                .expect("put");
            say(&mut out, &format!("ACK {} {seq}", ids[0]));
        } else {
            let mut batch = vault.batch();
            for (index, id) in (0..size).zip(&ids) {
                batch
                    .put(*id, kind_of(index), SCHEMA, &entry(round, seq, size, index))
                    .expect("batch put");
            }
            vault.commit(batch).expect("commit");
            let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
            say(&mut out, &format!("ACKBATCH {seq} {}", list.join(",")));
        }
    }
}

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_rotator() {
    let Some(dir) = child_vault() else { return };
    exit_when_parent_goes();
    let mut vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).expect("rotator opens");
    let mut out = std::io::stdout().lock();
    say(&mut out, &format!("\nOPENED {}", vault.key_epoch()));
    loop {
        let next = vault.key_epoch() + 1;
        vault
            .rotate(&passphrase(PASSPHRASE), |p| {
                // The new store is complete and flushed; the commit comes next.
                if p.total > 0 && p.done == p.total {
                    say(&mut out, &format!("COPIED {next}"));
                }
            })
            .expect("rotate");
        say(&mut out, &format!("ROTATED {}", vault.key_epoch()));
    }
}

/// The frozen format-1 fixture, which the upgrader child opens (and so upgrades).
fn fixture_v1_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixture-v1")
}
/// The fixture's passphrase (see `tests/fixture.rs`).
const FIXTURE_PASSPHRASE: &str =
    "Fixture passphrase: caf\u{e9}, Gr\u{fc}\u{df}e, \u{9375} \u{1F511}";
/// The fixture was made with production floor parameters.
const FIXTURE_POLICY: holdspace::KdfPolicy =
    holdspace::KdfPolicy::Fixed(holdspace::KdfParams::FLOOR);

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_upgrader() {
    let Some(dir) = child_vault() else { return };
    exit_when_parent_goes();
    let mut out = std::io::stdout().lock();
    say(&mut out, "\nSTARTED");
    let vault =
        Vault::open(&dir, &passphrase(FIXTURE_PASSPHRASE), FIXTURE_POLICY).expect("upgrader opens");
    say(&mut out, &format!("UPGRADED {}", vault.key_epoch()));
    vault.lock().expect("upgrader locks");
    say(&mut out, "LOCKED");
    loop {
        thread::sleep(Duration::from_secs(1));
    }
}

/// The demo practice the importer child imports (small, so a round is quick).
fn import_file() -> holdspace::practice::PracticeJson {
    let today = time::macros::date!(2026 - 11 - 26);
    holdspace::practice::demo::demo_practice(0.05, 7, today)
}

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_importer() {
    let Some(dir) = child_vault() else { return };
    exit_when_parent_goes();
    let file = import_file();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).expect("importer opens");
    let mut practice = holdspace::practice::Practice::load(vault).expect("importer loads");
    let mut out = std::io::stdout().lock();
    say(&mut out, "\nOPENED");
    practice.import(file).expect("import");
    say(&mut out, "IMPORTED");
    loop {
        thread::sleep(Duration::from_secs(1));
    }
}

/// The member a purge round erases: the one with the most notes.
fn member_to_purge(practice: &holdspace::practice::Practice) -> holdspace::practice::MemberId {
    let state = practice.state();
    let notes_of =
        |m: &holdspace::practice::MemberId| state.notes.values().filter(|n| n.member == *m).count();
    *state
        .members
        .keys()
        .max_by_key(|m| (notes_of(m), **m))
        .expect("the demo practice has members")
}

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_purger() {
    let Some(dir) = child_vault() else { return };
    exit_when_parent_goes();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).expect("purger opens");
    let mut practice = holdspace::practice::Practice::unlock(vault).expect("purger unlocks");
    let member = member_to_purge(&practice);
    let mut out = std::io::stdout().lock();
    say(&mut out, "\nOPENED");
    let report = practice
        .purge_member_with_progress(member, |_| {})
        .expect("purge");
    say(&mut out, &format!("PURGED erased={}", report.erased));
    loop {
        thread::sleep(Duration::from_secs(1));
    }
}

#[test]
#[ignore = "child process for the crash tests"]
fn crash_child_holder() {
    let Some(dir) = child_vault() else { return };
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).expect("holder opens");
    let mut out = std::io::stdout().lock();
    say(&mut out, "\nOPEN");
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    vault.lock().expect("holder locks");
    say(&mut out, "CLOSED");
}

// ---------------------------------------------------------------------------------------------
// The parent's side of a child.
// ---------------------------------------------------------------------------------------------

/// A running child: killed and reaped when dropped, so a failing test never leaves one behind.
struct ChildProc {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Complete stdout lines with the moment the parent read them.
    lines: mpsc::Receiver<(Instant, String)>,
    /// Lines already taken off the channel by [`ChildProc::wait_for`].
    taken: Vec<(Instant, String)>,
    stdout_done: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

impl ChildProc {
    fn spawn(name: &str, dir: &Path, env: &[(&str, String)]) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("test binary path"))
            .args([
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
                name,
            ])
            .env(CHILD_VAULT_ENV, dir)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("child stdout");
        let mut stderr = child.stderr.take().expect("child stderr");
        let (tx, lines) = mpsc::channel();
        let stdout_done = thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    // A line without its newline was cut short by the kill: not a report.
                    Ok(0) | Err(_) => break,
                    Ok(_) if buf.last() != Some(&b'\n') => break,
                    Ok(_) => {
                        let line = String::from_utf8_lossy(&buf).trim_end().to_owned();
                        if tx.send((Instant::now(), line)).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Self {
            child,
            stdin,
            lines,
            taken: Vec::new(),
            stdout_done: Some(stdout_done),
            stderr: Some(stderr),
        }
    }

    /// Waits for a line starting with `word` and returns when it was read; panics (with the
    /// child's stderr) on timeout or if the child ends first.
    fn wait_for(&mut self, word: &str) -> Instant {
        let deadline = Instant::now() + CHILD_START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    let found = line.split_whitespace().next() == Some(word);
                    self.taken.push((at, line));
                    if found {
                        return at;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    let status = self.child.wait();
                    panic!(
                        "child never printed {word} (status {status:?}); stderr:\n{}",
                        self.take_stderr()
                    );
                }
            }
        }
    }

    /// SIGKILLs the child unless it already ended (which a writer or rotator never does on
    /// its own: that is a failure of the child, reported with its stderr). Returns every
    /// complete line it printed, with when the parent read it.
    fn kill(mut self) -> Vec<(Instant, String)> {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "the child ended on its own before the kill ({status}); stderr:\n{}",
                self.take_stderr()
            );
        }
        self.child.kill().expect("SIGKILL the child");
        let status = self.child.wait().expect("reap the child");
        if std::os::unix::process::ExitStatusExt::signal(&status) != Some(9) {
            panic!(
                "the child was not ended by the SIGKILL but {status}; stderr:\n{}",
                self.take_stderr()
            );
        }
        self.drain()
    }

    /// Closes the child's stdin and waits for it to end by itself.
    fn finish(mut self) -> (std::process::ExitStatus, Vec<String>, String) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("reap the child");
        let lines = self.drain().into_iter().map(|(_, line)| line).collect();
        (status, lines, self.take_stderr())
    }

    fn drain(&mut self) -> Vec<(Instant, String)> {
        if let Some(handle) = self.stdout_done.take() {
            handle.join().expect("stdout reader");
        }
        let mut lines = std::mem::take(&mut self.taken);
        lines.extend(self.lines.try_iter());
        lines
    }

    fn take_stderr(&mut self) -> String {
        self.stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default()
    }
}

impl Drop for ChildProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Forensics: copies and hashes of vault folders.
// ---------------------------------------------------------------------------------------------

/// Copies `from` to `to` (replacing it): the exact crashed state, kept for a failure report.
/// How long a child's operation takes, learned as the rounds go: a kill is aimed at a random
/// moment from the start of the operation to a little past its usual end.
struct KillWindow(Duration);

impl KillWindow {
    /// Lets `child` run until it says `started`, kills it at a random moment in the window (up to
    /// `spread_permille` thousandths of it), and learns from the `done` line if it got that
    /// far (or widens the window if it did not). Returns the delay after `started`, and whether the child said `done`.
    fn kill(
        &mut self,
        mut child: ChildProc,
        rng: &mut Rng,
        (started, done): (&str, &str),
        spread_permille: u64,
    ) -> (Duration, bool) {
        let started_at = child.wait_for(started);
        let delay = self.0 * rng.below(spread_permille) as u32 / 1000;
        thread::sleep((started_at + delay).saturating_duration_since(Instant::now()));
        let timed = child.kill();
        let finished = timed.iter().find(|(_, l)| l.starts_with(done));
        match finished {
            Some((at, _)) => self.0 = (self.0 * 3 + at.duration_since(started_at)) / 4,
            // Never seen to finish: it takes longer than thought, so later kills reach further.
            None => self.0 = self.0 * 5 / 4,
        }
        (delay, finished.is_some())
    }
}

fn snapshot(from: &Path, to: &Path) {
    if to.exists() {
        fs::remove_dir_all(to).expect("remove the previous snapshot");
    }
    copy_tree(from, to);
}

/// Every file and folder under `root`, by relative path, with its SHA-256 (folders: `dir`).
fn hash_tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let entry = entry.expect("folder entry");
            let path = entry.path();
            let name = path
                .strip_prefix(root)
                .expect("under root")
                .display()
                .to_string();
            if entry.file_type().expect("file type").is_dir() {
                out.insert(name, "dir".into());
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).expect("read file");
                out.insert(
                    name,
                    format!(
                        "{} bytes, sha256 {}",
                        bytes.len(),
                        hex::encode(digest(&bytes))
                    ),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn tree_diff(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> String {
    let mut lines = Vec::new();
    for (path, was) in before {
        match after.get(path) {
            None => lines.push(format!("  removed {path} ({was})")),
            Some(now) if now != was => lines.push(format!("  changed {path}: {was} -> {now}")),
            Some(_) => {}
        }
    }
    for (path, now) in after {
        if !before.contains_key(path) {
            lines.push(format!("  created {path} ({now})"));
        }
    }
    lines.join("\n")
}

fn store_dirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read vault folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store-"))
        .collect();
    names.sort();
    names
}

/// The key epoch as written in `vault.hdr` (offset 34, u32 LE), read without opening.
fn header_epoch_on_disk(dir: &Path) -> Option<u32> {
    let bytes = fs::read(dir.join("vault.hdr")).ok()?;
    Some(u32::from_le_bytes(bytes.get(34..38)?.try_into().ok()?))
}

/// Keeps the test's folder and panics with everything needed to reproduce the failure.
fn fail(tmp: tempfile::TempDir, what: &str, round: u64, seed: u64, problems: &[String]) -> ! {
    let kept = tmp.keep();
    let shown: Vec<&String> = problems.iter().take(40).collect();
    panic!(
        "{what}: round {round} failed (seed {seed}; replay with {SEED_ENV}={seed} \
         {ROUNDS_ENV}={}). Folder kept at {} (vault/ is the state after the failed check, \
         before-open/ the state the kill left). {} problem(s):\n{}",
        round + 1,
        kept.display(),
        problems.len(),
        shown
            .iter()
            .map(|p| format!("  - {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Kills during writes.
// ---------------------------------------------------------------------------------------------

/// One acknowledged write, as the child reported it.
struct Ack {
    seq: u64,
    ids: Vec<RecordId>,
}

fn parse_writer_lines(lines: &[String]) -> Result<(bool, Vec<Ack>), String> {
    let mut ready = false;
    let mut acks = Vec::new();
    for line in lines {
        let mut words = line.split_whitespace();
        let parsed = match words.next() {
            Some("READY") => {
                ready = true;
                continue;
            }
            Some("ACK") => (|| {
                let id = words.next()?.parse().ok()?;
                let seq = words.next()?.parse().ok()?;
                Some(Ack { seq, ids: vec![id] })
            })(),
            Some("ACKBATCH") => (|| {
                let seq = words.next()?.parse().ok()?;
                let ids = words
                    .next()?
                    .split(',')
                    .map(|s| s.parse().ok())
                    .collect::<Option<Vec<RecordId>>>()?;
                Some(Ack { seq, ids })
            })(),
            // libtest's own lines ("running 1 test", ...).
            _ => continue,
        };
        acks.push(parsed.ok_or_else(|| format!("unreadable line from the writer: {line:?}"))?);
    }
    for (expected, ack) in (0u64..).zip(&acks) {
        if ack.seq != expected {
            return Err(format!(
                "the writer acknowledged seq {} where {expected} was next",
                ack.seq
            ));
        }
    }
    Ok((ready, acks))
}

/// What one writer round found on reopening.
#[derive(Default)]
struct WriteRoundReport {
    acked_records: usize,
    unacked_records: usize,
    total_records: usize,
}

/// Reopens the vault after a writer was killed in `round` and checks everything; returns the
/// problems found (empty when the round passed).
fn check_writer_round(
    dir: &Path,
    round: u64,
    acks: &[Ack],
    confirmed: &mut HashMap<RecordId, [u8; 32]>,
    report: &mut WriteRoundReport,
) -> Vec<String> {
    let mut problems = Vec::new();
    let vault = match Vault::open(dir, &passphrase(PASSPHRASE), POLICY) {
        Ok(v) => v,
        Err(e) => return vec![format!("the vault does not open after the kill: {e:?}")],
    };
    // A kill never leaves the store and its sealed history disagreeing.
    match vault.integrity() {
        Ok(integrity) if !integrity.is_verified() => problems.push(format!(
            "the history does not verify after the kill: {:?}",
            integrity.findings
        )),
        Err(e) => problems.push(format!("the history could not be checked: {e:?}")),
        Ok(_) => {}
    }
    let mut found: HashMap<RecordId, (Entry, [u8; 32])> = HashMap::new();
    let mut scanned = 0usize;
    let mut scanned_ids = std::collections::HashSet::new();
    for item in vault.scan() {
        scanned += 1;
        let record = match item {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("scan yields an error: {e:?}"));
                continue;
            }
        };
        scanned_ids.insert(record.id);
        let hash = digest(record.body_json());
        if let Some(old) = confirmed.get(&record.id) {
            // Verified in an earlier round: its bytes must not have changed.
            if *old != hash {
                problems.push(format!(
                    "record {} from an earlier round changed",
                    record.id
                ));
            }
            continue;
        }
        let body: Entry = match record.decode() {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("record {} does not decode: {e:?}", record.id));
                continue;
            }
        };
        if body.round != round {
            problems.push(format!(
                "record {} of round {} appeared only now (round {round})",
                record.id, body.round
            ));
        }
        let expected = entry(body.round, body.seq, body.size, body.index);
        if body != expected || body.index >= body.size {
            problems.push(format!(
                "record {} (seq {}, index {}/{}) has a damaged body",
                record.id, body.seq, body.index, body.size
            ));
        }
        if record.kind != kind_of(body.index) || record.schema != SCHEMA {
            problems.push(format!(
                "record {} has kind {:?} schema {}",
                record.id, record.kind, record.schema
            ));
        }
        found.insert(record.id, (body, hash));
    }
    if scanned != vault.len() {
        problems.push(format!(
            "scan gave {scanned} items but the store counts {}",
            vault.len()
        ));
    }
    for id in confirmed.keys() {
        if !scanned_ids.contains(id) {
            problems.push(format!(
                "record {id}, present after an earlier round, is gone"
            ));
        }
    }
    // Every acknowledged record is there with exactly its body.
    for ack in acks {
        let size = ack.ids.len() as u32;
        for (index, id) in (0..size).zip(&ack.ids) {
            match found.get(id) {
                None => problems.push(format!(
                    "acknowledged record {id} (seq {}, {index}/{size}) is missing",
                    ack.seq
                )),
                Some((body, _)) if *body != entry(round, ack.seq, size, index) => {
                    problems.push(format!(
                        "acknowledged record {id} (seq {}) has another body",
                        ack.seq
                    ))
                }
                Some(_) => report.acked_records += 1,
            }
        }
    }
    // Writes are all or nothing, acknowledged or not; only the write in flight at the kill
    // (seq = number of acknowledgements) may be there unacknowledged.
    let mut writes: BTreeMap<u64, Vec<&Entry>> = BTreeMap::new();
    for (body, _) in found.values() {
        writes.entry(body.seq).or_default().push(body);
    }
    let in_flight = acks.len() as u64;
    for (seq, mut parts) in writes {
        parts.sort_by_key(|b| b.index);
        let size = parts[0].size;
        let indices: Vec<u32> = parts.iter().map(|b| b.index).collect();
        if parts.iter().any(|b| b.size != size) || indices != (0..size).collect::<Vec<_>>() {
            problems.push(format!(
                "write seq {seq} of round {round} is torn: {} of {size} records present \
                 (indices {indices:?})",
                parts.len()
            ));
        }
        if seq > in_flight {
            problems.push(format!(
                "write seq {seq} is present but only {in_flight} were acknowledged"
            ));
        } else if seq == in_flight {
            report.unacked_records += parts.len();
        }
    }
    report.total_records = vault.len();
    confirmed.extend(found.into_iter().map(|(id, (_, hash))| (id, hash)));
    if let Err(e) = vault.lock() {
        problems.push(format!("locking after the check failed: {e:?}"));
    }
    problems
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let (rounds, seed) = schedule("writes", 1);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("vault");
    let before_open = tmp.path().join("before-open");
    let mut confirmed = HashMap::new();
    let (mut acked_total, mut unacked_total, mut killed_in_startup) = (0, 0, 0);
    let (mut killed_with_write_in_flight, mut record_checks) = (0, 0);
    let started = Instant::now();
    let mut vaults = 0;
    for round in 0..rounds {
        if round == 0 || confirmed.len() >= WRITER_MAX_RECORDS {
            vaults += 1;
            if dir.exists() {
                fs::remove_dir_all(&dir).expect("remove the previous vault");
            }
            confirmed.clear();
            Vault::create(&dir, &passphrase(PASSPHRASE), POLICY)
                .expect("create vault")
                .vault
                .lock()
                .expect("lock new vault");
        }
        let mut rng = Rng::new(seed, 1, round);
        let delay = rng.kill_delay();
        let child = ChildProc::spawn(
            "crash_child_writer",
            &dir,
            &[
                (CHILD_ROUND_ENV, round.to_string()),
                (CHILD_SEED_ENV, rng.next().to_string()),
            ],
        );
        thread::sleep(delay);
        let lines: Vec<String> = child.kill().into_iter().map(|(_, line)| line).collect();
        snapshot(&dir, &before_open);
        let (ready, acks) = match parse_writer_lines(&lines) {
            Ok(parsed) => parsed,
            Err(problem) => fail(tmp, "writes", round, seed, &[problem]),
        };
        let mut found = WriteRoundReport::default();
        let problems = check_writer_round(&dir, round, &acks, &mut confirmed, &mut found);
        if !problems.is_empty() {
            let mut problems = problems;
            problems.push(format!(
                "(killed {} ms after spawn; {} writes acknowledged; ready: {ready})",
                delay.as_millis(),
                acks.len()
            ));
            fail(tmp, "writes", round, seed, &problems);
        }
        acked_total += found.acked_records;
        unacked_total += found.unacked_records;
        killed_in_startup += usize::from(!ready);
        killed_with_write_in_flight += usize::from(found.unacked_records > 0);
        record_checks += found.total_records;
        if confirmed.len() != found.total_records {
            fail(
                tmp,
                "writes",
                round,
                seed,
                &[format!(
                    "{} records known but the vault holds {}",
                    confirmed.len(),
                    found.total_records
                )],
            );
        }
    }
    report(&format!(
        "crash/writes: {rounds} kills, {acked_total} acknowledged records verified \
         (+{unacked_total} unacknowledged that made it, in {killed_with_write_in_flight} \
         rounds); {killed_in_startup} kills before the writer was ready; {record_checks} \
         record checks in all, {vaults} vault(s), {} records in the last; {:.1} s",
        confirmed.len(),
        started.elapsed().as_secs_f64()
    ));
}

// ---------------------------------------------------------------------------------------------
// Kills during rotation.
// ---------------------------------------------------------------------------------------------

/// Where a kill landed, judged from the folder and the child's lines before the reopen.
#[derive(Default)]
struct RotationTally {
    /// Before the child said OPENED.
    during_open: usize,
    /// One store, header at the last acknowledged epoch: between rotations, or in the first
    /// moment of one (before its new directory exists).
    between: usize,
    /// Mid-rotation, the new store still being written.
    copying: usize,
    /// Mid-rotation, the new store complete and flushed (COPIED) but the header not replaced.
    copied_uncommitted: usize,
    /// Mid-rotation, the header replaced, the old store not (wholly) removed yet.
    committed_old_store_left: usize,
    /// The header replaced and the old store removed, but ROTATED not printed yet.
    committed_unacknowledged: usize,
}

#[test]
fn rotation_survives_sigkill() {
    let (rounds, seed) = schedule("rotation", 1);
    let (tmp, mut vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let before_open = tmp.path().join("before-open");
    let mut originals: HashMap<RecordId, Entry> = HashMap::new();
    for chunk in (0..ROTATION_RECORDS).collect::<Vec<_>>().chunks(500) {
        let mut batch = vault.batch();
        for &seq in chunk {
            // One of them large enough for sled's blob files.
            let mut body = entry(0, seq, 1, 0);
            if seq == ROTATION_RECORDS / 2 {
                body.text = filler(&mut Rng::new(0, seq, 1), 135_000);
            }
            let id = RecordId::random();
            batch.put(id, kind_of(0), SCHEMA, &body).unwrap();
            originals.insert(id, body);
        }
        vault.commit(batch).unwrap();
    }
    // One rotation here, to know how long the child's take on this machine.
    let timer = Instant::now();
    vault.rotate(&passphrase(PASSPHRASE), |_| {}).unwrap();
    let mut cycle = timer.elapsed();
    let mut last_epoch = vault.key_epoch();
    vault.lock().unwrap();
    let mut tally = RotationTally::default();
    let mut acknowledged_rotations = 0;
    let started = Instant::now();
    for round in 0..rounds {
        let mut rng = Rng::new(seed, 2, round);
        let mut child = ChildProc::spawn("crash_child_rotator", &dir, &[]);
        // One kill in eight while the child starts (opening, recovering sled's log), three
        // anywhere in its first rotation or a little beyond, four in the few milliseconds
        // around the commit: the new store is flushed, the header replaced, the old store
        // removed.
        let plan = match rng.below(8) {
            0 => {
                let delay = Duration::from_millis(5 + rng.below(56));
                thread::sleep(delay);
                format!("killed {} ms after spawn", delay.as_millis())
            }
            1..=3 => {
                let opened_at = child.wait_for("OPENED");
                let permille = rng.below(1301);
                let delay = cycle * permille as u32 / 1000;
                thread::sleep((opened_at + delay).saturating_duration_since(Instant::now()));
                format!(
                    "killed {} ms after OPENED, {permille}/1000 of a {} ms rotation",
                    delay.as_millis(),
                    cycle.as_millis()
                )
            }
            _ => {
                let copied_at = child.wait_for("COPIED");
                let delay = Duration::from_micros(rng.below(10_000));
                thread::sleep((copied_at + delay).saturating_duration_since(Instant::now()));
                format!("killed {} us after COPIED", delay.as_micros())
            }
        };
        let timed = child.kill();
        // Follow the child's own pace: the time from OPENED or ROTATED to the next ROTATED.
        let mut previous = None;
        for (at, line) in &timed {
            if line.starts_with("ROTATED") {
                if let Some(from) = previous {
                    cycle = (cycle * 3 + at.duration_since(from)) / 4;
                }
            }
            if line.starts_with("OPENED") || line.starts_with("ROTATED") {
                previous = Some(*at);
            }
        }
        let lines: Vec<String> = timed.into_iter().map(|(_, line)| line).collect();
        snapshot(&dir, &before_open);
        let mut problems = Vec::new();

        // What the child reported: rotations go up by one from the epoch it opened.
        let mut opened = None;
        let mut copied = None;
        let mut seen = last_epoch;
        for line in &lines {
            let mut words = line.split_whitespace();
            let (word, value) = (words.next(), words.next().and_then(|v| v.parse().ok()));
            match (word, value) {
                (Some("OPENED"), Some(epoch)) => {
                    if epoch != last_epoch {
                        problems.push(format!("the child opened epoch {epoch}, not {last_epoch}"));
                    }
                    opened = Some(epoch);
                }
                (Some("ROTATED"), Some(epoch)) => {
                    if epoch != seen + 1 {
                        problems.push(format!("the child rotated to {epoch} after {seen}"));
                    }
                    seen = epoch;
                    acknowledged_rotations += 1;
                }
                (Some("COPIED"), Some(epoch)) => copied = Some(epoch),
                (Some("OPENED" | "COPIED" | "ROTATED"), None) => {
                    problems.push(format!("unreadable line from the rotator: {line:?}"));
                }
                _ => {}
            }
        }

        // The crashed state, before the reopen tidies it.
        let stores = store_dirs(&dir);
        let on_disk = header_epoch_on_disk(&dir);
        let allowed = [format!("store-{seen:08}"), format!("store-{:08}", seen + 1)];
        if stores.iter().any(|s| !allowed.contains(s)) {
            problems.push(format!(
                "record directories {stores:?} after the kill; only {allowed:?} may exist"
            ));
        }
        let in_flight = stores.len() > 1 || dir.join("vault.hdr.tmp").exists();
        let committed = on_disk == Some(seen + 1);
        match () {
            _ if opened.is_none() => tally.during_open += 1,
            _ if committed && stores.len() > 1 => tally.committed_old_store_left += 1,
            _ if committed => tally.committed_unacknowledged += 1,
            _ if copied == Some(seen + 1) => tally.copied_uncommitted += 1,
            _ if in_flight => tally.copying += 1,
            _ => tally.between += 1,
        }

        // The reopen: the old or the new complete state.
        match Vault::open(&dir, &passphrase(PASSPHRASE), POLICY) {
            Err(e) => problems.push(format!("the vault does not open after the kill: {e:?}")),
            Ok(vault) => {
                match vault.integrity() {
                    Ok(integrity) if !integrity.is_verified() => problems.push(format!(
                        "the history does not verify after the kill: {:?}",
                        integrity.findings
                    )),
                    Err(e) => problems.push(format!("the history could not be checked: {e:?}")),
                    Ok(_) => {}
                }
                let epoch = vault.key_epoch();
                if epoch != seen && epoch != seen + 1 {
                    problems.push(format!(
                        "epoch {epoch} after the kill; the last seen was {seen}"
                    ));
                }
                if on_disk != Some(epoch) {
                    problems.push(format!(
                        "the header said epoch {on_disk:?} before the open, {epoch} after"
                    ));
                }
                let now = store_dirs(&dir);
                if now != [format!("store-{epoch:08}")] {
                    problems.push(format!("record directories after the open: {now:?}"));
                }
                if dir.join("vault.hdr.tmp").exists() {
                    problems.push("vault.hdr.tmp survived the open".into());
                }
                let mut intact = 0;
                for item in vault.scan() {
                    match item {
                        Err(e) => problems.push(format!("scan yields an error: {e:?}")),
                        Ok(record) => match (originals.get(&record.id), record.decode::<Entry>()) {
                            (Some(want), Ok(got)) if *want == got => intact += 1,
                            (None, _) => problems.push(format!("unknown record {}", record.id)),
                            (Some(_), _) => {
                                problems.push(format!("record {} is damaged", record.id))
                            }
                        },
                    }
                }
                if intact != originals.len() || vault.len() != originals.len() {
                    problems.push(format!(
                        "{intact} intact records of {}, the store counts {}",
                        originals.len(),
                        vault.len()
                    ));
                }
                if let Err(e) = vault.lock() {
                    problems.push(format!("locking after the check failed: {e:?}"));
                }
                last_epoch = epoch;
            }
        }
        if !problems.is_empty() {
            problems.push(format!(
                "({plan}; child lines: {:?}; directories before the open: {stores:?}; header \
                 epoch before the open: {on_disk:?})",
                lines
                    .iter()
                    .filter(|l| ["OPENED", "COPIED", "ROTATED"]
                        .iter()
                        .any(|w| l.starts_with(w)))
                    .collect::<Vec<_>>()
            ));
            fail(tmp, "rotation", round, seed, &problems);
        }
    }
    // The recovery code follows the data key through every rotation.
    let vault = Vault::open_with_recovery_code(&dir, &code, POLICY).expect("recovery code opens");
    assert_eq!(vault.key_epoch(), last_epoch);
    vault.lock().unwrap();
    let t = &tally;
    let mid = t.copying + t.copied_uncommitted + t.committed_old_store_left;
    let mid = mid + t.committed_unacknowledged;
    report(&format!(
        "crash/rotation: {rounds} kills, {} record checks ({} records x {rounds}), epoch \
         {last_epoch} at the end ({acknowledged_rotations} rotations acknowledged, about {} ms \
         each); kills mid-rotation: {mid} (copying {}, copied but uncommitted {}, committed \
         with the old store left {}, committed and cleaned but unacknowledged {}), between \
         rotations: {}, while starting or opening: {}; {:.1} s",
        ROTATION_RECORDS * rounds,
        ROTATION_RECORDS,
        cycle.as_millis(),
        t.copying,
        t.copied_uncommitted,
        t.committed_old_store_left,
        t.committed_unacknowledged,
        t.between,
        t.during_open,
        started.elapsed().as_secs_f64()
    ));
}

/// One record as read back: id, kind, schema and body.
type StoredRecord = (RecordId, String, u32, Vec<u8>);

/// Every record of the vault in `dir` as (id, kind, schema, body), with the epoch, after
/// checking that it opens, verifies its history and holds no leftover store.
fn upgraded_contents(dir: &Path) -> Result<(u32, Vec<StoredRecord>), String> {
    let vault = Vault::open(dir, &passphrase(FIXTURE_PASSPHRASE), FIXTURE_POLICY)
        .map_err(|e| format!("the vault does not open after the kill: {e:?}"))?;
    let integrity = vault.integrity().map_err(|e| format!("{e:?}"))?;
    if !integrity.is_verified() {
        return Err(format!(
            "the history does not verify: {:?}",
            integrity.findings
        ));
    }
    let mut records = Vec::new();
    for item in vault.scan() {
        let record = item.map_err(|e| format!("scan yields an error: {e:?}"))?;
        records.push((
            record.id,
            record.kind.clone(),
            record.schema,
            record.body_json().to_vec(),
        ));
    }
    let epoch = vault.key_epoch();
    vault.lock().map_err(|e| format!("locking failed: {e:?}"))?;
    let stores = store_dirs(dir);
    if stores != [format!("store-{epoch:08}")] {
        return Err(format!("record directories after the open: {stores:?}"));
    }
    Ok((epoch, records))
}

#[test]
fn the_format_upgrade_survives_sigkill() {
    let (rounds, seed) = schedule("upgrade", 5);
    let tmp = tempfile::tempdir().expect("temp dir");
    let reference_dir = tmp.path().join("reference");
    copy_tree(&fixture_v1_dir(), &reference_dir);
    let (epoch, reference) = upgraded_contents(&reference_dir).expect("the fixture upgrades");
    assert_eq!(epoch, 2);
    let dir = tmp.path().join("vault");
    let mut window = KillWindow(Duration::from_millis(400));
    let (mut before, mut after) = (0, 0);
    for round in 0..rounds {
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        copy_tree(&fixture_v1_dir(), &dir);
        let mut rng = Rng::new(seed, 3, round);
        let child = ChildProc::spawn("crash_child_upgrader", &dir, &[]);
        let (delay, upgraded) = window.kill(child, &mut rng, ("STARTED", "UPGRADED"), 1201);
        if upgraded {
            after += 1;
        } else {
            before += 1;
        }
        let problems = match upgraded_contents(&dir) {
            Err(problem) => vec![problem],
            Ok((epoch, records)) if epoch != 2 || records != reference => vec![format!(
                "after the kill: epoch {epoch}, {} records, not the fixture's {} at epoch 2",
                records.len(),
                reference.len()
            )],
            Ok(_) => Vec::new(),
        };
        if !problems.is_empty() {
            let plan = format!("killed {} ms after STARTED", delay.as_millis());
            fail(
                tmp,
                "upgrade",
                round,
                seed,
                &[problems, vec![plan]].concat(),
            );
        }
    }
    report(&format!(
        "crash/upgrade: {rounds} kills, each reopened as the whole fixture at format 2; {before} \
         before the upgrade was acknowledged, {after} after; about {} ms to open and upgrade",
        window.0.as_millis()
    ));
}

#[test]
fn an_import_is_all_or_nothing_under_sigkill() {
    let (rounds, seed) = schedule("import", 5);
    let file = import_file();
    let whole = (file.members.len(), file.notes.len(), file.sessions.len());
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("vault");
    let mut window = KillWindow(Duration::from_millis(600));
    let (mut nothing, mut everything) = (0, 0);
    for round in 0..rounds {
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        Vault::create(&dir, &passphrase(PASSPHRASE), POLICY)
            .expect("create vault")
            .vault
            .lock()
            .expect("lock new vault");
        let mut rng = Rng::new(seed, 4, round);
        let child = ChildProc::spawn("crash_child_importer", &dir, &[]);
        let (delay, _) = window.kill(child, &mut rng, ("OPENED", "IMPORTED"), 1301);
        let mut problems = Vec::new();
        match Vault::open(&dir, &passphrase(PASSPHRASE), POLICY) {
            Err(e) => problems.push(format!("the vault does not open after the kill: {e:?}")),
            Ok(vault) => {
                let practice = holdspace::practice::Practice::load(vault).expect("loads");
                let s = practice.state();
                let found = (s.members.len(), s.notes.len(), s.sessions.len());
                if found == (0, 0, 0) {
                    nothing += 1;
                } else if found == whole {
                    everything += 1;
                } else {
                    problems.push(format!("a partial import: {found:?} of {whole:?}"));
                }
                problems.extend(whole_after_the_kill(&practice, &dir));
                drop(practice);
            }
        }
        if !problems.is_empty() {
            problems.push(format!("killed {} ms after OPENED", delay.as_millis()));
            fail(tmp, "import", round, seed, &problems);
        }
    }
    report(&format!(
        "crash/import: {rounds} kills; the vault reopened with nothing imported {nothing} times \
         and everything {everything} times, never a part; about {} ms to import",
        window.0.as_millis()
    ));
}

/// What is wrong with a practice reopened after a kill: a damaged record, a history that does
/// not verify, or a store beside the current one left behind.
fn whole_after_the_kill(practice: &holdspace::practice::Practice, dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if !practice.damaged().is_empty() || !practice.history().verified {
        problems.push(format!(
            "damaged {:?}, history {:?}",
            practice.damaged(),
            practice.history()
        ));
    }
    if store_dirs(dir).len() != 1 {
        problems.push(format!("stores after the open: {:?}", store_dirs(dir)));
    }
    problems
}

/// What a purge round finds of the member after the kill: their records, by kind.
fn records_of_member(
    practice: &holdspace::practice::Practice,
    member: holdspace::practice::MemberId,
) -> (usize, usize, usize, usize) {
    let s = practice.state();
    (
        usize::from(s.members.contains_key(&member)),
        s.memberships
            .values()
            .filter(|m| m.member == member)
            .count(),
        s.signatures.values().filter(|x| x.member == member).count(),
        s.notes.values().filter(|n| n.member == member).count(),
    )
}

#[test]
fn a_purge_is_whole_or_not_at_all_under_sigkill() {
    let (rounds, seed) = schedule("purge", 5);
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("template");
    let created = Vault::create(&template, &passphrase(PASSPHRASE), POLICY).expect("create");
    let mut practice = holdspace::practice::Practice::load(created.vault).expect("load");
    practice.import(import_file()).expect("import");
    let member = member_to_purge(&practice);
    let whole = records_of_member(&practice, member);
    practice.lock().expect("lock the template");
    let dir = tmp.path().join("vault");
    let mut window = KillWindow(Duration::from_millis(600));
    let (mut kept, mut pending, mut erased) = (0, 0, 0);
    for round in 0..rounds {
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        copy_tree(&template, &dir);
        let mut rng = Rng::new(seed, 5, round);
        let child = ChildProc::spawn("crash_child_purger", &dir, &[]);
        let (delay, _) = window.kill(child, &mut rng, ("OPENED", "PURGED"), 1301);
        let mut problems = Vec::new();
        match Vault::open(&dir, &passphrase(PASSPHRASE), POLICY) {
            Err(e) => problems.push(format!("the vault does not open after the kill: {e:?}")),
            Ok(vault) => {
                let practice = holdspace::practice::Practice::load(vault).expect("loads");
                let found = records_of_member(&practice, member);
                if found == whole {
                    kept += 1;
                } else if found == (0, 0, 0, 0) && practice.vault().erasure_pending() {
                    pending += 1;
                } else if found == (0, 0, 0, 0) {
                    erased += 1;
                } else {
                    problems.push(format!("a partial purge: {found:?} of {whole:?}"));
                }
                problems.extend(whole_after_the_kill(&practice, &dir));
                practice.lock().expect("the lock erases what is pending");
                let again = reopen(&dir);
                if again.erasure_pending() {
                    problems.push("the erasure is still pending after a lock".into());
                }
                drop(again);
            }
        }
        if !problems.is_empty() {
            problems.push(format!("killed {} ms after OPENED", delay.as_millis()));
            fail(tmp, "purge", round, seed, &problems);
        }
    }
    report(&format!(
        "crash/purge: {rounds} kills; the member was still whole {kept} times, removed with the \
         erasure pending {pending} times and erased {erased} times, never a part; about {} ms \
         to purge",
        window.0.as_millis()
    ));
}

// ---------------------------------------------------------------------------------------------
// Two processes on one vault.
// ---------------------------------------------------------------------------------------------

/// Hashes the folder until two looks 700 ms apart agree (longer than sled's 500 ms background
/// flush), so that a change the holder's own sled makes is not blamed on the refused open.
fn settled_hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut last = hash_tree(dir);
    for _ in 0..10 {
        thread::sleep(Duration::from_millis(700));
        let now = hash_tree(dir);
        if now == last {
            return now;
        }
        report(&format!(
            "crash/second-process: the holder's files changed while it sat idle:\n{}",
            tree_diff(&last, &now)
        ));
        last = now;
    }
    panic!("the holder's vault files never settled");
}

#[test]
fn a_second_process_is_refused_and_changes_nothing() {
    let (_tmp, vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, 20);
    vault.lock().unwrap();

    let mut holder = ChildProc::spawn("crash_child_holder", &dir, &[]);
    holder.wait_for("OPEN");
    let before = settled_hashes(&dir);

    let err = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY)
        .err()
        .expect("a second open is refused");
    assert!(matches!(err, VaultError::AlreadyOpen), "{err:?}");
    let err = Vault::open(&dir, &passphrase("not the passphrase"), POLICY)
        .err()
        .expect("a second open is refused");
    assert!(matches!(err, VaultError::AlreadyOpen), "{err:?}");
    let err = Vault::open_with_recovery_code(&dir, &code, POLICY)
        .err()
        .expect("a second open is refused");
    assert!(matches!(err, VaultError::AlreadyOpen), "{err:?}");
    let err = Vault::create(&dir, &passphrase(PASSPHRASE), POLICY)
        .err()
        .expect("create over an open vault is refused");
    assert!(matches!(err, VaultError::AlreadyExists { .. }), "{err:?}");

    let after = hash_tree(&dir);
    assert!(
        before == after,
        "the refused opens changed the vault's files:\n{}",
        tree_diff(&before, &after)
    );

    let (status, lines, stderr) = holder.finish();
    assert!(
        status.success(),
        "holder failed ({status}); stderr:\n{stderr}"
    );
    assert!(lines.iter().any(|l| l == "CLOSED"), "{lines:?}");
    let vault = reopen(&dir);
    for (i, id) in ids.iter().enumerate() {
        let record = vault.get(*id).unwrap().expect("present");
        assert_eq!(record.decode::<Note>().unwrap(), note(i));
    }
    assert_eq!(vault.len(), ids.len());
    vault.lock().unwrap();
}
