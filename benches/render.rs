//! Rendering benchmarks (a script that prints a table): one one-page circular rendered in-process (template →
//! Letter → PDF), and issuing the 6-page Tamim 2021/243 end to end (numbers, render, merge the 5 forwarded
//! pages, tag, store, record). Baseline in the same run: merging alone.
//!
//! Run: `cargo bench --bench render`.

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (home, out) = (dir.path().join("reg"), dir.path().join("out"));
    let report = tamim::demo::run(&home, &out, None).unwrap();
    let tdir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/documents");
    let ctx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tdir.join("examples/tamim-2021-243.json")).unwrap()).unwrap();
    let templates = tamim_docs::render::template::built_in();

    // 1. One one-page circular, in-process.
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let letter = tamim_docs::render::render_template(&templates, "tamim", &ctx).unwrap();
        let pdf = tamim_docs::render::render(&letter).unwrap();
        times.push(t.elapsed());
        size = pdf.len();
    }
    println!("| case | median | size |");
    println!("|---|---|---|");
    println!(
        "| render one one-page circular (template + layout + PDF) | {:.2} ms | {:.1} KB |",
        median(times).as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );

    // Baseline: merging the letter with the 5 pages it forwards.
    let mut reg = tamim_app::registry::Registry::open(&home).unwrap();
    let g = tamim_store::documents::get(&reg.store.conn, report.genelge).unwrap();
    let five = reg.read_file(g.stamped_file.as_deref().unwrap()).unwrap();
    let letter =
        tamim_docs::render::render(&tamim_docs::render::render_template(&templates, "tamim", &ctx).unwrap()).unwrap();
    let mut times = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let merged = tamim_docs::pdf::append(&letter, &[&five]).unwrap();
        times.push(t.elapsed());
        size = merged.len();
    }
    println!(
        "| merge a 1-page letter with 5 forwarded pages (baseline) | {:.2} ms | {:.1} KB |",
        median(times).as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );

    // Stamping page 1 of the 5-page genelge (what `receive` does).
    let original = reg.read_file(g.file.as_deref().unwrap()).unwrap();
    let stamp = tamim_docs::pdf::RegistrationStamp {
        office: "İSTANBUL ESNAF VE SANATKARLAR ODALARI BİRLİĞİ".into(),
        kayit_no: "4959".into(),
        date_text: "03 Kasım 2021".into(),
    };
    let mut times = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let stamped = tamim_docs::pdf::stamp_registration(&original, &stamp).unwrap();
        times.push(t.elapsed());
        size = stamped.len();
    }
    println!(
        "| stamp the registration box on page 1 of the 5-page genelge | {:.2} ms | {:.1} KB |",
        median(times).as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );

    // 2. Issue the 6-page Tamim end to end, 30 times (each a new draft: a comment line differs).
    let draft_text = std::fs::read_to_string(home.join("chain/work/iesob-tamim.toml")).unwrap();
    let mut times = Vec::new();
    let mut pages = 0;
    for i in 0..30 {
        let p = dir.path().join(format!("t{i}.toml"));
        std::fs::write(&p, format!("# run {i}\n{draft_text}")).unwrap();
        let t = Instant::now();
        let issued = tamim_app::issue::issue(&mut reg, &p, &out, false).unwrap();
        times.push(t.elapsed());
        pages = issued.pages;
        size = std::fs::metadata(&issued.file).unwrap().len() as usize;
    }
    println!(
        "| issue Tamim 2021/243 ({pages} pages: render, merge, tag, store, record) | {:.2} ms | {:.1} KB |",
        median(times).as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );
}
