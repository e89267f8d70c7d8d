//! CAdES in e-Yazışma packages (issue #17): `export --eyp` of a signed document signs PaketOzeti
//! (`Imzalar/ImzaCades.imz`) and, with `[signing.seal]`, seals NihaiOzet (`Muhur/MuhurCades.imz`);
//! `openssl cms -verify` accepts each over its part; reading a package reports each signature's signer,
//! and the official sample's placeholders as not signatures.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{stderr, stdout, Env};
use crate::sign_common::*;

fn unzip(package: &Path, to: &Path) {
    let f = std::fs::File::open(package).unwrap();
    zip::ZipArchive::new(f).unwrap().extract(to).unwrap();
}

/// A signed üst yazı exported as a package: (the package, its parts unzipped).
fn signed_package(env: &Env) -> (PathBuf, PathBuf) {
    let d = draft(env, "d.toml");
    let v = env.json(&["issue", d.to_str().unwrap(), "--sign"]);
    let id = format!("#{}", v["id"]);
    let file = env.path("paket.eyp");
    let out = env.ok(&["export", &id, "--eyp", "--file", file.to_str().unwrap()]);
    assert!(out.contains("imzalı"), "{out}");
    let parts = env.path("parts");
    unzip(&file, &parts);
    (file, parts)
}

/// `openssl cms -verify` of the detached `sig` over `content` with the test root: (ok, signer's subject).
fn openssl_verify(sig: &Path, content: &Path, dir: &Path) -> (bool, String) {
    let signer = dir.join(format!("{}.signer.pem", sig.file_name().unwrap().to_string_lossy()));
    let out = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-in"])
        .arg(sig)
        .arg("-content")
        .arg(content)
        .arg("-CAfile")
        .arg(pki().join("root.pem"))
        .arg("-signer")
        .arg(&signer)
        .args(["-out", "/dev/null"]));
    let ok = out.status.success() && stderr(&out).contains("Verification successful");
    let subject = if ok {
        let o = run(Command::new("openssl")
            .args(["x509", "-noout", "-subject", "-nameopt", "utf8", "-in"])
            .arg(&signer));
        stdout(&o)
    } else {
        stderr(&out)
    };
    (ok, subject)
}

#[test]
fn a_signed_document_exports_with_cades_over_paket_ozeti() {
    let env = env_with(&p12_key("signer"), true);
    let (_file, parts) = signed_package(&env);
    let (ok, who) = openssl_verify(
        &parts.join("Imzalar/ImzaCades.imz"),
        &parts.join("PaketOzeti/PaketOzeti.xml"),
        env.dir.path(),
    );
    assert!(ok, "{who}");
    assert!(who.contains("Ömer DEMİR"), "{who}");
    // Over PaketOzeti and nothing else: another part does not verify.
    let (ok, _) = openssl_verify(
        &parts.join("Imzalar/ImzaCades.imz"),
        &parts.join("Ustveri/Ustveri.xml"),
        env.dir.path(),
    );
    assert!(!ok, "the signature verified over Ustveri");
    // CAdES-BES: signing-certificate-v2 and signing-time among the signed attributes.
    let o = run(Command::new("openssl")
        .args(["cms", "-cmsout", "-print", "-inform", "DER", "-in"])
        .arg(parts.join("Imzalar/ImzaCades.imz")));
    let dump = stdout(&o);
    assert!(dump.contains("id-smime-aa-signingCertificateV2"), "{dump}");
    assert!(dump.contains("signingTime"), "{dump}");
    assert!(!parts.join("Muhur").exists(), "sealed without a seal key");
    let rels = std::fs::read_to_string(parts.join("PaketOzeti/_rels/PaketOzeti.xml.rels")).unwrap();
    assert!(rels.contains("../Imzalar/ImzaCades.imz"), "{rels}");
}

#[test]
fn with_a_seal_key_the_package_is_sealed_over_nihai_ozet() {
    let seal = p12_key("seal").replace("[signing.key]", "[signing.seal]");
    let env = env_with(&format!("{}{seal}", p12_key("signer")), true);
    let (file, parts) = signed_package(&env);
    let (ok, who) = openssl_verify(
        &parts.join("Muhur/MuhurCades.imz"),
        &parts.join("NihaiOzet/NihaiOzet.xml"),
        env.dir.path(),
    );
    assert!(ok, "{who}");
    assert!(who.contains("İESOB e-Mühür"), "{who}");
    let nihai = std::fs::read_to_string(parts.join("NihaiOzet/NihaiOzet.xml")).unwrap();
    for part in [
        "/PaketOzeti/PaketOzeti.xml",
        "/Imzalar/ImzaCades.imz",
        "/UstYazi/ustyazi.pdf",
    ] {
        assert!(
            nihai.contains(&format!("URI=\"{part}\"")),
            "{part} not in NihaiOzet: {nihai}"
        );
    }

    // Read back by another registry: both signatures reported, with their signers, intact and trusted.
    let other = env_with("", true);
    let v: Value =
        serde_json::from_str(&other.ok(&["--json", "receive", file.to_str().unwrap(), "--yes", "--from", "IL-34"]))
            .unwrap();
    let checks = v["signature_checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2, "{v:#}");
    for (c, part, covers, signer) in [
        (
            &checks[0],
            "Imzalar/ImzaCades.imz",
            "PaketOzeti/PaketOzeti.xml",
            "Ömer DEMİR",
        ),
        (
            &checks[1],
            "Muhur/MuhurCades.imz",
            "NihaiOzet/NihaiOzet.xml",
            "İESOB e-Mühür",
        ),
    ] {
        assert_eq!(c["part"], part, "{c:#}");
        assert_eq!(c["covers"], covers, "{c:#}");
        assert_eq!(c["status"], "signature", "{c:#}");
        assert_eq!(c["intact"], true, "{c:#}");
        assert_eq!(c["signer"]["name"], signer, "{c:#}");
        assert_eq!(c["trust"]["status"], "trusted", "{c:#}");
    }
    // And in words, as the clerk reads them before confirming.
    let out = other.run(&[
        "receive",
        file.to_str().unwrap(),
        "--yes",
        "--from",
        "IL-34",
        "--duplicate",
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("Imzalar/ImzaCades.imz: PaketOzeti/PaketOzeti.xml üzerinde CAdES imzası, imzalayan Ömer DEMİR"),
        "{err}"
    );
    assert!(err.contains("sağlam; güvenilir"), "{err}");
}

#[test]
fn a_package_whose_signed_part_was_changed_reports_the_signature_broken() {
    let env = env_with(&p12_key("signer"), true);
    let (_file, parts) = signed_package(&env);
    // The signature moved onto another package's PaketOzeti: the same bytes over different content.
    let ozet = parts.join("PaketOzeti/PaketOzeti.xml");
    let text = std::fs::read_to_string(&ozet).unwrap();
    std::fs::write(&ozet, text.replacen("<Reference", "<Reference ", 1)).unwrap();
    let (ok, _) = openssl_verify(&parts.join("Imzalar/ImzaCades.imz"), &ozet, env.dir.path());
    assert!(!ok, "openssl accepted a changed PaketOzeti");
    // Our reader, on a package rebuilt with it (digests still match: only PaketOzeti changed).
    let rebuilt = env.path("degismis.eyp");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&rebuilt).unwrap());
    for entry in walk(&parts) {
        let name = entry.strip_prefix(&parts).unwrap().to_string_lossy().replace('\\', "/");
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, &std::fs::read(&entry).unwrap()).unwrap();
    }
    z.finish().unwrap();
    let other = env_with("", true);
    let v: Value = serde_json::from_str(&other.ok(&[
        "--json",
        "receive",
        rebuilt.to_str().unwrap(),
        "--yes",
        "--from",
        "IL-34",
    ]))
    .unwrap();
    let c = &v["signature_checks"][0];
    assert_eq!(c["status"], "signature", "{c:#}");
    assert_eq!(c["intact"], false, "{c:#}");
    assert_eq!(c["problem"]["code"], "content-changed", "{c:#}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_official_samples_placeholders_are_not_signatures() {
    let env = crate::issue::env().turkish();
    env.ok(&[
        "org",
        "add",
        "CBDDO",
        "--name",
        "Dijital Dönüşüm Ofisi",
        "--kind",
        "baskanlik",
        "--detsis",
        "82223362",
    ]);
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eyazisma/official-api-sample.eyp");
    let out = env.run(&["receive", sample.to_str().unwrap(), "--yes", "--received", "2025-05-13"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for part in [
        "Imzalar/ImzaCades.imz",
        "Muhur/MuhurCades.imz",
        "Paraflar/ParafImzaCades.imz",
    ] {
        assert!(err.contains(&format!("{part}: imza değil (3 bayt;")), "{part}: {err}");
    }
}
