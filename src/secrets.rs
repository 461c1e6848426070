//! Where the CLI gets secrets from: a hidden prompt on a terminal, else one line of stdin per
//! secret, in the order each command documents.
//!
//! Policy: secrets are held in zeroizing strings, never echoed, never logged; a missing line
//! is a clear error, not an empty passphrase.

use std::io::{self, BufRead, IsTerminal};

use zeroize::Zeroizing;

/// Reads secrets for one command.
pub struct SecretSource {
    interactive: bool,
    lines: Option<io::StdinLock<'static>>,
}

/// What went wrong while reading a secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// stdin ended before the secret's line.
    #[error("expected the {0} on standard input, one secret per line, but the input ended")]
    Missing(&'static str),
    /// The terminal or stdin could not be read.
    #[error("could not read the {0}: {1}")]
    Io(&'static str, io::Error),
    /// Two entries of a new passphrase differ.
    #[error("the two passphrases you typed are not the same; nothing was changed")]
    Mismatch,
}

impl SecretSource {
    /// Prompts on a terminal, reads lines otherwise.
    pub fn from_stdin() -> Self {
        let interactive = io::stdin().is_terminal();
        Self {
            interactive,
            lines: None,
        }
    }

    /// One secret, prompting with `what` ("passphrase", "recovery code", …).
    pub fn read(&mut self, what: &'static str) -> Result<Zeroizing<String>, SecretError> {
        if self.interactive {
            let prompt = format!("{}: ", capitalised(what));
            return rpassword::prompt_password(prompt)
                .map(Zeroizing::new)
                .map_err(|e| SecretError::Io(what, e));
        }
        let lines = self.lines.get_or_insert_with(|| io::stdin().lock());
        let mut line = Zeroizing::new(String::new());
        let read = lines
            .read_line(&mut line)
            .map_err(|e| SecretError::Io(what, e))?;
        if read == 0 {
            return Err(SecretError::Missing(what));
        }
        let trimmed_len = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(trimmed_len);
        Ok(line)
    }

    /// A new secret: on a terminal it is asked twice and both must match.
    pub fn read_new(&mut self, what: &'static str) -> Result<Zeroizing<String>, SecretError> {
        let first = self.read(what)?;
        if self.interactive {
            let again = self.read("same passphrase again")?;
            if *first != *again {
                return Err(SecretError::Mismatch);
            }
        }
        Ok(first)
    }

    /// True when secrets come from a terminal prompt.
    pub fn is_interactive(&self) -> bool {
        self.interactive
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
