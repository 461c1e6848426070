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

/// Every built-in file, read and checked: its name and the definition or why it was refused.
pub fn built_in() -> Vec<(&'static str, Result<MeasureDefinition, DefinitionError>)> {
    BUILT_IN
        .iter()
        .map(|(file, json)| (*file, MeasureDefinition::from_json(json)))
        .collect()
}
