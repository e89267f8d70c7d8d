//! Acknowledgement benchmarks (a script that prints tables, not a timed test):
//! - durable acknowledgements over HTTP on loopback: a registry with 100,000 deliveries, `tamim serve`
//!   (the release binary, its own process), and a load generator here (keep-alive HTTP/1.1 connections on
//!   threads) POSTing every delivery's ack form once, at several concurrency levels; throughput, p50 / p99 /
//!   max latency (medians over the runs), then checks that the database holds every acknowledgement and
//!   that the event log verifies;
//! - `tamim audit` of a document with 1,000,000 recipients (and 1,500,000 events) and `tamim log verify`:
//!   wall time (median over the runs) and peak memory of the real binary per format.
//!
//! The registries are built once and kept under `CARGO_TARGET_TMPDIR/ack_http-v{CACHE_VERSION}`; bump
//! `CACHE_VERSION` when `build` changes. Each HTTP run works on a fresh copy.
//!
//! Run: `cargo bench --bench ack_http [-- OPTIONS]`
//!   --quick              10,000 acks / audit of 100,000
//!   --runs N             runs per figure (default 3; medians reported)
//!   --levels 4,8,16,32   HTTP concurrency levels
//!   --baseline PATH      also time another tamim binary (e.g. one built from main) in the same run
//!   --no-http, --no-audit

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tamim_app::distribution::token;
use tamim_app::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_tamim");
/// Bump when `build` writes something different, so cached registries are rebuilt.
const CACHE_VERSION: u32 = 3;

/// A registry with one issued document and `n` deliveries (state sent), each with its sent event.
fn build(home: &Path, n: usize, acked_fraction: f64) {
    Registry::init(home, None).unwrap();
    let secret = token::secret(home).unwrap();
    let mut reg = Registry::open(home).unwrap();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let tx = tx.raw_for_tests();
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
                     acknowledged_at, ack_by, ack_method, office_id)
                 VALUES (?1, 1, 'person', ?2, ?1, ?3, ?4, 'gereği', 'odalar', ?5, 'email', ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let mut ev = tx.prepare("INSERT INTO events (seq, at, document_id, delivery_id, kind, detail, prev_hash, hash) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)")?;
            let mut prev = tamim_store::events::GENESIS.to_string();
            let mut seq = 0i64;
            let mut event = |seq: &mut i64, prev: &mut String, id: i64, kind: &str, detail: String| -> rusqlite::Result<()> {
                *seq += 1;
                let h = tamim_store::events::entry_hash(prev, *seq, now, Some(1), Some(id), kind, &detail);
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
                    token::token_hash(&t), now, acked.then_some(day.clone()), acked.then_some("Personel"), acked.then_some("link"),
                    (p % orgs) as i64 + 1
                ])?;
                event(&mut seq, &mut prev, id, "delivery.sent", format!("{{\"recipient\":\"{code}\",\"channel\":\"email\",\"reply\":\"250 2.0.0 Ok\"}}"))?;
                if acked {
                    event(&mut seq, &mut prev, id, "delivery.acknowledged", format!("{{\"recipient\":\"{code}\",\"method\":\"link\",\"by\":\"Personel\",\"at\":\"{day}\"}}"))?;
                }
            }
            Ok(())
        })
        .unwrap();
}

/// The registry `build(n, acked_fraction)` makes, built once and cached under the target directory.
fn cached(n: usize, acked_fraction: f64) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ack_http-v{CACHE_VERSION}"));
    let home = root.join(format!("registry-{n}-{:.0}", acked_fraction * 100.0));
    if home.join(".complete").is_file() {
        return home;
    }
    let _ = std::fs::remove_dir_all(&home);
    let tmp = root.join(format!("building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let t0 = Instant::now();
    build(&tmp.join("registry"), n, acked_fraction);
    // Fold the WAL into the database file so copies are one file.
    let conn = rusqlite::Connection::open(tmp.join("registry/tamim.sqlite")).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    std::fs::write(tmp.join("registry/.complete"), b"").unwrap();
    std::fs::rename(tmp.join("registry"), &home).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "built {} ({n} deliveries) in {:.1} s",
        home.display(),
        t0.elapsed().as_secs_f64()
    );
    home
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One HTTP run's figures.
struct HttpRun {
    throughput: f64,
    p50: f64,
    p99: f64,
    max: f64,
    errors: usize,
}

/// POST every delivery's ack form once over `connections` keep-alive connections to `bin serve`.
fn http_run(bin: &str, template: &Path, n: usize, connections: usize) -> HttpRun {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("registry");
    copy_dir(template, &home);
    let secret = token::secret(&home).unwrap();
    let tokens: Arc<Vec<String>> = Arc::new((0..n).map(|p| token::token(&secret, 1, &format!("P{p:07}"))).collect());
    let mut server = Command::new(bin)
        .arg("--registry")
        .arg(&home)
        .args(["--lang", "en", "serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().trim_start_matches("listening on http://").to_string();

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
    let acked: i64 = conn
        .query_row(
            "SELECT count(*) FROM deliveries WHERE state = 'acknowledged' AND ack_method = 'link'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(acked as usize, n, "every acknowledgement must be in the database");
    let v = tamim_app::audit::verify(&tamim_store::Conn::from_raw_for_tests(conn)).unwrap();
    assert!(
        v.ok && v.entries as usize == 2 * n,
        "the event log must verify with {} entries: {v:?}",
        2 * n
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    HttpRun {
        throughput: n as f64 / wall.as_secs_f64(),
        p50: ms(pct(&lat, 0.50)),
        p99: ms(pct(&lat, 0.99)),
        max: ms(*lat.last().unwrap()),
        errors,
    }
}

fn bench_http(bins: &[(&str, String)], n: usize, levels: &[usize], runs: usize) {
    let template = cached(n, 0.0);
    println!("\n| acks over HTTP, {n} deliveries, synchronous=FULL (median of {runs}) | connections | throughput | p50 | p99 | max (worst run) | non-200 |");
    println!("|---|---|---|---|---|---|---|");
    for &c in levels {
        for (label, bin) in bins {
            let rs: Vec<HttpRun> = (0..runs).map(|_| http_run(bin, &template, n, c)).collect();
            let m = |f: fn(&HttpRun) -> f64| median(rs.iter().map(f).collect());
            let worst = rs.iter().map(|r| r.max).fold(0.0, f64::max);
            println!(
                "| {label} | {c} | {:.0} acks/s | {:.2} ms | {:.2} ms | {:.1} ms | {} |",
                m(|r| r.throughput),
                m(|r| r.p50),
                m(|r| r.p99),
                worst,
                rs.iter().map(|r| r.errors).sum::<usize>()
            );
        }
    }
}

/// Run `bin ARGS` under `/usr/bin/time`; (wall seconds, peak RSS in MB).
fn timed(bin: &str, home: &Path, args: &[&str]) -> (f64, f64) {
    let t = Instant::now();
    let r = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .arg("--registry")
        .arg(home)
        .args(args)
        .output()
        .unwrap();
    let wall = t.elapsed().as_secs_f64();
    assert!(
        r.status.success(),
        "{bin} {args:?}: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let kb: f64 = String::from_utf8_lossy(&r.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (wall, kb / 1024.0)
}

/// The schema version the baseline (`ffc158b`) knows; later migrations (0005–0007) only add tables and
/// columns with defaults, so it reads the same registry.
const BASELINE_SCHEMA: i64 = 4;

/// Leaves out of `office.toml` the sections an older baseline binary refuses (`[files]`, issue #18;
/// `[server]`, issue #16), whose
/// defaults are what the file says, so both binaries read the same settings.
fn older_office_toml(home: &Path) {
    let path = home.join("office.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    let mut skip = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skip = matches!(line.trim(), "[files]" | "[server]");
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(&path, out).unwrap();
}

/// The audit's flag for the report's file: `--file` since issue #18, `--out` in older binaries (a baseline).
fn report_flag(bin: &str) -> &'static str {
    let help = Command::new(bin)
        .args(["audit", "--help"])
        .env("LANG", "C")
        .output()
        .unwrap();
    if String::from_utf8_lossy(&help.stdout).contains("--file") {
        "--file"
    } else {
        "--out"
    }
}

fn bench_audit(bins: &[(&str, String)], n: usize, runs: usize) {
    let home = cached(n, 0.5);
    let dir = tempfile::tempdir().unwrap();
    // Each binary reads its own copy: the baseline's is the same registry told it is at the schema the
    // baseline knows (migrations since only add tables and defaulted columns it never reads) and given
    // an office.toml without the sections it refuses.
    let homes: Vec<PathBuf> = (0..bins.len())
        .map(|i| {
            if i == 0 {
                return home.clone();
            }
            let copy = dir.path().join(format!("home-{i}"));
            copy_dir(&home, &copy);
            older_office_toml(&copy);
            let conn = rusqlite::Connection::open(copy.join("tamim.sqlite")).unwrap();
            conn.pragma_update(None, "user_version", BASELINE_SCHEMA).unwrap();
            copy
        })
        .collect();
    println!("\n| audit of {n} recipients (median of {runs}) | binary | wall | peak RSS (max) | output |\n|---|---|---|---|---|");
    for format in ["text", "json", "csv", "pdf", "log verify"] {
        let out = dir.path().join(format!("audit.{format}"));
        let out_s = out.to_str().unwrap().to_string();
        let args = |bin: &str| -> Vec<String> {
            if format == "log verify" {
                vec!["log".into(), "verify".into()]
            } else {
                ["audit", "#1", "--format", format, report_flag(bin), &out_s]
                    .map(String::from)
                    .to_vec()
            }
        };
        // The binaries take turns, run by run, so that a busy minute of the machine falls on both, and in
        // the opposite order every other run (the first of a pair ran slower, whichever binary it was).
        // Each run writes a new file: the last run's is removed and written back to disk (`sync`) before it
        // starts, outside the time taken (replacing a report is dearer: on ext4, renaming over a file
        // flushes it).
        let mut rs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); bins.len()];
        let mut sizes = vec![0u64; bins.len()];
        for run in 0..runs {
            let mut order: Vec<usize> = (0..bins.len()).collect();
            if run % 2 == 1 {
                order.reverse();
            }
            for i in order {
                let bin = &bins[i].1;
                let args = args(bin);
                rs[i].push(timed(
                    bin,
                    &homes[i],
                    &args.iter().map(String::as_str).collect::<Vec<_>>(),
                ));
                sizes[i] = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
                let _ = std::fs::remove_file(&out);
                let _ = std::process::Command::new("sync").status();
            }
        }
        for (((label, _), rs), size) in bins.iter().zip(rs).zip(sizes) {
            let what = if format == "log verify" {
                "`tamim log verify`".to_string()
            } else {
                format!("--format {format}")
            };
            println!(
                "| {what} | {label} | {:.2} s | {:.0} MB | {} |",
                median(rs.iter().map(|r| r.0).collect()),
                rs.iter().map(|r| r.1).fold(0.0, f64::max),
                if size > 0 {
                    format!("{:.1} MB", size as f64 / 1e6)
                } else {
                    "—".into()
                }
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let flag = |name: &str| args.iter().any(|a| a == name);
    let quick = flag("--quick");
    let runs: usize = opt("--runs").and_then(|r| r.parse().ok()).unwrap_or(3);
    let levels: Vec<usize> = opt("--levels")
        .map(|l| l.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![4, 8, 16, 32]);
    let mut bins = vec![("this", BIN.to_string())];
    if let Some(b) = opt("--baseline") {
        bins.push(("baseline", b));
    }
    let (http_n, audit_n) = if quick { (10_000, 100_000) } else { (100_000, 1_000_000) };
    if !flag("--no-http") {
        bench_http(&bins, http_n, &levels, runs);
    }
    if !flag("--no-audit") {
        bench_audit(&bins, audit_n, runs);
    }
}
