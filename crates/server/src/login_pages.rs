//! `/giris` (the login form and its POST), `/cikis` (logout, POST), `/` (the home page: the menu of what
//! the user's roles reach) and `/static/tamim.css`.
//!
//! The login form carries its own CSRF token before any session exists: a random value both in a cookie
//! (`tamim_giris`, HttpOnly, SameSite=Strict) and in the form's hidden field, compared in constant time
//! (double submit). argon2 runs on a blocking thread. A wrong password and an unknown user get the same
//! sentence; failures from one address are limited ([`Limiter`]), and an account locks after 5 in a row.

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use super::session::{self, cookie, set_cookie, Viewer, COOKIE};
use super::{layout, pages, App};
use tamim_app::accounts::session::Policy;
use tamim_app::accounts::AccountError;
use tamim_app::distribution::token::constant_time_eq;

const LOGIN_COOKIE: &str = "tamim_giris";

/// Failed logins per client address: at most [`Limiter::MAX`] in [`Limiter::WINDOW`] seconds, then 429.
#[derive(Default)]
pub struct Limiter(Mutex<HashMap<IpAddr, (i64, u32)>>);

impl Limiter {
    pub const MAX: u32 = 20;
    pub const WINDOW: i64 = 600;

    fn blocked(&self, ip: IpAddr, now: i64) -> bool {
        let Ok(m) = self.0.lock() else { return false };
        m.get(&ip)
            .is_some_and(|(start, n)| now - start < Self::WINDOW && *n >= Self::MAX)
    }

    fn failed(&self, ip: IpAddr, now: i64) {
        let Ok(mut m) = self.0.lock() else { return };
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now - *start < Self::WINDOW);
        }
        let e = m.entry(ip).or_insert((now, 0));
        if now - e.0 >= Self::WINDOW {
            *e = (now, 0);
        }
        e.1 += 1;
    }
}

/// A random token for the login form: 32 bytes as 64 hex digits.
/// A random 256-bit value as hex: a CSRF token, a form's one-time key.
pub(crate) fn token() -> String {
    let b: [u8; 32] = rand::random();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Where to go after logging in: a local path only.
fn next_path(q: Option<&String>) -> String {
    match q {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.clone(),
        _ => "/".to_string(),
    }
}

fn login_page(app: &App, status: StatusCode, message: Option<&str>, username: &str, next: &str) -> Response {
    let csrf = token();
    let mut r = pages::page(
        status,
        "login.html",
        context! { office => layout::office_name(app), message, username, csrf, next },
    );
    if let Ok(v) = set_cookie(app, LOGIN_COOKIE, &csrf, 3600).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn get_login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let next = next_path(q.get("sonra"));
    if session::of_headers(&app, &headers).await.is_some() {
        return Redirect::to(&next).into_response();
    }
    login_page(&app, StatusCode::OK, None, "", &next)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    kullanici: String,
    #[serde(default)]
    parola: String,
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    sonra: Option<String>,
}

pub async fn post_login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = next_path(f.sonra.as_ref());
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    match f.csrf.as_deref() {
        Some(given) if !expected.is_empty() && constant_time_eq(given, &expected) => {}
        _ => {
            return session::forbidden(
                None,
                "Giriş formu geçersiz ya da süresi dolmuş (güvenlik belirteci eşleşmedi). Giriş sayfasını yeniden açıp tekrar deneyin.",
            )
        }
    }
    let now = session::now();
    let ip = peer.ip();
    if app.limiter.blocked(ip, now) {
        return login_page(
            &app,
            StatusCode::TOO_MANY_REQUESTS,
            Some("Bu adresten çok sayıda hatalı giriş denendi; lütfen birkaç dakika sonra yeniden deneyin."),
            &f.kullanici,
            &next,
        );
    }
    let home = app.home.clone();
    let (username, password) = (f.kullanici.clone(), f.parola);
    let result = tokio::task::spawn_blocking(move || {
        let mut store = tamim_store::Store::open(&home)?;
        tamim_app::accounts::session::login(&mut store, &username, &password, now, Policy::default())
    })
    .await;
    let opened = match result {
        Ok(Ok(o)) => o,
        Ok(Err(tamim_app::Error::Account(AccountError::Locked { until }))) => {
            app.limiter.failed(ip, now);
            let at = chrono::DateTime::from_timestamp(until, 0)
                .map(|t| tamim_core::turkish::format_time(t, app.config.office.zone()))
                .unwrap_or_default();
            let msg = format!(
                "Hesabınız art arda hatalı girişler nedeniyle kilitlendi; {at} saatinden sonra yeniden deneyin ya da yöneticinize başvurun."
            );
            return login_page(&app, StatusCode::LOCKED, Some(&msg), &f.kullanici, &next);
        }
        Ok(Err(tamim_app::Error::Account(_))) => {
            app.limiter.failed(ip, now);
            return login_page(
                &app,
                StatusCode::UNAUTHORIZED,
                Some("Kullanıcı adı veya parola yanlış."),
                &f.kullanici,
                &next,
            );
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "login");
            return pages::internal();
        }
        Err(e) => {
            tracing::error!(error = %e, "login task");
            return pages::internal();
        }
    };
    let mut r = Redirect::to(&next).into_response();
    let h = r.headers_mut();
    for c in [
        set_cookie(&app, COOKIE, &opened.token, Policy::default().absolute),
        set_cookie(&app, LOGIN_COOKIE, "", 0),
    ] {
        if let Ok(v) = c.parse() {
            h.append(header::SET_COOKIE, v);
        }
    }
    r
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn post_logout(State(app): State<Arc<App>>, viewer: Viewer, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = viewer.check_csrf(f.csrf.as_deref()) {
        return r;
    }
    let home = app.home.clone();
    let hash = viewer.token_hash.clone();
    let done = tokio::task::spawn_blocking(move || {
        let mut store = tamim_store::Store::open(&home)?;
        tamim_app::accounts::session::logout(&mut store, &hash)
    })
    .await;
    if !matches!(done, Ok(Ok(()))) {
        return pages::internal();
    }
    let mut r = Redirect::to("/giris").into_response();
    if let Ok(v) = set_cookie(&app, COOKIE, "", 0).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn home(State(app): State<Arc<App>>, viewer: Viewer) -> Response {
    layout::page(&app, StatusCode::OK, "home.html", &viewer, context! {})
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../../templates/pages/tamim.css"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn after_login_only_a_local_path() {
        let n = |s: &str| super::next_path(Some(&s.to_string()));
        assert_eq!(n("/evrak"), "/evrak");
        assert_eq!(n("//evil.example"), "/");
        assert_eq!(n("/\\evil.example"), "/");
        assert_eq!(n("https://evil.example/"), "/");
        assert_eq!(super::next_path(None), "/");
    }
}
