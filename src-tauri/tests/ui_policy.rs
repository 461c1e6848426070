//! The UI's safety rules, checked over every file in `ui/` so a violation fails the build:
//! no HTML sink or string evaluation anywhere (record text can never run as code), no inline
//! script or style in HTML (the CSP forbids them anyway), nothing remote, and only `ipc.js`
//! touches Tauri.

use std::path::{Path, PathBuf};

/// Words that must not appear in any UI file, not even in a comment.
const FORBIDDEN: &[&str] = &[
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
    "new Function",
    "setTimeout('",
    "setTimeout(\"",
    "createContextualFragment",
    "srcdoc",
    "DOMParser",
];

fn ui_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("ui/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui"),
        &mut files,
    );
    assert!(files.len() > 10, "ui/ should hold the app");
    files
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn no_html_sink_or_string_evaluation_in_the_ui() {
    let mut found = Vec::new();
    for path in ui_files() {
        let source = text(&path);
        for word in FORBIDDEN {
            if source.contains(word) {
                found.push(format!("{}: {word}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "HTML sinks in ui/:\n{}", found.join("\n"));
}

#[test]
fn only_ipc_js_touches_tauri() {
    for path in ui_files() {
        let source = text(&path);
        let is_ipc = path.file_name().is_some_and(|n| n == "ipc.js");
        if !is_ipc {
            assert!(
                !source.contains("__TAURI"),
                "{} reaches Tauri directly",
                path.display()
            );
        }
    }
}

#[test]
fn html_has_no_inline_script_or_style_and_nothing_is_remote() {
    for path in ui_files() {
        let source = text(&path);
        if path.extension().is_some_and(|e| e == "html") {
            for tag in source.split("<script").skip(1) {
                let head = tag.split('>').next().unwrap_or_default();
                assert!(head.contains("src="), "{}: inline <script>", path.display());
            }
            assert!(
                !source.contains("<style"),
                "{}: inline <style>",
                path.display()
            );
            assert!(
                !source.contains(" style="),
                "{}: style attribute",
                path.display()
            );
            assert!(
                !source.contains(" on"),
                "{}: inline event handler",
                path.display()
            );
        }
        // The SVG namespace is a name, never fetched: the one URL a view may hold.
        let source = source.replace("'http://www.w3.org/2000/svg'", "");
        for remote in ["http://", "https://", "//cdn", "wss://", "ws://"] {
            assert!(
                !source.contains(remote),
                "{}: remote reference {remote}",
                path.display()
            );
        }
    }
}

#[test]
fn the_scan_would_catch_a_sink() {
    let sample = "el.innerHTML = name;";
    assert!(FORBIDDEN.iter().any(|w| sample.contains(w)));
}
