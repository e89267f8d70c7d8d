//! `/evrak` and `/evrak/{id}` through the real server: the register paged and searched by sayı, konu (full
//! text, Turkish-folded), gönderen, date range and kind; a document's page with its chain and events.

use crate::accounts::add_user;
use crate::accounts_http::{get, login, PASSWORD};
use crate::ack_common::http::Server;
use crate::common::Env;

/// Two offices and three incoming letters; the third cites the first.
pub fn seed_register(env: &Env) {
    env.ok(&["org", "add", "IST", "--name", "İstanbul Valiliği", "--kind", "valilik"]);
    env.ok(&["org", "add", "MUG", "--name", "Muğla Valiliği", "--kind", "valilik"]);
    for (sayi, tarih, konu, from, kind) in [
        (
            "E-12345678-010.06-4516",
            "2021-10-28",
            "İSTANBUL ilçelerinde esnaf denetimi",
            "IST",
            "genelge",
        ),
        (
            "E-87654321-045.02-771",
            "2021-11-02",
            "Şişli ve Üsküdar'da çalışma saatleri",
            "MUG",
            "yazı",
        ),
        (
            "E-12345678-010.06-4600",
            "2021-11-20",
            "Sosyal medya etik ilkeleri hk.",
            "IST",
            "genelge",
        ),
    ] {
        // A PDF of its own for each (the same file twice would be the same letter again).
        let pdf_copy = env.pdf(&format!("{sayi}.pdf"), &[sayi]);
        env.ok(&[
            "receive",
            pdf_copy.to_str().unwrap(),
            "--sayi",
            sayi,
            "--tarih",
            tarih,
            "--konu",
            konu,
            "--from",
            from,
            "--kind",
            kind,
        ]);
    }
}

fn rows(page: &str) -> usize {
    page.matches("<a href=\"/evrak/").count()
}

#[test]
fn the_register_searches_folded_konu_sender_sayi_dates_and_kind() {
    let env = Env::new();
    seed_register(&env);
    add_user(&env, "kayit", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let c = login(&srv, "kayit", PASSWORD);
    let all = get(&srv, "/evrak", &c);
    assert_eq!(all.status, 200, "{}", all.text());
    assert_eq!(rows(&all.text()), 3, "{}", all.text());
    assert!(all.text().contains("3 evrak"));
    for (q, n) in [
        ("konu=istanbul", 1),
        ("konu=%C4%B0STANBUL", 1),   // İSTANBUL
        ("konu=%C5%9Fi%C5%9Fli", 1), // şişli
        ("konu=SISLI+uskudar", 1),
        ("konu=denet", 1),           // a prefix
        ("konu=istanbul+sosyal", 0), // every word
        ("gonderen=mugla", 1),
        ("gonderen=%C4%B0stanbul", 2),
        ("sayi=4516", 1),
        ("sayi=010.06", 2),
        ("baslangic=01.11.2021&bitis=30.11.2021", 2),
        ("baslangic=2021-11-01&bitis=2021-11-05", 1),
        ("tur=genelge", 2),
        ("tur=yazi", 1),
        ("konu=%22+OR+*&gonderen=%29%28", 0), // FTS5 syntax typed in is only text
    ] {
        let r = get(&srv, &format!("/evrak?{q}"), &c);
        assert_eq!(r.status, 200, "{q}: {}", r.text());
        assert_eq!(rows(&r.text()), n, "{q}: {}", r.text());
    }
    let r = get(&srv, "/evrak?baslangic=dun", &c);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("Tarih anlaşılamadı"), "{}", r.text());
    // Without a login: the login page.
    assert_eq!(srv.get("/evrak").status, 303);
}

#[test]
fn a_documents_page_shows_fields_files_chain_and_events() {
    let env = Env::new();
    seed_register(&env);
    add_user(&env, "denetci", PASSWORD, &["denetçi"]);
    let srv = Server::start(&env);
    let c = login(&srv, "denetci", PASSWORD);
    let r = get(&srv, "/evrak/1", &c);
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    for want in [
        "İSTANBUL ilçelerinde esnaf denetimi",
        "E-12345678-010.06-4516",
        "28 Ekim 2021",
        "İstanbul Valiliği",
        "Özgün dosya",
        "Kayıt damgalı kopya",
        "kayda alındı",
        "kayıtlı",
    ] {
        assert!(page.contains(want), "{want:?} in {page}");
    }
    assert_eq!(get(&srv, "/evrak/999", &c).status, 404);
    assert_eq!(get(&srv, "/evrak/x", &c).status, 404);
}

/// A registry made before the register's search index gets its documents indexed when opened.
#[test]
fn documents_from_before_the_index_are_found() {
    let env = Env::new();
    seed_register(&env);
    let db = env.db();
    // The registry as it stood after 0005_accounts: undo 0011_approvals, 0010_staff_duty_index,
    // 0009_staff_links, 0008_reports, 0007_rosters, then 0006_register.
    db.execute_batch(
        "DROP TABLE draft_steps; DROP TABLE drafts;
         DROP INDEX deliveries_staff_duty; DROP TABLE staff_links; ALTER TABLE staff_acks DROP COLUMN ip_sha256; DROP TABLE report_links; DROP TABLE reports; DROP TABLE staff_acks; DROP TABLE staff;
         ALTER TABLE list_members DROP COLUMN staff_duty; ALTER TABLE deliveries DROP COLUMN staff_duty;
         DROP TABLE documents_fts; DROP INDEX documents_tarih; PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(db);
    add_user(&env, "kayit", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let c = login(&srv, "kayit", PASSWORD);
    assert_eq!(rows(&get(&srv, "/evrak?konu=%C4%B0STANBUL", &c).text()), 1);
}
