//! The UI's words for the core's values, held to the core: every key of a table in
//! `ui/lib/labels.js` is a value the core reads, and the one domain rule the UI must know before
//! a result exists (which membership statuses end a membership, for a status chosen in a form)
//! is exactly the core's `MembershipStatus::is_final`.

use std::collections::BTreeSet;

use holdspace::practice::{AuditAction, MembershipStatus, SignatureMethod};
use serde::de::DeserializeOwned;

fn labels_js() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/lib/labels.js");
    std::fs::read_to_string(&path).expect("ui/lib/labels.js is readable")
}

/// The text between `export const NAME = ` and the `;` that ends it.
fn declaration<'a>(source: &'a str, name: &str) -> &'a str {
    let start = source
        .find(&format!("export const {name} = "))
        .unwrap_or_else(|| panic!("labels.js exports {name}"));
    let rest = &source[start..];
    &rest[..rest.find(';').expect("the declaration ends")]
}

/// The object keys (`key: 'Words'`) of the table `name`.
fn table_keys(source: &str, name: &str) -> Vec<String> {
    let body = declaration(source, name);
    let inner = &body[body.find('{').expect("an object") + 1..body.rfind('}').expect("closed")];
    inner
        .split(',')
        .filter_map(|entry| entry.split_once(':'))
        .map(|(key, _)| key.trim().to_owned())
        .collect()
}

/// The quoted strings of the list `name` (`new Set(['a', 'b'])`).
fn list_items(source: &str, name: &str) -> BTreeSet<String> {
    let body = declaration(source, name);
    let inner = &body[body.find('[').expect("a list") + 1..body.rfind(']').expect("closed")];
    inner
        .split(',')
        .map(|item| item.trim().trim_matches('\'').to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

fn parse<T: DeserializeOwned>(key: &str) -> T {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .unwrap_or_else(|e| panic!("the core does not read {key:?}: {e}"))
}

#[test]
fn the_final_membership_statuses_are_the_cores() {
    let source = labels_js();
    let statuses = table_keys(&source, "MEMBERSHIP_STATUSES");
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    let core_final: BTreeSet<String> = statuses
        .iter()
        .filter(|key| parse::<MembershipStatus>(key).is_final())
        .cloned()
        .collect();
    assert_eq!(list_items(&source, "FINAL_MEMBERSHIP_STATUSES"), core_final);
}

#[test]
fn every_signature_method_the_ui_names_is_the_cores() {
    let source = labels_js();
    let methods = table_keys(&source, "SIGNATURE_METHODS");
    assert_eq!(methods, ["client_mode", "paper_copy"]);
    for method in &methods {
        let _: SignatureMethod = parse(method);
    }
}

#[test]
fn the_audit_log_has_words_for_every_action_the_core_records() {
    let source = labels_js();
    let named = table_keys(&source, "AUDIT_ACTIONS");
    let core: Vec<String> = AuditAction::ALL
        .iter()
        .map(|action| {
            serde_json::to_value(action)
                .expect("an action serialises")
                .as_str()
                .expect("as its name")
                .to_owned()
        })
        .collect();
    assert_eq!(
        named, core,
        "ui/lib/labels.js AUDIT_ACTIONS, in the core's order"
    );
}

#[test]
fn the_reader_finds_keys_and_items() {
    let source =
        "export const T = {\n  a: 'A',\n  b_c: 'B, C',\n};\nexport const L = new Set(['x', 'y']);";
    assert_eq!(table_keys(source, "T"), ["a", "b_c"]);
    assert_eq!(
        list_items(source, "L"),
        BTreeSet::from(["x".to_owned(), "y".to_owned()])
    );
}
