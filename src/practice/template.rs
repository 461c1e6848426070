//! TEMPORARY compile shim; replaced by the real template.
use super::model::{AgreementText, Clause};
/// Default agreement.
pub fn default_agreement(group_name: &str, _practice_name: &str) -> AgreementText {
    AgreementText {
        title: "Our group agreement".into(),
        introduction: format!("Welcome to {group_name}."),
        clauses: vec![Clause {
            heading: "Privacy".into(),
            text: "What is said here stays here.".into(),
        }],
    }
}
