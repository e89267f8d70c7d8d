//! Report-back benchmarks (issue #15's measures; a script that prints tables, not a timed test): the
//! release `tamim serve` on loopback (its own process) receiving `POST /rapor`, with a load generator here.
//! - one report carrying 10,000 pending names (≈ 0.3 MB), sent `--runs` times on one delivery (each a new
//!   sequence number): round-trip time, median and max (aim ≤ 200 ms);
//! - 1,000 offices reporting at once (one report each, on 1,000 deliveries), 16 connections: throughput,
//!   p50 / p99 / max latency (aim p99 ≤ 100 ms), then the database must hold all 1,000 ("no report lost").
//!
//! Run: `cargo bench --bench report_http [-- --runs N --offices N --concurrency N]`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tamim_app::distribution::token;
use tamim_app::registry::Registry;
use tamim_core::token::{report_delivery_id, report_key, report_mac};

const BIN: &str = env!("CARGO_BIN_EXE_tamim");

/// A registry with one issued document (sayı 4516 of 05.11.2021) sent to `n` offices.
fn build(home: &Path, n: usize) -> Vec<String> {
    Registry::init(home, None).unwrap();
    let secret = token::secret(home).unwrap();
    let mut reg = Registry::open(home).unwrap();
    let mut tokens = Vec::with_capacity(n);
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let tx = tx.raw_for_tests();
            let now = "2021-11-05T09:00:00Z";
            tx.execute(
                "INSERT INTO documents (id, direction, kind, sayi, tarih, konu, issuer, state, payload, created_at)
                 VALUES (1, 'outgoing', 'genelge', '4516', '2021-11-05', 'Sosyal Medya Etik İlkeleri', 'Valilik', 'issued', '{\"to\":[\"x\"]}', ?1)",
                [now],
            )?;
            let mut org = tx.prepare("INSERT INTO orgs (id, code, name, kind, created_at) VALUES (?1, ?2, ?3, 'birlik', ?4)")?;
            let mut del = tx.prepare(
                "INSERT INTO deliveries (id, document_id, recipient_kind, recipient_code, org_id, name, email, role, path, state, channel, token_hash, sent_at)
                 VALUES (?1, 1, 'org', ?2, ?1, ?3, 'x@example.org', 'gereği', 'dagitim', 'sent', 'email', ?4, ?5)",
            )?;
            for i in 0..n {
                let code = format!("KUR-{i:05}");
                let name = format!("Kurum {i:05} Başkanlığı");
                org.execute(rusqlite::params![i as i64 + 1, code, name, now])?;
                let t = token::token(&secret, 1, &code);
                del.execute(rusqlite::params![i as i64 + 1, code, name, token::token_hash(&t), now])?;
                tokens.push(t);
            }
            Ok(())
        })
        .unwrap();
    tokens
}

/// A report on the delivery of `tok`, numbered `sequence`, with `pending` staff names still pending.
fn report(tok: &str, sequence: i64, pending: usize) -> (Vec<u8>, String) {
    let names: Vec<String> = (0..pending)
        .map(|i| format!("{:06} Personel Adı SOYADI {i}", 100000 + i))
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({
        "delivery": report_delivery_id(tok),
        "sequence": sequence,
        "office": "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "document": {"sayi": "4516", "tarih": "2021-11-05"},
        "registration": {"kayit_no": "4959", "date": "2021-11-06"},
        "follow_ons": [{"sayi": "4516/1", "tarih": "2021-11-07", "konu": "Sosyal Medya Etik İlkeleri hk."}],
        "levels": [
            {"level": 1, "unit": "offices", "total": 18, "states": {"acknowledged": 12, "sent": 6}, "pending": ["ODA-1 Bir Odası"]},
            {"level": 2, "unit": "staff", "total": pending + 50, "states": {"acknowledged": 50, "exempt": 0, "pending": pending}, "pending": names},
        ],
        "head": "ab".repeat(32),
    }))
    .unwrap();
    let mac = report_mac(&report_key(tok), &body);
    (body, mac)
}

/// POST one report on a fresh connection; its status and round-trip time.
fn post(addr: &str, body: &[u8], mac: &str) -> (u16, Duration) {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    let head = format!(
        "POST /rapor HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nX-Tamim-Imza: {mac}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut rest = Vec::new();
    let _ = r.read_to_end(&mut rest);
    (status, t.elapsed())
}

fn pct(v: &[Duration], p: f64) -> Duration {
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = arg(&args, "--runs", 5);
    let offices = arg(&args, "--offices", 1000);
    let concurrency = arg(&args, "--concurrency", 16);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("valilik");
    let tokens = build(&home, offices + 1);
    let mut child = Command::new(BIN)
        .arg("--registry")
        .arg(&home)
        .args(["serve", "--bind", "127.0.0.1:0"])
        // The listening line is read in English.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().trim_start_matches("listening on http://").to_string();

    // 1. One report with 10,000 pending names, `runs` times (sequences 1..).
    let mut times = Vec::new();
    let mut size = 0;
    for seq in 1..=runs as i64 {
        let (body, mac) = report(&tokens[0], seq, 10_000);
        size = body.len();
        let (status, t) = post(&addr, &body, &mac);
        assert_eq!(status, 200, "report {seq}");
        times.push(t);
    }
    times.sort();
    println!("| case | reports | body | median | max |");
    println!("|---|---|---|---|---|");
    println!(
        "| one report, 10,000 pending names | {runs} | {:.0} KB | {} | {} |",
        size as f64 / 1024.0,
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap())
    );

    // 2. `offices` offices reporting at once over `concurrency` connections.
    let bodies: Arc<Vec<(Vec<u8>, String)>> = Arc::new(tokens[1..].iter().map(|t| report(t, 1, 20)).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let lat = Arc::new(Mutex::new(Vec::with_capacity(offices)));
    let failed = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let threads: Vec<_> = (0..concurrency)
        .map(|_| {
            let (bodies, next, lat, failed, addr) =
                (bodies.clone(), next.clone(), lat.clone(), failed.clone(), addr.clone());
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((b, m)) = bodies.get(i) else { break };
                let (status, t) = post(&addr, b, m);
                if status != 200 {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                lat.lock().unwrap().push(t);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let wall = start.elapsed();
    let mut l = lat.lock().unwrap().clone();
    l.sort();
    let _ = child.kill();
    let _ = child.wait();
    let conn = rusqlite::Connection::open(home.join("tamim.sqlite")).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM reports WHERE delivery_id > 1", [], |r| r.get(0))
        .unwrap();
    println!();
    println!("| case | reports | concurrency | throughput | p50 | p99 | max | refused | stored |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {offices} offices reporting at once | {offices} | {concurrency} | {:.0}/s | {} | {} | {} | {} | {stored} |",
        offices as f64 / wall.as_secs_f64(),
        ms(pct(&l, 0.5)),
        ms(pct(&l, 0.99)),
        ms(*l.last().unwrap()),
        failed.load(Ordering::Relaxed)
    );
    assert_eq!(stored as usize, offices, "a report was lost");
}
