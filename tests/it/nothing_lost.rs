//! Nothing lost, whatever a user types (issue #19), through the real binary: the registry's own files are off
//! limits to every output, every error is a sentence, every documented draft form issues, duplicates and
//! implausible dates and invisible characters are refused, and settings are checked before any work. Each
//! refusal leaves the registry's files exactly as they were.

use crate::common;

use common::{stderr, Env};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const OFFICE: &str = r#"
[office]
code = "IESOB"
name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
heading = ["İSTANBUL", "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"]
email = "iesob@example.org.tr"
address = "Cumhuriyet Caddesi No:1 Şişli/İstanbul"
phone = "(212) 000 00 00"
fax = "(212) 000 00 01"
web = "https://www.example.org.tr"
kep = "iesob@hs01.kep.tr"
detsis = "12345678"
base_url = "https://tamim.example.org"

[[signatories]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]

[contact]
name = "Yasemin DEMİRCİ"
title = "Memur"
phone = "(212) 000 00 02"

[mail]
from_addr = "tamim@iesob.example.org.tr"
"#;

/// A registry with a received genelge (#1), a list of three chambers, an issued tamim (#2) and its draft.
fn env() -> (Env, PathBuf) {
    let env = Env::bare();
    std::fs::write(env.path("office.toml"), OFFICE).unwrap();
    env.ok(&["init", "--office", env.path("office.toml").to_str().unwrap()]);
    env.ok(&[
        "org",
        "add",
        "IL-34",
        "--name",
        "İstanbul Valiliği",
        "--kind",
        "valilik",
    ]);
    for i in 1..=3 {
        env.ok(&[
            "org",
            "add",
            &format!("ODA-{i}"),
            "--name",
            &format!("Oda {i}"),
            "--kind",
            "oda",
            "--email",
            &format!("oda{i}@example.org"),
        ]);
    }
    env.ok(&[
        "person",
        "add",
        "P1",
        "--name",
        "Ayşe YILMAZ",
        "--org",
        "ODA-1",
        "--title",
        "Memur",
    ]);
    env.ok(&["list", "create", "odalar", "--title", "Oda Başkanlıklarına"]);
    env.ok(&["list", "add", "odalar", "ODA-1", "ODA-2", "ODA-3"]);
    let g = env.pdf("genelge.pdf", &["Valilik genelgesi sayfa 1", "Kurul yazisi"]);
    env.ok(&[
        "receive",
        g.to_str().unwrap(),
        "--sayi",
        "E-85840981-167.01-122254",
        "--tarih",
        "02.11.2021",
        "--konu",
        "Sosyal Medya Etik İlkeleri",
        "--from",
        "IL-34",
        "--kind",
        "genelge",
        "--received",
        "03.11.2021",
    ]);
    let d = env.path("tamim.toml");
    env.ok(&[
        "draft",
        "forward",
        "#1",
        "--template",
        "tamim",
        "--to",
        "odalar",
        "--file",
        d.to_str().unwrap(),
    ]);
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
    assert!(
        !err.contains("Error code") && !err.contains("constraint failed"),
        "a raw database message: {err}"
    );
    err
}

/// The binary with this registry and another output folder.
fn with_output(env: &Env, output: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_tamim"));
    c.arg("--registry")
        .arg(env.registry())
        .arg("--output")
        .arg(output)
        .current_dir(env.dir.path());
    c.env_remove("TAMIM_REGISTRY").env_remove("TAMIM_OUTPUT");
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", env.lang);
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
    let targets = [
        "tamim.sqlite",
        "tamim.sqlite-wal",
        "tamim.sqlite-shm",
        "secret.key",
        "office.toml",
        "files",
        "files/x.pdf",
        "templates/t.toml",
        "",
    ];
    for t in targets {
        let p = if t.is_empty() {
            env.registry().to_str().unwrap().to_string()
        } else {
            reg(&env, t)
        };
        for args in [
            vec!["audit", "#2", "--format", "csv", "--file", &p],
            vec!["audit", "#2", "--format", "pdf", "--file", &p, "--force"],
            vec![
                "draft",
                "forward",
                "#1",
                "--template",
                "tamim",
                "--to",
                "odalar",
                "--file",
                &p,
            ],
            vec!["draft", "new", "--file", &p, "--force"],
            vec!["signoff", "#2", "--org", "ODA-1", "--file", &p, "--force"],
            vec!["export", "#2", "--eyp", "--file", &p],
            vec!["export", "#2", "--eyp", "--file", &p, "--force"],
        ] {
            refused(&env, &args, &["--file", "registry"]);
        }
    }
    // Through a symlink, and a relative path with `..`, too.
    std::os::unix::fs::symlink(env.registry().join("tamim.sqlite"), env.path("report.csv")).unwrap();
    refused(
        &env,
        &["audit", "#2", "--format", "csv", "--file", "report.csv", "--force"],
        &["database"],
    );
    std::os::unix::fs::symlink(env.registry(), env.path("r")).unwrap();
    refused(
        &env,
        &["draft", "new", "--file", "r/secret.key", "--force"],
        &["secret"],
    );
    refused(
        &env,
        &[
            "audit",
            "#2",
            "--format",
            "csv",
            "--file",
            "output/../registry/tamim.sqlite-wal",
        ],
        &["wal"],
    );
    // An output folder inside files/ or onto the database.
    for o in [reg(&env, "files"), reg(&env, "files/out"), reg(&env, "tamim.sqlite")] {
        for args in [
            vec!["audit", "#2", "--format", "pdf"],
            vec!["send", "#2"],
            vec!["remind", "#2", "--after", "0"],
            vec!["signoff", "#2", "--org", "ODA-1"],
            vec!["export", "#2", "--eyp"],
            vec!["issue", "tamim.toml"],
        ] {
            env.db().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
            let before = snapshot(&env.registry());
            let out = with_output(&env, &o).args(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{o} {args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
            assert_eq!(before, snapshot(&env.registry()), "{o} {args:?}");
        }
    }
    // Elsewhere, the same commands write.
    env.ok(&["audit", "#2", "--format", "csv", "--file", "report.csv.2"]);
    env.ok(&["draft", "new", "--file", "new.toml"]);
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (env, _) = sent();
    for (args, file) in [
        (vec!["audit", "#2", "--format", "csv", "--file", "a.csv"], "a.csv"),
        (vec!["audit", "#2", "--format", "pdf"], "output/audit-2.pdf"),
        (
            vec![
                "draft",
                "forward",
                "#1",
                "--template",
                "tamim",
                "--to",
                "odalar",
                "--file",
                "d.toml",
            ],
            "d.toml",
        ),
        (vec!["draft", "new", "--file", "n.toml"], "n.toml"),
        (vec!["signoff", "#2", "--org", "ODA-1", "--file", "s.pdf"], "s.pdf"),
        (vec!["export", "#2", "--eyp", "--file", "e.eyp"], "e.eyp"),
    ] {
        std::fs::create_dir_all(env.output()).unwrap();
        std::fs::write(env.path(file), b"keep me").unwrap();
        let err = env.fails(&args);
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read(env.path(file)).unwrap(), b"keep me", "{args:?}");
        env.ok(&[args.as_slice(), &["--force"]].concat());
        assert_ne!(std::fs::read(env.path(file)).unwrap(), b"keep me", "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Every documented draft form issues (README.md, "The draft format"), `[[ek]] file = …` among them.

/// Issue the draft `text` (written as `name`) and return the issued PDF's text as pdftotext reads it.
fn issue_text(env: &Env, name: &str, text: &str) -> String {
    let p = env.path(name);
    std::fs::write(&p, text).unwrap();
    let out = env.json(&["issue", p.to_str().unwrap()]);
    let file = PathBuf::from(out["file"].as_str().unwrap());
    common::pdftotext(&file)
}

const FULL_DRAFT: &str = r##"
template = "tamim"
kind = "tamim"
tarih = "05.11.2021"
date_style = "long"
konu = "Sosyal Medya Etik İlkeleri hk."
muhatap = ["ODASI BAŞKANLIĞINA"]
body = ["Birinci paragrafın metni.", { type = "heading", text = "Tarafsızlık" }, { type = "item", number = "(1)", text = "Maddenin metni." }]
closing = "Bilgilerinizi ve gereğini rica ederiz."
to = ["odalar"]
print_dagitim = true
urgency = "GÜNLÜDÜR"
deadline = "15.11.2021"
classification = "HİZMETE ÖZEL"

[[ilgi]]
doc = "#1"

[[ilgi]]
text = "Kamu Görevlileri Etik Kurulunun 12.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı."

[[imza]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]

[[imza]]
name = "Engin TÜRKMEN"
title = ["Başkan Vekili"]

[[ek]]
text = "Valilik genelgesi (2 sayfa)"
doc = "#1"

[[ek]]
text = "Ek liste (1 sayfa)"
file = "liste.pdf"

[[ek]]
text = "Bilgi notu"

[dagitim]
"gereği" = ["Oda Başkanlıklarına"]
bilgi = ["İstanbul Valiliğine"]
"##;

#[test]
fn every_documented_draft_form_issues() {
    assert!(
        common::have("pdftotext"),
        "pdftotext is required (scripts/test.sh installs poppler-utils)"
    );
    let (env, _) = env();
    env.pdf("liste.pdf", &["Ek liste sayfasi"]);
    let before = env.stored_files();
    let t = issue_text(&env, "full.toml", FULL_DRAFT);
    for s in [
        "Sosyal Medya Etik İlkeleri hk.",
        "ODASI BAŞKANLIĞINA",
        "Birinci paragrafın metni.",
        "Tarafsızlık",
        "(1)",
        "Maddenin metni.",
        "Bilgilerinizi ve gereğini rica ederiz.",
        "GÜNLÜDÜR",
        "HİZMETE ÖZEL",
        "05 Kasım 2021",
        "Ömer DEMİR",
        "Engin TÜRKMEN",
        "Başkan Vekili",
        "Valilik genelgesi (2 sayfa)",
        "Ek liste (1 sayfa)",
        "Bilgi notu",
        "Oda Başkanlıklarına",
        "İstanbul Valiliğine",
        "25346381.010.06-53064",
        "Ek liste sayfasi",
        "Valilik genelgesi sayfa 1",
    ] {
        assert!(t.contains(s), "{s:?} is not in the issued PDF:\n{t}");
    }
    // The file attachment is kept in the registry, like every PDF it holds, and recorded with the document.
    assert_eq!(env.stored_files(), before + 2, "the issued PDF and the attached file");
    assert_eq!(env.count("SELECT count(*) FROM attachments a JOIN files f ON f.sha256 = a.file_sha256 WHERE a.document_id = 3 AND a.target_id IS NULL"), 1);
    let show = env.ok(&["show", "#3"]);
    assert!(show.contains("Ek liste (1 sayfa)"), "{show}");
    env.ok(&["export", "#3", "--eyp", "--file", "full.eyp"]);

    // Each other value of each documented field.
    let variants: &[(&str, &str, &[&str])] = &[
        ("template", "template = \"genelge\"\nkind = \"genelge\"", &["DAĞITIMLI"]),
        (
            "template",
            "template = \"ust-yazi\"\nkind = \"yazi\"",
            &["Konu : Sosyal Medya"],
        ),
        (
            "template",
            "template = \"karar\"\nkind = \"karar\"",
            &["İLKE KARARI", "Karar No : 2021/1"],
        ),
        ("date_style", "date_style = \"upper\"", &["05 KASIM 2021"]),
        ("date_style", "date_style = \"dotted\"", &["05.11.2021"]),
        ("urgency", "urgency = \"ACELE\"", &["ACELE"]),
        ("classification", "classification = \"GİZLİ\"", &["GİZLİ"]),
        ("classification", "classification = \"ÇOK GİZLİ\"", &["ÇOK GİZLİ"]),
        ("print_dagitim", "print_dagitim = false", &["Sosyal Medya"]),
    ];
    let base = |head: &str| {
        format!(
            "{head}\ntarih = \"05.11.2021\"\nkonu = \"Sosyal Medya Etik İlkeleri hk.\"\nmuhatap = [\"ODASI BAŞKANLIĞINA\"]\nbody = [\"Paragraf.\"]\nto = [\"odalar\"]\n"
        )
    };
    for (i, (field, line, says)) in variants.iter().enumerate() {
        let head = if line.starts_with("template") {
            line.to_string()
        } else {
            format!("template = \"tamim\"\nkind = \"tamim\"\n{line}")
        };
        let t = issue_text(
            &env,
            &format!("v{i}.toml"),
            &format!(
                "{}\n[[imza]]\nname = \"Ömer DEMİR\"\ntitle = [\"Genel Sekreter\"]\n",
                base(&head)
            ),
        );
        for s in *says {
            assert!(t.contains(s), "{field} ({line}): {s:?} is not in the issued PDF:\n{t}");
        }
    }
    // One signatory, and four side by side; an ilgi with both a document and its citation as printed.
    let four: String = (1..=4)
        .map(|i| format!("[[imza]]\nname = \"İmza Sahibi {i}\"\ntitle = [\"Unvan {i}\"]\n\n"))
        .collect();
    let t = issue_text(
        &env,
        "four.toml",
        &format!("{}\n{four}", base("template = \"tamim\"\nkind = \"tamim\"")),
    );
    for i in 1..=4 {
        assert!(t.contains(&format!("İmza Sahibi {i}")), "{t}");
    }
    let both = "[[ilgi]]\ndoc = \"#1\"\ntext = \"İstanbul Valiliğinin 02.11.2021 tarihli ve E-85840981-167.01-122254 sayılı genelgesi.\"\n\n[[imza]]\nname = \"Tek İmza\"\ntitle = [\"Genel Sekreter\"]\n";
    let t = issue_text(
        &env,
        "both.toml",
        &format!("{}\n{both}", base("template = \"tamim\"\nkind = \"tamim\"")),
    );
    assert!(t.contains("Tek İmza") && t.contains("122254"), "{t}");
}

// ---------------------------------------------------------------------------------------------------------
// 2. Every error a user can meet is a sentence about what they did.

/// Every database error the library can wrap, as SQLite and rusqlite make it: what the user is told names
/// no error code, constraint, table or SQLite message.
#[test]
fn no_raw_database_message_reaches_a_user() {
    use rusqlite::ffi;
    let failure = |code: i32, msg: &str| rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(msg.into()));
    let errors = vec![
        failure(ffi::SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed"),
        failure(ffi::SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: orgs.code"),
        failure(
            ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
            "UNIQUE constraint failed: files.sha256",
        ),
        failure(
            ffi::SQLITE_CONSTRAINT_NOTNULL,
            "NOT NULL constraint failed: documents.konu",
        ),
        failure(
            ffi::SQLITE_CONSTRAINT_CHECK,
            "CHECK constraint failed: state IN ('queued')",
        ),
        failure(ffi::SQLITE_CONSTRAINT_TRIGGER, "events are append-only"),
        failure(ffi::SQLITE_BUSY, "database is locked"),
        failure(ffi::SQLITE_LOCKED, "database table is locked: deliveries"),
        failure(ffi::SQLITE_NOTADB, "file is not a database"),
        failure(ffi::SQLITE_CORRUPT, "database disk image is malformed"),
        failure(ffi::SQLITE_READONLY, "attempt to write a readonly database"),
        failure(ffi::SQLITE_CANTOPEN, "unable to open database file"),
        failure(ffi::SQLITE_FULL, "database or disk is full"),
        failure(ffi::SQLITE_IOERR_FSYNC, "disk I/O error"),
        failure(ffi::SQLITE_TOOBIG, "string or blob too big"),
        failure(ffi::SQLITE_INTERRUPT, "SQLITE_INTERRUPT: query aborted"),
        failure(ffi::SQLITE_ERROR, "no such table: deliveries"),
        rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_CONSTRAINT_FOREIGNKEY), None),
        rusqlite::Error::QueryReturnedNoRows,
        rusqlite::Error::InvalidColumnType(3, "tarih".into(), rusqlite::types::Type::Null),
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, "invalid utf-8 sequence".into()),
        rusqlite::Error::InvalidColumnName("sayi".into()),
        rusqlite::Error::ExecuteReturnedResults,
        rusqlite::Error::SqlInputError {
            error: ffi::Error::new(ffi::SQLITE_ERROR),
            msg: "near \"SELEC\": syntax error".into(),
            sql: "SELEC 1".into(),
            offset: 0,
        },
    ];
    for raw in errors {
        let raw_text = raw.to_string();
        let e = tamim_app::Error::from(tamim_store::Error::from(raw));
        let told = e.sentences();
        assert!(
            !told.contains(&raw_text),
            "{told:?} shows the database's own message {raw_text:?}"
        );
        for word in [
            "Error code",
            "constraint",
            "CONSTRAINT",
            "FOREIGN KEY",
            "UNIQUE",
            "NOT NULL",
            "SQLITE",
            "sqlite3",
            "no such",
            "syntax",
            "column",
            "Null",
            "Text",
        ] {
            assert!(!told.contains(word), "{told:?} shows {word:?}");
        }
        assert!(
            told.ends_with(')') || told.ends_with('.') || told.chars().last().is_some_and(|c| c.is_alphabetic()),
            "{told:?}"
        );
        // The database's error is still there for the program (its source), only not told.
        assert!(std::error::Error::source(&e).is_some(), "{told}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// 4. Duplicates.

#[test]
fn the_same_letter_twice_is_refused_unless_meant() {
    let (env, _) = env();
    let g = env.path("genelge.pdf");
    let g = g.to_str().unwrap();
    let same = [
        "--sayi",
        "E-85840981-167.01-122254",
        "--tarih",
        "02.11.2021",
        "--konu",
        "Sosyal Medya Etik İlkeleri",
        "--from",
        "IL-34",
        "--received",
        "04.11.2021",
    ];
    // The same file, with the same fields.
    let err = refused(
        &env,
        &[&["receive", g][..], &same].concat(),
        &["#1", "kayıt no 1/2021", "--duplicate"],
    );
    assert!(err.contains("already registered"), "{err}");
    // The same issuer, sayı (in its other spelling too) and date, another scan of it.
    let scan = env.pdf("scan.pdf", &["Valilik genelgesi taranmis"]);
    let scan = scan.to_str().unwrap();
    refused(&env, &[&["receive", scan][..], &same].concat(), &["#1"]);
    // The same file under other fields.
    refused(
        &env,
        &[
            "receive",
            g,
            "--sayi",
            "999",
            "--tarih",
            "01.11.2021",
            "--konu",
            "Başka",
            "--from",
            "IL-34",
            "--received",
            "04.11.2021",
        ],
        &["#1"],
    );
    // Meant: registered, linked to the first as a copy.
    let d = env.json(&[&["receive", scan][..], &same, &["--duplicate"]].concat());
    let id = d["id"].as_i64().unwrap();
    assert_eq!(
        env.count(&format!(
            "SELECT json_extract(payload, '$.duplicate_of') FROM documents WHERE id = {id}"
        )),
        1
    );
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM events WHERE document_id = {id} AND json_extract(detail, '$.duplicate_of') = 1"
        )),
        1
    );
    // Another document of the same issuer and date is not a duplicate.
    let other = env.pdf("other.pdf", &["Baska bir yazi"]);
    env.ok(&[
        "receive",
        other.to_str().unwrap(),
        "--sayi",
        "E-85840981-167.01-122255",
        "--tarih",
        "02.11.2021",
        "--konu",
        "Başka",
        "--from",
        "IL-34",
        "--received",
        "04.11.2021",
    ]);
}

// ---------------------------------------------------------------------------------------------------------
// 5. Plausibility: dates, and invisible characters in every text field.

#[test]
fn implausible_dates_are_refused() {
    let (env, _) = env();
    let p = env.pdf("x.pdf", &["Bir yazi"]);
    let p = p.to_str().unwrap();
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%d.%m.%Y")
        .to_string();
    let recv = |tarih: &str, received: Option<&str>, extra: &[&str]| {
        let mut a = vec![
            "receive",
            p,
            "--sayi",
            "77",
            "--tarih",
            tarih,
            "--konu",
            "Bir yazı",
            "--from",
            "IL-34",
        ];
        if let Some(r) = received {
            a.extend(["--received", r]);
        }
        a.extend(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<String>>()
    };
    let run = |a: Vec<String>, says: &[&str]| refused(&env, &a.iter().map(String::as_str).collect::<Vec<_>>(), says);
    run(
        recv("01.01.0001", Some("03.11.2021"), &[]),
        &["--tarih", "before 1900", "--archive"],
    );
    run(recv("31.12.1899", None, &[]), &["--tarih", "before 1900"]);
    run(recv(&tomorrow, None, &[]), &["--tarih", "in the future"]);
    run(recv(&tomorrow, None, &["--archive"]), &["--tarih", "in the future"]);
    run(
        recv("02.11.2021", Some("01.01.2099"), &[]),
        &["--received", "in the future"],
    );
    run(
        recv("02.11.2021", Some("2099-01-01T10:00:00"), &[]),
        &["--received", "in the future"],
    );
    run(
        recv("02.11.2021", Some("01.11.2021"), &[]),
        &["--tarih", "after the arrival date"],
    );
    // An archive's old document is accepted when said so; a plausible one always.
    env.ok(&recv("12.03.1880", Some("03.11.2021"), &["--archive"])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    let q = env.pdf("y.pdf", &["Bugun gelen yazi"]);
    env.ok(&[
        "receive",
        q.to_str().unwrap(),
        "--sayi",
        "78",
        "--tarih",
        &chrono::Local::now().format("%d.%m.%Y").to_string(),
        "--konu",
        "Bugün",
        "--from",
        "IL-34",
    ]);
}

#[test]
fn invisible_format_characters_are_refused_in_every_text_field() {
    let (env, draft) = env();
    let p = env.pdf("x.pdf", &["Bir yazi"]);
    let p = p.to_str().unwrap();
    for c in [
        '\u{202E}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{FEFF}', '\u{2060}',
    ] {
        let u = format!("U+{:04X}", c as u32);
        let t = format!("Sosyal{c}Medya");
        let base = [
            "receive",
            p,
            "--sayi",
            "77",
            "--tarih",
            "02.11.2021",
            "--from",
            "IL-34",
            "--received",
            "03.11.2021",
        ];
        refused(&env, &[&base[..], &["--konu", &t]].concat(), &["--konu", &u]);
        refused(
            &env,
            &[&base[..], &["--konu", "Konu", "--muhatap", &t]].concat(),
            &["--muhatap", &u],
        );
        refused(
            &env,
            &[&base[..], &["--konu", "Konu", "--ek", &t]].concat(),
            &["--ek", &u],
        );
        refused(
            &env,
            &[&base[..], &["--konu", "Konu", "--ilgi", &t]].concat(),
            &["--ilgi", &u],
        );
        refused(
            &env,
            &[&base[..], &["--konu", "Konu", "--issuer", &t]].concat(),
            &["--issuer", &u],
        );
        refused(&env, &["org", "add", "ODA-9", "--name", &t], &["name", &u]);
        refused(
            &env,
            &["person", "add", "P9", "--name", &t, "--org", "ODA-1"],
            &["name", &u],
        );
        refused(
            &env,
            &["person", "add", "P9", "--name", "Ali", "--title", &t, "--org", "ODA-1"],
            &["title", &u],
        );
        refused(&env, &["list", "create", "yeni", "--title", &t], &["--title", &u]);
        refused(
            &env,
            &["list", "add", "odalar", "IL-34", "--label", &t],
            &["--label", &u],
        );
    }
    // A draft: konu, muhatap, body paragraphs and blocks, closing, signatories, ilgi and ek text, dağıtım.
    let text = std::fs::read_to_string(&draft).unwrap();
    let c = '\u{202E}';
    for (field, from, to) in [
        ("konu", "konu = \"", format!("konu = \"x{c}")),
        ("muhatap", "muhatap = [\"", format!("muhatap = [\"x{c}")),
        ("body[1]", "body = [\"", format!("body = [\"x{c}")),
        ("closing", "closing = \"", format!("closing = \"x{c}")),
        ("imza[1].name", "name = \"", format!("name = \"x{c}")),
        ("ek[1].text", "text = \"", format!("text = \"x{c}")),
    ] {
        assert!(text.contains(from), "{from} not in the draft:\n{text}");
        let edited = env.path(&format!("bad-{field}.toml"));
        std::fs::write(&edited, text.replacen(from, &to, 1)).unwrap();
        refused(&env, &["issue", edited.to_str().unwrap()], &[field, "U+202E"]);
    }
    let edited = env.path("bad-block.toml");
    std::fs::write(
        &edited,
        text.replacen(
            "body = [",
            &format!("body = [{{ type = \"heading\", text = \"Başlık{c}\" }}, "),
            1,
        ),
    )
    .unwrap();
    refused(&env, &["issue", edited.to_str().unwrap()], &["body[1].text", "U+202E"]);
    let edited = env.path("bad-dagitim.toml");
    std::fs::write(&edited, format!("{text}\n[dagitim]\n\"gereği\" = [\"Oda{c}\"]\n")).unwrap();
    refused(&env, &["issue", edited.to_str().unwrap()], &["dagitim", "U+202E"]);
}

// ---------------------------------------------------------------------------------------------------------
// 6. Settings checked before work.

/// [`env`] with office.toml's line `from` replaced by `to` (the file is read on every command).
fn with_office_line(env: &Env, from: &str, to: &str) {
    let p = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from} not in office.toml");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_invalid_smtp_url_is_refused_before_the_deliveries_are_frozen() {
    let (env, _) = env();
    for url in [
        "http://127.0.0.1:25",
        "smtp://",
        "smtp://host:99999",
        "javascript:alert(1)",
    ] {
        refused(&env, &["send", "#2", "--smtp", url], &["--smtp"]);
        refused(&env, &["send", "#2", "--smtp", url, "--dry-run"], &["--smtp"]);
        assert_eq!(env.count("SELECT count(*) FROM deliveries"), 0, "{url}: nothing frozen");
    }
    // The environment's values are checked by name whatever the transport.
    for (var, bad) in [
        ("TAMIM_SMTP_POOL_SIZE", "abc"),
        ("TAMIM_SMTP_TIMEOUT_SECS", "0"),
        ("TAMIM_SMTP_RATE_PER_SEC", "-1"),
        ("TAMIM_SMTP_PER_CONNECTION_LIMIT", "x"),
        ("TAMIM_SMTP_URL", "http://x:1"),
    ] {
        for transport in ["file", "smtp"] {
            let out = env
                .cmd()
                .env("TAMIM_MAIL_TRANSPORT", transport)
                .env(var, bad)
                .args(["send", "#2"])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(1),
                "{var}={bad} ({transport}): {}",
                stderr(&out)
            );
            assert!(stderr(&out).contains(var), "{var}: {}", stderr(&out));
            assert_eq!(
                env.count("SELECT count(*) FROM deliveries"),
                0,
                "{var}={bad}: nothing frozen"
            );
        }
    }
    assert!(!env.output().join("outbox").exists());
}

#[test]
fn office_settings_that_make_no_sense_are_refused_when_read() {
    let (env, _) = env();
    let cases: &[(&str, &str, &str)] = &[
        (
            "base_url = \"https://tamim.example.org\"",
            "base_url = \"javascript:alert(1)\"",
            "base_url",
        ),
        (
            "base_url = \"https://tamim.example.org\"",
            "base_url = \"ftp://tamim.example.org\"",
            "base_url",
        ),
        (
            "base_url = \"https://tamim.example.org\"",
            "base_url = \"https://\"",
            "base_url",
        ),
        ("[mail]\n", "[mail]\npool_size = 0\n", "pool_size"),
        ("[mail]\n", "[mail]\ntimeout_secs = 0\n", "timeout_secs"),
        ("[mail]\n", "[mail]\nsmtp_url = \"http://mail:25\"\n", "smtp_url"),
        ("[mail]\n", "[mail]\ntransport = \"pigeon\"\n", "transport"),
        ("[mail]\n", "[audit]\ntoken = \"\"\n\n[mail]\n", "[audit] token"),
        ("[mail]\n", "[audit]\ntoken = \"kisa\"\n\n[mail]\n", "[audit] token"),
        (
            "[mail]\n",
            "[audit]\ntoken = \"0123456789abcdef0123456789abcde\"\n\n[mail]\n",
            "[audit] token",
        ),
        ("name = \"İstanbul Esnaf", "name = \"İstanbul\u{202E} Esnaf", "U+202E"),
    ];
    let office = env.registry().join("office.toml");
    let good = std::fs::read_to_string(&office).unwrap();
    for (from, to, says) in cases {
        with_office_line(&env, from, to);
        let err = refused(&env, &["send", "#2"], &[says]);
        assert!(!err.contains("kisa"), "the token is not shown: {err}");
        refused(&env, &["documents"], &[says]);
        std::fs::write(&office, &good).unwrap();
    }
    // A token of 128 bits or more is taken: 22 base64 characters, 32 hex digits.
    for t in ["q83vEjRWeJq83vEjRWeJq8", "0123456789abcdef0123456789abcdef"] {
        with_office_line(&env, "[mail]\n", &format!("[audit]\ntoken = \"{t}\"\n\n[mail]\n"));
        env.ok(&["documents"]);
        std::fs::write(&office, &good).unwrap();
    }
}
