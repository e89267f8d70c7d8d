//! e-Yazışma v2 packages (.eyp): reading one with its parts' digests checked against PaketOzeti, within fixed bounds.
//!
//! A package is an OPC zip. Read: `Ustveri/Ustveri.xml` (BelgeId, Konu, DagitimListesi,
//! Ekler, Ilgiler, Olusturan, SdpBilgisi, DogrulamaBilgisi), `NihaiUstveri/NihaiUstveri.xml`
//! (Tarih, BelgeNo, signatories), the cover letter `UstYazi/*.pdf`, `Ekler/*`, and
//! `PaketOzeti/PaketOzeti.xml`, whose SHA-256/384/512 digests must match every part it names,
//! and must name the metadata and the cover letter. Signatures (`Imzalar/`, `Muhur/`) are
//! recorded as present; verifying CAdES is out of scope. XML with a DTD is refused (roxmltree
//! does not load external entities, and with DTDs refused no entity can expand); part names
//! that leave their folder are refused; every part is read with a size cap.

use std::collections::BTreeMap;
use std::io::Read;

use base64::Engine;
use chrono::NaiveDate;
use serde::Serialize;
use sha2::Digest;

/// The largest package accepted (bytes).
pub const MAX_PACKAGE_BYTES: usize = 256 * 1024 * 1024;
/// The most a single part may decompress to.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most all parts together may decompress to.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most parts in a package.
pub const MAX_PARTS: usize = 2000;

/// Why a package was refused.
#[derive(Debug, thiserror::Error)]
pub enum EypError {
    #[error("not an e-Yazışma package: it is not a zip file ({0})")]
    NotZip(String),
    #[error("not an e-Yazışma package: it has no {0}")]
    NotPackage(&'static str),
    #[error("the package part {0:?} has a name that leaves its folder (absolute, `..` or a backslash); refused")]
    PathEscape(String),
    #[error("{what} is larger than the limit of {limit} bytes (a zip bomb or a damaged package)")]
    TooLarge { what: String, limit: u64 },
    #[error("the package has more than {MAX_PARTS} parts")]
    TooManyParts,
    #[error("{part}: its {algorithm} digest does not match the one in PaketOzeti; the package was altered or damaged")]
    DigestMismatch { part: String, algorithm: &'static str },
    #[error("PaketOzeti names {0:?}, which is not in the package")]
    DigestPartMissing(String),
    #[error("PaketOzeti does not cover {0}: its digest cannot be checked")]
    NotCovered(String),
    #[error("{part}: {problem}")]
    Xml { part: String, problem: String },
    #[error("{part}: {field} is missing or empty")]
    Missing { part: String, field: &'static str },
    #[error("could not read the part {part:?}: {problem}")]
    Part { part: String, problem: String },
}

/// A recipient on the distribution list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recipient {
    pub name: String,
    /// DETSİS number (KKK), when the recipient is an institution.
    pub detsis: Option<String>,
    /// GRG (gereği) or BLG (bilgi).
    pub role: String,
    pub urgency: Option<String>,
}

/// A cited document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ilgi {
    pub label: Option<String>,
    pub belge_no: Option<String>,
    pub date: Option<NaiveDate>,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// An attachment as the metadata describes it, with its part when it is in the package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ek {
    pub order: i64,
    /// DED (electronic document), HRF (reference), FZK (physical object).
    pub kind: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub file_name: Option<String>,
    pub mime: Option<String>,
    pub belge_no: Option<String>,
    pub reference: Option<String>,
    /// The part's path inside the package, when present.
    pub part: Option<String>,
    #[serde(skip)]
    pub bytes: Option<Vec<u8>>,
}

/// What a package holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    pub belge_id: String,
    pub konu: String,
    pub tarih: NaiveDate,
    pub belge_no: String,
    pub security: Option<String>,
    pub issuer_name: String,
    pub issuer_detsis: Option<String>,
    pub recipients: Vec<Recipient>,
    pub ilgi: Vec<Ilgi>,
    pub ekler: Vec<Ek>,
    pub sdp_code: Option<String>,
    pub sdp_name: Option<String>,
    pub verification_address: Option<String>,
    pub signatories: Vec<String>,
    /// Signature parts present (CAdES), by name.
    pub signatures: Vec<String>,
    /// Each signature part with the part it signs, for checking (`tamim_app::eyazisma`).
    #[serde(skip)]
    pub signature_parts: Vec<SignaturePart>,
    /// The cover letter's part name.
    pub cover_part: String,
    #[serde(skip)]
    pub cover: Vec<u8>,
    /// Parts whose digests were checked.
    pub digests_checked: Vec<String>,
}

/// A signature part (`Imzalar/ImzaCades.imz`, `Muhur/MuhurCades.imz`, `Paraflar/ParafImzaCades.imz`) and
/// the part it signs (PaketOzeti, NihaiOzet, ParafOzeti), as bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct SignaturePart {
    pub part: String,
    pub covers: &'static str,
    pub bytes: Vec<u8>,
    /// The signed part's bytes; `None` when the package lacks it.
    pub covered: Option<Vec<u8>>,
}

/// The signature parts of e-Yazışma v2 and what each signs.
pub const SIGNATURE_PARTS: [(&str, &str); 3] = [
    ("Imzalar/ImzaCades.imz", "PaketOzeti/PaketOzeti.xml"),
    ("Muhur/MuhurCades.imz", "NihaiOzet/NihaiOzet.xml"),
    ("Paraflar/ParafImzaCades.imz", "ParafOzeti/ParafOzeti.xml"),
];

/// Part names must stay inside the package: no absolute paths, `..`, backslashes or drive letters.
fn safe_name(name: &str) -> Result<String, EypError> {
    let n = name.trim_start_matches('/');
    let bad = name.contains('\\')
        || name.contains(':')
        || n.is_empty()
        || n.split('/').any(|s| s == ".." || s == ".")
        || name.starts_with("//");
    if bad {
        return Err(EypError::PathEscape(name.to_string()));
    }
    Ok(n.to_string())
}

/// Reads every part of the zip within the limits.
fn parts(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, EypError> {
    if bytes.len() > MAX_PACKAGE_BYTES {
        return Err(EypError::TooLarge {
            what: "the package".into(),
            limit: MAX_PACKAGE_BYTES as u64,
        });
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| EypError::NotZip(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(EypError::TooManyParts);
    }
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| EypError::Part {
            part: format!("#{i}"),
            problem: e.to_string(),
        })?;
        let name = safe_name(f.name())?;
        if f.is_dir() {
            continue;
        }
        let mut buf = Vec::new();
        (&mut f)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| EypError::Part {
                part: name.clone(),
                problem: e.to_string(),
            })?;
        if buf.len() as u64 > MAX_PART_BYTES {
            return Err(EypError::TooLarge {
                what: format!("the part {name}, decompressed,"),
                limit: MAX_PART_BYTES,
            });
        }
        total += buf.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(EypError::TooLarge {
                what: "the package, decompressed,".into(),
                limit: MAX_TOTAL_BYTES,
            });
        }
        out.insert(name, buf);
    }
    Ok(out)
}

fn xml<'a>(part: &str, bytes: &'a [u8]) -> Result<roxmltree::Document<'a>, EypError> {
    let text = std::str::from_utf8(bytes).map_err(|_| EypError::Xml {
        part: part.into(),
        problem: "is not UTF-8".into(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    // DTDs are refused (roxmltree's default): no entity declarations, so no expansion tricks.
    roxmltree::Document::parse(text).map_err(|e| {
        let problem = match e {
            roxmltree::Error::DtdDetected => {
                "declares a DTD; e-Yazışma XML has none, and entity declarations are refused".to_string()
            }
            other => format!("is not well-formed XML ({other})"),
        };
        EypError::Xml {
            part: part.into(),
            problem,
        }
    })
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(n: roxmltree::Node, name: &str) -> Option<String> {
    child(n, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// An institution's number: KurumKurulus/KKK, or TuzelSahis/Id (as tamim writes it).
fn institution_id(w: roxmltree::Node) -> Option<String> {
    match w.tag_name().name() {
        "KurumKurulus" => text_of(w, "KKK"),
        "TuzelSahis" => text_of(w, "Id"),
        _ => None,
    }
}

fn date_of(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Opens a package, checks its digests, and reads its metadata.
pub fn read_package(bytes: &[u8]) -> Result<Package, EypError> {
    let parts = parts(bytes)?;
    let ustveri_name = "Ustveri/Ustveri.xml";
    let ustveri = parts
        .get(ustveri_name)
        .ok_or(EypError::NotPackage("Ustveri/Ustveri.xml"))?;
    let nihai = parts
        .get("NihaiUstveri/NihaiUstveri.xml")
        .ok_or(EypError::NotPackage("NihaiUstveri/NihaiUstveri.xml"))?;
    let ozet = parts
        .get("PaketOzeti/PaketOzeti.xml")
        .ok_or(EypError::NotPackage("PaketOzeti/PaketOzeti.xml"))?;
    let checked = check_digests(&parts, ozet)?;

    let doc = xml(ustveri_name, ustveri)?;
    let root = doc.root_element();
    let need = |field: &'static str| {
        text_of(root, field).ok_or(EypError::Missing {
            part: ustveri_name.into(),
            field,
        })
    };
    let belge_id = need("BelgeId")?;
    let konu = need("Konu")?;
    let cover_file = need("DosyaAdi")?;
    let cover_part = safe_name(&format!("UstYazi/{cover_file}"))?;
    let cover = parts
        .get(&cover_part)
        .cloned()
        .ok_or(EypError::NotPackage("cover letter under UstYazi/ named by DosyaAdi"))?;
    if !checked.contains(&cover_part) {
        return Err(EypError::NotCovered(cover_part));
    }
    if !checked.iter().any(|c| c == ustveri_name) {
        return Err(EypError::NotCovered(ustveri_name.into()));
    }
    let olusturan = child(root, "Olusturan").ok_or(EypError::Missing {
        part: ustveri_name.into(),
        field: "Olusturan",
    })?;
    let who = olusturan.children().find(|c| c.is_element());
    let issuer_name = who.and_then(|w| text_of(w, "Adi")).ok_or(EypError::Missing {
        part: ustveri_name.into(),
        field: "Olusturan/Adi",
    })?;
    let issuer_detsis = who.and_then(institution_id);

    let mut recipients = Vec::new();
    if let Some(list) = child(root, "DagitimListesi") {
        for d in list.children().filter(|c| c.is_element()) {
            let who = d.children().find(|c| c.is_element());
            let name = who
                .and_then(|w| {
                    text_of(w, "Adi").or_else(|| {
                        child(w, "Kisi").map(|k| {
                            format!(
                                "{} {}",
                                text_of(k, "IlkAdi").unwrap_or_default(),
                                text_of(k, "Soyadi").unwrap_or_default()
                            )
                        })
                    })
                })
                .unwrap_or_default();
            recipients.push(Recipient {
                name: name.trim().to_string(),
                detsis: who.and_then(institution_id),
                role: text_of(d, "DagitimTuru").unwrap_or_default(),
                urgency: text_of(d, "Ivedilik"),
            });
        }
    }
    let mut ilgi = Vec::new();
    if let Some(list) = child(root, "Ilgiler") {
        for i in list.children().filter(|c| c.is_element()) {
            ilgi.push(Ilgi {
                label: text_of(i, "Etiket"),
                belge_no: text_of(i, "BelgeNo"),
                date: text_of(i, "Tarih").and_then(|t| date_of(&t)),
                name: text_of(i, "Ad"),
                description: text_of(i, "Aciklama"),
            });
        }
    }
    let mut ekler = Vec::new();
    if let Some(list) = child(root, "Ekler") {
        for e in list.children().filter(|c| c.is_element()) {
            let file_name = text_of(e, "DosyaAdi");
            let part = match &file_name {
                Some(f) => {
                    let p = safe_name(&format!("Ekler/{f}"))?;
                    parts.contains_key(&p).then_some(p)
                }
                None => None,
            };
            if let Some(p) = &part {
                if !checked.contains(p) {
                    return Err(EypError::NotCovered(p.clone()));
                }
            }
            ekler.push(Ek {
                order: text_of(e, "SiraNo")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(ekler.len() as i64 + 1),
                kind: text_of(e, "Tur").unwrap_or_default(),
                name: text_of(e, "Ad"),
                description: text_of(e, "Aciklama"),
                mime: text_of(e, "MimeTuru"),
                belge_no: text_of(e, "BelgeNo"),
                reference: text_of(e, "Referans"),
                bytes: part.as_ref().and_then(|p| parts.get(p).cloned()),
                part,
                file_name,
            });
        }
    }
    ekler.sort_by_key(|e| e.order);
    let sdp = child(root, "SdpBilgisi").and_then(|s| child(s, "AnaSdp"));

    let ndoc = xml("NihaiUstveri/NihaiUstveri.xml", nihai)?;
    let nroot = ndoc.root_element();
    let nmissing = |field| EypError::Missing {
        part: "NihaiUstveri/NihaiUstveri.xml".into(),
        field,
    };
    let tarih = text_of(nroot, "Tarih")
        .and_then(|t| date_of(&t))
        .ok_or(nmissing("Tarih"))?;
    let belge_no = text_of(nroot, "BelgeNo").ok_or(nmissing("BelgeNo"))?;
    let mut signatories = Vec::new();
    if let Some(imzalar) = child(nroot, "BelgeImzalar") {
        for imza in imzalar.children().filter(|c| c.is_element()) {
            if let Some(k) = child(imza, "Imzalayan").and_then(|i| child(i, "Kisi")) {
                let name = [
                    text_of(k, "IlkAdi"),
                    text_of(k, "IkinciAdi"),
                    text_of(k, "Soyadi").map(|s| tamim_core::turkish::upper(&s)),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                let role = child(imza, "Imzalayan").and_then(|i| text_of(i, "Gorev"));
                signatories.push(match role {
                    Some(r) => format!("{name}, {r}"),
                    None => name,
                });
            }
        }
    }
    let signatures = parts
        .keys()
        .filter(|k| k.ends_with(".imz") && (k.starts_with("Imzalar/") || k.starts_with("Muhur/")))
        .cloned()
        .collect();
    let signature_parts = SIGNATURE_PARTS
        .iter()
        .filter_map(|(part, covers)| {
            parts.get(*part).map(|b| SignaturePart {
                part: part.to_string(),
                covers,
                bytes: b.clone(),
                covered: parts.get(*covers).cloned(),
            })
        })
        .collect();
    Ok(Package {
        signature_parts,
        belge_id,
        konu,
        tarih,
        belge_no,
        security: text_of(root, "GuvenlikKodu"),
        issuer_name,
        issuer_detsis,
        recipients,
        ilgi,
        ekler,
        sdp_code: sdp.and_then(|s| text_of(s, "Kod")),
        sdp_name: sdp.and_then(|s| text_of(s, "Ad")),
        verification_address: child(root, "DogrulamaBilgisi").and_then(|d| text_of(d, "DogrulamaAdresi")),
        signatories,
        signatures,
        cover_part,
        cover,
        digests_checked: checked,
    })
}

/// Checks every digest PaketOzeti lists; returns the parts checked.
fn check_digests(parts: &BTreeMap<String, Vec<u8>>, ozet: &[u8]) -> Result<Vec<String>, EypError> {
    let part_name = "PaketOzeti/PaketOzeti.xml";
    let doc = xml(part_name, ozet)?;
    let mut checked = Vec::new();
    for r in doc
        .root_element()
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Reference")
    {
        let uri = r.attribute("URI").ok_or(EypError::Missing {
            part: part_name.into(),
            field: "Reference/@URI",
        })?;
        let name = safe_name(uri)?;
        let data = parts
            .get(&name)
            .ok_or_else(|| EypError::DigestPartMissing(uri.to_string()))?;
        let mut known = 0;
        for item in r
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "DigestItem")
        {
            let alg = child(item, "DigestMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .unwrap_or("");
            let want = child(item, "DigestValue").and_then(|v| v.text()).unwrap_or("").trim();
            let (label, got): (&'static str, Vec<u8>) = if alg.ends_with("sha512") {
                ("SHA-512", sha2::Sha512::digest(data).to_vec())
            } else if alg.ends_with("sha384") {
                ("SHA-384", sha2::Sha384::digest(data).to_vec())
            } else if alg.ends_with("sha256") {
                ("SHA-256", sha2::Sha256::digest(data).to_vec())
            } else {
                continue;
            };
            known += 1;
            let want = base64::engine::general_purpose::STANDARD
                .decode(want)
                .unwrap_or_default();
            if want != got {
                return Err(EypError::DigestMismatch {
                    part: name,
                    algorithm: label,
                });
            }
        }
        if known == 0 {
            return Err(EypError::NotCovered(format!("{name} (no SHA-256/384/512 digest)")));
        }
        checked.push(name);
    }
    Ok(checked)
}
