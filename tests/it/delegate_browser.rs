//! The delegated flow in real Chromium (issue #15): the chamber acknowledges on its own page, presses
//! "Bekleyenlere kişisel bağlantılarını gönder", two of its people open the links from their e-mails and
//! press "Okudum, anladım", and the chamber's page then shows 2 of 4. Screenshots under
//! `target/screenshots/delegate-*.png`. Needs `chromium` and `chromium-driver` (scripts/test.sh installs
//! them); fails, never skips.

use crate::ack_common::http::Server;
use crate::ack_common::token;
use crate::ack_remind::read_mail;
use crate::browser::Browser;
use crate::delegate_http::{fixture, link_in, outbox, ROSTER};

#[test]
fn chromium_office_sends_links_and_two_staff_acknowledge() {
    let (env, doc) = fixture(Some(ROSTER));
    let srv = Server::start(&env);
    let office = srv.url(&format!("/ack/{}", token(&env.registry(), doc, "ODA-1")));

    let b = Browser::start();
    b.goto(&office);
    b.fill("#name", "Kemal Usta");
    b.click("#ack");
    let page = b.source_once_it_has(&["id=\"staff-count\"", "id=\"error\""]);
    assert!(page.contains("<strong>0 / 4</strong>"), "{page}");
    b.screenshot("delegate-office-acknowledged");

    b.click("#gonder");
    let page = b.source_once_it_has(&["id=\"staff-notice\"", "id=\"staff-error\""]);
    assert!(page.contains("3 kişiye kişisel bağlantısı gönderildi."), "{page}");
    b.screenshot("delegate-links-sent");

    let mails: Vec<String> = outbox(&env).iter().map(|m| read_mail(m)).collect();
    assert_eq!(mails.len(), 3);
    for who in ["ayse@", "omer@"] {
        let mail = mails.iter().find(|m| m.contains(who)).expect("the person's message");
        b.goto(&srv.url(&link_in(mail)));
        assert!(b.source().contains("İstanbul Berberler Odası adına"));
        b.click("#ack");
        let page = b.source_once_it_has(&["Teşekkür ederiz", "id=\"refused\""]);
        assert!(page.contains("Teşekkür ederiz; tebellüğünüz kaydedildi."), "{page}");
    }
    b.screenshot("delegate-staff-thanks");

    b.goto(&office);
    let page = b.source();
    assert!(page.contains("<strong>2 / 4</strong> personel tebellüğ etti"), "{page}");
    assert_eq!(b.text("#staff-count").split(" personel").next(), Some("2 / 4"));
    b.screenshot("delegate-office-2-of-4");
    assert_eq!(env.count("SELECT count(*) FROM staff_acks WHERE method = 'link'"), 2);
}
