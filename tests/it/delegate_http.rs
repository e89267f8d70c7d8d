//! Delegated notification over real HTTP (issue #15 item 3): an office with the staff duty acknowledges on
//! its own page, sends its people their personal links through the file outbox, two acknowledge through
//! them, the office reminds the rest; a person who left is refused; an office without a roster uploads one
//! from its page, prints the tebliğ-tebellüğ sheet and uploads the signed scan. Each bad input is refused
//! with its Turkish message and status, and nothing is written.

use crate::ack_common::http::{Response, Server};
use crate::ack_common::{dotted_days_ago, issue, mark_all_sent, seed, token};
use crate::ack_remind::read_mail;
use crate::common::{minimal_pdf, pdftotext, Env};
use crate::roster::{cp1254, xlsx};

const SAYI: &str = "E-12345678-010.06-4518";

/// ODA-1 (İstanbul Berberler Odası) carries the staff duty; the document is dated 1 November 2021.
pub fn fixture(roster: Option<&str>) -> (Env, i64) {
    let env = Env::new().turkish();
    seed(&env);
    env.ok(&["list", "add", "odalar", "ODA-1", "--all-staff"]);
    if let Some(csv) = roster {
        let path = env.path("oda1.csv");
        std::fs::write(&path, cp1254(csv)).unwrap();
        env.ok(&["roster", "import", "ODA-1", path.to_str().unwrap()]);
    }
    let pdf = minimal_pdf(&["Sosyal Medya Etik Ilkeleri"]);
    let doc = issue(&env.registry(), SAYI, "2021-11-01", None, Some(&pdf));
    mark_all_sent(&env.registry(), doc);
    (env, doc)
}

pub const ROSTER: &str = "Sicil No;Adı Soyadı;Unvanı;E-posta\r\n\
    101;Ayşe Yılmaz;Genel Sekreter;ayse@example.org\r\n\
    102;Ömer Demir;Memur;omer@example.org\r\n\
    103;Işıl Öztürk;Memur;isil@example.org\r\n\
    104;Gülşen Ağaoğlu;Memur;\r\n";

pub fn outbox(env: &Env) -> Vec<std::path::PathBuf> {
    let dir = env.output().join("outbox");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The personal link's path (`/ack/s/…`) in a message as a reader sees it.
pub fn link_in(mail: &str) -> String {
    let at = mail
        .find("/ack/s/")
        .unwrap_or_else(|| panic!("no personal link in:\n{mail}"));
    mail[at..at + "/ack/s/".len() + 40].to_string()
}

fn ok(r: &Response) -> String {
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

#[test]
fn an_office_sends_its_staff_their_links_two_acknowledge_one_is_reminded_and_a_leaver_is_refused() {
    let (env, doc) = fixture(Some(ROSTER));
    let srv = Server::start(&env);
    let office = format!("/ack/{}", token(&env.registry(), doc, "ODA-1"));

    // Before the office has acknowledged, its page has no staff section and it cannot send.
    let page = ok(&srv.get(&office));
    assert!(!page.contains("Personele duyurma"), "{page}");
    let r = srv.post_form(&format!("{office}/personel"), &[("action", "gonder")]);
    assert_eq!(r.status, 409);
    assert!(
        r.text().contains("önce belgeyi kurum adına tebellüğ edin"),
        "{}",
        r.text()
    );
    assert_eq!(env.count("SELECT count(*) FROM staff_links"), 0);

    let page = ok(&srv.post_form(&office, &[("name", "Kemal Usta")]));
    assert!(page.contains("Personele duyurma"), "{page}");
    assert!(page.contains("<strong>0 / 4</strong> personel tebellüğ etti"), "{page}");
    assert!(page.contains("Bekliyor · e-posta adresi yok"), "{page}");

    // A form with no known action.
    let r = srv.post_form(&format!("{office}/personel"), &[("action", "hepsini-sil")]);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("İşlem anlaşılamadı"), "{}", r.text());

    let page = ok(&srv.post_form(&format!("{office}/personel"), &[("action", "gonder")]));
    assert!(page.contains("3 kişiye kişisel bağlantısı gönderildi."), "{page}");
    assert!(
        page.contains("E-posta adresi olmayanlar (tutanakla duyurun): Gülşen Ağaoğlu."),
        "{page}"
    );
    // Nobody left to send a first link to (Gülşen has no address): only "Hatırlat" is offered.
    assert!(!page.contains("id=\"gonder\""), "{page}");
    assert!(page.contains("id=\"hatirlat\""), "{page}");
    let mails = outbox(&env);
    assert_eq!(mails.len(), 3, "one message per person with an address");
    let mut links = std::collections::BTreeMap::new();
    for m in &mails {
        let text = read_mail(m);
        assert!(
            text.contains("Subject: Tebliğ: [Tamim 2021/243] Sosyal Medya Etik İlkeleri hk."),
            "{text}"
        );
        assert!(
            text.contains("İstanbul Berberler Odası adına iletilmektedir."),
            "{text}"
        );
        let to = text.lines().find(|l| l.starts_with("To:")).unwrap().to_string();
        if to.contains("ayse@") {
            // What Ayşe reads, her link masked.
            insta::assert_snapshot!("staff_mail", text.replace(&link_in(&text), "/ack/s/[KİŞİSEL BAĞLANTI]"));
        }
        links.insert(to, link_in(&text));
    }
    let link_of = |who: &str| {
        links
            .iter()
            .find(|(to, _)| to.contains(who))
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| panic!("no message to {who}: {links:?}"))
    };
    // Sending again sends nobody new.
    let page = ok(&srv.post_form(&format!("{office}/personel"), &[("action", "gonder")]));
    assert!(page.contains("Gönderilecek kimse yoktu."), "{page}");
    assert_eq!(outbox(&env).len(), 3);
    // Tokens are kept only as hashes.
    let db = std::fs::read(env.registry().join("tamim.sqlite")).unwrap();
    let raw = link_of("ayse@").trim_start_matches("/ack/s/").to_string();
    assert!(
        !db.windows(raw.len()).any(|w| w == raw.as_bytes()),
        "a raw token in the database"
    );

    // Ayşe and Ömer acknowledge through their links.
    for who in ["ayse@", "omer@"] {
        let link = link_of(who);
        let page = ok(&srv.get(&link));
        assert!(page.contains("İstanbul Berberler Odası adına"), "{page}");
        assert!(page.contains("Okudum, anladım"), "{page}");
        assert_eq!(
            srv.get(&format!("{link}/pdf")).header("content-type"),
            Some("application/pdf")
        );
        let page = ok(&srv.post_form(&link, &[]));
        assert!(page.contains("Teşekkür ederiz; tebellüğünüz kaydedildi."), "{page}");
    }
    // Twice is once.
    let page = ok(&srv.post_form(&link_of("ayse@"), &[]));
    assert!(page.contains("Yeni bir kayıt yapılmadı."), "{page}");
    assert_eq!(
        env.count("SELECT count(*) FROM staff_acks WHERE method = 'link' AND ip_sha256 IS NOT NULL"),
        2
    );
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE kind = 'staff.acknowledged'"),
        2
    );

    let page = ok(&srv.get(&office));
    assert!(page.contains("<strong>2 / 4</strong> personel tebellüğ etti"), "{page}");
    assert!(page.contains("Tebellüğ etti (bağlantıyla)"), "{page}");

    // "Hatırlat" sends Işıl her link again, saying it is a reminder.
    let page = ok(&srv.post_form(&format!("{office}/personel"), &[("action", "hatirlat")]));
    assert!(page.contains("1 kişiye hatırlatma gönderildi."), "{page}");
    let mails = outbox(&env);
    assert_eq!(mails.len(), 4);
    let reminder = mails
        .iter()
        .map(|m| read_mail(m))
        .find(|t| t.contains("bu bir hatırlatmadır"))
        .expect("the reminder");
    assert!(reminder.contains("isil@example.org"), "{reminder}");
    assert_eq!(
        link_in(&reminder),
        link_of("isil@"),
        "a reminder re-sends the same link"
    );

    // Işıl leaves (after the document's date, so she still counts); her link records nothing now.
    let csv = env.path("oda1-yeni.csv");
    std::fs::write(
        &csv,
        cp1254(&format!(
            "Sicil No;Adı Soyadı;Unvanı;E-posta;Ayrılış\r\n\
             101;Ayşe Yılmaz;Genel Sekreter;ayse@example.org;\r\n\
             102;Ömer Demir;Memur;omer@example.org;\r\n\
             103;Işıl Öztürk;Memur;isil@example.org;{}\r\n\
             104;Gülşen Ağaoğlu;Memur;;\r\n",
            dotted_days_ago(1)
        )),
    )
    .unwrap();
    env.ok(&["roster", "import", "ODA-1", csv.to_str().unwrap()]);
    let before = env.count("SELECT count(*) FROM events");
    let r = srv.post_form(&link_of("isil@"), &[]);
    assert_eq!(r.status, 410);
    assert!(r.text().contains("Işıl Öztürk"), "{}", r.text());
    assert!(r.text().contains("ayrılmış"), "{}", r.text());
    assert_eq!(env.count("SELECT count(*) FROM staff_acks"), 2);
    assert_eq!(env.count("SELECT count(*) FROM events"), before);

    // A token that is not one of ours, or not a token at all.
    assert_eq!(srv.get(&format!("/ack/s/{}", "0".repeat(40))).status, 404);
    assert_eq!(srv.get("/ack/s/kisa").status, 404);
    assert_eq!(srv.post_form(&format!("/ack/s/{}", "a".repeat(40)), &[]).status, 404);

    // The coverage the auditor reads agrees.
    drop(srv);
    let c = env.json(&["roster", "coverage", &format!("#{doc}")]);
    let o = &c["offices"][0];
    assert_eq!(
        (o["on_roster"].as_u64(), o["acknowledged"].as_u64()),
        (Some(4), Some(2)),
        "{c}"
    );
}

#[test]
fn an_office_without_a_roster_uploads_one_prints_the_sheet_and_uploads_the_signed_scan() {
    let (env, doc) = fixture(None);
    let srv = Server::start(&env);
    let office = format!("/ack/{}", token(&env.registry(), doc, "ODA-1"));
    let page = ok(&srv.post_form(&office, &[("name", "Kemal Usta")]));
    assert!(page.contains("personel listenizde kimse yok"), "{page}");

    // Sending links to nobody.
    let r = srv.post_form(&format!("{office}/personel"), &[("action", "gonder")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("personel listesinde kimse yok"), "{}", r.text());

    // A roster with a row without a name: named by row, nothing imported.
    let bad = cp1254("Sicil No;Adı Soyadı;Unvanı\r\n101;Ayşe Yılmaz;Şef\r\n102;;Memur\r\n");
    let r = srv.post_multipart(
        &format!("{office}/personel/liste"),
        &[],
        &[("liste", "personel.csv", &bad)],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("personel.csv"), "{}", r.text());
    assert!(r.text().contains("3"), "the row is named: {}", r.text());
    assert_eq!(env.count("SELECT count(*) FROM staff"), 0);
    // No file chosen.
    let r = srv.post_multipart(&format!("{office}/personel/liste"), &[], &[]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("liste: bir personel listesi dosyası"), "{}", r.text());

    // The roster as an .xlsx written by openpyxl.
    let book = env.path("personel.xlsx");
    xlsx(
        &book,
        &[
            &["Sicil No", "Adı Soyadı", "Unvanı"],
            &["101", "Ayşe Yılmaz", "Şef"],
            &["102", "Ömer Demir", "Memur"],
            &["103", "Işıl Öztürk", "Memur"],
        ],
    );
    let bytes = std::fs::read(&book).unwrap();
    let page = ok(&srv.post_multipart(
        &format!("{office}/personel/liste"),
        &[],
        &[("liste", "personel.xlsx", &bytes)],
    ));
    assert!(
        page.contains("Personel listesi yüklendi: 3 satır, 3 kişi eklendi"),
        "{page}"
    );
    assert!(page.contains("<strong>0 / 3</strong> personel tebellüğ etti"), "{page}");

    // The sheet to print, read back by pdftotext.
    let r = srv.get(&format!("{office}/personel/tutanak.pdf"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    let sheet = env.path("tutanak.pdf");
    std::fs::write(&sheet, &r.body).unwrap();
    let text = pdftotext(&sheet);
    for name in ["Ayşe Yılmaz", "Ömer Demir", "Işıl Öztürk"] {
        assert!(text.contains(name), "{name} not on the sheet:\n{text}");
    }

    let files = env.stored_files();
    let scan = minimal_pdf(&["Imzali tebligat listesi"]);
    let tarama = format!("{office}/personel/tarama");
    // Not a PDF.
    let r = srv.post_multipart(
        &tarama,
        &[("sicil", "101")],
        &[("tarama", "tarama.jpg", b"\xff\xd8\xff\xe0 JFIF")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    // Someone not on the roster ticked.
    let r = srv.post_multipart(
        &tarama,
        &[("sicil", "101"), ("sicil", "999")],
        &[("tarama", "tarama.pdf", &scan)],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("999"), "{}", r.text());
    // Nobody ticked.
    let r = srv.post_multipart(&tarama, &[], &[("tarama", "tarama.pdf", &scan)]);
    assert_eq!(r.status, 422, "{}", r.text());
    // Over the 20 MB limit.
    let mut big = scan.clone();
    big.resize(20 * 1024 * 1024 + 4096, b' ');
    let r = srv.post_multipart(&tarama, &[("sicil", "101")], &[("tarama", "tarama.pdf", &big)]);
    assert_eq!(r.status, 413, "{}", r.text());
    // No scan.
    let r = srv.post_multipart(&tarama, &[("sicil", "101")], &[]);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        env.count("SELECT count(*) FROM staff_acks"),
        0,
        "nothing written on a refusal"
    );
    assert_eq!(env.stored_files(), files, "no file kept on a refusal");

    let page = ok(&srv.post_multipart(
        &tarama,
        &[("sicil", "101"), ("sicil", "102")],
        &[("tarama", "tarama.pdf", &scan)],
    ));
    assert!(
        page.contains("İmzalı tutanak kaydedildi: 2 kişinin tebellüğü işlendi."),
        "{page}"
    );
    assert!(page.contains("<strong>2 / 3</strong> personel tebellüğ etti"), "{page}");
    assert!(page.contains("Tebellüğ etti (imzalı tutanakla)"), "{page}");
    assert_eq!(
        env.count("SELECT count(*) FROM staff_acks WHERE method = 'paper' AND evidence_sha256 IS NOT NULL"),
        2
    );
    assert_eq!(env.stored_files(), files + 1);
}

#[test]
fn an_office_without_the_staff_duty_has_no_staff_section_and_cannot_send_links() {
    let (env, doc) = fixture(Some(ROSTER));
    let srv = Server::start(&env);
    let office = format!("/ack/{}", token(&env.registry(), doc, "ODA-2"));
    let page = ok(&srv.post_form(&office, &[("name", "Kemal Usta")]));
    assert!(!page.contains("Personele duyurma"), "{page}");
    let r = srv.post_form(&format!("{office}/personel"), &[("action", "gonder")]);
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("tüm personeline duyurma görevi verilmedi"),
        "{}",
        r.text()
    );
    let r = srv.post_multipart(
        &format!("{office}/personel/liste"),
        &[],
        &[("liste", "p.csv", &cp1254(ROSTER))],
    );
    assert_eq!(r.status, 422);
    assert_eq!(env.count("SELECT count(*) FROM staff_links"), 0);
    assert!(outbox(&env).is_empty());
}
