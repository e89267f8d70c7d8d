//! End-to-end `send` benchmark (a script that prints a table): an issued document to N recipients through the
//! crash-safe outbox (SQLite state before and after every message, hash-chained events), into the file outbox
//! and to a local aiosmtpd (count-only) over a pool; and peak memory for 100,000 recipients.
//!
//! Run: `cargo bench --bench send` (BENCH_N, default 10000; BENCH_BIG, default 100000).

#[path = "../tests/support/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};
use std::time::Instant;

use tamim::distribution::send::{send, SendOptions};
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
    let dir = tempfile::tempdir().unwrap();
    println!("| case | messages | time | messages/s | peak memory |");
    println!("|---|---|---|---|---|");
    // File outbox, three fresh registries, median.
    let mut rates = Vec::new();
    for r in 0..3 {
        let home = dir.path().join(format!("file{r}"));
        let doc = setup(&home, n);
        let (sent, secs) = run(&home, doc, &home.join("out"), None);
        rates.push((sent as f64 / secs, secs, sent));
    }
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rate, secs, sent) = rates[1];
    println!("| `send` → file outbox (median of 3) | {sent} | {secs:.2} s | {rate:.0} | |");
    // SMTP, pooled (8 connections), against aiosmtpd count-only.
    let server = smtp::SmtpServer::start_with(smtp::ServerOptions { count_only: true, ..Default::default() }).expect("aiosmtpd");
    let mut rates = Vec::new();
    for r in 0..3 {
        let home = dir.path().join(format!("smtp{r}"));
        let doc = setup(&home, n);
        let (sent, secs) = run(&home, doc, &home.join("out"), Some(server.url()));
        rates.push((sent as f64 / secs, secs, sent));
    }
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rate, secs, sent) = rates[1];
    println!("| `send` → local SMTP, pool of 8 (median of 3) | {sent} | {secs:.2} s | {rate:.0} | |");
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
