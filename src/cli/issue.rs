//! `tamim issue DRAFT [--preview | --sign]`: number, render, store and freeze an outgoing document.

use clap::Args;
use std::path::PathBuf;

use super::{i18n, open, Cli, Out};
use crate::t;

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
            t!("issue-preview", file = i.file.display().to_string(), pages = i.pages)
        } else {
            t!(
                "issue-issued",
                id = i.id.unwrap_or_default(),
                sayi = i.sayi.clone(),
                no = i.kind_no.clone(),
                tarih = i18n::date_text(&i.tarih),
                konu = i.konu.clone(),
                file = i.file.display().to_string(),
                pages = i.pages,
                sha = i.sha256.clone(),
                code = i.verification.clone().unwrap_or_default()
            ) + &match (&i.signed_by, &i.signed_at) {
                (Some(by), Some(at)) if i.timestamped => {
                    t!("issue-signed-timestamped", by = by.clone(), at = at.clone())
                }
                (Some(by), Some(at)) => t!("issue-signed", by = by.clone(), at = at.clone()),
                _ => String::new(),
            }
        }
    });
    Ok(())
}
