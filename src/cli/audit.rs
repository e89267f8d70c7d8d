//! `tamim audit DOC --format text|json|csv|pdf [--file FILE]`: the auditor's report of an issued document.

use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

use super::{i18n, open, Cli, Out};
use crate::t;
use tamim_app::audit;
use tamim_app::registry::document;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    // CSV as Turkish Excel opens it: UTF-8 with BOM, `;` separated, Turkish headers, day-first times.
    CsvExcel,
    // An Excel workbook (to --file, or <output>/audit-<id>.xlsx).
    Xlsx,
    Pdf,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write here instead of standard output (required for pdf unless --output is used: output/audit-<id>.pdf).
    #[arg(long = "file", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the report file when it exists (never one of the registry's own files).
    #[arg(long)]
    pub force: bool,
}

pub fn run(cli: &Cli, out: &Out, a: &AuditArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let conn = &reg.store.conn;
    let id = document::resolve(conn, &a.doc)?;
    let format = if out.json { Format::Json } else { a.format };
    let zone = reg.config.office.zone();
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let path = match (&a.out, format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Pdf) => Some(cli.output.join(format!("audit-{id}.pdf"))),
        (None, Format::Xlsx) => Some(cli.output.join(format!("audit-{id}.xlsx"))),
        _ => None,
    };
    if let Some(p) = &path {
        if a.out.is_none() {
            reg.check_output_dir(&cli.output)?;
        }
        reg.check_output(p, a.force)?;
    }
    let format = match format {
        Format::Text => audit::Format::Text,
        Format::Json => audit::Format::Json,
        Format::Csv => audit::Format::Csv,
        Format::CsvExcel => audit::Format::CsvExcel,
        Format::Xlsx => audit::Format::Xlsx,
        Format::Pdf => audit::Format::Pdf,
    };
    // The document is checked before the output file is created.
    let report = audit::Audit::begin(conn, id, &reg.config.ack, today)?.in_zone(zone);
    const BUF: usize = 1 << 20;
    // A file is written beside its final name and renamed into place when complete: a failed run leaves
    // no half-written report (and an earlier report of that name stays as it was).
    let mut partial: Option<tempfile::NamedTempFile> = None;
    // Each output its own concrete type: the report's body goes into a file by `copy_file_range`
    // (`Audit::write`), which a `dyn Write` would hide.
    let to = |e| tamim_app::Error::io(path.clone().unwrap_or_else(|| "stdout".into()), e);
    let said = match &path {
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let modes = reg.config.modes();
            tamim_app::registry::home::create_output_dir(dir, modes)?;
            let t = tempfile::Builder::new()
                .prefix(".audit-")
                .permissions(std::os::unix::fs::PermissionsExt::from_mode(modes.file))
                .tempfile_in(dir)
                .map_err(|e| tamim_app::Error::io(dir, e))?;
            let f = t.reopen().map_err(|e| tamim_app::Error::io(t.path(), e))?;
            partial = Some(t);
            let mut buf = std::io::BufWriter::with_capacity(BUF, f);
            let said = report.write(format, &mut buf)?;
            buf.flush().map_err(to)?;
            said
        }
        None => {
            let mut buf = std::io::BufWriter::with_capacity(BUF, std::io::stdout().lock());
            let said = report.write(format, &mut buf)?;
            buf.flush().map_err(to)?;
            said
        }
    };
    if let (Some(t), Some(p)) = (partial, &path) {
        t.persist(p).map_err(|e| tamim_app::Error::io(p, e.error))?;
    }
    if let Some(p) = path {
        let log = &said.log;
        eprintln!(
            "{}",
            t!(
                "audit-wrote",
                file = p.display().to_string(),
                total = said.total,
                count = i18n::int(said.total),
                percent = i18n::percent(said.acknowledged_percent),
                verified = if log.ok { "yes" } else { "no" },
                head = log.head_hash.clone().unwrap_or_default()
            )
        );
    }
    Ok(())
}
