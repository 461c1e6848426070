//! New passphrases in the app: the confirmation must match, and the one passphrase rule of the
//! core ([`holdspace::strength`]) decides, with the words an attacker could know about this
//! practice. Also the strength meter's reading.
//!
//! Policy: no rule of its own lives here — only which practice's words apply: the unlocked
//! practice's, the checked backup's (for a restore), or none yet (a new vault: "holdspace").

use holdspace::strength::{self, Strength};
use holdspace::{Passphrase, VaultError};

use crate::error::AppError;
use crate::session::AppSession;

/// A new passphrase: the confirmation matches and it meets the rule with `own_words`.
pub fn new_passphrase(
    typed: &str,
    confirmation: &str,
    own_words: &[String],
) -> Result<Passphrase, AppError> {
    if typed != confirmation {
        return Err(AppError::ConfirmationMismatch);
    }
    let passphrase = Passphrase::new(typed)?;
    strength::check_new_passphrase(&passphrase, own_words).map_err(VaultError::from)?;
    Ok(passphrase)
}

/// The words a new passphrase must not lean on, as far as the session knows them: those of
/// the unlocked practice and of a backup checked for restoring, else only "holdspace".
pub fn own_words(session: &AppSession) -> Vec<String> {
    let mut words = session.practice_own_words().unwrap_or_default();
    words.extend(session.restoring.own_words().unwrap_or_default());
    words.extend(strength::own_words("", ""));
    words.sort();
    words.dedup();
    words
}

/// The meter's reading of a passphrase being chosen (nothing is kept).
pub fn strength_of(session: &AppSession, typed: &str) -> Strength {
    strength::assess(typed, &own_words(session))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_passphrase_needs_its_confirmation_and_the_rule() {
        let none = strength::own_words("", "");
        let strong = "lantern orbit cobalt meadow";
        assert!(new_passphrase(strong, strong, &none).is_ok());
        assert!(matches!(
            new_passphrase(strong, "lantern orbit cobalt", &none),
            Err(AppError::ConfirmationMismatch)
        ));
        assert!(matches!(
            new_passphrase("sunflower garden", "sunflower garden", &none),
            Err(AppError::Vault(VaultError::TooWeak(_)))
        ));
        let own = strength::own_words("Ezra Quist", "Brightwater Lantern Meadow");
        let theirs = "ezra quist brightwater lantern";
        assert!(new_passphrase(theirs, theirs, &none).is_ok());
        assert!(matches!(
            new_passphrase(theirs, theirs, &own),
            Err(AppError::Vault(VaultError::TooWeak(_)))
        ));
    }
}
