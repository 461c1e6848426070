//! The practice benchmarks (scales and targets: `docs/performance.md`): the unlocked practice
//! — unlock without the KDF, search, the roster and member-overview queries, and the memory the
//! decoded practice adds — each beside its floor, written as the `practice` section of
//! `BENCHMARKS.md`.
//!
//! Owns: this custom harness (`harness = false`, run by `cargo bench --bench practice` and
//! `make bench` after the vault bench), its datasets (the demo practice at scales 1 and 10,
//! imported into vaults under the insecure test KDF, each with a plain sled twin holding the
//! same keys and value sizes), the search query mix, and the practice floors. The report's
//! format, the machine description and the floor store's layout live in `benches/common`.
//! Progress goes to stderr.
//!
//! Must not: pass or fail anything — a missed target is marked **MISSED** in the report and
//! nothing else happens; touch any folder but its own temporary ones; rewrite any section of
//! the report but its own.
//!
//! Unlock and memory are measured in child processes (this binary started again with
//! `HOLDSPACE_BENCH_CHILD`), so every run starts from a clean process. `HOLDSPACE_BENCH_SCALE`
//! (default 1.0) scales both demo scales for smoke runs; it is written into the report.

mod common;

// This bench builds its vaults with the insecure test KDF, which release builds leave out
// unless asked for; say so instead of failing on a missing name.
#[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
compile_error!("this benchmark needs `--features insecure-test-kdf` (make bench passes it)");

use std::collections::BTreeSet;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use holdspace::practice::demo::demo_practice;
use holdspace::practice::state::State;
use holdspace::practice::{GroupId, MemberId, Practice, PracticeJson, SearchIndex};
use holdspace::{KdfPolicy, Passphrase, Vault};
use tempfile::TempDir;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;

use common::*;

// ---- What is measured, and how much -------------------------------------------------------

/// Demo practice scales (docs/performance.md: 1x = 300 members, 1,500 sessions, 15,000 notes).
const SCALE_1X: f64 = 1.0;
const SCALE_10X: f64 = 10.0;
/// Seed and day of the demo practices (deterministic: the same practice every run).
const DEMO_SEED: u64 = 2026;
const TODAY: Date = date!(2026 - 11 - 26);
/// Timed unlocks per contender, each in a fresh child process (the median is reported).
const UNLOCK_RUNS: usize = 5;
/// Memory readings per scale, each in a fresh child process (the median is reported).
const MEMORY_RUNS: usize = 3;
/// Timed rounds over all search queries (after one untimed round).
const SEARCH_ROUNDS: usize = 3;
/// Hits of each kind a search returns: a screenful.
const SEARCH_LIMIT: usize = 20;
/// Timed rounds over all groups and sampled members (after one untimed round).
const QUERY_ROUNDS: usize = 5;
/// Members whose overview is timed (every n-th, by id).
const OVERVIEW_MEMBERS: usize = 300;
/// Records per batch while writing the plain twin (setup, not timed).
const FILL_BATCH: usize = 4_096;
/// Passphrase of every bench vault (insecure test KDF: the KDF is not measured here).
const PASSPHRASE: &str = "bench: correct horse battery staple";

// Targets (docs/performance.md).
const UNLOCK_1X_TARGET: Duration = Duration::from_millis(150);
const UNLOCK_10X_MAX_RATIO: f64 = 2.0;
const SEARCH_P95_TARGET: Duration = Duration::from_millis(20);
/// Memory the unlocked practice may add, in bytes (MB = 10^6 bytes), at 1x and 10x.
const MEMORY_1X_TARGET: u64 = 60_000_000;
const MEMORY_10X_TARGET: u64 = 400_000_000;

/// Child roles (see [`common::run_child`]), each given the vault's or the twin's folder.
const ROLE_UNLOCK: &str = "unlock";
const ROLE_FLOOR_READ: &str = "floor-read";
const ROLE_STORE_WALK: &str = "store-walk";
const ROLE_MEMORY: &str = "memory";
const ROLE_LOCK: &str = "lock";
const ROLE_SAVES: &str = "saves";
/// Child processes per allocator for figure 6's unlock rows.
const ZEROING_UNLOCK_RUNS: usize = 5;
/// Child processes per allocator for figure 6's save rows, and timed saves in each.
const ZEROING_SAVE_RUNS: usize = 3;
const ZEROING_SAVES: usize = 400;
/// Lock timings per scale and case, each on a fresh copy of the vault in a child process.
const LOCK_RUNS: usize = 3;

/// The demo's clock: imports validate against this day.
fn fixed_now() -> OffsetDateTime {
    datetime!(2026-11-26 10:00 UTC)
}

fn passphrase() -> BenchResult<Passphrase> {
    Ok(Passphrase::new(PASSPHRASE)?)
}

// ---- Entry point --------------------------------------------------------------------------

/// The system allocator, or the app's zeroing one in the child processes of figure 6.
#[global_allocator]
static ALLOCATOR: zeroing::Switchable = zeroing::Switchable;

fn main() {
    zeroing::choose_from_env();
    bench_main(run, run_child_role);
}

fn run() -> BenchResult<()> {
    let scale = bench_scale()?;
    progress(&format!(
        "practice: scale {scale}; writing {}",
        report_path().display()
    ));
    if cfg!(debug_assertions) {
        progress("WARNING: debug build — run through `cargo bench` for meaningful figures");
    }
    let small = Demo::build(SCALE_1X * scale, "1x")?;
    let large = Demo::build(SCALE_10X * scale, "10x")?;
    let figures = measure(&small, &large)?;
    let mut run = describe_run();
    run.push(("Scale (`HOLDSPACE_BENCH_SCALE`)", scale.to_string()));
    run.push(("Demo practice 1x", small.describe()));
    run.push(("Demo practice 10x", large.describe()));
    let section = Section {
        key: "practice",
        title: "Unlocked practice",
        intro: section_intro(),
        scale,
        run,
        figures,
    };
    publish(&section)
}

fn section_intro() -> String {
    format!(
        "Written by `cargo bench --bench practice` (`benches/practice.rs`): the whole practice \
         as the app holds it after unlock. Data: `demo_practice(scale, {DEMO_SEED}, {TODAY})` \
         at scales 1 and 10, imported with `Practice::import` into vaults created with \
         `KdfPolicy::InsecureTest` (Argon2id m = 64 KiB, t = 1: microseconds), so **no figure \
         here includes the KDF** — the vault section's figure 2 measures it."
    )
}

fn measure(small: &Demo, large: &Demo) -> BenchResult<Vec<Figure>> {
    progress("1/6 unlock excluding the KDF (child processes)");
    let unlock = announce(figure_unlock(small, large)?);
    progress("2/6 search, and 3/6 roster, member overview and questionnaires");
    let small_queries = QueryTimes::measure(&small.load()?)?;
    let practice = large.load()?;
    let search = announce(figure_search(&practice)?);
    let large_queries = QueryTimes::measure(&practice)?;
    drop(practice);
    let queries = announce(figure_queries(&[
        (small, small_queries),
        (large, large_queries),
    ]));
    progress("4/6 memory the unlocked practice adds (child processes)");
    let memory = announce(figure_memory(small, large)?);
    progress("5/6 lock, and lock after a deletion (child processes)");
    let lock = announce(figure_lock(small, large)?);
    progress("6/6 what the zeroing allocator costs (child processes)");
    let allocator = announce(figure_zeroing(small, large)?);
    Ok(vec![unlock, search, queries, memory, lock, allocator])
}

/// In a child process started by [`common::run_child`]: one measurement, reported on stdout.
fn run_child_role(role: &str, args: &[String]) -> BenchResult<()> {
    let [dir] = args else {
        return Err(format!("child role {role:?} takes one folder, not {args:?}").into());
    };
    let dir = Path::new(dir);
    match role {
        ROLE_LOCK => child_lock(dir, false),
        "lock-after-delete" => child_lock(dir, true),
        ROLE_UNLOCK => child_unlock(dir),
        ROLE_FLOOR_READ => child_floor_read(dir),
        ROLE_STORE_WALK => child_store_walk(dir),
        ROLE_MEMORY => child_memory(dir),
        ROLE_SAVES => child_saves(dir),
        _ => Err(format!("unknown child role {role:?}").into()),
    }
}

// ---- Datasets: a demo practice in a vault, and its plain twin -------------------------------

/// The demo practice at one scale, imported into a vault (insecure test KDF), with a plain
/// sled store beside it holding the same keys and values of the same size, sealed directly.
struct Demo {
    _tmp: TempDir,
    vault_dir: PathBuf,
    floor_dir: PathBuf,
    label: &'static str,
    scale: f64,
    /// What the practice holds, for the report.
    contents: String,
    /// Records in the vault, and the bytes of their stored (encrypted) values.
    records: usize,
    stored_bytes: u64,
    /// The practice as compact JSON (`serde_json::to_vec` of the `PracticeJson`).
    json_bytes: u64,
}

impl Demo {
    fn build(scale: f64, label: &'static str) -> BenchResult<Self> {
        progress(&format!(
            "{label}: generating the demo practice at scale {scale}"
        ));
        let file = demo_practice(scale, DEMO_SEED, TODAY);
        let json_bytes = serde_json::to_vec(&file)?.len() as u64;
        let contents = describe_contents(&file);
        let tmp = tempfile::Builder::new()
            .prefix("holdspace-bench-")
            .tempdir()?;
        let vault_dir = tmp.path().join("vault");
        let floor_dir = tmp.path().join("plain");
        progress(&format!("{label}: importing {contents}"));
        import_into(&vault_dir, file)?;
        progress(&format!("{label}: writing the plain twin"));
        let (records, stored_bytes) = write_twin(&vault_dir, &floor_dir)?;
        Ok(Self {
            _tmp: tmp,
            vault_dir,
            floor_dir,
            label,
            scale,
            contents,
            records,
            stored_bytes,
            json_bytes,
        })
    }

    fn describe(&self) -> String {
        format!(
            "scale {}: {}; {} records, {} stored; {} as compact JSON",
            self.scale,
            self.contents,
            fmt_count(self.records),
            fmt_mb(self.stored_bytes),
            fmt_mb(self.json_bytes)
        )
    }

    /// `Vault::open` + `Practice::load`, in this process.
    fn load(&self) -> BenchResult<Practice> {
        progress(&format!("{}: loading the practice", self.label));
        let vault = Vault::open(&self.vault_dir, &passphrase()?, KdfPolicy::InsecureTest)?;
        Ok(Practice::load(vault)?)
    }

    fn child(&self, role: &str) -> BenchResult<ChildReport> {
        let dir = if role == ROLE_FLOOR_READ {
            &self.floor_dir
        } else {
            &self.vault_dir
        };
        run_child(role, &[dir.as_os_str()])
    }

    fn check_read(&self, report: &ChildReport) -> BenchResult<()> {
        let (records, bytes) = (report.value("records")?, report.value("bytes")?);
        if records == self.records as u64 && bytes == self.stored_bytes {
            Ok(())
        } else {
            Err(format!(
                "read {records} records, {bytes} bytes; expected {}, {}",
                self.records, self.stored_bytes
            )
            .into())
        }
    }
}

fn describe_contents(file: &PracticeJson) -> String {
    format!(
        "{} members, {} groups, {} sessions, {} notes",
        fmt_count(file.members.len()),
        fmt_count(file.groups.len()),
        fmt_count(file.sessions.len()),
        fmt_count(file.notes.len())
    )
}

/// Creates a vault in `dir` and imports the practice into it the way the app does.
fn import_into(dir: &Path, file: PracticeJson) -> BenchResult<()> {
    let vault = Vault::create(dir, &passphrase()?, KdfPolicy::InsecureTest)?.vault;
    let mut practice = Practice::load(vault)?;
    practice.set_clock(fixed_now);
    practice.import(file)?;
    // Every import batch was flushed; dropping closes the vault.
    Ok(())
}

/// Writes the plain twin of the vault in `vault_dir` into `floor_dir`: the same keys, each
/// record framed like the vault's and sealed directly, so every stored value has the vault's
/// length. Checks the totals against `Vault::stats()`; returns records and stored bytes.
fn write_twin(vault_dir: &Path, floor_dir: &Path) -> BenchResult<(usize, u64)> {
    let vault = Vault::open(vault_dir, &passphrase()?, KdfPolicy::InsecureTest)?;
    let stats = vault.stats()?;
    let db = open_floor_store(floor_dir, true)?;
    let tree = db.open_tree(STORE_TREE)?;
    let cipher = floor_cipher();
    let (mut batch, mut records, mut bytes) = (sled::Batch::default(), 0usize, 0u64);
    for record in vault.scan() {
        let record = record?;
        let plaintext = framed(&record.kind, record.schema, record.body_json());
        let value = seal_floor_value(&cipher, records as u64, record.id.as_bytes(), &plaintext)?;
        bytes += value.len() as u64;
        batch.insert(record.id.as_bytes(), value);
        records += 1;
        if records % FILL_BATCH == 0 {
            tree.apply_batch(std::mem::take(&mut batch))?;
        }
    }
    tree.apply_batch(batch)?;
    db.flush()?;
    vault.lock()?;
    if records != stats.records || bytes != stats.stored_bytes || !stats.damaged.is_empty() {
        return Err(format!(
            "the plain twin does not match the vault ({records} records, {bytes} bytes vs \
             {} records, {} bytes): has the record format changed? Update the mirrors in \
             benches/common",
            stats.records, stats.stored_bytes
        )
        .into());
    }
    Ok((records, bytes))
}

// ---- Figure 1: unlock excluding the KDF -----------------------------------------------------

/// `Vault::open` + `Practice::load` against sled open + iterate + raw AEAD open of the plain
/// twin, each run in a fresh child process.
fn figure_unlock(small: &Demo, large: &Demo) -> BenchResult<Figure> {
    let mut rows = Vec::new();
    let mut parts = Vec::new();
    for (demo, at_1x) in [(small, true), (large, false)] {
        progress(&format!("{}: unlocking", demo.label));
        let unlock = unlock_medians(demo)?;
        rows.extend(unlock_rows(demo, &unlock, at_1x));
        parts.push(format!(
            "{}: `Vault::open` {}, background index after `load` returned {}, `Vault::len()` {}",
            demo.label,
            fmt_duration(unlock.open),
            fmt_duration(unlock.index),
            fmt_duration(unlock.walk)
        ));
    }
    Ok(Figure {
        title: "Unlock excluding Argon2id: `Vault::open` + `Practice::load`".into(),
        rows,
        notes: unlock_notes(&parts),
    })
}

/// Medians of one scale's unlock runs.
struct Unlock {
    /// Until search is ready: everything the first screen and search need.
    ours: Duration,
    /// Until `Practice::load` returns: the first screen can show; the index is still building.
    first_screen: Duration,
    floor: Duration,
    /// `Vault::open` alone, within `ours`.
    open: Duration,
    /// From `load` returning to the background index being ready.
    index: Duration,
    /// `Vault::len()` alone (a walk of the store), in its own runs.
    walk: Duration,
}

fn unlock_medians(demo: &Demo) -> BenchResult<Unlock> {
    let (mut opens, mut indexes, mut first_screens) = (Vec::new(), Vec::new(), Vec::new());
    let mut ours = || -> BenchResult<Duration> {
        let report = demo.child(ROLE_UNLOCK)?;
        if report.value("damaged")? != 0 || report.value("records")? != demo.records as u64 {
            return Err("the unlocked practice is missing records".into());
        }
        opens.push(report.time("open_ns")?);
        indexes.push(report.time("index_ns")?);
        first_screens.push(report.time("first_screen_ns")?);
        report.time("elapsed_ns")
    };
    let mut floor = || -> BenchResult<Duration> {
        let report = demo.child(ROLE_FLOOR_READ)?;
        demo.check_read(&report)?;
        report.time("elapsed_ns")
    };
    let mut walk = || demo.child(ROLE_STORE_WALK)?.time("elapsed_ns");
    let medians = alternate(UNLOCK_RUNS, true, &mut [&mut ours, &mut floor, &mut walk])?;
    Ok(Unlock {
        ours: medians[0],
        floor: medians[1],
        first_screen: median(first_screens),
        open: median(opens),
        index: median(indexes),
        walk: medians[2],
    })
}

fn unlock_rows(demo: &Demo, unlock: &Unlock, at_1x: bool) -> Vec<Row> {
    let label = format!(
        "{}: {} records ({})",
        demo.label,
        fmt_count(demo.records),
        fmt_mb(demo.stored_bytes)
    );
    [
        (format!("first screen {label}"), unlock.first_screen),
        (format!("search ready {label}"), unlock.ours),
    ]
    .into_iter()
    .map(|(what, took)| {
        let row = Row::new(
            what,
            fmt_duration(took),
            fmt_duration(unlock.floor),
            Some(ratio(took, unlock.floor)),
        );
        if at_1x {
            row.target(
                format!("≤ {} ms", UNLOCK_1X_TARGET.as_millis()),
                took <= UNLOCK_1X_TARGET,
            )
        } else {
            let r = ratio(took, unlock.floor);
            row.target(
                format!("≤ {UNLOCK_10X_MAX_RATIO}x floor"),
                r <= UNLOCK_10X_MAX_RATIO,
            )
        }
    })
    .collect()
}

fn unlock_notes(parts: &[String]) -> Vec<String> {
    vec![
        "Ours: `Vault::open` (lock file, header, key unwrap under the insecure test KDF, header \
         MAC, sled open, stale-store sweep) then `Practice::load` — decrypting and decoding \
         every record into the in-memory state on every core. *First screen* is when `load` \
         returns (the home screen can show); the search index is then built on a background \
         thread, and *search ready* is when `Practice::wait_for_search` returns: all the first \
         screen and search need."
            .into(),
        "Floor: the plain twin — a sled store with the vault's settings (32 MiB cache, \
         high-throughput mode, one `records` tree) holding the same keys and values of the same \
         lengths (checked against `Vault::stats()`), sealed by the bench with the \
         `chacha20poly1305` crate; timed: sled open + iterate + raw XChaCha20-Poly1305 open of \
         each value in place (no framing, no JSON)."
            .into(),
        format!(
            "Each run is a fresh child process (this binary started again), which times only the \
             work above; process start-up and the passphrase are left out. Median of \
             {UNLOCK_RUNS} runs, ours, the floor and a store walk alternating, after one \
             untimed run each; the page cache is warm."
        ),
        format!(
            "Parts, for reading the figure (medians): {}. `Vault::open` is timed inside ours; \
             a second `SearchIndex::build` of the loaded state is timed in the same child after \
             the timed unlock; `Vault::len()` — one walk of the whole store, since sled keeps \
             no count — is timed in runs of its own. The floor runs on one core; ours may use \
             every core.",
            parts.join("; ")
        ),
        "Where *search ready* misses, why, and what would reach it: about half of it is building \
         the search index, which is why it now runs in the background after the first screen. \
         Keeping an encrypted snapshot of the index in the vault (a versioned format, rewritten \
         on lock) and loading it instead of rebuilding would make search ready within target \
         too; not done yet."
            .into(),
    ]
}

/// Child: `Vault::open` + `Practice::load` (the first screen can show), then until the
/// background search index is ready, timed from the same start.
fn child_unlock(dir: &Path) -> BenchResult<()> {
    let passphrase = passphrase()?;
    let started = Instant::now();
    let vault = Vault::open(dir, &passphrase, KdfPolicy::InsecureTest)?;
    let opened = started.elapsed();
    let practice = Practice::load(vault)?;
    let first_screen = started.elapsed();
    practice.wait_for_search();
    let search_ready = started.elapsed();
    let records = practice.vault().len();
    tell_parent_time("elapsed_ns", search_ready);
    tell_parent_time("first_screen_ns", first_screen);
    tell_parent_time("open_ns", opened);
    tell_parent_time("index_ns", search_ready.saturating_sub(first_screen));
    tell_parent("damaged", practice.damaged().len() as u64);
    tell_parent("records", records as u64);
    tell_parent("zeroing", u64::from(zeroing::is_zeroing()));
    Ok(())
}

/// What erasing adds to a lock: `Practice::lock` timed as is, and after one note was deleted
/// (so the vault first re-keys itself into a fresh store: `Vault::erase_deleted`), each on a
/// fresh copy of the demo vault.
fn figure_lock(small: &Demo, large: &Demo) -> BenchResult<Figure> {
    let mut rows = Vec::new();
    for demo in [small, large] {
        progress(&format!("{}: locking", demo.label));
        let scratch = tempfile::tempdir()?;
        let run = |role: &str| -> BenchResult<Duration> {
            let copy = scratch.path().join("vault");
            if copy.exists() {
                std::fs::remove_dir_all(&copy)?;
            }
            copy_tree(&demo.vault_dir, &copy)?;
            run_child(role, &[copy.as_os_str()])?.time("elapsed_ns")
        };
        let (mut plain, mut erasing) = (Vec::new(), Vec::new());
        for _ in 0..LOCK_RUNS {
            plain.push(run(ROLE_LOCK)?);
            erasing.push(run("lock-after-delete")?);
        }
        let (plain, erasing) = (median(plain), median(erasing));
        rows.push(Row::new(
            format!("lock, {}", demo.label),
            fmt_duration(plain),
            "—".into(),
            None,
        ));
        rows.push(Row::new(
            format!("lock after a deletion (erasing), {}", demo.label),
            fmt_duration(erasing),
            fmt_duration(plain),
            Some(erasing.as_secs_f64() / plain.as_secs_f64().max(1e-9)),
        ));
    }
    Ok(Figure {
        title: "Lock, and what erasing a deletion adds to it".into(),
        rows,
        notes: vec![format!(
            concat!(
                "Median of {LOCK_RUNS} runs per case, each in a fresh child process on a fresh ",
                "copy of the demo vault, opened and loaded untimed. Ours: `Practice::lock` after ",
                "one note was deleted — the vault re-keys itself into a fresh store of the ",
                "records that exist (`Vault::erase_deleted`, a rotation with the passphrase key ",
                "it holds), records the erasure and the lock, folds its history and writes the ",
                "header's mark. Floor: `Practice::lock` with nothing deleted. Deletions are rare ",
                "(a note removed, a member purged); a purge erases at once instead, with a ",
                "progress bar."
            ),
            LOCK_RUNS = LOCK_RUNS
        )],
    })
}

/// Child: `Practice::lock` of the vault in `dir` (opened and loaded untimed), after deleting
/// one note when `after_delete`.
fn child_lock(dir: &Path, after_delete: bool) -> BenchResult<()> {
    let vault = Vault::open(dir, &passphrase()?, KdfPolicy::InsecureTest)?;
    let mut practice = Practice::load(vault)?;
    practice.wait_for_search();
    if after_delete {
        let note = practice
            .state()
            .notes
            .keys()
            .next()
            .copied()
            .ok_or("the demo practice has no notes")?;
        practice.delete_note(note)?;
    }
    let started = Instant::now();
    practice.lock()?;
    tell_parent_time("elapsed_ns", started.elapsed());
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> BenchResult<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if entry.file_name() != "vault.lock" {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Child: sled open + iterate + raw AEAD open of every value of the plain twin, timed.
fn child_floor_read(dir: &Path) -> BenchResult<()> {
    let started = Instant::now();
    let db = open_floor_store(dir, false)?;
    let tree = db.open_tree(STORE_TREE)?;
    let cipher = floor_cipher();
    let mut scratch = Vec::new();
    let (mut records, mut bytes) = (0u64, 0u64);
    for entry in tree.iter() {
        let (key, value) = entry?;
        open_floor_value(&cipher, &key, &value, &mut scratch)?;
        black_box(&scratch);
        records += 1;
        bytes += value.len() as u64;
    }
    let elapsed = started.elapsed();
    tell_parent_time("elapsed_ns", elapsed);
    tell_parent("records", records);
    tell_parent("bytes", bytes);
    Ok(())
}

/// Child: opens the vault (untimed), then times `Vault::len()` alone.
fn child_store_walk(dir: &Path) -> BenchResult<()> {
    let vault = Vault::open(dir, &passphrase()?, KdfPolicy::InsecureTest)?;
    let started = Instant::now();
    black_box(vault.len());
    tell_parent_time("elapsed_ns", started.elapsed());
    Ok(())
}

// ---- Figure 2: search --------------------------------------------------------------------------

/// `Practice::search` over a varied query mix at 10x, against a linear case-insensitive
/// substring scan of every note's text.
fn figure_search(practice: &Practice) -> BenchResult<Figure> {
    let queries = search_queries(practice.state());
    progress(&format!("searching: {} queries", queries.len()));
    let lowered: Vec<String> = practice
        .state()
        .notes
        .values()
        .map(|n| n.text.to_lowercase())
        .collect();
    let times = SearchTimes::measure(practice, &queries, &lowered);
    Ok(Figure {
        title: "Search at 10x, per query".into(),
        rows: times.rows(queries.len()),
        notes: search_notes(&queries, &times, &lowered),
    })
}

/// Every sample of one contender, and the matches it found in the untimed round.
#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
    matches: u64,
}

impl Samples {
    /// Round 0 is untimed: it counts matches instead.
    fn record(&mut self, round: usize, elapsed: Duration, matches: impl FnOnce() -> u64) {
        if round == 0 {
            self.matches += matches();
        } else {
            self.times.push(elapsed);
        }
    }

    fn sorted(&self) -> Vec<Duration> {
        let mut times = self.times.clone();
        times.sort_unstable();
        times
    }

    fn at(&self, q: f64) -> Duration {
        percentile(&self.sorted(), q)
    }
}

struct SearchTimes {
    ours: Samples,
    floor: Samples,
    /// Records of every kind `Practice::search` matched, over the untimed round (`ours`
    /// counts its matched notes, comparable with the floor's).
    ours_all_kinds: u64,
}

impl SearchTimes {
    fn measure(practice: &Practice, queries: &[Query], lowered: &[String]) -> Self {
        let (mut ours, mut floor) = (Samples::default(), Samples::default());
        let mut ours_all_kinds = 0;
        for round in 0..=SEARCH_ROUNDS {
            for query in queries {
                let started = Instant::now();
                let result = black_box(practice.search(black_box(&query.text), SEARCH_LIMIT));
                ours.record(round, started.elapsed(), || result.notes.total as u64);
                if round == 0 {
                    ours_all_kinds += result.total() as u64;
                }
                let started = Instant::now();
                let found = black_box(floor_scan(lowered, black_box(&query.text)));
                floor.record(round, started.elapsed(), || found as u64);
            }
        }
        Self {
            ours,
            floor,
            ours_all_kinds,
        }
    }

    fn rows(&self, queries: usize) -> Vec<Row> {
        let samples = format!("{} queries × {SEARCH_ROUNDS} rounds", fmt_count(queries));
        let p95 = self.ours.at(0.95);
        vec![
            self.row(format!("p50 of {samples}"), 0.50),
            self.row(format!("p95 of {samples}"), 0.95).target(
                format!("≤ {} ms", SEARCH_P95_TARGET.as_millis()),
                p95 <= SEARCH_P95_TARGET,
            ),
        ]
    }

    fn row(&self, what: String, q: f64) -> Row {
        let (ours, floor) = (self.ours.at(q), self.floor.at(q));
        Row::new(
            what,
            fmt_duration(ours),
            fmt_duration(floor),
            Some(ratio(ours, floor)),
        )
    }
}

/// The floor: notes whose lower-cased text contains the lower-cased query.
fn floor_scan(lowered: &[String], query: &str) -> usize {
    let query = query.to_lowercase();
    lowered.iter().filter(|text| text.contains(&query)).count()
}

fn search_notes(queries: &[Query], times: &SearchTimes, lowered: &[String]) -> Vec<String> {
    let per_query = |matches: u64| matches as f64 / queries.len().max(1) as f64;
    let note_bytes: usize = lowered.iter().map(String::len).sum();
    let ours = format!(
        "Ours: `Practice::search(query, {SEARCH_LIMIT})` on the loaded 10x practice — members, \
         groups, sessions, notes and incidents, case and accents folded, every word required, \
         the last as a prefix; at most {SEARCH_LIMIT} hits of each kind. Per query on average it \
         matched {:.0} notes and {:.0} records of all kinds.",
        per_query(times.ours.matches),
        per_query(times.ours_all_kinds)
    );
    vec![
        ours,
        format!(
            "Floor: one linear case-insensitive substring scan over the text of all {} notes \
             ({}) per query — the query lower-cased, each note's text lower-cased once \
             beforehand (untimed), `str::contains`; no accent folding, notes only. {:.0} notes \
             matched per query on average.",
            fmt_count(lowered.len()),
            fmt_mb(note_bytes as u64),
            per_query(times.floor.matches)
        ),
        format!(
            "Queries ({} in all, deterministic from the practice, in mixed case): {}. Examples: \
             {}.",
            queries.len(),
            query_mix(queries),
            query_examples(queries)
        ),
        format!(
            "One untimed round, then {SEARCH_ROUNDS} timed rounds over every query, ours and \
             the floor alternating per query; percentiles (nearest rank) over all timed samples \
             of each. Reference on the build machine (`docs/performance.md`): a linear scan of \
             165 MB of notes is ~50 ms or more."
        ),
    ]
}

// ---- The search query mix ----------------------------------------------------------------------

/// What a query is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum QueryKind {
    FullName,
    NamePart,
    Accented,
    AccentsDropped,
    NoteWord,
    NotePhrase,
    Prefix,
}

/// How many queries of each kind, and how the report names them.
const QUERY_KINDS: &[(QueryKind, usize, &str)] = &[
    (QueryKind::FullName, 40, "full member names"),
    (QueryKind::NamePart, 40, "one word of a name"),
    (QueryKind::Accented, 25, "accented name words as written"),
    (
        QueryKind::AccentsDropped,
        25,
        "the same kind of words typed without accents",
    ),
    (QueryKind::NoteWord, 50, "words from notes"),
    (QueryKind::NotePhrase, 30, "two-word phrases from notes"),
    (
        QueryKind::Prefix,
        40,
        "3–4 letter prefixes of names and note words, as typed",
    ),
];

struct Query {
    kind: QueryKind,
    text: String,
}

/// Words and phrases to draw queries from.
struct Vocabulary {
    names: Vec<String>,
    name_words: Vec<String>,
    accented: Vec<String>,
    note_words: Vec<String>,
    note_phrases: Vec<String>,
    /// Name words and note words together.
    all_words: Vec<String>,
}

impl Vocabulary {
    fn of(state: &State) -> Self {
        let names: Vec<String> = state
            .members
            .values()
            .map(|m| m.legal_name.clone())
            .collect();
        let name_words = unique_words(names.iter().map(String::as_str), 2);
        let accented = name_words
            .iter()
            .filter(|w| without_accents(w) != **w)
            .cloned()
            .collect();
        let texts: Vec<&str> = state.notes.values().map(|n| n.text.as_str()).collect();
        let note_words = unique_words(texts.iter().copied(), 4);
        let note_phrases = phrases(&texts);
        let all_words = [name_words.as_slice(), note_words.as_slice()].concat();
        Self {
            names,
            name_words,
            accented,
            note_words,
            note_phrases,
            all_words,
        }
    }

    /// The words and phrases a query of `kind` is drawn from.
    fn source(&self, kind: QueryKind) -> &[String] {
        match kind {
            QueryKind::FullName => &self.names,
            QueryKind::NamePart => &self.name_words,
            QueryKind::Accented | QueryKind::AccentsDropped => &self.accented,
            QueryKind::NoteWord => &self.note_words,
            QueryKind::NotePhrase => &self.note_phrases,
            QueryKind::Prefix => &self.all_words,
        }
    }
}

/// Distinct alphabetic words of at least `min_chars` characters, sorted.
fn unique_words<'a>(texts: impl Iterator<Item = &'a str>, min_chars: usize) -> Vec<String> {
    let mut words = BTreeSet::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic() && c != '\'') {
            let word = word.trim_matches('\'');
            if word.chars().count() >= min_chars {
                words.insert(word.to_string());
            }
        }
    }
    words.into_iter().collect()
}

/// Distinct pairs of adjacent words (each of 3+ letters) from every 50th note.
fn phrases(texts: &[&str]) -> Vec<String> {
    let mut pairs = BTreeSet::new();
    for text in texts.iter().step_by(50) {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 3)
            .collect();
        for pair in words.windows(2) {
            pairs.insert(format!("{} {}", pair[0], pair[1]));
        }
    }
    pairs.into_iter().collect()
}

/// The query mix for a practice: the same practice always gives the same queries.
fn search_queries(state: &State) -> Vec<Query> {
    let vocabulary = Vocabulary::of(state);
    let mut rng = SplitMix64(DEMO_SEED ^ 0x5EA4_C4ED);
    let mut queries = Vec::new();
    for &(kind, count, _) in QUERY_KINDS {
        let source = vocabulary.source(kind);
        if source.is_empty() {
            continue;
        }
        for _ in 0..count {
            let picked = &source[rng.below(source.len())];
            let text = shape_query(kind, picked, &mut rng);
            queries.push(Query { kind, text });
        }
    }
    queries
}

/// Turns a picked word, name or phrase into what someone would type.
fn shape_query(kind: QueryKind, picked: &str, rng: &mut SplitMix64) -> String {
    let text = match kind {
        QueryKind::AccentsDropped => without_accents(picked),
        QueryKind::Prefix => picked.chars().take(3 + rng.below(2)).collect(),
        _ => picked.to_string(),
    };
    match rng.below(4) {
        0 => text.to_lowercase(),
        1 => text.to_uppercase(),
        _ => text,
    }
}

/// `text` with its combining accents removed ("Siobhán" → "Siobhan").
fn without_accents(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

fn query_mix(queries: &[Query]) -> String {
    QUERY_KINDS
        .iter()
        .map(|(kind, _, name)| {
            let n = queries.iter().filter(|q| q.kind == *kind).count();
            format!("{n} {name}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn query_examples(queries: &[Query]) -> String {
    QUERY_KINDS
        .iter()
        .filter_map(|(kind, _, _)| queries.iter().find(|q| q.kind == *kind))
        .map(|q| format!("\"{}\"", q.text))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---- Figure 3: roster and member overview ------------------------------------------------------

/// Samples of the screens' queries at one scale.
struct QueryTimes {
    groups: usize,
    members: usize,
    administrations: usize,
    roster: Samples,
    roster_floor: Samples,
    overview: Samples,
    overview_floor: Samples,
    questionnaires: Samples,
    questionnaires_floor: Samples,
    group_measures: Samples,
    group_measures_floor: Samples,
}

impl QueryTimes {
    fn measure(practice: &Practice) -> BenchResult<Self> {
        let state = practice.state();
        let groups: Vec<GroupId> = state.groups.keys().copied().collect();
        let members = sampled_members(state);
        let (roster, roster_floor) = time_each(
            &groups,
            |g| Ok(practice.roster(*g)?.len()),
            |g| roster_floor(state, *g),
        )?;
        let (overview, overview_floor) = time_each(
            &members,
            |m| Ok(practice.member_overview(*m)?.groups.len()),
            |m| overview_floor(state, *m),
        )?;
        let (questionnaires, questionnaires_floor) = time_each(
            &members,
            |m| Ok(practice.administrations_of(*m).len()),
            |m| {
                state
                    .administrations
                    .values()
                    .filter(|a| a.member == *m)
                    .count()
            },
        )?;
        let (group_measures, group_measures_floor) = time_each(
            &groups,
            |g| Ok(practice.group_measures(*g).len()),
            |g| {
                state
                    .administrations
                    .values()
                    .filter(|a| a.group == Some(*g))
                    .count()
            },
        )?;
        Ok(Self {
            groups: groups.len(),
            members: members.len(),
            administrations: state.administrations.len(),
            roster,
            roster_floor,
            overview,
            overview_floor,
            questionnaires,
            questionnaires_floor,
            group_measures,
            group_measures_floor,
        })
    }
}

/// Up to [`OVERVIEW_MEMBERS`] members, every n-th by id.
fn sampled_members(state: &State) -> Vec<MemberId> {
    let step = state.members.len().div_ceil(OVERVIEW_MEMBERS).max(1);
    state.members.keys().step_by(step).copied().collect()
}

/// One untimed round, then [`QUERY_ROUNDS`] timed rounds over `items`, ours and the floor
/// alternating per item.
fn time_each<T>(
    items: &[T],
    ours: impl Fn(&T) -> BenchResult<usize>,
    floor: impl Fn(&T) -> usize,
) -> BenchResult<(Samples, Samples)> {
    let (mut ours_samples, mut floor_samples) = (Samples::default(), Samples::default());
    for round in 0..=QUERY_ROUNDS {
        for item in items {
            let started = Instant::now();
            let found = black_box(ours(black_box(item))?);
            ours_samples.record(round, started.elapsed(), || found as u64);
            let started = Instant::now();
            let found = black_box(floor(black_box(item)));
            floor_samples.record(round, started.elapsed(), || found as u64);
        }
    }
    Ok((ours_samples, floor_samples))
}

/// The roster floor: one pass over the memberships map, counting the group's.
fn roster_floor(state: &State, group: GroupId) -> usize {
    state
        .memberships
        .values()
        .filter(|m| m.group == group)
        .count()
}

/// The member-overview floor: one pass over the notes map, counting the member's.
fn overview_floor(state: &State, member: MemberId) -> usize {
    state.notes.values().filter(|n| n.member == member).count()
}

fn figure_queries(scales: &[(&Demo, QueryTimes)]) -> Figure {
    let mut rows = Vec::new();
    for (demo, times) in scales {
        let roster = format!("roster, {} ({} groups)", demo.label, times.groups);
        let overview = format!(
            "member overview, {} ({} members)",
            demo.label, times.members
        );
        rows.extend(mean_and_p95(&roster, &times.roster, &times.roster_floor));
        rows.extend(mean_and_p95(
            &overview,
            &times.overview,
            &times.overview_floor,
        ));
        let questionnaires = format!(
            "member questionnaires, {} ({} members, {} answered in the practice)",
            demo.label, times.members, times.administrations
        );
        rows.extend(mean_and_p95(
            &questionnaires,
            &times.questionnaires,
            &times.questionnaires_floor,
        ));
        let group_measures = format!(
            "group questionnaires, {} ({} groups)",
            demo.label, times.groups
        );
        rows.extend(mean_and_p95(
            &group_measures,
            &times.group_measures,
            &times.group_measures_floor,
        ));
    }
    Figure {
        title: "Roster, member overview and questionnaires, per query".into(),
        rows,
        notes: vec![
            "Ours: `Practice::roster(group)` for every group, and `Practice::member_overview` \
             for every member or, at 10x, an evenly spaced sample of them by id — both computed \
             from the decoded state in memory, as the screens ask for them."
                .into(),
            "Floors: one pass over the memberships map counting the group's (roster), and one \
             pass over the notes map counting the member's (member overview) — the least a \
             query that scans the state instead of an index can do."
                .into(),
            "Questionnaires: `Practice::administrations_of(member)` (every answered \
             questionnaire of the member, scored: the member page's charts and tables) and \
             `Practice::group_measures(group)` (each measure's answers for the group gathered \
             by day, with the median and the count per band: the group page's tab). Floors: one \
             pass over the answered questionnaires counting the member's, or the group's, \
             without scoring them. The demo gives every member the PHQ-9 and the GAD-7 every \
             fourth session they attend."
                .into(),
            format!(
                "One untimed round, then {QUERY_ROUNDS} timed rounds, ours and the floor \
                 alternating per group or member; mean and p95 (nearest rank) over all timed \
                 samples. `docs/performance.md` sets no target for these: they are here to show \
                 how the screens' queries grow with the practice."
            ),
        ],
    }
}

fn mean_and_p95(what: &str, ours: &Samples, floor: &Samples) -> [Row; 2] {
    let row = |label: &str, o: Duration, f: Duration| {
        Row::new(
            format!("{what}: {label}"),
            fmt_duration(o),
            fmt_duration(f),
            Some(ratio(o, f)),
        )
    };
    [
        row("mean", mean(&ours.times), mean(&floor.times)),
        row("p95", ours.at(0.95), floor.at(0.95)),
    ]
}

// ---- Figure 4: memory the unlocked practice adds ---------------------------------------------

/// Resident memory of this process, in KiB.
#[derive(Clone, Copy)]
struct Resident {
    pss_kib: u64,
    rss_kib: u64,
}

impl Resident {
    /// From `/proc/self/smaps_rollup` (Linux 4.14 and later).
    fn now() -> BenchResult<Self> {
        let rollup = fs::read_to_string("/proc/self/smaps_rollup")?;
        let field = |name: &str| -> BenchResult<u64> {
            rollup
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("no {name} in /proc/self/smaps_rollup").into())
        };
        Ok(Self {
            pss_kib: field("Pss:")?,
            rss_kib: field("Rss:")?,
        })
    }
}

/// Child: PSS and RSS after `Vault::open`, then after `Practice::load`.
fn child_memory(dir: &Path) -> BenchResult<()> {
    let vault = Vault::open(dir, &passphrase()?, KdfPolicy::InsecureTest)?;
    let before = Resident::now()?;
    let practice = Practice::load(vault)?;
    practice.wait_for_search();
    let untrimmed = Resident::now()?;
    return_freed_memory();
    let after = Resident::now()?;
    black_box(&practice);
    let index_bytes = SearchIndex::build(practice.state()).heap_bytes();
    tell_parent("index_bytes", index_bytes as u64);
    tell_parent("pss_before_kib", before.pss_kib);
    tell_parent("pss_after_kib", after.pss_kib);
    tell_parent("rss_before_kib", before.rss_kib);
    tell_parent("rss_after_kib", after.rss_kib);
    tell_parent("pss_untrimmed_kib", untrimmed.pss_kib);
    Ok(())
}

/// What the app does right after every unlock and every ten seconds after
/// (`holdspace_app::memory::release_free_memory`): glibc returns the freed pages of every
/// arena to the system.
fn return_freed_memory() {
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim takes a plain integer and only reorganises the allocator's own free
    // lists; it takes each arena's lock and never touches live allocations.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Medians of one scale's memory readings, in bytes.
struct Added {
    pss_before: u64,
    /// The search index's own estimate of its heap (`SearchIndex::heap_bytes`).
    index: u64,
    pss: u64,
    rss: u64,
    /// PSS added before the allocator returned its freed pages.
    untrimmed: u64,
}

fn memory_medians(demo: &Demo) -> BenchResult<Added> {
    let (mut before, mut pss, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    let (mut index, mut untrimmed) = (Vec::new(), Vec::new());
    for _ in 0..MEMORY_RUNS {
        let report = demo.child(ROLE_MEMORY)?;
        let kib = |key: &str| report.value(key);
        before.push(kib("pss_before_kib")? * 1024);
        index.push(report.value("index_bytes")?);
        pss.push(kib("pss_after_kib")?.saturating_sub(kib("pss_before_kib")?) * 1024);
        rss.push(kib("rss_after_kib")?.saturating_sub(kib("rss_before_kib")?) * 1024);
        untrimmed.push(kib("pss_untrimmed_kib")?.saturating_sub(kib("pss_before_kib")?) * 1024);
    }
    Ok(Added {
        pss_before: median(before),
        index: median(index),
        pss: median(pss),
        rss: median(rss),
        untrimmed: median(untrimmed),
    })
}

/// PSS added by `Practice::load` over an open vault, against the practice's compact JSON size.
fn figure_memory(small: &Demo, large: &Demo) -> BenchResult<Figure> {
    let mut rows = Vec::new();
    let mut baselines = Vec::new();
    for (demo, target) in [(small, MEMORY_1X_TARGET), (large, MEMORY_10X_TARGET)] {
        progress(&format!("{}: measuring memory", demo.label));
        let added = memory_medians(demo)?;
        rows.push(
            Row::new(
                format!("PSS added by `Practice::load`, {}", demo.label),
                format!(
                    "{} (RSS +{}; before the trim {})",
                    fmt_mb(added.pss),
                    fmt_mb(added.rss),
                    fmt_mb(added.untrimmed)
                ),
                format!("{} of JSON", fmt_mb(demo.json_bytes)),
                Some(added.pss as f64 / demo.json_bytes as f64),
            )
            .target(format!("≤ {}", fmt_mb(target)), added.pss <= target),
        );
        baselines.push(format!(
            "{}: baseline {}, search index {}",
            demo.label,
            fmt_mb(added.pss_before),
            fmt_mb(added.index)
        ));
    }
    Ok(Figure {
        title: "Memory the unlocked practice adds".into(),
        rows,
        notes: memory_notes(&baselines),
    })
}

fn memory_notes(baselines: &[String]) -> Vec<String> {
    vec![
        "MB = 10^6 bytes. Ours: proportional set size (PSS, from `/proc/self/smaps_rollup`) of a \
         fresh child process after `Practice::load` and its search index, minus the same after \
         `Vault::open` — the decoded state, what `load` keeps besides it, the sled page cache \
         its reading filled (up to the store's 32 MiB), and whatever the allocator kept of the \
         temporaries. RSS beside it; the process is alone, so the two agree but for shared \
         library pages."
            .into(),
        "Read after the trim the app makes right after every unlock and every ten seconds \
         after (`malloc_trim(0)`: glibc returns the freed pages of every arena to the system; \
         `src-tauri/src/memory.rs`), since that is what the app holds; the same reading just \
         before the trim is beside it, as \"before the trim\" — the decrypted bodies and \
         parse buffers of the load, freed but still resident until then."
            .into(),
        format!(
            "Baseline PSS after `Vault::open` (the bench binary and an open vault), and the \
             search index's own estimate of its heap (`SearchIndex::heap_bytes` of a second \
             index built afterwards), which is part of ours: {}. Median of {MEMORY_RUNS} child \
             processes per scale.",
            baselines.join("; ")
        ),
        "Floor (a reference, not a bound): the practice's plain data, serialised as compact \
         JSON (`serde_json::to_vec` of the `PracticeJson`); the ratio is PSS added ÷ JSON \
         bytes."
            .into(),
        "The targets (`docs/performance.md`) are for memory on top of the locked app: an empty \
         Tauri app has PSS 88 MB on the build machine, which this figure leaves out."
            .into(),
        "What the trim leaves: the decoded records (~175 MB at 10x), the index (~27 MB), and \
         what sled keeps — sled 0.34 keeps most of what a full iteration reads resident \
         whatever its cache capacity (walking the 10x store alone leaves 150–210 MB of RSS \
         with a 1, 4 or 32 MiB cache, and dropping the database does not return it). The \
         app's own figure (app bench, figure 2) is higher and misses: there every allocator \
         wipes what it frees, which makes reserved capacity resident too \
         (`docs/performance.md`). A leaner in-memory state — e.g. note texts kept encrypted \
         in memory and decrypted on display, with only the search index resident — is what \
         would lower both."
            .into(),
    ]
}

// ---- Figure 6: the zeroing allocator ------------------------------------------------------

/// Unlock (first screen, search ready) at 1x and 10x, and durable saves at 1x, each in child
/// processes with the system allocator and with the app's zeroing one, alternating.
fn figure_zeroing(small: &Demo, large: &Demo) -> BenchResult<Figure> {
    let mut rows = Vec::new();
    for demo in [small, large] {
        progress(&format!("{}: unlocking with each allocator", demo.label));
        let (mut first, mut ready) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
        for run in 0..ZEROING_UNLOCK_RUNS * 2 {
            // Alternate, and alternate who goes first in each pair.
            let zeroing = (run % 2 == 0) == (run / 2 % 2 == 0);
            let report = run_child_with(ROLE_UNLOCK, &[demo.vault_dir.as_os_str()], zeroing)?;
            check_allocator(&report, zeroing)?;
            let who = usize::from(zeroing);
            first[who].push(report.time("first_screen_ns")?);
            ready[who].push(report.time("elapsed_ns")?);
        }
        let label = format!("{} ({} records)", demo.label, fmt_count(demo.records));
        for (what, times) in [("first screen", first), ("search ready", ready)] {
            let [system, zeroed] = times.map(median);
            rows.push(Row::new(
                format!("unlock, {what}, {label}: median"),
                fmt_duration(zeroed),
                fmt_duration(system),
                Some(ratio(zeroed, system)),
            ));
        }
    }
    rows.extend(zeroing_save_rows(small)?);
    Ok(Figure {
        title: "What wiping freed memory costs: the zeroing allocator".into(),
        rows,
        notes: vec![
            "Ours: the desktop app's allocator — every block the Rust code frees is zeroed first \
             (`zalloc`, as in the CLI), glibc overwrites what it frees (`M_PERTURB`) and runs \
             with no per-thread cache of freed blocks and no cache of ended threads' stacks \
             (`GLIBC_TUNABLES`), as the app's `main` sets up. Floor: the system allocator alone, \
             glibc as it comes. Same binary, same work, chosen per child process; the two \
             alternate, who goes first alternating too."
                .into(),
            format!(
                "Unlock: `Vault::open` + `Practice::load` (first screen) + the background search \
                 index (search ready), as in figure 1; median of {ZEROING_UNLOCK_RUNS} child \
                 processes per allocator."
            ),
            format!(
                "Saves: `Vault::put` of a new ~1 KiB record, flushed, into a fresh copy of the 1x \
                 vault, {ZEROING_SAVES} timed saves per child after 20 untimed; the median over \
                 {ZEROING_SAVE_RUNS} children per allocator of each child's percentile."
            ),
        ],
    })
}

/// Fails unless the child ran with the allocator it was asked for.
fn check_allocator(report: &ChildReport, zeroing: bool) -> BenchResult<()> {
    if report.value("zeroing")? == u64::from(zeroing) {
        Ok(())
    } else {
        Err("a child process did not run with the allocator it was given".into())
    }
}

/// Figure 6's save rows: p50 and p99 with each allocator.
fn zeroing_save_rows(demo: &Demo) -> BenchResult<Vec<Row>> {
    progress(&format!("{}: saving with each allocator", demo.label));
    let scratch = tempfile::tempdir()?;
    let (mut p50, mut p99) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for run in 0..ZEROING_SAVE_RUNS * 2 {
        let zeroing = (run % 2 == 0) == (run / 2 % 2 == 0);
        let copy = scratch.path().join("vault");
        if copy.exists() {
            fs::remove_dir_all(&copy)?;
        }
        copy_tree(&demo.vault_dir, &copy)?;
        let report = run_child_with(ROLE_SAVES, &[copy.as_os_str()], zeroing)?;
        check_allocator(&report, zeroing)?;
        let who = usize::from(zeroing);
        p50[who].push(report.time("p50_ns")?);
        p99[who].push(report.time("p99_ns")?);
    }
    let rows = [("p50", p50), ("p99", p99)].map(|(what, times)| {
        let [system, zeroed] = times.map(median);
        Row::new(
            format!("durable save, {what}, {}", demo.label),
            fmt_duration(zeroed),
            fmt_duration(system),
            Some(ratio(zeroed, system)),
        )
    });
    Ok(rows.into())
}

/// In a child: durable saves of new ~1 KiB records into the vault in `dir`; reports the p50
/// and p99 (nanoseconds) of the timed ones.
fn child_saves(dir: &Path) -> BenchResult<()> {
    let passphrase = passphrase()?;
    let vault = Vault::open(dir, &passphrase, KdfPolicy::InsecureTest)?;
    let body: String = "Ελένη spoke about her week; the group listened. "
        .chars()
        .cycle()
        .take(1000)
        .collect();
    let mut times = Vec::with_capacity(ZEROING_SAVES);
    for n in 0..20 + ZEROING_SAVES {
        let id = holdspace::RecordId::random();
        let record = serde_json::json!({"n": n, "text": body});
        let started = Instant::now();
        vault.put(id, "bench_note", 1, &record)?;
        if n >= 20 {
            times.push(started.elapsed());
        }
    }
    vault.lock()?;
    times.sort_unstable();
    tell_parent_time("p50_ns", percentile(&times, 0.50));
    tell_parent_time("p99_ns", percentile(&times, 0.99));
    tell_parent("zeroing", u64::from(zeroing::is_zeroing()));
    Ok(())
}
