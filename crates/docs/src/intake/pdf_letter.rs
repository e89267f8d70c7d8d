//! An official letter's fields read from its text layer: heading, sayı, tarih, konu, muhatap, ilgi, ek, dağıtım, signatories, verification and contact lines.
//!
//! Each field is found by its label or its place in the layout the 2020 regulation prescribes
//! (see domain.md), and carries how sure the reading is. A field that is not found stays
//! `None` and is named in [`LetterFields::missing`]: nothing is guessed.

use chrono::NaiveDate;
use serde::Serialize;

use super::text::{Line, PageText, TextLayer};
use tamim_core::turkish::{self, Sayi};

/// How sure a reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Found by its place alone, or its value did not parse fully.
    Low,
    /// Found by its place and its value reads as expected, or by label with a quirk.
    Medium,
    /// Found by its label and its value parses.
    High,
}

impl Confidence {
    pub fn word(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// A value found, how sure, and the line it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found<T> {
    pub value: T,
    pub confidence: Confidence,
    /// The page (1-based) the value was read on.
    pub page: usize,
}

fn found<T>(value: T, confidence: Confidence, page: usize) -> Option<Found<T>> {
    Some(Found {
        value,
        confidence,
        page,
    })
}

/// An ilgi line with the parts it cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundIlgi {
    pub text: String,
    pub marker: Option<String>,
    pub date: Option<NaiveDate>,
    pub sayi: Option<String>,
}

/// An ek line and the page count it states.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundEk {
    pub text: String,
    pub pages: Option<i64>,
}

/// A signatory: name, title lines, and the delegation (`Vali a.`) when printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signatory {
    pub name: String,
    pub title: String,
    pub on_behalf: Option<String>,
}

/// Everything read from one letter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LetterFields {
    pub pages: usize,
    /// Pages of the letter itself (1 to the page with the signature, ek and dağıtım).
    pub letter_pages: usize,
    pub heading: Option<Found<Vec<String>>>,
    pub administration: Option<Found<String>>,
    pub unit: Option<Found<String>>,
    pub sayi: Option<Found<String>>,
    pub tarih: Option<Found<NaiveDate>>,
    /// The date as printed.
    pub tarih_text: Option<String>,
    pub kind_no: Option<Found<String>>,
    /// The document kind its number's label names: `Tamim No` → `tamim`, `Karar No` → `karar`, `Genelge No` → `genelge`.
    pub kind: Option<Found<tamim_core::DocumentKind>>,
    pub konu: Option<Found<String>>,
    pub muhatap: Option<Found<String>>,
    pub ilgi: Vec<Found<FoundIlgi>>,
    pub ek: Vec<Found<FoundEk>>,
    pub gereği: Vec<String>,
    pub bilgi: Vec<String>,
    pub signatories: Vec<Found<Signatory>>,
    pub verification_code: Option<Found<String>>,
    pub verification_address: Option<Found<String>>,
    pub contact: Vec<String>,
    /// Names of the fields not found.
    pub missing: Vec<&'static str>,
}

fn label<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let lower = turkish::lower(line);
    for l in labels {
        if let Some(rest) = lower.strip_prefix(l) {
            let rest = rest.trim_start();
            if rest.starts_with(':') {
                // Labels hold no colon, so the first colon of the original ends the label.
                let at = line.find(':')?;
                return line.get(at + 1..).map(str::trim);
            }
        }
    }
    None
}

fn is_upper_line(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase())
}

fn first_cell(s: &str) -> &str {
    s.split('\t').next().unwrap_or(s).trim()
}

fn is_footer(s: &str) -> bool {
    let l = turkish::lower(s);
    l.starts_with("bu belge") || l.starts_with("doğrulama") || l.contains("güvenli elektronik imza")
}

/// Reads the fields of the letter starting on page 1.
pub fn parse_letter(layer: &TextLayer) -> LetterFields {
    let mut f = LetterFields {
        pages: layer.pages,
        ..Default::default()
    };
    let Some(first) = layer.read.first() else {
        f.missing = missing(&f);
        return f;
    };
    let lines: Vec<&Line> = first.lines.iter().filter(|l| !is_stamp(&l.text)).collect();
    let sayi_at = lines.iter().position(|l| label(&l.text, &["sayı", "sayi"]).is_some());
    heading(&mut f, &lines, sayi_at);
    top_fields(&mut f, &lines, sayi_at);
    ilgi(&mut f, &lines);
    // The letter ends on the first page that carries its closing blocks.
    let last = layer
        .read
        .iter()
        .position(|p| p.lines.iter().any(|l| is_closing_label(&l.text)))
        .unwrap_or(0);
    f.letter_pages = last + 1;
    if let Some(page) = layer.read.get(last) {
        closing(&mut f, page, last + 1);
    }
    f.missing = missing(&f);
    f
}

/// Text from the receiving office's stamp (ours or another's) is not part of the letter.
fn is_stamp(s: &str) -> bool {
    let l = turkish::lower(s);
    l.contains("kayıt no") || l.contains("geldiği tarih")
}

fn is_closing_label(s: &str) -> bool {
    label(s, &["dağıtım", "ek", "eki", "ekler", "ekleri"]).is_some()
}

fn heading(f: &mut LetterFields, lines: &[&Line], sayi_at: Option<usize>) {
    // The heading ends at the first labelled line (Sayı, Karar No, Konu …) and is short.
    let labelled = lines
        .iter()
        .position(|l| first_cell(&l.text).contains(':') && !first_cell(&l.text).ends_with(':'));
    let end = [sayi_at, labelled]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(lines.len())
        .min(6);
    let head: Vec<String> = lines[..end]
        .iter()
        .map(|l| first_cell(&l.text).to_string())
        .filter(|t| {
            !t.is_empty()
                && !matches!(
                    turkish::upper(t).as_str(),
                    "DAĞITIMLI" | "ACELE" | "GÜNLÜDÜR" | "HİZMETE ÖZEL" | "GİZLİ" | "ÇOK GİZLİ"
                )
        })
        .filter(|t| turkish::parse_date(t).is_err())
        .collect();
    if head.is_empty() {
        return;
    }
    let tc = head.iter().position(|h| h.replace(' ', "") == "T.C.");
    // Without "T.C." or a Sayı line below, the top lines are not known to be a heading.
    if tc.is_none() && sayi_at.is_none() {
        return;
    }
    let conf = if tc.is_some() && sayi_at.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let rest: Vec<&String> = head.iter().skip(tc.map_or(0, |i| i + 1)).collect();
    let admin: Vec<&str> = rest
        .iter()
        .take_while(|h| is_upper_line(h) && !h.contains(':'))
        .map(|s| s.as_str())
        .collect();
    if !admin.is_empty() {
        f.administration = found(admin.join(" "), conf, 1);
        let unit: Vec<&str> = rest.iter().skip(admin.len()).map(|s| s.as_str()).collect();
        if !unit.is_empty() {
            f.unit = found(unit.join(" "), conf, 1);
        }
    }
    f.heading = found(head, conf, 1);
}

fn top_fields(f: &mut LetterFields, lines: &[&Line], sayi_at: Option<usize>) {
    if let Some(i) = sayi_at {
        let line = &lines[i].text;
        let value = label(line, &["sayı", "sayi"]).unwrap_or("");
        let mut cells = value.split('\t').map(str::trim);
        let raw = cells.next().unwrap_or("").to_string();
        if !raw.is_empty() {
            let c = if Sayi::parse(&raw).is_ok() {
                Confidence::High
            } else {
                Confidence::Low
            };
            f.sayi = found(raw, c, 1);
        }
        if let Some(d) = cells.find_map(|c| turkish::parse_date(c).ok().map(|d| (d, c.to_string()))) {
            f.tarih = found(d.0, Confidence::High, 1);
            f.tarih_text = Some(d.1);
        }
    }
    let konu_limit = lines.len();
    for (i, l) in lines.iter().enumerate().take(konu_limit) {
        let t = &l.text;
        if f.tarih.is_none() {
            if let Some(v) = label(t, &["tarih", "tarihi"]) {
                if let Ok(d) = turkish::parse_date(first_cell(v)) {
                    f.tarih = found(d, Confidence::High, 1);
                    f.tarih_text = Some(first_cell(v).to_string());
                }
            }
        }
        if f.kind_no.is_none() {
            for kind in tamim_core::kind::ALL {
                if let Some(v) = label(t, kind.number_labels()).filter(|v| !v.is_empty()) {
                    f.kind_no = found(first_cell(v).to_string(), Confidence::High, 1);
                    f.kind = found(kind, Confidence::High, 1);
                    break;
                }
            }
        }
        if f.konu.is_none() {
            if let Some(v) = label(t, &["konu"]) {
                let mut konu = first_cell(v).to_string();
                // A konu that wraps continues indented under its first word.
                for next in lines.iter().skip(i + 1).take(2) {
                    if next.x > l.x + 20.0
                        && !is_upper_line(&next.text)
                        && label(&next.text, &["ilgi"]).is_none()
                        && (next.y - l.y).abs() < 2.0 * l.size
                    {
                        konu.push(' ');
                        konu.push_str(first_cell(&next.text));
                    } else {
                        break;
                    }
                }
                if !konu.is_empty() {
                    f.konu = found(konu, Confidence::High, 1);
                }
                // The muhatap: the next line in capitals, before the ilgi and the body.
                for next in lines.iter().skip(i + 1).take(6) {
                    let text = first_cell(&next.text);
                    if label(text, &["ilgi"]).is_some() {
                        break;
                    }
                    let upper = is_upper_line(text);
                    if upper || text.starts_with("Sayın ") {
                        let u = turkish::upper(text);
                        let dative = ["NA", "NE", "YA", "YE", "A", "E"].iter().any(|s| u.ends_with(s))
                            || text.starts_with("Sayın ");
                        f.muhatap = found(
                            text.to_string(),
                            if dative { Confidence::High } else { Confidence::Medium },
                            1,
                        );
                        break;
                    }
                }
            }
        }
    }
    // A date alone near the top (no Sayı line, or printed on its own line).
    if f.tarih.is_none() {
        let top = sayi_at.map_or(10, |s| s + 3);
        for l in lines.iter().take(top) {
            for cell in l.text.split('\t').map(str::trim) {
                if let Ok(d) = turkish::parse_date(cell) {
                    f.tarih = found(d, Confidence::Medium, 1);
                    f.tarih_text = Some(cell.to_string());
                    return;
                }
            }
        }
    }
}

fn marker_of(s: &str) -> Option<&str> {
    let t = s.trim_start();
    let end = t.find([')', '-', '.'])?;
    let m = &t[..end];
    let ok = (m.len() == 1 && m.chars().all(|c| c.is_ascii_lowercase()))
        || (!m.is_empty() && m.len() <= 2 && m.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| &t[..end + 1])
}

fn ilgi(f: &mut LetterFields, lines: &[&Line]) {
    let Some(start) = lines.iter().position(|l| label(&l.text, &["ilgi", "i̇lgi"]).is_some()) else {
        return;
    };
    let first = label(&lines[start].text, &["ilgi", "i̇lgi"]).unwrap_or("").to_string();
    let mut items: Vec<String> = Vec::new();
    let mut current = first;
    let mut i = start + 1;
    loop {
        let done = current.trim_end().ends_with('.') || current.is_empty();
        let next = lines.get(i).map(|l| l.text.trim());
        match next {
            Some(n) if marker_of(n).is_some() && (done || current.is_empty()) && label(n, &["konu"]).is_none() => {
                if !current.trim().is_empty() {
                    items.push(std::mem::take(&mut current));
                }
                current = n.to_string();
            }
            Some(n) if !done && items.len() < 12 && i - start < 30 => {
                current.push(' ');
                current.push_str(n);
            }
            _ => break,
        }
        i += 1;
    }
    if !current.trim().is_empty() {
        items.push(current);
    }
    for text in items {
        let c = turkish::parse_citation(&text);
        let conf = if c.date.is_some() && c.sayi.is_some() {
            Confidence::High
        } else if c.date.is_some() || c.sayi.is_some() {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        f.ilgi.push(Found {
            value: FoundIlgi {
                text: c.raw.clone(),
                marker: c.marker.clone(),
                date: c.date,
                sayi: c.sayi.map(|s| s.raw),
            },
            confidence: conf,
            page: 1,
        });
    }
}

fn closing(f: &mut LetterFields, page: &PageText, n: usize) {
    let lines = &page.lines;
    let ek_at = lines
        .iter()
        .position(|l| label(&l.text, &["ek", "eki", "ekler", "ekleri"]).is_some());
    let dag_at = lines.iter().position(|l| label(&l.text, &["dağıtım"]).is_some());
    // The footer: its "Bu belge …" / Doğrulama line, or else the small print after a wide gap
    // below the last block.
    let footer_at = lines.iter().position(|l| is_footer(&l.text)).unwrap_or_else(|| {
        let from = [ek_at, dag_at].into_iter().flatten().max().unwrap_or(lines.len());
        (from + 1..lines.len())
            .find(|&i| lines[i - 1].y - lines[i].y > 3.0 * lines[i - 1].size || lines[i].size < 0.8 * lines[from].size)
            .unwrap_or(lines.len())
    });
    let blocks_at = [ek_at, dag_at].into_iter().flatten().min().unwrap_or(footer_at);
    signatories(f, page, blocks_at, n);
    if let Some(e) = ek_at {
        let stop = [dag_at.filter(|d| *d > e), Some(footer_at)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(lines.len());
        let first = label(&lines[e].text, &["ek", "eki", "ekler", "ekleri"])
            .unwrap_or("")
            .to_string();
        let mut items: Vec<String> = Vec::new();
        if !first.is_empty() {
            items.push(first);
        }
        for l in &lines[e + 1..stop.max(e + 1)] {
            let t = first_cell(&l.text);
            if marker_of(t).is_some() || items.is_empty() {
                items.push(t.to_string());
            } else if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        }
        for text in items.into_iter().take(50) {
            let pages = tamim_core::turkish::stated_pages(&text);
            let conf = if pages.is_some() {
                Confidence::High
            } else {
                Confidence::Medium
            };
            f.ek.push(Found {
                value: FoundEk { text, pages },
                confidence: conf,
                page: n,
            });
        }
    }
    if let Some(d) = dag_at {
        dagitim(f, page, d, footer_at);
    }
    footer(f, &lines[footer_at.min(lines.len())..], n);
}

fn dagitim(f: &mut LetterFields, page: &PageText, at: usize, stop: usize) {
    let lines = &page.lines;
    let inline = label(&lines[at].text, &["dağıtım"]).unwrap_or("").to_string();
    let (mut gereği, mut bilgi): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    if !inline.is_empty() {
        gereği.push(inline);
    }
    let mut two_columns = false;
    let mut mode_bilgi = false;
    let split_x = page.width * 0.45;
    for l in lines.iter().take(stop).skip(at + 1) {
        let cells: Vec<&str> = l.text.split('\t').map(str::trim).collect();
        let low = turkish::lower(cells[0]);
        if low.starts_with("gereği") {
            if cells.len() > 1 && turkish::lower(cells[1]).starts_with("bilgi") {
                two_columns = true;
            }
            mode_bilgi = false;
            continue;
        }
        if low.starts_with("bilgi") && !low.starts_with("bilgi için") {
            mode_bilgi = true;
            continue;
        }
        if low.starts_with("bilgi için") || label(&l.text, &["ek", "eki"]).is_some() {
            break;
        }
        let push = |list: &mut Vec<String>, text: &str| {
            let starts_lower = text.chars().next().is_some_and(|c| c.is_lowercase());
            let open = list
                .last()
                .is_some_and(|p| p.matches('(').count() > p.matches(')').count());
            match list.last_mut() {
                Some(prev) if open || starts_lower => {
                    prev.push(' ');
                    prev.push_str(text);
                }
                _ => list.push(text.to_string()),
            }
        };
        if two_columns {
            if cells.len() >= 2 {
                push(&mut gereği, cells[0]);
                push(&mut bilgi, cells[1]);
            } else if l.x > split_x {
                push(&mut bilgi, cells[0]);
            } else {
                push(&mut gereği, cells[0]);
            }
        } else if mode_bilgi {
            push(&mut bilgi, cells[0]);
        } else {
            push(&mut gereği, cells[0]);
        }
    }
    f.gereği = gereği.into_iter().filter(|s| !s.is_empty()).take(500).collect();
    f.bilgi = bilgi.into_iter().filter(|s| !s.is_empty()).take(500).collect();
}

/// A name line: at least two words, the last in capitals (`Mehmet Ali ÖZYİĞİT`).
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.len() >= 2
        && words.len() <= 5
        && is_upper_line(words[words.len() - 1])
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words[0].chars().skip(1).any(char::is_lowercase)
}

fn signatories(f: &mut LetterFields, page: &PageText, stop: usize, n: usize) {
    let lines = &page.lines;
    // From the closing formula (…ederim / …ederiz) or, lacking it, from the bottom up.
    let start = lines[..stop.min(lines.len())].iter().rposition(|l| {
        let t = turkish::lower(&l.text);
        t.contains("ederim") || t.contains("ederiz") || t.contains("arz ve rica")
    });
    let from = start.map_or(0, |s| s + 1);
    let mut columns: Vec<Vec<String>> = Vec::new();
    for l in lines.iter().take(stop).skip(from) {
        if l.x < page.width * 0.3 && !l.text.contains('\t') {
            continue;
        }
        let cells: Vec<&str> = l.text.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect();
        for (i, c) in cells.iter().enumerate() {
            if columns.len() <= i {
                columns.push(Vec::new());
            }
            columns[i].push(c.to_string());
        }
    }
    let conf = if start.is_some() {
        Confidence::High
    } else {
        Confidence::Low
    };
    for col in columns {
        let mut current: Option<Signatory> = None;
        for cell in col {
            if is_name(&cell) {
                if let Some(s) = current.take() {
                    f.signatories.push(Found {
                        value: s,
                        confidence: conf,
                        page: n,
                    });
                }
                current = Some(Signatory {
                    name: cell,
                    title: String::new(),
                    on_behalf: None,
                });
            } else if let Some(s) = current.as_mut() {
                let t = cell.trim();
                if t.ends_with(" a.") || t.ends_with(" V.") || t == "a." {
                    s.on_behalf = Some(t.to_string());
                } else {
                    if !s.title.is_empty() {
                        s.title.push(' ');
                    }
                    s.title.push_str(t);
                }
            }
        }
        if let Some(s) = current {
            f.signatories.push(Found {
                value: s,
                confidence: conf,
                page: n,
            });
        }
    }
}

fn footer(f: &mut LetterFields, lines: &[Line], n: usize) {
    for l in lines {
        for cell in l.text.split('\t').map(str::trim) {
            if let Some(v) = label(cell, &["doğrulama kodu"]) {
                if !v.is_empty() {
                    f.verification_code = found(v.to_string(), Confidence::High, n);
                }
            } else if let Some(v) = label(cell, &["doğrulama linki", "doğrulama adresi"]) {
                if !v.is_empty() {
                    f.verification_address = found(v.to_string(), Confidence::High, n);
                }
            } else if !cell.is_empty()
                && !turkish::lower(cell).starts_with("bu belge")
                && !cell.chars().all(|c| c.is_ascii_digit() || c == '/')
            {
                f.contact.push(cell.to_string());
            }
        }
    }
    f.contact.truncate(40);
}

fn missing(f: &LetterFields) -> Vec<&'static str> {
    let mut m = Vec::new();
    let checks: [(&'static str, bool); 11] = [
        ("heading", f.heading.is_some()),
        ("sayı", f.sayi.is_some()),
        ("tarih", f.tarih.is_some()),
        ("konu", f.konu.is_some()),
        ("muhatap", f.muhatap.is_some()),
        ("ilgi", !f.ilgi.is_empty()),
        ("ek", !f.ek.is_empty()),
        ("dağıtım", !f.gereği.is_empty() || !f.bilgi.is_empty()),
        ("imza", !f.signatories.is_empty()),
        ("doğrulama kodu", f.verification_code.is_some()),
        ("iletişim", !f.contact.is_empty()),
    ];
    for (name, ok) in checks {
        if !ok {
            m.push(name);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::text::{Line, PageText, TextLayer};

    fn layer(lines: &[(f32, &str)]) -> TextLayer {
        let mut y = 800.0;
        let lines = lines
            .iter()
            .map(|(x, t)| {
                y -= 14.0;
                Line {
                    x: *x,
                    y,
                    size: 12.0,
                    text: t.to_string(),
                }
            })
            .collect();
        TextLayer {
            pages: 1,
            read: vec![PageText { width: 595.0, lines }],
        }
    }

    #[test]
    fn labels_keep_the_value_as_printed_whatever_its_case() {
        assert_eq!(label("SAYI : E-1-2-3", &["sayı"]), Some("E-1-2-3"));
        assert_eq!(label("Konu: İİİ hk.", &["konu"]), Some("İİİ hk."));
        assert_eq!(label("İlgi   : a) yazı", &["ilgi"]), Some("a) yazı"));
        assert_eq!(label("Konuşma metni", &["konu"]), None);
        assert_eq!(label("Eki: 1", &["ek"]), None);
    }

    #[test]
    fn markers_are_a_letter_or_a_short_number() {
        assert_eq!(marker_of("b) Kurulun yazısı"), Some("b)"));
        assert_eq!(marker_of("12- Rapor"), Some("12-"));
        assert_eq!(marker_of("İlgi yazı ve eki."), None);
        assert_eq!(marker_of("2021/81 sayılı"), None);
    }

    #[test]
    fn a_letter_without_the_fields_names_them_missing_and_guesses_nothing() {
        let f = parse_letter(&layer(&[(60.0, "Merhaba"), (60.0, "Bu bir not.")]));
        assert!(f.sayi.is_none() && f.tarih.is_none() && f.konu.is_none());
        assert_eq!(
            f.missing,
            [
                "heading",
                "sayı",
                "tarih",
                "konu",
                "muhatap",
                "ilgi",
                "ek",
                "dağıtım",
                "imza",
                "doğrulama kodu",
                "iletişim"
            ]
        );
    }

    #[test]
    fn a_sayi_that_does_not_parse_is_kept_with_low_confidence() {
        let f = parse_letter(&layer(&[
            (250.0, "T.C."),
            (220.0, "ÖRNEK VALİLİĞİ"),
            (60.0, "Sayı : ???\t02.11.2021"),
        ]));
        let s = f.sayi.expect("sayı");
        assert_eq!((s.value.as_str(), s.confidence), ("???", Confidence::Low));
        assert_eq!(f.tarih.map(|t| t.value), NaiveDate::from_ymd_opt(2021, 11, 2));
    }

    #[test]
    fn an_empty_layer_reads_nothing() {
        let f = parse_letter(&TextLayer::default());
        assert!(f.heading.is_none());
        assert!(f.missing.contains(&"sayı"));
    }
}
