//! Accounts and register benchmarks (a script printing a table, not a timed test):
//! - login: argon2id hash and verify with the chosen parameters (m = 19 MiB, t = 2, p = 1), and a whole
//!   `accounts::session::login` (verify + the session and event written, durably);
//! - the register with 100,000 documents: `tamim serve` (its own process) answering `/evrak` (page 1, a
//!   late page) and searches (konu full text with a Turkish-folded term, gönderen, sayı, a date range, a
//!   kind, all together), timed end to end over loopback HTTP by a client here, and the store's
//!   `register::search` alone. Medians and p99 over the runs.
//!
//! Run: `cargo bench --bench accounts [-- --runs N]` (release), or quicker to build:
//! `cargo bench --profile dev --bench accounts` (dependencies unoptimised but argon2: slower figures).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use tamim_app::accounts::{self, session, NewUser};
use tamim_app::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_tamim");
const DOCS: i64 = 100_000;

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let med = v[v.len() / 2];
    let p99 = v[((v.len() as f64 * 0.99).ceil() as usize).min(v.len()) - 1];
    (med, p99)
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f();
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stats(v)
}

fn build(home: &Path) {
    Registry::init(home, None).unwrap();
    let mut reg = Registry::open(home).unwrap();
    let places = [
        "İstanbul",
        "İzmir",
        "Muğla",
        "Şişli",
        "Üsküdar",
        "Çankaya",
        "Ağrı",
        "Iğdır",
        "Bursa",
        "Konya",
    ];
    let topics = [
        "esnaf denetimi",
        "çalışma saatleri",
        "sosyal medya etik ilkeleri",
        "ödenek talebi",
        "genelge hk.",
        "toplantı çağrısı",
        "bilgi edinme başvurusu",
        "kadro ihtiyacı",
    ];
    let kinds = ["yazı", "genelge", "tamim", "karar"];
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let raw = tx.raw_for_tests();
            let mut org = raw.prepare("INSERT INTO orgs (id, code, name, kind, created_at) VALUES (?1, ?2, ?3, 'valilik', '2021-01-01T00:00:00Z')")?;
            for (i, p) in places.iter().enumerate() {
                org.execute(rusqlite::params![i as i64 + 1, format!("ORG-{i}"), format!("{p} Valiliği")])?;
            }
            let mut doc = raw.prepare(
                "INSERT INTO documents (id, direction, kind, sayi, sayi_key, sayi_number, tarih, konu, from_org_id, kayit_year, kayit_no, state, created_at)
                 VALUES (?1, 'incoming', ?2, ?3, ?3, ?1, ?4, ?5, ?6, 2021, ?1, 'registered', '2021-11-02T00:00:00Z')",
            )?;
            for id in 1..=DOCS {
                let i = id as usize;
                let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new((i % 1400) as u64);
                let konu = format!("{} {} ({i})", places[(i * 7) % places.len()].to_uppercase(), topics[i % topics.len()]);
                doc.execute(rusqlite::params![
                    id,
                    kinds[i % kinds.len()],
                    format!("E-{:08}-010.06-{id}", i % 997),
                    day.format("%Y-%m-%d").to_string(),
                    konu,
                    (i % places.len()) as i64 + 1
                ])?;
            }
            tamim_store::register::index_all(tx)?;
            Ok(())
        })
        .unwrap();
    accounts::add(
        &mut reg.store,
        NewUser {
            username: "kayit".into(),
            display_name: "Kayıt Memuru".into(),
            password: "bench parola 123".into(),
            roles: vec!["kayıt".into()],
        },
        "bench",
    )
    .unwrap();
}

struct Resp {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

fn request(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut r = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = Vec::new();
    r.read_to_end(&mut body).unwrap();
    Resp {
        status,
        headers: head,
        body,
    }
}

fn cookie(r: &Resp, name: &str) -> String {
    r.headers
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(51);

    println!(
        "login, argon2id m={} KiB t={} p={} ({runs} runs)",
        accounts::password::MEMORY_KIB,
        accounts::password::PASSES,
        accounts::password::LANES
    );
    let hash = accounts::password::hash("bench parola 123").unwrap();
    let (m, p) = time_ms(runs.min(21), || {
        accounts::password::hash("bench parola 123").unwrap();
    });
    println!("  {:<44} median {m:7.1} ms  p99 {p:7.1} ms", "hash");
    let (m, p) = time_ms(runs.min(21), || {
        assert!(accounts::password::verify(&hash, "bench parola 123"))
    });
    println!("  {:<44} median {m:7.1} ms  p99 {p:7.1} ms", "verify");

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("registry");
    let t = Instant::now();
    build(&home);
    println!(
        "registry with {DOCS} documents built and indexed in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    {
        let mut store = tamim_store::Store::open(&home).unwrap();
        let (m, p) = time_ms(runs.min(21), || {
            session::login(
                &mut store,
                "kayit",
                "bench parola 123",
                chrono::Utc::now().timestamp(),
                session::Policy::default(),
            )
            .unwrap();
        });
        println!(
            "  {:<44} median {m:7.1} ms  p99 {p:7.1} ms",
            "session::login (verify + session + event)"
        );
    }

    let searches: [(&str, &str); 9] = [
        ("register, page 1", ""),
        ("register, page 1000", "sayfa=1000"),
        ("konu: İSTANBUL (folded, 10,000 hits)", "konu=%C4%B0STANBUL"),
        ("konu: two words, prefix", "konu=sisli+calisma"),
        ("gönderen: muğla", "gonderen=mu%C4%9Fla"),
        ("sayı: 4516", "sayi=4516"),
        ("date range: Kasım 2021", "baslangic=01.11.2021&bitis=30.11.2021"),
        ("kind: genelge", "tur=genelge"),
        (
            "konu + gönderen + dates + kind",
            "konu=esnaf&gonderen=izmir&baslangic=01.01.2021&bitis=31.12.2022&tur=tamim",
        ),
    ];
    println!("store: register::search alone ({runs} runs)");
    let conn = tamim_store::Store::open(&home).unwrap();
    for (name, q) in &searches {
        let get = |k: &str| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                .map(|v| v.replace("%C4%B0", "İ").replace("%C4%9F", "ğ").replace('+', " "))
        };
        let query = tamim_store::register::Query {
            sayi: get("sayi"),
            konu: get("konu"),
            gonderen: get("gonderen"),
            from: get("baslangic").map(|d| tamim_core::turkish::parse_date(&d).unwrap().to_string()),
            to: get("bitis").map(|d| tamim_core::turkish::parse_date(&d).unwrap().to_string()),
            kind: get("tur"),
            offset: get("sayfa").map_or(0, |p| (p.parse::<i64>().unwrap() - 1) * 50),
            limit: 50,
        };
        let (m, p) = time_ms(runs, || {
            tamim_store::register::search(&conn.conn, &query).unwrap();
        });
        println!("  {name:<44} median {m:7.2} ms  p99 {p:7.2} ms");
    }

    let mut child = Command::new(BIN)
        .arg("--registry")
        .arg(&home)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().strip_prefix("listening on http://").unwrap().to_string();
    let page = request(&addr, "GET", "/giris", "", "");
    let login = cookie(&page, "tamim_giris");
    let body = String::from_utf8_lossy(&page.body).to_string();
    let csrf = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let form = format!("kullanici=kayit&parola=bench+parola+123&csrf={csrf}");
    let t = Instant::now();
    let r = request(
        &addr,
        "POST",
        "/giris",
        &format!("Cookie: {login}\r\nContent-Type: application/x-www-form-urlencoded\r\n"),
        &form,
    );
    println!(
        "POST /giris over HTTP: {:.1} ms (status {})",
        t.elapsed().as_secs_f64() * 1000.0,
        r.status
    );
    let session = cookie(&r, "tamim_oturum");
    println!("tamim serve: GET /evrak… over loopback HTTP, one connection per request ({runs} runs)");
    for (name, q) in &searches {
        let path = format!("/evrak?{q}");
        let (m, p) = time_ms(runs, || {
            let r = request(&addr, "GET", &path, &format!("Cookie: {session}\r\n"), "");
            assert_eq!(r.status, 200);
        });
        println!("  {name:<44} median {m:7.2} ms  p99 {p:7.2} ms");
    }
    let (m, p) = time_ms(runs, || {
        assert_eq!(
            request(&addr, "GET", "/evrak/50000", &format!("Cookie: {session}\r\n"), "").status,
            200
        );
    });
    println!(
        "  {:<44} median {m:7.2} ms  p99 {p:7.2} ms",
        "a document's page /evrak/50000"
    );
    let _ = child.kill();
    let _ = child.wait();
}
