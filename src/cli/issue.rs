//! `tamim issue DRAFT [--preview]`: number, render, store and freeze an outgoing document.

use clap::Args;
use std::path::PathBuf;

use super::{open, Cli, Out};

#[derive(Args, Debug)]
pub struct IssueArgs {
    /// The draft (TOML) to issue.
    pub draft: PathBuf,
    /// Render without numbering, marked TASLAK, into output/preview-*.pdf; records nothing.
    #[arg(long)]
    pub preview: bool,
}

pub fn run(cli: &Cli, out: &Out, a: &IssueArgs) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    reg.check_output_dir(&cli.output)?;
    let issued = tamim_app::issue::issue(&mut reg, &a.draft, &cli.output, a.preview)?;
    out.print(&issued, |i| {
        if i.preview {
            format!(
                "Preview (TASLAK, not numbered): {} ({} pages).",
                i.file.display(),
                i.pages
            )
        } else {
            format!(
                "Issued #{}: Sayı {}, No {}, {} — {}\n  {} ({} pages)\n  SHA-256 {}\n  Doğrulama Kodu {}",
                i.id.unwrap_or_default(),
                i.sayi,
                i.kind_no,
                i.tarih,
                i.konu,
                i.file.display(),
                i.pages,
                i.sha256,
                i.verification.clone().unwrap_or_default()
            )
        }
    });
    Ok(())
}
