//! Issuing through the real binary (issue #3): drafts, numbering in one transaction, the PDF as poppler and
//! qpdf read it, verification, determinism, and every bad input (message, exit code, no file, no number).

use crate::common;

use common::{have, pdftotext, Env};
use std::path::{Path, PathBuf};

pub(crate) const OFFICE: &str = r#"
[office]
code = "IESOB"
name = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
heading = ["İSTANBUL", "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"]
founding = "KURULUŞ: 1951"
address = "Cumhuriyet Caddesi No:1 Şişli/İstanbul"
email = "iesob@example.org.tr"
phone = "(212) 000 00 00"
fax = "(212) 000 00 01"
web = "https://www.example.org.tr"
kep = "iesob@hs01.kep.tr"
base_url = "http://127.0.0.1:8080"

[[signatories]]
name = "Ömer DEMİR"
title = ["Genel Sekreter"]

[[signatories]]
name = "Engin TÜRKMEN"
title = ["Başkan Vekili"]

[contact]
name = "Yasemin DEMİRCİ"
title = "Memur"
"#;

/// A registry set up as İESOB with a received genelge (3 pages) and a list of three chambers.
pub(crate) fn env() -> Env {
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
    env.ok(&["list", "create", "odalar", "--title", "Oda Başkanlıklarına"]);
    env.ok(&["list", "add", "odalar", "ODA-1", "ODA-2", "ODA-3"]);
    let g = env.pdf(
        "genelge.pdf",
        &["Valilik genelgesi sayfa 1", "Kurul yazisi", "Ilke karari"],
    );
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
        "--ek",
        "İlgi yazı ve eki.",
        "--issuer",
        "İstanbul Valiliği, İl Yazı İşleri Müdürlüğü",
    ]);
    env
}

pub(crate) fn forward(env: &Env, name: &str) -> PathBuf {
    let p = env.path(name);
    env.ok(&[
        "draft",
        "forward",
        "#1",
        "--template",
        "tamim",
        "--to",
        "odalar",
        "--file",
        p.to_str().unwrap(),
    ]);
    p
}

/// Replace `key = …` (a whole line) in a draft.
pub(crate) fn set_line(path: &Path, key: &str, line: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key} =")) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(path, out.join("\n") + "\n").unwrap();
}

pub(crate) fn outputs(env: &Env) -> Vec<String> {
    std::fs::read_dir(env.output())
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn forward_issue_read_back_and_verify() {
    let env = env();
    let draft = forward(&env, "tamim.toml");
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("konu = \"Sosyal Medya Etik İlkeleri hk.\""), "{text}");
    assert!(text.contains("İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün; 02.11.2021 tarih ve 122254 sayılı genelgesi ve eki (3 sayfa)"), "{text}");
    // Regression (issue #18): the body named it "genelges ile", the citation word cut short.
    assert!(
        text.contains("122254 sayılı genelgesi ile Sosyal Medya Etik İlkeleri konusunda"),
        "{text}"
    );
    set_line(&draft, "tarih", "tarih = \"05.11.2021\"");
    let text = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(&draft, format!("tarih = \"05.11.2021\"\n{text}")).unwrap();
    env.ok(&["numbering", "set", "sayi", "--year", "2021", "--next", "4516"]);
    env.ok(&["numbering", "set", "kind:tamim", "--year", "2021", "--next", "243"]);
    let issued = env.json(&["issue", draft.to_str().unwrap()]);
    assert_eq!(issued["sayi"], "4516");
    assert_eq!(issued["kind_no"], "2021/243");
    assert_eq!(issued["pages"], 4, "1-page letter + the 3 pages it forwards");
    let file = PathBuf::from(issued["file"].as_str().unwrap());
    assert!(file.ends_with("tamim-2021-243.pdf"), "{file:?}");

    let text = pdftotext(&file);
    let first = text.split('\x0c').next().unwrap();
    // The date at the right end of the sayı line.
    let sayi_line = first.lines().find(|l| l.contains("Sayı")).unwrap();
    assert!(sayi_line.trim_end().ends_with("05 Kasım 2021"), "{sayi_line:?}");
    assert!(sayi_line.find("4516").unwrap() < sayi_line.find("05 Kasım").unwrap());
    assert!(first.contains("Tamim No") && first.contains("2021/243"), "{first}");
    assert!(first.contains("ODASI BAŞKANLIĞINA"));
    assert!(first.contains("Ömer DEMİR") && first.contains("Engin TÜRKMEN"));
    assert!(first.contains("EKİ:"));
    assert!(
        text.contains("Kurul yazisi"),
        "the attachment's pages follow the letter"
    );
    assert!(have("qpdf"), "qpdf is required (scripts/test.sh installs it)");
    let q = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stdout));
    // The registry: an issued, frozen outgoing document citing the genelge by ek.
    let doc = env.json(&["show", "4516"]);
    assert_eq!(doc["state"], "issued");
    assert_eq!(doc["direction"], "outgoing");
    assert_eq!(doc["ek"][0]["target"], 1);
    assert_eq!(doc["tarih"], "2021-11-05");
    let chain = env.json(&["chain", "4516"]);
    assert_eq!(chain["documents"].as_array().unwrap().len(), 2);

    // verify: this exact file, then an altered copy, then a stranger.
    let v = env.json(&["verify", file.to_str().unwrap()]);
    assert_eq!(v["status"], "issued");
    assert_eq!(v["sayi"], "4516");
    // Regression (issue #18): the konu's own full stop, then the sentence's ("hk..").
    let said = env.ok(&["verify", file.to_str().unwrap()]);
    assert!(said.trim_end().ends_with("Sosyal Medya Etik İlkeleri hk."), "{said}");
    assert!(!said.contains(".."), "{said}");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(7).position(|w| w == b"endobj\n").unwrap();
    bytes.insert(at, b' ');
    let altered = env.path("altered.pdf");
    std::fs::write(&altered, &bytes).unwrap();
    let out = env.run(&["verify", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::stdout(&out).contains("ALTERED"), "{}", common::stdout(&out));
    let stranger = env.pdf("stranger.pdf", &["x"]);
    let out = env.run(&["verify", stranger.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::stdout(&out).contains("not issued or registered"));

    // Issued twice: refused, no number used, no new file.
    let before = outputs(&env).len();
    let err = env.fails(&["issue", draft.to_str().unwrap()]);
    assert!(err.contains("was already issued as document #2 (sayı 4516)"), "{err}");
    assert_eq!(outputs(&env).len(), before);
    let n: i64 = env
        .db()
        .query_row(
            "SELECT value FROM counters WHERE scope = 'sayi' AND year = 2021",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 4516);
}

#[test]
fn preview_is_marked_and_records_nothing() {
    let env = env();
    let draft = forward(&env, "d.toml");
    let out = env.json(&["issue", "--preview", draft.to_str().unwrap()]);
    let file = PathBuf::from(out["file"].as_str().unwrap());
    assert!(file.file_name().unwrap().to_str().unwrap().starts_with("preview-"));
    assert!(pdftotext(&file).contains("TASLAK"));
    assert_eq!(
        env.count("SELECT count(*) FROM documents WHERE direction = 'outgoing'"),
        0
    );
    assert_eq!(env.count("SELECT count(*) FROM counters WHERE scope != 'kayit'"), 0);
}

#[test]
fn same_draft_same_bytes_in_two_registries() {
    // Two registries of the same office holding the same secret (a restored backup): byte-identical PDFs.
    let a = env();
    let b = env();
    // A third office with a secret of its own: the same draft gets another verification code (issue #18),
    // so `/dogrula` can never name the wrong office's document.
    let c = env();
    common::fixed_secret(&a);
    common::fixed_secret(&b);
    let mut files = Vec::new();
    let mut codes = Vec::new();
    for e in [&a, &b, &c] {
        let d = forward(e, "d.toml");
        let text = std::fs::read_to_string(&d).unwrap();
        std::fs::write(&d, format!("tarih = \"05.11.2021\"\n{text}")).unwrap();
        let out = e.json(&["issue", d.to_str().unwrap()]);
        let file = out["file"].as_str().unwrap().to_string();
        files.push(std::fs::read(&file).unwrap());
        let page = common::pdftotext(std::path::Path::new(&file));
        let code = page
            .split_whitespace()
            .find(|w| w.len() == 29 && w.matches('-').count() == 4)
            .unwrap_or_else(|| panic!("no verification code in:\n{page}"))
            .to_string();
        codes.push(code);
    }
    assert!(
        files[0] == files[1],
        "same registry secret, same draft: the PDFs differ"
    );
    assert_eq!(codes[0], codes[1]);
    assert_ne!(
        codes[0], codes[2],
        "two offices' secrets gave the same verification code"
    );
    assert!(files[0] != files[2]);
}

#[test]
fn bad_drafts_use_no_number_and_write_no_file() {
    let env = env();
    let base = forward(&env, "base.toml");
    let base_text = std::fs::read_to_string(&base).unwrap();
    let txt = env.path("notes.txt");
    std::fs::write(&txt, "just text").unwrap();
    let corrupt = env.path("corrupt.pdf");
    let good = common::minimal_pdf(&["a", "b"]);
    std::fs::write(&corrupt, &good[..good.len() / 2]).unwrap();
    let mut cases: Vec<(String, &str)> = vec![
        (
            base_text.replace("template = \"tamim\"", "template = \"nope\""),
            "unknown template \"nope\"",
        ),
        (
            base_text.replace(
                "konu = \"Sosyal Medya Etik İlkeleri hk.\"",
                "konu = \"Sosyal Medya\\nEtik\"",
            ),
            "konu:",
        ),
        (
            base_text.replace("body = [", "body = [\"漢字 içeren metin\", "),
            "the font cannot show '漢'",
        ),
        (
            base_text.replace("doc = \"#1\"", "file = \"missing.pdf\""),
            "missing.pdf: does not exist",
        ),
        (
            base_text.replace("doc = \"#1\"", "file = \"notes.txt\""),
            "is not a PDF",
        ),
        (base_text.replace("doc = \"#1\"", "file = \"corrupt.pdf\""), "ek[1]"),
        (
            base_text.replace("(3 sayfa)", "(7 sayfa)"),
            "says 7 sayfa but document #1 has 3 pages",
        ),
        (
            base_text.replace("to = [\"odalar\"]", "to = [\"yok\"]"),
            "list \"yok\" does not exist",
        ),
        (
            base_text
                .replace("unknown_key = 1", "")
                .replace("konu =", "renk = \"mavi\"\nkonu ="),
            "unknown field `renk`",
        ),
    ];
    // No signatory.
    let no_sig: String = {
        let mut out = String::new();
        let mut skip = false;
        for l in base_text.lines() {
            if l.starts_with("[[imza]]") {
                skip = true;
                continue;
            }
            if skip && (l.starts_with('[') && !l.starts_with("[[imza]]")) {
                skip = false;
            }
            if !skip {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    };
    cases.push((no_sig, "imza: the draft has no signatory"));
    {
        assert!(have("qpdf"), "qpdf is required (scripts/test.sh installs it)");
        let plain = env.pdf("plain.pdf", &["a"]);
        let enc = env.path("enc.pdf");
        let st = std::process::Command::new("qpdf")
            .args(["--encrypt", "u", "o", "256", "--"])
            .arg(&plain)
            .arg(&enc)
            .status()
            .unwrap();
        assert!(st.success());
        cases.push((base_text.replace("doc = \"#1\"", "file = \"enc.pdf\""), "encrypted"));
    }
    for (i, (text, expect)) in cases.iter().enumerate() {
        let p = env.path(&format!("bad-{i}.toml"));
        std::fs::write(&p, text).unwrap();
        let err = env.fails(&["issue", p.to_str().unwrap()]);
        assert!(err.contains(expect), "case {i}: expected {expect:?} in:\n{err}");
        assert!(
            outputs(&env).is_empty(),
            "case {i}: a file was written: {:?}",
            outputs(&env)
        );
        assert_eq!(
            env.count("SELECT count(*) FROM counters WHERE scope != 'kayit'"),
            0,
            "case {i}: a number was used"
        );
        assert_eq!(env.count("SELECT count(*) FROM documents"), 1, "case {i}");
    }
    // A template that names a field the draft lacks: the field and the template line.
    let tdir = env.registry().join("templates").join("documents");
    std::fs::create_dir_all(&tdir).unwrap();
    for f in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/documents")).unwrap() {
        let f = f.unwrap();
        if f.file_name().to_string_lossy().ends_with(".toml.j2") {
            std::fs::copy(f.path(), tdir.join(f.file_name())).unwrap();
        }
    }
    let t = std::fs::read_to_string(tdir.join("tamim.toml.j2")).unwrap();
    std::fs::write(
        tdir.join("tamim.toml.j2"),
        t.replacen("konu = {{ doc.konu | toml }}", "konu = {{ doc.konu_yok | toml }}", 1),
    )
    .unwrap();
    let line = t
        .lines()
        .position(|l| l.contains("konu = {{ doc.konu | toml }}"))
        .unwrap()
        + 1;
    let err = env.fails(&["issue", base.to_str().unwrap()]);
    assert!(
        err.contains("konu_yok") && err.contains(&format!("line {line}")),
        "{err}"
    );
    assert!(outputs(&env).is_empty());
}

#[test]
fn a_long_distribution_moves_to_its_own_page() {
    let env = env();
    let mut csv = String::from("code,name,kind,parent,email,kep,detsis\n");
    for i in 0..120 {
        csv.push_str(&format!(
            "K{i:03},Kurum {i:03} Müdürlüğü,kamu-kurumu,,k{i}@example.org,,\n"
        ));
    }
    std::fs::write(env.path("k.csv"), csv).unwrap();
    env.ok(&["org", "import", env.path("k.csv").to_str().unwrap()]);
    env.ok(&["list", "create", "uzun"]);
    let members: Vec<String> = (0..120).map(|i| format!("K{i:03}")).collect();
    let mut args = vec!["list", "add", "uzun"];
    args.extend(members.iter().map(String::as_str));
    env.ok(&args);
    let d = env.path("long.toml");
    env.ok(&[
        "draft",
        "forward",
        "#1",
        "--template",
        "genelge",
        "--to",
        "uzun",
        "--file",
        d.to_str().unwrap(),
    ]);
    let out = env.json(&["issue", d.to_str().unwrap()]);
    let text = pdftotext(Path::new(out["file"].as_str().unwrap()));
    assert!(text.contains("DAĞITIM LİSTESİ"), "{text}");
    assert!(text.contains("Kurum 119 Müdürlüğü"));
}

#[test]
fn demo_builds_the_seed_chain() {
    let env = Env::bare();
    let report = env.json(&["demo"]);
    let docs = report["documents"].as_array().unwrap();
    let pages: Vec<i64> = docs.iter().map(|d| d["pages"].as_i64().unwrap()).collect();
    assert_eq!(
        pages,
        [3, 4, 5, 6],
        "İlke Kararı 3, letter + karar 4, genelge + 4 = 5, tamim + 5 = 6"
    );
    assert_eq!(docs[1]["sayi"], "25346381.010.06/53064");
    assert_eq!(docs[2]["sayi"], "E-85840981-167.01-122254");
    assert_eq!(docs[3]["sayi"], "4516");
    assert_eq!(docs[3]["kind_no"], "2021/243");
    let tamim = PathBuf::from(docs[3]["file"].as_str().unwrap());
    let text = pdftotext(&tamim);
    let pages: Vec<&str> = text.split('\x0c').collect();
    assert!(pages[0].contains("Sosyal Medya Etik İlkeleri hk."));
    // Page 2 is the genelge with İESOB's registration stamp.
    assert!(
        pages[1].contains("Kayıt No") && pages[1].contains("4959") && pages[1].contains("03 Kasım 2021"),
        "{}",
        pages[1]
    );
    assert!(pages[1].contains("E-85840981-167.01-122254"));
    // The chain with its discrepancy.
    assert_eq!(report["chain"]["discrepancies"].as_array().unwrap().len(), 1);
    assert!(report["chain"]["discrepancies"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("22.10.2021"));
    let g = env.json(&["show", "E-85840981-167.01-122254"]);
    assert_eq!(g["kayit_no"], 4959);
    // Regression (issue #18): the İlke Kararı is registered under the sayı of the letter that carried it,
    // its own number as its kind's (Karar No 2021/81), not as a sayı.
    let (sayi, kind_no): (String, String) = env
        .db()
        .query_row(
            "SELECT sayi, kind_no FROM documents WHERE kind = 'ilke-kararı'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((sayi.as_str(), kind_no.as_str()), ("25346381.010.06/53064", "2021/81"));
    // The registry holds the governorships, districts and municipalities.
    assert_eq!(env.count("SELECT count(*) FROM orgs WHERE kind = 'valilik'"), 81);
    assert_eq!(env.count("SELECT count(*) FROM orgs WHERE kind = 'kaymakamlik'"), 39);
    assert_eq!(
        env.count("SELECT count(*) FROM orgs WHERE kind = 'ilce-belediyesi'"),
        39
    );
    // Tamim 2021/243 went to the member chambers through the file outbox, one message each.
    assert_eq!(report["sent"]["sent"], 17);
    assert_eq!(report["sent"]["no_address"], 1);
    let outbox: Vec<String> = std::fs::read_dir(env.output().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let staff_link = |f: &&String| f.contains("-s0@");
    assert_eq!(
        outbox.iter().filter(|f| !f.contains("-r") && !staff_link(f)).count(),
        17,
        "one circular per chamber with an address: {outbox:?}"
    );
    // The third chamber sent its seven people their personal links from its page.
    assert_eq!(outbox.iter().filter(staff_link).count(), 7, "{outbox:?}");
    assert_eq!(
        env.count("SELECT count(*) FROM staff_acks WHERE method = 'link'"),
        2,
        "two of them acknowledged through theirs"
    );
    // Afterwards: acknowledgements by link and on paper, a bounce, reminders, and the audit summary.
    let after = &report["after"];
    assert_eq!(after["acknowledged_by_link"].as_array().unwrap().len(), 10);
    assert!(after["bounced"].is_string() && after["acknowledged_on_paper"].is_string());
    let reminded = after["reminded"]["sent"].as_i64().unwrap();
    assert!(reminded >= 1);
    assert_eq!(
        outbox.iter().filter(|f| f.contains("-r")).count() as i64,
        reminded,
        "the reminders went through the same outbox"
    );
    // The reminder names its deadline as the circular does, a Turkish date (not 2021-11-20).
    let reminder = outbox.iter().find(|f| f.contains("-r")).unwrap();
    let eml = std::fs::read_to_string(env.output().join("outbox").join(reminder)).unwrap();
    let eml = eml.replace("=\r\n", "").replace("=\n", "");
    assert!(
        eml.contains("20 Kas=C4=B1m 2021") || eml.contains("20 Kasım 2021"),
        "{eml}"
    );
    assert!(!eml.contains("2021-11-20"), "{eml}");
    assert!(
        after["audit"].as_str().unwrap().contains("tebellüğ eden 11"),
        "{}",
        after["audit"]
    );
    use chrono::Timelike;
    // Regression (issue #18): the demo's story happens in 2021 on a clock of its own, not on the day it
    // runs. Sent the morning of the tamim's date, acknowledged over the following days up to the deadline
    // (20.11.2021), and its late list counted to its last day (25.11.2021): 5 days, not years.
    let times: Vec<(String, Option<String>, Option<String>)> = env
        .db()
        .prepare("SELECT recipient_code, sent_at, acknowledged_at FROM deliveries ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{t}: {e}"));
    let turkey = chrono::FixedOffset::east_opt(3 * 3600).unwrap();
    let (sent_at, deadline_end) = (at("2021-11-05T10:30:00+03:00"), at("2021-11-21T00:00:00+03:00"));
    let mut acked = 0;
    for (code, sent, ack) in &times {
        if let Some(s) = sent {
            assert_eq!(at(s), sent_at, "{code} sent on 05.11.2021 10:30");
        }
        if let Some(a) = ack {
            let a = at(a);
            assert!(
                a > sent_at && a < deadline_end,
                "{code} acknowledged at {a}: after the send, by 20.11.2021"
            );
            let local = a.with_timezone(&turkey);
            assert_eq!(
                (
                    local.format("%Y-%m").to_string(),
                    local.hour() >= 9 && local.hour() < 18
                ),
                ("2021-11".into(), true),
                "{code}: {local}"
            );
            acked += 1;
        }
    }
    assert_eq!(acked, 11, "{times:?}");
    let late = after["status"]["late"].as_array().unwrap();
    assert_eq!(late.len(), 7, "{}", after["status"]);
    assert!(late.iter().all(|l| l["days_late"] == 5), "{}", after["status"]);
    assert_eq!(after["status"]["deadline"], "2021-11-20");
    let summary = after["audit"].as_str().unwrap();
    assert!(
        summary.contains("25 Kasım 2021") && !summary.contains("2026"),
        "{summary}"
    );
    assert!(summary.contains("süresi geçen 7"), "{summary}");
    // Reminders two days after the deadline; every entry in the log after issuing is dated in November 2021,
    // in time order.
    let reminded: Vec<String> = env
        .db()
        .prepare("SELECT last_reminded_at FROM deliveries WHERE last_reminded_at IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reminded.len(), 7);
    assert!(
        reminded.iter().all(|r| at(r) == at("2021-11-22T09:30:00+03:00")),
        "{reminded:?}"
    );
    let log: Vec<String> = env
        .db()
        .prepare("SELECT at FROM events WHERE kind LIKE 'delivery.%' OR kind LIKE 'reminder.%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        log.len() > 30 && log.iter().all(|t| t.starts_with("2021-11-")),
        "{log:?}"
    );
    assert!(log.windows(2).all(|w| at(&w[0]) <= at(&w[1])), "{log:?}");
    // The CLI keeps the real clock: `status` run today counts the days from the deadline to today.
    let status = env.json(&["status", "2021/243"]);
    assert_eq!(status["counts"]["acknowledged"], 11);
    assert_eq!(status["counts"]["failed"], 1);
    let log = env.run(&["log", "verify"]);
    assert!(log.status.success(), "{}", common::stderr(&log));
    // Run again on the same registry: refused, nothing changed.
    let err = env.fails(&["demo"]);
    assert!(err.contains("already holds"), "{err}");
}

/// Pages of a PDF as poppler's pdfinfo counts them.
fn pdfinfo_pages(file: &Path) -> usize {
    let out = std::process::Command::new("pdfinfo")
        .arg(file)
        .output()
        .expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().expect("a page count"))
        })
        .expect("a Pages: line")
}

/// Regression (issue #18): the footer's verification and e-signature lines were added only when issuing, so a
/// letter whose preview fitted one page came out on two. Drafts of growing length, each previewed then issued:
/// the preview has the issued document's page count every time (and the lengths cross a page boundary), and
/// shows the footer with a placeholder code.
#[test]
fn a_preview_has_the_page_count_of_the_issued_document() {
    if !have("pdfinfo") {
        return;
    }
    let env = env();
    let base = forward(&env, "base.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    // No attachment: the letter's own pages only.
    let text = text[..text.find("[[ek]]").unwrap_or(text.len())].to_string();
    let mut counts = Vec::new();
    for n in 10..=40 {
        let p = env.path(&format!("d{n}.toml"));
        // One line more each time (a short paragraph), so some length ends in the footer's lines.
        let body: Vec<String> = (0..n).map(|i| format!("\"Satır {i}.\"")).collect();
        std::fs::write(&p, &text).unwrap();
        set_line(&p, "body", &format!("body = [{}]", body.join(", ")));
        let preview = env.json(&["issue", "--preview", p.to_str().unwrap()]);
        let preview_file = PathBuf::from(preview["file"].as_str().unwrap());
        let issued = env.json(&["issue", p.to_str().unwrap()]);
        let (a, b) = (
            pdfinfo_pages(&preview_file),
            pdfinfo_pages(Path::new(issued["file"].as_str().unwrap())),
        );
        assert_eq!(
            a, b,
            "{n} paragraphs: the preview has {a} page(s), the issued document {b}"
        );
        counts.push(b);
    }
    assert!(
        counts.first() < counts.last(),
        "the drafts cross a page boundary: {counts:?}"
    );
    let shown = pdftotext(&env.output().join("preview-d10.pdf"));
    assert!(shown.contains("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"), "{shown}");
}
