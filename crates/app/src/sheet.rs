//! Tables a user opens in a spreadsheet (the audit, status and its late list, lists' recipients, staff,
//! offices), written in one of three forms from one description of their columns ([`Column`]):
//!
//! - [`Format::Csv`]: for scripts — comma-separated UTF-8, the columns' English keys as the header (as
//!   JSON's keys), values as stored (RFC 3339 times, ISO dates, `61.1`).
//! - [`Format::CsvExcel`]: the form Turkish Excel opens with a double click — UTF-8 with a BOM, `;` between
//!   cells, Turkish headers, day-first dates (`05.11.2021 14:30`, Türkiye time) and decimal commas (`61,1`).
//! - [`Format::Xlsx`]: a workbook (`rust_xlsxwriter`, constant-memory worksheets: a million rows stream to
//!   a temporary file, never all in memory), Turkish headers in bold with the first row frozen, column
//!   widths, dates and times as date cells in a day-first format, numbers as numbers.
//!
//! Both CSV forms keep the formula guard ([`crate::audit::csv_cell`]); an xlsx cell is written as text and
//! is never a formula.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use rust_xlsxwriter::{Format as CellFormat, Workbook, Worksheet};

/// The form a table is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    CsvExcel,
    Xlsx,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    /// A whole number.
    Int,
    /// A number with one decimal (a percentage).
    Decimal,
    /// A day.
    Date,
    /// A stored time (RFC 3339), shown in Türkiye time.
    Time,
}

/// A column: its key (the plain CSV's header, as JSON's key), its Turkish header, type and width in
/// characters (xlsx).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub ty: Type,
    pub width: f64,
}

impl Column {
    pub const fn new(key: &'static str, header: &'static str, ty: Type, width: f64) -> Column {
        Column { key, header, ty, width }
    }
}

/// One cell's value. Text in a number, date or time column is written as text.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Decimal(f64),
    Date(NaiveDate),
    /// A stored time (RFC 3339).
    Time(&'a str),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Cell<'a> {
        Cell::Text(s)
    }
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::runtime("writing the workbook", e)
}

fn io(e: impl Into<std::io::Error>) -> Error {
    Error::io("table output", e.into())
}

/// A table in CSV, either form, written as it goes.
pub struct CsvTable<W: Write> {
    w: csv::Writer<W>,
    excel: bool,
    /// Cells through the formula guard (not in the raw form a workbook is made from).
    guard: bool,
    cell: String,
    /// The office's clock, times are shown on.
    zone: chrono_tz::Tz,
}

impl<W: Write> CsvTable<W> {
    /// A table to `w`, beginning with the header (the BOM first, for Excel) if `header`.
    pub fn new(mut w: W, excel: bool, columns: &[Column], header: bool) -> Result<CsvTable<W>> {
        if excel && header {
            w.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        let w = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_writer(w);
        let mut t = CsvTable {
            w,
            excel,
            guard: true,
            cell: String::new(),
            zone: crate::config::DEFAULT_ZONE,
        };
        if header {
            let names = columns.iter().map(|c| if excel { c.header } else { c.key });
            crate::audit::csv_record(&mut t.w, names).map_err(io)?;
        }
        Ok(t)
    }

    /// Rows as they are stored, unguarded, without a header: what [`Sheet::copy_csv`] reads back into a
    /// workbook (a report written in parts on several threads, one temporary file each).
    pub fn raw(w: W) -> CsvTable<W> {
        CsvTable {
            w: csv::WriterBuilder::new().from_writer(w),
            excel: false,
            guard: false,
            cell: String::new(),
            zone: crate::config::DEFAULT_ZONE,
        }
    }

    /// Times shown on the clock of `zone` (the office's), not the default Europe/Istanbul.
    pub fn in_zone(mut self, zone: chrono_tz::Tz) -> CsvTable<W> {
        self.zone = zone;
        self
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        use std::fmt::Write as _;
        for c in cells {
            let cell = &mut self.cell;
            cell.clear();
            match *c {
                Cell::Empty => {}
                Cell::Text(s) => cell.push_str(s),
                Cell::Int(n) => {
                    let _ = write!(cell, "{n}");
                }
                Cell::Decimal(x) if self.excel => cell.push_str(&format!("{x:.1}").replace('.', ",")),
                Cell::Decimal(x) => {
                    let _ = write!(cell, "{x:.1}");
                }
                Cell::Date(d) if self.excel => cell.push_str(&tamim_core::turkish::format_dotted(d)),
                Cell::Date(d) => {
                    let _ = write!(cell, "{}", d.format("%Y-%m-%d"));
                }
                Cell::Time(t) if self.excel => crate::ack::time::shown_into(cell, t, self.zone),
                Cell::Time(t) => cell.push_str(t),
            }
            let cell = if self.guard {
                crate::audit::csv_cell(cell)
            } else {
                cell.as_str().into()
            };
            self.w.write_field(cell.as_bytes()).map_err(io)?;
        }
        self.w.write_record(std::iter::empty::<&[u8]>()).map_err(io)
    }

    pub fn into_inner(self) -> Result<W> {
        self.w.into_inner().map_err(|e| io(e.into_error()))
    }
}

/// The cell formats of a workbook.
struct Formats {
    header: CellFormat,
    date: CellFormat,
    time: CellFormat,
    decimal: CellFormat,
}

/// A workbook being written: sheets added one after another, each a table.
pub struct Book {
    wb: Workbook,
    formats: Formats,
    zone: chrono_tz::Tz,
}

impl Default for Book {
    fn default() -> Self {
        Book::new()
    }
}

impl Book {
    pub fn new() -> Book {
        Book {
            wb: Workbook::new(),
            formats: Formats {
                header: CellFormat::new().set_bold(),
                date: CellFormat::new().set_num_format("dd.mm.yyyy"),
                time: CellFormat::new().set_num_format("dd.mm.yyyy hh:mm"),
                decimal: CellFormat::new().set_num_format("0.0"),
            },
            zone: crate::config::DEFAULT_ZONE,
        }
    }

    /// Time cells on the clock of `zone` (the office's), not the default Europe/Istanbul.
    pub fn in_zone(mut self, zone: chrono_tz::Tz) -> Book {
        self.zone = zone;
        self
    }

    /// A new sheet named `name` (at most 31 characters), its header row written and frozen.
    pub fn sheet(&mut self, name: &str, columns: &[Column]) -> Result<Sheet<'_>> {
        let ws = self.wb.add_worksheet_with_constant_memory().map_err(xlsx)?;
        ws.set_name(name).map_err(xlsx)?;
        for (i, c) in columns.iter().enumerate() {
            let i = i as u16;
            ws.set_column_width(i, c.width).map_err(xlsx)?;
            ws.write_string_with_format(0, i, c.header, &self.formats.header)
                .map_err(xlsx)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
        Ok(Sheet {
            ws,
            zone: self.zone,
            formats: &self.formats,
            columns: columns.len(),
            row: 1,
        })
    }

    /// Write the workbook to `w` (through a temporary file: the writer the library takes must be `Send`).
    pub fn write_to(mut self, w: &mut dyn Write) -> Result<()> {
        let mut f = tempfile::tempfile().map_err(|e| Error::io(std::env::temp_dir(), e))?;
        self.wb.save_to_writer(std::io::BufWriter::new(&mut f)).map_err(xlsx)?;
        use std::io::{Seek, SeekFrom};
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        std::io::copy(&mut f, w).map_err(io)?;
        Ok(())
    }

    /// Write the workbook to `path`, whole or not at all (beside it, then renamed into place).
    pub fn save(self, path: &Path, modes: crate::config::Modes) -> Result<()> {
        crate::registry::home::write_with(path, modes, |w| self.write_to(w))
    }
}

/// One sheet of a [`Book`], written row after row.
pub struct Sheet<'b> {
    ws: &'b mut Worksheet,
    zone: chrono_tz::Tz,
    formats: &'b Formats,
    columns: usize,
    row: u32,
}

impl Sheet<'_> {
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        let (ws, f, r) = (&mut *self.ws, self.formats, self.row);
        for (i, c) in cells.iter().enumerate().take(self.columns) {
            let i = i as u16;
            match *c {
                Cell::Empty => None,
                Cell::Text("") => None,
                Cell::Text(s) => Some(ws.write_string(r, i, s)),
                Cell::Int(n) => Some(ws.write_number(r, i, n as f64)),
                Cell::Decimal(x) => Some(ws.write_number_with_format(r, i, x, &f.decimal)),
                Cell::Date(d) => Some(ws.write_datetime_with_format(r, i, d, &f.date)),
                Cell::Time(t) => Some(match local_time(t, self.zone) {
                    Some(t) => ws.write_datetime_with_format(r, i, t, &f.time),
                    None => ws.write_string(r, i, t),
                }),
            }
            .transpose()
            .map_err(xlsx)?;
        }
        self.row += 1;
        Ok(())
    }
}

impl Sheet<'_> {
    /// Append the rows of a raw CSV table ([`CsvTable::raw`]) read from `r`, each cell typed by `columns`.
    pub fn copy_csv(&mut self, r: impl std::io::Read, columns: &[Column]) -> Result<()> {
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(r);
        let mut rec = csv::StringRecord::new();
        while rd.read_record(&mut rec).map_err(io)? {
            let mut cells = Vec::with_capacity(columns.len());
            for (c, v) in columns.iter().zip(rec.iter()) {
                cells.push(match c.ty {
                    _ if v.is_empty() => Cell::Empty,
                    Type::Text => Cell::Text(v),
                    Type::Int => v.parse().map_or(Cell::Text(v), Cell::Int),
                    Type::Decimal => v.parse().map_or(Cell::Text(v), Cell::Decimal),
                    Type::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_or(Cell::Text(v), Cell::Date),
                    Type::Time => Cell::Time(v),
                });
            }
            self.row(&cells)?;
        }
        Ok(())
    }
}

/// A stored time on the office's clock, as a spreadsheet's date cell holds it (no zone).
fn local_time(stored: &str, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.with_timezone(&zone).naive_local())
}

/// A table in any form, to `w`: CSV as rows come, a workbook of one sheet named `sheet` when finished.
pub enum Table<'b, W: Write> {
    Csv(Box<CsvTable<W>>),
    Xlsx(Sheet<'b>),
}

impl<W: Write> Table<'_, W> {
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            Table::Csv(t) => t.row(cells),
            Table::Xlsx(s) => s.row(cells),
        }
    }
}

/// Write one table in `format` to `w`: `rows` is handed a [`Table`] to write each row to.
pub fn write_table(
    format: Format,
    sheet: &str,
    columns: &[Column],
    w: &mut dyn Write,
    zone: chrono_tz::Tz,
    rows: impl FnOnce(&mut Table<&mut dyn Write>) -> Result<()>,
) -> Result<()> {
    match format {
        Format::Csv | Format::CsvExcel => {
            let mut t = Table::Csv(Box::new(
                CsvTable::new(w, format == Format::CsvExcel, columns, true)?.in_zone(zone),
            ));
            rows(&mut t)?;
            if let Table::Csv(t) = t {
                t.into_inner()?.flush().map_err(io)?;
            }
            Ok(())
        }
        Format::Xlsx => {
            let mut book = Book::new().in_zone(zone);
            let mut t = Table::Xlsx(book.sheet(sheet, columns)?);
            rows(&mut t)?;
            drop(t);
            book.write_to(w)
        }
    }
}
