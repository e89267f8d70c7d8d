//! An install that works anywhere (issue #18): the templates are in the binary, so a copy of it runs the demo
//! in an empty folder with the source tree out of sight; `templates export` writes them out (refusing a folder
//! that is not empty); an office's own document and mail templates are found each on their own, and a broken
//! one is named by its path and line. And `send` stopped by SIGTERM gives its claims back: a re-run reaches
//! everyone exactly once.

use crate::common::{stderr, stdout, Env};
use crate::send::{issued_with, OFFICE};
use crate::support::smtp::SmtpServer;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SOURCE: &str = env!("CARGO_MANIFEST_DIR");

/// The project's templates folder, as the repository has it.
fn source_templates() -> PathBuf {
    Path::new(SOURCE).join("templates")
}

#[test]
fn a_copied_binary_runs_the_demo_with_the_source_tree_out_of_sight() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().starts_with(SOURCE));
    let bin = dir.path().join("tamim");
    std::fs::copy(env!("CARGO_BIN_EXE_tamim"), &bin).unwrap();
    // A private mount namespace with an empty tmpfs over the source tree: nothing the build saw is there.
    let script = format!(
        "mount -t tmpfs tmpfs '{SOURCE}' && test ! -e '{SOURCE}/templates' && cd '{}' && exec ./tamim --registry reg --output out demo",
        dir.path().display()
    );
    let out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .output()
        .expect("unshare (util-linux)");
    assert!(
        out.status.success(),
        "the demo from a copied binary failed (needs root for unshare --mount):\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("Tamim"), "{}", stdout(&out));
    let pdfs: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .collect();
    assert!(pdfs.len() >= 4, "{pdfs:?}");
    let emls = std::fs::read_dir(dir.path().join("out").join("outbox"))
        .unwrap()
        .count();
    assert!(emls > 0, "no message in the outbox");
}

#[test]
fn templates_export_writes_the_built_in_ones_and_refuses_a_folder_that_is_not_empty() {
    let env = Env::bare();
    let dest = env.path("sablonlar");
    let done = env.json(&["templates", "export", dest.to_str().unwrap()]);
    assert!(done["files"].as_array().unwrap().len() >= 8, "{done}");
    for f in [
        "documents/tamim.toml.j2",
        "documents/README.md",
        "mail/circular.txt.j2",
        "mail/reminder.html.j2",
    ] {
        assert_eq!(
            std::fs::read(dest.join(f)).unwrap(),
            std::fs::read(source_templates().join(f)).unwrap(),
            "{f}"
        );
    }
    // An office's changes in the folder, then export again: refused, nothing touched.
    let mine = dest.join("documents/tamim.toml.j2");
    std::fs::write(&mine, "# benim\n").unwrap();
    let err = env.fails(&["templates", "export", dest.to_str().unwrap()]);
    assert!(
        err.contains(dest.to_str().unwrap()) && err.contains("not empty") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# benim\n");
    // A folder holding anything at all is refused too.
    let other = env.path("baska");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("not.txt"), "x").unwrap();
    env.fails(&["templates", "export", other.to_str().unwrap()]);
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
    // A file where the folder should be.
    let file = env.path("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = env.fails(&["templates", "export", file.to_str().unwrap(), "--force"]);
    assert!(err.contains("not a folder"), "{err}");
    // --force replaces the templates, keeps the rest.
    env.ok(&["templates", "export", other.to_str().unwrap(), "--force"]);
    assert!(other.join("not.txt").exists() && other.join("mail/circular.html.j2").exists());
}

/// Writes `text` as the registry's own copy of `folder/name`.
fn own_template(env: &Env, folder: &str, name: &str, text: &str) -> PathBuf {
    let dir = env.registry().join("templates").join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn built_in(folder: &str, name: &str) -> String {
    std::fs::read_to_string(source_templates().join(folder).join(name)).unwrap()
}

#[test]
fn document_and_mail_overrides_are_found_each_on_its_own() {
    let server = SmtpServer::start().expect("aiosmtpd");
    // Only the document template is the office's own: it is used, and mail still comes from the built-in
    // templates (it used to be looked for under the registry, and failed).
    let (env, _) = issued_with(1, OFFICE);
    let draft = env.path("tamim.toml");
    let t = built_in("documents", "tamim.toml.j2");
    let marker = "OZEL SABLON 4242";
    own_template(
        &env,
        "documents",
        "tamim.toml.j2",
        &t.replacen("konu = {{ doc.konu | toml }}", &format!("konu = \"{marker}\""), 1),
    );
    let listed = env.json(&["templates", "list"]);
    let from = |name: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["template"] == name)
            .map(|r| r["from"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(
        from("tamim.toml.j2").ends_with("templates/documents/tamim.toml.j2"),
        "{listed}"
    );
    assert_eq!(from("genelge.toml.j2"), "built-in");
    assert_eq!(from("circular.txt.j2"), "built-in");
    let issued = env.json(&["issue", draft.to_str().unwrap(), "--preview"]);
    let text = crate::common::pdftotext(Path::new(issued["file"].as_str().unwrap()));
    assert!(text.contains(marker), "{text}");
    // Sending (the document `issued_with` issued) reads the built-in mail templates.
    env.ok(&["send", "#2", "--smtp", &server.url()]);
    assert_eq!(server.wait_for(1, Duration::from_secs(10)).len(), 1);

    // Only a mail template is the office's own: the circular's text is it; documents stay built in.
    let (env, _) = issued_with(1, OFFICE);
    let mail = built_in("mail", "circular.txt.j2");
    own_template(&env, "mail", "circular.txt.j2", &format!("{marker}\n{mail}"));
    let server = SmtpServer::start().expect("aiosmtpd");
    env.ok(&["send", "#2", "--smtp", &server.url()]);
    let got = server.wait_for(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    assert!(
        got[0].parsed["text"].as_str().unwrap().contains(marker),
        "{}",
        got[0].parsed
    );
    assert!(!got[0].parsed["html"].as_str().unwrap().contains(marker));
}

#[test]
fn an_override_with_a_syntax_error_is_named_by_its_path_and_line() {
    let (env, _) = issued_with(1, OFFICE);
    // A document template: line 3 opens a block it never closes.
    let t = built_in("documents", "tamim.toml.j2");
    let mut lines: Vec<&str> = t.lines().collect();
    lines.insert(2, "{% if doc.konu %}");
    let broken = own_template(&env, "documents", "tamim.toml.j2", &lines.join("\n"));
    let draft = env.path("tamim.toml");
    let docs_before = env.count("SELECT count(*) FROM documents");
    let err = env.fails(&["issue", draft.to_str().unwrap(), "--preview"]);
    assert!(
        err.contains(broken.to_str().unwrap()) && err.contains("syntax error"),
        "{err}"
    );
    assert!(err.contains("line "), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM documents"), docs_before);

    // A mail template: an unknown filter on line 2 (found when the templates are parsed).
    std::fs::remove_file(&broken).unwrap();
    let broken = own_template(
        &env,
        "mail",
        "reminder.html.j2",
        "<p>Merhaba</p>\n{{ recipient_name | yok_boyle }}\n{% for %}\n",
    );
    let server = SmtpServer::start().expect("aiosmtpd");
    let err = env.fails(&["send", "#2", "--smtp", &server.url()]);
    assert!(
        err.contains(broken.to_str().unwrap()) && err.contains("line 3"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"), 0);
    assert!(server.messages().is_empty());
}

#[test]
fn a_demo_that_fails_leaves_no_half_built_chain() {
    let env = Env::bare();
    // İESOB's registry (the demo's --registry) has a broken Tamim template: the Kurul and the Valilik issue
    // theirs, then İESOB's issue fails.
    let broken = own_template(&env, "documents", "tamim.toml.j2", "baslik = {{ doc.konu\n");
    let err = env.fails(&["demo"]);
    assert!(
        err.contains(broken.to_str().unwrap()) && err.contains("line 1"),
        "{err}"
    );
    let left: Vec<String> = std::fs::read_dir(env.registry())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, ["templates"], "only the office's own templates are left");
    // Fixed, the demo runs in the same folder.
    std::fs::remove_file(&broken).unwrap();
    env.ok(&["demo"]);
}

#[test]
fn sigterm_during_send_gives_the_claims_back_and_a_rerun_reaches_everyone_once() {
    const N: usize = 1500;
    let (env, _) = issued_with(
        N,
        &OFFICE.replace("pool_size = 4", "pool_size = 4\nattach_limit_bytes = 1000"),
    );
    let server = SmtpServer::start().expect("aiosmtpd");
    let child = env
        .cmd()
        .args(["send", "#2", "--smtp", &server.url()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while server.messages().len() < 200 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("stopped by a signal") && err.contains("tamim send"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Nothing left claimed, and what the registry says was sent is what the server got.
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'sending'"), 0);
    let sent = env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'") as usize;
    assert!(sent < N, "the run finished before the signal ({sent})");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        server.messages().len(),
        sent,
        "every message that went out is recorded as sent"
    );

    let s = env.json(&["send", "#2", "--smtp", &server.url()]);
    assert_eq!(s["resent_in_flight"], 0, "{s}");
    let got = server.wait_for(N, Duration::from_secs(120));
    let mut per: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for m in &got {
        for r in &m.rcpts {
            *per.entry(r.clone()).or_default() += 1;
        }
    }
    assert_eq!(per.len(), N, "every recipient got the message");
    assert!(per.values().all(|&n| n == 1), "someone got it twice");
    assert_eq!(
        env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"),
        N as i64
    );
}

fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn output_is_group_readable_by_default_the_registry_stays_private_and_files_mode_decides() {
    let (env, pdf) = issued_with(1, OFFICE);
    assert_eq!(mode_of(&pdf), 0o640, "{}", pdf.display());
    assert_eq!(mode_of(&env.output()), 0o750);
    env.ok(&["send", "#2"]);
    // The outbox stays the owner's: each message holds its recipient's acknowledgement link.
    assert_eq!(mode_of(&env.output().join("outbox")) & 0o077, 0);
    let report = env.output().join("rapor").join("audit.csv");
    env.ok(&["audit", "#2", "--format", "csv", "--file", report.to_str().unwrap()]);
    assert_eq!(mode_of(&report), 0o640);
    assert_eq!(mode_of(report.parent().unwrap()), 0o750);
    for private in ["tamim.sqlite", "secret.key"] {
        assert_eq!(mode_of(&env.registry().join(private)) & 0o077, 0, "{private}");
    }
    for f in std::fs::read_dir(env.registry().join("files")).unwrap() {
        assert_eq!(mode_of(&f.unwrap().path()) & 0o077, 0);
    }

    // An office that wants the owner only.
    let (env, pdf) = issued_with(1, &format!("{OFFICE}\n[files]\nmode = \"0600\"\n"));
    assert_eq!(mode_of(&pdf), 0o600);
    assert_eq!(mode_of(&env.output()), 0o700);

    // A mode that is not one: refused when office.toml is read, naming the setting.
    for (bad, why) in [("0755", "execute"), ("64O", "octal"), ("0040", "owner")] {
        let env = Env::bare();
        std::fs::write(
            env.path("office.toml"),
            format!("{OFFICE}\n[files]\nmode = \"{bad}\"\n"),
        )
        .unwrap();
        let err = env.fails(&["init", "--office", env.path("office.toml").to_str().unwrap()]);
        assert!(err.contains("[files] mode") && err.contains(why), "{bad}: {err}");
    }
}
