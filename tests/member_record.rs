//! A member's record for the right of access, end to end over a real (test-KDF) vault: what is
//! in it (profile, memberships, signed text with its hash, attendance, progress notes,
//! incidents), what never is (psychotherapy notes, group notes, other members' notes and
//! incidents, other members' names), the JSON shape, and an HTML page that escapes every
//! piece of record text.

mod common;

use common::builders::{self, fixed_now};
use common::new_vault;
use holdspace::practice::member_record::{escape, NOTICE};
use holdspace::practice::*;
use time::macros::date;
use time::Date;

const PRODUCED_ON: Date = date!(2026 - 11 - 26);
const PSYCHOTHERAPY_TEXT: &str = "PSYCHOTHERAPY-UNIQUE-41f: countertransference when she cried";
const GROUP_NOTE: &str = "GROUPNOTE-UNIQUE-7c1: the room was quiet";
const BO_NOTE: &str = "BO-PROGRESS-UNIQUE-9d2: spoke about his brother";
const OTHER_INCIDENT: &str = "INCIDENT-OTHER-UNIQUE-55a: raised voices";

fn group(name: &str, kind: GroupKind) -> Group {
    Group {
        kind,
        focus: String::new(),
        schedule: None,
        start_date: Some(date!(2026 - 09 - 01)),
        capacity: None,
        ..builders::group(name)
    }
}

fn member(legal: &str, preferred: &str) -> Member {
    Member {
        preferred_name: preferred.into(),
        ..builders::member(legal)
    }
}

fn ana() -> Member {
    Member {
        pronouns: "she/her".into(),
        date_of_birth: Some(date!(1990 - 04 - 02)),
        phone: "+1 555 0101".into(),
        email: "ana@example.com".into(),
        emergency_contact: "Luis López, +1 555 0199".into(),
        individual_therapist: "Dr. Kim".into(),
        referral_source: "Her GP".into(),
        intake_notes: "Lost her father in spring.\nKnows Bo Lindqvist from work.".into(),
        goals: "Talk about grief without shutting down.".into(),
        ..member("Ana María López", "Ana")
    }
}

fn session(g: GroupId, date: Date, number: u32, topic: &str) -> Session {
    Session {
        topic: topic.into(),
        ..builders::session(g, date, number)
    }
}

fn note(session: SessionId, member: MemberId, kind: NoteKind, text: &str) -> Note {
    Note {
        id: NoteId::random(),
        session,
        member,
        kind,
        text: text.into(),
    }
}

fn sign(p: &mut Practice, m: MemberId, g: GroupId, typed: &str, discuss: Vec<usize>) -> Signature {
    let current = p.current_agreement(g).unwrap().clone();
    p.sign(SignRequest {
        member: m,
        agreement: current.id,
        typed_name: typed.into(),
        method: SignatureMethod::ClientMode,
        acknowledged: vec![true; current.text.clauses.len()],
        discuss,
    })
    .unwrap()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    p: Practice,
    ana: MemberId,
}

/// Ana María López ("Ana") in a grief group with Bo Lindqvist and Robert Ek ("Robbie"), and
/// formerly in a skills group; two signed versions and one withdrawn signature; sessions with
/// attendance, progress and psychotherapy notes, a group note, two incidents, and a PHQ-9 of
/// hers (from paper, one question blank) beside a GAD-7 of Bo's.
fn fixture() -> Fixture {
    let (tmp, vault, _) = new_vault();
    let mut p = Practice::load(vault).unwrap();
    p.set_clock(fixed_now);
    p.save_profile(PracticeProfile {
        practitioner_name: "Mira Sol".into(),
        credentials: "Registered Psychotherapist".into(),
        practice_name: "Quiet Harbour Counselling".into(),
        contact_line: "12 Harbour St · +1 555 0100 · office@quietharbour.example".into(),
        auto_lock_minutes: 10,
    })
    .unwrap();
    let grief = p
        .create_group(group("Thursday grief group", GroupKind::Process))
        .unwrap()
        .id;
    let skills = p
        .create_group(group("Coping skills", GroupKind::Skills))
        .unwrap()
        .id;
    let ana = p.create_member(ana()).unwrap().id;
    let bo = p.create_member(member("Bo Lindqvist", "")).unwrap().id;
    let robbie = p.create_member(member("Robert Ek", "Robbie")).unwrap().id;
    let joined = Some(date!(2026 - 09 - 03));
    for m in [ana, bo, robbie] {
        p.add_to_group(m, grief, MembershipStatus::Active, joined)
            .unwrap();
    }
    let skills_ms = p
        .add_to_group(
            ana,
            skills,
            MembershipStatus::Active,
            Some(date!(2026 - 09 - 01)),
        )
        .unwrap();

    sign(&mut p, ana, grief, "Ana María López", vec![0]);
    let mut text = p.current_agreement(grief).unwrap().text.clone();
    text.clauses.push(Clause {
        heading: "Phones".into(),
        text: "Phones stay off and out of sight; no photos, no recordings.".into(),
    });
    p.save_agreement(grief, text, date!(2026 - 10 - 01))
        .unwrap();
    sign(&mut p, ana, grief, "Ana María López", vec![]);
    sign(&mut p, bo, grief, "Bo Lindqvist", vec![]);
    let skills_sig = sign(&mut p, ana, skills, "Ana López", vec![]);
    p.withdraw_signature(skills_sig.id, "Left the group")
        .unwrap();
    p.update_membership(Membership {
        status: MembershipStatus::Withdrawn,
        left: Some(date!(2026 - 10 - 20)),
        reason: "Schedule clash with Robbie's carpool".into(),
        ..skills_ms
    })
    .unwrap();

    let mut s1 = session(
        grief,
        date!(2026 - 09 - 10),
        1,
        "Anger after loss — Bo Lindqvist led the check-in",
    );
    s1.attendance.insert(ana, Attendance::Present);
    s1.attendance.insert(bo, Attendance::Late);
    s1.attendance.insert(robbie, Attendance::Absent);
    s1.group_note = GROUP_NOTE.into();
    let s1 = p.save_session(s1).unwrap().id;
    let mut s2 = session(grief, date!(2026 - 09 - 17), 2, "Rituals");
    s2.attendance.insert(ana, Attendance::Excused);
    s2.attendance.insert(bo, Attendance::Present);
    let s2 = p.save_session(s2).unwrap().id;
    let mut s3 = session(grief, date!(2026 - 09 - 24), 3, "Photos");
    s3.attendance.insert(bo, Attendance::Present);
    p.save_session(s3).unwrap();
    let mut k1 = session(skills, date!(2026 - 09 - 15), 1, "Box breathing");
    k1.attendance.insert(ana, Attendance::Present);
    let k1 = p.save_session(k1).unwrap().id;

    let progress = "Ana spoke about her father after Bo shared his story; robbie ek stayed silent.";
    p.save_note(note(s1, ana, NoteKind::Progress, progress))
        .unwrap();
    p.save_note(note(
        k1,
        ana,
        NoteKind::Progress,
        "Practised box breathing.",
    ))
    .unwrap();
    p.save_note(note(s1, ana, NoteKind::Psychotherapy, PSYCHOTHERAPY_TEXT))
        .unwrap();
    p.save_note(note(s1, bo, NoteKind::Progress, BO_NOTE))
        .unwrap();

    p.save_incident(Incident {
        id: IncidentId::random(),
        date: date!(2026 - 09 - 18),
        group: grief,
        session: Some(s2),
        members: vec![ana, bo],
        kind: IncidentKind::ConfidentialityBreach,
        what_happened: "Bo Lindqvist told a friend what Ana shared.".into(),
        action_taken: "Talked with Bo and with Ana; reviewed the agreement with the group.".into(),
        resolved_on: Some(date!(2026 - 09 - 25)),
    })
    .unwrap();
    p.save_incident(Incident {
        id: IncidentId::random(),
        date: date!(2026 - 09 - 24),
        group: grief,
        session: None,
        members: vec![bo, robbie],
        kind: IncidentKind::Harassment,
        what_happened: OTHER_INCIDENT.into(),
        action_taken: String::new(),
        resolved_on: None,
    })
    .unwrap();

    let answered = |member, measure: &str, items: Vec<Option<u8>>, by| Administration {
        id: AdministrationId::random(),
        member,
        group: Some(grief),
        measure: measure.into(),
        version: 1,
        answers: measures::Answers {
            items,
            follow_up: Some(1),
        },
        taken_on: date!(2026 - 09 - 10),
        answered_by: by,
        safety_reviewed_at: None,
    };
    let mut ana_items = vec![Some(1); 9];
    ana_items[4] = None;
    ana_items[8] = Some(0);
    p.record_administration(answered(ana, "phq-9", ana_items, AnsweredBy::Paper))
        .unwrap();
    p.record_administration(answered(bo, "gad-7", vec![Some(3); 7], AnsweredBy::Client))
        .unwrap();
    Fixture { _tmp: tmp, p, ana }
}

/// The record for Ana as JSON text and as HTML.
fn outputs(f: &Fixture) -> (MemberRecord, String, String) {
    let record = f.p.member_record(f.ana, PRODUCED_ON).unwrap();
    let json = serde_json::to_string_pretty(&record).unwrap();
    let html = render_html(&record);
    (record, json, html)
}

#[test]
fn psychotherapy_notes_group_notes_and_other_members_records_never_appear() {
    let f = fixture();
    let (record, json, html) = outputs(&f);
    for secret in [
        PSYCHOTHERAPY_TEXT,
        "countertransference",
        GROUP_NOTE,
        BO_NOTE,
        OTHER_INCIDENT,
    ] {
        assert!(!json.contains(secret), "JSON holds {secret:?}");
        assert!(!html.contains(secret), "HTML holds {secret:?}");
    }
    assert_eq!(record.progress_notes.len(), 2);
    assert_eq!(record.incidents.len(), 1);
    assert_eq!(record.signatures.len(), 3, "Bo's signature is not Ana's");
    assert!(record
        .notice
        .contains("Psychotherapy notes are not part of this record"));
    assert!(html.contains(&escape(NOTICE)), "the page says so");
}

#[test]
fn other_members_appear_by_initials_only() {
    let f = fixture();
    let (record, json, html) = outputs(&f);
    for (what, text) in [("JSON", &json), ("HTML", &html)] {
        let lower = text.to_lowercase();
        for name in [
            "bo lindqvist",
            "lindqvist",
            "robert ek",
            "robbie",
            "robert",
            "bo shared",
        ] {
            assert!(!lower.contains(name), "{what} holds {name:?}");
        }
        assert!(text.contains("B. L."), "{what} lacks Bo's initials");
        assert!(text.contains("R. E."), "{what} lacks Robbie's initials");
    }
    let notes: Vec<&str> = record
        .progress_notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(
        notes[0],
        "Ana spoke about her father after B. L. shared his story; R. E. stayed silent."
    );
    assert_eq!(
        record.attendance[0].topic,
        "Anger after loss — B. L. led the check-in"
    );
    assert_eq!(
        record.member.intake_notes,
        "Lost her father in spring.\nKnows B. L. from work."
    );
    let incident = &record.incidents[0];
    assert_eq!(incident.others_involved, vec!["B. L.".to_owned()]);
    assert_eq!(
        incident.what_happened,
        "B. L. told a friend what Ana shared."
    );
    assert_eq!(
        incident.action_taken,
        "Talked with B. L. and with Ana; reviewed the agreement with the group."
    );
    let skills = record
        .memberships
        .iter()
        .find(|m| m.group == "Coping skills")
        .unwrap();
    assert_eq!(skills.reason, "Schedule clash with R. E.'s carpool");
}

#[test]
fn the_members_own_data_and_signed_text_are_all_there() {
    let f = fixture();
    let (record, _json, html) = outputs(&f);
    let own = &f.p.state().members[&f.ana];
    let m = &record.member;
    assert_eq!(
        (
            &m.legal_name,
            &m.preferred_name,
            &m.pronouns,
            m.date_of_birth
        ),
        (
            &own.legal_name,
            &own.preferred_name,
            &own.pronouns,
            own.date_of_birth
        )
    );
    assert_eq!((&m.phone, &m.email), (&own.phone, &own.email));
    assert_eq!(m.emergency_contact, own.emergency_contact);
    assert_eq!(m.individual_therapist, own.individual_therapist);
    assert_eq!(
        (&m.referral_source, &m.goals),
        (&own.referral_source, &own.goals)
    );
    assert!(!m.archived);
    for value in [
        &own.legal_name,
        &own.phone,
        &own.email,
        &own.goals,
        &own.emergency_contact,
    ] {
        assert!(html.contains(&escape(value)), "HTML lacks {value:?}");
    }

    let statuses: Vec<_> = record
        .memberships
        .iter()
        .map(|m| (m.group.as_str(), m.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("Coping skills", MembershipStatus::Withdrawn),
            ("Thursday grief group", MembershipStatus::Active)
        ]
    );
    let dates: Vec<_> = record
        .attendance
        .iter()
        .map(|a| (a.date, a.status))
        .collect();
    assert_eq!(
        dates,
        vec![
            (date!(2026 - 09 - 10), Attendance::Present),
            (date!(2026 - 09 - 15), Attendance::Present),
            (date!(2026 - 09 - 17), Attendance::Excused),
        ],
        "only sessions with an entry for Ana, in date order"
    );
    assert_eq!(record.progress_notes[1].text, "Practised box breathing.");
    assert_eq!(record.progress_notes[1].group, "Coping skills");
    assert_eq!(record.incidents[0].session_number, Some(2));
    assert!(html.contains(&escape(&record.practice.contact_line)));
}

#[test]
fn each_signature_carries_the_exact_text_and_its_hash() {
    let f = fixture();
    let (record, _json, html) = outputs(&f);
    let state = f.p.state();
    assert_eq!(record.signatures.len(), 3);
    for entry in &record.signatures {
        let version = state
            .agreements
            .values()
            .find(|a| a.content_hash == entry.content_hash)
            .unwrap();
        let sig = state
            .signatures
            .values()
            .find(|s| s.member == f.ana && s.agreement == version.id)
            .unwrap();
        let text = entry.text.as_ref().unwrap();
        let rebuilt = AgreementText {
            title: text.title.clone(),
            introduction: text.introduction.clone(),
            clauses: text
                .clauses
                .iter()
                .map(|c| Clause {
                    heading: c.heading.clone(),
                    text: c.text.clone(),
                })
                .collect(),
        };
        assert_eq!(rebuilt, version.text, "the exact words");
        assert_eq!(entry.content_hash, version.content_hash);
        assert_eq!(agreement::content_hash(&rebuilt), entry.content_hash);
        assert!(entry.text_matches_hash);
        assert_eq!(entry.version_number, version.number);
        assert_eq!(entry.typed_name, sig.typed_name);
        assert_eq!(entry.signed_at, sig.signed_at);
        assert_eq!(entry.method, sig.method);
        assert!(text.clauses.iter().all(|c| c.acknowledged));
        assert!(html.contains(&escape(&text.title)));
        assert!(html.contains(&entry.content_hash));
        for clause in &text.clauses {
            assert!(
                html.contains(&escape(&clause.heading)),
                "{}",
                clause.heading
            );
            assert!(html.contains(&escape(&clause.text)), "{}", clause.text);
        }
    }
    let numbers: Vec<_> = record
        .signatures
        .iter()
        .map(|s| (s.group.as_str(), s.version_number))
        .collect();
    assert!(numbers.contains(&("Thursday grief group", 1)));
    assert!(numbers.contains(&("Thursday grief group", 2)));
    let v1 = record
        .signatures
        .iter()
        .find(|s| s.version_number == 1 && s.group != "Coping skills")
        .unwrap();
    let discuss: Vec<bool> = v1
        .text
        .as_ref()
        .unwrap()
        .clauses
        .iter()
        .map(|c| c.discuss)
        .collect();
    assert_eq!(discuss.first(), Some(&true));
    let withdrawn = record
        .signatures
        .iter()
        .find(|s| s.group == "Coping skills")
        .unwrap();
    assert_eq!(
        withdrawn.withdrawal.as_ref().unwrap().reason,
        "Left the group"
    );
    assert!(html.contains("Left the group"));
}

#[test]
fn the_json_shape_is_stable() {
    let f = fixture();
    let (_record, json, _html) = outputs(&f);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "format",
        "version",
        "produced_on",
        "practice",
        "notice",
        "member",
        "memberships",
        "signatures",
        "attendance",
        "progress_notes",
        "incidents",
        "questionnaires",
    ];
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys_sorted, expected);
    assert_eq!(value["format"], "holdspace-member-record");
    assert_eq!(value["version"], 1);
    assert_eq!(value["produced_on"], "2026-11-26");
    assert_eq!(value["member"]["date_of_birth"], "1990-04-02");
    assert_eq!(
        value["practice"]["practice_name"],
        "Quiet Harbour Counselling"
    );
    assert_eq!(value["memberships"][1]["joined"], "2026-09-03");
    assert_eq!(value["memberships"][1]["group_kind"], "process");
    assert_eq!(value["attendance"][2]["status"], "excused");
    assert_eq!(value["signatures"][0]["signed_at"], "2026-11-26T10:00:00Z");
    assert_eq!(value["signatures"][0]["method"], "client_mode");
    assert_eq!(value["incidents"][0]["kind"], "confidentiality_breach");
    assert_eq!(value["incidents"][0]["resolved_on"], "2026-09-25");
    assert!(value["signatures"][0]["text"]["clauses"][0]["number"] == 1);
    let phq9 = &value["questionnaires"][0];
    assert_eq!(phq9["taken_on"], "2026-09-10");
    assert_eq!(phq9["answered_by"], "paper");
    assert_eq!(
        (phq9["total"].clone(), phq9["prorated"].clone()),
        (serde_json::json!(8), serde_json::json!(true))
    );
    assert_eq!(phq9["band"], "Mild");
    assert_eq!(phq9["answers"][4]["answer"], serde_json::Value::Null);
}

#[test]
fn her_questionnaires_are_there_with_every_answer_and_no_one_elses() {
    let f = fixture();
    let (record, json, html) = outputs(&f);
    assert_eq!(
        record.questionnaires.len(),
        1,
        "Bo's GAD-7 is not in Ana's record"
    );
    let phq9 = &record.questionnaires[0];
    assert_eq!(phq9.title, "Patient Health Questionnaire (PHQ-9)");
    assert_eq!(phq9.group.as_deref(), Some("Thursday grief group"));
    assert_eq!(phq9.answers.len(), 10, "nine questions and the follow-up");
    assert_eq!(phq9.answers[0].answer.as_deref(), Some("Several days"));
    assert_eq!(phq9.answers[8].answer.as_deref(), Some("Not at all"));
    assert_eq!(
        phq9.answers[9].answer.as_deref(),
        Some("Somewhat difficult")
    );
    // Eight answers adding up to 7, prorated: 7 × 9 ÷ 8 = 7.875, rounded to 8.
    assert_eq!((phq9.total, phq9.prorated), (Some(8), true));
    assert!(!json.contains("Generalized Anxiety"));
    assert!(html.contains("<h2>Questionnaires</h2>"));
    assert!(html.contains("8 (Mild; some questions unanswered, so estimated from the rest)"));
    assert!(html.contains("<td>Not answered</td>"));
    assert!(html.contains("Kroenke K, Spitzer RL, Williams JBW"));
}

#[test]
fn an_unknown_member_is_not_found() {
    let f = fixture();
    let missing = MemberId::random();
    match f.p.member_record(missing, PRODUCED_ON) {
        Err(PracticeError::NotFound { kind, id }) => {
            assert_eq!(kind, "member");
            assert_eq!(id, missing.to_string());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_practice_method_and_the_free_function_agree() {
    let f = fixture();
    let direct = member_record(f.p.state(), &f.p.profile(), f.ana, PRODUCED_ON).unwrap();
    assert_eq!(f.p.member_record(f.ana, PRODUCED_ON).unwrap(), direct);
}

#[test]
fn the_html_page_is_complete_and_escapes_every_piece_of_text() {
    let mut f = fixture();
    let grief =
        f.p.state()
            .groups
            .values()
            .find(|g| g.name.starts_with("Thursday"))
            .unwrap()
            .id;
    let evil =
        f.p.create_member(member("<img src=x onerror=alert(1)>", ""))
            .unwrap()
            .id;
    f.p.add_to_group(
        evil,
        grief,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    let s = session(grief, date!(2026 - 10 - 01), 4, "\"quoted\" & 'single'");
    let s =
        f.p.save_session(Session {
            attendance: [(evil, Attendance::Present)].into_iter().collect(),
            ..s
        })
        .unwrap();
    let payload = "</style><script>alert(1)</script>";
    f.p.save_note(note(s.id, evil, NoteKind::Progress, payload))
        .unwrap();

    let record = f.p.member_record(evil, PRODUCED_ON).unwrap();
    let html = render_html(&record);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"));
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the name, escaped"
    );
    assert!(html.contains("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;quoted&quot; &amp; &#39;single&#39;"));
    assert_eq!(
        html.matches("</style>").count(),
        1,
        "only the page's own style block ends"
    );
    let lower = html.to_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "<link",
        "<iframe",
        "<object",
        "url(",
        "@import",
        "http:",
        "https:",
        "javascript:",
    ] {
        assert!(!lower.contains(forbidden), "the page holds {forbidden:?}");
    }
    assert!(
        tags(&html).all(|t| !t.to_lowercase().contains(" on")),
        "no event handler"
    );

    // In Ana's record the same person is only initials, and the payload is not hers.
    let (_r, json, html) = outputs(&f);
    assert!(!json.contains("onerror") && !html.contains("onerror"));
    assert!(!html.contains("alert(1)"));
}

/// The opening tags of a page, e.g. `<td class="text">`.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
}

#[test]
fn the_page_starts_with_the_practice_and_ends_cleanly() {
    let f = fixture();
    let (_record, _json, html) = outputs(&f);
    let practice = html.find("Quiet Harbour Counselling").unwrap();
    let contact = html.find(&escape("12 Harbour St · +1 555 0100")).unwrap();
    let title = html.find("<h1>").unwrap();
    assert!(
        practice < title && contact < title,
        "the practice heads the page"
    );
    assert!(html.contains("Mira Sol, Registered Psychotherapist"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(
        html.matches("<table>").count(),
        3,
        "groups, attendance and one questionnaire"
    );
}

/// Over a whole demo practice: no member's record, as JSON or HTML, contains any other
/// member's full legal or preferred name, and none contains a psychotherapy note.
#[test]
fn no_record_of_a_demo_practice_names_another_member_in_full() {
    let (_tmp, mut p) = builders::empty_practice();
    let today = p.today();
    p.import(holdspace::practice::demo::demo_practice(0.1, 11, today))
        .unwrap();
    let state = p.state().clone();
    let private: Vec<&str> = state
        .notes
        .values()
        .filter(|n| n.kind == NoteKind::Psychotherapy)
        .map(|n| n.text.as_str())
        .collect();
    assert!(!private.is_empty());
    for member in state.members.values() {
        let record = p.member_record(member.id, today).unwrap();
        let json = serde_json::to_string(&record).unwrap();
        let html = render_html(&record);
        for other in state.members.values().filter(|o| o.id != member.id) {
            // Every legal name is a full name; a preferred name counts when it has two parts.
            let preferred = Some(other.preferred_name.as_str()).filter(|n| n.contains(' '));
            for name in std::iter::once(other.legal_name.as_str()).chain(preferred) {
                if member.legal_name.contains(name) || member.preferred_name.contains(name) {
                    continue; // the member's own name happens to contain it
                }
                assert!(
                    !json.contains(name),
                    "{name} appears in {}'s record",
                    member.legal_name
                );
                assert!(
                    !html.contains(&escape(name)),
                    "{name} appears in {}'s HTML",
                    member.legal_name
                );
            }
        }
        for text in &private {
            let start: String = text.chars().take(80).collect();
            assert!(!json.contains(&start) && !html.contains(&escape(&start)));
        }
    }
}

#[test]
fn names_in_many_languages_and_other_members_contacts_never_appear_and_own_details_stay() {
    let (_tmp, vault, _) = new_vault();
    let mut p = Practice::load(vault).unwrap();
    p.set_clock(fixed_now);
    let g = p
        .create_group(group("Thursday process group", GroupKind::Process))
        .unwrap()
        .id;
    let kim = p
        .create_member(Member {
            email: "ana.kim@example.org".into(),
            phone: "+1 415 555 0100".into(),
            ..member("Ana Kim", "")
        })
        .unwrap()
        .id;
    let others = [
        "maria gonzalez",
        "Ahmed al-Sayed",
        "Fitzwilliam d'Arcy",
        "Jean-Luc Picard",
        "Lucía García-Márquez",
        "王志强",
        "김민준",
        "Anna Weiß",
        "Işık Yılmaz",
        "Νίκος Παπαδόπουλος",
        "Kim Park",
    ];
    let joined = Some(date!(2026 - 09 - 03));
    p.add_to_group(kim, g, MembershipStatus::Active, joined)
        .unwrap();
    for name in others {
        let m = p.create_member(member(name, "")).unwrap().id;
        p.add_to_group(m, g, MembershipStatus::Active, joined)
            .unwrap();
    }
    let bo = p
        .create_member(Member {
            email: "blq77@example.org".into(),
            phone: "(415) 555-0199".into(),
            ..member("Bo Lindqvist", "")
        })
        .unwrap()
        .id;
    p.add_to_group(bo, g, MembershipStatus::Active, joined)
        .unwrap();
    let s = p
        .save_session(session(g, date!(2026 - 09 - 10), 1, "Check-in"))
        .unwrap();
    let said = "Maria, GONZALEZ, al-Sayed, Sayed, d'Arcy, Jean, Luc, García, Márquez, \
                志强, 민준이가, WEISS, IŞIK, YILMAZ, ΝΙΚΟΣ, ΠΑΠΑΔΟΠΟΥΛΟΣ and Kim Park were \
                there. Call Bo on 415 555 0199 or blq77@example.org. Ana is on \
                ana.kim@example.org.";
    p.save_note(note(s.id, kim, NoteKind::Progress, said))
        .unwrap();

    let record = p.member_record(kim, PRODUCED_ON).unwrap();
    let json = serde_json::to_string_pretty(&record).unwrap();
    let html = render_html(&record);
    for (what, text) in [("JSON", &json), ("HTML", &html)] {
        for name in [
            "maria",
            "gonzalez",
            "sayed",
            "arcy",
            "jean",
            "luc",
            "garcía",
            "márquez",
            "志强",
            "민준",
            "weiss",
            "weiß",
            "ışık",
            "işık",
            "yilmaz",
            "yılmaz",
            "νίκος",
            "νικος",
            "παπαδόπουλος",
            "παπαδοπουλος",
            "park",
            "lindqvist",
            "415 555 0199",
            "555-0199",
            "blq77",
        ] {
            assert!(!text.to_lowercase().contains(name), "{what} holds {name:?}");
        }
    }
    assert_eq!(
        record.member.email, "ana.kim@example.org",
        "own email untouched"
    );
    assert_eq!(
        record.member.phone, "+1 415 555 0100",
        "own phone untouched"
    );
    assert!(record.progress_notes[0]
        .text
        .contains("ana.kim@example.org"));
    assert!(record.progress_notes[0]
        .text
        .contains("[phone of B. L.] or [email of B. L.]"));
}

/// Any note text, in any script, with another member's name inside: the record is made, its
/// HTML escapes it, and the other name is never in either.
#[test]
fn any_note_text_makes_a_record_without_the_other_names() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    let f = fixture();
    let p = std::cell::RefCell::new(f.p);
    let session = p
        .borrow()
        .state()
        .sessions
        .values()
        .find(|s| s.attendance.contains_key(&f.ana))
        .unwrap()
        .id;
    let mut runner = TestRunner::new(Config {
        cases: 128,
        rng_seed: RngSeed::Fixed(20261203),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(
                "(\\PC|[\u{a0}\u{3000}\n]){0,60}",
                "(\\PC|[\u{a0}\u{3000}\n]){0,60}",
                prop::bool::ANY,
            ),
            |(before, after, upper)| {
                let name = if upper {
                    "BO LINDQVIST"
                } else {
                    "Bo Lindqvist"
                };
                let text = format!("{before} {name} {after}");
                let mut p = p.borrow_mut();
                p.save_note(note(session, f.ana, NoteKind::Progress, &text))
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                let record = p.member_record(f.ana, PRODUCED_ON).unwrap();
                let json = serde_json::to_string(&record).unwrap();
                let html = render_html(&record);
                prop_assert!(!json.contains(name) && !html.contains(name));
                Ok(())
            },
        )
        .unwrap();
}
