//! `--format table|csv|csv-excel|xlsx` and `--file FILE` on every command that prints a table a user may
//! open in a spreadsheet (`status`, `list show --expand`, `person list`, `org list`; `audit` has its own
//! `--format` with the same names): where the table goes, and in which form (`tamim_app::sheet`).

use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

use super::Cli;
use tamim_app::registry::Registry;
use tamim_app::sheet::{self, Book};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    // An aligned table for the terminal (or JSON with --json).
    Table,
    // CSV for scripts: comma-separated UTF-8, English column keys.
    Csv,
    // CSV as Turkish Excel opens it: UTF-8 with BOM, `;` separated, Turkish headers, day-first dates.
    CsvExcel,
    // An Excel workbook with Turkish headers, date cells and numbers (to --file, or <output>/<name>.xlsx).
    Xlsx,
}

/// The flags of a table's export.
#[derive(Args, Debug, Clone)]
pub struct ExportFlags {
    /// The form of the table: table, csv, csv-excel or xlsx. Example: --format xlsx
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// Write the table to this file instead of standard output. Example: --file gecikenler.xlsx
    #[arg(long = "file", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file when it exists (never one of the registry's own files).
    #[arg(long)]
    pub force: bool,
}

impl ExportFlags {
    /// The spreadsheet form asked for, or None for the terminal's table.
    pub fn sheet(&self) -> Option<sheet::Format> {
        match self.format {
            TableFormat::Table => None,
            TableFormat::Csv => Some(sheet::Format::Csv),
            TableFormat::CsvExcel => Some(sheet::Format::CsvExcel),
            TableFormat::Xlsx => Some(sheet::Format::Xlsx),
        }
    }
}

/// Where an export goes: a file checked against the registry's own (`--file`, or `<output>/<name>.xlsx` for
/// a workbook), or standard output.
fn target(cli: &Cli, reg: &Registry, f: &ExportFlags, name: &str) -> tamim_app::Result<Option<PathBuf>> {
    let path = match (&f.out, f.format) {
        (Some(p), _) => Some(p.clone()),
        (None, TableFormat::Xlsx) => {
            reg.check_output_dir(&cli.output)?;
            Some(cli.output.join(format!("{name}.xlsx")))
        }
        _ => None,
    };
    if let Some(p) = &path {
        reg.check_output(p, f.force)?;
    }
    Ok(path)
}

/// Write an export through `write` (handed the writer) to its file, whole or not at all, or to standard
/// output; says on standard error which file was written.
pub fn export(
    cli: &Cli,
    reg: &Registry,
    f: &ExportFlags,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> tamim_app::Result<()>,
) -> tamim_app::Result<()> {
    match target(cli, reg, f, name)? {
        Some(p) => {
            tamim_app::registry::home::write_with(&p, reg.config.modes(), write)?;
            eprintln!("{}", crate::t!("wrote-file", file = p.display().to_string()));
            Ok(())
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut w)?;
            w.flush().map_err(|e| tamim_app::Error::io("standard output", e))
        }
    }
}

/// Export one table: `rows` writes each row to the table it is handed.
pub fn export_table(
    cli: &Cli,
    reg: &Registry,
    f: &ExportFlags,
    format: sheet::Format,
    (name, sheet_name): (&str, &str),
    columns: &[sheet::Column],
    rows: impl FnOnce(&mut sheet::Table<&mut dyn Write>) -> tamim_app::Result<()>,
) -> tamim_app::Result<()> {
    export(cli, reg, f, name, |w| {
        sheet::write_table(format, sheet_name, columns, w, reg.config.office.zone(), rows)
    })
}

/// A workbook of several sheets, or — in a CSV form — only the table `csv_sheet` writes.
pub fn export_book(
    cli: &Cli,
    reg: &Registry,
    f: &ExportFlags,
    format: sheet::Format,
    name: &str,
    book: impl FnOnce(&mut Book) -> tamim_app::Result<()>,
    csv_sheet: impl FnOnce(&mut dyn Write) -> tamim_app::Result<()>,
) -> tamim_app::Result<()> {
    export(cli, reg, f, name, |w| match format {
        sheet::Format::Xlsx => {
            let mut b = Book::new().in_zone(reg.config.office.zone());
            book(&mut b)?;
            b.write_to(w)
        }
        _ => csv_sheet(w),
    })
}
