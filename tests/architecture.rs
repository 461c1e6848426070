//! The workspace's shape, as `cargo metadata` reads it from the manifests: which crate may
//! depend on which. The arrows point inward only — the shells (the CLI; the desktop shell and
//! the Tauri app over it) depend on the core, never the other way — and each outer concern
//! stays in the one crate that owns it, so a wrong arrow fails here before anyone has to spot
//! it in review. What a crate may call inside another is the compiler's to enforce (a shell
//! cannot reach the vault under a practice: `Practice::vault` is the core's own, or the
//! tests' through the `inspect` feature).

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

/// `cargo metadata` of the workspace's own packages, as their manifests declare them.
fn workspace_packages() -> Vec<Value> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");
    metadata["packages"].as_array().expect("packages").clone()
}

/// Each workspace package and the names of its dependencies, of every kind (normal, build
/// and dev).
fn workspace_dependencies() -> BTreeMap<String, Vec<String>> {
    let packages = workspace_packages();
    packages
        .iter()
        .map(|package| {
            let name = package["name"].as_str().expect("a name").to_owned();
            let dependencies = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| d["name"].as_str().expect("a dependency name").to_owned())
                .collect();
            (name, dependencies)
        })
        .collect()
}

fn dependencies_of<'a>(all: &'a BTreeMap<String, Vec<String>>, package: &str) -> &'a [String] {
    all.get(package)
        .unwrap_or_else(|| panic!("{package} is not in the workspace"))
}

#[test]
fn the_workspace_is_the_vault_the_core_and_its_shells() {
    let all = workspace_dependencies();
    let names: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "holdspace",
            "holdspace-app",
            "holdspace-backup",
            "holdspace-cli",
            "holdspace-practice",
            "holdspace-shell",
            "holdspace-vault"
        ]
    );
}

#[test]
fn the_vault_depends_on_no_other_crate_of_the_workspace() {
    let all = workspace_dependencies();
    for dependency in dependencies_of(&all, "holdspace-vault") {
        assert!(
            !all.contains_key(dependency),
            "the vault depends on {dependency}: it knows no practice, no backup and no shell"
        );
    }
}

#[test]
fn the_practice_depends_on_the_vault_only_and_knows_no_backup() {
    let all = workspace_dependencies();
    assert_eq!(
        workspace_crates_under(&all, "holdspace-practice"),
        ["holdspace-vault"],
        "the practice cannot name a backup or a shell"
    );
}

#[test]
fn backups_stand_on_the_practice_only() {
    let all = workspace_dependencies();
    assert_eq!(
        workspace_crates_under(&all, "holdspace-backup"),
        ["holdspace-practice"],
        "backups reach the vault through the practice, and know no shell"
    );
}

#[test]
fn the_core_is_the_practice_and_its_backups_and_nothing_outward() {
    let all = workspace_dependencies();
    assert_eq!(
        workspace_crates_under(&all, "holdspace"),
        ["holdspace-backup", "holdspace-practice"],
        "arrows point inward only"
    );
}

/// The workspace crates `package` depends on, in every kind of dependency.
fn workspace_crates_under<'a>(
    all: &'a BTreeMap<String, Vec<String>>,
    package: &str,
) -> Vec<&'a str> {
    let mut inward: Vec<&str> = dependencies_of(all, package)
        .iter()
        .map(String::as_str)
        .filter(|d| all.contains_key(*d))
        .collect();
    inward.sort_unstable();
    inward.dedup();
    inward
}

#[test]
fn the_desktop_shell_depends_on_the_core_only() {
    let all = workspace_dependencies();
    assert_eq!(
        workspace_crates_under(&all, "holdspace-shell"),
        ["holdspace"],
        "the desktop shell reaches the vault through the core, and knows no window"
    );
}

#[test]
fn the_desktop_app_is_the_shell_in_a_window_and_nothing_depends_on_it() {
    let all = workspace_dependencies();
    assert_eq!(
        workspace_crates_under(&all, "holdspace-app"),
        ["holdspace", "holdspace-shell"]
    );
    for package in all.keys() {
        assert!(
            !dependencies_of(&all, package).contains(&"holdspace-app".to_owned()),
            "{package} depends on the desktop app"
        );
    }
}

#[test]
fn only_the_tests_may_look_at_the_vault_under_a_practice() {
    for package in workspace_packages() {
        for dependency in package["dependencies"].as_array().expect("dependencies") {
            let features = dependency["features"].as_array().expect("features");
            let core = ["holdspace", "holdspace-practice"]
                .contains(&dependency["name"].as_str().unwrap_or_default());
            if core && features.iter().any(|f| f == "inspect") {
                assert_eq!(
                    dependency["kind"], "dev",
                    "{} turns on `inspect` outside its tests",
                    package["name"]
                );
            }
        }
    }
}

#[test]
fn only_the_desktop_app_depends_on_tauri() {
    let all = workspace_dependencies();
    for (package, dependencies) in &all {
        let tauri: Vec<&String> = dependencies
            .iter()
            .filter(|d| d.as_str() == "tauri" || d.starts_with("tauri-"))
            .collect();
        if package != "holdspace-app" {
            assert!(tauri.is_empty(), "{package} depends on {tauri:?}");
        }
    }
}

#[test]
fn only_the_cli_reads_a_command_line_or_a_terminal() {
    let all = workspace_dependencies();
    for (package, dependencies) in &all {
        let terminal: Vec<&String> = dependencies
            .iter()
            .filter(|d| ["clap", "clap_mangen", "rpassword"].contains(&d.as_str()))
            .collect();
        if package != "holdspace-cli" {
            assert!(terminal.is_empty(), "{package} depends on {terminal:?}");
        }
    }
}

#[test]
fn neither_shell_depends_on_the_other() {
    let all = workspace_dependencies();
    for desktop in ["holdspace-app", "holdspace-shell"] {
        assert!(!dependencies_of(&all, "holdspace-cli").contains(&desktop.to_owned()));
        assert!(!dependencies_of(&all, desktop).contains(&"holdspace-cli".to_owned()));
    }
}

#[test]
fn the_desktop_app_is_built_without_the_demo_generator() {
    let packages = workspace_packages();
    let app = packages
        .iter()
        .find(|p| p["name"] == "holdspace-app")
        .expect("the app");
    let normal_core: Vec<&Value> = app["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .filter(|d| d["name"] == "holdspace" && d["kind"].is_null())
        .collect();
    assert_eq!(normal_core.len(), 1, "the app depends on the core once");
    let features = normal_core[0]["features"].as_array().expect("features");
    assert!(
        !features.iter().any(|f| f == "demo"),
        "the app's own dependency on the core enables {features:?}"
    );
}
