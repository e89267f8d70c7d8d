//! Writing an issued document as an unsigned e-Yazışma v2 package: Ustveri, NihaiUstveri, UstYazi, PaketOzeti (SHA-384 + SHA-512), OPC content types and relationships.
//!
//! Deterministic: the BelgeId is derived from the cover letter's SHA-256 and the zip entries carry
//! a fixed time. Institutions are written as TuzelSahis (Id + Adi): the v2 schema's KKK type
//! demands 14 hexadecimal digits, which a DETSİS number is not.

use std::io::Write;

use base64::Engine;
use chrono::NaiveDate;
use sha2::Digest;

/// One recipient: name, identifier (DETSİS or org code), GRG or BLG.
#[derive(Debug, Clone)]
pub struct ExportRecipient {
    pub name: String,
    pub id: String,
    pub role: &'static str,
}

/// A citation.
#[derive(Debug, Clone)]
pub struct ExportIlgi {
    pub belge_no: Option<String>,
    pub date: Option<NaiveDate>,
    pub text: String,
}

/// An attachment (Ek): a file in the package (DED) or a physical one named only (FZK).
#[derive(Debug, Clone)]
pub struct ExportEk {
    /// As listed in the letter's Ek block.
    pub name: String,
    /// The attached document's sayı, when it is a registered document.
    pub belge_no: Option<String>,
    /// The PDF, when the registry holds it.
    pub pdf: Option<Vec<u8>>,
}

/// What goes into the package.
#[derive(Debug, Clone)]
pub struct ExportDoc {
    pub konu: String,
    pub tarih: NaiveDate,
    pub belge_no: String,
    pub issuer_name: String,
    pub issuer_id: String,
    pub recipients: Vec<ExportRecipient>,
    pub ilgi: Vec<ExportIlgi>,
    /// Signatories: (first names, surname, title).
    pub signatories: Vec<(String, String, String)>,
    pub verification_address: String,
    pub cover_name: String,
    pub cover: Vec<u8>,
    /// In the order of the letter's Ek block. The issued cover letter already carries their pages after its
    /// own; each is also its own part, so a receiving system lists them as Ekler.
    pub ekler: Vec<ExportEk>,
}

/// The package part of the n-th (1-based) attachment that has a file.
fn ek_part(n: usize) -> String {
    format!("Ekler/EK-{n}.pdf")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A GUID-shaped id from a hash, so the same document gives the same package.
fn guid(seed: &[u8]) -> String {
    let h = hex::encode(sha2::Sha256::digest(seed)).to_uppercase();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

const T: &str = "urn:dpt:eyazisma:schema:xsd:Tipler-2";

fn tuzel(name: &str, id: &str) -> String {
    format!("<TuzelSahis><Id>{}</Id><Adi>{}</Adi></TuzelSahis>", esc(id), esc(name))
}

pub fn ustveri(d: &ExportDoc, belge_id: &str) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<UstVeri xmlns=\"urn:dpt:eyazisma:schema:xsd:Ustveri-2\" xmlns:t=\"");
    x.push_str(T);
    x.push_str("\">\n");
    x.push_str(&format!("  <t:BelgeId>{belge_id}</t:BelgeId>\n  <t:Konu>{}</t:Konu>\n  <t:GuvenlikKodu>YOK</t:GuvenlikKodu>\n  <t:MimeTuru>application/pdf</t:MimeTuru>\n", esc(&d.konu)));
    x.push_str("  <t:DagitimListesi xmlns=\"urn:dpt:eyazisma:schema:xsd:Tipler-2\">\n");
    for r in &d.recipients {
        x.push_str(&format!(
            "    <Dagitim>{}<Ivedilik>NRM</Ivedilik><DagitimTuru>{}</DagitimTuru></Dagitim>\n",
            tuzel(&r.name, &r.id),
            r.role
        ));
    }
    x.push_str("  </t:DagitimListesi>\n");
    if !d.ekler.is_empty() {
        x.push_str("  <t:Ekler xmlns=\"urn:dpt:eyazisma:schema:xsd:Tipler-2\">\n");
        for (i, ek) in d.ekler.iter().enumerate() {
            let id = guid(format!("{belge_id}/ek/{i}").as_bytes());
            x.push_str(&format!("    <Ek><Id Value=\"{id}\" />"));
            if let Some(n) = &ek.belge_no {
                x.push_str(&format!("<BelgeNo>{}</BelgeNo>", esc(n)));
            }
            if ek.pdf.is_some() {
                let part = ek_part(i + 1);
                let file = part.rsplit('/').next().unwrap_or_default();
                x.push_str(&format!(
                    "<Tur>DED</Tur><DosyaAdi>{file}</DosyaAdi><MimeTuru>application/pdf</MimeTuru>"
                ));
            } else {
                x.push_str("<Tur>FZK</Tur>");
            }
            x.push_str(&format!("<Ad>{}</Ad><SiraNo>{}</SiraNo>", esc(&ek.name), i + 1));
            if ek.pdf.is_some() {
                x.push_str("<Aciklama>Üst yazının sayfalarından sonra da yer almaktadır.</Aciklama>");
            }
            x.push_str("<ImzaliMi>false</ImzaliMi></Ek>\n");
        }
        x.push_str("  </t:Ekler>\n");
    }
    if !d.ilgi.is_empty() {
        x.push_str("  <t:Ilgiler xmlns=\"urn:dpt:eyazisma:schema:xsd:Tipler-2\">\n");
        for (i, il) in d.ilgi.iter().enumerate() {
            let id = guid(format!("{belge_id}/ilgi/{i}").as_bytes());
            x.push_str(&format!("    <Ilgi><Id Value=\"{id}\" />"));
            if let Some(n) = &il.belge_no {
                x.push_str(&format!("<BelgeNo>{}</BelgeNo>", esc(n)));
            }
            if let Some(t) = il.date {
                x.push_str(&format!("<Tarih>{}T00:00:00</Tarih>", t.format("%Y-%m-%d")));
            }
            let label = char::from(b'a' + (i % 26) as u8);
            x.push_str(&format!("<Etiket>{label}</Etiket><Ad>{}</Ad></Ilgi>\n", esc(&il.text)));
        }
        x.push_str("  </t:Ilgiler>\n");
    }
    x.push_str("  <t:Dil>tur</t:Dil>\n");
    x.push_str(&format!(
        "  <t:Olusturan xmlns=\"urn:dpt:eyazisma:schema:xsd:Tipler-2\">{}</t:Olusturan>\n",
        tuzel(&d.issuer_name, &d.issuer_id)
    ));
    x.push_str(&format!("  <t:DosyaAdi>{}</t:DosyaAdi>\n", esc(&d.cover_name)));
    x.push_str(&format!(
        "  <t:DogrulamaBilgisi xmlns=\"urn:dpt:eyazisma:schema:xsd:Tipler-2\"><DogrulamaAdresi>{}</DogrulamaAdresi></t:DogrulamaBilgisi>\n</UstVeri>\n",
        esc(&d.verification_address)
    ));
    x
}

pub fn nihai(d: &ExportDoc) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<NihaiUstVeri xmlns=\"urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2\" xmlns:t=\"{T}\">\n  <t:Tarih>{}T00:00:00</t:Tarih>\n  <t:BelgeNo>{}</t:BelgeNo>\n  <t:BelgeImzalar xmlns=\"{T}\">\n",
        d.tarih.format("%Y-%m-%d"),
        esc(&d.belge_no)
    );
    for (first, last, title) in &d.signatories {
        x.push_str(&format!(
            "    <Imza><Imzalayan><Kisi><IlkAdi>{}</IlkAdi><Soyadi>{}</Soyadi></Kisi>{}</Imzalayan></Imza>\n",
            esc(first),
            esc(last),
            if title.is_empty() {
                String::new()
            } else {
                format!("<Gorev>{}</Gorev>", esc(title))
            }
        ));
    }
    x.push_str("  </t:BelgeImzalar>\n</NihaiUstVeri>\n");
    x
}

fn digests(parts: &[(&str, &[u8])]) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PaketOzeti xmlns=\"urn:dpt:eyazisma:schema:xsd:PaketOzeti-2\">\n",
    );
    for (name, data) in parts {
        x.push_str(&format!(
            "  <Reference URI=\"/{name}\" Type=\"http://eyazisma.dpt/bilesen#dahili\">\n    <DigestItem><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#sha384\" /><DigestValue>{}</DigestValue></DigestItem>\n    <DigestItem><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha512\" /><DigestValue>{}</DigestValue></DigestItem>\n  </Reference>\n",
            b64(&sha2::Sha384::digest(data)),
            b64(&sha2::Sha512::digest(data))
        ));
    }
    x.push_str("</PaketOzeti>\n");
    x
}

/// Signs a part of the package: its bytes in, a detached CMS (CAdES-BES) out.
pub type PartSigner<'a> = &'a dyn Fn(&[u8]) -> Result<Vec<u8>, String>;

/// The package's bytes, unsigned.
pub fn write_package(d: &ExportDoc) -> Result<Vec<u8>, String> {
    write_signed_package(d, None, None)
}

/// The package's bytes; with `imza`, the signer's CAdES over PaketOzeti in `Imzalar/ImzaCades.imz`; with
/// `muhur` (which needs `imza`), NihaiOzet over every part and the signature, and the institution's
/// seal over it in `Muhur/MuhurCades.imz` — the layout of the official sample.
pub fn write_signed_package(
    d: &ExportDoc,
    imza: Option<PartSigner>,
    muhur: Option<PartSigner>,
) -> Result<Vec<u8>, String> {
    if muhur.is_some() && imza.is_none() {
        return Err("a seal (NihaiOzet) needs the signer's signature (PaketOzeti) first".into());
    }
    let belge_id = guid(&sha2::Sha256::digest(&d.cover));
    let cover_part = format!("UstYazi/{}", d.cover_name);
    let ust = ustveri(d, &belge_id);
    let nihai = nihai(d);
    let ek_parts: Vec<(String, &[u8])> = d
        .ekler
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.pdf.as_deref().map(|b| (ek_part(i + 1), b)))
        .collect();
    let mut covered: Vec<(&str, &[u8])> = vec![
        ("Ustveri/Ustveri.xml", ust.as_bytes()),
        (&cover_part, &d.cover),
        ("NihaiUstveri/NihaiUstveri.xml", nihai.as_bytes()),
    ];
    covered.extend(ek_parts.iter().map(|(n, b)| (n.as_str(), *b)));
    let ozet = digests(&covered);
    let imza_cms = match imza {
        Some(sign) => Some(sign(ozet.as_bytes())?),
        None => None,
    };
    let nihai_ozet = match &imza_cms {
        Some(cms) if muhur.is_some() => {
            let mut all: Vec<(&str, &[u8])> = vec![
                ("Ustveri/Ustveri.xml", ust.as_bytes()),
                (&cover_part, &d.cover),
                ("PaketOzeti/PaketOzeti.xml", ozet.as_bytes()),
                ("Imzalar/ImzaCades.imz", cms),
                ("NihaiUstveri/NihaiUstveri.xml", nihai.as_bytes()),
            ];
            all.extend(ek_parts.iter().map(|(n, b)| (n.as_str(), *b)));
            let x = digests(&all)
                .replace(
                    "<PaketOzeti xmlns=\"urn:dpt:eyazisma:schema:xsd:PaketOzeti-2\">",
                    &format!("<NihaiOzet Id=\"{belge_id}\" xmlns=\"urn:dpt:eyazisma:schema:xsd:NihaiOzet-2\">"),
                )
                .replace(
                    "<Reference URI=",
                    "<Reference xmlns=\"urn:dpt:eyazisma:schema:xsd:PaketOzeti-2\" URI=",
                )
                .replace("</PaketOzeti>", "</NihaiOzet>");
            Some(x)
        }
        _ => None,
    };
    let muhur_cms = match (muhur, &nihai_ozet) {
        (Some(seal), Some(x)) => Some(seal(x.as_bytes())?),
        _ => None,
    };
    let mut rels = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (i, (part, _)) in ek_parts.iter().enumerate() {
        let id = guid(format!("{belge_id}/ek-part/{i}").as_bytes());
        rels.push_str(&format!(
            "<Relationship Type=\"http://eyazisma.dpt/iliskiler/ek\" Target=\"/{}\" Id=\"IdEk_{id}\" />",
            esc(part)
        ));
    }
    rels.push_str(&format!(
        "<Relationship Type=\"http://eyazisma.dpt/iliskiler/ustyazi\" Target=\"/{}\" Id=\"IdUstYazi\" /><Relationship Type=\"http://eyazisma.dpt/iliskiler/ustveri\" Target=\"/Ustveri/Ustveri.xml\" Id=\"IdUstveri\" /><Relationship Type=\"http://eyazisma.dpt/iliskiler/nihaiustveri\" Target=\"/NihaiUstveri/NihaiUstveri.xml\" Id=\"IdNihaiUstveri\" /><Relationship Type=\"http://eyazisma.dpt/iliskiler/paketozeti\" Target=\"/PaketOzeti/PaketOzeti.xml\" Id=\"IdPaketOzeti\" />",
        esc(&cover_part)
    ));
    if nihai_ozet.is_some() {
        rels.push_str("<Relationship Type=\"http://eyazisma.dpt/iliskiler/nihaiozet\" Target=\"/NihaiOzet/NihaiOzet.xml\" Id=\"IdNihaiOzet\" />");
    }
    rels.push_str("</Relationships>");
    let types = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"pdf\" ContentType=\"application/pdf\" /><Default Extension=\"xml\" ContentType=\"application/xml\" />{}<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" /></Types>",
        if imza_cms.is_some() {
            "<Default Extension=\"imz\" ContentType=\"application/octet-stream\" />"
        } else {
            ""
        }
    );
    let rel = |ty: &str, target: &str, id: &str| {
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Type=\"http://eyazisma.dpt/iliskiler/{ty}\" Target=\"{target}\" Id=\"{id}\" /></Relationships>")
    };
    let imza_rels = rel("imzacades", "../Imzalar/ImzaCades.imz", "IdImzaCades");
    let muhur_rels = rel("muhurcades", "../Muhur/MuhurCades.imz", "IdMuhurCades");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let mut parts: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", types.as_bytes()),
            ("_rels/.rels", rels.as_bytes()),
            ("Ustveri/Ustveri.xml", ust.as_bytes()),
            ("NihaiUstveri/NihaiUstveri.xml", nihai.as_bytes()),
            (cover_part.as_str(), d.cover.as_slice()),
        ];
        parts.extend(ek_parts.iter().map(|(n, b)| (n.as_str(), *b)));
        parts.push(("PaketOzeti/PaketOzeti.xml", ozet.as_bytes()));
        if let Some(cms) = &imza_cms {
            parts.push(("PaketOzeti/_rels/PaketOzeti.xml.rels", imza_rels.as_bytes()));
            parts.push(("Imzalar/ImzaCades.imz", cms));
        }
        if let (Some(x), Some(cms)) = (&nihai_ozet, &muhur_cms) {
            parts.push(("NihaiOzet/NihaiOzet.xml", x.as_bytes()));
            parts.push(("NihaiOzet/_rels/NihaiOzet.xml.rels", muhur_rels.as_bytes()));
            parts.push(("Muhur/MuhurCades.imz", cms));
        }
        for (name, data) in parts {
            z.start_file(name, opts).map_err(|e| e.to_string())?;
            z.write_all(data).map_err(|e| e.to_string())?;
        }
        z.finish().map_err(|e| e.to_string())?;
    }
    Ok(buf.into_inner())
}
