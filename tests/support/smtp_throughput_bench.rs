//! SMTP and file-outbox throughput benchmark (harness = false; prints a table of medians).
//!
//! Against one local SMTP server — Postfix's `smtp-sink` (a parallel C sink, Debian package `postfix`),
//! or with BENCH_SMTP_SERVER=aiosmtpd the tests' aiosmtpd in count-only mode — it sends the
//! same composed circular (text + HTML, optional PDF-sized attachment) with: tamim's
//! `SmtpTransport` on one reused connection, a new connection per message, `SmtpPool` with 4
//! and 8 connections; stock `lettre::SmtpTransport` (one connection, and 8 threads over a pool
//! of 8) for comparison; Python's smtplib (tests/support/smtplib_client.py) as the baseline
//! of another client against the same server; and `FileTransport` into a temp folder.
//!
//! Run: `cargo bench --bench smtp_throughput` (env: BENCH_N = messages per run, default
//! 10000; BENCH_REPS = runs per row, default 3; BENCH_LETTRE_N = messages for the slow stock
//! lettre rows, default 300; BENCH_ONLY=file for the file-outbox rows only; BENCH_OUTBOX_DIR =
//! where the outbox rows write, default the system temp folder).

#[path = "smtp.rs"]
mod smtp;

use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tamim_channels::{
    build, compose, message_id, send_parallel, subject, Attachment, FileTransport, MailKind, MailTransport,
    OutgoingMail, SmtpPool, SmtpSettings, SmtpTransport,
};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn mails(n: usize, attachment_bytes: usize) -> Vec<OutgoingMail> {
    let ctx = serde_json::json!({
        "recipient_name": "Beyoğlu Berberler Odası Başkanlığı",
        "issuer_name": "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "document_label": "Tamim 2021/243", "sayi": "4516", "date_text": "05 Kasım 2021",
        "konu": "Sosyal Medya Etik İlkeleri hk.", "role": "Gereği",
        "cascade_duty": "İlçe Belediye Başkanlıklarına duyurulacaktır",
        "ack_deadline_text": "19 Kasım 2021", "ack_link": "https://tamim.example.org/ack/3f9c2a",
        "attachment": { "mode": "attached", "filename": "Tamim-2021-243.pdf" }
    });
    let (text, html) = compose(&tamim_channels::compose::built_in(), MailKind::Circular, &ctx).expect("compose");
    let pdf: Arc<[u8]> = (0..attachment_bytes)
        .map(|i| (i * 31 % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    let date = chrono::DateTime::parse_from_rfc3339("2021-11-05T09:30:00Z")
        .expect("date")
        .to_utc();
    (0..n)
        .map(|i| OutgoingMail {
            message_id: message_id("2021/243", &format!("oda-{i}"), "iesob.org.tr"),
            date,
            from_name: "İstanbul Esnaf ve Sanatkarlar Odaları Birliği".into(),
            from_addr: "tamim@iesob.org.tr".into(),
            to_name: "Beyoğlu Berberler Odası Başkanlığı".into(),
            to_addr: format!("oda{i}@example.org"),
            subject: subject(MailKind::Circular, "Tamim 2021/243", "Sosyal Medya Etik İlkeleri hk."),
            text: text.clone(),
            html: html.clone(),
            attachment: (attachment_bytes > 0)
                .then(|| Attachment::new("Tamim-2021-243.pdf", "application/pdf", Arc::clone(&pdf))),
            headers: vec![("X-Tamim-Document".into(), "Tamim 2021/243".into())],
        })
        .collect()
}

fn settings(port: u16, pool: usize, per_conn: Option<u32>) -> SmtpSettings {
    SmtpSettings {
        url: format!("smtp://127.0.0.1:{port}"),
        timeout: Duration::from_secs(30),
        pool_size: pool,
        per_connection_limit: per_conn,
        ..SmtpSettings::default()
    }
}

/// Runs `f` `reps` times; each returns (messages, seconds); gives the median rate.
fn median_rate(reps: usize, mut f: impl FnMut() -> (usize, f64)) -> (f64, Vec<f64>) {
    let mut rates: Vec<f64> = (0..reps)
        .map(|_| {
            let (n, secs) = f();
            n as f64 / secs
        })
        .collect();
    let all = rates.clone();
    rates.sort_by(|a, b| a.total_cmp(b));
    (rates[rates.len() / 2], all)
}

fn ours_single(port: u16, msgs: &[OutgoingMail], per_conn: Option<u32>) -> (usize, f64) {
    let mut t = SmtpTransport::new(settings(port, 1, per_conn)).expect("settings");
    let start = Instant::now();
    for m in msgs {
        t.send(m).expect("send");
    }
    t.close();
    (msgs.len(), start.elapsed().as_secs_f64())
}

fn ours_pool(port: u16, msgs: &[OutgoingMail], pool: usize) -> (usize, f64) {
    let mut p = SmtpPool::new(settings(port, pool, None)).expect("settings");
    let start = Instant::now();
    let mut ok = 0;
    p.send_all(msgs.iter().cloned(), |_, _, r| {
        r.expect("send");
        ok += 1;
        ControlFlow::Continue(())
    });
    let secs = start.elapsed().as_secs_f64();
    drop(p);
    (ok, secs)
}

fn lettre_stock(port: u16, msgs: &[OutgoingMail], threads: usize) -> (usize, f64) {
    use lettre::transport::smtp::PoolConfig;
    let built: Vec<lettre::Message> = msgs.iter().map(|m| build(m).expect("build")).collect();
    let t = lettre::SmtpTransport::builder_dangerous("127.0.0.1")
        .port(port)
        .pool_config(PoolConfig::new().max_size(threads as u32))
        .build();
    let start = Instant::now();
    std::thread::scope(|s| {
        for chunk in built.chunks(built.len().div_ceil(threads)) {
            let t = &t;
            s.spawn(move || {
                for m in chunk {
                    lettre::Transport::send(t, m).expect("lettre send");
                }
            });
        }
    });
    (built.len(), start.elapsed().as_secs_f64())
}

fn python_smtplib(port: u16, eml: &Path, n: usize, per_message: bool) -> (usize, f64) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtplib_client.py");
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.arg(script)
        .arg("--port")
        .arg(port.to_string())
        .arg("--eml")
        .arg(eml);
    cmd.arg("--count").arg(n.to_string());
    if per_message {
        cmd.arg("--per-message");
    }
    let out = cmd.output().expect("python3");
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let secs: f64 = line
        .split_whitespace()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("smtplib client failed: {line} {}", String::from_utf8_lossy(&out.stderr)));
    (n, secs)
}

fn outbox_base() -> std::path::PathBuf {
    let base = std::env::var_os("BENCH_OUTBOX_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    base.join(format!("tamim-bench-outbox-{}", std::process::id()))
}

fn file_outbox(msgs: &[OutgoingMail], fsync: bool, threads: usize) -> (usize, f64) {
    // A fresh folder per run, all removed at the end: deleting 10,000 files between runs
    // slows the next run's writes on a busy disk.
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = outbox_base().join(format!("run-{run}"));
    let mut t = FileTransport::new(&dir).with_fsync(fsync);
    let start = Instant::now();
    if threads <= 1 {
        for m in msgs {
            t.send(m).expect("file send");
        }
    } else {
        let mut ts = vec![t; threads];
        send_parallel(&mut ts, msgs.iter().cloned(), |_, _, r| {
            r.expect("file send");
            ControlFlow::Continue(())
        });
    }
    (msgs.len(), start.elapsed().as_secs_f64())
}

fn main() {
    let n = env_usize("BENCH_N", 10_000);
    let reps = env_usize("BENCH_REPS", 3).max(1);
    let n_lettre = env_usize("BENCH_LETTRE_N", 300);
    let only_file = std::env::var("BENCH_ONLY").is_ok_and(|v| v == "file");
    let small = mails(n, 0);
    let with_pdf = mails(n.min(2000), 100 * 1024);
    if !only_file {
        smtp_rows(n, reps, n_lettre, &small, &with_pdf);
    }
    file_rows(n, reps, &small, &with_pdf);
}

fn smtp_rows(n: usize, reps: usize, n_lettre: usize, small: &[OutgoingMail], with_pdf: &[OutgoingMail]) {
    let server = smtp::BenchServer::from_env().expect("start the SMTP server for the benchmark");
    let port = server.port();
    let eml = std::env::temp_dir().join(format!("tamim-bench-{}.eml", std::process::id()));
    std::fs::write(&eml, build(&small[0]).expect("build").formatted()).expect("write eml");
    let size = build(&small[0]).expect("build").formatted().len();
    println!(
        "SMTP throughput to {} on 127.0.0.1:{port}; message {size} bytes; median of {reps} runs\n",
        server.name()
    );
    println!("| client | connections | messages/run | median msg/s | runs (msg/s) |");
    println!("|---|---|---|---|---|");
    let mut expected = 0usize;
    let mut row = |name: &str, conns: &str, count: usize, f: &mut dyn FnMut() -> (usize, f64)| {
        let (med, all) = median_rate(reps, f);
        expected += count * reps;
        let runs: Vec<String> = all.iter().map(|r| format!("{r:.0}")).collect();
        println!("| {name} | {conns} | {count} | {med:.0} | {} |", runs.join(", "));
    };
    row("tamim SmtpPool", "4", n, &mut || ours_pool(port, small, 4));
    row("tamim SmtpPool", "8", n, &mut || ours_pool(port, small, 8));
    row("tamim SmtpTransport, reused", "1", n, &mut || {
        ours_single(port, small, None)
    });
    row(
        "tamim SmtpTransport, new connection per message",
        "1 at a time",
        n,
        &mut || ours_single(port, small, Some(1)),
    );
    row("Python smtplib, reused", "1", n, &mut || {
        python_smtplib(port, &eml, n, false)
    });
    row(
        "Python smtplib, new connection per message",
        "1 at a time",
        n,
        &mut || python_smtplib(port, &eml, n, true),
    );
    let few = &small[..n_lettre.min(n)];
    row("stock lettre 0.11 SmtpTransport, pooled", "1", few.len(), &mut || {
        lettre_stock(port, few, 1)
    });
    row(
        "stock lettre 0.11 SmtpTransport, 8 threads",
        "8",
        few.len() * 4,
        &mut || lettre_stock(port, &small[..(few.len() * 4).min(n)], 8),
    );
    row("tamim SmtpPool, 100 KiB PDF attached", "4", with_pdf.len(), &mut || {
        ours_pool(port, with_pdf, 4)
    });
    let pdf_eml = eml.with_extension("pdf.eml");
    std::fs::write(&pdf_eml, build(&with_pdf[0]).expect("build").formatted()).expect("write eml");
    row("Python smtplib, 100 KiB PDF attached", "1", with_pdf.len(), &mut || {
        python_smtplib(port, &pdf_eml, with_pdf.len(), false)
    });
    let _ = std::fs::remove_file(&pdf_eml);
    let received = server.stop();
    println!("\nserver counted {received:?} messages; expected {expected}");
    let _ = std::fs::remove_file(&eml);
}

/// This process's user + system CPU seconds so far (Linux /proc; 0 elsewhere).
fn cpu_seconds() -> f64 {
    smtp::cpu_seconds_of("self").unwrap_or(0.0)
}

fn file_rows(n: usize, reps: usize, small: &[OutgoingMail], with_pdf: &[OutgoingMail]) {
    println!("\nFile outbox (FileTransport, one .eml per message, temp file + rename)\n");
    println!("| variant | messages/run | median msg/s | runs (msg/s) | msg per CPU-second (all runs) |");
    println!("|---|---|---|---|---|");
    let cpu0 = cpu_seconds();
    let (med, all) = median_rate(reps, || {
        let start = Instant::now();
        let bytes: usize = small.iter().map(|m| build(m).expect("build").formatted().len()).sum();
        assert!(bytes > 0);
        (small.len(), start.elapsed().as_secs_f64())
    });
    let runs: Vec<String> = all.iter().map(|r| format!("{r:.0}")).collect();
    let per_cpu = (small.len() * reps) as f64 / (cpu_seconds() - cpu0).max(0.01);
    println!(
        "| (building the message only, no I/O) | {} | {med:.0} | {} | {per_cpu:.0} |",
        small.len(),
        runs.join(", ")
    );
    for (name, msgs, fsync, threads) in [
        ("1 thread, no fsync", small, false, 1),
        ("send_parallel over 2 FileTransports, no fsync", small, false, 2),
        ("1 thread, 100 KiB PDF attached, no fsync", with_pdf, false, 1),
        ("1 thread, fsync each file", &small[..n.min(2000)], true, 1),
    ] {
        let cpu0 = cpu_seconds();
        let (med, all) = median_rate(reps, || file_outbox(msgs, fsync, threads));
        let per_cpu = (msgs.len() * reps) as f64 / (cpu_seconds() - cpu0).max(0.01);
        let runs: Vec<String> = all.iter().map(|r| format!("{r:.0}")).collect();
        println!(
            "| {name} | {} | {med:.0} | {} | {per_cpu:.0} |",
            msgs.len(),
            runs.join(", ")
        );
    }
    let _ = std::fs::remove_dir_all(outbox_base());
}
