//! Writing the audit report as text, JSON or CSV, streaming the per-recipient timelines to the writer.

use rusqlite::Connection;
use std::io::Write;

use super::report::{timelines, Summary, Timeline};
use crate::ack::time::shown;
use crate::error::{Error, Result};

fn io(e: std::io::Error) -> Error {
    Error::io("audit output", e)
}

fn event_line(kind: &str, detail: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
    let g = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let what = kind.strip_prefix("delivery.").unwrap_or(kind);
    let mut parts = vec![what.to_string()];
    for k in ["method", "by", "channel", "reply", "kayit_no", "reason", "to", "sayi"] {
        if let Some(x) = g(k) {
            parts.push(format!("{k}={x}"));
        }
    }
    if let Some(n) = v.get("reminder").and_then(|x| x.as_i64()) {
        parts.push(format!("#{n}"));
    }
    parts.join(" ")
}

/// The summary for people (English headings, Turkish data as stored).
pub fn summary_text(s: &Summary) -> String {
    let d = &s.document;
    let mut o = String::new();
    o.push_str(&format!(
        "Audit of #{} {} · Sayı {} · {} · {}\n",
        d.id,
        d.kind,
        d.sayi.clone().unwrap_or_else(|| "-".into()),
        d.tarih,
        d.konu
    ));
    o.push_str(&format!("Generated {} · deadline {}\n\n", s.generated_at, s.deadline));
    o.push_str(&format!("Recipients {} · acknowledged {} ({:.1}%) · late {}\n", s.total, s.acknowledged, s.acknowledged_percent, s.late));
    o.push_str(&format!("States: {}\n\n", s.counts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")));
    o.push_str("Coverage per level of the chain\n");
    for l in &s.levels {
        o.push_str(&format!("  level {}: {}/{} acknowledged ({:.1}%) — {}\n", l.level, l.acknowledged, l.recipients, l.percent, l.what));
    }
    o.push_str("\nCoverage per office\n");
    for f in &s.offices {
        o.push_str(&format!(
            "  {:<20} {:>7}/{:<7} {:>5.1}%  failed {} exempt {} open {}  {}\n",
            f.code, f.acknowledged, f.recipients, f.percent, f.failed, f.exempt, f.open, f.name
        ));
    }
    let notes = |title: &str, v: &[super::report::Note], o: &mut String| {
        o.push_str(&format!("\n{title}: {}\n", v.len()));
        for n in v {
            o.push_str(&format!("  {} {} ({}): {}\n", n.recipient, n.name, n.office, n.text));
        }
    };
    notes("Failures", &s.failures, &mut o);
    notes("Exemptions", &s.exemptions, &mut o);
    o.push_str(&format!("\nCascade gaps (a duty to pass it on, no follow-on known): {}\n", s.cascade_gaps.len()));
    for g in &s.cascade_gaps {
        o.push_str(&format!("  {} {}: {} [{}]\n", g.office, g.name, g.duty, g.state));
    }
    o.push_str(&format!("\nFollow-ons: {}\n", s.followons.len()));
    for f in &s.followons {
        let counts = match (f.recipients, f.acknowledged) {
            (Some(r), Some(a)) => format!(" — {a}/{r} acknowledged"),
            (Some(r), None) => format!(" — {r} recipients"),
            _ => String::new(),
        };
        let what = f.document.map(|id| format!("#{id}")).unwrap_or_default();
        o.push_str(&format!("  {} {} {} {} {}{}\n", f.recipient, f.source, what, f.sayi.clone().unwrap_or_default(), f.tarih.clone().unwrap_or_default(), counts));
    }
    o.push_str("\nChain above\n");
    if s.chain_above.is_empty() {
        o.push_str("  (none registered)\n");
    }
    for c in &s.chain_above {
        o.push_str(&format!("  level {} #{} {} · Sayı {} · {} · {} · {}\n", c.level, c.id, c.kind, c.sayi.clone().unwrap_or_default(), c.tarih, c.issuer, c.konu));
    }
    o.push_str(&format!("Discrepancies: {}\n", s.discrepancies.len()));
    for x in &s.discrepancies {
        o.push_str(&format!("  ! #{}: \"{}\" — {}\n", x.document, x.citation, x.problem));
    }
    o.push_str("\nEvent log\n");
    o.push_str(&format!(
        "  {} · {} entries · head {} {}\n",
        if s.log.ok { "verified" } else { "BROKEN" },
        s.log.entries,
        s.log.head_seq.map(|x| x.to_string()).unwrap_or_default(),
        s.log.head_hash.clone().unwrap_or_default()
    ));
    if let Some(p) = &s.log.problem {
        o.push_str(&format!("  entry {}: {} — {}\n", p.seq, p.kind, p.message));
    }
    o
}

fn timeline_text(t: &Timeline) -> String {
    let d = &t.row.delivery;
    let mut o = format!("  {} {} [{} · {} · {}]\n", d.recipient_code, d.name, d.role, t.row.office_code.clone().unwrap_or_default(), d.state);
    for e in &t.events {
        o.push_str(&format!("      {}  {}\n", shown(&e.at), event_line(&e.kind, &e.detail)));
    }
    o
}

pub fn write_text(conn: &Connection, doc: i64, s: &Summary, w: &mut dyn Write) -> Result<()> {
    w.write_all(summary_text(s).as_bytes()).map_err(io)?;
    w.write_all(b"\nTimelines\n").map_err(io)?;
    timelines(conn, doc, |t| w.write_all(timeline_text(&t).as_bytes()).map_err(io))
}

pub fn write_json(conn: &Connection, doc: i64, s: &Summary, w: &mut dyn Write) -> Result<()> {
    let head = serde_json::to_string(s).map_err(|e| Error::Conflict(e.to_string()))?;
    // {"summary": {...}, "timelines": [ ... ]} — written piece by piece.
    write!(w, "{{\"summary\":{head},\"timelines\":[").map_err(io)?;
    let mut first = true;
    timelines(conn, doc, |t| {
        if !first {
            w.write_all(b",\n").map_err(io)?;
        }
        first = false;
        serde_json::to_writer(&mut *w, &t).map_err(|e| Error::Conflict(e.to_string()))
    })?;
    w.write_all(b"]}\n").map_err(io)
}

pub const CSV_HEADER: [&str; 15] = [
    "recipient", "name", "kind", "office", "role", "path", "state", "channel", "sent_at", "received_at", "recipient_kayit_no",
    "acknowledged_at", "ack_by", "ack_method", "timeline",
];

/// One row per recipient; the timeline as `time kind; time kind; …`.
pub fn write_csv(conn: &Connection, doc: i64, w: &mut dyn Write) -> Result<()> {
    let mut c = csv::Writer::from_writer(w);
    let err = |e: csv::Error| Error::Conflict(format!("writing CSV: {e}"));
    c.write_record(CSV_HEADER).map_err(err)?;
    timelines(conn, doc, |t| {
        let d = &t.row.delivery;
        let tl = t.events.iter().map(|e| format!("{} {}", e.at, event_line(&e.kind, &e.detail))).collect::<Vec<_>>().join("; ");
        let o = |x: &Option<String>| x.clone().unwrap_or_default();
        c.write_record([
            d.recipient_code.clone(),
            d.name.clone(),
            d.recipient_kind.clone(),
            o(&t.row.office_code),
            d.role.clone(),
            d.path.clone(),
            d.state.clone(),
            o(&d.channel),
            o(&d.sent_at),
            o(&d.received_at),
            o(&t.row.extra.recipient_kayit_no),
            o(&d.acknowledged_at),
            o(&d.ack_by),
            o(&d.ack_method),
            tl,
        ])
        .map_err(err)
    })?;
    c.flush().map_err(io)
}
