//! Build script: generates Tauri's context and makes the app's commands an explicit
//! allow-list, so a command works only where `capabilities/main.json` grants it (Tauri
//! otherwise allows every app command to every window).

include!("src/command_names.rs");

fn main() {
    // The UI is embedded in the binary: any change to it must rebuild the app.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=src/command_names.rs");
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
