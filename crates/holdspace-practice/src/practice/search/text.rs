//! How text becomes search tokens, the same way for records and for queries, and how a snippet
//! is cut from a record's original text.
//!
//! Policy: a *run* is a maximal stretch of letters, digits and combining marks; everything else
//! separates. A run is folded by compatibility decomposition (NFKD: "é" → "e" + accent, "ﬁ" →
//! "fi", full-width "Ａ" → "A"), dropping diacritics, lowercasing and spelling out the few
//! letters that do not decompose ("ø" → "o", "ß" → "ss", final "ς" → "σ"), so "José" and
//! "jose", "ZOË" and "zoe", "Søren" and "soren", "ΝΙΚΟΣ" and "Νίκος" fold alike. The "s" of a
//! possessive ("Bo's") is not a word of its own. A Hangul word also stands for each of its
//! endings, so a given name is found without the family name before it. Only marks that are optional in ordinary writing are
//! dropped — Latin/Greek/Cyrillic diacritics, Arabic harakat and tatweel, Hebrew points —
//! never vowel signs that are part of the spelling in Indic scripts. Han characters and kana
//! have no spaces between words, so each is a token of its own: "王小明" is found by "小明".
//! ASCII runs, nearly all the text, skip decomposition. Snippets show the original text, never
//! the folded form, and are not escaped: displaying text safely is the shell's job.

use std::ops::{ControlFlow, Range};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Calls `emit(span, token)` for each folded token of `text`, in order, until it breaks.
/// `span` is the byte range of the run the token came from, in `text`.
pub(crate) fn tokens(
    text: &str,
    mut emit: impl FnMut(Range<usize>, &str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut folded = String::new();
    let mut run: Option<(usize, bool)> = None; // (start, all ASCII so far)
    let mut at = 0;
    while let Some(&byte) = text.as_bytes().get(at) {
        let (in_run, width) = match byte {
            0..=0x7f => (byte.is_ascii_alphanumeric(), 1),
            _ => text[at..]
                .chars()
                .next()
                .map_or((false, 1), |c| (is_run_char(c), c.len_utf8())),
        };
        match (in_run, run) {
            (true, None) => run = Some((at, byte < 0x80)),
            (true, Some((from, ascii))) => run = Some((from, ascii && byte < 0x80)),
            (false, Some((from, ascii))) => {
                run = None;
                if !is_possessive_s(text, from..at) {
                    fold_run(&text[from..at], from..at, ascii, &mut folded, &mut emit)?;
                }
            }
            (false, None) => {}
        }
        at += width;
    }
    match run {
        Some((from, _)) if is_possessive_s(text, from..text.len()) => ControlFlow::Continue(()),
        Some((from, ascii)) => fold_run(
            &text[from..],
            from..text.len(),
            ascii,
            &mut folded,
            &mut emit,
        ),
        None => ControlFlow::Continue(()),
    }
}

/// True when the run at `span` is the "s" of a possessive — a word, an apostrophe, then "s"
/// ("Bo's", "Lindqvist’s") — which is no word of its own: a query for "Bo's" must find Bo.
fn is_possessive_s(text: &str, span: Range<usize>) -> bool {
    if !matches!(&text[span.clone()], "s" | "S") {
        return false;
    }
    let mut before = text[..span.start].chars().rev();
    matches!(before.next(), Some('\'' | '\u{2019}' | '\u{02BC}'))
        && before.next().is_some_and(is_run_char)
}

/// The folded tokens of `text`, owned (queries and tests).
pub(crate) fn token_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let _ = tokens(text, |_, token| {
        out.push(token.to_owned());
        ControlFlow::Continue(())
    });
    out
}

fn is_run_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// Folds one run and emits its tokens (one, or several for Han, kana or decompositions that
/// contain separators such as "½"). A run of Hangul syllables also emits each of its
/// endings, so a Korean given name is found without the family name written before it
/// ("민준" finds "김민준").
fn fold_run(
    run: &str,
    span: Range<usize>,
    ascii: bool,
    buf: &mut String,
    emit: &mut impl FnMut(Range<usize>, &str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    fold_one(run, span.clone(), ascii, buf, emit)?;
    if ascii || !run.chars().all(is_hangul_syllable) {
        return ControlFlow::Continue(());
    }
    for (at, _) in run.char_indices().skip(1) {
        fold_one(&run[at..], span.clone(), false, buf, emit)?;
    }
    ControlFlow::Continue(())
}

/// Precomposed Hangul syllables (가–힣).
fn is_hangul_syllable(c: char) -> bool {
    matches!(u32::from(c), 0xAC00..=0xD7A3)
}

/// Folds one run (or one ending of a Hangul run) and emits its tokens.
fn fold_one(
    run: &str,
    span: Range<usize>,
    ascii: bool,
    buf: &mut String,
    emit: &mut impl FnMut(Range<usize>, &str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    buf.clear();
    if ascii && !run.bytes().any(|b| b.is_ascii_uppercase()) {
        return emit(span, run);
    }
    if ascii {
        buf.push_str(run);
        buf.make_ascii_lowercase();
        return emit(span, buf);
    }
    let mut in_ideograph = false;
    for c in run.nfkd().filter(|&c| !is_dropped(c)) {
        let ends_token =
            !is_run_char(c) || is_ideograph(c) || (in_ideograph && !is_combining_mark(c));
        if ends_token && !buf.is_empty() {
            emit(span.clone(), buf)?;
            buf.clear();
        }
        in_ideograph = is_ideograph(c) || (in_ideograph && is_combining_mark(c));
        if is_run_char(c) {
            c.to_lowercase()
                .for_each(|lower| push_spelled_out(buf, lower));
        }
    }
    if buf.is_empty() {
        ControlFlow::Continue(())
    } else {
        emit(span, buf)
    }
}

/// Marks that are optional in ordinary writing, and the Arabic tatweel (a stretching stroke).
fn is_dropped(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7
        | 0x0610..=0x061A | 0x0640 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED)
}

/// Han characters and kana: written without spaces, so each is its own token.
fn is_ideograph(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x323AF)
        && !is_combining_mark(c)
}

/// Lowercase Latin letters that carry a stroke or are ligatures, which NFKD leaves alone.
fn push_spelled_out(buf: &mut String, c: char) {
    let plain = match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' => "i",
        'ς' => "σ",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return buf.push(c),
    };
    buf.push_str(plain);
}

/// True when the query's last character belongs to a word (the user is still typing it).
pub(crate) fn ends_inside_word(query: &str) -> bool {
    query.chars().next_back().is_some_and(is_run_char)
}

/// About `width` characters of `text` around `at` (a byte range on character boundaries), on
/// one line: whitespace and control characters collapse to single spaces, cuts fall between
/// words where possible and are marked with "…". Nothing else is changed or escaped.
pub(crate) fn snippet(text: &str, at: Range<usize>, width: usize) -> String {
    let start = window_start(text, at.start, width / 3);
    let end = window_end(text, start, at.end, width);
    let words: Vec<&str> = text[start..end]
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = if start > 0 {
        "…".to_owned()
    } else {
        String::new()
    };
    out.push_str(&words.join(" "));
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Up to `lead` characters before `at`, moved forward to the start of a word (past the
/// whole separator, whatever its width: a no-break space is two bytes, an ideographic space
/// three).
fn window_start(text: &str, at: usize, lead: usize) -> usize {
    let before = &text[..at];
    let Some((start, _)) = before.char_indices().rev().nth(lead) else {
        return 0;
    };
    let separator = before[start..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace());
    match separator {
        Some((space, c)) => start + space + c.len_utf8(),
        None => start,
    }
}

/// `width` characters after `start` (but not before `match_end`), moved back to a word end.
fn window_end(text: &str, start: usize, match_end: usize, width: usize) -> usize {
    let Some((end, _)) = text[start..].char_indices().nth(width) else {
        return text.len();
    };
    let end = (start + end).max(match_end);
    match text[match_end..end].rfind(char::is_whitespace) {
        Some(space) => match_end + space,
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_splitting() {
        let table: &[(&str, &[&str])] = &[
            ("José", &["jose"]),
            ("ZOË", &["zoe"]),
            ("  Ana   López-García ", &["ana", "lopez", "garcia"]),
            ("jose\u{301}", &["jose"]), // already decomposed
            (
                "Søren Łukasz Straße Æsir",
                &["soren", "lukasz", "strasse", "aesir"],
            ),
            ("İstanbul ÇAĞLAR", &["istanbul", "caglar"]),
            (
                "ana.lopez+group@example.com",
                &["ana", "lopez", "group", "example", "com"],
            ),
            ("+1 (555) 010-4477", &["1", "555", "010", "4477"]),
            ("ﬁne Ｆｕｌｌ", &["fine", "full"]),
            ("½", &["1", "2"]),
            ("Ζωή Δημητρίου", &["ζωη", "δημητριου"]),
            ("Анна Ёлкина", &["анна", "елкина"]),
            ("مُحَمَّد أحمد", &["محمد", "احمد"]),
            ("عـــلي", &["علي"]),
            ("王小明", &["王", "小", "明"]),
            ("ガーデン", &["カ\u{3099}", "ー", "テ\u{3099}", "ン"]),
            (
                "김민준",
                &[
                    "\u{1100}\u{1175}\u{11B7}\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}",
                    "\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}",
                    "\u{110C}\u{116E}\u{11AB}",
                ],
            ),
            ("Νίκος ΝΙΚΟΣ", &["νικοσ", "νικοσ"]),
            ("Bo's Lindqvist’s it's", &["bo", "lindqvist", "it"]),
            ("d'Arcy l'a s 's", &["d", "arcy", "l", "a", "s", "s"]),
            ("हिन्दी", &["ह\u{93F}न\u{94D}द\u{940}"]),
            ("Mia 🌈 Chen", &["mia", "chen"]),
            (
                "<img src=x onerror=alert(1)>",
                &["img", "src", "x", "onerror", "alert", "1"],
            ),
            ("", &[]),
            (" \t\n–—… ", &[]),
        ];
        for (text, want) in table {
            assert_eq!(token_list(text), *want, "folding {text:?}");
        }
    }

    #[test]
    fn spans_point_at_the_original_run() {
        let text = "Dear Zoë, hello";
        let mut spans = Vec::new();
        let _ = tokens(text, |span, token| {
            spans.push((&text[span], token.to_owned()));
            ControlFlow::Continue(())
        });
        assert_eq!(spans[1], ("Zoë", "zoe".to_owned()));
    }

    #[test]
    fn the_last_word_is_open_only_while_typing_it() {
        let table = [
            ("ana lo", true),
            ("ana lo ", false),
            ("zoë", true),
            ("ana,", false),
            ("", false),
        ];
        for (query, open) in table {
            assert_eq!(ends_inside_word(query), open, "{query:?}");
        }
    }

    #[test]
    fn snippets_cut_after_wide_spaces_on_a_character_boundary() {
        for space in ['\u{a0}', '\u{202f}', '\u{3000}', '\u{2003}', '\t'] {
            let text = format!("{}{space}needle here", "x".repeat(60));
            let at = text.find("needle").map(|i| i..i + 6).unwrap();
            let cut = snippet(&text, at, 120);
            assert!(cut.contains("needle here"), "{space:?}: {cut}");
        }
        let french = "Elle a dit\u{a0}: «\u{a0}je reviendrai\u{a0}» ; puis\u{a0}? rien\u{a0}!";
        for word in ["dit", "je", "reviendrai", "puis", "rien"] {
            let at = french.find(word).map(|i| i..i + word.len()).unwrap();
            assert!(snippet(french, at, 12).contains(word), "{word}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20261203),
            ..proptest::test_runner::Config::default()
        })]

        /// Any text, any word in it, any width: a snippet never panics and shows the word.
        #[test]
        fn a_snippet_of_any_text_holds_its_word(
            text in "(\\PC|[\u{a0}\u{3000}\u{202f}\u{2028} \t\n]){0,120}",
            width in 0usize..200,
        ) {
            let mut spans = Vec::new();
            let _ = tokens(&text, |span, _| {
                spans.push(span);
                ControlFlow::Continue(())
            });
            for span in spans {
                let cut = snippet(&text, span.clone(), width);
                proptest::prop_assert!(cut.contains(&text[span]), "{:?} in {:?}", cut, text);
            }
        }
    }

    #[test]
    fn snippets_cut_between_words_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(40), "more ".repeat(40));
        let at = text.find("needle").map(|i| i..i + 6).unwrap();
        let cut = snippet(&text, at, 120);
        assert!(
            cut.starts_with("…word ") && cut.ends_with(" more…"),
            "{cut}"
        );
        assert!(
            cut.contains("needle") && cut.chars().count() <= 122,
            "{cut}"
        );
        assert_eq!(snippet("a\n\tb  <i>", 0..1, 120), "a b <i>");
        assert_eq!(snippet("short", 0..5, 120), "short");
    }
}
