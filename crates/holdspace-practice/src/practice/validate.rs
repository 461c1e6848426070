//! Field validation for practice records: required fields, lengths, dates, formats.
//!
//! Policy: a failed check names the field by its path (`legal_name`, `clauses[3].text`,
//! `members[12].email` on import) and says what is wrong in words a practitioner can act on.
//! Any Unicode is welcome in names and text (right-to-left scripts, combining marks, emoji);
//! only control characters are refused, and line breaks only where a field is multi-line.

use time::Date;

/// Longest name (legal, preferred, group, practice), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest single-line field (phone, pronouns, location, …), in characters.
pub const MAX_LINE_CHARS: usize = 500;
/// Largest multi-line text (notes, intake, clause text), in bytes.
pub const MAX_TEXT_BYTES: usize = 100 * 1024;
/// Most clauses in one agreement.
pub const MAX_CLAUSES: usize = 100;

/// One field that failed validation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    /// Path of the field, e.g. `members[12].email`.
    pub field: String,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl Invalid {
    /// A failure for `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The same failure under a parent path: `legal_name` → `members[3].legal_name`.
    pub fn under(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

/// Result of a validation.
pub type Checked = Result<(), Invalid>;

/// A required name: not blank, at most [`MAX_NAME_CHARS`], one line.
pub fn name(field: &str, value: &str) -> Checked {
    if value.trim().is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    line(field, value, MAX_NAME_CHARS)
}

/// An optional single line of at most `max_chars` characters.
pub fn line(field: &str, value: &str, max_chars: usize) -> Checked {
    if value.chars().count() > max_chars {
        return Err(Invalid::new(
            field,
            format!("is too long (at most {max_chars} characters)"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            "must be a single line without control characters",
        ));
    }
    Ok(())
}

/// Optional multi-line text of at most [`MAX_TEXT_BYTES`].
pub fn text(field: &str, value: &str) -> Checked {
    if value.len() > MAX_TEXT_BYTES {
        return Err(Invalid::new(
            field,
            format!("is too long (at most {} KB)", MAX_TEXT_BYTES / 1024),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Invalid::new(field, "contains control characters"));
    }
    Ok(())
}

/// Required multi-line text.
pub fn required_text(field: &str, value: &str) -> Checked {
    if value.trim().is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    text(field, value)
}

/// An optional email address: empty, or one `@` with something on each side and a dot after.
pub fn email(field: &str, value: &str) -> Checked {
    line(field, value, MAX_NAME_CHARS)?;
    if value.is_empty() {
        return Ok(());
    }
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            "is not an email address (like name@example.org)",
        ))
    }
}

/// An optional phone number: digits with spaces, `+ - ( ) .` and an optional extension.
pub fn phone(field: &str, value: &str) -> Checked {
    line(field, value, 50)?;
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().all(|c| {
        c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | 'x' | 'X' | '#')
    });
    if value.is_empty() || (allowed && digits >= 3) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            "is not a phone number (digits, spaces and + - ( ) only)",
        ))
    }
}

/// A date of birth: not in the future, not before 1900.
pub fn date_of_birth(field: &str, value: Option<Date>, today: Date) -> Checked {
    match value {
        Some(d) if d > today => Err(Invalid::new(field, "can't be in the future")),
        Some(d) if d.year() < 1900 => Err(Invalid::new(field, "is before 1900")),
        _ => Ok(()),
    }
}

/// `end` must not come before `start`.
pub fn date_order(field: &str, start: Option<Date>, end: Option<Date>) -> Checked {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(Invalid::new(field, "can't be before the start date")),
        _ => Ok(()),
    }
}

/// A whole number within `min..=max`.
pub fn range(field: &str, value: u64, min: u64, max: u64) -> Checked {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("must be between {min} and {max}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn names_accept_any_script_and_refuse_blank_long_or_control() {
        for ok in [
            "Ana",
            "أحمد",
            "Zoë",
            "e\u{301}lodie",
            "🌱 Sam",
            "李小龍",
            "O'Brien-Smith",
        ] {
            assert_eq!(name("legal_name", ok), Ok(()), "{ok}");
        }
        assert_eq!(name("legal_name", "  ").unwrap_err().reason, "is required");
        assert!(name("legal_name", &"a".repeat(201)).is_err());
        assert!(name("legal_name", &"é".repeat(200)).is_ok());
        assert!(name("legal_name", "two\nlines").is_err());
    }

    #[test]
    fn emails_and_phones() {
        for ok in ["", "a@b.org", "ana.lopez+group@example.co.uk"] {
            assert_eq!(email("email", ok), Ok(()), "{ok}");
        }
        for bad in [
            "ana",
            "a@b",
            "@b.org",
            "a b@c.org",
            "a@.org",
            "a@b.org.",
            "a@b@c.org",
        ] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
        for ok in ["", "+44 20 7946 0958", "(555) 010-9999 x12"] {
            assert_eq!(phone("phone", ok), Ok(()), "{ok}");
        }
        for bad in ["call me", "12", "555-CALL"] {
            assert!(phone("phone", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        let today = date!(2026 - 11 - 26);
        assert!(date_of_birth("date_of_birth", Some(date!(2026 - 11 - 27)), today).is_err());
        assert!(date_of_birth("date_of_birth", Some(date!(1899 - 12 - 31)), today).is_err());
        assert!(date_of_birth("date_of_birth", Some(date!(1980 - 2 - 29)), today).is_ok());
        assert!(date_order("end_date", Some(today), Some(date!(2026 - 11 - 25))).is_err());
        assert!(date_order("end_date", Some(today), Some(today)).is_ok());
    }

    #[test]
    fn paths_nest() {
        let e = Invalid::new("email", "x").under("members[12]");
        assert_eq!(e.field, "members[12].email");
        assert_eq!(
            Invalid::new("[3].text", "x").under("clauses").field,
            "clauses[3].text"
        );
    }

    #[test]
    fn text_limits() {
        assert!(text("note", &"a".repeat(MAX_TEXT_BYTES)).is_ok());
        assert!(text("note", &"a".repeat(MAX_TEXT_BYTES + 1)).is_err());
        assert!(text("note", "line one\nline two\ttab").is_ok());
        assert!(text("note", "bell\u{7}").is_err());
    }
}
