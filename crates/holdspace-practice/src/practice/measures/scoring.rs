//! Scoring one set of answers against its definition: the total, whether it was prorated,
//! its band, the items left unanswered and the safety items that need the practitioner.
//!
//! Policy: the published scoring is the sum of the items' points. An answer left out is never
//! read as "not at all": with few enough left out (the definition's [`MissingRule`](super::definition::MissingRule)) the
//! total is prorated and says so; with more there is no total and no band. A safety item
//! answered above the lowest option is flagged, and so is a safety item left unanswered,
//! because silence there is something to ask about, not reassurance.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::definition::{Band, MeasureDefinition};

/// What a person answered: one entry per item (the option's points, or `None` when left
/// unanswered) and the follow-up question's option index, if asked and answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// Each item's points, in item order.
    pub items: Vec<Option<u8>>,
    /// The follow-up answer, as an index into its options.
    #[serde(default)]
    pub follow_up: Option<u8>,
}

/// The total of a set of answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Total {
    /// Every item answered: the plain sum.
    Complete {
        /// The total.
        total: u16,
    },
    /// A few items unanswered: the answered items' mean times the item count, rounded half up.
    Prorated {
        /// The total.
        total: u16,
        /// How many items were answered.
        answered: usize,
    },
    /// Too many items unanswered for a total.
    Incomplete {
        /// How many items were answered.
        answered: usize,
        /// How many must be answered for a total.
        needed: usize,
    },
}

impl Total {
    /// The number, when there is one.
    pub fn value(self) -> Option<u16> {
        match self {
            Self::Complete { total } | Self::Prorated { total, .. } => Some(total),
            Self::Incomplete { .. } => None,
        }
    }
}

/// A safety item that needs the practitioner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SafetyFlag {
    /// The item's number, from 1.
    pub item: usize,
    /// The points answered, or `None` when the item was left unanswered.
    pub answer: Option<u8>,
}

/// A scored set of answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The total.
    pub total: Total,
    /// The band the total falls in, when there is a total.
    pub band: Option<Band>,
    /// The numbers (from 1) of the items left unanswered.
    pub unanswered: Vec<usize>,
    /// The safety items that need the practitioner, in item order.
    pub safety: Vec<SafetyFlag>,
}

/// Why a set of answers cannot be scored against a definition.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AnswerError {
    /// Not one answer per item.
    #[error("{measure} has {expected} questions but {given} answers were given")]
    Count {
        /// The measure's short name.
        measure: String,
        /// Its item count.
        expected: usize,
        /// The answers given.
        given: usize,
    },
    /// An item's answer is none of the options.
    #[error("the answer to question {item} of {measure} is not one of its options")]
    NotAnOption {
        /// The measure's short name.
        measure: String,
        /// The item's number, from 1.
        item: usize,
    },
    /// The follow-up answer is none of its options, or the measure has no follow-up.
    #[error("the answer to {measure}'s last question is not one of its options")]
    FollowUp {
        /// The measure's short name.
        measure: String,
    },
}

/// Scores `answers` against `definition`.
pub fn score(definition: &MeasureDefinition, answers: &Answers) -> Result<Score, AnswerError> {
    check_answers(definition, answers)?;
    let answered: Vec<u8> = answers.items.iter().flatten().copied().collect();
    let unanswered: Vec<usize> = numbers_where(&answers.items, Option::is_none);
    let total = total(definition, &answered);
    let band = total.value().and_then(|t| definition.band(t)).cloned();
    Ok(Score {
        total,
        band,
        unanswered,
        safety: safety_flags(definition, &answers.items),
    })
}

/// The safety items among `items` that need the practitioner: answered above the lowest
/// option, or left unanswered. Allocates nothing when there are none, so screens can ask it of
/// every answered questionnaire in the practice.
pub fn safety_flags(definition: &MeasureDefinition, items: &[Option<u8>]) -> Vec<SafetyFlag> {
    let lowest = definition.lowest_value();
    definition
        .items
        .iter()
        .zip(items)
        .enumerate()
        .filter(|(_, (item, answer))| item.safety && answer.is_none_or(|a| a > lowest))
        .map(|(n, (_, answer))| SafetyFlag {
            item: n + 1,
            answer: *answer,
        })
        .collect()
}

/// Whether the follow-up question is asked after these item answers: only when one was
/// answered above the lowest option, as the published forms say.
pub fn follow_up_asked(definition: &MeasureDefinition, items: &[Option<u8>]) -> bool {
    let lowest = definition.lowest_value();
    definition.follow_up.is_some() && items.iter().flatten().any(|&a| a > lowest)
}

fn check_answers(definition: &MeasureDefinition, answers: &Answers) -> Result<(), AnswerError> {
    let measure = definition.name.clone();
    if answers.items.len() != definition.items.len() {
        return Err(AnswerError::Count {
            measure,
            expected: definition.items.len(),
            given: answers.items.len(),
        });
    }
    let not_an_option = |a: &Option<u8>| a.is_some_and(|a| !definition.is_option(a));
    if let Some(item) = numbers_where(&answers.items, not_an_option).first() {
        return Err(AnswerError::NotAnOption {
            measure,
            item: *item,
        });
    }
    if answers
        .follow_up
        .is_some_and(|index| !definition.is_follow_up_option(index))
    {
        return Err(AnswerError::FollowUp { measure });
    }
    Ok(())
}

fn total(definition: &MeasureDefinition, answered: &[u8]) -> Total {
    let count = definition.items.len();
    let needed = count - definition.missing.prorate_at_most.min(count);
    let sum: u32 = answered.iter().map(|&a| u32::from(a)).sum();
    let to_u16 = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
    if answered.len() == count {
        Total::Complete { total: to_u16(sum) }
    } else if answered.len() >= needed && !answered.is_empty() {
        let (count, given) = (count as u32, answered.len() as u32);
        // sum × count ÷ given, rounded half up, in whole numbers.
        let total = (2 * sum * count + given) / (2 * given);
        Total::Prorated {
            total: to_u16(total),
            answered: answered.len(),
        }
    } else {
        Total::Incomplete {
            answered: answered.len(),
            needed,
        }
    }
}

fn numbers_where(items: &[Option<u8>], wanted: impl Fn(&Option<u8>) -> bool) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, a)| wanted(a))
        .map(|(n, _)| n + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::measures::find;
    use proptest::prelude::*;

    fn measure(id: &str) -> &'static MeasureDefinition {
        find(id).unwrap()
    }

    /// Answers whose points add up to `total`, highest items first.
    fn summing_to(definition: &MeasureDefinition, mut total: u16) -> Answers {
        let items = (0..definition.items.len())
            .map(|_| {
                let points = total.min(3) as u8;
                total -= u16::from(points);
                Some(points)
            })
            .collect();
        Answers {
            items,
            follow_up: None,
        }
    }

    fn answers(items: &[Option<u8>]) -> Answers {
        Answers {
            items: items.to_vec(),
            follow_up: None,
        }
    }

    #[test]
    fn every_band_boundary_scores_into_its_published_band() {
        let table: &[(&str, u16, &str)] = &[
            ("phq-9", 0, "None–minimal"),
            ("phq-9", 4, "None–minimal"),
            ("phq-9", 5, "Mild"),
            ("phq-9", 9, "Mild"),
            ("phq-9", 10, "Moderate"),
            ("phq-9", 14, "Moderate"),
            ("phq-9", 15, "Moderately severe"),
            ("phq-9", 19, "Moderately severe"),
            ("phq-9", 20, "Severe"),
            ("phq-9", 27, "Severe"),
            ("gad-7", 0, "Minimal"),
            ("gad-7", 4, "Minimal"),
            ("gad-7", 5, "Mild"),
            ("gad-7", 9, "Mild"),
            ("gad-7", 10, "Moderate"),
            ("gad-7", 14, "Moderate"),
            ("gad-7", 15, "Severe"),
            ("gad-7", 21, "Severe"),
        ];
        for &(id, total, band) in table {
            let definition = measure(id);
            let score = score(definition, &summing_to(definition, total)).unwrap();
            assert_eq!(score.total, Total::Complete { total }, "{id} {total}");
            assert_eq!(score.band.unwrap().label, band, "{id} {total}");
            assert!(score.unanswered.is_empty());
        }
    }

    #[test]
    fn unanswered_items_prorate_a_few_and_refuse_a_total_beyond() {
        let n = None;
        /// Id, answers, total, band.
        type Row<'a> = (&'a str, &'a [Option<u8>], Total, Option<&'a str>);
        let table: &[Row<'_>] = &[
            // PHQ-9 prorates with up to two of nine unanswered.
            (
                "phq-9",
                &[
                    n,
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                ],
                Total::Prorated {
                    total: 9,
                    answered: 8,
                },
                Some("Mild"),
            ),
            // 4 × 9 ÷ 8 = 4.5 rounds half up, into the next band.
            (
                "phq-9",
                &[
                    n,
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                ],
                Total::Prorated {
                    total: 5,
                    answered: 8,
                },
                Some("Mild"),
            ),
            // 10 × 9 ÷ 7 = 12.86 rounds to 13.
            (
                "phq-9",
                &[
                    n,
                    n,
                    Some(2),
                    Some(2),
                    Some(2),
                    Some(2),
                    Some(2),
                    Some(0),
                    Some(0),
                ],
                Total::Prorated {
                    total: 13,
                    answered: 7,
                },
                Some("Moderate"),
            ),
            (
                "phq-9",
                &[
                    n,
                    n,
                    n,
                    Some(3),
                    Some(3),
                    Some(3),
                    Some(3),
                    Some(3),
                    Some(0),
                ],
                Total::Incomplete {
                    answered: 6,
                    needed: 7,
                },
                None,
            ),
            (
                "phq-9",
                &[n; 9],
                Total::Incomplete {
                    answered: 0,
                    needed: 7,
                },
                None,
            ),
            // GAD-7 prorates with one of seven unanswered, and no more.
            (
                "gad-7",
                &[n, Some(1), Some(1), Some(1), Some(1), Some(1), Some(1)],
                Total::Prorated {
                    total: 7,
                    answered: 6,
                },
                Some("Mild"),
            ),
            (
                "gad-7",
                &[n, Some(3), Some(3), Some(3), Some(3), Some(3), Some(3)],
                Total::Prorated {
                    total: 21,
                    answered: 6,
                },
                Some("Severe"),
            ),
            (
                "gad-7",
                &[n, n, Some(3), Some(3), Some(3), Some(3), Some(3)],
                Total::Incomplete {
                    answered: 5,
                    needed: 6,
                },
                None,
            ),
            (
                "gad-7",
                &[Some(0); 7],
                Total::Complete { total: 0 },
                Some("Minimal"),
            ),
        ];
        for (id, items, total, band) in table {
            let score = score(measure(id), &answers(items)).unwrap();
            assert_eq!(score.total, *total, "{id} {items:?}");
            assert_eq!(
                score.band.map(|b| b.label).as_deref(),
                *band,
                "{id} {items:?}"
            );
            let unanswered: Vec<usize> = (1..=items.len())
                .filter(|&n| items[n - 1].is_none())
                .collect();
            assert_eq!(score.unanswered, unanswered);
        }
    }

    #[test]
    fn phq9_item_9_above_not_at_all_or_unanswered_is_a_safety_flag() {
        let phq9 = measure("phq-9");
        let with_item_9 = |answer: Option<u8>| {
            let mut items = vec![Some(0); 8];
            items.push(answer);
            score(phq9, &answers(&items)).unwrap().safety
        };
        assert_eq!(with_item_9(Some(0)), []);
        for points in 1..=3 {
            assert_eq!(
                with_item_9(Some(points)),
                [SafetyFlag {
                    item: 9,
                    answer: Some(points)
                }]
            );
        }
        assert_eq!(
            with_item_9(None),
            [SafetyFlag {
                item: 9,
                answer: None
            }]
        );
        // GAD-7 has no safety item, however it is answered.
        assert_eq!(
            score(measure("gad-7"), &answers(&[Some(3); 7]))
                .unwrap()
                .safety,
            []
        );
    }

    #[test]
    fn answers_that_do_not_fit_the_measure_are_refused_with_the_question_named() {
        let phq9 = measure("phq-9");
        let refused = |items: &[Option<u8>], follow_up: Option<u8>| {
            score(
                phq9,
                &Answers {
                    items: items.to_vec(),
                    follow_up,
                },
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            refused(&[Some(0); 8], None),
            "PHQ-9 has 9 questions but 8 answers were given"
        );
        let mut items = vec![Some(0); 9];
        items[3] = Some(4);
        assert_eq!(
            refused(&items, None),
            "the answer to question 4 of PHQ-9 is not one of its options"
        );
        assert_eq!(
            refused(&[Some(1); 9], Some(4)),
            "the answer to PHQ-9's last question is not one of its options"
        );
        assert!(score(
            phq9,
            &Answers {
                items: vec![Some(1); 9],
                follow_up: Some(3)
            }
        )
        .is_ok());
    }

    #[test]
    fn the_follow_up_is_asked_only_after_a_problem_was_reported() {
        let gad7 = measure("gad-7");
        assert!(!follow_up_asked(gad7, &[Some(0); 7]));
        assert!(!follow_up_asked(gad7, &[None; 7]));
        let mut items = vec![Some(0); 7];
        items[6] = Some(1);
        assert!(follow_up_asked(gad7, &items));
    }

    proptest! {
        #[test]
        fn a_complete_total_is_the_sum_and_always_has_a_band(
            id in prop::sample::select(vec!["phq-9", "gad-7"]),
            points in prop::collection::vec(0u8..=3, 9),
        ) {
            let definition = measure(id);
            let items: Vec<Option<u8>> = points[..definition.items.len()].iter().map(|&p| Some(p)).collect();
            let sum: u16 = items.iter().flatten().map(|&p| u16::from(p)).sum();
            let score = score(definition, &answers(&items)).unwrap();
            prop_assert_eq!(score.total, Total::Complete { total: sum });
            let band = score.band.unwrap();
            prop_assert!(band.from <= sum && sum <= band.to);
        }

        #[test]
        fn a_prorated_total_stays_in_range_and_between_the_sums_it_could_have_been(
            id in prop::sample::select(vec!["phq-9", "gad-7"]),
            points in prop::collection::vec(prop::option::weighted(0.8, 0u8..=3), 9),
        ) {
            let definition = measure(id);
            let items = &points[..definition.items.len()];
            let score = score(definition, &answers(items)).unwrap();
            let sum: u16 = items.iter().flatten().map(|&p| u16::from(p)).sum();
            let missing = items.iter().filter(|a| a.is_none()).count() as u16;
            match score.total {
                Total::Complete { total } => prop_assert_eq!(total, sum),
                Total::Prorated { total, .. } => {
                    // Never below what was answered, never above every gap answered at worst.
                    prop_assert!(sum <= total && total <= sum + 3 * missing);
                    prop_assert!(score.band.is_some());
                }
                Total::Incomplete { .. } => {
                    prop_assert!(usize::from(missing) > definition.missing.prorate_at_most);
                    prop_assert!(score.band.is_none());
                }
            }
        }
    }
}
