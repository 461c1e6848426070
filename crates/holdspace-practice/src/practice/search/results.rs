//! What a search returns: hits grouped by kind, ranked, each with a plain-text title and a
//! snippet made from the current state.
//!
//! Policy: within a kind, hits are ordered by score (most matched tokens first), then most
//! recent date (sessions, notes, incidents), then title (folded), then id, so the order is
//! total and stable. Only the leaders are turned into hits: titles and snippets are made for at
//! most `limit` records plus those tied with the last, however many records matched. Titles
//! and snippets are plain text, verbatim from the records: nothing is escaped or interpreted.

use std::cmp::Reverse;
use std::ops::ControlFlow;

use serde::{Serialize, Serializer};
use time::Date;

use super::query::Query;
use super::{group_fields, incident_fields, member_fields, note_fields, session_fields};
use super::{text, Fields, SearchIndex, State};
use crate::practice::ids::*;
use crate::practice::model::NoteKind;
use crate::record::RecordId;

/// Characters of context in a snippet, about.
const SNIPPET_CHARS: usize = 120;

/// A record found by a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hit<I> {
    /// The record.
    pub id: I,
    /// The hit in one line of plain text, e.g. "Thursday grief group, 2026-09-10" (the CLI's
    /// line; the order among equal scores).
    pub title: String,
    /// Whose or which record it is, without date or kind: the member's or the group's name
    /// (the app shows it beside [`Hit::date`] in the practitioner's own date style).
    pub name: String,
    /// About 120 characters of the first matching field around the match, on one line.
    pub snippet: String,
    /// The field the snippet comes from, e.g. `legal_name`, `text`, `group_note`.
    pub field: &'static str,
    /// How many distinct tokens of the record matched the query.
    pub matched: u32,
    /// The session's or incident's date, for kinds that have one.
    #[serde(serialize_with = "iso_date", skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// A member found by a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberHit {
    /// The hit; its title is the member's display name.
    #[serde(flatten)]
    pub hit: Hit<MemberId>,
    /// The member is archived (kept for their history, hidden from daily lists).
    pub archived: bool,
}

/// A note found by a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteHit {
    /// The hit; its title names the member, the session's date and the kind of note.
    #[serde(flatten)]
    pub hit: Hit<NoteId>,
    /// Progress note or psychotherapy note.
    pub kind: NoteKind,
    /// The member the note is about.
    pub member: MemberId,
    /// The session it was written for.
    pub session: SessionId,
}

/// The hits of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found<H> {
    /// How many records of this kind matched (may be more than `hits`).
    pub total: usize,
    /// The best of them, best first, at most the limit asked for.
    pub hits: Vec<H>,
}

impl<H> Default for Found<H> {
    fn default() -> Self {
        Self {
            total: 0,
            hits: Vec::new(),
        }
    }
}

/// Everything a search found, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SearchResults {
    /// Members, by name and contact details; archived ones are flagged.
    pub members: Found<MemberHit>,
    /// Groups, by name, focus, location and co-facilitator.
    pub groups: Found<Hit<GroupId>>,
    /// Sessions, by topic and group note.
    pub sessions: Found<Hit<SessionId>>,
    /// Progress and psychotherapy notes, by text.
    pub notes: Found<NoteHit>,
    /// Incidents, by what happened and the action taken.
    pub incidents: Found<Hit<IncidentId>>,
}

impl SearchResults {
    /// Total records matched, over all kinds.
    pub fn total(&self) -> usize {
        self.members.total
            + self.groups.total
            + self.sessions.total
            + self.notes.total
            + self.incidents.total
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

fn iso_date<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(date),
        None => s.serialize_none(),
    }
}

/// A matching record before it becomes a hit.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    record: RecordId,
    score: u32,
    date: Option<Date>,
}

impl Candidate {
    /// Best first, before titles are known.
    fn rank(&self) -> (Reverse<u32>, Reverse<Option<Date>>) {
        (Reverse(self.score), Reverse(self.date))
    }
}

/// Turns matching documents (number, score) into ranked hits by kind.
pub(super) fn assemble(
    index: &SearchIndex,
    state: &State,
    query: &Query,
    matches: Vec<(u32, u32)>,
    limit: usize,
) -> SearchResults {
    let mut by_kind: [Vec<Candidate>; 5] = Default::default();
    for (doc, score) in matches {
        if let Some(d) = index.live_doc(doc) {
            by_kind[d.kind as usize].push(Candidate {
                record: d.record,
                score,
                date: index.date(d.when),
            });
        }
    }
    let [members, groups, sessions, notes, incidents] = by_kind;
    let make = Maker { state, query };
    SearchResults {
        members: top(members, limit, |c| make.member(c), |h| &h.hit.title),
        groups: top(groups, limit, |c| make.group(c), |h| &h.title),
        sessions: top(sessions, limit, |c| make.session(c), |h| &h.title),
        notes: top(notes, limit, |c| make.note(c), |h| &h.hit.title),
        incidents: top(incidents, limit, |c| make.incident(c), |h| &h.title),
    }
}

/// The best `limit` candidates as hits, in order.
fn top<H>(
    mut candidates: Vec<Candidate>,
    limit: usize,
    make: impl Fn(&Candidate) -> Option<H>,
    title: impl Fn(&H) -> &str,
) -> Found<H> {
    let total = candidates.len();
    keep_leaders(&mut candidates, limit);
    let mut hits: Vec<(Candidate, H)> = candidates
        .into_iter()
        .filter_map(|c| make(&c).map(|h| (c, h)))
        .collect();
    hits.sort_by_cached_key(|(c, h)| (c.rank(), text::token_list(title(h)), c.record));
    hits.truncate(limit);
    Found {
        total,
        hits: hits.into_iter().map(|(_, h)| h).collect(),
    }
}

/// Keeps the `limit` best-ranked candidates and any tied with the last of them, in any order.
fn keep_leaders(candidates: &mut Vec<Candidate>, limit: usize) {
    if limit == 0 {
        candidates.clear();
        return;
    }
    if candidates.len() <= limit {
        return;
    }
    candidates.select_nth_unstable_by_key(limit - 1, Candidate::rank);
    let cut = candidates[limit - 1].rank();
    let tail = candidates.split_off(limit);
    candidates.extend(tail.into_iter().filter(|c| c.rank() == cut));
}

/// Makes hits from the state.
struct Maker<'a> {
    state: &'a State,
    query: &'a Query,
}

impl Maker<'_> {
    fn member(&self, c: &Candidate) -> Option<MemberHit> {
        let m = self.state.members.get(&MemberId(c.record))?;
        let name = m.display_name().to_owned();
        let hit = self.hit(m.id, c, name.clone(), name, &member_fields(m));
        Some(MemberHit {
            hit,
            archived: m.archived,
        })
    }

    fn group(&self, c: &Candidate) -> Option<Hit<GroupId>> {
        let g = self.state.groups.get(&GroupId(c.record))?;
        Some(self.hit(g.id, c, g.name.clone(), g.name.clone(), &group_fields(g)))
    }

    fn session(&self, c: &Candidate) -> Option<Hit<SessionId>> {
        let s = self.state.sessions.get(&SessionId(c.record))?;
        let name = self.group_name(s.group).to_owned();
        let title = format!("{name}, {}", s.date);
        Some(self.hit(s.id, c, title, name, &session_fields(s)))
    }

    fn note(&self, c: &Candidate) -> Option<NoteHit> {
        let n = self.state.notes.get(&NoteId(c.record))?;
        let member = self.state.members.get(&n.member);
        let date = self.state.sessions.get(&n.session).map(|s| s.date);
        let name = member.map_or("unknown member", |m| m.display_name());
        let title = format!(
            "{name}, {}, {} note",
            date.map_or_else(|| "unknown date".to_owned(), |d| d.to_string()),
            match n.kind {
                NoteKind::Progress => "progress",
                NoteKind::Psychotherapy => "psychotherapy",
            }
        );
        Some(NoteHit {
            hit: self.hit(n.id, c, title, name.to_owned(), &note_fields(n)),
            kind: n.kind,
            member: n.member,
            session: n.session,
        })
    }

    fn incident(&self, c: &Candidate) -> Option<Hit<IncidentId>> {
        let i = self.state.incidents.get(&IncidentId(c.record))?;
        let name = self.group_name(i.group).to_owned();
        let title = format!("{name}, {}", i.date);
        Some(self.hit(i.id, c, title, name, &incident_fields(i)))
    }

    fn group_name(&self, group: GroupId) -> &str {
        self.state
            .groups
            .get(&group)
            .map_or("unknown group", |g| g.name.as_str())
    }

    fn hit<I>(
        &self,
        id: I,
        c: &Candidate,
        title: String,
        name: String,
        fields: &Fields<'_>,
    ) -> Hit<I> {
        let (field, snippet) = self.snippet(fields);
        Hit {
            id,
            title,
            name,
            snippet,
            field,
            matched: c.score,
            date: c.date,
        }
    }

    /// The snippet around the first match, in field order (else the start of the first
    /// non-empty field).
    fn snippet(&self, fields: &Fields<'_>) -> (&'static str, String) {
        for &(name, field) in fields {
            if let Some(at) = self.first_match(field) {
                return (name, text::snippet(field, at, SNIPPET_CHARS));
            }
        }
        let (name, field) = fields
            .iter()
            .find(|(_, f)| !f.trim().is_empty())
            .copied()
            .unwrap_or(("", ""));
        (name, text::snippet(field, 0..0, SNIPPET_CHARS))
    }

    fn first_match(&self, field: &str) -> Option<std::ops::Range<usize>> {
        let mut found = None;
        let _ = text::tokens(field, |span, token| {
            if self.query.matches(token) {
                found = Some(span);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found
    }
}
