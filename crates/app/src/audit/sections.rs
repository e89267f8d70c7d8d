//! The summary as people read it, defined once: the sections, their titles and their lines in Turkish, which
//! the text report prints ([`text`]) and the PDF draws (`pdf.rs`). A new line of the summary goes here and
//! shows in both; the JSON and CSV carry the [`Summary`] itself.

use chrono::NaiveDate;
use std::fmt::Write;

use super::summary::{Note, Summary};
use crate::ack::state::State;
use crate::ack::time::shown_long;
use tamim_core::turkish::number::{integer, percent};

/// One section: a title (none for the report's opening lines) and what it holds.
pub struct Section {
    pub title: Option<String>,
    pub body: Body,
}

pub enum Body {
    Lines(Vec<String>),
    /// Columns with their headings; `right[i]` aligns column `i` to the right (numbers).
    Table {
        head: Vec<&'static str>,
        right: Vec<bool>,
        rows: Vec<Vec<String>>,
    },
}

fn day(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(tamim_core::turkish::format_day)
        .unwrap_or_else(|_| iso.to_string())
}

fn st(name: &str) -> String {
    State::parse(name).map_or(name.to_string(), |x| x.label_tr().to_string())
}

fn lines(title: String, lines: Vec<String>) -> Section {
    Section {
        title: Some(title),
        body: Body::Lines(lines),
    }
}

fn notes(title: &str, v: &[Note]) -> Section {
    let l = v
        .iter()
        .map(|n| {
            let later = n
                .later
                .as_deref()
                .map(|l| format!(" — sonra {}", st(l)))
                .unwrap_or_default();
            format!("{} {} ({}): {}{later}", n.recipient, n.name, n.office, n.text)
        })
        .collect();
    lines(format!("{title} ({})", integer(v.len() as i64)), l)
}

/// The summary's sections, in the order both reports show them; times on the clock of `zone`.
pub fn sections(s: &Summary, zone: chrono_tz::Tz) -> Vec<Section> {
    let d = &s.document;
    let no = [
        d.sayi.as_ref().map(|x| format!("Sayı {x}")),
        d.kind_no.as_ref().map(|x| format!("No {x}")),
    ];
    let no: Vec<String> = no.into_iter().flatten().collect();
    let mut opening = vec![
        format!(
            "#{} {} · {} · {} · {}",
            d.id,
            d.kind,
            no.join(" · "),
            day(&d.tarih),
            d.konu
        ),
        format!(
            "Rapor zamanı {} · tebellüğ için son gün {}",
            shown_long(&s.generated_at, zone),
            day(&s.deadline)
        ),
    ];
    if let Some(i) = &d.issuer {
        opening.insert(1, format!("Gönderen: {i}"));
    }
    let states = s.counts.iter().map(|(k, v)| format!("{} {}", st(k), integer(*v)));
    let mut out = vec![
        Section {
            title: None,
            body: Body::Lines(opening),
        },
        lines(
            "Özet".into(),
            vec![
                format!(
                    "Alıcı {} · tebellüğ eden {} ({}) · süresi geçen {}",
                    integer(s.total),
                    integer(s.acknowledged),
                    percent(s.acknowledged_percent),
                    integer(s.late)
                ),
                format!("Durumlar: {}", states.collect::<Vec<_>>().join(", ")),
            ],
        ),
        Section {
            title: Some("Zincir düzeyine göre kapsam".into()),
            body: Body::Table {
                head: vec!["Düzey", "Alıcı", "Tebellüğ", "Oran", "Açıklama"],
                right: vec![true, true, true, true, false],
                rows: s
                    .levels
                    .iter()
                    .map(|l| {
                        vec![
                            l.level.to_string(),
                            integer(l.recipients),
                            integer(l.acknowledged),
                            percent(l.percent),
                            l.what.clone(),
                        ]
                    })
                    .collect(),
            },
        },
        Section {
            title: Some(format!(
                "Kuruma göre kapsam ({} kurum)",
                integer(s.offices.len() as i64)
            )),
            body: Body::Table {
                head: vec!["Kod", "Alıcı", "Tebellüğ", "Oran", "Ulaşmayan", "Muaf", "Açık", "Kurum"],
                right: vec![false, true, true, true, true, true, true, false],
                rows: s
                    .offices
                    .iter()
                    .map(|o| {
                        vec![
                            o.code.clone(),
                            integer(o.recipients),
                            integer(o.acknowledged),
                            percent(o.percent),
                            integer(o.failed),
                            integer(o.exempt),
                            integer(o.open),
                            o.name.clone(),
                        ]
                    })
                    .collect(),
            },
        },
        notes("Ulaştırılamayanlar", &s.failures),
        notes("Muaf tutulanlar", &s.exemptions),
        lines(
            format!(
                "Duyurma yükümlülüğü karşılanmayanlar, ilgili yazısı bilinmeyen ({})",
                integer(s.cascade_gaps.len() as i64)
            ),
            s.cascade_gaps
                .iter()
                .map(|g| format!("{} {}: {} [{}]", g.office, g.name, g.duty, st(&g.state)))
                .collect(),
        ),
    ];
    let followons = s.followons.iter().map(|f| {
        let counts = match (f.recipients, f.acknowledged) {
            (Some(r), Some(a)) => format!(" — {}/{} tebellüğ edildi", integer(a), integer(r)),
            (Some(r), None) => format!(" — {} alıcı", integer(r)),
            _ => String::new(),
        };
        let source = if f.source == "registered" {
            "kayıtlı"
        } else {
            "bildirilen"
        };
        let what = f.document.map(|id| format!(" #{id}")).unwrap_or_default();
        let sayi = f.sayi.as_deref().map(|x| format!(" Sayı {x}")).unwrap_or_default();
        let tarih = f.tarih.as_deref().map(|t| format!(" · {}", day(t))).unwrap_or_default();
        format!("{} ({source}){what}{sayi}{tarih}{counts}", f.recipient)
    });
    out.push(lines(
        format!("İlgili yazılar, alt düzey ({})", integer(s.followons.len() as i64)),
        followons.collect(),
    ));
    let mut above: Vec<String> = s
        .chain_above
        .iter()
        .map(|c| {
            let sayi = c.sayi.as_deref().unwrap_or("-");
            let l = -c.level;
            format!(
                "{l}. üst düzey: #{} {} · Sayı {sayi} · {} · {} · {}",
                c.id,
                c.kind,
                day(&c.tarih),
                c.issuer,
                c.konu
            )
        })
        .collect();
    if above.is_empty() {
        above.push("Kayıtlı üst belge yok.".into());
    }
    above.extend(
        s.discrepancies
            .iter()
            .map(|x| format!("! Uyuşmazlık, #{}: \"{}\" — {}", x.document, x.citation, x.problem)),
    );
    out.push(lines("Üst zincir".into(), above));
    let mut log = vec![
        format!(
            "{} · {} kayıt",
            if s.log.ok {
                "Doğrulandı: zincir bütün"
            } else {
                "BOZUK: kayıt değiştirilmiş"
            },
            integer(s.log.entries)
        ),
        // As `log verify --head SIRA:KARMA` takes it.
        format!(
            "Baş (son kayıt): {}:{}",
            s.log.head_seq.unwrap_or(0),
            s.log.head_hash.as_deref().unwrap_or_default()
        ),
    ];
    if let Some(p) = &s.log.problem {
        log.push(format!("{}. kayıt: {} — {}", p.seq, p.kind, p.message));
    }
    log.push(format!(
        "Olay kaydının desteklemediği durumlar: {}",
        s.unbacked_states.map_or("denetlenemedi".to_string(), integer)
    ));
    for n in &s.unbacked {
        let logged = n.logged.as_deref().map_or("kayıtlı bir geçiş yok".to_string(), st);
        log.push(format!(
            "! {} {} ({}): tabloda {}, olay kaydına göre {logged}",
            n.recipient,
            n.name,
            n.office,
            st(&n.stored)
        ));
    }
    if let Some(more) = s
        .unbacked_states
        .map(|n| n - s.unbacked.len() as i64)
        .filter(|m| *m > 0)
    {
        log.push(format!("… ve {} tane daha", integer(more)));
    }
    out.push(lines("Olay kaydı doğrulaması".into(), log));
    out
}

/// The staff coverage as a section, worded as `roster::coverage::text` words it for the text report (its
/// first line the title, its lines one level less indented).
pub fn staff(c: &crate::roster::coverage::Coverage) -> Section {
    let t = crate::roster::coverage::text(c);
    let mut l = t.lines().filter(|l| !l.trim().is_empty());
    let title = l.next().map(str::to_string);
    let lines = l.map(|x| x.strip_prefix("  ").unwrap_or(x).to_string()).collect();
    Section {
        title,
        body: Body::Lines(lines),
    }
}

/// The sections as the text report prints them: a title, then its lines indented; a table's columns padded
/// to their widest cell.
pub fn text(sections: &[Section]) -> String {
    let mut o = String::new();
    for s in sections {
        if let Some(t) = &s.title {
            let _ = writeln!(o, "{t}");
        }
        let indent = if s.title.is_some() { "  " } else { "" };
        match &s.body {
            Body::Lines(l) => l.iter().for_each(|l| {
                let _ = writeln!(o, "{indent}{l}");
            }),
            Body::Table { head, right, rows } => {
                let head: Vec<String> = head.iter().map(|h| h.to_string()).collect();
                let all = || std::iter::once(&head).chain(rows);
                let widths: Vec<usize> = (0..head.len())
                    .map(|i| all().map(|r| r[i].chars().count()).max().unwrap_or(0))
                    .collect();
                for r in all() {
                    let cells: Vec<String> = r
                        .iter()
                        .zip(&widths)
                        .zip(right)
                        .map(|((c, w), right)| match right {
                            true => format!("{c:>w$}"),
                            false => format!("{c:<w$}"),
                        })
                        .collect();
                    let _ = writeln!(o, "{indent}{}", cells.join("  ").trim_end());
                }
            }
        }
        o.push('\n');
    }
    o
}
