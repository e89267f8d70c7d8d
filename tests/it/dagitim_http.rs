//! Dağıtım ve takip over real HTTP (issue #16): a dağıtım user opens an issued tamim's page, sends it
//! through the file outbox (one message per recipient with an address), and records the paper
//! acknowledgement of the chamber that works on paper; every refusal (no CSRF token, a denetçi, an unknown
//! recipient, no method, an unknown document) says so in Turkish and writes nothing.

use crate::accounts::add_user;
use crate::accounts_http::{csrf_of, get, login, post, PASSWORD};
use crate::ack_common::http::Server;
use crate::send::{issued_with, OFFICE};

fn outbox(env: &crate::common::Env) -> usize {
    std::fs::read_dir(env.output().join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn a_dispatcher_sends_and_records_a_paper_acknowledgement_and_each_refusal_writes_nothing() {
    let (env, _) = issued_with(3, OFFICE);
    let env = env.turkish();
    add_user(&env, "dagitim", PASSWORD, &["dağıtım"]);
    add_user(&env, "denetci", PASSWORD, &["denetçi"]);
    let srv = Server::start(&env);
    let c = login(&srv, "dagitim", PASSWORD);

    let page = get(&srv, "/dagitim/2", &c);
    assert_eq!(page.status, 200);
    let page = page.text();
    assert!(page.contains("Dağıtım ve takip"), "{page}");
    assert!(page.contains("Henüz gönderilmedi"), "{page}");
    let csrf = csrf_of(&page);
    // The document's page leads here.
    assert!(get(&srv, "/evrak/2", &c).text().contains("href=\"/dagitim/2\""));

    // Without the form's token nothing is sent.
    let r = post(&srv, "/dagitim/2/gonder", &c, &[]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("güvenlik belirteci eşleşmedi"), "{}", r.text());
    assert_eq!(outbox(&env), 0);
    assert_eq!(env.count("SELECT count(*) FROM deliveries WHERE state = 'sent'"), 0);

    let page = post(&srv, "/dagitim/2/gonder", &c, &[("csrf", &csrf)]);
    assert_eq!(page.status, 200, "{}", page.text());
    let page = page.text();
    assert!(
        page.contains("3 alıcıya gönderildi, 0 alıcıya ulaştırılamadı"),
        "{page}"
    );
    assert!(page.contains("<td>ODA-0000</td><td>Oda 0000 Başkanlığı</td>"), "{page}");
    assert_eq!(page.matches("<td>gönderildi</td>").count(), 3, "{page}");
    assert_eq!(outbox(&env), 3);
    // Again: nobody new.
    let page = post(&srv, "/dagitim/2/gonder", &c, &[("csrf", &csrf)]).text();
    assert!(page.contains("0 alıcıya gönderildi"), "{page}");
    assert_eq!(outbox(&env), 3);

    // The chamber that works on paper sends its signed sheet back.
    let ack = [
        ("csrf", csrf.as_str()),
        ("alici", "ODA-KAGIT"),
        ("yontem", "kagit"),
        ("eden", "Hasan Çelik"),
        ("kayit_no", "2021/118"),
    ];
    let page = post(&srv, "/dagitim/2/tebellug", &c, &ack);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("ODA-KAGIT: tebellüğ kaydedildi."),
        "{}",
        page.text()
    );
    let (state, method, by): (String, String, String) = env
        .db()
        .query_row(
            "SELECT state, ack_method, ack_by FROM deliveries WHERE recipient_code = 'ODA-KAGIT'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), method.as_str(), by.as_str()),
        ("acknowledged", "paper", "Hasan Çelik")
    );

    let events = env.count("SELECT count(*) FROM events");
    // A recipient the document never went to, no method (422), an unknown document (404).
    let r = post(
        &srv,
        "/dagitim/2/tebellug",
        &c,
        &[("csrf", &csrf), ("alici", "ODA-9999"), ("yontem", "kagit")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("ODA-9999"), "{}", r.text());
    let r = post(
        &srv,
        "/dagitim/2/tebellug",
        &c,
        &[("csrf", &csrf), ("alici", "ODA-0001")],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("tebellüğ yöntemi"), "{}", r.text());
    assert_eq!(get(&srv, "/dagitim/999", &c).status, 404);
    // A denetçi reads the auditor's views, not this one, and posts nothing.
    let d = login(&srv, "denetci", PASSWORD);
    let events = events + 1; // the login is an event of its own
    assert_eq!(get(&srv, "/dagitim/2", &d).status, 403);
    let r = post(&srv, "/dagitim/2/gonder", &d, &[("csrf", &csrf)]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("yetkiniz yok"), "{}", r.text());
    assert_eq!(
        env.count("SELECT count(*) FROM events"),
        events,
        "nothing written on a refusal"
    );
    // No session: the login page.
    assert_eq!(srv.get("/dagitim/2").status, 303);
}
