//! Ilgi citations ("… 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı.") split into issuer, date, sayı and the rest.
//!
//! A citation is read exactly as printed and never rejected: the parts that cannot be found
//! are `None`, and the whole text stays in `raw`, so an auditor can compare a citation with
//! the document it points to (the seed's Valilik cites the Kurul's letter as 22.10.2021
//! although the letter is dated 12 EKİM 2021).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::lower;
use super::date::parse_date;
use super::sayi::Sayi;

/// One citation as printed, with the parts that could be read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The whole text, trimmed, including any list marker.
    pub raw: String,
    /// The list marker, if the citation started with one: "a)", "1-", "2.".
    pub marker: Option<String>,
    /// The text before the date (or before the sayı when there is no date), as printed,
    /// without a trailing "," or ";": "Kamu Görevlileri Etik Kurulunun",
    /// "İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün", "Kurulumuzun".
    pub issuer: Option<String>,
    /// The date written before "tarih", "tarihli" or "tarihinde".
    pub date: Option<NaiveDate>,
    /// The sayı written before "sayılı", when it parses as one.
    pub sayi: Option<Sayi>,
    /// What the citation names, after "sayılı" (or after the date's "tarihli" when there is
    /// no sayı, or the whole text when there is neither), without a final period:
    /// "yazısı", "genelgesi ve eki (5 sayfa)", "İlke Kararı".
    pub rest: String,
}

/// True when `s` reads like a citation: it has a word starting "tarih" and a word starting
/// "sayılı" (in any case; "sayili" too).
pub fn looks_like_citation(s: &str) -> bool {
    let words = words(s);
    words.iter().any(|w| is_tarih(w.text)) && words.iter().any(|w| is_sayili(w.text))
}

/// Reads a citation: an optional "İlgi:" label and list marker ("a)", "1-"), the issuer,
/// the date before "tarih(li)", the sayı before "sayılı", and the rest. Never fails.
pub fn parse_citation(s: &str) -> Citation {
    let raw = s.trim();
    let (marker, body) = strip_marker(strip_label(raw));
    let words = words(body);

    let tarih = words.iter().position(|w| is_tarih(w.text));
    // The date is the one or three words just before "tarih…".
    let date_at = tarih.and_then(|t| {
        [3usize, 1].iter().find_map(|&n| {
            let first = t.checked_sub(n)?;
            let text = span(body, &words, first, t)?;
            parse_date(text).ok().map(|d| (first, d))
        })
    });
    let sayili = words
        .iter()
        .enumerate()
        .position(|(i, w)| is_sayili(w.text) && date_at.is_none_or(|_| tarih.is_none_or(|t| i > t)));

    let mut issuer_end = date_at.map(|(first, _)| first);
    let mut sayi = None;
    if let Some(k) = sayili {
        match (date_at, tarih) {
            (Some(_), Some(t)) => {
                // Between "tarih…" (and an optional "ve") and "sayılı".
                let mut from = t + 1;
                if words.get(from).is_some_and(|w| lower(w.text) == "ve") {
                    from += 1;
                }
                if from < k {
                    sayi = span(body, &words, from, k).and_then(|text| Sayi::parse(text).ok());
                }
            }
            _ => {
                // No date: the longest run of up to three words before "sayılı" that parses.
                if let Some((first, found)) = (1..=3usize).rev().find_map(|n| {
                    let first = k.checked_sub(n)?;
                    let text = span(body, &words, first, k)?;
                    Sayi::parse(text).ok().map(|sayi| (first, sayi))
                }) {
                    issuer_end = Some(first);
                    sayi = Some(found);
                }
            }
        }
    }

    let issuer = issuer_end
        .and_then(|end| words.get(end))
        .map(|w| {
            body.get(..w.start)
                .unwrap_or("")
                .trim()
                .trim_end_matches([',', ';'])
                .trim_end()
        })
        .filter(|s| !s.is_empty())
        .map(str::to_string);

    let rest_from = match (sayili, date_at, tarih) {
        (Some(k), _, _) if sayi.is_some() || date_at.is_some() => Some(k),
        (_, Some(_), Some(t)) => Some(t),
        _ => None,
    };
    let rest = match rest_from.and_then(|i| words.get(i)) {
        Some(w) => body.get(w.end..).unwrap_or(""),
        None => body,
    };
    let rest = rest.trim().trim_end_matches('.').trim_end().to_string();

    Citation {
        raw: raw.to_string(),
        marker: marker.map(str::to_string),
        issuer,
        date: date_at.map(|(_, d)| d),
        sayi,
        rest,
    }
}

/// A whitespace-separated word and its byte range in the text.
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn words(s: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push(Word {
                    text: &s[st..i],
                    start: st,
                    end: i,
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(Word {
            text: &s[st..],
            start: st,
            end: s.len(),
        });
    }
    out
}

/// The text from word `from` to just before word `to` (as printed, inner whitespace kept).
fn span<'a>(s: &'a str, words: &[Word<'_>], from: usize, to: usize) -> Option<&'a str> {
    if from >= to {
        return None;
    }
    let a = words.get(from)?.start;
    let b = words.get(to - 1)?.end;
    s.get(a..b)
}

/// Lower-case with ı folded to i, for matching keywords whatever the case or keyboard.
fn folded(s: &str) -> String {
    lower(s).replace('ı', "i")
}

fn is_tarih(word: &str) -> bool {
    folded(word).starts_with("tarih")
}

fn is_sayili(word: &str) -> bool {
    folded(word).starts_with("sayili")
}

/// Drops a leading "İlgi:" / "İlgi :" label.
fn strip_label(s: &str) -> &str {
    let Some(first) = words(s).into_iter().next() else {
        return s;
    };
    let label = folded(first.text.trim_end_matches(':'));
    if label != "ilgi" {
        return s;
    }
    let after = s.get(first.end..).unwrap_or("");
    if first.text.ends_with(':') {
        return after.trim_start();
    }
    match after.trim_start().strip_prefix(':') {
        Some(rest) => rest.trim_start(),
        None => s,
    }
}

/// Splits off a list marker: a letter and ")" ("a)", "b) "), or up to three digits and ")",
/// or digits and "-" or "." followed by whitespace ("1- ", "2. ").
fn strip_marker(s: &str) -> (Option<&str>, &str) {
    let mut chars = s.char_indices();
    let Some((_, first)) = chars.next() else {
        return (None, s);
    };
    let marker_end = if first.is_alphabetic() {
        match chars.next() {
            Some((i, ')')) => Some(i + 1),
            _ => None,
        }
    } else if first.is_ascii_digit() {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let after = s.get(digits..).unwrap_or("");
        let next = after.chars().nth(1);
        match after.chars().next() {
            _ if digits > 3 => None,
            Some(')') => Some(digits + 1),
            Some('-' | '.') if next.is_some_and(char::is_whitespace) => Some(digits + 1),
            _ => None,
        }
    } else {
        None
    };
    match marker_end.and_then(|end| Some((s.get(..end)?, s.get(end..)?))) {
        Some((marker, rest)) => (Some(marker), rest.trim_start()),
        None => (None, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn sayi(s: &str) -> Option<Sayi> {
        Sayi::parse(s).ok()
    }

    #[test]
    fn kurul_letter_as_cited_by_the_valilik() {
        let s = "Kamu Görevlileri Etik Kurulunun 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı.";
        assert_eq!(
            parse_citation(s),
            Citation {
                raw: s.into(),
                marker: None,
                issuer: Some("Kamu Görevlileri Etik Kurulunun".into()),
                date: ymd(2021, 10, 22),
                sayi: sayi("25346381.010.06-53064"),
                rest: "yazısı".into(),
            }
        );
    }

    #[test]
    fn the_ilgi_label_is_dropped_but_kept_in_raw() {
        let s = "İlgi : Kamu Görevlileri Etik Kurulunun 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı.";
        let c = parse_citation(s);
        assert_eq!(c.raw, s);
        assert_eq!(c.issuer.as_deref(), Some("Kamu Görevlileri Etik Kurulunun"));
        assert_eq!(
            parse_citation("İlgi: a) X'in 1.2.2021 tarihli yazısı")
                .marker
                .as_deref(),
            Some("a)")
        );
    }

    #[test]
    fn valilik_genelge_as_cited_by_iesob_with_marker() {
        let s = "1- İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün; 02.11.2021 tarih ve 122254 sayılı genelgesi ve eki (5 sayfa)";
        let c = parse_citation(s);
        assert_eq!(
            c,
            Citation {
                raw: s.into(),
                marker: Some("1-".into()),
                issuer: Some("İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün".into()),
                date: ymd(2021, 11, 2),
                sayi: sayi("122254"),
                rest: "genelgesi ve eki (5 sayfa)".into(),
            }
        );
        let target = Sayi::parse("E-85840981-167.01-122254").ok();
        assert!(c.sayi.zip(target).is_some_and(|(a, b)| a.matches(&b)));
    }

    #[test]
    fn ilke_karari_with_year_number() {
        let c = parse_citation("Kurulumuzun 20.09.2021 tarihli ve 2021/81 sayılı İlke Kararı");
        assert_eq!(c.issuer.as_deref(), Some("Kurulumuzun"));
        assert_eq!(c.date, ymd(2021, 9, 20));
        assert_eq!(
            c.sayi.map(|s| s.form),
            Some(super::super::SayiForm::YearNumber { year: 2021, number: 81 })
        );
        assert_eq!(c.rest, "İlke Kararı");
    }

    #[test]
    fn date_in_words_and_lettered_marker() {
        let c = parse_citation("a) Valiliğin 05 Kasım 2021 tarihli ve E-85840981-167.01-122254 sayılı yazısı.");
        assert_eq!(c.marker.as_deref(), Some("a)"));
        assert_eq!(c.issuer.as_deref(), Some("Valiliğin"));
        assert_eq!(c.date, ymd(2021, 11, 5));
        assert_eq!(c.sayi.map(|s| s.key()), Some("E-85840981-167.01-122254".into()));
        assert_eq!(c.rest, "yazısı");

        let c = parse_citation("b)Birliğin 12 EKİM 2021 tarihli, 4516 sayılı tamimi");
        assert_eq!(c.marker.as_deref(), Some("b)"));
        assert_eq!(c.date, ymd(2021, 10, 12));
        assert_eq!(c.sayi.map(|s| s.number()), Some(4516));
        assert_eq!(c.rest, "tamimi");
    }

    #[test]
    fn stray_space_inside_the_sayi() {
        let c = parse_citation("Kurulun 12.10.2021 tarihli ve 25346381.010.06/ 53064 sayılı yazısı");
        assert_eq!(c.sayi.as_ref().map(|s| s.raw.as_str()), Some("25346381.010.06/ 53064"));
        assert_eq!(c.sayi.map(|s| s.key()), Some("25346381.010.06/53064".into()));
    }

    #[test]
    fn neither_date_nor_sayi() {
        let c = parse_citation("Valiliğin yazısı.");
        assert_eq!(
            c,
            Citation {
                raw: "Valiliğin yazısı.".into(),
                marker: None,
                issuer: None,
                date: None,
                sayi: None,
                rest: "Valiliğin yazısı".into(),
            }
        );
        assert_eq!(parse_citation("").rest, "");
        assert_eq!(parse_citation("   ").raw, "");
    }

    #[test]
    fn sayi_without_date() {
        let c = parse_citation("5176 sayılı Kanun");
        assert_eq!(
            (c.issuer, c.date, c.sayi.map(|s| s.number()), c.rest.as_str()),
            (None, None, Some(5176), "Kanun")
        );
        let c = parse_citation("Kurulumuzun 2021/81 sayılı İlke Kararı");
        assert_eq!(c.issuer.as_deref(), Some("Kurulumuzun"));
        assert_eq!(c.sayi.map(|s| s.key()), Some("2021/81".into()));
    }

    #[test]
    fn date_without_sayi_and_unreadable_parts() {
        let c = parse_citation("Bakanlığın 30/04/2021 tarihli yazısı");
        assert_eq!(
            (c.issuer.as_deref(), c.date, c.sayi.is_none(), c.rest.as_str()),
            (Some("Bakanlığın"), ymd(2021, 4, 30), true, "yazısı")
        );
        // An impossible date and an unreadable sayı are None, not errors.
        let c = parse_citation("Kurulun 31.02.2021 tarihli ve abc sayılı yazısı");
        assert_eq!((c.date, c.sayi.is_none()), (None, true));
        assert_eq!(c.rest, "Kurulun 31.02.2021 tarihli ve abc sayılı yazısı");
    }

    #[test]
    fn the_resmi_gazete_reference_in_the_seed() {
        let c = parse_citation("30/04/2021 tarih ve 31470 sayılı Resmî Gazete");
        assert_eq!(
            (c.issuer, c.date, c.sayi.map(|s| s.number())),
            (None, ymd(2021, 4, 30), Some(31470))
        );
        assert_eq!(c.rest, "Resmî Gazete");
    }

    #[test]
    fn markers_are_not_confused_with_dates_or_numbers() {
        assert_eq!(parse_citation("02.11.2021 tarihli yazı").marker, None);
        assert_eq!(parse_citation("02.11.2021 tarihli yazı").date, ymd(2021, 11, 2));
        assert_eq!(parse_citation("2021/81 sayılı karar").marker, None);
        assert_eq!(parse_citation("2. Valiliğin yazısı").marker.as_deref(), Some("2."));
        assert_eq!(parse_citation("12) Valiliğin yazısı").marker.as_deref(), Some("12)"));
        assert_eq!(parse_citation("1-2 sayfa").marker, None);
        assert_eq!(parse_citation("ç) Yazı").marker.as_deref(), Some("ç)"));
    }

    #[test]
    fn looks_like() {
        assert!(looks_like_citation("Kurulun 22.10.2021 tarihli ve 1 sayılı yazısı"));
        assert!(looks_like_citation("KURULUN 22.10.2021 TARİHLİ VE 1 SAYILI YAZISI"));
        assert!(looks_like_citation("Kurulun 22.10.2021 tarihli ve 1 sayili yazisi"));
        assert!(!looks_like_citation("Sosyal Medya Etik İlkeleri hk."));
        assert!(!looks_like_citation("5176 sayılı Kanun"));
        assert!(!looks_like_citation(""));
    }

    #[test]
    fn never_panics_on_odd_text() {
        for s in [
            "tarihli",
            "sayılı",
            "tarih sayılı",
            "a)",
            "1-",
            "1- ",
            "ç",
            "İlgi:",
            "İlgi :",
            "\u{0}) tarih",
            "٣) x",
            "sayılı tarihli 1.1.2021",
        ] {
            let c = parse_citation(s);
            assert_eq!(c.raw, s.trim());
        }
    }
}
