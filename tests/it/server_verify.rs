//! `tamim serve` answers the verification link printed in every issued letter's footer: the QR code
//! decodes (zbar) to `BASE/dogrula?kod=CODE`, the page names the document, and the PDF it offers is
//! byte for byte the one issued. Codes typed loosely still match; unknown, foreign, malformed and
//! classified cases each get their answer.

use crate::ack_common;

use std::path::PathBuf;
use std::process::Command;

use ack_common::http::{enc, Server};
use ack_common::*;

/// The first "Doğrulama Kodu: …" in the PDF's text: the letter's own (later pages are what it forwards).
fn printed_codes(file: &std::path::Path) -> Vec<String> {
    let text = pdftotext(file);
    text.split("Doğrulama Kodu:")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Decode the QR code on page 1 with zbar.
fn qr_payload(env: &Env, file: &std::path::Path) -> Option<String> {
    if !have("zbarimg") || !have("pdftoppm") {
        assert!(
            std::env::var_os("CI").is_none(),
            "zbarimg and pdftoppm are required in CI (scripts/test.sh installs them)"
        );
        return None;
    }
    let png = env.path("page1");
    let st = Command::new("pdftoppm")
        .args(["-r", "200", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(file)
        .arg(&png)
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zbarimg found no code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap().trim().to_string())
}

#[test]
fn the_footer_code_and_qr_lead_to_the_issued_document() {
    let env = Env::bare();
    let report = env.json(&["demo"]);
    let tamim = PathBuf::from(report["documents"][3]["file"].as_str().unwrap());
    let codes = printed_codes(&tamim);
    assert_eq!(
        codes.len(),
        3,
        "the letter's code, then the genelge's and the Kurul letter's on the forwarded pages: {codes:?}"
    );
    let code = codes[0].clone();
    assert_eq!(code.len(), 29, "{code}");
    if let Some(payload) = qr_payload(&env, &tamim) {
        assert_eq!(payload, format!("http://127.0.0.1:8080/dogrula?kod={code}"));
    }

    let srv = Server::start(&env);
    // The form, without JavaScript.
    let r = srv.get("/dogrula");
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(
        page.contains("Belge doğrulama") && page.contains("name=\"kod\""),
        "{page}"
    );
    assert!(!page.contains("<script"), "{page}");

    // The code as printed, then as someone types it (lower case, spaces instead of dashes).
    for typed in [code.clone(), code.to_lowercase().replace('-', " ")] {
        let r = srv.get(&format!("/dogrula?kod={}", enc(&typed)));
        assert_eq!(r.status, 200, "{typed}");
        // minijinja's HTML escaping writes `/` as `&#x2f;`; a browser shows `/`.
        let page = r.text().replace("&#x2f;", "/");
        for want in [
            "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
            "4516",
            "2021/243",
            "05 Kasım 2021",
            "Sosyal Medya Etik İlkeleri hk.",
            &code,
            "<td>6</td>",
        ] {
            assert!(page.contains(want), "missing {want:?} for {typed:?}:\n{page}");
        }
        assert!(page.contains(&format!("href=\"/dogrula/{code}/pdf\"")), "{page}");
    }
    let pdf = srv.get(&format!("/dogrula/{code}/pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert_eq!(
        pdf.body,
        std::fs::read(&tamim).unwrap(),
        "the original as issued, byte for byte"
    );
    let sha: String = env
        .db()
        .query_row("SELECT file_sha256 FROM documents WHERE sayi = '4516'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(srv.get(&format!("/dogrula?kod={code}")).text().contains(&sha));

    // The genelge's code is printed in our Tamim (it is forwarded as an attachment) but the genelge is the
    // Valilik's document, not ours: not found here, like a code that was never issued.
    for other in [codes[1].as_str(), "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"] {
        let r = srv.get(&format!("/dogrula?kod={}", enc(other)));
        assert_eq!(r.status, 404, "{other}");
        assert!(r.text().contains("bulunamadı"), "{}", r.text());
        assert!(!r.text().contains("id=\"found\""));
        assert_eq!(srv.get(&format!("/dogrula/{}/pdf", enc(other))).status, 404);
    }

    // Malformed: said so, and the input is shown escaped, never as markup.
    let r = srv.get(&format!("/dogrula?kod={}", enc("<script>alert(1)</script>")));
    assert_eq!(r.status, 400);
    let page = r.text();
    assert!(page.contains("25 harf ve rakamdan"), "{page}");
    assert!(!page.contains("<script>") && page.contains("&lt;script&gt;"), "{page}");
    let r = srv.get(&format!("/dogrula?kod={}", "A".repeat(5000)));
    assert_eq!(r.status, 400);
    assert_eq!(srv.get("/dogrula/not-a-code/pdf").status, 404);

    // A classified document: what it is, but not the file.
    env.db()
        .execute(
            "UPDATE documents SET classification = 'HİZMETE ÖZEL' WHERE sayi = '4516'",
            [],
        )
        .unwrap();
    let r = srv.get(&format!("/dogrula?kod={code}"));
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(
        page.contains("HİZMETE ÖZEL gizlilik derecelidir") && !page.contains("/pdf\""),
        "{page}"
    );
    assert_eq!(srv.get(&format!("/dogrula/{code}/pdf")).status, 404);
}
