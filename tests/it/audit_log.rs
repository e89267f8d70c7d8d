//! `tamim log verify` against an event log edited, cut or reordered directly in the SQLite file:
//! it must exit 1 and name the entry.

use crate::ack_common;

use ack_common::*;

/// A registry with a few dozen events: freeze, sends, acknowledgements, an exemption.
fn setup() -> (Env, i64) {
    let env = Env::new();
    seed(&env);
    let doc = issue(&env.registry(), "4516", &days_ago(3), None, None);
    mark_all_sent(&env.registry(), doc);
    let d = format!("#{doc}");
    env.ok(&["ack", &d, "ODA-1", "--method", "paper", "--by", "Ali VELİ"]);
    env.ok(&["ack", &d, "ODA-2", "--method", "phone", "--by", "Ayla SU"]);
    env.ok(&["ack", "exempt", &d, "ODA-3", "--reason", "izinli"]);
    (env, doc)
}

fn verify_fails(env: &Env) -> (String, serde_json::Value) {
    let err = env.fails(&["log", "verify"]);
    let out = env.run(&["log", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    (
        err,
        serde_json::from_slice(&out.stdout).expect("JSON on stdout even when broken"),
    )
}

/// An event as stored: seq, at, document, delivery, kind, detail.
type EventRow = (i64, String, Option<i64>, Option<i64>, String, String);
#[test]
fn intact_log_verifies_with_its_head() {
    let (env, _) = setup();
    let n = events_count(&env);
    assert!(n >= 8, "{n}");
    let v = env.json(&["log", "verify"]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["entries"], n);
    let head: String = env
        .db()
        .query_row("SELECT hash FROM events ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v["head_hash"], head.as_str());
    assert!(env
        .ok(&["log", "verify"])
        .contains(&format!("event log verified: {n} entries, head {n} {head}")));
}

#[test]
fn an_edited_entry_is_named() {
    let (env, _) = setup();
    let seq: i64 = env
        .db()
        .query_row("SELECT seq FROM events WHERE detail LIKE '%Ayla SU%'", [], |r| r.get(0))
        .unwrap();
    env.db()
        .execute(
            "UPDATE events SET detail = replace(detail, 'Ayla SU', 'Başka Biri') WHERE seq = ?1",
            [seq],
        )
        .unwrap();
    let (err, v) = verify_fails(&env);
    assert!(
        err.contains(&format!("event log: entry {seq} (delivery.acknowledged) was edited")),
        "{err}"
    );
    assert_eq!(v["ok"], false);
    assert_eq!(v["problem"]["seq"], seq);
    assert_eq!(v["problem"]["kind"], "edited");
}

#[test]
fn an_edited_and_rehashed_entry_is_named() {
    let (env, _) = setup();
    // A careful forger recomputes the entry's own hash; the next entry still points at the old one.
    let db = env.db();
    let (seq, at, doc, del, kind, detail, prev): (i64, String, Option<i64>, Option<i64>, String, String, String) = db
        .query_row("SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash FROM events WHERE detail LIKE '%Ali VELİ%'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap();
    let forged = detail.replace("Ali VELİ", "Sahte");
    let h = tamim_store::events::entry_hash(&prev, seq, &at, doc, del, &kind, &forged);
    db.execute(
        "UPDATE events SET detail = ?1, hash = ?2 WHERE seq = ?3",
        rusqlite::params![forged, h, seq],
    )
    .unwrap();
    let (err, v) = verify_fails(&env);
    assert_eq!(v["problem"]["seq"], seq, "{err}");
    assert_eq!(v["problem"]["kind"], "edited");
    assert!(err.contains(&format!("entry {seq} was edited and re-hashed")), "{err}");
}

#[test]
fn a_deleted_entry_is_named() {
    let (env, _) = setup();
    env.db().execute("DELETE FROM events WHERE seq = 4", []).unwrap();
    let (err, v) = verify_fails(&env);
    assert!(
        err.contains("event log: entry 4 is missing: the log jumps from 3 to 5"),
        "{err}"
    );
    assert_eq!(v["problem"]["seq"], 4);
    assert_eq!(v["problem"]["kind"], "deleted");
}

#[test]
fn swapped_entries_are_named() {
    let (env, _) = setup();
    let db = env.db();
    db.execute_batch("UPDATE events SET seq = -1 WHERE seq = 6; UPDATE events SET seq = 6 WHERE seq = 7; UPDATE events SET seq = 7 WHERE seq = -1;").unwrap();
    let (err, v) = verify_fails(&env);
    assert!(
        err.contains("event log: entry 6 holds the content written as entry 7"),
        "{err}"
    );
    assert_eq!(v["problem"]["seq"], 6);
    assert_eq!(v["problem"]["kind"], "reordered");
}

/// The log's head as `log verify --json` reports it: `SEQ:HASH`.
fn head_of(env: &Env) -> String {
    let v = env.json(&["log", "verify"]);
    format!("{}:{}", v["head_seq"], v["head_hash"].as_str().unwrap())
}

#[test]
fn an_earlier_head_finds_entries_cut_off_the_end() {
    let (env, doc) = setup();
    let head = head_of(&env);
    let out = env.ok(&["log", "verify", "--head", &head]);
    assert!(
        out.contains(&format!("holds the earlier head {}", head.replace(':', " "))),
        "{out}"
    );
    // Another entry, then the last two cut off: the chain left is whole, so only the earlier head tells.
    env.ok(&[
        "ack",
        &format!("#{doc}"),
        "ODA-4",
        "--method",
        "paper",
        "--by",
        "Veli ALİ",
    ]);
    let (seq, _) = head.split_once(':').unwrap();
    env.db()
        .execute("DELETE FROM events WHERE seq >= ?1", [seq.parse::<i64>().unwrap()])
        .unwrap();
    env.ok(&["log", "verify"]);
    let err = env.fails(&["log", "verify", "--head", &head]);
    assert!(
        err.contains(&format!(
            "entry {seq} is gone: the log ends at entry {}",
            seq.parse::<i64>().unwrap() - 1
        )),
        "{err}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&env.run(&["log", "verify", "--head", &head, "--json"]).stdout).unwrap();
    assert_eq!(
        (v["ok"].as_bool(), v["problem"]["kind"].as_str()),
        (Some(false), Some("truncated"))
    );
}

#[test]
fn an_earlier_head_finds_a_log_rehashed_from_some_entry_on() {
    let (env, _) = setup();
    let head = head_of(&env);
    // A forger edits an entry and re-hashes it and every entry after it: the walk finds nothing.
    let db = env.db();
    let first: i64 = db
        .query_row("SELECT seq FROM events WHERE detail LIKE '%Ali VELİ%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    db.execute(
        "UPDATE events SET detail = replace(detail, 'Ali VELİ', 'Başka Biri') WHERE seq = ?1",
        [first],
    )
    .unwrap();
    let rows: Vec<EventRow> = db
        .prepare("SELECT seq, at, document_id, delivery_id, kind, detail FROM events WHERE seq >= ?1 ORDER BY seq")
        .unwrap()
        .query_map([first], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev: String = db
        .query_row("SELECT prev_hash FROM events WHERE seq = ?1", [first], |r| r.get(0))
        .unwrap();
    for (seq, at, doc, del, kind, detail) in rows {
        let h = tamim_store::events::entry_hash(&prev, seq, &at, doc, del, &kind, &detail);
        db.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, h, seq],
        )
        .unwrap();
        prev = h;
    }
    env.ok(&["log", "verify"]);
    let err = env.fails(&["log", "verify", "--head", &head]);
    let (seq, hash) = head.split_once(':').unwrap();
    assert!(
        err.contains(&format!(
            "entry {seq} now has hash {prev}, not {hash} as the report printed"
        )),
        "{err}"
    );
}

#[test]
fn a_malformed_head_is_refused_by_name() {
    let (env, _) = setup();
    for bad in [
        "12",
        "x:abc",
        "0:0000000000000000000000000000000000000000000000000000000000000000",
        "3:1234",
    ] {
        let out = env.run(&["log", "verify", "--head", bad]);
        assert_ne!(out.status.code(), Some(0), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--head") && err.contains("expected SEQ:HASH"),
            "{bad}: {err}"
        );
    }
}

/// A log of `n` entries in a registry database file.
fn log(n: i64) -> (tempfile::TempDir, tamim_store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = tamim_store::Store::create(dir.path()).unwrap();
    store
        .write(|tx| {
            let mut chain = tamim_store::events::Chain::load(tx)?;
            for i in 1..=n {
                chain.append(
                    tx,
                    "2021-11-05T09:00:00Z",
                    None,
                    None,
                    "test.entry",
                    &serde_json::json!({"i": i}),
                )?;
            }
            Ok::<_, tamim_store::Error>(())
        })
        .unwrap();
    (dir, store)
}

/// A way to damage the log at one entry.
type Corruption = Box<dyn Fn(&tamim_store::Conn, i64)>;

/// Whatever is done to the log, verifying it in ranges on several threads finds what one walk finds.
#[test]
fn ranges_find_what_one_walk_finds() {
    let n = 17;
    let cases: Vec<(String, Corruption)> = vec![
        ("nothing".into(), Box::new(|_, _| {})),
        (
            "edit".into(),
            Box::new(|c, s| {
                c.raw_for_tests()
                    .execute("UPDATE events SET detail = '{\"i\":0}' WHERE seq = ?1", [s])
                    .unwrap();
            }),
        ),
        (
            "delete".into(),
            Box::new(|c, s| {
                c.raw_for_tests()
                    .execute("DELETE FROM events WHERE seq = ?1", [s])
                    .unwrap();
            }),
        ),
        (
            "delete two".into(),
            Box::new(|c, s| {
                c.raw_for_tests()
                    .execute("DELETE FROM events WHERE seq IN (?1, ?1 + 1)", [s])
                    .unwrap();
            }),
        ),
        (
            "swap".into(),
            Box::new(|c, s| {
                c.raw_for_tests()
                    .execute_batch(&format!(
                        "UPDATE events SET seq = -1 WHERE seq = {s}; UPDATE events SET seq = {s} WHERE seq = {s} + 1;
                 UPDATE events SET seq = {s} + 1 WHERE seq = -1;"
                    ))
                    .unwrap();
            }),
        ),
        (
            "edit and re-hash".into(),
            Box::new(|c, s| {
                let (prev, at, kind): (String, String, String) = c
                    .raw_for_tests()
                    .query_row("SELECT prev_hash, at, kind FROM events WHERE seq = ?1", [s], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .unwrap();
                let h = tamim_store::events::entry_hash(&prev, s, &at, None, None, &kind, "{\"i\":0}");
                c.raw_for_tests()
                    .execute(
                        "UPDATE events SET detail = '{\"i\":0}', hash = ?1 WHERE seq = ?2",
                        rusqlite::params![h, s],
                    )
                    .unwrap();
            }),
        ),
        (
            "a stray entry 0".into(),
            Box::new(|c, _| {
                c.raw_for_tests().execute("INSERT INTO events (seq, at, kind, detail, prev_hash, hash) VALUES (0, 'x', 'k', '{}', 'p', 'h')", []).unwrap();
            }),
        ),
    ];
    let mut broken = 0;
    for (what, corrupt) in &cases {
        for seq in 1..n {
            let (dir, store) = log(n);
            corrupt(&store.conn, seq);
            let one = tamim_app::audit::verify::verify_in(&store.conn, Vec::new()).unwrap();
            if !one.ok {
                broken += 1;
            }
            for ranges in [2, 3, 7] {
                let (_snapshot, spares) = tamim_store::snapshot::begin(&store.conn, ranges - 1).unwrap();
                assert_eq!(spares.len(), ranges - 1);
                assert_eq!(
                    tamim_app::audit::verify::verify_in(&store.conn, spares).unwrap(),
                    one,
                    "{what} at {seq}, {ranges} ranges"
                );
            }
            drop(dir);
        }
    }
    assert!(
        broken >= (cases.len() - 1) * (n as usize - 2),
        "the corruptions were found: {broken}"
    );
}
