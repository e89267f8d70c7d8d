//! PAdES on issued PDFs with a PKCS#12 key (issue #17): `issue --sign` gives a PDF that poppler's pdfsig,
//! pyHanko and qpdf accept, the footer states the signature only when there is one, the output is the
//! same bytes for the same input, key and time, and every bad key or draft fails the issue cleanly.

use crate::sign_common::*;

#[test]
fn pkcs12_signature_is_valid_for_pdfsig_pyhanko_and_qpdf() {
    let env = env_with(&p12_key("signer"), true);
    let pdf = issue_signed(&env, "d.toml");
    let report = pdfsig(&pdf);
    assert!(report.contains("Signature is Valid"), "{report}");
    assert!(report.contains("Ömer DEMİR"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
    let (ok, report) = pyhanko_validate(&pdf, &[]);
    assert!(ok, "{report}");
    assert!(report.contains("The signature is judged VALID."), "{report}");
    assert!(report.contains("The signer's certificate is trusted."), "{report}");
    assert!(report.contains("The signature covers the entire file."), "{report}");
    qpdf_check(&pdf);
    let text = crate::common::pdftotext(&pdf);
    assert!(
        text.contains("Bu belge, güvenli elektronik imza ile imzalanmıştır."),
        "{text}"
    );
}

#[test]
fn ecdsa_p256_signature_is_valid_and_output_is_deterministic() {
    // One issue time for both (a day after the test PKI was made, inside its validity).
    let at = (chrono::Utc::now().timestamp() + 86_400).to_string();
    let pdfs: Vec<Vec<u8>> = (0..2)
        .map(|_| {
            let env = env_with(&p12_key("signer-ec"), true);
            // The same registry state: the same secret, from which the verification code is derived.
            crate::common::fixed_secret(&env);
            let d = draft(&env, "d.toml");
            let out = env
                .cmd()
                .env("SOURCE_DATE_EPOCH", &at)
                .args(["--json", "issue", d.to_str().unwrap(), "--sign"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", crate::common::stderr(&out));
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let pdf = std::path::PathBuf::from(v["file"].as_str().unwrap());
            let report = pdfsig(&pdf);
            assert!(report.contains("Signature is Valid"), "{report}");
            assert!(report.contains("Engin TÜRKMEN"), "{report}");
            std::fs::read(pdf).unwrap()
        })
        .collect();
    assert!(pdfs[0] == pdfs[1], "the same draft, key and time gave different bytes");
}

#[test]
fn unsigned_issue_does_not_state_a_signature() {
    let env = crate::issue::env();
    let d = draft(&env, "d.toml");
    let v = env.json(&["issue", d.to_str().unwrap()]);
    let text = crate::common::pdftotext(std::path::Path::new(v["file"].as_str().unwrap()));
    assert!(!text.contains("güvenli elektronik imza"), "{text}");
    assert!(pdfsig(std::path::Path::new(v["file"].as_str().unwrap())).contains("does not contain any signatures"));
}

/// `issue --sign` fails with `expect` in its message, uses no number and leaves no file.
fn refused(env: &crate::common::Env, extra: &[&str], expect: &str) {
    let d = draft(env, "d.toml");
    let mut args = vec!["issue", d.to_str().unwrap()];
    args.extend_from_slice(extra);
    let err = env.fails(&args);
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    if extra.contains(&"--sign") && !expect.starts_with("--sign") {
        assert!(err.contains("hata: imzalanamadı: "), "{err}");
        assert!(err.contains("hiçbir şey çıkarılmadı, numara kullanılmadı"), "{err}");
    }
    nothing_issued(env);
}

#[test]
fn a_wrong_pkcs12_password_fails_the_issue() {
    let pass = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pass.path(), "yanlis-parola\n").unwrap();
    let key = format!(
        "[signing.key]\npkcs12 = {:?}\npassword_file = {:?}\n",
        pki_file("signer.p12"),
        pass.path()
    );
    refused(
        &env_with(&key, true),
        &["--sign"],
        "açılamıyor: parola yanlış ya da dosya bozuk",
    );
}

#[test]
fn an_expired_certificate_fails_the_issue() {
    refused(
        &env_with(&p12_key("expired"), true),
        &["--sign"],
        "tarihinde süresi dolmuş (imza zamanı",
    );
}

#[test]
fn a_certificate_without_digital_signature_fails_the_issue() {
    refused(
        &env_with(&p12_key("nousage"), true),
        &["--sign"],
        "sayısal imza (digitalSignature) kullanımına izin vermiyor",
    );
}

#[test]
fn sign_without_a_key_configured_fails_the_issue() {
    refused(
        &crate::issue::env().turkish(),
        &["--sign"],
        "--sign bir anahtar ister: office.toml'a [signing.key] ekleyin",
    );
}

#[test]
fn a_draft_stating_the_e_signature_unsigned_is_refused() {
    let env = crate::issue::env().turkish();
    let d = draft(&env, "d.toml");
    let text = std::fs::read_to_string(&d).unwrap();
    let body = text.replacen(
        "body = [",
        "body = [\"Bu belge, güvenli elektronik imza ile imzalanmıştır.\", ",
        1,
    );
    assert_ne!(body, text, "{text}");
    std::fs::write(&d, body).unwrap();
    let err = env.fails(&["issue", d.to_str().unwrap()]);
    assert!(
        err.contains(
            "hata: şablon: belge imzalanmadığı halde \"Bu belge, güvenli elektronik imza ile imzalanmıştır.\" diyor"
        ),
        "{err}"
    );
    nothing_issued(&env);
}
