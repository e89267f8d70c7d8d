//! What an incoming PDF is: its page count, whether it has a text layer, its Info strings.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::{Deserialize, Serialize};

use super::load::{self, MAX_STREAM_BYTES};
use super::PdfError;

/// The most content bytes (all pages and forms together) decoded while looking for text.
const TEXT_SCAN_BUDGET: usize = 64 * 1024 * 1024;
/// How deep nested Form XObjects are followed while looking for text.
const FORM_DEPTH: usize = 4;

/// What [`inspect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfInfo {
    /// Pages, counted from the page tree.
    pub pages: usize,
    /// Whether any page (or a form drawn on it) shows text with a font; `false` for a scan.
    pub has_text_layer: bool,
    /// The document Info dictionary's string entries (Title, Producer, …), decoded.
    pub info: BTreeMap<String, String>,
}

/// Reads a PDF just enough to describe it. Bounded: the file size, every stream's decoded
/// size and the total content decoded are capped, and the text search stops at the first
/// page that shows text.
pub fn inspect(bytes: &[u8]) -> Result<PdfInfo, PdfError> {
    let doc = load::load(bytes)?;
    let pages = doc.get_pages();
    let mut budget = TEXT_SCAN_BUDGET;
    let mut has_text_layer = false;
    for id in pages.values() {
        if page_has_text(&doc, *id, &mut budget)? {
            has_text_layer = true;
            break;
        }
    }
    Ok(PdfInfo {
        pages: pages.len(),
        has_text_layer,
        info: info_strings(&doc),
    })
}

/// The Info dictionary's entries whose values are strings (or names), decoded as PDF text strings.
pub(crate) fn info_strings(doc: &Document) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(info) = info_dict(doc) else { return out };
    for (key, value) in info.iter() {
        let Ok((_, value)) = doc.dereference(value) else {
            continue;
        };
        let text = match value {
            Object::String(..) => lopdf::decode_text_string(value).ok(),
            Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        };
        if let Some(text) = text {
            out.insert(String::from_utf8_lossy(key).into_owned(), text);
        }
    }
    out
}

pub(crate) fn info_dict(doc: &Document) -> Option<&Dictionary> {
    let info = doc.trailer.get(b"Info").ok()?;
    let (_, info) = doc.dereference(info).ok()?;
    info.as_dict().ok()
}

fn page_has_text(doc: &Document, page: ObjectId, budget: &mut usize) -> Result<bool, PdfError> {
    let Ok(dict) = doc.get_dictionary(page) else {
        return Ok(false);
    };
    let mut data = Vec::new();
    for id in doc.get_page_contents(page) {
        if let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) {
            data.extend(take(stream, budget)?);
            data.push(b'\n');
        }
    }
    if shows_text(&data) {
        return Ok(true);
    }
    let resources = load::inherited(doc, dict, b"Resources");
    let mut seen = BTreeSet::new();
    forms_have_text(doc, resources.as_ref(), FORM_DEPTH, &mut seen, budget)
}

/// Looks into the Form XObjects named by a resource dictionary, depth- and budget-bounded.
fn forms_have_text(
    doc: &Document,
    resources: Option<&Object>,
    depth: usize,
    seen: &mut BTreeSet<ObjectId>,
    budget: &mut usize,
) -> Result<bool, PdfError> {
    if depth == 0 {
        return Ok(false);
    }
    let Some(resources) = resources
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok())
    else {
        return Ok(false);
    };
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok())
    else {
        return Ok(false);
    };
    for (_, xobject) in xobjects.iter() {
        let Ok(id) = xobject.as_reference() else { continue };
        if !seen.insert(id) {
            continue;
        }
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            continue;
        }
        if shows_text(&take(stream, budget)?) {
            return Ok(true);
        }
        if forms_have_text(doc, stream.dict.get(b"Resources").ok(), depth - 1, seen, budget)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Decodes a stream, charging its decoded size to the budget.
fn take(stream: &lopdf::Stream, budget: &mut usize) -> Result<Vec<u8>, PdfError> {
    let limit = (*budget).min(MAX_STREAM_BYTES);
    let data = load::stream_content(stream, limit).map_err(|e| match e {
        PdfError::TooLarge { .. } => PdfError::TooLarge {
            what: "the page content, once decompressed,".into(),
            limit: limit as u64,
        },
        other => other,
    })?;
    *budget = budget.saturating_sub(data.len());
    Ok(data)
}

/// Whether a content stream selects a font (`Tf`) and then shows a non-empty string
/// (`Tj`, `TJ`, `'`, `"`). Unparseable content counts as no text.
fn shows_text(content: &[u8]) -> bool {
    let mut font = false;
    for op in Content::decode_iter(content) {
        let Ok(op) = op else { return false };
        match op.operator.as_str() {
            "Tf" => font = true,
            "Tj" | "'" | "\"" | "TJ" if font => {
                let non_empty = op.operands.iter().any(|o| match o {
                    Object::String(s, _) => !s.is_empty(),
                    Object::Array(items) => items.iter().any(|i| matches!(i, Object::String(s, _) if !s.is_empty())),
                    _ => false,
                });
                if non_empty {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testutil::{self, qpdf_encrypt, simple_pdf};

    #[test]
    fn empty_file() {
        assert!(matches!(inspect(b""), Err(PdfError::Empty)));
    }

    #[test]
    fn text_file() {
        let e = inspect(b"Sosyal Medya Etik Ilkeleri\nnot a pdf\n").unwrap_err();
        assert!(matches!(e, PdfError::NotPdf), "{e}");
        assert!(e.to_string().contains("not a PDF"));
    }

    #[test]
    fn truncated_pdf() {
        let pdf = simple_pdf(&["one", "two", "three"]);
        let e = inspect(&pdf[..pdf.len() / 2]).unwrap_err();
        assert!(matches!(e, PdfError::Corrupt(_)), "{e}");
    }

    #[test]
    fn encrypted_pdf() {
        let pdf = simple_pdf(&["gizli"]);
        let enc = qpdf_encrypt(&pdf);
        let e = inspect(&enc).unwrap_err();
        assert!(matches!(e, PdfError::Encrypted), "{e}");
    }

    #[test]
    fn valid_multi_page() {
        let pdf = simple_pdf(&["one", "two", "three"]);
        let info = inspect(&pdf).unwrap();
        assert_eq!(info.pages, 3);
        assert!(info.has_text_layer);
        assert_eq!(info.info.get("Title").map(String::as_str), Some("Test belgesi"));
        assert_eq!(testutil::pdfinfo_pages(&pdf), 3);
    }

    #[test]
    fn scan_has_no_text_layer() {
        let pdf = testutil::image_only_pdf(2);
        let info = inspect(&pdf).unwrap();
        assert_eq!(info.pages, 2);
        assert!(!info.has_text_layer);
    }

    #[test]
    fn decompression_bomb_is_refused_quickly() {
        // A 1 GiB page content stream compressed to about 4 MB.
        let pdf = testutil::bomb_pdf(1 << 30);
        let start = std::time::Instant::now();
        let e = inspect(&pdf).unwrap_err();
        assert!(matches!(e, PdfError::TooLarge { .. }), "{e}");
        eprintln!("bomb refused in {:?}: {e}", start.elapsed());
    }

    #[test]
    fn five_hundred_pages() {
        let texts: Vec<String> = (1..=500).map(|n| format!("page {n}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let pdf = simple_pdf(&refs);
        let start = std::time::Instant::now();
        let info = inspect(&pdf).unwrap();
        eprintln!("500 pages inspected in {:?}", start.elapsed());
        assert_eq!(info.pages, 500);
    }

    #[test]
    fn empty_user_password_opens() {
        let pdf = simple_pdf(&["acik"]);
        let input = testutil::write_tmp(&pdf);
        let output = testutil::tmp_path("pdf");
        let ok = std::process::Command::new("qpdf")
            .args(["--encrypt", "", "o", "256", "--"])
            .arg(&input)
            .arg(&output)
            .status()
            .unwrap()
            .success();
        let enc = std::fs::read(&output).unwrap();
        let _ = std::fs::remove_file(input);
        let _ = std::fs::remove_file(output);
        assert!(ok);
        let info = inspect(&enc).unwrap();
        assert_eq!(info.pages, 1);
        assert!(info.has_text_layer);
    }

    #[test]
    fn bomb_in_a_cross_reference_stream() {
        let bomb = testutil::zlib_zeros(1 << 30);
        let mut pdf = b"%PDF-1.5\n".to_vec();
        let offset = pdf.len();
        pdf.extend_from_slice(
            format!(
                "1 0 obj\n<< /Type /XRef /Size 1 /W [1 1 1] /Root 1 0 R /Filter /FlateDecode /Length {} >>\nstream\n",
                bomb.len()
            )
            .as_bytes(),
        );
        pdf.extend_from_slice(&bomb);
        pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n").as_bytes());
        let e = inspect(&pdf).unwrap_err();
        eprintln!("xref-stream bomb: {e}");
        assert!(matches!(e, PdfError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn mutated_files_never_panic() {
        let pdf = simple_pdf(&["bir", "iki"]);
        let stamp = crate::pdf::RegistrationStamp {
            office: "ODA".into(),
            kayit_no: "1".into(),
            date_text: "01 Ocak 2024".into(),
        };
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..300 {
            let mut m = pdf.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % m.len();
                m[at] = (seed >> 32) as u8;
            }
            let _ = inspect(&m);
            let _ = crate::pdf::append(&m, &[&m]);
            let _ = crate::pdf::stamp_registration(&m, &stamp);
        }
    }

    #[test]
    fn prefixes_never_panic() {
        let pdf = simple_pdf(&["one", "two"]);
        for n in testutil::prefix_lengths(pdf.len()) {
            let _ = inspect(&pdf[..n]);
        }
    }
}
