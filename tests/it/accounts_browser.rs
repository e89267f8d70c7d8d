//! In real Chromium: a clerk logs in, sees the home page with the menu of their roles, opens the register
//! and searches it with a Turkish-folded term ("İSTANBUL" finds "İstanbul"/"istanbul"), opens a document,
//! and logs out; a yönetici opens the users page. A screenshot of each screen under target/screenshots/.

use crate::accounts::add_user;
use crate::accounts_http::PASSWORD;
use crate::accounts_register::seed_register;
use crate::ack_common::http::Server;
use crate::browser::Browser;
use crate::common::Env;

#[test]
fn log_in_search_the_register_and_log_out_in_chromium() {
    let env = Env::new();
    seed_register(&env);
    add_user(&env, "ayse", PASSWORD, &["kayıt", "denetçi", "yönetici"]);
    let srv = Server::start(&env);
    let b = Browser::start();

    b.goto(&srv.url("/evrak"));
    let page = b.source_once_it_has(&["id=\"giris\""]);
    assert!(page.contains("Kullanıcı adı") && page.contains("Parola"), "{page}");
    b.fill("#kullanici", "ayse");
    b.fill("#parola", "yanlış parola 123");
    b.click("#giris");
    let page = b.source_once_it_has(&["id=\"hata\""]);
    assert!(page.contains("Kullanıcı adı veya parola yanlış."), "{page}");
    b.screenshot("accounts-login-wrong");

    // The username typed is kept; only the password is typed again.
    assert_eq!(b.property("#kullanici", "value").as_deref(), Some("ayse"));
    b.fill("#parola", PASSWORD);
    b.click("#giris");
    // After logging in, the page first asked for: the register.
    let page = b.source_once_it_has(&["id=\"defter\""]);
    assert!(page.contains("3 evrak"), "{page}");
    b.screenshot("accounts-register");

    b.fill("#konu", "İSTANBUL");
    b.click("#ara");
    let page = b.source_once_it_has(&["1 evrak"]);
    assert!(
        page.contains("İSTANBUL ilçelerinde esnaf denetimi") && !page.contains("Şişli"),
        "{page}"
    );
    b.screenshot("accounts-register-search");
    b.click("#defter a[href='/evrak/1']");
    let page = b.source_once_it_has(&["id=\"olaylar\""]);
    assert!(page.contains("E-12345678-010.06-4516"), "{page}");
    b.screenshot("accounts-document");
    // On a phone.
    b.resize(390, 844);
    b.goto(&srv.url("/evrak?konu=%C4%B0STANBUL"));
    b.source_once_it_has(&["id=\"defter\""]);
    b.screenshot("accounts-register-phone");
    b.resize(1280, 900);

    b.goto(&srv.url("/"));
    let page = b.source_once_it_has(&["Hoş geldiniz"]);
    for want in ["Evrak kayıt defteri", "Denetim raporları", "Kullanıcılar", "Çıkış"] {
        assert!(page.contains(want), "{want} in {page}");
    }
    b.screenshot("accounts-home");
    b.goto(&srv.url("/yonetim/kullanicilar"));
    b.source_once_it_has(&["id=\"kullanicilar\""]);
    b.screenshot("accounts-users");

    b.click("#cikis");
    let page = b.source_once_it_has(&["id=\"giris\""]);
    assert!(page.contains("Giriş yap"), "{page}");
    b.goto(&srv.url("/"));
    let page = b.source_once_it_has(&["id=\"giris\""]);
    assert!(!page.contains("Hoş geldiniz"), "logged out: {page}");
}
