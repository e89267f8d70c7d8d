//! Shared helpers for the integration tests: a temporary registry, a command builder for the real binary,
//! small real PDFs, and reading the database directly.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary registry home and output folder, removed when dropped.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// The `LANG` the command runs under: English unless the test is about what a Turkish user reads
    /// ([`Env::turkish`]); `LC_ALL` and `LC_MESSAGES` are cleared so the machine's own never decide.
    pub lang: &'static str,
}

impl Env {
    /// A fresh, initialised registry.
    pub fn new() -> Env {
        let env = Env::bare();
        let out = env.run(&["init"]);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        env
    }

    /// A folder with no registry in it yet.
    pub fn bare() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            lang: "en_US.UTF-8",
        }
    }

    /// The same registry, its commands run under a Turkish locale (`LANG=tr_TR.UTF-8`).
    pub fn turkish(mut self) -> Env {
        self.lang = "tr_TR.UTF-8";
        self
    }

    pub fn registry(&self) -> PathBuf {
        self.dir.path().join("registry")
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The tamim binary with this registry and output folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tamim"));
        c.arg("--registry")
            .arg(self.registry())
            .arg("--output")
            .arg(self.output());
        c.env_remove("TAMIM_REGISTRY").env_remove("TAMIM_OUTPUT");
        c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", self.lang);
        c.current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run tamim")
    }

    /// Run and require success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "tamim {:?} failed ({}):\n{}",
            args,
            out.status,
            stderr(&out)
        );
        stdout(&out)
    }

    /// Run with --json and parse stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        let s = self.ok(&a);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
    }

    /// Run, require failure with exit code 1, return stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "tamim {:?} should fail with 1; stdout:\n{}\nstderr:\n{}",
            args,
            stdout(&out),
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "panic: {}", stderr(&out));
        stderr(&out)
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.registry().join("tamim.sqlite")).expect("open db")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    /// Write a small real PDF into the temp dir and return its path.
    pub fn pdf(&self, name: &str, pages: &[&str]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, minimal_pdf(pages)).unwrap();
        p
    }

    /// Files stored in the registry's files/ folder.
    pub fn stored_files(&self) -> usize {
        std::fs::read_dir(self.registry().join("files"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A valid PDF with one page per text (ASCII text, Helvetica), with a correct xref table.
pub fn minimal_pdf(pages: &[&str]) -> Vec<u8> {
    let n = pages.len();
    let mut objs: Vec<String> = Vec::new();
    // 1: catalog, 2: pages, 3: font, then (page, content) pairs.
    objs.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objs.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objs.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for (i, text) in pages.iter().enumerate() {
        let content = format!(
            "BT /F1 12 Tf 72 720 Td ({}) Tj ET",
            text.replace('(', "\\(").replace(')', "\\)")
        );
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objs.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Is this program on PATH?
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Text of a PDF as poppler's pdftotext -layout reads it.
pub fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is required (scripts/test.sh installs poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        path.display(),
        stderr(&out)
    );
    stdout(&out)
}

/// Gives `env`'s registry a fixed secret key (as a restored backup would have): registries holding one secret
/// issue byte-identical PDFs for the same draft, the verification code being derived with it.
pub fn fixed_secret(env: &Env) {
    use std::os::unix::fs::PermissionsExt;
    let path = env.registry().join("secret.key");
    std::fs::write(&path, "5e".repeat(32)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}
