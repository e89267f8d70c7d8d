//! Writing the audit report as text, JSON or CSV, streaming the per-recipient timelines to the writer.

use rusqlite::Connection;
use std::borrow::Cow;
use std::io::Write;

use super::handoff;
use super::report::{timelines, Summary, Tally, TimelineColumns};
use crate::ack::time::ShownCache;
use crate::error::{Error, Result};
use crate::store::receipts::TimelineRow;

fn io(e: std::io::Error) -> Error {
    Error::io("audit output", e)
}

/// The keys of an event's detail that a timeline line shows, in the order shown (`key=value`).
const SHOWN: [&str; 8] = ["method", "by", "channel", "reply", "kayit_no", "reason", "to", "sayi"];

/// What a timeline line shows of an event's detail, borrowed from the stored JSON: the string values of
/// `SHOWN` (any other type counts as absent) and the reminder's number. Like `serde_json::Value`, the last
/// of repeated keys wins; a detail that is not a JSON object shows nothing.
#[derive(Default)]
struct Shown<'a> {
    texts: [Option<Cow<'a, str>>; SHOWN.len()],
    reminder: Option<i64>,
}

impl<'de> serde::Deserialize<'de> for Shown<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ShownVisitor)
    }
}

struct ShownVisitor;

impl<'de> serde::de::Visitor<'de> for ShownVisitor {
    type Value = Shown<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an event detail object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Shown<'de>, A::Error> {
        let mut s = Shown::default();
        while let Some(k) = a.next_key::<Cow<'de, str>>()? {
            if k == "reminder" {
                s.reminder = a.next_value::<Scalar>()?.0.and_then(|v| v.as_i64());
            } else if let Some(i) = SHOWN.iter().position(|x| *x == k) {
                s.texts[i] = a.next_value::<Scalar>()?.1;
            } else {
                a.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(s)
    }
}

/// A JSON value kept only if it is a number (0) or a string (1, borrowed when it has no escapes).
struct Scalar<'a>(Option<serde_json::Number>, Option<Cow<'a, str>>);

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, Some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, Some(Cow::Owned(v.to_string()))))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(Some(v.into()), None))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(Some(v.into()), None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_unit<E>(self) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar<'de>, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None, None))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar<'de>, A::Error> {
        while a.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None, None))
    }
}

/// One event as a timeline line, appended to `o`: `acknowledged method=phone by=Ayşe YILMAZ`.
fn event_line(o: &mut String, kind: &str, detail: &str) {
    let v: Shown = serde_json::from_str(detail).unwrap_or_default();
    o.push_str(kind.strip_prefix("delivery.").unwrap_or(kind));
    for (k, x) in SHOWN.iter().zip(&v.texts) {
        if let Some(x) = x {
            o.push(' ');
            o.push_str(k);
            o.push('=');
            o.push_str(x);
        }
    }
    if let Some(n) = v.reminder {
        o.push_str(" #");
        o.push_str(&n.to_string());
    }
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
            let later = n.later.as_ref().map(|l| format!(" — later {l}")).unwrap_or_default();
            o.push_str(&format!("  {} {} ({}): {}{later}\n", n.recipient, n.name, n.office, n.text));
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
    o.push_str(&format!("  states the log does not back: {}\n", s.unbacked_states.map_or("not checked (deliveries spread over too many ids)".to_string(), |n| n.to_string())));
    for n in &s.unbacked {
        let logged = n.logged.as_deref().unwrap_or("no move recorded");
        o.push_str(&format!("  ! {} {} ({}): stored {}, the log says {logged}\n", n.recipient, n.name, n.office, n.stored));
    }
    if let Some(more) = s.unbacked_states.map(|n| n - s.unbacked.len() as i64).filter(|m| *m > 0) {
        o.push_str(&format!("  … and {more} more\n"));
    }
    o
}

/// One recipient and its events, appended to `o`: `  P0000001 Personel 0000001 [gereği · ODA-0001 · sent]`.
fn timeline_text(o: &mut String, times: &mut ShownCache, t: &TimelineRow) {
    let d = &t.delivery;
    for part in ["  ", d.recipient_code, " ", d.name, " [", d.role, " · ", t.office_code.unwrap_or_default(), " · ", d.state, "]\n"] {
        o.push_str(part);
    }
    for e in t.events {
        o.push_str("      ");
        times.shown_into(o, &e.at);
        o.push_str("  ");
        event_line(o, &e.kind, &e.detail);
        o.push('\n');
    }
}

/// Timelines written while the summary is still being counted: to an anonymous temporary file, copied
/// after the summary (which comes first in the report but is known only at the end of the one pass).
struct Spool {
    file: std::io::BufWriter<std::fs::File>,
}

impl Spool {
    const BUF: usize = 1 << 20;

    fn new() -> Result<Spool> {
        let file = tempfile::tempfile().map_err(|e| Error::io(std::env::temp_dir(), e))?;
        Ok(Spool { file: std::io::BufWriter::with_capacity(Self::BUF, file) })
    }

    fn write(&mut self, b: &[u8]) -> Result<()> {
        self.file.write_all(b).map_err(|e| Error::io(std::env::temp_dir(), e))
    }

    /// Copy everything written to `w`.
    fn copy_to(self, w: &mut dyn Write) -> Result<()> {
        use std::io::{Read, Seek};
        let tmp = |e: std::io::Error| Error::io(std::env::temp_dir(), e);
        let mut f = self.file.into_inner().map_err(|e| tmp(e.into_error()))?;
        f.seek(std::io::SeekFrom::Start(0)).map_err(tmp)?;
        let mut buf = vec![0u8; Self::BUF];
        loop {
            let n = f.read(&mut buf).map_err(tmp)?;
            if n == 0 {
                return Ok(());
            }
            w.write_all(&buf[..n]).map_err(io)?;
        }
    }
}

/// The office a timeline names, as the tally wants it.
fn office_of(t: &TimelineRow) -> Option<(String, String)> {
    t.office_code.zip(t.office_name).map(|(code, name)| (code.to_string(), name.to_string()))
}

/// The one pass the text and JSON reports make: every timeline counted into `tally` and written by `row`
/// (into a reused buffer) to a spool, on the handoff's writing thread. The summary, and the spooled timelines.
fn counted_and_spooled(
    conn: &Connection,
    doc: i64,
    columns: TimelineColumns,
    mut tally: Tally,
    mut row: impl FnMut(&mut Vec<u8>, &TimelineRow) -> Result<()> + Send,
) -> Result<(Summary, Spool)> {
    let mut spool = Spool::new()?;
    let mut buf = Vec::new();
    handoff::run(
        |each| timelines(conn, doc, columns, each),
        |t| {
            tally.add(&t.summary_row(), |_| Ok(office_of(t)))?;
            buf.clear();
            row(&mut buf, t)?;
            spool.write(&buf)
        },
    )?;
    Ok((tally.finish(conn)?, spool))
}

/// The text report: the summary, then every recipient's timeline. One pass over the deliveries counts
/// the summary and writes the timelines (spooled until the summary is known).
pub fn write_text(conn: &Connection, doc: i64, tally: Tally, w: &mut dyn Write) -> Result<Summary> {
    let mut line = String::new();
    let mut times = ShownCache::default();
    let (s, spool) = counted_and_spooled(conn, doc, TimelineColumns::Brief, tally, |buf, t| {
        line.clear();
        timeline_text(&mut line, &mut times, t);
        buf.extend_from_slice(line.as_bytes());
        Ok(())
    })?;
    w.write_all(summary_text(&s).as_bytes()).map_err(io)?;
    w.write_all(b"\nTimelines\n").map_err(io)?;
    spool.copy_to(w)?;
    Ok(s)
}

/// The JSON report, `{"summary": {...}, "timelines": [...]}`, counted and written in one pass like the text.
pub fn write_json(conn: &Connection, doc: i64, tally: Tally, w: &mut dyn Write) -> Result<Summary> {
    let mut first = true;
    let (s, spool) = counted_and_spooled(conn, doc, TimelineColumns::All, tally, |buf, t| {
        if !first {
            buf.extend_from_slice(b",\n");
        }
        first = false;
        serde_json::to_writer(buf, t).map_err(|e| Error::Conflict(e.to_string()))
    })?;
    let head = serde_json::to_string(&s).map_err(|e| Error::Conflict(e.to_string()))?;
    write!(w, "{{\"summary\":{head},\"timelines\":[").map_err(io)?;
    spool.copy_to(w)?;
    w.write_all(b"]}\n").map_err(io)?;
    Ok(s)
}

/// A cell as a spreadsheet shows it and never runs it: text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (a formula, such as a name typed into the public acknowledgement form as
/// `=HYPERLINK(…)`) gets a leading `'` (OWASP's advice on CSV injection). Other text is borrowed as it is.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Write one CSV record, every cell through `csv_cell`: the one way tamim writes CSV (the audit, the
/// auditor's downloads). Allocates only for a cell it prefixes.
pub fn csv_record<W: Write, S: AsRef<str>>(w: &mut csv::Writer<W>, cells: impl IntoIterator<Item = S>) -> csv::Result<()> {
    for c in cells {
        w.write_field(csv_cell(c.as_ref()).as_bytes())?;
    }
    w.write_record(std::iter::empty::<&[u8]>())
}

pub const CSV_HEADER: [&str; 15] = [
    "recipient", "name", "kind", "office", "role", "path", "state", "channel", "sent_at", "received_at", "recipient_kayit_no",
    "acknowledged_at", "ack_by", "ack_method", "timeline",
];

/// One row per recipient; the timeline as `time kind; time kind; …`.
pub fn write_csv(conn: &Connection, doc: i64, w: &mut dyn Write) -> Result<()> {
    let mut c = csv::Writer::from_writer(w);
    let err = |e: csv::Error| Error::Conflict(format!("writing CSV: {e}"));
    csv_record(&mut c, CSV_HEADER).map_err(err)?;
    let mut tl = String::new();
    timelines(conn, doc, TimelineColumns::Csv, |t| {
        tl.clear();
        for (i, e) in t.events.iter().enumerate() {
            if i > 0 {
                tl.push_str("; ");
            }
            tl.push_str(&e.at);
            tl.push(' ');
            event_line(&mut tl, &e.kind, &e.detail);
        }
        fn o(x: Option<&str>) -> &str {
            x.unwrap_or_default()
        }
        let d = &t.delivery;
        csv_record(
            &mut c,
            [
                d.recipient_code,
                d.name,
                d.recipient_kind,
                o(t.office_code),
                d.role,
                d.path,
                d.state,
                o(d.channel),
                o(d.sent_at),
                o(d.received_at),
                o(t.extra.recipient_kayit_no),
                o(d.acknowledged_at),
                o(d.ack_by),
                o(d.ack_method),
                &tl,
            ],
        )
        .map_err(err)
    })?;
    c.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_get_a_quote() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ali = Veli", "Ali = Veli"),
            ("", ""),
            ("İstanbul", "İstanbul"),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
        assert!(matches!(csv_cell("Ali"), Cow::Borrowed(_)));
        let mut w = csv::Writer::from_writer(Vec::new());
        csv_record(&mut w, ["=1+1", "a,b", "x"]).unwrap();
        csv_record(&mut w, [String::from("@x"), String::new(), "-".into()]).unwrap();
        assert_eq!(String::from_utf8(w.into_inner().unwrap()).unwrap(), "'=1+1,\"a,b\",x\n'@x,,'-\n");
    }
}
