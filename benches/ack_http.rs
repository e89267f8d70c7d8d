//! Acknowledgement benchmarks (a script that prints a table, not a timed test):
//! - durable acknowledgements over HTTP on loopback: a registry with 100,000 deliveries, `tamim serve`
//!   (the release binary, its own process), and a load generator here (keep-alive HTTP/1.1 connections on
//!   threads) POSTing every delivery's ack form once; throughput, p50 / p99 / max latency, then checks
//!   that the database holds 100,000 acknowledgements and the event log verifies;
//! - `tamim audit` of a document with 1,000,000 recipients (and 1,500,000 events): wall time and peak
//!   memory of the real binary per format.
//!
//! Run: `cargo bench --bench ack_http` (add `-- --quick` for 10,000 / 100,000).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tamim::distribution::token;
use tamim::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_tamim");

/// A registry with one issued document and `n` deliveries (state sent), each with its sent event.
fn build(home: &Path, n: usize, acked_fraction: f64) -> (i64, Vec<String>) {
    Registry::init(home, None).unwrap();
    let secret = token::secret(home).unwrap();
    let mut reg = Registry::open(home).unwrap();
    let mut tokens = Vec::with_capacity(if acked_fraction == 0.0 { n } else { 0 });
    reg.store
        .write(|tx| {
            let now = "2021-11-05T09:00:00Z";
            let orgs = 810usize;
            let mut org = tx.prepare("INSERT INTO orgs (id, code, name, kind, created_at) VALUES (?1, ?2, ?3, 'oda', ?4)")?;
            for o in 0..orgs {
                org.execute(rusqlite::params![o as i64 + 1, format!("ODA-{o:04}"), format!("Oda {o:04} Başkanlığı"), now])?;
            }
            let mut person = tx.prepare("INSERT INTO people (id, code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, 'Memur', ?4, ?5, ?6)")?;
            for p in 0..n {
                person.execute(rusqlite::params![p as i64 + 1, format!("P{p:07}"), format!("Personel {p:07}"), (p % orgs) as i64 + 1, format!("p{p}@example.org"), now])?;
            }
            tx.execute(
                "INSERT INTO documents (id, direction, kind, sayi, tarih, konu, issuer, state, payload, created_at)
                 VALUES (1, 'outgoing', 'tamim', '4516', '2021-11-05', 'Sosyal Medya Etik İlkeleri hk.', 'İESOB', 'issued', '{\"to\":[\"x\"]}', ?1)",
                [now],
            )?;
            let mut del = tx.prepare(
                "INSERT INTO deliveries (id, document_id, recipient_kind, recipient_code, person_id, name, email, role, path, state, channel, token_hash, sent_at,
                     acknowledged_at, ack_by, ack_method)
                 VALUES (?1, 1, 'person', ?2, ?1, ?3, ?4, 'gereği', 'odalar', ?5, 'email', ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut ev = tx.prepare("INSERT INTO events (seq, at, document_id, delivery_id, kind, detail, prev_hash, hash) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)")?;
            let mut prev = tamim::store::events::GENESIS.to_string();
            let mut seq = 0i64;
            let mut event = |seq: &mut i64, prev: &mut String, id: i64, kind: &str, detail: String| -> rusqlite::Result<()> {
                *seq += 1;
                let h = tamim::store::events::entry_hash(prev, *seq, now, Some(1), Some(id), kind, &detail);
                ev.execute(rusqlite::params![*seq, now, id, kind, detail, prev.as_str(), h])?;
                *prev = h;
                Ok(())
            };
            let acked_every = if acked_fraction > 0.0 { (1.0 / acked_fraction).round() as usize } else { 0 };
            for p in 0..n {
                let code = format!("P{p:07}");
                let t = token::token(&secret, 1, &code);
                let id = p as i64 + 1;
                let acked = acked_every > 0 && p % acked_every == 0;
                let day = format!("2021-11-{:02}T10:00:00Z", 6 + (p % 20));
                del.execute(rusqlite::params![
                    id, code, format!("Personel {p:07}"), format!("p{p}@example.org"), if acked { "acknowledged" } else { "sent" },
                    token::token_hash(&t), now, acked.then_some(day.clone()), acked.then_some("Personel"), acked.then_some("link")
                ])?;
                event(&mut seq, &mut prev, id, "delivery.sent", format!("{{\"recipient\":\"{code}\",\"channel\":\"email\",\"reply\":\"250 2.0.0 Ok\"}}"))?;
                if acked {
                    event(&mut seq, &mut prev, id, "delivery.acknowledged", format!("{{\"recipient\":\"{code}\",\"method\":\"link\",\"by\":\"Personel\",\"at\":\"{day}\"}}"))?;
                }
                if acked_fraction == 0.0 {
                    tokens.push(t);
                }
            }
            Ok(())
        })
        .unwrap();
    (1, tokens)
}

fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn pct(v: &[Duration], p: f64) -> Duration {
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

fn bench_http(n: usize, connections: usize) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("registry");
    let t0 = Instant::now();
    let (_, tokens) = build(&home, n, 0.0);
    println!("built a registry with {n} deliveries in {:.1} s", t0.elapsed().as_secs_f64());
    let mut server = Command::new(BIN).arg("--registry").arg(&home).args(["serve", "--bind", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().trim_start_matches("listening on http://").to_string();

    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let (tokens, next, addr) = (tokens.clone(), next.clone(), addr.clone());
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut errors = 0usize;
                let stream = TcpStream::connect(&addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tokens.len() {
                        break;
                    }
                    let body = format!("name=Personel+{i}");
                    let req = format!(
                        "POST /ack/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                        tokens[i],
                        body.len()
                    );
                    let t = Instant::now();
                    w.write_all(req.as_bytes()).unwrap();
                    let status = read_response(&mut r).unwrap();
                    lat.push(t.elapsed());
                    if status != 200 {
                        errors += 1;
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().unwrap();
        lat.extend(l);
        errors += e;
    }
    let wall = start.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    lat.sort();
    let conn = rusqlite::Connection::open(home.join("tamim.sqlite")).unwrap();
    let acked: i64 = conn.query_row("SELECT count(*) FROM deliveries WHERE state = 'acknowledged' AND ack_method = 'link'", [], |r| r.get(0)).unwrap();
    let v = tamim::audit::verify(&conn).unwrap();
    println!("\n| acks over HTTP ({connections} connections, synchronous=FULL) | value |\n|---|---|");
    println!("| deliveries | {n} |");
    println!("| acknowledged (DB after) | {acked} |");
    println!("| non-200 answers | {errors} |");
    println!("| wall time | {:.2} s |", wall.as_secs_f64());
    println!("| throughput | {:.0} acks/s |", n as f64 / wall.as_secs_f64());
    println!("| p50 | {:.2} ms |", pct(&lat, 0.50).as_secs_f64() * 1e3);
    println!("| p99 | {:.2} ms |", pct(&lat, 0.99).as_secs_f64() * 1e3);
    println!("| max | {:.2} ms |", lat.last().unwrap().as_secs_f64() * 1e3);
    println!("| event log | {} ({} entries) |", if v.ok { "verified" } else { "BROKEN" }, v.entries);
    assert_eq!(acked as usize, n, "every acknowledgement must be in the database");
}

fn bench_audit(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("registry");
    let t0 = Instant::now();
    build(&home, n, 0.5);
    println!("\nbuilt a registry with {n} deliveries (half acknowledged) in {:.1} s", t0.elapsed().as_secs_f64());
    println!("\n| audit of {n} recipients | wall | peak RSS | output |\n|---|---|---|---|");
    for format in ["text", "json", "csv", "pdf"] {
        let out = dir.path().join(format!("audit.{format}"));
        let t = Instant::now();
        let r = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(BIN)
            .arg("--registry")
            .arg(&home)
            .args(["audit", "#1", "--format", format, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let wall = t.elapsed();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let kb: f64 = String::from_utf8_lossy(&r.stderr).lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(f64::NAN);
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!("| --format {format} | {:.2} s | {:.0} MB | {:.1} MB |", wall.as_secs_f64(), kb / 1024.0, size as f64 / 1e6);
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (http_n, audit_n) = if quick { (10_000, 100_000) } else { (100_000, 1_000_000) };
    bench_http(http_n, 16);
    bench_audit(audit_n);
}
