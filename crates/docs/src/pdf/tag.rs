//! Reading and writing the document Info dictionary (e.g. `TamimVerification`, `TamimDocument`).

use lopdf::{text_string, Dictionary, Object};

use super::inspect::{info_dict, info_strings};
use super::load::{self, add, id_seed};
use super::PdfError;

/// Returns a copy of `pdf` with the given Info entries set (others kept). Values are PDF text
/// strings: plain ASCII as is, anything else as UTF-16BE with a byte-order mark. Keys must be
/// non-empty names of printable ASCII without delimiters. Deterministic.
pub fn set_info(pdf: &[u8], entries: &[(&str, &str)]) -> Result<Vec<u8>, PdfError> {
    for (key, _) in entries {
        let ok = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b));
        if !ok {
            return Err(PdfError::InfoKey(key.to_string()));
        }
    }
    let mut doc = load::load(pdf)?;
    let mut info: Dictionary = info_dict(&doc).cloned().unwrap_or_default();
    for (key, value) in entries {
        info.set(key.as_bytes(), text_string(value));
    }
    // The Info dictionary is rewritten as a new object; an old one is left unreferenced.
    let id = add(&mut doc, Object::Dictionary(info))?;
    doc.trailer.set("Info", id);
    let mut seed_parts: Vec<&[u8]> = vec![b"tamim-set-info", pdf];
    for (k, v) in entries {
        seed_parts.push(k.as_bytes());
        seed_parts.push(v.as_bytes());
    }
    load::save(&mut doc, &id_seed(&seed_parts))
}

/// The Info entry `key` as text, or `None` when the document has no such entry.
pub fn get_info(pdf: &[u8], key: &str) -> Result<Option<String>, PdfError> {
    let doc = load::load(pdf)?;
    Ok(info_strings(&doc).remove(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testutil::{prefix_lengths, qpdf_check, simple_pdf, write_tmp};

    #[test]
    fn set_then_get() {
        let pdf = simple_pdf(&["bir"]);
        let out = set_info(
            &pdf,
            &[
                ("TamimVerification", "AB12-CD34"),
                ("TamimDocument", "Tamim 2021/243 — İŞĞÇÖÜ ı"),
            ],
        )
        .unwrap();
        assert_eq!(
            get_info(&out, "TamimVerification").unwrap().as_deref(),
            Some("AB12-CD34")
        );
        assert_eq!(
            get_info(&out, "TamimDocument").unwrap().as_deref(),
            Some("Tamim 2021/243 — İŞĞÇÖÜ ı")
        );
        assert_eq!(get_info(&out, "Title").unwrap().as_deref(), Some("Test belgesi"));
        assert_eq!(get_info(&out, "Nope").unwrap(), None);
        assert!(qpdf_check(&out).0);
        // pdfinfo sees the custom key too (poppler prints custom entries with -custom).
        let p = write_tmp(&out);
        let o = std::process::Command::new("pdfinfo")
            .arg("-custom")
            .arg(&p)
            .output()
            .unwrap();
        let _ = std::fs::remove_file(p);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("AB12-CD34"), "{text}");
        assert!(text.contains("Tamim 2021/243 — İŞĞÇÖÜ ı"), "{text}");
    }

    #[test]
    fn deterministic_and_overwrites() {
        let pdf = simple_pdf(&["bir"]);
        let a = set_info(&pdf, &[("TamimVerification", "X1")]).unwrap();
        assert_eq!(a, set_info(&pdf, &[("TamimVerification", "X1")]).unwrap());
        let b = set_info(&a, &[("TamimVerification", "X2")]).unwrap();
        assert_eq!(get_info(&b, "TamimVerification").unwrap().as_deref(), Some("X2"));
    }

    #[test]
    fn bad_key_is_refused() {
        let pdf = simple_pdf(&["bir"]);
        assert!(set_info(&pdf, &[("bad key", "v")]).is_err());
        assert!(set_info(&pdf, &[("", "v")]).is_err());
    }

    #[test]
    fn prefixes_never_panic() {
        let pdf = simple_pdf(&["bir"]);
        for n in prefix_lengths(pdf.len()) {
            let _ = set_info(&pdf[..n], &[("K", "v")]);
            let _ = get_info(&pdf[..n], "K");
        }
    }
}
