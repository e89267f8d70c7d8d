//! `tamim issue DRAFT [--preview]`: number, render, store and freeze an outgoing document.

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
}

pub fn run(cli: &Cli, out: &Out, a: &IssueArgs) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    reg.check_output_dir(&cli.output)?;
    let issued = tamim_app::issue::issue(&mut reg, &a.draft, &cli.output, a.preview)?;
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
            )
        }
    });
    Ok(())
}
