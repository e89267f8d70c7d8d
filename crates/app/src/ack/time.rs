//! Times typed by a clerk or read from a sign-off sheet: RFC 3339, `2021-11-05 14:30`, `05.11.2021 14:30`,
//! or a date alone (`05.11.2021`, `05 Kasım 2021`). Times without an offset are Türkiye time (UTC+03:00).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::AckError;

/// Türkiye has kept UTC+03:00 all year since 2016.
pub fn turkey() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("3 hours is a valid offset")
}

/// Parse a time as typed; `now` bounds it (at most a minute of clock difference is tolerated).
pub fn parse_at(field: &str, s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, AckError> {
    let t = s.trim();
    let bad = || AckError::Field {
        field: field.to_string(),
        problem: format!("{t:?} is not a time; write 2021-11-05 14:30, 05.11.2021 14:30, 05.11.2021 or RFC 3339"),
    };
    let at = if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        dt.with_timezone(&Utc)
    } else {
        let naive = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%d.%m.%Y %H:%M:%S",
            "%d.%m.%Y %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .or_else(|| tamim_core::turkish::parse_date(t).ok())
                .map(|d| d.and_time(NaiveTime::MIN))
        })
        .ok_or_else(bad)?;
        turkey()
            .from_local_datetime(&naive)
            .single()
            .ok_or_else(bad)?
            .with_timezone(&Utc)
    };
    check_not_future(field, t, at, now)?;
    Ok(at)
}

pub fn check_not_future(field: &str, text: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), AckError> {
    if at > now + chrono::Duration::seconds(60) {
        return Err(AckError::Future {
            field: field.to_string(),
            value: text.to_string(),
            now: stored(now),
        });
    }
    Ok(())
}

/// The checks every time a clerk gives gets (`ack --at`, a sign-off sheet's time): not in the future, not before
/// the document's date (a day in Türkiye time).
pub fn check_time(
    field: &str,
    text: &str,
    at: DateTime<Utc>,
    doc_date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), AckError> {
    check_not_future(field, text, at, now)?;
    if let Some(date) = doc_date {
        if at.with_timezone(&turkey()).date_naive() < date {
            return Err(AckError::BeforeDocument {
                field: field.to_string(),
                value: text.to_string(),
                date: tamim_core::turkish::format_dotted(date),
            });
        }
    }
    Ok(())
}

/// `check_time` for a date alone (`ack received --date`, `ack followon --tarih`): the day's first moment in
/// Türkiye time, so today is not in the future and the document's own date is not before it.
pub fn check_date(
    field: &str,
    date: NaiveDate,
    doc_date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), AckError> {
    let start = turkey()
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc));
    let text = tamim_core::turkish::format_dotted(date);
    let Some(start) = start else {
        return Err(AckError::Field {
            field: field.to_string(),
            problem: format!("{text:?} is not a day"),
        });
    };
    check_time(field, &text, start, doc_date, now)
}

/// The stored form: RFC 3339 UTC with seconds, as `store::now_text`.
pub fn stored(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored time shown in Türkiye time: `05.11.2021 14:30`.
pub fn shown(stored_text: &str) -> String {
    shown_in(stored_text, chrono_tz::Europe::Istanbul)
}

/// A stored time shown on the office's clock (`zone`, office.toml `time_zone`): `05.11.2021 14:30`.
pub fn shown_in(stored_text: &str, zone: chrono_tz::Tz) -> String {
    let mut o = String::with_capacity(16);
    shown_into(&mut o, stored_text, zone);
    o
}

/// A stored time as a Turkish reader reads it in a heading, on the office's clock: `5 Kasım 2021 14:30`.
pub fn shown_long(stored_text: &str, zone: chrono_tz::Tz) -> String {
    match DateTime::parse_from_rfc3339(stored_text) {
        Ok(t) => tamim_core::turkish::format_time(t.with_timezone(&Utc), zone),
        Err(_) => stored_text.to_string(),
    }
}

/// `shown_in`, appended to `o` (the audit writes a million of them: no allocation, no format string parsed).
pub fn shown_into(o: &mut String, stored_text: &str, zone: chrono_tz::Tz) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    match DateTime::parse_from_rfc3339(stored_text) {
        Ok(t) => {
            let t = t.with_timezone(&zone);
            if (0..=9999).contains(&t.year()) {
                let _ = write!(
                    o,
                    "{:02}.{:02}.{:04} {:02}:{:02}",
                    t.day(),
                    t.month(),
                    t.year(),
                    t.hour(),
                    t.minute()
                );
            } else {
                let _ = write!(o, "{}", t.format("%d.%m.%Y %H:%M"));
            }
        }
        Err(_) => o.push_str(stored_text),
    }
}

/// `shown_into` that remembers its recent answers: a bulk send stamps thousands of events with the same
/// second, and an audit shows each of them. Holds at most `CAP` answers (forgets them all when full).
pub struct ShownCache {
    zone: chrono_tz::Tz,
    answers: rustc_hash::FxHashMap<String, String>,
    /// The last time asked for and its answer (events come in runs of the same second).
    last: (String, String),
}

impl Default for ShownCache {
    fn default() -> Self {
        ShownCache::in_zone(chrono_tz::Europe::Istanbul)
    }
}

impl ShownCache {
    const CAP: usize = 4096;

    /// A cache showing times on the clock of `zone`.
    pub fn in_zone(zone: chrono_tz::Tz) -> ShownCache {
        ShownCache {
            zone,
            answers: Default::default(),
            last: Default::default(),
        }
    }

    pub fn shown_into(&mut self, o: &mut String, stored_text: &str) {
        o.push_str(self.shown(stored_text));
    }

    /// `shown(stored_text)`, remembered.
    pub fn shown(&mut self, stored_text: &str) -> &str {
        if self.last.0 == stored_text {
            return &self.last.1;
        }
        if !self.answers.contains_key(stored_text) {
            if self.answers.len() >= Self::CAP {
                self.answers.clear();
            }
            self.answers
                .insert(stored_text.to_string(), shown_in(stored_text, self.zone));
        }
        let (text, answer) = &mut self.last;
        text.clear();
        text.push_str(stored_text);
        answer.clear();
        answer.push_str(&self.answers[stored_text]);
        &self.last.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_answers_as_shown_does_and_stays_small() {
        let mut c = ShownCache::default();
        let mut o = String::new();
        for i in 0..(ShownCache::CAP as i64 * 2 + 7) {
            let t = format!("2021-11-05T{:02}:{:02}:{:02}Z", (i / 3600) % 24, (i / 60) % 60, i % 60);
            for _ in 0..2 {
                o.clear();
                c.shown_into(&mut o, &t);
                assert_eq!(o, shown(&t), "{t}");
            }
            assert!(c.answers.len() <= ShownCache::CAP);
        }
        o.clear();
        c.shown_into(&mut o, "not a time");
        assert_eq!(o, "not a time");
    }

    #[test]
    fn shown_is_turkey_time_as_chrono_formats_it() {
        for t in [
            "2021-11-05T09:00:00Z",
            "2021-12-31T21:30:59Z",
            "0999-01-01T00:00:00+03:00",
            "2021-11-05T09:00:00.5+01:00",
        ] {
            let want = DateTime::parse_from_rfc3339(t)
                .unwrap()
                .with_timezone(&chrono_tz::Europe::Istanbul)
                .format("%d.%m.%Y %H:%M")
                .to_string();
            assert_eq!(shown(t), want, "{t}");
        }
        assert_eq!(shown("05.11.2021"), "05.11.2021");
        assert_eq!(shown("2021-11-05T09:00:00Z"), "05.11.2021 12:00");
    }

    #[test]
    fn forms() {
        let now = Utc.with_ymd_and_hms(2021, 12, 1, 0, 0, 0).unwrap();
        let want = Utc.with_ymd_and_hms(2021, 11, 5, 11, 30, 0).unwrap();
        assert_eq!(parse_at("--at", "2021-11-05 14:30", now).unwrap(), want);
        assert_eq!(parse_at("--at", "05.11.2021 14:30", now).unwrap(), want);
        assert_eq!(parse_at("--at", "2021-11-05T11:30:00Z", now).unwrap(), want);
        assert_eq!(
            parse_at("--at", "05 Kasım 2021", now).unwrap(),
            Utc.with_ymd_and_hms(2021, 11, 4, 21, 0, 0).unwrap()
        );
        let e = parse_at("--at", "2022-01-01", now).unwrap_err().to_string();
        assert!(e.starts_with("--at: \"2022-01-01\" is in the future"), "{e}");
        assert!(parse_at("--at", "yarın", now)
            .unwrap_err()
            .to_string()
            .contains("is not a time"));
        assert_eq!(shown("2021-11-05T11:30:00Z"), "05.11.2021 14:30");
    }
}
