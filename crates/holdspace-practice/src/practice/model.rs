//! The practice's records (their fields, as exported, are listed in `docs/practice-json.md`):
//! what each holds, nothing about how it is stored, validated or shown.
//!
//! Policy: every record type is plain serde data with `#[serde(default)]` on optional fields,
//! so records written before a field existed keep opening. Dates are calendar dates
//! (`YYYY-MM-DD`), wall-clock times are `HH:MM` in the practitioner's own time zone, and moments
//! (signatures, audit events) are UTC RFC 3339 timestamps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::*;

/// A wall-clock time of day, `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

impl ClockTime {
    /// Parses exactly `HH:MM` (two digits each), so what is read is what is written back:
    /// "9:05" is refused rather than silently becoming "09:05".
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.split_once(':')?;
        let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
        if !two_digits(h) || !two_digits(m) {
            return None;
        }
        let hour: u8 = h.parse().ok()?;
        let minute: u8 = m.parse().ok()?;
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("expected a time as HH:MM, such as 09:05"))
    }
}

/// The practitioner and the practice, printed on agreements and documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeProfile {
    /// The practitioner's name as printed.
    pub practitioner_name: String,
    /// Credentials, e.g. "LCSW" or "Registered Psychotherapist".
    pub credentials: String,
    /// The practice's name.
    pub practice_name: String,
    /// The contact line printed on agreements (address, phone, email).
    pub contact_line: String,
    /// Idle minutes before the app locks itself.
    pub auto_lock_minutes: u32,
}

/// This vault's backup key and automatic backups (one record; not part of the practice JSON).
/// Records written before automatic backups existed read with the defaults below.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSettings {
    /// The public age recipient (`age1…`) of the backup key derived from the recovery code.
    /// Public: it can only encrypt, never decrypt.
    pub recipient: String,
    /// The folder automatic backups go to (an absolute path); empty while none is chosen.
    pub folder: String,
    /// Back up into the folder when the app locks or closes, if anything changed.
    pub on_lock: bool,
    /// How many of the newest backups in the folder to keep.
    pub keep_recent: u32,
    /// For how many months (this one included) to keep the newest backup of each month.
    pub keep_monthly: u32,
    /// The practice's change count (see `Practice::content_changes`) when the last backup
    /// into the folder was made; `None` when none has been made there yet.
    pub backed_up_changes: Option<u64>,
    /// The backups this vault wrote into its folder, oldest first (those retention removed
    /// are dropped).
    pub history: Vec<FolderBackupRecord>,
    /// The last automatic backup's failure, until a backup succeeds — kept in the vault so
    /// it is shown after a restart too (the app may have been closed by the system).
    pub last_failure: Option<RecordedBackupFailure>,
    /// The key that signs this vault's backups (hex, from the recovery code; see
    /// `crate::backup::key`); empty in vaults whose backup key was stored before backups were
    /// signed, until the recovery code is given again.
    #[serde(default, skip_serializing_if = "SecretText::is_empty")]
    pub signing_key: SecretText,
}

/// A secret kept inside an encrypted record as text: wiped when dropped, never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(zeroize::Zeroizing<String>);

impl SecretText {
    /// Wraps `text`.
    pub fn new(text: zeroize::Zeroizing<String>) -> Self {
        Self(text)
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when there is no secret.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_empty() {
            "SecretText(none)"
        } else {
            "SecretText(redacted)"
        })
    }
}

impl Serialize for SecretText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self(zeroize::Zeroizing::new(text)))
    }
}

/// An automatic backup that failed, as the vault remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedBackupFailure {
    /// When it failed.
    #[serde(with = "super::moment")]
    pub at: OffsetDateTime,
    /// What kind of failure.
    pub kind: BackupFailureKind,
}

/// Why an automatic backup failed, as the vault remembers it until one succeeds. Stored by
/// name; a name this build does not know (from a newer Holdspace) reads as [`Self::Failed`],
/// so a remembered failure is never lost to an upgrade or a downgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupFailureKind {
    /// The vault has no backup key yet.
    NoBackupKey,
    /// No backup folder is chosen.
    NoBackupFolder,
    /// The backup folder is not there (an external drive not connected).
    FolderUnavailable,
    /// The backup folder's drive is full.
    FolderFull,
    /// The backup folder cannot be written.
    FolderReadOnly,
    /// A backup of the practice as it is could not be restored, so none was made.
    WouldNotRestore,
    /// Anything else.
    Failed,
}

impl BackupFailureKind {
    /// Every kind.
    pub const ALL: [Self; 7] = [
        Self::NoBackupKey,
        Self::NoBackupFolder,
        Self::FolderUnavailable,
        Self::FolderFull,
        Self::FolderReadOnly,
        Self::WouldNotRestore,
        Self::Failed,
    ];

    /// The name stored in the vault and written in the audit trail.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NoBackupKey => "no_backup_key",
            Self::NoBackupFolder => "no_backup_folder",
            Self::FolderUnavailable => "folder_unavailable",
            Self::FolderFull => "folder_full",
            Self::FolderReadOnly => "folder_read_only",
            Self::WouldNotRestore => "would_not_restore",
            Self::Failed => "failed",
        }
    }

    /// The kind a stored name names; [`Self::Failed`] for a name this build does not know.
    pub fn from_name(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .unwrap_or(Self::Failed)
    }
}

impl Serialize for BackupFailureKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for BackupFailureKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| Self::from_name(&name))
    }
}

impl Default for BackupSettings {
    fn default() -> Self {
        Self {
            recipient: String::new(),
            folder: String::new(),
            on_lock: true,
            keep_recent: 10,
            keep_monthly: 12,
            backed_up_changes: None,
            history: Vec::new(),
            last_failure: None,
            signing_key: SecretText::default(),
        }
    }
}

/// One backup this vault wrote into its backup folder, remembered so the list of backups can
/// say what each holds without decrypting it (which needs the recovery code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderBackupRecord {
    /// The file's name in the folder.
    pub file_name: String,
    /// When it was made.
    #[serde(with = "super::moment")]
    pub created_at: OffsetDateTime,
    /// Its size in bytes.
    pub bytes: u64,
    /// How many records of each kind it holds.
    pub counts: super::transfer::Counts,
    /// The SHA-256 of the file as written (lower-case hex), so retention deletes only the
    /// very file this vault wrote; empty for backups recorded before it was kept, which
    /// retention then never deletes.
    #[serde(default)]
    pub sha256: String,
}

/// What kind of group this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Relieving distress by discussing and expressing feelings.
    Process,
    /// Information about an issue.
    Psychoeducational,
    /// Coping skills.
    Skills,
    /// Mutual support.
    Support,
}

/// Where a group is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupStatus {
    /// Recruiting and screening; not meeting yet.
    Forming,
    /// Meeting.
    Running,
    /// Finished.
    Ended,
}

/// How often a group meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every week.
    Weekly,
    /// Every other week.
    Fortnightly,
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    #[allow(missing_docs)]
    Monday,
    #[allow(missing_docs)]
    Tuesday,
    #[allow(missing_docs)]
    Wednesday,
    #[allow(missing_docs)]
    Thursday,
    #[allow(missing_docs)]
    Friday,
    #[allow(missing_docs)]
    Saturday,
    #[allow(missing_docs)]
    Sunday,
}

/// When a group meets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The day.
    pub weekday: Weekday,
    /// The start time.
    pub start: ClockTime,
    /// Length of a session in minutes.
    pub length_minutes: u16,
    /// Weekly or fortnightly.
    pub frequency: Frequency,
}

/// Whether new members can join once the group runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enrollment {
    /// Members may join at any time.
    Open,
    /// Membership is fixed once the group starts.
    Closed,
}

/// A therapy group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The group's id.
    pub id: GroupId,
    /// Its name, e.g. "Thursday grief group".
    pub name: String,
    /// Process, psychoeducational, skills or support.
    pub kind: GroupKind,
    /// What the group is about.
    #[serde(default)]
    pub focus: String,
    /// The co-therapist, if there is one.
    #[serde(default)]
    pub co_facilitator: Option<String>,
    /// When it meets.
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// A room or "video".
    #[serde(default)]
    pub location: String,
    /// First session.
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last session.
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Most members at once.
    #[serde(default)]
    pub capacity: Option<u16>,
    /// Open or closed membership.
    pub enrollment: Enrollment,
    /// Forming, running or ended.
    pub status: GroupStatus,
    /// The outcome questionnaires its members answer, and when, if the group uses any.
    #[serde(default)]
    pub measures: Option<MeasurePlan>,
}

/// The outcome questionnaires a group's members answer, and when they are due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasurePlan {
    /// The measures, by id (`"phq-9"`), in the order they are given.
    pub measures: Vec<String>,
    /// When they are due.
    pub cadence: Cadence,
}

/// When a group's questionnaires are due for a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cadence {
    /// When they join, then after every `sessions` sessions they attend.
    EverySessions {
        /// How many attended sessions between two answerings (1 to 52).
        sessions: u32,
    },
    /// When they join, and once more in the group's last two weeks.
    StartAndEnd,
}

/// A client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's id.
    pub id: MemberId,
    /// Legal name.
    pub legal_name: String,
    /// The name they go by, if different.
    #[serde(default)]
    pub preferred_name: String,
    /// Pronouns.
    #[serde(default)]
    pub pronouns: String,
    /// Date of birth.
    #[serde(default)]
    pub date_of_birth: Option<Date>,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Emergency contact (name and phone).
    #[serde(default)]
    pub emergency_contact: String,
    /// Their individual therapist, if also in individual therapy.
    #[serde(default)]
    pub individual_therapist: String,
    /// Who referred them.
    #[serde(default)]
    pub referral_source: String,
    /// Screening and intake notes.
    #[serde(default)]
    pub intake_notes: String,
    /// Their goals for the group.
    #[serde(default)]
    pub goals: String,
    /// Archived members are kept (they have signatures or notes) but hidden from daily lists.
    #[serde(default)]
    pub archived: bool,
}

impl Member {
    /// The name to address the member by: the preferred name, else the legal name.
    pub fn display_name(&self) -> &str {
        if self.preferred_name.trim().is_empty() {
            &self.legal_name
        } else {
            &self.preferred_name
        }
    }
}

/// Where a member stands in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    /// Waiting for a place.
    Waitlisted,
    /// Screened and ready to join.
    Screened,
    /// Attending.
    Active,
    /// Finished the group.
    Completed,
    /// Left before the end.
    Withdrawn,
}

impl MembershipStatus {
    /// True for statuses that end a membership.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Withdrawn)
    }
}

/// A member's place in a group. Joining and leaving never touch past sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The membership's id.
    pub id: MembershipId,
    /// Who.
    pub member: MemberId,
    /// Which group.
    pub group: GroupId,
    /// Where they stand.
    pub status: MembershipStatus,
    /// First day as an active member.
    #[serde(default)]
    pub joined: Option<Date>,
    /// Last day (completed or withdrawn).
    #[serde(default)]
    pub left: Option<Date>,
    /// Why they left, or any note on the status.
    #[serde(default)]
    pub reason: String,
}

impl Membership {
    /// True when the member belonged to the group on `date` (joined on or before it and had
    /// not left before it).
    pub fn covers(&self, date: Date) -> bool {
        let joined = self.joined.is_some_and(|j| j <= date);
        let not_left = self.left.is_none_or(|l| l >= date);
        joined && not_left
    }
}

/// One ground rule: a heading and plain-language text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Clause {
    /// Short heading, e.g. "What is said here stays here".
    pub heading: String,
    /// The rule in plain words.
    pub text: String,
}

/// The content of an agreement version: what a client reads and signs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgreementText {
    /// Title.
    pub title: String,
    /// Introduction before the clauses.
    pub introduction: String,
    /// The clauses, in order.
    pub clauses: Vec<Clause>,
}

/// One numbered version of a group's agreement. Immutable once anyone has signed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementVersion {
    /// The version's id.
    pub id: AgreementId,
    /// The group it belongs to.
    pub group: GroupId,
    /// 1, 2, 3, … per group.
    pub number: u32,
    /// What the client reads.
    pub text: AgreementText,
    /// From when it applies.
    pub effective_date: Date,
    /// SHA-256 (hex) of the canonical encoding of `text`.
    pub content_hash: String,
}

/// How a signature was captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureMethod {
    /// The member signed in client mode on this computer.
    ClientMode,
    /// A signed paper copy is on file.
    PaperCopy,
}

/// A withdrawn signature: recorded, never deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// When.
    #[serde(with = "super::moment")]
    pub at: OffsetDateTime,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A rule a member asked to talk about, marked by the practitioner as talked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkedAbout {
    /// The rule, by its index in the version signed (one of the signature's `discuss`).
    pub clause: usize,
    /// When the practitioner marked it.
    #[serde(with = "super::moment")]
    pub at: OffsetDateTime,
}

/// A member's signature on one agreement version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The signature's id.
    pub id: SignatureId,
    /// Who signed.
    pub member: MemberId,
    /// The group.
    pub group: GroupId,
    /// The version signed.
    pub agreement: AgreementId,
    /// Its number, for display.
    pub version_number: u32,
    /// Its content hash at the time of signing.
    pub content_hash: String,
    /// The full name the member typed.
    pub typed_name: String,
    /// When.
    #[serde(with = "super::moment")]
    pub signed_at: OffsetDateTime,
    /// Client mode or paper copy.
    pub method: SignatureMethod,
    /// One entry per clause: acknowledged or not.
    pub acknowledged: Vec<bool>,
    /// Clauses (by index) the member wants to talk about.
    #[serde(default)]
    pub discuss: Vec<usize>,
    /// Which of those the practitioner has talked about with them, and when. Added after
    /// the signing, like a withdrawal: what the member signed and asked stays as it was.
    #[serde(default)]
    pub talked_about: Vec<TalkedAbout>,
    /// Set when the signature was withdrawn.
    #[serde(default)]
    pub withdrawal: Option<Withdrawal>,
}

/// How a member attended a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// There from the start.
    Present,
    /// Came late.
    Late,
    /// Absent with notice.
    Excused,
    /// Absent.
    Absent,
}

impl Attendance {
    /// True when the member was in the room.
    pub fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late)
    }
}

/// One group session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The session's id.
    pub id: SessionId,
    /// The group.
    pub group: GroupId,
    /// The day.
    pub date: Date,
    /// The start time.
    #[serde(default)]
    pub start: Option<ClockTime>,
    /// Session number within the group (1, 2, …).
    pub number: u32,
    /// Topic or skill.
    #[serde(default)]
    pub topic: String,
    /// Attendance per member (only members of the group on that date).
    #[serde(default)]
    pub attendance: BTreeMap<MemberId, Attendance>,
    /// The note about the group as a whole.
    #[serde(default)]
    pub group_note: String,
}

/// Progress note or psychotherapy note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Part of the member's record.
    Progress,
    /// The therapist's private process notes: kept apart and left out of the member's record
    /// export, as the law treats them separately.
    Psychotherapy,
}

/// A per-member note written for a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The note's id.
    pub id: NoteId,
    /// The session.
    pub session: SessionId,
    /// The member it is about.
    pub member: MemberId,
    /// Progress or psychotherapy.
    pub kind: NoteKind,
    /// The text.
    pub text: String,
}

/// What an incident was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// Something said in group was shared outside it.
    ConfidentialityBreach,
    #[allow(missing_docs)]
    Harassment,
    #[allow(missing_docs)]
    Discrimination,
    /// A risk to someone's safety.
    SafetyRisk,
    #[allow(missing_docs)]
    Other,
}

/// A ground-rule concern or privacy breach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// The incident's id.
    pub id: IncidentId,
    /// When it happened.
    pub date: Date,
    /// The group.
    pub group: GroupId,
    /// The session, if it happened in one.
    #[serde(default)]
    pub session: Option<SessionId>,
    /// Members involved.
    #[serde(default)]
    pub members: Vec<MemberId>,
    /// What kind.
    pub kind: IncidentKind,
    /// What happened.
    pub what_happened: String,
    /// What was done.
    #[serde(default)]
    pub action_taken: String,
    /// The day it was resolved, if it is.
    #[serde(default)]
    pub resolved_on: Option<Date>,
}

/// Who put an administration's answers into the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredBy {
    /// The member, on this computer in client mode.
    Client,
    /// The practitioner, copying a paper questionnaire.
    Paper,
}

/// One outcome questionnaire (see [`super::measures`]) a member answered once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administration {
    /// The administration's id.
    pub id: AdministrationId,
    /// Who answered.
    pub member: MemberId,
    /// The group it was given for, if any.
    #[serde(default)]
    pub group: Option<GroupId>,
    /// The measure's id (`"phq-9"`).
    pub measure: String,
    /// The version of the measure's definition it was answered on.
    pub version: u32,
    /// The answers.
    pub answers: super::measures::Answers,
    /// The day it was answered.
    pub taken_on: Date,
    /// In client mode, or from paper.
    pub answered_by: AnsweredBy,
    /// When the practitioner reviewed its safety flag, if it has one and they have.
    #[serde(default, with = "super::moment::option")]
    pub safety_reviewed_at: Option<OffsetDateTime>,
}

/// What an audit event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    #[allow(missing_docs)]
    Unlock,
    #[allow(missing_docs)]
    Lock,
    /// Something left the vault on purpose.
    Export,
    /// Records came in from a file.
    Import,
    #[allow(missing_docs)]
    ClientModeEntered,
    #[allow(missing_docs)]
    ClientModeLeft,
    /// A wrong passphrase was typed to end client mode (the count, never the text).
    ClientModeExitFailed,
    /// Wrong passphrases or recovery codes were typed at the locked app before an unlock
    /// (recorded at that unlock: the counts, never the text).
    UnlockRefused,
    #[allow(missing_docs)]
    SignatureCaptured,
    #[allow(missing_docs)]
    Created,
    #[allow(missing_docs)]
    Changed,
    #[allow(missing_docs)]
    Deleted,
    /// Removed for good after a retention period.
    Purged,
    /// Opening the vault found records missing, rolled back or unknown to its history.
    HistoryProblem,
    /// The practitioner acknowledged what the history check found and accepted the vault.
    HistoryAccepted,
    /// Unsaved changes on pages were sealed as drafts when the app locked.
    DraftKept,
    /// A draft was saved through its page.
    DraftSaved,
    /// A draft was thrown away.
    DraftDiscarded,
    /// The vault's passphrase was changed with the current one.
    PassphraseChanged,
    /// A new passphrase was set with the recovery code.
    PassphraseRecovered,
    /// A new recovery code replaced the old one, and with it the backup key.
    RecoveryCodeReplaced,
    /// A backup was made: into the backup folder, or a copy with its own passphrase.
    BackupMade,
    /// An automatic backup failed (its kind, as the backups screen words it).
    BackupFailed,
    /// Every record was re-encrypted under a new data key (recorded in the same commit as
    /// the new key, so neither is on disk without the other).
    KeyRotated,
    /// The practice was restored from a backup into this vault (when it was made, and
    /// whether it was vouched for).
    BackupRestored,
    /// A questionnaire's safety item was answered above "not at all", or left unanswered:
    /// the practitioner must review it (the measure and item, never the answer).
    SafetyFlagged,
}

impl AuditAction {
    /// Every action, in the order they were added (each screen that words them is held to
    /// this list by a test).
    pub const ALL: [AuditAction; 26] = [
        Self::Unlock,
        Self::Lock,
        Self::Export,
        Self::Import,
        Self::ClientModeEntered,
        Self::ClientModeLeft,
        Self::ClientModeExitFailed,
        Self::UnlockRefused,
        Self::SignatureCaptured,
        Self::Created,
        Self::Changed,
        Self::Deleted,
        Self::Purged,
        Self::HistoryProblem,
        Self::HistoryAccepted,
        Self::DraftKept,
        Self::DraftSaved,
        Self::DraftDiscarded,
        Self::PassphraseChanged,
        Self::PassphraseRecovered,
        Self::RecoveryCodeReplaced,
        Self::BackupMade,
        Self::BackupFailed,
        Self::KeyRotated,
        Self::BackupRestored,
        Self::SafetyFlagged,
    ];

    /// This action's place in [`AuditAction::ALL`]. An exhaustive match: a new action does
    /// not compile until it is placed here, and the test below fails until it is in `ALL`.
    #[cfg(test)]
    fn position(self) -> usize {
        match self {
            Self::Unlock => 0,
            Self::Lock => 1,
            Self::Export => 2,
            Self::Import => 3,
            Self::ClientModeEntered => 4,
            Self::ClientModeLeft => 5,
            Self::ClientModeExitFailed => 6,
            Self::UnlockRefused => 7,
            Self::SignatureCaptured => 8,
            Self::Created => 9,
            Self::Changed => 10,
            Self::Deleted => 11,
            Self::Purged => 12,
            Self::HistoryProblem => 13,
            Self::HistoryAccepted => 14,
            Self::DraftKept => 15,
            Self::DraftSaved => 16,
            Self::DraftDiscarded => 17,
            Self::PassphraseChanged => 18,
            Self::PassphraseRecovered => 19,
            Self::RecoveryCodeReplaced => 20,
            Self::BackupMade => 21,
            Self::BackupFailed => 22,
            Self::KeyRotated => 23,
            Self::BackupRestored => 24,
            Self::SafetyFlagged => 25,
        }
    }
}

#[cfg(test)]
mod audit_action_tests {
    use super::AuditAction;

    #[test]
    fn all_holds_every_action_once_in_its_place() {
        for (index, action) in AuditAction::ALL.iter().enumerate() {
            assert_eq!(action.position(), index, "{action:?}");
        }
    }
}

/// An entry in the append-only audit trail. Never edited, never deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The event's id.
    pub id: AuditId,
    /// When.
    #[serde(with = "super::moment")]
    pub at: OffsetDateTime,
    /// What happened.
    pub action: AuditAction,
    /// The kind of record involved, if any (e.g. `member`).
    #[serde(default)]
    pub subject_kind: Option<String>,
    /// The record involved, if any.
    #[serde(default)]
    pub subject: Option<crate::record::RecordId>,
    /// A short description without client data, e.g. "status changed to active".
    #[serde(default)]
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_backup_failure_reads_back_by_name() {
        for kind in BackupFailureKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(
                serde_json::from_str::<BackupFailureKind>(&json).unwrap(),
                kind
            );
        }
    }

    #[test]
    fn a_failure_this_build_does_not_know_reads_as_failed() {
        for name in ["", "cloud_unreachable", "Folder_Full", "folder-full"] {
            let json = serde_json::to_string(name).unwrap();
            let kind: BackupFailureKind = serde_json::from_str(&json).unwrap();
            assert_eq!(kind, BackupFailureKind::Failed, "{name:?}");
        }
    }
}
