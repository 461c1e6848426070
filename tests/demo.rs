//! The demo practice generator: always valid, deterministic, near its targets at scale 1,
//! realistic where it matters (rosters, re-signing, separate psychotherapy notes, diverse
//! names), and importable into a real vault and exported back unchanged. An ignored test
//! measures generation and import at scales 1 and 10 (release build).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use common::new_vault;
use holdspace::practice::agreement::{signature_state, SignatureState};
use holdspace::practice::demo::demo_practice;
use holdspace::practice::*;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const TODAY: Date = date!(2026 - 11 - 26);

fn fixed_now() -> OffsetDateTime {
    datetime!(2026-11-26 10:00 UTC)
}

fn assert_valid(file: &PracticeJson, today: Date, what: &str) {
    if let Err(e) = file.validate(today) {
        panic!("{what}: {e}");
    }
}

fn within_10_percent(actual: usize, target: usize, what: &str) {
    let (lo, hi) = (target * 9 / 10, target * 11 / 10);
    assert!(
        (lo..=hi).contains(&actual),
        "{what}: {actual} is not within 10% of {target}"
    );
}

#[test]
fn small_demos_validate_for_several_seeds_scales_and_days() {
    for scale in [0.01, 0.05, 0.1] {
        for seed in [0, 1, 42, 2026, u64::MAX] {
            for today in [TODAY, date!(2028 - 02 - 29), date!(2031 - 01 - 01)] {
                let file = demo_practice(scale, seed, today);
                assert_valid(
                    &file,
                    today,
                    &format!("scale {scale}, seed {seed}, {today}"),
                );
                // Valid on later days too: nothing depends on the day being today.
                assert_valid(&file, date!(2040 - 06 - 01), "a later day");
            }
        }
    }
}

#[test]
fn the_smallest_scales_still_make_a_consistent_practice() {
    for scale in [0.01, 0.001, 0.0, -3.0, f64::NAN, f64::INFINITY] {
        let file = demo_practice(scale, 9, TODAY);
        assert_valid(&file, TODAY, &format!("scale {scale}"));
        assert!(!file.groups.is_empty(), "scale {scale}: no group");
        assert!(
            file.members.len() >= 2,
            "scale {scale}: fewer than 2 members"
        );
        assert!(!file.sessions.is_empty(), "scale {scale}: no session");
        assert!(!file.agreements.is_empty(), "scale {scale}: no agreement");
    }
}

#[test]
fn scale_1_is_valid_and_within_10_percent_of_the_targets() {
    let started = Instant::now();
    let file = demo_practice(1.0, 7, TODAY);
    let generated = started.elapsed();
    assert_valid(&file, TODAY, "scale 1");
    within_10_percent(file.members.len(), 300, "members");
    within_10_percent(file.groups.len(), 30, "groups");
    within_10_percent(file.sessions.len(), 1500, "sessions");
    within_10_percent(file.notes.len(), 15_000, "notes");
    within_10_percent(file.incidents.len(), 15, "incidents");
    let progress: Vec<&Note> = file
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Progress)
        .collect();
    let mean = progress.iter().map(|n| n.text.len()).sum::<usize>() / progress.len();
    assert!(
        (800..=1400).contains(&mean),
        "progress notes average {mean} bytes"
    );
    let kinds: BTreeSet<GroupKind> = file.groups.iter().map(|g| g.kind).collect();
    assert_eq!(kinds.len(), 4, "all four kinds of group");
    let statuses: BTreeSet<GroupStatus> = file.groups.iter().map(|g| g.status).collect();
    assert_eq!(statuses.len(), 3, "forming, running and ended groups");
    let incident_kinds: BTreeSet<String> = file
        .incidents
        .iter()
        .map(|i| format!("{:?}", i.kind))
        .collect();
    assert_eq!(incident_kinds.len(), 5, "every kind of incident");
    let sigs = &file.signatures;
    assert!(
        sigs.iter().any(|s| s.withdrawal.is_some()),
        "a few withdrawn"
    );
    assert!(
        sigs.iter().any(|s| !s.discuss.is_empty()),
        "a few to discuss"
    );
    assert!(sigs.iter().any(|s| s.method == SignatureMethod::PaperCopy));
    assert!(sigs.iter().any(|s| s.method == SignatureMethod::ClientMode));
    assert!(file.incidents.iter().any(|i| i.resolved_on.is_some()));
    assert!(file.incidents.iter().any(|i| i.resolved_on.is_none()));
    eprintln!(
        "scale 1 (debug): generated in {generated:?}, validated in {:?}",
        started.elapsed() - generated
    );
}

#[test]
fn the_same_inputs_give_identical_json_and_others_differ() {
    let json = |scale, seed, today| demo_practice(scale, seed, today).to_json();
    let first = json(0.1, 11, TODAY);
    assert_eq!(first, json(0.1, 11, TODAY), "same scale, seed and day");
    assert_ne!(first, json(0.1, 12, TODAY), "another seed");
    assert_ne!(first, json(0.1, 11, date!(2026 - 11 - 27)), "another day");
    let other = demo_practice(0.1, 12, TODAY);
    let ids = |f: &PracticeJson| f.members.iter().map(|m| m.id).collect::<BTreeSet<_>>();
    assert!(
        ids(&demo_practice(0.1, 11, TODAY)).is_disjoint(&ids(&other)),
        "ids come from the seed, so another seed gives other ids"
    );
}

#[test]
fn psychotherapy_notes_exist_and_are_separate_records() {
    let file = demo_practice(0.2, 3, TODAY);
    let (psych, progress): (Vec<&Note>, Vec<&Note>) = file
        .notes
        .iter()
        .partition(|n| n.kind == NoteKind::Psychotherapy);
    assert!(!psych.is_empty() && !progress.is_empty());
    let share = psych.len() as f64 / file.notes.len() as f64;
    assert!((0.08..=0.3).contains(&share), "psychotherapy share {share}");
    let progress_ids: BTreeSet<NoteId> = progress.iter().map(|n| n.id).collect();
    assert!(psych.iter().all(|n| !progress_ids.contains(&n.id)));
    // Where a member has both kinds for one session, they are two records with different text.
    let progress_by: BTreeMap<(SessionId, MemberId), &Note> = progress
        .iter()
        .map(|n| ((n.session, n.member), *n))
        .collect();
    let both: Vec<_> = psych
        .iter()
        .filter_map(|p| progress_by.get(&(p.session, p.member)).map(|q| (*p, *q)))
        .collect();
    assert!(
        !both.is_empty(),
        "some members have both kinds for a session"
    );
    for (p, q) in both {
        assert_ne!(p.id, q.id);
        assert!(!q.text.contains(&p.text) && !p.text.contains(&q.text));
    }
}

#[test]
fn some_members_need_re_signing_after_a_version_2() {
    let file = demo_practice(0.2, 5, TODAY);
    let current: BTreeMap<GroupId, u32> =
        file.agreements.iter().fold(BTreeMap::new(), |mut map, a| {
            let n = map.entry(a.group).or_insert(0);
            *n = (*n).max(a.number);
            map
        });
    let mut states = Vec::new();
    for m in &file.memberships {
        if matches!(
            m.status,
            MembershipStatus::Active | MembershipStatus::Screened
        ) {
            let signed = file
                .signatures
                .iter()
                .filter(|s| s.member == m.member && s.group == m.group);
            states.push(signature_state(current.get(&m.group).copied(), signed));
        }
    }
    let count = |wanted: fn(&SignatureState) -> bool| states.iter().filter(|s| wanted(s)).count();
    let resign = count(|s| matches!(s, SignatureState::NeedsResigning { signed_version: 1 }));
    let signed_v2 = count(|s| matches!(s, SignatureState::Signed { version: 2 }));
    let signed = count(|s| matches!(s, SignatureState::Signed { .. }));
    assert!(resign > 0, "members who signed v1 where the group has v2");
    assert!(signed_v2 > 0, "members who signed v2");
    assert!(signed > resign, "most members are signed up to date");
    assert!(file
        .signatures
        .iter()
        .all(|s| s.acknowledged.iter().all(|a| *a)));
}

#[test]
fn rosters_sessions_and_dates_are_realistic() {
    let file = demo_practice(0.5, 8, TODAY);
    let history_start = date!(2023 - 11 - 20);
    let mut groups_of: BTreeMap<MemberId, BTreeSet<GroupId>> = BTreeMap::new();
    for m in &file.memberships {
        groups_of.entry(m.member).or_default().insert(m.group);
        for day in [m.joined, m.left].into_iter().flatten() {
            assert!(
                day <= TODAY && day >= history_start,
                "membership date {day}"
            );
        }
    }
    assert_eq!(
        groups_of.len(),
        file.members.len(),
        "every member is in a group"
    );
    assert!(groups_of.values().all(|g| (1..=2).contains(&g.len())));
    assert!(groups_of.values().any(|g| g.len() == 2));
    let groups: BTreeMap<GroupId, &Group> = file.groups.iter().map(|g| (g.id, g)).collect();
    let mut numbers: BTreeMap<GroupId, Vec<u32>> = BTreeMap::new();
    for s in &file.sessions {
        let g = groups[&s.group];
        assert!(
            s.attendance.len() <= usize::from(g.capacity.unwrap_or(100)),
            "over capacity"
        );
        assert!(s.date <= TODAY && s.date >= history_start);
        let weekday = format!("{:?}", g.schedule.as_ref().map(|s| s.weekday).unwrap());
        assert_eq!(
            format!("{:?}", s.date.weekday()),
            weekday,
            "session off its weekday"
        );
        numbers.entry(s.group).or_default().push(s.number);
    }
    for list in numbers.values() {
        assert!(
            list.iter().copied().eq(1..=list.len() as u32),
            "numbered 1, 2, …"
        );
    }
    let attended: usize = file.sessions.iter().map(|s| s.attendance.len()).sum();
    let present = file
        .sessions
        .iter()
        .flat_map(|s| s.attendance.values())
        .filter(|a| **a == Attendance::Present)
        .count();
    assert!(present * 100 / attended >= 65, "mostly present");
    let statuses: BTreeSet<String> = file
        .memberships
        .iter()
        .map(|m| format!("{:?}", m.status))
        .collect();
    assert_eq!(statuses.len(), 5, "every membership status: {statuses:?}");
}

#[test]
fn names_are_diverse_and_contacts_are_valid() {
    let file = demo_practice(1.0, 13, TODAY);
    let names: Vec<&str> = file.members.iter().map(|m| m.legal_name.as_str()).collect();
    let has = |test: fn(char) -> bool| names.iter().any(|n| n.chars().any(test));
    assert!(
        has(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Arabic script"
    );
    assert!(
        has(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
        "Chinese characters"
    );
    assert!(
        has(|c| ('\u{0370}'..='\u{03FF}').contains(&c)),
        "Greek script"
    );
    assert!(has(|c| "éëłçñøüö".contains(c)), "accented Latin letters");
    assert!(names.iter().any(|n| n.contains('\'')), "an apostrophe");
    assert!(names.iter().any(|n| n.contains('-')), "a hyphen");
    assert!(file.members.iter().any(|m| !m.preferred_name.is_empty()));
    assert!(file.members.iter().any(|m| m.pronouns == "they/them"));
    let emails: Vec<&str> = file
        .members
        .iter()
        .map(|m| m.email.as_str())
        .filter(|e| !e.is_empty())
        .collect();
    let reserved = |e: &str| {
        [".org", ".com", ".net"]
            .iter()
            .any(|d| e.ends_with(&format!("@example{d}")))
    };
    assert!(
        emails.iter().all(|e| e.is_ascii() && reserved(e)),
        "ASCII, reserved domains"
    );
    let unique: BTreeSet<&&str> = emails.iter().collect();
    assert_eq!(unique.len(), emails.len(), "emails are unique");
    assert!(file.members.iter().all(|m| m.phone.is_ascii()));
}

#[test]
fn an_imported_demo_exports_unchanged() {
    let file = demo_practice(0.05, 21, TODAY);
    let (_tmp, vault, _) = new_vault();
    let mut practice = Practice::load(vault).unwrap();
    practice.set_clock(fixed_now);
    let report = practice.import(file.clone()).unwrap();
    assert_eq!(report.notes, file.notes.len());
    let back = practice.export().unwrap();
    fn sorted<T: Clone, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
        let mut out = items.to_vec();
        out.sort_by_key(key);
        out
    }
    assert_eq!(back.profile, file.profile);
    assert_eq!(
        sorted(&back.groups, |r| r.id),
        sorted(&file.groups, |r| r.id)
    );
    assert_eq!(
        sorted(&back.members, |r| r.id),
        sorted(&file.members, |r| r.id)
    );
    assert_eq!(
        sorted(&back.memberships, |r| r.id),
        sorted(&file.memberships, |r| r.id)
    );
    assert_eq!(
        sorted(&back.agreements, |r| r.id),
        sorted(&file.agreements, |r| r.id)
    );
    assert_eq!(
        sorted(&back.signatures, |r| r.id),
        sorted(&file.signatures, |r| r.id)
    );
    assert_eq!(
        sorted(&back.sessions, |r| r.id),
        sorted(&file.sessions, |r| r.id)
    );
    assert_eq!(sorted(&back.notes, |r| r.id), sorted(&file.notes, |r| r.id));
    assert_eq!(
        sorted(&back.incidents, |r| r.id),
        sorted(&file.incidents, |r| r.id)
    );
    // The import and the export are the audit trail's only entries.
    let actions: Vec<AuditAction> = back.audit.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::Import, AuditAction::Export]);
}

/// Peak resident memory so far (Linux), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Resets the peak so the next reading is for the next step only (Linux; best effort).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[test]
#[ignore = "measurement: run with --release --ignored --nocapture"]
fn measure_generate_and_import_at_scales_1_and_10() {
    for scale in [1.0, 10.0] {
        reset_peak_rss();
        let started = Instant::now();
        let file = demo_practice(scale, 1, TODAY);
        let generated = started.elapsed();
        let json = file.to_json();
        let compact = serde_json::to_vec(&file).unwrap().len();
        let validated = Instant::now();
        file.validate(TODAY).unwrap();
        let validated = validated.elapsed();
        eprintln!(
            "scale {scale}: {} groups, {} members, {} memberships, {} sessions, {} notes, {} signatures",
            file.groups.len(),
            file.members.len(),
            file.memberships.len(),
            file.sessions.len(),
            file.notes.len(),
            file.signatures.len()
        );
        eprintln!(
            "  generate {generated:.2?}; JSON {:.1} MB pretty, {:.1} MB compact; validate {validated:.2?}; peak RSS {:?} MiB",
            json.len() as f64 / 1e6,
            compact as f64 / 1e6,
            peak_rss_mib()
        );
        drop(json);
        let (tmp, vault, _) = new_vault();
        let mut practice = Practice::load(vault).unwrap();
        practice.set_clock(fixed_now);
        reset_peak_rss();
        let started = Instant::now();
        let report = practice.import(file).unwrap();
        let imported = started.elapsed();
        let size = dir_size(tmp.path());
        eprintln!(
            "  import {imported:.2?} ({} records, {:.0} records/s); vault on disk {:.0} MB; peak RSS during import {:?} MiB",
            report.records,
            report.records as f64 / imported.as_secs_f64(),
            size as f64 / 1e6,
            peak_rss_mib()
        );
        let vault = practice.vault().dir().to_path_buf();
        drop(practice);
        let started = Instant::now();
        let reopened = Practice::load(common::reopen(&vault)).unwrap();
        eprintln!(
            "  reopen + load (Argon2id at test parameters) {:.2?}; {} notes in memory",
            started.elapsed(),
            reopened.state().notes.len()
        );
    }
}

fn dir_size(path: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
