//! How strong a passphrase is, and the minimum a new vault accepts.
//!
//! Policy: strength is zxcvbn's estimate (dictionary words, names, keyboard patterns, dates and
//! repeats count for little), given the practice's own words as user inputs so a passphrase
//! made of the practitioner's name scores low. A new passphrase must reach [`MINIMUM_SCORE`]
//! (3 of 4: about 10^10 guesses, which Argon2id at ~1 s each puts far beyond reach) and be
//! at least [`MINIMUM_CHARS`] characters. Opening an existing vault never checks strength.
//! Nothing here keeps or logs the passphrase.

use serde::Serialize;

/// The lowest zxcvbn score (0–4) a new passphrase may have.
pub const MINIMUM_SCORE: u8 = 3;
/// The fewest characters a new passphrase may have.
pub const MINIMUM_CHARS: usize = 10;

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

/// Assesses `passphrase`; `own_words` are words an attacker could know (names of the
/// practitioner and the practice), which count as guessable.
pub fn assess(passphrase: &str, own_words: &[&str]) -> Strength {
    let chars = passphrase.chars().count();
    let entropy = zxcvbn::zxcvbn(passphrase, own_words);
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
    let long_enough = chars >= MINIMUM_CHARS;
    if !long_enough && warning.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_short_passphrases_are_refused() {
        for weak in [
            "",
            "password",
            "password123",
            "qwertyuiop",
            "Tr0ub4dor",
            "aaaaaaaaaaaa",
        ] {
            assert!(!assess(weak, &[]).acceptable, "{weak:?} was accepted");
        }
    }

    #[test]
    fn unrelated_words_are_accepted() {
        let strong = assess("lantern orbit cobalt meadow", &[]);
        assert!(strong.acceptable, "{strong:?}");
        assert_eq!(strong.score, 4);
    }

    #[test]
    fn the_practice_own_words_count_as_guessable() {
        let own = ["ezraquist", "brightwaterpractice"];
        let with = assess("ezraquist brightwaterpractice", &own);
        let without = assess("ezraquist brightwaterpractice", &[]);
        assert!(with.score < without.score, "{with:?} vs {without:?}");
        assert!(!assess("brightwaterpractice", &own).acceptable);
    }

    #[test]
    fn a_short_passphrase_says_why() {
        let short = assess("k9#Lq!", &[]);
        assert!(!short.acceptable);
        assert!(!short.warning.is_empty());
    }
}
