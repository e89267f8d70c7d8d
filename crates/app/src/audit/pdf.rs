//! The audit report as a PDF fit to file, in Turkish: the document, coverage (tables and two bar charts),
//! offices, failures, exemptions, cascade gaps, follow-ons, the chain above with its discrepancies, the
//! event log's verification and head hash, and — for documents up to `TIMELINE_LIMIT` recipients — every
//! recipient's timeline (larger ones point to the JSON/CSV export).

use super::chart::{self, Series};
use super::summary::{Note, Summary};
use super::timeline::Line;
use crate::ack::state::State;
use crate::ack::time::{shown_in, shown_long};
use crate::error::Result;
use tamim_core::turkish::number::{integer, one_decimal, percent};
use tamim_docs::pages::{rgb, Pages, MARGIN, PAGE_W};
use tamim_store::audit::{self as rows, Columns};
use tamim_store::Conn;

pub const TIMELINE_LIMIT: i64 = 2000;

fn tr_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(tamim_core::turkish::format_dotted)
        .unwrap_or_else(|_| iso.to_string())
}

fn state_tr(s: &str) -> String {
    State::parse(s)
        .map(|x| x.label_tr().to_string())
        .unwrap_or_else(|| s.to_string())
}

/// A bar chart: axis lines, gridlines at 50 % and 100 %, one filled bar per value.
fn bars(p: &mut Pages, s: &Series) {
    let (h, w) = (120.0f32, PAGE_W - 2.0 * MARGIN - 30.0);
    p.ensure(h + 50.0);
    p.line(11.0, true, &s.title);
    let top = p.y;
    let left = MARGIN + 30.0;
    for pct in [0.0f32, 50.0, 100.0] {
        let y = top + h * (1.0 - pct / 100.0);
        p.polyline(
            &[(left, y), (left + w, y)],
            if pct == 0.0 { 0.8 } else { 0.3 },
            rgb(0.5, 0.5, 0.5),
        );
        p.text_at(MARGIN, y + 3.0, 8.0, false, &format!("%{pct:.0}"));
    }
    p.polyline(&[(left, top), (left, top + h)], 0.8, rgb(0.5, 0.5, 0.5));
    let n = s.bars.len().max(1) as f32;
    let slot = (w / n).min(48.0);
    for (i, (label, v)) in s.bars.iter().enumerate() {
        let bh = h * (*v as f32).clamp(0.0, 100.0) / 100.0;
        let x = left + slot * i as f32 + slot * 0.15;
        p.rect(x, top + h - bh, slot * 0.7, bh, rgb(0.17, 0.42, 0.69));
        if s.bars.len() <= 16 || i % 2 == 0 {
            p.text_at(
                x,
                top + h + 10.0,
                7.0,
                false,
                &tamim_docs::pages::fit(label, 7.0, false, slot * 1.8),
            );
        }
    }
    p.y = top + h + 26.0;
}

/// The report of `doc` from its summary `s`, its times on the clock of `zone`; the PDF's metadata dates
/// are the report's time (when it was made).
pub fn render(conn: &Conn, doc: i64, s: &Summary, zone: chrono_tz::Tz) -> Result<Vec<u8>> {
    let d = &s.document;
    let mut p = Pages::new(&format!("Denetim raporu: {}", d.konu))?;
    p.created = chrono::DateTime::parse_from_rfc3339(&s.generated_at)
        .ok()
        .map(|t| t.timestamp());
    p.line(15.0, true, "TEBLİĞ-TEBELLÜĞ DENETİM RAPORU");
    p.gap(4.0);
    let no = [
        d.sayi.clone().map(|x| format!("Sayı: {x}")),
        d.kind_no.clone().map(|x| format!("No: {x}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("   ");
    p.line(
        11.0,
        false,
        &format!("Belge: #{} {}   {}   Tarih: {}", d.id, d.kind, no, tr_date(&d.tarih)),
    );
    p.line(11.0, false, &format!("Konu: {}", d.konu));
    if let Some(i) = &d.issuer {
        p.line(11.0, false, &format!("Gönderen: {i}"));
    }
    p.line(
        11.0,
        false,
        &format!(
            "Tebellüğ için son gün: {}   Rapor tarihi: {}",
            tr_date(&s.deadline),
            shown_long(&s.generated_at, zone)
        ),
    );
    p.hrule();
    p.line(12.0, true, "Özet");
    p.line(
        11.0,
        false,
        &format!(
            "Alıcı: {}   Tebellüğ eden: {} ({})   Süresi geçen: {}",
            integer(s.total),
            integer(s.acknowledged),
            percent(s.acknowledged_percent),
            integer(s.late)
        ),
    );
    p.line(
        11.0,
        false,
        &format!(
            "Durumlar: {}",
            s.counts
                .iter()
                .map(|(k, v)| format!("{} {}", state_tr(k), integer(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    p.gap(6.0);
    p.line(12.0, true, "Zincir düzeyine göre kapsam");
    let cols = |a: &'static str, b: &'static str, c: &'static str, e: &'static str| {
        [
            (0.0, 50.0, a, false),
            (50.0, 70.0, b, true),
            (120.0, 80.0, c, true),
            (215.0, 296.0, e, false),
        ]
    };
    p.row(10.0, true, &cols("Düzey", "Alıcı", "Tebellüğ", "Açıklama"));
    for l in &s.levels {
        let (a, b, c) = (
            l.level.to_string(),
            integer(l.recipients),
            format!("{} ({})", integer(l.acknowledged), percent(l.percent)),
        );
        p.row(
            10.0,
            false,
            &[
                (0.0, 50.0, &a, false),
                (50.0, 70.0, &b, true),
                (120.0, 80.0, &c, true),
                (215.0, 296.0, &l.what, false),
            ],
        );
    }
    p.gap(6.0);
    bars(&mut p, &chart::over_time(s));
    bars(&mut p, &chart::per_level(s));

    p.line(
        12.0,
        true,
        &format!("Kurumlara göre kapsam ({} kurum)", s.offices.len()),
    );
    p.row(
        9.0,
        true,
        &[
            (0.0, 90.0, "Kod", false),
            (90.0, 230.0, "Kurum", false),
            (320.0, 50.0, "Alıcı", true),
            (370.0, 60.0, "Tebellüğ", true),
            (430.0, 40.0, "%", true),
            (470.0, 41.0, "Hata", true),
        ],
    );
    for o in &s.offices {
        let (r, a, pc, f) = (
            integer(o.recipients),
            integer(o.acknowledged),
            one_decimal(o.percent),
            integer(o.failed),
        );
        p.row(
            9.0,
            false,
            &[
                (0.0, 90.0, &o.code, false),
                (90.0, 230.0, &o.name, false),
                (320.0, 50.0, &r, true),
                (370.0, 60.0, &a, true),
                (430.0, 40.0, &pc, true),
                (470.0, 41.0, &f, true),
            ],
        );
    }
    let notes = |p: &mut Pages, title: &str, v: &[Note]| {
        p.gap(6.0);
        p.line(12.0, true, &format!("{title} ({})", v.len()));
        for n in v {
            let later = n
                .later
                .as_deref()
                .map(|l| format!(" — sonra {}", state_tr(l)))
                .unwrap_or_default();
            p.line(
                9.5,
                false,
                &format!("{} {} ({}): {}{later}", n.recipient, n.name, n.office, n.text),
            );
        }
    };
    notes(&mut p, "Ulaştırılamayanlar", &s.failures);
    notes(&mut p, "Muaf tutulanlar", &s.exemptions);
    p.gap(6.0);
    p.line(
        12.0,
        true,
        &format!("Duyurma yükümlülüğü karşılanmayanlar ({})", s.cascade_gaps.len()),
    );
    for g in &s.cascade_gaps {
        p.line(
            9.5,
            false,
            &format!("{} {}: {} [{}]", g.office, g.name, g.duty, state_tr(&g.state)),
        );
    }
    p.gap(6.0);
    p.line(
        12.0,
        true,
        &format!("İlgili yazılar (alt düzey) ({})", s.followons.len()),
    );
    for f in &s.followons {
        let src = if f.source == "registered" {
            "kayıtlı"
        } else {
            "bildirilen"
        };
        let counts = f
            .recipients
            .map(|r| format!(" — {}/{r} tebellüğ", f.acknowledged.unwrap_or(0)))
            .unwrap_or_default();
        p.line(
            9.5,
            false,
            &format!(
                "{} ({src}) Sayı {} {}{counts}",
                f.recipient,
                f.sayi.clone().unwrap_or_default(),
                f.tarih.as_deref().map(tr_date).unwrap_or_default()
            ),
        );
    }
    p.gap(6.0);
    p.line(12.0, true, "Üst zincir");
    if s.chain_above.is_empty() {
        p.line(9.5, false, "Kayıtlı üst belge yok.");
    }
    for c in &s.chain_above {
        p.line(
            9.5,
            false,
            &format!(
                "Düzey {}: #{} {} Sayı {} {} — {} — {}",
                c.level,
                c.id,
                c.kind,
                c.sayi.clone().unwrap_or_default(),
                tr_date(&c.tarih),
                c.issuer,
                c.konu
            ),
        );
    }
    for x in &s.discrepancies {
        p.para(
            9.5,
            &format!("! Uyuşmazlık, #{}: \"{}\" — {}", x.document, x.citation, x.problem),
        );
    }
    p.gap(6.0);
    p.line(12.0, true, "Olay kaydı doğrulaması");
    p.line(
        10.0,
        false,
        &format!(
            "{} — {} kayıt",
            if s.log.ok {
                "Doğrulandı: zincir bütün"
            } else {
                "BOZUK: kayıt değiştirilmiş"
            },
            s.log.entries
        ),
    );
    p.line(
        9.0,
        false,
        &format!(
            "Son kayıt {}: {}",
            s.log.head_seq.unwrap_or(0),
            s.log.head_hash.clone().unwrap_or_default()
        ),
    );
    if let Some(pr) = &s.log.problem {
        p.para(9.5, &format!("Kayıt {}: {} — {}", pr.seq, pr.kind, pr.message));
    }
    p.line(
        10.0,
        false,
        &format!(
            "Olay kaydının desteklemediği durumlar: {}",
            s.unbacked_states.map_or("denetlenemedi".to_string(), integer)
        ),
    );
    for n in s.unbacked.iter().take(20) {
        let logged = n
            .logged
            .as_deref()
            .map_or("kayıtlı bir geçiş yok".to_string(), state_tr);
        p.para(
            9.0,
            &format!(
                "! {} {} ({}): tabloda {}, olay kaydına göre {logged}",
                n.recipient,
                n.name,
                n.office,
                state_tr(&n.stored)
            ),
        );
    }

    p.new_page();
    p.line(12.0, true, "Alıcı bazında zaman çizelgesi");
    if s.total > TIMELINE_LIMIT {
        p.para(10.0, &format!("{} alıcı: zaman çizelgeleri için `tamim audit {} --format csv` ya da `--format json` çıktısına bakınız.", s.total, d.id));
        return Ok(p.finish()?);
    }
    let all = rows::id_ranges(conn, doc, 1)?[0];
    rows::for_each_recipient(conn, doc, all, Columns::All, |r, events| {
        p.ensure(30.0);
        let d = &r.delivery;
        p.line(
            9.5,
            true,
            &format!(
                "{} {} — {} — {}",
                d.recipient_code,
                d.name,
                d.role,
                state_tr(d.state.as_str())
            ),
        );
        for e in events {
            p.line(
                8.5,
                false,
                &format!(
                    "    {}  {}",
                    shown_in(&e.at, zone),
                    Line::of(&e.kind, &e.detail).turkish()
                ),
            );
        }
        Ok::<_, crate::Error>(())
    })?;
    Ok(p.finish()?)
}
