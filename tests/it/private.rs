//! Keep what is private private, and stop on a sender that cannot work (issue #20), through the real binary:
//! the database and the outbox are owner-only whatever the umask, a sender address with a line break is
//! refused when office.toml is read, no secret is ever printed, and what a delivery records names no path on
//! the server.

use crate::common;

use common::{stderr, stdout, Env};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;

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

/// Run tamim with umask 022, as a usual login shell has it.
fn run022(env: &Env, args: &[&str]) -> std::process::Output {
    let mut c = env.cmd();
    c.args(args);
    // SAFETY: umask is async-signal-safe and touches only the child's own state.
    unsafe {
        c.pre_exec(|| {
            libc_umask(0o022);
            Ok(())
        });
    }
    c.output().unwrap()
}

extern "C" {
    #[link_name = "umask"]
    fn libc_umask(mask: u32) -> u32;
}

fn ok022(env: &Env, args: &[&str]) -> String {
    let out = run022(env, args);
    assert!(out.status.success(), "tamim {args:?}: {}", stderr(&out));
    stdout(&out)
}

/// A registry made under umask 022 with three chambers and an issued tamim (#2).
fn issued() -> Env {
    let env = Env::bare();
    std::fs::write(env.path("office.toml"), OFFICE).unwrap();
    ok022(&env, &["init", "--office", env.path("office.toml").to_str().unwrap()]);
    ok022(&env, &["org", "add", "IL-34", "--name", "İstanbul Valiliği"]);
    for i in 1..=3 {
        ok022(
            &env,
            &[
                "org",
                "add",
                &format!("ODA-{i}"),
                "--name",
                &format!("Oda {i}"),
                "--email",
                &format!("oda{i}@example.org"),
            ],
        );
    }
    ok022(&env, &["list", "create", "odalar"]);
    ok022(&env, &["list", "add", "odalar", "ODA-1", "ODA-2", "ODA-3"]);
    let g = env.pdf("genelge.pdf", &["Valilik genelgesi"]);
    ok022(
        &env,
        &[
            "receive",
            g.to_str().unwrap(),
            "--sayi",
            "E-85840981-167.01-122254",
            "--tarih",
            "02.11.2021",
            "--konu",
            "Sosyal Medya",
            "--from",
            "IL-34",
            "--received",
            "03.11.2021",
        ],
    );
    let d = env.path("tamim.toml");
    ok022(
        &env,
        &[
            "draft",
            "forward",
            "#1",
            "--template",
            "tamim",
            "--to",
            "odalar",
            "--file",
            d.to_str().unwrap(),
        ],
    );
    ok022(&env, &["issue", d.to_str().unwrap()]);
    env
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_database_and_the_outbox_are_owner_only_whatever_the_umask() {
    let env = issued();
    ok022(&env, &["send", "#2"]);
    let reg = env.registry();
    for f in ["tamim.sqlite", "tamim.sqlite-wal", "tamim.sqlite-shm"] {
        let p = reg.join(f);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    assert_eq!(mode(&reg.join("tamim.sqlite")), 0o600);
    assert_eq!(mode(&reg), 0o700, "the registry folder");
    let outbox = env.output().join("outbox");
    assert_eq!(mode(&outbox), 0o700, "the outbox folder");
    let emls: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(emls.len(), 3);
    for e in &emls {
        assert_eq!(mode(e), 0o600, "{}", e.display());
    }
    // A registry made before, world-readable, is made owner-only when it is next opened.
    std::fs::set_permissions(reg.join("tamim.sqlite"), std::fs::Permissions::from_mode(0o644)).unwrap();
    ok022(&env, &["documents"]);
    assert_eq!(mode(&reg.join("tamim.sqlite")), 0o600);
    // Reminders go to the outbox too.
    ok022(&env, &["remind", "#2", "--after", "0"]);
    for e in std::fs::read_dir(&outbox).unwrap() {
        assert_eq!(mode(&e.unwrap().path()), 0o600);
    }
}

#[test]
fn a_sender_address_with_a_line_break_is_refused_when_read() {
    let env = issued();
    let office = env.registry().join("office.toml");
    let good = std::fs::read_to_string(&office).unwrap();
    for bad in [
        "tamim@iesob.example.org.tr\\r\\nBcc: x@evil.example",
        "tamim@iesob.example.org.tr\\n",
        "not an address",
        "tamim@",
    ] {
        std::fs::write(
            &office,
            good.replace(
                "from_addr = \"tamim@iesob.example.org.tr\"",
                &format!("from_addr = \"{bad}\""),
            ),
        )
        .unwrap();
        for args in [vec!["send", "#2"], vec!["remind", "#2", "--after", "0"]] {
            let err = env.fails(&args);
            assert!(err.contains("[mail] from_addr"), "{bad} {args:?}: {err}");
        }
        assert_eq!(env.count("SELECT count(*) FROM deliveries"), 0, "{bad}: never started");
        assert_eq!(
            env.count("SELECT count(*) FROM events WHERE kind LIKE 'delivery.%' OR kind LIKE 'reminder.%'"),
            0
        );
    }
    // Once sent with a good sender, a bad one still stops remind before it records any reminder.
    std::fs::write(&office, &good).unwrap();
    env.ok(&["send", "#2"]);
    std::fs::write(
        &office,
        good.replace(
            "from_addr = \"tamim@iesob.example.org.tr\"",
            "from_addr = \"a@b.c\\r\\nBcc: x@y.z\"",
        ),
    )
    .unwrap();
    env.fails(&["remind", "#2", "--after", "0"]);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM events WHERE kind IN ('delivery.reminded', 'reminder.sent', 'reminder.failed')"
        ),
        0
    );
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"), 3);
}

#[test]
fn a_password_is_never_printed() {
    let env = issued();
    for args in [
        vec!["send", "#2", "--smtp", "smtp://user:S3cretPW@127.0.0.1:1"],
        vec!["send", "#2", "--smtp", "smtp://user:S3cretPW@127.0.0.1:1", "--json"],
        vec![
            "send",
            "#2",
            "--smtp",
            "smtp://user:S3cretPW@127.0.0.1:1",
            "--dry-run",
            "--json",
        ],
        vec![
            "send",
            "#2",
            "--smtp",
            "smtp://user:S3cretPW@127.0.0.1:1",
            "--transport",
            "file",
        ],
        vec!["send", "#2", "--smtp", "smtps://S3cretPW@127.0.0.1:1/x"],
        vec!["remind", "#2", "--smtp", "smtp://user:S3cretPW@127.0.0.1:1"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("S3cretPW"), "{args:?} printed the password: {all}");
        assert!(all.contains("***"), "{args:?}: {all}");
    }
    // Nor in the environment's URL.
    let out = env
        .cmd()
        .env("TAMIM_SMTP_URL", "smtp://u:S3cretPW@127.0.0.1:1")
        .env("TAMIM_MAIL_TRANSPORT", "smtp")
        .args(["send", "#2", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !format!("{}{}", stdout(&out), stderr(&out)).contains("S3cretPW"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.count("SELECT count(*) FROM deliveries"), 0);
}

#[test]
fn what_a_delivery_records_names_no_path_on_the_server() {
    let env = issued();
    env.ok(&["send", "#2"]);
    let out = env.output().join("outbox");
    let abs = out.to_str().unwrap().to_string();
    let replies: Vec<String> = {
        let db = env.db();
        let mut st = db.prepare("SELECT coalesce(last_reply, '') FROM deliveries").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    assert_eq!(replies.len(), 3);
    for r in &replies {
        assert!(
            r.starts_with("file: ") && r.ends_with(".eml") && !r.contains('/'),
            "{r}"
        );
    }
    let csv = env.ok(&["audit", "#2", "--format", "csv"]);
    assert!(csv.contains("reply=file: "), "{csv}");
    assert!(
        !csv.contains(&abs) && !csv.contains(env.dir.path().to_str().unwrap()),
        "{csv}"
    );
    let json = env.ok(&["audit", "#2", "--format", "json"]);
    assert!(!json.contains(env.dir.path().to_str().unwrap()), "{json}");
}
