//! Outcome measures on the practitioner's screens: a member's questionnaires as one series per
//! measure (the chart and its table), the definitions the paper form is built from, entering a
//! paper questionnaire, reviewing a safety flag, deleting answers entered in error, and what to
//! ask a member before they leave.

use holdspace::practice::measures::{self, Band, MeasureDefinition, SafetyFlag, Total};
use holdspace::practice::{
    Administration, AdministrationId, AnsweredBy, GroupId, MemberId, MembershipId, Practice,
    Scored, UnansweredBeforeLeaving,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

use super::{from_form, group_name};
use crate::error::AppError;

/// One measure's scores for one member over time.
#[derive(Clone, Debug, Serialize)]
pub struct MeasureSeries {
    /// The measure's id.
    pub measure: String,
    /// Its short name.
    pub name: String,
    /// Its full title.
    pub title: String,
    /// The highest total possible (the chart's top).
    pub highest: u16,
    /// Its severity bands, lowest first.
    pub bands: Vec<Band>,
    /// Every time it was answered, oldest first.
    pub points: Vec<MeasurePoint>,
}

/// One answered questionnaire, scored.
#[derive(Clone, Debug, Serialize)]
pub struct MeasurePoint {
    /// The answered questionnaire.
    pub administration: AdministrationId,
    /// The day.
    pub taken_on: Date,
    /// The total, when there is one.
    pub total: Option<u16>,
    /// True when the total was prorated over unanswered questions.
    pub prorated: bool,
    /// The band's label, when there is a total.
    pub band: Option<String>,
    /// The questions left unanswered, by number.
    pub unanswered: Vec<usize>,
    /// In client mode or from paper.
    pub answered_by: AnsweredBy,
    /// The group it was given for, by name.
    pub group_name: Option<String>,
    /// Safety items that were flagged.
    pub safety: Vec<SafetyFlag>,
    /// True once the practitioner reviewed its safety flag.
    pub safety_reviewed: bool,
}

/// `member`'s questionnaires, one series per measure they answered, in catalogue order.
pub fn member_measures(practice: &Practice, member: MemberId) -> Vec<MeasureSeries> {
    let answered = practice.administrations_of(member);
    measures::catalogue()
        .iter()
        .filter_map(|definition| {
            let points: Vec<MeasurePoint> = answered
                .iter()
                .filter(|s| s.administration.measure == definition.id)
                .map(|s| point(practice, s))
                .collect();
            (!points.is_empty()).then(|| MeasureSeries {
                measure: definition.id.clone(),
                name: definition.name.clone(),
                title: definition.title.clone(),
                highest: definition.total_range().1,
                bands: definition.bands.clone(),
                points,
            })
        })
        .collect()
}

fn point(practice: &Practice, scored: &Scored) -> MeasurePoint {
    let a = &scored.administration;
    MeasurePoint {
        administration: a.id,
        taken_on: a.taken_on,
        total: scored.score.total.value(),
        prorated: matches!(scored.score.total, Total::Prorated { .. }),
        band: scored.score.band.as_ref().map(|b| b.label.clone()),
        unanswered: scored.score.unanswered.clone(),
        answered_by: a.answered_by,
        group_name: a.group.map(|g| group_name(practice, g)),
        safety: scored.score.safety.clone(),
        safety_reviewed: a.safety_reviewed_at.is_some(),
    }
}

/// Every measure this build knows, as the forms show it.
pub fn measure_definitions() -> Vec<MeasureDefinition> {
    measures::catalogue().to_vec()
}

/// A paper questionnaire as the practitioner's form sends it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperQuestionnaire {
    /// Fresh for each entry.
    pub id: AdministrationId,
    /// Who answered.
    pub member: MemberId,
    /// The group it was given for, if any.
    #[serde(default)]
    pub group: Option<GroupId>,
    /// The measure's id.
    pub measure: String,
    /// The day written on the paper.
    pub taken_on: Date,
    /// Each question's points, `null` where it was left blank.
    pub items: Vec<Option<u8>>,
    /// The last question's answer, if given.
    #[serde(default)]
    pub follow_up: Option<u8>,
}

/// Records a paper questionnaire the practitioner copied in.
pub fn record_paper_questionnaire(
    practice: &mut Practice,
    form: Value,
) -> Result<Scored, AppError> {
    let paper: PaperQuestionnaire = from_form(form)?;
    let version = measures::find(&paper.measure).map_or(0, |m| m.version);
    let answered = Administration {
        id: paper.id,
        member: paper.member,
        group: paper.group,
        measure: paper.measure,
        version,
        answers: measures::Answers {
            items: paper.items,
            follow_up: paper.follow_up,
        },
        taken_on: paper.taken_on,
        answered_by: AnsweredBy::Paper,
        safety_reviewed_at: None,
    };
    Ok(practice.record_administration(answered)?)
}

/// Marks a questionnaire's safety flag as reviewed.
pub fn review_safety_flag(practice: &mut Practice, id: AdministrationId) -> Result<(), AppError> {
    practice.review_safety_flag(id)?;
    Ok(())
}

/// The planned questionnaires the member of `membership` has not answered for its group
/// lately: what the status dialog offers to ask before they leave.
pub fn unanswered_before_leaving(
    practice: &Practice,
    membership: MembershipId,
) -> Result<Vec<UnansweredBeforeLeaving>, AppError> {
    Ok(practice.unanswered_before_leaving(membership)?)
}

/// Deletes a questionnaire's answers entered in error.
pub fn delete_questionnaire(practice: &mut Practice, id: AdministrationId) -> Result<(), AppError> {
    Ok(practice.delete_administration(id)?)
}
