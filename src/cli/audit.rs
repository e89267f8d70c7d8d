//! `tamim audit DOC --format text|json|csv|pdf [--out FILE]`: the auditor's report of an issued document.

use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

use super::{open, Cli, Out};
use tamim_app::audit::fragment::Shape;
use tamim_app::audit::{gather, pdf, render, verify};
use tamim_app::registry::document;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    Pdf,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write here instead of standard output (required for pdf unless --output is used: output/audit-<id>.pdf).
    #[arg(long)]
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
    let today = chrono::Utc::now().with_timezone(&tamim_app::ack::time::turkey()).date_naive();
    let path = match (&a.out, format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Pdf) => Some(cli.output.join(format!("audit-{id}.pdf"))),
        _ => None,
    };
    if let Some(p) = &path {
        if a.out.is_none() {
            reg.check_output_dir(&cli.output)?;
        }
        reg.check_output(p, a.force)?;
    }
    // Everything the report says, the event log's verification included (on a second connection), is read
    // at one committed state, however many acknowledgements are recorded meanwhile.
    // The verification's walk also gathers the document's events as the report shows them (`audit::gather`;
    // past its limit, they are read again instead).
    let gather = match format {
        Format::Text => Some((Shape::Text, gather::LIMIT)),
        Format::Csv => Some((Shape::Csv, gather::LIMIT)),
        Format::Json => Some((Shape::Json, gather::LIMIT)),
        Format::Pdf => None,
    };
    // The deliveries are read in parts, one per core, while the log is verified.
    let readers = if matches!(format, Format::Pdf) { 0 } else { verify::threads() - 1 };
    let (_snapshot, log, readers) = tamim_app::audit::report::begin_gathering(conn, id, gather, readers)?;
    let mut log = Some(log);
    // Check the document before creating the output file.
    let tally = match format {
        Format::Text | Format::Json => Some(tamim_app::audit::report::Tally::start(conn, id, &reg.config.ack, today, log.take().expect("once"))?),
        Format::Csv => {
            tamim_app::ack::status::head(conn, id)?;
            None
        }
        Format::Pdf => None,
    };
    let summary = match format {
        Format::Pdf => Some(tamim_app::audit::report::summary_in(conn, id, &reg.config.ack, today, log.take().expect("once"))?),
        _ => None,
    };
    const BUF: usize = 1 << 20;
    // A file is written beside its final name and renamed into place when complete: a failed run leaves
    // no half-written report (and an earlier report of that name stays as it was).
    let mut partial: Option<tempfile::NamedTempFile> = None;
    let mut buf: Box<dyn Write> = match &path {
        Some(p) => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            std::fs::create_dir_all(dir).map_err(|e| tamim_app::Error::io(dir, e))?;
            let t = tempfile::Builder::new().prefix(".audit-").tempfile_in(dir).map_err(|e| tamim_app::Error::io(dir, e))?;
            let f = t.reopen().map_err(|e| tamim_app::Error::io(t.path(), e))?;
            partial = Some(t);
            Box::new(std::io::BufWriter::with_capacity(BUF, f))
        }
        None => Box::new(std::io::BufWriter::with_capacity(BUF, std::io::stdout().lock())),
    };
    // What the closing line says: recipients, % acknowledged, the log's verification. CSV carries no
    // summary: its rows are counted as they are read, and the log is verified on other threads meanwhile.
    let said = |s: &tamim_app::audit::Summary| (s.total, s.acknowledged_percent, s.log.clone());
    let (total, pct, log) = match (format, tally, summary) {
        (Format::Text, Some(t), _) => said(&render::write_text(conn, id, t, readers, &mut buf)?),
        (Format::Json, Some(t), _) => said(&render::write_json(conn, id, t, readers, &mut buf)?),
        (Format::Pdf, _, Some(s)) => {
            let bytes = pdf::render(conn, id, &s)?;
            buf.write_all(&bytes).map_err(|e| tamim_app::Error::io(path.clone().unwrap_or_default(), e))?;
            said(&s)
        }
        _ => {
            let (v, r) = render::write_csv(conn, id, log.take().expect("once"), readers, &mut buf)?;
            (r.total, tamim_app::ack::status::percent(r.acknowledged, r.total), v)
        }
    };
    buf.flush().map_err(|e| tamim_app::Error::io(path.clone().unwrap_or_else(|| "stdout".into()), e))?;
    drop(buf);
    if let (Some(t), Some(p)) = (partial, &path) {
        t.persist(p).map_err(|e| tamim_app::Error::io(p, e.error))?;
    }
    if let Some(p) = path {
        eprintln!("wrote {} · {} recipients, {:.1}% acknowledged · log {} (head {})", p.display(), total, pct,
            if log.ok { "verified" } else { "BROKEN" }, log.head_hash.clone().unwrap_or_default());
    }
    Ok(())
}
