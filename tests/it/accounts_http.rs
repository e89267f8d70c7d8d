//! Logging in to `tamim serve` over real HTTP: a wrong password and an unknown user told alike, the
//! account locked after 5 failures, CSRF missing or wrong → 403 with nothing written, an idle or expired
//! session back to the login page, role overreach and a denetçi's POST → 403, the security headers on
//! every response, the cookie's attributes.

use crate::accounts::add_user;
use crate::ack_common::http::{enc, request, Response, Server};
use crate::common::Env;

pub const PASSWORD: &str = "çok gizli parola 1";

/// The first `name="csrf" value="…"` of a page.
pub fn csrf_of(page: &str) -> String {
    let re = regex_lite::Regex::new(r#"name="csrf" value="([^"]+)""#).unwrap();
    re.captures(page).map(|c| c[1].to_string()).unwrap_or_default()
}

/// The value a response sets for cookie `name`.
pub fn set_cookie<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .find(|v| v.starts_with(&format!("{name}=")))
}

fn cookie_value(set: &str) -> String {
    set.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn post(srv: &Server, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Response {
    let body = form(fields);
    request(
        &srv.addr,
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie),
        ],
        Some(body.as_bytes()),
    )
}

pub fn get(srv: &Server, path: &str, cookie: &str) -> Response {
    request(&srv.addr, "GET", path, &[("Cookie", cookie)], None)
}

/// Open the login page and post `username`/`password` with its CSRF token; the response of the POST.
pub fn try_login(srv: &Server, username: &str, password: &str) -> Response {
    let page = srv.get("/giris");
    assert_eq!(page.status, 200);
    let login = cookie_value(set_cookie(&page, "tamim_giris").expect("the login form's cookie"));
    let csrf = csrf_of(&page.text());
    post(
        srv,
        "/giris",
        &format!("tamim_giris={login}"),
        &[("kullanici", username), ("parola", password), ("csrf", &csrf)],
    )
}

/// Log in; the `Cookie` header value of the session.
pub fn login(srv: &Server, username: &str, password: &str) -> String {
    let r = try_login(srv, username, password);
    assert_eq!(r.status, 303, "{}", r.text());
    format!(
        "tamim_oturum={}",
        cookie_value(set_cookie(&r, "tamim_oturum").expect("session cookie"))
    )
}

fn events_of(env: &Env, kind: &str) -> i64 {
    env.count(&format!("SELECT COUNT(*) FROM events WHERE kind = '{kind}'"))
}

#[test]
fn wrong_password_and_unknown_user_alike_then_locked_after_five() {
    let env = Env::new();
    add_user(&env, "ayse", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let wrong = try_login(&srv, "ayse", "yanlış parola 123");
    let unknown = try_login(&srv, "kimse", "yanlış parola 123");
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, 401);
        assert!(r.text().contains("Kullanıcı adı veya parola yanlış."), "{}", r.text());
        assert!(set_cookie(r, "tamim_oturum").is_none());
    }
    assert_eq!(
        wrong.text().replace("kimse", "ayse").len(),
        unknown.text().replace("kimse", "ayse").len()
    );
    for _ in 0..3 {
        assert_eq!(try_login(&srv, "ayse", "yanlış parola 123").status, 401);
    }
    let r = try_login(&srv, "ayse", "yanlış parola 123");
    assert_eq!(r.status, 423);
    assert!(
        r.text()
            .contains("Hesabınız art arda hatalı girişler nedeniyle kilitlendi"),
        "{}",
        r.text()
    );
    // Locked: even the right password is refused.
    let r = try_login(&srv, "ayse", PASSWORD);
    assert_eq!(r.status, 423);
    assert!(set_cookie(&r, "tamim_oturum").is_none());
    assert_eq!(events_of(&env, "login.failed"), 6, "5 for ayse, 1 for the unknown user");
    assert_eq!(events_of(&env, "account.locked"), 1);
    assert_eq!(events_of(&env, "login.refused"), 1);
    assert_eq!(env.count("SELECT COUNT(*) FROM sessions"), 0);
    // A new password from the yönetici clears the lock.
    let out = crate::accounts::with_stdin(
        &env,
        &["user", "passwd", "ayse", "--password-stdin"],
        "yepyeni parola 22\n",
    );
    assert!(out.status.success());
    let cookie = login(&srv, "ayse", "yepyeni parola 22");
    assert_eq!(get(&srv, "/", &cookie).status, 200);
    assert_eq!(events_of(&env, "login.succeeded"), 1);
    env.ok(&["log", "verify"]);
}

#[test]
fn csrf_missing_or_wrong_is_403_and_nothing_written() {
    let env = Env::new();
    add_user(&env, "ayse", PASSWORD, &["yönetici"]);
    let srv = Server::start(&env);
    let before = env.count("SELECT COUNT(*) FROM events");
    // The login form without its token, or with another one.
    let page = srv.get("/giris");
    let login_cookie = format!(
        "tamim_giris={}",
        cookie_value(set_cookie(&page, "tamim_giris").unwrap())
    );
    for fields in [
        vec![("kullanici", "ayse"), ("parola", PASSWORD)],
        vec![("kullanici", "ayse"), ("parola", PASSWORD), ("csrf", "0000")],
    ] {
        let r = post(&srv, "/giris", &login_cookie, &fields);
        assert_eq!(r.status, 403, "{}", r.text());
        assert!(r.text().contains("güvenlik belirteci eşleşmedi"), "{}", r.text());
    }
    assert_eq!(env.count("SELECT COUNT(*) FROM events"), before);
    // Logged in: logging out without the session's token is refused, the session stays.
    let cookie = login(&srv, "ayse", PASSWORD);
    let home = get(&srv, "/", &cookie);
    let csrf = csrf_of(&home.text());
    assert_eq!(csrf.len(), 43, "{}", home.text());
    let before = env.count("SELECT COUNT(*) FROM events");
    for fields in [vec![], vec![("csrf", "yanlis")]] {
        let r = post(&srv, "/cikis", &cookie, &fields);
        assert_eq!(r.status, 403);
        assert!(r.text().contains("hiçbir şey kaydedilmedi"), "{}", r.text());
    }
    assert_eq!(env.count("SELECT COUNT(*) FROM events"), before);
    assert_eq!(get(&srv, "/", &cookie).status, 200);
    let r = post(&srv, "/cikis", &cookie, &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/giris"));
    assert_eq!(get(&srv, "/", &cookie).status, 303);
    assert_eq!(events_of(&env, "logout"), 1);
}

#[test]
fn idle_or_expired_sessions_end() {
    let env = Env::new();
    add_user(&env, "ayse", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let r = srv.get("/");
    assert_eq!((r.status, r.header("location")), (303, Some("/giris")));
    let cookie = login(&srv, "ayse", PASSWORD);
    assert_eq!(get(&srv, "/", &cookie).status, 200);
    // Idle 31 minutes.
    env.db()
        .execute("UPDATE sessions SET last_seen = last_seen - 31 * 60", [])
        .unwrap();
    let r = get(&srv, "/audit", &cookie);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/giris?sonra=/audit"));
    let r = post(&srv, "/cikis", &cookie, &[("csrf", "x")]);
    assert_eq!(r.status, 401);
    assert!(r.text().contains("Oturumunuz yok ya da süresi doldu"), "{}", r.text());
    // Past its absolute expiry (8 hours), however busy.
    let cookie = login(&srv, "ayse", PASSWORD);
    env.db()
        .execute(
            "UPDATE sessions SET created = created - 8 * 3600, expires = expires - 8 * 3600",
            [],
        )
        .unwrap();
    assert_eq!(get(&srv, "/", &cookie).status, 303);
    // A token made up or altered opens nothing; the store never holds the token itself.
    let mut fake = cookie.clone();
    fake.push('x');
    assert_eq!(get(&srv, "/", &fake).status, 303);
    let token = cookie.split_once('=').unwrap().1;
    assert_eq!(
        env.count(&format!("SELECT COUNT(*) FROM sessions WHERE token_hash = '{token}'")),
        0
    );
}

#[test]
fn roles_decide_what_is_reached_and_a_denetci_posts_nothing() {
    let env = Env::new();
    add_user(&env, "denetci", PASSWORD, &["denetçi"]);
    add_user(&env, "hazirlayan", PASSWORD, &["hazırlayan"]);
    let srv = Server::start(&env);
    let auditor = login(&srv, "denetci", PASSWORD);
    let drafter = login(&srv, "hazirlayan", PASSWORD);
    let home = get(&srv, "/", &auditor).text();
    assert!(
        home.contains("Denetim raporları") && home.contains("Evrak kayıt defteri"),
        "{home}"
    );
    assert!(!home.contains("Kullanıcılar"), "{home}");
    assert_eq!(get(&srv, "/audit", &auditor).status, 200);
    let r = get(&srv, "/audit", &drafter);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Bu sayfa için yetkiniz yok"), "{}", r.text());
    assert!(!get(&srv, "/", &drafter).text().contains("Denetim raporları"));
    // A denetçi posting anything: 403, nothing written (logging out is the one POST allowed).
    let csrf = csrf_of(&home);
    let before = env.count("SELECT COUNT(*) FROM events");
    let r = post(&srv, "/audit", &auditor, &[("csrf", &csrf)]);
    assert!(r.status == 403 || r.status == 405, "{}", r.status);
    let r = post(
        &srv,
        "/yonetim/kullanicilar",
        &auditor,
        &[("csrf", &csrf), ("kullanici", "x")],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("Denetçi rolü yalnızca okur"), "{}", r.text());
    assert_eq!(env.count("SELECT COUNT(*) FROM events"), before);
    assert_eq!(post(&srv, "/cikis", &auditor, &[("csrf", &csrf)]).status, 303);
}

#[test]
fn security_headers_on_every_response_and_the_cookie_attributes() {
    let env = Env::new();
    add_user(&env, "ayse", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let cookie = login(&srv, "ayse", PASSWORD);
    for (path, c) in [
        ("/", cookie.as_str()),
        ("/", ""),
        ("/giris", ""),
        ("/dogrula", ""),
        ("/yok", ""),
        ("/static/tamim.css", ""),
    ] {
        let r = get(&srv, path, c);
        assert_eq!(
            r.header("content-security-policy"),
            Some("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        let body = r.text();
        assert!(
            !body.contains("<script") && !body.contains("<style") && !body.contains(" style="),
            "{path}: {body}"
        );
    }
    let r = try_login(&srv, "ayse", PASSWORD);
    let set = set_cookie(&r, "tamim_oturum").unwrap();
    assert!(
        set.contains("; HttpOnly") && set.contains("; SameSite=Strict") && set.contains("; Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "{set}");
    assert_eq!(cookie_value(set).len(), 43, "32 bytes, base64url");
    drop(srv);
    // Served over TLS (office.toml [server] tls = true): the cookie is Secure.
    let cfg = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("tls = false", "tls = true");
    std::fs::write(&cfg, text).unwrap();
    let srv = Server::start(&env);
    let r = try_login(&srv, "ayse", PASSWORD);
    assert!(set_cookie(&r, "tamim_oturum").unwrap().ends_with("; Secure"));
}

#[test]
fn the_admin_page_adds_and_disables_users_with_the_clis_rules() {
    let env = Env::new();
    add_user(&env, "yonetici", PASSWORD, &["yönetici"]);
    add_user(&env, "kayit", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    let admin = login(&srv, "yonetici", PASSWORD);
    let clerk = login(&srv, "kayit", PASSWORD);
    assert_eq!(get(&srv, "/yonetim/kullanicilar", &clerk).status, 403);
    let page = get(&srv, "/yonetim/kullanicilar", &admin);
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.text());
    let fields = |u: &'static str, pw: &'static str| {
        vec![
            ("kullanici", u),
            ("ad", "Mehmet Öztürk"),
            ("parola", pw),
            ("rol_reviewer", "on"),
            ("birim", "Hukuk Birimi"),
        ]
    };
    let before = (
        env.count("SELECT COUNT(*) FROM users"),
        env.count("SELECT COUNT(*) FROM events"),
    );
    for (f, status, want) in [
        (
            fields("mehmet", "kisa"),
            400,
            "Parola çok kısa: en az 10 karakter olmalı.",
        ),
        (
            fields("kayit", PASSWORD),
            409,
            "kayit&quot; adlı bir kullanıcı zaten var.",
        ),
        (
            vec![("kullanici", "ali"), ("ad", "Ali"), ("parola", PASSWORD)],
            400,
            "En az bir rol seçin.",
        ),
    ] {
        let mut f = f.clone();
        f.push(("csrf", &csrf));
        let r = post(&srv, "/yonetim/kullanicilar", &admin, &f);
        assert_eq!(r.status, status, "{}", r.text());
        assert!(
            r.text().contains(want) && r.text().contains("Hiçbir şey kaydedilmedi."),
            "{want}: {}",
            r.text()
        );
    }
    // Without the token: 403.
    assert_eq!(
        post(&srv, "/yonetim/kullanicilar", &admin, &fields("mehmet", PASSWORD)).status,
        403
    );
    assert_eq!(
        (
            env.count("SELECT COUNT(*) FROM users"),
            env.count("SELECT COUNT(*) FROM events")
        ),
        before
    );
    let mut f = fields("mehmet", PASSWORD);
    f.push(("csrf", &csrf));
    let r = post(&srv, "/yonetim/kullanicilar", &admin, &f);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("mehmet (Mehmet Öztürk) eklendi.") && r.text().contains("paraf (Hukuk Birimi)"),
        "{}",
        r.text()
    );
    let v = env.json(&["user", "list"]);
    assert_eq!(v[1]["username"], "mehmet");
    assert_eq!(v[1]["roles"][0]["unit"], "Hukuk Birimi");
    let by: String = env
        .db()
        .query_row(
            "SELECT json_extract(detail, '$.by') FROM events WHERE kind = 'user.added' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, "yonetici");
    // Disabling the clerk ends their session.
    let r = post(
        &srv,
        "/yonetim/kullanicilar/kayit/devre-disi",
        &admin,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(get(&srv, "/", &clerk).status, 303);
    assert_eq!(try_login(&srv, "kayit", PASSWORD).status, 401);
    let r = post(&srv, "/yonetim/kullanicilar/yok/devre-disi", &admin, &[("csrf", &csrf)]);
    assert_eq!(r.status, 404);
    assert!(r.text().contains("yok&quot; adlı bir kullanıcı yok."), "{}", r.text());
}

#[test]
fn many_failures_from_one_address_are_refused_for_a_while() {
    let env = Env::new();
    add_user(&env, "ayse", PASSWORD, &["kayıt"]);
    let srv = Server::start(&env);
    for i in 0..20 {
        assert_eq!(try_login(&srv, &format!("kimse{i}"), "yanlış parola 123").status, 401);
    }
    // Even the right password, from this address, for a while.
    let r = try_login(&srv, "ayse", PASSWORD);
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(
        r.text().contains("Bu adresten çok sayıda hatalı giriş denendi"),
        "{}",
        r.text()
    );
    assert!(set_cookie(&r, "tamim_oturum").is_none());
}
