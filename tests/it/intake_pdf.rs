//! `tamim receive FILE --auto`: letters from tamim, LibreOffice and reportlab read field by field, ilgi linked, attachments split; scans and bad files refused with nothing registered.

use crate::common;

use common::Env;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/intake")
        .join(name)
}

fn with_orgs() -> Env {
    let env = Env::new();
    env.ok(&[
        "org",
        "add",
        "IST",
        "--name",
        "İstanbul Valiliği",
        "--kind",
        "valilik",
        "--detsis",
        "85840981",
    ]);
    env.ok(&[
        "org",
        "add",
        "KURUL",
        "--name",
        "Kamu Görevlileri Etik Kurulu",
        "--kind",
        "kurul",
        "--detsis",
        "25346381",
    ]);
    env.ok(&["org", "add", "IZMIR", "--name", "İzmir Valiliği", "--kind", "valilik"]);
    env.ok(&[
        "org",
        "add",
        "CANKAYA",
        "--name",
        "Çankaya Kaymakamlığı",
        "--kind",
        "kaymakamlik",
    ]);
    env
}

/// Receives with --auto --yes --json; returns (what was read, the document registered).
fn auto(env: &Env, file: &std::path::Path, extra: &[&str]) -> (Value, Value) {
    let f = file.to_str().expect("utf-8 path");
    let mut args = vec!["--json", "receive", f, "--auto", "--yes"];
    args.extend_from_slice(extra);
    let out = env.ok(&args);
    let v: Value = serde_json::from_str(&out).expect("json");
    (v["read"]["fields"].clone(), v["document"].clone())
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// tamim's own PDFs, made by `tamim demo` in another registry.
fn demo_pdfs() -> Env {
    let demo = Env::new();
    demo.ok(&["demo"]);
    demo
}

#[test]
fn tamims_own_letters_are_read_and_the_ilgi_linked_with_its_discrepancy() {
    let demo = demo_pdfs();
    let env = with_orgs();
    let (f, d) = auto(&env, &demo.output().join("yazi-25346381.010.06-53064.pdf"), &[]);
    assert_eq!(s(&f["heading"]["value"][0]), "T.C.");
    assert_eq!(s(&f["administration"]["value"]), "KAMU GÖREVLİLERİ ETİK KURULU");
    assert_eq!(s(&f["sayi"]["value"]), "25346381.010.06/53064");
    assert_eq!(s(&f["sayi"]["confidence"]), "high");
    assert_eq!(s(&f["tarih"]["value"]), "2021-10-12");
    assert_eq!(s(&f["tarih_text"]), "12 EKİM 2021");
    assert_eq!(s(&f["konu"]["value"]), "Sosyal Medya Etik İlkeleri");
    assert_eq!(s(&f["muhatap"]["value"]), "DAĞITIM YERLERİNE");
    assert_eq!(s(&f["ek"][0]["value"]["text"]), "Sosyal Medya Etik İlkeleri (3 Sayfa)");
    assert_eq!(f["ek"][0]["value"]["pages"], 3);
    assert_eq!(s(&f["gereği"][0]), "81 İl Valiliğine");
    assert_eq!(s(&f["signatories"][0]["value"]["name"]), "Zerrin GÜNGÖR");
    assert_eq!(s(&f["signatories"][0]["value"]["title"]), "Başkan");
    assert!(
        f["verification_code"]["value"].as_str().is_some_and(|c| c.len() == 29),
        "{f}"
    );
    assert_eq!(s(&d["from"]), "KURUL");
    assert_eq!(s(&d["sayi"]), "25346381.010.06/53064");
    let kurul = d["id"].as_i64().expect("id");

    let (f, d) = auto(&env, &demo.output().join("genelge-E-85840981-167.01-122254.pdf"), &[]);
    assert_eq!(s(&f["administration"]["value"]), "İSTANBUL VALİLİĞİ");
    assert_eq!(s(&f["unit"]["value"]), "İl Yazı İşleri Müdürlüğü");
    assert_eq!(s(&f["sayi"]["value"]), "E-85840981-167.01-122254");
    assert_eq!(s(&f["tarih"]["value"]), "2021-11-02");
    assert_eq!(s(&f["ilgi"][0]["value"]["sayi"]), "25346381.010.06-53064");
    assert_eq!(s(&f["ilgi"][0]["value"]["date"]), "2021-10-22");
    assert_eq!(s(&f["ek"][0]["value"]["text"]), "İlgi yazı ve eki.");
    let gereği: Vec<&str> = f["gereği"].as_array().expect("gereği").iter().map(s).collect();
    assert_eq!(
        gereği,
        [
            "İstanbul Büyükşehir Belediye Başkanlığına",
            "39 İlçe Kaymakamlığına (İlçe Belediye Başkanlıklarına Duyurulacaktır)",
            "Tüm Kamu Kurum ve Kuruluşlarına",
            "İçişleri Birimlerine",
            "Valilik Birimlerine"
        ]
    );
    assert_eq!(s(&f["bilgi"][0]), "Vali Yardımcılarına");
    let sig = &f["signatories"][0]["value"];
    assert_eq!(
        (s(&sig["name"]), s(&sig["on_behalf"]), s(&sig["title"])),
        ("Mehmet Ali ÖZYİĞİT", "Vali a.", "Vali Yardımcısı")
    );
    assert!(f["contact"]
        .as_array()
        .expect("contact")
        .iter()
        .any(|c| s(c).contains("Kep Adresi: icisleribakanligi@hs01.kep.tr")));
    // Registered by DETSİS, the ilgi linked to the Kurul's letter and its date flagged.
    assert_eq!(s(&d["from"]), "IST");
    assert_eq!(d["ilgi"][0]["target"].as_i64(), Some(kurul));
    assert!(
        s(&d["ilgi"][0]["discrepancy"]).contains("22.10.2021"),
        "{}",
        d["ilgi"][0]
    );
}

#[test]
fn the_tamim_with_its_five_attachment_pages_is_split_and_counted() {
    let demo = demo_pdfs();
    let env = with_orgs();
    // The demo issues under the office of a fresh registry's office.toml.
    env.ok(&["org", "add", "ORNEK", "--name", "Örnek Odası", "--kind", "birlik"]);
    let out = env.ok(&[
        "--json",
        "receive",
        demo.output().join("tamim-2021-243.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let (f, a) = (&v["read"]["fields"], &v["read"]["attachments"]);
    assert_eq!(s(&f["sayi"]["value"]), "4516");
    assert_eq!(s(&f["kind_no"]["value"]), "2021/243");
    assert_eq!(s(&f["kind"]["value"]), "tamim", "the `Tamim No` label names the kind");
    assert_eq!(s(&f["tarih_text"]), "05 Kasım 2021");
    assert_eq!(s(&f["muhatap"]["value"]), "ODASI BAŞKANLIĞINA");
    let names: Vec<&str> = f["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["value"]["name"]))
        .collect();
    assert_eq!(names, ["Ömer DEMİR", "Engin TÜRKMEN"]);
    assert_eq!(a["pages_after_letter"], 5);
    assert_eq!(a["stated_total"], 5);
    assert_eq!(
        (a["items"][0]["from"].as_i64(), a["items"][0]["to"].as_i64()),
        (Some(2), Some(6))
    );
    assert!(a["mismatch"].is_null());
    let starts: Vec<i64> = a["starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["page"].as_i64().unwrap())
        .collect();
    assert_eq!(starts, [2, 3, 4], "genelge, Kurul letter, İlke Kararı");
    assert_eq!(s(&v["document"]["from"]), "ORNEK");
    let shown = env.json(&["show", "#1"]);
    assert_eq!(
        (s(&shown["kind"]), s(&shown["kind_no"])),
        ("tamim", "2021/243"),
        "registered as a tamim with its number"
    );
}

#[test]
fn a_libreoffice_letter_is_read_field_by_field() {
    let env = with_orgs();
    let (f, d) = auto(&env, &fixture("libreoffice-valilik.pdf"), &[]);
    assert_eq!(s(&f["administration"]["value"]), "İZMİR VALİLİĞİ");
    assert_eq!(s(&f["unit"]["value"]), "İl İnsan Kaynakları Şube Müdürlüğü");
    assert_eq!(s(&f["sayi"]["value"]), "76543210.301.03/2281");
    assert_eq!(s(&f["tarih"]["value"]), "2024-04-05");
    assert_eq!(s(&f["tarih_text"]), "5 Nisan 2024");
    assert_eq!(s(&f["konu"]["value"]), "Hizmet İçi Eğitim Programı");
    assert_eq!(s(&f["muhatap"]["value"]), "İLÇE KAYMAKAMLIKLARINA");
    assert_eq!(s(&f["ilgi"][0]["value"]["sayi"]), "E-17642921-301.03-55012");
    assert_eq!(s(&f["ilgi"][0]["value"]["date"]), "2024-03-18");
    assert_eq!(f["ek"][0]["value"]["pages"], 2);
    assert_eq!(s(&f["gereği"][0]), "30 İlçe Kaymakamlığına");
    assert_eq!(f["bilgi"].as_array().map(Vec::len), Some(0));
    let sig = &f["signatories"][0]["value"];
    assert_eq!(
        (s(&sig["name"]), s(&sig["on_behalf"]), s(&sig["title"])),
        ("Zeynep ÇELİK", "Vali a.", "Vali Yardımcısı")
    );
    assert_eq!(s(&f["verification_code"]["value"]), "7A3F9-KQ2LM-XX81P");
    assert_eq!(
        s(&f["verification_address"]["value"]),
        "https://www.turkiye.gov.tr/izmir-valiligi-ebys"
    );
    assert!(f["contact"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| s(c) == "Bilgi için: Ahmet KARA"));
    assert_eq!(s(&d["from"]), "IZMIR");
    // The ilgi is not registered here: kept as citation text.
    assert!(d["ilgi"][0]["target"].is_null());
}

#[test]
fn a_reportlab_letter_with_lettered_ilgi_and_numbered_ek_lines() {
    let env = with_orgs();
    let (f, d) = auto(
        &env,
        &fixture("reportlab-kaymakamlik.pdf"),
        &["--konu", "Öğretmenlerin sosyal medya kullanımı (elle)"],
    );
    assert_eq!(s(&f["administration"]["value"]), "ÇANKAYA KAYMAKAMLIĞI");
    assert_eq!(s(&f["tarih_text"]), "14 Mart 2024");
    let ilgi = f["ilgi"].as_array().unwrap();
    assert_eq!(ilgi.len(), 2);
    assert_eq!(s(&ilgi[0]["value"]["marker"]), "a)");
    assert_eq!(s(&ilgi[1]["value"]["sayi"]), "25346381.010.06/53064");
    assert_eq!(s(&ilgi[1]["value"]["date"]), "2021-10-12");
    let pages: Vec<i64> = f["ek"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"]["pages"].as_i64().unwrap())
        .collect();
    assert_eq!(pages, [2, 4]);
    assert_eq!(f["gereği"].as_array().unwrap().len(), 2);
    assert_eq!(s(&f["bilgi"][0]), "Kaymakamlık Makamına");
    assert_eq!(f["bilgi"].as_array().unwrap().len(), 1, "the footer is not a recipient");
    assert_eq!(s(&f["signatories"][0]["value"]["on_behalf"]), "Kaymakam a.");
    assert!(f["verification_code"].is_null());
    let missing: Vec<&str> = f["missing"].as_array().unwrap().iter().map(s).collect();
    assert!(missing.contains(&"doğrulama kodu"), "{missing:?}");
    // The explicit flag wins over what was read.
    assert_eq!(s(&d["konu"]), "Öğretmenlerin sosyal medya kullanımı (elle)");
    assert_eq!(d["ek"].as_array().unwrap().len(), 2);
}

#[test]
fn a_stated_page_count_that_does_not_match_is_reported() {
    let env = with_orgs();
    let out = env.run(&[
        "receive",
        fixture("reportlab-ek-mismatch.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    assert!(out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("page count mismatch: the ek lines state 3 page(s) but 1 page(s) follow the letter"),
        "{err}"
    );
}

#[test]
fn the_human_view_names_every_field_with_its_confidence_and_the_missing_ones() {
    let env = with_orgs();
    let out = env.run(&[
        "receive",
        fixture("reportlab-kaymakamlik.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    let err = common::stderr(&out);
    assert!(
        err.contains("Sayı             [high]     12345678-903.02-4471"),
        "{err}"
    );
    assert!(err.contains("Doğrulama Kodu   not found"), "{err}");
    assert!(err.contains("Not found: doğrulama kodu"), "{err}");
    assert!(common::stdout(&out).contains("Registered #1 as Kayıt No 1"));
}

#[test]
fn without_a_terminal_or_yes_nothing_is_registered() {
    let env = with_orgs();
    let err = env.fails(&[
        "receive",
        fixture("libreoffice-valilik.pdf").to_str().unwrap(),
        "--auto",
    ]);
    assert!(err.contains("pass --yes"), "{err}");
    assert!(
        err.contains("Sayı             [high]     76543210.301.03/2281"),
        "the fields are shown first: {err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
}

/// The office a row of `orgs` holds: (name, kind, detsis).
fn office(env: &Env, code: &str) -> (String, String, Option<String>) {
    env.db()
        .query_row("SELECT name, kind, detsis FROM orgs WHERE code = ?1", [code], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap_or_else(|e| panic!("office {code}: {e}"))
}

#[test]
fn a_letter_from_a_new_issuer_adds_the_office_its_heading_names() {
    // Regression (issue #18): refused with "add it with `tamim org add`"; its konu and ek line are spaced
    // with tabs (the konu was cut at its first word, the ek line refused for a control character).
    let env = Env::new();
    let out = env.run(&[
        "receive",
        fixture("tabs-new-issuer.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    let (said, err) = (common::stdout(&out), common::stderr(&out));
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("MUGLA-VALILIGI: not registered; the office the heading names, Muğla Valiliği (kind valilik, DETSİS 41234567), is added"),
        "{err}"
    );
    assert!(
        said.contains(
            "Added the office MUGLA-VALILIGI (Muğla Valiliği, valilik, DETSİS 41234567) from the letter's heading."
        ),
        "{said}"
    );
    assert_eq!(
        office(&env, "MUGLA-VALILIGI"),
        ("Muğla Valiliği".into(), "valilik".into(), Some("41234567".into()))
    );
    let d = env.json(&["show", "#1"]);
    assert_eq!(s(&d["from"]), "MUGLA-VALILIGI");
    assert_eq!(s(&d["konu"]), "Aşı Takvimi Hakkında");
    assert_eq!(s(&d["ek"][0]["description"]), "1- Aşı takvimi (2 sayfa)");
    assert_eq!(d["ek"][0]["pages"], 2);
    assert_eq!(s(&d["issuer"]), "MUĞLA VALİLİĞİ, İl Sağlık Müdürlüğü");

    // The next letter from it is recognised by the DETSİS number of its sayı: no second office.
    let (_, d) = auto(
        &env,
        &fixture("tabs-new-issuer.pdf"),
        &["--duplicate", "--sayi", "E-41234567-100.01-5600"],
    );
    assert_eq!(s(&d["from"]), "MUGLA-VALILIGI");
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 1);
}

#[test]
fn an_office_typed_without_turkish_letters_is_the_issuer() {
    let env = Env::new();
    env.ok(&["org", "add", "MUGLA", "--name", "Mugla Valiligi", "--kind", "valilik"]);
    let out = env.ok(&[
        "--json",
        "receive",
        fixture("tabs-new-issuer.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s(&v["document"]["from"]), "MUGLA");
    assert!(v["new_org"].is_null(), "{v}");
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 1);
}

#[test]
fn a_new_issuer_is_added_only_on_confirmation() {
    let env = Env::new();
    // No terminal and no --yes: the proposal shown, nothing added or registered.
    let err = env.fails(&[
        "receive",
        fixture("libreoffice-valilik.pdf").to_str().unwrap(),
        "--auto",
    ]);
    assert!(
        err.contains(
            "IZMIR-VALILIGI: not registered; the office the heading names, İzmir Valiliği (kind valilik, DETSİS -)"
        ),
        "{err}"
    );
    assert!(err.contains("pass --yes"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 0);
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    // --from names the office: none proposed, none added.
    env.ok(&["org", "add", "IZ", "--name", "İzmir İl Müdürlüğü"]);
    let (_, d) = auto(&env, &fixture("libreoffice-valilik.pdf"), &["--from", "IZ"]);
    assert_eq!(s(&d["from"]), "IZ");
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 1);
    // With --yes, as JSON: the office added is in the answer (its sayı is not in e-Yazışma form: no DETSİS).
    let out = env.ok(&[
        "--json",
        "receive",
        fixture("libreoffice-valilik.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
        "--duplicate",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s(&v["new_org"]["code"]), "IZMIR-VALILIGI");
    assert!(v["new_org"]["detsis"].is_null());
    assert_eq!(s(&v["document"]["from"]), "IZMIR-VALILIGI");
}

#[test]
fn a_scan_has_no_text_layer_and_is_registered_by_hand() {
    let env = with_orgs();
    let scan = fixture("scan.pdf");
    let err = env.fails(&["receive", scan.to_str().unwrap(), "--auto", "--yes"]);
    assert!(err.contains("no text layer"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    env.ok(&[
        "receive",
        scan.to_str().unwrap(),
        "--sayi",
        "4471",
        "--tarih",
        "14.03.2024",
        "--konu",
        "Taranmış yazı",
        "--from",
        "CANKAYA",
    ]);
    assert_eq!(env.count("SELECT count(*) FROM documents"), 1);
}

#[test]
fn a_500_page_file_is_read_from_its_first_pages() {
    let env = with_orgs();
    env.ok(&["org", "add", "ANK", "--name", "Ankara Valiliği", "--kind", "valilik"]);
    let out = env.ok(&[
        "--json",
        "receive",
        fixture("long-500.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["read"]["fields"]["pages"], 500);
    assert_eq!(v["read"]["attachments"]["pages_after_letter"], 499);
    assert_eq!(v["read"]["attachments"]["stated_total"], 499);
    assert_eq!(v["document"]["pages"], 500);
}

#[test]
fn bad_files_are_refused_with_nothing_registered() {
    let env = with_orgs();
    let good = std::fs::read(fixture("libreoffice-valilik.pdf")).unwrap();
    std::fs::write(env.path("truncated.pdf"), &good[..good.len() / 2]).unwrap();
    std::fs::write(env.path("empty.pdf"), b"").unwrap();
    let cases: [(PathBuf, &str); 4] = [
        (fixture("encrypted.pdf"), "encrypted"),
        (env.path("truncated.pdf"), "truncated"),
        (env.path("empty.pdf"), "empty"),
        (fixture("bomb.pdf"), "decompression bomb"),
    ];
    for (file, says) in cases {
        let err = env.fails(&["receive", file.to_str().unwrap(), "--auto", "--yes"]);
        assert!(err.contains(says), "{}: {err}", file.display());
    }
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    assert_eq!(env.stored_files(), 0);
}

#[test]
fn receive_without_auto_still_needs_its_fields() {
    let env = with_orgs();
    let err = env.fails(&[
        "receive",
        fixture("libreoffice-valilik.pdf").to_str().unwrap(),
        "--tarih",
        "05.04.2024",
    ]);
    assert!(err.contains("--sayi: is required (or use --auto"), "{err}");
}

/// The same view under a Turkish locale (issue #18): every word of it in Turkish, the fields' values as read.
#[test]
fn the_human_view_reads_in_turkish_under_a_turkish_locale() {
    let env = with_orgs().turkish();
    let out = env.run(&[
        "receive",
        fixture("reportlab-kaymakamlik.pdf").to_str().unwrap(),
        "--auto",
        "--yes",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    assert!(err.contains("dosyasından okunan"), "{err}");
    assert!(
        err.contains("Sayı             [yüksek]   12345678-903.02-4471"),
        "{err}"
    );
    assert!(err.contains("Doğrulama Kodu   bulunamadı"), "{err}");
    assert!(err.contains("Bulunamayan: doğrulama kodu"), "{err}");
    for english in ["Read from", "not found", "Not found", "[high]", "page(s)"] {
        assert!(!err.contains(english), "English {english:?} in:\n{err}");
    }
}
