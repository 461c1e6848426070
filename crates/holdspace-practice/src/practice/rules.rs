//! What makes each record valid on its own, field by field (see [`super::validate`] for the
//! individual checks). Rules that involve other records — attendance only for members of the
//! group on that date, a signed version cannot change — live with the operations in
//! [`super::unlocked`].

use time::Date;

use super::model::*;
use super::validate::{self as v, Checked, Invalid, MAX_CLAUSES, MAX_LINE_CHARS};

/// A record that can check its own fields.
pub trait Validate {
    /// Checks every field; `today` is the practitioner's local date.
    fn validate(&self, today: Date) -> Checked;
}

impl Validate for PracticeProfile {
    fn validate(&self, _today: Date) -> Checked {
        v::line(
            "practitioner_name",
            &self.practitioner_name,
            v::MAX_NAME_CHARS,
        )?;
        v::line("credentials", &self.credentials, MAX_LINE_CHARS)?;
        v::line("practice_name", &self.practice_name, v::MAX_NAME_CHARS)?;
        v::line("contact_line", &self.contact_line, MAX_LINE_CHARS)?;
        v::range(
            "auto_lock_minutes",
            u64::from(self.auto_lock_minutes),
            1,
            240,
        )
    }
}

impl Validate for Group {
    fn validate(&self, _today: Date) -> Checked {
        v::name("name", &self.name)?;
        v::text("focus", &self.focus)?;
        if let Some(co) = &self.co_facilitator {
            v::name("co_facilitator", co)?;
        }
        if let Some(schedule) = &self.schedule {
            v::range(
                "schedule.length_minutes",
                u64::from(schedule.length_minutes),
                15,
                480,
            )?;
        }
        v::line("location", &self.location, MAX_LINE_CHARS)?;
        v::date_order("end_date", self.start_date, self.end_date)?;
        if let Some(capacity) = self.capacity {
            v::range("capacity", u64::from(capacity), 1, 100)?;
        }
        if let Some(plan) = &self.measures {
            measure_plan(plan)?;
        }
        Ok(())
    }
}

/// A group's questionnaires: at least one, each known and named once, with a sensible cadence.
fn measure_plan(plan: &MeasurePlan) -> Checked {
    if plan.measures.is_empty() {
        return Err(Invalid::new(
            "measures.measures",
            "choose at least one questionnaire, or none at all",
        ));
    }
    if let Some((i, reason)) = super::measures::unknown_or_repeated(&plan.measures) {
        return Err(Invalid::new(format!("measures.measures[{i}]"), reason));
    }
    if let Cadence::EverySessions { sessions } = plan.cadence {
        v::range("measures.cadence.sessions", u64::from(sessions), 1, 52)?;
    }
    Ok(())
}

impl Validate for Member {
    fn validate(&self, today: Date) -> Checked {
        v::name("legal_name", &self.legal_name)?;
        v::line("preferred_name", &self.preferred_name, v::MAX_NAME_CHARS)?;
        v::line("pronouns", &self.pronouns, 50)?;
        v::date_of_birth("date_of_birth", self.date_of_birth, today)?;
        v::phone("phone", &self.phone)?;
        v::email("email", &self.email)?;
        v::line("emergency_contact", &self.emergency_contact, MAX_LINE_CHARS)?;
        v::line(
            "individual_therapist",
            &self.individual_therapist,
            MAX_LINE_CHARS,
        )?;
        v::line("referral_source", &self.referral_source, MAX_LINE_CHARS)?;
        v::text("intake_notes", &self.intake_notes)?;
        v::text("goals", &self.goals)
    }
}

impl Validate for Membership {
    fn validate(&self, _today: Date) -> Checked {
        v::date_order("left", self.joined, self.left)?;
        if self.status == MembershipStatus::Active && self.joined.is_none() {
            return Err(Invalid::new("joined", "is required for an active member"));
        }
        if self.status.is_final() && self.left.is_none() {
            return Err(Invalid::new(
                "left",
                "is required once a member has completed or withdrawn",
            ));
        }
        if !self.status.is_final() && self.left.is_some() {
            return Err(Invalid::new(
                "left",
                "only applies to completed or withdrawn members",
            ));
        }
        v::line("reason", &self.reason, MAX_LINE_CHARS)
    }
}

impl Validate for AgreementText {
    fn validate(&self, _today: Date) -> Checked {
        v::name("title", &self.title)?;
        v::text("introduction", &self.introduction)?;
        if self.clauses.is_empty() {
            return Err(Invalid::new(
                "clauses",
                "an agreement needs at least one clause",
            ));
        }
        if self.clauses.len() > MAX_CLAUSES {
            return Err(Invalid::new(
                "clauses",
                format!("at most {MAX_CLAUSES} clauses"),
            ));
        }
        for (i, clause) in self.clauses.iter().enumerate() {
            let at = |e: Invalid| e.under(&format!("clauses[{i}]"));
            v::name("heading", &clause.heading).map_err(at)?;
            v::required_text("text", &clause.text).map_err(at)?;
        }
        Ok(())
    }
}

impl Validate for Session {
    fn validate(&self, _today: Date) -> Checked {
        v::range("number", u64::from(self.number), 1, 100_000)?;
        v::line("topic", &self.topic, MAX_LINE_CHARS)?;
        v::text("group_note", &self.group_note)
    }
}

impl Validate for Note {
    fn validate(&self, _today: Date) -> Checked {
        v::text("text", &self.text)
    }
}

impl Validate for Incident {
    fn validate(&self, _today: Date) -> Checked {
        v::required_text("what_happened", &self.what_happened)?;
        v::text("action_taken", &self.action_taken)?;
        if self.resolved_on.is_some_and(|r| r < self.date) {
            return Err(Invalid::new("resolved_on", "can't be before the incident"));
        }
        Ok(())
    }
}

impl Validate for Administration {
    fn validate(&self, today: Date) -> Checked {
        let Some(definition) = super::measures::find_version(&self.measure, self.version) else {
            return Err(Invalid::new(
                "measure",
                "is not a questionnaire this version of Holdspace knows",
            ));
        };
        super::measures::score(definition, &self.answers)
            .map_err(|e| Invalid::new("answers", e.to_string()))?;
        if self.taken_on > today {
            return Err(Invalid::new("taken_on", "can't be in the future"));
        }
        Ok(())
    }
}

impl Validate for Signature {
    fn validate(&self, _today: Date) -> Checked {
        v::name("typed_name", &self.typed_name)?;
        if let Some(w) = &self.withdrawal {
            v::line("withdrawal.reason", &w.reason, MAX_LINE_CHARS)?;
        }
        for (i, talked) in self.talked_about.iter().enumerate() {
            if !self.discuss.contains(&talked.clause) {
                return Err(Invalid::new(
                    "talked_about",
                    "names a rule the member did not ask to talk about",
                ));
            }
            if self.talked_about[..i]
                .iter()
                .any(|t| t.clause == talked.clause)
            {
                return Err(Invalid::new("talked_about", "names the same rule twice"));
            }
        }
        Ok(())
    }
}
