//! Distribution by e-mail through the real binary (issue #4): the file outbox, a real SMTP server process
//! (aiosmtpd over TCP), STARTTLS + AUTH, a 550 recipient, a 450 one, an unreachable server, a server refusing
//! the sender, header injection, resuming after SIGKILL, sending twice, and sending again to the failed.

use crate::common;
use crate::support;

use common::Env;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use support::smtp::{ServerOptions, SmtpServer};

pub(crate) const OFFICE: &str = r#"
[office]
code = "IESOB"
name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
heading = ["İSTANBUL", "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"]
email = "iesob@example.org.tr"
base_url = "https://tamim.example.org"

[[signatories]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]

[mail]
from_name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
from_addr = "tamim@iesob.example.org.tr"
timeout_secs = 5
pool_size = 4
"#;

/// A registry with `n` chambers (all with e-mail), one more without, a received genelge, and an issued tamim.
fn issued(n: usize) -> (Env, PathBuf) {
    issued_with(n, OFFICE)
}

pub(crate) fn issued_with(n: usize, office: &str) -> (Env, PathBuf) {
    issued_to(n, office, &[])
}

/// With `bilgi` codes: the document goes first to a list `bilgi-listesi` of those (for information), then
/// to `odalar`.
fn issued_to(n: usize, office: &str, bilgi: &[&str]) -> (Env, PathBuf) {
    let env = Env::bare();
    std::fs::write(env.path("office.toml"), office).unwrap();
    env.ok(&["init", "--office", env.path("office.toml").to_str().unwrap()]);
    let mut csv = String::from("code,name,kind,parent,email,kep,detsis\nIL-34,İstanbul Valiliği,valilik,,,,\n");
    for i in 0..n {
        csv.push_str(&format!(
            "ODA-{i:04},Oda {i:04} Başkanlığı,oda,,oda{i}@odalar.example.org,,\n"
        ));
    }
    csv.push_str("ODA-KAGIT,Kâğıtla Çalışan Oda,oda,,,kagit@hs01.kep.tr,\n");
    std::fs::write(env.path("o.csv"), csv).unwrap();
    env.ok(&["org", "import", env.path("o.csv").to_str().unwrap()]);
    env.ok(&["list", "create", "odalar"]);
    let mut args: Vec<String> = vec!["list".into(), "add".into(), "odalar".into()];
    args.extend((0..n).map(|i| format!("ODA-{i:04}")));
    args.push("ODA-KAGIT".into());
    env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let g = env.pdf("genelge.pdf", &["Valilik genelgesi"]);
    env.ok(&[
        "receive",
        g.to_str().unwrap(),
        "--sayi",
        "E-85840981-167.01-122254",
        "--tarih",
        "02.11.2021",
        "--konu",
        "Sosyal Medya Etik İlkeleri",
        "--from",
        "IL-34",
        "--kind",
        "genelge",
        "--received",
        "03.11.2021",
    ]);
    let d = env.path("tamim.toml");
    let mut draft = vec![
        "draft",
        "forward",
        "#1",
        "--template",
        "tamim",
        "--file",
        d.to_str().unwrap(),
    ];
    if !bilgi.is_empty() {
        env.ok(&["list", "create", "bilgi-listesi"]);
        env.ok(&[&["list", "add", "bilgi-listesi", "--role", "bilgi"], bilgi].concat());
        draft.extend(["--to", "bilgi-listesi"]);
    }
    draft.extend(["--to", "odalar"]);
    env.ok(&draft);
    env.ok(&[
        "numbering",
        "set",
        "kind:tamim",
        "--year",
        &chrono::Local::now().format("%Y").to_string(),
        "--next",
        "243",
    ]);
    let out = env.json(&["issue", d.to_str().unwrap()]);
    (env, PathBuf::from(out["file"].as_str().unwrap()))
}

fn states(env: &Env) -> std::collections::BTreeMap<String, i64> {
    let db = env.db();
    let mut st = db
        .prepare("SELECT state, count(*) FROM deliveries GROUP BY state")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Exit status of a `send` that finished with recipients failed or deferred (`tamim send --help`).
const INCOMPLETE: i32 = 3;

/// Run `args` with --json, require exit [`INCOMPLETE`], and parse the summary it still printed.
fn incomplete(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env.cmd().args(args).arg("--json").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(INCOMPLETE),
        "tamim {args:?}: {}",
        common::stderr(&out)
    );
    serde_json::from_str(&common::stdout(&out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", common::stdout(&out)))
}

/// The delivery to `code`: (state, attempts, last reply).
fn delivery(env: &Env, code: &str) -> (String, i64, String) {
    env.db()
        .query_row(
            "SELECT state, attempts, coalesce(last_reply, '') FROM deliveries WHERE recipient_code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

#[test]
fn file_outbox_dry_run_and_sending_twice() {
    let (env, _) = issued(5);
    let plan = env.json(&["send", "#2", "--dry-run"]);
    assert_eq!(plan["recipients"], 6);
    assert_eq!(plan["plan"].as_array().unwrap().len(), 6);
    assert_eq!(
        (plan["plan"][1]["recipient"].as_str(), plan["plan"][1]["email"].as_str()),
        (Some("ODA-0000"), Some("oda0@odalar.example.org")),
        "{plan}"
    );
    assert_eq!(
        (
            plan["no_address"].as_i64(),
            plan["needs_other_channel"][0]["recipient"].as_str()
        ),
        (Some(1), Some("ODA-KAGIT")),
        "{plan}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries"),
        0,
        "a dry run records nothing"
    );
    assert!(!env.output().join("outbox").exists());
    // For people: a line, then one aligned row per recipient, the one without e-mail named with its channel.
    let table = env.ok(&["send", "#2", "--dry-run"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("Dry run: ") && lines[0].contains("would go to 5 of 6 recipients now"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("Subject: [Tamim ") && lines[2].starts_with("PDF: attached ("),
        "{table}"
    );
    assert!(
        lines[3].starts_with("RECIPIENT") && lines[4].starts_with("---"),
        "{table}"
    );
    assert_eq!(lines.len(), 5 + 6, "{table}");
    let email_col = lines[3].find("E-MAIL").unwrap();
    assert!(
        lines[5..].iter().all(|l| l.chars().nth(email_col - 1) == Some(' ')),
        "aligned: {table}"
    );
    assert_eq!(
        lines[5..].iter().filter(|l| l.trim_end().ends_with("send")).count(),
        5,
        "{table}"
    );
    assert!(lines.iter().any(|l| l.trim_end().ends_with("paper or KEP")), "{table}");
    assert!(lines.iter().any(|l| l.contains("(no e-mail: kep)")), "{table}");
    assert!(lines.iter().any(|l| l.contains("oda0@odalar.example.org")), "{table}");
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries"),
        0,
        "a dry run records nothing"
    );

    let s = env.json(&["send", "#2"]);
    assert_eq!(s["sent"], 5);
    assert_eq!(s["no_address"], 1);
    assert_eq!(s["needs_other_channel"][0]["recipient"], "ODA-KAGIT");
    assert_eq!(s["needs_other_channel"][0]["channel"], "kep");
    let emls: Vec<_> = std::fs::read_dir(env.output().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(emls.len(), 5);
    let one = std::fs::read_to_string(&emls[0]).unwrap();
    let subject = one.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(
        subject.contains("=?utf-8?b?") && subject.contains("[Tamim "),
        "RFC 2047 subject: {subject}"
    );
    assert!(one.contains("Message-ID: <doc-2-"), "{}", &one[..400.min(one.len())]);
    assert_eq!(states(&env).get("sent"), Some(&5));
    assert_eq!(states(&env).get("no-address"), Some(&1));

    // A dry run now says nobody would be sent to, and why.
    let plan = env.json(&["send", "#2", "--dry-run"]);
    assert_eq!(plan["message"]["would_send"], 0, "{plan}");
    let actions: Vec<&str> = plan["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "skip: sent").count(), 5, "{plan}");

    // Again: only what is missing (nothing).
    let again = env.json(&["send", "#2"]);
    assert_eq!(again["sent"], 0);
    assert_eq!(again["skipped"], 5);
    assert_eq!(std::fs::read_dir(env.output().join("outbox")).unwrap().count(), 5);

    // Not issued: refused.
    let err = env.fails(&["send", "#1"]);
    assert!(err.contains("is not issued by this office"), "{err}");
    let err = env.fails(&["send", "#2", "--transport", "pigeon"]);
    assert!(err.contains("--transport: \"pigeon\" is not a transport"), "{err}");
}

#[test]
fn smtp_delivers_what_the_server_receives() {
    let (env, pdf) = issued(3);
    let server = SmtpServer::start().expect("SMTP server (scripts/test.sh installs python3-aiosmtpd)");
    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    assert_eq!(s["sent"], 3, "{s}");
    let got = server.wait_for(3, Duration::from_secs(20));
    assert_eq!(got.len(), 3);
    let pdf_sha = sha256(&std::fs::read(&pdf).unwrap());
    let mut rcpts: Vec<String> = got.iter().flat_map(|m| m.rcpts.clone()).collect();
    rcpts.sort();
    assert_eq!(
        rcpts,
        [
            "oda0@odalar.example.org",
            "oda1@odalar.example.org",
            "oda2@odalar.example.org"
        ]
    );
    for m in &got {
        let p = &m.parsed;
        let year = chrono::Local::now().format("%Y");
        assert_eq!(
            p["subject"],
            format!("[Tamim {year}/243] Sosyal Medya Etik İlkeleri hk.")
        );
        let headers = m.raw_headers();
        let subject = headers.lines().find(|l| l.starts_with("Subject:")).unwrap();
        assert!(
            subject.contains("=?utf-8?b?"),
            "RFC 2047-encoded Turkish in the subject: {subject}"
        );
        assert!(p["message_id"].as_str().unwrap().starts_with("<doc-2-"));
        let text = p["text"].as_str().unwrap();
        assert!(text.contains("Gereği"), "{text}");
        assert!(text.contains("https://tamim.example.org/ack/"), "{text}");
        assert_eq!(
            p["attachments"][0]["sha256"],
            pdf_sha.as_str(),
            "the attachment is the issued PDF"
        );
        assert_eq!(p["attachments"][0]["content_type"], "application/pdf");
    }
    let db = env.db();
    let reply: String = db
        .query_row(
            "SELECT last_reply FROM deliveries WHERE state = 'sent' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reply.starts_with("250"), "{reply}");
    assert!(env.count("SELECT count(*) FROM events WHERE kind = 'delivery.sent'") == 3);
}

#[test]
fn a_rejected_recipient_fails_and_the_others_go() {
    let (env, _) = issued(3);
    let server = SmtpServer::start_with(ServerOptions {
        reject: vec!["oda1@odalar.example.org".into()],
        ..Default::default()
    })
    .unwrap();
    let s = incomplete(&env, &["send", "#2", "--smtp", &server.url()]);
    assert_eq!(s["sent"], 2);
    assert_eq!(s["failed"], 1);
    assert_eq!(s["failures"][0]["recipient"], "ODA-0001");
    assert!(s["failures"][0]["reply"].as_str().unwrap().contains("550"), "{s}");
    let reply: String = env
        .db()
        .query_row(
            "SELECT last_reply FROM deliveries WHERE recipient_code = 'ODA-0001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reply.contains("550"), "{reply}");
    assert_eq!(states(&env).get("failed"), Some(&1));
    assert_eq!(server.wait_for(2, Duration::from_secs(10)).len(), 2);
}

#[test]
fn an_unreachable_server_marks_nothing_sent() {
    let (env, _) = issued(3);
    let port = support::smtp::unused_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let err = env.fails(&["send", "#2", "--smtp", &url, "--attempts", "1"]);
    assert!(
        err.contains(&format!("127.0.0.1:{port}")),
        "the message says where it tried: {err}"
    );
    assert_eq!(states(&env).get("sent"), None);
    assert_eq!(states(&env).get("queued"), Some(&3));
}

#[test]
fn a_server_refusing_the_sender_stops_the_run_and_marks_nothing() {
    let (env, _) = issued(3);
    let refusing = SmtpServer::start_with(ServerOptions {
        refuse_sender: Some("554 5.7.1 relay denied".into()),
        ..Default::default()
    })
    .unwrap();
    let err = env.fails(&["send", "#2", "--smtp", &refusing.url(), "--attempts", "1"]);
    assert!(
        err.contains(&format!("127.0.0.1:{}", refusing.port())),
        "the message says where it tried: {err}"
    );
    assert!(
        err.contains("MAIL FROM") && err.contains("554") && err.contains("relay denied"),
        "and what the server said: {err}"
    );
    assert!(err.contains("accepts mail from this sender"), "{err}");
    assert_eq!(
        states(&env).get("queued"),
        Some(&3),
        "every claim went back to the queue: {:?}",
        states(&env)
    );
    assert_eq!(
        states(&env).len(),
        2,
        "nothing sent, failed or left sending: {:?}",
        states(&env)
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM events WHERE kind IN ('delivery.sent', 'delivery.failed', 'delivery.deferred')"
        ),
        0
    );
    assert!(refusing.messages().is_empty());
    // The same recipients go out once the server takes the sender.
    let server = SmtpServer::start().unwrap();
    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    assert_eq!((s["sent"].as_i64(), s["failed"].as_i64()), (Some(3), Some(0)), "{s}");
    assert_eq!(server.wait_for(3, Duration::from_secs(10)).len(), 3);
}

#[test]
fn a_deferred_recipient_is_shown_with_the_server_reply_and_the_exit_says_so() {
    let (env, _) = issued(2);
    let server = SmtpServer::start_with(ServerOptions {
        defer: vec!["oda1@odalar.example.org".into()],
        ..Default::default()
    })
    .unwrap();
    let s = incomplete(&env, &["send", "#2", "--smtp", &server.url(), "--attempts", "1"]);
    assert_eq!(
        (s["sent"].as_i64(), s["deferred"].as_i64(), s["failed"].as_i64()),
        (Some(1), Some(1), Some(0)),
        "{s}"
    );
    assert_eq!(s["deferrals"][0]["recipient"], "ODA-0001", "{s}");
    let reply = s["deferrals"][0]["reply"].as_str().unwrap();
    assert!(
        reply.contains("(450)") && reply.contains("4.2.1 <oda1@odalar.example.org>: Mailbox busy"),
        "{s}"
    );
    assert_eq!(delivery(&env, "ODA-0001").0, "queued");
    // For people: the same summary, the reply in a table under "Deferred".
    let out = env
        .cmd()
        .args(["send", "#2", "--smtp", &server.url(), "--attempts", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(INCOMPLETE));
    let text = common::stdout(&out);
    let table = &text[text.find("Deferred").unwrap_or_else(|| panic!("{text}"))..];
    assert!(
        table.contains("oda1@odalar.example.org") && table.contains(reply),
        "{text}"
    );
}

#[test]
fn retry_failed_sends_again_only_to_the_failed() {
    let (env, _) = issued(3);
    let refusing = SmtpServer::start_with(ServerOptions {
        reject: vec!["oda1@odalar.example.org".into()],
        ..Default::default()
    })
    .unwrap();
    let first = incomplete(&env, &["send", "#2", "--smtp", &refusing.url()]);
    assert_eq!(
        (first["sent"].as_i64(), first["failed"].as_i64()),
        (Some(2), Some(1)),
        "{first}"
    );
    assert_eq!(refusing.wait_for(2, Duration::from_secs(10)).len(), 2);
    // Without the flag a failed recipient stays failed, and the run says so.
    let again = incomplete(&env, &["send", "#2", "--smtp", &refusing.url()]);
    assert_eq!(
        (
            again["sent"].as_i64(),
            again["failed"].as_i64(),
            again["failed_earlier"].as_i64(),
            again["skipped"].as_i64()
        ),
        (Some(0), Some(0), Some(1), Some(2)),
        "{again}"
    );
    assert_eq!(again["earlier_failures"][0]["recipient"], "ODA-0001", "{again}");
    assert!(
        again["earlier_failures"][0]["reply"].as_str().unwrap().contains("550"),
        "{again}"
    );
    // Nothing fixed: sent again to that one only, refused again, one more attempt recorded.
    let retried = incomplete(&env, &["send", "#2", "--smtp", &refusing.url(), "--retry-failed"]);
    assert_eq!(
        (
            retried["requeued"].as_i64(),
            retried["sent"].as_i64(),
            retried["failed"].as_i64()
        ),
        (Some(1), Some(0), Some(1)),
        "{retried}"
    );
    assert_eq!(retried["failures"][0]["recipient"], "ODA-0001", "{retried}");
    let (state, attempts, reply) = delivery(&env, "ODA-0001");
    assert_eq!((state.as_str(), attempts), ("failed", 2), "{reply}");
    assert!(reply.contains("550"), "{reply}");
    let events = |kind: &str| {
        env.count(&format!("SELECT count(*) FROM events e JOIN deliveries d ON d.id = e.delivery_id WHERE d.recipient_code = 'ODA-0001' AND e.kind = '{kind}'"))
    };
    assert_eq!((events("delivery.requeued"), events("delivery.failed")), (1, 2));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(refusing.messages().len(), 2, "the others were not sent again");
    // The server takes it now: sent, and nobody else is.
    let server = SmtpServer::start().unwrap();
    let done = env.json(&["send", "#2", "--smtp", &server.url(), "--retry-failed"]);
    assert_eq!(
        (
            done["requeued"].as_i64(),
            done["sent"].as_i64(),
            done["failed"].as_i64(),
            done["failed_earlier"].as_i64()
        ),
        (Some(1), Some(1), Some(0), Some(0)),
        "{done}"
    );
    let got = server.wait_for(1, Duration::from_secs(10));
    assert_eq!(
        got.iter().map(|m| m.rcpts.clone()).collect::<Vec<_>>(),
        [["oda1@odalar.example.org"]]
    );
    assert_eq!(delivery(&env, "ODA-0001").0, "sent");
    assert_eq!(states(&env).get("sent"), Some(&3));
    assert_eq!((events("delivery.requeued"), events("delivery.sent")), (2, 1));
    env.ok(&["log", "verify"]);
}

#[test]
fn an_smtp_server_with_the_file_transport_is_refused() {
    let (env, _) = issued(2);
    let err = env.fails(&["send", "#2", "--transport", "file", "--smtp", "smtp://127.0.0.1:2525"]);
    assert!(
        err.contains("--smtp") && err.contains("--transport file") && err.contains("smtp://127.0.0.1:2525"),
        "{err}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries"),
        0,
        "nothing frozen, nothing sent"
    );
    assert!(!env.output().join("outbox").exists());
    // Reminders take the same flags: refused before any reminder is recorded.
    env.ok(&["send", "#2"]);
    let err = env.fails(&[
        "remind",
        "#2",
        "--after",
        "0",
        "--transport",
        "file",
        "--smtp",
        "smtp://127.0.0.1:2525",
    ]);
    assert!(err.contains("--transport file"), "{err}");
    assert_eq!(env.count("SELECT sum(reminders) FROM deliveries"), 0);
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind LIKE 'reminder.%'"), 0);
}

#[test]
fn header_injection_and_bad_addresses_fail_only_that_recipient() {
    let (env, _) = issued(3);
    // Data that got past validation some other way (an old import, a direct edit).
    env.db()
        .execute(
            "UPDATE orgs SET name = 'Oda\r\nBcc: kotu@example.com' WHERE code = 'ODA-0000'",
            [],
        )
        .unwrap();
    env.db()
        .execute("UPDATE orgs SET email = 'bozuk@@adres' WHERE code = 'ODA-0002'", [])
        .unwrap();
    let server = SmtpServer::start().unwrap();
    let s = incomplete(&env, &["send", "#2", "--smtp", &server.url()]);
    assert_eq!(s["sent"], 1, "{s}");
    assert_eq!(s["failed"], 2, "{s}");
    let got = server.wait_for(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    assert!(!String::from_utf8_lossy(&got[0].raw).contains("kotu@example.com"));
    assert_eq!(got[0].rcpts, ["oda1@odalar.example.org"]);
}

#[test]
fn starttls_with_auth_and_bad_credentials() {
    let (env, _) = issued(2);
    let server = SmtpServer::start_with(ServerOptions {
        tls: true,
        auth: Some(("tamim".into(), "s3cret-Parola".into())),
        ..Default::default()
    })
    .unwrap();
    let url = format!("{}?tls=starttls", server.url());
    let run = |password: &str| {
        env.cmd()
            .args(["send", "#2", "--smtp", &url, "--json", "--attempts", "1"])
            .env("TAMIM_SMTP_USERNAME", "tamim")
            .env("TAMIM_SMTP_PASSWORD", password)
            .env("TAMIM_SMTP_CA_CERT", server.ca_cert())
            .output()
            .unwrap()
    };
    let bad = run("yanlis-parola-123");
    assert_eq!(bad.status.code(), Some(1));
    let err = common::stderr(&bad);
    assert!(err.to_lowercase().contains("auth"), "{err}");
    assert!(
        !err.contains("yanlis-parola-123") && !common::stdout(&bad).contains("yanlis-parola-123"),
        "the password never appears"
    );
    assert_eq!(states(&env).get("sent"), None);
    let good = run("s3cret-Parola");
    assert!(good.status.success(), "{}", common::stderr(&good));
    assert_eq!(server.wait_for(2, Duration::from_secs(10)).len(), 2);
    assert_eq!(states(&env).get("sent"), Some(&2));
}

#[test]
fn sigkill_in_the_middle_then_resume() {
    let (env, _) = issued(2000);
    let server = SmtpServer::start().unwrap();
    let mut child = env
        .cmd()
        .args(["send", "#2", "--smtp", &server.url(), "--json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while server.messages().len() < 400 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = server.messages().len();
    assert!(
        before < 2000,
        "the sender finished before it could be killed ({before})"
    );
    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    let got = server.wait_for(2000, Duration::from_secs(120));
    let mut per: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for m in &got {
        for r in &m.rcpts {
            *per.entry(r.clone()).or_default() += 1;
        }
    }
    assert_eq!(per.len(), 2000, "every recipient got the message");
    let dupes: usize = per.values().map(|n| n - 1).sum();
    assert!(
        dupes <= 4,
        "at most one message per connection (pool_size = 4) went out with its result unrecorded: {dupes}"
    );
    assert!(
        s["resent_in_flight"].as_i64().unwrap() as usize >= dupes,
        "{s} vs {dupes}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"),
        2000,
        "the registry agrees with the server"
    );
}

#[test]
fn a_pdf_over_the_limit_is_linked_not_attached() {
    let (env, _) = issued_with(
        2,
        &OFFICE.replace("pool_size = 4", "pool_size = 4\nattach_limit_bytes = 1000"),
    );
    let s = env.json(&["send", "#2"]);
    assert_eq!(s["sent"], 2);
    for e in std::fs::read_dir(env.output().join("outbox")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(
            !text.contains("application/pdf"),
            "no attachment when the PDF is over the limit"
        );
        let unfolded = text.replace("=\r\n", "").replace("=\n", "");
        assert!(
            unfolded.contains("https://tamim.example.org/ack/") && unfolded.contains("/pdf"),
            "a personal link to the PDF"
        );
    }
}

#[test]
fn reminders_go_through_the_same_outbox() {
    let (env, _) = issued(3);
    env.ok(&["send", "#2"]);
    env.ok(&["ack", "#2", "ODA-0000", "--method", "phone", "--by", "Ayşe KAYA"]);
    let r = env.json(&["remind", "#2", "--after", "0"]);
    // The two not yet acknowledged, and the internal notice to the staff about the one without an address.
    assert_eq!(
        r["sent"]["sent"], 3,
        "the two not yet acknowledged and ODA-KAGIT's notice: {r}"
    );
    let names: Vec<String> = std::fs::read_dir(env.output().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let reminders: Vec<&String> = names.iter().filter(|n| n.contains("-r1@")).collect();
    assert_eq!(reminders.len(), 3, "{names:?}");
    assert!(
        reminders.iter().all(|n| !n.contains("ODA-0000")),
        "the acknowledged one is not reminded"
    );
    let text = std::fs::read_to_string(env.output().join("outbox").join(reminders[0])).unwrap();
    let subject = text.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(
        subject.contains("=?utf-8?b?"),
        "Hatırlatma, RFC 2047-encoded: {subject}"
    );
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'reminder.sent'"), 3);
}

#[test]
fn reminders_by_smtp_link_the_pdf_and_a_refused_one_is_reported() {
    let (env, _) = issued(4);
    let first = SmtpServer::start().unwrap();
    env.ok(&["send", "#2", "--smtp", &first.url()]);
    env.ok(&["ack", "#2", "ODA-0000", "--method", "phone", "--by", "Ayşe KAYA"]);
    // The reminders go through a server that refuses ODA-0001's address.
    let server = SmtpServer::start_with(ServerOptions {
        reject: vec!["oda1@odalar.example.org".into()],
        ..Default::default()
    })
    .unwrap();
    let r = env.json(&["remind", "#2", "--after", "0", "--smtp", &server.url()]);
    assert_eq!(
        r["sent"]["sent"], 3,
        "ODA-0002 and ODA-0003 (ODA-0000 acknowledged, ODA-0001 refused), and the staff's notice about ODA-KAGIT: {r}"
    );
    assert_eq!(r["sent"]["failed"][0]["recipient"], "ODA-0001", "{r}");
    assert!(r["sent"]["failed"][0]["reply"].as_str().unwrap().contains("550"), "{r}");
    let got = server.wait_for(3, Duration::from_secs(10));
    assert_eq!(got.len(), 3);
    for m in &got {
        assert!(
            m.parsed["message_id"].as_str().unwrap().contains("-r1@"),
            "{}",
            m.parsed["message_id"]
        );
        let text = m.parsed["text"].as_str().unwrap();
        assert!(
            text.contains("https://tamim.example.org/ack/") && text.contains("/pdf"),
            "the reminder links the PDF: {text}"
        );
        assert_eq!(
            m.parsed["attachments"].as_array().map(Vec::len),
            Some(0),
            "a reminder attaches nothing"
        );
    }
    assert_eq!(env.count("SELECT count(*) FROM events WHERE kind = 'reminder.sent'"), 3);
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'reminder.failed'"),
        1
    );
}

/// A reminder that was not sent is not recorded as sent (issue #20): no `delivery.reminded` event and no
/// count for the refused one, its failure recorded as such; the next `remind` tries it again as reminder 1.
#[test]
fn a_reminder_that_fails_records_no_reminded_event() {
    let (env, _) = issued(3);
    env.ok(&["send", "#2"]);
    let server = SmtpServer::start_with(ServerOptions {
        reject: vec!["oda1@odalar.example.org".into()],
        ..Default::default()
    })
    .unwrap();
    let r = env.json(&["remind", "#2", "--after", "0", "--smtp", &server.url()]);
    assert_eq!(
        r["sent"]["sent"], 3,
        "ODA-0000, ODA-0002 and the staff's notice about ODA-KAGIT: {r}"
    );
    assert_eq!(r["sent"]["failed"][0]["recipient"], "ODA-0001", "{r}");
    let reminded = |code: &str| {
        env.count(&format!(
            "SELECT count(*) FROM events WHERE kind = 'delivery.reminded' AND detail LIKE '%\"{code}\"%'"
        ))
    };
    assert_eq!(
        (reminded("ODA-0000"), reminded("ODA-0001"), reminded("ODA-0002")),
        (1, 0, 1)
    );
    assert_eq!(
        env.count("SELECT reminders FROM deliveries WHERE recipient_code = 'ODA-0001'"),
        0,
        "the refused reminder is not counted"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'reminder.failed' AND detail LIKE '%\"ODA-0001\"%'"),
        1
    );
    let text = env.ok(&["remind", "#2", "--after", "0", "--smtp", &server.url()]);
    assert!(
        text.contains("3 reminder(s) recorded"),
        "ODA-0000, ODA-0002 and ODA-KAGIT's notice: {text}"
    );
    let again = env.json(&["remind", "#2", "--after", "0", "--transport", "file"]);
    let numbers: std::collections::BTreeMap<String, i64> = again["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["recipient"].as_str().unwrap().to_string(),
                m["reminder"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(numbers["ODA-0001"], 1, "never reminded yet: {again}");
    assert_eq!(numbers["ODA-0000"], 3, "{again}");
    env.ok(&["log", "verify"]);
}

#[test]
fn a_result_never_overwrites_a_move_made_while_the_message_was_in_flight() {
    let (env, _) = issued(3);
    env.ok(&["send", "#2"]);
    // As if a run had claimed three deliveries when a clerk exempted ODA-0001 and the recipient of
    // ODA-0002 acknowledged through the link, before the outbox recorded what the server said.
    let db = env.db();
    db.execute(
        "UPDATE deliveries SET state = 'sending' WHERE recipient_code IN ('ODA-0000', 'ODA-0001', 'ODA-0002')",
        [],
    )
    .unwrap();
    let conn = tamim_store::Conn::from_raw_for_tests(env.db());
    let snapshot = |code: &str| tamim_store::deliveries::by_recipient(&conn, 2, code).unwrap().unwrap();
    let (exempted, acknowledged, sending) = (snapshot("ODA-0001"), snapshot("ODA-0002"), snapshot("ODA-0000"));
    db.execute(
        "UPDATE deliveries SET state = 'exempt' WHERE recipient_code = 'ODA-0001'",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE deliveries SET state = 'acknowledged' WHERE recipient_code = 'ODA-0002'",
        [],
    )
    .unwrap();
    let events_before = env.count("SELECT count(*) FROM events");
    let tx = conn.trial().unwrap();
    let mut chain = tamim_store::events::Chain::load(&tx).unwrap();
    let mut record = |d: &tamim_store::deliveries::Delivery, r: Result<&str, (bool, &str)>| {
        tamim_app::ack::record::outbox_result(&tx, &mut chain, d, tamim_core::Channel::Email, r).unwrap()
    };
    assert_eq!(record(&exempted, Ok("250 OK")), None, "the exemption stands");
    assert_eq!(
        record(&acknowledged, Err((true, "550 5.1.1 no such user"))),
        None,
        "the acknowledgement stands"
    );
    // A delivery that was not moved still takes the result; sent is not moved back by a late deferral.
    assert!(record(&sending, Ok("250 OK")).is_some());
    let mut sent = sending.clone();
    sent.state = tamim_core::state::State::Sent;
    assert!(tamim_app::ack::record::outbox_result(
        &tx,
        &mut chain,
        &sent,
        tamim_core::Channel::Email,
        Err((false, "421 try later"))
    )
    .unwrap()
    .is_none());
    tx.commit().unwrap();
    assert_eq!(env.count("SELECT count(*) FROM events") - events_before, 1);
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'exempt'"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE state = 'acknowledged'"),
        1
    );
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"), 1);
    env.ok(&["log", "verify"]);
}

#[test]
fn a_recipient_on_two_lists_gets_one_message_with_the_stronger_role() {
    let (env, _) = issued_to(2, OFFICE, &["ODA-0000"]);
    let s = env.json(&["send", "#2"]);
    assert_eq!(s["recipients"], 3, "{s}");
    assert_eq!(s["sent"], 2, "{s}");
    let (role, path): (String, String) = env
        .db()
        .query_row(
            "SELECT role, path FROM deliveries WHERE recipient_code = 'ODA-0000'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (role.as_str(), path.as_str()),
        ("gereği", "odalar"),
        "bilgi first, then gereği on odalar: gereği wins"
    );
    assert_eq!(std::fs::read_dir(env.output().join("outbox")).unwrap().count(), 2);
}

#[test]
fn a_cascade_duty_starting_with_a_turkish_capital_is_written_in_the_message() {
    let (env, _) = issued(2);
    // ODA-0000 must pass it on: "İlçe …" starts with a two-byte capital (slicing its first byte once hung `send`).
    env.ok(&["list", "remove", "odalar", "ODA-0000"]);
    env.ok(&[
        "list",
        "add",
        "odalar",
        "ODA-0000",
        "--cascade-text",
        "İlçe Belediye Başkanlıklarına Duyurulacaktır",
    ]);
    let server = SmtpServer::start().expect("SMTP server (scripts/test.sh installs python3-aiosmtpd)");
    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    assert_eq!(s["sent"], 2, "{s}");
    let got = server.wait_for(2, Duration::from_secs(20));
    let to_oda0 = got
        .iter()
        .find(|m| m.rcpts.iter().any(|r| r == "oda0@odalar.example.org"))
        .expect("ODA-0000's message");
    let text = to_oda0.parsed["text"].as_str().unwrap();
    assert!(
        text.contains("Dağıtım notu: Yazı, tarafınızca ilçe Belediye Başkanlıklarına Duyurulacaktır."),
        "{text}"
    );
    let other = got
        .iter()
        .find(|m| m.rcpts.iter().any(|r| r == "oda1@odalar.example.org"))
        .expect("ODA-0001's message");
    assert!(!other.parsed["text"].as_str().unwrap().contains("Dağıtım notu"));
}

/// Reminders to a server that is down: refused before any is recorded, so no reminder counts that never went
/// out (and no escalation comes of it).
#[test]
fn reminders_to_an_unreachable_server_record_nothing() {
    let (env, _) = issued(3);
    env.ok(&["send", "#2"]);
    let before = env.count("SELECT count(*) FROM events");
    let port = support::smtp::unused_port();
    let err = env.fails(&[
        "remind",
        "#2",
        "--after",
        "0",
        "--smtp",
        &format!("smtp://127.0.0.1:{port}"),
    ]);
    assert!(
        err.contains("no reminder recorded") && err.contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM events"), before);
    assert_eq!(env.count("SELECT sum(reminders) FROM deliveries"), 0);
    // With a server that takes mail, the same command records and sends them.
    let server = SmtpServer::start().unwrap();
    let r = env.json(&["remind", "#2", "--after", "0", "--smtp", &server.url()]);
    assert_eq!(
        r["sent"]["sent"], 4,
        "three chambers and the staff's notice about ODA-KAGIT: {r}"
    );
}

/// The environment chooses the transport and the pool like office.toml would; a value that makes no sense is
/// refused by its name and nothing is sent.
#[test]
fn mail_settings_from_the_environment() {
    let (env, _) = issued(3);
    let server = SmtpServer::start().unwrap();
    let with = |vars: &[(&str, &str)], args: &[&str]| {
        let mut c = env.cmd();
        c.env("TAMIM_SMTP_URL", server.url());
        for (k, v) in vars {
            c.env(k, v);
        }
        c.args(args).output().unwrap()
    };
    for (var, bad) in [
        ("TAMIM_SMTP_POOL_SIZE", "0"),
        ("TAMIM_SMTP_TIMEOUT_SECS", "soon"),
        ("TAMIM_SMTP_RATE_PER_SEC", "-1"),
        ("TAMIM_MAIL_TRANSPORT", "pigeon"),
    ] {
        let out = with(&[("TAMIM_MAIL_TRANSPORT", "smtp"), (var, bad)], &["send", "#2"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{var}={bad}: {err}");
        assert!(err.contains(var) && err.contains(bad), "{var}={bad}: {err}");
        assert_eq!(states(&env).get("sent"), None, "{var}={bad}: nothing sent");
    }
    let out = with(
        &[
            ("TAMIM_MAIL_TRANSPORT", "smtp"),
            ("TAMIM_SMTP_POOL_SIZE", "2"),
            ("TAMIM_SMTP_RATE_PER_SEC", "500"),
        ],
        &["send", "#2", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["transport"].as_str(), s["sent"].as_i64()),
        (Some("smtp"), Some(3)),
        "{s}"
    );
    assert_eq!(server.wait_for(3, Duration::from_secs(10)).len(), 3);
    assert!(!env.output().join("outbox").exists(), "nothing went to the file outbox");
}
