//! Nothing lost, whatever a user types (issue #19), through the real binary: the registry's own files are off
//! limits to every output, every error is a sentence, every documented draft form issues, duplicates and
//! implausible dates and invisible characters are refused, and settings are checked before any work. Each
//! refusal leaves the registry's files exactly as they were.

mod common;

use common::{stderr, Env};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const OFFICE: &str = r#"
[office]
code = "IESOB"
name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
heading = ["İSTANBUL", "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"]
email = "iesob@example.org.tr"
base_url = "https://tamim.example.org"

[[signatories]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]

[mail]
from_addr = "tamim@iesob.example.org.tr"
"#;

/// A registry with a received genelge (#1), a list of three chambers, an issued tamim (#2) and its draft.
fn env() -> (Env, PathBuf) {
    let env = Env::bare();
    std::fs::write(env.path("office.toml"), OFFICE).unwrap();
    env.ok(&["init", "--office", env.path("office.toml").to_str().unwrap()]);
    env.ok(&["org", "add", "IL-34", "--name", "İstanbul Valiliği", "--kind", "valilik"]);
    for i in 1..=3 {
        env.ok(&["org", "add", &format!("ODA-{i}"), "--name", &format!("Oda {i}"), "--kind", "oda", "--email", &format!("oda{i}@example.org")]);
    }
    env.ok(&["person", "add", "P1", "--name", "Ayşe YILMAZ", "--org", "ODA-1", "--title", "Memur"]);
    env.ok(&["list", "create", "odalar", "--title", "Oda Başkanlıklarına"]);
    env.ok(&["list", "add", "odalar", "ODA-1", "ODA-2", "ODA-3"]);
    let g = env.pdf("genelge.pdf", &["Valilik genelgesi sayfa 1", "Kurul yazisi"]);
    env.ok(&[
        "receive", g.to_str().unwrap(), "--sayi", "E-85840981-167.01-122254", "--tarih", "02.11.2021", "--konu", "Sosyal Medya Etik İlkeleri",
        "--from", "IL-34", "--kind", "genelge", "--received", "03.11.2021",
    ]);
    let d = env.path("tamim.toml");
    env.ok(&["draft", "forward", "#1", "--template", "tamim", "--to", "odalar", "-o", d.to_str().unwrap()]);
    env.ok(&["issue", d.to_str().unwrap()]);
    (env, d)
}

/// [`env`], with the tamim sent through the file outbox.
fn sent() -> (Env, PathBuf) {
    let (env, d) = env();
    env.ok(&["send", "#2"]);
    (env, d)
}

/// Every file under `dir` (recursively) with the SHA-256 of its content, or `link→target` for a symlink.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    use sha2::Digest;
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                out.insert(name, format!("link→{}", std::fs::read_link(&p).unwrap().display()));
            } else if t.is_dir() {
                out.insert(name, "dir".into());
                todo.push(p);
            } else {
                out.insert(name, hex::encode(sha2::Sha256::digest(std::fs::read(&p).unwrap())));
            }
        }
    }
    out
}

/// Run `args`, require exit 1 with stderr naming every one of `says`, and the registry's files unchanged.
fn refused(env: &Env, args: &[&str], says: &[&str]) -> String {
    // A checkpoint folds the WAL into the database first, so the comparison is of what a refusal wrote.
    env.db().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let before = snapshot(&env.registry());
    let err = env.fails(args);
    let after = snapshot(&env.registry());
    assert_eq!(before, after, "tamim {args:?} changed the registry's files ({err})");
    for s in says {
        assert!(err.contains(s), "tamim {args:?}: the message should say {s:?}:\n{err}");
    }
    assert!(!err.contains("Error code") && !err.contains("constraint failed"), "a raw database message: {err}");
    err
}

/// The binary with this registry and another output folder.
fn with_output(env: &Env, output: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_tamim"));
    c.arg("--registry").arg(env.registry()).arg("--output").arg(output).current_dir(env.dir.path());
    c.env_remove("TAMIM_REGISTRY").env_remove("TAMIM_OUTPUT");
    c
}

fn reg(env: &Env, name: &str) -> String {
    env.registry().join(name).to_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------------------------
// 1. The registry's files are off limits to every output.

#[test]
fn no_output_goes_over_the_registrys_own_files() {
    let (env, _) = sent();
    std::fs::create_dir_all(env.registry().join("templates")).unwrap();
    let targets = ["tamim.sqlite", "tamim.sqlite-wal", "tamim.sqlite-shm", "secret.key", "office.toml", "files", "files/x.pdf", "templates/t.toml", ""];
    for t in targets {
        let p = if t.is_empty() { env.registry().to_str().unwrap().to_string() } else { reg(&env, t) };
        for args in [
            vec!["audit", "#2", "--format", "csv", "--out", &p],
            vec!["audit", "#2", "--format", "pdf", "--out", &p, "--force"],
            vec!["draft", "forward", "#1", "--template", "tamim", "--to", "odalar", "-o", &p],
            vec!["draft", "new", "-o", &p, "--force"],
            vec!["signoff", "#2", "--org", "ODA-1", "--out", &p, "--force"],
            vec!["export", "#2", "--eyp", "-o", &p],
            vec!["export", "#2", "--eyp", "-o", &p, "--force"],
        ] {
            refused(&env, &args, &["--out", "registry"]);
        }
    }
    // Through a symlink, and a relative path with `..`, too.
    std::os::unix::fs::symlink(env.registry().join("tamim.sqlite"), env.path("report.csv")).unwrap();
    refused(&env, &["audit", "#2", "--format", "csv", "--out", "report.csv", "--force"], &["database"]);
    std::os::unix::fs::symlink(env.registry(), env.path("r")).unwrap();
    refused(&env, &["draft", "new", "-o", "r/secret.key", "--force"], &["secret"]);
    refused(&env, &["audit", "#2", "--format", "csv", "--out", "output/../registry/tamim.sqlite-wal"], &["wal"]);
    // An output folder inside files/ or onto the database.
    for o in [reg(&env, "files"), reg(&env, "files/out"), reg(&env, "tamim.sqlite")] {
        for args in [vec!["audit", "#2", "--format", "pdf"], vec!["send", "#2"], vec!["remind", "#2", "--after", "0"], vec!["signoff", "#2", "--org", "ODA-1"], vec!["export", "#2", "--eyp"], vec!["issue", "tamim.toml"]] {
            env.db().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
            let before = snapshot(&env.registry());
            let out = with_output(&env, &o).args(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{o} {args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
            assert_eq!(before, snapshot(&env.registry()), "{o} {args:?}");
        }
    }
    // Elsewhere, the same commands write.
    env.ok(&["audit", "#2", "--format", "csv", "--out", "report.csv.2"]);
    env.ok(&["draft", "new", "-o", "new.toml"]);
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (env, _) = sent();
    for (args, file) in [
        (vec!["audit", "#2", "--format", "csv", "--out", "a.csv"], "a.csv"),
        (vec!["audit", "#2", "--format", "pdf"], "output/audit-2.pdf"),
        (vec!["draft", "forward", "#1", "--template", "tamim", "--to", "odalar", "-o", "d.toml"], "d.toml"),
        (vec!["draft", "new", "-o", "n.toml"], "n.toml"),
        (vec!["signoff", "#2", "--org", "ODA-1", "--out", "s.pdf"], "s.pdf"),
        (vec!["export", "#2", "--eyp", "-o", "e.eyp"], "e.eyp"),
    ] {
        std::fs::create_dir_all(env.output()).unwrap();
        std::fs::write(env.path(file), b"keep me").unwrap();
        let err = env.fails(&args);
        assert!(err.contains("already exists") && err.contains("--force"), "{args:?}: {err}");
        assert_eq!(std::fs::read(env.path(file)).unwrap(), b"keep me", "{args:?}");
        env.ok(&[args.as_slice(), &["--force"]].concat());
        assert_ne!(std::fs::read(env.path(file)).unwrap(), b"keep me", "{args:?}");
    }
}
