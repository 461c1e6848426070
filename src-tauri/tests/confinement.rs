//! What keeps the window and the code away from the network, checked on the real build
//! inputs: the window's Content Security Policy forbids every remote origin, inline code,
//! plugins and frames, prototypes are frozen and no global Tauri object is exposed
//! (`tauri.conf.json`); and neither the core's nor the app's dependency tree holds a network
//! client or a socket layer (`cargo tree`, offline, as built).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn config() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json");
    serde_json::from_slice(&std::fs::read(path).expect("tauri.conf.json")).expect("JSON")
}

#[test]
fn the_window_allows_only_its_own_origin_and_no_inline_code() {
    let config = config();
    let security = &config["app"]["security"];
    let csp = security["csp"].as_object().expect("a CSP object");
    let expected = [
        ("default-src", "'self'"),
        ("connect-src", "ipc: http://ipc.localhost"),
        ("script-src", "'self'"),
        ("style-src", "'self'"),
        ("img-src", "'self' data:"),
        ("font-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'none'"),
        ("frame-src", "'none'"),
        ("frame-ancestors", "'none'"),
    ];
    assert_eq!(csp.len(), expected.len(), "{csp:?}");
    for (directive, value) in expected {
        assert_eq!(csp[directive], value, "{directive}");
    }
    assert_eq!(security["freezePrototype"], true);
    assert_eq!(security["capabilities"], serde_json::json!(["main"]));
    assert_eq!(config["app"]["withGlobalTauri"], false);
    assert!(
        config.get("plugins").is_none(),
        "no plugin is configured for the page"
    );
}

/// The crate names in `package`'s normal (non-dev, non-build) dependency tree.
fn dependency_names(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
        ])
        .arg(package)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Crates that open connections or sockets.
const NETWORK: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "isahc",
    "surf",
    "attohttpc",
    "h2",
    "h3",
    "quinn",
    "rustls",
    "native-tls",
    "openssl",
    "tungstenite",
    "async-tungstenite",
    "mio",
    "socket2",
    "trust-dns-resolver",
    "hickory-resolver",
    "tauri-plugin-http",
    "tauri-plugin-shell",
    "tauri-plugin-opener",
    "tauri-plugin-updater",
];

#[test]
fn no_network_client_or_socket_layer_is_built_into_the_core_or_the_app() {
    let core = dependency_names("holdspace");
    assert!(
        core.iter().any(|n| n == "sled"),
        "the tree was read: {core:?}"
    );
    for name in NETWORK.iter().chain(&["tokio"]) {
        assert!(
            !core.iter().any(|n| n == name),
            "the core depends on {name}"
        );
    }
    let app = dependency_names("holdspace-app");
    assert!(app.iter().any(|n| n == "tauri"), "the tree was read");
    for name in NETWORK {
        assert!(!app.iter().any(|n| n == name), "the app depends on {name}");
    }
}
