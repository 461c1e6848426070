//! Build script: generates Tauri's context and makes the app's commands an explicit
//! allow-list, so a command works only where `capabilities/main.json` grants it (Tauri
//! otherwise allows every app command to every window); and writes the licences of every
//! crate built into the app (`licences.rs`), for the About section.

#[path = "licences.rs"]
mod licences;

include!("src/command_names.rs");

fn main() {
    // The UI is embedded in the binary: any change to it must rebuild the app.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=src/command_names.rs");
    println!("cargo:rerun-if-changed=../Cargo.lock");
    println!("cargo:rerun-if-changed=licences.rs");
    if let Err(error) = write_licences() {
        eprintln!("the licence list could not be made: {error}");
        std::process::exit(1);
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}

/// Writes `licences.json` into the build's output folder.
fn write_licences() -> Result<(), String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let manifest = std::path::Path::new(&var("CARGO_MANIFEST_DIR")?).join("Cargo.toml");
    let out = std::path::Path::new(&var("OUT_DIR")?).join("licences.json");
    licences::write(&manifest, &var("CARGO_PKG_NAME")?, &var("TARGET")?, &out)
}
