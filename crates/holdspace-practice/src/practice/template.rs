//! The default group agreement: the wording of the privacy and respect ground rules that a
//! new group starts from, which a client reads and signs.
//!
//! This file owns that wording and nothing else. It is plain language, at reading grade 8 or
//! below; a test here measures the Flesch–Kincaid grade of every word a client sees and fails
//! if it rises above 8. The practitioner edits the agreement for each group and for the law
//! where they practise: the client-facing text speaks of "the law in our area" and carries no
//! notes to the practitioner. This wording is a starting point, not legal advice.
//!
//! It must not version, hash, store or sign anything — an agreement version is made from this
//! text elsewhere — and it holds no names other than the two it is given.

use super::model::{AgreementText, Clause};

/// Builds the default agreement for a new group, ready for the practitioner to edit.
///
/// `group_name` is named in the introduction; `practice_name` may be empty, in which case the
/// introduction simply leaves it out. Both are trimmed. The result is the same for the same
/// names, so its content hash is stable.
pub fn default_agreement(group_name: &str, practice_name: &str) -> AgreementText {
    let group = group_name.trim();
    let practice = practice_name.trim();
    let welcome = match (group.is_empty(), practice.is_empty()) {
        (false, false) => format!("Welcome to {group} at {practice}."),
        (false, true) => format!("Welcome to {group}."),
        (true, false) => format!("Welcome to this group at {practice}."),
        (true, true) => "Welcome to this group.".to_owned(),
    };
    let introduction = format!(
        "{welcome} A group works best when everyone feels safe to speak. These are the ground \
         rules we all agree to keep. They are about privacy and respect. Please read each one. \
         Ask your therapist about anything that is not clear. You may take a copy home and \
         think it over before you sign."
    );
    AgreementText {
        title: "Our group agreement".to_owned(),
        introduction,
        clauses: CLAUSES
            .iter()
            .map(|&(heading, text)| Clause {
                heading: heading.to_owned(),
                text: text.to_owned(),
            })
            .collect(),
    }
}

/// The default clauses, in the order a client reads them: heading, then text.
const CLAUSES: &[(&str, &str)] = &[
    (
        "What is said here stays here",
        "What people share in group stays in group. Do not tell anyone outside the group who comes \
         here. Never share another member's name. Do not describe them or tell their story, even \
         if you leave out the name. A few small details can be enough to tell who someone is.",
    ),
    (
        "Your own story is yours",
        "You may talk about your own experience in group with anyone you choose. You may also tell \
         people that you come to this group. Just leave out the other members and what they \
         shared.",
    ),
    (
        "What your therapist keeps private",
        "Your therapist keeps what you share private. The law in our area sets some limits. At \
         times, your therapist may have to share what they know. This can happen if there is a \
         serious risk that you will harm yourself or someone else. It can happen if a child, or an \
         adult who needs others to care for them, is being abused or neglected. It can also happen \
         if a court orders it. Your therapist would share only what is needed. Ask your therapist \
         what the law in our area says.",
    ),
    (
        "What other members can promise",
        "Your therapist must keep your privacy by law and by the rules of their profession. Other \
         members do not have that duty. Each of us promises to keep what we hear private. Still, \
         no one can promise that every member will always keep it. Think about this when you \
         choose what to share.",
    ),
    (
        "The promise lasts",
        "Your promise to keep the group private does not end. It goes on after you leave, and \
         after the group ends.",
    ),
    (
        "If the promise is broken",
        "Trust in the group rests on this promise. If you break it, you may be asked to leave the \
         group. If you let something slip by mistake, please tell your therapist soon, so we can \
         work it out. If you think someone else broke it, tell your therapist too.",
    ),
    (
        "Respect for each other",
        "We speak one at a time, and we listen when others speak. We do not put each other down, \
         mock, or call names. We welcome people who are not like us. We can disagree and still be \
         kind.",
    ),
    (
        "No harassment, threats or violence",
        "Harassment, discrimination, threats and violence are never okay here. No one is picked on \
         or treated worse for who they are. That includes their race, faith, gender, who they \
         love, age, body, health or money. This rule holds in person, online, and by text or \
         phone. Your therapist may ask anyone who breaks it to leave.",
    ),
    (
        "No recording, and a private place on video",
        "Do not record the group in any way. Do not take photos or screenshots. If you join by \
         video, find a private place where no one else can see or hear the group. Use headphones \
         if you can. Do not let anyone else watch or listen, not even family or friends.",
    ),
    (
        "Contact outside the group",
        "You may meet or talk with other members outside the group. If you do, please bring it \
         back to the group and talk about it there. Secrets between a few members can make it hard \
         for the whole group to trust. If you see a member out in public, let them choose whether \
         to say hello.",
    ),
    (
        "Coming to each session",
        "Please come to every session and come on time. The group works best when everyone is \
         there. If you cannot come or will be late, tell your therapist as soon as you know. Your \
         therapist will tell the group you are away, but not why, unless you want them to.",
    ),
    (
        "Come to group sober",
        "Please do not come to group after drinking alcohol or using drugs. Medicine taken the way \
         your doctor told you is fine. If you come to group drunk or high, your therapist may ask \
         you to leave that session.",
    ),
    (
        "You can pass",
        "You never have to speak. You can say pass at any time, to any question or activity. You \
         choose how much you share, and when. No one will push you to say more than you want to.",
    ),
    (
        "If you also see your own therapist",
        "If you also see a therapist on your own, it can help for your group therapist and that \
         therapist to talk about your care. This only happens if you say yes in writing. You can \
         change your mind at any time. They would share only what helps your care, and never the \
         names or stories of other members.",
    ),
    (
        "Leaving the group",
        "You are free to leave the group at any time. If you decide to leave, please tell the \
         group first. Try to come to one more session to say goodbye. This helps you and the \
         others end well. Your promise to keep the group private goes on after you leave.",
    ),
    (
        "Your copy of this agreement",
        "You will get a signed copy of this agreement to keep. It names the group, so keep it \
         somewhere private. If the rules change, you will be asked to read and sign the new \
         version. You can ask about it at any time.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The highest Flesch–Kincaid grade the client-facing text may reach: plain language.
    const MAX_GRADE: f64 = 8.0;

    /// The longest clause text we allow, in characters, so each clause stays easy to take in.
    const MAX_CLAUSE_CHARS: usize = 600;

    fn is_vowel(c: char) -> bool {
        matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }

    /// Estimates the syllables in one English word: vowel groups, less a silent final `e`, a
    /// silent `-ed` or `-es`, plus a few vowel pairs said as two (`vi-o`, `be-ing`); at least one.
    fn syllables(word: &str) -> usize {
        let w: Vec<char> = word
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if w.is_empty() {
            return 1;
        }
        let n = w.len();
        let mut count = 0;
        let mut prev_vowel = false;
        for (i, &c) in w.iter().enumerate() {
            // A leading `y` is a consonant (`you`, `yes`).
            let vowel = is_vowel(c) && !(i == 0 && c == 'y');
            if vowel && !prev_vowel {
                count += 1;
            }
            // `ia`, `io`, `iu` are two sounds (`vi-o-lence`, `se-ri-ous`) except after the
            // letters that make them one (`-tion`, `-sion`, `-cial`, `-gion`, `-xious`).
            if vowel
                && prev_vowel
                && i >= 2
                && w[i - 1] == 'i'
                && matches!(c, 'a' | 'o' | 'u')
                && !matches!(w[i - 2], 't' | 's' | 'c' | 'g' | 'x')
            {
                count += 1;
            }
            prev_vowel = vowel;
        }
        let consonant_at = |i: usize| !is_vowel(w[i]);
        let ends = |s: &str| n > s.len() && w[n - s.len()..].iter().copied().eq(s.chars());
        if w[n - 1] == 'e' && n >= 2 && consonant_at(n - 2) {
            // Final `-le` after a consonant is its own syllable (`peo-ple`); otherwise the
            // final `e` is silent (`name`, `promise`).
            let sounded_le = w[n - 2] == 'l' && n >= 3 && consonant_at(n - 3);
            if !sounded_le {
                count -= 1;
            }
        } else if ends("ed") && !matches!(w[n - 3], 't' | 'd') && consonant_at(n - 3) {
            count -= 1; // `named`, `asked`, but `need-ed`
        } else if ends("es")
            && consonant_at(n - 3)
            && !matches!(w[n - 3], 's' | 'x' | 'z' | 'c' | 'g' | 'h')
        {
            count -= 1; // `comes`, `times`, but `pla-ces`, `wish-es`
        }
        if ends("ing") && is_vowel(w[n - 4]) && w[n - 4] != 'y' {
            count += 1; // `be-ing`, `go-ing`
        }
        count.max(1)
    }

    /// Words, sentences and syllables of one block of text. A block that does not end in
    /// `.`, `!` or `?` (a title or heading) still counts as one sentence.
    fn counts(text: &str) -> (usize, usize, usize) {
        let mut words = 0;
        let mut syl = 0;
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
            if word.chars().any(char::is_alphabetic) {
                words += 1;
                syl += syllables(word);
            }
        }
        let mut sentences = 0;
        let mut in_end = false;
        for c in text.chars() {
            let end = matches!(c, '.' | '!' | '?');
            if end && !in_end {
                sentences += 1;
            }
            in_end = end;
        }
        if !text.trim_end().ends_with(['.', '!', '?']) && words > 0 {
            sentences += 1;
        }
        (words, sentences, syl)
    }

    /// Every block of text a client sees: title, introduction, each heading and clause text.
    fn client_blocks(a: &AgreementText) -> Vec<&str> {
        let mut blocks = vec![a.title.as_str(), a.introduction.as_str()];
        for c in &a.clauses {
            blocks.push(&c.heading);
            blocks.push(&c.text);
        }
        blocks
    }

    /// Flesch–Kincaid grade level over all the blocks together.
    fn fk_grade(blocks: &[&str]) -> f64 {
        let (mut w, mut s, mut y) = (0, 0, 0);
        for b in blocks {
            let (bw, bs, by) = counts(b);
            w += bw;
            s += bs;
            y += by;
        }
        let (w, s, y) = (w as f64, s as f64, y as f64);
        0.39 * (w / s) + 11.8 * (y / w) - 15.59
    }

    #[test]
    fn syllable_counter_matches_known_words() {
        let table = [
            ("the", 1),
            ("agreement", 3),
            ("group", 1),
            ("confidentiality", 6),
            ("people", 2),
            ("promise", 2),
            ("leave", 1),
            ("agree", 2),
            ("free", 1),
            ("named", 1),
            ("needed", 2),
            ("comes", 1),
            ("places", 2),
            ("violence", 3),
            ("serious", 3),
            ("religion", 3),
            ("being", 2),
            ("you", 1),
            ("member's", 2),
            ("screenshots", 2),
            ("harassment", 3),
            ("discrimination", 5),
        ];
        for (word, want) in table {
            assert_eq!(syllables(word), want, "syllables in {word:?}");
        }
    }

    #[test]
    fn sentence_counter_counts_ends_and_headings() {
        assert_eq!(counts("One. Two! Three?"), (3, 3, 3));
        assert_eq!(counts("A heading"), (2, 1, 3));
        assert_eq!(counts("Wait... what?"), (2, 2, 2));
    }

    #[test]
    fn reading_grade_is_at_most_eight() {
        let a = default_agreement("Tuesday Evening Process Group", "Harbour Psychotherapy");
        let grade = fk_grade(&client_blocks(&a));
        println!("Flesch-Kincaid grade of the default agreement: {grade:.2}");
        assert!(
            grade <= MAX_GRADE,
            "the default agreement reads at grade {grade:.2}, above {MAX_GRADE}"
        );
    }

    #[test]
    fn every_clause_is_filled_short_and_distinct() {
        let a = default_agreement("Skills Group", "");
        assert!(!a.title.trim().is_empty());
        assert!((14..=17).contains(&a.clauses.len()), "{}", a.clauses.len());
        let mut headings = std::collections::HashSet::new();
        for c in &a.clauses {
            assert!(!c.heading.trim().is_empty(), "empty heading");
            assert!(
                !c.text.trim().is_empty(),
                "empty text under {:?}",
                c.heading
            );
            assert!(
                c.text.chars().count() <= MAX_CLAUSE_CHARS,
                "{:?} is {} characters",
                c.heading,
                c.text.chars().count()
            );
            assert!(
                headings.insert(&c.heading),
                "repeated heading {:?}",
                c.heading
            );
        }
    }

    #[test]
    fn introduction_names_the_group_and_the_practice() {
        let a = default_agreement("  Tuesday Evening Group ", " Harbour Psychotherapy ");
        assert!(
            a.introduction
                .starts_with("Welcome to Tuesday Evening Group at Harbour Psychotherapy."),
            "{}",
            a.introduction
        );
    }

    #[test]
    fn empty_names_read_naturally() {
        for (group, practice) in [
            ("Skills Group", ""),
            ("Skills Group", "   "),
            ("", ""),
            ("", "P"),
        ] {
            let a = default_agreement(group, practice);
            for block in client_blocks(&a) {
                for odd in ["  ", " .", " ,", "at .", "to .", "..", "{", "}"] {
                    assert!(!block.contains(odd), "{odd:?} in {block:?}");
                }
                assert_eq!(block, block.trim(), "stray space in {block:?}");
            }
        }
        let a = default_agreement("Skills Group", "");
        assert!(a.introduction.starts_with("Welcome to Skills Group. "));
        assert!(a.introduction.contains("Skills Group"));
    }

    #[test]
    fn client_text_has_no_notes_to_the_practitioner() {
        let a = default_agreement("Group", "Practice");
        for block in client_blocks(&a) {
            for mark in ['[', ']', '<', '>', '_', '\n', '\t'] {
                assert!(!block.contains(mark), "{mark:?} in {block:?}");
            }
        }
    }

    #[test]
    fn the_same_names_give_the_same_text() {
        assert_eq!(default_agreement("G", "P"), default_agreement("G", "P"));
    }
}
