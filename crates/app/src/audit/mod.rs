//! The auditor's proof: verifying the hash-chained event log (`verify`), the audit report of an issued
//! document (text, JSON, CSV, PDF with charts) and the tebliğ-tebellüğ sign-off sheet.
//!
//! [`write_report`] is the whole report: inside one read transaction, the log is verified on other
//! connections reading the same committed state (`store::snapshot`) while one pass over the deliveries,
//! merged with their events, counts the summary (`summary`) and writes every recipient's timeline
//! (`timeline`) to a temporary file; then the summary is written, and the timelines after it. The pass
//! is split into id ranges, one per core, each on its own connection and thread (`BENCHMARKS.md`).
//!
//! Architecture invariant: reads only. Nothing here changes the registry; SQL stays in `store::audit`.

pub mod chart;
pub mod pdf;
pub mod sections;
pub mod summary;
pub mod timeline;
pub mod verify;

use chrono::NaiveDate;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use tamim_store::Conn;

use crate::config::AckSettings;
use crate::error::{Error, Result};
pub use summary::Summary;

/// The summary as the text report prints it ([`sections`]).
pub fn summary_text(s: &Summary, zone: chrono_tz::Tz) -> String {
    sections::text(&sections::sections(s, zone))
}
use tamim_store::audit::{self as rows, Columns};
use tamim_store::snapshot::{self, Snapshot};
pub use timeline::{csv_cell, csv_record};
pub use verify::{verify, Verification};

/// The formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The summary, then every recipient's timeline.
    Text,
    /// `{"summary": {...}, "timelines": [...]}`.
    Json,
    /// One row per recipient, its timeline in the last cell (no summary).
    Csv,
    /// The CSV in the form Turkish Excel opens directly (`sheet::Format::CsvExcel`).
    CsvExcel,
    /// The CSV's rows as a workbook (`sheet::Format::Xlsx`), streamed.
    Xlsx,
    /// The summary with charts, and the timelines for documents up to `pdf::TIMELINE_LIMIT` recipients.
    Pdf,
}

/// What the closing line of a report says: how many recipients, the share acknowledged, the log's verification.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub total: i64,
    pub acknowledged_percent: f64,
    pub log: Verification,
}

/// An audit of one document under way: a read transaction on the caller's connection (ended when this is
/// dropped), more connections reading the same committed state (`store::snapshot`), and the event log
/// being verified on some of them, so an acknowledgement recorded meanwhile is in none of the report and
/// the head hash it prints is the head of the log it counted.
pub struct Audit<'c> {
    conn: &'c Conn,
    doc: i64,
    /// What the summary needs of the document (taken when it is finished).
    cx: Option<summary::Context>,
    /// For reading the deliveries in parts, one more on each.
    readers: Vec<Conn>,
    log: Option<std::thread::JoinHandle<Result<Verification>>>,
    /// The office's clock, for the times the report shows ([`Audit::in_zone`]; Europe/Istanbul).
    zone: chrono_tz::Tz,
    _snapshot: Snapshot<'c>,
}

/// What one part of the deliveries (a range of ids) counted, and its recipients as the body shows them.
type Part = (summary::Tally, Option<timeline::Writer<BufWriter<File>>>);

impl<'c> Audit<'c> {
    /// Begin the audit of `doc` (checked to be issued and sent before anything is written).
    pub fn begin(conn: &'c Conn, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Audit<'c>> {
        let parts = verify::threads();
        let (snapshot, mut spares) = snapshot::begin(conn, verify::threads() + parts - 1)?;
        let cx = summary::Context::load(conn, doc, cfg, today)?;
        let readers = spares.split_off(spares.len().saturating_sub(parts - 1));
        // Without spares (a database in memory, or `conn` already inside a transaction), `conn` reads
        // everything and the log is verified on it when it is needed.
        let log = match spares.is_empty() {
            true => None,
            false => {
                let first = spares.remove(0);
                let t = std::thread::Builder::new()
                    .name("tamim-log-verify".into())
                    .spawn(move || verify::verify_in(&first, spares));
                Some(t.map_err(|e| Error::runtime("starting the log verification", e))?)
            }
        };
        Ok(Audit {
            conn,
            doc,
            cx: Some(cx),
            readers,
            log,
            zone: chrono_tz::Europe::Istanbul,
            _snapshot: snapshot,
        })
    }

    /// Show the report's times on the clock of `zone` (office.toml `time_zone`).
    pub fn in_zone(mut self, zone: chrono_tz::Tz) -> Audit<'c> {
        self.zone = zone;
        self
    }

    /// The event log's verification (waiting for it).
    fn log(&mut self) -> Result<Verification> {
        match self.log.take() {
            Some(t) => t.join().unwrap_or_else(|_| Err(panicked("verifying the log"))),
            None => verify::verify_in(self.conn, Vec::new()),
        }
    }

    /// One pass over the deliveries with their events, in consecutive id ranges each on its own thread
    /// and connection: each counts its part of the summary and, for a `body`, writes its recipients to a
    /// temporary file of its own (the summary comes first in a report, but is known only at the end).
    fn pass(&mut self, body: Option<Format>) -> Result<(summary::Tally, Vec<timeline::Writer<BufWriter<File>>>)> {
        let (conn, doc, zone) = (self.conn, self.doc, self.zone);
        let cx = self
            .cx
            .as_ref()
            .ok_or_else(|| Error::Internal("an audit counts its deliveries once".into()))?;
        let ranges = rows::id_ranges(conn, doc, self.readers.len() + 1)?;
        let readers = std::mem::take(&mut self.readers);
        let columns = if body.is_some() { Columns::All } else { Columns::Summary };
        let part = |c: &Conn, range: (i64, i64)| -> Result<Part> {
            let mut tally = summary::Tally::default();
            let mut out = match body {
                Some(f) => {
                    let file = tempfile::tempfile().map_err(|e| Error::io(std::env::temp_dir(), e))?;
                    Some(timeline::Writer::new(
                        f,
                        BufWriter::new(file),
                        range == ranges[0],
                        zone,
                    )?)
                }
                None => None,
            };
            rows::for_each_recipient(c, doc, range, columns, |r, events| {
                tally.add(cx, r, events);
                out.as_mut().map_or(Ok(()), |w| w.recipient(r, events))
            })?;
            Ok((tally, out))
        };
        let parts = std::thread::scope(|s| -> Result<Vec<Part>> {
            let part = &part;
            let others: Vec<_> = readers
                .into_iter()
                .zip(ranges.iter().skip(1))
                .map(|(c, r)| s.spawn(move || part(&c, *r)))
                .collect();
            let mut parts = vec![part(conn, ranges[0])?];
            for t in others {
                parts.push(t.join().unwrap_or_else(|_| Err(panicked("reading the deliveries")))?);
            }
            Ok(parts)
        })?;
        let mut tally = summary::Tally::default();
        let mut bodies = Vec::new();
        for (t, w) in parts {
            tally.follow(t);
            bodies.extend(w);
        }
        Ok((tally, bodies))
    }

    /// The summary from one pass's `tally`, the log's verification joined.
    fn summary_of(&mut self, tally: summary::Tally) -> Result<Summary> {
        let log = self.log()?;
        let cx = self
            .cx
            .take()
            .ok_or_else(|| Error::Internal("an audit is summed up once".into()))?;
        summary::finish(self.conn, cx, tally, log)
    }

    /// The summary (what the server's pages and the demo show).
    pub fn summary(mut self) -> Result<Summary> {
        let (tally, _) = self.pass(None)?;
        self.summary_of(tally)
    }

    /// Write the report in `format` to `w`.
    ///
    /// Generic over the writer so that, when it is a file (a `BufWriter<File>`), the body's parts are
    /// copied after the summary by the kernel (`std::io::copy` uses `copy_file_range`), not through this
    /// process: that copy was 7.4 % of the text audit's samples at a million recipients (BENCHMARKS.md).
    pub fn write<W: Write>(mut self, format: Format, w: &mut W) -> Result<ReportSummary> {
        let io = |e: std::io::Error| Error::io("audit output", e);
        let (tally, bodies) = self.pass((format != Format::Pdf).then_some(format))?;
        let (total, acked) = (tally.total, tally.acked);
        let s = self.summary_of(tally)?;
        // The staff duty's coverage, for documents where some recipient carries it.
        let staff = Some(crate::roster::coverage::coverage(self.conn, self.doc)?).filter(|c| !c.offices.is_empty());
        // What the offices below reported back (another tamim's `POST /rapor`).
        let below = crate::report::upper::of_document(self.conn, self.doc)?;
        match format {
            Format::Text => {
                w.write_all(summary_text(&s, self.zone).as_bytes()).map_err(io)?;
                if let Some(c) = &staff {
                    w.write_all(crate::roster::coverage::text(c).as_bytes()).map_err(io)?;
                }
                if !below.is_empty() {
                    w.write_all(crate::report::upper::text(&below, self.zone).as_bytes())
                        .map_err(io)?;
                }
                w.write_all("\nZaman çizelgeleri\n".as_bytes()).map_err(io)?;
                copy(bodies, b"", w)?;
            }
            Format::Json => {
                w.write_all(b"{\"summary\":").map_err(io)?;
                serde_json::to_writer(&mut *w, &s).map_err(|e| io(e.into()))?;
                if let Some(c) = &staff {
                    w.write_all(b",\"staff_coverage\":").map_err(io)?;
                    serde_json::to_writer(&mut *w, c).map_err(|e| io(e.into()))?;
                }
                if !below.is_empty() {
                    w.write_all(b",\"reports\":").map_err(io)?;
                    serde_json::to_writer(&mut *w, &below).map_err(|e| io(e.into()))?;
                }
                w.write_all(b",\"timelines\":[").map_err(io)?;
                copy(bodies, b",\n", w)?;
                w.write_all(b"]}\n").map_err(io)?;
            }
            Format::Csv | Format::CsvExcel => {
                // No summary: the rows after their header, which the first part wrote.
                copy(bodies, b"", w)?;
            }
            Format::Xlsx => {
                let mut book = crate::sheet::Book::new().in_zone(self.zone);
                let mut sheet = book.sheet(SHEET, &timeline::COLUMNS)?;
                for b in bodies {
                    let mut f = b.into_inner()?.into_inner().map_err(|e| io(e.into_error()))?;
                    f.seek(SeekFrom::Start(0)).map_err(io)?;
                    sheet.copy_csv(std::io::BufReader::with_capacity(1 << 20, f), &timeline::COLUMNS)?;
                }
                book.write_to(w)?;
            }
            Format::Pdf => w
                .write_all(&pdf::render(self.conn, self.doc, &s, self.zone)?)
                .map_err(io)?,
        }
        let acknowledged_percent = crate::ack::status::percent(acked, total);
        Ok(ReportSummary {
            total,
            acknowledged_percent,
            log: s.log,
        })
    }
}

/// The name of the workbook's sheet.
const SHEET: &str = "Tebliğ Durumu";

fn panicked(what: &str) -> Error {
    Error::Internal(format!("a thread {what} panicked"))
}

/// Write the parts' bodies to `w` in order, `between` two that hold recipients.
fn copy<W: Write>(bodies: Vec<timeline::Writer<BufWriter<File>>>, between: &[u8], w: &mut W) -> Result<()> {
    let io = |e: std::io::Error| Error::io("audit output", e);
    let mut first = true;
    for b in bodies {
        let written = b.written();
        let mut f = b.into_inner()?.into_inner().map_err(|e| io(e.into_error()))?;
        if !written {
            continue;
        }
        if !first {
            w.write_all(between).map_err(io)?;
        }
        first = false;
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        std::io::copy(&mut f, w).map_err(io)?;
    }
    Ok(())
}

/// The audit report of `doc` in `format`, written to `w`: the whole report in one call.
pub fn write_report(
    conn: &Conn,
    doc: i64,
    cfg: &AckSettings,
    today: NaiveDate,
    format: Format,
    w: &mut impl Write,
) -> Result<ReportSummary> {
    Audit::begin(conn, doc, cfg, today)?.write(format, w)
}
