//! Tests of the registration stamp, read back with poppler and qpdf.

use super::*;
use crate::pdf::testutil::{pdf_with, pdftotext, prefix_lengths, qpdf_check, simple_pdf, write_tmp};
use crate::pdf::{append, inspect};

fn seed_stamp() -> RegistrationStamp {
    RegistrationStamp {
        office: "İSTANBUL ESNAF VE SANATKARLAR ODALARI BİRLİĞİ".into(),
        kayit_no: "4959".into(),
        date_text: "03 Kasım 2021".into(),
    }
}

/// Words of the page text, so line breaks and column gaps do not matter.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

#[test]
fn stamped_text_comes_back_exactly() {
    let pdf = simple_pdf(&["Sayi: E-85840981-167.01-122254", "ikinci sayfa"]);
    let out = stamp_registration(&pdf, &seed_stamp()).unwrap();
    let (ok, report) = qpdf_check(&out);
    assert!(ok, "qpdf --check: {report}");
    let layout = pdftotext(&out, 1, true);
    // The office name is wrapped to the box: two lines here.
    assert!(layout.contains("İSTANBUL ESNAF VE SANATKARLAR\n"), "{layout}");
    assert!(layout.contains("ODALARI BİRLİĞİ\n"), "{layout}");
    let lines: Vec<&str> = layout.lines().map(str::trim).collect();
    assert!(lines.iter().any(|l| words(l) == ["Kayıt", "No.", "4959"]), "{layout}");
    assert!(
        lines
            .iter()
            .any(|l| words(l) == ["Geldiği", "Tarih", "03", "Kasım", "2021"]),
        "{layout}"
    );
    let plain = pdftotext(&out, 1, false);
    let w = words(&plain).join(" ");
    assert!(w.contains("İSTANBUL ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"), "{plain}");
    assert!(
        w.contains("Sayi: E-85840981-167.01-122254"),
        "original text kept: {plain}"
    );
    assert_eq!(pdftotext(&out, 2, false).trim(), "ikinci sayfa");
    assert_eq!(inspect(&out).unwrap().pages, 2);
}

#[test]
fn all_turkish_letters_survive() {
    let pdf = simple_pdf(&["x"]);
    let s = RegistrationStamp {
        office: "ÇĞİÖŞÜ çğıöşü ODASI".into(),
        kayit_no: "2021/0007".into(),
        date_text: "29 Şubat 2024".into(),
    };
    let out = stamp_registration(&pdf, &s).unwrap();
    let w = words(&pdftotext(&out, 1, false)).join(" ");
    for part in [
        "ÇĞİÖŞÜ çğıöşü ODASI",
        "2021/0007",
        "29 Şubat 2024",
        "Geldiği Tarih",
        "Kayıt No.",
    ] {
        assert!(w.contains(part), "{part} missing in {w}");
    }
}

#[test]
fn deterministic_and_small() {
    let pdf = simple_pdf(&["x"]);
    let a = stamp_registration(&pdf, &seed_stamp()).unwrap();
    let b = stamp_registration(&pdf, &seed_stamp()).unwrap();
    assert_eq!(a, b);
    let added = a.len() as i64 - pdf.len() as i64;
    eprintln!("stamp adds {added} bytes");
    assert!(added < 60_000, "stamp adds {added} bytes");
}

#[test]
fn box_is_top_right_on_shifted_and_rotated_pages() {
    for (media, rotate) in [
        ([0.0, 0.0, 595.0, 842.0], 0),
        ([100.0, 200.0, 695.0, 1042.0], 0),
        ([0.0, 0.0, 595.0, 842.0], 90),
        ([0.0, 0.0, 595.0, 842.0], 180),
        ([0.0, 0.0, 595.0, 842.0], 270),
        ([0.0, 0.0, 298.0, 420.0], 0),
    ] {
        let pdf = pdf_with(&["Metin"], media, rotate);
        let out = stamp_registration(&pdf, &seed_stamp()).unwrap();
        // pdftotext -bbox gives word boxes in displayed coordinates (y down).
        let p = write_tmp(&out);
        let o = std::process::Command::new("pdftotext")
            .args(["-bbox", "-f", "1", "-l", "1"])
            .arg(&p)
            .arg("-")
            .output()
            .unwrap();
        let _ = std::fs::remove_file(p);
        let html = String::from_utf8_lossy(&o.stdout);
        let page_w: f32 = attr(&html, "<page width=\"").unwrap();
        let page_h: f32 = attr(&html, "height=\"").unwrap();
        let line = html
            .lines()
            .find(|l| l.contains(">4959<"))
            .unwrap_or_else(|| panic!("no 4959 in {html}"));
        let x: f32 = attr(line, "xMin=\"").unwrap();
        let y: f32 = attr(line, "yMin=\"").unwrap();
        assert!(
            x > page_w * 0.55 && y < page_h * 0.2,
            "media {media:?} rotate {rotate}: 4959 at ({x},{y}) on {page_w}x{page_h}"
        );
        assert!(qpdf_check(&out).0);
    }
}

fn attr(s: &str, key: &str) -> Option<f32> {
    let start = s.find(key)? + key.len();
    let end = s[start..].find('"')? + start;
    s[start..end].parse().ok()
}

#[test]
fn long_office_name_wraps_and_bad_text_is_refused() {
    let pdf = simple_pdf(&["x"]);
    let mut s = seed_stamp();
    s.office = "T.C. İSTANBUL VALİLİĞİ İL YAZI İŞLERİ MÜDÜRLÜĞÜ EVRAK KAYIT VE ARŞİV BİRİMİ".into();
    let out = stamp_registration(&pdf, &s).unwrap();
    let w = words(&pdftotext(&out, 1, false)).join(" ");
    assert!(w.contains("EVRAK KAYIT VE ARŞİV BİRİMİ"), "{w}");
    s.office = "漢字".into();
    let e = stamp_registration(&pdf, &s).unwrap_err();
    assert!(e.to_string().contains("U+6F22"), "{e}");
    s.office = " ".into();
    assert!(stamp_registration(&pdf, &s).is_err());
}

#[test]
fn stamp_then_merge_keeps_the_box() {
    let letter = simple_pdf(&["Valilik genelgesi"]);
    let stamped = stamp_registration(&letter, &seed_stamp()).unwrap();
    let merged = append(&simple_pdf(&["Tamim"]), &[&stamped]).unwrap();
    let w = words(&pdftotext(&merged, 2, false)).join(" ");
    assert!(w.contains("Kayıt No. 4959"), "{w}");
    assert!(qpdf_check(&merged).0);
}

#[test]
fn render_for_review() {
    let pdf = simple_pdf(&["T.C. ISTANBUL VALILIGI - Sayi: E-85840981-167.01-122254"]);
    let out = stamp_registration(&pdf, &seed_stamp()).unwrap();
    // Kept in the temp dir for a person to look at: tamim-stamp-review.{pdf,png}.
    let path = std::env::temp_dir().join("tamim-stamp-review.pdf");
    std::fs::write(&path, &out).unwrap();
    let png = std::env::temp_dir().join("tamim-stamp-review");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    // And a landscape page turned by /Rotate 90: the box must still read upright, top right.
    let pdf = pdf_with(&["Dondurulmus sayfa"], [0.0, 0.0, 595.0, 842.0], 90);
    let out = stamp_registration(&pdf, &seed_stamp()).unwrap();
    let path = std::env::temp_dir().join("tamim-stamp-review-rotate90.pdf");
    std::fs::write(&path, &out).unwrap();
    let png = std::env::temp_dir().join("tamim-stamp-review-rotate90");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn prefixes_never_panic() {
    let pdf = simple_pdf(&["bir", "iki"]);
    for n in prefix_lengths(pdf.len()) {
        let _ = stamp_registration(&pdf[..n], &seed_stamp());
    }
}

#[test]
fn second_stamp_goes_below_the_first() {
    let pdf = simple_pdf(&["x"]);
    let first = stamp_registration(
        &pdf,
        &RegistrationStamp {
            office: "İSTANBUL VALİLİĞİ".into(),
            kayit_no: "320214-3".into(),
            date_text: "01 Kasım 2021".into(),
        },
    )
    .unwrap();
    let second = stamp_registration(&first, &seed_stamp()).unwrap();
    let layout = pdftotext(&second, 1, true);
    let a = layout.find("320214-3").unwrap();
    let b = layout.find("4959").unwrap();
    assert!(a < b, "{layout}");
    assert!(qpdf_check(&second).0);
}
