//! In real Chromium, the approval chain as the office walks it: the hazırlayan opens a Tamim pre-filled from
//! the registered genelge and sends it into the chain; the paraf returns it with a note; the drafter fixes
//! the konu and resubmits; the paraf initials; the imza user signs and issues it (sayı and Tamim number
//! shown). A screenshot of each screen under target/screenshots/approval-*.png.

use crate::accounts::add_user;
use crate::accounts_http::PASSWORD;
use crate::ack_common::http::Server;
use crate::browser::Browser;

fn log_in(b: &Browser, srv: &Server, username: &str) {
    b.goto(&srv.url("/giris"));
    b.source_once_it_has(&["id=\"giris\""]);
    b.fill("#kullanici", username);
    b.fill("#parola", PASSWORD);
    b.click("#giris");
    let page = b.source_once_it_has(&["Hoş geldiniz"]);
    assert!(page.contains("Taslaklar ve onay"), "{page}");
}

fn log_out(b: &Browser) {
    b.click("#cikis");
    b.source_once_it_has(&["id=\"giris\""]);
}

fn open_draft(b: &Browser, srv: &Server) -> String {
    b.goto(&srv.url("/taslak/1"));
    b.source_once_it_has(&["id=\"gecmis\""])
}

#[test]
fn draft_return_fix_initial_sign_in_chromium() {
    let env = crate::issue::env();
    add_user(&env, "hazirlayan", PASSWORD, &["hazırlayan"]);
    add_user(&env, "paraf", PASSWORD, &["paraf"]);
    add_user(&env, "imza", PASSWORD, &["imza"]);
    let srv = Server::start(&env);
    let b = Browser::start();

    log_in(&b, &srv, "hazirlayan");
    b.screenshot("approval-home");
    b.goto(&srv.url("/taslak/yeni?kaynak=1"));
    let page = b.source_once_it_has(&["id=\"kaydet\""]);
    assert!(page.contains("Sosyal Medya Etik İlkeleri hk."), "{page}");
    b.fill("#dagitim", "odalar");
    b.fill("#paraf", "paraf");
    b.fill("#imzaci", "imza");
    b.screenshot("approval-new");
    b.click("#kaydet");
    let page = b.source_once_it_has(&["id=\"durum\""]);
    assert!(page.contains("<dd id=\"durum\">taslak</dd>"), "{page}");
    b.screenshot("approval-draft");
    b.click("#gonder");
    let page = b.source_once_it_has(&["<dd id=\"durum\">parafta</dd>"]);
    assert!(page.contains("onaya gönderildi"), "{page}");
    log_out(&b);

    log_in(&b, &srv, "paraf");
    b.goto(&srv.url("/taslak"));
    let page = b.source_once_it_has(&["id=\"bekleyen\""]);
    assert!(page.contains("Sosyal Medya Etik İlkeleri hk."), "{page}");
    b.screenshot("approval-awaiting");
    b.click("#bekleyen a[href='/taslak/1']");
    b.source_once_it_has(&["id=\"iade\""]);
    b.fill("#not_metni", "Konuda 'hk.' yerine 'hakkında' yazılsın.");
    b.screenshot("approval-review");
    b.click("#iade");
    let page = b.source_once_it_has(&["<dd id=\"durum\">iade edildi</dd>"]);
    assert!(page.contains("hakkında"), "{page}");
    log_out(&b);

    log_in(&b, &srv, "hazirlayan");
    let page = open_draft(&b, &srv);
    assert!(page.contains("id=\"not\""), "the note for the drafter: {page}");
    b.screenshot("approval-returned");
    b.replace("#konu", "Sosyal Medya Etik İlkeleri hakkında");
    b.click("#kaydet");
    b.source_once_it_has(&["düzenlendi"]);
    b.click("#gonder");
    b.source_once_it_has(&["<dd id=\"durum\">parafta</dd>"]);
    log_out(&b);

    log_in(&b, &srv, "paraf");
    open_draft(&b, &srv);
    b.click("#parafla");
    b.source_once_it_has(&["<dd id=\"durum\">imzada</dd>"]);
    log_out(&b);

    log_in(&b, &srv, "imza");
    let page = open_draft(&b, &srv);
    assert!(page.contains("id=\"imzala\""), "{page}");
    b.screenshot("approval-sign");
    b.click("#imzala");
    let page = b.source_once_it_has(&["id=\"evrak\""]);
    assert!(page.contains("<dd id=\"durum\">imzalandı</dd>"), "{page}");
    assert!(page.contains("tamim no"), "{page}");
    b.screenshot("approval-issued");
    b.resize(390, 844);
    b.goto(&srv.url("/taslak"));
    b.source_once_it_has(&["id=\"benim\""]);
    b.screenshot("approval-list-phone");
    b.resize(1280, 900);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM documents WHERE direction = 'outgoing'"),
        1
    );
}
