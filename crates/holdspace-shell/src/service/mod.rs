//! What each command does, with no window in sight: turns the UI's JSON into core records,
//! calls the core, and shapes what a screen shows. The desktop app's commands are one call
//! into here each (the yaak habit: command bodies testable without a window); what needs the
//! window goes through [`crate::host::Host`].
//!
//! Policy: read models are computed from the decoded practice in memory, never from disk;
//! every change goes through one core call (one atomic batch with its audit event). Nothing
//! here formats sentences for people except the error mapping in `crate::error`.

pub mod agreements;
pub mod backup_page;
pub mod backups;
pub mod client;
pub mod drafts;
pub mod groups;
pub mod home;
pub mod measures;
pub mod member_record;
pub mod members;
pub mod passphrases;
pub mod records;
pub mod sessions;
pub mod settings;
pub mod vault;

use holdspace::practice::{Invalid, Practice};
use holdspace::RecordId;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::AppError;

/// A record as the UI sends it for saving: `id` absent or null means "new" and gets a fresh
/// random id; a field of the wrong shape is reported against its path.
pub fn from_form<T: DeserializeOwned>(mut form: Value) -> Result<T, AppError> {
    if let Value::Object(fields) = &mut form {
        if fields.get("id").is_none_or(Value::is_null) {
            fields.insert("id".into(), Value::String(RecordId::random().to_string()));
        }
    }
    serde_path_to_error::deserialize(form).map_err(|error| {
        let field = error.path().to_string();
        Invalid::new(field, "isn't in the expected form; check this field").into()
    })
}

/// An id and the name to show for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named<I> {
    /// The record.
    pub id: I,
    /// Its name as shown.
    pub name: String,
}

/// A group's name, or a placeholder for one that is gone.
pub fn group_name(practice: &Practice, group: holdspace::practice::GroupId) -> String {
    practice
        .state()
        .groups
        .get(&group)
        .map_or_else(|| "(deleted group)".into(), |g| g.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use holdspace::practice::Member;
    use serde_json::json;

    #[test]
    fn a_form_without_id_gets_a_fresh_one() {
        let member: Member = from_form(json!({"legal_name": "Ada"})).unwrap();
        let again: Member = from_form(json!({"legal_name": "Ada", "id": null})).unwrap();
        assert_ne!(member.id, again.id);
    }

    #[test]
    fn a_malformed_field_is_named() {
        let error =
            from_form::<Member>(json!({"legal_name": "Ada", "date_of_birth": "soon"})).unwrap_err();
        let AppError::Practice(holdspace::practice::PracticeError::Invalid(invalid)) = error else {
            panic!("expected invalid, got {error:?}");
        };
        assert_eq!(invalid.field, "date_of_birth");
    }
}
