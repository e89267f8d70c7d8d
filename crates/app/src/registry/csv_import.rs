//! Reading import files (CSV or `.xlsx`, through `crate::table`): the header's columns checked, every bad
//! line collected with its line number.

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

/// Turkish header names the importers' English columns are also known by (matched as
/// [`crate::table::fold`] does: any case, with or without Turkish letters).
fn aliases(key: &str) -> &'static [&'static str] {
    match key {
        "code" => &["Kod", "Kurum Kodu"],
        "name" => &["Adı", "Ad", "Adı Soyadı", "Ad Soyad", "Kurum Adı", "İmzalayan"],
        "kind" => &["Türü", "Tür", "Kurum Türü"],
        "parent" => &["Üst Kurum", "Bağlı Olduğu Kurum"],
        "email" => &["E-posta", "E-posta Adresi", "E-mail"],
        "kep" => &["KEP", "KEP Adresi"],
        "detsis" => &["DETSİS", "DETSİS No"],
        "id" => &["Sicil No", "Sicil", "Kimlik"],
        "title" => &["Unvanı", "Unvan"],
        "org" => &["Kurum", "Kurumu", "Birimi"],
        "document" => &["Belge"],
        "recipient" => &["Alıcı"],
        "at" => &["Tarih", "İmza Tarihi"],
        "method" => &["Yöntem"],
        "kayit_no" => &["Kayıt No"],
        _ => &[],
    }
}

/// Like [`read_csv`], but rows that cannot be read (wrong field count) are returned as (line number,
/// problem) beside the good ones, for imports that may go on without them. The file is read by the one
/// tabular reader ([`crate::table`]: `.xlsx` or CSV, `;` or `,`, UTF-8 or Windows-1254); the header's
/// columns may come in any order under their English or Turkish names, extra columns are ignored. A header
/// without one of the columns is still an error.
pub fn read_csv_lenient(path: &Path, header: &[&str]) -> Result<(Rows, Vec<(usize, String)>)> {
    use crate::table::fold;
    let grid = crate::table::read_grid(path)?;
    let mut it = grid
        .into_iter()
        .enumerate()
        .skip_while(|(_, r)| r.iter().all(|c| c.trim().is_empty()));
    let found: Vec<String> = it
        .next()
        .map(|(_, h)| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let folded: Vec<String> = found.iter().map(|h| fold(h)).collect();
    let index: Vec<Option<usize>> = header
        .iter()
        .map(|k| {
            folded
                .iter()
                .position(|f| *f == fold(k) || aliases(k).iter().any(|a| fold(a) == *f))
        })
        .collect();
    if index.iter().any(Option::is_none) {
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
    for (i, r) in it {
        let line = i + 1;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if r.len() != found.len() {
            bad.push((line, format!("has {} fields; expected {}", r.len(), found.len())));
            continue;
        }
        rows.push((line, index.iter().map(|c| r[c.unwrap_or_default()].clone()).collect()));
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
