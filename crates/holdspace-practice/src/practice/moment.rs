//! Moments (signatures, audit events, backups) as RFC 3339 text, read back exactly.
//!
//! Policy: a moment is written as RFC 3339 in UTC and read back to the same instant. A leap
//! second ("23:59:60Z") cannot be kept exactly — the time library would read it as
//! 23:59:59.999999999, and it would come back changed — so it is refused with a sentence,
//! never altered silently. Used as `#[serde(with = "…::moment")]`.

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Writes `at` as RFC 3339.
pub fn serialize<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    time::serde::rfc3339::serialize(at, s)
}

/// Reads RFC 3339, refusing a leap second (which could not come back as written).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// Parses one moment; the error is a sentence.
pub fn parse(text: &str) -> Result<OffsetDateTime, &'static str> {
    if is_leap_second(text) {
        return Err("a leap second (:60) can't be kept exactly; write the moment with :59");
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| "expected a moment in RFC 3339, such as 2026-11-26T18:30:00Z")
}

/// The same for an optional moment, written as `null` when absent. Used as
/// `#[serde(default, with = "…::moment::option")]`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    /// Writes `at` as RFC 3339, or `null`.
    pub fn serialize<S: Serializer>(at: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::option::serialize(at, s)
    }

    /// Reads RFC 3339 or `null`, refusing a leap second.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| super::parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// True when the seconds of an RFC 3339 time are 60 (`…T23:59:60…`).
fn is_leap_second(text: &str) -> bool {
    text.find(['T', 't', ' '])
        .and_then(|t| text.get(t + 7..t + 9))
        .is_some_and(|seconds| seconds == "60")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_read_back_exactly_and_a_leap_second_is_refused() {
        for ok in [
            "2026-11-26T18:30:00Z",
            "2026-11-26T18:30:59.5+01:00",
            "2016-12-31T23:59:59Z",
        ] {
            let at = parse(ok).unwrap();
            let again = at.format(&Rfc3339).unwrap();
            assert_eq!(parse(&again).unwrap(), at, "{ok}");
        }
        for refused in [
            "2016-12-31T23:59:60Z",
            "2016-12-31t23:59:60.5+00:00",
            "yesterday",
        ] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}
