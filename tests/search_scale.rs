//! Search at 10x scale (`docs/performance.md`): a synthetic in-memory practice of 3,000
//! members, 300 groups, 15,000 sessions and 150,000 notes of about 1 KB, then the index's build
//! time, its memory and query latency over a few hundred queries typed the way people type them.
//!
//! Ignored by default and never asserts timings; run it in release:
//! `cargo test --release --test search_scale -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use holdspace::practice::state::State;
use holdspace::practice::*;
use time::macros::date;

const MEMBERS: usize = 3_000;
const GROUPS: usize = 300;
const SESSIONS_PER_GROUP: usize = 50;
const NOTES_PER_SESSION: usize = 10;
const INCIDENTS: usize = 600;
const NOTE_BYTES: usize = 1_000;
/// Invented rare words after the common ones: real notes have a long tail of vocabulary.
const TAIL_WORDS: usize = 20_000;
/// Builds and query passes measured, to see through noise from other processes.
const ROUNDS: usize = 3;

const COMMON: &str = "the and to of a i in was that it he she they her his for on with as at \
    but be had have this not from by we you or said about them their there would when one \
    what so all were an if more out up been some like could into time than then only other \
    its just also after first over how well new because any these two may way even back \
    much before through most where should still between own being too does both each those \
    while here again never under last might long great little right old same another around \
    feel felt feeling feelings talk talked talking share shared sharing group session week \
    weeks today home work job family mother father sister brother partner son daughter child \
    children friend friends anxiety anxious worry worried stress stressed sad sadness anger \
    angry fear afraid grief loss lonely alone sleep sleeping tired energy mood low better \
    worse calm quiet tearful cried crying laughed smiled listened noticed described reported \
    discussed explored reflected practised practiced skill skills coping breathing grounding \
    mindfulness exercise homework goal goals plan safety risk support supported supportive \
    others member members peer peers trust trusting boundaries boundary conflict relationship \
    relationships memory memories past future hope hopeful progress insight change changes \
    difficult difficulty hard easier struggle struggled struggling able unable wanted want \
    needed need asked told thought think thinking believe believed remember remembered \
    morning evening night weekend holiday christmas birthday anniversary hospital doctor \
    medication therapist individual appointment school college money debt move moving house \
    shame guilt regret proud pride ashamed embarrassed nervous panic attack attacks triggered \
    trigger avoid avoided avoidance drinking sober sobriety craving relapse days months year \
    years ago recently often sometimes always rarely usually began started ended stopped \
    continued return returned arrived late early left came went gave took made saw knew \
    began letter phone call text message visit visited funeral wedding illness pain body \
    walk walking running garden dog cat music church work colleague boss manager unemployed \
    rent landlord neighbour neighbor court police angry frustrated irritable overwhelmed \
    numb empty hopeless worthless valued heard understood accepted included excluded \
    rejected criticised criticized respected validated encouraged challenged reassured";

const FIRST: &[&str] = &[
    "Ana",
    "José",
    "Zoë",
    "Søren",
    "Łukasz",
    "Chloé",
    "Renée",
    "Björn",
    "Maria",
    "Mohammed",
    "محمد",
    "Fatima",
    "Aisha",
    "Wei",
    "王小明",
    "Hiroshi",
    "Yūki",
    "Olga",
    "Αθηνά",
    "Siobhán",
    "Seán",
    "Nguyễn",
    "Priya",
    "Raj",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Mia",
    "Ethan",
    "Sofia",
    "Mateo",
    "Isabella",
    "Leo",
    "Amelia",
    "Jack",
    "Grace",
    "Oscar",
];
const LAST: &[&str] = &[
    "López",
    "García",
    "Müller",
    "Brontë",
    "Kowalski",
    "O'Brien",
    "Nguyễn",
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Dubois",
    "Rossi",
    "Andersson",
    "Novák",
    "Öztürk",
    "Kim",
    "Chen",
    "Wang",
    "Singh",
    "Patel",
    "Khan",
    "الأحمد",
    "Haddad",
    "Cohen",
    "Levi",
    "Ivanova",
    "Papadopoulou",
    "Murphy",
    "Kelly",
    "Walsh",
    "Fernández",
    "Silva",
    "Santos",
    "Costa",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Words ranked by frequency, sampled by Zipf's law (s = 1).
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut Rng) -> Self {
        let mut words: Vec<String> = COMMON.split_whitespace().map(str::to_owned).collect();
        let syllables = [
            "ba", "ren", "ko", "li", "sta", "mor", "vel", "thi", "dra", "nu", "sel", "quo", "fen",
            "gar", "pi", "tro",
        ];
        while words.len() < COMMON.split_whitespace().count() + TAIL_WORDS {
            let n = 2 + rng.below(3);
            words.push((0..n).map(|_| *rng.pick(&syllables)).collect());
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let at = self.cumulative.partition_point(|&c| c < x);
        &self.words[at.min(self.words.len() - 1)]
    }

    fn text(&self, rng: &mut Rng, bytes: usize) -> String {
        let mut out = String::with_capacity(bytes + 16);
        while out.len() < bytes {
            let word = self.word(rng);
            if out.is_empty() || out.ends_with(". ") {
                let mut chars = word.chars();
                out.extend(chars.next().into_iter().flat_map(char::to_uppercase));
                out.push_str(chars.as_str());
            } else {
                out.push_str(word);
            }
            out.push_str(if rng.below(12) == 0 { ". " } else { " " });
        }
        out
    }
}

fn member(rng: &mut Rng, i: usize) -> Member {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    Member {
        id: MemberId::random(),
        legal_name: format!("{first} {last}"),
        preferred_name: if i.is_multiple_of(7) {
            first.chars().take(3).collect()
        } else {
            String::new()
        },
        pronouns: "they/them".into(),
        date_of_birth: None,
        phone: format!("+1 555 {:03} {:04}", i % 1000, (i * 7919) % 10_000),
        email: format!("member{i}@example.org"),
        emergency_contact: String::new(),
        individual_therapist: String::new(),
        referral_source: String::new(),
        intake_notes: String::new(),
        goals: String::new(),
        archived: i.is_multiple_of(10),
    }
}

fn group(rng: &mut Rng, vocab: &Vocabulary, i: usize) -> Group {
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    let themes = [
        "grief",
        "anxiety",
        "anger",
        "trauma",
        "recovery",
        "parenting",
        "DBT skills",
        "social anxiety",
    ];
    Group {
        id: GroupId::random(),
        name: format!("{} {} group {i}", rng.pick(&days), rng.pick(&themes)),
        kind: GroupKind::Process,
        focus: vocab.text(rng, 120),
        co_facilitator: i
            .is_multiple_of(3)
            .then(|| format!("{} {}", rng.pick(FIRST), rng.pick(LAST))),
        schedule: None,
        location: format!("Room {}", i % 12),
        start_date: None,
        end_date: None,
        capacity: None,
        enrollment: Enrollment::Open,
        status: GroupStatus::Running,
        measures: None,
    }
}

/// The synthetic 10x practice.
fn practice_10x() -> State {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocab = Vocabulary::new(&mut rng);
    let mut state = State::default();
    let members: Vec<Member> = (0..MEMBERS).map(|i| member(&mut rng, i)).collect();
    let member_ids: Vec<MemberId> = members.iter().map(|m| m.id).collect();
    state.members = members.into_iter().map(|m| (m.id, m)).collect();
    let start = date!(2016 - 01 - 04);
    for g in 0..GROUPS {
        let group = group(&mut rng, &vocab, g);
        let gid = group.id;
        state.groups.insert(gid, group);
        for n in 0..SESSIONS_PER_GROUP {
            let day = start + time::Duration::days((g % 7 + n * 7 + (g / 7) * 3) as i64 % 3650);
            let session = Session {
                id: SessionId::random(),
                group: gid,
                date: day,
                start: None,
                number: n as u32 + 1,
                topic: vocab.text(&mut rng, 30),
                attendance: Default::default(),
                group_note: vocab.text(&mut rng, 300),
            };
            for k in 0..NOTES_PER_SESSION {
                let kind = if k % 5 == 4 {
                    NoteKind::Psychotherapy
                } else {
                    NoteKind::Progress
                };
                let note = Note {
                    id: NoteId::random(),
                    session: session.id,
                    member: *rng.pick(&member_ids),
                    kind,
                    text: vocab.text(&mut rng, NOTE_BYTES),
                };
                state.notes.insert(note.id, note);
            }
            state.sessions.insert(session.id, session);
        }
    }
    let group_ids: Vec<GroupId> = state.groups.keys().copied().collect();
    for i in 0..INCIDENTS {
        let incident = Incident {
            id: IncidentId::random(),
            date: start + time::Duration::days((i * 6) as i64),
            group: *rng.pick(&group_ids),
            session: None,
            members: vec![*rng.pick(&member_ids)],
            kind: IncidentKind::Other,
            what_happened: vocab.text(&mut rng, 200),
            action_taken: vocab.text(&mut rng, 100),
            resolved_on: None,
        };
        state.incidents.insert(incident.id, incident);
    }
    state
}

/// Queries as typed: names letter by letter, common and rare words, pairs, no-match, accents.
fn queries(state: &State) -> Vec<String> {
    let mut rng = Rng(42);
    let mut out = Vec::new();
    let names: Vec<&str> = state
        .members
        .values()
        .map(|m| m.legal_name.as_str())
        .collect();
    for _ in 0..12 {
        let name = *rng.pick(&names);
        let chars: Vec<char> = name.chars().collect();
        out.extend((1..=chars.len()).map(|n| chars[..n].iter().collect::<String>()));
    }
    let typed = [
        "anxiety",
        "felt anxious",
        "sleep better",
        "mother funeral",
        "panic attack",
        "grief and loss",
        "work stress boss",
        "relapse craving",
    ];
    for phrase in typed {
        out.extend((1..=phrase.len()).map(|n| phrase[..n].to_owned()));
    }
    let words: Vec<&str> = COMMON.split_whitespace().collect();
    for _ in 0..120 {
        let q = match rng.below(4) {
            0 => rng.pick(&words).to_string(),
            1 => format!("{} {}", rng.pick(&words), rng.pick(&words)),
            2 => format!("{} {}", rng.pick(&words), &rng.pick(&words)[..1]),
            _ => format!(
                "{} {} {}",
                rng.pick(&words),
                rng.pick(&words),
                rng.pick(&words)
            ),
        };
        out.push(q);
    }
    for q in [
        "a",
        "t",
        "s",
        "m",
        "the",
        "the a",
        "zoe",
        "ZOË",
        "müller",
        "mull",
        "jose lopez",
        "محمد",
        "王小明",
        "member123",
        "555",
        "xqzzy",
        "stakoren",
        "renba",
        "thursday grief",
        "room 3",
    ] {
        out.push(q.to_owned());
    }
    out
}

/// CPU time this process has used (user + system), from `/proc/self/stat`, in 10 ms ticks.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<i64> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    // After the command name: state is not numeric, so utime and stime are at 10 and 11.
    let ticks = fields.get(10).unwrap_or(&0) + fields.get(11).unwrap_or(&0);
    Duration::from_millis(ticks.unsigned_abs() * 10)
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

#[test]
#[ignore = "measurement at 10x scale; run in release with --ignored --nocapture"]
fn search_at_10x_scale() {
    let rss_start = rss_bytes();
    let t = Instant::now();
    let state = practice_10x();
    let text: usize = state.notes.values().map(|n| n.text.len()).sum();
    println!(
        "generated in {:.2?}: {} members, {} groups, {} sessions, {} notes ({:.0} MB of text), \
         {} incidents; RSS +{:.0} MB",
        t.elapsed(),
        state.members.len(),
        state.groups.len(),
        state.sessions.len(),
        state.notes.len(),
        mb(text),
        state.incidents.len(),
        mb(rss_bytes() - rss_start)
    );

    let rss_before = rss_bytes();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut builds = Vec::new();
    let mut cpu = Vec::new();
    let mut index = SearchIndex::default();
    let mut rss_after = 0;
    for _ in 0..ROUNDS {
        drop(index);
        let (t, c) = (Instant::now(), cpu_time());
        index = SearchIndex::build(&state);
        builds.push(t.elapsed());
        cpu.push(cpu_time() - c);
        rss_after = rss_after.max(rss_bytes());
    }
    println!(
        "build ({cores} cores), {ROUNDS} rounds: wall {builds:.2?}, CPU {cpu:.2?}; {} records, \
         {} terms, {} postings; heap estimate {:.1} MB; peak RSS +{:.1} MB",
        index.len(),
        index.terms(),
        index.postings(),
        mb(index.heap_bytes()),
        mb(rss_after.saturating_sub(rss_before))
    );

    let queries = queries(&state);
    let mut timed: Vec<(Duration, &str, usize)> = Vec::new();
    for round in 0..ROUNDS {
        let mut times = Vec::new();
        for q in &queries {
            let t = Instant::now();
            let found = index.search(&state, q, 10);
            times.push(t.elapsed());
            timed.push((t.elapsed(), q, found.total()));
        }
        times.sort();
        println!(
            "round {round}: {} queries (limit 10 per kind): \
             p50 {:.2?}, p95 {:.2?}, p99 {:.2?}, max {:.2?}",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            percentile(&times, 1.0)
        );
    }
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (time, q, total) in timed.iter().take(8) {
        println!("  slowest: {time:>10.3?}  {q:?} ({total} records)");
    }

    let notes: Vec<Note> = state.notes.values().take(200).cloned().collect();
    let mut edits = Vec::new();
    for mut note in notes {
        note.text.push_str(" edited");
        let t = Instant::now();
        index.apply(&holdspace::practice::state::Stored::Note(note));
        edits.push(t.elapsed());
    }
    edits.sort();
    println!(
        "re-index one edited note: p50 {:?}, p99 {:?}",
        percentile(&edits, 0.5),
        percentile(&edits, 0.99)
    );
    println!("whole run CPU {} ticks", cpu_time().as_millis() / 10);
}
