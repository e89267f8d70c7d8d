//! Signing benchmarks (issue #17; a script that prints a table): what `issue --sign` adds to issuing the
//! one-page circular — a PKCS#12 key, and the same key on SoftHSM2 — against the unsigned issue in the same
//! run, the rounds interleaved; and `verify` of a signed 6-page PDF (the registry lookup and the signature
//! checked against the trust anchors).
//!
//! Run: `cargo bench --bench sign` (needs bash and openssl for the test PKI; softhsm2-util and pkcs11-tool
//! for the SoftHSM row, skipped without them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

fn ok(cmd: &mut Command) -> bool {
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

/// A SoftHSM2 token "bench" holding the test signer's key and certificate; its configuration file.
fn softhsm(dir: &Path, pki: &Path) -> Option<PathBuf> {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).ok()?;
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .ok()?;
    let der = dir.join("signer.der");
    let steps = [
        ok(Command::new("softhsm2-util").env("SOFTHSM2_CONF", &conf).args([
            "--init-token",
            "--free",
            "--label",
            "bench",
            "--pin",
            "1234",
            "--so-pin",
            "12345678",
        ])),
        ok(Command::new("softhsm2-util").env("SOFTHSM2_CONF", &conf).args([
            "--import",
            pki.join("signer.key").to_str()?,
            "--token",
            "bench",
            "--label",
            "imza",
            "--id",
            "01",
            "--pin",
            "1234",
        ])),
        ok(Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(pki.join("signer.pem"))
            .arg("-out")
            .arg(&der)),
        ok(Command::new("pkcs11-tool")
            .env("SOFTHSM2_CONF", &conf)
            .args([
                "--module",
                MODULE,
                "--token-label",
                "bench",
                "--login",
                "--pin",
                "1234",
                "--write-object",
            ])
            .arg(&der)
            .args(["--type", "cert", "--id", "01", "--label", "imza"])),
    ];
    steps.iter().all(|s| *s).then_some(conf)
}

/// office.toml of the registry at `home` with `signing` in place of any earlier [signing] section.
fn set_signing(home: &Path, base: &str, signing: &str) {
    std::fs::write(home.join("office.toml"), format!("{base}\n{signing}")).unwrap();
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (home, out) = (dir.path().join("reg"), dir.path().join("out"));
    let report = tamim::demo::run(&home, &out, None).unwrap();
    let _ = report;
    let pki = dir.path().join("pki");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pki.sh");
    assert!(ok(Command::new("bash").arg(script).arg(&pki)), "pki.sh failed");
    std::fs::create_dir_all(home.join("trust")).unwrap();
    std::fs::copy(pki.join("root.pem"), home.join("trust/root.pem")).unwrap();
    let base = std::fs::read_to_string(home.join("office.toml")).unwrap();
    let p12 = format!(
        "[signing.key]\npkcs12 = {:?}\npassword_file = {:?}\n",
        pki.join("signer.p12"),
        pki.join("p12.pass")
    );
    let hsm_conf = softhsm(dir.path(), &pki);
    let hsm = format!(
        "[signing.key]\nmodule = {MODULE:?}\ntoken = \"bench\"\npin_env = \"TAMIM_BENCH_PIN\"\nchain = {:?}\n",
        pki.join("chain.pem")
    );
    if let Some(c) = &hsm_conf {
        std::env::set_var("SOFTHSM2_CONF", c);
        std::env::set_var("TAMIM_BENCH_PIN", "1234");
    }

    // The one-page circular: the demo's Tamim without its forwarded 5 pages (each round a new draft).
    let tamim = std::fs::read_to_string(home.join("chain/work/iesob-tamim.toml")).unwrap();
    let one_page = tamim.split("\n[[ek]]").next().unwrap().to_string();
    let mut n = 0;
    let mut issue = |signing: &str, sign: bool, text: &str| -> (Duration, PathBuf) {
        set_signing(&home, &base, signing);
        let mut reg = tamim_app::registry::Registry::open(&home).unwrap();
        n += 1;
        let p = dir.path().join(format!("d{n}.toml"));
        std::fs::write(&p, format!("# run {n}\n{text}")).unwrap();
        let options = tamim_app::issue::Options { preview: false, sign };
        let t = Instant::now();
        let issued = tamim_app::issue::issue_with(&mut reg, &p, &out, options).unwrap();
        (t.elapsed(), issued.file)
    };
    let (mut plain, mut soft, mut token) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..31 {
        plain.push(issue("", false, &one_page).0);
        soft.push(issue(&p12, true, &one_page).0);
        if hsm_conf.is_some() {
            token.push(issue(&hsm, true, &one_page).0);
        }
    }
    let (plain, soft) = (median(plain), median(soft));
    println!("| case (median of 31, interleaved) | time | added by signing |");
    println!("|---|---|---|");
    println!(
        "| issue the one-page circular, unsigned (baseline) | {} | — |",
        ms(plain)
    );
    println!(
        "| issue it `--sign`, PKCS#12 key (RSA-2048) | {} | {} |",
        ms(soft),
        ms(soft.saturating_sub(plain))
    );
    if !token.is_empty() {
        let token = median(token);
        println!(
            "| issue it `--sign`, the same key on SoftHSM2 (PKCS#11) | {} | {} |",
            ms(token),
            ms(token.saturating_sub(plain))
        );
    } else {
        println!("| issue it `--sign` on SoftHSM2 | skipped: softhsm2-util/pkcs11-tool missing | |");
    }

    // verify of a signed 6-page PDF: the Tamim with its forwarded pages, signed.
    let (_, file) = issue(&p12, true, &tamim);
    let bytes = std::fs::read(&file).unwrap();
    let reg = tamim_app::registry::Registry::open(&home).unwrap();
    let v = tamim_app::issue::verify::verify(&reg, &bytes).unwrap();
    assert!(
        v.status == "issued" && tamim_app::issue::verify::signatures_hold(&v),
        "{v:?}"
    );
    let pages = tamim_docs::pdf::inspect(&bytes).unwrap().pages;
    let mut times = Vec::new();
    for _ in 0..101 {
        let t = Instant::now();
        let v = tamim_app::issue::verify::verify(&reg, &bytes).unwrap();
        times.push(t.elapsed());
        assert!(v.signatures[0].intact);
    }
    println!(
        "| `verify` a signed {pages}-page PDF ({:.1} KB; registry lookup + signature + trust), median of 101 | {} | |",
        bytes.len() as f64 / 1024.0,
        ms(median(times))
    );
}
