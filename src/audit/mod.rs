//! The auditor's proof: verifying the hash-chained event log (`verify`), the audit report of an issued
//! document (text, JSON, CSV, PDF with charts) and the tebliğ-tebellüğ sign-off sheet.
//!
//! [`write_report`] is the whole report: inside one read transaction, the log is verified on other
//! connections reading the same committed state (`store::snapshot`) while the summary counts the
//! deliveries in one pass (`summary`); then the summary is written and every recipient's timeline
//! streamed after it in a second pass (`timeline`). The formatting never runs inside the verification.
//!
//! Architecture invariant: reads only. Nothing here changes the registry; SQL stays in `store::audit`.

pub mod chart;
pub mod pdf;
pub mod pdfkit;
pub mod signoff;
pub mod summary;
pub mod timeline;
pub mod verify;

use chrono::NaiveDate;
use rusqlite::Connection;
use std::io::Write;

use crate::config::AckSettings;
use crate::error::{Error, Result};
use crate::store::snapshot::{self, Snapshot};
pub use summary::{summary_text, Summary};
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
/// dropped) and the event log being verified on other connections reading the same committed state, so an
/// acknowledgement recorded meanwhile is in none of the report and the head hash it prints is the head
/// of the log it counted.
pub struct Audit<'c> {
    conn: &'c Connection,
    doc: i64,
    cfg: AckSettings,
    today: NaiveDate,
    log: Option<std::thread::JoinHandle<Result<Verification>>>,
    _snapshot: Snapshot<'c>,
}

impl<'c> Audit<'c> {
    /// Begin the audit of `doc` (checked to be issued and sent before anything is written).
    pub fn begin(conn: &'c Connection, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Audit<'c>> {
        let (snapshot, mut spares) = snapshot::begin(conn, verify::threads())?;
        crate::ack::status::head(conn, doc)?;
        // Without spares (a database in memory, or `conn` already inside a transaction), the log is
        // verified on `conn` when it is needed.
        let log = match spares.is_empty() {
            true => None,
            false => {
                let first = spares.remove(0);
                let t = std::thread::Builder::new().name("tamim-log-verify".into()).spawn(move || verify::verify_in(&first, spares));
                Some(t.map_err(|e| Error::Conflict(format!("starting the log verification: {e}")))?)
            }
        };
        Ok(Audit { conn, doc, cfg: cfg.clone(), today, log, _snapshot: snapshot })
    }

    /// The event log's verification (waiting for it).
    fn log(&mut self) -> Result<Verification> {
        match self.log.take() {
            Some(t) => t.join().unwrap_or_else(|_| Err(Error::Conflict("the event-log verification thread panicked".into()))),
            None => verify::verify_in(self.conn, Vec::new()),
        }
    }

    /// The summary (what the server's pages and the demo show).
    pub fn summary(mut self) -> Result<Summary> {
        self.summarize()
    }

    fn summarize(&mut self) -> Result<Summary> {
        let (conn, doc, today) = (self.conn, self.doc, self.today);
        let cfg = self.cfg.clone();
        summary::summarize(conn, doc, &cfg, today, || self.log())
    }

    /// Write the report in `format` to `w`.
    pub fn write(mut self, format: Format, w: &mut dyn Write) -> Result<ReportSummary> {
        let io = |e: std::io::Error| Error::io("audit output", e);
        let (conn, doc) = (self.conn, self.doc);
        let said = |s: &Summary| ReportSummary { total: s.total, acknowledged_percent: s.acknowledged_percent, log: s.log.clone() };
        match format {
            Format::Csv => {
                let r = timeline::write(conn, doc, timeline::Body::Csv, w)?;
                let log = self.log()?;
                Ok(ReportSummary { total: r.total, acknowledged_percent: crate::ack::status::percent(r.acknowledged, r.total), log })
            }
            Format::Text => {
                let s = self.summarize()?;
                w.write_all(summary_text(&s).as_bytes()).map_err(io)?;
                w.write_all(b"\nTimelines\n").map_err(io)?;
                timeline::write(conn, doc, timeline::Body::Text, w)?;
                Ok(said(&s))
            }
            Format::Json => {
                let s = self.summarize()?;
                w.write_all(b"{\"summary\":").map_err(io)?;
                serde_json::to_writer(&mut *w, &s).map_err(|e| io(e.into()))?;
                w.write_all(b",\"timelines\":[").map_err(io)?;
                timeline::write(conn, doc, timeline::Body::Json, w)?;
                w.write_all(b"]}\n").map_err(io)?;
                Ok(said(&s))
            }
            Format::Pdf => {
                let s = self.summarize()?;
                w.write_all(&pdf::render(conn, doc, &s)?).map_err(io)?;
                Ok(said(&s))
            }
        }
    }
}

/// The audit report of `doc` in `format`, written to `w`: the whole report in one call.
pub fn write_report(conn: &Connection, doc: i64, cfg: &AckSettings, today: NaiveDate, format: Format, w: &mut dyn Write) -> Result<ReportSummary> {
    Audit::begin(conn, doc, cfg, today)?.write(format, w)
}

/// The audit summary of `doc`, everything (the event log's verification included) read at one committed state.
pub fn summary(conn: &Connection, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Summary> {
    Audit::begin(conn, doc, cfg, today)?.summary()
}
