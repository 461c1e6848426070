//! The desktop app benchmarks (targets in `docs/performance.md`): cold start of the real
//! release app to its unlock screen, and the memory (PSS) of the app process and of its WebKit
//! web process, locked and after unlocking a demo practice at scales 1 and 10 — written as the
//! `app` section of `BENCHMARKS.md`.
//!
//! Owns: this custom harness (`harness = false`, run by `cargo bench --bench app` and
//! `make bench` after the practice bench), a private X display (Xvfb) and everything it starts
//! on it, and the vaults it creates with the release CLI (`init`, then `demo --scale N`) under
//! a normal calibrated KDF, in a temporary folder. The report's format and the machine
//! description live in `benches/common`. Progress goes to stderr.
//!
//! Must not: build anything — `target/release/holdspace` (production mode:
//! `cargo build --release -p holdspace-app --features tauri/custom-protocol`) and
//! `target/release/holdspace-cli` must exist, or the bench stops with one line saying so; pass
//! or fail anything; leave a process or folder behind, also on error (every process it starts
//! is killed and reaped when its guard drops); rewrite any section of the report but its own.
//!
//! How: cold start is the app's own report of its first painted screen
//! (`HOLDSPACE_REPORT_STARTUP=1` makes it print `holdspace-startup painted_unix_ns=N` on
//! stderr) minus the UNIX time noted just before spawning it. Memory is `Pss:` of
//! `/proc/PID/smaps_rollup` for the app and for each process descended from it, named by
//! `/proc/PID/comm`; the passphrase is typed into the unlock screen with `xdotool`, and the
//! unlock is confirmed by the app holding files of the vault's store open and its private
//! memory rising. `HOLDSPACE_BENCH_SCALE` (default 1.0) multiplies both demo scales for smoke
//! runs; it is written into the report.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tempfile::TempDir;

use common::*;

// ---- What is measured, and how much -------------------------------------------------------

/// Demo practice scales (1x ≈ 300 members, 1,500 sessions, 15,000 notes).
const SCALE_1X: f64 = 1.0;
const SCALE_10X: f64 = 10.0;
/// Passphrase of the bench vaults: one a strength check accepts, as a real one would be.
const PASSPHRASE: &str = "quiet harbour lantern meadow";
/// Timed launches to the unlock screen (median and max are reported).
const STARTUP_RUNS: usize = 7;
/// How long the app may take to paint its first screen before the bench gives up.
const PAINT_PATIENCE: Duration = Duration::from_secs(60);
/// Wait after the unlock screen painted before sampling the locked app.
const LOCKED_SETTLE: Duration = Duration::from_secs(2);
/// How long the unlock (KDF + loading the practice) may take before the bench gives up.
const UNLOCK_PATIENCE: Duration = Duration::from_secs(120);
/// After unlocking: sample every [`SAMPLE_EVERY`] until PSS stayed within [`STABLE_WITHIN`]
/// for [`STABLE_FOR`], or [`SETTLE_LIMIT`] passed.
const SAMPLE_EVERY: Duration = Duration::from_millis(500);
const STABLE_FOR: Duration = Duration::from_secs(3);
const STABLE_WITHIN: f64 = 0.02;
const SETTLE_LIMIT: Duration = Duration::from_secs(40);
/// The least the app's PSS must rise for an unlock to count, in bytes.
const UNLOCK_MIN_RISE: u64 = 5_000_000;
/// Milliseconds between typed keys.
const TYPE_DELAY_MS: &str = "20";
/// X display numbers tried for the private Xvfb (the end-to-end tests use 200–399).
const DISPLAYS: Range<u32> = 400..600;
/// Window title of the app's main window while it shows the unlock screen.
const WINDOW_TITLE: &str = "Holdspace";
/// What the app prints on stderr once its first screen has painted.
const PAINTED_PREFIX: &str = "holdspace-startup painted_unix_ns=";
/// Lines of the app's stderr kept for error messages.
const LOG_LINES: usize = 12;

// Targets (docs/performance.md).
const STARTUP_TARGET: Duration = Duration::from_secs(1);
/// Memory the unlocked practice may add to the app process, in bytes (MB = 10^6 bytes).
const MEMORY_1X_TARGET: u64 = 60_000_000;
const MEMORY_10X_TARGET: u64 = 400_000_000;

// Floors from the build machine, not this run (docs/performance.md): text only, no ratio.
const STARTUP_FLOOR: &str = "0.8–1.2 s (empty Tauri app, docs/performance.md)";
const APP_FLOOR: &str = "88 MB (empty Tauri app, docs/performance.md)";
const WEB_FLOOR: &str = "~160 MB (empty Tauri app, docs/performance.md)";

// ---- Entry point --------------------------------------------------------------------------

/// Runs the bench; a failure is one line on stderr and exit code 1.
fn main() {
    bench_main(run, run_child_role);
}

/// This bench starts no children of its own binary.
fn run_child_role(role: &str, _args: &[String]) -> BenchResult<()> {
    Err(format!("the app bench has no child role {role:?}").into())
}

/// The whole bench: set up, measure, write the section.
fn run() -> BenchResult<()> {
    let scale = bench_scale()?;
    let lab = Lab::open()?;
    progress(&format!(
        "app: scale {scale}; display {}; writing {}",
        lab.display.name(),
        report_path().display()
    ));
    let small = lab.demo_vault(SCALE_1X * scale, "1x")?;
    let large = lab.demo_vault(SCALE_10X * scale, "10x")?;
    let figures = measure(&lab, &small, &large)?;
    let section = Section {
        key: "app",
        title: "Desktop app",
        intro: section_intro(),
        scale,
        run: run_facts(scale, &lab, &small, &large),
        figures,
    };
    publish(&section)
}

/// The section's opening paragraph.
fn section_intro() -> String {
    "Written by `cargo bench --bench app` (`benches/app.rs`): the real desktop app, \
     `target/release/holdspace` built in production mode (`cargo build --release -p \
     holdspace-app --features tauri/custom-protocol`), run on a private Xvfb display \
     (1280x800x24, no window manager, software rendering) against vaults made by the release \
     `holdspace-cli` (`init`, then `demo --scale N`) with the normal calibrated KDF. Floors \
     are an empty Tauri app's figures on the build machine (`docs/performance.md`), not \
     measured in this run, so they have no ratio."
        .into()
}

/// The run's facts: date, commit, load, scale, display, binaries, vaults.
fn run_facts(
    scale: f64,
    lab: &Lab,
    small: &DemoVault,
    large: &DemoVault,
) -> Vec<(&'static str, String)> {
    let mut run = describe_run();
    run.push(("Scale (`HOLDSPACE_BENCH_SCALE`)", scale.to_string()));
    run.push((
        "Display",
        format!("Xvfb {} (1280x800x24)", lab.display.name()),
    ));
    run.push(("App binary", describe_binary(&lab.app_bin)));
    run.push(("Demo vault 1x", small.describe()));
    run.push(("Demo vault 10x", large.describe()));
    run
}

/// Path, size and age of a binary.
fn describe_binary(path: &Path) -> String {
    let meta = fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let age = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.elapsed().ok())
        .map_or("unknown".into(), |d| format!("{} min", d.as_secs() / 60));
    format!("`{}`, {}, built {age} ago", path.display(), fmt_mb(size))
}

/// Both figures, in order.
fn measure(lab: &Lab, small: &DemoVault, large: &DemoVault) -> BenchResult<Vec<Figure>> {
    progress(&format!(
        "1/2 cold start to the unlock screen ({STARTUP_RUNS} launches)"
    ));
    let startup = announce(figure_startup(lab, small)?);
    progress("2/2 memory, locked and unlocked");
    let mut readings = Vec::new();
    for demo in [small, large] {
        readings.push(MemoryReading::measure(lab, demo)?);
    }
    let memory = announce(figure_memory(&readings));
    Ok(vec![startup, memory])
}

// ---- The lab: binaries, display, temporary folders -----------------------------------------

/// Refuses to measure a binary that knows the insecure test KDF: a release build given
/// `HOLDSPACE_INSECURE_TEST_KDF` must refuse to start (before any window), with its one line.
/// This is also the one place a real release binary is checked for that refusal.
fn require_no_test_kdf(bin: &Path) -> BenchResult<()> {
    let out = Command::new(bin)
        .args(["--vault", "/nonexistent/holdspace-bench-refusal"])
        .env(holdspace::kdf::INSECURE_TEST_KDF_ENV, "1")
        .stdin(Stdio::null())
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(2) && stderr.contains("this is a release build") {
        progress(&format!(
            "{}: refuses the insecure test KDF, as a release build must",
            bin.display()
        ));
        return Ok(());
    }
    Err(format!(
        "{} does not refuse {}=1 (exit {:?}: {}); rebuild it in release without the \
         insecure-test-kdf feature",
        bin.display(),
        holdspace::kdf::INSECURE_TEST_KDF_ENV,
        out.status.code(),
        stderr.trim()
    )
    .into())
}

/// Everything the measurements share; dropping it stops the display and removes the folders.
struct Lab {
    app_bin: PathBuf,
    cli_bin: PathBuf,
    /// Vaults and the app's XDG folders (WebKit's caches), removed on drop.
    tmp: TempDir,
    display: Display,
}

impl Lab {
    /// Finds the release binaries and the tools, starts Xvfb, makes the temporary folder.
    fn open() -> BenchResult<Self> {
        let app_bin = release_binary(
            "holdspace",
            "cargo build --release -p holdspace-app --features tauri/custom-protocol",
        )?;
        let cli_bin = release_binary("holdspace-cli", "cargo build --release --bin holdspace-cli")?;
        for bin in [&app_bin, &cli_bin] {
            require_no_test_kdf(bin)?;
        }
        for tool in ["Xvfb", "xdotool"] {
            require_tool(tool)?;
        }
        let tmp = tempfile::Builder::new()
            .prefix("holdspace-bench-app-")
            .tempdir()?;
        let display = Display::start()?;
        Ok(Self {
            app_bin,
            cli_bin,
            tmp,
            display,
        })
    }

    /// A new vault with the demo practice at `scale`, made with the release CLI.
    fn demo_vault(&self, scale: f64, label: &'static str) -> BenchResult<DemoVault> {
        let dir = self.tmp.path().join(format!("vault-{label}"));
        progress(&format!("{label}: creating a vault (calibrated KDF)"));
        self.cli(&dir, &["init"])?;
        progress(&format!(
            "{label}: adding the demo practice at scale {scale}"
        ));
        let (_, added) = self.cli(&dir, &["demo", "--scale", &scale.to_string()])?;
        let (stats, _) = self.cli(&dir, &["stats", "--json"])?;
        Ok(DemoVault {
            dir: fs::canonicalize(&dir)?,
            label,
            scale,
            added,
            stats: serde_json::from_str(&stats)?,
        })
    }

    /// Runs the CLI on `dir` with the passphrase on stdin; its stdout and its stderr.
    fn cli(&self, dir: &Path, args: &[&str]) -> BenchResult<(String, String)> {
        let mut child = Command::new(&self.cli_bin)
            .arg("--vault")
            .arg(dir)
            .args(args)
            .env_remove(holdspace::kdf::INSECURE_TEST_KDF_ENV)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdin = child.stdin.take().ok_or("no stdin for holdspace-cli")?;
        stdin.write_all(format!("{PASSPHRASE}\n").as_bytes())?;
        drop(stdin);
        let out = child.wait_with_output()?;
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if !out.status.success() {
            let what = args.join(" ");
            return Err(format!("holdspace-cli {what} failed ({}): {stderr}", out.status).into());
        }
        Ok((stdout, stderr))
    }

    /// Starts the app on `vault`, noting the UNIX time just before.
    fn launch(&self, vault: &Path) -> BenchResult<(App, u128)> {
        let xdg = self.tmp.path().join("xdg");
        let mut command = Command::new(&self.app_bin);
        command
            .arg("--vault")
            .arg(vault)
            .env("DISPLAY", self.display.name())
            .env("HOLDSPACE_REPORT_STARTUP", "1")
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_CACHE_HOME", xdg.join("cache"))
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("HOLDSPACE_VAULT")
            .env_remove(holdspace::kdf::INSECURE_TEST_KDF_ENV)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let launched = unix_ns();
        let app = App::spawn(command)?;
        Ok((app, launched))
    }

    /// Runs `xdotool` on the private display, giving up after `limit`; its stdout.
    fn xdotool(&self, args: &[&str], limit: Duration) -> BenchResult<String> {
        let mut command = Command::new("xdotool");
        command.args(args).env("DISPLAY", self.display.name());
        run_within(command, limit).map_err(|e| format!("xdotool {}: {e}", args.join(" ")).into())
    }
}

/// `target/release/NAME` (or under `CARGO_TARGET_DIR`), or an error naming the build command.
fn release_binary(name: &str, build: &str) -> BenchResult<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = target.join("release").join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: build it first with `{build}` (make bench does)",
            path.display()
        )
        .into())
    }
}

/// An error unless `tool` is on the PATH.
fn require_tool(tool: &str) -> BenchResult<()> {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    if found {
        Ok(())
    } else {
        Err(
            format!("{tool} is not installed (make bench installs it via scripts/ensure-deps.sh)")
                .into(),
        )
    }
}

/// Nanoseconds since the UNIX epoch, as the app reports its paint.
fn unix_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Runs `command` to the end within `limit` (killing it if not); its stdout on success.
fn run_within(mut command: Command, limit: Duration) -> BenchResult<String> {
    let mut child = Owned::spawn(
        "command",
        command.stdout(Stdio::piped()).stderr(Stdio::piped()),
    )?;
    let started = Instant::now();
    while child.0.try_wait()?.is_none() {
        if started.elapsed() > limit {
            return Err(format!("did not finish within {}", fmt_duration(limit)).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut stdout) = child.0.stdout.take() {
        std::io::Read::read_to_string(&mut stdout, &mut out)?;
    }
    if let Some(mut stderr) = child.0.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut err)?;
    }
    match child.0.wait()? {
        status if status.success() => Ok(out),
        status => Err(format!("{status}: {}", err.trim()).into()),
    }
}

// ---- Processes this bench owns ---------------------------------------------------------------

/// A process this bench started: killed and reaped when dropped.
struct Owned(Child);

impl Owned {
    /// Spawns `command`, naming `what` in the error.
    fn spawn(what: &str, command: &mut Command) -> BenchResult<Self> {
        command
            .spawn()
            .map(Self)
            .map_err(|e| format!("could not start {what}: {e}").into())
    }
}

impl Drop for Owned {
    /// Kills and reaps the process (harmless when it already ended).
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private Xvfb display.
struct Display {
    number: u32,
    server: Owned,
}

impl Display {
    /// Starts Xvfb on the first free display number that it manages to take.
    fn start() -> BenchResult<Self> {
        for number in DISPLAYS {
            let lock = PathBuf::from(format!("/tmp/.X{number}-lock"));
            if lock.exists() || Self::socket(number).exists() {
                continue;
            }
            if let Some(display) = Self::try_start(number)? {
                return Ok(display);
            }
        }
        Err(format!("no free X display number in {DISPLAYS:?}").into())
    }

    /// Starts Xvfb on `number`; `None` if it exited (another one took the number first).
    fn try_start(number: u32) -> BenchResult<Option<Self>> {
        let mut server = Owned::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    &format!(":{number}"),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        let started = Instant::now();
        while !Self::socket(number).exists() {
            if server.0.try_wait()?.is_some() {
                return Ok(None);
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err(format!("Xvfb :{number} did not start within 20 s").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Some(Self { number, server }))
    }

    /// The display's socket, which exists once the server accepts clients.
    fn socket(number: u32) -> PathBuf {
        PathBuf::from(format!("/tmp/.X11-unix/X{number}"))
    }

    /// `:N`, for `DISPLAY`.
    fn name(&self) -> String {
        format!(":{}", self.number)
    }
}

impl Drop for Display {
    /// Asks Xvfb to end (SIGTERM, so it removes its lock file and socket) and waits up to 5 s;
    /// the server's own guard then kills it if it has not.
    fn drop(&mut self) {
        let pid = self.server.0.id().to_string();
        if Command::new("kill").args(["-TERM", &pid]).status().is_ok() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(self.server.0.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// The running app: the process, its painted report, and the tail of its stderr.
struct App {
    process: Owned,
    pid: u32,
    painted: Receiver<u128>,
    log: Arc<Mutex<VecDeque<String>>>,
}

impl App {
    /// Spawns the app and a thread reading its stderr.
    fn spawn(mut command: Command) -> BenchResult<Self> {
        let mut process = Owned::spawn("the app", &mut command)?;
        let pid = process.0.id();
        let stderr = process.0.stderr.take().ok_or("no stderr from the app")?;
        let (sender, painted) = mpsc::channel();
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let log_writer = Arc::clone(&log);
        std::thread::spawn(move || read_app_stderr(stderr, &sender, &log_writer));
        Ok(Self {
            process,
            pid,
            painted,
            log,
        })
    }

    /// Waits for the app's first-paint report: its UNIX time in ns.
    fn wait_painted(&mut self) -> BenchResult<u128> {
        self.painted
            .recv_timeout(PAINT_PATIENCE)
            .map_err(|_| self.failure("did not report a painted first screen"))
    }

    /// An error saying what went wrong, whether the app still runs, and its last stderr lines.
    fn failure(&mut self, what: &str) -> Box<dyn std::error::Error> {
        let state = match self.process.0.try_wait() {
            Ok(Some(status)) => format!("it exited ({status})"),
            _ => "it still runs".to_string(),
        };
        let log = self
            .log
            .lock()
            .map(|l| l.iter().cloned().collect::<Vec<_>>().join(" / "))
            .unwrap_or_default();
        format!("the app {what}: {state}; its last stderr lines: {log}").into()
    }

    /// An error unless the app still runs.
    fn check_alive(&mut self) -> BenchResult<()> {
        match self.process.0.try_wait()? {
            None => Ok(()),
            Some(_) => Err(self.failure("ended early")),
        }
    }

    /// PSS and RSS of the app and of every process descended from it.
    fn memory(&mut self) -> BenchResult<Sample> {
        self.check_alive()?;
        Sample::of(self.pid)
    }

    /// True when the app holds a file inside the vault's store open (it does only unlocked).
    fn holds_store_open(&self, vault: &Path) -> bool {
        let store = format!("{}/store-", vault.display());
        fs::read_dir(format!("/proc/{}/fd", self.pid)).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                fs::read_link(fd.path())
                    .is_ok_and(|target| target.to_string_lossy().starts_with(&store))
            })
        })
    }
}

impl Drop for App {
    /// Kills the app, then every process it had started that has not ended on its own.
    fn drop(&mut self) {
        let family = descendants(self.pid);
        let _ = self.process.0.kill();
        let _ = self.process.0.wait();
        for (pid, started) in family {
            end_orphan(pid, started);
        }
    }
}

/// Forwards the app's painted report and keeps its last stderr lines.
fn read_app_stderr(stderr: ChildStderr, painted: &Sender<u128>, log: &Mutex<VecDeque<String>>) {
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if let Some(ns) = line
            .strip_prefix(PAINTED_PREFIX)
            .and_then(|n| n.trim().parse().ok())
        {
            let _ = painted.send(ns);
        } else if let Ok(mut log) = log.lock() {
            if log.len() == LOG_LINES {
                log.pop_front();
            }
            log.push_back(line);
        }
    }
}

// ---- /proc ----------------------------------------------------------------------------------

/// Parent pid and start time (clock ticks since boot) of a process, from `/proc/PID/stat`.
fn stat_of(pid: u32) -> Option<(u32, u64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After "pid (comm) ": state is field 3, ppid 4, starttime 22 (proc(5)).
    let fields: Vec<&str> = text[text.rfind(')')? + 1..].split_whitespace().collect();
    Some((fields.get(1)?.parse().ok()?, fields.get(19)?.parse().ok()?))
}

/// Every process descended from `root`, with its start time (to recognise it later).
fn descendants(root: u32) -> Vec<(u32, u64)> {
    let mut parents: BTreeMap<u32, Vec<(u32, u64)>> = BTreeMap::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some((ppid, started)) = stat_of(pid) {
            parents.entry(ppid).or_default().push((pid, started));
        }
    }
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(parent) = queue.pop() {
        for &(pid, started) in parents.get(&parent).into_iter().flatten() {
            found.push((pid, started));
            queue.push(pid);
        }
    }
    found
}

/// Waits up to 5 s for a process the app started to end after the app did, then kills it —
/// only if it is still the same process (same start time).
fn end_orphan(pid: u32, started: u64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while stat_of(pid).is_some_and(|(_, s)| s == started) {
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            std::thread::sleep(Duration::from_millis(100));
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A process's name from `/proc/PID/comm` (WebKit's are cut to 15 characters).
fn comm_of(pid: u32) -> String {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .map_or_else(|_| "?".into(), |c| c.trim().to_string())
}

/// `Pss:`, `Rss:` and private pages of `/proc/PID/smaps_rollup`, in KiB; `None` if the
/// process is gone.
fn memory_of(pid: u32) -> Option<Memory> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| -> Option<u64> {
        rollup
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Memory {
        pss_kib: field("Pss:")?,
        rss_kib: field("Rss:")?,
        private_kib: field("Private_Clean:")? + field("Private_Dirty:")?,
    })
}

// ---- Memory samples ---------------------------------------------------------------------------

/// PSS, RSS and private (unshared) pages of one process or a group, in KiB.
#[derive(Clone, Copy, Default)]
struct Memory {
    pss_kib: u64,
    rss_kib: u64,
    private_kib: u64,
}

impl Memory {
    /// Adds another process's memory to this group's.
    fn add(&mut self, other: Memory) {
        self.pss_kib += other.pss_kib;
        self.rss_kib += other.rss_kib;
        self.private_kib += other.private_kib;
    }

    /// PSS in bytes.
    fn pss(&self) -> u64 {
        self.pss_kib * 1024
    }

    /// RSS in bytes.
    fn rss(&self) -> u64 {
        self.rss_kib * 1024
    }

    /// Private (unshared) pages in bytes.
    fn private(&self) -> u64 {
        self.private_kib * 1024
    }

    /// "PSS (RSS r)", in MB.
    fn show(&self) -> String {
        format!("{} (RSS {})", fmt_mb(self.pss()), fmt_mb(self.rss()))
    }
}

/// The app process and its descendants at one moment, grouped by kind.
#[derive(Clone, Default)]
struct Sample {
    app: Memory,
    /// `WebKitWebProcess` (all of them, if more than one).
    web: Memory,
    /// `WebKitNetworkProcess`.
    network: Memory,
    /// Anything else the app started, by name.
    others: BTreeMap<String, Memory>,
}

impl Sample {
    /// Reads the app `pid` and every process descended from it.
    fn of(pid: u32) -> BenchResult<Self> {
        let mut sample = Self {
            app: memory_of(pid).ok_or("the app's smaps_rollup could not be read")?,
            ..Self::default()
        };
        for (child, _) in descendants(pid) {
            let Some(memory) = memory_of(child) else {
                continue;
            };
            let name = comm_of(child);
            match name.as_str() {
                n if n.starts_with("WebKitWebProc") => sample.web.add(memory),
                n if n.starts_with("WebKitNetwork") => sample.network.add(memory),
                _ => sample.others.entry(name).or_default().add(memory),
            }
        }
        if sample.web.pss_kib == 0 {
            return Err("the app has no WebKitWebProcess descendant".into());
        }
        Ok(sample)
    }

    /// The other processes, for a note ("none" when there are none).
    fn describe_others(&self) -> String {
        let mut parts = vec![format!("WebKitNetworkProcess {}", self.network.show())];
        parts.extend(
            self.others
                .iter()
                .map(|(name, m)| format!("{name} {}", m.show())),
        );
        parts.join(", ")
    }
}

/// True when the last [`STABLE_FOR`] of samples of both the app and the web process stayed
/// within [`STABLE_WITHIN`] of their lowest.
fn stable(history: &[Sample]) -> bool {
    let window = (STABLE_FOR.as_millis() / SAMPLE_EVERY.as_millis()) as usize + 1;
    if history.len() < window {
        return false;
    }
    let recent = &history[history.len() - window..];
    let flat = |value: fn(&Sample) -> u64| {
        let low = recent.iter().map(value).min().unwrap_or(0) as f64;
        let high = recent.iter().map(value).max().unwrap_or(0) as f64;
        high <= low * (1.0 + STABLE_WITHIN)
    };
    flat(|s| s.app.pss_kib) && flat(|s| s.web.pss_kib)
}

// ---- Demo vaults ----------------------------------------------------------------------------

/// A vault made by the release CLI holding the demo practice at one scale.
struct DemoVault {
    dir: PathBuf,
    label: &'static str,
    scale: f64,
    /// What `demo` said it added.
    added: String,
    /// `holdspace-cli stats --json`.
    stats: serde_json::Value,
}

impl DemoVault {
    /// Records, stored bytes and KDF settings, for the report.
    fn describe(&self) -> String {
        let added = self
            .added
            .lines()
            .find_map(|l| l.strip_prefix("Added a synthetic practice: "))
            .unwrap_or(&self.added)
            .trim_end_matches('.');
        format!(
            "scale {}: {added}; {} records, {} stored; Argon2id {}",
            self.scale,
            fmt_count(self.stat("records") as usize),
            fmt_mb(self.stat("stored_bytes")),
            self.kdf()
        )
    }

    /// A number from the vault's statistics (0 when absent).
    fn stat(&self, key: &str) -> u64 {
        self.stats[key].as_u64().unwrap_or(0)
    }

    /// The vault's Argon2id settings, as people read them.
    fn kdf(&self) -> String {
        let kdf = &self.stats["kdf"];
        format!(
            "m = {} MiB, t = {}, p = {}",
            kdf["memory_kib"].as_u64().unwrap_or(0) / 1024,
            kdf["iterations"].as_u64().unwrap_or(0),
            kdf["parallelism"].as_u64().unwrap_or(0)
        )
    }
}

// ---- Figure 1: cold start --------------------------------------------------------------------

/// [`STARTUP_RUNS`] launches on the locked 1x vault: median and max from spawn to painted.
fn figure_startup(lab: &Lab, vault: &DemoVault) -> BenchResult<Figure> {
    let mut times = Vec::with_capacity(STARTUP_RUNS);
    for run in 1..=STARTUP_RUNS {
        let took = cold_start(lab, &vault.dir)?;
        progress(&format!(
            "  launch {run}: painted after {}",
            fmt_duration(took)
        ));
        times.push(took);
    }
    let (first, max) = (times[0], times.iter().copied().max().unwrap_or_default());
    let median = median(times.clone());
    let rows = vec![
        Row::new(
            "cold start to the unlock screen: median",
            fmt_duration(median),
            STARTUP_FLOOR.into(),
            None,
        )
        .target(
            format!("≤ {} s", STARTUP_TARGET.as_secs()),
            median <= STARTUP_TARGET,
        ),
        Row::new(
            "cold start to the unlock screen: max",
            fmt_duration(max),
            STARTUP_FLOOR.into(),
            None,
        ),
    ];
    Ok(Figure {
        title: "Cold start to the unlock screen (release build)".into(),
        rows,
        notes: startup_notes(&times, first),
    })
}

/// One launch: spawn, wait for the painted report, kill (and reap everything it started).
fn cold_start(lab: &Lab, vault: &Path) -> BenchResult<Duration> {
    let (mut app, launched) = lab.launch(vault)?;
    let painted = app.wait_painted()?;
    drop(app);
    let ns = painted
        .checked_sub(launched)
        .ok_or("the app reported a paint before it was started")?;
    Ok(Duration::from_nanos(ns as u64))
}

/// How the cold start was taken, and every run's time.
fn startup_notes(times: &[Duration], first: Duration) -> Vec<String> {
    let all: Vec<String> = times.iter().map(|t| fmt_duration(*t)).collect();
    vec![
        "Ours: from the UNIX time noted just before spawning `target/release/holdspace \
         --vault DIR` on an existing locked vault to the time the app prints once the page \
         has painted the unlock screen (two animation frames after rendering it, then an IPC \
         call; `HOLDSPACE_REPORT_STARTUP=1`). The app is killed after each run and every \
         process it started is reaped before the next."
            .into(),
        format!(
            "{STARTUP_RUNS} runs: {}. The first ({}) starts with empty WebKit data and cache \
             folders (`XDG_*_HOME` point into the bench's temporary folder); the rest reuse \
             them, as a second launch on a desktop would. The binary and libraries are in the \
             page cache throughout (dropping caches would disturb the whole machine), so \
             \"cold\" means a new process, not a cold disk.",
            all.join(", "),
            fmt_duration(first)
        ),
        format!(
            "Floor: the empty Tauri app of `docs/performance.md`, measured on the build \
             machine, not in this run. Here Xvfb has no GPU and no window manager, so WebKit \
             renders in software; {}.",
            session_bus()
        ),
    ]
}

/// Whether the app could reach a D-Bus session bus (without one, GTK's accessibility bridge
/// and portals give up at start-up).
fn session_bus() -> &'static str {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        "the environment has a D-Bus session bus"
    } else {
        "there is no D-Bus session bus (`DBUS_SESSION_BUS_ADDRESS` unset)"
    }
}

// ---- Figure 2: memory, locked and unlocked -------------------------------------------------

/// One launch on one demo vault: the locked and the settled unlocked samples.
struct MemoryReading {
    label: &'static str,
    /// The vault's Argon2id settings (the KDF unlock runs).
    kdf: String,
    locked: Sample,
    unlocked: Sample,
    /// From pressing Enter to the app holding the store open (KDF + opening the vault).
    unlock_seen: Duration,
    /// From the store being open to the last sample.
    settled_after: Duration,
    /// False when [`SETTLE_LIMIT`] passed before PSS was stable.
    settled: bool,
    /// WebKit web processes on the machine that are not the app's, when it was sampled locked.
    foreign_webkit: usize,
}

impl MemoryReading {
    /// Launches the app on `demo`, samples it locked, unlocks it, and samples it settled.
    fn measure(lab: &Lab, demo: &DemoVault) -> BenchResult<Self> {
        progress(&format!(
            "{}: launching the app on the locked vault",
            demo.label
        ));
        let (mut app, _) = lab.launch(&demo.dir)?;
        app.wait_painted()?;
        std::thread::sleep(LOCKED_SETTLE);
        let locked = app.memory()?;
        let foreign_webkit = foreign_webkit(app.pid);
        progress(&format!(
            "{}: locked: app {}; typing the passphrase",
            demo.label,
            locked.app.show()
        ));
        let unlock_seen = unlock(lab, &mut app, &demo.dir)?;
        progress(&format!(
            "{}: store open after {}; settling",
            demo.label,
            fmt_duration(unlock_seen)
        ));
        let (unlocked, settled_after, settled) = settle(&mut app)?;
        check_rise(&locked, &unlocked)?;
        Ok(Self {
            label: demo.label,
            kdf: demo.kdf(),
            locked,
            unlocked,
            unlock_seen,
            settled_after,
            settled,
            foreign_webkit,
        })
    }

    /// PSS the unlocked practice added to the app process, in bytes.
    fn added(&self) -> u64 {
        self.unlocked
            .app
            .pss()
            .saturating_sub(self.locked.app.pss())
    }

    /// Private (unshared) memory it added, in bytes: immune to other processes' sharing.
    fn added_private(&self) -> u64 {
        self.unlocked
            .app
            .private()
            .saturating_sub(self.locked.app.private())
    }

    /// What happened after Enter, and the processes besides the app and web process.
    fn describe(&self) -> String {
        let end = if self.settled {
            "settle"
        } else {
            "the limit, NOT settled"
        };
        format!(
            "{}: Argon2id {}; store open {} after Enter, then {} to {end}; app private memory \
             {} locked, {} unlocked; other WebKit web processes on the machine: {}; the app's \
             other processes locked: {}; unlocked: {}",
            self.label,
            self.kdf,
            fmt_duration(self.unlock_seen),
            fmt_duration(self.settled_after),
            fmt_mb(self.locked.app.private()),
            fmt_mb(self.unlocked.app.private()),
            self.foreign_webkit,
            self.locked.describe_others(),
            self.unlocked.describe_others()
        )
    }
}

/// WebKit web processes running on the machine that are not descended from `app`: they
/// share library pages with ours, and so lower its PSS.
fn foreign_webkit(app: u32) -> usize {
    let ours: Vec<u32> = descendants(app).into_iter().map(|(pid, _)| pid).collect();
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| !ours.contains(pid) && comm_of(*pid).starts_with("WebKitWebProc"))
        .count()
}

/// Types the passphrase and Enter into the app's window; waits until the app holds the
/// vault's store open. Returns the time from Enter to that.
fn unlock(lab: &Lab, app: &mut App, vault: &Path) -> BenchResult<Duration> {
    let found = lab.xdotool(
        &["search", "--sync", "--name", &format!("^{WINDOW_TITLE}$")],
        PAINT_PATIENCE,
    )?;
    let window = found
        .lines()
        .next()
        .ok_or("xdotool found no Holdspace window")?
        .to_string();
    // Without a window manager this may fail or hang; X focus then follows the pointer.
    let _ = lab.xdotool(&["windowfocus", "--sync", &window], Duration::from_secs(3));
    lab.xdotool(
        &["type", "--delay", TYPE_DELAY_MS, PASSPHRASE],
        Duration::from_secs(30),
    )?;
    lab.xdotool(&["key", "Return"], Duration::from_secs(5))?;
    let entered = Instant::now();
    while !app.holds_store_open(vault) {
        app.check_alive()?;
        if entered.elapsed() > UNLOCK_PATIENCE {
            return Err(app.failure(
                "did not unlock after the passphrase was typed with xdotool (no keyboard focus?)",
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(entered.elapsed())
}

/// Samples every [`SAMPLE_EVERY`] until stable or [`SETTLE_LIMIT`]: the last sample, the time
/// taken, and whether it was stable.
fn settle(app: &mut App) -> BenchResult<(Sample, Duration, bool)> {
    let started = Instant::now();
    let mut history = Vec::new();
    loop {
        history.push(app.memory()?);
        let is_stable = stable(&history);
        if is_stable || started.elapsed() >= SETTLE_LIMIT {
            let last = history.pop().unwrap_or_default();
            return Ok((last, started.elapsed(), is_stable));
        }
        std::thread::sleep(SAMPLE_EVERY);
    }
}

/// An error unless unlocking raised the app's private memory by more than
/// [`UNLOCK_MIN_RISE`] (private, so that other processes' sharing cannot hide or fake it).
fn check_rise(locked: &Sample, unlocked: &Sample) -> BenchResult<()> {
    if unlocked.app.private() > locked.app.private() + UNLOCK_MIN_RISE {
        return Ok(());
    }
    Err(format!(
        "the app's private memory rose only from {} to {} after unlocking: did the practice load?",
        fmt_mb(locked.app.private()),
        fmt_mb(unlocked.app.private())
    )
    .into())
}

/// Rows for every scale.
fn figure_memory(readings: &[MemoryReading]) -> Figure {
    let targets = [MEMORY_1X_TARGET, MEMORY_10X_TARGET];
    Figure {
        title: "Memory (PSS) of the app and web processes, locked and unlocked".into(),
        rows: readings
            .iter()
            .zip(targets)
            .flat_map(|(r, t)| memory_rows(r, t))
            .collect(),
        notes: memory_notes(readings),
    }
}

/// One scale's rows: app locked, unlocked, added (with its target), web locked and unlocked.
fn memory_rows(reading: &MemoryReading, target: u64) -> Vec<Row> {
    let l = reading.label;
    let info = |what: &str, ours: &Memory, floor: &str| {
        Row::new(format!("{what}, {l}"), ours.show(), floor.into(), None)
    };
    let added = reading.added();
    let added_text = format!(
        "{} (private +{})",
        fmt_mb(added),
        fmt_mb(reading.added_private())
    );
    vec![
        info("app process, locked", &reading.locked.app, APP_FLOOR),
        info("app process, unlocked", &reading.unlocked.app, "—"),
        Row::new(
            format!("added by the unlocked practice, {l}"),
            added_text,
            "—".into(),
            None,
        )
        .target(format!("≤ {}", fmt_mb(target)), added <= target),
        info("web process, locked", &reading.locked.web, WEB_FLOOR),
        info("web process, unlocked", &reading.unlocked.web, "—"),
    ]
}

/// How memory was taken, and what each scale's launch saw.
fn memory_notes(readings: &[MemoryReading]) -> Vec<String> {
    let runs: Vec<String> = readings.iter().map(MemoryReading::describe).collect();
    vec![
        "MB = 10^6 bytes. PSS (proportional set size: private pages plus a fair share of shared \
         ones) from `/proc/PID/smaps_rollup`, RSS beside it; the web process is every \
         `WebKitWebProcess` descended from the app. One launch per scale. PSS divides shared \
         library pages among every process mapping them at that moment, so the same app \
         shows a lower PSS (at the same RSS) while other GTK/WebKit programs run; its private \
         memory (`Private_Clean` + `Private_Dirty`) does not depend on them."
            .into(),
        format!(
            "Locked: {} after the unlock screen painted. Unlocked: the passphrase typed into \
             the focused field with `xdotool type` and Enter; once the app holds the vault's \
             store open (its unlock succeeded), PSS is sampled every {} until app and web \
             process each stayed within {:.0}% for {} (at most {}), and the last sample is \
             reported. The unlock is also checked by the app's private memory rising by more \
             than {}. Unlocking runs the vault's calibrated Argon2id (settings below) in the \
             app process; its memory is freed afterwards.",
            fmt_secs(LOCKED_SETTLE),
            fmt_secs(SAMPLE_EVERY),
            STABLE_WITHIN * 100.0,
            fmt_secs(STABLE_FOR),
            fmt_secs(SETTLE_LIMIT),
            fmt_mb(UNLOCK_MIN_RISE)
        ),
        "Added by the unlocked practice: app process PSS unlocked minus locked (private memory \
         beside it) — the decoded practice, its search index, sled's page cache, and whatever \
         the allocator kept of unlock's temporaries. The app's allocators wipe what is freed, \
         and glibc then also fills every block it hands out, so capacity reserved and never \
         written is resident too (`docs/performance.md` has this figure before and after). \
         The targets (`docs/performance.md`) are for this, on top of the locked app."
            .into(),
        format!("Per scale — {}.", runs.join(". ")),
        "Floors: the empty Tauri app of `docs/performance.md` (app process PSS 88 MB, RSS \
         162 MB, mostly shared GTK/WebKit; WebKit web process PSS ~160 MB), measured on the \
         build machine, not in this run."
            .into(),
    ]
}

/// A setting's duration for a note: "500 ms", "2 s".
fn fmt_secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}
