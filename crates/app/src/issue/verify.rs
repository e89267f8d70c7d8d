//! `tamim verify`: is this exact file one this registry issued (or registered), or an altered copy of one?

use serde::Serialize;

use crate::error::Result;
use crate::registry::home::{sha256_hex, Registry};
use tamim_store as store;

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// `issued` (this exact file was issued here), `registered` (this exact file was received here),
    /// `altered` (it claims to be a document of ours but its bytes differ), `unknown`.
    pub status: String,
    pub sha256: String,
    pub document: Option<i64>,
    pub sayi: Option<String>,
    pub tarih: Option<String>,
    pub konu: Option<String>,
    pub verification: Option<String>,
    pub message: String,
}

/// `text` ending a sentence: its own full stop kept (a konu ending in `hk.`), one added otherwise.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

pub fn verify(reg: &Registry, bytes: &[u8]) -> Result<Verification> {
    let sha = sha256_hex(bytes);
    let conn = &reg.store.conn;
    let found = |status: &str, id: i64, message: String| -> Result<Verification> {
        let d = store::documents::get(conn, id)?;
        Ok(Verification {
            status: status.into(),
            sha256: sha.clone(),
            document: Some(id),
            sayi: d.sayi.clone(),
            tarih: Some(d.tarih.to_string()),
            konu: Some(d.konu.clone()),
            verification: d.verification.clone(),
            message,
        })
    };
    if let Some(id) = store::documents::by_file(conn, &sha)? {
        let d = store::documents::get(conn, id)?;
        let (status, what) = if d.direction == "outgoing" {
            ("issued", "issued by this office")
        } else {
            ("registered", "registered here as received")
        };
        return found(
            status,
            id,
            format!(
                "This exact file was {what}: document #{id}, sayı {}, {}",
                d.sayi.clone().unwrap_or_default(),
                sentence(&d.konu)
            ),
        );
    }
    // Not byte-identical: does it carry one of our verification codes?
    if let Ok(Some(code)) = tamim_docs::pdf::get_info(bytes, "TamimVerification") {
        if let Some(id) = store::documents::by_verification(conn, &code)? {
            return found(
                "altered",
                id,
                format!("ALTERED: this file carries the verification code {code} of document #{id}, but it is not the file that was issued (its SHA-256 differs)."),
            );
        }
    }
    Ok(Verification {
        status: "unknown".into(),
        sha256: sha,
        document: None,
        sayi: None,
        tarih: None,
        konu: None,
        verification: None,
        message: "This file was not issued or registered by this registry.".into(),
    })
}
