//! What the benchmark harnesses (`benches/vault.rs`, `benches/practice.rs`, `benches/app.rs`)
//! share: the result rows and figures, the one `BENCHMARKS.md` they all write (the machine
//! once at the top, a summary of missed targets, then each bench's own section between
//! `<!-- NAME:start -->` and `<!-- NAME:end -->` markers), timing and settings helpers, child
//! processes, and the floors' plain sled store and raw AEAD values laid out like the vault's.
//!
//! Owns: the report's format — rendering it and reading its own missed rows back for the
//! summary — and the mirrors of the vault's private store layout
//! (`crates/holdspace-vault/src/vault/folder.rs` for sled's settings, `vault/mod.rs` for the
//! tree, and `record.rs`).
//!
//! Must not: touch any section but the caller's, pass or fail anything, or know about a
//! particular figure.
#![allow(dead_code)] // each bench uses its own part of this module

pub mod zeroing;

use std::error::Error;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use holdspace::aead::{NONCE_LEN, TAG_LEN};
use holdspace::record::{RECORD_FORMAT, VALUE_PREFIX_LEN};

pub type BenchResult<T> = Result<T, Box<dyn Error>>;

/// Sections in the order the report shows them (`make bench` runs them in this order too);
/// a section with another name goes after these.
const SECTION_ORDER: &[&str] = &["vault", "practice", "backup", "app"];

// ---- One result row, one figure, one section ----------------------------------------------

/// One line of a figure's table. `ratio` is ours ÷ floor in the row's own unit.
pub struct Row {
    pub what: String,
    pub ours: String,
    pub floor: String,
    pub ratio: Option<f64>,
    pub target: String,
    pub verdict: Verdict,
}

pub enum Verdict {
    /// The row has no target of its own.
    Info,
    Met,
    Missed,
}

impl Verdict {
    /// The verdict cell; the summary reads missed ones back.
    fn cell(&self) -> &'static str {
        match self {
            Self::Info => "—",
            Self::Met => "met",
            Self::Missed => MISSED_CELL,
        }
    }
}

const MISSED_CELL: &str = "**MISSED**";

impl Row {
    pub fn new(what: impl Into<String>, ours: String, floor: String, ratio: Option<f64>) -> Self {
        Self {
            what: what.into(),
            ours,
            floor,
            ratio,
            target: "—".into(),
            verdict: Verdict::Info,
        }
    }

    pub fn target(mut self, target: impl Into<String>, met: bool) -> Self {
        self.target = target.into();
        self.verdict = if met { Verdict::Met } else { Verdict::Missed };
        self
    }
}

/// One numbered part of a section.
pub struct Figure {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

/// What one bench writes: its own part of `BENCHMARKS.md`.
pub struct Section {
    /// Marker name, e.g. `vault` for `<!-- vault:start -->`.
    pub key: &'static str,
    /// Heading, e.g. "Vault core".
    pub title: &'static str,
    /// One paragraph: which bench wrote it and what it covers.
    pub intro: String,
    /// `HOLDSPACE_BENCH_SCALE` of this run.
    pub scale: f64,
    /// Run-specific facts (date, commit, load, counts), as label and value.
    pub run: Vec<(&'static str, String)>,
    pub figures: Vec<Figure>,
}

/// Shows a finished figure's rows on stderr, and passes it on.
pub fn announce(figure: Figure) -> Figure {
    for row in &figure.rows {
        let verdict = match row.verdict {
            Verdict::Info => "",
            Verdict::Met => " — target met",
            Verdict::Missed => " — target MISSED",
        };
        progress(&format!(
            "  {}: ours {}, floor {}{verdict}",
            row.what, row.ours, row.floor
        ));
    }
    figure
}

// ---- The report file -----------------------------------------------------------------------

pub fn report_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md")
}

/// Writes `section` into `BENCHMARKS.md`, prints it, and says so on stderr.
pub fn publish(section: &Section) -> BenchResult<()> {
    print!("{}", write_report(section)?);
    progress(&format!("done; wrote {}", report_path().display()));
    Ok(())
}

/// Replaces this section of `BENCHMARKS.md` (keeping every other section as it is), rewrites
/// the header — machine and summary — and returns the section's markdown.
pub fn write_report(section: &Section) -> BenchResult<String> {
    let old = fs::read_to_string(report_path()).unwrap_or_default();
    let mine = render_section(section);
    let mut sections = existing_sections(&old);
    sections.retain(|(key, _)| key != section.key);
    sections.push((section.key.to_string(), mine.clone()));
    sections.sort_by_key(|(key, _)| {
        SECTION_ORDER
            .iter()
            .position(|k| k == key)
            .unwrap_or(SECTION_ORDER.len())
    });
    let body: Vec<&str> = sections.iter().map(|(_, text)| text.as_str()).collect();
    let body = body.join("\n");
    let report = format!("{}\n{body}", render_header(&describe_machine(), &body));
    fs::write(report_path(), report)?;
    Ok(mine)
}

fn start_marker(key: &str) -> String {
    format!("<!-- {key}:start -->")
}

fn end_marker(key: &str) -> String {
    format!("<!-- {key}:end -->")
}

/// Every complete `<!-- KEY:start -->` … `<!-- KEY:end -->` block of a report, markers
/// included, in file order. Anything outside them (an old header) is dropped.
fn existing_sections(report: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = report;
    while let Some(at) = rest.find("<!-- ") {
        rest = &rest[at..];
        let key = rest["<!-- ".len()..]
            .split_once(":start -->")
            .map(|(key, _)| key)
            .filter(|key| !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric()));
        let Some(key) = key else {
            rest = &rest["<!-- ".len()..];
            continue;
        };
        let end = end_marker(key);
        let Some(end_at) = rest.find(&end) else {
            break;
        };
        let block = &rest[..end_at + end.len()];
        found.push((key.to_string(), format!("{block}\n")));
        rest = &rest[end_at + end.len()..];
    }
    found
}

fn render_header(machine: &[(&str, String)], sections: &str) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Holdspace benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `make bench`: `cargo bench --bench vault` (`benches/vault.rs`), then \
         `cargo bench --bench practice` (`benches/practice.rs`), then `cargo bench --bench app` \
         (`benches/app.rs`). Each bench replaces only its own section below and rewrites this \
         header. Figures, not pass/fail: each stands beside its floor, measured in the same run \
         on the same machine (except the app section's, which were measured earlier on the \
         build machine and therefore have no ratio), and the ratio is ours ÷ floor in the \
         row's own unit (time, throughput or bytes). Scales, targets and floors are explained \
         in `docs/performance.md`; a missed target is marked **MISSED**.\n"
    );
    let _ = writeln!(md, "## Machine\n\n| | |\n| --- | --- |");
    for (label, value) in machine {
        let _ = writeln!(md, "| {label} | {value} |");
    }
    let _ = writeln!(md, "\n## Summary\n");
    let lines = summary_lines(sections);
    if lines.iter().all(|l| !l.contains(MISSED_CELL)) {
        let _ = writeln!(md, "All targets met.");
    }
    for line in lines {
        let _ = writeln!(md, "{line}");
    }
    md
}

/// One summary line per missed row of the sections, and one per smoke run,
/// read back from the rendered sections (their `##`/`###` headings and table rows).
fn summary_lines(sections: &str) -> Vec<String> {
    let (mut section, mut figure) = ("", "");
    let mut lines = Vec::new();
    for line in sections.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.split(" (`").next().unwrap_or(title);
        } else if let Some(title) = line.strip_prefix("### ") {
            figure = title;
        } else if let Some(scale) = line.strip_prefix(SMOKE_PREFIX) {
            let scale = scale.split(":**").next().unwrap_or(scale);
            lines.push(format!(
                "- {section} ran at scale {scale} (`HOLDSPACE_BENCH_SCALE`): a smoke run, its \
                 verdicts mean nothing."
            ));
        } else if let Some(line) = missed_row_line(line, section, figure) {
            lines.push(line);
        }
    }
    lines
}

/// The summary line for a table row whose verdict is missed.
fn missed_row_line(row: &str, section: &str, figure: &str) -> Option<String> {
    let cells: Vec<&str> = row
        .strip_prefix("| ")?
        .strip_suffix(" |")?
        .split(" | ")
        .collect();
    let [what, ours, floor, _ratio, target, verdict] = cells.as_slice() else {
        return None;
    };
    (*verdict == MISSED_CELL).then(|| {
        format!(
            "- **MISSED** — {section}, {figure}: {what}: {ours} (target {target}; floor {floor})"
        )
    })
}

/// How a smoke run's warning starts; the summary looks for it.
const SMOKE_PREFIX: &str = "> **Scale ";

fn render_section(section: &Section) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "{}", start_marker(section.key));
    let _ = writeln!(md, "## {}\n\n{}\n", section.title, section.intro);
    if (section.scale - 1.0).abs() > f64::EPSILON {
        let _ = writeln!(
            md,
            "{SMOKE_PREFIX}{}:** counts were scaled by `HOLDSPACE_BENCH_SCALE`. The targets are \
             for scale 1.0; verdicts at this scale only smoke-test the harness.\n",
            section.scale
        );
    }
    let _ = writeln!(md, "| This run | |\n| --- | --- |");
    for (label, value) in &section.run {
        let _ = writeln!(md, "| {label} | {value} |");
    }
    for (n, figure) in section.figures.iter().enumerate() {
        render_figure(&mut md, n + 1, figure);
    }
    let _ = writeln!(md, "{}", end_marker(section.key));
    md
}

fn render_figure(md: &mut String, number: usize, figure: &Figure) {
    let _ = writeln!(md, "\n### {number}. {}\n", figure.title);
    let _ = writeln!(
        md,
        "| what | ours | floor | ours ÷ floor | target | verdict |\n\
         | --- | ---: | ---: | ---: | --- | --- |"
    );
    for row in &figure.rows {
        let ratio = row.ratio.map_or("—".into(), |r| format!("{r:.2}x"));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {ratio} | {} | {} |",
            cell(&row.what),
            cell(&row.ours),
            cell(&row.floor),
            cell(&row.target),
            row.verdict.cell()
        );
    }
    let _ = writeln!(md);
    for note in &figure.notes {
        let _ = writeln!(md, "- {note}");
    }
}

/// A table cell: a `|` would end it (and confuse the summary), so it is escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

// ---- The machine and the run ---------------------------------------------------------------

/// Label and value pairs describing the machine and build (the same for every bench).
pub fn describe_machine() -> Vec<(&'static str, String)> {
    let mut crates = locked_versions(&["sled", "chacha20poly1305", "argon2", "serde_json"]);
    crates.sort();
    let build = if cfg!(debug_assertions) {
        "DEBUG build — figures are meaningless".to_string()
    } else {
        "optimised (`cargo bench` profile)".to_string()
    };
    vec![
        ("CPU", describe_cpu()),
        ("Memory", describe_memory()),
        ("OS", describe_os()),
        ("rustc", command_output("rustc", &["--version"])),
        ("Build", build),
        ("Temporary folders", bench_folder()),
        (
            "Crates (Cargo.lock)",
            crates
                .iter()
                .map(|(name, version)| format!("{name} {version}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}

/// Label and value pairs that belong to one bench's run; the caller adds its scale.
pub fn describe_run() -> Vec<(&'static str, String)> {
    let load = fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |v| v.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    );
    vec![
        ("Date", utc_now()),
        ("Commit", git_commit()),
        ("Load average at start (1, 5, 15 min)", load),
    ]
}

fn describe_cpu() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_field = |name: &str| {
        cpuinfo.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim().to_string())
        })
    };
    let cpu = cpu_field("model name")
        .or_else(|| cpu_field("Hardware"))
        .unwrap_or_else(|| "unknown (no /proc/cpuinfo model name)".into());
    let logical = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let available = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu} — {logical} logical CPUs, {available} available to this process")
}

fn describe_memory() -> String {
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0)
        })
}

fn describe_os() -> String {
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| "unknown".into(), |v| v.trim().to_string());
    format!("{os}, Linux kernel {kernel}")
}

/// Every locked version of each named crate, from the repository's Cargo.lock.
fn locked_versions(names: &[&str]) -> Vec<(String, String)> {
    let lock = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut name: Option<String> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let Some(value) = line.strip_prefix("version = ") {
            if let Some(n) = name.take().filter(|n| names.contains(&n.as_str())) {
                found.push((n, value.trim_matches('"').to_string()));
            }
        }
    }
    for wanted in names {
        if !found.iter().any(|(n, _)| n == wanted) {
            found.push((wanted.to_string(), "not in Cargo.lock".into()));
        }
    }
    found
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "not available".into())
}

fn git_commit() -> String {
    let commit = command_output("git", &["rev-parse", "--short", "HEAD"]);
    // `command_output` reports empty output as "not available": here, a clean tree.
    let changes = command_output("git", &["status", "--porcelain", "--untracked-files=no"]);
    let clean = changes == "not available";
    if commit == "not available" || clean {
        commit
    } else {
        format!("{commit} (with uncommitted changes)")
    }
}

/// The temporary folder the stores live in and the file system under it (flushes depend on it).
pub fn bench_folder() -> String {
    let dir = std::env::temp_dir();
    let mounts = fs::read_to_string("/proc/mounts").unwrap_or_default();
    let mount = mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (device, point, fs_type) = (fields.next()?, fields.next()?, fields.next()?);
            dir.starts_with(point)
                .then_some((point.len(), device, fs_type))
        })
        .max_by_key(|(len, _, _)| *len);
    match mount {
        Some((_, device, fs_type)) => format!("{} ({fs_type} on {device})", dir.display()),
        None => dir.display().to_string(),
    }
}

fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let of_day = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---- Child processes -----------------------------------------------------------------------

/// Set in a child's environment to the role it runs; its arguments follow on the command line.
const CHILD_ENV: &str = "HOLDSPACE_BENCH_CHILD";

/// A bench's `main`: runs the child role this process was started for, or the whole bench;
/// a failure is one line on stderr and exit code 1.
pub fn bench_main(
    run: fn() -> BenchResult<()>,
    run_child_role: fn(&str, &[String]) -> BenchResult<()>,
) {
    let outcome = match child_role() {
        Some((role, args)) => run_child_role(&role, &args),
        None => run(),
    };
    if let Err(e) = outcome {
        eprintln!("[bench] failed: {e}");
        std::process::exit(1);
    }
}

/// The role this process was started in by [`run_child`], if it is a child, and its
/// arguments.
pub fn child_role() -> Option<(String, Vec<String>)> {
    let role = std::env::var(CHILD_ENV).ok()?;
    Some((role, std::env::args().skip(1).collect()))
}

/// Runs this bench binary again as a fresh process in `role`, waits for it, and returns the
/// `key value` lines it printed with [`tell_parent`]. Its stderr goes to ours.
pub fn run_child(role: &str, args: &[&OsStr]) -> BenchResult<ChildReport> {
    run_child_with(role, args, false)
}

/// [`run_child`], with the zeroing allocator when `zeroing` (see [`zeroing`]; only in a bench
/// whose global allocator is [`zeroing::Switchable`]).
pub fn run_child_with(role: &str, args: &[&OsStr], zeroing: bool) -> BenchResult<ChildReport> {
    let mut child = Command::new(std::env::current_exe()?);
    if zeroing {
        child.env("GLIBC_TUNABLES", zeroing::WIPING_TUNABLES);
    }
    let output = child
        .args(args)
        .env(CHILD_ENV, role)
        .env(zeroing::ZEROING_ENV, if zeroing { "1" } else { "0" })
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(format!("the {role} child process failed ({})", output.status).into());
    }
    Ok(ChildReport(String::from_utf8(output.stdout)?))
}

/// In a child: one `key value` line for the parent.
pub fn tell_parent(key: &str, value: u64) {
    println!("{key} {value}");
}

/// In a child: an elapsed time for the parent, in nanoseconds.
pub fn tell_parent_time(key: &str, elapsed: Duration) {
    tell_parent(key, elapsed.as_nanos() as u64);
}

/// What a child printed.
pub struct ChildReport(String);

impl ChildReport {
    pub fn value(&self, key: &str) -> BenchResult<u64> {
        self.0
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(' '))
            .ok_or_else(|| format!("the child process did not report {key}"))?
            .trim()
            .parse()
            .map_err(|e| format!("the child process reported a bad {key}: {e}").into())
    }

    pub fn time(&self, key: &str) -> BenchResult<Duration> {
        self.value(key).map(Duration::from_nanos)
    }
}

// ---- Timing --------------------------------------------------------------------------------

/// A contender in [`alternate`]: one run, returning the time it measured itself (so it can
/// leave its setup and teardown out).
pub type Contender<'a> = &'a mut dyn FnMut() -> BenchResult<Duration>;

/// Runs the contenders in turn — once each untimed first when `warm_up` — then `runs` rounds,
/// and returns each contender's median.
pub fn alternate(
    runs: usize,
    warm_up: bool,
    contenders: &mut [Contender<'_>],
) -> BenchResult<Vec<Duration>> {
    if warm_up {
        for contender in contenders.iter_mut() {
            contender()?;
        }
    }
    let mut times = vec![Vec::with_capacity(runs); contenders.len()];
    for _ in 0..runs {
        for (contender, times) in contenders.iter_mut().zip(times.iter_mut()) {
            times.push(contender()?);
        }
    }
    Ok(times.into_iter().map(median).collect())
}

pub fn timed(work: impl FnOnce() -> BenchResult<()>) -> BenchResult<Duration> {
    let started = Instant::now();
    work()?;
    Ok(started.elapsed())
}

/// The middle value (for an even count, the upper of the two middle ones).
pub fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort_unstable();
    values[values.len() / 2]
}

/// Nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len().max(1) as u32
}

pub fn ratio(ours: Duration, floor: Duration) -> f64 {
    ours.as_secs_f64() / floor.as_secs_f64()
}

pub fn mb_per_s(bytes: u64, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e6
}

pub fn progress(message: &str) {
    static START: OnceLock<Instant> = OnceLock::new();
    let elapsed = START.get_or_init(Instant::now).elapsed();
    eprintln!("[bench {:>6.1} s] {message}", elapsed.as_secs_f64());
}

// ---- Settings ------------------------------------------------------------------------------

/// `HOLDSPACE_BENCH_SCALE` (default 1.0): scales record counts for smoke runs.
pub fn bench_scale() -> BenchResult<f64> {
    match std::env::var("HOLDSPACE_BENCH_SCALE") {
        Err(_) => Ok(1.0),
        Ok(text) => match text.trim().parse::<f64>() {
            Ok(scale) if scale.is_finite() && scale > 0.0 => Ok(scale),
            _ => {
                Err(format!("HOLDSPACE_BENCH_SCALE must be a positive number, not {text:?}").into())
            }
        },
    }
}

pub fn scaled(count: usize, scale: f64) -> usize {
    ((count as f64 * scale).round() as usize).max(10)
}

// ---- The floors' plain store, laid out like the vault's -------------------------------------
// The floors must use the same sled settings, tree and value sizes as the vault. The core does
// not export them, so they are copied here; each bench checks its floor's stored bytes against
// `Vault::stats()`, so a format change shows up as an error rather than a wrong floor.

/// `open_store`: sled cache capacity.
pub const STORE_CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// `RECORDS_TREE`.
pub const STORE_TREE: &[u8] = b"records";
/// `RecordContext::associated_data` length (format 2).
pub const AD_LEN: usize = 61;
/// The revision every floor value carries.
const FLOOR_REVISION: u64 = 1;
/// How long `open_store` waits for a lock a previous handle in this process still holds.
const STORE_LOCK_GRACE: Duration = Duration::from_secs(3);
/// The floors' own AEAD key.
pub const FLOOR_KEY: [u8; 32] = [0x42; 32];

/// The floors' cipher, built once.
pub fn floor_cipher() -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(&FLOOR_KEY))
}

/// Opens (or creates) a plain sled store with the vault's settings, waiting like the core does
/// for a lock a previous handle in this process has not yet released.
pub fn open_floor_store(path: &Path, create: bool) -> BenchResult<sled::Db> {
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(STORE_CACHE_BYTES)
        .mode(sled::Mode::HighThroughput)
        .create_new(create);
    let started = Instant::now();
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(e))
                if e.to_string().starts_with("could not acquire lock")
                    && started.elapsed() < STORE_LOCK_GRACE =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The plaintext the core frames a body into (`record::frame`): kind length ‖ kind ‖ schema ‖
/// body length ‖ body ‖ zero padding to the size bucket.
pub fn framed(kind: &str, schema: u32, body: &[u8]) -> Vec<u8> {
    holdspace::record::frame(kind, schema, body).to_vec()
}

/// A value laid out like the vault's (format ‖ revision ‖ nonce ‖ ciphertext ‖ tag), sealed
/// directly; the
/// nonce comes from `nonce_seed`, so the same inputs always give the same bytes.
pub fn seal_floor_value(
    cipher: &XChaCha20Poly1305,
    nonce_seed: u64,
    record_key: &[u8],
    plaintext: &[u8],
) -> BenchResult<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    nonce[..8].copy_from_slice(&nonce_seed.to_le_bytes());
    let mut sealed = plaintext.to_vec();
    let tag = cipher
        .encrypt_in_place_detached(
            XNonce::from_slice(&nonce),
            &floor_ad(record_key),
            &mut sealed,
        )
        .map_err(|_| "floor seal failed")?;
    let mut value = Vec::with_capacity(VALUE_PREFIX_LEN + NONCE_LEN + sealed.len() + TAG_LEN);
    value.push(RECORD_FORMAT);
    value.extend_from_slice(&FLOOR_REVISION.to_le_bytes());
    value.extend_from_slice(&nonce);
    value.extend_from_slice(&sealed);
    value.extend_from_slice(&tag);
    Ok(value)
}

/// Raw AEAD open of a floor value into `scratch`.
pub fn open_floor_value(
    cipher: &XChaCha20Poly1305,
    key: &[u8],
    value: &[u8],
    scratch: &mut Vec<u8>,
) -> BenchResult<()> {
    if value.len() < VALUE_PREFIX_LEN + NONCE_LEN + TAG_LEN {
        return Err("floor value too short".into());
    }
    let (nonce, rest) = value[VALUE_PREFIX_LEN..].split_at(NONCE_LEN);
    let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
    scratch.clear();
    scratch.extend_from_slice(ciphertext);
    cipher
        .decrypt_in_place_detached(
            XNonce::from_slice(nonce),
            &floor_ad(key),
            scratch,
            Tag::from_slice(tag),
        )
        .map_err(|_| "floor open failed".into())
}

/// Associated data shaped like the vault's: label ‖ vault id ‖ epoch ‖ record id ‖ format ‖
/// revision.
pub fn floor_ad(record_key: &[u8]) -> [u8; AD_LEN] {
    let mut ad = [0u8; AD_LEN];
    ad[..16].copy_from_slice(b"holdspace record");
    ad[32..36].copy_from_slice(&1u32.to_le_bytes());
    let key_len = record_key.len().min(16);
    ad[36..36 + key_len].copy_from_slice(&record_key[..key_len]);
    ad[52] = RECORD_FORMAT;
    ad[53..].copy_from_slice(&FLOOR_REVISION.to_le_bytes());
    ad
}

// ---- Deterministic choices -----------------------------------------------------------------

/// SplitMix64: tiny, deterministic, good enough to vary text and pick samples.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

// ---- Formatting ----------------------------------------------------------------------------

pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1_000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else if ms >= 1.0 {
        format!("{ms:.2} ms")
    } else if ms >= 0.01 {
        format!("{ms:.3} ms")
    } else {
        format!("{:.2} µs", ms * 1e3)
    }
}

pub fn fmt_rate(mb_per_s: f64) -> String {
    if mb_per_s >= 100.0 {
        format!("{mb_per_s:.0} MB/s")
    } else {
        format!("{mb_per_s:.1} MB/s")
    }
}

pub fn fmt_mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

pub fn fmt_bytes(bytes: u64) -> String {
    format!("{} bytes", fmt_count(bytes as usize))
}

pub fn fmt_count(n: usize) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|group| std::str::from_utf8(group).unwrap_or("?"))
        .collect();
    groups.join(",")
}
