//! The backup benchmarks (issue 6): making a backup, opening and checking one, restoring one
//! into a new vault — each beside its floor — and a backup's size against the practice's
//! JSON, at demo scales 1 and 10, written as the `backup` section of `BENCHMARKS.md`.
//!
//! Owns: this custom harness (`harness = false`, run by `cargo bench --bench backup` and
//! `make bench` after the practice bench), its datasets (the demo practice imported into a
//! vault under the insecure test KDF, with the backup key stored) and the backup floors. The
//! report's format and the machine description live in `benches/common`. Progress goes to
//! stderr.
//!
//! Must not: pass or fail anything (`docs/performance.md` sets no target for backups; every row
//! is for reading); touch any folder but its own temporary ones; rewrite any section but its own.

mod common;

// This bench builds its vaults with the insecure test KDF, which release builds leave out
// unless asked for; say so instead of failing on a missing name.
#[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
compile_error!("this benchmark needs `--features insecure-test-kdf` (make bench passes it)");

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::backup::{self, BackupIdentity, Opener, Protection};
use holdspace::practice::demo::demo_practice;
use holdspace::practice::{Practice, PracticeJson};
use holdspace::{KdfPolicy, Passphrase, RecoveryCode, Vault};
use tempfile::TempDir;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use common::*;

/// Demo practice scales (docs/performance.md: 1x = 300 members, 1,500 sessions, 15,000 notes).
const SCALES: [(f64, &str); 2] = [(1.0, "1x"), (10.0, "10x")];
const DEMO_SEED: u64 = 2026;
const TODAY: Date = date!(2026 - 11 - 26);
/// Timed runs per contender (the median is reported), after one untimed run each.
const RUNS: usize = 3;
const PASSPHRASE: &str = "bench passphrase for backups";

fn fixed_now() -> OffsetDateTime {
    datetime!(2026-11-26 12:00 UTC)
}

fn passphrase() -> BenchResult<Passphrase> {
    Ok(Passphrase::new(PASSPHRASE)?)
}

fn main() {
    bench_main(run, |role, _| Err(format!("no child role {role}").into()));
}

fn run() -> BenchResult<()> {
    let scale = bench_scale()?;
    progress(&format!(
        "backup: scale {scale}; writing {}",
        report_path().display()
    ));
    if cfg!(debug_assertions) {
        progress("WARNING: debug build — run through `cargo bench` for meaningful figures");
    }
    let mut figures = vec![
        Figure {
            title: "Making a backup".into(),
            rows: Vec::new(),
            notes: making_notes(),
        },
        Figure {
            title: "Opening and restoring a backup".into(),
            rows: Vec::new(),
            notes: restoring_notes(),
        },
        Figure {
            title: "Backup size".into(),
            rows: Vec::new(),
            notes: size_notes(),
        },
    ];
    let mut run = describe_run();
    run.push(("Scale (`HOLDSPACE_BENCH_SCALE`)", scale.to_string()));
    for (factor, label) in SCALES {
        let mut demo = Demo::build(factor * scale, label)?;
        run.push((label_of(label), demo.describe()));
        measure(&mut demo, &mut figures)?;
    }
    let figures = figures.into_iter().map(announce).collect();
    let section = Section {
        key: "backup",
        title: "Backups",
        intro: format!(
            "Written by `cargo bench --bench backup` (`benches/backup.rs`): backups of the demo \
             practice (`demo_practice(scale, {DEMO_SEED}, {TODAY})`) at scales 1 and 10, from \
             vaults created with `KdfPolicy::InsecureTest`. A backup to the backup key — what \
             the app makes on lock — needs no key derivation; a passphrase backup adds age's \
             scrypt (about a second, shown apart), and a restore adds the new vault's Argon2id \
             (the vault section's figure 2), which the restore figures leave out."
        ),
        scale,
        run,
        figures,
    };
    publish(&section)
}

fn label_of(label: &str) -> &'static str {
    if label == "1x" {
        "Demo practice 1x"
    } else {
        "Demo practice 10x"
    }
}

/// A vault holding the demo practice, with its backup key and a backup folder.
struct Demo {
    tmp: TempDir,
    label: &'static str,
    scale: f64,
    practice: Practice,
    code: RecoveryCode,
    /// The practice as compact JSON (`serde_json::to_vec` of the `PracticeJson`).
    json_bytes: u64,
    contents: String,
}

impl Demo {
    fn build(scale: f64, label: &'static str) -> BenchResult<Self> {
        progress(&format!(
            "{label}: generating and importing the demo practice"
        ));
        let file = demo_practice(scale, DEMO_SEED, TODAY);
        let json_bytes = serde_json::to_vec(&file)?.len() as u64;
        let contents = format!(
            "{} members, {} groups, {} sessions, {} notes",
            fmt_count(file.members.len()),
            fmt_count(file.groups.len()),
            fmt_count(file.sessions.len()),
            fmt_count(file.notes.len())
        );
        let tmp = tempfile::Builder::new()
            .prefix("holdspace-bench-")
            .tempdir()?;
        let created = Vault::create(
            &tmp.path().join("vault"),
            &passphrase()?,
            KdfPolicy::InsecureTest,
        )?;
        let mut practice = Practice::load(created.vault)?;
        practice.set_clock(fixed_now);
        backup::store_backup_key(&mut practice, &created.recovery_code)?;
        practice.import(file)?;
        let backups = tmp.path().join("backups");
        std::fs::create_dir(&backups)?;
        let preferences = FolderPreferences {
            folder: Some(backups),
            on_lock: true,
            keep_recent: 100,
            keep_monthly: 0,
        };
        folder::save_preferences(&mut practice, &preferences)?;
        Ok(Self {
            tmp,
            label,
            scale,
            practice,
            code: created.recovery_code,
            json_bytes,
            contents,
        })
    }

    fn describe(&self) -> String {
        format!(
            "scale {}: {}; {} as compact JSON",
            self.scale,
            self.contents,
            fmt_mb(self.json_bytes)
        )
    }
}

fn measure(demo: &mut Demo, figures: &mut [Figure]) -> BenchResult<()> {
    let label = demo.label;
    progress(&format!("{label}: making backups"));
    let mut last_file = PathBuf::new();
    let mut backup_bytes = 0;
    let practice = RefCell::new(&mut demo.practice);
    let mut to_key = || -> BenchResult<Duration> {
        let mut made = None;
        let time = timed(|| {
            made = Some(folder::back_up_to_folder(&mut practice.borrow_mut())?);
            Ok(())
        })?;
        if let Some(made) = made {
            backup_bytes = made.made.bytes;
            last_file = made.path;
        }
        Ok(time)
    };
    let mut json_floor = || {
        timed(|| {
            let file = PracticeJson::from_state(practice.borrow().state(), fixed_now());
            std::hint::black_box(file.to_json());
            Ok(())
        })
    };
    let times = alternate(RUNS, true, &mut [&mut to_key, &mut json_floor])?;
    let (ours, floor) = (times[0], times[1]);
    figures[0].rows.push(Row::new(
        format!("backup to the backup key, {label}"),
        fmt_duration(ours),
        fmt_duration(floor),
        Some(ratio(ours, floor)),
    ));

    let scrypt_file = demo.tmp.path().join(format!("passphrase-{label}.age"));
    let backup_pass = passphrase()?;
    let with_scrypt = timed(|| {
        backup::write_backup(
            &mut practice.borrow_mut(),
            &scrypt_file,
            Protection::Passphrase(&backup_pass),
            KdfPolicy::Calibrated,
        )?;
        Ok(())
    })?;
    figures[0].rows.push(Row::new(
        format!("backup with a passphrase (age scrypt, real work factor), {label}, one run"),
        fmt_duration(with_scrypt),
        fmt_duration(floor),
        Some(ratio(with_scrypt, floor)),
    ));

    progress(&format!("{label}: opening and restoring"));
    let identity = BackupIdentity::from_recovery_code(&demo.code);
    let mut open = || {
        timed(|| {
            let bytes = backup::file::read(&last_file)?;
            std::hint::black_box(backup::open_backup(
                &bytes,
                Opener::BackupKey(&identity),
                TODAY,
            )?);
            Ok(())
        })
    };
    let file = PracticeJson::from_state(practice.borrow().state(), fixed_now());
    let compact_bytes = serde_json::to_vec(&file)?.len() as u64;
    let json = file.to_json();
    drop(file);
    let mut parse_floor = || {
        timed(|| {
            let file: PracticeJson = serde_json::from_slice(&json)?;
            std::hint::black_box(file);
            Ok(())
        })
    };
    let times = alternate(RUNS, true, &mut [&mut open, &mut parse_floor])?;
    figures[1].rows.push(Row::new(
        format!("open and check (read, decrypt, checksum, parse, validate), {label}"),
        fmt_duration(times[0]),
        fmt_duration(times[1]),
        Some(ratio(times[0], times[1])),
    ));

    let target = Cell::new(0u32);
    let scratch = demo.tmp.path().to_path_buf();
    let mut restore = || -> BenchResult<Duration> {
        target.set(target.get() + 1);
        let bytes = backup::file::read(&last_file)?;
        let content = backup::open_backup(&bytes, Opener::BackupKey(&identity), TODAY)?;
        let into = scratch.join(format!("restored-{}", target.get()));
        let time = timed(|| {
            let restored = backup::restore_content(
                content,
                &into,
                &passphrase()?,
                KdfPolicy::InsecureTest,
                None,
                backup::Trust::VouchedForOnly,
                |_| {},
            )?;
            drop(restored);
            Ok(())
        })?;
        remove_vault(&into);
        Ok(time)
    };
    let mut import_floor = || -> BenchResult<Duration> {
        target.set(target.get() + 1);
        let file: PracticeJson = serde_json::from_slice(&json)?;
        let into = scratch.join(format!("imported-{}", target.get()));
        let time = timed(|| {
            let created = Vault::create(&into, &passphrase()?, KdfPolicy::InsecureTest)?;
            let mut practice = Practice::load(created.vault)?;
            practice.import(file)?;
            Ok(())
        })?;
        remove_vault(&into);
        Ok(time)
    };
    let times = alternate(RUNS, true, &mut [&mut restore, &mut import_floor])?;
    figures[1].rows.push(Row::new(
        format!("restore the checked backup into a new vault, {label}"),
        fmt_duration(times[0]),
        fmt_duration(times[1]),
        Some(ratio(times[0], times[1])),
    ));

    let json_bytes = json.len() as u64;
    let scrypt_bytes = std::fs::metadata(&scrypt_file)?.len();
    for (what, bytes) in [
        ("backup to the backup key", backup_bytes),
        ("passphrase backup", scrypt_bytes),
    ] {
        figures[2].rows.push(Row::new(
            format!("{what}, {label}"),
            fmt_mb(bytes),
            format!("{} exported JSON", fmt_mb(json_bytes)),
            Some(bytes as f64 / json_bytes as f64),
        ));
    }
    figures[2].rows.push(Row::new(
        format!("backup to the backup key against compact JSON, {label}"),
        fmt_mb(backup_bytes),
        format!("{} compact JSON", fmt_mb(compact_bytes)),
        Some(backup_bytes as f64 / compact_bytes as f64),
    ));
    Ok(())
}

/// Removes a vault the bench made (best effort: sled may hold its lock for a moment).
fn remove_vault(dir: &Path) {
    for _ in 0..50 {
        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn making_notes() -> Vec<String> {
    vec![
        "Ours: `backup::folder::back_up_to_folder` — what the app does on lock and for \"Back up now\": the practice serialised as the documented JSON with its manifest and SHA-256, encrypted with the `age` crate to the X25519 backup key, written to a temporary file, fsynced, linked into place, recorded in the vault (one audited batch) and the retention rule applied.".into(),
        "Floor: serialising the same practice in memory as the export JSON the backup holds (`PracticeJson::from_state` + `to_json`, as `holdspace-cli export` writes it) — the least any backup of it must do; no encryption, no disk.".into(),
        format!("One untimed run each, then {RUNS} runs, ours and the floor alternating; medians. The passphrase backup (`write_backup` with age's scrypt at its own default work factor, as a practitioner's \"backup with a passphrase\" uses) is one run, beside the same floor."),
    ]
}

fn restoring_notes() -> Vec<String> {
    vec![
        "Open and check: `backup::file::read` + `backup::open_backup` — age decryption with the identity derived from the recovery code, the manifest's format and version, the SHA-256 of the practice bytes, parsing and validating the practice as an import does, and the counts. Floor: parsing the same practice JSON from memory (`serde_json::from_slice`), nothing else.".into(),
        "Restore: `backup::restore_content` of the checked backup into a new folder — `Vault::create` (insecure test KDF: the real Argon2id adds about a second, see the vault section), the backup key stored, and `Practice::import` writing every record in flushed batches. Floor: `Vault::create` + `Practice::import` of the parsed practice — the same import without the backup. The app's whole restore is open-and-check plus restore.".into(),
        format!("One untimed run each, then {RUNS} runs alternating; medians. Every restore goes into a new folder, removed afterwards (untimed)."),
    ]
}

fn size_notes() -> Vec<String> {
    vec![
        "Ours: the backup file's size. Floor (a reference): the practice JSON a backup holds, byte for byte the export format (`PracticeJson::to_json`, pretty-printed, the size `holdspace-cli export` writes); the ratio is file ÷ JSON. A backup adds a small manifest, the envelope's indentation, age's header (~200 bytes) and 16 bytes per 64 KiB chunk. The last row compares with compact JSON (`serde_json::to_vec`), which the pretty-printed export exceeds by its indentation.".into(),
        "There is no compression: age does not compress, and compressing before encrypting would let a backup's size reveal how repetitive its contents are.".into(),
    ]
}
