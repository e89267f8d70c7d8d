//! Timestamps (B-T) and `tamim verify` of signed PDFs (issue #17): a TSA that is down or answers garbage
//! fails the issue; verify reports intact signatures, byte ranges, signer, times and trust, and catches a
//! changed byte, an appended update, an unknown CA and a truncated file.

use crate::common::{stderr, stdout};
use crate::sign_common::*;

#[test]
fn timestamped_signature_is_b_t_for_pyhanko_and_verify_reports_it() {
    let tsa = TsaServer::start(false);
    let env = env_with(&format!("{}{}", p12_key("signer"), tsa.toml()), true);
    let pdf = issue_signed(&env, "d.toml");
    let report = pdfsig(&pdf);
    assert!(report.contains("Signature is Valid"), "{report}");
    let (ok, report) = pyhanko_validate(&pdf, &[]);
    assert!(ok, "{report}");
    assert!(report.contains("The signature is judged VALID."), "{report}");
    assert!(
        report.contains("timestamp token") || report.contains("Timestamp"),
        "{report}"
    );
    qpdf_check(&pdf);
    let out = env.ok(&["verify", pdf.to_str().unwrap()]);
    assert!(
        out.contains("Bu dosya, tam bu haliyle, bu kurumun çıkardığı belgedir"),
        "{out}"
    );
    assert!(out.contains("Imza1: sağlam"), "{out}");
    assert!(out.contains("(dosyanın tamamı)"), "{out}");
    assert!(
        out.contains("imzalayan Ömer DEMİR (seri no 65, yayıncı CN=Tamim Test Ara SM,O=Tamim Test,C=TR)"),
        "{out}"
    );
    assert!(
        out.contains("zaman damgası ") && out.contains(", Tamim Test Zaman Damgası (sağlam)"),
        "{out}"
    );
    assert!(
        out.contains("güvenilir: zincir CN=Tamim Test Kök SM,O=Tamim Test,C=TR köküne ulaşıyor"),
        "{out}"
    );
}

#[test]
fn a_tsa_that_is_down_fails_the_issue() {
    let tsa = TsaServer::start(false);
    let toml = tsa.toml();
    drop(tsa);
    let env = env_with(&format!("{}{toml}", p12_key("signer")), true);
    let d = draft(&env, "d.toml");
    let err = env.fails(&["issue", d.to_str().unwrap(), "--sign"]);
    assert!(
        err.contains("zaman damgası sunucusuna") && err.contains("ulaşılamıyor"),
        "{err}"
    );
    nothing_issued(&env);
}

#[test]
fn a_tsa_answering_garbage_fails_the_issue() {
    let tsa = TsaServer::start(true);
    let env = env_with(&format!("{}{}", p12_key("signer"), tsa.toml()), true);
    let d = draft(&env, "d.toml");
    let err = env.fails(&["issue", d.to_str().unwrap(), "--sign"]);
    assert!(
        err.contains("geçersiz yanıt verdi: zaman damgası yanıtı değil"),
        "{err}"
    );
    nothing_issued(&env);
}

#[test]
fn verify_without_trust_anchors_says_not_checked() {
    let env = env_with(&p12_key("signer"), false);
    let pdf = issue_signed(&env, "d.toml");
    let out = env.ok(&["verify", pdf.to_str().unwrap()]);
    assert!(out.contains("Imza1: sağlam"), "{out}");
    assert!(out.contains("bir güven listesine karşı denetlenmedi"), "{out}");
}

/// `verify` of `bytes` (written beside the registry) fails; its stdout and stderr.
fn verify_fails(env: &crate::common::Env, name: &str, bytes: &[u8]) -> String {
    let p = env.path(name);
    std::fs::write(&p, bytes).unwrap();
    let before = (
        env.count("SELECT count(*) FROM documents"),
        env.count("SELECT count(*) FROM events"),
        crate::issue::outputs(env),
    );
    let out = env.run(&["verify", p.to_str().unwrap()]);
    assert!(!out.status.success(), "verify accepted {name}: {}", stdout(&out));
    // verify only reads: no record, no event, no file.
    let after = (
        env.count("SELECT count(*) FROM documents"),
        env.count("SELECT count(*) FROM events"),
        crate::issue::outputs(env),
    );
    assert_eq!(before, after, "verify of {name} changed the registry or wrote a file");
    format!("{}{}", stdout(&out), stderr(&out))
}

#[test]
fn verify_catches_a_changed_byte_an_appended_update_and_a_truncated_file() {
    let env = env_with(&p12_key("signer"), true);
    let pdf = issue_signed(&env, "d.toml");
    let bytes = std::fs::read(&pdf).unwrap();
    // One byte inside the first signed range: a letter of the sayı in the Info dictionary.
    let at = bytes.windows(12).position(|w| w == b"/TamimOffice").unwrap() + 15;
    let mut changed = bytes.clone();
    changed[at] ^= 0x01;
    let out = verify_fails(&env, "changed.pdf", &changed);
    assert!(
        out.contains("Imza1: BOZUK — imzadan sonra içerik değiştirilmiş"),
        "{out}"
    );
    // An incremental update appended after the signature.
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"\n% a later change\n%%EOF\n");
    let out = verify_fails(&env, "appended.pdf", &appended);
    assert!(out.contains("Imza1: sağlam"), "{out}");
    assert!(
        out.contains("bayt eklenmiş (sonradan yapılmış bir değişiklik)"),
        "{out}"
    );
    assert!(out.contains("DEĞİŞTİRİLMİŞ"), "{out}");
    // Truncated.
    let out = verify_fails(&env, "truncated.pdf", &bytes[..bytes.len() / 2]);
    assert!(out.contains("hata: PDF okunamıyor: bozuk ya da kesik"), "{out}");
}

#[test]
fn verify_reports_a_signature_by_an_unknown_ca_as_not_trusted() {
    let other = env_with(&p12_key("stranger"), false);
    let pdf = issue_signed(&other, "d.toml");
    let env = env_with(&p12_key("signer"), true);
    let out = verify_fails(&env, "stranger.pdf", &std::fs::read(pdf).unwrap());
    assert!(out.contains("Imza1: sağlam"), "{out}");
    assert!(out.contains("imzalayan Yabancı İmzacı"), "{out}");
    assert!(
        out.contains("GÜVENİLMİYOR: zincir bu kayıt defterinin hiçbir güven köküne ulaşmıyor"),
        "{out}"
    );
}
