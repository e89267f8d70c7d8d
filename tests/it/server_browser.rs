//! A real browser acknowledges by link: headless Chromium, driven over WebDriver (`crate::browser`, the
//! fantoccini crate), opens the ack page served by `tamim serve`, types the name,
//! clicks "Okudum, anladım"; the database then holds the acknowledgement, and a second visit shows it as
//! already given. Needs `chromium` and `chromium-driver` (scripts/test.sh installs them); fails, never skips.

use crate::ack_common;
use crate::browser::Browser;

use ack_common::http::Server;
use ack_common::*;

#[test]
fn chromium_acknowledges_by_link() {
    let env = Env::new();
    seed(&env);
    let doc = issue(
        &env.registry(),
        "4516",
        &days_ago(2),
        None,
        Some(&minimal_pdf(&["Tamim"])),
    );
    mark_all_sent(&env.registry(), doc);
    let srv = Server::start(&env);
    let url = srv.url(&format!("/ack/{}", token(&env.registry(), doc, "ODA-3")));

    let b = Browser::start();
    b.goto(&url);
    assert!(b.source().contains("Okudum, anladım"));
    b.screenshot("ack-form");
    b.fill("#name", "Şükrü Öztürk");
    b.click("#ack");
    let after = b.source_once_it_has(&["Teşekkür ederiz", "id=\"error\""]);
    assert!(after.contains("Teşekkür ederiz"), "{after}");
    b.screenshot("ack-thanks");

    let (state, by, method): (String, String, String) = env
        .db()
        .query_row(
            "SELECT state, ack_by, ack_method FROM deliveries WHERE document_id = ?1 AND recipient_code = 'ODA-3'",
            [doc],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), by.as_str(), method.as_str()),
        ("acknowledged", "Şükrü Öztürk", "link")
    );
    let at: String = env
        .db()
        .query_row(
            "SELECT acknowledged_at FROM deliveries WHERE recipient_code = 'ODA-3'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // A second visit: already given, with the first time; no form, nothing new recorded.
    let events = events_count(&env);
    b.goto(&url);
    let again = b.source();
    assert!(
        again.contains(&format!(
            "Bu belge {} tarihinde Şükrü Öztürk tarafından tebellüğ edilmiştir.",
            tamim_app::ack::time::shown(&at)
        )),
        "{again}"
    );
    assert!(!again.contains("<form"), "{again}");
    assert_eq!(events_count(&env), events);
}

/// Someone holding a printed copy types its verification code into `/dogrula` as people do (lower case,
/// spaces) and presses "Doğrula": the page names the document and offers the original.
#[test]
fn chromium_verifies_a_printed_code() {
    let env = Env::bare();
    let report = env.json(&["demo"]);
    let tamim = std::path::PathBuf::from(report["documents"][3]["file"].as_str().unwrap());
    let text = pdftotext(&tamim);
    let code = text
        .split("Doğrulama Kodu:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let srv = Server::start(&env);

    let b = Browser::start();
    b.goto(&srv.url("/dogrula"));
    b.fill("#kod", &code.to_lowercase().replace('-', " "));
    b.click("#dogrula");
    let page = b.source_once_it_has(&["id=\"found\"", "id=\"error\""]);
    assert!(page.contains("id=\"found\""), "{page}");
    b.screenshot("dogrula-found");
    assert_eq!(b.text("#sayi"), "4516");
    assert_eq!(b.text("#konu"), "Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(b.text("#tarih"), "05 Kasım 2021");
    let href = b.property("#pdf", "href");
    assert_eq!(href.as_deref(), Some(srv.url(&format!("/dogrula/{code}/pdf")).as_str()));
}
