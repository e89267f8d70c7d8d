//! Registry benchmarks (a script that prints a table, not a timed test):
//! - expanding a nested list to 1,000,000 recipients (81 provinces × 10 units × 1,235 staff), time and peak memory,
//!   against a baseline that only reads the same member rows;
//! - `chain` on a registry of 100,000 documents in chains 10 deep, against a baseline of loading one document.
//!
//! Run: `cargo bench --bench registry` (add `-- --quick` for a smaller run).

use std::time::{Duration, Instant};

use tamim_app::registry::{chain, expand, Registry};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn build_big_list(home: &std::path::Path, provinces: usize, units: usize, staff: usize) {
    Registry::init(home, None).unwrap();
    let mut reg = Registry::open(home).unwrap();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let tx = tx.raw_for_tests();
            let now = "2021-11-01T00:00:00Z";
            tx.execute("INSERT INTO lists (id, name, title, created_at) VALUES (1, 'turkiye', '81 İl Valiliğine', ?1)", [now])?;
            let mut org = tx.prepare("INSERT INTO orgs (id, code, name, kind, parent_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
            let mut person = tx.prepare("INSERT INTO people (id, code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, 'Memur', ?4, ?5, ?6)")?;
            let mut list = tx.prepare("INSERT INTO lists (id, name, title, created_at) VALUES (?1, ?2, ?3, ?4)")?;
            let mut member = tx.prepare(
                "INSERT INTO list_members (list_id, position, org_id, person_id, sublist_id, role) VALUES (?1, ?2, ?3, ?4, ?5, 'gereği')",
            )?;
            let (mut org_id, mut person_id, mut list_id) = (0i64, 0i64, 1i64);
            let names = ["Ayşe", "İsmail", "Çağla", "Ömer", "Şule", "Iğdır", "Gül", "Ümit", "Zeynep", "Ahmet"];
            for p in 0..provinces {
                org_id += 1;
                let prov_org = org_id;
                org.execute(rusqlite::params![prov_org, format!("IL{p:02}"), format!("İl {p:02} Valiliği"), "valilik", None::<i64>, now])?;
                list_id += 1;
                let prov_list = list_id;
                list.execute(rusqlite::params![prov_list, format!("il-{p:02}"), format!("İl {p:02}"), now])?;
                member.execute(rusqlite::params![1, p as i64 + 1, None::<i64>, None::<i64>, prov_list])?;
                for u in 0..units {
                    org_id += 1;
                    org.execute(rusqlite::params![org_id, format!("IL{p:02}-B{u}"), format!("İl {p:02} Birim {u}"), "birim", prov_org, now])?;
                    list_id += 1;
                    list.execute(rusqlite::params![list_id, format!("il-{p:02}-b{u}"), format!("Birim {u}"), now])?;
                    member.execute(rusqlite::params![prov_list, u as i64 + 1, None::<i64>, None::<i64>, list_id])?;
                    for s in 0..staff {
                        person_id += 1;
                        let name = format!("{} PERSONEL {person_id}", names[person_id as usize % names.len()]);
                        person.execute(rusqlite::params![person_id, format!("P{person_id}"), name, org_id, format!("p{person_id}@example.org"), now])?;
                        member.execute(rusqlite::params![list_id, s as i64 + 1, None::<i64>, person_id, None::<i64>])?;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

fn build_chains(home: &std::path::Path, docs: usize, depth: usize) -> Vec<i64> {
    Registry::init(home, None).unwrap();
    let mut reg = Registry::open(home).unwrap();
    let mut middles = Vec::new();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let tx = tx.raw_for_tests();
            let mut doc = tx.prepare(
                "INSERT INTO documents (id, direction, kind, sayi, sayi_key, sayi_number, tarih, konu, issuer, state, created_at)
                 VALUES (?1, 'incoming', 'yazı', ?2, ?2, ?1, '2021-11-02', 'Konu', 'Kurum', 'registered', '2021-11-02T00:00:00Z')",
            )?;
            let mut cite = tx.prepare("INSERT INTO citations (document_id, position, text, target_id) VALUES (?1, 1, 'ilgi', ?2)")?;
            for id in 1..=docs as i64 {
                doc.execute(rusqlite::params![id, id.to_string()])?;
                if (id - 1) % depth as i64 != 0 {
                    cite.execute(rusqlite::params![id, id - 1])?;
                }
                if (id - 1) % depth as i64 == depth as i64 / 2 && middles.len() < 100 {
                    middles.push(id);
                }
            }
            Ok(())
        })
        .unwrap();
    middles
}

/// CPU seconds (user + system) this process has used so far, from /proc/self/stat (in clock ticks of 1/100 s).
fn cpu_secs() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

fn child_expand(home: &str) {
    let reg = Registry::open(std::path::Path::new(home)).unwrap();
    let mode = std::env::args().nth(3).unwrap_or_default();
    let t = Instant::now();
    let cpu0 = cpu_secs();
    let n = if mode == "baseline" {
        // Baseline: read the same member rows (the same query, nothing kept, no walk, no sorting).
        let mut n = 0usize;
        tamim_store::lists::for_each_reachable_member(&reg.store.conn, 1, |_| {
            n += 1;
            Ok::<_, tamim_store::Error>(())
        })
        .unwrap();
        n
    } else {
        expand::expand(&reg.store.conn, "turkiye").unwrap().len()
    };
    println!(
        "{} {} {} {:.1}",
        n,
        t.elapsed().as_secs_f64(),
        cpu_secs() - cpu0,
        peak_rss_mb()
    );
}

/// One run of a case: (recipients, wall seconds, CPU seconds, peak MB). In-process cases run in a fresh child of this
/// bench; the command-line cases run the release `tamim` itself under `/usr/bin/time`, output to /dev/null.
fn run_case(home: &std::path::Path, mode: &str, expected: usize) -> (usize, f64, f64, f64) {
    let home = home.to_str().unwrap();
    let out = match mode {
        "baseline" | "expand" => std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--child-expand", home, mode])
            .output(),
        _ => {
            let mut args = vec![
                "-f",
                "%e %U %S %M",
                env!("CARGO_BIN_EXE_tamim"),
                "--registry",
                home,
                "list",
                "show",
                "turkiye",
                "--expand",
            ];
            if mode == "cli-json" {
                args.push("--json");
            }
            std::process::Command::new("/usr/bin/time")
                .args(&args)
                .stdout(std::process::Stdio::null())
                .output()
        }
    }
    .unwrap();
    assert!(
        out.status.success(),
        "{mode} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if mode.starts_with("cli") {
        let err = String::from_utf8_lossy(&out.stderr);
        let f: Vec<f64> = err
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        assert_eq!(f.len(), 4, "unexpected /usr/bin/time output: {err}");
        return (expected, f[0], f[1] + f[2], f[3] / 1024.0);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(f.len(), 4, "child printed {text:?}");
    (
        f[0].parse().unwrap(),
        f[1].parse().unwrap(),
        f[2].parse().unwrap(),
        f[3].parse().unwrap(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child-expand") {
        return child_expand(&args[2]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let dir = tempfile::tempdir().unwrap();

    // 1. Expansion to 1,000,000 recipients. BENCH_REGISTRY=DIR keeps the registry there and reuses it.
    let (p, u, s) = if quick { (81, 10, 12) } else { (81, 10, 1235) };
    let home = match std::env::var_os("BENCH_REGISTRY") {
        Some(d) => std::path::PathBuf::from(d),
        None => dir.path().join("big"),
    };
    if !home.join("tamim.sqlite").exists() {
        let t = Instant::now();
        build_big_list(&home, p, u, s);
        eprintln!("built {} people in {:.1}s", p * u * s, t.elapsed().as_secs_f64());
    }
    // Wall time depends on what else the two cores are doing; CPU time (user + system) much less so.
    println!("| case | recipients | median wall time | median CPU time | peak memory |");
    println!("|---|---|---|---|---|");
    let people = p * u * s;
    for (mode, label) in [
        ("baseline", "read the member rows, keep nothing (baseline)"),
        ("expand", "expand in process (load + walk + dedupe + Turkish sort)"),
        ("cli-text", "`tamim list show turkiye --expand` > /dev/null (the table)"),
        ("cli-json", "`tamim list show turkiye --expand --json` > /dev/null"),
    ] {
        let (mut times, mut cpus) = (Vec::new(), Vec::new());
        let mut mem = 0.0f64;
        let mut count = 0;
        for _ in 0..3 {
            let (n, secs, cpu, mb) = run_case(&home, mode, people);
            count = n;
            times.push(Duration::from_secs_f64(secs));
            cpus.push(Duration::from_secs_f64(cpu));
            mem = mem.max(mb);
        }
        println!(
            "| {label} | {count} | {:.2} s | {:.2} s | {mem:.0} MB |",
            median(times).as_secs_f64(),
            median(cpus).as_secs_f64()
        );
    }

    // 2. chain on 100,000 documents, chains 10 deep.
    let home = dir.path().join("chains");
    let middles = build_chains(&home, if quick { 10_000 } else { 100_000 }, 10);
    let reg = Registry::open(&home).unwrap();
    let mut base = Vec::new();
    let mut times = Vec::new();
    let mut docs = 0;
    for &m in &middles {
        let t = Instant::now();
        tamim_store::documents::get(&reg.store.conn, m).unwrap();
        base.push(t.elapsed());
        let t = Instant::now();
        let c = chain::chain(&reg.store.conn, m).unwrap();
        times.push(t.elapsed());
        docs = c.documents.len();
    }
    println!(
        "| load one document (baseline) | 1 | {:.3} ms | | |",
        median(base).as_secs_f64() * 1e3
    );
    println!(
        "| chain of a document in a 10-deep chain, 100,000 documents | {docs} | {:.3} ms | | |",
        median(times).as_secs_f64() * 1e3
    );
}
