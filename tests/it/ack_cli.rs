//! Acknowledgement through the real binary: clerk entry, sign-off sheet import, receipt, exemption,
//! status, and every bad input issue #5 names (clear message, exit 1, nothing recorded).

use crate::ack_common;

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
    let out = env.ok(&[
        "ack",
        &d,
        "ODA-2",
        "--method",
        "paper",
        "--by",
        "Mehmet KAYA",
        "--kayit-no",
        "1207",
    ]);
    assert!(out.contains("ODA-2: acknowledged (paper)"), "{out}");
    assert_eq!(state_of(&env, doc, "ODA-2"), "acknowledged");
    let (by, method, kayit): (String, String, String) = env
        .db()
        .query_row(
            "SELECT ack_by, ack_method, recipient_kayit_no FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (by.as_str(), method.as_str(), kayit.as_str()),
        ("Mehmet KAYA", "paper", "1207")
    );
    assert_eq!(events_count(&env), before + 1);
    let detail: String = env
        .db()
        .query_row(
            "SELECT detail FROM events WHERE kind = 'delivery.acknowledged'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(v["method"], "paper");
    assert_eq!(v["by"], "Mehmet KAYA");
    assert_eq!(v["from"], "sent");

    // By sayı too; a second acknowledgement is refused and records nothing.
    let err = env.fails(&["ack", "4516", "ODA-2", "--method", "phone", "--by", "Başkası"]);
    assert!(err.contains("ODA-2: already acknowledged at"), "{err}");
    assert!(err.contains("cannot be withdrawn or replaced"), "{err}");
    assert_eq!(events_count(&env), before + 1);
    let by: String = env
        .db()
        .query_row(
            "SELECT ack_by FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, "Mehmet KAYA");

    // A recipient without e-mail acknowledges on paper.
    env.ok(&[
        "ack",
        &d,
        "ODA-4",
        "--method",
        "paper",
        "--by",
        "Işık ÖZ",
        "--at",
        &format!("{} 10:30", days_ago(1)),
    ]);
    assert_eq!(state_of(&env, doc, "ODA-4"), "acknowledged");
}

#[test]
fn bad_clerk_inputs_record_nothing() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    let before = events_count(&env);
    let err = env.fails(&["ack", &d, "P-OMER", "--method", "paper"]);
    assert!(
        err.contains("P-OMER: document #") && err.contains("was never sent to this recipient"),
        "{err}"
    );
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
    assert!(
        err.contains("--by: is 121 characters long; at most 120 are allowed"),
        "{err}"
    );
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--kayit-no", &"9".repeat(41)]);
    assert!(err.contains("--kayit-no: is 41 characters long"), "{err}");
    let out = env.run(&["ack", &d, "ODA-1", "--method", "pigeon"]);
    assert_eq!(out.status.code(), Some(2), "clap rejects an unknown method");
    assert!(stderr(&out).contains("\"pigeon\" is not a method"), "{}", stderr(&out));
    assert_eq!(events_count(&env), before);
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE state = 'acknowledged'"),
        0
    );
}

#[test]
fn states_only_move_forward() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    env.ok(&[
        "ack",
        "received",
        &d,
        "ODA-1",
        "--kayit-no",
        "4959",
        "--date",
        &dotted_days_ago(1),
    ]);
    assert_eq!(state_of(&env, doc, "ODA-1"), "received");
    let (k, kd): (String, String) = env
        .db()
        .query_row(
            "SELECT recipient_kayit_no, recipient_kayit_date FROM deliveries WHERE recipient_code = 'ODA-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((k.as_str(), kd.as_str()), ("4959", days_ago(1).as_str()));
    let err = env.fails(&["ack", "received", &d, "ODA-1"]);
    assert!(
        err.contains("ODA-1: the delivery is received; it cannot move back to received"),
        "{err}"
    );
    env.ok(&["ack", &d, "ODA-1", "--method", "kep", "--evidence", "KEP-123"]);
    let before = events_count(&env);
    let err = env.fails(&["ack", "exempt", &d, "ODA-1", "--reason", "izinli"]);
    assert!(
        err.contains("ODA-1: already acknowledged at") && err.contains("kep"),
        "{err}"
    );
    let err = env.fails(&["ack", "received", &d, "ODA-1"]);
    assert!(err.contains("already acknowledged"), "{err}");
    assert_eq!(events_count(&env), before);

    let err = env.fails(&["ack", "exempt", &d, "ODA-3", "--reason", "  "]);
    assert!(err.contains("reason: is empty"), "{err}");
    env.ok(&["ack", "exempt", &d, "ODA-3", "--reason", "Oda kapatıldı"]);
    assert_eq!(state_of(&env, doc, "ODA-3"), "exempt");
    let reason: String = env
        .db()
        .query_row(
            "SELECT state_reason FROM deliveries WHERE recipient_code = 'ODA-3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "Oda kapatıldı");
}

#[test]
fn import_sheet_all_or_nothing_and_partial() {
    let (env, doc) = setup(3);
    sent_days_ago(&env, doc, 3);
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
    assert!(
        err.contains("line 3: P-OMER: document #") && err.contains("never sent"),
        "{err}"
    );
    assert!(err.contains("line 4: at: \"2099-01-01\" is in the future"), "{err}");
    assert_eq!(events_count(&env), before);
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE state = 'acknowledged'"),
        0
    );

    let r = env.json(&["ack", "import", csv.to_str().unwrap(), "--partial"]);
    assert_eq!(r["imported"], 2);
    assert_eq!(r["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(state_of(&env, doc, "ODA-1"), "acknowledged");
    assert_eq!(state_of(&env, doc, "ODA-3"), "acknowledged");
    let m: String = env
        .db()
        .query_row(
            "SELECT ack_method FROM deliveries WHERE recipient_code = 'ODA-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(m, "paper");

    // Importing the same sheet again: the acknowledged lines are now bad lines (no second acknowledgement).
    let err = env.fails(&["ack", "import", csv.to_str().unwrap()]);
    assert!(err.contains("line 2: ODA-1: already acknowledged"), "{err}");

    let bad = env.path("bad.csv");
    std::fs::write(&bad, "doc,who\n1,2\n").unwrap();
    let err = env.fails(&["ack", "import", bad.to_str().unwrap()]);
    assert!(err.contains("wrong header"), "{err}");
    std::fs::write(
        &bad,
        format!("document,recipient,name,at,method,kayit_no\n#{doc},ODA-2\n#{doc},ODA-2,,{day},,\n"),
    )
    .unwrap();
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
    let late: Vec<&str> = s["late"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["recipient"].as_str().unwrap())
        .collect();
    // In the order the dağıtım was frozen: Turkish alphabetical by name.
    assert_eq!(late, ["P-AYSE", "ODA-2", "ODA-4", "ODA-3", "KAY-SILE"]);
    let text = env.ok(&["status", &d]);
    assert!(text.contains("16.7% acknowledged"), "{text}");
    assert!(text.contains("Late (5):"), "{text}");

    // A GÜNLÜDÜR document's own deadline decides; not yet past: no one is late.
    let gun = issue(
        &env.registry(),
        "4517",
        &days_ago(40),
        Some(("GÜNLÜDÜR", &days_ago(-2))),
        None,
    );
    let s = env.json(&["status", &format!("#{gun}")]);
    assert_eq!(s["deadline_source"], "GÜNLÜDÜR");
    assert_eq!(s["late"].as_array().unwrap().len(), 0);

    let err = env.fails(&["status", "#999"]);
    assert!(err.contains("document \"#999\" does not exist"), "{err}");
}

/// A delivery's code, state, received, acknowledged and recipient's kayıt date.
type DeliveryRow = (String, String, Option<String>, Option<String>, Option<String>);

/// Everything about a delivery that a refused command must leave as it was: the event log, the follow-ons,
/// and every delivery's state and times.
fn snapshot(env: &Env) -> (i64, i64, Vec<DeliveryRow>) {
    let db = env.db();
    let mut st = db.prepare("SELECT recipient_code, state, received_at, acknowledged_at, recipient_kayit_date FROM deliveries ORDER BY id").unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (
        events_count(env),
        env.count("SELECT count(*) FROM followon_reports"),
        rows,
    )
}

#[test]
fn a_delivery_not_sent_yet_cannot_be_acknowledged_or_received() {
    let env = Env::new();
    seed(&env);
    let doc = issue(&env.registry(), "4516", &days_ago(3), None, None);
    let d = format!("#{doc}");
    // ODA-2 claimed by a send that has not recorded its result.
    env.db()
        .execute(
            "UPDATE deliveries SET state = 'sending' WHERE recipient_code = 'ODA-2'",
            [],
        )
        .unwrap();
    let before = snapshot(&env);
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "phone", "--by", "Ali VELİ"]);
    assert!(
        err.contains(&format!("ODA-1: the delivery is queued: document {d} has not been sent to this recipient yet; run `tamim send {d}` first")),
        "{err}"
    );
    let err = env.fails(&["ack", "received", &d, "ODA-1", "--kayit-no", "7"]);
    assert!(
        err.contains("ODA-1: the delivery is queued") && err.contains(&format!("run `tamim send {d}` first")),
        "{err}"
    );
    let err = env.fails(&["ack", &d, "ODA-2", "--method", "kep", "--evidence", "KEP-1"]);
    assert!(
        err.contains("ODA-2: the delivery is sending") && err.contains("has not been sent to this recipient yet"),
        "{err}"
    );
    let err = env.fails(&["ack", "received", &d, "ODA-2"]);
    assert!(err.contains("ODA-2: the delivery is sending"), "{err}");
    let csv = env.path("imza.csv");
    std::fs::write(
        &csv,
        format!(
            "document,recipient,name,at,method,kayit_no\n{d},ODA-3,Can ER,{},,\n",
            days_ago(1)
        ),
    )
    .unwrap();
    let err = env.fails(&["ack", "import", csv.to_str().unwrap()]);
    assert!(
        err.contains("line 2: ODA-3: the delivery is queued") && err.contains("run `tamim send"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before, "nothing recorded");

    // A recipient with no e-mail address, reached on paper or by KEP, is received and acknowledged.
    env.ok(&[
        "ack",
        "received",
        &d,
        "ODA-4",
        "--kayit-no",
        "88",
        "--date",
        &dotted_days_ago(1),
    ]);
    env.ok(&["ack", &d, "ODA-4", "--method", "kep", "--evidence", "KEP-88"]);
    assert_eq!(state_of(&env, doc, "ODA-4"), "acknowledged");
    // Once sent, the same entry is taken.
    mark_all_sent(&env.registry(), doc);
    env.ok(&["ack", &d, "ODA-1", "--method", "phone", "--by", "Ali VELİ"]);
    assert_eq!(state_of(&env, doc, "ODA-1"), "acknowledged");
}

#[test]
fn dates_in_the_future_or_before_the_document_and_repeated_follow_ons_record_nothing() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    let doc_date = dotted_days_ago(3);
    let before = snapshot(&env);
    let err = env.fails(&[
        "ack",
        "received",
        &d,
        "ODA-1",
        "--kayit-no",
        "7",
        "--date",
        "01.01.2099",
    ]);
    assert!(
        err.contains("--date: \"01.01.2099\" is in the future (it is now "),
        "{err}"
    );
    let err = env.fails(&[
        "ack",
        "received",
        &d,
        "ODA-1",
        "--kayit-no",
        "7",
        "--date",
        "01.01.2020",
    ]);
    assert!(
        err.contains(&format!(
            "--date: \"01.01.2020\" is before the document's date {doc_date}"
        )),
        "{err}"
    );
    let err = env.fails(&["ack", "followon", &d, "ODA-1", "--sayi", "12", "--tarih", "01.01.2099"]);
    assert!(err.contains("--tarih: \"01.01.2099\" is in the future"), "{err}");
    let err = env.fails(&["ack", "followon", &d, "ODA-1", "--sayi", "12", "--tarih", "01.01.2020"]);
    assert!(
        err.contains(&format!(
            "--tarih: \"01.01.2020\" is before the document's date {doc_date}"
        )),
        "{err}"
    );
    assert_eq!(snapshot(&env), before, "nothing recorded");

    // The document's own date and today are fine.
    env.ok(&["ack", "received", &d, "ODA-1", "--kayit-no", "7", "--date", &doc_date]);
    env.ok(&[
        "ack",
        "followon",
        &d,
        "ODA-1",
        "--sayi",
        "12",
        "--tarih",
        &dotted_days_ago(0),
        "--recipients",
        "40",
    ]);
    // The same report again: refused, no second event.
    let before = snapshot(&env);
    let err = env.fails(&[
        "ack",
        "followon",
        &d,
        "ODA-1",
        "--sayi",
        "12",
        "--tarih",
        &dotted_days_ago(0),
        "--recipients",
        "40",
    ]);
    assert!(
        err.contains(&format!(
            "ODA-1: follow-on 12 of {} is already recorded (reported at ",
            dotted_days_ago(0)
        )) && err.contains("with the same counts; nothing was recorded"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before, "nothing recorded");
    // New counts for it update the report (one row) with their event.
    env.ok(&[
        "ack",
        "followon",
        &d,
        "ODA-1",
        "--sayi",
        "12",
        "--tarih",
        &dotted_days_ago(0),
        "--recipients",
        "40",
        "--acknowledged",
        "31",
    ]);
    assert_eq!(env.count("SELECT count(*) FROM followon_reports"), 1);
    assert_eq!(env.count("SELECT acknowledged FROM followon_reports"), 31);
    assert_eq!(events_count(&env), before.0 + 1);
}

#[test]
fn an_acknowledgement_dated_before_the_delivery_was_sent_or_received_records_nothing() {
    let (env, doc) = setup(3);
    let d = format!("#{doc}");
    // Sent two days ago at 09:00; ODA-2's receipt recorded now.
    sent_days_ago(&env, doc, 2);
    env.ok(&["ack", "received", &d, "ODA-2", "--kayit-no", "5"]);
    let received_at: String = env
        .db()
        .query_row(
            "SELECT received_at FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let shown = |stored: &str| tamim_app::ack::time::shown(stored);
    let before = snapshot(&env);
    let at = format!("{} 10:30", days_ago(3));
    let err = env.fails(&["ack", &d, "ODA-1", "--method", "paper", "--by", "Ali VELİ", "--at", &at]);
    let sent = shown(&format!("{}T06:00:00Z", days_ago(2)));
    assert!(
        err.contains(&format!(
            "--at: \"{at}\" ({} 10:30) is earlier than the delivery was sent ({sent})",
            dotted_days_ago(3)
        )),
        "{err}"
    );
    let at = format!("{} 10:30", days_ago(1));
    let err = env.fails(&["ack", &d, "ODA-2", "--method", "paper", "--by", "Ayla SU", "--at", &at]);
    assert!(
        err.contains(&format!(
            "is earlier than the delivery was received ({})",
            shown(&received_at)
        )),
        "{err}"
    );
    let csv = env.path("imza.csv");
    std::fs::write(
        &csv,
        format!(
            "document,recipient,name,at,method,kayit_no\n{d},ODA-3,Can ER,{},,\n",
            days_ago(3)
        ),
    )
    .unwrap();
    let err = env.fails(&["ack", "import", csv.to_str().unwrap()]);
    assert!(
        err.contains("line 2: at: ") && err.contains("is earlier than the delivery was sent"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before, "nothing recorded");

    // After it was sent: recorded.
    env.ok(&[
        "ack",
        &d,
        "ODA-1",
        "--method",
        "paper",
        "--by",
        "Ali VELİ",
        "--at",
        &format!("{} 10:30", days_ago(1)),
    ]);
    assert_eq!(state_of(&env, doc, "ODA-1"), "acknowledged");
}
