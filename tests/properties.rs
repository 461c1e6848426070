//! Property tests for the record store: any JSON body (arbitrary Unicode strings, nested arrays
//! and objects) and any typed serde body round-trip through `put`/`get` unchanged, before and
//! after the vault is locked and reopened; every kind matching `[a-z0-9_-]{1,32}` is accepted
//! and kept, every other kind is refused without writing anything.
//!
//! One vault per test and 64 cases each keep the file to a few seconds. Floats are left out of
//! the generated JSON: serde_json (without its `float_roundtrip` feature) may parse a float one
//! ulp off, which is serde_json's property, not the vault's.

mod common;

use std::cell::RefCell;

use common::*;
use holdspace::{RecordId, VaultError};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const CASES: u32 = 64;

/// Runs `test` over `strategy` for [`CASES`] cases, panicking with the shrunk failing input.
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    // Failures are reported in the panic message; no regression files are written into tests/.
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(err) = TestRunner::new(config).run(&strategy, test) {
        panic!("{err}");
    }
}

fn fail(err: VaultError) -> TestCaseError {
    TestCaseError::fail(format!("{err:?}"))
}

/// Any JSON value without floats, up to four levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[test]
fn any_json_body_round_trips_unchanged() {
    let (_tmp, vault, _) = new_vault();
    let written = RefCell::new(Vec::new());
    check((json_value(), any::<u32>()), |(body, schema)| {
        let id = RecordId::random();
        vault.put(id, "note", schema, &body).map_err(fail)?;
        let record = vault.get(id).map_err(fail)?.expect("just written");
        let json = serde_json::to_vec(&body).unwrap();
        prop_assert_eq!(record.body_json(), json.as_slice());
        prop_assert_eq!(record.schema, schema);
        prop_assert_eq!(record.decode::<Value>().map_err(fail)?, body);
        written.borrow_mut().push((id, json));
        Ok(())
    });
    // Everything written is still exactly there after locking and reopening.
    let dir = vault.dir().to_path_buf();
    vault.lock().unwrap();
    let vault = reopen(&dir);
    for (id, json) in written.into_inner() {
        assert_eq!(vault.get(id).unwrap().unwrap().body_json(), json.as_slice());
    }
}

/// A typed body of the kind the domain layer stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Body {
    title: String,
    lines: Vec<Vec<String>>,
    tags: Vec<String>,
    count: u64,
    flag: Option<bool>,
}

fn body() -> impl Strategy<Value = Body> {
    let strings = || prop::collection::vec(any::<String>(), 0..4);
    (
        any::<String>(),
        prop::collection::vec(strings(), 0..4),
        strings(),
        any::<u64>(),
        any::<Option<bool>>(),
    )
        .prop_map(|(title, lines, tags, count, flag)| Body {
            title,
            lines,
            tags,
            count,
            flag,
        })
}

#[test]
fn any_typed_body_round_trips_unchanged() {
    let (_tmp, vault, _) = new_vault();
    check(body(), |body| {
        let id = RecordId::random();
        vault.put(id, "member", 1, &body).map_err(fail)?;
        let record = vault.get(id).map_err(fail)?.expect("just written");
        prop_assert_eq!(record.decode::<Body>().map_err(fail)?, body);
        Ok(())
    });
}

#[test]
fn any_valid_kind_is_accepted_and_kept() {
    let (_tmp, vault, _) = new_vault();
    check("[a-z0-9_-]{1,32}", |kind| {
        let id = RecordId::random();
        vault.put(id, &kind, 1, &note(1)).map_err(fail)?;
        let record = vault.get(id).map_err(fail)?.expect("just written");
        prop_assert_eq!(&record.kind, &kind);
        let found = vault
            .scan_kind(&kind)
            .filter_map(Result::ok)
            .any(|r| r.id == id);
        prop_assert!(found, "scan_kind finds the record");
        Ok(())
    });
}

fn is_valid_kind(kind: &str) -> bool {
    (1..=32).contains(&kind.len())
        && kind
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

#[test]
fn any_other_kind_is_refused_and_nothing_is_written() {
    let (_tmp, vault, _) = new_vault();
    let invalid = prop_oneof![
        any::<String>(),
        "[a-z0-9_-]{33,40}",
        "[a-z0-9_-]{0,8}[A-Z ./\u{e9}\u{1F511}][a-z0-9_-]{0,8}",
    ]
    .prop_filter("must be an invalid kind", |k| !is_valid_kind(k));
    check(invalid, |kind| {
        let err = vault.put(RecordId::random(), &kind, 1, &note(1)).err();
        prop_assert!(
            matches!(err, Some(VaultError::InvalidKind { .. })),
            "{:?}",
            err
        );
        prop_assert!(vault.is_empty());
        Ok(())
    });
}
