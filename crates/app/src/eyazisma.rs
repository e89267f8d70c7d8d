//! e-Yazışma packages and their CAdES signatures (issue #17): the signer's CAdES-BES over PaketOzeti and
//! the institution's seal over NihaiOzet when a signed document is exported, and, when a package is read,
//! each signature part checked — a well-formed CMS over the right part, its signer, intact or not, trust —
//! or told apart as not a signature (the official sample's 3-byte placeholders).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::Digest;
use std::cell::RefCell;
use tamim_docs::intake::eyp::Package;
use tamim_docs::intake::eyp_write::{self, ExportDoc};
use tamim_sign::check::{Problem, Signer, Trust};
use tamim_sign::key::Key;

use crate::error::{Error, Result};
use crate::issue::sign;
use crate::registry::home::Registry;

/// What a package's signature part turned out to be.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum PartCheck {
    /// A CMS SignedData over the part it should sign.
    Signature {
        intact: bool,
        problem: Option<Problem>,
        signer: Option<Signer>,
        signing_time: Option<DateTime<Utc>>,
        trust: Trust,
    },
    /// Not a CMS signature at all (a placeholder, or damaged): why, and its size.
    NotASignature { bytes: usize, reason: String },
    /// The part it should sign is not in the package.
    CoveredPartMissing,
}

/// One signature part of a package, checked.
#[derive(Debug, Clone, Serialize)]
pub struct PartSignature {
    pub part: String,
    pub covers: String,
    #[serde(flatten)]
    pub check: PartCheck,
}

/// Every signature part of `p`, checked against `anchors`.
pub fn check_signatures(p: &Package, anchors: &[tamim_sign::Certificate]) -> Vec<PartSignature> {
    p.signature_parts
        .iter()
        .map(|s| {
            let check = match (&s.covered, tamim_sign::check::parse_padded(&s.bytes)) {
                (_, Err(e)) => PartCheck::NotASignature {
                    bytes: s.bytes.len(),
                    reason: e.to_string(),
                },
                (None, Ok(_)) => PartCheck::CoveredPartMissing,
                (Some(covered), Ok(_)) => match tamim_sign::check::check_detached(&s.bytes, &[covered], anchors) {
                    Ok(c) => PartCheck::Signature {
                        intact: c.intact,
                        problem: c.problem,
                        signer: c.signer,
                        signing_time: c.signing_time,
                        trust: c.trust,
                    },
                    Err(e) => PartCheck::NotASignature {
                        bytes: s.bytes.len(),
                        reason: e.to_string(),
                    },
                },
            };
            PartSignature {
                part: s.part.clone(),
                covers: s.covers.to_string(),
                check,
            }
        })
        .collect()
}

/// A CAdES-BES detached signature over `data` (SHA-256, signing-certificate-v2, signing-time `at`).
pub fn cades(key: &dyn Key, data: &[u8], at: DateTime<Utc>) -> tamim_sign::Result<Vec<u8>> {
    let options = tamim_sign::cades::Options {
        signing_time: Some(at),
        tsa: None,
    };
    tamim_sign::cades::sign_detached(key, &sha2::Sha256::digest(data), &options)
}

/// The keys a signed package needs: the signer's (`[signing.key]`) and the seal (`[signing.seal]`, when
/// the office has one), each opened and its certificate checked for `at` before anything is written.
pub struct PackageKeys {
    pub signer: Box<dyn Key>,
    pub seal: Option<Box<dyn Key>>,
    pub at: DateTime<Utc>,
}

impl PackageKeys {
    pub fn open(reg: &Registry) -> Result<Self> {
        let at = sign::issue_time()?;
        let s = &reg.config.signing;
        let k = s.key.as_ref().ok_or(Error::NoSigningKey)?;
        let signer = sign::open_key(&reg.home, "[signing.key]", k)?;
        tamim_sign::cades::check_key(signer.as_ref(), at).map_err(Error::Signing)?;
        let seal = match &s.seal {
            Some(k) => {
                let key = sign::open_key(&reg.home, "[signing.seal]", k)?;
                tamim_sign::cades::check_key(key.as_ref(), at).map_err(Error::Signing)?;
                Some(key)
            }
            None => None,
        };
        Ok(Self { signer, seal, at })
    }
}

/// The package of `d`, signed over PaketOzeti and, with a seal key, sealed over NihaiOzet.
pub fn write_signed(d: &ExportDoc, keys: &PackageKeys) -> Result<Vec<u8>> {
    // The writer's callbacks speak strings; the typed signing error is kept here and returned as it is.
    let failed: RefCell<Option<tamim_sign::Error>> = RefCell::new(None);
    let imza = part_signer(keys.signer.as_ref(), keys.at, &failed);
    let muhur = keys.seal.as_deref().map(|k| part_signer(k, keys.at, &failed));
    let written = eyp_write::write_signed_package(d, Some(&imza), muhur.as_ref().map(|m| m as eyp_write::PartSigner));
    drop((imza, muhur));
    match (written, failed.take()) {
        (Ok(bytes), _) => Ok(bytes),
        (Err(_), Some(e)) => Err(Error::Signing(e)),
        (Err(e), None) => Err(Error::invalid("--eyp", e)),
    }
}

fn part_signer<'a>(
    key: &'a dyn Key,
    at: DateTime<Utc>,
    failed: &'a RefCell<Option<tamim_sign::Error>>,
) -> impl Fn(&[u8]) -> std::result::Result<Vec<u8>, String> + 'a {
    move |data: &[u8]| {
        cades(key, data, at).map_err(|e| {
            let text = e.to_string();
            *failed.borrow_mut() = Some(e);
            text
        })
    }
}

/// Whether the stored PDF carries a signature (a signed document's package is signed too).
pub fn is_signed(pdf: &[u8]) -> bool {
    tamim_docs::pdf::signature::signatures(pdf).is_ok_and(|s| !s.is_empty())
}
