//! One tabular reader for every import: `.xlsx` (calamine) and CSV as Turkish Excel saves it (`;` or `,`
//! sniffed, UTF-8 with or without BOM, or Windows-1254), header names matched Turkish-aware (case, İ/ı and
//! diacritics ignored, aliases), in any column order; extra columns are ignored and reported.
//!
//! Rows are numbered as the user sees them in the spreadsheet (the header is row 1).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// A column an import wants: its English key and the header names it is known by.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// Header names (any case, with or without Turkish letters): `Sicil No`, `Adı Soyadı` …
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// Why a table cannot be read. Each names the row and the column where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableProblem {
    #[error("is not an .xlsx workbook ({0})")]
    NotXlsx(String),
    #[error("is a password-protected workbook; save it without a password")]
    Encrypted,
    #[error("is an old .xls workbook; save it as .xlsx or CSV")]
    OldXls,
    #[error("has no rows (an empty sheet)")]
    Empty,
    #[error("has no column {column:?} (found: {found})")]
    MissingColumn { column: String, found: String },
    #[error("columns {first:?} and {second:?} are both read as {key}")]
    DuplicateColumn { key: String, first: String, second: String },
    #[error("row {row}, column {column:?}: {problem}")]
    Cell {
        row: usize,
        column: String,
        problem: CellProblem,
    },
    #[error("row {row}: {problem}")]
    Row { row: usize, problem: String },
}

/// What is wrong with one cell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellProblem {
    #[error("is empty")]
    Empty,
    #[error("{0:?} is not a date (write it as 15.03.2019)")]
    NotADate(String),
    #[error("{left} is before the joining date {joined}")]
    LeftBeforeJoined { joined: String, left: String },
    #[error("{value:?} is also on row {first}")]
    Repeated { value: String, first: usize },
    #[error("{0:?} is not valid here")]
    Invalid(String),
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct TableError {
    pub path: PathBuf,
    pub problem: TableProblem,
}

/// One data row: its row number and a cell per wanted field (empty when the column is absent).
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub fields: Vec<Field>,
    /// The header as found, for each wanted field (none when an optional column is absent).
    pub headers: Vec<Option<String>>,
    /// Columns in the file that no field wants.
    pub ignored: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The column name as the file wrote it (or the first alias), for messages.
    pub fn column(&self, field: usize) -> String {
        self.headers[field].clone().unwrap_or_else(|| {
            self.fields[field]
                .aliases
                .first()
                .unwrap_or(&self.fields[field].key)
                .to_string()
        })
    }

    /// A problem in one cell, named by row and column.
    pub fn cell_problem(&self, row: usize, field: usize, problem: CellProblem) -> TableProblem {
        TableProblem::Cell {
            row,
            column: self.column(field),
            problem,
        }
    }
}

/// A header name folded for matching: Turkish lower case, diacritics dropped, only letters and digits.
pub fn fold(s: &str) -> String {
    tamim_core::turkish::lower(s.trim())
        .chars()
        .filter_map(|c| match c {
            'ç' => Some('c'),
            'ğ' => Some('g'),
            'ı' => Some('i'),
            'ö' => Some('o'),
            'ş' => Some('s'),
            'ü' => Some('u'),
            'â' | 'à' | 'á' => Some('a'),
            'î' | 'ì' | 'í' => Some('i'),
            'û' | 'ù' | 'ú' => Some('u'),
            'é' | 'è' | 'ê' => Some('e'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Read `path` (an `.xlsx` by its bytes or its name, else CSV) for `fields`.
pub fn read(path: &Path, fields: &[Field]) -> Result<Table, crate::Error> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    let err = |problem| {
        crate::Error::Table(TableError {
            path: path.to_path_buf(),
            problem,
        })
    };
    let grid = grid_of(path, &bytes).map_err(err)?;
    shape(grid, fields).map_err(err)
}

/// The file's cells, row by row, as read (no header matching): for importers with their own header rules.
pub fn read_grid(path: &Path) -> Result<Vec<Vec<String>>, crate::Error> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    grid_of(path, &bytes).map_err(|problem| {
        crate::Error::Table(TableError {
            path: path.to_path_buf(),
            problem,
        })
    })
}

fn is_xlsx_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm"))
}

/// The file's cells, row by row.
fn grid_of(path: &Path, bytes: &[u8]) -> Result<Vec<Vec<String>>, TableProblem> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(CFB) {
        // An encrypted .xlsx is an OLE compound file holding "EncryptedPackage"; otherwise an old .xls.
        let encrypted = bytes
            .windows(32)
            .any(|w| w == encoded_utf16("EncryptedPackage").as_slice());
        return Err(if encrypted {
            TableProblem::Encrypted
        } else {
            TableProblem::OldXls
        });
    }
    if bytes.starts_with(ZIP) {
        return xlsx(bytes);
    }
    if is_xlsx_name(path) {
        return Err(TableProblem::NotXlsx("not a zip package: perhaps a renamed CSV".into()));
    }
    csv_grid(bytes)
}

fn encoded_utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableProblem> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => TableProblem::Encrypted,
        e => TableProblem::NotXlsx(e.to_string()),
    })?;
    let range = match wb.worksheet_range_at(0) {
        None => return Err(TableProblem::Empty),
        Some(r) => r.map_err(|e| TableProblem::NotXlsx(e.to_string()))?,
    };
    let mut out = Vec::with_capacity(range.height());
    for row in range.rows() {
        out.push(
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => serial_date(d.as_f64()).unwrap_or_else(|| d.to_string()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                })
                .collect(),
        );
    }
    Ok(out)
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn serial_date(x: f64) -> Option<String> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(x.floor() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn csv_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::WINDOWS_1254.decode_without_bom_handling(bytes).0,
    };
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| TableProblem::Row {
            row: e.position().map(|p| p.line() as usize).unwrap_or(i + 1),
            problem: e.to_string(),
        })?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// The grid as rows of the wanted fields. Blank rows are skipped.
fn shape(grid: Vec<Vec<String>>, fields: &[Field]) -> Result<Table, TableProblem> {
    let mut it = grid.into_iter().enumerate();
    let header = loop {
        match it.next() {
            None => return Err(TableProblem::Empty),
            Some((_, h)) if h.iter().all(|c| c.trim().is_empty()) => continue,
            Some((_, h)) => break h,
        }
    };
    let mut index: Vec<Option<usize>> = vec![None; fields.len()];
    let mut ignored = Vec::new();
    for (col, name) in header.iter().enumerate() {
        let f = fold(name);
        if f.is_empty() {
            continue;
        }
        match fields
            .iter()
            .position(|fl| fl.key == f || fl.aliases.iter().any(|a| fold(a) == f))
        {
            Some(k) => {
                if let Some(prev) = index[k] {
                    return Err(TableProblem::DuplicateColumn {
                        key: fields[k].key.to_string(),
                        first: header[prev].trim().to_string(),
                        second: name.trim().to_string(),
                    });
                }
                index[k] = Some(col);
            }
            None => ignored.push(name.trim().to_string()),
        }
    }
    for (k, f) in fields.iter().enumerate() {
        if f.required && index[k].is_none() {
            return Err(TableProblem::MissingColumn {
                column: f.aliases.first().unwrap_or(&f.key).to_string(),
                found: header.iter().map(|h| h.trim()).collect::<Vec<_>>().join(", "),
            });
        }
    }
    let mut rows = Vec::new();
    for (i, r) in it {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = index
            .iter()
            .map(|c| {
                c.and_then(|c| r.get(c))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            })
            .collect();
        rows.push(Row { number: i + 1, cells });
    }
    let headers = index.iter().map(|c| c.map(|c| header[c].trim().to_string())).collect();
    Ok(Table {
        fields: fields.to_vec(),
        headers,
        ignored,
        rows,
    })
}

/// A date as offices write it: `15.03.2019`, `15/03/2019`, `2019-03-15` (an Excel date cell is read as the
/// last). Empty is none.
pub fn parse_date(s: &str) -> Result<Option<NaiveDate>, CellProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    for f in ["%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Ok(Some(d));
        }
    }
    Err(CellProblem::NotADate(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_turkish_headers() {
        assert_eq!(fold("Sicil No"), "sicilno");
        assert_eq!(fold("ADI SOYADI"), "adisoyadi");
        assert_eq!(fold("Adı Soyadı"), "adisoyadi");
        assert_eq!(fold("E-posta"), "eposta");
        assert_eq!(fold("GÖREVE BAŞLAMA"), "gorevebaslama");
        assert_eq!(fold("Ünvanı"), "unvani");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("15.03.2019").unwrap(), NaiveDate::from_ymd_opt(2019, 3, 15));
        assert_eq!(
            parse_date("2019-03-15 00:00:00").unwrap(),
            NaiveDate::from_ymd_opt(2019, 3, 15)
        );
        assert!(parse_date("yarın").is_err());
        assert_eq!(serial_date(43539.0).as_deref(), Some("2019-03-15"));
    }
}
