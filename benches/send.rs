//! End-to-end `send` benchmark (a script that prints a table): an issued document to N recipients through the
//! crash-safe outbox (SQLite state before and after every message, hash-chained events), into the file outbox
//! and to a local SMTP server over a pool; and peak memory for 100,000 recipients.
//!
//! Baselines in the same run: the same messages through the transports alone (no outbox bookkeeping), and
//! for SMTP another client, Python's smtplib (one connection, and 8 processes of one connection each),
//! sending the same message to the same server.
//!
//! The SMTP server is Postfix's `smtp-sink` (a parallel C sink that is not the bottleneck; Debian package
//! `postfix`), or with `BENCH_SMTP_SERVER=aiosmtpd` the single-threaded aiosmtpd the tests use.
//!
//! Run: `cargo bench --bench send` (BENCH_N, default 10000; BENCH_BIG, default 100000; BENCH_CASES, default
//! `file,smtp,big`; BENCH_SMTP_SERVER, default smtp-sink).

#[path = "../tests/support/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tamim_app::distribution::send::{send, SendOptions};
use tamim_app::registry::Registry;
use tamim_channels as mail;

const OFFICE: &str = r#"
[office]
code = "IESOB"
name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
heading = ["İSTANBUL", "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"]
email = "iesob@example.org.tr"
[[signatories]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]
[mail]
from_addr = "tamim@iesob.example.org.tr"
pool_size = 8
timeout_secs = 30
"#;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// A registry with `n` chambers on one list and an issued one-page circular to them; returns its id.
fn setup(home: &Path, n: usize) -> i64 {
    Registry::init(home, Some(OFFICE)).unwrap();
    let mut reg = Registry::open(home).unwrap();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let now = "2021-11-01T00:00:00Z";
            let tx = tx.raw_for_tests();
            tx.execute(
                "INSERT INTO lists (id, name, title, created_at) VALUES (1, 'odalar', 'Oda Başkanlıklarına', ?1)",
                [now],
            )?;
            let mut org = tx.prepare(
                "INSERT INTO orgs (id, code, name, kind, email, created_at) VALUES (?1, ?2, ?3, 'oda', ?4, ?5)",
            )?;
            let mut m =
                tx.prepare("INSERT INTO list_members (list_id, position, org_id, role) VALUES (1, ?1, ?1, 'gereği')")?;
            for i in 1..=n as i64 {
                org.execute(rusqlite::params![
                    i,
                    format!("ODA-{i}"),
                    format!("Oda {i} Başkanlığı"),
                    format!("oda{i}@odalar.example.org"),
                    now
                ])?;
                m.execute([i])?;
            }
            Ok(())
        })
        .unwrap();
    let draft = home.join("d.toml");
    std::fs::write(
        &draft,
        "template = \"tamim\"\nkind = \"tamim\"\ntarih = \"05.11.2021\"\nkonu = \"Sosyal Medya Etik İlkeleri hk.\"\nmuhatap = [\"ODASI BAŞKANLIĞINA\"]\nbody = [\"Metin.\"]\nto = [\"odalar\"]\nprint_dagitim = false\n[[imza]]\nname = \"Ömer DEMİR\"\ntitle = [\"Genel Sekreter\"]\n",
    )
    .unwrap();
    tamim_app::issue::issue(&mut reg, &draft, &home.join("out"), false)
        .unwrap()
        .id
        .unwrap()
}

/// One run's measurements: messages sent, wall seconds, CPU seconds of the sending process, of the server.
#[derive(Clone, Copy)]
struct Run {
    sent: usize,
    secs: f64,
    cpu: f64,
    server_cpu: Option<f64>,
}

/// Measures `f` (which returns the messages it sent): wall time, this process's CPU, the server's CPU.
fn measure(server: Option<&smtp::BenchServer>, f: impl FnOnce() -> usize) -> Run {
    let server_cpu = || server.and_then(|s| s.cpu_seconds());
    let (cpu0, scpu0, t) = (self_cpu(), server_cpu(), Instant::now());
    let sent = f();
    let secs = t.elapsed().as_secs_f64();
    Run {
        sent,
        secs,
        cpu: self_cpu() - cpu0,
        server_cpu: server_cpu().zip(scpu0).map(|(a, b)| a - b),
    }
}

fn self_cpu() -> f64 {
    smtp::cpu_seconds_of("self").unwrap_or(f64::NAN)
}

fn run(home: &Path, doc: i64, out: &Path, server: Option<&smtp::BenchServer>) -> Run {
    let mut reg = Registry::open(home).unwrap();
    let smtp_url = server.map(|s| s.url());
    let opts = SendOptions {
        transport: Some(if smtp_url.is_some() { "smtp" } else { "file" }.into()),
        smtp_url,
        dry_run: false,
        max_attempts: 1,
        backoff_secs: 0.0,
        retry_failed: false,
        stop: None,
    };
    measure(server, || {
        send(&mut reg, doc, out, &opts, &mut |_, _| {}).unwrap().sent as usize
    })
}

/// The same messages `send` makes (the issued PDF attached), composed once.
fn messages(home: &Path, n: usize) -> impl Iterator<Item = mail::OutgoingMail> {
    let pdf_path = std::fs::read_dir(home.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("issued PDF");
    let pdf: Arc<[u8]> = std::fs::read(pdf_path).unwrap().into();
    let ctx = serde_json::json!({
        "recipient_name": "Oda 1 Başkanlığı", "issuer_name": "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "document_label": "Tamim 2021/1", "sayi": "1", "date_text": "05 Kasım 2021", "konu": "Sosyal Medya Etik İlkeleri hk.",
        "role": "Gereği", "cascade_duty": null, "ack_deadline_text": "19 Kasım 2021", "ack_link": "https://tamim.example.org/ack/3f9c2a",
        "attachment": { "mode": "attached", "filename": "Tamim-2021-1.pdf" }
    });
    let (text, html) = mail::compose(&mail::compose::built_in(), mail::MailKind::Circular, &ctx).unwrap();
    // One attachment for all, as the outbox does: its base64 is made once.
    let attachment = mail::Attachment::new("Tamim-2021-1.pdf", "application/pdf", pdf);
    (0..n).map(move |i| mail::OutgoingMail {
        message_id: mail::message_id("1-1", &format!("ODA-{i}"), "iesob.example.org.tr"),
        date: chrono::Utc::now(),
        from_name: "İstanbul Esnaf ve Sanatkarlar Odaları Birliği".into(),
        from_addr: "tamim@iesob.example.org.tr".into(),
        to_name: format!("Oda {i} Başkanlığı"),
        to_addr: format!("oda{i}@odalar.example.org"),
        subject: mail::subject(
            mail::MailKind::Circular,
            "Tamim 2021/1",
            "Sosyal Medya Etik İlkeleri hk.",
        ),
        text: text.clone(),
        html: html.clone(),
        attachment: Some(attachment.clone()),
        headers: vec![("X-Tamim-Document".into(), "1-1".into())],
    })
}

/// Baseline: the same messages without the outbox: no SQLite state, no events; over 2 file transports, or
/// over a pool of 8 to the SMTP server.
fn transport_alone(home: &Path, n: usize, out: &Path, server: Option<&smtp::BenchServer>) -> Run {
    let msgs = messages(home, n);
    measure(server, || transport_alone_send(msgs, out, server.map(|s| s.url())))
}

fn transport_alone_send(msgs: impl Iterator<Item = mail::OutgoingMail>, out: &Path, smtp_url: Option<String>) -> usize {
    let mut sent = 0;
    let count = |_: usize, _: mail::OutgoingMail, r: Result<mail::Delivered, mail::SendError>| {
        sent += r.is_ok() as usize;
        std::ops::ControlFlow::Continue(())
    };
    match smtp_url {
        Some(url) => {
            let settings = mail::SmtpSettings {
                url,
                timeout: std::time::Duration::from_secs(30),
                pool_size: 8,
                ..Default::default()
            };
            mail::SmtpPool::new(settings).unwrap().send_all(msgs, count);
        }
        None => {
            let mut ts: Vec<mail::FileTransport> = (0..2).map(|_| mail::FileTransport::new(out)).collect();
            mail::send_parallel(&mut ts, msgs, count);
        }
    }
    sent
}

/// Another client against the same server: Python's smtplib (tests/support/smtplib_client.py) sending the
/// same message (first recipient's) `n` times over `procs` processes of one reused connection each.
fn smtplib(home: &Path, n: usize, procs: usize, server: &smtp::BenchServer) -> Run {
    let msg = messages(home, 1).next().unwrap();
    let eml = home.join("smtplib.eml");
    std::fs::write(&eml, mail::build(&msg).unwrap().formatted()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtplib_client.py");
    let mut client_cpu = 0.0;
    let mut run = measure(Some(server), || {
        let children: Vec<_> = (0..procs)
            .map(|p| {
                let count = n / procs + usize::from(p < n % procs);
                std::process::Command::new("/usr/bin/python3")
                    .arg(&script)
                    .args(["--port", &server.port().to_string(), "--count", &count.to_string()])
                    .arg("--eml")
                    .arg(&eml)
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .expect("python3")
            })
            .collect();
        let mut sent = 0;
        for c in children {
            let out = c.wait_with_output().unwrap();
            let line = String::from_utf8_lossy(&out.stdout).to_string();
            let f: Vec<&str> = line.split_whitespace().collect();
            assert!(f.len() == 4 && f[0] == "SENT", "smtplib client failed: {line}");
            sent += f[1].parse::<usize>().unwrap();
            client_cpu += f[3].parse::<f64>().unwrap();
        }
        sent
    });
    run.cpu = client_cpu;
    run
}

/// Prints the median run by rate as a table row: rate, time, CPU of the client and of the server, and all
/// runs' rates.
fn row(label: &str, mut runs: Vec<Run>) {
    let rate = |r: &Run| r.sent as f64 / r.secs;
    let all: Vec<String> = runs.iter().map(|r| format!("{:.0}", rate(r))).collect();
    runs.sort_by(|a, b| rate(a).total_cmp(&rate(b)));
    let m = runs[runs.len() / 2];
    let server = m.server_cpu.map(|c| format!("{c:.2} s")).unwrap_or_default();
    println!(
        "| {label} (median of {}) | {} | {:.2} s | **{:.0}** | {} | {:.2} s | {server} | |",
        runs.len(),
        m.sent,
        m.secs,
        rate(&m),
        all.join(", "),
        m.cpu
    );
}

/// Three fresh registries of `n` recipients, each sent with `send` and then with the transport alone (the
/// baseline, in the same run); prints the median of each.
/// With a server, also Python's smtplib to it (one connection; 8 processes), after each pair.
fn compare(dir: &Path, n: usize, name: &str, server: Option<&smtp::BenchServer>, baseline: &str, case: &str) {
    let (mut runs, mut base, mut py1, mut py8) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in 0..3 {
        let home = dir.join(format!("{name}{r}"));
        let doc = setup(&home, n);
        runs.push(run(&home, doc, &home.join("out"), server));
        base.push(transport_alone(&home, n, &home.join("outbox-alone"), server));
        if let Some(s) = server {
            py1.push(smtplib(&home, n, 1, s));
            py8.push(smtplib(&home, n, 8, s));
        }
    }
    row(&format!("{baseline} (baseline)"), base);
    if server.is_some() {
        row("Python smtplib, 1 connection (another client)", py1);
        row("Python smtplib, 8 processes × 1 connection", py8);
    }
    row(case, runs);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        let home = PathBuf::from(&args[2]);
        let r = run(&home, args[3].parse().unwrap(), &home.join("outbox-big"), None);
        println!("{} {} {:.1}", r.sent, r.secs, peak_rss_mb());
        return;
    }
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let big: usize = std::env::var("BENCH_BIG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // BENCH_CASES: any of file,smtp,big (default all), for short runs while working.
    let cases = std::env::var("BENCH_CASES").unwrap_or_else(|_| "file,smtp,big".into());
    let dir = tempfile::tempdir().unwrap();
    println!("| case | messages | time | messages/s | runs (msg/s) | client CPU | server CPU | peak memory |");
    println!("|---|---|---|---|---|---|---|---|");
    if cases.contains("file") {
        compare(
            dir.path(),
            n,
            "file",
            None,
            "file outbox, transport alone, 2 threads",
            "`send` → file outbox",
        );
    }
    if cases.contains("smtp") {
        // Pooled (8 connections), against smtp-sink unless BENCH_SMTP_SERVER says otherwise.
        let server = smtp::BenchServer::from_env().expect("SMTP server for the benchmark");
        println!(
            "| (SMTP server: {} on 127.0.0.1:{}) | | | | | | | |",
            server.name(),
            server.port()
        );
        compare(
            dir.path(),
            n,
            "smtp",
            Some(&server),
            "local SMTP, `SmtpPool` of 8 alone",
            "`send` → local SMTP, pool of 8",
        );
        // Three runs of four rows: `send`, the pool alone, smtplib with 1 and with 8 processes.
        println!(
            "| (server counted {:?} messages; expected {}) | | | | | | | |",
            server.stop(),
            3 * 4 * n
        );
    }
    if !cases.contains("big") {
        return;
    }
    // Memory: 100,000 recipients to the file outbox in a child process.
    let home = dir.path().join("big");
    let doc = setup(&home, big);
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--child", home.to_str().unwrap(), &doc.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    if f.len() == 3 {
        let secs: f64 = f[1].parse().unwrap();
        let sent: f64 = f[0].parse().unwrap();
        println!(
            "| `send` → file outbox, whole process | {} | {secs:.1} s | {:.0} | | | | {} MB |",
            f[0],
            sent / secs,
            f[2]
        );
    } else {
        println!(
            "| big run failed | | | | | | | {} |",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
