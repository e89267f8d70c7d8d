//! `tamim remind`: who is due, where the reminder goes (escalation after `ack.escalate_after`, or at once
//! when there is no working address), the recorded events and counters, and the messages for the outbox.

use crate::ack_common;

use ack_common::*;
use serde_json::Value;

fn by_recipient(r: &Value) -> std::collections::BTreeMap<String, Value> {
    r["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["recipient"].as_str().unwrap().to_string(), m.clone()))
        .collect()
}

#[test]
fn reminders_escalate_to_the_parent_after_the_configured_number() {
    let env = Env::new();
    seed(&env);
    let doc = issue(&env.registry(), "4516", &days_ago(40), None, None);
    mark_all_sent(&env.registry(), doc);
    let d = format!("#{doc}");
    env.ok(&["ack", &d, "ODA-1", "--method", "paper", "--by", "Ali"]);

    // Just sent: by default only the one without an address is due (last contact: the document's date),
    // and it goes straight to the issuing office's own staff, as an internal notice naming it (issue #18).
    let r = env.json(&["remind", &d]);
    let m = by_recipient(&r);
    assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["ODA-4"]);
    assert_eq!(
        (
            m["ODA-4"]["to"].as_str(),
            m["ODA-4"]["address"].as_str(),
            m["ODA-4"]["addressed_to"].as_str(),
            m["ODA-4"]["staff_because"].as_str()
        ),
        (
            Some("OFIS"),
            Some("bilgi@example.org"),
            Some("staff"),
            Some("no_address")
        )
    );
    assert_eq!(m["ODA-4"]["escalated"], true);
    assert_eq!(r["not_due"], 4);
    assert_eq!(r["after_days"], 5, "15 days split into escalate_after + 1 = 3 rounds");
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'delivery.reminded'"),
        1
    );

    let r = env.json(&["remind", &d, "--after", "0"]);
    let m = by_recipient(&r);
    assert_eq!(
        m.keys().cloned().collect::<Vec<_>>(),
        ["KAY-SILE", "ODA-2", "ODA-3", "ODA-4", "P-AYSE"]
    );
    assert_eq!(m["ODA-2"]["to"], "ODA-2");
    assert_eq!(m["ODA-2"]["address"], "oda2@example.org");
    assert_eq!(m["ODA-2"]["escalated"], false);
    assert_eq!(m["ODA-2"]["reminder"], 1);
    // No e-mail: to the issuing office's staff.
    assert_eq!(m["ODA-4"]["to"], "OFIS");
    assert_eq!(m["ODA-4"]["addressed_to"], "staff");
    let tok = token(&env.registry(), doc, "ODA-2");
    assert_eq!(m["ODA-2"]["token"], tok.as_str());
    assert_eq!(m["ODA-2"]["link"], format!("http://127.0.0.1:8080/ack/{tok}").as_str());
    assert_eq!(m["ODA-4"]["reminder"], 2);
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'delivery.reminded'"),
        6
    );
    assert_eq!(
        env.count("SELECT reminders FROM deliveries WHERE recipient_code = 'ODA-2'"),
        1
    );
    assert_eq!(
        env.count("SELECT reminders FROM deliveries WHERE recipient_code = 'ODA-1'"),
        0,
        "acknowledged: not reminded"
    );

    let r = env.json(&["remind", &d, "--after", "0"]);
    assert_eq!(by_recipient(&r)["ODA-2"]["escalated"], false);
    // Third time (after 2 reminders): to the parent org; a person's reminder goes to their org.
    let r = env.json(&["remind", &d, "--after", "0"]);
    let m = by_recipient(&r);
    assert_eq!(
        (
            m["ODA-2"]["to"].as_str(),
            m["ODA-2"]["address"].as_str(),
            m["ODA-2"]["escalated"].as_bool()
        ),
        (Some("BIRLIK"), Some("birlik@example.org"), Some(true))
    );
    assert_eq!(m["ODA-2"]["addressed_to"], "parent");
    assert_eq!(m["KAY-SILE"]["to"], "IST");
    assert_eq!(m["P-AYSE"]["to"], "ODA-1");
    assert_eq!(m["P-AYSE"]["reminder"], 3);
    let detail: String = env
        .db()
        .query_row("SELECT detail FROM events WHERE kind = 'delivery.reminded' AND detail LIKE '%\"P-AYSE\"%' ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let v: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(
        (v["to"].as_str(), v["escalated"].as_bool(), v["reminder"].as_i64()),
        (Some("ODA-1"), Some(true), Some(3))
    );

    let text = env.ok(&["remind", &d, "--after", "0"]);
    assert!(text.contains("5 reminder(s) recorded"), "{text}");
    assert!(text.contains("BIRLIK (escalated)"), "{text}");
    let v = env.json(&["log", "verify"]);
    assert_eq!(v["ok"], true);
}

#[test]
fn a_gunludur_deadline_brings_reminders_closer() {
    let env = Env::new();
    seed(&env);
    // Issued 4 days ago with 3 days to answer: 7 days / 3 rounds = every 2 days.
    let doc = issue(
        &env.registry(),
        "4520",
        &days_ago(4),
        Some(("GÜNLÜDÜR", &days_ago(-3))),
        None,
    );
    let r = env.json(&["remind", &format!("#{doc}")]);
    assert_eq!(r["after_days"], 2);
    assert_eq!(r["deadline"], days_ago(-3).as_str());
    // Not sent yet (queued): not a reminder's business; the no-address one is due and escalated.
    let m = by_recipient(&r);
    assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["ODA-4"]);
}

/// An office at the top of the tree (no parent) is reminded itself until escalation is due; then its
/// reminder is an internal notice to the issuing office's staff, as is the one of an office with neither an
/// address nor a parent: no one is dropped as unreachable while the office has an address (issue #18).
#[test]
fn with_no_parent_to_escalate_to_the_issuers_staff_is_told() {
    let env = Env::new();
    seed(&env);
    env.ok(&[
        "org",
        "add",
        "TEPE",
        "--name",
        "Tepe Kurumu",
        "--kind",
        "birlik",
        "--email",
        "tepe@example.org",
    ]);
    env.ok(&["org", "add", "YALNIZ", "--name", "Yalnız Kurum", "--kind", "birlik"]);
    env.ok(&["list", "add", "odalar", "TEPE", "YALNIZ"]);
    let doc = issue(&env.registry(), "4517", &days_ago(40), None, None);
    mark_all_sent(&env.registry(), doc);
    let d = format!("#{doc}");
    for round in 1..=3 {
        let r = env.json(&["remind", &d, "--after", "0"]);
        let m = by_recipient(&r);
        let tepe = (
            m["TEPE"]["to"].as_str(),
            m["TEPE"]["addressed_to"].as_str(),
            m["TEPE"]["staff_because"].as_str(),
        );
        if round < 3 {
            assert_eq!(tepe, (Some("TEPE"), Some("recipient"), None), "round {round}");
        } else {
            assert_eq!(tepe, (Some("OFIS"), Some("staff"), Some("no_parent")), "round {round}");
        }
        assert_eq!(m["TEPE"]["reminder"], round);
        assert_eq!(
            (m["YALNIZ"]["to"].as_str(), m["YALNIZ"]["staff_because"].as_str()),
            (Some("OFIS"), Some("no_address")),
            "round {round}"
        );
        assert_eq!(r["unreachable"].as_array().map(Vec::len), Some(0), "round {round}");
    }
}

/// A message of the file outbox as a reader sees it (Python's e-mail parser, an independent reader): its
/// Subject and To lines, then its plain-text part.
pub fn read_mail(path: &std::path::Path) -> String {
    let script = "import email,sys\nfrom email import policy\nm=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=policy.default)\nprint('Subject:',m['Subject'])\nprint('To:',m['To'])\nprint(m.get_body(('plain',)).get_content())";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The wording matches who a reminder is addressed to: a recipient is told the document was sent to it; a
/// parent office, that its chamber has not acknowledged; the issuing office's staff — for a chamber whose
/// parent is the issuing office itself and whose message bounced — an internal notice that names it
/// (issue #18: these went to the issuing office saying "tarafınıza … gönderilmiştir").
#[test]
fn each_reminder_is_worded_for_its_addressee() {
    let env = Env::new();
    seed(&env);
    // The issuing office is also an org of its own registry, the parent of a chamber.
    env.ok(&["org", "add", "OFIS", "--name", "Örnek Odası", "--kind", "birlik"]);
    env.ok(&[
        "org",
        "add",
        "ODA-9",
        "--name",
        "İstanbul Kuyumcular Odası",
        "--kind",
        "oda",
        "--parent",
        "OFIS",
        "--email",
        "oda9@example.org",
    ]);
    env.ok(&["list", "add", "odalar", "ODA-9"]);
    let doc = issue(&env.registry(), "4518", &days_ago(40), None, None);
    mark_all_sent(&env.registry(), doc);
    // ODA-9's message bounced.
    let mut reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    reg.store
        .write(|tx| {
            let d = tamim_store::deliveries::for_document(tx, doc)?
                .into_iter()
                .find(|d| d.recipient_code == "ODA-9")
                .expect("ODA-9's delivery");
            tamim_app::ack::mark_failed(tx, &d, "550 5.1.1 Recipient address rejected")?;
            Ok::<_, tamim_app::Error>(())
        })
        .unwrap();
    let d = format!("#{doc}");
    let r = env.json(&["remind", &d, "--after", "0"]);
    let m = by_recipient(&r);
    assert_eq!(
        (m["ODA-9"]["to"].as_str(), m["ODA-9"]["staff_because"].as_str()),
        (Some("OFIS"), Some("parent_is_issuer"))
    );
    for _ in 0..2 {
        env.ok(&["remind", &d, "--after", "0"]);
    }
    let mail = |code: &str, n: i64| -> String {
        let dir = env.output().join("outbox");
        let f = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains(&format!("recipient-{code}-r{n}@")))
            .unwrap_or_else(|| panic!("no reminder {n} for {code} in {}", dir.display()));
        read_mail(&f)
    };
    // To the recipient itself.
    let own = mail("ODA-3", 1);
    assert!(own.contains("Sayın İstanbul Şoförler Odası,"), "{own}");
    assert!(own.contains("yazısı tarafınıza Gereği için gönderilmiştir"), "{own}");
    // To the parent office, naming its chamber.
    let parent = mail("ODA-3", 3);
    assert!(parent.contains("<birlik@example.org>"), "{parent}");
    assert!(
        parent.contains(
            "Gereği için gönderildiği bağlı kuruluşunuz İstanbul Şoförler Odası tarafından henüz tebellüğ edilmemiştir"
        ),
        "{parent}"
    );
    assert!(!parent.contains("tarafınıza"), "{parent}");
    // To the issuing office's staff: it bounced and its parent is this office.
    let staff = mail("ODA-9", 1);
    assert!(
        staff.contains("Subject: İç bilgi: İstanbul Kuyumcular Odası tebellüğ etmedi"),
        "{staff}"
    );
    assert!(staff.contains("To: Örnek Odası <bilgi@example.org>"), "{staff}");
    assert!(staff.contains("İÇ BİLGİ NOTU — Örnek Odası personeline"), "{staff}");
    assert!(
        staff.contains("gönderildiği İstanbul Kuyumcular Odası (ODA-9) tarafından henüz tebellüğ edilmemiştir"),
        "{staff}"
    );
    assert!(
        staff.contains("Yazının gönderildiği e-posta adresi iletiyi geri çevirmiştir."),
        "{staff}"
    );
    assert!(staff.contains("Bağlı olduğu üst kurum kurumumuzun kendisi"), "{staff}");
    assert!(!staff.contains("tarafınıza") && !staff.contains("Sayın"), "{staff}");
}

/// The demo's chamber without an address (ODA-15) and its bounced one (ODA-05), whose parent is İESOB, the
/// issuing office: notices to İESOB's staff naming them, not reminders telling İESOB it was sent the tamim.
#[test]
fn the_demos_late_chambers_are_named_to_the_issuers_staff() {
    let env = Env::bare();
    env.ok(&["demo"]);
    let dir = env.output().join("outbox");
    for (code, name) in [
        ("ODA-15", "İstanbul Halıcılar Odası"),
        ("ODA-05", "İstanbul Lokantacılar ve Aşçılar Odası"),
    ] {
        let f = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains(&format!("recipient-{code}-r1@")))
            .unwrap_or_else(|| panic!("no reminder for {code}"));
        let text = read_mail(&f);
        assert!(text.contains("İÇ BİLGİ NOTU"), "{text}");
        assert!(
            text.contains(&format!("{name} ({code}) tarafından henüz tebellüğ edilmemiştir")),
            "{text}"
        );
        assert!(!text.contains("tarafınıza"), "{text}");
    }
}
