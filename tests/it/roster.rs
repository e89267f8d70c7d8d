//! Staff rosters: imported from an `.xlsx` made by openpyxl and from a Windows-1254 `;` CSV as Turkish
//! Excel saves it; re-imports add joiners and mark leavers (events, rows kept); every bad input refused
//! with its row and column, nothing written.

use crate::common::Env;
use std::path::{Path, PathBuf};

fn python() -> PathBuf {
    match std::env::var_os("TAMIM_TEST_VENV") {
        Some(v) => PathBuf::from(v).join("bin/python"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv/bin/python"),
    }
}

/// Write `rows` (the first is the header) as an .xlsx with openpyxl; a cell `d:YYYY-MM-DD` is a real date.
pub fn xlsx(path: &Path, rows: &[&[&str]]) {
    const SCRIPT: &str = r#"
import json, sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
for row in json.loads(sys.argv[2]):
    ws.append([datetime.datetime.strptime(c[2:], "%Y-%m-%d") if c.startswith("d:") else (c or None) for c in row])
wb.save(sys.argv[1])
"#;
    let rows = serde_json::to_string(rows).unwrap();
    let out = std::process::Command::new(python())
        .args(["-c", SCRIPT, path.to_str().unwrap(), &rows])
        .output()
        .expect("run openpyxl");
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Text as Windows-1254 bytes (Turkish Excel's "CSV (noktalı virgülle ayrılmış)").
pub fn cp1254(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::WINDOWS_1254.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

pub fn office(env: &Env) {
    env.ok(&[
        "org",
        "add",
        "ODA-1",
        "--name",
        "İstanbul Bakkallar Odası",
        "--kind",
        "oda",
        "--email",
        "oda1@example.org",
    ]);
}

fn staff_rows(env: &Env) -> i64 {
    env.count("SELECT count(*) FROM staff")
}

#[test]
fn roster_from_xlsx_then_a_cp1254_csv_with_a_joiner_and_a_leaver() {
    let env = Env::new().turkish();
    office(&env);
    let file = env.path("personel.xlsx");
    xlsx(
        &file,
        &[
            &[
                "Unvanı",
                "SİCİL NO",
                "Adı Soyadı",
                "Birimi",
                "E-posta",
                "Göreve Başlama",
                "Not",
            ],
            &[
                "Şef",
                "101",
                "Ayşe Yılmaz",
                "Muhasebe",
                "ayse@example.org",
                "d:2019-03-15",
                "x",
            ],
            &["Memur", "102", "İsmail Çelik", "Sicil", "", "d:2020-01-02", ""],
            &["Memur", "103", "Işıl Öztürk", "", "isil@example.org", "", ""],
        ],
    );
    let out = env.ok(&["roster", "import", "ODA-1", file.to_str().unwrap()]);
    assert!(out.contains("eklenen 3, güncellenen 0, ayrılan 0"), "{out}");
    assert!(out.contains("Okunmayan sütunlar: Not"), "{out}");
    let shown = env.json(&["roster", "show", "ODA-1"]);
    assert_eq!(shown.as_array().unwrap().len(), 3);
    assert_eq!(shown[0]["sicil"], "101");
    assert_eq!(shown[0]["name"], "Ayşe Yılmaz");
    assert_eq!(shown[0]["joined_on"], "2019-03-15");
    assert_eq!(shown[1]["title"], "Memur");
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'staff.added'"), 3);

    // The next year's list, as Turkish Excel saves it: Windows-1254, `;`. 102 is gone, 104 joined,
    // 101 changed unit, 103 has a leaving date.
    let csv = env.path("personel.csv");
    std::fs::write(
        &csv,
        cp1254(
            "Sicil No;Adı Soyadı;Unvanı;Birimi;E-posta;Göreve Başlama;Ayrılış\r\n\
             101;Ayşe Yılmaz;Şef;İdari İşler;ayse@example.org;15.03.2019;\r\n\
             103;Işıl Öztürk;Memur;;isil@example.org;;30.06.2021\r\n\
             104;Gülşen Ağaoğlu;Memur;Muhasebe;gulsen@example.org;01.09.2021;\r\n",
        ),
    )
    .unwrap();
    let out = env.ok(&["roster", "import", "ODA-1", csv.to_str().unwrap()]);
    assert!(out.contains("eklenen 1, güncellenen 1, ayrılan 2"), "{out}");
    assert_eq!(staff_rows(&env), 4, "leavers are kept");
    let shown = env.json(&["roster", "show", "ODA-1"]);
    let by = |s: &str| {
        shown
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["sicil"] == s)
            .unwrap()
            .clone()
    };
    assert_eq!(by("101")["unit"], "İdari İşler");
    assert_eq!(by("103")["left_on"], "2021-06-30");
    assert!(by("102")["left_on"].is_string(), "absent from the file: left");
    assert_eq!(by("104")["name"], "Gülşen Ağaoğlu");
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'staff.left'"), 2);
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'staff.updated'"), 1);
    // The same file again changes nothing.
    let out = env.ok(&["roster", "import", "ODA-1", csv.to_str().unwrap()]);
    assert!(out.contains("eklenen 0, güncellenen 0, ayrılan 0"), "{out}");
}

/// Each bad input: the error names the row and column, and nothing is written.
#[test]
fn bad_rosters_are_refused_naming_the_row_and_nothing_is_written() {
    let env = Env::new().turkish();
    office(&env);
    let events = env.count("SELECT count(*) FROM events");
    let csv = |name: &str, text: &str| {
        let p = env.path(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let cases: Vec<(PathBuf, &str, &str)> = vec![
        (
            csv("dup.csv", "Sicil No;Adı Soyadı\n1;Ali Kaya\n2;Veli Kaya\n1;Ayşe Kaya\n"),
            "ODA-1",
            "4. satır, Sicil No sütunu: 1 2. satırda da var",
        ),
        (csv("ok.csv", "Sicil No;Adı Soyadı\n1;Ali Kaya\n"), "ODA-9", "ODA-9"),
        (
            csv("noname.csv", "Sicil No;Adı Soyadı\n1;Ali Kaya\n2;\n"),
            "ODA-1",
            "3. satır, Adı Soyadı sütunu: boş",
        ),
        (
            csv(
                "dates.csv",
                "Sicil No;Adı Soyadı;Göreve Başlama;Ayrılış\n1;Ali Kaya;01.09.2021;01.08.2021\n",
            ),
            "ODA-1",
            "2. satır, Ayrılış sütunu: ayrılış tarihi 01.08.2021, göreve başlama tarihinden (01.09.2021) önce",
        ),
        (
            csv("renamed.xlsx", "Sicil No;Adı Soyadı\n1;Ali Kaya\n"),
            "ODA-1",
            "bir .xlsx çalışma kitabı değil",
        ),
        (csv("empty.csv", ""), "ODA-1", "hiç satırı yok"),
        (
            csv("header-only.csv", "Sicil No;Adı Soyadı\n"),
            "ODA-1",
            "hiç satırı yok",
        ),
        (
            csv("nocol.csv", "Sicil;Ünvan\n1;Şef\n"),
            "ODA-1",
            "Adı Soyadı sütunu yok",
        ),
    ];
    for (file, office, expect) in &cases {
        let err = env.fails(&["roster", "import", office, file.to_str().unwrap()]);
        assert!(err.contains(expect), "{}: {err}", file.display());
    }
    // A zip of something else, named .xlsx.
    let zip = env.path("other.xlsx");
    {
        let f = std::fs::File::create(&zip).unwrap();
        let mut w = zip::ZipWriter::new(f);
        w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b"hello").unwrap();
        w.finish().unwrap();
    }
    let err = env.fails(&["roster", "import", "ODA-1", zip.to_str().unwrap()]);
    assert!(err.contains("bir .xlsx çalışma kitabı değil"), "{err}");
    // An empty sheet made by openpyxl.
    let empty = env.path("bos.xlsx");
    xlsx(&empty, &[]);
    let err = env.fails(&["roster", "import", "ODA-1", empty.to_str().unwrap()]);
    assert!(err.contains("hiç satırı yok"), "{err}");
    assert_eq!(staff_rows(&env), 0);
    assert_eq!(env.count("SELECT count(*) FROM events"), events);
}

/// A password-protected workbook (encrypted with msoffcrypto-tool when the venv has it).
#[test]
fn a_password_protected_workbook_is_refused() {
    let env = Env::new().turkish();
    office(&env);
    let plain = env.path("plain.xlsx");
    xlsx(&plain, &[&["Sicil No", "Adı Soyadı"], &["1", "Ali Kaya"]]);
    let locked = env.path("locked.xlsx");
    const SCRIPT: &str = r#"
import sys
from msoffcrypto.format.ooxml import OOXMLFile
with open(sys.argv[1], "rb") as i, open(sys.argv[2], "wb") as o:
    f = OOXMLFile(i)
    f.encrypt("parola", o)
"#;
    let out = std::process::Command::new(python())
        .args(["-c", SCRIPT, plain.to_str().unwrap(), locked.to_str().unwrap()])
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!(
            "msoffcrypto-tool not in the venv; skipped: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let err = env.fails(&["roster", "import", "ODA-1", locked.to_str().unwrap()]);
    assert!(err.contains("parolayla korunan"), "{err}");
    assert_eq!(staff_rows(&env), 0);
}

/// ODA-1 carries "notify all staff": a roster of six on 1 November 2021 (one joined later, one left
/// before), two acknowledge (one by the clerk, one on a signed sheet), one is exempt (izinli), one pending.
fn duty_fixture(env: &Env) -> (i64, String) {
    crate::ack_common::seed(env);
    env.ok(&["list", "add", "odalar", "ODA-1", "--all-staff"]);
    let csv = env.path("oda1.csv");
    std::fs::write(
        &csv,
        cp1254(
            "Sicil No;Adı Soyadı;Unvanı;Göreve Başlama;Ayrılış\r\n\
             101;Ayşe Yılmaz;Genel Sekreter;15.03.2019;\r\n\
             102;Ömer Demir;Memur;02.01.2020;\r\n\
             103;Işıl Öztürk;Memur;;\r\n\
             104;Gülşen Ağaoğlu;Memur;;\r\n\
             105;Yeni Gelen;Memur;01.12.2021;\r\n\
             106;Eski Giden;Memur;01.01.2015;30.06.2021\r\n",
        ),
    )
    .unwrap();
    env.ok(&["roster", "import", "ODA-1", csv.to_str().unwrap()]);
    let doc = crate::ack_common::issue(&env.registry(), "E-12345678-010.06-4518", "2021-11-01", None, None);
    crate::ack_common::mark_all_sent(&env.registry(), doc);
    (doc, format!("#{doc}"))
}

#[test]
fn staff_duty_frozen_on_the_delivery_and_staff_recorded_three_ways() {
    let env = Env::new().turkish();
    let (_, d) = duty_fixture(&env);
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE staff_duty = 1"),
        1,
        "only ODA-1 carries the duty"
    );
    let out = env.ok(&["ack", "staff", &d, "ODA-1", "--sicil", "101"]);
    assert!(out.contains("ODA-1: 1 personelin tebellüğü kaydedildi"), "{out}");
    let out = env.ok(&["ack", "exempt", &d, "ODA-1", "--sicil", "103", "--reason", "İzinli"]);
    assert!(out.contains("muaf tutuldu (izinli)"), "{out}");
    let scan = env.pdf("imzali.pdf", &["Tebliğ-tebellüğ listesi"]);
    let out = env.ok(&[
        "ack",
        "sheet",
        &d,
        "ODA-1",
        "--scan",
        scan.to_str().unwrap(),
        "--signed",
        "102",
    ]);
    assert!(out.contains("imzalı tebliğ-tebellüğ listesi saklandı"), "{out}");
    let sha: String = env
        .db()
        .query_row(
            "SELECT evidence_sha256 FROM staff_acks WHERE method = 'paper'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(env.registry().join("files").join(format!("{sha}.pdf")).is_file());
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'staff.acknowledged'"),
        2
    );
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'staff.exempt'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM staff_acks"), 3);
}

#[test]
fn staff_bad_inputs_are_refused_and_nothing_is_written() {
    let env = Env::new().turkish();
    let (_, d) = duty_fixture(&env);
    let events = env.count("SELECT count(*) FROM events");
    let err = env.fails(&["ack", "staff", &d, "ODA-1", "--sicil", "101,999"]);
    assert!(
        err.contains("personel listesinde 999 sicil numaralı kimse yok"),
        "{err}"
    );
    let err = env.fails(&["ack", "staff", &d, "ODA-1", "--sicil", "106"]);
    assert!(
        err.contains("Eski Giden, 2021-06-30 tarihinde, belgenin tarihinden (2021-11-01) önce ayrılmış"),
        "{err}"
    );
    let err = env.fails(&[
        "ack",
        "exempt",
        &d,
        "ODA-1",
        "--sicil",
        "104",
        "--reason",
        "canı istemedi",
    ]);
    assert!(err.contains("bir muafiyet nedeni değil"), "{err}");
    let err = env.fails(&["ack", "staff", &d, "ODA-2", "--sicil", "101"]);
    assert!(err.contains("tüm personeline duyurma görevi verilmedi"), "{err}");
    let fake = env.path("fake.pdf");
    std::fs::write(&fake, b"Sicil No;Ad\n").unwrap();
    let err = env.fails(&[
        "ack",
        "sheet",
        &d,
        "ODA-1",
        "--scan",
        fake.to_str().unwrap(),
        "--signed",
        "101",
    ]);
    assert!(err.contains("PDF"), "{err}");
    let big = env.path("big.pdf");
    let f = std::fs::File::create(&big).unwrap();
    std::io::Write::write_all(&mut &f, b"%PDF-1.7\n").unwrap();
    f.set_len(21 * 1024 * 1024).unwrap();
    let err = env.fails(&[
        "ack",
        "sheet",
        &d,
        "ODA-1",
        "--scan",
        big.to_str().unwrap(),
        "--signed",
        "101",
    ]);
    assert!(err.contains("sınır"), "{err}");
    let scan = env.pdf("imzali.pdf", &["Tebliğ-tebellüğ listesi"]);
    let err = env.fails(&[
        "ack",
        "sheet",
        &d,
        "ODA-1",
        "--scan",
        scan.to_str().unwrap(),
        "--signed",
        "101,999",
    ]);
    assert!(err.contains("999"), "{err}");
    assert_eq!(env.stored_files(), 0, "a refused sheet leaves no file");
    assert_eq!(env.count("SELECT count(*) FROM staff_acks"), 0);
    assert_eq!(env.count("SELECT count(*) FROM events"), events);
}

#[test]
fn the_audit_shows_staff_coverage_per_office_in_text_and_json() {
    let env = Env::new().turkish();
    let (doc, d) = duty_fixture(&env);
    env.ok(&["ack", "staff", &d, "ODA-1", "--sicil", "101,102"]);
    env.ok(&["ack", "exempt", &d, "ODA-1", "--sicil", "103", "--reason", "izinli"]);
    let text = env.ok(&["audit", &d]);
    let start = text.find("Personele duyuru").expect("the staff section");
    let section: String = text[start..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("roster_audit_staff_section", section);
    // The PDF report carries the same section, in the same words.
    let pdf = env.path("denetim.pdf");
    env.ok(&["audit", &d, "--format", "pdf", "--file", pdf.to_str().unwrap()]);
    let t = crate::common::pdftotext(&pdf);
    for want in [
        "Personele duyuru (01 Kasım 2021 tarihli personel listelerine göre)",
        "Listede 4, tebellüğ eden 2, muaf 1 (izinli 1), bekleyen 1",
        "Bekleyenler: 104 Gülşen Ağaoğlu",
        "Tüm personele duyuruldu: Hayır (1 kişi bekliyor)",
    ] {
        assert!(t.contains(want), "missing {want:?} in the PDF:\n{t}");
    }
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let c = &json["staff_coverage"];
    assert_eq!(c["all_staff_notified"], false);
    let o = &c["offices"][0];
    assert_eq!(o["office"], "ODA-1");
    assert_eq!(o["on_roster"], 4, "105 joined after the date, 106 left before it");
    assert_eq!(o["acknowledged"], 2);
    assert_eq!(o["exempt"]["izinli"], 1);
    assert_eq!(o["pending"][0]["sicil"], "104");
    assert_eq!(o["pending"][0]["name"], "Gülşen Ağaoğlu");
    assert_eq!(o["duty_met"], false);
    assert_eq!(o["reason"]["kind"], "pending");
    // The same coverage on its own.
    let own = env.json(&["roster", "coverage", &d]);
    assert_eq!(own, *c);
    assert!(env
        .ok(&["roster", "coverage", &d])
        .contains("Bekleyenler: 104 Gülşen Ağaoğlu"));
    // The auditor's page and its CSV, through a read-only audit link.
    const AUDITOR: &str = "denetci-anahtari-5b8e21c4f09a7d3e";
    let cfg = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "# token = \"a long random string for the auditor's pages\"",
        &format!("token = \"{AUDITOR}\""),
    );
    std::fs::write(&cfg, text).unwrap();
    let srv = crate::ack_common::http::Server::start(&env);
    let page = srv.get(&format!("/audit/doc/{doc}/personel?token={AUDITOR}"));
    assert_eq!(page.status, 200);
    let page = page.text();
    for want in [
        "Tüm personele duyuruldu: Hayır (1 birimde personelin tamamına ulaşılmadı)",
        "<td>ODA-1</td><td>İstanbul Berberler Odası</td><td class=\"n\">4</td><td class=\"n\">2</td><td class=\"n\">1 (izinli 1)</td><td class=\"n\">1</td><td>Hayır (1 kişi bekliyor)</td>",
        "ODA-1 İstanbul Berberler Odası: 104 Gülşen Ağaoğlu",
    ] {
        assert!(page.contains(want), "missing {want:?} in the auditor's page:\n{page}");
    }
    let csv = srv
        .get(&format!("/audit/doc/{doc}/personel.csv?token={AUDITOR}"))
        .text();
    assert!(
        csv.contains("ODA-1,İstanbul Berberler Odası,4,2,1,izinli 1,1,104 Gülşen Ağaoğlu,false,1 kişi bekliyor"),
        "{csv}"
    );
    assert_eq!(srv.get(&format!("/audit/doc/999/personel?token={AUDITOR}")).status, 404);
    assert_eq!(
        srv.get(&format!("/audit/doc/{doc}/personel")).status,
        303,
        "no token, no session: the login"
    );
    drop(srv);
    // The last one acknowledges: the duty is met, for the office and the document.
    env.ok(&["ack", "staff", &d, "ODA-1", "--sicil", "104"]);
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    assert_eq!(json["staff_coverage"]["offices"][0]["duty_met"], true);
    assert_eq!(json["staff_coverage"]["all_staff_notified"], true);
}

/// The one reader serves the other imports too: `org import` from an .xlsx with Turkish headers in another
/// order (an extra column ignored), `person import` from a Windows-1254 `;` CSV.
#[test]
fn org_and_person_imports_read_xlsx_and_turkish_csv() {
    let env = Env::new().turkish();
    let orgs = env.path("kurumlar.xlsx");
    xlsx(
        &orgs,
        &[
            &[
                "Kurum Adı",
                "Kod",
                "Türü",
                "Üst Kurum",
                "E-posta",
                "KEP Adresi",
                "DETSİS No",
                "Açıklama",
            ],
            &[
                "İstanbul Esnaf Odaları Birliği",
                "BIRLIK",
                "birlik",
                "",
                "birlik@example.org",
                "",
                "",
                "x",
            ],
            &[
                "Şişli Berberler Odası",
                "ODA-7",
                "oda",
                "BIRLIK",
                "oda7@example.org",
                "",
                "",
                "",
            ],
        ],
    );
    env.ok(&["org", "import", orgs.to_str().unwrap()]);
    assert_eq!(
        env.count("SELECT count(*) FROM orgs WHERE code IN ('BIRLIK', 'ODA-7')"),
        2
    );
    let people = env.path("kisiler.csv");
    std::fs::write(
        &people,
        cp1254("Sicil No;Adı Soyadı;Unvanı;Kurum;E-posta\r\nP-1;Şükrü Çağlar;Başkan;ODA-7;sukru@example.org\r\n"),
    )
    .unwrap();
    env.ok(&["person", "import", people.to_str().unwrap()]);
    let name: String = env
        .db()
        .query_row("SELECT name FROM people WHERE code = 'P-1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Şükrü Çağlar");
}

/// An office with the duty but no roster is not covered: nothing proves its staff were told.
#[test]
fn an_office_with_the_duty_and_no_roster_is_not_covered() {
    let env = Env::new();
    crate::ack_common::seed(&env);
    env.ok(&["list", "add", "odalar", "ODA-2", "--all-staff"]);
    let doc = crate::ack_common::issue(&env.registry(), "E-12345678-010.06-4518", "2021-11-01", None, None);
    crate::ack_common::mark_all_sent(&env.registry(), doc);
    let d = format!("#{doc}");
    let text = env.ok(&["audit", &d]);
    assert!(
        text.contains("Tüm personele duyuruldu: Hayır (personel listesi yok)"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    assert_eq!(json["staff_coverage"]["offices"][0]["reason"]["kind"], "no_roster");
    assert_eq!(json["staff_coverage"]["reason"]["kind"], "offices");
    // Without any staff duty the audit has no staff section at all.
    let env = Env::new();
    crate::ack_common::seed(&env);
    let doc = crate::ack_common::issue(&env.registry(), "E-12345678-010.06-4518", "2021-11-01", None, None);
    crate::ack_common::mark_all_sent(&env.registry(), doc);
    assert!(!env.ok(&["audit", &format!("#{doc}")]).contains("Personele duyuru"));
}

/// The office's tebliğ-tebellüğ sheet lists its roster as it stood on the document's date, by sicil no: the
/// rows `ack sheet --signed` ticks.
#[test]
fn the_signoff_sheet_lists_the_roster_on_the_issue_date() {
    let env = Env::new();
    let (_, d) = duty_fixture(&env);
    let s = env.path("liste.pdf");
    env.ok(&["signoff", &d, "--org", "ODA-1", "--file", s.to_str().unwrap()]);
    let t = crate::common::pdftotext(&s);
    for want in ["Ayşe Yılmaz", "Işıl Öztürk", "Gülşen Ağaoğlu", "104"] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    for not in ["Yeni Gelen", "Eski Giden", "P-OMER"] {
        assert!(!t.contains(not), "{not:?} is not on the roster on the date:\n{t}");
    }
}
