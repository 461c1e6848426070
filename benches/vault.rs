//! The vault benchmarks (scales and targets: `docs/performance.md`): each figure measured
//! beside its floor in the same run, and written as the `vault` section of `BENCHMARKS.md` at
//! the repository root.
//!
//! Owns: this custom harness (`harness = false`, run by `cargo bench --bench vault` and
//! `make bench`), the deterministic note-like record bodies, and the vault's floors (sled and
//! the `chacha20poly1305` crate called directly, with the same store settings, keys and value
//! sizes as the vault). The report's format, the machine description and the floor store's
//! layout are shared with `benches/practice.rs` in `benches/common`. Progress goes to stderr.
//!
//! Must not: pass or fail anything — these are figures, not tests; a missed target is marked
//! **MISSED** in the report and nothing else happens. It touches no folder but its own
//! temporary ones, and it uses the insecure test KDF only where a figure excludes the KDF (and
//! says so in the report). It rewrites no section of the report but its own.
//!
//! Rotation (figure 5) runs each timed rotation and each floor write in a child process: this
//! binary started again with `HOLDSPACE_BENCH_CHILD` set, printing its time on stdout.
//!
//! `HOLDSPACE_BENCH_SCALE` (default 1.0) scales the record counts, e.g. `0.02` for a quick smoke
//! run of the harness; the scale is written into the report.

mod common;

// This bench builds its vaults with the insecure test KDF, which release builds leave out
// unless asked for; say so instead of failing on a missing name.
#[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
compile_error!("this benchmark needs `--features insecure-test-kdf` (make bench passes it)");

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chacha20poly1305::aead::AeadInPlace;
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use holdspace::aead::{self, NONCE_LEN, TAG_LEN};
use holdspace::kdf::{self, KdfParams, TARGET_DERIVATION_TIME};
use holdspace::secret::SymmetricKey;
use holdspace::{KdfPolicy, Passphrase, RecordId, Vault};
use serde::{Deserialize, Serialize};
use tempfile::TempDir;

use common::*;

// ---- What is measured, and how much -------------------------------------------------------

/// Records at scale 1x (~15,000 per-member notes: ten years of a practice, docs/performance.md).
const RECORDS_1X: usize = 15_000;
/// Records at scale 10x, what we design for.
const RECORDS_10X: usize = 150_000;
/// Timed durable saves per contender at scale ≥ 1.
const PUT_SAMPLES: usize = 2_000;
/// Fewest timed saves when the scale is below 1.
const PUT_SAMPLES_SMOKE: usize = 200;
/// Untimed saves before the timed ones.
const PUT_WARM_UP: usize = 20;
/// Timed rounds per AEAD contender.
const AEAD_ROUNDS: usize = 7;
/// Bytes sealed or opened in one AEAD round.
const AEAD_BYTES_PER_ROUND: usize = 32 << 20;
/// Timed derivations per Argon2id parameter set.
const KDF_RUNS: usize = 3;
/// Timed open-and-read runs per contender (the median is reported).
const OPEN_RUNS: usize = 5;
/// Timed rotations (and floor writes).
const ROTATE_RUNS: usize = 3;
/// Records per batch while filling a dataset (setup, not timed).
const FILL_BATCH: usize = 1_000;
/// Untimed pause before each timed open, so the previous handle's sled threads have let go.
const SETTLE: Duration = Duration::from_millis(100);

/// Passphrase of every bench vault (they use the insecure test KDF; see figure 3).
const PASSPHRASE: &str = "bench: correct horse battery staple";
/// Kind and schema of every bench record.
const NOTE_KIND: &str = "note";
const NOTE_SCHEMA: u32 = 1;
/// JSON body sizes: ~1 KiB, and small enough that the framed plaintext pads to 1,024 bytes.
const BODY_MIN: usize = 960;
const BODY_MAX: usize = 1_008;
/// Seeds of the records the save figure adds (kept apart from the datasets' seeds).
const SAVE_SEEDS: u64 = 1 << 40;
/// Mixed into a save's seed for the id the two-key batch floor writes, so it never overwrites
/// the insert floor's value in the same store.
const BATCH_FLOOR_SEEDS: u64 = 1 << 41;
/// The sealed size of the journal entry of a one-note commit: revision (8), count (4), id (16),
/// put flag (1), kind length (1), "note" (4), nonce (24), tag (16).
const JOURNAL_ENTRY_LEN: usize = 74;

// Targets (docs/performance.md).
/// "About 1 s" is read as this band.
const KDF_BAND: (Duration, Duration) = (Duration::from_millis(750), Duration::from_millis(1250));
const OPEN_1X_TARGET: Duration = Duration::from_millis(150);
const OPEN_10X_MAX_RATIO: f64 = 2.0;
const SAVE_P99_TARGET: Duration = Duration::from_millis(5);
const SAVE_P99_RATIO_TARGET: f64 = 2.0;
const ROTATE_MIN_RATIO: f64 = 0.8;
// ---- Entry point --------------------------------------------------------------------------

/// Child roles (see [`common::run_child`]): one timed rotation, one timed floor write.
const ROLE_ROTATE: &str = "rotate";
const ROLE_FLOOR_WRITE: &str = "floor-write";

fn main() {
    bench_main(run, run_child_role);
}

fn run() -> BenchResult<()> {
    let scale = bench_scale()?;
    let mut run = describe_run();
    run.push((
        "Scale (`HOLDSPACE_BENCH_SCALE`)",
        format!(
            "{scale} — {} and {} records",
            fmt_count(scaled(RECORDS_1X, scale)),
            fmt_count(scaled(RECORDS_10X, scale))
        ),
    ));
    progress(&format!(
        "vault: scale {scale}; writing {}",
        report_path().display()
    ));
    if cfg!(debug_assertions) {
        progress("WARNING: debug build — run through `cargo bench` for meaningful figures");
    }
    let figures = measure(scale)?;
    let section = Section {
        key: "vault",
        title: "Vault core",
        intro: "Written by `cargo bench --bench vault` (`benches/vault.rs`): the encrypted \
                record store alone, with ~1 KiB note-like records."
            .into(),
        scale,
        run,
        figures,
    };
    publish(&section)
}

fn measure(scale: f64) -> BenchResult<Vec<Figure>> {
    let mut figures = Vec::new();
    progress("1/5 XChaCha20-Poly1305 throughput");
    figures.push(announce(figure_aead()?));
    progress("2/5 Argon2id calibration and derivation time");
    figures.push(announce(figure_kdf()?));

    let small = Dataset::build(scaled(RECORDS_1X, scale))?;
    let large = Dataset::build(scaled(RECORDS_10X, scale))?;
    progress("3/5 open + decrypt every record");
    figures.push(announce(figure_open(&small, &large)?));
    progress("4/5 durable single save");
    figures.push(announce(figure_save(&small, put_samples(scale))?));
    drop(small);
    progress("5/5 rotation throughput (each run in its own child process)");
    figures.push(announce(figure_rotate(&large)?));
    drop(large);
    Ok(figures)
}

/// In a child process started by [`common::run_child`]: one measurement, reported on stdout.
fn run_child_role(role: &str, args: &[String]) -> BenchResult<()> {
    match (role, args) {
        (ROLE_ROTATE, [vault_dir]) => child_rotate(Path::new(vault_dir)),
        (ROLE_FLOOR_WRITE, [dir, count]) => child_floor_write(Path::new(dir), count.parse()?),
        _ => Err(format!("unknown child role {role:?} with arguments {args:?}").into()),
    }
}

// ---- Figure 1: XChaCha20-Poly1305 ----------------------------------------------------------

/// `holdspace::aead::seal` / `open` against the `chacha20poly1305` crate called directly with a
/// fixed nonce, in place, on a reused buffer and cipher.
fn figure_aead() -> BenchResult<Figure> {
    let key = SymmetricKey::random()?;
    let cipher = floor_cipher();
    let nonce = XNonce::from_slice(&[7; NONCE_LEN]);
    let ad = [0u8; AD_LEN];
    let mut rows = Vec::new();
    for size in [1024usize, 64 * 1024] {
        let message = vec![0x5a; size];
        let iterations = (AEAD_BYTES_PER_ROUND / size).max(1);
        let bytes = (iterations * size) as u64;

        let mut buffer = message.clone();
        let seal = alternate(
            AEAD_ROUNDS,
            true,
            &mut [
                &mut || {
                    timed(|| {
                        for _ in 0..iterations {
                            black_box(aead::seal(&key, &ad, black_box(&message))?);
                        }
                        Ok(())
                    })
                },
                &mut || {
                    timed(|| {
                        for _ in 0..iterations {
                            let tag = cipher
                                .encrypt_in_place_detached(nonce, &ad, black_box(&mut buffer))
                                .map_err(|_| "floor seal failed")?;
                            black_box(tag);
                        }
                        Ok(())
                    })
                },
            ],
        )?;
        rows.push(throughput_row(
            format!("seal {} (`aead::seal`)", fmt_size(size)),
            bytes,
            &seal,
        ));

        let sealed = aead::seal(&key, &ad, &message)?;
        let mut floor_sealed = message.clone();
        let floor_tag = cipher
            .encrypt_in_place_detached(nonce, &ad, &mut floor_sealed)
            .map_err(|_| "floor seal failed")?;
        let mut scratch = Vec::with_capacity(size);
        let open = alternate(
            AEAD_ROUNDS,
            true,
            &mut [
                &mut || {
                    timed(|| {
                        for _ in 0..iterations {
                            let opened = aead::open(&key, &ad, black_box(&sealed))
                                .map_err(|_| "aead::open failed")?;
                            black_box(opened);
                        }
                        Ok(())
                    })
                },
                &mut || {
                    timed(|| {
                        for _ in 0..iterations {
                            scratch.clear();
                            scratch.extend_from_slice(black_box(&floor_sealed));
                            cipher
                                .decrypt_in_place_detached(nonce, &ad, &mut scratch, &floor_tag)
                                .map_err(|_| "floor open failed")?;
                            black_box(&scratch);
                        }
                        Ok(())
                    })
                },
            ],
        )?;
        rows.push(throughput_row(
            format!(
                "open {} (`aead::open`, not a target: unlock decrypts)",
                fmt_size(size)
            ),
            bytes,
            &open,
        ));
    }
    Ok(Figure {
        title: "XChaCha20-Poly1305 throughput, one core".into(),
        rows,
        notes: vec![
            "MB = 10^6 bytes of plaintext. Median of 7 rounds of 32 MiB each, ours and the floor \
             alternating, after one untimed round each."
                .into(),
            "Floor: the `chacha20poly1305` crate called directly — one cipher built once, a fixed \
             nonce, in place on a reused buffer (open copies the ciphertext into it first, as a \
             caller of an immutable sled value must). Ours also draws a random 192-bit nonce per \
             seal from the OS, builds the cipher per call and allocates the output; that is the \
             difference."
                .into(),
            "No target of its own; reference on the build machine (`docs/performance.md`): \
             ~390 MB/s at 1 KiB and ~1 GB/s at 64 KiB per core."
                .into(),
        ],
    })
}

fn throughput_row(what: String, bytes: u64, medians: &[Duration]) -> Row {
    let ours = mb_per_s(bytes, medians[0]);
    let floor = mb_per_s(bytes, medians[1]);
    Row::new(what, fmt_rate(ours), fmt_rate(floor), Some(ours / floor))
}

// ---- Figure 2: Argon2id --------------------------------------------------------------------

/// What `kdf::calibrate(TARGET_DERIVATION_TIME)` chooses here, and one derivation at that choice
/// against one at the production floor (64 MiB, t = 3).
fn figure_kdf() -> BenchResult<Figure> {
    let started = Instant::now();
    let chosen = kdf::calibrate(TARGET_DERIVATION_TIME)?;
    let calibration = started.elapsed();
    progress(&format!("calibrated to {}", fmt_params(&chosen)));
    let salt = [0x11u8; 32];
    let floor = KdfParams::FLOOR;
    let mut at_chosen = || timed(|| derive(&chosen, &salt));
    let mut at_floor = || timed(|| derive(&floor, &salt));
    let medians = alternate(KDF_RUNS, false, &mut [&mut at_chosen, &mut at_floor])?;
    let (ours, floor_time) = (medians[0], medians[1]);
    let in_band = (KDF_BAND.0..=KDF_BAND.1).contains(&ours);
    let row = Row::new(
        format!("one derivation at the calibrated {}", fmt_params(&chosen)),
        fmt_duration(ours),
        format!("{}: {}", fmt_params(&floor), fmt_duration(floor_time)),
        Some(ratio(ours, floor_time)),
    )
    .target(
        format!(
            "about {:.0} s (read as {:.2}–{:.2} s)",
            TARGET_DERIVATION_TIME.as_secs_f64(),
            KDF_BAND.0.as_secs_f64(),
            KDF_BAND.1.as_secs_f64()
        ),
        in_band,
    );
    Ok(Figure {
        title: "Argon2id per unlock".into(),
        rows: vec![row],
        notes: vec![
            format!(
                "Chosen by `kdf::calibrate({})` on this machine: {} (calibration itself took {}). \
                 It times one derivation at the floor and scales linearly, memory first (up to \
                 512 MiB), then iterations; the ratio is the work factor it bought over the floor.",
                fmt_duration(TARGET_DERIVATION_TIME),
                fmt_params(&chosen),
                fmt_duration(calibration)
            ),
            format!(
                "Times are the median of {KDF_RUNS} derivations each through `kdf::derive_raw` \
                 (32-byte salt, 32-byte output), alternating."
            ),
            "Reference on the build machine (`docs/performance.md`): 64 MiB, t = 3: 192 ms; \
             256 MiB, t = 3: 822 ms."
                .into(),
        ],
    })
}

fn derive(params: &KdfParams, salt: &[u8]) -> BenchResult<()> {
    black_box(kdf::derive_raw(
        PASSPHRASE.as_bytes(),
        salt,
        params,
        &[],
        &[],
    )?);
    Ok(())
}

// ---- Figure 3: open + decrypt every record -------------------------------------------------

/// `Vault::open` + `scan()` decoding every record, against sled open + iterate + raw AEAD open
/// of a same-shaped plain store, at 1x and 10x.
fn figure_open(small: &Dataset, large: &Dataset) -> BenchResult<Figure> {
    let passphrase = passphrase()?;
    let salt = [0x11u8; 32];
    let insecure = alternate(
        5,
        true,
        &mut [&mut || timed(|| derive(&KdfParams::INSECURE_TEST, &salt))],
    )?[0];
    let mut rows = Vec::new();
    let mut sled_alone = Vec::new();
    for (dataset, at_1x) in [(small, true), (large, false)] {
        progress(&format!("reading {} records", fmt_count(dataset.count)));
        let medians = alternate(
            OPEN_RUNS,
            true,
            &mut [
                &mut || dataset.read_vault(&passphrase),
                &mut || dataset.read_floor(true),
                &mut || dataset.read_floor(false),
            ],
        )?;
        let (ours, floor) = (medians[0], medians[1]);
        let row = Row::new(
            format!(
                "open + decrypt + decode {} records ({})",
                fmt_count(dataset.count),
                fmt_mb(dataset.stored_bytes)
            ),
            fmt_duration(ours),
            fmt_duration(floor),
            Some(ratio(ours, floor)),
        );
        rows.push(if at_1x {
            row.target(
                format!("≤ {} ms", OPEN_1X_TARGET.as_millis()),
                ours <= OPEN_1X_TARGET,
            )
        } else {
            row.target(
                format!("≤ {OPEN_10X_MAX_RATIO}x floor"),
                ratio(ours, floor) <= OPEN_10X_MAX_RATIO,
            )
        });
        sled_alone.push(format!(
            "{}: {}",
            fmt_count(dataset.count),
            fmt_duration(medians[2])
        ));
    }
    Ok(Figure {
        title: "Unlock excluding Argon2id: open + decrypt every record".into(),
        rows,
        notes: vec![
            format!(
                "The KDF is excluded by creating these vaults with `KdfPolicy::InsecureTest` \
                 (Argon2id m = 64 KiB, t = 1: {} per derivation, measured here), so `Vault::open` \
                 costs everything an unlock does except the real derivation, plus those few \
                 microseconds.",
                fmt_duration(insecure)
            ),
            "Ours: `Vault::open` (lock file, header, key unwrap, header MAC, sled open, stale-store \
             sweep) then `scan()`, decoding every record's JSON body into a struct with \
             `Record::decode`."
                .into(),
            "Floor: a plain sled store with the vault's own settings (32 MiB cache, \
             high-throughput mode, one `records` tree) holding the same keys and values of the \
             same size, sealed by the bench with the `chacha20poly1305` crate; timed: sled open \
             + iterate + raw XChaCha20-Poly1305 open of each value in place (no framing, no JSON)."
                .into(),
            format!(
                "Sled open + iterate alone (same floor store, no decryption): {}. Reference on \
                 the build machine (`docs/performance.md`): ~600 ms at 150,000 × 1.1 KB.",
                sled_alone.join("; ")
            ),
            format!(
                "Bodies: deterministic note-like JSON, {small_body}; stored as {value} values \
                 (framing and padding to 1,024 bytes, nonce, tag, format byte).",
                small_body = small.body_summary(),
                value = fmt_bytes(small.value_len as u64)
            ),
            format!(
                "Each run drops the vault (or store) and opens it again in this process, after an \
                 untimed {} pause; the page cache is warm (one untimed run of each first). Median \
                 of {OPEN_RUNS} runs, the three contenders alternating.",
                fmt_duration(SETTLE)
            ),
        ],
    })
}

// ---- Figure 4: durable single save ---------------------------------------------------------

/// `Vault::put` of one ~1 KiB record (one flushed batch), against two floors in the 1x plain
/// store: sled insert + flush of a plaintext value of the same stored size, and sled's atomic
/// batch of that value and a journal-sized second key + flush — the least any commit that
/// writes a record and its journal entry together can cost in sled.
fn figure_save(dataset: &Dataset, samples: usize) -> BenchResult<Figure> {
    let passphrase = passphrase()?;
    let vault = Vault::open(&dataset.vault_dir, &passphrase, KdfPolicy::InsecureTest)?;
    let floor_db = open_floor_store(&dataset.floor_dir, false)?;
    let floor_tree = floor_db.open_tree(STORE_TREE)?;
    let journal = vec![0x5a; JOURNAL_ENTRY_LEN];
    let mut times: [Vec<Duration>; 3] = Default::default();
    for n in 0..PUT_WARM_UP + samples {
        let seed = SAVE_SEEDS + n as u64;
        let note = SessionNote::generate(seed);
        let id = record_id(seed);
        let batch_id = record_id(seed ^ BATCH_FLOOR_SEEDS);
        let plain = plaintext_value(&serde_json::to_vec(&note)?);
        let mut save_ours = || timed(|| Ok(vault.put(id, NOTE_KIND, NOTE_SCHEMA, &note)?));
        let mut save_insert = || {
            timed(|| {
                floor_tree.insert(id.as_bytes(), plain.as_slice())?;
                floor_tree.flush()?;
                Ok(())
            })
        };
        let mut save_batch = || {
            timed(|| {
                let mut batch = sled::Batch::default();
                batch.insert(batch_id.as_bytes(), plain.as_slice());
                batch.insert(journal_floor_key(n as u64), journal.as_slice());
                floor_tree.apply_batch(batch)?;
                floor_tree.flush()?;
                Ok(())
            })
        };
        // Rotate who goes first, so none always follows another's flush.
        let contenders: [&mut dyn FnMut() -> BenchResult<Duration>; 3] =
            [&mut save_ours, &mut save_insert, &mut save_batch];
        let mut round = [Duration::ZERO; 3];
        for turn in 0..3 {
            let which = (n + turn) % 3;
            round[which] = contenders[which]()?;
        }
        if n >= PUT_WARM_UP {
            for (all, one) in times.iter_mut().zip(round) {
                all.push(one);
            }
        }
    }
    vault.lock()?;
    drop(floor_tree);
    drop(floor_db);
    for all in &mut times {
        all.sort_unstable();
    }
    let [ours, insert, batch] = &times;
    let row = |name: &str, floor: &[Duration], q: f64| {
        let (o, f) = (percentile(ours, q), percentile(floor, q));
        Row::new(
            format!("{name} of {} saves", fmt_count(samples)),
            fmt_duration(o),
            fmt_duration(f),
            Some(ratio(o, f)),
        )
    };
    let p99 = percentile(ours, 0.99);
    let p99_floor = percentile(insert, 0.99);
    let within = p99 <= SAVE_P99_TARGET && ratio(p99, p99_floor) <= SAVE_P99_RATIO_TARGET;
    Ok(Figure {
        title: "Durable save of one record".into(),
        rows: vec![
            row("p50", insert, 0.50),
            row("p99", insert, 0.99).target(
                format!(
                    "≤ {} ms and ≤ {SAVE_P99_RATIO_TARGET}x floor",
                    SAVE_P99_TARGET.as_millis()
                ),
                within,
            ),
            row("p50, against the two-key batch floor,", batch, 0.50),
            row("p99, against the two-key batch floor,", batch, 0.99),
        ],
        notes: save_notes(dataset, [ours, insert, batch]),
    })
}

/// The notes under figure 4: what each contender did, and the slowest save of each.
fn save_notes(dataset: &Dataset, [ours, insert, batch]: [&Vec<Duration>; 3]) -> Vec<String> {
    let slowest = |v: &[Duration]| fmt_duration(v[v.len() - 1]);
    vec![
        format!(
            "Ours: `Vault::put` of one new ~1 KiB note (JSON encoding, sealing, the room check, \
             one sled batch of the record and its journal entry, flush) into the {}-record vault \
             of figure 3. Floor: sled `insert` + `flush` of a plaintext value of the same stored \
             size ({}) under the same key, into the same-shaped plain store.",
            fmt_count(dataset.count),
            fmt_bytes(dataset.value_len as u64)
        ),
        format!(
            "Two-key batch floor: sled `apply_batch` of the same value and a {JOURNAL_ENTRY_LEN}-byte \
             second key that sorts after every record (as a journal entry does) + `flush`, into \
             the same plain store — the least a commit that writes a record and its journal entry \
             atomically can cost in sled 0.34, which writes a batch manifest to its log besides \
             the two entries. It shows how much of ours ÷ floor is that structure (a sled batch \
             against a single insert) and how much is ours (JSON, sealing, the room check)."
        ),
        format!(
            "The three take turns, who goes first rotating every save, after {PUT_WARM_UP} \
             untimed saves each. Slowest save: ours {}, insert floor {}, batch floor {}. \
             Percentiles are nearest-rank.",
            slowest(ours),
            slowest(insert),
            slowest(batch)
        ),
        format!(
            "Flush cost depends on the disk and file system: {}. Reference on the build \
             machine (`docs/performance.md`): p50 0.14 ms, p99 2 ms.",
            bench_folder()
        ),
    ]
}

/// The sled key of the two-key batch floor's journal-sized entry for save `n`.
fn journal_floor_key(n: u64) -> Vec<u8> {
    let mut key = b"ledger:".to_vec();
    key.extend_from_slice(&n.to_be_bytes());
    key
}

// ---- Figure 5: rotation --------------------------------------------------------------------

/// `Vault::rotate` over the 10x vault, against sled writing the same number of same-size values
/// into a fresh store as one batch and flushing — each run in a fresh child process.
fn figure_rotate(dataset: &Dataset) -> BenchResult<Figure> {
    let mut epoch = 0;
    let mut floor_runs = 0;
    let medians = {
        let mut rotate = || -> BenchResult<Duration> {
            progress("rotating");
            let report = run_child(ROLE_ROTATE, &[dataset.vault_dir.as_os_str()])?;
            epoch = report.value("epoch")?;
            report.time("elapsed_ns")
        };
        let mut write_floor = || -> BenchResult<Duration> {
            let dir = dataset.root().join(format!("floor-write-{floor_runs}"));
            floor_runs += 1;
            progress("writing the floor store");
            let count = dataset.count.to_string();
            let report = run_child(ROLE_FLOOR_WRITE, &[dir.as_os_str(), count.as_ref()])?;
            fs::remove_dir_all(&dir)?;
            dataset.check_bytes(report.value("bytes")?)?;
            report.time("elapsed_ns")
        };
        alternate(ROTATE_RUNS, false, &mut [&mut rotate, &mut write_floor])?
    };
    let (ours, floor) = (
        mb_per_s(dataset.stored_bytes, medians[0]),
        mb_per_s(dataset.stored_bytes, medians[1]),
    );
    let row = Row::new(
        format!(
            "rotate {} records ({})",
            fmt_count(dataset.count),
            fmt_mb(dataset.stored_bytes)
        ),
        format!("{} ({})", fmt_rate(ours), fmt_duration(medians[0])),
        format!("{} ({})", fmt_rate(floor), fmt_duration(medians[1])),
        Some(ours / floor),
    )
    .target(
        format!("≥ {ROTATE_MIN_RATIO}x floor"),
        ours / floor >= ROTATE_MIN_RATIO,
    );
    Ok(Figure {
        title: "Rotating the data key".into(),
        rows: vec![row],
        notes: rotate_notes(dataset, epoch),
    })
}

fn rotate_notes(dataset: &Dataset, epoch: u64) -> Vec<String> {
    vec![
        format!(
            "MB/s of record bytes (the stored values, {} each). Median of {ROTATE_RUNS} \
             rotations of the same vault (it ended at key epoch {epoch}) alternating with \
             {ROTATE_RUNS} floor writes; the old store is warm in the page cache (figure 3, \
             then each rotation's own output).",
            fmt_bytes(dataset.value_len as u64)
        ),
        "Each rotation and each floor write runs in a fresh child process (this bench binary \
         started again with `HOLDSPACE_BENCH_CHILD`), which prints only its timed part. sled \
         frees memory through process-wide deferred garbage collection (crossbeam-epoch): in \
         one process, whichever side ran next paid for collecting the 160 MB the other had \
         just written and dropped (a plain iteration of the vault measured 4–6 s instead of \
         ~0.35 s). A fresh process per run gives both sides the clean state an app starting \
         a rotation has; process start-up and the untimed setup are left out."
            .into(),
        "Ours: the child opens the vault (untimed: a freshly opened vault, as after unlock), \
         then `Vault::rotate` end to end — passphrase check (insecure test KDF, \
         microseconds), reading and decrypting every record, re-sealing under a new key, \
         writing a fresh store in sled batches of 2,048, flush, header replacement, removal \
         of the old store."
            .into(),
        "Floor: sled's own unencrypted write throughput for the same bytes — the child \
         regenerates the plain twin's keys and values deterministically in memory (untimed, \
         without touching sled; the stored bytes are checked against the vault's), then \
         opens a fresh store with the vault's settings, applies one `sled::Batch` and \
         flushes; timed from opening the store to the end of the flush. Reference on the \
         build machine (`docs/performance.md`): ~5 s for 150,000 × 1.1 KB."
            .into(),
    ]
}

/// Child: opens the vault (untimed), rotates it (timed), reports the time and the new epoch.
fn child_rotate(vault_dir: &Path) -> BenchResult<()> {
    let passphrase = passphrase()?;
    let mut vault = Vault::open(vault_dir, &passphrase, KdfPolicy::InsecureTest)?;
    let elapsed = timed(|| Ok(vault.rotate(&passphrase, |_| {})?))?;
    let epoch = vault.key_epoch();
    vault.lock()?;
    tell_parent_time("elapsed_ns", elapsed);
    tell_parent("epoch", u64::from(epoch));
    Ok(())
}

/// Child: rebuilds the plain twin's batch in memory (untimed), then writes it into a fresh
/// store at `dir` and flushes (timed).
fn child_floor_write(dir: &Path, count: usize) -> BenchResult<()> {
    let cipher = floor_cipher();
    let mut batch = sled::Batch::default();
    let mut bytes = 0u64;
    for seed in 0..count as u64 {
        let (id, value) = twin_entry(&cipher, seed)?;
        bytes += value.len() as u64;
        batch.insert(id.as_bytes(), value);
    }
    let started = Instant::now();
    let db = open_floor_store(dir, true)?;
    let tree = db.open_tree(STORE_TREE)?;
    tree.apply_batch(batch)?;
    db.flush()?;
    let elapsed = started.elapsed();
    drop(tree);
    drop(db);
    tell_parent_time("elapsed_ns", elapsed);
    tell_parent("bytes", bytes);
    Ok(())
}

// ---- Datasets: a vault and its plain twin --------------------------------------------------

/// A vault of `count` note records (insecure test KDF) and a plain sled store beside it with
/// the same keys and values of the same size, sealed by the bench itself.
struct Dataset {
    tmp: TempDir,
    vault_dir: PathBuf,
    floor_dir: PathBuf,
    count: usize,
    /// Sum of the stored value lengths (the vault's and the floor's are equal).
    stored_bytes: u64,
    /// Stored length of every value (all bodies pad to the same bucket).
    value_len: usize,
    body_min: usize,
    body_max: usize,
    body_total: u64,
}

impl Dataset {
    fn build(count: usize) -> BenchResult<Self> {
        progress(&format!(
            "building a vault and its plain twin with {} records",
            fmt_count(count)
        ));
        let tmp = tempfile::Builder::new()
            .prefix("holdspace-bench-")
            .tempdir()?;
        let vault_dir = tmp.path().join("vault");
        let floor_dir = tmp.path().join("plain");
        let vault = Vault::create(&vault_dir, &passphrase()?, KdfPolicy::InsecureTest)?.vault;
        let floor_db = open_floor_store(&floor_dir, true)?;
        let floor_tree = floor_db.open_tree(STORE_TREE)?;
        let cipher = floor_cipher();
        let (mut body_min, mut body_max, mut body_total) = (usize::MAX, 0, 0u64);
        let (mut floor_bytes, mut value_lens) = (0u64, (usize::MAX, 0));
        for start in (0..count).step_by(FILL_BATCH) {
            let mut batch = vault.batch();
            let mut floor_batch = sled::Batch::default();
            for n in start..(start + FILL_BATCH).min(count) {
                let seed = n as u64;
                let note = SessionNote::generate(seed);
                let body = serde_json::to_vec(&note)?;
                let id = record_id(seed);
                batch.put(id, NOTE_KIND, NOTE_SCHEMA, &note)?;
                let value = twin_value(&cipher, seed, &id, &body)?;
                body_min = body_min.min(body.len());
                body_max = body_max.max(body.len());
                body_total += body.len() as u64;
                floor_bytes += value.len() as u64;
                value_lens = (value_lens.0.min(value.len()), value_lens.1.max(value.len()));
                floor_batch.insert(id.as_bytes(), value);
            }
            vault.commit(batch)?;
            floor_tree.apply_batch(floor_batch)?;
        }
        floor_db.flush()?;
        let stats = vault.stats()?;
        vault.lock()?;
        if stats.records != count || stats.stored_bytes != floor_bytes {
            return Err(format!(
                "the plain twin does not match the vault ({} records, {} stored bytes vs {} \
                 records, {floor_bytes} bytes): has the record format changed? Update the \
                 mirrors in benches/common",
                stats.records, stats.stored_bytes, count
            )
            .into());
        }
        if value_lens.0 != value_lens.1 {
            return Err("bodies padded to different buckets; keep BODY_MAX smaller".into());
        }
        Ok(Self {
            tmp,
            vault_dir,
            floor_dir,
            count,
            stored_bytes: floor_bytes,
            value_len: value_lens.0,
            body_min,
            body_max,
            body_total,
        })
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    fn body_summary(&self) -> String {
        format!(
            "{}–{} bytes, mean {:.0}",
            self.body_min,
            self.body_max,
            self.body_total as f64 / self.count as f64
        )
    }

    /// Timed: `Vault::open` + `scan()` decoding every record. Not timed: the lock afterwards.
    fn read_vault(&self, passphrase: &Passphrase) -> BenchResult<Duration> {
        std::thread::sleep(SETTLE);
        let started = Instant::now();
        let vault = Vault::open(&self.vault_dir, passphrase, KdfPolicy::InsecureTest)?;
        let mut read = 0;
        for record in vault.scan() {
            let note: SessionNote = record?.decode()?;
            black_box(&note);
            read += 1;
        }
        let elapsed = started.elapsed();
        vault.lock()?;
        self.check_count(read)?;
        Ok(elapsed)
    }

    /// Timed: sled open + iterate (+ raw AEAD open of each value when `decrypt`).
    fn read_floor(&self, decrypt: bool) -> BenchResult<Duration> {
        std::thread::sleep(SETTLE);
        let started = Instant::now();
        let db = open_floor_store(&self.floor_dir, false)?;
        let tree = db.open_tree(STORE_TREE)?;
        let cipher = floor_cipher();
        let mut scratch = Vec::with_capacity(self.value_len);
        let mut read = 0;
        for entry in tree.iter() {
            let (key, value) = entry?;
            if decrypt {
                open_floor_value(&cipher, &key, &value, &mut scratch)?;
                black_box(&scratch);
            } else {
                black_box(&value);
            }
            read += 1;
        }
        let elapsed = started.elapsed();
        drop(tree);
        drop(db);
        self.check_count(read)?;
        Ok(elapsed)
    }

    fn check_count(&self, read: usize) -> BenchResult<()> {
        if read == self.count {
            Ok(())
        } else {
            Err(format!("read {read} records, expected {}", self.count).into())
        }
    }

    fn check_bytes(&self, bytes: u64) -> BenchResult<()> {
        if bytes == self.stored_bytes {
            Ok(())
        } else {
            Err(format!("wrote {bytes} bytes, expected {}", self.stored_bytes).into())
        }
    }
}

/// The plain twin's value for a note: its body framed like the vault's, sealed directly.
fn twin_value(
    cipher: &XChaCha20Poly1305,
    seed: u64,
    id: &RecordId,
    body: &[u8],
) -> BenchResult<Vec<u8>> {
    seal_floor_value(
        cipher,
        seed,
        id.as_bytes(),
        &framed(NOTE_KIND, NOTE_SCHEMA, body),
    )
}

/// The plain twin's key and value for `seed`, regenerated (the same bytes every time).
fn twin_entry(cipher: &XChaCha20Poly1305, seed: u64) -> BenchResult<(RecordId, Vec<u8>)> {
    let body = serde_json::to_vec(&SessionNote::generate(seed))?;
    let id = record_id(seed);
    Ok((id, twin_value(cipher, seed, &id, &body)?))
}

/// A plaintext value of the vault's stored size for `body` (for the save floor).
fn plaintext_value(body: &[u8]) -> Vec<u8> {
    let mut value = framed(NOTE_KIND, NOTE_SCHEMA, body);
    value.resize(1 + NONCE_LEN + value.len() + TAG_LEN, 0);
    value
}

// ---- Deterministic note-like records -------------------------------------------------------

/// A per-member progress note, as a domain layer might store one.
#[derive(Serialize, Deserialize)]
struct SessionNote {
    member: String,
    group: String,
    session: u32,
    date: String,
    attendance: String,
    kind: String,
    text: String,
    goals: Vec<String>,
    follow_up: bool,
}

const GROUPS: &[&str] = &[
    "Tuesday evening process group",
    "Anxiety skills group",
    "Grief and loss support group",
    "Anger management psychoeducation",
    "Young adults process group",
    "Parents of teens support group",
];
const ATTENDANCE: &[&str] = &["present", "present", "present", "late", "excused", "absent"];
const NOTE_KINDS: &[&str] = &["progress", "progress", "group", "intake follow-up"];
const SUBJECTS: &[&str] = &["Member", "She", "He", "They", "The member", "Client"];
const OBSERVATIONS: &[&str] = &[
    "described feeling more settled since the last session",
    "spoke about ongoing conflict with a sibling over caring for their mother",
    "practised the grounding exercise with the group and said it helped",
    "reported sleeping better on most nights this week",
    "noticed an urge to withdraw when others disagreed with them",
    "shared a memory linked to this week's topic of trust",
    "gave warm and specific feedback to another member",
    "used the check-in to name anxiety about returning to work",
    "found it hard to stay with the silence and filled it with jokes",
    "linked the discussion to the goals set at intake",
    "was quieter than usual and passed during the first round",
    "asked the group for help planning a difficult conversation",
    "tried the thought record at home twice and brought one to group",
    "became tearful when talking about the anniversary of the loss",
    "challenged a put-down respectfully and the group repaired it",
    "said the ground rules made it easier to speak openly",
];
const CONTEXTS: &[&str] = &[
    "",
    " during the check-in",
    " after the break",
    " in the closing round",
    " when the topic turned to family",
    " while the group practised the skill of the week",
    " in response to a question from the co-facilitator",
];
const PLANS: &[&str] = &[
    "continue weekly attendance and review goals in four weeks",
    "practise the breathing exercise daily and note what helps",
    "coordinate with the individual therapist, with consent on file",
    "bring the conflict plan back to group next session",
    "check in about sleep and mood at the next session",
];
const GOALS: &[&str] = &[
    "reduce avoidance in social situations",
    "use one coping skill when distressed",
    "speak up in group at least once per session",
    "rebuild a daily routine",
    "set limits with family without shouting",
    "notice and name feelings earlier",
];

impl SessionNote {
    /// The note for `seed`: the same seed always gives the same note, ~1 KiB of JSON.
    fn generate(seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        let initial = |rng: &mut SplitMix64| char::from(b'A' + rng.below(26) as u8);
        let member = format!("{}.{}.", initial(&mut rng), initial(&mut rng));
        let goal_count = 1 + rng.below(3);
        let mut note = Self {
            member,
            group: rng.pick(GROUPS).into(),
            session: 1 + rng.below(120) as u32,
            date: format!(
                "{:04}-{:02}-{:02}",
                2016 + rng.below(10),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            attendance: rng.pick(ATTENDANCE).into(),
            kind: rng.pick(NOTE_KINDS).into(),
            text: String::new(),
            goals: (0..goal_count).map(|_| rng.pick(GOALS).into()).collect(),
            follow_up: rng.below(4) == 0,
        };
        let target = BODY_MIN + rng.below(BODY_MAX - BODY_MIN + 1);
        let overhead = serde_json::to_vec(&note).map_or(0, |json| json.len());
        // All vocabulary is plain ASCII that JSON does not escape: one char is one body byte.
        let budget = target.saturating_sub(overhead);
        while note.text.len() < budget {
            let sentence = if rng.below(5) == 0 {
                format!("Plan: {}. ", rng.pick(PLANS))
            } else {
                format!(
                    "{} {}{}. ",
                    rng.pick(SUBJECTS),
                    rng.pick(OBSERVATIONS),
                    rng.pick(CONTEXTS)
                )
            };
            note.text.push_str(&sentence);
        }
        note.text.truncate(budget);
        note
    }
}

/// The record id for `seed`: deterministic, so runs store the same keys in the same order.
fn record_id(seed: u64) -> RecordId {
    let mut rng = SplitMix64(seed ^ 0x5EED_1D5E_ED1D_5EED);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next().to_le_bytes());
    RecordId::from_key(&bytes).expect("16 bytes are always a record id")
}

// ---- Settings ------------------------------------------------------------------------------

fn put_samples(scale: f64) -> usize {
    if scale >= 1.0 {
        PUT_SAMPLES
    } else {
        scaled(PUT_SAMPLES, scale).max(PUT_SAMPLES_SMOKE)
    }
}

fn passphrase() -> BenchResult<Passphrase> {
    Ok(Passphrase::new(PASSPHRASE)?)
}

// ---- Formatting ----------------------------------------------------------------------------

fn fmt_size(bytes: usize) -> String {
    format!("{} KiB", bytes / 1024)
}

fn fmt_params(p: &KdfParams) -> String {
    format!(
        "m = {} MiB, t = {}, p = {}",
        p.memory_kib / 1024,
        p.iterations,
        p.parallelism
    )
}
