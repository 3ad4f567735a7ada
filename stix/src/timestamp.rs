//! STIX timestamps: RFC 3339 in UTC with a `Z`, e.g. `2017-01-20T00:00:00.000Z`.

use std::cmp::Ordering;
use std::fmt;

/// A parsed timestamp: seconds since the Unix epoch and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub seconds: i64,
    pub nanos: u32,
}

/// Why a timestamp was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(pub &'static str);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Timestamp {
    /// Parses a STIX timestamp. Fractions of any length are accepted (nanosecond
    /// precision is kept); the zone must be `Z`.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let b = text.as_bytes();
        if b.len() < 19 {
            return Err(TimestampError(
                "is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SSZ)",
            ));
        }
        let shape_ok = b[4] == b'-'
            && b[7] == b'-'
            && (b[10] == b'T' || b[10] == b't')
            && b[13] == b':'
            && b[16] == b':';
        if !shape_ok {
            return Err(TimestampError(
                "is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SSZ)",
            ));
        }
        let field = |range: std::ops::Range<usize>| {
            digits(&b[range]).ok_or(TimestampError("has a non-digit where a digit belongs"))
        };
        let year = i64::from(field(0..4)?);
        let month = field(5..7)?;
        let day = field(8..10)?;
        let hour = field(11..13)?;
        let minute = field(14..16)?;
        let second = field(17..19)?;
        if !(1..=12).contains(&month) {
            return Err(TimestampError("has a month outside 01-12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(TimestampError("has a day that the month does not have"));
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TimestampError("has a time of day out of range"));
        }
        let mut rest = &b[19..];
        let mut nanos = 0u32;
        if let Some((&b'.', fraction)) = rest.split_first() {
            let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return Err(TimestampError("has an empty fraction of a second"));
            }
            for (i, c) in fraction[..len].iter().enumerate().take(9) {
                nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
            }
            rest = &fraction[len..];
        }
        match rest {
            b"Z" | b"z" => {}
            [] => {
                return Err(TimestampError(
                    "has no time zone (STIX timestamps end in Z)",
                ));
            }
            _ => return Err(TimestampError("is not in UTC (STIX timestamps end in Z)")),
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second.min(59));
        Ok(Timestamp { seconds, nanos })
    }

    /// Compares two timestamp strings; `None` if either is invalid.
    pub fn compare(a: &str, b: &str) -> Option<Ordering> {
        Some(Timestamp::parse(a).ok()?.cmp(&Timestamp::parse(b).ok()?))
    }

    /// Seconds since the epoch, with the fraction.
    pub fn as_f64(self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    /// The timestamp `seconds` (and `millis`) after the epoch.
    pub fn from_unix(seconds: i64, millis: u32) -> Timestamp {
        Timestamp {
            seconds,
            nanos: millis.min(999) * 1_000_000,
        }
    }

    /// The STIX form, with milliseconds: `2024-05-01T12:00:00.000Z`.
    pub fn to_stix(self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            self.nanos / 1_000_000
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_back_what_it_parses() {
        for text in [
            "1970-01-01T00:00:00.000Z",
            "2000-02-29T23:59:59.999Z",
            "2024-12-04T23:07:02.123Z",
            "1969-07-20T20:17:40.000Z",
        ] {
            let parsed = Timestamp::parse(text).expect("valid");
            let millis = parsed.nanos / 1_000_000;
            assert_eq!(Timestamp::from_unix(parsed.seconds, millis).to_stix(), text);
        }
    }

    #[test]
    fn parses_stix_timestamps() {
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:00Z"),
            Ok(Timestamp {
                seconds: 0,
                nanos: 0
            })
        );
        let t = Timestamp::parse("2016-04-06T20:03:48.123Z").expect("valid");
        assert_eq!(t.seconds, 1_459_973_028);
        assert_eq!(t.nanos, 123_000_000);
        assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_ok());
        assert!(Timestamp::parse("2017-01-20T00:00:00.123456789Z").is_ok());
    }

    #[test]
    fn refuses_bad_ones_with_a_reason() {
        for (text, reason) in [
            ("2023-02-29T00:00:00Z", "day"),
            ("2457-73-22T32:81:84.1Z", "month"),
            ("2016-04-06T20:03:48+02:00", "UTC"),
            ("2016-04-06T20:03:48", "zone"),
            ("2016-04-06 20:03:48Z", "RFC 3339"),
            ("yesterday", "RFC 3339"),
            ("2016-04-06T20:03:48.Z", "fraction"),
        ] {
            let error = Timestamp::parse(text).expect_err(text);
            assert!(error.0.contains(reason), "{text}: {}", error.0);
        }
    }

    #[test]
    fn compares() {
        assert_eq!(
            Timestamp::compare("2016-04-06T20:03:48.1Z", "2016-04-06T20:03:48.01Z"),
            Some(Ordering::Greater)
        );
    }
}
