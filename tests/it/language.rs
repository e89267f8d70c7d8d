//! The command line in the user's language (issue #18, part 2): Turkish by default and under a Turkish
//! locale, English under `--lang en` or an English locale; the library's errors told in that language,
//! usage errors too, errors as JSON under `--json`; a bad `--lang` refused clearly.

use crate::common::{stderr, stdout, Env};
use std::process::{Command, Output};

/// Run tamim with exactly these locale variables (the others cleared).
fn run_with(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c: Command = env.cmd();
    c.env_remove("LANG").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.args(args).output().expect("run tamim")
}

fn a_pdf(env: &Env) -> String {
    env.pdf("gelen.pdf", &["Bir sayfa"]).to_str().unwrap().to_string()
}

#[test]
fn a_bad_date_is_told_in_turkish_by_default_and_in_english_when_asked() {
    let env = Env::new();
    let pdf = a_pdf(&env);
    let args = [
        "receive",
        &pdf,
        "--sayi",
        "4516",
        "--tarih",
        "29.02.2021",
        "--konu",
        "Deneme",
        "--from",
        "X",
    ];
    // No locale at all: Turkish, tamim's default.
    let out = run_with(&env, &[], &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("hata: --tarih: 29.02.2021 bir tarih değil: Şubat 2021 28 gün çeker"),
        "{}",
        stderr(&out)
    );
    // LANG=C says no language: Turkish too.
    assert!(stderr(&run_with(&env, &[("LANG", "C")], &args)).contains("Şubat 2021 28 gün çeker"));
    // An English locale, or --lang en.
    let en = run_with(&env, &[("LANG", "en_US.UTF-8")], &args);
    assert!(
        stderr(&en).contains("error: --tarih: 29.02.2021 is not a date: February 2021 has 28 days"),
        "{}",
        stderr(&en)
    );
    let mut flagged = vec!["--lang", "en"];
    flagged.extend(args);
    assert!(stderr(&run_with(&env, &[("LANG", "tr_TR.UTF-8")], &flagged)).contains("February 2021 has 28 days"));
    // LC_ALL over LC_MESSAGES over LANG, as POSIX orders them.
    let over = run_with(&env, &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "tr_TR.UTF-8")], &args);
    assert!(stderr(&over).contains("28 gün çeker"), "{}", stderr(&over));
    let over = run_with(
        &env,
        &[("LC_ALL", "en_GB.UTF-8"), ("LC_MESSAGES", "tr_TR.UTF-8")],
        &args,
    );
    assert!(stderr(&over).contains("has 28 days"), "{}", stderr(&over));
    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
}

#[test]
fn an_unknown_language_is_refused_naming_the_flag_and_the_value() {
    let env = Env::new();
    for (vars, want) in [
        (
            &[][..],
            "hata: --lang: \"xx\" tamim'in konuştuğu bir dil değil; tr (Türkçe) ya da en (English) verin",
        ),
        (
            &[("LANG", "en_US.UTF-8")][..],
            "error: --lang: \"xx\" is not a language tamim speaks; give tr (Türkçe) or en (English)",
        ),
    ] {
        let out = run_with(&env, vars, &["--lang", "xx", "documents"]);
        assert_eq!(out.status.code(), Some(2), "a usage error: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    // `--lang=xx` and a --lang with no value are refused the same way.
    let out = run_with(&env, &[], &["documents", "--lang=xx"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run_with(&env, &[], &["documents", "--lang"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--lang"), "{}", stderr(&out));
}

#[test]
fn errors_are_json_under_json_with_the_same_exit_code() {
    let env = Env::new();
    let out = run_with(&env, &[], &["status", "#999", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    // On standard error; standard output holds results only.
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(v["error"]["code"], "not-found");
    assert_eq!(v["error"]["message"], "belge \"#999\" yok");
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    // In English, the same code; a usage error is JSON too, exit code 2 as clap's.
    let out = run_with(&env, &[("LANG", "en_US.UTF-8")], &["status", "#999", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(
        (v["error"]["code"].as_str(), v["error"]["message"].as_str()),
        (Some("not-found"), Some("document \"#999\" does not exist"))
    );
    let out = run_with(&env, &[], &["--json", "statu"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["code"], "usage");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("\"statu\" bir tamim komutu değil"));
    let out = run_with(&env, &[], &["--lang", "xx", "--json", "documents"]);
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["code"], "usage");
}

#[test]
fn the_stores_errors_and_usage_errors_read_in_turkish() {
    let env = Env::bare();
    let out = run_with(&env, &[], &["documents"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bir tamim kayıt defteri değil (içinde tamim.sqlite yok)"),
        "{}",
        stderr(&out)
    );
    let out = run_with(&env, &[], &["status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("gerekli ama verilmedi: <DOC>"),
        "{}",
        stderr(&out)
    );
    let out = run_with(&env, &[], &["audit", "#1", "--format", "docx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "--format <FORMAT>: \"docx\" aldığı değerlerden biri değil (text, json, csv, csv-excel, xlsx, pdf)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_is_in_the_users_language_with_an_example_on_every_argument() {
    let env = Env::bare();
    let tr = stdout(&run_with(&env, &[], &["status", "--help"]));
    assert!(tr.contains("Kullanım: tamim status"), "{tr}");
    assert!(tr.contains("Durum ve role göre sayılar"), "{tr}");
    assert!(tr.contains("örn. #12, 4516, 2021/243"), "{tr}");
    assert!(tr.contains("-o, --output <DIR>"), "{tr}");
    let en = stdout(&run_with(&env, &[], &["--lang", "en", "audit", "--help"]));
    assert!(en.contains("Usage: tamim audit"), "{en}");
    assert!(
        en.contains("--file <FILE>") && en.contains("e.g. --file denetim.pdf"),
        "{en}"
    );
    // Every argument line carries an example (the catalogs are checked for it too, `cli::help::tests`).
    for line in en.lines().filter(|l| l.trim_start().starts_with("--")) {
        assert!(line.contains("e.g."), "no example: {line}");
    }
    // Subcommand names and JSON keys stay English under Turkish.
    let top = stdout(&run_with(&env, &[], &["--help"]));
    assert!(
        top.contains("Komutlar:") && top.contains("  receive ") && top.contains("  audit "),
        "{top}"
    );
}

#[test]
fn tables_and_messages_follow_the_language_json_keys_do_not() {
    let env = Env::new();
    let tr = stdout(&run_with(
        &env,
        &[],
        &["org", "add", "ODA-1", "--name", "İstanbul Berberler Odası"],
    ));
    assert_eq!(tr.trim(), "ODA-1 kurumu eklendi (İstanbul Berberler Odası).");
    let list = stdout(&run_with(&env, &[], &["org", "list"]));
    assert!(list.starts_with("KOD    AD"), "{list}");
    assert!(list.ends_with("1 kurum\n"), "{list}");
    let en = stdout(&run_with(&env, &[("LANG", "en_US.UTF-8")], &["org", "list"]));
    assert!(en.starts_with("CODE   NAME"), "{en}");
    let json = stdout(&run_with(&env, &[], &["org", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["code"], "ODA-1");
}
