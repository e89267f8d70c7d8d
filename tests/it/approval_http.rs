//! The approval chain over real HTTP (issue #16): a hazırlayan drafts Tamim from the registered genelge
//! (`/taslak/yeni?kaynak=1`), a paraf returns it with a note, the drafter fixes and resubmits, the paraf
//! initials, the imza user signs and issues → a document with its sayı and Tamim number, the PDF as
//! pdftotext reads it. Every bad input: CSRF missing, role overreach (a hazırlayan posting to the signing
//! step, a denetçi posting anything) 403, a stale step 409, the same form posted twice (one draft, one
//! issue), an ek stating a wrong page count 422, a return without a note — each with nothing written.

use crate::accounts::add_user;
use crate::accounts_http::{csrf_of, get, login, post, PASSWORD};
use crate::ack_common::http::{Response, Server};
use crate::common::{have, pdftotext, Env};

/// HTML text back to what was typed (minijinja's autoescape).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// The fields the browser would post from the form whose action is `action`, as the page filled them.
fn form_fields(page: &str, action: &str) -> Vec<(String, String)> {
    let start = page
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action} in {page}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let re = regex_lite::Regex::new(&format!(r#"\b{name}="([^"]*)""#)).unwrap();
        re.captures(tag).map(|c| unescape(&c[1]))
    };
    let mut out = Vec::new();
    for m in regex_lite::Regex::new(r"<input[^>]*>").unwrap().find_iter(form) {
        let tag = m.as_str();
        let Some(name) = attr(tag, "name") else { continue };
        if attr(tag, "type").as_deref() == Some("checkbox") {
            if tag.contains(" checked") {
                out.push((name, "on".into()));
            }
        } else {
            out.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    let ta = regex_lite::Regex::new(r#"(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>"#).unwrap();
    for c in ta.captures_iter(form) {
        out.push((c[1].to_string(), unescape(&c[2])));
    }
    let sel = regex_lite::Regex::new(r#"(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>"#).unwrap();
    let opt = regex_lite::Regex::new(r#"<option value="([^"]*)" selected>"#).unwrap();
    for c in sel.captures_iter(form) {
        let v = opt.captures(&c[2]).map(|o| unescape(&o[1])).unwrap_or_default();
        out.push((c[1].to_string(), v));
    }
    out
}

/// `fields` with `key` set to `value`.
fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

fn send(srv: &Server, path: &str, cookie: &str, fields: &[(String, String)]) -> Response {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(srv, path, cookie, &f)
}

/// Post step `adim` of draft `id` as the page `cookie` sees shows it (its CSRF token and version).
fn step(srv: &Server, cookie: &str, id: i64, adim: &str, extra: &[(&str, &str)]) -> Response {
    let page = get(srv, &format!("/taslak/{id}"), cookie).text();
    let mut fields = form_fields(&page, &format!("/taslak/{id}/{adim}"));
    for (k, v) in extra {
        fields = with(fields, k, v);
    }
    send(srv, &format!("/taslak/{id}/{adim}"), cookie, &fields)
}

fn version_of(env: &Env, id: i64) -> i64 {
    env.count(&format!("SELECT version FROM drafts WHERE id = {id}"))
}

fn state_of(env: &Env, id: i64) -> String {
    env.db()
        .query_row("SELECT state FROM drafts WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

fn issued(env: &Env) -> i64 {
    env.count("SELECT COUNT(*) FROM documents WHERE direction = 'outgoing'")
}

fn setup() -> (Env, Server, [String; 4]) {
    let env = crate::issue::env();
    let cfg = env.registry().join("office.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[approval]\nparaf = [\"paraf\"]\nimza = \"imza\"\n");
    std::fs::write(&cfg, text).unwrap();
    add_user(&env, "hazirlayan", PASSWORD, &["hazırlayan"]);
    add_user(&env, "paraf", PASSWORD, &["paraf"]);
    add_user(&env, "imza", PASSWORD, &["imza"]);
    add_user(&env, "denetci", PASSWORD, &["denetçi"]);
    let srv = Server::start(&env);
    let c = ["hazirlayan", "paraf", "imza", "denetci"].map(|u| login(&srv, u, PASSWORD));
    (env, srv, c)
}

#[test]
fn drafted_returned_fixed_initialled_signed_and_issued() {
    let (env, srv, [h, p, i, d]) = setup();
    // The home menu leads to the drafts.
    let home = get(&srv, "/", &h);
    assert!(
        home.text().contains("&#x2f;taslak\"><strong>Taslaklar ve onay"),
        "{} {}",
        home.status,
        home.text()
    );
    // The form pre-filled from the registered genelge, as `draft forward` writes it.
    let page = get(&srv, "/taslak/yeni?kaynak=1", &h);
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("Sosyal Medya Etik İlkeleri hk."), "{text}");
    let fields = form_fields(&text, "/taslak/yeni");
    let ek = fields.iter().find(|(k, _)| k == "ekler").unwrap().1.clone();
    assert!(ek.starts_with("#1 | ") && ek.ends_with("(3 sayfa)"), "{ek}");
    assert_eq!(
        fields.iter().find(|(k, _)| k == "paraf").unwrap().1,
        "paraf",
        "the office's default chain"
    );
    let fields = with(fields, "dagitim", "odalar");

    // An ek stating a wrong page count: 422, nothing written.
    let wrong = with(fields.clone(), "ekler", &ek.replace("(3 sayfa)", "(5 sayfa)"));
    let r = send(&srv, "/taslak/yeni", &h, &wrong);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("5 sayfa diyor, ama #1 numaralı evrak 3 sayfa"),
        "{}",
        r.text()
    );
    assert_eq!(env.count("SELECT COUNT(*) FROM drafts"), 0);
    // Without the CSRF token: 403, nothing written.
    let r = send(&srv, "/taslak/yeni", &h, &with(fields.clone(), "csrf", ""));
    assert_eq!(r.status, 403);
    assert!(r.text().contains("güvenlik belirteci eşleşmedi"), "{}", r.text());
    assert_eq!(env.count("SELECT COUNT(*) FROM drafts"), 0);

    // Posted twice (a double click): one draft.
    for _ in 0..2 {
        let r = send(&srv, "/taslak/yeni", &h, &fields);
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!(r.header("location"), Some("/taslak/1"));
    }
    assert_eq!(env.count("SELECT COUNT(*) FROM drafts"), 1);
    let preview = get(&srv, "/taslak/1/onizleme.pdf", &h);
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.header("content-type"), Some("application/pdf"));
    if have("pdftotext") {
        let f = env.path("onizleme.pdf");
        std::fs::write(&f, &preview.body).unwrap();
        let t = pdftotext(&f);
        assert!(t.contains("TASLAK") && t.contains("Sosyal Medya Etik"), "{t}");
    }
    assert_eq!(issued(&env), 0, "a preview issues nothing");

    // Into the chain: the paraf sees it waiting.
    assert_eq!(step(&srv, &h, 1, "gonder", &[]).status, 303);
    assert_eq!(state_of(&env, 1), "parafta");
    let list = get(&srv, "/taslak", &p).text();
    assert!(list.contains("<a href=\"/taslak/1\">#1</a>"), "{list}");

    // Role overreach: the hazırlayan posting to the signing step, a denetçi posting anything, the paraf
    // signing: 403, nothing moved.
    let v = version_of(&env, 1).to_string();
    let csrf_h = csrf_of(&get(&srv, "/taslak", &h).text());
    let r = post(&srv, "/taslak/1/imzala", &h, &[("csrf", &csrf_h), ("surum", &v)]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("şu rollerden biri gerekir: imza"), "{}", r.text());
    let csrf_d = csrf_of(&get(&srv, "/taslak", &d).text());
    let r = post(&srv, "/taslak/1/parafla", &d, &[("csrf", &csrf_d), ("surum", &v)]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Denetçi rolü yalnızca okur"), "{}", r.text());
    assert_eq!(get(&srv, "/taslak/1", &d).status, 200, "a denetçi reads it");
    let r = post(&srv, "/taslak/1/parafla", &p, &[("surum", &v)]);
    assert_eq!(r.status, 403, "no CSRF token");
    assert_eq!(version_of(&env, 1).to_string(), v);

    // A return says what to fix.
    let r = step(&srv, &p, 1, "iade", &[("not", "  ")]);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("neyin düzeltileceğini yazın"), "{}", r.text());
    let note = "Konu satırındaki 'hk.' kısaltmasını açık yazın.";
    let page = get(&srv, "/taslak/1", &p).text();
    let ret = with(form_fields(&page, "/taslak/1/iade"), "not", note);
    for _ in 0..2 {
        assert_eq!(
            send(&srv, "/taslak/1/iade", &p, &ret).status,
            303,
            "twice: the same step"
        );
    }
    assert_eq!(state_of(&env, 1), "iade");
    assert_eq!(env.count("SELECT COUNT(*) FROM draft_steps WHERE action = 'return'"), 1);

    // The drafter reads the note, fixes the konu, resubmits.
    let page = get(&srv, "/taslak/1", &h).text();
    assert!(
        page.contains("Konu satırındaki &#x27;hk.&#x27; kısaltmasını açık yazın."),
        "{page}"
    );
    let edit = with(
        form_fields(&page, "/taslak/1"),
        "konu",
        "Sosyal Medya Etik İlkeleri hakkında",
    );
    let r = send(&srv, "/taslak/1", &h, &edit);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(step(&srv, &h, 1, "gonder", &[]).status, 303);

    // The paraf initials; a second tab still showing the older version cannot return it any more: 409.
    let stale_page = get(&srv, "/taslak/1", &p).text();
    assert_eq!(step(&srv, &p, 1, "parafla", &[]).status, 303);
    assert_eq!(state_of(&env, 1), "imzada");
    let stale = with(form_fields(&stale_page, "/taslak/1/iade"), "not", "geç kalan not");
    let r = send(&srv, "/taslak/1/iade", &p, &stale);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        r.text().contains("başka bir kullanıcı tarafından ilerletildi"),
        "{}",
        r.text()
    );
    assert_eq!(state_of(&env, 1), "imzada");

    // The imza user signs and issues; posted twice, one issue.
    let page = get(&srv, "/taslak/1", &i).text();
    let sign = form_fields(&page, "/taslak/1/imzala");
    for _ in 0..2 {
        let r = send(&srv, "/taslak/1/imzala", &i, &sign);
        assert_eq!(r.status, 303, "{}", r.text());
    }
    assert_eq!(issued(&env), 1);
    assert_eq!(state_of(&env, 1), "imzalandi");
    let (sayi, kind_no, sha): (String, String, String) = env
        .db()
        .query_row(
            "SELECT d.sayi, d.kind_no, d.file_sha256 FROM documents d WHERE d.direction = 'outgoing'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(kind_no.ends_with("/1"), "{kind_no}");
    let page = get(&srv, "/taslak/1", &h).text();
    assert!(
        page.contains(&format!("Sayı {sayi} · tamim no {}", kind_no.replace('/', "&#x2f;"))),
        "{page}"
    );
    assert!(page.contains("imzalandı ve çıkarıldı"), "{page}");
    if have("pdftotext") {
        let t = pdftotext(&env.registry().join("files").join(format!("{sha}.pdf")));
        assert!(t.contains("Sosyal Medya Etik İlkeleri hakkında"), "{t}");
        assert!(t.contains(&kind_no), "{t}");
        assert!(!t.contains("TASLAK"), "{t}");
    }
    // Every step an event of the hash-chained log.
    assert_eq!(
        env.count("SELECT COUNT(*) FROM events WHERE kind LIKE 'draft.%'"),
        7,
        "created, submitted, returned, updated, submitted, approved, signed — and nothing for refusals"
    );
    env.ok(&["log", "verify"]);
}

/// Post a new draft from the `?kaynak=1` form with `changes`; the response.
fn create_from_genelge(srv: &Server, cookie: &str, changes: &[(&str, &str)]) -> Response {
    let page = get(srv, "/taslak/yeni?kaynak=1", cookie).text();
    let mut fields = with(form_fields(&page, "/taslak/yeni"), "dagitim", "odalar");
    for (k, v) in changes {
        fields = with(fields, k, v);
    }
    send(srv, "/taslak/yeni", cookie, &fields)
}

#[test]
fn out_of_turn_not_the_author_unknown_users_lists_and_drafts_refused() {
    let env = crate::issue::env();
    for (u, r) in [
        ("hazirlayan", "hazırlayan"),
        ("baska", "hazırlayan"),
        ("sef", "paraf"),
        ("mudur", "paraf"),
        ("imza", "imza"),
    ] {
        add_user(&env, u, PASSWORD, &[r]);
    }
    let srv = Server::start(&env);
    let [h, other, sef, mudur, i] = ["hazirlayan", "baska", "sef", "mudur", "imza"].map(|u| login(&srv, u, PASSWORD));
    let drafts = || env.count("SELECT COUNT(*) FROM drafts");

    // No [approval] imza in office.toml and none chosen; a user who is not a paraf; an unknown list.
    for (changes, status, want) in [
        (vec![("paraf", "sef")], 422, "imza: İmzalayacak kullanıcı seçilmedi"),
        (
            vec![("paraf", "sef, baska"), ("imzaci", "imza")],
            422,
            "paraf: \"baska\" paraf rolü olan etkin bir kullanıcı değil",
        ),
        (
            vec![("imzaci", "kimse")],
            422,
            "imza: \"kimse\" imza rolü olan etkin bir kullanıcı değil",
        ),
        (
            vec![("imzaci", "imza"), ("dagitim", "yok-liste")],
            422,
            "to: \"yok-liste\" kayıtlarda yok",
        ),
        (
            vec![("imzaci", "imza"), ("imzalar", "")],
            400,
            "imzalar: en az bir imza sahibi gerekir",
        ),
        (
            vec![("imzaci", "imza"), ("ekler", "12 | Ek")],
            400,
            "ekler 1. satır: kayıtlı evrak #numarasıyla yazılmalı",
        ),
        (
            vec![("imzaci", "imza"), ("ekler", "#99 | Ek (1 sayfa)")],
            422,
            "ek[1]: \"#99\" kayıtlarda yok",
        ),
    ] {
        let r = create_from_genelge(&srv, &h, &changes);
        assert_eq!(r.status, status, "{changes:?}: {}", r.text());
        assert!(unescape(&r.text()).contains(want), "{want:?} in {}", r.text());
        assert!(unescape(&r.text()).contains("Hiçbir şey kaydedilmedi."), "{}", r.text());
        assert_eq!(drafts(), 0, "{changes:?}");
    }
    let r = get(&srv, "/taslak/yeni?kaynak=999", &h);
    assert_eq!(r.status, 422);
    assert!(
        unescape(&r.text()).contains("kaynak: \"#999\" kayıtlarda yok"),
        "{}",
        r.text()
    );
    assert_eq!(get(&srv, "/taslak/yeni", &sef).status, 403, "a paraf drafts nothing");

    let r = create_from_genelge(&srv, &h, &[("paraf", "sef, mudur"), ("imzaci", "imza")]);
    assert_eq!(r.status, 303, "{}", r.text());
    // Another hazırlayan may not edit or submit it.
    let page = get(&srv, "/taslak/1", &h).text();
    let edit = form_fields(&page, "/taslak/1");
    let mut theirs = with(edit.clone(), "konu", "Başkasının konusu");
    theirs = with(theirs, "csrf", &csrf_of(&get(&srv, "/taslak", &other).text()));
    let r = send(&srv, "/taslak/1", &other, &theirs);
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(
        unescape(&r.text()).contains("yalnızca hazırlayanı düzenleyip"),
        "{}",
        r.text()
    );
    // Two tabs of the author's: the second edit from the same old version is stale, not a silent overwrite.
    assert_eq!(
        send(&srv, "/taslak/1", &h, &with(edit.clone(), "konu", "Birinci sekme")).status,
        303
    );
    let r = send(&srv, "/taslak/1", &h, &with(edit, "konu", "İkinci sekme"));
    assert_eq!(r.status, 409, "{}", r.text());
    let konu: String = env
        .db()
        .query_row("SELECT konu FROM drafts WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(konu, "Birinci sekme");

    // A paraf cannot act on a draft still with its author, the imza user cannot sign it before the parafs.
    let v = version_of(&env, 1).to_string();
    let csrf = |c: &str| csrf_of(&get(&srv, "/taslak", c).text());
    let r = post(&srv, "/taslak/1/parafla", &sef, &[("csrf", &csrf(&sef)), ("surum", &v)]);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        unescape(&r.text()).contains("taslak durumunda: paraflanamaz"),
        "{}",
        r.text()
    );
    assert_eq!(step(&srv, &h, 1, "gonder", &[]).status, 303);
    let v = version_of(&env, 1).to_string();
    // The second paraf before the first: not their turn.
    let r = post(
        &srv,
        "/taslak/1/parafla",
        &mudur,
        &[("csrf", &csrf(&mudur)), ("surum", &v)],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(
        unescape(&r.text()).contains("şu anda sef kullanıcısında bekliyor"),
        "{}",
        r.text()
    );
    let r = post(&srv, "/taslak/1/imzala", &i, &[("csrf", &csrf(&i)), ("surum", &v)]);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        unescape(&r.text()).contains("parafta durumunda: imzalanamaz"),
        "{}",
        r.text()
    );
    // A step without the version the page showed.
    let r = post(&srv, "/taslak/1/parafla", &sef, &[("csrf", &csrf(&sef))]);
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(version_of(&env, 1).to_string(), v, "nothing moved");
    // In order: sef, then mudur, then imza.
    assert_eq!(step(&srv, &sef, 1, "parafla", &[]).status, 303);
    assert_eq!(state_of(&env, 1), "parafta");
    assert_eq!(step(&srv, &mudur, 1, "parafla", &[]).status, 303);
    assert_eq!(state_of(&env, 1), "imzada");
    assert_eq!(step(&srv, &i, 1, "imzala", &[]).status, 303);
    assert_eq!(issued(&env), 1);
    // Signed: the author can no longer edit it, nobody can move it.
    let r = post(
        &srv,
        "/taslak/1/gonder",
        &h,
        &[("csrf", &csrf(&h)), ("surum", &version_of(&env, 1).to_string())],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    // Unknown drafts.
    assert_eq!(get(&srv, "/taslak/99", &h).status, 404);
    assert_eq!(get(&srv, "/taslak/x", &h).status, 404);
    assert_eq!(get(&srv, "/taslak/99/onizleme.pdf", &h).status, 404);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM events WHERE kind LIKE 'draft.%'"),
        6,
        "created, updated, submitted, approved twice, signed: no refusal recorded"
    );
}

/// With `[signing.key]` in office.toml, the imza user's step signs the PDF (PAdES) as `tamim issue --sign`.
#[test]
fn the_signing_step_signs_with_the_office_key() {
    use crate::sign_common::{p12_key, pdfsig};
    // As sign_common::env_with, under the English locale `Server::start` reads.
    let env = crate::issue::env();
    let cfg = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&cfg).unwrap() + "\n" + &p12_key("signer");
    std::fs::write(&cfg, text).unwrap();
    add_user(&env, "hazirlayan", PASSWORD, &["hazırlayan"]);
    add_user(&env, "imza", PASSWORD, &["imza"]);
    let srv = Server::start(&env);
    let [h, i] = ["hazirlayan", "imza"].map(|u| login(&srv, u, PASSWORD));
    let r = create_from_genelge(&srv, &h, &[("paraf", ""), ("imzaci", "imza")]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(step(&srv, &h, 1, "gonder", &[]).status, 303);
    assert_eq!(state_of(&env, 1), "imzada", "no paraf: straight to the signer");
    assert_eq!(step(&srv, &i, 1, "imzala", &[]).status, 303);
    let sha: String = env
        .db()
        .query_row(
            "SELECT file_sha256 FROM documents WHERE direction = 'outgoing'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let report = pdfsig(&env.registry().join("files").join(format!("{sha}.pdf")));
    assert!(report.contains("Signature is Valid"), "{report}");
}

/// The same form posted at once from several connections (a double click on a slow line): one draft, and
/// one issue with one number taken.
#[test]
fn the_same_form_posted_at_once_makes_one_draft_and_one_issue() {
    let (env, srv, [h, p, i, _]) = setup();
    let page = get(&srv, "/taslak/yeni?kaynak=1", &h).text();
    let fields = with(form_fields(&page, "/taslak/yeni"), "dagitim", "odalar");
    let at_once = |path: &str, cookie: &str, fields: &[(String, String)]| -> Vec<u16> {
        std::thread::scope(|s| {
            let posts: Vec<_> = (0..4)
                .map(|_| s.spawn(|| send(&srv, path, cookie, fields).status))
                .collect();
            posts.into_iter().map(|t| t.join().unwrap()).collect()
        })
    };
    assert_eq!(at_once("/taslak/yeni", &h, &fields), vec![303; 4]);
    assert_eq!(env.count("SELECT COUNT(*) FROM drafts"), 1);
    assert_eq!(step(&srv, &h, 1, "gonder", &[]).status, 303);
    assert_eq!(step(&srv, &p, 1, "parafla", &[]).status, 303);
    let sign = form_fields(&get(&srv, "/taslak/1", &i).text(), "/taslak/1/imzala");
    assert_eq!(at_once("/taslak/1/imzala", &i, &sign), vec![303; 4]);
    assert_eq!(issued(&env), 1);
    assert_eq!(env.count("SELECT COUNT(*) FROM events WHERE kind = 'draft.signed'"), 1);
    assert_eq!(env.count("SELECT COUNT(*) FROM draft_steps WHERE action = 'sign'"), 1);
    // One number taken: the copies that lost the race gave theirs back with their transaction.
    assert_eq!(env.count("SELECT MAX(value) FROM counters WHERE scope = 'sayi'"), 1);
    assert_eq!(
        env.count("SELECT MAX(value) FROM counters WHERE scope = 'kind:tamim'"),
        1
    );
}
