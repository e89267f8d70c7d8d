//! `tamim issue DRAFT [--preview | --sign]`: number, render, store and freeze an outgoing document.

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
    /// Sign the PDF (PAdES) with the key in office.toml's [signing.key]; the PIN or password is read from
    /// the file or environment variable named there. A failure to sign issues nothing.
    #[arg(long, conflicts_with = "preview")]
    pub sign: bool,
}

pub fn run(cli: &Cli, out: &Out, a: &IssueArgs) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    reg.check_output_dir(&cli.output)?;
    let options = tamim_app::issue::Options {
        preview: a.preview,
        sign: a.sign,
    };
    let issued = tamim_app::issue::issue_with(&mut reg, &a.draft, &cli.output, options)?;
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
            ) + &match (&i.signed_by, &i.signed_at) {
                (Some(by), Some(at)) => format!(
                    "\n  Signed by {by} at {at}{}",
                    if i.timestamped { " (timestamped)" } else { "" }
                ),
                _ => String::new(),
            }
        }
    });
    Ok(())
}
