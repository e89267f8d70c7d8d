//! A document's number (sayı) as its issuer printed it, with its parts parsed when the form is known.
//!
//! Forms: plain (`4516`), prefix and number (`25346381.010.06/53064`, also with `-` or a stray
//! space: `25346381.010.06/ 53064`), e-Yazışma (`E-85840981-167.01-122254`: DETSİS number,
//! file-plan (SDP) code, record number) and year/number (`2021/81`, as in Karar No and Tamim No).
//! The printed text is always kept; [`Sayi::key`] is what two spellings are matched on.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::case::upper;

/// A sayı: the text as printed (trimmed) and its parsed form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sayi {
    /// Exactly as given, minus surrounding whitespace.
    pub raw: String,
    pub form: SayiForm,
}

/// The parts of a sayı, by form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SayiForm {
    /// `4516`: a number only (chambers of trade).
    Plain { number: u64 },
    /// `25346381.010.06/53064`: an institution/file prefix, then `/` or `-`, then the number.
    /// The prefix is kept without whitespace, otherwise as printed (it may hold letters, as
    /// in old `B.05.0.…` numbers).
    Dotted { prefix: String, number: u64 },
    /// `E-85840981-167.01-122254`: `E-`, the issuer's DETSİS number, the SDP file-plan code,
    /// the registration number.
    EYazisma { detsis: String, sdp: String, number: u64 },
    /// `2021/81`: a year and a number counted within it (Karar No, Tamim No).
    YearNumber { year: i32, number: u64 },
}

/// The name of a form without its parts, to ask for a sayı in that form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SayiFormKind {
    Plain,
    Dotted,
    EYazisma,
    YearNumber,
}

impl SayiFormKind {
    /// The form named on the command line: `plain`, `dotted`, `eyazisma`, `year`.
    pub fn parse(s: &str) -> Option<SayiFormKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plain" => Some(SayiFormKind::Plain),
            "dotted" | "prefixed" => Some(SayiFormKind::Dotted),
            "eyazisma" | "e-yazisma" | "e-yazışma" => Some(SayiFormKind::EYazisma),
            "year" | "year-number" => Some(SayiFormKind::YearNumber),
            _ => None,
        }
    }

    /// The form's name with its article, as used in messages ("an e-Yazışma").
    fn with_article(self) -> &'static str {
        match self {
            SayiFormKind::Plain => "a plain",
            SayiFormKind::Dotted => "a prefixed",
            SayiFormKind::EYazisma => "an e-Yazışma",
            SayiFormKind::YearNumber => "a year/number",
        }
    }

    /// The shape the form must have, as used in messages.
    fn expected(self) -> &'static str {
        match self {
            SayiFormKind::Plain => "digits only, e.g. 4516",
            SayiFormKind::Dotted => "<prefix>/<number> or <prefix>-<number>, e.g. 25346381.010.06/53064",
            SayiFormKind::EYazisma => "E-<DETSİS>-<SDP code>-<number>",
            SayiFormKind::YearNumber => "<year>/<number>, e.g. 2021/81",
        }
    }
}

impl fmt::Display for SayiFormKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SayiFormKind::Plain => "plain",
            SayiFormKind::Dotted => "prefixed",
            SayiFormKind::EYazisma => "e-Yazışma",
            SayiFormKind::YearNumber => "year/number",
        })
    }
}

/// Why a text is not a sayı (or not one of the form asked for).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SayiError {
    #[error("no sayı given: the text is empty")]
    Empty,
    #[error(
        "{raw} is not a sayı: expected a number (4516), a prefixed number (25346381.010.06/53064), an e-Yazışma number (E-85840981-167.01-122254) or a year/number (2021/81)"
    )]
    Unrecognised { raw: String },
    #[error("{raw} is not {} sayı: expected {}", .kind.with_article(), .kind.expected())]
    NotInForm { raw: String, kind: SayiFormKind },
    #[error("{raw} is not a sayı: its number {digits} is too large")]
    NumberTooLarge { raw: String, digits: String },
}

impl Sayi {
    /// Parses a printed sayı, detecting its form. An `E-` followed by a digit is always read
    /// as e-Yazışma (and fails as such when malformed); `YYYY/N` with a year 1900–2199 is
    /// year/number; a number alone is plain; otherwise `<prefix>/<number>` or
    /// `<prefix>-<number>`. Whitespace inside is ignored for parsing and kept in `raw`.
    pub fn parse(raw: &str) -> Result<Sayi, SayiError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(SayiError::Empty);
        }
        if splits_words(trimmed) {
            return Err(SayiError::Unrecognised {
                raw: trimmed.to_string(),
            });
        }
        let compact = compact(trimmed);
        let kind = if is_eyazisma_like(&compact) {
            SayiFormKind::EYazisma
        } else if is_digits(&compact) {
            SayiFormKind::Plain
        } else if parse_year_number(&compact).is_some() {
            SayiFormKind::YearNumber
        } else if parse_dotted(&compact).is_some() {
            SayiFormKind::Dotted
        } else {
            return Err(SayiError::Unrecognised {
                raw: trimmed.to_string(),
            });
        };
        Sayi::parse_as(trimmed, kind)
    }

    /// Parses a printed sayı that is claimed to be in form `kind`; fails naming the form and
    /// its expected shape when it is not. (Any `YYYY/N` is also a valid prefixed sayı, and
    /// `YYYY-N` a valid year/number.)
    pub fn parse_as(raw: &str, kind: SayiFormKind) -> Result<Sayi, SayiError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(SayiError::Empty);
        }
        let not_in_form = || SayiError::NotInForm {
            raw: trimmed.to_string(),
            kind,
        };
        if splits_words(trimmed) {
            return Err(not_in_form());
        }
        let compact = compact(trimmed);
        let number = |digits: &str| {
            digits.parse::<u64>().map_err(|_| SayiError::NumberTooLarge {
                raw: trimmed.to_string(),
                digits: digits.to_string(),
            })
        };
        let form = match kind {
            SayiFormKind::Plain => {
                if !is_digits(&compact) {
                    return Err(not_in_form());
                }
                SayiForm::Plain {
                    number: number(&compact)?,
                }
            }
            SayiFormKind::Dotted => {
                let (prefix, digits) = parse_dotted(&compact).ok_or_else(not_in_form)?;
                SayiForm::Dotted {
                    prefix: prefix.to_string(),
                    number: number(digits)?,
                }
            }
            SayiFormKind::EYazisma => {
                let (detsis, sdp, digits) = parse_eyazisma(&compact).ok_or_else(not_in_form)?;
                SayiForm::EYazisma {
                    detsis: detsis.to_string(),
                    sdp: sdp.to_string(),
                    number: number(digits)?,
                }
            }
            SayiFormKind::YearNumber => {
                let (year, digits) = compact
                    .split_once('/')
                    .or_else(|| compact.split_once('-'))
                    .filter(|(y, n)| y.len() == 4 && is_digits(y) && is_digits(n))
                    .ok_or_else(not_in_form)?;
                let year = year.parse::<i32>().map_err(|_| not_in_form())?;
                SayiForm::YearNumber {
                    year,
                    number: number(digits)?,
                }
            }
        };
        Ok(Sayi {
            raw: trimmed.to_string(),
            form,
        })
    }

    /// The form this sayı was parsed in.
    pub fn kind(&self) -> SayiFormKind {
        match self.form {
            SayiForm::Plain { .. } => SayiFormKind::Plain,
            SayiForm::Dotted { .. } => SayiFormKind::Dotted,
            SayiForm::EYazisma { .. } => SayiFormKind::EYazisma,
            SayiForm::YearNumber { .. } => SayiFormKind::YearNumber,
        }
    }

    /// The running number: 4516, 53064, 122254, 81.
    pub fn number(&self) -> u64 {
        match self.form {
            SayiForm::Plain { number }
            | SayiForm::Dotted { number, .. }
            | SayiForm::EYazisma { number, .. }
            | SayiForm::YearNumber { number, .. } => number,
        }
    }

    /// A normalised key for matching: no whitespace, `/` between prefix and number, leading
    /// zeros of the number dropped, letters upper-cased the Turkish way. So
    /// `25346381.010.06/53064`, `25346381.010.06-53064` and `25346381.010.06/ 53064` all have
    /// the key `25346381.010.06/53064`; `e-85840981-167.01-122254` has `E-85840981-167.01-122254`.
    pub fn key(&self) -> String {
        match &self.form {
            SayiForm::Plain { number } => number.to_string(),
            SayiForm::Dotted { prefix, number } => format!("{}/{number}", upper(prefix)),
            SayiForm::EYazisma { detsis, sdp, number } => format!("E-{detsis}-{sdp}-{number}"),
            SayiForm::YearNumber { year, number } => format!("{year}/{number}"),
        }
    }

    /// Whether two printed sayılar name the same document number: their keys are equal, or
    /// one of them is a plain number equal to the other's running number — the way a
    /// citation often shortens `E-85840981-167.01-122254` to `122254`. (A plain number alone
    /// cannot tell issuers apart: compare dates or issuers as well.)
    pub fn matches(&self, other: &Sayi) -> bool {
        if self.key() == other.key() {
            return true;
        }
        let plain = |s: &Sayi| matches!(s.form, SayiForm::Plain { .. });
        (plain(self) || plain(other)) && self.number() == other.number()
    }
}

impl fmt::Display for Sayi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl std::str::FromStr for Sayi {
    type Err = SayiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sayi::parse(s)
    }
}

/// Whether whitespace stands between two letters or digits ("12 34", "Kurulun 2021/81"):
/// whitespace is tolerated only next to a separator ("25346381.010.06/ 53064").
fn splits_words(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut last_non_space: Option<char> = None;
    let mut saw_space = false;
    for c in chars {
        if c.is_whitespace() {
            saw_space = true;
            continue;
        }
        if saw_space && c.is_alphanumeric() && last_non_space.is_some_and(char::is_alphanumeric) {
            return true;
        }
        saw_space = false;
        last_non_space = Some(c);
    }
    false
}

/// Drops whitespace and turns typographic dashes (‐ ‑ ‒ – — −) into `-`.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        })
        .collect()
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `E-` or `e-` followed by a digit: the author meant an e-Yazışma number.
fn is_eyazisma_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 2 && (b[0] == b'E' || b[0] == b'e') && b[1] == b'-' && b[2].is_ascii_digit()
}

/// `E-<digits>-<SDP>-<digits>`, SDP being digit groups joined by dots (`167.01`, `010.06.01`).
fn parse_eyazisma(s: &str) -> Option<(&str, &str, &str)> {
    let rest = s.strip_prefix("E-").or_else(|| s.strip_prefix("e-"))?;
    let mut parts = rest.split('-');
    let (detsis, sdp, number) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_digits(detsis) || !is_digits(number) {
        return None;
    }
    if !sdp.split('.').all(is_digits) {
        return None;
    }
    Some((detsis, sdp, number))
}

/// `YYYY/N` with a plausible year (1900–2199).
fn parse_year_number(s: &str) -> Option<(i32, &str)> {
    let (y, n) = s.split_once('/')?;
    if y.len() != 4 || !is_digits(y) || !is_digits(n) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    (1900..=2199).contains(&year).then_some((year, n))
}

/// `<prefix>/<number>` (split at the last `/`), else `<prefix>-<number>` (split at the last
/// `-`). The prefix is letters, digits, `.` and `-`, holds a digit, and does not start or end
/// with a separator.
fn parse_dotted(s: &str) -> Option<(&str, &str)> {
    let (prefix, number) = s.rsplit_once('/').or_else(|| s.rsplit_once('-'))?;
    let ok_prefix = !prefix.is_empty()
        && prefix.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && prefix.chars().any(|c| c.is_ascii_digit())
        && !prefix.starts_with(['.', '-'])
        && !prefix.ends_with(['.', '-']);
    (ok_prefix && is_digits(number)).then_some((prefix, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Sayi {
        match Sayi::parse(s) {
            Ok(sayi) => sayi,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn err(s: &str) -> String {
        match Sayi::parse(s) {
            Ok(sayi) => format!("parsed as {sayi:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn err_as(s: &str, kind: SayiFormKind) -> String {
        match Sayi::parse_as(s, kind) {
            Ok(sayi) => format!("parsed as {sayi:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn dotted(prefix: &str, number: u64) -> SayiForm {
        SayiForm::Dotted {
            prefix: prefix.into(),
            number,
        }
    }

    #[test]
    fn detects_each_form() {
        assert_eq!(parse("4516").form, SayiForm::Plain { number: 4516 });
        assert_eq!(parse("25346381.010.06/53064").form, dotted("25346381.010.06", 53064));
        assert_eq!(parse("25346381.010.06-53064").form, dotted("25346381.010.06", 53064));
        assert_eq!(parse("25346381.010.06/ 53064").form, dotted("25346381.010.06", 53064));
        assert_eq!(
            parse("E-85840981-167.01-122254").form,
            SayiForm::EYazisma {
                detsis: "85840981".into(),
                sdp: "167.01".into(),
                number: 122254
            }
        );
        assert_eq!(parse("2021/81").form, SayiForm::YearNumber { year: 2021, number: 81 });
        assert_eq!(
            parse("2021/243").form,
            SayiForm::YearNumber {
                year: 2021,
                number: 243
            }
        );
    }

    #[test]
    fn less_common_spellings() {
        assert_eq!(parse("  4516\n").raw, "4516");
        assert_eq!(parse("04516").form, SayiForm::Plain { number: 4516 });
        assert_eq!(
            parse("E - 85840981 - 167.01 - 122254").form,
            SayiForm::EYazisma {
                detsis: "85840981".into(),
                sdp: "167.01".into(),
                number: 122254
            }
        );
        assert_eq!(
            parse("e-85840981-010.06.01-7").form,
            SayiForm::EYazisma {
                detsis: "85840981".into(),
                sdp: "010.06.01".into(),
                number: 7
            }
        );
        assert_eq!(parse("25346381.010.06–53064").form, dotted("25346381.010.06", 53064));
        assert_eq!(
            parse("B.05.0.İÇİ.0.71-010.06/1234").form,
            dotted("B.05.0.İÇİ.0.71-010.06", 1234)
        );
        // Not a plausible year: a prefix and a number.
        assert_eq!(parse("4516/12").form, dotted("4516", 12));
        // With '-', a year-like prefix is read as a prefix, not as year/number.
        assert_eq!(parse("2021-81").form, dotted("2021", 81));
    }

    #[test]
    fn raw_is_kept_as_printed() {
        let s = parse(" 25346381.010.06/ 53064 ");
        assert_eq!(s.raw, "25346381.010.06/ 53064");
        assert_eq!(s.to_string(), "25346381.010.06/ 53064");
        assert_eq!(s.key(), "25346381.010.06/53064");
        assert_eq!(s.number(), 53064);
        assert_eq!(s.kind(), SayiFormKind::Dotted);
    }

    #[test]
    fn keys() {
        assert_eq!(parse("4516").key(), "4516");
        assert_eq!(parse("004516").key(), "4516");
        assert_eq!(parse("25346381.010.06-53064").key(), "25346381.010.06/53064");
        assert_eq!(parse("e-85840981-167.01-122254").key(), "E-85840981-167.01-122254");
        assert_eq!(parse("2021/81").key(), "2021/81");
        assert_eq!(parse("b.05.0.içi/12").key(), "B.05.0.İÇİ/12");
    }

    #[test]
    fn matching() {
        let slash = parse("25346381.010.06/53064");
        let dash = parse("25346381.010.06-53064");
        let stray = parse("25346381.010.06/ 53064");
        assert!(slash.matches(&dash) && dash.matches(&stray) && stray.matches(&slash));
        assert_ne!(slash, dash);

        let e = parse("E-85840981-167.01-122254");
        assert!(e.matches(&parse("122254")));
        assert!(parse("122254").matches(&e));
        assert!(!e.matches(&parse("E-85840981-167.01-122255")));
        assert!(!e.matches(&parse("E-85840982-167.01-122254")));
        assert!(!slash.matches(&parse("25346381.010.07/53064")));
        assert!(!slash.matches(&e));
        assert!(!parse("2021/81").matches(&parse("2020/81")));
        assert!(parse("4516").matches(&parse("4516")));
        assert!(!parse("4516").matches(&parse("4517")));
    }

    #[test]
    fn parse_as_checks_the_claimed_form() {
        assert_eq!(
            Sayi::parse_as("2021/81", SayiFormKind::Dotted).map(|s| s.form),
            Ok(dotted("2021", 81))
        );
        assert_eq!(
            Sayi::parse_as("2021-243", SayiFormKind::YearNumber).map(|s| s.form),
            Ok(SayiForm::YearNumber {
                year: 2021,
                number: 243
            })
        );
        assert_eq!(
            err_as("E-85840981-167.01", SayiFormKind::EYazisma),
            "E-85840981-167.01 is not an e-Yazışma sayı: expected E-<DETSİS>-<SDP code>-<number>"
        );
        assert_eq!(
            err_as("25346381.010.06/53064", SayiFormKind::EYazisma),
            "25346381.010.06/53064 is not an e-Yazışma sayı: expected E-<DETSİS>-<SDP code>-<number>"
        );
        assert_eq!(
            err_as("2021/81", SayiFormKind::Plain),
            "2021/81 is not a plain sayı: expected digits only, e.g. 4516"
        );
        assert_eq!(
            err_as("4516", SayiFormKind::Dotted),
            "4516 is not a prefixed sayı: expected <prefix>/<number> or <prefix>-<number>, e.g. 25346381.010.06/53064"
        );
        assert_eq!(
            err_as("21/81", SayiFormKind::YearNumber),
            "21/81 is not a year/number sayı: expected <year>/<number>, e.g. 2021/81"
        );
        assert_eq!(
            err_as("45 16", SayiFormKind::Plain),
            "45 16 is not a plain sayı: expected digits only, e.g. 4516"
        );
        assert_eq!(err_as("  ", SayiFormKind::Plain), "no sayı given: the text is empty");
    }

    #[test]
    fn malformed_e_yazisma_fails_as_e_yazisma() {
        let expected = "is not an e-Yazışma sayı: expected E-<DETSİS>-<SDP code>-<number>";
        for s in [
            "E-85840981-167.01",
            "E-85840981-167.01-",
            "E-85840981-167..01-5",
            "E-8584A981-167.01-5",
            "E-1-2-3-4",
        ] {
            assert_eq!(err(s), format!("{s} {expected}"));
        }
    }

    #[test]
    fn rejects_non_numbers() {
        let expected = "is not a sayı: expected a number (4516), a prefixed number (25346381.010.06/53064), an e-Yazışma number (E-85840981-167.01-122254) or a year/number (2021/81)";
        for s in [
            "12 34",
            "Kurulumuzun 2021/81",
            "E-85840981 167.01-1",
            "abc",
            "hk.",
            "/53064",
            "25346381.010.06/",
            "25346381.010.06/5306a",
            ".010.06/1",
            "-5",
            "5-",
            "E-",
            "Sayı: 4516",
            "١٢٣",
        ] {
            assert_eq!(err(s), format!("{s} {expected}"), "{s:?}");
        }
        assert_eq!(err(""), "no sayı given: the text is empty");
        assert_eq!(Sayi::parse(" \t"), Err(SayiError::Empty));
    }

    #[test]
    fn too_large_numbers_are_errors_not_panics() {
        assert_eq!(
            err("99999999999999999999999"),
            "99999999999999999999999 is not a sayı: its number 99999999999999999999999 is too large"
        );
        assert_eq!(
            Sayi::parse("1.2/99999999999999999999999"),
            Err(SayiError::NumberTooLarge {
                raw: "1.2/99999999999999999999999".into(),
                digits: "99999999999999999999999".into()
            })
        );
        assert_eq!(parse("18446744073709551615").number(), u64::MAX);
    }

    #[test]
    fn serde_round_trip() {
        for s in ["4516", "25346381.010.06/ 53064", "E-85840981-167.01-122254", "2021/81"] {
            let sayi = parse(s);
            let json = serde_json::to_string(&sayi).expect("serialises");
            let back: Sayi = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, sayi);
        }
        assert_eq!(
            serde_json::to_string(&parse("E-85840981-167.01-122254")).expect("serialises"),
            r#"{"raw":"E-85840981-167.01-122254","form":{"kind":"e_yazisma","detsis":"85840981","sdp":"167.01","number":122254}}"#
        );
    }
}
