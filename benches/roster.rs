//! Roster benchmarks for issue #15 (a script printing a table, not a timed test):
//! - `tamim roster import` of a 100,000-row `.xlsx` (written here with rust_xlsxwriter, Turkish headers):
//!   the real binary's wall time and peak RSS (`/usr/bin/time`), each run on a fresh registry;
//! - a document to 10,000 offices × 100 staff (1,000,000 people), every office with the "notify all staff"
//!   duty: `distribution::freeze` (the deliveries and the staff duties, in one transaction), then
//!   `tamim audit DOC` (text, to a file) with the staff coverage of every office, half the staff
//!   acknowledged; wall time and peak RSS of the real binary.
//!
//! Medians over the runs. The 1,000,000-person registry is built once per run of this bench.
//!
//! Run: `cargo bench --bench roster [-- --quick] [--runs N]`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tamim_app::distribution::{freeze, token};
use tamim_app::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_tamim");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// `tamim --registry HOME ARGS` under `/usr/bin/time`: (wall seconds, peak RSS in MB).
fn timed(home: &Path, args: &[&str]) -> (f64, f64) {
    let t = Instant::now();
    let r = Command::new("/usr/bin/time")
        .args(["-f", "%M", BIN, "--registry"])
        .arg(home)
        .args(args)
        .output()
        .unwrap();
    let wall = t.elapsed().as_secs_f64();
    assert!(r.status.success(), "{args:?}: {}", String::from_utf8_lossy(&r.stderr));
    let kb: f64 = String::from_utf8_lossy(&r.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (wall, kb / 1024.0)
}

/// A roster of `rows` people as an office saves it from Excel: Turkish headers, an extra column.
fn write_xlsx(path: &Path, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Sicil No",
        "Adı Soyadı",
        "Unvanı",
        "Birimi",
        "E-posta",
        "Göreve Başlama",
        "Notlar",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let units = [
        "Yazı İşleri",
        "Muhasebe",
        "Sicil Şubesi",
        "İnsan Kaynakları",
        "Bilgi İşlem",
    ];
    for r in 1..=rows {
        ws.write_string(r, 0, format!("{:06}", 100_000 + r)).unwrap();
        ws.write_string(r, 1, format!("Personel Çağrı Işık {r}")).unwrap();
        ws.write_string(r, 2, "Memur").unwrap();
        ws.write_string(r, 3, units[r as usize % units.len()]).unwrap();
        ws.write_string(r, 4, format!("p{r}@example.org")).unwrap();
        ws.write_string(r, 5, "01.02.2019").unwrap();
        ws.write_string(r, 6, "").unwrap();
    }
    wb.save(path).unwrap();
}

fn bench_import(rows: u32, runs: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("kadro.xlsx");
    write_xlsx(&xlsx, rows);
    let (mut walls, mut rss) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let home = dir.path().join(format!("r{i}"));
        Registry::init(&home, None).unwrap();
        let h = home.to_str().unwrap();
        let ok = Command::new(BIN)
            .args([
                "--registry",
                h,
                "org",
                "add",
                "ODA",
                "--name",
                "Bench Odası",
                "--kind",
                "oda",
            ])
            .output()
            .unwrap();
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        let (w, m) = timed(&home, &["roster", "import", "ODA", xlsx.to_str().unwrap()]);
        walls.push(w);
        rss.push(m);
    }
    (median(walls), rss.into_iter().fold(0.0, f64::max))
}

/// A registry with `offices` offices of `staff` people each, one list naming every office with the staff
/// duty, and one issued document to that list (not frozen yet).
fn build_chain(home: &Path, offices: usize, staff: usize) {
    Registry::init(home, None).unwrap();
    let mut reg = Registry::open(home).unwrap();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            let tx = tx.raw_for_tests();
            let now = "2021-11-01T09:00:00Z";
            tx.execute("INSERT INTO lists (id, name, title, created_at) VALUES (1, 'odalar', 'Odalar', ?1)", [now])?;
            let mut org = tx.prepare(
                "INSERT INTO orgs (id, code, name, kind, email, created_at) VALUES (?1, ?2, ?3, 'oda', ?4, ?5)",
            )?;
            let mut member = tx.prepare(
                "INSERT INTO list_members (list_id, position, org_id, role, staff_duty) VALUES (1, ?1, ?1, 'gereği', 1)",
            )?;
            let mut person = tx.prepare(
                "INSERT INTO staff (org_id, sicil, name, title, unit, email, joined_on, created_at)
                 VALUES (?1, ?2, ?3, 'Memur', 'Yazı İşleri', ?4, '2019-02-01', ?5)",
            )?;
            for o in 1..=offices as i64 {
                org.execute(rusqlite::params![o, format!("ODA-{o:05}"), format!("Oda {o:05} Başkanlığı"), format!("oda{o}@example.org"), now])?;
                member.execute([o])?;
                for s in 0..staff {
                    person.execute(rusqlite::params![o, format!("{s:04}"), format!("Personel {o}-{s}"), format!("p{o}-{s}@example.org"), now])?;
                }
            }
            tx.execute(
                "INSERT INTO documents (id, direction, kind, sayi, tarih, konu, issuer, state, payload, created_at)
                 VALUES (1, 'outgoing', 'tamim', '4516', '2021-11-05', 'Sosyal Medya Etik İlkeleri hk.', 'İESOB', 'issued', '{\"to\":[\"odalar\"]}', ?1)",
                [now],
            )?;
            Ok(())
        })
        .unwrap();
}

/// Half of every office's staff acknowledged on paper (what the coverage counts).
fn half_acknowledged(home: &Path) {
    let mut reg = Registry::open(home).unwrap();
    reg.store
        .write(|tx| -> tamim_store::Result<()> {
            tx.raw_for_tests().execute(
                "INSERT INTO staff_acks (delivery_id, staff_id, state, method, at)
                 SELECT d.id, s.id, 'acknowledged', 'paper', '2021-11-08T10:00:00Z'
                 FROM deliveries d JOIN staff s ON s.org_id = d.org_id
                 WHERE d.document_id = 1 AND s.id % 2 = 0",
                [],
            )?;
            Ok(())
        })
        .unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3usize);
    let (rows, offices, staff) = if quick {
        (10_000, 1_000, 10)
    } else {
        (100_000, 10_000, 100)
    };

    let (w, m) = bench_import(rows, runs);
    println!("| measure (median of {runs}) | wall | peak RSS (max) | aim |\n|---|---|---|---|");
    println!("| `roster import` of {rows} rows (.xlsx) | {w:.2} s | {m:.0} MB | ≤ 5 s, ≤ 200 MB |");

    let (mut freezes, mut audits, mut audit_rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("reg");
        build_chain(&home, offices, staff);
        let secret = token::secret(&home).unwrap();
        let mut reg = Registry::open(&home).unwrap();
        let t = Instant::now();
        let r = reg.store.write(|tx| freeze::freeze(tx, &secret, 1)).unwrap();
        freezes.push(t.elapsed().as_secs_f64());
        assert_eq!(r.total as usize, offices);
        drop(reg);
        half_acknowledged(&home);
        let out = dir.path().join("denetim.txt");
        let (w, m) = timed(&home, &["audit", "1", "--file", out.to_str().unwrap()]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("Personel"), "the audit names pending staff");
        audits.push(w);
        audit_rss.push(m);
    }
    let people = offices * staff;
    println!(
        "| freeze: {offices} offices × {staff} staff ({people} people), staff duties | {:.2} s | — | ≤ 10 s |",
        median(freezes)
    );
    println!(
        "| `audit` (text) with every office's staff coverage | {:.2} s | {:.0} MB | the reshaped audit's aims |",
        median(audits),
        audit_rss.into_iter().fold(0.0, f64::max)
    );
}
