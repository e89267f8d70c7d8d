//! `tamim verify FILE.pdf`: was this exact file issued by this registry, and does each signature in it hold?

use clap::Args;
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::issue::verify::SignatureReport;
use tamim_sign::check::Trust;

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
        let mut text = match v.status.as_str() {
            "issued" => t!("verify-issued", id = id, sayi = sayi, konu = konu),
            "registered" => t!("verify-registered", id = id, sayi = sayi, konu = konu),
            "altered" => t!(
                "verify-altered",
                id = id,
                code = v.verification.clone().unwrap_or_default()
            ),
            _ => t!("verify-unknown"),
        };
        for s in &v.signatures {
            text.push('\n');
            text.push_str(&signature_lines(s));
        }
        text
    });
    Ok((v.status == "issued" || v.status == "registered") && tamim_app::issue::verify::signatures_hold(&v))
}

/// One signature's report: intact or not, what it covers, who and when, trust.
fn signature_lines(r: &SignatureReport) -> String {
    let field = r.field.clone().unwrap_or_else(|| t!("verify-sig-field"));
    let mut out = if r.intact {
        t!("verify-sig-intact", field = field)
    } else {
        t!("verify-sig-broken", field = field)
    };
    if let Some(p) = &r.problem {
        out.push_str(" — ");
        out.push_str(&super::errors::sign_problem(p));
    }
    let range = format!("{:?}", r.byte_range);
    out.push_str(&match r.appended_bytes {
        0 => t!("verify-sig-covers-all", range = range),
        n if n > 0 => t!("verify-sig-appended", range = range, bytes = n),
        _ => t!("verify-sig-truncated", range = range),
    });
    if let Some(s) = &r.signer {
        out.push_str(&t!(
            "verify-sig-signer",
            name = s.name.clone(),
            serial = s.serial.clone(),
            issuer = s.issuer.clone()
        ));
    }
    if let Some(at) = &r.signing_time {
        out.push_str(&t!("verify-sig-time", at = at.clone()));
    }
    if let Some(st) = &r.timestamp {
        let by = st
            .authority
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "?".into());
        let at = st.time.to_rfc3339();
        out.push_str(&if st.intact {
            t!("verify-sig-stamp", at = at, by = by)
        } else {
            t!("verify-sig-stamp-broken", at = at, by = by)
        });
    }
    out.push_str(&match &r.trust {
        Trust::Trusted { anchor } => t!("verify-sig-trusted", anchor = anchor.clone()),
        Trust::Untrusted => t!("verify-sig-untrusted"),
        Trust::NotChecked => t!("verify-sig-not-checked"),
    });
    out
}
