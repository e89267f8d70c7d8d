//! Reading import CSVs: exact header check, every bad line collected with its line number.

use std::path::Path;

use crate::error::{Error, Result};

/// Rows read from a CSV file: (line number, cells).
pub type Rows = Vec<(usize, Vec<String>)>;

/// Read a CSV with exactly `header`; returns (line number, fields) for each data row. A malformed row fails
/// the whole read, naming every bad line.
pub fn read_csv(path: &Path, header: &[&str]) -> Result<Rows> {
    let (rows, malformed) = read_csv_lenient(path, header)?;
    let mut bad = BadLines::new(path);
    for (line, problem) in malformed {
        bad.add(line, problem);
    }
    bad.into_result()?;
    Ok(rows)
}

/// Like [`read_csv`], but rows that cannot be read (wrong field count, broken quoting) are returned as
/// (line number, problem) beside the good ones, for imports that may go on without them. A wrong header
/// or a file that is not UTF-8 text is still an error.
pub fn read_csv_lenient(path: &Path, header: &[&str]) -> Result<(Rows, Vec<(usize, String)>)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| Error::file(path, format!("is not UTF-8 text ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let found: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::file(path, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if found != header {
        return Err(Error::file(
            path,
            format!(
                "line 1: wrong header {:?}; expected {:?}",
                found.join(","),
                header.join(",")
            ),
        ));
    }
    let mut bad = Vec::new();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                if r.len() != header.len() {
                    bad.push((line, format!("has {} fields; expected {}", r.len(), header.len())));
                    continue;
                }
                rows.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => bad.push((e.position().map(|p| p.line() as usize).unwrap_or(0), e.to_string())),
        }
    }
    Ok((rows, bad))
}

/// Bad lines of one import, reported together.
pub struct BadLines {
    file: std::path::PathBuf,
    lines: Vec<(usize, String)>,
}

impl BadLines {
    pub fn new(path: &Path) -> Self {
        BadLines {
            file: path.to_path_buf(),
            lines: Vec::new(),
        }
    }

    pub fn add(&mut self, line: usize, problem: impl std::fmt::Display) {
        self.lines.push((line, problem.to_string()));
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn into_result(&self) -> Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let mut lines = self.lines.clone();
        lines.sort_by_key(|(n, _)| *n);
        Err(Error::Csv {
            file: self.file.clone(),
            count: lines.len(),
            lines: lines
                .iter()
                .map(|(n, p)| format!("  line {n}: {p}"))
                .collect::<Vec<_>>()
                .join("\n"),
        })
    }
}
