//! `tamim audit DOC --format text|json|csv|pdf [--out FILE]`: the auditor's report of an issued document.

use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

use super::{open, Cli, Out};
use tamim::audit::{pdf, render};
use tamim::registry::document;

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
}

pub fn run(cli: &Cli, out: &Out, a: &AuditArgs) -> tamim::Result<()> {
    let reg = open(cli)?;
    let conn = &reg.store.conn;
    let id = document::resolve(conn, &a.doc)?;
    let format = if out.json { Format::Json } else { a.format };
    // CSV carries no summary: only the log's verification (on another thread, while the rows stream).
    let (summary, pending) = match format {
        Format::Csv => {
            tamim::ack::status::head(conn, id)?;
            (None, Some(tamim::audit::verify::start(conn)))
        }
        _ => {
            let today = chrono::Utc::now().with_timezone(&tamim::ack::time::turkey()).date_naive();
            (Some(tamim::audit::summary(conn, id, &reg.config.ack, today)?), None)
        }
    };
    let path = match (&a.out, format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Pdf) => Some(cli.output.join(format!("audit-{id}.pdf"))),
        _ => None,
    };
    const BUF: usize = 1 << 20;
    let mut buf: Box<dyn Write> = match &path {
        Some(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| tamim::Error::io(dir, e))?;
            }
            Box::new(std::io::BufWriter::with_capacity(BUF, std::fs::File::create(p).map_err(|e| tamim::Error::io(p, e))?))
        }
        None => Box::new(std::io::BufWriter::with_capacity(BUF, std::io::stdout().lock())),
    };
    match (&summary, format) {
        (Some(s), Format::Text) => render::write_text(conn, id, s, &mut buf)?,
        (Some(s), Format::Json) => render::write_json(conn, id, s, &mut buf)?,
        (Some(s), Format::Pdf) => {
            let bytes = pdf::render(conn, id, s)?;
            buf.write_all(&bytes).map_err(|e| tamim::Error::io(path.clone().unwrap_or_default(), e))?;
        }
        _ => render::write_csv(conn, id, &mut buf)?,
    }
    buf.flush().map_err(|e| tamim::Error::io(path.clone().unwrap_or_else(|| "stdout".into()), e))?;
    drop(buf);
    let (total, pct, log) = match (summary, pending) {
        (Some(s), _) => (s.total, s.acknowledged_percent, s.log),
        (None, pending) => {
            let (t, a) = tamim::audit::report::doc_counts(conn, id)?;
            (t, tamim::ack::status::percent(a, t), pending.map_or_else(|| tamim::audit::verify(conn), |p| p.join(conn))?)
        }
    };
    if let Some(p) = path {
        eprintln!("wrote {} · {} recipients, {:.1}% acknowledged · log {} (head {})", p.display(), total, pct,
            if log.ok { "verified" } else { "BROKEN" }, log.head_hash.clone().unwrap_or_default());
    }
    Ok(())
}
