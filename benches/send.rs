//! End-to-end `send` benchmark (a script that prints a table): an issued document to N recipients through the
//! crash-safe outbox (SQLite state before and after every message, hash-chained events), into the file outbox
//! and to a local aiosmtpd (count-only) over a pool; and peak memory for 100,000 recipients.
//!
//! Baselines in the same run: the same messages through the transports alone (no outbox bookkeeping).
//!
//! Run: `cargo bench --bench send` (BENCH_N, default 10000; BENCH_BIG, default 100000; BENCH_CASES, default
//! `file,smtp,big`).

#[path = "../tests/support/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tamim::distribution::send::{send, SendOptions};
use tamim::mail;
use tamim::registry::Registry;

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
        .write(|tx| {
            let now = "2021-11-01T00:00:00Z";
            tx.execute("INSERT INTO lists (id, name, title, created_at) VALUES (1, 'odalar', 'Oda Başkanlıklarına', ?1)", [now])?;
            let mut org = tx.prepare("INSERT INTO orgs (id, code, name, kind, email, created_at) VALUES (?1, ?2, ?3, 'oda', ?4, ?5)")?;
            let mut m = tx.prepare("INSERT INTO list_members (list_id, position, org_id, role) VALUES (1, ?1, ?1, 'gereği')")?;
            for i in 1..=n as i64 {
                org.execute(rusqlite::params![i, format!("ODA-{i}"), format!("Oda {i} Başkanlığı"), format!("oda{i}@odalar.example.org"), now])?;
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
    tamim::issue::issue(&mut reg, &draft, &home.join("out"), false).unwrap().id.unwrap()
}

fn run(home: &Path, doc: i64, out: &Path, smtp_url: Option<String>) -> (usize, f64) {
    let mut reg = Registry::open(home).unwrap();
    let opts = SendOptions { transport: Some(if smtp_url.is_some() { "smtp" } else { "file" }.into()), smtp_url, dry_run: false, max_attempts: 1, backoff_secs: 0.0 };
    let t = Instant::now();
    let s = send(&mut reg, doc, out, &opts, &mut |_, _| {}).unwrap();
    (s.sent as usize, t.elapsed().as_secs_f64())
}

/// Baseline: the same messages (the issued PDF attached, composed once), without the outbox: no SQLite
/// state, no events; over 2 file transports, or over a pool of 8 to the SMTP server.
fn transport_alone(home: &Path, n: usize, out: &Path, smtp_url: Option<String>) -> (usize, f64) {
    let pdf_path = std::fs::read_dir(home.join("out")).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|x| x == "pdf")).expect("issued PDF");
    let pdf: Arc<[u8]> = std::fs::read(pdf_path).unwrap().into();
    let ctx = serde_json::json!({
        "recipient_name": "Oda 1 Başkanlığı", "issuer_name": "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "document_label": "Tamim 2021/1", "sayi": "1", "date_text": "05 Kasım 2021", "konu": "Sosyal Medya Etik İlkeleri hk.",
        "role": "Gereği", "cascade_duty": null, "ack_deadline_text": "19 Kasım 2021", "ack_link": "https://tamim.example.org/ack/3f9c2a",
        "attachment": { "mode": "attached", "filename": "Tamim-2021-1.pdf" }
    });
    let (text, html) = mail::compose(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mail"), mail::MailKind::Circular, &ctx).unwrap();
    // One attachment for all, as the outbox does: its base64 is made once.
    let attachment = mail::Attachment::new("Tamim-2021-1.pdf", "application/pdf", pdf);
    let msgs = (0..n).map(|i| mail::OutgoingMail {
        message_id: mail::message_id("1-1", &format!("ODA-{i}"), "iesob.example.org.tr"),
        date: chrono::Utc::now(),
        from_name: "İstanbul Esnaf ve Sanatkarlar Odaları Birliği".into(),
        from_addr: "tamim@iesob.example.org.tr".into(),
        to_name: format!("Oda {i} Başkanlığı"),
        to_addr: format!("oda{i}@odalar.example.org"),
        subject: mail::subject(mail::MailKind::Circular, "Tamim 2021/1", "Sosyal Medya Etik İlkeleri hk."),
        text: text.clone(),
        html: html.clone(),
        attachment: Some(attachment.clone()),
        headers: vec![("X-Tamim-Document".into(), "1-1".into())],
    });
    let t = Instant::now();
    let mut sent = 0;
    let count = |_: usize, _: mail::OutgoingMail, r: Result<mail::Delivered, mail::SendError>| {
        sent += r.is_ok() as usize;
        std::ops::ControlFlow::Continue(())
    };
    match smtp_url {
        Some(url) => {
            let settings = mail::SmtpSettings { url, timeout: std::time::Duration::from_secs(30), pool_size: 8, ..Default::default() };
            mail::SmtpPool::new(settings).unwrap().send_all(msgs, count);
        }
        None => {
            let mut ts: Vec<mail::FileTransport> = (0..2).map(|_| mail::FileTransport::new(out)).collect();
            mail::send_parallel(&mut ts, msgs, count);
        }
    }
    (sent, t.elapsed().as_secs_f64())
}

/// The median run by rate: (rate, seconds, messages).
fn median(mut runs: Vec<(usize, f64)>) -> (f64, f64, usize) {
    runs.sort_by(|a, b| (a.0 as f64 / a.1).total_cmp(&(b.0 as f64 / b.1)));
    let (sent, secs) = runs[runs.len() / 2];
    (sent as f64 / secs, secs, sent)
}

/// Three fresh registries of `n` recipients, each sent with `send` and then with the transport alone (the
/// baseline, in the same run); prints the median of each.
fn compare(dir: &Path, n: usize, name: &str, smtp_url: Option<String>, baseline: &str, case: &str) {
    let (mut runs, mut base) = (Vec::new(), Vec::new());
    for r in 0..3 {
        let home = dir.join(format!("{name}{r}"));
        let doc = setup(&home, n);
        runs.push(run(&home, doc, &home.join("out"), smtp_url.clone()));
        base.push(transport_alone(&home, n, &home.join("outbox-alone"), smtp_url.clone()));
    }
    let (rate, secs, sent) = median(base);
    println!("| {baseline} (baseline, median of 3) | {sent} | {secs:.2} s | {rate:.0} | |");
    let (rate, secs, sent) = median(runs);
    println!("| {case} (median of 3) | {sent} | {secs:.2} s | {rate:.0} | |");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        let home = PathBuf::from(&args[2]);
        let (sent, secs) = run(&home, args[3].parse().unwrap(), &home.join("outbox-big"), None);
        println!("{sent} {secs} {:.1}", peak_rss_mb());
        return;
    }
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let big: usize = std::env::var("BENCH_BIG").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    // BENCH_CASES: any of file,smtp,big (default all), for short runs while working.
    let cases = std::env::var("BENCH_CASES").unwrap_or_else(|_| "file,smtp,big".into());
    let dir = tempfile::tempdir().unwrap();
    println!("| case | messages | time | messages/s | peak memory |");
    println!("|---|---|---|---|---|");
    if cases.contains("file") {
        compare(dir.path(), n, "file", None, "file outbox, transport alone, 2 threads", "`send` → file outbox");
    }
    if cases.contains("smtp") {
        // Against aiosmtpd in count-only mode, pooled (8 connections).
        let server = smtp::SmtpServer::start_with(smtp::ServerOptions { count_only: true, ..Default::default() }).expect("aiosmtpd");
        compare(dir.path(), n, "smtp", Some(server.url()), "local SMTP, `SmtpPool` of 8 alone", "`send` → local SMTP, pool of 8");
    }
    if !cases.contains("big") {
        return;
    }
    // Memory: 100,000 recipients to the file outbox in a child process.
    let home = dir.path().join("big");
    let doc = setup(&home, big);
    let out = std::process::Command::new(std::env::current_exe().unwrap()).args(["--child", home.to_str().unwrap(), &doc.to_string()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    if f.len() == 3 {
        let secs: f64 = f[1].parse().unwrap();
        let sent: f64 = f[0].parse().unwrap();
        println!("| `send` → file outbox, whole process | {} | {secs:.1} s | {:.0} | {} MB |", f[0], sent / secs, f[2]);
    } else {
        println!("| big run failed | | | | {} |", String::from_utf8_lossy(&out.stderr));
    }
}
