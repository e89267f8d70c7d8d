//! Shared parts of the signing tests (issue #17): the test PKI (`tests/support/pki.sh`, made once per
//! run with openssl), a registry whose office.toml has a `[signing]` section, and the independent
//! validators — poppler's `pdfsig`, pyHanko (in the venv `scripts/test.sh` makes), `qpdf`, `openssl`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::{stderr, stdout, Env};
use crate::issue;

/// The test PKI, made once for the whole test binary (read-only afterwards).
pub fn pki() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new().prefix("tamim-pki").tempdir().unwrap().keep();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pki.sh");
        let out = Command::new("bash").arg(&script).arg(&dir).output().expect("bash");
        assert!(out.status.success(), "pki.sh failed: {}", stderr(&out));
        dir
    })
}

pub fn pki_file(name: &str) -> String {
    pki().join(name).display().to_string()
}

/// `[signing.key]` for a PKCS#12 file of the test PKI.
pub fn p12_key(name: &str) -> String {
    format!(
        "[signing.key]\npkcs12 = {:?}\npassword_file = {:?}\n",
        pki_file(&format!("{name}.p12")),
        pki_file("p12.pass")
    )
}

/// The İESOB registry of `tests/it/issue.rs` with `signing` appended to its office.toml, and the test
/// root in its trust folder when `trusted`.
pub fn env_with(signing: &str, trusted: bool) -> Env {
    let env = issue::env().turkish();
    let office = env.registry().join("office.toml");
    let mut text = std::fs::read_to_string(&office).unwrap();
    text.push('\n');
    text.push_str(signing);
    std::fs::write(&office, text).unwrap();
    if trusted {
        let trust = env.registry().join("trust");
        std::fs::create_dir_all(&trust).unwrap();
        std::fs::copy(pki().join("root.pem"), trust.join("root.pem")).unwrap();
    }
    env
}

/// A draft forwarding the received genelge as an üst yazı (whose footer states the e-signature).
pub fn draft(env: &Env, name: &str) -> PathBuf {
    let p = issue::forward(env, name);
    issue::set_line(&p, "template", "template = \"ust-yazi\"");
    p
}

/// `tamim issue DRAFT --sign` that must succeed: the signed PDF's path.
pub fn issue_signed(env: &Env, name: &str) -> PathBuf {
    let d = draft(env, name);
    let v = env.json(&["issue", d.to_str().unwrap(), "--sign"]);
    PathBuf::from(v["file"].as_str().unwrap())
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

/// poppler's `pdfsig` report.
pub fn pdfsig(pdf: &Path) -> String {
    let out = run(Command::new("pdfsig").arg(pdf));
    format!("{}{}", stdout(&out), stderr(&out))
}

/// The venv holding pyHanko (`scripts/test.sh` makes it; `TAMIM_TEST_VENV` names another).
pub fn venv() -> PathBuf {
    std::env::var_os("TAMIM_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv"))
}

/// `pyhanko sign validate` with the test root as trust anchor: (success, report).
pub fn pyhanko_validate(pdf: &Path, extra: &[&str]) -> (bool, String) {
    let bin = venv().join("bin/pyhanko");
    assert!(
        bin.is_file(),
        "pyHanko is required: scripts/test.sh installs it into {}",
        venv().display()
    );
    let out = run(Command::new(bin)
        .args(["sign", "validate", "--no-revocation-check", "--trust"])
        .arg(pki().join("root.pem"))
        .args(["--trust-replace", "--pretty-print"])
        .args(extra)
        .arg(pdf));
    (out.status.success(), format!("{}{}", stdout(&out), stderr(&out)))
}

/// `qpdf --check` passes.
pub fn qpdf_check(pdf: &Path) {
    let out = run(Command::new("qpdf").arg("--check").arg(pdf));
    assert!(out.status.success(), "qpdf --check: {}{}", stdout(&out), stderr(&out));
}

/// The outputs and stored files are what they were, and no number was used: the counters stay untouched.
pub fn nothing_issued(env: &Env) {
    assert!(
        issue::outputs(env).is_empty(),
        "a file was left: {:?}",
        issue::outputs(env)
    );
    assert_eq!(
        env.count("SELECT count(*) FROM documents WHERE direction = 'outgoing'"),
        0
    );
    assert_eq!(env.count("SELECT count(*) FROM counters WHERE scope = 'sayi'"), 0);
}

/// `openssl ts` behind `tests/support/tsa_server.py` on loopback; stopped when dropped.
pub struct TsaServer {
    child: std::process::Child,
    pub url: String,
}

impl TsaServer {
    pub fn start(garbage: bool) -> TsaServer {
        Self::start_with(if garbage { &["garbage"] } else { &[] })
    }

    /// With the server's own arguments: `garbage`, `basic=USER:PASSWORD`, `header=NAME:VALUE`.
    pub fn start_with(args: &[&str]) -> TsaServer {
        use std::io::BufRead;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tsa_server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg(pki().join("tsa.cnf")).current_dir(pki());
        cmd.args(args);
        let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().expect("python3");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().strip_prefix("PORT ").expect("the TSA's port").to_string();
        TsaServer {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        }
    }

    /// `[signing.tsa]` for this server.
    pub fn toml(&self) -> String {
        format!("[signing.tsa]\nurl = {:?}\ntimeout_secs = 5\n", self.url)
    }
}

impl Drop for TsaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
