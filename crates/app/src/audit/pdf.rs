//! The audit report as a PDF fit to file, in Turkish: the document, coverage (tables and two bar charts),
//! offices, failures, exemptions, cascade gaps, follow-ons, the chain above with its discrepancies, the
//! event log's verification and head hash, and — for documents up to `TIMELINE_LIMIT` recipients — every
//! recipient's timeline (larger ones point to the JSON/CSV export).

use super::chart::{self, Series};
use super::sections::{self, Body};
use super::summary::Summary;
use super::timeline::Line;
use crate::ack::state::State;
use crate::ack::time::shown_in;
use crate::error::Result;
use tamim_docs::pages::{rgb, width, Pages, MARGIN, PAGE_W};
use tamim_store::audit::{self as rows, Columns};
use tamim_store::Conn;

pub const TIMELINE_LIMIT: i64 = 2000;

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

/// A section's table: every column as wide as its widest cell, the last taking the rest of the line.
fn table(p: &mut Pages, head: &[&str], right: &[bool], rows: &[Vec<String>]) {
    const SIZE: f32 = 9.0;
    let usable = PAGE_W - 2.0 * MARGIN;
    let n = head.len();
    let mut w: Vec<f32> = (0..n)
        .map(|i| {
            let cells = rows.iter().map(|r| width(&r[i], SIZE, false));
            cells.fold(width(head[i], SIZE, true), f32::max) + 8.0
        })
        .collect();
    let fixed: f32 = w[..n - 1].iter().sum();
    w[n - 1] = (usable - fixed).max(60.0);
    let x: Vec<f32> = w.iter().scan(0.0, |x, w| Some(std::mem::replace(x, *x + w))).collect();
    let cells = |r: &[&str]| -> Vec<(f32, f32, String, bool)> {
        (0..n)
            .map(|i| {
                // A left-aligned cell after a right-aligned one keeps a space between them.
                let pad = if i > 0 && !right[i] && right[i - 1] { 10.0 } else { 0.0 };
                (x[i] + pad, w[i] - pad, r[i].to_string(), right[i])
            })
            .collect()
    };
    let draw = |p: &mut Pages, bold: bool, r: Vec<(f32, f32, String, bool)>| {
        let r: Vec<(f32, f32, &str, bool)> = r.iter().map(|(x, w, t, a)| (*x, *w, t.as_str(), *a)).collect();
        p.row(SIZE, bold, &r);
    };
    draw(p, true, cells(head));
    for r in rows {
        draw(p, false, cells(&r.iter().map(String::as_str).collect::<Vec<_>>()));
    }
}

/// The report of `doc` from its summary `s` (its sections as [`sections`] words them), its times on the
/// clock of `zone`; the PDF's metadata dates are the report's time (when it was made).
pub fn render(conn: &Conn, doc: i64, s: &Summary, zone: chrono_tz::Tz) -> Result<Vec<u8>> {
    let d = &s.document;
    let mut p = Pages::new(&format!("Denetim raporu: {}", d.konu))?;
    p.created = chrono::DateTime::parse_from_rfc3339(&s.generated_at)
        .ok()
        .map(|t| t.timestamp());
    p.line(15.0, true, "TEBLİĞ-TEBELLÜĞ DENETİM RAPORU");
    p.gap(4.0);
    let mut all = sections::sections(s, zone);
    // The staff duty's coverage, for documents where some recipient carries it.
    let staff = crate::roster::coverage::coverage(conn, doc)?;
    if !staff.offices.is_empty() {
        all.push(sections::staff(&staff));
    }
    for (i, sec) in all.iter().enumerate() {
        if let Some(t) = &sec.title {
            p.gap(6.0);
            p.line(12.0, true, t);
        }
        match &sec.body {
            Body::Lines(l) => l
                .iter()
                .for_each(|l| p.para(if sec.title.is_some() { 9.5 } else { 11.0 }, l)),
            Body::Table { head, right, rows } => table(&mut p, head, right, rows),
        }
        if sec.title.is_none() {
            p.hrule();
        }
        if i == 2 {
            p.gap(6.0);
            bars(&mut p, &chart::over_time(s));
            bars(&mut p, &chart::per_level(s));
        }
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
