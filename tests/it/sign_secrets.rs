//! Secrets of signing (issue #17): the PIN and passwords come only from a file or the environment, never
//! the command line, and never appear in an error, a log line or the output; the timestamp authority's
//! authentication (HTTP basic, or a header the authority issued) is a setting of `[signing.tsa]`.

use crate::common::{stderr, stdout, Env};
use crate::sign_common::*;

/// Runs `issue --sign` on a fresh draft with the most verbose log and `envs` set: the output.
fn issue_traced(env: &Env, envs: &[(&str, &str)]) -> std::process::Output {
    let d = draft(env, "d.toml");
    let mut cmd = env.cmd();
    cmd.env("RUST_LOG", "trace");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.args(["-vvv", "--json", "issue", d.to_str().unwrap(), "--sign"])
        .output()
        .unwrap()
}

fn all_text(out: &std::process::Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

#[test]
fn there_is_no_command_line_option_for_a_pin_or_password() {
    let env = env_with(&p12_key("signer"), true);
    let d = draft(&env, "d.toml");
    for flag in ["--pin", "--password"] {
        let out = env.run(&["issue", d.to_str().unwrap(), "--sign", flag, "1234"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("{flag} bu komutun bir seçeneği değil")),
            "{}",
            stderr(&out)
        );
        nothing_issued(&env);
    }
    let help = env.ok(&["issue", "--help"]);
    assert!(!help.contains("--pin") && !help.contains("--password"), "{help}");
    assert!(help.contains("komut satırından asla"), "{help}");
}

#[test]
fn a_password_from_the_environment_signs_and_an_unset_variable_is_named() {
    let key = format!(
        "[signing.key]\npkcs12 = {:?}\npassword_env = \"TAMIM_TEST_P12\"\n",
        pki_file("signer.p12")
    );
    let env = env_with(&key, true);
    let password = std::fs::read_to_string(pki().join("p12.pass"))
        .unwrap()
        .trim()
        .to_string();
    let out = issue_traced(&env, &[("TAMIM_TEST_P12", &password)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !all_text(&out).contains(&password),
        "the password was printed: {}",
        all_text(&out)
    );

    let env = env_with(&key, true);
    let err = env.fails(&["issue", draft(&env, "d.toml").to_str().unwrap(), "--sign"]);
    assert!(
        err.contains("hata: [signing.key] password: TAMIM_TEST_P12 ortam değişkeni tanımlı değil"),
        "{err}"
    );
    nothing_issued(&env);
}

#[test]
fn a_missing_password_file_is_named() {
    let key = format!(
        "[signing.key]\npkcs12 = {:?}\npassword_file = \"yok.pass\"\n",
        pki_file("signer.p12")
    );
    let env = env_with(&key, true);
    let err = env.fails(&["issue", draft(&env, "d.toml").to_str().unwrap(), "--sign"]);
    assert!(
        err.contains("[signing.key] password: ") && err.contains("yok.pass dosyası okunamıyor"),
        "{err}"
    );
    nothing_issued(&env);
}

const TSA_USER: &str = "tamim-ofis";
const TSA_PASSWORD: &str = "tsa-gizli-parola-7731";

fn basic_auth_tsa() -> (TsaServer, String) {
    let tsa = TsaServer::start_with(&[&format!("basic={TSA_USER}:{TSA_PASSWORD}")]);
    let toml = format!(
        "{}username = {TSA_USER:?}\npassword_env = \"TAMIM_TEST_TSA\"\n",
        tsa.toml()
    );
    (tsa, toml)
}

#[test]
fn a_tsa_with_basic_authentication_stamps_and_the_password_is_never_shown() {
    let (_tsa, toml) = basic_auth_tsa();
    let env = env_with(&format!("{}{toml}", p12_key("signer")), true);
    let out = issue_traced(&env, &[("TAMIM_TEST_TSA", TSA_PASSWORD)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = all_text(&out);
    assert!(!text.contains(TSA_PASSWORD), "the TSA password was printed: {text}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["timestamped"], true, "{v}");
    let (ok, report) = pyhanko_validate(std::path::Path::new(v["file"].as_str().unwrap()), &[]);
    assert!(ok, "{report}");
}

#[test]
fn a_tsa_refusing_the_credentials_fails_the_issue() {
    let (_tsa, toml) = basic_auth_tsa();
    let env = env_with(&format!("{}{toml}", p12_key("signer")), true);
    let out = issue_traced(&env, &[("TAMIM_TEST_TSA", "yanlis-parola-5512")]);
    assert!(!out.status.success());
    let text = all_text(&out);
    assert!(text.contains("HTTP 401 (kimlik bilgileri doğru mu?)"), "{text}");
    assert!(!text.contains("yanlis-parola-5512"), "the password was printed: {text}");
    nothing_issued(&env);
}

#[test]
fn a_tsa_wanting_its_own_header_gets_it_from_a_file() {
    let tsa = TsaServer::start_with(&["header=X-Api-Key:anahtar-9f2c41"]);
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("tsa.key");
    std::fs::write(&key_file, "anahtar-9f2c41\n").unwrap();
    let toml = format!(
        "{}header = \"X-Api-Key\"\nheader_value_file = {:?}\n",
        tsa.toml(),
        key_file
    );
    let env = env_with(&format!("{}{toml}", p12_key("signer")), true);
    let out = issue_traced(&env, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!all_text(&out).contains("anahtar-9f2c41"), "{}", all_text(&out));

    // Without the header, the same authority refuses.
    let env = env_with(&format!("{}{}", p12_key("signer"), tsa.toml()), true);
    let err = env.fails(&["issue", draft(&env, "d.toml").to_str().unwrap(), "--sign"]);
    assert!(err.contains("HTTP 401"), "{err}");
    nothing_issued(&env);
}
