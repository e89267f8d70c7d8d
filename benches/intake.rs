//! Reading incoming letters: text layer + fields of a one-page letter and of a 6-page letter with attachments, and an e-Yazışma package; prints medians.
//!
//! Run: `cargo bench --bench intake`. The 6-page letter is tamim's own Tamim 2021/243, made by
//! `tamim demo` into a temporary registry first.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(n: usize, mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let one = std::fs::read(root.join("tests/fixtures/intake/libreoffice-valilik.pdf")).expect("fixture");
    let tmp = tempfile::tempdir().expect("temp dir");
    let bin = root.join("target/release/tamim");
    let bin = if bin.is_file() {
        bin
    } else {
        root.join("target/debug/tamim")
    };
    let ok = Command::new(&bin)
        .arg("--registry")
        .arg(tmp.path().join("r"))
        .arg("--output")
        .arg(tmp.path().join("o"))
        .args(["demo"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let six = if ok {
        std::fs::read(tmp.path().join("o/tamim-2021-243.pdf")).ok()
    } else {
        None
    };
    let eyp = std::fs::read(root.join("tests/fixtures/eyazisma/official-api-sample.eyp")).expect("sample");
    let n = 31;
    let mut rows = vec![(
        "one-page letter + 2 attachment pages (LibreOffice)",
        time(n, || {
            let r = tamim_docs::intake::read_pdf_letter(&one).expect("reads");
            assert!(r.fields.sayi.is_some());
        }),
    )];
    match &six {
        Some(six) => rows.push((
            "6-page Tamim with attachments (tamim)",
            time(n, || {
                let r = tamim_docs::intake::read_pdf_letter(six).expect("reads");
                assert_eq!(r.attachments.pages_after_letter, 5);
            }),
        )),
        None => eprintln!(
            "(could not run `tamim demo` with {}; build it first — the 6-page row is missing)",
            bin.display()
        ),
    }
    rows.push((
        "e-Yazışma sample package (6 digests)",
        time(n, || {
            tamim_docs::intake::eyp::read_package(&eyp).expect("reads");
        }),
    ));
    println!("| input | median of {n} |\n|---|---|");
    for (name, d) in rows {
        println!("| {name} | {:.2} ms |", d.as_secs_f64() * 1000.0);
    }
}
