//! Calendar arithmetic on ISO dates (`YYYY-MM-DD`), the same on the server and
//! in the browser: the periods dashboards read (last 7/30/90 days, a year, a
//! custom range) and the period before them, for trends.

use crate::dashboard::Period;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The day number of an ISO date (its first ten characters), if it is one.
pub fn day_number(date: &str) -> Option<i64> {
    let date = date.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || parts.next().is_some() {
        return None;
    }
    let n = days_from_civil(y, m, d);
    // 2023-02-30 is not a day.
    (civil_from_days(n) == (y, m, d)).then_some(n)
}

/// The ISO date of a day number.
pub fn from_day_number(n: i64) -> String {
    let (y, m, d) = civil_from_days(n);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The ISO date `days` days after `date`.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    Some(from_day_number(day_number(date)? + days))
}

/// How many days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(day_number(to)? - day_number(from)?)
}

/// The periods the pickers offer, by key.
pub const PERIODS: [(&str, &str); 5] = [
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("1y", "Last year"),
    ("all", "All time"),
];

/// The period a picker key means on `today`: `7d`, `30d`, `90d`, `1y`, `all`,
/// or `FROM..TO` (ISO dates, either may be empty). `None` for anything else.
pub fn resolve_period(key: &str, today: &str) -> Option<Period> {
    let last = |days: i64| {
        Some(Period {
            from: add_days(today, -(days - 1)),
            to: Some(today.get(..10)?.to_owned()),
        })
    };
    match key {
        "7d" => last(7),
        "30d" => last(30),
        "90d" => last(90),
        "1y" => last(365),
        "all" => Some(Period::default()),
        custom => {
            let (from, to) = custom.split_once("..")?;
            let check = |d: &str| -> Option<Option<String>> {
                if d.is_empty() {
                    Some(None)
                } else {
                    day_number(d).map(|_| Some(d.to_owned()))
                }
            };
            let (from, to) = (check(from)?, check(to)?);
            if let (Some(a), Some(b)) = (&from, &to)
                && days_between(a, b)? < 0
            {
                return None;
            }
            Some(Period { from, to })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_across_leap_years_and_months() {
        assert_eq!(add_days("2024-02-28", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_days("2023-02-28", 1).as_deref(), Some("2023-03-01"));
        assert_eq!(add_days("2026-01-01", -1).as_deref(), Some("2025-12-31"));
        assert_eq!(days_between("2025-12-05", "2026-12-05"), Some(365));
        assert_eq!(day_number("2023-02-30"), None);
        assert_eq!(day_number("1970-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn picker_keys_become_periods_ending_today() {
        let p = resolve_period("7d", "2026-12-05").expect("7d");
        assert_eq!(
            (p.from.as_deref(), p.to.as_deref()),
            (Some("2026-11-29"), Some("2026-12-05"))
        );
        assert_eq!(resolve_period("all", "2026-12-05"), Some(Period::default()));
        let custom = resolve_period("2025-01-01..", "2026-12-05").expect("custom");
        assert_eq!(
            (custom.from.as_deref(), custom.to),
            (Some("2025-01-01"), None)
        );
        assert_eq!(resolve_period("2025-02-01..2025-01-01", "2026-12-05"), None);
        assert_eq!(resolve_period("soon", "2026-12-05"), None);
    }
}
