//! Build step: the licences of every crate built into the app, read from `Cargo.lock`'s
//! resolution (through `cargo metadata`, offline) and from each crate's own licence files,
//! written as JSON for `service::about` to embed. Nothing here is written by hand, so the
//! list cannot fall behind the dependencies.
//!
//! Policy: a crate is listed when its code is linked into the app: `cargo tree` over normal
//! (not build or dev) dependencies on the target being built, with features resolved as
//! cargo builds them and without descending into proc-macros, whose own dependencies run
//! only in the compiler. Proc-macro crates the listed crates use are listed too, since the
//! code they generate is in the binary. Each crate keeps its licence expression from its manifest and
//! the texts of its licence files (LICENSE*, LICENCE*, COPYING*, NOTICE*, UNLICENSE and the
//! manifest's `license-file`); identical texts are stored once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, PackageId};

/// Longest licence file read; anything longer is not a licence text.
const MAX_TEXT_BYTES: u64 = 256 * 1024;

/// Writes the licence list of `root_package` (built for `target`) to `out` as JSON.
pub fn write(manifest: &Path, root_package: &str, target: &str, out: &Path) -> Result<(), String> {
    // Offline first (the build has every crate it needs already); then as cargo would.
    let metadata = metadata(manifest, target, true)
        .or_else(|_| metadata(manifest, target, false))
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let linked = linked_crates(manifest, root_package, target)?;
    let bundled = bundled_packages(&metadata, &linked)?;
    let mut texts: Vec<String> = Vec::new();
    let mut text_index: HashMap<String, usize> = HashMap::new();
    let mut components = Vec::new();
    for package in metadata.packages.iter().filter(|p| bundled.contains(&p.id)) {
        let dir = package.manifest_path.parent().map(|d| d.as_std_path());
        let mut mine = Vec::new();
        for text in dir.map(licence_texts).unwrap_or_default() {
            let next = texts.len();
            let index = *text_index.entry(text.clone()).or_insert(next);
            if index == next {
                texts.push(text);
            }
            mine.push(index);
        }
        components.push(serde_json::json!({
            "name": package.name,
            "version": package.version.to_string(),
            "licence": package.license,
            "repository": package.repository,
            "texts": mine,
        }));
    }
    components.sort_by_key(|c| (c["name"].to_string(), c["version"].to_string()));
    let json = serde_json::json!({ "components": components, "texts": texts });
    std::fs::write(out, json.to_string()).map_err(|e| format!("writing {}: {e}", out.display()))
}

/// `cargo metadata` for `manifest`'s workspace as locked, resolved for `target`.
fn metadata(manifest: &Path, target: &str, offline: bool) -> cargo_metadata::Result<Metadata> {
    let mut options = vec![
        "--locked".to_owned(),
        "--filter-platform".to_owned(),
        target.to_owned(),
    ];
    if offline {
        options.push("--offline".to_owned());
    }
    MetadataCommand::new()
        .manifest_path(manifest)
        .other_options(options)
        .exec()
}

/// `(name, version)` of every crate linked into `root_package` built for `target`, as
/// `cargo tree` resolves them (features per build context, proc-macros left out).
fn linked_crates(
    manifest: &Path,
    root_package: &str,
    target: &str,
) -> Result<BTreeSet<(String, String)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let run = |offline: bool| {
        let mut command = std::process::Command::new(&cargo);
        command.arg("tree").arg("--manifest-path").arg(manifest);
        command.args(["--locked", "-p", root_package, "--target", target]);
        command.args([
            "-e",
            "normal,no-proc-macro",
            "--prefix",
            "none",
            "-f",
            "{p}",
        ]);
        if offline {
            command.arg("--offline");
        }
        command.output()
    };
    let output = run(true)
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| run(false), Ok)
        .map_err(|e| format!("cargo tree: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("cargo tree failed: {stderr}"));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(parse_tree_line)
        .collect())
}

/// `("serde", "1.0.228")` from a `cargo tree -f '{p}'` line such as `serde v1.0.228` or
/// `holdspace-app v0.1.0 (/path)`.
fn parse_tree_line(line: &str) -> Option<(String, String)> {
    let mut words = line.split_whitespace();
    let name = words.next()?;
    let version = words.next()?.strip_prefix('v')?;
    Some((name.to_owned(), version.to_owned()))
}

/// The packages of the `linked` crates, and the proc-macro crates they depend on.
fn bundled_packages(
    metadata: &Metadata,
    linked: &BTreeSet<(String, String)>,
) -> Result<BTreeSet<PackageId>, String> {
    let resolve = metadata
        .resolve
        .as_ref()
        .ok_or("cargo metadata gave no resolution")?;
    let nodes: BTreeMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let by_id: BTreeMap<&PackageId, _> = metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let is_proc_macro = |id: &PackageId| {
        by_id
            .get(id)
            .is_some_and(|p| p.targets.iter().any(|t| t.is_proc_macro()))
    };
    let mut bundled = BTreeSet::new();
    for package in &metadata.packages {
        if !linked.contains(&(package.name.to_string(), package.version.to_string())) {
            continue;
        }
        bundled.insert(package.id.clone());
        let Some(node) = nodes.get(&package.id) else {
            continue;
        };
        for dep in &node.deps {
            let normal = dep
                .dep_kinds
                .iter()
                .any(|k| k.kind == DependencyKind::Normal);
            if normal && is_proc_macro(&dep.pkg) {
                bundled.insert(dep.pkg.clone());
            }
        }
    }
    if bundled.len() < linked.len() {
        return Err("cargo tree named crates that cargo metadata does not know".to_owned());
    }
    Ok(bundled)
}

/// The texts of the licence files in a crate's folder, by file name.
fn licence_texts(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| is_licence_file(&e.file_name().to_string_lossy()))
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_TEXT_BYTES)
        })
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .collect()
}

/// Whether a file name is one of the usual names of a licence file.
fn is_licence_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE"]
        .iter()
        .any(|start| upper.starts_with(start))
}
