//! Acknowledgement through the real binary: clerk entry, sign-off sheet import, receipt, exemption,
//! status, and every bad input issue #5 names (clear message, exit 1, nothing recorded).

mod ack_common;

use ack_common::*;

fn setup(days: i64) -> (Env, i64) {
    let env = Env::new();
    seed(&env);
    let doc = issue(&env.registry(), "4516", &days_ago(days), None, None);
    mark_all_sent(&env.registry(), doc);
    (env, doc)
}

#[test]
fn clerk_records_paper_acknowledgement_once() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    let before = events_count(&env);
    let out = env.ok(&["ack", &d, "ODA-2", "--method", "paper", "--by", "Mehmet KAYA", "--kayit-no", "1207"]);
    assert!(out.contains("ODA-2: acknowledged (paper)"), "{out}");
    assert_eq!(state_of(&env, doc, "ODA-2"), "acknowledged");
    let (by, method, kayit): (String, String, String) = env
        .db()
        .query_row("SELECT ack_by, ack_method, recipient_kayit_no FROM deliveries WHERE recipient_code = 'ODA-2'", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!((by.as_str(), method.as_str(), kayit.as_str()), ("Mehmet KAYA", "paper", "1207"));
    assert_eq!(events_count(&env), before + 1);
    let detail: String = env.db().query_row("SELECT detail FROM events WHERE kind = 'delivery.acknowledged'", [], |r| r.get(0)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(v["method"], "paper");
    assert_eq!(v["by"], "Mehmet KAYA");
    assert_eq!(v["from"], "sent");

    // By sayı too; a second acknowledgement is refused and records nothing.
    let err = env.fails(&["ack", "4516", "ODA-2", "--method", "phone", "--by", "Başkası"]);
    assert!(err.contains("ODA-2: already acknowledged at"), "{err}");
    assert!(err.contains("cannot be withdrawn or replaced"), "{err}");
    assert_eq!(events_count(&env), before + 1);
    let by: String = env.db().query_row("SELECT ack_by FROM deliveries WHERE recipient_code = 'ODA-2'", [], |r| r.get(0)).unwrap();
    assert_eq!(by, "Mehmet KAYA");

    // A recipient without e-mail acknowledges on paper.
    env.ok(&["ack", &d, "ODA-4", "--method", "paper", "--by", "Işık ÖZ", "--at", &format!("{} 10:30", days_ago(1))]);
    assert_eq!(state_of(&env, doc, "ODA-4"), "acknowledged");
}

#[test]
fn bad_clerk_inputs_record_nothing() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    let before = events_count(&env);
    let err = env.fails(&["ack", &d, "P-OMER", "--method", "paper"]);
    assert!(err.contains("P-OMER: document #") && err.contains("was never sent to this recipient"), "{err}");
    let err = env.fails(&["ack", &d, "NOPE", "--method", "paper"]);
    assert!(err.contains("never sent to this recipient"), "{err}");
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--at", "2099-01-01 10:00"]);
    assert!(err.contains("--at: \"2099-01-01 10:00\" is in the future"), "{err}");
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--at", "2001-01-01"]);
    assert!(err.contains("is before the document's date"), "{err}");
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--at", "dün"]);
    assert!(err.contains("--at: \"dün\" is not a time"), "{err}");
    let long = "A".repeat(121);
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--by", &long]);
    assert!(err.contains("--by: is 121 characters long; at most 120 are allowed"), "{err}");
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--kayit-no", &"9".repeat(41)]);
    assert!(err.contains("--kayit-no: is 41 characters long"), "{err}");
    let out = env.run(&["ack", &d, "ODA-1", "--method", "pigeon"]);
    assert_eq!(out.status.code(), Some(2), "clap rejects an unknown method");
    assert!(stderr(&out).contains("\"pigeon\" is not a method"), "{}", stderr(&out));
    assert_eq!(events_count(&env), before);
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'acknowledged'"), 0);
}

#[test]
fn states_only_move_forward() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    env.ok(&["ack", "received", &d, "ODA-1", "--kayit-no", "4959", "--date", "03.11.2021"]);
    assert_eq!(state_of(&env, doc, "ODA-1"), "received");
    let (k, kd): (String, String) = env.db().query_row("SELECT recipient_kayit_no, recipient_kayit_date FROM deliveries WHERE recipient_code = 'ODA-1'", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((k.as_str(), kd.as_str()), ("4959", "2021-11-03"));
    let err = env.fails(&["ack", "received", &d, "ODA-1"]);
    assert!(err.contains("ODA-1: the delivery is received; it cannot move back to received"), "{err}");
    env.ok(&["ack", &d, "ODA-1", "--method", "kep", "--evidence", "KEP-123"]);
    let before = events_count(&env);
    let err = env.fails(&["ack", "exempt", &d, "ODA-1", "--reason", "izinli"]);
    assert!(err.contains("ODA-1: already acknowledged at") && err.contains("kep"), "{err}");
    let err = env.fails(&["ack", "received", &d, "ODA-1"]);
    assert!(err.contains("already acknowledged"), "{err}");
    assert_eq!(events_count(&env), before);

    let err = env.fails(&["ack", "exempt", &d, "ODA-3", "--reason", "  "]);
    assert!(err.contains("reason: is empty"), "{err}");
    env.ok(&["ack", "exempt", &d, "ODA-3", "--reason", "Oda kapatıldı"]);
    assert_eq!(state_of(&env, doc, "ODA-3"), "exempt");
    let reason: String = env.db().query_row("SELECT state_reason FROM deliveries WHERE recipient_code = 'ODA-3'", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "Oda kapatıldı");
}

#[test]
fn import_sheet_all_or_nothing_and_partial() {
    let (env, doc) = setup(3);
    let day = days_ago(1);
    let csv = env.path("imza.csv");
    std::fs::write(
        &csv,
        format!(
            "document,recipient,name,at,method,kayit_no\n#{doc},ODA-1,Ali VELİ,{day} 09:00,,12\n#{doc},P-OMER,Ömer DEMİR,{day},,\n#{doc},ODA-2,Ayla SU,2099-01-01,,\n#{doc},ODA-3,Can ER,{day},phone,\n"
        ),
    )
    .unwrap();
    let before = events_count(&env);
    let err = env.fails(&["ack", "import", csv.to_str().unwrap()]);
    assert!(err.contains("2 bad line(s), nothing imported"), "{err}");
    assert!(err.contains("line 3: P-OMER: document #") && err.contains("never sent"), "{err}");
    assert!(err.contains("line 4: at: \"2099-01-01\" is in the future"), "{err}");
    assert_eq!(events_count(&env), before);
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'acknowledged'"), 0);

    let r = env.json(&["ack", "import", csv.to_str().unwrap(), "--partial"]);
    assert_eq!(r["imported"], 2);
    assert_eq!(r["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(state_of(&env, doc, "ODA-1"), "acknowledged");
    assert_eq!(state_of(&env, doc, "ODA-3"), "acknowledged");
    let m: String = env.db().query_row("SELECT ack_method FROM deliveries WHERE recipient_code = 'ODA-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(m, "paper");

    // Importing the same sheet again: the acknowledged lines are now bad lines (no second acknowledgement).
    let err = env.fails(&["ack", "import", csv.to_str().unwrap()]);
    assert!(err.contains("line 2: ODA-1: already acknowledged"), "{err}");

    let bad = env.path("bad.csv");
    std::fs::write(&bad, "doc,who\n1,2\n").unwrap();
    let err = env.fails(&["ack", "import", bad.to_str().unwrap()]);
    assert!(err.contains("wrong header"), "{err}");
    std::fs::write(&bad, format!("document,recipient,name,at,method,kayit_no\n#{doc},ODA-2\n#{doc},ODA-2,,{day},,\n")).unwrap();
    let err = env.fails(&["ack", "import", bad.to_str().unwrap()]);
    assert!(err.contains("line 2: has 2 fields; expected 6"), "{err}");
    assert!(err.contains("line 3: name: is empty"), "{err}");
}

#[test]
fn status_counts_roles_and_late_ones() {
    let (env, doc) = setup(40);
    let d = format!("#{doc}");
    env.ok(&["ack", &d, "ODA-1", "--method", "paper", "--by", "Ali"]);
    let s = env.json(&["status", &d]);
    assert_eq!(s["counts"]["acknowledged"], 1);
    assert_eq!(s["counts"]["sent"], 4);
    assert_eq!(s["counts"]["no-address"], 1);
    assert_eq!(s["total"], 6);
    assert_eq!(s["by_role"]["bilgi"]["sent"], 1);
    assert_eq!(s["acknowledged_percent"], 16.7);
    assert_eq!(s["deadline_source"], "ack.deadline_days");
    let late: Vec<&str> = s["late"].as_array().unwrap().iter().map(|l| l["recipient"].as_str().unwrap()).collect();
    // In the order the dağıtım was frozen: Turkish alphabetical by name.
    assert_eq!(late, ["P-AYSE", "ODA-2", "ODA-4", "ODA-3", "KAY-SILE"]);
    let text = env.ok(&["status", &d]);
    assert!(text.contains("16.7% acknowledged"), "{text}");
    assert!(text.contains("Late (5):"), "{text}");

    // A GÜNLÜDÜR document's own deadline decides; not yet past: no one is late.
    let gun = issue(&env.registry(), "4517", &days_ago(40), Some(("GÜNLÜDÜR", &days_ago(-2))), None);
    let s = env.json(&["status", &format!("#{gun}")]);
    assert_eq!(s["deadline_source"], "GÜNLÜDÜR");
    assert_eq!(s["late"].as_array().unwrap().len(), 0);

    let err = env.fails(&["status", "#999"]);
    assert!(err.contains("document \"#999\" does not exist"), "{err}");
}
