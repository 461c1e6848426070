//! A search query: its folded terms and which documents match all of them.
//!
//! Policy: every term must match (AND). Terms the user has finished typing match whole tokens;
//! the last term matches as a prefix while the user is still typing it (the query does not end
//! in a space or punctuation), so "ana lo" finds "Ana López" but "ana " does not find "Anabel".
//! A document's score is how many distinct tokens of it matched, summed over the terms. Terms
//! are evaluated rarest first so the candidate set shrinks as early as possible. A query counts
//! its first 32 words at most.

use std::ops::ControlFlow;

use super::postings::Dictionary;
use super::text;

/// Words of a query that count; a pasted page of text must not cost more than a sentence.
const MAX_TERMS: usize = 32;

/// One folded query term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Term {
    /// The folded token.
    pub(super) text: String,
    /// Matches any token that starts with `text`.
    pub(super) prefix: bool,
}

/// A parsed query; never empty.
#[derive(Clone, Debug)]
pub(super) struct Query {
    pub(super) terms: Vec<Term>,
}

impl Query {
    /// Folds `query` into terms, or `None` when it holds no token. Only the first
    /// [`MAX_TERMS`] words count, all of them whole if there were more.
    pub(super) fn parse(query: &str) -> Option<Self> {
        let mut words = Vec::new();
        let cut = text::tokens(query, |_, token| {
            if words.len() == MAX_TERMS {
                return ControlFlow::Break(());
            }
            words.push(token.to_owned());
            ControlFlow::Continue(())
        });
        let last = words.pop()?;
        let mut terms: Vec<Term> = words
            .into_iter()
            .map(|text| Term {
                text,
                prefix: false,
            })
            .collect();
        terms.push(Term {
            text: last,
            prefix: cut.is_continue() && text::ends_inside_word(query),
        });
        terms.sort_by(|a, b| (&a.text, a.prefix).cmp(&(&b.text, b.prefix)));
        terms.dedup();
        Some(Self { terms })
    }

    /// True when the folded `token` matches any term (for snippets).
    pub(super) fn matches(&self, token: &str) -> bool {
        self.terms.iter().any(|t| {
            if t.prefix {
                token.starts_with(&t.text)
            } else {
                token == t.text
            }
        })
    }

    /// Every document (by number, ascending) matching every term, with its score. `docs` is
    /// the number of documents ever numbered.
    pub(super) fn evaluate(&self, dict: &Dictionary, docs: usize) -> Vec<(u32, u32)> {
        let mut expansions: Vec<Vec<u32>> = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            let found = match term.prefix {
                true => dict.with_prefix(&term.text),
                false => dict.exact(&term.text).into_iter().collect(),
            };
            if found.is_empty() {
                return Vec::new();
            }
            expansions.push(found);
        }
        let cost =
            |terms: &Vec<u32>| -> usize { terms.iter().map(|&t| dict.postings(t).len()).sum() };
        expansions.sort_by_cached_key(cost);
        let mut counts = Counts::new(docs);
        let mut hits = Vec::new();
        for (i, terms) in expansions.iter().enumerate() {
            hits = match i {
                0 => counts.union(dict, terms),
                _ => counts.intersect(dict, terms, hits),
            };
            if hits.is_empty() {
                break;
            }
        }
        hits
    }
}

/// A per-document counter, reused across the terms of one query.
struct Counts(Vec<u16>);

impl Counts {
    fn new(docs: usize) -> Self {
        Self(vec![0; docs])
    }

    /// How many of `terms` each document holds, cleared first.
    fn fill(&mut self, dict: &Dictionary, terms: &[u32]) {
        self.0.fill(0);
        for &term in terms {
            for doc in dict.postings(term).iter() {
                if let Some(count) = self.0.get_mut(doc as usize) {
                    *count = count.saturating_add(1);
                }
            }
        }
    }

    /// Documents holding any of `terms`, with how many.
    fn union(&mut self, dict: &Dictionary, terms: &[u32]) -> Vec<(u32, u32)> {
        if let [term] = terms {
            return dict.postings(*term).iter().map(|doc| (doc, 1)).collect();
        }
        self.fill(dict, terms);
        (0u32..)
            .zip(&self.0)
            .filter(|(_, &count)| count > 0)
            .map(|(doc, &count)| (doc, u32::from(count)))
            .collect()
    }

    /// Those of `hits` that also hold any of `terms`, their scores raised.
    fn intersect(
        &mut self,
        dict: &Dictionary,
        terms: &[u32],
        mut hits: Vec<(u32, u32)>,
    ) -> Vec<(u32, u32)> {
        if let [term] = terms {
            return merge(hits, dict.postings(*term).iter());
        }
        self.fill(dict, terms);
        hits.retain_mut(|(doc, score)| {
            let count = self.0.get(*doc as usize).copied().unwrap_or(0);
            *score += u32::from(count);
            count > 0
        });
        hits
    }
}

/// The documents of `hits` that are also in the ascending `docs`, each scoring one more.
fn merge(hits: Vec<(u32, u32)>, mut docs: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(hits.len());
    let mut next = docs.next();
    for (doc, score) in hits {
        while next.is_some_and(|d| d < doc) {
            next = docs.next();
        }
        match next {
            Some(d) if d == doc => out.push((doc, score + 1)),
            Some(_) => {}
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(docs: &[&str]) -> Dictionary {
        let mut dict = Dictionary::default();
        for (doc, text) in docs.iter().enumerate() {
            for token in text::token_list(text) {
                dict.add(&token, doc as u32);
            }
        }
        dict
    }

    fn terms(query: &str) -> Vec<(String, bool)> {
        Query::parse(query)
            .map(|q| q.terms.into_iter().map(|t| (t.text, t.prefix)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn parsing() {
        assert!(terms("").is_empty());
        assert!(terms("  \t ").is_empty());
        assert!(terms("🙂 …").is_empty());
        assert_eq!(
            terms("Ana Ló"),
            [("ana".into(), false), ("lo".into(), true)]
        );
        assert_eq!(
            terms("Ana Ló "),
            [("ana".into(), false), ("lo".into(), false)]
        );
        assert_eq!(
            terms("ana ana"),
            [("ana".into(), false), ("ana".into(), true)]
        );
        assert_eq!(terms("ana ana."), [("ana".into(), false)]);
        let pasted = "word ".repeat(10_000) + "last";
        assert_eq!(terms(&pasted), [("word".into(), false)]);
        let long: String = (0..40).map(|i| format!("w{i:02} ")).collect();
        assert_eq!(terms(long.trim()).len(), MAX_TERMS);
        assert!(terms(long.trim()).iter().all(|(_, prefix)| !prefix));
    }

    #[test]
    fn every_term_must_match_and_scores_count_matched_tokens() {
        let d = dict(&["ana lopez", "anabel anaya", "lopez", "ana anaya lopez"]);
        let run = |q: &str| {
            Query::parse(q)
                .map(|q| q.evaluate(&d, 4))
                .unwrap_or_default()
        };
        assert_eq!(run("ana"), [(0, 1), (1, 2), (3, 2)]);
        assert_eq!(run("ana "), [(0, 1), (3, 1)]);
        assert_eq!(run("lopez an"), [(0, 2), (3, 3)]);
        assert_eq!(run("lopez zed"), []);
        assert_eq!(run("x"), []);
    }
}
