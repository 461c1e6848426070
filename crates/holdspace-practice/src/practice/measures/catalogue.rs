//! The measures this build knows: every definition in the crate's `measures/` folder,
//! compiled in, read and checked once.
//!
//! Policy: the catalogue is fixed at build time, so what a client is asked is exactly what
//! shipped and was tested. A built-in definition that fails its checks is left out rather than
//! crashing the app, and the test `every_built_in_measure_loads` fails the build's tests.

use std::sync::OnceLock;

use super::definition::{DefinitionError, MeasureDefinition};

include!(concat!(env!("OUT_DIR"), "/built_in_measures.rs"));

/// Every built-in measure, ordered by id.
pub fn catalogue() -> &'static [MeasureDefinition] {
    static CATALOGUE: OnceLock<Vec<MeasureDefinition>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut measures: Vec<MeasureDefinition> = built_in()
            .into_iter()
            .filter_map(|(_, loaded)| loaded.ok())
            .collect();
        measures.sort_by(|a, b| a.id.cmp(&b.id));
        measures
    })
}

/// The built-in measure with this id.
pub fn find(id: &str) -> Option<&'static MeasureDefinition> {
    catalogue().iter().find(|m| m.id == id)
}

/// The built-in measure with this id, at exactly this version: the definition an answered
/// questionnaire was answered on.
pub fn find_version(id: &str, version: u32) -> Option<&'static MeasureDefinition> {
    find(id).filter(|m| m.version == version)
}

/// The first of `ids` that is not a built-in measure, or that repeats an earlier one: its
/// index and what is wrong, in words. `None` when every id is known and named once.
pub fn unknown_or_repeated(ids: &[String]) -> Option<(usize, &'static str)> {
    ids.iter().enumerate().find_map(|(i, id)| {
        if find(id).is_none() {
            Some((i, "is not a questionnaire Holdspace knows"))
        } else if ids[..i].contains(id) {
            Some((i, "is chosen twice"))
        } else {
            None
        }
    })
}

/// Every built-in file, read and checked: its name and the definition or why it was refused.
pub fn built_in() -> Vec<(&'static str, Result<MeasureDefinition, DefinitionError>)> {
    BUILT_IN
        .iter()
        .map(|(file, json)| (*file, MeasureDefinition::from_json(json)))
        .collect()
}
