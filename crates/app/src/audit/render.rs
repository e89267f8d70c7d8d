//! Writing the audit report as text, JSON or CSV, streaming the per-recipient timelines to the writer.

use tamim_store::Conn;
use std::borrow::Cow;
use std::io::Write;

use super::fragment::{Fragments, Shape};
use super::gather::{Event, Timelines};
use super::report::{self, Counted, Summary, Tally, TimelineColumns};
use super::spool::{Heads, Spool};
use super::verify::{self, Verification};
use crate::error::{Error, Result};
use tamim_store::receipts::{self, TimelineRow};

fn io(e: std::io::Error) -> Error {
    Error::io("audit output", e)
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

/// A recipient's head line in the text report: `  P0000001 Personel 0000001 [gereği · ODA-0001 · sent]`.
fn head_text(o: &mut Vec<u8>, t: &TimelineRow) {
    let d = &t.delivery;
    for part in ["  ", d.recipient_code, " ", d.name, " [", d.role, " · ", t.office_code.unwrap_or_default(), " · ", d.state, "]\n"] {
        o.extend_from_slice(part.as_bytes());
    }
}

/// The office a timeline names, as the tally wants it.
fn office_of(t: &TimelineRow) -> Option<(String, String)> {
    t.office_code.zip(t.office_name).map(|(code, name)| (code.to_string(), name.to_string()))
}

/// The first of a report's two steps, taken while the event log is verified on other threads: every
/// delivery counted into `tally` (when the report has a summary) and its head written by `head` to a
/// spool. The document's ids are split into consecutive ranges, one walked on this thread and one on each
/// of `readers` (connections reading what `conn` reads, `report::begin_gathering`), each into a spool of
/// its own, in id order. The second step is [`write_timelines`].
fn heads(
    conn: &Conn,
    doc: i64,
    columns: TimelineColumns,
    tally: Option<&mut Tally>,
    readers: Vec<Conn>,
    head: fn(&mut Vec<u8>, &TimelineRow) -> Result<()>,
) -> Result<(Vec<Spool>, Reached)> {
    let (lo, hi) = receipts::id_range(conn, doc)?;
    let ranges = split(lo, hi, readers.len() + 1);
    let walk = |c: &Conn, range: (i64, i64), mut count: Option<(&report::Context, &mut Counted)>| -> Result<(Spool, Reached)> {
        let mut spool = Spool::new()?;
        let mut buf = Vec::new();
        let mut reached = Reached::default();
        receipts::for_each_delivery_in(c, doc, columns, range, |t| {
            reached.total += 1;
            reached.acknowledged += i64::from(t.delivery.state == "acknowledged");
            if let Some((cx, counted)) = count.as_mut() {
                counted.add(cx, &t.summary_row(), |_| Ok(office_of(t)))?;
            }
            buf.clear();
            head(&mut buf, t)?;
            spool.push(t.delivery.id, &buf)
        })?;
        Ok((spool, reached))
    };
    // Each range's share of the summary, when the report has one.
    let (cx, mut parts): (Option<&report::Context>, Vec<Option<Counted>>) = match tally.as_deref() {
        Some(t) => {
            let (cx, parts) = t.parts(&ranges);
            (Some(cx), parts.into_iter().map(Some).collect())
        }
        None => (None, ranges.iter().map(|_| None).collect()),
    };
    let (spools, reached) = std::thread::scope(|s| -> Result<(Vec<Spool>, Reached)> {
        let (first, rest) = parts.split_first_mut().expect("one range at least");
        let others: Vec<_> = readers
            .into_iter()
            .zip(&ranges[1..])
            .zip(rest)
            .map(|((c, r), p)| spawn(s, move || walk(&c, *r, cx.zip(p.as_mut()))))
            .collect::<Result<_>>()?;
        let (spool, mut reached) = walk(conn, ranges[0], cx.zip(first.as_mut()))?;
        let mut spools = vec![spool];
        for t in others {
            let (spool, r) = joined(t)?;
            spools.push(spool);
            reached.total += r.total;
            reached.acknowledged += r.acknowledged;
        }
        Ok((spools, reached))
    })?;
    if let Some(t) = tally {
        t.absorb(parts.into_iter().flatten().collect());
    }
    Ok((spools, reached))
}

/// How many recipients a report's walk read, and how many of them acknowledged.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub total: i64,
    pub acknowledged: i64,
}

/// Start a thread reading some of the deliveries.
fn spawn<'scope, T: Send + 'scope>(
    s: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> Result<T> + Send + 'scope,
) -> Result<std::thread::ScopedJoinHandle<'scope, Result<T>>> {
    std::thread::Builder::new()
        .name("tamim-audit-read".into())
        .spawn_scoped(s, f)
        .map_err(|e| Error::Conflict(format!("starting a thread to read the deliveries: {e}")))
}

/// A walking thread's result (a panic is an error, not a crash).
fn joined<T>(t: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    t.join().unwrap_or_else(|_| Err(Error::Conflict("a thread reading the deliveries panicked".into())))
}

/// `lo..=hi` in `n` consecutive ranges of about the same size (fewer when there are few ids; one at least).
fn split(lo: i64, hi: i64, n: usize) -> Vec<(i64, i64)> {
    /// Below this many ids a range is not worth a thread.
    const LEAST: i128 = 1024;
    // In i128: ids spread over most of i64 (a row inserted by hand) must not overflow.
    let (lo_w, span) = (lo as i128, (hi as i128 - lo as i128 + 1).max(0));
    let n = (n as i128).min(span / LEAST).max(1);
    if n == 1 {
        return vec![(lo, hi)];
    }
    (0..n).map(|k| ((lo_w + k * span / n) as i64, (lo_w + (k + 1) * span / n - 1) as i64)).collect()
}

/// Writes the timelines part of a report: each recipient's head, then its events, in the report's shape.
struct Records<'w> {
    shape: Shape,
    w: &'w mut dyn Write,
    first: bool,
    /// The timeline's cell: its pieces joined, then as CSV writes it (reused for every recipient); a
    /// packed event expanded.
    cell: Vec<u8>,
    field: Vec<u8>,
}

impl Records<'_> {
    /// Write delivery `id`'s `head` and its `events`.
    fn record<'a>(&mut self, head: &[u8], id: i64, events: impl Iterator<Item = Event<'a>>) -> Result<()> {
        let w = &mut *self.w;
        match self.shape {
            Shape::Text => {
                w.write_all(head).map_err(io)?;
                for e in events {
                    w.write_all(e.bytes).map_err(io)?;
                }
            }
            Shape::Json => {
                if !self.first {
                    w.write_all(b",\n").map_err(io)?;
                }
                w.write_all(head).map_err(io)?;
                for (i, e) in events.enumerate() {
                    if i > 0 {
                        w.write_all(b",").map_err(io)?;
                    }
                    match e.packed {
                        Some(p) => {
                            self.cell.clear();
                            p.expand(e.bytes, id, &mut self.cell);
                            w.write_all(&self.cell).map_err(io)?;
                        }
                        None => w.write_all(e.bytes).map_err(io)?,
                    }
                }
                w.write_all(b"]}").map_err(io)?;
            }
            Shape::Csv => {
                w.write_all(head).map_err(io)?;
                self.cell.clear();
                for (i, e) in events.enumerate() {
                    if i > 0 {
                        self.cell.extend_from_slice(b"; ");
                    }
                    self.cell.extend_from_slice(e.bytes);
                }
                self.field.clear();
                csv_field(&mut self.field, &self.cell);
                self.field.push(b'\n');
                w.write_all(&self.field).map_err(io)?;
            }
        }
        self.first = false;
        Ok(())
    }
}

/// The pieces of `bytes` that end at each of `ends`.
fn pieces<'a>(bytes: &'a [u8], ends: &'a [usize]) -> impl Iterator<Item = Event<'a>> + 'a {
    ends.iter().scan(0, move |start, end| {
        let piece = &bytes[*start..*end];
        *start = *end;
        Some(Event { bytes: piece, packed: None })
    })
}

/// Write the spooled heads up to delivery `id` (those before it with no events) and `id`'s with `events`.
fn write_through(heads: &mut Heads, more: &mut bool, out: &mut Records, id: i64, events: (&[u8], &[usize])) -> Result<()> {
    while *more && heads.id < id {
        out.record(heads.head(), heads.id, std::iter::empty())?;
        *more = heads.advance()?;
    }
    if *more && heads.id == id {
        out.record(heads.head(), id, pieces(events.0, events.1))?;
        *more = heads.advance()?;
    }
    Ok(())
}

/// The second step: every spooled head followed by its recipient's events, as the verification's walk
/// gathered them or, when it did not (too many to hold), read again from the `events_timeline` index.
fn write_timelines(conn: &Conn, doc: i64, spools: Vec<Spool>, gathered: Option<Timelines>, shape: Shape, w: &mut dyn Write) -> Result<()> {
    let mut heads = Spool::read(spools)?;
    let mut out = Records { shape, w, first: true, cell: Vec::new(), field: Vec::new() };
    if let Some(t) = gathered.filter(|t| t.shape() == shape) {
        while heads.advance()? {
            out.record(heads.head(), heads.id, t.events(heads.id))?;
        }
        return Ok(());
    }
    let mut more = heads.advance()?;
    let mut fragments = Fragments::new(shape);
    let (mut bytes, mut ends) = (Vec::new(), Vec::new());
    let mut current: Option<i64> = None;
    receipts::for_each_document_event(conn, doc, |e| {
        if current != Some(e.delivery_id) {
            if let Some(id) = current {
                write_through(&mut heads, &mut more, &mut out, id, (&bytes, &ends))?;
            }
            bytes.clear();
            ends.clear();
            current = Some(e.delivery_id);
        }
        fragments.push(&mut bytes, e);
        ends.push(bytes.len());
        Ok::<_, Error>(())
    })?;
    if let Some(id) = current {
        write_through(&mut heads, &mut more, &mut out, id, (&bytes, &ends))?;
    }
    write_through(&mut heads, &mut more, &mut out, i64::MAX, (&[], &[]))
}

/// The text report: the summary, then every recipient's timeline. The deliveries are read once, counted
/// and their heads spooled while the log is verified (its walk gathering the events as lines); then the
/// summary is written, and each head with its events.
pub fn write_text(conn: &Conn, doc: i64, mut tally: Tally, readers: Vec<Conn>, w: &mut dyn Write) -> Result<Summary> {
    let (spool, _) = heads(conn, doc, TimelineColumns::Brief, Some(&mut tally), readers, |buf, t| {
        head_text(buf, t);
        Ok(())
    })?;
    let (s, gathered) = tally.finish_noted(conn)?;
    w.write_all(summary_text(&s).as_bytes()).map_err(io)?;
    w.write_all(b"\nTimelines\n").map_err(io)?;
    write_timelines(conn, doc, spool, gathered, Shape::Text, w)?;
    Ok(s)
}

/// The JSON report, `{"summary": {...}, "timelines": [...]}`, made in the same two steps as the text.
pub fn write_json(conn: &Conn, doc: i64, mut tally: Tally, readers: Vec<Conn>, w: &mut dyn Write) -> Result<Summary> {
    let (spool, _) = heads(conn, doc, TimelineColumns::All, Some(&mut tally), readers, |buf, t| {
        // The recipient's object with no events, open at its `events` array for them to follow.
        super::head_json::head(buf, t);
        Ok(())
    })?;
    let (s, gathered) = tally.finish_noted(conn)?;
    let head = serde_json::to_string(&s).map_err(|e| Error::Conflict(e.to_string()))?;
    write!(w, "{{\"summary\":{head},\"timelines\":[").map_err(io)?;
    write_timelines(conn, doc, spool, gathered, Shape::Json, w)?;
    w.write_all(b"]}\n").map_err(io)?;
    Ok(s)
}

/// Append `cell` as `csv_record` writes a cell of a record of several: through `csv_cell` (a `'` before
/// what a spreadsheet would run), quoted (quotes doubled) when it holds a comma, a quote or a line break,
/// as the `csv` crate does.
fn csv_field(out: &mut Vec<u8>, cell: &[u8]) {
    // One pass with no early exit, which the compiler vectorizes: cells are short, and memchr's set-up
    // for each would cost more than the search.
    let quoted = cell.iter().fold(false, |q, b| q | (*b == b',') | (*b == b'"') | (*b == b'\n') | (*b == b'\r'));
    if quoted {
        out.push(b'"');
    }
    if matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) {
        out.push(b'\'');
    }
    if quoted {
        let mut rest = cell;
        while let Some(q) = memchr::memchr(b'"', rest) {
            out.extend_from_slice(&rest[..=q]);
            out.push(b'"');
            rest = &rest[q + 1..];
        }
        out.extend_from_slice(rest);
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
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

/// One row per recipient; the timeline as `time kind; time kind; …`. Made in the text report's two steps
/// (the rows but their last cell spooled while the log is verified), so the log's verification, `log`, is
/// joined before the first row is written, and returned with how many recipients the rows count.
pub fn write_csv(conn: &Conn, doc: i64, log: verify::Pending, readers: Vec<Conn>, w: &mut dyn Write) -> Result<(Verification, Reached)> {
    let err = |e: csv::Error| Error::Conflict(format!("writing CSV: {e}"));
    let (spool, reached) = heads(conn, doc, TimelineColumns::Csv, None, readers, |buf, t| {
        fn o(x: Option<&str>) -> &str {
            x.unwrap_or_default()
        }
        let d = &t.delivery;
        // The record up to the timeline's cell (`…,ack_method,`).
        for cell in [
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
        ] {
            csv_field(buf, cell.as_bytes());
            buf.push(b',');
        }
        Ok(())
    })?;
    let (verification, noted) = log.join(conn)?;
    let mut header = csv::Writer::from_writer(Vec::new());
    csv_record(&mut header, CSV_HEADER).map_err(err)?;
    w.write_all(&header.into_inner().map_err(|e| io(e.into_error()))?).map_err(io)?;
    write_timelines(conn, doc, spool, noted.timelines, Shape::Csv, w)?;
    Ok((verification, reached))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_consecutive_ranges_covering_them_all() {
        let cases = [
            (1, 1_000_000, 2),
            (1, 1_000_000, 3),
            (5, 20_000, 4),
            (7, 9_000, 2),
            (1, 2047, 2),
            (1, 100, 4),
            (0, -1, 2),
            (3, 3, 1),
            (1, 1 << 62, 2),
            (i64::MIN + 1, i64::MAX, 3),
            (-5, 1 << 40, 4),
        ];
        for (lo, hi, n) in cases {
            let r = split(lo, hi, n);
            assert!(!r.is_empty() && r.len() <= n);
            assert_eq!((r[0].0, r[r.len() - 1].1), (lo, hi), "{lo} {hi} {n}");
            assert!(r.windows(2).all(|w| w[1].0 == w[0].1 + 1 && w[0].1 >= w[0].0), "{r:?}");
            if (hi as i128 - lo as i128 + 1) >= 2 * 1024 {
                assert!(r.len() >= 2, "{r:?}");
            }
        }
        assert_eq!(split(1, 1_000_000, 2), vec![(1, 500_000), (500_001, 1_000_000)]);
    }

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

    /// The audit's CSV rows are put together cell by cell (`csv_field`): the same bytes as `csv_record`.
    #[test]
    fn csv_fields_are_written_as_the_csv_crate_writes_them() {
        let cells = [
            "", "x", "a,b", "say \"hi\"", "\"", "line\nbreak", "cr\rhere", "=SUM(A1)", "-1", " lead", "tail ", "#x", "'q", "İı; ş",
            "2021-11-05T09:00:00Z sent channel=email reply=250 2.0.0 Ok; 2021-11-06T09:00:00Z acknowledged by=\"Ali, Veli\"",
        ];
        for a in cells {
            for b in cells {
                let mut want = csv::Writer::from_writer(Vec::new());
                csv_record(&mut want, [a, b, a]).unwrap();
                let mut got = Vec::new();
                for (i, c) in [a, b, a].iter().enumerate() {
                    if i > 0 {
                        got.push(b',');
                    }
                    csv_field(&mut got, c.as_bytes());
                }
                got.push(b'\n');
                assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want.into_inner().unwrap()).unwrap(), "{a:?} {b:?}");
            }
        }
    }
}
