//! The one passphrase rule: how strong a passphrase is, and what a new one must reach — for a
//! new vault, a changed or recovered passphrase, a restored vault and a protected copy, in the
//! app and in the CLI alike.
//!
//! Policy: strength is zxcvbn's estimate of the guesses an attacker who knows common words,
//! names, keyboard patterns, dates and substitutions would need. The practice's own words —
//! the practitioner's name, the practice's name, and "holdspace" — are given as user inputs,
//! so a passphrase made of them counts for little ([`own_words`]). A new passphrase must
//! reach [`MINIMUM_SCORE`], zxcvbn's top score 4 (an estimated 10^10 guesses or more: at
//! Argon2id's ~1 s per guess, over 300 years of one computer's time) and have at least
//! [`MINIMUM_CHARS`] characters. Opening an existing vault never checks strength. A refusal
//! is one fixed sentence ([`REFUSAL`]) plus zxcvbn's advice, the same wherever it is shown.
//! Nothing here keeps or logs the passphrase.

use serde::Serialize;

/// The lowest zxcvbn score (0–4) a new passphrase may have: 4, an estimated 10^10 guesses.
pub const MINIMUM_SCORE: u8 = 4;
/// The estimated guesses (log10) that [`MINIMUM_SCORE`] stands for, for the docs and the UI.
pub const MINIMUM_GUESSES_LOG10: u8 = 10;
/// The fewest characters a new passphrase may have.
pub const MINIMUM_CHARS: usize = 12;
/// The sentence every refusal begins with, in the app and the CLI.
pub const REFUSAL: &str = "This passphrase would be too easy to guess. Use four or more \
                           unrelated words, or a longer phrase only you would know.";

/// A passphrase's estimated strength, for a meter and its hints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Strength {
    /// zxcvbn's score, 0 (guessed at once) to 4 (very strong).
    pub score: u8,
    /// True when the passphrase may protect a vault.
    pub acceptable: bool,
    /// What makes it weak, in a sentence (empty when nothing stands out).
    pub warning: String,
    /// How to make it stronger.
    pub suggestions: Vec<String>,
}

impl Strength {
    /// The warning (if any) and the suggestions, one sentence each.
    pub fn advice(&self) -> Vec<String> {
        let warning = (!self.warning.is_empty()).then(|| self.warning.clone());
        warning
            .into_iter()
            .chain(self.suggestions.iter().cloned())
            .collect()
    }
}

/// A new passphrase that the rule refuses, with its strength (for the advice).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{REFUSAL}")]
pub struct TooWeak {
    /// How the passphrase scored, and why.
    pub strength: Strength,
}

impl TooWeak {
    /// What the app and the CLI both say: [`REFUSAL`], then the advice, one line.
    pub fn message(&self) -> String {
        std::iter::once(REFUSAL.to_owned())
            .chain(self.strength.advice())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The words an attacker could know about this practice: each word of the practitioner's
/// and the practice's names (and each name whole), and "holdspace". Empty names add nothing.
pub fn own_words(practitioner_name: &str, practice_name: &str) -> Vec<String> {
    let mut words = vec!["holdspace".to_owned()];
    for name in [practitioner_name, practice_name] {
        let whole = name.trim().to_lowercase();
        if whole.is_empty() {
            continue;
        }
        words.extend(
            whole
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
        words.push(whole);
    }
    words.sort();
    words.dedup();
    words
}

/// Assesses `passphrase` against the rule; `own_words` as [`own_words`] gives them. The
/// practice's own words count for nothing: the passphrase is also weighed with them taken
/// out, and the weaker reading decides (zxcvbn alone lets any four known words through).
pub fn assess(passphrase: &str, own_words: &[String]) -> Strength {
    let inputs: Vec<&str> = own_words.iter().map(String::as_str).collect();
    let rest = without_own_words(passphrase, own_words);
    let whole = zxcvbn::zxcvbn(passphrase, &inputs);
    let leaning = rest != without_own_words(passphrase, &[]);
    let entropy = if leaning {
        let remaining = zxcvbn::zxcvbn(&rest, &inputs);
        if remaining.guesses() < whole.guesses() {
            remaining
        } else {
            whole
        }
    } else {
        whole
    };
    let score = u8::from(entropy.score());
    let mut warning = entropy
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string())
        .unwrap_or_default();
    let mut suggestions: Vec<String> = entropy
        .feedback()
        .map(|f| f.suggestions().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let long_enough = rest.trim().chars().count() >= MINIMUM_CHARS;
    if leaning && score < MINIMUM_SCORE {
        warning = "Names from your practice are easy to guess, so they don't count.".into();
    } else if !long_enough && warning.is_empty() {
        warning = format!("Use at least {MINIMUM_CHARS} characters.");
    }
    if score < MINIMUM_SCORE && suggestions.is_empty() {
        suggestions.push("Add another word or two that are not related to each other.".into());
    }
    Strength {
        score,
        acceptable: long_enough && score >= MINIMUM_SCORE,
        warning,
        suggestions,
    }
}

/// `passphrase` in lower case with every own word of three or more letters (longest first)
/// taken out, and the words left joined by single spaces.
fn without_own_words(passphrase: &str, own_words: &[String]) -> String {
    let mut words: Vec<&String> = own_words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut rest = passphrase.to_lowercase();
    for word in words {
        rest = rest.replace(word.as_str(), " ");
    }
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a new passphrase against the rule.
pub fn check_new_passphrase(
    passphrase: &crate::Passphrase,
    own_words: &[String],
) -> Result<(), TooWeak> {
    check_new(passphrase.expose_secret(), own_words)
}

/// Checks new passphrase text against the rule.
pub fn check_new(passphrase: &str, own_words: &[String]) -> Result<(), TooWeak> {
    let strength = assess(passphrase, own_words);
    if strength.acceptable {
        Ok(())
    } else {
        Err(TooWeak { strength })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Vec<String> {
        own_words("", "")
    }

    #[test]
    fn common_short_and_two_word_passphrases_are_refused() {
        for weak in [
            "",
            "password",
            "password123456",
            "qwertyuiopasdf",
            "Tr0ub4dor&3",
            "aaaaaaaaaaaaaaaa",
            "sunflower garden",
            "blue sky sunshine",
            "holdspace holdspace",
            // a weekday, a year and "!": what a meter once called "Strong"
            "Thursday2024!",
            "Monday2026!!",
        ] {
            assert!(check_new(weak, &none()).is_err(), "{weak:?} was accepted");
        }
    }

    #[test]
    fn unrelated_words_are_accepted() {
        for strong in [
            "lantern orbit cobalt meadow",
            "autumn river piano",
            "correct horse battery staple",
        ] {
            let strength = assess(strong, &none());
            assert!(strength.acceptable, "{strong:?}: {strength:?}");
            assert_eq!(strength.score, 4);
        }
    }

    #[test]
    fn the_practice_own_words_count_for_nothing() {
        let own = own_words("Dr. Ezra Quist", "Brightwater Lantern Meadow");
        for word in [
            "ezra",
            "quist",
            "brightwater",
            "lantern",
            "holdspace",
            "dr. ezra quist",
        ] {
            assert!(own.contains(&word.to_owned()), "{word} in {own:?}");
        }
        for leaning in [
            "ezra quist brightwater lantern",
            "Ezra Quist Brightwater Lantern Meadow",
            "holdspace brightwater 2026",
            "lantern orbit cobalt meadow",
        ] {
            assert!(check_new(leaning, &none()).is_ok() || leaning.contains("holdspace"));
            let refused = check_new(leaning, &own).expect_err(leaning);
            assert!(refused
                .strength
                .warning
                .contains("Names from your practice"));
        }
        assert!(check_new("ezra orbit cobalt violet engine", &own).is_ok());
    }

    #[test]
    fn a_refusal_says_the_sentence_and_why() {
        let refused = check_new("k9#Lq!", &none()).unwrap_err();
        assert_eq!(refused.to_string(), REFUSAL);
        assert!(!refused.strength.advice().is_empty());
    }
}
