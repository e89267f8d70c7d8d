//! `tamim verify FILE.pdf`: was this exact file issued by this registry, and does each signature in it hold?

use clap::Args;
use std::path::PathBuf;

use super::{open, Cli, Out};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    pub file: PathBuf,
}

/// Exit code 0 when the file is one of ours, unchanged; 1 otherwise (after printing the finding).
pub fn run(cli: &Cli, out: &Out, a: &VerifyArgs) -> tamim_app::Result<bool> {
    let reg = open(cli)?;
    let bytes = tamim_app::registry::receive::read_pdf(&a.file)?;
    let v = tamim_app::issue::verify::verify(&reg, &bytes)?;
    out.print(&v, |v| v.message.clone());
    Ok((v.status == "issued" || v.status == "registered") && tamim_app::issue::verify::signatures_hold(&v))
}
