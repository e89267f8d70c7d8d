//! The outbox after crashes (issue #19 item 7): 20 `kill -9` at random moments while `tamim send` sends to
//! 2,000 recipients through a real SMTP server (aiosmtpd), then a run to completion. Nobody is skipped, the
//! messages sent twice are at most one per connection per kill (claims are taken just in time, results
//! recorded as the server answers), the registry agrees with what the server received, and the log verifies.

use crate::send::{issued_with, OFFICE};
use crate::support;

use std::collections::HashMap;
use std::time::{Duration, Instant};
use support::smtp::SmtpServer;

/// The connections `OFFICE` opens (`pool_size = 4`).
const SESSIONS: usize = 4;
const RECIPIENTS: usize = 2000;
const KILLS: usize = 20;

/// A small xorshift generator: random enough for kill moments, seeded from the clock (printed, to replay).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn twenty_kills_during_a_send_resend_at_most_one_message_per_connection_each() {
    // The PDF linked, not attached: smaller messages, so the test runs in CI time.
    let (env, _) = issued_with(
        RECIPIENTS,
        &OFFICE.replace("pool_size = 4", "pool_size = 4\nattach_limit_bytes = 1000"),
    );
    let server = SmtpServer::start().expect("aiosmtpd");
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    eprintln!("crash test seed {seed} (CRASH_SEED={seed} to replay)");
    let mut rng = Rng(seed);
    let sent = || env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'") as u64;
    let started = Instant::now();
    let mut kills = 0;
    for i in 0..KILLS {
        let before = sent();
        let mut child = env
            .cmd()
            .args(["send", "#2", "--smtp", &server.url(), "--json"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("tamim send");
        if i % 5 == 0 {
            // Any moment, starting up (freezing the distribution, connecting) included.
            std::thread::sleep(Duration::from_millis(rng.below(400)));
        } else {
            // While sending: after a random number of results, then a random few milliseconds more.
            let target = before + 10 + rng.below(70);
            let deadline = Instant::now() + Duration::from_secs(30);
            while sent() < target && Instant::now() < deadline && child.try_wait().ok().flatten().is_none() {
                std::thread::sleep(Duration::from_millis(3));
            }
            std::thread::sleep(Duration::from_millis(rng.below(15)));
        }
        if child.try_wait().ok().flatten().is_some() {
            break; // finished before it could be killed
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills += 1;
        let claimed = env.count("SELECT count(*) FROM deliveries WHERE state = 'sending'") as usize;
        assert!(
            claimed <= SESSIONS,
            "kill {i}: {claimed} deliveries claimed at once, more than the {SESSIONS} connections (seed {seed})"
        );
    }
    assert!(
        kills >= KILLS - 2,
        "only {kills} of {KILLS} runs were killed before finishing (seed {seed})"
    );
    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    let got = server.wait_for(RECIPIENTS, Duration::from_secs(60));
    eprintln!(
        "{kills} kills, {} messages received for {RECIPIENTS} recipients, {:.1} s",
        got.len(),
        started.elapsed().as_secs_f64()
    );

    // The server's record: who got what, under which Message-ID.
    let mut per: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for m in &got {
        let id = m.parsed["message_id"].as_str().unwrap_or_default().to_string();
        for r in &m.rcpts {
            *per.entry(r.clone()).or_default() += 1;
            if let Some(old) = ids.insert(r.clone(), id.clone()) {
                assert_eq!(old, id, "{r}: sent again under the same Message-ID");
            }
        }
    }
    assert_eq!(
        per.len(),
        RECIPIENTS,
        "every recipient got the message, none skipped (seed {seed})"
    );
    let dupes: usize = per.values().map(|n| n - 1).sum();
    assert!(
        dupes <= SESSIONS * kills,
        "{dupes} messages sent twice after {kills} kills: more than one per connection per kill (seed {seed})"
    );
    assert!(s["resent_in_flight"].as_u64().unwrap_or(0) as usize <= SESSIONS, "{s}");

    // The registry agrees with the server: every delivery with an address sent, under the Message-ID it got.
    let db = env.db();
    let mut st = db
        .prepare("SELECT email, state, message_id FROM deliveries WHERE email IS NOT NULL")
        .expect("query");
    let rows: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(rows.len(), RECIPIENTS);
    for (email, state, message_id) in &rows {
        assert_eq!(state, "sent", "{email}");
        let got_id = ids.get(email).map(String::as_str).unwrap_or_default();
        assert!(
            got_id.trim_matches(['<', '>']) == message_id.trim_matches(['<', '>']),
            "{email}: the server got {got_id}, the registry says {message_id}"
        );
    }
    let sent_events = env.count("SELECT count(*) FROM events WHERE kind = 'delivery.sent'") as usize;
    assert_eq!(sent_events, RECIPIENTS, "one delivery.sent event per recipient");
    let v = env.json(&["log", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
}
