//! Full-text search over the unlocked practice: [`SearchIndex`], built from the [`State`] at
//! unlock and kept current by [`Practice::commit`](super::Practice), and its
//! [`SearchResults`].
//!
//! Policy: what is searchable is listed once, per kind, in the `*_fields` functions below —
//! members by name and contact details, groups, sessions, notes (progress and psychotherapy,
//! and a hit says which) and incidents; audit events, agreements, signatures and memberships
//! never. Matching folds case and accents and needs every query term (`text`, `query`).
//! The index holds folded tokens and record ids only; titles and snippets are made from the
//! state at query time, so a renamed group or member shows at once. Each indexed record is a
//! *document* with a number; a changed record gets a new number and the old one is marked dead
//! (posting lists only ever grow at the end), and once a quarter of the documents are dead the
//! index renumbers itself. The index lives in memory only, never on disk, and is dropped with
//! the state at lock (like the state, it is freed, not overwritten; see SECURITY.md).

mod postings;
mod query;
mod results;
mod text;

use std::collections::HashMap;

use time::Date;

use super::ids::*;
use super::kind::{RecordKind, Removal};
use super::model::*;
use super::state::{State, Stored};
use crate::record::RecordId;
use postings::Dictionary;
use query::Query;

pub use results::{Found, Hit, MemberHit, NoteHit, SearchResults};

/// Dead documents tolerated before renumbering: at least this many and a quarter of all.
const COMPACT_AFTER: usize = 4096;

/// The kinds of record that are searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Member,
    Group,
    Session,
    Note,
    Incident,
}

impl Kind {
    /// The search kind of a record kind, if it is searched.
    fn of(kind: RecordKind) -> Option<Self> {
        match kind {
            RecordKind::Member => Some(Self::Member),
            RecordKind::Group => Some(Self::Group),
            RecordKind::Session => Some(Self::Session),
            RecordKind::Note => Some(Self::Note),
            RecordKind::Incident => Some(Self::Incident),
            RecordKind::Profile
            | RecordKind::BackupSettings
            | RecordKind::Drafts
            | RecordKind::Membership
            | RecordKind::Agreement
            | RecordKind::Signature
            | RecordKind::Audit
            | RecordKind::Administration => None,
        }
    }
}

/// The date a document is ordered by.
#[derive(Clone, Copy, Debug)]
enum When {
    /// Members and groups.
    Undated,
    /// Incidents.
    On(Date),
    /// Sessions and their notes: the session's current date, by session slot.
    Session(u32),
}

/// One indexed record.
#[derive(Clone, Copy, Debug)]
struct Doc {
    record: RecordId,
    kind: Kind,
    live: bool,
    when: When,
}

/// A record of a searched kind.
#[derive(Clone, Copy, Debug)]
enum Indexed<'a> {
    Group(&'a Group),
    Member(&'a Member),
    Session(&'a Session),
    Note(&'a Note),
    Incident(&'a Incident),
}

/// The searchable text of a record: (field name, text), in the order snippets prefer.
type Fields<'a> = Vec<(&'static str, &'a str)>;

fn member_fields(m: &Member) -> Fields<'_> {
    vec![
        ("legal_name", &m.legal_name),
        ("preferred_name", &m.preferred_name),
        ("email", &m.email),
        ("phone", &m.phone),
    ]
}

fn group_fields(g: &Group) -> Fields<'_> {
    vec![
        ("name", &g.name),
        ("focus", &g.focus),
        ("location", &g.location),
        ("co_facilitator", g.co_facilitator.as_deref().unwrap_or("")),
    ]
}

fn session_fields(s: &Session) -> Fields<'_> {
    vec![("topic", &s.topic), ("group_note", &s.group_note)]
}

fn note_fields(n: &Note) -> Fields<'_> {
    vec![("text", &n.text)]
}

fn incident_fields(i: &Incident) -> Fields<'_> {
    vec![
        ("what_happened", &i.what_happened),
        ("action_taken", &i.action_taken),
    ]
}

/// An inverted index of the practice's searchable text: folded token → the records holding it.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    current: HashMap<RecordId, u32>,
    dict: Dictionary,
    session_slots: HashMap<SessionId, u32>,
    session_dates: Vec<Option<Date>>,
    dead: usize,
}

impl SearchIndex {
    /// Indexes every searchable record of `state` (at unlock, or after an import), using
    /// every core.
    pub fn build(state: &State) -> Self {
        let mut index = Self::default();
        let mut texts = Vec::new();
        let records = (state.groups.values().map(Indexed::Group))
            .chain(state.members.values().map(Indexed::Member))
            .chain(state.sessions.values().map(Indexed::Session))
            .chain(state.notes.values().map(Indexed::Note))
            .chain(state.incidents.values().map(Indexed::Incident));
        for record in records {
            let (kind, id, when, fields) = index.describe(record);
            if let Some(doc) = index.register(kind, id, when) {
                texts.extend(fields.into_iter().map(|(_, text)| (doc, text)));
            }
        }
        index.dict = Dictionary::from_texts(&texts);
        index.docs.shrink_to_fit();
        index
    }

    /// Indexes a record that was added or changed (kinds that are not searched are ignored).
    pub fn apply(&mut self, record: &Stored) {
        let record = match record {
            Stored::Group(g) => Indexed::Group(g),
            Stored::Member(m) => Indexed::Member(m),
            Stored::Session(s) => Indexed::Session(s),
            Stored::Note(n) => Indexed::Note(n),
            Stored::Incident(i) => Indexed::Incident(i),
            _ => return,
        };
        let (kind, id, when, fields) = self.describe(record);
        let Some(doc) = self.register(kind, id, when) else {
            return;
        };
        for (_, field) in fields {
            let _ = text::tokens(field, |_, token| {
                self.dict.add(token, doc);
                std::ops::ControlFlow::Continue(())
            });
        }
    }

    /// Forgets a deleted record.
    pub fn remove(&mut self, removal: Removal) {
        let Some(kind) = Kind::of(removal.kind()) else {
            return;
        };
        let id = removal.record_id();
        let doc = self.current.get(&id).copied();
        if doc.is_some_and(|d| self.docs.get(d as usize).is_some_and(|d| d.kind == kind)) {
            self.current.remove(&id);
            self.retire(doc);
        }
    }

    /// Finds records matching `query`, at most `limit_per_kind` of each kind; `state` must be
    /// the state this index was built from and kept current with.
    pub fn search(&self, state: &State, query: &str, limit_per_kind: usize) -> SearchResults {
        let Some(query) = Query::parse(query) else {
            return SearchResults::default();
        };
        let hits = query.evaluate(&self.dict, self.docs.len());
        results::assemble(self, state, &query, hits, limit_per_kind)
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.current.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.current.is_empty()
    }

    /// Number of distinct folded tokens.
    pub fn terms(&self) -> usize {
        self.dict.len()
    }

    /// Number of (document, token) pairs stored, dead documents included.
    pub fn postings(&self) -> usize {
        self.dict.postings_len()
    }

    /// An estimate of the heap memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        let map_entry = std::mem::size_of::<(RecordId, u32)>() + 1;
        self.dict.heap_bytes()
            + self.docs.capacity() * std::mem::size_of::<Doc>()
            + (self.current.capacity() + self.session_slots.capacity()) * map_entry
            + self.session_dates.capacity() * std::mem::size_of::<Option<Date>>()
    }

    /// What the index keeps of a record; notes its session's date.
    fn describe<'a>(&mut self, record: Indexed<'a>) -> (Kind, RecordId, When, Fields<'a>) {
        match record {
            Indexed::Group(g) => (Kind::Group, g.id.0, When::Undated, group_fields(g)),
            Indexed::Member(m) => (Kind::Member, m.id.0, When::Undated, member_fields(m)),
            Indexed::Session(s) => {
                let slot = self.session_slot(s.id);
                if let Some(date) = self.session_dates.get_mut(slot as usize) {
                    *date = Some(s.date);
                }
                let when = When::Session(slot);
                (Kind::Session, s.id.0, when, session_fields(s))
            }
            Indexed::Note(n) => {
                let when = When::Session(self.session_slot(n.session));
                (Kind::Note, n.id.0, when, note_fields(n))
            }
            Indexed::Incident(i) => (Kind::Incident, i.id.0, When::On(i.date), incident_fields(i)),
        }
    }

    /// The slot holding a session's date, made on first sight (a note may come first).
    fn session_slot(&mut self, session: SessionId) -> u32 {
        let next = u32::try_from(self.session_dates.len()).unwrap_or(u32::MAX);
        let slot = *self.session_slots.entry(session).or_insert(next);
        if slot == next {
            self.session_dates.push(None);
        }
        slot
    }

    /// Numbers a record's new document, retiring the one it replaces.
    fn register(&mut self, kind: Kind, record: RecordId, when: When) -> Option<u32> {
        let doc = u32::try_from(self.docs.len()).ok()?;
        self.docs.push(Doc {
            record,
            kind,
            live: true,
            when,
        });
        let replaced = self.current.insert(record, doc);
        self.retire(replaced);
        self.current.get(&record).copied()
    }

    /// Marks a document dead; renumbers when too many are.
    fn retire(&mut self, doc: Option<u32>) {
        let Some(entry) = doc.and_then(|d| self.docs.get_mut(d as usize)) else {
            return;
        };
        entry.live = false;
        self.dead += 1;
        if self.dead >= COMPACT_AFTER && self.dead * 4 >= self.docs.len() {
            self.compact();
        }
    }

    /// Drops dead documents and numbers the live ones densely, in the same order.
    fn compact(&mut self) {
        let mut renumbered = vec![None; self.docs.len()];
        let mut next = 0u32;
        for (slot, doc) in renumbered.iter_mut().zip(&self.docs) {
            if doc.live {
                *slot = Some(next);
                next += 1;
            }
        }
        self.dict
            .compact(|doc| renumbered.get(doc as usize).copied().flatten());
        self.docs.retain(|d| d.live);
        self.docs.shrink_to_fit();
        self.current = (0u32..)
            .zip(&self.docs)
            .map(|(n, d)| (d.record, n))
            .collect();
        self.dead = 0;
    }

    /// The live document numbered `doc`.
    fn live_doc(&self, doc: u32) -> Option<&Doc> {
        self.docs.get(doc as usize).filter(|d| d.live)
    }

    /// The date a document is ordered by.
    fn date(&self, when: When) -> Option<Date> {
        match when {
            When::Undated => None,
            When::On(date) => Some(date),
            When::Session(slot) => self.session_dates.get(slot as usize).copied().flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> Note {
        Note {
            id: NoteId::random(),
            session: SessionId::random(),
            member: MemberId::random(),
            kind: NoteKind::Progress,
            text: text.into(),
        }
    }

    fn found(index: &SearchIndex, query: &str) -> usize {
        Query::parse(query)
            .map(|q| q.evaluate(&index.dict, index.docs.len()))
            .unwrap_or_default()
            .into_iter()
            .filter(|(doc, _)| index.live_doc(*doc).is_some())
            .count()
    }

    #[test]
    fn many_edits_compact_without_losing_the_current_text() {
        let mut index = SearchIndex::build(&State::default());
        let mut n = note("first draft");
        for i in 0..(3 * COMPACT_AFTER) {
            n.text = format!("draft number{i}");
            index.apply(&Stored::Note(n.clone()));
        }
        assert!(index.docs.len() <= 2 * COMPACT_AFTER, "compacted");
        assert_eq!(index.len(), 1);
        assert_eq!(found(&index, "draft"), 1);
        assert_eq!(
            found(&index, &format!("number{}", 3 * COMPACT_AFTER - 1)),
            1
        );
        assert_eq!(found(&index, "number0 "), 0);
        assert_eq!(found(&index, "first"), 0);
        index.remove(Removal::Note(n.id));
        assert_eq!(found(&index, "draft"), 0);
        assert!(index.is_empty());
    }

    #[test]
    fn removing_needs_the_right_kind() {
        let mut index = SearchIndex::default();
        let n = note("kept");
        index.apply(&Stored::Note(n.clone()));
        index.remove(Removal::Member(MemberId(n.id.0)));
        index.remove(Removal::Incident(IncidentId(n.id.0)));
        assert_eq!(found(&index, "kept"), 1);
    }
}
