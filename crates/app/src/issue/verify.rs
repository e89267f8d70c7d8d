//! `tamim verify`: is this exact file one this registry issued (or registered), or an altered copy of one?

use serde::Serialize;

use crate::error::{Error, Result};
use crate::registry::home::{sha256_hex, Registry};
use tamim_sign::check::Problem;
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
    /// Each signature in the file, checked.
    pub signatures: Vec<SignatureReport>,
}

/// One PDF signature as checked: intact, what it covers, who and when, and trust.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    pub field: Option<String>,
    /// The bytes it covers are the ones signed, and the signature verifies.
    pub intact: bool,
    pub byte_range: Vec<i64>,
    /// Bytes after the signed range (an incremental update appended later).
    pub appended_bytes: i64,
    pub signer: Option<tamim_sign::check::Signer>,
    /// `/M` of the signature dictionary, as written.
    pub signing_time: Option<String>,
    pub timestamp: Option<tamim_sign::check::Stamp>,
    pub trust: tamim_sign::check::Trust,
    pub problem: Option<Problem>,
}

/// Why a signature is not intact, in Turkish (the `/dogrula` page; the CLI tells it from its catalogs).
pub fn problem_tr(p: &Problem) -> String {
    match p {
        Problem::NoSigner => "imzalayan yok".into(),
        Problem::SignerCertificateMissing => "imzalayanın sertifikası imzada yok".into(),
        Problem::UnsupportedDigest(oid) => format!("desteklenmeyen özet algoritması {oid}"),
        Problem::ContentChanged => "imzadan sonra içerik değiştirilmiş (özeti tutmuyor)".into(),
        Problem::Encoding(e) => format!("imzalı öznitelikler kodlanamıyor ({e})"),
        Problem::SignatureInvalid => "imza, imzalayanın sertifikasıyla doğrulanmıyor".into(),
        Problem::SigningCertificateOther => "signing-certificate-v2 özniteliği başka bir sertifikayı gösteriyor".into(),
        Problem::SigningCertificateUnreadable(e) => format!("signing-certificate-v2 özniteliği okunamıyor ({e})"),
        Problem::SigningCertificateAbsent => "signing-certificate-v2 özniteliği yok".into(),
        Problem::StampUnreadable => "zaman damgası okunamıyor".into(),
        Problem::StampWithoutInfo => "zaman damgasında TSTInfo yok".into(),
        Problem::StampOverOtherData => "zaman damgası başka bir verinin üzerinde".into(),
        Problem::NotSignedData => "imzalı veri (SignedData) değil".into(),
        Problem::ByteRange => "bayt aralığı dosyayla uyuşmuyor (imza boşluğu ya da dosyanın uzunluğu)".into(),
        Problem::Malformed(e) => format!("CMS imzası değil: {e}"),
    }
}

impl SignatureReport {
    /// The report in Turkish, for the `/dogrula` page: (durum, kapsam, imzalayan, zaman, zaman damgası, güven).
    pub fn turkish(&self) -> serde_json::Value {
        let durum = if self.intact {
            "Sağlam: imza doğrulandı, imzalanan baytlar değiştirilmemiş".to_string()
        } else {
            format!("BOZUK: {}", self.problem.as_ref().map(problem_tr).unwrap_or_default())
        };
        let kapsam = match self.appended_bytes {
            0 => format!("Bayt aralığı {:?}: dosyanın tamamı", self.byte_range),
            n if n > 0 => format!("Bayt aralığı {:?}: imzadan sonra {n} bayt eklenmiş", self.byte_range),
            _ => format!("Bayt aralığı {:?}: dosya eksik (kesik)", self.byte_range),
        };
        let guven = match &self.trust {
            tamim_sign::check::Trust::Trusted { anchor } => format!("Güven listesindeki köke ulaşıyor: {anchor}"),
            tamim_sign::check::Trust::Untrusted => "Güven listesindeki hiçbir köke ulaşmıyor".into(),
            tamim_sign::check::Trust::NotChecked => "güven listesine karşı denetlenmedi".into(),
        };
        serde_json::json!({
            "durum": durum,
            "saglam": self.intact,
            "kapsam": kapsam,
            "imzalayan": self.signer.as_ref().map(|s| format!("{} (seri no {}, yayıncı {})", s.name, s.serial, s.issuer)),
            "zaman": self.signing_time,
            "damga": self.timestamp.as_ref().map(|t| format!("{} — {}", t.time.format("%d.%m.%Y %H:%M:%S UTC"), t.authority.as_ref().map(|a| a.name.clone()).unwrap_or_default())),
            "guven": guven,
        })
    }
}

/// The trust anchors of the registry: every certificate file in `trust/` (PEM or DER).
pub fn trust_anchors(reg: &Registry) -> Result<Vec<tamim_sign::Certificate>> {
    trust_anchors_in(&reg.home)
}

/// The trust anchors of the registry at `home` (its `trust/` folder).
pub fn trust_anchors_in(home: &std::path::Path) -> Result<Vec<tamim_sign::Certificate>> {
    let dir = home.join("trust");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
        out.extend(tamim_sign::cert::parse_certificates(&bytes).map_err(|e| Error::File {
            path: p.clone(),
            problem: e.to_string(),
        })?);
    }
    Ok(out)
}

/// Every signature of `bytes`, checked against `anchors`.
pub fn check_signatures(bytes: &[u8], anchors: &[tamim_sign::Certificate]) -> Result<Vec<SignatureReport>> {
    let found = tamim_docs::pdf::signature::signatures(bytes).map_err(Error::Pdf)?;
    Ok(found
        .into_iter()
        .map(|s| {
            let pieces = s.signed(bytes);
            let mut r = SignatureReport {
                field: s.field.clone(),
                intact: false,
                byte_range: s.byte_range.clone(),
                appended_bytes: s.after,
                signer: None,
                signing_time: s.time.clone(),
                timestamp: None,
                trust: tamim_sign::check::Trust::NotChecked,
                problem: None,
            };
            if !s.well_formed || pieces.is_empty() {
                r.problem = Some(Problem::ByteRange);
                return r;
            }
            match tamim_sign::check::check_detached(&s.contents, &pieces, anchors) {
                Ok(c) => {
                    r.intact = c.intact && c.timestamp.as_ref().is_none_or(|t| t.intact);
                    r.problem = c.problem;
                    r.signer = c.signer;
                    r.timestamp = c.timestamp;
                    r.trust = c.trust;
                }
                Err(e) => r.problem = Some(Problem::Malformed(e.to_string())),
            }
            r
        })
        .collect())
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
    let mut v = verify_file(reg, bytes)?;
    v.signatures = check_signatures(bytes, &trust_anchors(reg)?)?;
    Ok(v)
}

/// Whether every signature of the file is intact and trusted (or not checked for trust).
pub fn signatures_hold(v: &Verification) -> bool {
    v.signatures
        .iter()
        .all(|s| s.intact && s.trust != tamim_sign::check::Trust::Untrusted)
}

fn verify_file(reg: &Registry, bytes: &[u8]) -> Result<Verification> {
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
            signatures: Vec::new(),
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
        signatures: Vec::new(),
    })
}
