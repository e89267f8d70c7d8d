//! The registry through the real binary: init, orgs, people, lists, receive, ilgi, chain, and every bad input
//! issue #2 names (message, exit code, nothing written).

use crate::common;

use common::{minimal_pdf, Env};
use serde_json::Value;

fn seed_orgs(env: &Env) {
    env.ok(&[
        "org",
        "add",
        "IST",
        "--name",
        "İstanbul Valiliği",
        "--kind",
        "valilik",
        "--detsis",
        "85840981",
        "--email",
        "yaziisleri@istanbul.gov.tr",
    ]);
    env.ok(&[
        "org",
        "add",
        "KURUL",
        "--name",
        "Kamu Görevlileri Etik Kurulu",
        "--kind",
        "kurul",
        "--detsis",
        "25346381",
    ]);
    env.ok(&[
        "org",
        "add",
        "IESOB",
        "--name",
        "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "--kind",
        "birlik",
    ]);
}

#[test]
fn init_twice_is_harmless() {
    let env = Env::new();
    assert!(env.registry().join("office.toml").is_file());
    assert!(env.registry().join("tamim.sqlite").is_file());
    assert!(env.registry().join("files").is_dir());
    let before = std::fs::read(env.registry().join("office.toml")).unwrap();
    let out = env.ok(&["init"]);
    assert!(out.contains("already complete"), "{out}");
    assert_eq!(before, std::fs::read(env.registry().join("office.toml")).unwrap());
    let mode: String = env.db().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let v: i64 = env.db().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(v >= 1);
}

#[test]
fn not_a_registry_and_newer_schema_are_refused() {
    let env = Env::bare();
    std::fs::create_dir_all(env.registry()).unwrap();
    let err = env.fails(&["org", "list"]);
    assert!(err.contains("is not a tamim registry"), "{err}");
    assert!(
        !env.registry().join("tamim.sqlite").exists(),
        "must not create a database"
    );

    let env = Env::new();
    env.db().pragma_update(None, "user_version", 99).unwrap();
    let err = env.fails(&["org", "list"]);
    assert!(
        err.contains("schema version 99, newer than this tamim understands"),
        "{err}"
    );
}

#[test]
fn orgs_add_list_show_tree_and_duplicates() {
    let env = Env::new();
    seed_orgs(&env);
    env.ok(&[
        "org",
        "add",
        "KAY-CATALCA",
        "--name",
        "Çatalca Kaymakamlığı",
        "--kind",
        "kaymakamlik",
        "--parent",
        "IST",
    ]);
    env.ok(&[
        "org",
        "add",
        "KAY-BUYUKCEKMECE",
        "--name",
        "Büyükçekmece Kaymakamlığı",
        "--kind",
        "kaymakamlik",
        "--parent",
        "IST",
    ]);
    env.ok(&[
        "org",
        "add",
        "KAY-SILE",
        "--name",
        "Şile Kaymakamlığı",
        "--kind",
        "kaymakamlik",
        "--parent",
        "IST",
    ]);
    env.ok(&[
        "org",
        "add",
        "KAY-SULTANGAZI",
        "--name",
        "Sultangazi Kaymakamlığı",
        "--kind",
        "kaymakamlik",
        "--parent",
        "IST",
    ]);
    let list = env.json(&["org", "list", "--parent", "IST"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Büyükçekmece Kaymakamlığı",
            "Çatalca Kaymakamlığı",
            "Sultangazi Kaymakamlığı",
            "Şile Kaymakamlığı"
        ]
    );

    let tree = env.ok(&["org", "tree", "IST"]);
    let b = tree.find("Büyükçekmece").unwrap();
    let c = tree.find("Çatalca").unwrap();
    assert!(b < c, "{tree}");
    assert!(
        tree.starts_with("IST İstanbul Valiliği [valilik]\n  KAY-BUYUKCEKMECE"),
        "{tree}"
    );

    let err = env.fails(&["org", "add", "IST", "--name", "Başka"]);
    assert!(err.contains("org \"IST\" already exists"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM orgs WHERE code = 'IST'"), 1);
    let err = env.fails(&["org", "add", "X", "--name", "X", "--parent", "NOPE"]);
    assert!(err.contains("--parent: org \"NOPE\" does not exist"), "{err}");
    let err = env.fails(&["org", "add", "Y", "--name", "Y", "--email", "not-an-address"]);
    assert!(
        err.contains("--email: \"not-an-address\" is not an e-mail address"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM orgs WHERE code IN ('X', 'Y')"), 0);
    let err = env.fails(&["org", "show", "NOPE"]);
    assert!(err.contains("org \"NOPE\" does not exist"), "{err}");
}

#[test]
fn org_and_person_import() {
    let env = Env::new();
    let csv = env.path("orgs.csv");
    // A child before its parent is fine: the whole file is one transaction.
    std::fs::write(
        &csv,
        "code,name,kind,parent,email,kep,detsis\nODA-1,Kuaförler Odası,oda,IESOB,oda1@example.org,,\nIESOB,İESOB,birlik,,,iesob@hs01.kep.tr,\n",
    )
    .unwrap();
    assert!(env
        .ok(&["org", "import", csv.to_str().unwrap()])
        .contains("Imported 2 orgs"));
    let o = env.json(&["org", "show", "ODA-1"]);
    assert_eq!(o["org"]["parent"], "IESOB");

    let people = env.path("people.csv");
    std::fs::write(
        &people,
        "id,name,title,org,email\nP1,Ayşe YILDIZ,Sekreter,ODA-1,ayse@example.org\nP2,İsmail ÖZ,,ODA-1,\n",
    )
    .unwrap();
    env.ok(&["person", "import", people.to_str().unwrap()]);
    let ps = env.json(&["person", "list", "--org", "ODA-1"]);
    assert_eq!(ps.as_array().unwrap().len(), 2);
    assert_eq!(ps[0]["name"], "Ayşe YILDIZ");

    // Every bad line is reported by number and nothing is imported.
    let bad = env.path("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind,parent,email,kep,detsis\nOK-1,Tamam,oda,,,,\nBAD 2,Boşluklu,oda,,,,\nOK-3,,oda,,,,\nOK-4,Dört,oda,YOK,,,\nODA-1,Tekrar,oda,,,,\nOK-6,Altı,oda,,bad-mail,,\n",
    )
    .unwrap();
    let err = env.fails(&["org", "import", bad.to_str().unwrap()]);
    for line in ["line 3:", "line 4:", "line 5:", "line 6:", "line 7:"] {
        assert!(err.contains(line), "missing {line} in {err}");
    }
    assert!(!err.contains("line 2:"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM orgs WHERE code LIKE 'OK-%'"), 0);

    let wrong = env.path("wrong.csv");
    std::fs::write(&wrong, "kod,ad\nA,B\n").unwrap();
    let err = env.fails(&["org", "import", wrong.to_str().unwrap()]);
    assert!(
        err.contains("wrong header \"kod,ad\"; expected \"code,name,kind,parent,email,kep,detsis\""),
        "{err}"
    );
    let err = env.fails(&["person", "import", wrong.to_str().unwrap()]);
    assert!(err.contains("expected \"id,name,title,org,email\""), "{err}");

    let err = env.fails(&["person", "add", "P9", "--name", "Kimse", "--org", "NOPE"]);
    assert!(err.contains("--org: org \"NOPE\" does not exist"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM people"), 2);
}

#[test]
fn thousands_of_rows_import_in_one_transaction() {
    let env = Env::new();
    let mut orgs = String::from("code,name,kind,parent,email,kep,detsis\nROOT,Kök,birlik,,,,\n");
    let mut people = String::from("id,name,title,org,email\n");
    for i in 0..2000 {
        orgs.push_str(&format!("O{i},Oda {i},oda,ROOT,o{i}@example.org,,\n"));
        people.push_str(&format!("P{i},Kişi {i},Üye,O{i},p{i}@example.org\n"));
    }
    std::fs::write(env.path("o.csv"), orgs).unwrap();
    std::fs::write(env.path("p.csv"), people).unwrap();
    env.ok(&["org", "import", env.path("o.csv").to_str().unwrap()]);
    env.ok(&["person", "import", env.path("p.csv").to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM orgs"), 2001);
    assert_eq!(env.count("SELECT count(*) FROM people"), 2000);
}

fn list_env() -> Env {
    let env = Env::new();
    env.ok(&["org", "add", "IST", "--name", "İstanbul Valiliği", "--kind", "valilik"]);
    env.ok(&[
        "org",
        "add",
        "IBB",
        "--name",
        "İstanbul Büyükşehir Belediye Başkanlığı",
        "--kind",
        "buyuksehir-belediyesi",
        "--parent",
        "IST",
    ]);
    for (code, name) in [
        ("K-SILE", "Şile Kaymakamlığı"),
        ("K-SULTANGAZI", "Sultangazi Kaymakamlığı"),
        ("K-CATALCA", "Çatalca Kaymakamlığı"),
        ("K-ADALAR", "Adalar Kaymakamlığı"),
    ] {
        env.ok(&[
            "org",
            "add",
            code,
            "--name",
            name,
            "--kind",
            "kaymakamlik",
            "--parent",
            "IST",
        ]);
    }
    env.ok(&[
        "person",
        "add",
        "VY1",
        "--name",
        "Ali VURAL",
        "--org",
        "IST",
        "--title",
        "Vali Yardımcısı",
        "--email",
        "ali@example.org",
    ]);
    env.ok(&["list", "create", "kaymakamliklar", "--title", "39 İlçe Kaymakamlığına"]);
    env.ok(&[
        "list",
        "add",
        "kaymakamliklar",
        "K-SILE",
        "K-SULTANGAZI",
        "K-CATALCA",
        "K-ADALAR",
    ]);
    env.ok(&["list", "create", "vali-yardimcilari"]);
    env.ok(&["list", "add", "vali-yardimcilari", "VY1"]);
    env.ok(&["list", "create", "dagitim"]);
    env.ok(&["list", "add", "dagitim", "IBB"]);
    env.ok(&[
        "list",
        "add",
        "dagitim",
        "@kaymakamliklar",
        "--cascade",
        "ilce-belediyesi",
        "--label",
        "39 İlçe Kaymakamlığına",
    ]);
    env.ok(&["list", "add", "dagitim", "@vali-yardimcilari", "--role", "bilgi"]);
    env
}

#[test]
fn expansion_is_ordered_deduplicated_and_tells_the_path() {
    let env = list_env();
    // Şile reached again directly, as bilgi: still one recipient, keeping gereği from the stronger path.
    env.ok(&["list", "add", "dagitim", "K-SILE", "--role", "bilgi"]);
    // Ali reached again as gereği: the stronger role wins.
    env.ok(&["list", "create", "ozel"]);
    env.ok(&["list", "add", "ozel", "VY1"]);
    env.ok(&["list", "add", "dagitim", "@ozel"]);
    let v = env.json(&["list", "show", "dagitim", "--expand"]);
    let r = v["recipients"].as_array().unwrap();
    let names: Vec<&str> = r.iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Adalar Kaymakamlığı",
            "Ali VURAL",
            "Çatalca Kaymakamlığı",
            "İstanbul Büyükşehir Belediye Başkanlığı",
            "Sultangazi Kaymakamlığı",
            "Şile Kaymakamlığı"
        ]
    );
    let get = |code: &str| r.iter().find(|x| x["code"] == code).unwrap().clone();
    let sile = get("K-SILE");
    assert_eq!(sile["role"], "gereği");
    assert_eq!(sile["path"], "dagitim > kaymakamliklar");
    assert_eq!(sile["kind"], "kaymakamlik");
    assert_eq!(sile["cascade"], "İlçe Belediye Başkanlıklarına Duyurulacaktır");
    assert_eq!(sile["also_via"], serde_json::json!(["dagitim"]));
    let ali = get("VY1");
    assert_eq!(ali["role"], "gereği");
    assert_eq!(ali["path"], "dagitim > ozel");
    assert_eq!(ali["kind"], "person");
    assert_eq!(get("IBB")["path"], "dagitim");
    assert_eq!(get("IBB").get("cascade"), None);
    // Deterministic: same output twice.
    assert_eq!(v, env.json(&["list", "show", "dagitim", "--expand"]));

    // For people: the same recipients as an aligned table (written row by row), then the counts.
    let text = env.ok(&["list", "show", "dagitim", "--expand"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + names.len() + 1, "{text}");
    assert!(lines[0].starts_with("NAME ") && lines[0].ends_with("CASCADE"), "{text}");
    let code_col = lines[0].find("CODE").unwrap();
    for (line, name) in lines[2..2 + names.len()].iter().zip(&names) {
        assert!(line.starts_with(name), "{text}");
        let col = line
            .char_indices()
            .position(|(i, _)| i == line.find("  ").unwrap())
            .unwrap();
        assert!(col < code_col, "{text}");
        let code_at: String = line.chars().skip(code_col).take_while(|c| *c != ' ').collect();
        assert_eq!(
            code_at,
            r.iter().find(|x| x["name"] == *name).unwrap()["code"].as_str().unwrap(),
            "{text}"
        );
    }
    assert!(
        lines[7].contains("dagitim > kaymakamliklar")
            && lines[7].ends_with("İlçe Belediye Başkanlıklarına Duyurulacaktır"),
        "{text}"
    );
    assert_eq!(*lines.last().unwrap(), "6 recipients: 6 gereği, 0 bilgi", "{text}");

    let shown = env.json(&["list", "show", "dagitim"]);
    assert_eq!(
        shown["entries"][1]["printed"],
        "39 İlçe Kaymakamlığına (İlçe Belediye Başkanlıklarına Duyurulacaktır)"
    );
}

#[test]
fn list_cycles_and_unknown_members_are_refused() {
    let env = list_env();
    env.ok(&["list", "create", "a"]);
    env.ok(&["list", "create", "b"]);
    env.ok(&["list", "add", "a", "@b"]);
    let err = env.fails(&["list", "add", "b", "@a"]);
    assert!(err.contains("distribution list cycle: @b → @a → @b"), "{err}");
    let err = env.fails(&["list", "add", "a", "@a"]);
    assert!(err.contains("@a → @a"), "{err}");
    assert_eq!(
        env.count("SELECT count(*) FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.name = 'b'"),
        0
    );

    let err = env.fails(&["list", "add", "a", "NOPE"]);
    assert!(err.contains("org or person \"NOPE\" does not exist"), "{err}");
    let err = env.fails(&["list", "add", "a", "@nope"]);
    assert!(err.contains("list \"nope\" does not exist"), "{err}");
    let err = env.fails(&["list", "add", "nope", "IST"]);
    assert!(err.contains("list \"nope\" does not exist"), "{err}");
    let err = env.fails(&["list", "add", "a", "IST", "--role", "acil"]);
    assert!(err.contains("--role: \"acil\" is not a role"), "{err}");
    let err = env.fails(&["list", "create", "a"]);
    assert!(err.contains("list \"a\" already exists"), "{err}");
    // All or nothing: a good member before a bad one is not added either.
    let err = env.fails(&["list", "add", "a", "IST", "NOPE"]);
    assert!(err.contains("NOPE"), "{err}");
    assert_eq!(
        env.count("SELECT count(*) FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.name = 'a'"),
        1
    );
    env.ok(&["list", "remove", "a", "@b"]);
    let err = env.fails(&["list", "remove", "a", "IST"]);
    assert!(err.contains("\"IST\" is not on list \"a\""), "{err}");
}

fn receive_args<'a>(file: &'a str, sayi: &'a str, tarih: &'a str, konu: &'a str, from: &'a str) -> Vec<&'a str> {
    vec![
        "receive", file, "--sayi", sayi, "--tarih", tarih, "--konu", konu, "--from", from,
    ]
}

#[test]
fn receive_show_and_the_seed_discrepancy() {
    let env = Env::new();
    seed_orgs(&env);
    let letter = env.pdf(
        "kurul.pdf",
        &["Kurul yazisi", "Ilke Karari 1", "Ilke Karari 2", "Ilke Karari 3"],
    );
    let l = letter.to_str().unwrap();
    let mut a = receive_args(
        l,
        "25346381.010.06/ 53064",
        "12 EKİM 2021",
        "Sosyal Medya Etik İlkeleri",
        "KURUL",
    );
    a.extend(["--received", "01.11.2021", "--muhatap", "dağıtım yerlerine"]);
    let kurul = env.json(&a);
    assert_eq!(kurul["id"], 1);
    assert_eq!(kurul["sayi"], "25346381.010.06/ 53064");
    assert_eq!(kurul["tarih"], "2021-10-12");
    assert_eq!(kurul["konu"], "Sosyal Medya Etik İlkeleri");
    assert_eq!(kurul["kayit_no"], 1);
    assert_eq!(kurul["muhatap"], "DAĞITIM YERLERİNE");
    assert_eq!(kurul["pages"], 4);

    let genelge = env.pdf("genelge.pdf", &["Valilik genelgesi"]);
    let mut a = receive_args(
        genelge.to_str().unwrap(),
        "E-85840981-167.01-122254",
        "02.11.2021",
        "Sosyal Medya Etik İlkeleri",
        "IST",
    );
    a.extend([
        "--received",
        "2021-11-03T10:15:00",
        "--kind",
        "genelge",
        "--ilgi",
        "Kamu Görevlileri Etik Kurulunun 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı.",
        "--ek",
        "İlgi yazı ve eki.",
    ]);
    let g = env.json(&a);
    assert_eq!(g["kayit_no"], 2);
    assert_eq!(g["ilgi"][0]["target"], 1, "the `-` spelling matches the `/` one: {g}");
    let disc = g["ilgi"][0]["discrepancy"].as_str().unwrap();
    assert!(
        disc.contains("ilgide 22.10.2021 tarihli olarak anılıyor") && disc.contains("tarihi 12.10.2021"),
        "{disc}"
    );
    assert_eq!(
        g["ilgi"][0]["text"],
        "Kamu Görevlileri Etik Kurulunun 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı."
    );

    // Named by sayı as printed, or by id.
    let shown = env.json(&["show", "E-85840981-167.01-122254"]);
    assert_eq!(shown["id"], 2);
    assert_eq!(env.json(&["show", "#1"])["sayi"], "25346381.010.06/ 53064");
    assert_eq!(env.json(&["show", "25346381.010.06-53064"])["id"], 1);
    let text = env.ok(&["show", "2"]);
    assert!(text.contains("Kayıt No       2 / 2021"), "{text}");
    assert!(text.contains("! ilgide 22.10.2021 tarihli olarak anılıyor"), "{text}");
    assert!(text.contains("02 Kasım 2021"), "{text}");

    // The stored original is byte-identical to the file received.
    let sha = shown["file"].as_str().unwrap();
    let stored = std::fs::read(env.registry().join("files").join(format!("{sha}.pdf"))).unwrap();
    assert_eq!(stored, std::fs::read(&genelge).unwrap());

    // Chain: the Kurul's letter up, with the discrepancy listed.
    let c = env.json(&["chain", "2"]);
    let ids: Vec<i64> = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(c["discrepancies"].as_array().unwrap().len(), 1);
    assert_eq!(c["discrepancies"][0]["document"], 2);
    let c1 = env.json(&["chain", "1"]);
    assert_eq!(
        c1["documents"].as_array().unwrap().len(),
        2,
        "down from the letter reaches the genelge"
    );
    let text = env.ok(&["chain", "1"]);
    assert!(text.contains("1 tutarsızlık:"), "{text}");

    // A citation of an unregistered document is kept as text.
    let other = env.pdf("other.pdf", &["x"]);
    let mut a = receive_args(
        other.to_str().unwrap(),
        "4516",
        "05 Kasım 2021",
        "Sosyal Medya Etik İlkeleri hk.",
        "IESOB",
    );
    a.extend([
        "--received",
        "06.11.2021",
        "--ilgi",
        "Bakanlığın 01.01.2021 tarihli ve 999 sayılı yazısı.",
        "--ilgi",
        "#2",
    ]);
    let t = env.json(&a);
    assert_eq!(t["ilgi"][0]["target"], Value::Null);
    assert_eq!(t["ilgi"][0]["cited_sayi"], "999");
    assert_eq!(t["ilgi"][1]["target"], 2);
    assert_eq!(t["kayit_no"], 3);
}

#[test]
fn receive_bad_inputs_write_nothing() {
    let env = Env::new();
    seed_orgs(&env);
    let pdf = env.pdf("a.pdf", &["a"]);
    let p = pdf.to_str().unwrap();
    let txt = env.path("a.txt");
    std::fs::write(&txt, "not a pdf").unwrap();
    let empty = env.path("empty.pdf");
    std::fs::write(&empty, "").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            receive_args(p, "4516", "31.02.2021", "Konu", "IST"),
            "--tarih: 31.02.2021",
        ),
        (
            receive_args(p, "4516", "2021-13-01", "Konu", "IST"),
            "--tarih: 2021-13-01",
        ),
        (receive_args(p, "4516", "02.11.2021", "   ", "IST"), "--konu: is empty"),
        (
            receive_args(p, "4516", "02.11.2021", "Konu", "NOPE"),
            "--from: org \"NOPE\" does not exist",
        ),
        (
            receive_args(p, "E-85840981-167.01", "02.11.2021", "Konu", "IST"),
            "--sayi:",
        ),
        (receive_args(p, "abc/def", "02.11.2021", "Konu", "IST"), "--sayi:"),
        (
            receive_args("missing.pdf", "4516", "02.11.2021", "Konu", "IST"),
            "missing.pdf: does not exist",
        ),
        (
            receive_args(txt.to_str().unwrap(), "4516", "02.11.2021", "Konu", "IST"),
            "is not a PDF",
        ),
        (
            receive_args(empty.to_str().unwrap(), "4516", "02.11.2021", "Konu", "IST"),
            "is empty",
        ),
        (receive_args(p, "4516", "02.11.2021", "Konu\nBcc: x", "IST"), "--konu:"),
    ];
    for (args, expect) in cases {
        let err = env.fails(&args);
        assert!(err.contains(expect), "{args:?}: expected {expect:?} in {err}");
    }
    let mut claimed = receive_args(p, "4516", "02.11.2021", "Konu", "IST");
    claimed.extend(["--sayi-form", "eyazisma"]);
    let err = env.fails(&claimed);
    assert!(err.contains("--sayi:") && err.contains("e-Yazışma"), "{err}");
    let mut ilgi = receive_args(p, "4516", "02.11.2021", "Konu", "IST");
    ilgi.extend(["--ilgi", "#77"]);
    let err = env.fails(&ilgi);
    assert!(err.contains("--ilgi"), "{err}");

    assert_eq!(env.count("SELECT count(*) FROM documents"), 0);
    assert_eq!(env.count("SELECT count(*) FROM counters"), 0, "no kayıt no used");
    assert_eq!(env.stored_files(), 0, "no file stored");
    // And the next good one gets kayıt no 1.
    let d = env.json(&receive_args(p, "4516", "02.11.2021", "Konu", "IST"));
    assert_eq!(d["kayit_no"], 1);
}

#[test]
fn four_processes_register_200_documents_without_gap_or_repeat() {
    let env = Env::new();
    seed_orgs(&env);
    let mut children = Vec::new();
    for w in 0..4 {
        for i in 0..50 {
            std::fs::write(
                env.path(&format!("w{w}-{i}.pdf")),
                minimal_pdf(&[&format!("worker {w} doc {i}")]),
            )
            .unwrap();
        }
        let script = (0..50)
            .map(|i| {
                format!(
                    "{bin} --registry {reg} receive {dir}/w{w}-{i}.pdf --sayi {n} --tarih 02.11.2021 --konu 'Konu {w}-{i}' --from IST --received 03.11.2021 >/dev/null || exit 1",
                    bin = env!("CARGO_BIN_EXE_tamim"),
                    reg = env.registry().display(),
                    dir = env.dir.path().display(),
                    n = 1000 * (w + 1) + i,
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        children.push(std::process::Command::new("sh").arg("-c").arg(script).spawn().unwrap());
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let db = env.db();
    let mut st = db.prepare("SELECT kayit_no FROM documents ORDER BY kayit_no").unwrap();
    let nos: Vec<i64> = st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    assert_eq!(nos, (1..=200).collect::<Vec<i64>>());
}

#[test]
fn ambiguous_and_unknown_documents() {
    let env = Env::new();
    seed_orgs(&env);
    let p = env.pdf("a.pdf", &["a"]);
    let p = p.to_str().unwrap();
    // Two letters (the same file twice would be refused as the same letter registered again).
    let b = env.pdf("b.pdf", &["b"]);
    env.ok(&receive_args(p, "2", "01.11.2021", "Bir", "IST")); // id 1, sayı 2
    env.ok(&receive_args(b.to_str().unwrap(), "7", "01.11.2021", "İki", "IST")); // id 2, sayı 7
    let err = env.fails(&["show", "2"]);
    assert!(err.contains("is both document #2 and the sayı of document #1"), "{err}");
    assert_eq!(env.json(&["show", "#2"])["konu"], "İki");
    assert_eq!(env.json(&["show", "sayı:2"])["konu"], "Bir");
    assert_eq!(env.json(&["show", "7"])["konu"], "İki");
    let err = env.fails(&["show", "E-1-2-3"]);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn numbering_moves_only_forward() {
    let env = Env::new();
    seed_orgs(&env);
    env.ok(&["numbering", "set", "kayit", "--year", "2021", "--next", "4959"]);
    let p = env.pdf("a.pdf", &["a"]);
    let d = env.json(&receive_args(
        p.to_str().unwrap(),
        "E-85840981-167.01-122254",
        "02.11.2021",
        "Konu",
        "IST",
    ));
    // Without --received, the arrival year is this year: the 2021 counter is untouched.
    assert_eq!(d["kayit_no"], 1);
    let b = env.pdf("b.pdf", &["b"]);
    let mut a = receive_args(
        b.to_str().unwrap(),
        "E-85840981-167.01-122255",
        "02.11.2021",
        "Konu",
        "IST",
    );
    a.extend(["--received", "03.11.2021"]);
    assert_eq!(env.json(&a)["kayit_no"], 4959);
    let err = env.fails(&["numbering", "set", "kayit", "--year", "2021", "--next", "4000"]);
    assert!(err.contains("has already used number 4959"), "{err}");
    let err = env.fails(&["numbering", "set", "bogus", "--year", "2021", "--next", "5"]);
    assert!(err.contains("SCOPE: \"bogus\" is not a counter"), "{err}");
}

/// The library names a field in the domain's words; only the command line speaks of its flags (issue #14):
/// the same refusal reaches a caller that is not the CLI (the server, an import) without a `--`.
#[test]
fn the_library_names_fields_not_flags() {
    let env = Env::new();
    let mut reg = tamim_app::registry::Registry::open(&env.registry()).unwrap();
    let new = tamim_app::registry::org::NewOrg {
        code: "X".into(),
        name: "X".into(),
        parent: Some("NOPE".into()),
        ..Default::default()
    };
    let err = tamim_app::registry::org::add(&mut reg.store, new)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "parent: org \"NOPE\" does not exist");
    let person = tamim_app::registry::person::NewPerson {
        code: "P1".into(),
        name: "Ayşe".into(),
        org: "NOPE".into(),
        ..Default::default()
    };
    let err = tamim_app::registry::person::add(&mut reg.store, person)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "org: org \"NOPE\" does not exist");
}
