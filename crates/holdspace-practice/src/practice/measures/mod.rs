//! Outcome measures: standard questionnaires (PHQ-9, GAD-7) a member answers, defined as data
//! and scored as their authors publish.
//!
//! Layers: [`definition`] (what a questionnaire is, and the checks that make scoring safe),
//! [`catalogue`](mod@catalogue) (the definitions compiled into this build from the crate's `measures/`
//! folder) and [`scoring`] (totals, bands, missing answers and safety items). The wording,
//! options, bands, missing-answer rule and citations of each measure are in
//! `docs/measures.md`.

pub mod catalogue;
pub mod definition;
pub mod scoring;

pub use catalogue::{catalogue, find, find_version, unknown_or_repeated};
pub use definition::{
    AnswerOption, Band, DefinitionError, FollowUp, Item, MeasureDefinition, MissingRule,
};
pub use scoring::{
    follow_up_asked, safety_flags, score, AnswerError, Answers, SafetyFlag, Score, Total,
};
