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
    // and its reminder goes straight to the parent org.
    let r = env.json(&["remind", &d]);
    let m = by_recipient(&r);
    assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["ODA-4"]);
    assert_eq!(
        (m["ODA-4"]["to"].as_str(), m["ODA-4"]["escalated"].as_bool()),
        (Some("BIRLIK"), Some(true))
    );
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
    // No e-mail: straight to the parent org.
    assert_eq!(m["ODA-4"]["to"], "BIRLIK");
    assert_eq!(m["ODA-4"]["escalated"], true);
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

/// An office at the top of the tree (no parent) is reminded itself when escalation is due, not dropped as
/// unreachable; one with neither an address nor a parent is the only kind reported unreachable.
#[test]
fn with_no_parent_to_escalate_to_the_recipient_is_reminded_again() {
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
        assert_eq!(
            (
                m["TEPE"]["to"].as_str(),
                m["TEPE"]["address"].as_str(),
                m["TEPE"]["escalated"].as_bool()
            ),
            (Some("TEPE"), Some("tepe@example.org"), Some(false)),
            "round {round}"
        );
        assert_eq!(m["TEPE"]["reminder"], round);
        assert!(
            r["unreachable"].as_array().unwrap().iter().any(|u| u == "YALNIZ"),
            "round {round}: {}",
            r["unreachable"]
        );
        assert!(
            !r["unreachable"].as_array().unwrap().iter().any(|u| u == "TEPE"),
            "round {round}"
        );
    }
}
