//! PKCS#11 keys (issue #17): SoftHSM2 as the token, initialised by the test in its own SOFTHSM2_CONF
//! with its own PIN, the test signer's key and certificate imported with softhsm2-util and pkcs11-tool;
//! a wrong PIN, no token and an unknown token label each fail the issue cleanly.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{stderr, Env};
use crate::sign_common::*;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// A SoftHSM2 configuration with its own token folder; with `label`, a token holding the test signer.
fn softhsm(dir: &Path, label: Option<&str>) -> PathBuf {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let Some(label) = label else { return conf };
    let ok = |cmd: &mut Command| {
        let out = run(cmd.env("SOFTHSM2_CONF", &conf));
        assert!(out.status.success(), "{cmd:?}: {}", stderr(&out));
    };
    ok(Command::new("softhsm2-util").args([
        "--init-token",
        "--free",
        "--label",
        label,
        "--pin",
        "1234",
        "--so-pin",
        "12345678",
    ]));
    ok(Command::new("softhsm2-util").args([
        "--import",
        &pki_file("signer.key"),
        "--token",
        label,
        "--label",
        "imza",
        "--id",
        "01",
        "--pin",
        "1234",
    ]));
    let der = dir.join("signer.der");
    ok(Command::new("openssl")
        .args(["x509", "-in", &pki_file("signer.pem"), "-outform", "DER", "-out"])
        .arg(&der));
    ok(Command::new("pkcs11-tool")
        .args([
            "--module",
            MODULE,
            "--token-label",
            label,
            "--login",
            "--pin",
            "1234",
            "--write-object",
        ])
        .arg(&der)
        .args(["--type", "cert", "--id", "01", "--label", "imza"]));
    conf
}

fn token_key(token: &str) -> String {
    format!(
        "[signing.key]\nmodule = {MODULE:?}\ntoken = {token:?}\npin_env = \"TAMIM_TEST_PIN\"\nchain = {:?}\n",
        pki_file("chain.pem")
    )
}

/// `issue --sign` with the token's configuration and `pin` in the environment.
fn issue_with_token(env: &Env, conf: &Path, pin: &str) -> std::process::Output {
    let d = draft(env, "d.toml");
    env.cmd()
        .env("SOFTHSM2_CONF", conf)
        .env("TAMIM_TEST_PIN", pin)
        .args(["--json", "issue", d.to_str().unwrap(), "--sign"])
        .output()
        .unwrap()
}

#[test]
fn a_softhsm_key_signs_what_pdfsig_and_pyhanko_accept() {
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm(dir.path(), Some("tamim"));
    let env = env_with(&token_key("tamim"), true);
    let out = issue_with_token(&env, &conf, "1234");
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pdf = PathBuf::from(v["file"].as_str().unwrap());
    let report = pdfsig(&pdf);
    assert!(
        report.contains("Signature is Valid") && report.contains("Ömer DEMİR"),
        "{report}"
    );
    let (ok, report) = pyhanko_validate(&pdf, &[]);
    assert!(
        ok && report.contains("The signer's certificate is trusted."),
        "{report}"
    );
}

fn token_refused(conf: &Path, token: &str, pin: &str, expect: &str) {
    let env = env_with(&token_key(token), true);
    let out = issue_with_token(&env, conf, pin);
    assert!(!out.status.success());
    let err = stderr(&out);
    let v: serde_json::Value = serde_json::from_str(&err).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(v["error"]["code"], "signing", "{err}");
    let message = v["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(expect), "expected {expect:?} in: {message}");
    assert!(message.starts_with("imzalanamadı: "), "{message}");
    assert!(!err.contains(pin) || pin.is_empty(), "the PIN was printed: {err}");
    nothing_issued(&env);
}

#[test]
fn a_wrong_pin_fails_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm(dir.path(), Some("tamim"));
    token_refused(&conf, "tamim", "9999", "\"tamim\" kartının PIN'i yanlış");
}

#[test]
fn no_token_fails_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm(dir.path(), None);
    token_refused(
        &conf,
        "tamim",
        "1234",
        "hiçbir yuvada kart (token) bulamadı: kart takılı mı?",
    );
}

#[test]
fn an_unknown_token_label_fails_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm(dir.path(), Some("tamim"));
    token_refused(
        &conf,
        "yok",
        "1234",
        "\"yok\" etiketli bir kart yok (takılı kartlar: tamim)",
    );
}
