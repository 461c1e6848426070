//! The workspace's shape, as `cargo metadata` reads it from the manifests: which crate may
//! depend on which. The arrows point inward only — the shells (the CLI, the Tauri app) depend
//! on the core, never the other way — and each outer concern stays in the one crate that owns
//! it, so a wrong arrow fails here before anyone has to spot it in review.

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
fn the_workspace_is_the_vault_the_core_and_its_two_shells() {
    let all = workspace_dependencies();
    let names: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "holdspace",
            "holdspace-app",
            "holdspace-cli",
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
fn the_core_depends_on_the_vault_and_on_nothing_outward() {
    let all = workspace_dependencies();
    let inward: Vec<&String> = dependencies_of(&all, "holdspace")
        .iter()
        .filter(|d| all.contains_key(d.as_str()))
        .collect();
    assert_eq!(
        inward,
        ["holdspace-vault"],
        "the core depends on {inward:?}: arrows point inward only"
    );
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
    assert!(!dependencies_of(&all, "holdspace-cli").contains(&"holdspace-app".to_owned()));
    assert!(!dependencies_of(&all, "holdspace-app").contains(&"holdspace-cli".to_owned()));
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
