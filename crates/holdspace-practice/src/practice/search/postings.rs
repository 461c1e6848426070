//! The search index's term dictionary and posting lists: which documents hold each folded token.
//!
//! Policy: a posting list is the ascending list of document numbers holding a term, stored as
//! LEB128 varints of the gaps (one or two bytes per entry for common words, where a plain `u32`
//! would take four). Document numbers only ever grow, so adding a document appends and never
//! rewrites a list; removed documents are filtered at query time and dropped by compaction.
//! Terms are found exactly through a hash map and by prefix through a list sorted by text.
//! A bulk build splits the text between threads, each with its own dictionary, and appends
//! their lists in document order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::ControlFlow;

use super::text;

/// The ascending document numbers of one term, gap-encoded.
#[derive(Clone, Debug, Default)]
pub(super) struct Postings {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

impl Postings {
    /// Appends `doc` (never below the last one); a repeat of the last document is ignored.
    /// `frugal` grows the list by an eighth instead of doubling it.
    pub(super) fn push(&mut self, doc: u32, frugal: bool) {
        if self.len > 0 && doc <= self.last {
            return;
        }
        let gap = doc - if self.len == 0 { 0 } else { self.last };
        if frugal {
            self.reserve_for_append();
        }
        write_varint(&mut self.bytes, gap);
        self.last = doc;
        self.len += 1;
    }

    /// Grows by an eighth (at least 8 bytes) rather than doubling: a long list touched once
    /// by an edit after a build must not double its memory.
    fn reserve_for_append(&mut self) {
        if self.bytes.capacity() - self.bytes.len() < 5 {
            let extra = (self.bytes.len() / 8).max(8);
            self.bytes.reserve_exact(extra);
        }
    }

    /// Appends a list whose documents all come at or after this one's.
    fn append(&mut self, other: &Postings) {
        let mut rest = other.iter();
        let Some(first) = rest.next() else {
            return;
        };
        let tail = other.bytes.len() - rest.bytes.len();
        self.push(first, false);
        // The remaining gaps are relative to `first`, which is now this list's last document.
        self.bytes.extend_from_slice(&other.bytes[tail..]);
        self.len += other.len - 1;
        self.last = other.last;
    }

    /// How many documents hold the term.
    pub(super) fn len(&self) -> usize {
        self.len as usize
    }

    /// The document numbers, ascending.
    pub(super) fn iter(&self) -> PostingIter<'_> {
        PostingIter {
            bytes: &self.bytes,
            doc: 0,
            first: true,
        }
    }

    /// Releases spare capacity (after a build).
    fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }

    /// Heap bytes held.
    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

/// Threads a bulk build uses at most.
const MAX_THREADS: usize = 4;

/// Less text than this is indexed on the calling thread.
const PARALLEL_MIN_BYTES: usize = 4 << 20;

/// Splits `texts` into `parts` runs of about the same number of bytes.
fn split_by_bytes<'t, 'a>(
    texts: &'t [(u32, &'a str)],
    bytes: usize,
    parts: usize,
) -> Vec<&'t [(u32, &'a str)]> {
    let mut out = Vec::with_capacity(parts);
    let (mut from, mut seen) = (0, 0);
    for (i, (_, text)) in texts.iter().enumerate() {
        seen += text.len();
        if seen * parts >= bytes * (out.len() + 1) && out.len() + 1 < parts {
            out.push(&texts[from..=i]);
            from = i + 1;
        }
    }
    out.push(&texts[from..]);
    out
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Decodes a posting list.
pub(super) struct PostingIter<'a> {
    bytes: &'a [u8],
    doc: u32,
    first: bool,
}

impl Iterator for PostingIter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut gap = 0u32;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            gap |= u32::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                break;
            }
            shift += 7;
        }
        self.doc = if self.first { gap } else { self.doc + gap };
        self.first = false;
        Some(self.doc)
    }
}

/// The Fx hash (as in rustc and Firefox) with a final mix: a multiply and rotate per 8 bytes,
/// several times faster than SipHash on short words. Its keys are the practice's own words;
/// the worst a crafted text could do is slow the index, which SipHash would not be worth its
/// cost to stop.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    /// Mixes high bits down: the multiply only carries entropy upwards, and the table picks
    /// buckets by the low bits.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// Every term and its posting list.
#[derive(Clone, Debug, Default)]
pub(super) struct Dictionary {
    ids: HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>,
    texts: Vec<Box<str>>,
    postings: Vec<Postings>,
    /// Term numbers ordered by text, for prefix ranges. Stale while `deferred`.
    sorted: Vec<u32>,
    deferred: bool,
}

impl Dictionary {
    /// A dictionary that sorts its terms once, in [`Dictionary::finish`] (bulk builds).
    pub(super) fn deferred() -> Self {
        Self {
            deferred: true,
            ..Self::default()
        }
    }

    /// Records that `doc` holds `term`.
    pub(super) fn add(&mut self, term: &str, doc: u32) {
        let id = match self.exact(term) {
            Some(id) => id,
            None => self.intern(term),
        };
        if let Some(list) = self.postings.get_mut(id as usize) {
            list.push(doc, !self.deferred);
        }
    }

    fn intern(&mut self, term: &str) -> u32 {
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.ids.insert(term.into(), id);
        self.texts.push(term.into());
        self.postings.push(Postings::default());
        if !self.deferred {
            let at = self.sorted.partition_point(|&t| self.text(t) < term);
            self.sorted.insert(at, id);
        }
        id
    }

    /// Indexes every (document number, text) pair, numbers ascending, on as many threads as
    /// there are cores (at most [`MAX_THREADS`]) when there is enough text to share.
    pub(super) fn from_texts(texts: &[(u32, &str)]) -> Self {
        let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = match bytes {
            0..PARALLEL_MIN_BYTES => 1,
            _ => cores.clamp(1, MAX_THREADS),
        };
        let mut parts = split_by_bytes(texts, bytes, threads).into_iter();
        let mut dict = match parts.len() {
            0 | 1 => Self::index_part(texts),
            _ => std::thread::scope(|scope| {
                let running: Vec<_> = parts
                    .by_ref()
                    .map(|part| scope.spawn(move || Self::index_part(part)))
                    .collect();
                let mut done = running.into_iter().map(|t| {
                    t.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                });
                let first = done.next().unwrap_or_else(Self::deferred);
                done.fold(first, Self::absorb)
            }),
        };
        dict.finish();
        dict
    }

    fn index_part(texts: &[(u32, &str)]) -> Self {
        let mut dict = Self::deferred();
        for &(doc, text) in texts {
            let _ = text::tokens(text, |_, token| {
                dict.add(token, doc);
                ControlFlow::Continue(())
            });
        }
        dict
    }

    /// Adds a dictionary of later documents (built on another thread) to this one.
    fn absorb(mut self, later: Self) -> Self {
        for (term, list) in later.texts.iter().zip(&later.postings) {
            let id = match self.exact(term) {
                Some(id) => id,
                None => self.intern(term),
            };
            if let Some(mine) = self.postings.get_mut(id as usize) {
                mine.append(list);
            }
        }
        self
    }

    /// Sorts the terms and releases spare capacity after a bulk build.
    pub(super) fn finish(&mut self) {
        let mut sorted: Vec<u32> = (0..self.texts.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        sorted.sort_unstable_by(|&a, &b| self.text(a).cmp(self.text(b)));
        self.sorted = sorted;
        self.postings.iter_mut().for_each(Postings::shrink);
        self.deferred = false;
    }

    fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |t| t)
    }

    /// The term equal to `text`, if any.
    pub(super) fn exact(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// Every term starting with `prefix`.
    pub(super) fn with_prefix(&self, prefix: &str) -> Vec<u32> {
        let from = self.sorted.partition_point(|&t| self.text(t) < prefix);
        self.sorted[from..]
            .iter()
            .copied()
            .take_while(|&t| self.text(t).starts_with(prefix))
            .collect()
    }

    /// The posting list of a term.
    pub(super) fn postings(&self, id: u32) -> &Postings {
        static EMPTY: Postings = Postings {
            bytes: Vec::new(),
            last: 0,
            len: 0,
        };
        self.postings.get(id as usize).unwrap_or(&EMPTY)
    }

    /// Rewrites every list through `renumber` (`None` drops the document) and forgets terms
    /// no document holds any more.
    pub(super) fn compact(&mut self, renumber: impl Fn(u32) -> Option<u32>) {
        let mut next = Self::deferred();
        for (text, list) in self.texts.iter().zip(&self.postings) {
            for doc in list.iter().filter_map(&renumber) {
                next.add(text, doc);
            }
        }
        next.finish();
        *self = next;
    }

    /// Number of distinct terms.
    pub(super) fn len(&self) -> usize {
        self.texts.len()
    }

    /// Total postings (document–term pairs), dead documents included.
    pub(super) fn postings_len(&self) -> usize {
        self.postings.iter().map(Postings::len).sum()
    }

    /// An estimate of the heap bytes held.
    pub(super) fn heap_bytes(&self) -> usize {
        let text: usize = self.texts.iter().map(|t| t.len()).sum();
        let lists: usize = self.postings.iter().map(Postings::heap_bytes).sum();
        let table = self.ids.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1);
        2 * text
            + lists
            + table
            + self.texts.capacity() * std::mem::size_of::<Box<str>>()
            + self.postings.capacity() * std::mem::size_of::<Postings>()
            + self.sorted.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_gaps_of_every_width() {
        let docs = [0, 1, 2, 127, 128, 300, 16_384, 2_000_000, u32::MAX];
        let mut list = Postings::default();
        docs.iter().for_each(|&d| list.push(d, true));
        list.push(u32::MAX, false); // a repeat is ignored
        assert_eq!(list.iter().collect::<Vec<_>>(), docs);
        assert_eq!(list.len(), docs.len());
    }

    #[test]
    fn similar_words_spread_over_the_low_bits() {
        let buckets: std::collections::HashSet<u64> = [
            *b"calm\0\0\0\0",
            *b"cart\0\0\0\0",
            *b"care\0\0\0\0",
            *b"cat\0\0\0\0\0",
            *b"cab\0\0\0\0\0",
        ]
        .iter()
        .map(|word| {
            let mut h = FxHasher::default();
            h.write_u64(u64::from_le_bytes(*word));
            h.finish() & 0xff
        })
        .collect();
        assert!(buckets.len() >= 4, "{buckets:?}");
    }

    #[test]
    fn exact_lookups_find_terms_of_any_length() {
        let mut dict = Dictionary::default();
        for (doc, term) in ["a", "abcdefgh", "abcdefghi", "ab", "zoë"]
            .iter()
            .enumerate()
        {
            dict.add(term, doc as u32);
        }
        for (doc, term) in ["a", "abcdefgh", "abcdefghi", "ab", "zoë"]
            .iter()
            .enumerate()
        {
            let found = dict
                .exact(term)
                .map(|t| dict.postings(t).iter().collect::<Vec<_>>());
            assert_eq!(found, Some(vec![doc as u32]), "{term}");
        }
        assert_eq!(dict.exact("abcdefg"), None);
        assert_eq!(dict.exact("abcdefghij"), None);
        assert_eq!(dict.with_prefix("abc").len(), 2);
    }

    #[test]
    fn prefix_ranges_follow_byte_order_before_and_after_a_build() {
        let mut bulk = Dictionary::deferred();
        let mut live = Dictionary::default();
        for (doc, term) in ["jose", "josé", "joseph", "jos", "zoe", "j"]
            .iter()
            .enumerate()
        {
            bulk.add(term, doc as u32);
            live.add(term, doc as u32);
        }
        bulk.finish();
        for dict in [&bulk, &live] {
            let hits: Vec<&str> = dict
                .with_prefix("jos")
                .iter()
                .map(|&t| dict.text(t))
                .collect();
            assert_eq!(hits, ["jos", "jose", "joseph", "josé"]);
            assert!(dict.with_prefix("x").is_empty());
        }
    }

    fn lists(dict: &Dictionary) -> Vec<(String, Vec<u32>)> {
        let mut out: Vec<_> = (0..dict.len() as u32)
            .map(|t| (dict.text(t).to_owned(), dict.postings(t).iter().collect()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_threaded_build_equals_a_sequential_one() {
        let words = ["ana", "lopez", "calm", "zoe", "anxious", "the"];
        let owned: Vec<(u32, String)> = (0..20_000u32)
            .map(|i| {
                let pick = |k: u32| words[(i.wrapping_mul(k) % 6) as usize];
                (i / 2, format!("{} {} {} {i}", pick(7), pick(13), pick(31)))
            })
            .collect();
        let texts: Vec<(u32, &str)> = owned.iter().map(|(d, t)| (*d, t.as_str())).collect();
        let mut sequential = Dictionary::index_part(&texts);
        sequential.finish();
        let bytes = texts.iter().map(|(_, t)| t.len()).sum();
        for parts in [2, 3, 7] {
            let split = split_by_bytes(&texts, bytes, parts);
            assert_eq!(split.len(), parts);
            assert_eq!(split.iter().map(|p| p.len()).sum::<usize>(), texts.len());
            let mut merged = split
                .into_iter()
                .map(Dictionary::index_part)
                .fold(Dictionary::deferred(), Dictionary::absorb);
            merged.finish();
            assert_eq!(lists(&merged), lists(&sequential), "{parts} parts");
        }
        assert_eq!(lists(&Dictionary::from_texts(&texts)), lists(&sequential));
    }

    #[test]
    fn compaction_renumbers_and_drops_empty_terms() {
        let mut dict = Dictionary::default();
        dict.add("kept", 0);
        dict.add("kept", 2);
        dict.add("gone", 1);
        dict.compact(|d| (d != 1).then_some(d / 2));
        assert_eq!(dict.exact("gone"), None);
        let kept = dict
            .exact("kept")
            .map(|t| dict.postings(t).iter().collect::<Vec<_>>());
        assert_eq!(kept, Some(vec![0, 1]));
    }
}
