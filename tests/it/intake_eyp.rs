//! `tamim receive FILE.eyp`: the official API's sample package registered from its metadata with its PDF attachment; every bad package refused with nothing registered.

use crate::common;

use common::Env;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eyazisma")
        .join(name)
}

fn with_issuer() -> Env {
    let env = Env::new();
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
    env
}

#[test]
fn the_official_sample_package_is_registered_from_its_metadata() {
    let env = with_issuer();
    let f = fixture("official-api-sample.eyp");
    let out = env.ok(&[
        "--json",
        "receive",
        f.to_str().unwrap(),
        "--yes",
        "--received",
        "2025-05-13",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let p = &v["package"];
    assert_eq!(p["belge_id"], "4F9E2E9B-F4E6-4428-8F99-2E0A0D1D42D9");
    assert_eq!(p["konu"], "e-Yazışma Test Paketi");
    assert_eq!(p["belge_no"], "1234");
    assert_eq!(p["tarih"], "2025-05-12");
    assert_eq!(p["issuer_detsis"], "82223362");
    assert_eq!(p["recipients"][0]["role"], "GRG");
    assert_eq!(p["recipients"][0]["name"], "Adalet Bakanlığı");
    assert_eq!(p["recipients"][1]["role"], "BLG");
    assert_eq!(p["ilgi"][1]["belge_no"], "48154937-612.01.03-945");
    assert_eq!(p["ekler"].as_array().unwrap().len(), 5);
    assert_eq!(p["sdp_code"], "010.06.01");
    assert_eq!(p["verification_address"], "https://www.turkiye.gov.tr/belge-dogrulama");
    assert_eq!(
        p["signatures"],
        serde_json::json!(["Imzalar/ImzaCades.imz", "Muhur/MuhurCades.imz"])
    );
    assert_eq!(p["digests_checked"].as_array().unwrap().len(), 6);
    let d = &v["document"];
    assert_eq!(d["from"], "CBDDO");
    assert_eq!(d["sayi"], "1234");
    assert_eq!(d["konu"], "e-Yazışma Test Paketi");
    assert_eq!(d["muhatap"], "DAĞITIM YERLERİNE");
    assert_eq!(d["kayit_no"], 1);
    assert_eq!(d["ilgi"][0]["cited_sayi"], "65410891-020-480");
    assert_eq!(d["ilgi"][0]["cited_date"], "2009-11-05");
    // The one PDF attachment is registered as an attachment of the letter; the rest are ek lines.
    assert_eq!(v["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM documents WHERE attached_to IS NOT NULL"),
        1
    );
    assert!(d["ek"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["description"] == "3- Fiziksel ek (fiziksel ek)"));
}

#[test]
fn the_human_view_lists_the_metadata_and_the_placeholder_signatures() {
    let env = with_issuer();
    let out = env.run(&[
        "receive",
        fixture("official-api-sample.eyp").to_str().unwrap(),
        "--yes",
        "--received",
        "2025-05-13",
    ]);
    assert!(out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains("Dağıtım          Gereği: Adalet Bakanlığı"), "{err}");
    assert!(
        err.contains("İmzalar          Imzalar/ImzaCades.imz: not a signature (3 bytes;"),
        "{err}"
    );
    assert!(err.contains("Özet             6 part(s) match PaketOzeti"), "{err}");
}

/// A package from an issuer the registry does not hold (issue #18): the office it names (`Olusturan`, with
/// its DETSİS number) is added in the transaction that registers the package, saying so; the next package
/// from it finds that office by its DETSİS number.
#[test]
fn a_new_issuer_is_added_from_the_package_and_found_the_next_time() {
    let env = Env::new();
    let out = env.run(&["receive", fixture("official-api-sample.eyp").to_str().unwrap(), "--yes"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(said.contains("the issuer the package names"), "{said}");
    let (code, detsis): (String, Option<String>) = env
        .db()
        .query_row("SELECT code, detsis FROM orgs", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(detsis.as_deref(), Some("82223362"));
    assert!(said.contains(&code), "{said}");
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 1);
    let from: String = env
        .db()
        .query_row(
            "SELECT o.code FROM documents d JOIN orgs o ON o.id = d.from_org_id ORDER BY d.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(from, code);
    // Again (as a duplicate it is refused for that reason, not for its issuer): no second office.
    let again = env.run(&["receive", fixture("official-api-sample.eyp").to_str().unwrap(), "--yes"]);
    assert!(
        !common::stderr(&again).contains("is not a registered"),
        "{}",
        common::stderr(&again)
    );
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 1);
}

/// Without --yes and with no terminal, nothing is registered and no office added.
#[test]
fn a_new_issuer_unconfirmed_adds_nothing() {
    let env = Env::new();
    let out = env.run(&["receive", fixture("official-api-sample.eyp").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(common::stderr(&out).contains("--yes"), "{}", common::stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 0);
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
}

#[test]
fn bad_packages_are_refused_with_nothing_registered() {
    let env = with_issuer();
    std::fs::write(env.path("empty.eyp"), b"").unwrap();
    std::fs::write(env.path("text.eyp"), b"this is not a zip").unwrap();
    let cases: [(PathBuf, &str); 8] = [
        (env.path("empty.eyp"), "is empty"),
        (env.path("text.eyp"), "not an e-Yazışma package: it is not a zip file"),
        (
            fixture("not-a-package.eyp"),
            "not an e-Yazışma package: it has no Ustveri/Ustveri.xml",
        ),
        (
            fixture("digest-mismatch.eyp"),
            "Ekler/dosya1.pdf: its SHA-384 digest does not match the one in PaketOzeti",
        ),
        (fixture("entities.eyp"), "PaketOzeti/PaketOzeti.xml: declares a DTD"),
        (fixture("xxe.eyp"), "Ustveri/Ustveri.xml: declares a DTD"),
        (
            fixture("traversal.eyp"),
            "\"../../tmp/evil.txt\" has a name that leaves its folder",
        ),
        (
            fixture("bomb.eyp"),
            "the part Ekler/bomb.bin, decompressed, is larger than the limit",
        ),
    ];
    for (file, says) in cases {
        let err = env.fails(&["receive", file.to_str().unwrap(), "--yes"]);
        assert!(err.contains(says), "{}: {err}", file.display());
    }
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    assert_eq!(env.stored_files(), 0);
}

/// A package is registered whole or not at all (issue #14): when its second attachment fails while being
/// recorded, inside the transaction, the cover letter and the first attachment are not registered either,
/// no file is left in files/ and the kayıt no is not used (the next letter gets number 1).
#[test]
fn a_package_whose_second_attachment_fails_leaves_nothing() {
    use tamim_app::registry::receive::{receive_package, ReceiveRequest};
    let env = with_issuer();
    let (cover, one, two) = (
        env.pdf("ust.pdf", &["Ust yazi"]),
        env.pdf("ek1.pdf", &["Ek 1"]),
        env.pdf("ek2.pdf", &["Ek 2"]),
    );
    let request = |file: PathBuf, sayi: &str, konu: &str, from: &str| ReceiveRequest {
        file,
        sayi: sayi.into(),
        tarih: "12.05.2025".into(),
        konu: konu.into(),
        from: from.into(),
        received: Some("13.05.2025".into()),
        ..Default::default()
    };
    let mut reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    let err = receive_package(
        &mut reg,
        request(cover.clone(), "1234", "e-Yazışma Test Paketi", "CBDDO"),
        vec![
            request(one, "1234", "Ek 1", "CBDDO"),
            // Checked fields, but an issuer the registry does not hold: found only inside the transaction.
            request(two, "1234", "Ek 2", "YOK"),
        ],
    )
    .unwrap_err();
    assert!(err.to_string().contains("org \"YOK\" does not exist"), "{err}");
    drop(reg);
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    assert_eq!(env.count("SELECT count(*) FROM events"), 0);
    assert_eq!(env.stored_files(), 0);
    let out = env.ok(&[
        "--json",
        "receive",
        cover.to_str().unwrap(),
        "--sayi",
        "1234",
        "--tarih",
        "12.05.2025",
        "--konu",
        "Ust yazi",
        "--from",
        "CBDDO",
        "--received",
        "13.05.2025",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kayit_no"], 1, "the failed package used no kayıt no: {out}");
}
