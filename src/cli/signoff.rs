//! `tamim signoff DOC --org ORG`: print the tebliğ-tebellüğ sheet (the office's staff, columns for date and signature) as a PDF.

use clap::Args;
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::document;

#[derive(Args, Debug)]
pub struct SignoffArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    /// The office whose staff sign.
    #[arg(long)]
    pub org: String,
    /// Where to write the PDF (default: output/signoff-<doc>-<org>.pdf).
    #[arg(long = "file", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the sheet when the file exists (never one of the registry's own files).
    #[arg(long)]
    pub force: bool,
}

pub fn run(cli: &Cli, out: &Out, a: &SignoffArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let path = a
        .out
        .clone()
        .unwrap_or_else(|| cli.output.join(format!("signoff-{id}-{}.pdf", a.org)));
    if a.out.is_none() {
        reg.check_output_dir(&cli.output)?;
    }
    reg.check_output(&path, a.force)?;
    let bytes = tamim_app::roster::signoff::render(&reg.store.conn, id, &a.org)?;
    tamim_app::registry::home::write_output(&path, &bytes, reg.config.modes())?;
    out.print(&serde_json::json!({"file": path, "bytes": bytes.len()}), |_| {
        t!("wrote-file", file = path.display().to_string())
    });
    Ok(())
}
