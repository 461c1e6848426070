//! Drafts: what the practitioner typed on a page and had not saved when the app locked, kept
//! sealed in the vault so that no lock — the button, the shortcut, idle time, a restore,
//! closing the window — loses it.
//!
//! Policy:
//! - While the practice is unlocked, the page tells it what it holds unsaved
//!   ([`Practice::hold_unsaved`]): a copy in memory only, replaced at each pause in typing and
//!   forgotten once the page saves or discards it ([`Practice::forget_unsaved`]).
//! - Locking seals whatever is held as drafts ([`Practice::lock`]): one `drafts` record, written
//!   with one audit event that says what kind of page each was (never its title, which may name
//!   a client, nor what was typed), in the same step that takes the records out of memory.
//!   Drafts are never kept in web storage or anywhere else in the clear.
//! - After an unlock the drafts are listed ([`Practice::drafts`]); the page a draft belongs to
//!   shows it in its form, marked as not saved, and the practitioner saves or discards it
//!   ([`Practice::settle_draft`]): audited either way.
//! - Drafts are not records of the practice. They are not in the practice JSON, exports,
//!   backups, search or a member's record export. A draft settled is overwritten in its record,
//!   not deleted, like any edited text.
//! - What a page sends is bounded ([`MAX_PLACES`], [`MAX_FIELDS`], [`MAX_DRAFT_BYTES`]), so no
//!   page can fill memory or the vault through this door.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::model::AuditAction;
use super::state::Stored;
use super::unlocked::{Practice, PracticeError, PracticeResult};
use super::validate::{Invalid, MAX_NAME_CHARS, MAX_TEXT_BYTES};
use crate::record::RecordId;

/// At most this many pages may hold unsaved changes at once.
pub const MAX_PLACES: usize = 50;
/// At most this many fields in one page's unsaved changes.
pub const MAX_FIELDS: usize = 500;
/// At most this many bytes of field names and values in one page's unsaved changes.
pub const MAX_DRAFT_BYTES: usize = 4 * 1024 * 1024;
/// The longest place (a page's address in the app, e.g. `/sessions/…`).
const MAX_PLACE_CHARS: usize = 300;
/// The longest field name.
const MAX_FIELD_NAME_CHARS: usize = 200;

/// One page's unsaved changes: where they belong, what the page is called, and the value of
/// each changed field by the field's name on that page.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The page's address in the app, e.g. `/sessions/0f3c…` or `/members/new`.
    pub place: String,
    /// What the page is, in words the practitioner knows it by, e.g. "Session 12 of Tuesday group".
    pub title: String,
    /// Each changed field's value, by the field's name on that page.
    pub fields: BTreeMap<String, String>,
    /// When the page last reported these changes.
    #[serde(with = "super::moment")]
    pub kept_at: OffsetDateTime,
}

impl fmt::Debug for Draft {
    /// The place and how many fields: never what was typed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Draft")
            .field("place", &self.place)
            .field("fields", &self.fields.len())
            .finish_non_exhaustive()
    }
}

/// Every draft kept at a lock and not yet settled: the content of the one `drafts` record.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drafts {
    /// One per place, oldest first.
    pub items: Vec<Draft>,
}

impl fmt::Debug for Drafts {
    /// The drafts' places only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.items).finish()
    }
}

impl Drafts {
    /// The draft kept for `place`, if any.
    pub fn get(&self, place: &str) -> Option<&Draft> {
        self.items.iter().find(|d| d.place == place)
    }

    /// Adds `draft`, replacing the one kept for the same place.
    fn keep(&mut self, draft: Draft) {
        match self.items.iter_mut().find(|d| d.place == draft.place) {
            Some(kept) => *kept = draft,
            None => self.items.push(draft),
        }
    }
}

/// What became of a draft the practitioner settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Saved through its page: the changes are in the practice's records now.
    Saved,
    /// Thrown away.
    Discarded,
    /// Taken up again where it was left (a client's reading in client mode, resumed).
    Resumed,
}

/// What kind of page `place` is, in words for the audit trail (which names no client).
pub fn kind_of_page(place: &str) -> &'static str {
    let parts: Vec<&str> = place.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["sessions", ..] | ["groups", _, "sessions", ..] => "a session",
        ["groups", _, "agreement"] => "an agreement",
        ["groups", ..] => "a group",
        ["members", ..] => "a member",
        ["incidents", ..] => "an incident",
        ["client", ..] => "a client's reading in client mode",
        _ => "a page",
    }
}

/// Checks what a page sends before it is held: a place, a title, bounded fields.
pub fn check_unsaved(
    place: &str,
    title: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Invalid> {
    if !place.starts_with('/') || !one_short_line(place, MAX_PLACE_CHARS) {
        return Err(Invalid::new("place", "is not a page of this app"));
    }
    if title.trim().is_empty() || !one_short_line(title, MAX_NAME_CHARS) {
        return Err(Invalid::new(
            "title",
            "must name the page in one short line",
        ));
    }
    if fields.len() > MAX_FIELDS {
        return Err(Invalid::new(
            "fields",
            format!("are too many (at most {MAX_FIELDS})"),
        ));
    }
    let mut bytes = 0;
    for (name, value) in fields {
        if name.is_empty() || !one_short_line(name, MAX_FIELD_NAME_CHARS) {
            return Err(Invalid::new(
                "fields",
                "have a name that is not a field of this page",
            ));
        }
        if value.len() > MAX_TEXT_BYTES {
            return Err(Invalid::new(
                "fields",
                format!(
                    "hold a text that is too long (at most {} KB)",
                    MAX_TEXT_BYTES / 1024
                ),
            ));
        }
        bytes += name.len() + value.len();
    }
    if bytes > MAX_DRAFT_BYTES {
        return Err(Invalid::new("fields", "are too large to keep"));
    }
    Ok(())
}

/// At most `max` characters, none of them a control character (a line break among them).
fn one_short_line(text: &str, max: usize) -> bool {
    text.chars().count() <= max && !text.contains(char::is_control)
}

impl Practice {
    /// Holds a page's unsaved changes in memory, replacing what that page held before; no
    /// fields at all forgets them. Nothing is written until the practice locks.
    pub fn hold_unsaved(
        &mut self,
        place: &str,
        title: &str,
        fields: BTreeMap<String, String>,
    ) -> PracticeResult<()> {
        check_unsaved(place, title, &fields)?;
        if fields.is_empty() {
            self.forget_unsaved(place);
            return Ok(());
        }
        if !self.unsaved.contains_key(place) && self.unsaved.len() >= MAX_PLACES {
            return Err(Invalid::new(
                "place",
                format!(
                    "too many pages have unsaved changes (at most {MAX_PLACES}); save some first"
                ),
            )
            .into());
        }
        let draft = Draft {
            place: place.to_owned(),
            title: title.trim().to_owned(),
            fields,
            kept_at: self.now(),
        };
        self.unsaved.insert(draft.place.clone(), draft);
        Ok(())
    }

    /// Forgets a page's unsaved changes (it saved them, or the practitioner discarded them).
    pub fn forget_unsaved(&mut self, place: &str) {
        self.unsaved.remove(place);
    }

    /// The pages holding unsaved changes now, by place.
    pub fn unsaved_places(&self) -> Vec<&str> {
        self.unsaved.keys().map(String::as_str).collect()
    }

    /// The drafts kept at earlier locks and not yet settled, oldest first.
    pub fn drafts(&self) -> &[Draft] {
        self.state
            .drafts
            .as_ref()
            .map_or(&[], |(_, drafts)| drafts.items.as_slice())
    }

    /// The draft kept for `place`, if any.
    pub fn draft(&self, place: &str) -> Option<&Draft> {
        self.drafts().iter().find(|d| d.place == place)
    }

    /// Settles the draft kept for `place`: saved through its page, or discarded. One audited
    /// change; [`PracticeError::NotFound`] if there is none.
    pub fn settle_draft(&mut self, place: &str, how: Settled) -> PracticeResult<()> {
        let Some((id, drafts)) = self.state.drafts.clone() else {
            return Err(no_draft(place));
        };
        let Some(draft) = drafts.get(place).cloned() else {
            return Err(no_draft(place));
        };
        let mut rest = drafts;
        rest.items.retain(|d| d.place != place);
        let (action, detail) = match how {
            Settled::Saved => (
                AuditAction::DraftSaved,
                format!("draft saved: {}", kind_of_page(&draft.place)),
            ),
            Settled::Discarded => (
                AuditAction::DraftDiscarded,
                format!("draft discarded: {}", kind_of_page(&draft.place)),
            ),
            Settled::Resumed => (
                AuditAction::DraftSaved,
                format!("draft taken up again: {}", kind_of_page(&draft.place)),
            ),
        };
        let record = Stored::Drafts(id, rest);
        let event = self.event(action, None, &detail);
        self.commit(vec![record], Vec::new(), event)
    }

    /// Seals what pages hold unsaved as drafts (the lock's first step): one record, one audit
    /// event naming each page. Nothing held, nothing written.
    pub(super) fn keep_unsaved(&mut self) -> PracticeResult<()> {
        if self.unsaved.is_empty() {
            return Ok(());
        }
        let held = std::mem::take(&mut self.unsaved);
        let (id, mut drafts) = self
            .state
            .drafts
            .clone()
            .unwrap_or_else(|| (RecordId::random(), Drafts::default()));
        let kinds: Vec<&str> = held.values().map(|d| kind_of_page(&d.place)).collect();
        for draft in held.into_values() {
            drafts.keep(draft);
        }
        let detail = format!(
            "unsaved changes kept as {} at the lock: {}",
            if kinds.len() == 1 {
                "a draft"
            } else {
                "drafts"
            },
            kinds.join(", ")
        );
        let event = self.event(AuditAction::DraftKept, None, &detail);
        self.commit(vec![Stored::Drafts(id, drafts)], Vec::new(), event)
    }
}

fn no_draft(place: &str) -> PracticeError {
    PracticeError::NotFound {
        kind: "draft",
        id: place.to_owned(),
    }
}
