//! Outcome questionnaires a member answered: recording them (in client mode or copied from
//! paper), reading them back scored, the safety flags the practitioner must see first,
//! deleting one entered in error, and a group's answers gathered by day (median and bands).
//!
//! Policy: answers are stored as given and never changed; a score is always worked out from
//! them with the definition they were answered on, so it can never disagree with them. An
//! answer set whose safety item is flagged is committed together with a `SafetyFlagged` audit
//! event naming the measure and item (never the answer), and stays an alert until the
//! practitioner marks it reviewed, which is audited too. One entered in error is deleted
//! (audited) and entered again.

use serde::Serialize;
use time::Date;

use super::ids::*;
use super::kind::{RecordKind, Removal};
use super::measures::{self, Band, MeasureDefinition, Score};
use super::model::*;
use super::rules::Validate;
use super::state::Stored;
use super::unlocked::{Practice, PracticeResult};
use super::validate::Invalid;

/// An answered questionnaire with its score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scored {
    /// What was answered.
    pub administration: Administration,
    /// The measure's short name ("PHQ-9").
    pub measure_name: String,
    /// Its score.
    pub score: Score,
}

/// A safety flag the practitioner has not reviewed yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SafetyAlert {
    /// The answered questionnaire.
    pub administration: AdministrationId,
    /// Who answered.
    pub member: MemberId,
    /// Their display name.
    pub display_name: String,
    /// The measure's short name.
    pub measure_name: String,
    /// The item's number, from 1.
    pub item: usize,
    /// The item's wording.
    pub item_text: String,
    /// The answer's words, or `None` when the item was left unanswered.
    pub answer: Option<String>,
    /// The day it was answered.
    pub taken_on: Date,
    /// In client mode or from paper.
    pub answered_by: AnsweredBy,
}

impl Practice {
    /// Records a questionnaire a member answered. Refused when it is not a measure this build
    /// knows, the answers do not fit it, the day is in the future, the member (or the group,
    /// if named) is unknown, or the id is already recorded: answers are never changed.
    pub fn record_administration(&mut self, answered: Administration) -> PracticeResult<Scored> {
        if self.state.administrations.contains_key(&answered.id) {
            return Err(
                Invalid::new("id", "is already recorded; answers are never changed").into(),
            );
        }
        if answered.safety_reviewed_at.is_some() {
            return Err(Invalid::new("safety_reviewed_at", "is set only by a review").into());
        }
        answered.validate(self.today())?;
        Self::found(&self.state.members, &answered.member, RecordKind::Member)?;
        let scored = scored(&answered).ok_or_else(|| Invalid::new("measure", "is unknown"))?;
        let record = Stored::Administration(answered);
        let how = match scored.administration.answered_by {
            AnsweredBy::Client => "in client mode",
            AnsweredBy::Paper => "from paper",
        };
        let mut events = vec![self.event(
            AuditAction::Created,
            Some(&record),
            &format!("{} answered {how}", scored.measure_name),
        )];
        for flag in &scored.score.safety {
            let detail = format!(
                "{} question {} needs review",
                scored.measure_name, flag.item
            );
            events.push(self.event(AuditAction::SafetyFlagged, Some(&record), &detail));
        }
        self.commit_events(vec![record], Vec::new(), events)?;
        Ok(scored)
    }

    /// Marks an answered questionnaire's safety flag as reviewed, now. Refused when it has
    /// no safety flag or was already reviewed.
    pub fn review_safety_flag(&mut self, id: AdministrationId) -> PracticeResult<Administration> {
        let mut reviewed =
            Self::found(&self.state.administrations, &id, RecordKind::Administration)?.clone();
        if scored(&reviewed).is_none_or(|s| s.score.safety.is_empty()) {
            return Err(Invalid::new("administration", "has no safety flag to review").into());
        }
        if reviewed.safety_reviewed_at.is_some() {
            return Err(Invalid::new("administration", "was already reviewed").into());
        }
        reviewed.safety_reviewed_at = Some(self.now());
        let record = Stored::Administration(reviewed.clone());
        let event = self.event(AuditAction::Changed, Some(&record), "safety flag reviewed");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(reviewed)
    }

    /// Deletes an answered questionnaire entered in error.
    pub fn delete_administration(&mut self, id: AdministrationId) -> PracticeResult<()> {
        let found = Self::found(&self.state.administrations, &id, RecordKind::Administration)?;
        let record = Stored::Administration(found.clone());
        let event = self.event(AuditAction::Deleted, Some(&record), "questionnaire answers");
        self.commit(Vec::new(), vec![Removal::Administration(id)], event)
    }

    /// A member's answered questionnaires with their scores, oldest first.
    pub fn administrations_of(&self, member: MemberId) -> Vec<Scored> {
        let mut list: Vec<Scored> = self
            .state
            .administrations
            .values()
            .filter(|a| a.member == member)
            .filter_map(scored)
            .collect();
        list.sort_by(|a, b| {
            let key = |s: &Scored| (s.administration.taken_on, s.administration.id);
            key(a).cmp(&key(b))
        });
        list
    }

    /// Every safety flag not yet reviewed, the oldest first.
    pub fn safety_alerts(&self) -> Vec<SafetyAlert> {
        self.alerts_where(|_| true)
    }

    /// `member`'s safety flags not yet reviewed, the oldest first.
    pub fn safety_alerts_of(&self, member: MemberId) -> Vec<SafetyAlert> {
        self.alerts_where(|a| a.member == member)
    }

    /// The unreviewed flags of the answered questionnaires `wanted` keeps. Home asks this of
    /// the whole practice on every visit, so only the safety items are read: nothing is
    /// cloned or fully scored for a questionnaire without a flag.
    fn alerts_where(&self, wanted: impl Fn(&Administration) -> bool) -> Vec<SafetyAlert> {
        let mut alerts: Vec<SafetyAlert> = self
            .state
            .administrations
            .values()
            .filter(|a| a.safety_reviewed_at.is_none() && wanted(a))
            .flat_map(|a| self.alerts_of(a))
            .collect();
        alerts.sort_by(|a, b| (a.taken_on, &a.display_name).cmp(&(b.taken_on, &b.display_name)));
        alerts
    }

    fn alerts_of(&self, answered: &Administration) -> Vec<SafetyAlert> {
        let Some(definition) = measures::find_version(&answered.measure, answered.version) else {
            return Vec::new();
        };
        measures::safety_flags(definition, &answered.answers.items)
            .into_iter()
            .map(|flag| SafetyAlert {
                administration: answered.id,
                member: answered.member,
                display_name: self.display_name(answered.member),
                measure_name: definition.name.clone(),
                item: flag.item,
                item_text: definition
                    .items
                    .get(flag.item - 1)
                    .map_or_else(String::new, |i| i.text.clone()),
                answer: flag
                    .answer
                    .and_then(|points| definition.option_label(points))
                    .map(str::to_owned),
                taken_on: answered.taken_on,
                answered_by: answered.answered_by,
            })
            .collect()
    }
}

/// One measure's answers in a group, gathered by the day they were given.
#[derive(Clone, Debug, Serialize)]
pub struct GroupMeasure {
    /// The measure's id.
    pub measure: String,
    /// Its short name.
    pub name: String,
    /// Its severity bands, lowest first (the columns of the counts).
    pub bands: Vec<Band>,
    /// Each day it was answered for the group, oldest first.
    pub occasions: Vec<Occasion>,
}

/// One day a measure was answered in a group.
#[derive(Clone, Debug, Serialize)]
pub struct Occasion {
    /// The day.
    pub taken_on: Date,
    /// How many members answered.
    pub answered: usize,
    /// The median of their totals, when any had one.
    pub median: Option<f64>,
    /// How many totals fell in each band, in the bands' order.
    pub per_band: Vec<usize>,
    /// How many answered too few questions for a total.
    pub without_total: usize,
}

impl Practice {
    /// The group's questionnaires: per measure, per day, how many answered, the median total
    /// and the count in each band. Only answers given for this group count.
    pub fn group_measures(&self, group: GroupId) -> Vec<GroupMeasure> {
        measures::catalogue()
            .iter()
            .filter_map(|definition| {
                let mut by_day: std::collections::BTreeMap<Date, Vec<Option<u16>>> =
                    std::collections::BTreeMap::new();
                for a in self.state.administrations.values().filter(|a| {
                    a.group == Some(group)
                        && a.measure == definition.id
                        && a.version == definition.version
                }) {
                    let total = measures::score(definition, &a.answers)
                        .ok()
                        .and_then(|s| s.total.value());
                    by_day.entry(a.taken_on).or_default().push(total);
                }
                (!by_day.is_empty()).then(|| GroupMeasure {
                    measure: definition.id.clone(),
                    name: definition.name.clone(),
                    bands: definition.bands.clone(),
                    occasions: by_day
                        .into_iter()
                        .map(|(day, totals)| occasion(definition, day, &totals))
                        .collect(),
                })
            })
            .collect()
    }
}

fn occasion(definition: &MeasureDefinition, taken_on: Date, totals: &[Option<u16>]) -> Occasion {
    let mut known: Vec<u16> = totals.iter().flatten().copied().collect();
    known.sort_unstable();
    let per_band = definition
        .bands
        .iter()
        .map(|b| {
            known
                .iter()
                .filter(|t| (b.from..=b.to).contains(*t))
                .count()
        })
        .collect();
    Occasion {
        taken_on,
        answered: totals.len(),
        median: median(&known),
        per_band,
        without_total: totals.len() - known.len(),
    }
}

/// The median of sorted totals (the mean of the middle two for an even count).
fn median(sorted: &[u16]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}

/// An answered questionnaire with its score, if its definition is known and the answers fit.
fn scored(answered: &Administration) -> Option<Scored> {
    let definition = measures::find_version(&answered.measure, answered.version)?;
    let score = measures::score(definition, &answered.answers).ok()?;
    Some(Scored {
        administration: answered.clone(),
        measure_name: definition.name.clone(),
        score,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_an_odd_and_an_even_count() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[3, 9, 20]), Some(9.0));
        assert_eq!(median(&[3, 9, 12, 20]), Some(10.5));
    }
}
