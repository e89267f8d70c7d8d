//! A bounded random-mutation fuzzer for the intake readers (cargo-fuzz is not installed here): PDF letters, the letter parser on mutated text, and e-Yazışma packages.
//!
//! Run: `cargo bench --bench intake_fuzz -- SECONDS [SEED]` (default 60 s, seed 1). Every input
//! that panics is written to `target/intake-fuzz/` and the run exits non-zero; turn each into a
//! regression test. Errors are fine; panics and hangs are not.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tamim_docs::intake::{self, text};

fn mutate(rng: &mut rand::rngs::StdRng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..rng.random_range(1..8) {
        if b.is_empty() {
            b.push(rng.random());
            continue;
        }
        let i = rng.random_range(0..b.len());
        match rng.random_range(0..6) {
            0 => b[i] = rng.random(),
            1 => b.truncate(i),
            2 => {
                let n = rng.random_range(1..64).min(b.len() - i);
                b.drain(i..i + n);
            }
            3 => {
                let junk: Vec<u8> = (0..rng.random_range(1..32)).map(|_| rng.random()).collect();
                b.splice(i..i, junk);
            }
            4 => {
                // Repeat a slice (duplicated objects, nested structures).
                let n = rng.random_range(1..256).min(b.len() - i);
                let s = b[i..i + n].to_vec();
                b.splice(i..i, s);
            }
            _ => {
                let interesting: &[&[u8]] = &[
                    b"0",
                    b"-1",
                    b"99999999999",
                    b"(",
                    b")",
                    b"[",
                    b"<<",
                    b">>",
                    b"R",
                    b"/Type",
                    b"stream",
                    b"Tj",
                    b"TJ",
                    b"Tm",
                    b"cm",
                    b"q",
                    b"Q",
                    b":",
                    b"\xc4\xb0",
                    b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
                    b"../",
                ];
                let s = interesting[rng.random_range(0..interesting.len())];
                b.splice(i..i, s.iter().copied());
            }
        }
    }
    b
}

/// Text lines for the letter parser: seed lines with Turkish letters, labels and colons mixed in.
fn mutate_text(rng: &mut rand::rngs::StdRng, lines: &[text::Line]) -> text::TextLayer {
    let pieces = [
        "Sayı",
        ":",
        "İlgi",
        "a)",
        "Ek:",
        "Dağıtım:",
        "Gereği:",
        "Bilgi:",
        "\t",
        "İ",
        "ı",
        "ğ",
        "(",
        ")",
        "1-",
        " a.",
        "Vali",
        "12 EKİM 2021",
        "02.11.2021",
        "E-1-2-3",
        "sayfa",
        " ",
        "ÇÖŞÜ",
        "\u{301}",
    ];
    let mut out = Vec::new();
    for l in lines {
        if rng.random_bool(0.1) {
            continue;
        }
        let mut t: String = l.text.clone();
        for _ in 0..rng.random_range(0..3) {
            let mut chars: Vec<char> = t.chars().collect();
            let i = rng.random_range(0..=chars.len());
            let p: Vec<char> = pieces[rng.random_range(0..pieces.len())].chars().collect();
            chars.splice(i..i, p);
            t = chars.into_iter().collect();
        }
        out.push(text::Line {
            x: l.x + rng.random_range(-50.0..50.0),
            y: l.y,
            size: l.size,
            text: t,
        });
    }
    text::TextLayer {
        pages: rng.random_range(0..10),
        read: vec![text::PageText {
            width: 595.0,
            lines: out,
        }],
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let secs: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pdfs: Vec<Vec<u8>> = ["libreoffice-valilik.pdf", "reportlab-kaymakamlik.pdf", "scan.pdf"]
        .iter()
        .map(|f| std::fs::read(root.join("tests/fixtures/intake").join(f)).expect("fixture"))
        .collect();
    let eyp = std::fs::read(root.join("tests/fixtures/eyazisma/official-api-sample.eyp")).expect("sample package");
    let seed_lines = text::read_text(&pdfs[0], 4).expect("seed text").read.remove(0).lines;
    let crashes = root.join("target/intake-fuzz");
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut runs, mut found, mut slowest) = ([0u64; 3], 0u32, Duration::ZERO);
    while Instant::now() < deadline {
        let which = rng.random_range(0..3);
        runs[which] += 1;
        let started = Instant::now();
        let (input, result) = match which {
            0 => {
                let pick = rng.random_range(0..pdfs.len());
                let input = mutate(&mut rng, &pdfs[pick]);
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let _ = intake::read_pdf_letter(&input);
                }));
                (input, r)
            }
            1 => {
                let layer = mutate_text(&mut rng, &seed_lines);
                let dump = layer.read[0]
                    .lines
                    .iter()
                    .map(|l| l.text.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let f = intake::pdf_letter::parse_letter(&layer);
                    let _ = intake::split::check(&layer, &f);
                }));
                (dump, r)
            }
            _ => {
                let input = mutate(&mut rng, &eyp);
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let _ = intake::eyp::read_package(&input);
                }));
                (input, r)
            }
        };
        slowest = slowest.max(started.elapsed());
        if result.is_err() {
            found += 1;
            let _ = std::fs::create_dir_all(&crashes);
            let path = crashes.join(format!("crash-{which}-{found}.bin"));
            if let Ok(mut f) = std::fs::File::create(&path) {
                let _ = f.write_all(&input);
            }
            eprintln!("panic on input {} (reader {which})", path.display());
        }
    }
    println!("intake fuzz: {secs} s, seed {seed}: PDF reader {} runs, letter parser {} runs, package reader {} runs; {found} panic(s); slowest input {:.1} ms", runs[0], runs[1], runs[2], slowest.as_secs_f64() * 1000.0);
    if found > 0 {
        std::process::exit(1);
    }
}
