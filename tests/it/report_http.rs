//! Reports between two tamims over loopback (issue #15, item 3c): İstanbul Valiliği's registry issues a
//! genelge to İESOB; İESOB's registry registers it with the acknowledgement link (`--report-to`), issues its
//! own tamim citing it, notifies its chambers and staff, and `tamim report send`s to the Valilik's
//! `tamim serve`. The Valilik's delivery moves to "received", its audit shows İESOB's figures, pending names
//! and head hash; a tampered report is refused 401, a replay 409, and every bad input with its status and
//! Turkish message, nothing written.

use crate::ack_common;

use ack_common::http::{request, Response, Server};
use ack_common::*;
use tamim_app::registry::document::NewDocument;
use tamim_app::registry::Registry;
use tamim_core::token;

const GENELGE: &str = "E-85840981-167.01-122254";
const AUDITOR: &str = "denetci-anahtari-7f3c9a21b8e4d5f6";
const IESOB: &str = "İstanbul Esnaf ve Sanatkarlar Odaları Birliği";

/// İstanbul Valiliği's registry: İESOB and a kaymakamlık on the list `dagitim`, the genelge issued 5 days
/// ago and sent to both.
fn valilik() -> (Env, i64) {
    let env = Env::new();
    let cfg = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "# token = \"a long random string for the auditor's pages\"",
        &format!("token = \"{AUDITOR}\""),
    );
    std::fs::write(&cfg, text).unwrap();
    for (code, name, kind, email) in [
        ("IESOB", IESOB, "birlik", "iesob@example.org"),
        ("KAY-SILE", "Şile Kaymakamlığı", "kaymakamlik", "sile@example.org"),
    ] {
        env.ok(&["org", "add", code, "--name", name, "--kind", kind, "--email", email]);
    }
    env.ok(&["list", "create", "dagitim", "--title", "Dağıtım Yerlerine"]);
    env.ok(&["list", "add", "dagitim", "IESOB", "KAY-SILE"]);
    let home = env.registry();
    let mut reg = Registry::open(&home).unwrap();
    let secret = tamim_app::distribution::token::secret(&home).unwrap();
    let doc = reg
        .store
        .write(|tx| {
            let id = tamim_store::documents::insert(
                tx,
                &NewDocument {
                    direction: "outgoing".into(),
                    kind: tamim_core::DocumentKind::Genelge,
                    sayi: Some(tamim_core::turkish::Sayi::parse(GENELGE).unwrap()),
                    tarih: chrono::NaiveDate::parse_from_str(&days_ago(5), "%Y-%m-%d").unwrap(),
                    konu: "Sosyal Medya Etik İlkeleri".into(),
                    muhatap: Some("DAĞITIM YERLERİNE".into()),
                    issuer: Some("İstanbul Valiliği".into()),
                    state: "issued".into(),
                    payload: serde_json::json!({"to": ["dagitim"]}),
                    ..Default::default()
                },
            )?;
            tamim_app::distribution::freeze::freeze(tx, &secret, id)?;
            Ok::<_, tamim_app::Error>(id)
        })
        .unwrap();
    mark_all_sent(&home, doc);
    (env, doc)
}

/// İESOB's registry: the Valilik's genelge registered with its acknowledgement link, Tamim 2021/243 issued
/// citing it to the chambers (ODA-1 with "notify all staff" and a roster of three), one chamber
/// acknowledged by the clerk, one staff member by the clerk. Returns (env, incoming id, follow-on id).
fn iesob(link: &str) -> (Env, i64, i64) {
    let env = Env::new();
    seed(&env);
    env.ok(&["list", "add", "odalar", "ODA-1", "--all-staff"]);
    let csv = env.path("oda1.csv");
    std::fs::write(
        &csv,
        "Sicil No;Adı Soyadı;Unvanı\r\n101;Ayşe Yılmaz;Genel Sekreter\r\n102;Ömer Demir;Memur\r\n103;Işıl Öztürk;Memur\r\n",
    )
    .unwrap();
    env.ok(&["roster", "import", "ODA-1", csv.to_str().unwrap()]);
    let pdf = env.pdf("genelge.pdf", &["T.C. ISTANBUL VALILIGI", "Sosyal Medya Etik Ilkeleri"]);
    let out = env.ok(&[
        "--json",
        "receive",
        pdf.to_str().unwrap(),
        "--sayi",
        GENELGE,
        "--tarih",
        &dotted_days_ago(5),
        "--konu",
        "Sosyal Medya Etik İlkeleri",
        "--from",
        "IST",
        "--kind",
        "genelge",
        "--received",
        &days_ago(4),
        "--report-to",
        link,
    ]);
    let incoming = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"]
        .as_i64()
        .unwrap();
    let follow = issue(&env.registry(), "4516", &days_ago(3), None, None);
    let mut reg = Registry::open(&env.registry()).unwrap();
    reg.store
        .write(|tx| {
            tamim_store::documents::insert_citation(
                tx,
                follow,
                1,
                &tamim_core::document::CitationRow {
                    text: format!("İstanbul Valiliğinin {GENELGE} sayılı genelgesi."),
                    cited_date: None,
                    cited_sayi: Some(GENELGE.into()),
                    target: Some(incoming),
                    target_sayi: Some(GENELGE.into()),
                    discrepancy: None,
                },
            )
        })
        .unwrap();
    mark_all_sent(&env.registry(), follow);
    let f = format!("#{follow}");
    env.ok(&["ack", &f, "ODA-2", "--method", "phone", "--by", "Ali VELİ"]);
    env.ok(&["ack", "staff", &f, "ODA-1", "--sicil", "101"]);
    (env, incoming, follow)
}

fn post(srv: &Server, body: &[u8], signature: &str) -> Response {
    request(
        &srv.addr,
        "POST",
        "/rapor",
        &[("Content-Type", "application/json"), ("X-Tamim-Imza", signature)],
        Some(body),
    )
}

fn hata(r: &Response) -> String {
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_else(|_| panic!("not JSON: {}", r.text()));
    v["hata"]
        .as_str()
        .unwrap_or_else(|| panic!("no hata in {v}"))
        .to_string()
}

/// (reports, events) on the Valilik's side: what a refusal must leave as it was.
fn written(env: &Env) -> (i64, i64) {
    (
        env.count("SELECT count(*) FROM reports"),
        env.count("SELECT count(*) FROM events"),
    )
}

struct Chain {
    valilik: Env,
    genelge: i64,
    iesob: Env,
    incoming: i64,
    srv: Server,
    token: String,
}

fn chain() -> Chain {
    let (valilik, genelge) = valilik();
    let srv = Server::start(&valilik);
    let token = ack_common::token(&valilik.registry(), genelge, "IESOB");
    let link = srv.url(&format!("/ack/{token}"));
    let (iesob, incoming, _) = iesob(&link);
    Chain {
        valilik,
        genelge,
        iesob,
        incoming,
        srv,
        token,
    }
}

#[test]
fn iesob_reports_back_and_the_valiliks_audit_shows_its_figures_and_head() {
    let c = chain();
    // The sending side keeps the key and the public id, never the token.
    let key_hex: String = c
        .iesob
        .db()
        .query_row("SELECT key_hex FROM report_links", [], |r| r.get(0))
        .unwrap();
    assert_eq!(key_hex, hex::encode(token::report_key(&c.token)));
    assert_eq!(
        c.iesob.count(&format!(
            "SELECT count(*) FROM report_links WHERE url LIKE '%{}%'",
            c.token
        )),
        0
    );

    let out = c.iesob.ok(&["report", "send", &format!("#{}", c.incoming)]);
    assert!(
        out.contains("Report 1 sent to") && out.contains("/rapor: accepted"),
        "{out}"
    );

    // Our delivery to İESOB is received, with their kayıt no.
    assert_eq!(state_of(&c.valilik, c.genelge, "IESOB"), "received");
    let kayit: String = c
        .valilik
        .db()
        .query_row(
            "SELECT recipient_kayit_no FROM deliveries WHERE recipient_code = 'IESOB'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kayit, "1");
    // The head İESOB sent is its log's head when the report was made, and the Valilik's event holds it.
    let sent: serde_json::Value = serde_json::from_str(
        &c.iesob
            .db()
            .query_row(
                "SELECT detail FROM events WHERE kind = 'document.report-sent'",
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
    )
    .unwrap();
    let head = sent["head"].as_str().unwrap().to_string();
    let their_prev: String = c
        .iesob
        .db()
        .query_row(
            "SELECT hash FROM events WHERE seq = (SELECT seq - 1 FROM events WHERE kind = 'document.report-sent')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(head, their_prev);
    let ev: String = c
        .valilik
        .db()
        .query_row("SELECT detail FROM events WHERE kind = 'delivery.reported'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(ev.contains(&head), "{ev}");

    // The audit, text: İESOB's figures, the pending names, the head.
    let g = format!("#{}", c.genelge);
    let text = c.valilik.ok(&["audit", &g]);
    for want in [
        "Alt düzeylerden gelen raporlar",
        &format!("IESOB {IESOB}"),
        "Son rapor: 1 numaralı",
        "Kayıt: 1 sayılı",
        "İlgili yazısı: 4516 sayılı",
        "1. düzey (kurum): toplam 6, tebellüğ edildi 1, adres yok 1, gönderildi 4",
        "ODA-1 İstanbul Berberler Odası",
        "2. düzey (personel): toplam 3, tebellüğ eden 1, muaf 0, bekleyen 2",
        "102 Ömer Demir, 103 Işıl Öztürk",
        &format!("Olay kaydının son özeti: {head}"),
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // JSON: the same figures under "reports".
    let j = c.valilik.json(&["audit", &g, "--format", "json"]);
    let r = &j["reports"][0];
    assert_eq!(r["office"], "IESOB");
    assert_eq!(r["head"], head.as_str());
    assert_eq!(r["levels"][1]["states"]["pending"], 2);
    assert_eq!(r["levels"][1]["pending"][0], "102 Ömer Demir");
    // `report show` prints the same section.
    let shown = c.valilik.ok(&["report", "show", &g]);
    assert!(shown.contains("2. düzey (personel)"), "{shown}");
    // And the auditor's page of the document.
    let page = c.srv.get(&format!("/audit/doc/{}?token={AUDITOR}", c.genelge));
    assert_eq!(page.status, 200);
    let page = page.text();
    for want in [
        "Alt düzeylerden gelen raporlar",
        "2. düzey (personel): toplam 3, tebellüğ eden 1, muaf 0, bekleyen 2",
        "Bekleyenler: 102 Ömer Demir, 103 Işıl Öztürk",
        &head,
    ] {
        assert!(page.contains(want), "missing {want:?} in the auditor's page:\n{page}");
    }

    // Figures change (a second staff member acknowledges): the next report is number 2.
    let follow: i64 = c
        .iesob
        .db()
        .query_row("SELECT id FROM documents WHERE sayi = '4516'", [], |r| r.get(0))
        .unwrap();
    c.iesob
        .ok(&["ack", "staff", &format!("#{follow}"), "ODA-1", "--sicil", "102"]);
    let out = c.iesob.ok(&["report", "send", &format!("#{}", c.incoming)]);
    assert!(out.contains("Report 2 sent"), "{out}");
    let text = c.valilik.ok(&["audit", &g]);
    assert!(
        text.contains("Son rapor: 2 numaralı") && text.contains("(toplam 2 rapor)"),
        "{text}"
    );
    assert!(text.contains("tebellüğ eden 2, muaf 0, bekleyen 1"), "{text}");
    assert_eq!(state_of(&c.valilik, c.genelge, "IESOB"), "received");
}

#[test]
fn tampered_replayed_and_bad_reports_are_refused_and_nothing_is_written() {
    let c = chain();
    c.iesob.ok(&["report", "send", &format!("#{}", c.incoming)]);
    let body: Vec<u8> = c
        .valilik
        .db()
        .query_row("SELECT body FROM reports", [], |r| r.get(0))
        .unwrap();
    let key = token::report_key(&c.token);
    let sign = |b: &[u8]| token::report_mac(&key, b);
    let before = written(&c.valilik);

    // One byte changed, the signature of the original: 401.
    let mut tampered = body.clone();
    let at = tampered.windows(8).position(|w| w == b"\"total\":").unwrap() + 8;
    tampered[at] = if tampered[at] == b'9' { b'8' } else { b'9' };
    let r = post(&c.srv, &tampered, &sign(&body));
    assert_eq!(r.status, 401, "{}", r.text());
    assert!(
        hata(&r).contains("imzası bu gönderimin anahtarıyla doğrulanmadı"),
        "{}",
        r.text()
    );
    // The same report again: 409.
    let r = post(&c.srv, &body, &sign(&body));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(hata(&r).contains("1 numaralı rapor kabul edilmedi"), "{}", r.text());
    // No signature, or a key from another token: 401.
    let r = post(&c.srv, &body, "");
    assert_eq!(r.status, 401);
    let other = token::report_key(&"ab".repeat(20));
    let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["sequence"] = 5.into();
    let newer = serde_json::to_vec(&v).unwrap();
    let r = post(&c.srv, &newer, &token::report_mac(&other, &newer));
    assert_eq!(r.status, 401);

    // Correctly signed, but wrong: each its status, naming the field.
    let signed = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        v["sequence"] = 7.into();
        f(&mut v);
        let b = serde_json::to_vec(&v).unwrap();
        post(&c.srv, &b, &sign(&b))
    };
    let r = signed(&|v| v["levels"][1]["states"]["pending"] = (-2).into());
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        hata(&r).contains("levels[1].states.pending: -2 eksi olamaz"),
        "{}",
        r.text()
    );
    let r = signed(&|v| v["levels"][1]["states"]["acknowledged"] = 4.into());
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        hata(&r).contains(
            "levels[1].states.acknowledged: tebellüğ eden 4 kişi/kurum, listedeki 3 kişi/kurumdan fazla olamaz"
        ),
        "{}",
        r.text()
    );
    let r = signed(&|v| v["levels"][0]["total"] = 5.into());
    assert_eq!(r.status, 422);
    assert!(hata(&r).contains("durumların toplamı"), "{}", r.text());
    let r = signed(&|v| v["registration"]["date"] = "2999-01-01".into());
    assert_eq!(r.status, 422);
    assert!(hata(&r).contains("registration.date"), "{}", r.text());
    let r = signed(&|v| v["document"]["sayi"] = "E-85840981-167.01-999999".into());
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(
        hata(&r).contains("E-85840981-167.01-999999 sayılı belge İstanbul Esnaf"),
        "{}",
        r.text()
    );
    let r = signed(&|v| v["sequence"] = 0.into());
    assert_eq!(r.status, 422);
    // A delivery we do not have: 404.
    let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["delivery"] = "0".repeat(64).into();
    let b = serde_json::to_vec(&v).unwrap();
    let r = post(&c.srv, &b, &sign(&b));
    assert_eq!(r.status, 404);
    assert!(hata(&r).contains("Bu kimlikle bir gönderim yok"), "{}", r.text());
    // Not JSON: 400.
    let r = post(&c.srv, b"{\"delivery\": ", &sign(b"{\"delivery\": "));
    assert_eq!(r.status, 400);
    assert!(hata(&r).contains("geçerli bir JSON değil"), "{}", r.text());
    // Over 10 MB: 413.
    let mut big = b"{\"delivery\":\"".to_vec();
    big.resize(11 * 1024 * 1024, b'a');
    let r = post(&c.srv, &big, &sign(&big));
    assert_eq!(r.status, 413);
    assert!(hata(&r).contains("Rapor çok büyük"), "{}", r.text());

    assert_eq!(written(&c.valilik), before, "a refused report writes nothing");
    // And the real next one still goes through.
    let out = c.iesob.ok(&["report", "send", &format!("#{}", c.incoming)]);
    assert!(out.contains("Report 2 sent"), "{out}");
}

#[test]
fn sending_without_a_link_or_to_a_refusing_issuer_says_so() {
    let c = chain();
    // A document registered without --report-to.
    let pdf = c.iesob.pdf("other.pdf", &["Baska yazi"]);
    let out = c.iesob.ok(&[
        "--json",
        "receive",
        pdf.to_str().unwrap(),
        "--sayi",
        "E-85840981-167.01-122999",
        "--tarih",
        &dotted_days_ago(2),
        "--konu",
        "Başka",
        "--from",
        "IST",
    ]);
    let other = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"]
        .as_i64()
        .unwrap();
    let err = c.iesob.fails(&["report", "send", &format!("#{other}")]);
    assert!(err.contains("has no report link"), "{err}");
    // A bad link is refused at registration, nothing registered.
    let docs = c.iesob.count("SELECT count(*) FROM documents");
    let err = c.iesob.fails(&[
        "receive",
        pdf.to_str().unwrap(),
        "--sayi",
        "1",
        "--tarih",
        &dotted_days_ago(2),
        "--konu",
        "X",
        "--from",
        "IST",
        "--duplicate",
        "--report-to",
        "http://127.0.0.1:1/dogrula?kod=1",
    ]);
    assert!(err.contains("--report-to"), "{err}");
    assert_eq!(c.iesob.count("SELECT count(*) FROM documents"), docs);
    // The issuer refuses (its sequence is ahead, as after a restored backup): the Turkish reason is shown.
    c.iesob.ok(&["report", "send", &format!("#{}", c.incoming)]);
    c.iesob
        .db()
        .execute("UPDATE report_links SET sequence = 0", [])
        .unwrap();
    let err = c.iesob.fails(&["report", "send", &format!("#{}", c.incoming)]);
    assert!(
        err.contains("refused report 1 (HTTP 409)") && err.contains("kabul edilmedi"),
        "{err}"
    );
}
