//! Which automatic backups to keep in the backup folder, and how they are named.
//!
//! Policy: a backup folder keeps the newest `keep_recent` backups, and also the newest backup
//! of each calendar month (UTC) for the last `keep_monthly` months, this month included.
//! [`to_remove`] weighs only the backups it is given; the folder module gives it only the
//! backups the vault recorded writing, so nothing else in the folder — the practitioner's
//! own files, copies saved under another name, files planted with a backup's name — is
//! weighed or touched. Pure functions: no disk, no clock.

use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime};

/// Every automatic backup's name starts with this.
pub const FILE_PREFIX: &str = "holdspace-backup-";
/// Every backup's name ends with this.
pub const FILE_EXTENSION: &str = ".age";

/// How many backups to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionRule {
    /// The newest this many are kept.
    pub keep_recent: u32,
    /// The newest of each month is kept for this many months, this month included.
    pub keep_monthly: u32,
}

/// A backup in the folder: its name and when it was made (from the name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedBackup {
    /// The file name.
    pub file_name: String,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// 1 for the first backup of that second, 2 for the second, …
    pub same_second: u32,
}

impl NamedBackup {
    /// The backup named `file_name`, if [`file_name`] gives such names.
    pub fn parse(file_name: &str) -> Option<Self> {
        let (created_at, same_second) = parse_file_name(file_name)?;
        Some(Self {
            file_name: file_name.to_owned(),
            created_at,
            same_second,
        })
    }

    /// Orders newest first (by time, then by the same-second number).
    pub fn newest_first(a: &Self, b: &Self) -> std::cmp::Ordering {
        (b.created_at, b.same_second).cmp(&(a.created_at, a.same_second))
    }
}

/// The name of a backup made at `at`: `holdspace-backup-2026-11-26-133205.age`, with `-2`,
/// `-3`, … before the extension for a second, third, … backup in the same second
/// (`same_second` counts from 1). No colons, so it is a valid name on every file system.
pub fn file_name(at: OffsetDateTime, same_second: u32) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let stamp = format!(
        "{:04}-{:02}-{:02}-{:02}{:02}{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if same_second <= 1 {
        format!("{FILE_PREFIX}{stamp}{FILE_EXTENSION}")
    } else {
        format!("{FILE_PREFIX}{stamp}-{same_second}{FILE_EXTENSION}")
    }
}

/// The name of a passphrase-protected copy made at `at`: `holdspace-copy-2026-11-26-133205.age`
/// (with `-2`, … as [`file_name`]). Deliberately not an automatic backup's name, so retention
/// never removes a copy the practitioner made on purpose.
pub fn copy_file_name(at: OffsetDateTime, same_second: u32) -> String {
    let automatic = file_name(at, same_second);
    format!("holdspace-copy-{}", &automatic[FILE_PREFIX.len()..])
}

/// When the backup named `name` was made, and its same-second number (1, 2, …), if `name` is
/// one [`file_name`] gives.
pub fn parse_file_name(name: &str) -> Option<(OffsetDateTime, u32)> {
    let stem = name
        .strip_prefix(FILE_PREFIX)?
        .strip_suffix(FILE_EXTENSION)?;
    let (stamp, counter) = match stem.get(17..) {
        Some("") => (stem, None),
        Some(rest) => (stem.get(..17)?, Some(rest.strip_prefix('-')?)),
        None => return None,
    };
    let same_second = match counter {
        None => 1,
        Some(counter) => {
            let n: u32 = counter.parse().ok()?;
            if n < 2 || counter.starts_with('0') {
                return None;
            }
            n
        }
    };
    let format = format_description!("[year]-[month]-[day]-[hour][minute][second]");
    let at = PrimitiveDateTime::parse(stamp, format).ok()?.assume_utc();
    Some((at, same_second))
}

/// The backups `rule` does not keep, given everything in the folder and the time now.
pub fn to_remove(backups: &[NamedBackup], now: OffsetDateTime, rule: RetentionRule) -> Vec<String> {
    let mut newest_first: Vec<&NamedBackup> = backups.iter().collect();
    // By time, then by the same-second number: never by the name, where "-2.age" sorts
    // before ".age" and "-10" before "-9".
    newest_first.sort_by(|a, b| NamedBackup::newest_first(a, b));
    let this_month = month_index(now);
    let mut months_kept = std::collections::BTreeSet::new();
    let mut removed = Vec::new();
    for (position, backup) in newest_first.into_iter().enumerate() {
        let recent = position < rule.keep_recent as usize;
        let month = month_index(backup.created_at);
        let in_window = month <= this_month && this_month - month < i64::from(rule.keep_monthly);
        let monthly = in_window && months_kept.insert(month);
        if !recent && !monthly {
            removed.push(backup.file_name.clone());
        }
    }
    removed
}

/// Months since year 0 (UTC), so consecutive months differ by one.
fn month_index(at: OffsetDateTime) -> i64 {
    let at = at.to_offset(time::UtcOffset::UTC);
    i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn named(at: OffsetDateTime) -> NamedBackup {
        NamedBackup::parse(&file_name(at, 1)).unwrap()
    }

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        let at = datetime!(2026-11-26 13:32:05 UTC);
        assert_eq!(file_name(at, 1), "holdspace-backup-2026-11-26-133205.age");
        assert_eq!(file_name(at, 3), "holdspace-backup-2026-11-26-133205-3.age");
        assert_eq!(parse_file_name(&file_name(at, 1)), Some((at, 1)));
        assert_eq!(parse_file_name(&file_name(at, 3)), Some((at, 3)));
        let local = datetime!(2026-11-26 14:32:05 +01:00);
        assert_eq!(file_name(local, 1), file_name(at, 1), "names are in UTC");
        assert_eq!(
            copy_file_name(at, 2),
            "holdspace-copy-2026-11-26-133205-2.age"
        );
        assert_eq!(
            parse_file_name(&copy_file_name(at, 1)),
            None,
            "retention skips copies"
        );
        for other in [
            "holdspace-backup-2026-11-26-133205.age.tmp",
            ".holdspace-backup-2026-11-26-133205.age.1a2b3c.tmp",
            "holdspace-backup-2026-11-26-133205-1.age",
            "holdspace-backup-2026-11-26-133205-02.age",
            "holdspace-backup-2026-11-26-133205-x.age",
            "holdspace-backup-2026-13-26-133205.age",
            "holdspace-backup-2026-11-26.age",
            "my-practice.age",
            "holdspace-backup-.age",
            "holdspace-backup-2026-11-26-1332055.age",
        ] {
            assert_eq!(parse_file_name(other), None, "{other}");
        }
    }

    /// One backup a day at noon for `days` days up to and including `last`.
    fn daily(last: OffsetDateTime, days: i64) -> Vec<NamedBackup> {
        (0..days)
            .map(|back| named(last - time::Duration::days(back)))
            .collect()
    }

    fn kept(all: &[NamedBackup], now: OffsetDateTime, rule: RetentionRule) -> Vec<String> {
        let removed = to_remove(all, now, rule);
        let mut kept: Vec<String> = all
            .iter()
            .map(|b| b.file_name.clone())
            .filter(|n| !removed.contains(n))
            .collect();
        kept.sort();
        kept
    }

    const DEFAULT: RetentionRule = RetentionRule {
        keep_recent: 10,
        keep_monthly: 12,
    };

    #[test]
    fn fewer_than_the_recent_count_are_all_kept() {
        let now = datetime!(2026-11-26 12:00 UTC);
        assert!(to_remove(&daily(now, 10), now, DEFAULT).is_empty());
        assert!(to_remove(&[], now, DEFAULT).is_empty());
    }

    #[test]
    fn a_year_and_a_half_of_daily_backups_keeps_ten_plus_one_per_month() {
        let now = datetime!(2026-11-26 12:00 UTC);
        let all = daily(now, 540);
        let kept = kept(&all, now, DEFAULT);
        let mut expected: Vec<String> =
            daily(now, 10).iter().map(|b| b.file_name.clone()).collect();
        // The newest of each earlier month, December 2025 … October 2026 (this month's newest
        // is already among the ten).
        for (year, month) in [(2025, 12)].into_iter().chain((1..=10).map(|m| (2026, m))) {
            let month = time::Month::try_from(month).unwrap();
            let last_day = month.length(year);
            let date = time::Date::from_calendar_date(year, month, last_day).unwrap();
            expected.push(file_name(date.with_hms(12, 0, 0).unwrap().assume_utc(), 1));
        }
        expected.sort();
        assert_eq!(kept, expected);
        assert_eq!(kept.len(), 21);
    }

    #[test]
    fn the_counts_are_adjustable() {
        let now = datetime!(2026-11-26 12:00 UTC);
        let all = daily(now, 100);
        let only_recent = RetentionRule {
            keep_recent: 3,
            keep_monthly: 0,
        };
        assert_eq!(kept(&all, now, only_recent).len(), 3);
        let one_and_months = RetentionRule {
            keep_recent: 1,
            keep_monthly: 4,
        };
        // Today, plus the last of October, September and August (November's is today's).
        assert_eq!(kept(&all, now, one_and_months).len(), 4);
    }

    #[test]
    fn several_backups_a_day_keep_the_newest_of_each_month() {
        let now = datetime!(2026-11-26 18:00 UTC);
        let mut all = Vec::new();
        for hour in [9, 12, 15] {
            all.push(named(
                datetime!(2026-10-03 00:00 UTC) + time::Duration::hours(hour),
            ));
        }
        all.push(named(now));
        let rule = RetentionRule {
            keep_recent: 1,
            keep_monthly: 12,
        };
        assert_eq!(
            to_remove(&all, now, rule),
            vec![
                "holdspace-backup-2026-10-03-120000.age".to_owned(),
                "holdspace-backup-2026-10-03-090000.age".to_owned()
            ]
        );
    }

    #[test]
    fn backups_of_the_same_second_are_ordered_by_their_number_not_their_name() {
        let at = datetime!(2026-11-26 12:00 UTC);
        let all: Vec<NamedBackup> = [1, 2, 9, 10]
            .iter()
            .map(|n| NamedBackup::parse(&file_name(at, *n)).unwrap())
            .collect();
        let rule = RetentionRule {
            keep_recent: 1,
            keep_monthly: 0,
        };
        assert_eq!(kept(&all, at, rule), vec![file_name(at, 10)]);
    }

    #[test]
    fn backups_dated_in_the_future_count_only_as_recent() {
        let now = datetime!(2026-11-26 12:00 UTC);
        let future = named(datetime!(2027-03-01 12:00 UTC));
        let mut all = daily(now, 3);
        all.push(future.clone());
        let rule = RetentionRule {
            keep_recent: 2,
            keep_monthly: 1,
        };
        // Kept: the future one and today's (the two newest); today's is also this month's.
        assert_eq!(kept(&all, now, rule), {
            let mut k = vec![future.file_name, file_name(now, 1)];
            k.sort();
            k
        });
    }
}
