//! `tamim audit` in every format, cascade gaps and follow-ons, the chain above, and `tamim signoff`; PDFs
//! read back with pdftotext and checked with qpdf.

use crate::ack_common;

use ack_common::*;
use std::process::Command;

/// Our tamim cites a registered Valilik genelge (with a date that disagrees); some acks, a failure, an exemption.
fn setup() -> (Env, i64) {
    let env = Env::new();
    seed(&env);
    let pdf = env.pdf("genelge.pdf", &["Valilik genelgesi"]);
    env.ok(&[
        "receive",
        pdf.to_str().unwrap(),
        "--sayi",
        "E-85840981-167.01-122254",
        "--tarih",
        "02.11.2021",
        "--konu",
        "Sosyal Medya Etik İlkeleri",
        "--from",
        "IST",
        "--kind",
        "genelge",
    ]);
    let upstream: i64 = env
        .db()
        .query_row(
            "SELECT id FROM documents WHERE sayi = 'E-85840981-167.01-122254'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let doc = issue(&env.registry(), "4516", &days_ago(30), None, None);
    env.db()
        .execute(
            "INSERT INTO citations (document_id, position, text, cited_date, cited_sayi, target_id, discrepancy)
             VALUES (?1, 1, 'İstanbul Valiliğinin 01.11.2021 tarihli ve 122254 sayılı genelgesi.', '2021-11-01', '122254', ?2, 'ilgide 01.11.2021 tarihli olarak anılıyor, oysa #1 belgesinin tarihi 02.11.2021')",
            [doc, upstream],
        )
        .unwrap();
    mark_all_sent(&env.registry(), doc);
    let d = format!("#{doc}");
    env.ok(&["ack", &d, "ODA-1", "--method", "paper", "--by", "Ali VELİ"]);
    env.ok(&["ack", &d, "P-AYSE", "--method", "phone", "--by", "Ayşe YILMAZ"]);
    env.ok(&["ack", "exempt", &d, "ODA-3", "--reason", "Oda kapatıldı"]);
    let mut reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    reg.store
        .write(|tx| {
            let dl = tamim_store::deliveries::by_recipient(tx, doc, "ODA-2")?.unwrap();
            tamim_app::ack::mark_failed(tx, &dl, "550 5.1.1 mailbox unavailable")
        })
        .unwrap();
    (env, doc)
}

#[test]
fn audit_text_and_json_tell_the_whole_story() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    let text = env.ok(&["audit", &d]);
    assert!(text.contains("Alıcı 6 · tebellüğ eden 2 (%33,3)"), "{text}");
    assert!(
        text.contains("      1      6         2  %33,3  bu belgenin alıcıları"),
        "{text}"
    );
    assert!(
        text.contains("ODA-2 İstanbul Çilingirler Odası (ODA-2): 550 5.1.1 mailbox unavailable"),
        "{text}"
    );
    assert!(
        text.contains("ODA-3 İstanbul Şoförler Odası (ODA-3): Oda kapatıldı"),
        "{text}"
    );
    assert!(
        text.contains("KAY-SILE Şile Kaymakamlığı: İlçe Belediye Başkanlıklarına Duyurulacaktır [gönderildi]"),
        "{text}"
    );
    assert!(text.contains("Sayı E-85840981-167.01-122254"), "{text}");
    assert!(
        text.contains("ilgide 01.11.2021 tarihli olarak anılıyor, oysa #1 belgesinin tarihi 02.11.2021"),
        "{text}"
    );
    assert!(text.contains("Doğrulandı: zincir bütün ·"), "{text}");
    // Timelines: each recipient with its events.
    assert!(
        text.contains("P-AYSE Ayşe YILMAZ [bilgi · ODA-1 · tebellüğ edildi]"),
        "{text}"
    );
    assert!(
        text.contains("tebellüğ edildi — yöntem: telefon, eden: Ayşe YILMAZ"),
        "{text}"
    );

    let out = env.ok(&["audit", &d, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["summary"];
    assert_eq!(s["counts"]["failed"], 1);
    assert_eq!(s["cascade_gaps"][0]["office"], "KAY-SILE");
    assert_eq!(s["log"]["ok"], true);
    let head: String = env
        .db()
        .query_row("SELECT hash FROM events ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(s["log"]["head_hash"], head.as_str());
    let oda1 = s["offices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "ODA-1")
        .unwrap();
    assert_eq!(
        (oda1["recipients"].as_i64(), oda1["acknowledged"].as_i64()),
        (Some(2), Some(2)),
        "P-AYSE counts in her office"
    );
    let tl = v["timelines"].as_array().unwrap();
    assert_eq!(tl.len(), 6);
    let oda2 = tl.iter().find(|t| t["recipient_code"] == "ODA-2").unwrap();
    let kinds: Vec<&str> = oda2["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["delivery.sent", "delivery.failed"]);
    // Each event's detail is the JSON it was recorded as, not a string holding it.
    assert_eq!(
        oda2["events"][1]["detail"]["reply"], "550 5.1.1 mailbox unavailable",
        "{}",
        oda2["events"]
    );

    let csv = env.ok(&["audit", &d, "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "recipient,name,kind,office,role,path,state,channel,sent_at,received_at,recipient_kayit_no,acknowledged_at,ack_by,ack_method,timeline"
    );
    assert_eq!(csv.lines().count(), 7);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("ODA-4,İstanbul Işıkçılar Odası,org,ODA-4,gereği,odalar,no-address")),
        "{csv}"
    );
}

#[test]
fn follow_ons_close_cascade_gaps_and_count_below() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    // Şile Kaymakamlığı's own circular citing ours, registered here.
    let pdf = env.pdf("sile.pdf", &["Sile"]);
    env.ok(&[
        "receive",
        pdf.to_str().unwrap(),
        "--sayi",
        "E-1234-010.06-77",
        "--tarih",
        &days_ago(2),
        "--konu",
        "Sosyal Medya",
        "--from",
        "KAY-SILE",
        "--ilgi",
        &d,
    ]);
    // ODA-1 reports its follow-on by sayı and date, with its own counts.
    env.ok(&[
        "ack",
        "followon",
        &d,
        "ODA-1",
        "--sayi",
        "2021/12",
        "--tarih",
        &days_ago(1),
        "--recipients",
        "40",
        "--acknowledged",
        "30",
    ]);
    let err = env.fails(&[
        "ack",
        "followon",
        &d,
        "ODA-2",
        "--sayi",
        "1",
        "--tarih",
        &days_ago(1),
        "--recipients",
        "3",
        "--acknowledged",
        "4",
    ]);
    assert!(err.contains("acknowledged: 4 is more than the 3 recipients"), "{err}");
    let out = env.ok(&["audit", &d, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["summary"];
    assert_eq!(s["cascade_gaps"].as_array().unwrap().len(), 0, "{}", s["cascade_gaps"]);
    let lv2 = s["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == 2)
        .unwrap();
    assert_eq!(
        (lv2["recipients"].as_i64(), lv2["acknowledged"].as_i64()),
        (Some(40), Some(30))
    );
    let srcs: Vec<&str> = s["followons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert_eq!(srcs, ["registered", "reported"]);
}

fn have_tools() -> bool {
    have("pdftotext") && have("qpdf")
}

fn qpdf_ok(p: &std::path::Path) {
    let out = Command::new("qpdf").arg("--check").arg(p).output().unwrap();
    assert!(out.status.success(), "qpdf --check {}: {}", p.display(), stdout(&out));
}

#[test]
fn audit_pdf_and_signoff_sheet() {
    assert!(
        have_tools(),
        "pdftotext and qpdf are required (scripts/test.sh installs poppler-utils and qpdf)"
    );
    let (env, doc) = setup();
    let d = format!("#{doc}");
    let p = env.path("audit.pdf");
    env.ok(&["audit", &d, "--format", "pdf", "--file", p.to_str().unwrap()]);
    qpdf_ok(&p);
    let t = pdftotext(&p);
    for want in [
        "TEBLİĞ-TEBELLÜĞ DENETİM RAPORU",
        "Sosyal Medya Etik İlkeleri hk.",
        "Zincir düzeyine göre kapsam",
        "Zamana göre tebellüğ (toplam %)",
        "İstanbul Çilingirler Odası",
        "Ulaştırılamayanlar (1)",
        "Muaf tutulanlar (1)",
        "Duyurma yükümlülüğü karşılanmayanlar, ilgili yazısı bilinmeyen (1)",
        "Uyuşmazlık",
        "Doğrulandı: zincir bütün",
        "Alıcı bazında zaman çizelgesi",
    ] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    // Numbers as Turkish writes them, and no English state or event name in the timelines.
    assert!(t.contains("(%33,3)"), "{t}");
    assert!(
        t.contains("gönderildi — kanal: e-posta") && !t.contains("channel=email"),
        "{t}"
    );
    // The report is dated by when it was made (its metadata), not 1 January 1970.
    let info = Command::new("pdfinfo").arg("-isodates").arg(&p).output().unwrap();
    let info = stdout(&info);
    let created = info
        .lines()
        .find_map(|l| l.strip_prefix("CreationDate:"))
        .unwrap_or_else(|| panic!("no CreationDate: {info}"))
        .trim()
        .to_string();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        created.starts_with(&today) || created.starts_with(&yesterday),
        "CreationDate {created}, today {today}"
    );
    let head: String = env
        .db()
        .query_row("SELECT hash FROM events ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(t.contains(&head), "head hash in the PDF:\n{t}");

    let s = env.path("imza.pdf");
    env.ok(&["signoff", &d, "--org", "ODA-1", "--file", s.to_str().unwrap()]);
    qpdf_ok(&s);
    let t = pdftotext(&s);
    for want in [
        "TEBLİĞ-TEBELLÜĞ LİSTESİ",
        "Kurum: İstanbul Berberler Odası",
        "Sayı 4516",
        "Ayşe YILMAZ",
        "Genel Sekreter",
        "Ömer DEMİR",
        "İmza",
        "P-OMER",
    ] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    // Turkish order: Ayşe before Ömer.
    assert!(t.find("Ayşe YILMAZ").unwrap() < t.find("Ömer DEMİR").unwrap());
    let err = env.fails(&["signoff", &d, "--org", "IST"]);
    assert!(
        err.contains("--org: document #") && err.contains("was not sent to IST"),
        "{err}"
    );
    let err = env.fails(&["signoff", &d, "--org", "NOPE"]);
    assert!(err.contains("--org: org \"NOPE\" does not exist"), "{err}");
}

#[test]
fn a_person_moved_after_sending_counts_in_the_office_they_were_reached_through() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    // Ayşe Yılmaz (ODA-1 staff, acknowledged by phone) moves to ODA-2 after the circular went out.
    let oda2: i64 = env
        .db()
        .query_row("SELECT id FROM orgs WHERE code = 'ODA-2'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        env.db()
            .execute("UPDATE people SET org_id = ?1 WHERE code = 'P-AYSE'", [oda2])
            .unwrap(),
        1
    );
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let office = |code: &str| {
        v["summary"]["offices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            office("ODA-1")["recipients"].as_i64(),
            office("ODA-1")["acknowledged"].as_i64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(office("ODA-2")["recipients"].as_i64(), Some(1), "only ODA-2 itself");
    let ayse = v["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["recipient_code"] == "P-AYSE")
        .unwrap();
    assert_eq!(ayse["office_code"], "ODA-1");
    let text = env.ok(&["audit", &d]);
    assert!(
        text.contains("P-AYSE Ayşe YILMAZ [bilgi · ODA-1 · tebellüğ edildi]"),
        "{text}"
    );
}

#[test]
fn a_report_written_to_a_file_is_whole_and_leaves_nothing_beside_it() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    let dir = env.dir.path().join("reports");
    // What the closing line says of the report (the CSV, which has no summary, counts its rows itself).
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let said = format!(
        " · {} recipients, {:.1}% acknowledged · log verified (head {})",
        summary["summary"]["total"],
        summary["summary"]["acknowledged_percent"].as_f64().unwrap(),
        summary["summary"]["log"]["head_hash"].as_str().unwrap()
    );
    for format in ["text", "json", "csv"] {
        let out = dir.join(format!("audit.{format}"));
        let run = env.run(&["audit", &d, "--format", format, "--file", out.to_str().unwrap()]);
        assert!(run.status.success(), "{format}: {}", stderr(&run));
        assert_eq!(
            stderr(&run).trim_end(),
            format!("wrote {}{said}", out.display()),
            "{format}"
        );
        let stdout = env.ok(&["audit", &d, "--format", format]);
        let file = std::fs::read_to_string(&out).unwrap();
        // The same report either way (apart from the time it was generated).
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("Generated") && !l.contains("generated_at"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        if format == "json" {
            let (mut a, mut b): (serde_json::Value, serde_json::Value) = (
                serde_json::from_str(&file).unwrap(),
                serde_json::from_str(&stdout).unwrap(),
            );
            a["summary"]["generated_at"] = serde_json::Value::Null;
            b["summary"]["generated_at"] = serde_json::Value::Null;
            assert_eq!(a, b);
        } else {
            assert_eq!(strip(&file), strip(&stdout), "{format}");
        }
    }
    // An unknown document: an error, and the earlier report of that name is left as it was.
    let out = dir.join("audit.text");
    let before = std::fs::read(&out).unwrap();
    let err = env.fails(&["audit", "#999", "--file", out.to_str().unwrap()]);
    assert!(err.contains("999"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["audit.csv", "audit.json", "audit.text"],
        "no temporary files left: {names:?}"
    );
}

/// An acknowledgement recorded while a report is being made is in none of it: the counts, the timelines
/// and the log's verification (read on other connections) all describe the same moment.
#[test]
fn a_report_describes_one_moment_while_acknowledgements_go_on() {
    let (env, doc) = setup();
    let reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    let conn = &reg.store.conn;
    let entries_before: i64 = conn
        .raw_for_tests()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let audit = tamim_app::audit::Audit::begin(conn, doc, &reg.config.ack, today).unwrap();
    // Meanwhile a clerk records an acknowledgement (its own process, its own commit).
    env.ok(&[
        "ack",
        &format!("#{doc}"),
        "ODA-4",
        "--method",
        "paper",
        "--by",
        "Veli ALİ",
    ]);
    let mut out = Vec::new();
    let said = audit.write(tamim_app::audit::Format::Json, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let s = &v["summary"];
    assert_eq!(
        (said.log.entries, said.log.ok, said.total),
        (entries_before, true, 6),
        "the log as it was when the report began"
    );
    assert_eq!(
        (s["log"]["entries"].as_i64(), s["counts"]["acknowledged"].as_i64()),
        (Some(entries_before), Some(2)),
        "{}",
        s["counts"]
    );
    // The timelines (read after the summary) are of the same moment.
    let oda4 = v["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["recipient_code"] == "ODA-4")
        .unwrap();
    assert_eq!(oda4["state"], "no-address");
    assert!(
        oda4["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "delivery.acknowledged"),
        "{oda4}"
    );
    // The next report sees the acknowledgement, and the entry that recorded it.
    let s = tamim_app::audit::Audit::begin(conn, doc, &reg.config.ack, today)
        .unwrap()
        .summary()
        .unwrap();
    assert_eq!(
        (s.log.entries, s.counts.get("acknowledged")),
        (entries_before + 1, Some(&3))
    );
}

/// The deliveries table edited around the log (a state flipped to acknowledged, no event for it) is
/// named in every report; an untouched registry has none.
#[test]
fn a_state_the_log_does_not_back_is_named() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    assert!(env
        .ok(&["audit", &d])
        .contains("Olay kaydının desteklemediği durumlar: 0\n"));
    let sent: String = env
        .db()
        .query_row(
            "SELECT recipient_code FROM deliveries WHERE document_id = ?1 AND state = 'sent' ORDER BY id LIMIT 1",
            [doc],
            |r| r.get(0),
        )
        .unwrap();
    env.db()
        .execute("UPDATE deliveries SET state = 'acknowledged', acknowledged_at = '2021-11-06T10:00:00Z', ack_by = 'Sahte' WHERE document_id = ?1 AND recipient_code = ?2", rusqlite::params![doc, sent])
        .unwrap();
    let text = env.ok(&["audit", &d]);
    assert!(text.contains("Olay kaydının desteklemediği durumlar: 1\n"), "{text}");
    assert!(
        text.contains(&format!("  ! {sent} "))
            && text.contains("tabloda tebellüğ edildi, olay kaydına göre gönderildi"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    assert_eq!(v["summary"]["unbacked_states"], 1);
    assert_eq!(
        (
            v["summary"]["unbacked"][0]["recipient"].as_str(),
            v["summary"]["unbacked"][0]["logged"].as_str()
        ),
        (Some(sent.as_str()), Some("sent"))
    );
    let pdf = env.dir.path().join("tampered.pdf");
    env.ok(&["audit", &d, "--format", "pdf", "--file", pdf.to_str().unwrap()]);
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let pdf_text = String::from_utf8_lossy(&out.stdout);
    assert!(
        pdf_text.contains("Olay kaydının desteklemediği durumlar: 1"),
        "{pdf_text}"
    );
    assert!(pdf_text.contains("olay kaydına göre gönderildi"), "{pdf_text}");
}

/// A bounce stays on the record when the recipient is reached another way afterwards.
#[test]
fn a_failure_reached_later_stays_among_the_failures() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    env.ok(&["ack", &d, "ODA-2", "--method", "phone", "--by", "Veli ALİ"]);
    let text = env.ok(&["audit", &d]);
    assert!(text.contains("Ulaştırılamayanlar (1)\n  ODA-2 İstanbul Çilingirler Odası (ODA-2): 550 5.1.1 mailbox unavailable — sonra tebellüğ edildi\n"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let f = &v["summary"]["failures"];
    assert_eq!(
        (
            f.as_array().unwrap().len(),
            f[0]["recipient"].as_str(),
            f[0]["later"].as_str()
        ),
        (1, Some("ODA-2"), Some("acknowledged")),
        "{f}"
    );
    assert_eq!(
        v["summary"]["counts"]["failed"],
        serde_json::Value::Null,
        "counted where it is now: {}",
        v["summary"]["counts"]
    );
    assert_eq!(v["summary"]["unbacked_states"], 0);
}

/// Another document's deliveries and events (after ours) stay out of our report, in every format.
#[test]
fn another_documents_events_stay_out_of_the_timelines() {
    let (env, doc) = setup();
    let other = issue(&env.registry(), "4517", &days_ago(3), None, None);
    mark_all_sent(&env.registry(), other);
    env.ok(&[
        "ack",
        &format!("#{other}"),
        "ODA-1",
        "--method",
        "kep",
        "--by",
        "Başka Belge",
    ]);
    let d = format!("#{doc}");
    for (format, want) in [
        ("text", "P-AYSE Ayşe YILMAZ [bilgi · ODA-1 · tebellüğ edildi]\n      "),
        ("json", "\"kind\":\"delivery.acknowledged\",\"detail\":{"),
        ("csv", " acknowledged method=phone by=Ayşe YILMAZ"),
    ] {
        let r = env.ok(&["audit", &d, "--format", format]);
        assert!(
            !r.contains("Başka Belge"),
            "{format}: another document's acknowledgement: {r}"
        );
        assert!(r.contains(want), "{format}: {r}");
        let failed = if format == "text" {
            "ulaştırılamadı"
        } else {
            "failed"
        };
        assert!(
            r.contains(failed) && r.contains("550 5.1.1 mailbox unavailable"),
            "{format}: {r}"
        );
    }
}

/// A document with thousands of recipients: failures, exemptions and cascade gaps in delivery order, every
/// recipient's timeline, in every format.
#[test]
fn a_large_document_reports_every_recipient() {
    let (env, doc) = setup();
    let mut reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    let extra = 9_000;
    reg.store
        .write(|tx| {
            let mut chain = tamim_store::events::Chain::load(tx)?;
            for i in 0..extra {
                let (code, name) = (format!("P-{i:05}"), format!("Personel {i}"));
                tx.raw_for_tests().execute(
                    "INSERT INTO deliveries (document_id, recipient_kind, recipient_code, name, role, path, state, channel, sent_at)
                     VALUES (?1, 'person', ?2, ?3, 'bilgi', 'test', 'sent', 'email', '2021-11-05T09:00:00Z')",
                    rusqlite::params![doc, code, name],
                ).unwrap();
                let id = tx.raw_for_tests().last_insert_rowid();
                chain.append(tx, "2021-11-05T09:00:00Z", Some(doc), Some(id), "delivery.sent", &serde_json::json!({"recipient": code, "channel": "email", "reply": "250 OK"}))?;
                if i % 7 == 3 {
                    tx.raw_for_tests().execute("UPDATE deliveries SET cascade_kind = 'duyurulacak' WHERE id = ?1", [id]).unwrap();
                }
                if i % 2000 == 1999 {
                    tx.raw_for_tests().execute("UPDATE deliveries SET state = 'failed', last_reply = ?2 WHERE id = ?1", rusqlite::params![id, format!("550 yok {i}")]).unwrap();
                    chain.append(tx, "2021-11-05T09:00:01Z", Some(doc), Some(id), "delivery.failed", &serde_json::json!({"recipient": code, "reply": format!("550 yok {i}")}))?;
                } else if i % 3000 == 1500 {
                    tx.raw_for_tests().execute("UPDATE deliveries SET state = 'exempt', state_reason = ?2 WHERE id = ?1", rusqlite::params![id, format!("izinli {i}")]).unwrap();
                    chain.append(tx, "2021-11-05T09:00:01Z", Some(doc), Some(id), "delivery.exempt", &serde_json::json!({"recipient": code, "reason": format!("izinli {i}")}))?;
                } else if i % 3 == 0 {
                    tx.raw_for_tests().execute("UPDATE deliveries SET state = 'acknowledged', acknowledged_at = '2021-11-06T10:00:00Z', ack_by = ?2, ack_method = 'link' WHERE id = ?1", rusqlite::params![id, name]).unwrap();
                    chain.append(tx, "2021-11-06T10:00:00Z", Some(doc), Some(id), "delivery.acknowledged", &serde_json::json!({"recipient": code, "method": "link", "by": name}))?;
                }
            }
            Ok::<_, tamim_app::Error>(())
        })
        .unwrap();
    let d = format!("#{doc}");
    let acked = (0..extra)
        .filter(|i| i % 3 == 0 && i % 2000 != 1999 && i % 3000 != 1500)
        .count();
    let r = env.ok(&["audit", &d]);
    assert!(
        r.contains(&format!(
            "Alıcı {} · tebellüğ eden {}",
            tamim_core::turkish::number::integer(extra + 6),
            tamim_core::turkish::number::integer(acked as i64 + 2)
        )),
        "{}",
        &r[..2000]
    );
    // Failures and exemptions in delivery order.
    assert!(
        r.contains("\nUlaştırılamayanlar (5)\n")
            && r.contains("P-01999 Personel 1999 (P-01999): 550 yok 1999\n  P-03999 "),
        "{}",
        &r[..6000]
    );
    assert!(
        r.contains("P-07999 Personel 7999 (P-07999): 550 yok 7999\n"),
        "{}",
        &r[..6000]
    );
    assert!(
        r.contains("\nMuaf tutulanlar (4)\n") && r.contains("P-07500 Personel 7500 (P-07500): izinli 7500\n"),
        "{}",
        &r[..6000]
    );
    let gaps = (0..extra).filter(|i| i % 7 == 3).count() + 1;
    assert!(
        r.contains(&format!(
            "ilgili yazısı bilinmeyen ({})\n",
            tamim_core::turkish::number::integer(gaps as i64)
        )),
        "{}",
        &r[..6000]
    );
    assert!(
        r.contains("Olay kaydının desteklemediği durumlar: 0\n"),
        "{}",
        &r[..3000]
    );
    assert!(
        r.ends_with(
            "  P-08999 Personel 8999 [bilgi ·  · gönderildi]\n      05.11.2021 12:00  gönderildi — kanal: e-posta, yanıt: 250 OK\n"
        ),
        "{}",
        &r[r.len() - 300..]
    );
    assert!(r.contains("  P-08997 Personel 8997 [bilgi ·  · tebellüğ edildi]\n      05.11.2021 12:00  gönderildi — kanal: e-posta, yanıt: 250 OK\n      06.11.2021 13:00  tebellüğ edildi — yöntem: bağlantı, eden: Personel 8997\n"));

    let v: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let t = v["timelines"].as_array().unwrap();
    assert_eq!(
        (t.len(), v["summary"]["total"].as_i64()),
        (extra as usize + 6, Some(extra + 6))
    );
    let last = &t[t.len() - 1];
    assert_eq!(
        (
            last["recipient_code"].as_str(),
            last["events"][0]["detail"]["reply"].as_str()
        ),
        (Some("P-08999"), Some("250 OK"))
    );
    let acks = t
        .iter()
        .filter(|x| x["recipient_code"].as_str().is_some_and(|c| c.starts_with("P-0")))
        .flat_map(|x| x["events"].as_array().unwrap())
        .filter(|e| e["kind"] == "delivery.acknowledged")
        .count();
    assert_eq!(acks, acked);

    let csv = env.ok(&["audit", &d, "--format", "csv"]);
    assert_eq!(csv.lines().count(), extra as usize + 7);
    assert!(csv.contains("P-04503,Personel 4503,person,,bilgi,test,acknowledged,email,2021-11-05T09:00:00Z,,,2021-11-06T10:00:00Z,Personel 4503,link,2021-11-05T09:00:00Z sent channel=email reply=250 OK; 2021-11-06T10:00:00Z acknowledged method=link by=Personel 4503"));
}

/// An event edited in the table (bytes that are not UTF-8, a detail that is not JSON) breaks the log, and
/// the report still shows it.
#[test]
fn an_edited_event_still_shows() {
    let (env, doc) = setup();
    let db = env.db();
    let seq = |code: &str| -> i64 {
        db.query_row(
            "SELECT max(e.seq) FROM events e JOIN deliveries d ON d.id = e.delivery_id WHERE d.document_id = ?1 AND d.recipient_code = ?2",
            rusqlite::params![doc, code],
            |r| r.get(0),
        )
        .unwrap()
    };
    db.execute(
        "UPDATE events SET detail = CAST(X'7B226279223A22FF4669227D' AS TEXT) WHERE seq = ?1",
        [seq("P-AYSE")],
    )
    .unwrap();
    db.execute("UPDATE events SET detail = 'not json' WHERE seq = ?1", [seq("ODA-1")])
        .unwrap();
    let d = format!("#{doc}");
    let text = env.ok(&["audit", &d]);
    assert!(text.contains("tebellüğ edildi — eden: \u{FFFD}Fi\n"), "{text}");
    assert!(text.contains("BOZUK"), "{text}");
    let json = env.ok(&["audit", &d, "--format", "json"]);
    assert!(
        json.contains("\"detail\":\"not json\"") && json.contains("\"by\":\"\u{FFFD}Fi\""),
        "{json}"
    );
    let csv = env.ok(&["audit", &d, "--format", "csv"]);
    assert!(csv.contains(" acknowledged by=\u{FFFD}Fi"), "{csv}");
}

/// The office's clock (office.toml `time_zone`) sets the times the text report shows; a name that is not
/// a time zone is refused naming the key.
#[test]
fn the_reports_times_are_on_the_offices_clock() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    let at = json["timelines"][0]["events"][0]["at"].as_str().unwrap().to_string();
    let utc = chrono::DateTime::parse_from_rfc3339(&at).unwrap();
    let shown = |zone: chrono_tz::Tz| utc.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string();
    let cfg = env.registry().join("office.toml");
    let original = std::fs::read_to_string(&cfg).unwrap();
    // Europe/Istanbul by default.
    assert!(env.ok(&["audit", &d]).contains(&shown(chrono_tz::Europe::Istanbul)));
    let with_zone = |z: &str| original.replacen("[office]\n", &format!("[office]\ntime_zone = \"{z}\"\n"), 1);
    std::fs::write(&cfg, with_zone("America/New_York")).unwrap();
    let text = env.ok(&["audit", &d]);
    assert!(text.contains(&shown(chrono_tz::America::New_York)), "{text}");
    std::fs::write(&cfg, with_zone("Mars/Olympus")).unwrap();
    let err = env.fails(&["audit", &d]);
    assert!(
        err.contains("[office] time_zone: \"Mars/Olympus\" is not a time zone name"),
        "{err}"
    );
}

/// What a user reads, held in snapshots: the text audit and the JSON audit of the setup's document, with
/// what changes from run to run (times, dates, hashes, ids) replaced by placeholders.
#[test]
fn the_text_and_json_audits_read_as_they_did() {
    let (env, doc) = setup();
    let d = format!("#{doc}");
    let redact = |s: &str| {
        let rules = [
            (r"[0-9a-f]{64}", "[hash]"),
            (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[time]"),
            (r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", "[shown time]"),
            (
                r"\d{1,2} (Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık) \d{4} \d{2}:\d{2}",
                "[time]",
            ),
            (
                r"\d{1,2} (Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık) \d{4}",
                "[date]",
            ),
            (r"\d{4}-\d{2}-\d{2}", "[date]"),
        ];
        let mut s = s.to_string();
        for (re, with) in rules {
            s = regex_lite::Regex::new(re).unwrap().replace_all(&s, with).into_owned();
        }
        s
    };
    insta::assert_snapshot!("text_audit", redact(&env.ok(&["audit", &d])));
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["audit", &d, "--format", "json"])).unwrap();
    insta::assert_snapshot!("json_audit", redact(&serde_json::to_string_pretty(&json).unwrap()));
}

/// A timeline line of one event, as CSV shows it.
fn line(kind: &str, detail: &str) -> String {
    tamim_app::audit::timeline::Line::of(kind, detail).to_string()
}

/// The same line as the Turkish reports (text, PDF) show it.
#[test]
fn a_line_reads_in_turkish_in_the_text_and_pdf_reports() {
    let tr = |kind: &str, detail: &str| tamim_app::audit::timeline::Line::of(kind, detail).turkish().to_string();
    assert_eq!(
        tr("delivery.sent", r#"{"channel":"email","reply":"250 2.0.0 Ok"}"#),
        "gönderildi — kanal: e-posta, yanıt: 250 2.0.0 Ok"
    );
    assert_eq!(
        tr("delivery.reminded", r#"{"reminder":2,"to":"ODA-1"}"#),
        "hatırlatıldı (2. hatırlatma) — kime: ODA-1"
    );
    assert_eq!(
        tr("delivery.acknowledged", r#"{"method":"paper","by":"Ali VELİ"}"#),
        "tebellüğ edildi — yöntem: kâğıt, eden: Ali VELİ"
    );
    assert_eq!(tr("delivery.no-address", "{}"), "adres yok");
    assert_eq!(tr("delivery.sent", "not json"), "gönderildi");
}

#[test]
fn a_line_shows_the_string_values_it_knows_and_a_reminders_number() {
    assert_eq!(
        line(
            "delivery.sent",
            r#"{"recipient":"P1","channel":"email","reply":"250 2.0.0 Ok"}"#
        ),
        "sent channel=email reply=250 2.0.0 Ok"
    );
    assert_eq!(
        line("delivery.reminded", r#"{"reminder":2,"to":"ODA-1","by":"x"}"#),
        "reminded by=x to=ODA-1 #2"
    );
    assert_eq!(
        line("delivery.acknowledged", r#"{"by":"Ali \"V\"","method":"link"}"#),
        "acknowledged method=link by=Ali \"V\""
    );
    // Other types count as absent; the last of repeated keys wins; anything not an object shows nothing.
    assert_eq!(
        line(
            "delivery.acknowledged",
            r#"{"by":7,"method":"kep","reason":false,"to":{"a":1}}"#
        ),
        "acknowledged method=kep"
    );
    assert_eq!(
        line("delivery.acknowledged", r#"{"by":"a","by":"b","reminder":"3"}"#),
        "acknowledged by=b"
    );
    assert_eq!(line("delivery.reminded", r#"{"reminder":1.5}"#), "reminded");
    assert_eq!(line("custom.kind", "not json"), "custom.kind");
    assert_eq!(line("delivery.sent", "[1]"), "sent");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_get_a_quote() {
    for (cell, want) in [
        (
            "=HYPERLINK(\"http://evil\",\"x\")",
            "'=HYPERLINK(\"http://evil\",\"x\")",
        ),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ali = Veli", "Ali = Veli"),
        ("", ""),
        ("İstanbul", "İstanbul"),
    ] {
        assert_eq!(tamim_app::audit::csv_cell(cell), want, "{cell:?}");
    }
    assert!(matches!(
        tamim_app::audit::csv_cell("Ali"),
        std::borrow::Cow::Borrowed(_)
    ));
    let mut w = csv::Writer::from_writer(Vec::new());
    tamim_app::audit::csv_record(&mut w, ["=1+1", "a,b", "x"]).unwrap();
    tamim_app::audit::csv_record(&mut w, [String::from("@x"), String::new(), "-".into()]).unwrap();
    assert_eq!(
        String::from_utf8(w.into_inner().unwrap()).unwrap(),
        "'=1+1,\"a,b\",x\n'@x,,'-\n"
    );
}

/// Issue #20: in the audit PDF, a recipient with a long name ran over the next cell and the next row. Every
/// word pdftotext finds on a page must sit apart from every other word (no two boxes overlap).
#[test]
fn no_text_of_the_audit_pdf_overlaps_other_text() {
    let env = Env::new();
    seed(&env);
    let long = format!(
        "İstanbul {} Esnaf ve Sanatkarları Odası",
        "Çok Uzun Adlı Meslek Dalları ".repeat(6).trim_end()
    );
    env.ok(&[
        "org",
        "add",
        "ODA-UZUN",
        "--name",
        &long,
        "--kind",
        "oda",
        "--email",
        "uzun@example.org",
    ]);
    env.ok(&["list", "add", "odalar", "ODA-UZUN"]);
    let doc = issue(&env.registry(), "4516", &days_ago(30), None, None);
    mark_all_sent(&env.registry(), doc);
    let pdf = env.path("audit.pdf");
    env.ok(&[
        "audit",
        &format!("#{doc}"),
        "--format",
        "pdf",
        "--file",
        pdf.to_str().unwrap(),
    ]);
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |w: &str, k: &str| -> f64 {
        let at = w.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        w[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = 0;
    for page in html.split("<page ").skip(1) {
        pages += 1;
        let boxes: Vec<(f64, f64, f64, f64, &str)> = page
            .split("<word ")
            .skip(1)
            .map(|w| {
                let text = w.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
                (attr(w, "xMin"), attr(w, "yMin"), attr(w, "xMax"), attr(w, "yMax"), text)
            })
            .collect();
        assert!(boxes.len() > 10, "page {pages}: {} words read", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                // Overlapping by more than a hair (0.5 pt) both across and down.
                let dx = a.2.min(b.2) - a.0.max(b.0);
                let dy = a.3.min(b.3) - a.1.max(b.1);
                assert!(dx <= 0.5 || dy <= 0.5, "page {pages}: {:?} overlaps {:?}", a.4, b.4);
            }
        }
    }
    assert!(pages >= 2, "{pages} pages");
    assert!(html.contains("Uzun"), "the long name is in the report");
}
