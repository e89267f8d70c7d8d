//! Appending attachments' pages after a letter's pages, as one PDF.

use lopdf::{Dictionary, Object};

use super::copy::{self, Copier};
use super::load::{self, id_seed};
use super::PdfError;

/// Catalog entries of the base kept in the result (they stay true after appending pages).
/// The XMP /Metadata is not: it may claim a conformance (PDF/A) the attachments break.
const KEPT_CATALOG_KEYS: [&[u8]; 5] = [
    b"Lang",
    b"ViewerPreferences",
    b"PageLayout",
    b"PageMode",
    b"OutputIntents",
];

/// The base's pages followed by every attachment's pages, in order, as a new PDF.
///
/// Each page is copied with what it reaches (contents, resources, annotations), its inherited
/// Resources / MediaBox / CropBox / Rotate made explicit, into a single flat page tree. The
/// base keeps its Info dictionary and the catalog entries that stay true (language, viewer
/// preferences, output intents); outlines, forms, name trees, structure trees and XMP metadata
/// are dropped, the attachments' as well as the base's, since they would otherwise point at the
/// wrong pages or claim what the merged file is not. The result is deterministic: its /ID is a hash of the inputs.
pub fn append(base: &[u8], attachments: &[&[u8]]) -> Result<Vec<u8>, PdfError> {
    let base_doc = load::load(base)?;
    let mut docs = Vec::with_capacity(attachments.len());
    for (i, bytes) in attachments.iter().enumerate() {
        let doc = load::load(bytes).map_err(|e| match e {
            // Say which attachment, keeping the kind of problem.
            PdfError::Corrupt(m) => PdfError::Corrupt(format!("attachment {}: {m}", i + 1)),
            PdfError::TooLarge { what, limit } => PdfError::TooLarge {
                what: format!("attachment {}: {what}", i + 1),
                limit,
            },
            PdfError::Empty => PdfError::Merge(format!("attachment {} is an empty file", i + 1)),
            PdfError::NotPdf => PdfError::Merge(format!("attachment {} is not a PDF (no %PDF- header)", i + 1)),
            PdfError::Encrypted => PdfError::Merge(format!("attachment {} is encrypted and needs a password", i + 1)),
            other => other,
        })?;
        docs.push(doc);
    }

    let version = std::iter::once(&base_doc)
        .chain(docs.iter())
        .map(|d| d.version.clone())
        .max()
        .unwrap_or_else(|| "1.7".into());
    let (mut out, pages_id) = copy::new_document(&version);
    let mut kids = Vec::new();
    let mut catalog = Dictionary::new();

    let mut copier = Copier::new(&base_doc);
    kids.extend(copier.copy_pages(&mut out, pages_id, true)?);
    if let Ok(src_catalog) = base_doc.catalog() {
        for key in KEPT_CATALOG_KEYS {
            if let Ok(v) = src_catalog.get(key) {
                let v = copier.copy_value(&mut out, v)?;
                catalog.set(key, v);
            }
        }
    }
    if let Ok(info) = base_doc.trailer.get(b"Info") {
        let info = copier.copy_value(&mut out, info)?;
        if !matches!(info, Object::Null) {
            out.trailer.set("Info", info);
        }
    }
    for doc in &docs {
        let mut copier = Copier::new(doc);
        kids.extend(copier.copy_pages(&mut out, pages_id, true)?);
    }
    if kids.len() > load::MAX_PAGES {
        return Err(PdfError::TooLarge {
            what: format!("the merged document ({} pages)", kids.len()),
            limit: load::MAX_PAGES as u64,
        });
    }
    copy::finish(&mut out, pages_id, kids, catalog)?;

    let mut parts: Vec<&[u8]> = vec![b"tamim-append", base];
    parts.extend(attachments.iter().copied());
    load::save(&mut out, &id_seed(&parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testutil::{
        pdf_with, pdfinfo_pages, pdftotext, prefix_lengths, qpdf_check, qpdf_encrypt, simple_pdf,
    };
    use crate::pdf::{inspect, PdfError};

    #[test]
    fn appends_pages_in_order() {
        let letter = simple_pdf(&["Tamim 2021/243 mektup"]);
        let genelge = simple_pdf(&["Valilik genelgesi"]);
        let karar = pdf_with(
            &["Kurul yazisi", "Karar sayfa 1", "Karar sayfa 2", "Karar sayfa 3"],
            [0.0, 0.0, 612.0, 792.0],
            0,
        );
        let merged = append(&letter, &[&genelge, &karar]).unwrap();
        assert_eq!(pdfinfo_pages(&merged), 6);
        assert_eq!(inspect(&merged).unwrap().pages, 6);
        let expected = [
            "Tamim 2021/243 mektup",
            "Valilik genelgesi",
            "Kurul yazisi",
            "Karar sayfa 1",
            "Karar sayfa 2",
            "Karar sayfa 3",
        ];
        for (i, text) in expected.iter().enumerate() {
            let got = pdftotext(&merged, i + 1, false);
            assert_eq!(got.trim(), *text, "page {}", i + 1);
        }
        let (ok, report) = qpdf_check(&merged);
        assert!(ok, "qpdf --check: {report}");
        // The base's Info survives.
        assert_eq!(
            inspect(&merged).unwrap().info.get("Title").map(String::as_str),
            Some("Test belgesi")
        );
    }

    #[test]
    fn deterministic() {
        let letter = simple_pdf(&["mektup"]);
        let ek = simple_pdf(&["ek 1", "ek 2"]);
        let a = append(&letter, &[&ek]).unwrap();
        let b = append(&letter, &[&ek]).unwrap();
        assert_eq!(a, b);
        let c = append(&letter, &[&ek, &ek]).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn no_attachments_is_a_copy_of_the_base() {
        let letter = simple_pdf(&["bir", "iki"]);
        let out = append(&letter, &[]).unwrap();
        assert_eq!(pdfinfo_pages(&out), 2);
        assert!(qpdf_check(&out).0);
    }

    #[test]
    fn inherited_rotation_and_box_are_kept() {
        let letter = simple_pdf(&["mektup"]);
        let ek = pdf_with(&["yatay"], [0.0, 0.0, 842.0, 595.0], 90);
        let merged = append(&letter, &[&ek]).unwrap();
        let doc = lopdf::Document::load_mem(&merged).unwrap();
        let pages = doc.get_pages();
        let p2 = doc.get_dictionary(pages[&2]).unwrap();
        assert_eq!(p2.get(b"Rotate").unwrap().as_i64().unwrap(), 90);
        assert!(p2.has(b"Resources") && p2.has(b"MediaBox"));
        assert_eq!(pdftotext(&merged, 2, false).trim(), "yatay");
    }

    #[test]
    fn merged_output_of_qpdf_object_streams() {
        // An attachment written with object streams and an xref stream.
        let ek = simple_pdf(&["nesne akisi 1", "nesne akisi 2"]);
        let input = crate::pdf::testutil::write_tmp(&ek);
        let output = crate::pdf::testutil::tmp_path("pdf");
        let ok = std::process::Command::new("qpdf")
            .args(["--object-streams=generate"])
            .arg(&input)
            .arg(&output)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let ek = std::fs::read(&output).unwrap();
        let _ = std::fs::remove_file(input);
        let _ = std::fs::remove_file(output);
        let merged = append(&simple_pdf(&["mektup"]), &[&ek]).unwrap();
        assert_eq!(pdfinfo_pages(&merged), 3);
        assert_eq!(pdftotext(&merged, 3, false).trim(), "nesne akisi 2");
        assert!(qpdf_check(&merged).0);
    }

    /// Runs a converter `tool args… in out` and returns the output file's bytes.
    fn convert(tool: &str, args: &[&str], pdf: &[u8]) -> Vec<u8> {
        let input = crate::pdf::testutil::write_tmp(pdf);
        let output = crate::pdf::testutil::tmp_path("pdf");
        let ok = std::process::Command::new(tool)
            .args(args)
            .arg(&input)
            .arg(&output)
            .status()
            .unwrap()
            .success();
        assert!(ok, "{tool} failed");
        let bytes = std::fs::read(&output).unwrap();
        let _ = std::fs::remove_file(input);
        let _ = std::fs::remove_file(output);
        bytes
    }

    #[test]
    fn other_generators_cairo_and_linearized() {
        // cairo (pdftocairo) re-draws the pages with its own embedded font subsets;
        // qpdf --linearize writes hint streams and a first-page xref section.
        let cairo = convert(
            "pdftocairo",
            &["-pdf"],
            &simple_pdf(&["Kahire sayfa 1", "Kahire sayfa 2"]),
        );
        let linear = convert("qpdf", &["--linearize"], &simple_pdf(&["Dogrusal 1", "Dogrusal 2"]));
        let letter = crate::pdf::stamp_registration(
            &cairo,
            &crate::pdf::RegistrationStamp {
                office: "ODA".into(),
                kayit_no: "7".into(),
                date_text: "05 Kasım 2021".into(),
            },
        )
        .unwrap();
        let merged = append(&letter, &[&linear, &cairo]).unwrap();
        assert_eq!(pdfinfo_pages(&merged), 6);
        let texts: Vec<String> = (1..=6).map(|p| pdftotext(&merged, p, false)).collect();
        assert!(
            texts[0].contains("Kahire sayfa 1") && texts[0].contains("Kayıt No."),
            "{}",
            texts[0]
        );
        assert_eq!(texts[2].trim(), "Dogrusal 1");
        assert_eq!(texts[5].trim(), "Kahire sayfa 2");
        assert!(qpdf_check(&merged).0);
        assert!(inspect(&cairo).unwrap().has_text_layer);
    }

    #[test]
    fn bad_attachments_are_named() {
        let letter = simple_pdf(&["mektup"]);
        let e = append(&letter, &[b"merhaba"]).unwrap_err();
        assert!(e.to_string().contains("attachment 1"), "{e}");
        let enc = qpdf_encrypt(&simple_pdf(&["gizli"]));
        let e = append(&letter, &[&letter, &enc]).unwrap_err();
        assert!(
            e.to_string().contains("attachment 2") && e.to_string().contains("encrypted"),
            "{e}"
        );
        assert!(matches!(append(b"", &[]), Err(PdfError::Empty)));
    }

    #[test]
    fn prefixes_never_panic() {
        let pdf = simple_pdf(&["bir", "iki"]);
        for n in prefix_lengths(pdf.len()) {
            let _ = append(&pdf[..n], &[]);
            let _ = append(&pdf, &[&pdf[..n]]);
        }
    }
}
