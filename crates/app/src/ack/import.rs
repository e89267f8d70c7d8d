//! `ack import`: a signed paper sign-off sheet (tebliğ-tebellüğ listesi), typed in as CSV.
//!
//! Columns (any order, CSV or `.xlsx`, English or Turkish names; extra columns ignored):
//! `document,recipient,name,at,method,kayit_no`
//! - `document`: the document as on the command line (`#12`, a sayı, `2021/243`);
//! - `recipient`: the org or person code the document was sent to;
//! - `name`: who signed (required); `at`: the date (and time) written beside the signature;
//! - `method`: `paper` when empty (or phone, kep, manual); `kayit_no`: the recipient's kayıt no, may be empty.
//!
//! Every line is checked; a bad line is reported with its line number and nothing is imported,
//! unless `partial` is set, when the good lines are imported and the bad ones reported.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::Path;
use tamim_store::Tx;

use super::record::{acknowledge_by_clerk, find_delivery, Ack, Method};
use crate::error::{Error, Result};
use crate::registry::csv_import::BadLines;
use crate::registry::document;

pub const HEADER: [&str; 6] = ["document", "recipient", "name", "at", "method", "kayit_no"];

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub imported: usize,
    /// With `partial`: the lines skipped, as `line N: problem`.
    pub skipped: Vec<String>,
}

struct Line {
    number: usize,
    fields: Vec<String>,
}

/// The sheet's rows; unreadable rows go to `bad` (the CSV reading is the registry's importers').
fn read(path: &Path, bad: &mut Vec<(usize, String)>) -> Result<Vec<Line>> {
    let (rows, malformed) = crate::registry::csv_import::read_csv_lenient(path, &HEADER)?;
    bad.extend(malformed);
    Ok(rows
        .into_iter()
        .map(|(number, fields)| Line { number, fields })
        .collect())
}

fn one(tx: &Tx, l: &Line, now: DateTime<Utc>) -> Result<()> {
    let f = &l.fields;
    let doc = document::resolve(tx, &f[0]).map_err(|e| Error::invalid("document", e.to_string()))?;
    let d = find_delivery(tx, doc, f[0].trim(), &f[1])?;
    let method = if f[4].trim().is_empty() {
        Method::Paper
    } else {
        Method::parse(&f[4]).filter(|m| *m != Method::Link).ok_or_else(|| {
            Error::invalid(
                "method",
                format!("{:?} is not a method; use paper, phone, kep or manual", f[4]),
            )
        })?
    };
    if f[2].trim().is_empty() {
        return Err(Error::invalid("name", "is empty; a signed sheet has the signer's name"));
    }
    let at = super::time::parse_at("at", &f[3], now)?;
    let kayit = Some(f[5].trim().to_string()).filter(|k| !k.is_empty());
    let ack = Ack {
        method,
        by: Some(f[2].clone()),
        at,
        kayit_no: kayit,
        evidence: Some(format!("sign-off sheet line {}", l.number)),
    };
    acknowledge_by_clerk(tx, &d, ack, now, &f[3])?;
    Ok(())
}

/// Import a sheet inside the caller's transaction. Without `partial`, any bad line fails the whole import
/// (the caller's transaction is then rolled back, so nothing is recorded).
pub fn import(tx: &Tx, path: &Path, partial: bool, now: DateTime<Utc>) -> Result<ImportReport> {
    let mut structural = Vec::new();
    let lines = read(path, &mut structural)?;
    let mut bad = BadLines::new(path);
    let mut imported = 0;
    let mut skipped = Vec::new();
    for (n, p) in &structural {
        skipped.push(format!("line {n}: {p}"));
        bad.add(*n, p);
    }
    for l in &lines {
        match tx.savepoint(|| one(tx, l, now)) {
            Ok(()) => imported += 1,
            Err(e) => {
                skipped.push(format!("line {}: {e}", l.number));
                bad.add(l.number, e);
            }
        }
    }
    if !partial {
        bad.into_result()?;
    }
    if lines.is_empty() && structural.is_empty() {
        return Err(Error::file(path, "has a header but no lines"));
    }
    Ok(ImportReport {
        file: path.display().to_string(),
        imported,
        skipped,
    })
}
