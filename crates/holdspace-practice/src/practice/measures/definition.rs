//! What a questionnaire is, as data: its items, answer options, follow-up question, score
//! bands, missing-answer rule, source and citation, and the checks a definition must pass.
//!
//! Policy: a definition is refused unless scoring it can never go wrong — option values
//! distinct and rising, bands that cover every possible total exactly once with no gap, a
//! missing-answer rule that leaves most items answered, and no blank wording. So a new measure
//! is a new JSON file in the crate's `measures/` folder, checked by the same tests as the
//! built-in ones, and never new code.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The most items a measure may have.
pub const MAX_ITEMS: usize = 100;
/// The most answer options an item (or the follow-up question) may have.
pub const MAX_OPTIONS: usize = 10;

/// One questionnaire, exactly as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDefinition {
    /// Its stable id, lowercase letters, digits and hyphens (`"phq-9"`): what records name.
    pub id: String,
    /// The definition's version; a record keeps the version it was answered on.
    pub version: u32,
    /// Its short name (`"PHQ-9"`).
    pub name: String,
    /// Its full title.
    pub title: String,
    /// One line for the practitioner on what it measures.
    pub about: String,
    /// The question every item answers ("Over the last 2 weeks, …").
    pub stem: String,
    /// The answer options, the same for every item, lowest first.
    pub options: Vec<AnswerOption>,
    /// The scored items, in order.
    pub items: Vec<Item>,
    /// The unscored question asked after the items, if the measure has one.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// The severity bands over the total, lowest first.
    pub bands: Vec<Band>,
    /// How a questionnaire with unanswered items is scored.
    pub missing: MissingRule,
    /// Who made it and on what terms it may be reproduced.
    pub source: String,
    /// The publication to cite.
    pub citation: String,
}

/// An answer option and the points it scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// The points.
    pub value: u8,
    /// The words the person chooses.
    pub label: String,
}

/// A scored item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Its wording.
    pub text: String,
    /// Whether an answer above the lowest option (or no answer) is a safety matter the
    /// practitioner must see first.
    #[serde(default)]
    pub safety: bool,
}

/// The unscored follow-up question; the published forms ask it only of someone who reported
/// a problem, so it is asked only when an item was answered above the lowest option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Its wording.
    pub text: String,
    /// Its options, in order; an answer is an index into them.
    pub options: Vec<String>,
}

/// A severity band: the totals `from..=to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The lowest total in the band.
    pub from: u16,
    /// The highest total in the band.
    pub to: u16,
    /// Its name ("Mild").
    pub label: String,
}

/// How unanswered items are scored: with at most `prorate_at_most` items unanswered the total
/// is the answered items' mean times the number of items, rounded half up, and marked as
/// prorated; with more there is no total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingRule {
    /// The most items that may be left unanswered for a total to be given.
    pub prorate_at_most: usize,
}

/// Why a definition was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DefinitionError {
    /// The JSON does not have the definition's shape.
    #[error("the definition is not valid JSON of the expected shape: {0}")]
    Shape(String),
    /// The id is not lowercase letters, digits and hyphens.
    #[error("the id {0:?} must be lowercase letters, digits and hyphens")]
    Id(String),
    /// A piece of wording is blank or has spaces around it.
    #[error("the {0} is blank or has spaces around it")]
    Wording(String),
    /// Too few or too many items or options (the follow-up question's included).
    #[error("a measure needs 1 to 100 items and 2 to 10 answer options")]
    Size,
    /// The option values are not distinct and rising.
    #[error("the answer options' values must rise from the first to the last")]
    Options,
    /// The bands leave a gap, overlap, or miss the lowest or highest total.
    #[error("the bands must cover every total from {lowest} to {highest} once, in order")]
    Bands {
        /// The lowest possible total.
        lowest: u16,
        /// The highest possible total.
        highest: u16,
    },
    /// The missing-answer rule would give a total with most items unanswered.
    #[error("a total may be prorated only when most items are answered")]
    Missing,
}

impl MeasureDefinition {
    /// Reads and checks a definition.
    pub fn from_json(json: &str) -> Result<Self, DefinitionError> {
        let definition: Self =
            serde_json::from_str(json).map_err(|e| DefinitionError::Shape(e.to_string()))?;
        definition.check()?;
        Ok(definition)
    }

    /// The lowest and highest totals possible.
    pub fn total_range(&self) -> (u16, u16) {
        let count = self.items.len() as u16;
        let lowest = self.options.first().map_or(0, |o| u16::from(o.value));
        let highest = self.options.last().map_or(0, |o| u16::from(o.value));
        (lowest.saturating_mul(count), highest.saturating_mul(count))
    }

    /// The lowest option's value: "no problem".
    pub fn lowest_value(&self) -> u8 {
        self.options.first().map_or(0, |o| o.value)
    }

    /// The band a total falls in.
    pub fn band(&self, total: u16) -> Option<&Band> {
        self.bands.iter().find(|b| (b.from..=b.to).contains(&total))
    }

    /// Whether `points` is one of the items' answer options.
    pub fn is_option(&self, points: u8) -> bool {
        self.options.iter().any(|o| o.value == points)
    }

    /// The words of the answer option worth `points`.
    pub fn option_label(&self, points: u8) -> Option<&str> {
        self.options
            .iter()
            .find(|o| o.value == points)
            .map(|o| o.label.as_str())
    }

    /// Whether `index` is one of the follow-up question's options (false without one).
    pub fn is_follow_up_option(&self, index: u8) -> bool {
        self.follow_up
            .as_ref()
            .is_some_and(|f| usize::from(index) < f.options.len())
    }

    /// Checks everything scoring relies on.
    pub fn check(&self) -> Result<(), DefinitionError> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(DefinitionError::Id(self.id.clone()));
        }
        let follow_up_options = self.follow_up.as_ref().map_or(2, |f| f.options.len());
        if !(1..=MAX_ITEMS).contains(&self.items.len())
            || !(2..=MAX_OPTIONS).contains(&self.options.len())
            || !(2..=MAX_OPTIONS).contains(&follow_up_options)
        {
            return Err(DefinitionError::Size);
        }
        self.check_wording()?;
        if self
            .options
            .windows(2)
            .any(|pair| pair[0].value >= pair[1].value)
        {
            return Err(DefinitionError::Options);
        }
        self.check_bands()?;
        if self.missing.prorate_at_most * 2 >= self.items.len() {
            return Err(DefinitionError::Missing);
        }
        Ok(())
    }

    fn check_wording(&self) -> Result<(), DefinitionError> {
        let mut texts: Vec<(String, &str)> = vec![
            ("name".into(), &self.name),
            ("title".into(), &self.title),
            ("about".into(), &self.about),
            ("stem".into(), &self.stem),
            ("source".into(), &self.source),
            ("citation".into(), &self.citation),
        ];
        for (n, option) in self.options.iter().enumerate() {
            texts.push((format!("answer option {}", n + 1), &option.label));
        }
        for (n, item) in self.items.iter().enumerate() {
            texts.push((format!("item {}", n + 1), &item.text));
        }
        for (n, band) in self.bands.iter().enumerate() {
            texts.push((format!("band {}", n + 1), &band.label));
        }
        if let Some(follow_up) = &self.follow_up {
            texts.push(("follow-up question".into(), &follow_up.text));
            for (n, option) in follow_up.options.iter().enumerate() {
                texts.push((format!("follow-up option {}", n + 1), option));
            }
        }
        match texts
            .into_iter()
            .find(|(_, text)| text.trim().is_empty() || text.trim() != *text)
        {
            Some((what, _)) => Err(DefinitionError::Wording(what)),
            None => Ok(()),
        }
    }

    fn check_bands(&self) -> Result<(), DefinitionError> {
        let (lowest, highest) = self.total_range();
        let refused = DefinitionError::Bands { lowest, highest };
        let mut next = lowest;
        for (n, band) in self.bands.iter().enumerate() {
            if band.from != next || band.to < band.from || band.to > highest {
                return Err(refused);
            }
            if n + 1 == self.bands.len() {
                return if band.to == highest {
                    Ok(())
                } else {
                    Err(refused)
                };
            }
            next = band.to + 1;
        }
        Err(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::measures::catalogue::{built_in, catalogue, find};
    use serde_json::{json, Value};

    fn phq9_json() -> Value {
        serde_json::to_value(find("phq-9").unwrap()).unwrap()
    }

    #[test]
    fn every_built_in_measure_loads() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("measures");
        let files = std::fs::read_dir(folder).unwrap().count();
        for (file, loaded) in built_in() {
            let definition = loaded.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(format!("{}.json", definition.id), file);
        }
        assert_eq!(catalogue().len(), files);
        let ids: Vec<&str> = catalogue().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["gad-7", "phq-9"]);
    }

    #[test]
    fn the_built_in_measures_have_their_published_shape() {
        /// Id, item count, total range, band starts, safety items.
        type Shape = (
            &'static str,
            usize,
            (u16, u16),
            &'static [u16],
            &'static [usize],
        );
        let table: &[Shape] = &[
            ("phq-9", 9, (0, 27), &[0, 5, 10, 15, 20], &[9]),
            ("gad-7", 7, (0, 21), &[0, 5, 10, 15], &[]),
        ];
        for &(id, items, range, band_starts, safety) in table {
            let m = find(id).unwrap();
            assert_eq!(m.items.len(), items, "{id}");
            assert_eq!(m.total_range(), range, "{id}");
            let starts: Vec<u16> = m.bands.iter().map(|b| b.from).collect();
            assert_eq!(starts, band_starts, "{id}");
            let flagged: Vec<usize> = (1..=items).filter(|&n| m.items[n - 1].safety).collect();
            assert_eq!(flagged, safety, "{id}");
            let labels: Vec<&str> = m.options.iter().map(|o| o.label.as_str()).collect();
            assert_eq!(
                labels,
                [
                    "Not at all",
                    "Several days",
                    "More than half the days",
                    "Nearly every day"
                ]
            );
            assert_eq!(m.follow_up.as_ref().unwrap().options.len(), 4);
        }
    }

    /// A PHQ-9 definition with one field replaced, and the refusal it must meet.
    #[test]
    fn fail_definitions_are_refused_with_what_is_wrong() {
        let table: &[(&str, Value, DefinitionError)] = &[
            ("/id", json!("PHQ 9"), DefinitionError::Id("PHQ 9".into())),
            ("/id", json!(""), DefinitionError::Id("".into())),
            ("/items", json!([]), DefinitionError::Size),
            (
                "/options",
                json!([{ "value": 0, "label": "No" }]),
                DefinitionError::Size,
            ),
            ("/options/1/value", json!(0), DefinitionError::Options),
            ("/options/2/value", json!(1), DefinitionError::Options),
            (
                "/items/2/text",
                json!("  "),
                DefinitionError::Wording("item 3".into()),
            ),
            (
                "/items/2/text",
                json!(" Trouble "),
                DefinitionError::Wording("item 3".into()),
            ),
            (
                "/citation",
                json!(""),
                DefinitionError::Wording("citation".into()),
            ),
            (
                "/bands/1/from",
                json!(6),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/bands/1/from",
                json!(4),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/bands/0/from",
                json!(1),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/bands/4/to",
                json!(26),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/bands/4/to",
                json!(28),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/bands",
                json!([]),
                DefinitionError::Bands {
                    lowest: 0,
                    highest: 27,
                },
            ),
            (
                "/missing/prorate_at_most",
                json!(5),
                DefinitionError::Missing,
            ),
            (
                "/follow_up/options",
                json!(["Only one"]),
                DefinitionError::Size,
            ),
        ];
        for (pointer, value, refusal) in table {
            let mut definition = phq9_json();
            *definition.pointer_mut(pointer).unwrap() = value.clone();
            let refused = MeasureDefinition::from_json(&definition.to_string());
            assert_eq!(refused, Err(refusal.clone()), "{pointer} = {value}");
        }
        let mut unknown = phq9_json();
        unknown["scoring"] = json!("sum");
        assert!(matches!(
            MeasureDefinition::from_json(&unknown.to_string()),
            Err(DefinitionError::Shape(_))
        ));
    }
}
