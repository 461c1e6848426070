//! About Holdspace: the version the app is, the vault format it writes, and the licences of
//! every crate built into it.
//!
//! Policy: the licence list is generated at build time from `Cargo.lock`'s resolution and the
//! crates' own licence files (`licences.rs`, beside `build.rs`), embedded in the binary, and
//! read once. Nothing in it is written by hand.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The app's version, as Cargo.toml gives it.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The licence list as the build wrote it.
const LICENCES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/licences.json"));

/// The licences of everything built into the app.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Licences {
    /// Every crate, by name then version.
    pub components: Vec<Component>,
    /// The distinct licence texts the crates ship, each once; components point into this.
    pub texts: Vec<String>,
}

/// One crate built into the app.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Component {
    /// The crate's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its licence expression (SPDX), as its manifest gives it, when it gives one.
    pub licence: Option<String>,
    /// Where its source is published, when its manifest says.
    pub repository: Option<String>,
    /// Indexes into [`Licences::texts`] of the licence files it ships.
    pub texts: Vec<usize>,
}

static LICENCES: LazyLock<Licences> = LazyLock::new(|| {
    // The build wrote this file from serde_json; a build that wrote anything else fails
    // the tests below rather than here.
    serde_json::from_str(LICENCES_JSON).unwrap_or(Licences {
        components: Vec::new(),
        texts: Vec::new(),
    })
});

/// The licences of everything built into the app.
pub fn licences() -> &'static Licences {
    &LICENCES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str) -> Option<&'static Component> {
        licences().components.iter().find(|c| c.name == name)
    }

    #[test]
    fn the_list_reads_and_names_what_the_app_is_built_from() {
        serde_json::from_str::<Licences>(LICENCES_JSON).expect("the build's licence list");
        for name in [
            "holdspace",
            "holdspace-app",
            "tauri",
            "sled",
            "chacha20poly1305",
            "argon2",
            "zeroize",
            "webkit2gtk",
        ] {
            assert!(component(name).is_some(), "{name} is missing");
        }
    }

    #[test]
    fn tools_used_only_to_build_or_test_are_not_listed() {
        for name in [
            "tauri-build",
            "cargo_metadata",
            "proptest",
            "thirtyfour",
            "tempfile",
        ] {
            assert!(component(name).is_none(), "{name} is listed");
        }
    }

    #[test]
    fn every_crate_states_a_licence_and_every_text_is_used() {
        let list = licences();
        for c in &list.components {
            assert!(
                c.licence.as_deref().is_some_and(|l| !l.trim().is_empty()) || !c.texts.is_empty(),
                "{} {} states no licence",
                c.name,
                c.version
            );
            assert!(c.texts.iter().all(|&i| i < list.texts.len()), "{}", c.name);
        }
        let used: std::collections::BTreeSet<usize> = list
            .components
            .iter()
            .flat_map(|c| c.texts.iter().copied())
            .collect();
        assert_eq!(used.len(), list.texts.len(), "a text no crate ships");
    }

    #[test]
    fn well_known_licences_come_with_their_text() {
        let list = licences();
        let text_of = |name: &str| {
            let c = component(name).unwrap_or_else(|| panic!("{name} is missing"));
            c.texts
                .iter()
                .map(|&i| list.texts[i].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(text_of("tauri").contains("Apache License"));
        assert!(text_of("serde").contains("Permission is hereby granted"));
    }
}
