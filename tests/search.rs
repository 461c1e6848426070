//! Search end to end over a real (test-KDF) vault: case and accent folding, prefix while
//! typing, every word required, each kind found with its title, progress versus psychotherapy
//! notes, the index following edits, deletions and purges, non-Latin and emoji names, hostile
//! text returned verbatim, ranking and limits, the JSON shape, and the same results after a
//! lock and unlock.

mod common;

use common::builders::{self, empty_practice, member};
use common::{passphrase, PASSPHRASE, POLICY};
use holdspace::practice::*;
use holdspace::Vault;
use time::macros::date;
use time::Date;

fn practice() -> (tempfile::TempDir, Practice) {
    empty_practice()
}

fn group(name: &str) -> Group {
    Group {
        co_facilitator: Some("Dr. Őrsi Kovács".into()),
        schedule: None,
        location: "Room 2, Harbour Street clinic".into(),
        capacity: None,
        ..builders::group(name)
    }
}

/// A group "Thursday grief group" and a member of it since 2026-09-03.
fn group_with(p: &mut Practice, name: &str) -> (GroupId, MemberId) {
    let g = match p.state().groups.values().next() {
        Some(g) => g.id,
        None => p.create_group(group("Thursday grief group")).unwrap().id,
    };
    let m = p.create_member(member(name)).unwrap();
    p.add_to_group(
        m.id,
        g,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    (g, m.id)
}

fn session(p: &mut Practice, g: GroupId, date: Date, topic: &str, note: &str) -> Session {
    let number = p.next_session_number(g);
    p.save_session(Session {
        id: SessionId::random(),
        group: g,
        date,
        start: None,
        number,
        topic: topic.into(),
        attendance: Default::default(),
        group_note: note.into(),
    })
    .unwrap()
}

fn note(p: &mut Practice, s: &Session, m: MemberId, kind: NoteKind, text: &str) -> Note {
    p.save_note(Note {
        id: NoteId::random(),
        session: s.id,
        member: m,
        kind,
        text: text.into(),
    })
    .unwrap()
}

fn member_titles(p: &Practice, query: &str) -> Vec<String> {
    let found = p.search(query, 10).members.hits;
    found.into_iter().map(|h| h.hit.title).collect()
}

fn note_ids(p: &Practice, query: &str) -> Vec<NoteId> {
    p.search(query, 10)
        .notes
        .hits
        .into_iter()
        .map(|h| h.hit.id)
        .collect()
}

#[test]
fn case_and_accents_fold_both_ways() {
    let (_t, mut p) = practice();
    p.create_member(member("José Álvarez")).unwrap();
    p.create_member(member("ZOË Brontë")).unwrap();
    for query in ["jose", "JOSE", "José", "josé álvarez", "alvarez"] {
        assert_eq!(member_titles(&p, query), ["José Álvarez"], "{query}");
    }
    for query in ["zoe", "Zoë", "zoë bronte", "BRONTË"] {
        assert_eq!(member_titles(&p, query), ["ZOË Brontë"], "{query}");
    }
}

#[test]
fn the_last_word_is_a_prefix_while_it_is_being_typed() {
    let (_t, mut p) = practice();
    p.create_member(member("Ana López")).unwrap();
    p.create_member(member("Anabel Lopez")).unwrap();
    assert_eq!(member_titles(&p, "a").len(), 2);
    assert_eq!(member_titles(&p, "anab"), ["Anabel Lopez"]);
    assert_eq!(member_titles(&p, "ana lóp"), ["Ana López"]);
    assert_eq!(
        member_titles(&p, "ana "),
        ["Ana López"],
        "a finished word is whole"
    );
    assert!(
        member_titles(&p, "lop ana").is_empty(),
        "only the last word is a prefix"
    );
    assert_eq!(member_titles(&p, "lopez an").len(), 2);
}

#[test]
fn every_word_must_match_and_blank_queries_find_nothing() {
    let (_t, mut p) = practice();
    p.create_member(member("Ana López")).unwrap();
    p.create_member(member("Ana Smith")).unwrap();
    assert_eq!(member_titles(&p, "ana").len(), 2);
    assert_eq!(member_titles(&p, "ana smith"), ["Ana Smith"]);
    assert!(member_titles(&p, "lopez smith").is_empty());
    for blank in ["", "   ", "\t\n", "—…!?", "🙂"] {
        assert!(p.search(blank, 10).is_empty(), "{blank:?}");
    }
}

#[test]
fn each_kind_is_found_with_its_title() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let mut contact = p.state().members[&ana].clone();
    contact.preferred_name = "Annie".into();
    contact.email = "ana.lopez@example.org".into();
    contact.phone = "+1 (555) 010-4477".into();
    p.update_member(contact).unwrap();
    let s = session(
        &mut p,
        g,
        date!(2026 - 09 - 10),
        "Anniversary reactions",
        "Quiet, tearful.",
    );
    note(
        &mut p,
        &s,
        ana,
        NoteKind::Progress,
        "Spoke about her garden.",
    );
    p.save_incident(Incident {
        id: IncidentId::random(),
        date: date!(2026 - 10 - 01),
        group: g,
        session: Some(s.id),
        members: vec![ana],
        kind: IncidentKind::ConfidentialityBreach,
        what_happened: "A story was retold at the bus stop.".into(),
        action_taken: "Revisited the ground rules.".into(),
        resolved_on: None,
    })
    .unwrap();

    let members = |q: &str| member_titles(&p, q);
    for q in [
        "annie",
        "lopez",
        "ana.lopez@example",
        "example.org",
        "4477",
        "555 010",
    ] {
        assert_eq!(members(q), ["Annie"], "member by {q}");
    }
    for q in ["thursday", "loss", "harbour", "kovacs", "orsi"] {
        let groups = p.search(q, 10).groups.hits;
        assert_eq!(groups.len(), 1, "group by {q}");
        assert_eq!(groups[0].title, "Thursday grief group");
    }
    for q in ["anniversary", "tearful"] {
        let sessions = p.search(q, 10).sessions.hits;
        assert_eq!(sessions.len(), 1, "session by {q}");
        assert_eq!(sessions[0].title, "Thursday grief group, 2026-09-10");
        assert_eq!(sessions[0].date, Some(date!(2026 - 09 - 10)));
    }
    let notes = p.search("garden", 10).notes.hits;
    assert_eq!(notes[0].hit.title, "Annie, 2026-09-10, progress note");
    assert_eq!(notes[0].hit.snippet, "Spoke about her garden.");
    for q in ["bus stop", "ground rules"] {
        let incidents = p.search(q, 10).incidents.hits;
        assert_eq!(incidents.len(), 1, "incident by {q}");
        assert_eq!(incidents[0].title, "Thursday grief group, 2026-10-01");
    }
    let found = p.search("ground", 10);
    assert_eq!(found.incidents.hits[0].field, "action_taken");
    assert_eq!(
        found.total(),
        1,
        "agreements and audit events are not searched"
    );
}

#[test]
fn notes_say_whether_they_are_progress_or_psychotherapy() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    let progress = note(
        &mut p,
        &s,
        ana,
        NoteKind::Progress,
        "Talked about her sister.",
    );
    let private = note(
        &mut p,
        &s,
        ana,
        NoteKind::Psychotherapy,
        "Sister: old rivalry?",
    );
    let hits = p.search("sister", 10).notes.hits;
    assert_eq!(hits.len(), 2);
    for hit in hits {
        let (kind, word) = if hit.hit.id == progress.id {
            (NoteKind::Progress, "progress")
        } else {
            assert_eq!(hit.hit.id, private.id);
            (NoteKind::Psychotherapy, "psychotherapy")
        };
        assert_eq!(hit.kind, kind);
        assert_eq!(hit.hit.title, format!("Ana López, 2026-09-10, {word} note"));
        assert_eq!((hit.member, hit.session), (ana, s.id));
    }
}

#[test]
fn edits_update_the_index() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    let mut n = note(&mut p, &s, ana, NoteKind::Progress, "Mentioned insomnia.");
    n.text = "Sleeping better since the last session.".into();
    p.save_note(n.clone()).unwrap();
    assert!(note_ids(&p, "insomnia").is_empty(), "old word gone");
    assert_eq!(note_ids(&p, "sleeping"), [n.id], "new word found");

    let mut renamed = p.state().members[&ana].clone();
    renamed.legal_name = "Ana Ruiz".into();
    p.update_member(renamed).unwrap();
    assert!(member_titles(&p, "lopez").is_empty());
    assert_eq!(member_titles(&p, "ruiz"), ["Ana Ruiz"]);
    let title = &p.search("sleeping", 10).notes.hits[0].hit.title;
    assert_eq!(
        title, "Ana Ruiz, 2026-09-10, progress note",
        "titles follow renames"
    );

    let mut moved = s.clone();
    moved.date = date!(2026 - 09 - 11);
    p.save_session(moved).unwrap();
    let hit = &p.search("sleeping", 10).notes.hits[0].hit;
    assert_eq!(
        hit.date,
        Some(date!(2026 - 09 - 11)),
        "notes follow their session's date"
    );
}

#[test]
fn deleted_notes_and_purged_members_disappear_and_archived_ones_are_flagged() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let (_, bo) = group_with(&mut p, "Bo Lindqvist");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    let a = note(
        &mut p,
        &s,
        ana,
        NoteKind::Progress,
        "Ana spoke of the harbour.",
    );
    let b = note(
        &mut p,
        &s,
        bo,
        NoteKind::Psychotherapy,
        "Bo spoke of the harbour.",
    );
    assert_eq!(note_ids(&p, "harbour").len(), 2);

    p.delete_note(a.id).unwrap();
    assert_eq!(note_ids(&p, "harbour"), [b.id]);

    assert_eq!(p.delete_member(bo).unwrap(), DeleteOutcome::Archived);
    let archived = p.search("lindqvist", 10).members.hits;
    assert!(
        archived[0].archived,
        "archived members are found and flagged"
    );
    assert!(!p.search("lopez", 10).members.hits[0].archived);

    p.purge_member(bo).unwrap();
    assert!(p.search("lindqvist", 10).is_empty());
    assert!(note_ids(&p, "harbour").is_empty());
}

#[test]
fn arabic_cjk_and_emoji_names_are_findable() {
    let (_t, mut p) = practice();
    p.create_member(member("مُحَمَّد الأحمد")).unwrap();
    p.create_member(member("王小明")).unwrap();
    p.create_member(member("Mia 🌈 Chen")).unwrap();
    p.create_member(member("Αθηνά Παπαδοπούλου")).unwrap();
    for query in ["محمد", "مُحَمَّد", "الاحمد", "محمد الأح"] {
        assert_eq!(member_titles(&p, query), ["مُحَمَّد الأحمد"], "{query}");
    }
    for query in ["王小明", "小明", "明"] {
        assert_eq!(member_titles(&p, query), ["王小明"], "{query}");
    }
    for query in ["mia", "mia chen", "🌈 chen", "Mia 🌈 Chen"] {
        assert_eq!(member_titles(&p, query), ["Mia 🌈 Chen"], "{query}");
    }
    assert_eq!(member_titles(&p, "αθηνα"), ["Αθηνά Παπαδοπούλου"]);
}

#[test]
fn notes_with_wide_spaces_are_found_with_their_snippet() {
    let (_t, mut p) = practice();
    let (g, m) = group_with(&mut p, "Thursday group");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    let texts = [
        format!("{}\u{a0}needle here", "x".repeat(60)),
        format!("{}\u{3000}needle here", "x".repeat(60)),
        "Elle a dit\u{a0}: «\u{a0}je reviendrai jeudi\u{a0}» ; puis\u{a0}? rien\u{a0}! \
         Le groupe l’a accueillie avec chaleur\u{202f}; elle a pleuré, puis ri."
            .to_owned(),
    ];
    for text in &texts {
        note(&mut p, &s, m, NoteKind::Progress, text);
    }
    assert_eq!(note_ids(&p, "needle").len(), 2);
    for word in [
        "dit",
        "reviendrai",
        "jeudi",
        "puis",
        "rien",
        "accueillie",
        "pleure",
        "ri",
    ] {
        let found = p.search(word, 10);
        assert_eq!(found.notes.total, 1, "{word}");
        assert!(!found.notes.hits[0].hit.snippet.is_empty(), "{word}");
    }
}

#[test]
fn possessives_korean_given_names_and_every_case_are_found() {
    let (_t, mut p) = practice();
    for name in [
        "Bo Lindqvist",
        "김민준",
        "Νίκος Παπαδόπουλος",
        "Işık Yılmaz",
        "Anna Weiß",
        "Jean-Luc Picard",
        "Ahmed al-Sayed",
    ] {
        p.create_member(member(name)).unwrap();
    }
    for (query, found) in [
        ("Bo's", "Bo Lindqvist"),
        ("Lindqvist's", "Bo Lindqvist"),
        ("LINDQVIST’S", "Bo Lindqvist"),
        ("민준", "김민준"),
        ("준", "김민준"),
        ("김민준", "김민준"),
        ("ΝΙΚΟΣ", "Νίκος Παπαδόπουλος"),
        ("νικος", "Νίκος Παπαδόπουλος"),
        ("ΠΑΠΑΔΟΠΟΥΛΟΣ", "Νίκος Παπαδόπουλος"),
        ("IŞIK", "Işık Yılmaz"),
        ("YILMAZ", "Işık Yılmaz"),
        ("isik yilmaz", "Işık Yılmaz"),
        ("WEISS", "Anna Weiß"),
        ("Luc", "Jean-Luc Picard"),
        ("al-Sayed", "Ahmed al-Sayed"),
        ("sayed", "Ahmed al-Sayed"),
    ] {
        assert_eq!(member_titles(&p, query), [found], "{query}");
    }
}

#[test]
fn hostile_text_comes_back_verbatim() {
    let hostile = "<img src=x onerror=alert(1)>";
    let (_t, mut p) = practice();
    let (g, m) = group_with(&mut p, hostile);
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    note(
        &mut p,
        &s,
        m,
        NoteKind::Progress,
        "said </script><script>x()</script> & \"quoted\"",
    );
    let found = p.search("onerror", 10).members.hits;
    assert_eq!(found[0].hit.title, hostile);
    assert_eq!(found[0].hit.snippet, hostile);
    let notes = p.search("script", 10).notes.hits;
    assert_eq!(
        notes[0].hit.snippet,
        "said </script><script>x()</script> & \"quoted\""
    );
    assert!(notes[0].hit.title.starts_with(hostile));
    let json = serde_json::to_value(p.search("onerror", 10)).unwrap();
    assert_eq!(json["members"]["hits"][0]["title"], hostile);
}

#[test]
fn ranking_limits_and_snippets() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let mut notes = Vec::new();
    for (day, text) in [
        (3, "calm"),
        (10, "calm, calmer"),
        (17, "calm"),
        (24, "anxious"),
    ] {
        let date = Date::from_calendar_date(2026, time::Month::September, day).unwrap();
        let s = session(&mut p, g, date, "", "");
        notes.push(note(&mut p, &s, ana, NoteKind::Progress, text).id);
    }
    let found = p.search("calm", 2).notes;
    assert_eq!(found.total, 3);
    let order: Vec<NoteId> = found.hits.iter().map(|h| h.hit.id).collect();
    assert_eq!(
        order,
        [notes[1], notes[2]],
        "most matched tokens, then most recent"
    );
    assert_eq!(found.hits[0].hit.matched, 2);
    assert_eq!(p.search("calm", 0).notes.total, 3);
    assert!(p.search("calm", 0).notes.hits.is_empty());

    let long = format!(
        "{} the turning point {}",
        "before ".repeat(60),
        "after ".repeat(60)
    );
    let s = session(&mut p, g, date!(2026 - 10 - 01), "", "");
    note(&mut p, &s, ana, NoteKind::Progress, &long);
    let snippet = &p.search("turning", 1).notes.hits[0].hit.snippet;
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(snippet.contains("the turning point") && snippet.chars().count() <= 125);
}

#[test]
fn results_serialise_for_the_cli() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    note(&mut p, &s, ana, NoteKind::Psychotherapy, "Ana cried.");
    let json = serde_json::to_value(p.search("ana", 5)).unwrap();
    let member = &json["members"]["hits"][0];
    assert_eq!(member["id"], ana.to_string());
    assert_eq!(member["archived"], false);
    assert_eq!(member["field"], "legal_name");
    assert!(member.get("date").is_none());
    let note = &json["notes"]["hits"][0];
    assert_eq!(note["kind"], "psychotherapy");
    assert_eq!(note["date"], "2026-09-10");
    assert_eq!(note["member"], ana.to_string());
    assert_eq!(json["notes"]["total"], 1);
    assert_eq!(json["groups"]["hits"], serde_json::json!([]));
}

#[test]
fn lock_and_unlock_rebuild_the_same_results() {
    let (_t, mut p) = practice();
    let (g, ana) = group_with(&mut p, "Ana López");
    let (_, zoe) = group_with(&mut p, "Zoë Brontë");
    let s = session(
        &mut p,
        g,
        date!(2026 - 09 - 10),
        "Grief waves",
        "Everyone spoke.",
    );
    note(&mut p, &s, ana, NoteKind::Progress, "Ana spoke of waves.");
    let gone = note(
        &mut p,
        &s,
        zoe,
        NoteKind::Psychotherapy,
        "Zoë spoke of the sea.",
    );
    p.delete_note(gone.id).unwrap();
    let queries = [
        "ana",
        "zoe",
        "spoke",
        "wave",
        "grief",
        "sea",
        "thursday gr",
        "x",
    ];
    let before: Vec<SearchResults> = queries.iter().map(|q| p.search(q, 10)).collect();
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    let p = Practice::unlock(vault).unwrap();
    let after: Vec<SearchResults> = queries.iter().map(|q| p.search(q, 10)).collect();
    assert_eq!(after, before);
    assert!(before[2].notes.total == 1 && before[5].is_empty());
}

#[test]
fn changes_saved_while_the_index_is_still_building_are_found() {
    let (_t, mut p) = practice();
    let (g, _) = group_with(&mut p, "Thursday grief group");
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    let mut p = Practice::unlock(vault).unwrap();
    // Straight after unlock the index is (usually) still being built in the background.
    let added = p.create_member(member("Quillon Beaumarchais")).unwrap();
    p.update_group(Group {
        name: "Tuesday courage circle".into(),
        ..p.state().groups[&g].clone()
    })
    .unwrap();
    assert_eq!(
        member_titles(&p, "quillon"),
        vec!["Quillon Beaumarchais".to_owned()]
    );
    assert_eq!(p.search("courage", 5).groups.total, 1);
    assert_eq!(
        p.search("thursday", 5).groups.total,
        0,
        "the old name is gone"
    );
    assert!(p.state().members.contains_key(&added.id));
}

#[test]
fn an_import_is_searchable_at_once() {
    let (_t, mut source) = practice();
    group_with(&mut source, "Thursday grief group");
    let file = source.export().unwrap();
    let (_t2, mut fresh) = practice();
    fresh.import(file).unwrap();
    assert_eq!(fresh.search("thursday grief", 5).groups.total, 1);
}

#[test]
fn locking_while_the_index_builds_is_safe() {
    let (_t, mut p) = practice();
    group_with(&mut p, "Thursday grief group");
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    Practice::unlock(vault).unwrap().lock().unwrap();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    let p = Practice::unlock(vault).unwrap();
    p.wait_for_search();
    assert_eq!(p.search("grief", 5).groups.total, 1);
}

/// Any query, in any script, against notes in many: search never panics, every snippet holds
/// only text from its record, and a word taken from a note finds that note.
#[test]
fn any_query_is_answered_without_panic() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    let (_t, mut p) = practice();
    let (g, m) = group_with(&mut p, "Groupe du jeudi");
    let s = session(&mut p, g, date!(2026 - 09 - 10), "", "");
    let texts = [
        "Elle a dit\u{a0}: «\u{a0}je reviendrai\u{a0}» ; puis\u{a0}? rien\u{a0}!",
        "Νίκος μίλησε για τον πατέρα του. ΤΕΛΟΣ.",
        "민준이가 오늘은 조용했다. 김민준 씨.",
        "王志强说他很累。",
        "Işık bugün çok konuştu; YILMAZ ailesi.",
        "Straße, Æsir, Søren — 🌱 emoji and \u{200d} joiners",
        "مُحَمَّد تحدث عن عائلته",
    ];
    for text in texts {
        note(&mut p, &s, m, NoteKind::Progress, text);
    }
    p.wait_for_search();
    let mut runner = TestRunner::new(Config {
        cases: 512,
        rng_seed: RngSeed::Fixed(20261203),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&"(\\PC|[\u{a0}\u{3000} '’-]){0,24}", |query| {
            let found = p.search(&query, 5);
            for hit in &found.notes.hits {
                let words: Vec<&str> = hit
                    .hit
                    .snippet
                    .split(['…', ' '])
                    .filter(|w| !w.is_empty())
                    .collect();
                prop_assert!(
                    words.iter().all(|w| texts.iter().any(|t| t.contains(w))),
                    "{:?} gave {:?}",
                    query,
                    hit.hit.snippet
                );
            }
            Ok(())
        })
        .unwrap();
    for word in [
        "reviendrai",
        "μίλησε",
        "조용했다",
        "志强",
        "bugün",
        "Æsir",
        "تحدث",
        "ΤΕΛΟΣ",
    ] {
        assert!(p.search(word, 10).notes.total >= 1, "{word}");
    }
}
