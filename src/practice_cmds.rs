//! The practice-level commands: import, export and demo data. Each unlocks the practice
//! (audited), makes one core call, and locks it again (audited).

use std::io::{IsTerminal, Write};
use std::path::Path;

use holdspace::fsutil::{self, Existing};
use holdspace::practice::{render_html, MemberId, Practice, PracticeJson};

use crate::secrets::SecretSource;
use crate::vault_cmds::unlock;
use crate::Failure;

/// Unlocks the vault as a practice (records the unlock).
fn unlock_practice(dir: &Path, secrets: &mut SecretSource) -> Result<Practice, Failure> {
    let vault = unlock(dir, secrets)?;
    Ok(Practice::unlock(vault)?)
}

/// `import FILE`.
pub fn import(dir: &Path, secrets: &mut SecretSource, file: &Path) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Io(format!("could not read {}", file.display()), e))?;
    let parsed = PracticeJson::parse(&bytes).map_err(|invalid| {
        let at = if invalid.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", invalid.field)
        };
        Failure::Usage(format!(
            "{} is not a valid practice file: {at}{}; nothing was changed",
            file.display(),
            invalid.reason
        ))
    })?;
    let mut practice = unlock_practice(dir, secrets)?;
    let report = practice.import(parsed);
    practice.lock()?;
    let report = report?;
    eprintln!(
        "Imported {} groups, {} members, {} sessions and {} notes ({} records).",
        report.groups, report.members, report.sessions, report.notes, report.records
    );
    Ok(())
}

/// A file a plaintext export is written to.
pub struct Output<'a> {
    /// The file.
    pub path: &'a Path,
    /// Replace it if it exists (`--force`).
    pub force: bool,
}

/// `export [--output FILE [--force]]`.
pub fn export(
    dir: &Path,
    secrets: &mut SecretSource,
    output: Option<Output<'_>>,
) -> Result<(), Failure> {
    refuse_existing_output(output.as_ref())?;
    warn_if_plaintext_to_terminal(output.as_ref());
    let mut practice = unlock_practice(dir, secrets)?;
    let exported = practice.export();
    practice.lock()?;
    write_output(&exported?.to_json(), output)
}

/// `search QUERY [--json] [--limit N]`.
pub fn search(
    dir: &Path,
    secrets: &mut SecretSource,
    query: &str,
    json: bool,
    limit: usize,
) -> Result<(), Failure> {
    let practice = unlock_practice(dir, secrets)?;
    let results = practice.search(query, limit.max(1));
    practice.lock()?;
    if json {
        let text = serde_json::to_string_pretty(&results)
            .map_err(|e| Failure::Usage(format!("could not format the results: {e}")))?;
        println!("{text}");
        return Ok(());
    }
    if results.is_empty() {
        println!("Nothing found for {query:?}.");
        return Ok(());
    }
    let members = results
        .members
        .hits
        .iter()
        .map(|h| (&h.hit.title, &h.hit.snippet));
    print_kind("Members", results.members.total, members);
    let groups = results.groups.hits.iter().map(|h| (&h.title, &h.snippet));
    print_kind("Groups", results.groups.total, groups);
    let sessions = results.sessions.hits.iter().map(|h| (&h.title, &h.snippet));
    print_kind("Sessions", results.sessions.total, sessions);
    let notes = results
        .notes
        .hits
        .iter()
        .map(|h| (&h.hit.title, &h.hit.snippet));
    print_kind("Notes", results.notes.total, notes);
    let incidents = results
        .incidents
        .hits
        .iter()
        .map(|h| (&h.title, &h.snippet));
    print_kind("Incidents", results.incidents.total, incidents);
    Ok(())
}

/// One kind's hits as an indented list, with how many more there are.
fn print_kind<'a>(
    heading: &str,
    total: usize,
    hits: impl Iterator<Item = (&'a String, &'a String)>,
) {
    if total == 0 {
        return;
    }
    println!("{heading} ({total})");
    let mut shown = 0;
    for (title, snippet) in hits {
        println!("  {title}\n      {snippet}");
        shown += 1;
    }
    if total > shown {
        println!("  … and {} more", total - shown);
    }
}

/// `member-export ID [--html] [--output FILE [--force]]`.
pub fn member_export(
    dir: &Path,
    secrets: &mut SecretSource,
    id: &str,
    html: bool,
    output: Option<Output<'_>>,
) -> Result<(), Failure> {
    let member: MemberId = id
        .trim()
        .parse()
        .map_err(|_| Failure::Usage(format!("{id:?} is not a member id (a UUID like 9b2f…-…)")))?;
    refuse_existing_output(output.as_ref())?;
    warn_if_plaintext_to_terminal(output.as_ref());
    let mut practice = unlock_practice(dir, secrets)?;
    let record = practice.export_member_record(member);
    practice.lock()?;
    let record = record?;
    let bytes = if html {
        render_html(&record).into_bytes()
    } else {
        serde_json::to_vec_pretty(&record)
            .map_err(|e| Failure::Usage(format!("could not format the record: {e}")))?
    };
    write_output(&bytes, output)
}

fn warn_if_plaintext_to_terminal(output: Option<&Output<'_>>) {
    if output.is_none() && std::io::stdout().is_terminal() {
        eprintln!("Note: this output is NOT encrypted. Redirect it to a file you will protect, or use --output.");
    }
}

/// Refuses an --output file that exists, unless --force, before any secret is asked for.
fn refuse_existing_output(output: Option<&Output<'_>>) -> Result<(), Failure> {
    match output {
        Some(out) if !out.force && out.path.symlink_metadata().is_ok() => Err(exists(out.path)),
        _ => Ok(()),
    }
}

fn exists(path: &Path) -> Failure {
    Failure::Usage(format!(
        "{} already exists and was left as it was; choose a new file name, or add --force to replace it",
        path.display()
    ))
}

/// Writes to a new owner-only file (replacing one only with --force, and never through a
/// symlink), or to stdout.
fn write_output(bytes: &[u8], output: Option<Output<'_>>) -> Result<(), Failure> {
    match output {
        Some(out) => {
            let existing = if out.force {
                Existing::Replace
            } else {
                Existing::Refuse
            };
            fsutil::write_private(out.path, bytes, existing).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    exists(out.path)
                } else {
                    Failure::Io(format!("could not write {}", out.path.display()), e)
                }
            })?;
            eprintln!(
                "Wrote {} (not encrypted, readable only by you: keep it safe, delete it when done).",
                out.path.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| Failure::Io("could not write the output".into(), e))?;
        }
    }
    Ok(())
}

/// `demo --scale N --seed S`.
pub fn demo(dir: &Path, secrets: &mut SecretSource, scale: f64, seed: u64) -> Result<(), Failure> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 100.0) {
        return Err(Failure::Usage(
            "--scale must be a number above 0 and at most 100".into(),
        ));
    }
    let mut practice = unlock_practice(dir, secrets)?;
    let file = holdspace::practice::demo::demo_practice(scale, seed, practice.today());
    let report = practice.import(file);
    practice.lock()?;
    let report = report?;
    eprintln!(
        "Added a synthetic practice: {} groups, {} members, {} sessions, {} notes.",
        report.groups, report.members, report.sessions, report.notes
    );
    Ok(())
}
