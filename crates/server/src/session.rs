//! Who is asking: the session cookie checked against the store, as an axum extractor.
//!
//! ```text
//! async fn handler(viewer: Viewer) -> Response {           // not logged in: GET → 303 /giris, else 401
//!     if let Err(r) = viewer.require(&[Role::Signer]) { return r; }   // 403, a Turkish page
//!     // on a POST: viewer.check_csrf(&form.csrf)?          // 403 unless the form's token is the session's
//! }
//! ```
//!
//! The cookie (`tamim_oturum`) is an opaque random token (32 bytes, base64url), `HttpOnly`,
//! `SameSite=Strict`, `Path=/`, `Secure` when office.toml `[server] tls = true`; the store keeps only its
//! SHA-256. A session ends 8 hours after login or 30 minutes after its last request
//! (`tamim_app::accounts::session::Policy`). Every POST a logged-in user makes carries the session's CSRF
//! token in a hidden field `csrf`, compared in constant time. A user whose only role is denetçi is refused
//! every POST but logging out.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

use super::{layout, App};
use tamim_app::accounts::session::{self, Current, Policy};
use tamim_app::accounts::{Role, User};
use tamim_app::distribution::token::constant_time_eq;

pub const COOKIE: &str = "tamim_oturum";

/// The logged-in user of a request, with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the attributes every cookie of ours has.
pub fn set_cookie(app: &App, name: &str, value: &str, max_age: i64) -> String {
    let secure = if app.config.server.tls { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The live session of these headers, if any (its idle clock restarted at most once a minute).
pub async fn of_headers(app: &Arc<App>, headers: &HeaderMap) -> Option<Viewer> {
    let token = cookie(headers, COOKIE).filter(|t| !t.is_empty() && t.len() <= 64)?;
    let now = now();
    let current: Current = app
        .read(move |c| session::current(c, &token, now, Policy::default()))
        .await
        .inspect_err(|e| tracing::error!(error = %e, "reading a session"))
        .ok()
        .flatten()?;
    if current.since_seen >= 60 {
        let hash = current.token_hash.clone();
        let app2 = app.clone();
        let touched = tokio::task::spawn_blocking(move || {
            let mut store = tamim_store::Store::open(&app2.home)?;
            session::touch(&mut store, &hash, now)
        })
        .await;
        if !matches!(touched, Ok(Ok(()))) {
            tracing::warn!("could not record a request on a session");
        }
    }
    Some(Viewer {
        user: current.user,
        csrf: current.csrf,
        token_hash: current.token_hash,
    })
}

impl Viewer {
    /// 403 unless the user holds one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), Response> {
        if self.user.has_any(roles) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.label_tr()).collect();
            Err(forbidden(
                Some(self),
                &format!(
                    "Bu sayfa için yetkiniz yok: şu rollerden biri gerekir: {}.",
                    names.join(", ")
                ),
            ))
        }
    }

    /// 403 unless `given` is this session's CSRF token.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), Response> {
        match given {
            Some(g) if constant_time_eq(g, &self.csrf) => Ok(()),
            _ => Err(forbidden(
                Some(self),
                "Form geçersiz ya da süresi dolmuş (güvenlik belirteci eşleşmedi); hiçbir şey kaydedilmedi. Sayfayı yeniden açıp tekrar deneyin.",
            )),
        }
    }

    /// Holds no role but denetçi: reads only.
    pub fn reads_only(&self) -> bool {
        self.user.roles.iter().all(|g| g.role == Role::Auditor)
    }
}

/// The Turkish 403 page.
pub fn forbidden(viewer: Option<&Viewer>, message: &str) -> Response {
    layout::message(
        StatusCode::FORBIDDEN,
        viewer,
        "Erişim engellendi",
        message,
        "/",
        "Ana sayfaya dön",
    )
}

/// Not logged in (or the session ended): a GET goes to the login page, anything else is told so.
fn not_logged_in(method: &Method, path: &str) -> Response {
    if method == Method::GET || method == Method::HEAD {
        let next = if path == "/" || !path.starts_with('/') || path.starts_with("//") {
            String::new()
        } else {
            format!("?sonra={}", super::login_pages::form_escape(path))
        };
        Redirect::to(&format!("/giris{next}")).into_response()
    } else {
        layout::message(
            StatusCode::UNAUTHORIZED,
            None,
            "Oturum yok",
            "Oturumunuz yok ya da süresi doldu; hiçbir şey kaydedilmedi. Lütfen yeniden giriş yapın.",
            "/giris",
            "Giriş sayfası",
        )
    }
}

impl FromRequestParts<Arc<App>> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let Some(v) = of_headers(app, &parts.headers).await else {
            return Err(not_logged_in(&parts.method, parts.uri.path()));
        };
        if parts.method != Method::GET && parts.method != Method::HEAD && parts.uri.path() != "/cikis" && v.reads_only()
        {
            return Err(forbidden(
                Some(&v),
                "Denetçi rolü yalnızca okur: bu işlem için yetkiniz yok; hiçbir şey kaydedilmedi.",
            ));
        }
        Ok(v)
    }
}
