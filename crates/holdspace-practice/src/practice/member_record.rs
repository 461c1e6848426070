//! A member's record for the right of access: the document a practitioner hands a client who
//! asks for their record, as data ([`MemberRecord`], a stable JSON shape) and as a printable
//! HTML page ([`render_html`]).
//!
//! Policy — what is in it: the member's own profile (every field, and whether they are
//! archived), their memberships, every signature they gave with the exact agreement text it
//! covers, their attendance, their **progress** notes, the incidents that involve them, and
//! the questionnaires they answered with every answer and score;
//! with the practice's name, practitioner and contact line and the date it was produced.
//! What is not: **psychotherapy notes** (the law treats them separately; the record says so),
//! notes about the group as a whole (they are about every member, not this one), the audit
//! trail, and anything about other members beyond what this member's own entries mention.
//!
//! Other members appear by initials only — anywhere, including inside free text (see
//! [`redact`] for exactly how names, emails and phone numbers are recognised). Every free-text
//! field passes through the [`Redactor`] except these, reproduced verbatim: the member's own
//! names, pronouns, phone, email and the name they typed when signing (their own, never
//! rewritten), the practice's own profile lines, and the text of a signed agreement — the
//! exact words the member signed, whose content hash must still match; it is written for the
//! whole group and never about one member.
//!
//! Pure functions over the decoded [`State`]: no I/O, no clock (the production date is passed
//! in), no audit event — recording the export is the caller's job.
//!
//! # JSON shape (`format: "holdspace-member-record"`, `version: 1`)
//!
//! Dates are `"YYYY-MM-DD"` strings, moments RFC 3339 strings, absent values `null`, enum
//! values the same `snake_case` words the vault stores (so they cannot change without a
//! migration anyway); memberships are listed by group name, everything else oldest first.
//! Top-level keys: `format`, `version`,
//! `produced_on`, `practice` ([`PracticeHeading`]), `notice` (the sentences about what is
//! left out), `member` ([`MemberProfile`]), `memberships` ([`MembershipEntry`]),
//! `signatures` ([`SignedAgreement`]), `attendance` ([`AttendanceEntry`]), `progress_notes`
//! ([`ProgressNoteEntry`]), `incidents` ([`IncidentEntry`]) and `questionnaires`
//! ([`QuestionnaireEntry`]). Fields are only ever added
//! within a version; renaming or removing one means `version: 2`.

pub mod html;
pub mod redact;

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::agreement::content_hash;
use super::ids::*;
use super::model::*;
use super::state::{State, Stored};
use super::unlocked::{Practice, PracticeError, PracticeResult};

pub use html::{escape, render_html};
pub use redact::{initials, Redactor};

/// The value of `format` in every member record.
pub const FORMAT: &str = "holdspace-member-record";

/// The version of the JSON shape described in the module documentation.
pub const VERSION: u32 = 1;

/// What the record leaves out and why, in the words printed on it.
pub const NOTICE: &str = "Psychotherapy notes are not part of this record: the law treats \
    them separately. Notes about the group as a whole are not included, as they are about \
    every member of the group. Other members of the practice are named by initials only.";

/// What stands for a group whose record could not be read.
pub const UNKNOWN_GROUP: &str = "(group not available)";

/// A member's record for the right of access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberRecord {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// Always [`VERSION`].
    pub version: u32,
    /// The day the record was produced.
    #[serde(with = "iso_date")]
    pub produced_on: Date,
    /// Who produced it.
    pub practice: PracticeHeading,
    /// What is left out and why ([`NOTICE`]).
    pub notice: &'static str,
    /// The member's own profile.
    pub member: MemberProfile,
    /// Their places in groups, by group name.
    pub memberships: Vec<MembershipEntry>,
    /// Their signatures, oldest first, each with the text it covers.
    pub signatures: Vec<SignedAgreement>,
    /// Sessions with an attendance entry for them, oldest first.
    pub attendance: Vec<AttendanceEntry>,
    /// Their progress notes, oldest first.
    pub progress_notes: Vec<ProgressNoteEntry>,
    /// Incidents that involve them, oldest first.
    pub incidents: Vec<IncidentEntry>,
    /// The questionnaires they answered, oldest first.
    pub questionnaires: Vec<QuestionnaireEntry>,
}

/// The practice as printed at the top of the record (verbatim from the profile).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PracticeHeading {
    /// The practice's name.
    pub practice_name: String,
    /// The practitioner's name.
    pub practitioner_name: String,
    /// The practitioner's credentials.
    pub credentials: String,
    /// Address, phone, email.
    pub contact_line: String,
}

/// Every field of the member's own profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberProfile {
    /// Legal name (verbatim).
    pub legal_name: String,
    /// Preferred name (verbatim), empty if none.
    pub preferred_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Date of birth.
    #[serde(with = "iso_date::option")]
    pub date_of_birth: Option<Date>,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
    /// Emergency contact (name and phone).
    pub emergency_contact: String,
    /// Their individual therapist, if any.
    pub individual_therapist: String,
    /// Who referred them.
    pub referral_source: String,
    /// Screening and intake notes.
    pub intake_notes: String,
    /// Their goals for the group.
    pub goals: String,
    /// True when the member is archived (kept, hidden from daily lists).
    pub archived: bool,
}

/// The member's place in one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MembershipEntry {
    /// The group's name.
    pub group: String,
    /// The group's kind; `null` if the group could not be read.
    pub group_kind: Option<GroupKind>,
    /// Where they stand.
    pub status: MembershipStatus,
    /// First day as an active member.
    #[serde(with = "iso_date::option")]
    pub joined: Option<Date>,
    /// Last day.
    #[serde(with = "iso_date::option")]
    pub left: Option<Date>,
    /// Why they left, or a note on the status.
    pub reason: String,
}

/// One signature with the exact text it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedAgreement {
    /// The group's name.
    pub group: String,
    /// The version signed.
    pub version_number: u32,
    /// From when that version applied; `null` if the version could not be read.
    #[serde(with = "iso_date::option")]
    pub effective_date: Option<Date>,
    /// The words signed, verbatim; `null` if the version could not be read.
    pub text: Option<SignedText>,
    /// SHA-256 (hex) of the text, as recorded in the signature.
    pub content_hash: String,
    /// True when `text` hashes to `content_hash` (see `agreement::content_hash`).
    pub text_matches_hash: bool,
    /// The full name the member typed.
    pub typed_name: String,
    /// When they signed.
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    /// Client mode or paper copy.
    pub method: SignatureMethod,
    /// Set when the signature was withdrawn.
    pub withdrawal: Option<WithdrawalEntry>,
}

/// An agreement's text as signed, with the member's answer to each clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedText {
    /// Title.
    pub title: String,
    /// Introduction before the clauses.
    pub introduction: String,
    /// The clauses, in order.
    pub clauses: Vec<SignedClause>,
}

/// One clause and what the member said about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedClause {
    /// 1, 2, 3, … as printed.
    pub number: usize,
    /// Short heading.
    pub heading: String,
    /// The rule in plain words.
    pub text: String,
    /// The member ticked "I understand".
    pub acknowledged: bool,
    /// The member asked to talk about it.
    pub discuss: bool,
    /// When the practitioner recorded having talked about it with the member.
    #[serde(with = "time::serde::rfc3339::option")]
    pub talked_about: Option<OffsetDateTime>,
}

/// A withdrawn signature's withdrawal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WithdrawalEntry {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Why.
    pub reason: String,
}

/// The member's attendance at one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttendanceEntry {
    /// The group's name.
    pub group: String,
    /// The session's day.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The session's number in its group.
    pub session_number: u32,
    /// Topic or skill.
    pub topic: String,
    /// Present, late, excused or absent.
    pub status: Attendance,
}

/// One progress note about the member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgressNoteEntry {
    /// The session's day; `null` if the session could not be read.
    #[serde(with = "iso_date::option")]
    pub session_date: Option<Date>,
    /// The session's number; `null` if the session could not be read.
    pub session_number: Option<u32>,
    /// The group's name.
    pub group: String,
    /// The note.
    pub text: String,
}

/// An incident that involves the member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncidentEntry {
    /// When it happened.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The group's name.
    pub group: String,
    /// The session's number, if it happened in one.
    pub session_number: Option<u32>,
    /// What kind.
    pub kind: IncidentKind,
    /// What happened.
    pub what_happened: String,
    /// What was done.
    pub action_taken: String,
    /// The day it was resolved; `null` while open.
    #[serde(with = "iso_date::option")]
    pub resolved_on: Option<Date>,
    /// The other members involved, by initials.
    pub others_involved: Vec<String>,
}

/// A questionnaire the member answered: every question with their answer, and the score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionnaireEntry {
    /// The day it was answered.
    #[serde(with = "iso_date")]
    pub taken_on: Date,
    /// The measure's full title.
    pub title: String,
    /// The group it was given for, if any.
    pub group: Option<String>,
    /// In client mode or from paper.
    pub answered_by: AnsweredBy,
    /// Each question and the words of the answer (`null` when left unanswered).
    pub answers: Vec<QuestionAnswer>,
    /// The total; `null` when too many questions were left unanswered for one.
    pub total: Option<u16>,
    /// True when the total was prorated over unanswered questions.
    pub prorated: bool,
    /// The band the total falls in ("Mild"); `null` without a total.
    pub band: Option<String>,
    /// The publication the measure comes from.
    pub citation: String,
}

/// One question of a questionnaire and the member's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionAnswer {
    /// The question.
    pub question: String,
    /// The answer's words; `null` when left unanswered.
    pub answer: Option<String>,
}

/// Builds `member`'s record from the decoded state. [`PracticeError::NotFound`] when there is
/// no such member.
pub fn member_record(
    state: &State,
    profile: &PracticeProfile,
    member: MemberId,
    produced_on: Date,
) -> PracticeResult<MemberRecord> {
    let who = state
        .members
        .get(&member)
        .ok_or_else(|| PracticeError::NotFound {
            kind: super::kind::RecordKind::Member.name(),
            id: member.to_string(),
        })?;
    let b = Builder {
        state,
        member,
        redactor: Redactor::for_member(state, member),
    };
    Ok(MemberRecord {
        format: FORMAT,
        version: VERSION,
        produced_on,
        practice: heading(profile),
        notice: NOTICE,
        member: b.profile(who),
        memberships: b.memberships(),
        signatures: b.signatures(),
        attendance: b.attendance(),
        progress_notes: b.progress_notes(),
        incidents: b.incidents(),
        questionnaires: b.questionnaires(),
    })
}

impl Practice {
    /// This practice's record for `member` (see [`member_record`]), without auditing — for
    /// previews on screen.
    pub fn member_record(
        &self,
        member: MemberId,
        produced_on: Date,
    ) -> PracticeResult<MemberRecord> {
        member_record(self.state(), &self.profile(), member, produced_on)
    }

    /// The record for `member`, produced to leave the vault: audited as an export about the
    /// member (the event names no one).
    pub fn export_member_record(&mut self, member: MemberId) -> PracticeResult<MemberRecord> {
        self.hand_over_member_record(member, "member record")
    }

    /// [`Practice::export_member_record`], with `how` it leaves as the audit detail
    /// ("member record, saved as JSON"; never a name).
    pub fn hand_over_member_record(
        &mut self,
        member: MemberId,
        how: &str,
    ) -> PracticeResult<MemberRecord> {
        let record = self.member_record(member, self.today())?;
        let subject = Stored::Member(
            Self::found(
                &self.state.members,
                &member,
                super::kind::RecordKind::Member,
            )?
            .clone(),
        );
        self.record_about(AuditAction::Export, Some(&subject), how)?;
        Ok(record)
    }
}

fn heading(profile: &PracticeProfile) -> PracticeHeading {
    PracticeHeading {
        practice_name: profile.practice_name.clone(),
        practitioner_name: profile.practitioner_name.clone(),
        credentials: profile.credentials.clone(),
        contact_line: profile.contact_line.clone(),
    }
}

/// The state, the member and their redactor, for building each section.
struct Builder<'s> {
    state: &'s State,
    member: MemberId,
    redactor: Redactor,
}

impl Builder<'_> {
    fn text(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    fn group_name(&self, group: GroupId) -> String {
        self.state
            .groups
            .get(&group)
            .map_or_else(|| UNKNOWN_GROUP.to_owned(), |g| self.text(&g.name))
    }

    fn profile(&self, m: &Member) -> MemberProfile {
        MemberProfile {
            legal_name: m.legal_name.clone(),
            preferred_name: m.preferred_name.clone(),
            // The member's own details, as they are: never rewritten (their email may hold
            // a word that is another member's name).
            pronouns: m.pronouns.clone(),
            date_of_birth: m.date_of_birth,
            phone: m.phone.clone(),
            email: m.email.clone(),
            emergency_contact: self.text(&m.emergency_contact),
            individual_therapist: self.text(&m.individual_therapist),
            referral_source: self.text(&m.referral_source),
            intake_notes: self.text(&m.intake_notes),
            goals: self.text(&m.goals),
            archived: m.archived,
        }
    }

    fn memberships(&self) -> Vec<MembershipEntry> {
        let mut entries: Vec<MembershipEntry> = self
            .state
            .memberships
            .values()
            .filter(|m| m.member == self.member)
            .map(|m| MembershipEntry {
                group: self.group_name(m.group),
                group_kind: self.state.groups.get(&m.group).map(|g| g.kind),
                status: m.status,
                joined: m.joined,
                left: m.left,
                reason: self.text(&m.reason),
            })
            .collect();
        entries.sort_by(|a, b| (&a.group, a.joined).cmp(&(&b.group, b.joined)));
        entries
    }

    fn signatures(&self) -> Vec<SignedAgreement> {
        let mut entries: Vec<SignedAgreement> = self
            .state
            .signatures
            .values()
            .filter(|s| s.member == self.member)
            .map(|s| self.signature(s))
            .collect();
        entries.sort_by(|a, b| {
            (a.signed_at, &a.group, a.version_number).cmp(&(
                b.signed_at,
                &b.group,
                b.version_number,
            ))
        });
        entries
    }

    fn signature(&self, s: &Signature) -> SignedAgreement {
        let version = self.state.agreements.get(&s.agreement);
        SignedAgreement {
            group: self.group_name(s.group),
            version_number: s.version_number,
            effective_date: version.map(|v| v.effective_date),
            text: version.map(|v| signed_text(&v.text, s)),
            content_hash: s.content_hash.clone(),
            text_matches_hash: version.is_some_and(|v| content_hash(&v.text) == s.content_hash),
            // The name the member typed when signing, as typed.
            typed_name: s.typed_name.clone(),
            signed_at: s.signed_at,
            method: s.method,
            withdrawal: s.withdrawal.as_ref().map(|w| WithdrawalEntry {
                at: w.at,
                reason: self.text(&w.reason),
            }),
        }
    }

    fn attendance(&self) -> Vec<AttendanceEntry> {
        let mut entries: Vec<AttendanceEntry> = self
            .state
            .sessions
            .values()
            .filter_map(|s| {
                let status = *s.attendance.get(&self.member)?;
                Some(AttendanceEntry {
                    group: self.group_name(s.group),
                    date: s.date,
                    session_number: s.number,
                    topic: self.text(&s.topic),
                    status,
                })
            })
            .collect();
        entries.sort_by(|a, b| {
            (a.date, &a.group, a.session_number).cmp(&(b.date, &b.group, b.session_number))
        });
        entries
    }

    fn progress_notes(&self) -> Vec<ProgressNoteEntry> {
        let mut entries: Vec<ProgressNoteEntry> = self
            .state
            .notes
            .values()
            .filter(|n| n.member == self.member && n.kind == NoteKind::Progress)
            .map(|n| self.progress_note(n))
            .collect();
        entries.sort_by(|a, b| {
            (a.session_date, &a.group, a.session_number).cmp(&(
                b.session_date,
                &b.group,
                b.session_number,
            ))
        });
        entries
    }

    fn progress_note(&self, note: &Note) -> ProgressNoteEntry {
        let session = self.state.sessions.get(&note.session);
        ProgressNoteEntry {
            session_date: session.map(|s| s.date),
            session_number: session.map(|s| s.number),
            group: session.map_or_else(|| UNKNOWN_GROUP.to_owned(), |s| self.group_name(s.group)),
            text: self.text(&note.text),
        }
    }

    fn incidents(&self) -> Vec<IncidentEntry> {
        let mut entries: Vec<IncidentEntry> = self
            .state
            .incidents
            .values()
            .filter(|i| i.members.contains(&self.member))
            .map(|i| self.incident(i))
            .collect();
        entries.sort_by(|a, b| (a.date, &a.group).cmp(&(b.date, &b.group)));
        entries
    }

    fn incident(&self, i: &Incident) -> IncidentEntry {
        IncidentEntry {
            date: i.date,
            group: self.group_name(i.group),
            session_number: i
                .session
                .and_then(|s| self.state.sessions.get(&s))
                .map(|s| s.number),
            kind: i.kind,
            what_happened: self.text(&i.what_happened),
            action_taken: self.text(&i.action_taken),
            resolved_on: i.resolved_on,
            others_involved: self.others_involved(i),
        }
    }

    fn questionnaires(&self) -> Vec<QuestionnaireEntry> {
        let mut entries: Vec<QuestionnaireEntry> = self
            .state
            .administrations
            .values()
            .filter(|a| a.member == self.member)
            .filter_map(|a| self.questionnaire(a))
            .collect();
        entries.sort_by(|a, b| (a.taken_on, &a.title).cmp(&(b.taken_on, &b.title)));
        entries
    }

    fn questionnaire(&self, a: &Administration) -> Option<QuestionnaireEntry> {
        let definition = super::measures::find_version(&a.measure, a.version)?;
        let score = super::measures::score(definition, &a.answers).ok()?;
        let words = |points: &Option<u8>| {
            points.and_then(|p| definition.option_label(p).map(str::to_owned))
        };
        let mut answers: Vec<QuestionAnswer> = definition
            .items
            .iter()
            .zip(&a.answers.items)
            .map(|(item, points)| QuestionAnswer {
                question: item.text.clone(),
                answer: words(points),
            })
            .collect();
        if let Some(follow_up) = &definition.follow_up {
            let answer = a
                .answers
                .follow_up
                .and_then(|i| follow_up.options.get(usize::from(i)).cloned());
            if answer.is_some() || super::measures::follow_up_asked(definition, &a.answers.items) {
                answers.push(QuestionAnswer {
                    question: follow_up.text.clone(),
                    answer,
                });
            }
        }
        Some(QuestionnaireEntry {
            taken_on: a.taken_on,
            title: definition.title.clone(),
            group: a.group.map(|g| self.group_name(g)),
            answered_by: a.answered_by,
            answers,
            total: score.total.value(),
            prorated: matches!(score.total, super::measures::Total::Prorated { .. }),
            band: score.band.map(|b| b.label),
            citation: definition.citation.clone(),
        })
    }

    fn others_involved(&self, i: &Incident) -> Vec<String> {
        i.members
            .iter()
            .filter(|m| **m != self.member)
            .map(|m| {
                self.state
                    .members
                    .get(m)
                    .map_or_else(|| redact::UNNAMED.to_owned(), |o| initials(&o.legal_name))
            })
            .collect()
    }
}

/// The agreement's words, verbatim, with the signature's answer to each clause.
fn signed_text(text: &AgreementText, s: &Signature) -> SignedText {
    let clauses = text
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| SignedClause {
            number: i + 1,
            heading: c.heading.clone(),
            text: c.text.clone(),
            acknowledged: s.acknowledged.get(i).copied().unwrap_or(false),
            discuss: s.discuss.contains(&i),
            talked_about: s.talked_about_at(i),
        })
        .collect();
    SignedText {
        title: text.title.clone(),
        introduction: text.introduction.clone(),
        clauses,
    }
}

/// Dates as `YYYY-MM-DD` strings, whatever `time`'s own serde features say.
mod iso_date {
    use serde::Serializer;
    use time::Date;

    /// Serialises a date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    /// Optional dates: `YYYY-MM-DD` or `null`.
    pub mod option {
        use serde::Serializer;
        use time::Date;

        /// Serialises an optional date as `YYYY-MM-DD` or `null`.
        pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => s.collect_str(d),
                None => s.serialize_none(),
            }
        }
    }
}
