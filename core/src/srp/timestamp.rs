//! Cognito's `TIMESTAMP` format.

use std::time::{SystemTime, UNIX_EPOCH};

/// Cognito's `TIMESTAMP`: `EEE MMM d HH:mm:ss UTC yyyy` in English, the day of month
/// not zero-padded, e.g. `Tue Mar 5 07:08:09 UTC 2024`.
pub fn timestamp(at: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{} {} {day} {:02}:{:02}:{:02} UTC {year}",
        DAYS[(days % 7) as usize],
        MONTHS[month as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month 1–12, day 1–31), for the proleptic Gregorian
/// calendar (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod proptests {
    use std::time::Duration;

    use proptest::prelude::*;

    use super::*;

    /// 9999-12-31T23:59:59Z.
    const LAST: u64 = 253_402_300_799;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// `EEE MMM d HH:mm:ss UTC yyyy`: six fields, the day of month never
        /// zero-padded, the clock always two digits each, the weekday right.
        #[test]
        fn the_format_is_cognitos(secs in 0..=LAST) {
            let text = timestamp(UNIX_EPOCH + Duration::from_secs(secs));
            let fields: Vec<&str> = text.split(' ').collect();
            prop_assert_eq!(fields.len(), 6, "{}", text);
            let day = fields[2];
            prop_assert!(!day.starts_with('0'), "zero-padded day: {}", text);
            let day: u64 = day.parse().unwrap();
            prop_assert!((1..=31).contains(&day), "{}", text);
            let clock: Vec<&str> = fields[3].split(':').collect();
            prop_assert!(clock.len() == 3 && clock.iter().all(|p| p.len() == 2), "{}", text);
            prop_assert_eq!(fields[4], "UTC");
            let (year, _, _) = civil_from_days(secs / 86_400);
            prop_assert_eq!(fields[5], year.to_string());
            prop_assert!((1970..=9999).contains(&year));
            // 1970-01-01 was a Thursday.
            let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            prop_assert_eq!(fields[0], weekdays[usize::try_from(secs / 86_400 % 7).unwrap()]);
        }

        /// Consecutive days are consecutive dates: the day advances by one, or rolls
        /// over to the 1st of the next month (and January after December).
        #[test]
        fn days_follow_each_other(days in 0..=(LAST / 86_400 - 1)) {
            let (y0, m0, d0) = civil_from_days(days);
            let (y1, m1, d1) = civil_from_days(days + 1);
            let next_day = (y1, m1, d1) == (y0, m0, d0 + 1);
            let next_month = d1 == 1 && ((y1 == y0 && m1 == m0 + 1) || (y1 == y0 + 1 && m0 == 12 && m1 == 1));
            prop_assert!(next_day || next_month, "{:?} then {:?}", (y0, m0, d0), (y1, m1, d1));
        }
    }
}
