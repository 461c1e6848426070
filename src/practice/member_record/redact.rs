//! Naming other members by initials only: the [`Redactor`] that rewrites free text for one
//! member's record, and [`initials`].
//!
//! Policy (fail closed — when in doubt, a word becomes initials):
//! - **What is recognised.** For every *other* member of the practice: the whole legal name,
//!   the whole preferred name, and each part of either on its own ("Bo", "Lindqvist"), because
//!   notes name people by first name far more often than by full name. A part is left out when
//!   it is a lowercase particle (`de`, `van`, `al-` as written in the name), a generational
//!   suffix (`Jr`, `Sr`, `II`, `III`, `IV`), or shorter than two letters (already an initial).
//! - **What it becomes.** Every occurrence becomes that member's initials, taken from the
//!   legal name ("Bo Lindqvist" → "B. L."), and several names of the same person in a row
//!   become one set of initials ("Robbie Lindqvist" → "R. L.", not "R. L. R. L."). A name or
//!   part shared by several other members becomes its own initial ("Ana" → "A."), so the
//!   record never points at the wrong person.
//! - **How it matches.** Whole words only ("Ana" never touches "Anabel" or "Banana"),
//!   case-insensitive, accent-insensitive for accents Unicode can separate ("Jose" matches
//!   "José", in either normal form), any run of spaces or line breaks matches the space in a
//!   name, typographic apostrophes and hyphens match plain ones ("O’Neil" = "O'Neil"), and an
//!   apostrophe or hyphen ends a word ("Bo's" → "B. L.'s"). Longest names are tried first, so
//!   "Ana María López" is replaced before "Ana". In scripts written without spaces between
//!   words (Chinese, Japanese, Korean with its attached particles, Thai, …) a name is matched
//!   inside a run of text, since there are no word boundaries to wait for.
//! - **The member's own names win.** The member's own legal and preferred names, and their
//!   parts, are never replaced, even when another member shares them (two "Ana"s: the text
//!   cannot say which is meant, and the member's own name must stay readable).
//! - **Known limits.** A preferred name that is also a common word ("Will", "Hope", "May") is
//!   replaced wherever that word appears — privacy before prose; the practitioner reads the
//!   record before handing it over. Nicknames, misspellings and descriptions are not names
//!   and are not recognised. A purged member is no longer known and cannot be recognised.
//!
//! Pure string work: no I/O, no knowledge of how the record is laid out.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::practice::ids::MemberId;
use crate::practice::state::State;

/// What stands for a member whose name has no letters to take initials from.
pub const UNNAMED: &str = "(another member)";

/// Name parts never matched on their own, nor used for initials (folded to lower case).
const SUFFIXES: [&str; 5] = ["jr", "sr", "ii", "iii", "iv"];

/// Rewrites free text so that other members appear by initials only (see the module policy).
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Patterns grouped by the key of their first unit, longest first within a group.
    by_first: HashMap<String, Vec<Pattern>>,
}

/// A name to look for and what to do when it is found.
#[derive(Clone, Debug)]
struct Pattern {
    keys: Vec<String>,
    action: Action,
}

/// Leave the member's own name as written, or replace another member's.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Keep,
    Replace {
        /// The other member (index in the builder's list); `None` when ambiguous.
        person: Option<usize>,
        with: String,
    },
}

/// One letter with its accents, or one run of whitespace, or one other character.
#[derive(Clone, Debug)]
struct Unit {
    start: usize,
    end: usize,
    /// Lower-case, accent-free form; `" "` for whitespace.
    key: String,
    /// A letter or digit.
    word: bool,
    /// A letter of a script written without spaces between words.
    unspaced: bool,
}

impl Redactor {
    /// A redactor that keeps `own_names` and replaces every other member's names, given as
    /// `(legal_name, preferred_name)` pairs, by the initials of their legal name.
    pub fn new<'a>(
        own_names: impl IntoIterator<Item = &'a str>,
        others: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut table: HashMap<Vec<String>, Action> = HashMap::new();
        for name in own_names {
            for (keys, _) in name_patterns(name, true) {
                table.insert(keys, Action::Keep);
            }
        }
        for (person, (legal, preferred)) in others.into_iter().enumerate() {
            let with = initials(legal);
            for (keys, text) in [legal, preferred]
                .into_iter()
                .flat_map(|n| name_patterns(n, false))
            {
                add_other(&mut table, keys, person, &with, &text);
            }
        }
        Self::from_table(table)
    }

    /// The redactor for `member`'s record: every other member of the practice, archived or
    /// not, is replaced; `member`'s own names are kept.
    pub fn for_member(state: &State, member: MemberId) -> Self {
        let own = state.members.get(&member);
        let own_names = own
            .into_iter()
            .flat_map(|m| [m.legal_name.as_str(), m.preferred_name.as_str()]);
        let others = state
            .members
            .values()
            .filter(|m| m.id != member)
            .map(|m| (m.legal_name.as_str(), m.preferred_name.as_str()));
        Self::new(own_names, others)
    }

    fn from_table(table: HashMap<Vec<String>, Action>) -> Self {
        let mut by_first: HashMap<String, Vec<Pattern>> = HashMap::new();
        for (keys, action) in table {
            if let Some(first) = keys.first().cloned() {
                by_first
                    .entry(first)
                    .or_default()
                    .push(Pattern { keys, action });
            }
        }
        for patterns in by_first.values_mut() {
            patterns.sort_by(|a, b| b.keys.len().cmp(&a.keys.len()).then(a.keys.cmp(&b.keys)));
        }
        Self { by_first }
    }

    /// `text` with every other member's names replaced by their initials; everything else is
    /// copied byte for byte.
    pub fn redact(&self, text: &str) -> String {
        if self.by_first.is_empty() {
            return text.to_owned();
        }
        let units = unitize(text);
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < units.len() {
            let Some((end, action)) = self.match_at(&units, i) else {
                i += 1;
                continue;
            };
            if let Action::Replace { person, with } = action {
                let end = self.extend_same_person(&units, end, *person);
                out.push_str(&text[copied..units[i].start]);
                out.push_str(with);
                copied = units[end - 1].end;
                i = end;
            } else {
                i = end;
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// The longest pattern that matches as whole words at unit `i`: its end and action.
    fn match_at<'s>(&'s self, units: &[Unit], i: usize) -> Option<(usize, &'s Action)> {
        let unit = units.get(i)?;
        let after_word = i > 0 && joins(&units[i - 1], unit);
        if !unit.word || after_word {
            return None;
        }
        self.by_first
            .get(&unit.key)?
            .iter()
            .find(|p| matches_at(units, i, &p.keys))
            .map(|p| (i + p.keys.len(), &p.action))
    }

    /// Swallows further names of the same person separated only by whitespace.
    fn extend_same_person(&self, units: &[Unit], mut end: usize, person: Option<usize>) -> usize {
        let Some(person) = person else {
            return end;
        };
        while units.get(end).is_some_and(|u| u.key == " ") {
            match self.match_at(units, end + 1) {
                Some((
                    next,
                    Action::Replace {
                        person: Some(p), ..
                    },
                )) if *p == person => {
                    end = next;
                }
                _ => break,
            }
        }
        end
    }
}

/// Adds another member's name to the table: the member's own names win, and a name claimed
/// by two different people becomes its own initials.
fn add_other(
    table: &mut HashMap<Vec<String>, Action>,
    keys: Vec<String>,
    person: usize,
    with: &str,
    text: &str,
) {
    let action = match table.get(&keys) {
        None => Action::Replace {
            person: Some(person),
            with: with.to_owned(),
        },
        Some(Action::Keep) => return,
        Some(Action::Replace {
            person: Some(p), ..
        }) if *p == person => return,
        Some(Action::Replace { .. }) => Action::Replace {
            person: None,
            with: initials(text),
        },
    };
    table.insert(keys, action);
}

/// True when `keys` match the units starting at `i`, ending at a word boundary.
fn matches_at(units: &[Unit], i: usize, keys: &[String]) -> bool {
    let end = i + keys.len();
    end <= units.len()
        && units[i..end].iter().zip(keys).all(|(u, k)| u.key == *k)
        && units
            .get(end)
            .is_none_or(|next| !joins(&units[end - 1], next))
}

/// True when two neighbouring units belong to the same word (so no boundary between them).
fn joins(left: &Unit, right: &Unit) -> bool {
    left.word && right.word && !left.unspaced && !right.unspaced
}

/// The patterns for one name: the whole name, and each part (for the member's own names,
/// every part; for others, only parts that identify someone). Each comes with its text.
fn name_patterns(name: &str, own: bool) -> Vec<(Vec<String>, String)> {
    let units = unitize(name);
    let whole = std::iter::once(trim(&units));
    let parts = parts(&units)
        .into_iter()
        .filter(|part| own || is_identifying(name, part));
    whole
        .chain(parts)
        .filter(|p| p.iter().filter(|u| u.word).count() >= 2)
        .map(|p| (keys(p), span(name, p).to_owned()))
        .collect()
}

/// Initials of a name: the first letter of each part, upper-cased, with a full stop
/// ("Ana María López" → "A. M. L."). Particles and suffixes are skipped when other parts
/// remain ("Ana de la Cruz Jr." → "A. C."); a name without letters gives [`UNNAMED`].
pub fn initials(name: &str) -> String {
    let units = unitize(name);
    let all = parts(&units);
    let identifying: Vec<&[Unit]> = all
        .iter()
        .copied()
        .filter(|part| is_identifying(name, part))
        .collect();
    let chosen = if identifying.is_empty() {
        all
    } else {
        identifying
    };
    let letters: Vec<String> = chosen
        .iter()
        .filter_map(|part| part.iter().find(|u| u.word))
        .map(|u| format!("{}.", upper(span(name, std::slice::from_ref(u)))))
        .collect();
    if letters.is_empty() {
        UNNAMED.to_owned()
    } else {
        letters.join(" ")
    }
}

/// Upper-cases the base letter and keeps its accents.
fn upper(letter: &str) -> String {
    letter.chars().flat_map(char::to_uppercase).collect()
}

/// True for a name part that names someone: not a lowercase particle, not a suffix.
fn is_identifying(name: &str, part: &[Unit]) -> bool {
    let first_lower = span(name, part)
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    !first_lower && !SUFFIXES.contains(&keys(part).concat().as_str())
}

/// The parts of a name (split at whitespace), each trimmed of punctuation, none empty.
fn parts(units: &[Unit]) -> Vec<&[Unit]> {
    units
        .split(|u| u.key == " ")
        .map(trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Drops everything but letters and digits from both ends.
fn trim(units: &[Unit]) -> &[Unit] {
    let start = units.iter().position(|u| u.word).unwrap_or(units.len());
    let end = units.iter().rposition(|u| u.word).map_or(start, |e| e + 1);
    &units[start..end]
}

fn keys(units: &[Unit]) -> Vec<String> {
    units.iter().map(|u| u.key.clone()).collect()
}

/// The original text covered by a non-empty run of units.
fn span<'t>(text: &'t str, units: &[Unit]) -> &'t str {
    match (units.first(), units.last()) {
        (Some(first), Some(last)) => &text[first.start..last.end],
        _ => "",
    }
}

/// Splits text into units: a character with the combining marks after it, or a whole run of
/// whitespace.
fn unitize(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        let previous = units.last_mut();
        match previous {
            Some(p) if c.is_whitespace() && p.key == " " => p.end = end,
            Some(p) if is_combining_mark(c) && p.key != " " => p.end = end,
            _ => units.push(Unit {
                start,
                end,
                key: fold(c),
                word: c.is_alphanumeric(),
                unspaced: is_unspaced(c),
            }),
        }
    }
    units
}

/// The matching form of one character: lower case without accents, one apostrophe, one
/// hyphen, one space.
fn fold(c: char) -> String {
    match c {
        c if c.is_whitespace() => " ".to_owned(),
        '\'' | '`' | '\u{00B4}' | '\u{2018}' | '\u{2019}' | '\u{02BC}' => "'".to_owned(),
        '\u{2010}'..='\u{2013}' | '\u{2212}' => "-".to_owned(),
        c => std::iter::once(c)
            .nfd()
            .filter(|m| !is_combining_mark(*m))
            .flat_map(char::to_lowercase)
            .collect(),
    }
}

/// Letters of scripts written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'     // Thai, Lao
        | '\u{1000}'..='\u{109F}'   // Myanmar
        | '\u{1100}'..='\u{11FF}'   // Hangul Jamo
        | '\u{1780}'..='\u{17FF}'   // Khmer
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility Jamo
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B–H
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requester is "Ana María López" (goes by "Ana"); the others are listed here.
    fn redactor() -> Redactor {
        Redactor::new(
            ["Ana María López", "Ana"],
            [
                ("Bo Lindqvist", ""),
                ("Robert Ek", "Robbie"),
                ("Zoë Çelik", ""),
                ("Siobhán O'Neil-Ryan", ""),
                ("Ana Ruiz", ""),
                ("Will de la Cruz Jr.", ""),
                ("김민수", "민수"),
                ("🌱 Sam Page", ""),
                ("J. Hart", ""),
            ],
        )
    }

    #[test]
    fn redaction_table() {
        let r = redactor();
        let cases = [
            ("Bo Lindqvist said hi", "B. L. said hi"),
            ("bo lindqvist said hi", "B. L. said hi"),
            ("BO LINDQVIST", "B. L."),
            ("Bo said hi", "B. L. said hi"),
            ("Lindqvist was late", "B. L. was late"),
            ("Bo's story", "B. L.'s story"),
            ("Bo\n  Lindqvist", "B. L."),
            ("Bo\u{00A0}Lindqvist", "B. L."),
            ("Robbie Lindqvist", "R. E. B. L."),
            ("Robbie Ek and Robert", "R. E. and R. E."),
            ("Boat, Bob, Bonn, elbow", "Boat, Bob, Bonn, elbow"),
            ("Anabel and Banana", "Anabel and Banana"),
            ("Ana María López met Ana", "Ana María López met Ana"),
            ("ana maría lópez", "ana maría lópez"),
            ("Ana Ruiz came", "A. R. came"),
            ("Ruiz came", "A. R. came"),
            ("López stays", "López stays"),
            ("Zoë Çelik, zoe celik, ZOË", "Z. Ç., Z. Ç., Z. Ç."),
            ("Zoe\u{0308} in NFD", "Z. Ç. in NFD"),
            ("Siobhán O’Neil-Ryan", "S. O."),
            ("O'Neil-Ryan alone", "S. O. alone"),
            ("Siobhan", "S. O."),
            ("Will said he will come", "W. C. said he W. C. come"),
            ("de la Cruz", "de la W. C."),
            ("Jr. and Jr", "Jr. and Jr"),
            ("민수가 왔다", "김.가 왔다"),
            ("나는 김민수를 봤다", "나는 김.를 봤다"),
            ("Sam Page and 🌱", "S. P. and 🌱"),
            ("J. Hart and J", "J. H. and J"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(r.redact(input), expected, "input: {input:?}");
        }
    }

    #[test]
    fn a_name_shared_by_two_other_members_becomes_its_own_initial() {
        let r = Redactor::new(["Maya Berg"], [("Lee Park", ""), ("Lee Tan", "")]);
        assert_eq!(r.redact("Lee spoke"), "L. spoke");
        assert_eq!(r.redact("Lee Park spoke"), "L. P. spoke");
        assert_eq!(r.redact("Tan spoke"), "L. T. spoke");
    }

    #[test]
    fn without_other_members_text_is_unchanged() {
        let r = Redactor::new(["Ana"], []);
        assert_eq!(r.redact("Bo Lindqvist"), "Bo Lindqvist");
    }

    #[test]
    fn initials_table() {
        let cases = [
            ("Bo Lindqvist", "B. L."),
            ("Ana María López", "A. M. L."),
            ("ángel ruiz", "Á. R."),
            ("Ana de la Cruz Jr.", "A. C."),
            ("de la", "D. L."),
            ("<img src=x onerror=alert(1)>", "I. S. O."),
            ("أحمد الخطيب", "أ. ا."),
            ("🌱", UNNAMED),
            ("   ", UNNAMED),
        ];
        for (name, expected) in cases {
            assert_eq!(initials(name), expected, "name: {name:?}");
        }
    }
}
