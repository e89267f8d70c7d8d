//! Dates as Turkish documents print them (`05 Kasım 2021`, `12 EKİM 2021`, `02.11.2021`), parsed and formatted.
//!
//! Dates are always day first: `02.11.2021` is 2 November. Month names come from chrono's
//! `tr_TR` locale data (`unstable-locales`), not from a hand-written table.

use std::sync::LazyLock;

use chrono::{Datelike, Locale, Month, NaiveDate};
use thiserror::Error;

use super::case::{lower, upper};

/// Why a text is not a date. Every message names the text and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    /// Nothing but whitespace was given.
    #[error("no date given: the text is empty")]
    Empty,
    /// The text has none of the accepted shapes.
    #[error(
        "{value} is not a date: expected a day-first date such as 05 Kasım 2021, 02.11.2021 or 30/04/2021, or an ISO date such as 2021-11-02"
    )]
    Unrecognised { value: String },
    /// The month is written in words, but not as a Turkish month name.
    #[error(
        "{value} is not a date: {month} is not a Turkish month name (Ocak, Şubat, Mart, Nisan, Mayıs, Haziran, Temmuz, Ağustos, Eylül, Ekim, Kasım, Aralık)"
    )]
    UnknownMonth { value: String, month: String },
    /// The month number is not 1 to 12.
    #[error("{value} is not a date: month {month} does not exist")]
    NoSuchMonth { value: String, month: u32 },
    /// The day number is 0 or above 31.
    #[error("{value} is not a date: day {day} does not exist")]
    NoSuchDay { value: String, day: u32 },
    /// The day is past the end of that month (31.02.2021).
    #[error("{value} is not a date: {month_name} {year} has {days} days")]
    DayPastMonthEnd {
        value: String,
        day: u32,
        month: u32,
        /// The month's English name, for the message.
        month_name: &'static str,
        year: i32,
        days: u32,
    },
    /// The year is beyond what a calendar date can hold.
    #[error("{value} is not a date: year {year} is out of range")]
    YearOutOfRange { value: String, year: i64 },
}

/// The twelve Turkish month names, January first, as chrono's `tr_TR` locale spells them.
static MONTHS: LazyLock<[String; 12]> = LazyLock::new(|| {
    std::array::from_fn(|i| {
        NaiveDate::from_ymd_opt(2021, i as u32 + 1, 1)
            .map(|d| d.format_localized("%B", Locale::tr_TR).to_string())
            .unwrap_or_default()
    })
});

/// The month names folded for matching (see [`fold`]), January first.
static MONTH_KEYS: LazyLock<[String; 12]> =
    LazyLock::new(|| std::array::from_fn(|i| MONTHS.get(i).map(|m| fold(m)).unwrap_or_default()));

/// The Turkish name of month `m` (1 = "Ocak" … 12 = "Aralık"); "" when `m` is not 1 to 12.
pub fn month_name(m: u32) -> &'static str {
    let months: &'static [String; 12] = &MONTHS;
    match m.checked_sub(1).and_then(|i| months.get(i as usize)) {
        Some(name) => name.as_str(),
        None => "",
    }
}

/// Parses a date as Turkish documents print it, ignoring surrounding whitespace:
/// `05 Kasım 2021`, `5 Kasım 2021`, `12 EKİM 2021`, `12 ekim 2021` (also `12 EKIM 2021` and
/// `5 Kasim 2021` as typed on keyboards without Turkish letters), `02.11.2021`, `2.11.2021`,
/// `30/04/2021`, `02-11-2021`, and ISO `2021-11-02`. The year has four digits.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let value = s.trim();
    if value.is_empty() {
        return Err(DateError::Empty);
    }
    let unrecognised = || DateError::Unrecognised {
        value: value.to_string(),
    };
    let words: Vec<&str> = value.split_whitespace().collect();
    match words.as_slice() {
        [one] => {
            let (sep, parts) = split_numeric(one).ok_or_else(unrecognised)?;
            match parts {
                [y, m, d] if y.len() == 4 && sep == '-' && is_day_or_month(m) && is_day_or_month(d) => {
                    build(value, number(y), number(m), number(d))
                }
                [d, m, y] if y.len() == 4 && is_day_or_month(d) && is_day_or_month(m) => {
                    build(value, number(y), number(m), number(d))
                }
                _ => Err(unrecognised()),
            }
        }
        [d, month, y] if is_day_or_month(d) && is_digits(y) && y.len() == 4 => {
            if is_digits(month) {
                return Err(unrecognised());
            }
            let key = fold(month);
            let m = MONTH_KEYS
                .iter()
                .position(|k| *k == key)
                .ok_or_else(|| DateError::UnknownMonth {
                    value: value.to_string(),
                    month: month.to_string(),
                })?;
            build(value, number(y), m as u64 + 1, number(d))
        }
        _ => Err(unrecognised()),
    }
}

/// "05 Kasım 2021": two-digit day, Turkish month name, year.
pub fn format_long(d: NaiveDate) -> String {
    d.format_localized("%d %B %Y", Locale::tr_TR).to_string()
}

/// "5 Kasım 2021": the day without a leading zero, as running text and reports write it.
pub fn format_day(d: NaiveDate) -> String {
    d.format_localized("%-d %B %Y", Locale::tr_TR).to_string()
}

/// An instant on the office's clock: "5 Kasım 2021 14:30" in `tz` (the office's time zone).
pub fn format_time(t: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    t.with_timezone(&tz)
        .format_localized("%-d %B %Y %H:%M", Locale::tr_TR)
        .to_string()
}

/// "12 EKİM 2021": [`format_long`] upper-cased the Turkish way.
pub fn format_upper(d: NaiveDate) -> String {
    upper(&format_long(d))
}

/// "02.11.2021": day.month.year, two-digit day and month.
pub fn format_dotted(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// "2021-11-02": ISO 8601, as stored.
pub fn format_iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Lower-cases the Turkish way, then folds ı ş ğ ü ö ç to i s g u o c, so that "EKİM",
/// "Ekim", "EKIM" and "ekim" (and "Kasım", "KASIM", "Kasim") all match.
fn fold(s: &str) -> String {
    lower(s)
        .chars()
        .map(|c| match c {
            'ı' => 'i',
            'ş' => 's',
            'ğ' => 'g',
            'ü' => 'u',
            'ö' => 'o',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_day_or_month(s: &str) -> bool {
    is_digits(s) && s.len() <= 2
}

/// `s` as a number; callers pass at most four ASCII digits, so it always fits.
fn number(s: &str) -> u64 {
    s.bytes()
        .fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
}

/// Splits "02.11.2021" / "30/04/2021" / "2021-11-02" into three digit groups separated by the
/// same separator, one of `.`, `/`, `-`.
fn split_numeric(s: &str) -> Option<(char, [&str; 3])> {
    let sep = s.chars().find(|c| matches!(c, '.' | '/' | '-'))?;
    let mut it = s.split(sep);
    let parts = [it.next()?, it.next()?, it.next()?];
    if it.next().is_some() || !parts.iter().all(|p| is_digits(p)) {
        return None;
    }
    Some((sep, parts))
}

fn build(value: &str, y: u64, m: u64, d: u64) -> Result<NaiveDate, DateError> {
    // y has at most four digits, m and d at most two: the casts below are exact.
    let (year, month, day) = (y as i32, m as u32, d as u32);
    let month_enum = u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok());
    let Some(month_enum) = month_enum else {
        return Err(DateError::NoSuchMonth {
            value: value.to_string(),
            month,
        });
    };
    if day == 0 || day > 31 {
        return Err(DateError::NoSuchDay {
            value: value.to_string(),
            day,
        });
    }
    let Some(days) = month_enum.num_days(year).map(u32::from) else {
        return Err(DateError::YearOutOfRange {
            value: value.to_string(),
            year: i64::from(year),
        });
    };
    if day > days {
        return Err(DateError::DayPastMonthEnd {
            value: value.to_string(),
            day,
            month,
            month_name: month_enum.name(),
            year,
            days,
        });
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .filter(|d| d.year() == year)
        .ok_or_else(|| DateError::YearOutOfRange {
            value: value.to_string(),
            year: i64::from(year),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
    }

    fn err(s: &str) -> String {
        match parse_date(s) {
            Ok(d) => format!("parsed as {d}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn chrono_turkish_month_names_are_the_expected_ones() {
        let names: Vec<&str> = (1..=12).map(month_name).collect();
        assert_eq!(
            names,
            [
                "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
                "Aralık"
            ]
        );
        assert_eq!(month_name(0), "");
        assert_eq!(month_name(13), "");
        assert_eq!(month_name(u32::MAX), "");
    }

    #[test]
    fn parses_every_printed_form() {
        assert_eq!(parse_date("05 Kasım 2021"), Ok(ymd(2021, 11, 5)));
        assert_eq!(parse_date("5 Kasım 2021"), Ok(ymd(2021, 11, 5)));
        assert_eq!(parse_date("12 EKİM 2021"), Ok(ymd(2021, 10, 12)));
        assert_eq!(parse_date("12 ekim 2021"), Ok(ymd(2021, 10, 12)));
        assert_eq!(parse_date("12 EKIM 2021"), Ok(ymd(2021, 10, 12)));
        assert_eq!(parse_date("5 Kasim 2021"), Ok(ymd(2021, 11, 5)));
        assert_eq!(parse_date("1 ŞUBAT 2020"), Ok(ymd(2020, 2, 1)));
        assert_eq!(parse_date("29 şubat 2024"), Ok(ymd(2024, 2, 29)));
        assert_eq!(parse_date("31 ARALIK 2021"), Ok(ymd(2021, 12, 31)));
        assert_eq!(parse_date("02.11.2021"), Ok(ymd(2021, 11, 2)));
        assert_eq!(parse_date("2.11.2021"), Ok(ymd(2021, 11, 2)));
        assert_eq!(parse_date("30/04/2021"), Ok(ymd(2021, 4, 30)));
        assert_eq!(parse_date("02-11-2021"), Ok(ymd(2021, 11, 2)));
        assert_eq!(parse_date("2021-11-02"), Ok(ymd(2021, 11, 2)));
        assert_eq!(parse_date("  \t03 Kasım   2021\n"), Ok(ymd(2021, 11, 3)));
        assert_eq!(parse_date(" 22.10.2021 "), Ok(ymd(2021, 10, 22)));
    }

    #[test]
    fn every_month_name_parses_in_every_case() {
        for m in 1..=12 {
            let name = month_name(m);
            for form in [name.to_string(), upper(name), lower(name)] {
                assert_eq!(parse_date(&format!("7 {form} 2021")), Ok(ymd(2021, m, 7)), "{form}");
            }
        }
    }

    #[test]
    fn rejects_impossible_days_and_months() {
        assert_eq!(err("31.02.2021"), "31.02.2021 is not a date: February 2021 has 28 days");
        assert_eq!(err("29.02.2023"), "29.02.2023 is not a date: February 2023 has 28 days");
        assert_eq!(
            err("31 Nisan 2021"),
            "31 Nisan 2021 is not a date: April 2021 has 30 days"
        );
        assert_eq!(err("2021-13-01"), "2021-13-01 is not a date: month 13 does not exist");
        assert_eq!(err("01.00.2021"), "01.00.2021 is not a date: month 0 does not exist");
        assert_eq!(err("00.01.2021"), "00.01.2021 is not a date: day 0 does not exist");
        assert_eq!(err("32.01.2021"), "32.01.2021 is not a date: day 32 does not exist");
        assert_eq!(
            parse_date("31.02.2021"),
            Err(DateError::DayPastMonthEnd {
                value: "31.02.2021".into(),
                day: 31,
                month: 2,
                month_name: "February",
                year: 2021,
                days: 28
            })
        );
    }

    #[test]
    fn rejects_unknown_month_names() {
        assert_eq!(
            err("12 Ekimm 2021"),
            "12 Ekimm 2021 is not a date: Ekimm is not a Turkish month name (Ocak, Şubat, Mart, Nisan, Mayıs, Haziran, Temmuz, Ağustos, Eylül, Ekim, Kasım, Aralık)"
        );
        assert_eq!(
            parse_date("5 November 2021"),
            Err(DateError::UnknownMonth {
                value: "5 November 2021".into(),
                month: "November".into()
            })
        );
    }

    #[test]
    fn rejects_empty_text_and_garbage() {
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(parse_date("  \n "), Err(DateError::Empty));
        assert_eq!(err(""), "no date given: the text is empty");
        let expected = "is not a date: expected a day-first date such as 05 Kasım 2021, 02.11.2021 or 30/04/2021, or an ISO date such as 2021-11-02";
        for garbage in [
            "yarın",
            "02.11.21",
            "2021/11/02",
            "02.11/2021",
            "02.11.2021.",
            "1.2.3.2021",
            "002.11.2021",
            "12 11 2021",
            "Kasım 2021",
            "0 5 Kasım 2021",
            "2021-11",
            "٠٢.١١.٢٠٢١",
            "99999-01-01",
            "--",
            "..",
        ] {
            assert_eq!(err(garbage), format!("{garbage} {expected}"));
        }
    }

    #[test]
    fn formats() {
        let d = ymd(2021, 11, 5);
        assert_eq!(format_long(d), "05 Kasım 2021");
        assert_eq!(format_upper(ymd(2021, 10, 12)), "12 EKİM 2021");
        assert_eq!(format_upper(ymd(2021, 8, 1)), "01 AĞUSTOS 2021");
        assert_eq!(format_dotted(ymd(2021, 11, 2)), "02.11.2021");
        assert_eq!(format_iso(ymd(2021, 11, 2)), "2021-11-02");
    }

    #[test]
    fn formatted_dates_parse_back() {
        let mut d = ymd(2020, 1, 1);
        while d.year() == 2020 {
            assert_eq!(parse_date(&format_long(d)), Ok(d));
            assert_eq!(parse_date(&format_upper(d)), Ok(d));
            assert_eq!(parse_date(&format_dotted(d)), Ok(d));
            assert_eq!(parse_date(&format_iso(d)), Ok(d));
            d = d.succ_opt().expect("2020 has a next day");
        }
    }
}
