//! `tamim verify FILE.pdf`: was this exact file issued by this registry?

use clap::Args;
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    pub file: PathBuf,
}

/// Exit code 0 when the file is one of ours, unchanged; 1 otherwise (after printing the finding).
pub fn run(cli: &Cli, out: &Out, a: &VerifyArgs) -> tamim_app::Result<bool> {
    let reg = open(cli)?;
    let bytes = tamim_app::registry::receive::read_pdf(&a.file)?;
    let v = tamim_app::issue::verify::verify(&reg, &bytes)?;
    out.print(&v, |v| {
        let (id, sayi, konu) = (
            v.document.unwrap_or_default(),
            v.sayi.clone().unwrap_or_default(),
            // The sentence ends with its own full stop: a konu's own ("… hk.") is not doubled.
            v.konu.as_deref().unwrap_or_default().trim_end_matches('.').to_string(),
        );
        match v.status.as_str() {
            "issued" => t!("verify-issued", id = id, sayi = sayi, konu = konu),
            "registered" => t!("verify-registered", id = id, sayi = sayi, konu = konu),
            "altered" => t!(
                "verify-altered",
                id = id,
                code = v.verification.clone().unwrap_or_default()
            ),
            _ => t!("verify-unknown"),
        }
    });
    Ok(v.status == "issued" || v.status == "registered")
}
