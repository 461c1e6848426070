//! Agreement versions: the canonical content hash, and who must sign or re-sign.
//!
//! Policy: a version's hash is SHA-256 over a canonical, length-prefixed encoding of its
//! title, introduction and clauses — independent of JSON formatting, field order or serde
//! changes — so a signature proves exactly which words were agreed to. A member *needs to
//! sign* when they are active or screened in a group whose current version they have no valid
//! signature on and have never signed any version; they *need to re-sign* when they signed an
//! older version only.

use sha2::{Digest, Sha256};

use super::model::{AgreementText, Signature};

/// SHA-256 (lower-case hex) of the canonical encoding of an agreement's text.
pub fn content_hash(text: &AgreementText) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"holdspace agreement v1\0");
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(text.title.as_bytes());
    field(text.introduction.as_bytes());
    field(&(text.clauses.len() as u64).to_be_bytes());
    for clause in &text.clauses {
        field(clause.heading.as_bytes());
        field(clause.text.as_bytes());
    }
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a member stands with a group's agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SignatureState {
    /// The group has no agreement yet.
    NoAgreement,
    /// Has never signed any version (or withdrew every signature).
    NeedsSignature,
    /// Signed an older version only.
    NeedsResigning {
        /// The newest version they signed.
        signed_version: u32,
    },
    /// Signed the current version.
    Signed {
        /// The current version's number.
        version: u32,
    },
}

impl SignatureState {
    /// A signature is due: a first one, or a re-signature of the current version.
    pub fn is_due(self) -> bool {
        matches!(self, Self::NeedsSignature | Self::NeedsResigning { .. })
    }
}

/// The state for one member given the group's current version number and the member's
/// signatures in that group (withdrawn ones are ignored).
pub fn signature_state<'a>(
    current_version: Option<u32>,
    signatures: impl IntoIterator<Item = &'a Signature>,
) -> SignatureState {
    let Some(current) = current_version else {
        return SignatureState::NoAgreement;
    };
    let newest = signatures
        .into_iter()
        .filter(|s| s.withdrawal.is_none())
        .map(|s| s.version_number)
        .max();
    match newest {
        None => SignatureState::NeedsSignature,
        Some(v) if v >= current => SignatureState::Signed { version: current },
        Some(v) => SignatureState::NeedsResigning { signed_version: v },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::model::Clause;

    fn text(clause: &str) -> AgreementText {
        AgreementText {
            title: "Our agreement".into(),
            introduction: "Welcome.".into(),
            clauses: vec![Clause {
                heading: "Privacy".into(),
                text: clause.into(),
            }],
        }
    }

    #[test]
    fn hash_is_stable_and_sensitive_to_every_word() {
        let a = content_hash(&text("What is said here stays here."));
        assert_eq!(a, content_hash(&text("What is said here stays here.")));
        assert_eq!(a.len(), 64);
        assert_ne!(a, content_hash(&text("What is said here stays here!")));
        // Moving text between fields changes the hash (length prefixes).
        let mut moved = text("stays here.");
        moved.clauses[0].heading = "PrivacyWhat is said here".into();
        assert_ne!(
            content_hash(&moved),
            content_hash(&text("What is said here stays here."))
        );
    }
}
