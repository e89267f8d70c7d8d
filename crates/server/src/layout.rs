//! The office's pages: the top bar (office, the menu of what the user's roles reach, the user, Çıkış with
//! the session's CSRF token) over every page rendered with [`page`]. A new screen renders its template
//! (which `{% extends "base.html" %}`) with `layout::page(status, "x.html", Some(&viewer), ctx)`; the
//! template sees `viewer.display_name`, `viewer.roles`, `viewer.csrf` (put it in every form as
//! `<input type="hidden" name="csrf" value="{{ viewer.csrf }}">`) and `viewer.menu`.

use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use super::pages;
use super::session::Viewer;
use tamim_app::accounts::Role;

#[derive(Serialize)]
pub struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
    pub about: &'static str,
}

/// What the user's roles reach, in the order of the office's day.
pub fn menu(v: &Viewer) -> Vec<MenuItem> {
    let u = &v.user;
    let mut m = vec![MenuItem {
        href: "/evrak",
        label: "Evrak kayıt defteri",
        about: "Gelen ve giden evrak: sayı, konu, gönderen, tarih ve türe göre arama",
    }];
    if u.has_any(&[Role::Drafter, Role::Reviewer, Role::Signer]) {
        m.push(MenuItem {
            href: "/taslak",
            label: "Taslaklar ve onay",
            about: "Taslak hazırla, paraf et, imzala ve çıkar; bende bekleyenler",
        });
    }
    if u.has_any(&[Role::Auditor, Role::Admin]) {
        m.push(MenuItem {
            href: "/audit",
            label: "Denetim raporları",
            about: "Dağıtım ve tebellüğ kapsamı, gecikenler, zincir",
        });
    }
    if u.has(Role::Admin) {
        m.push(MenuItem {
            href: "/yonetim/kullanicilar",
            label: "Kullanıcılar",
            about: "Hesaplar ve roller: ekle, devre dışı bırak",
        });
    }
    m
}

/// The viewer as the templates see it.
pub fn viewer_value(v: &Viewer, office: &str) -> minijinja::Value {
    let roles: Vec<String> = v.user.roles.iter().map(|g| g.label_tr()).collect();
    minijinja::Value::from_serialize(serde_json::json!({
        "username": v.user.username,
        "display_name": v.user.display_name,
        "roles": roles.join(", "),
        "csrf": v.csrf,
        "office": office,
        "menu": menu(v),
    }))
}

/// The office's name as the top bar shows it.
pub fn office_name(app: &super::App) -> String {
    app.config.office.name.clone()
}

/// Render `name` with the top bar of `viewer`.
pub fn page(app: &super::App, status: StatusCode, name: &str, viewer: &Viewer, ctx: minijinja::Value) -> Response {
    let ctx = context! { viewer => viewer_value(viewer, &office_name(app)), ..ctx };
    pages::page(status, name, ctx)
}

/// A page of one message (403, 401, …), with the top bar when someone is logged in.
pub fn message(
    status: StatusCode,
    viewer: Option<&Viewer>,
    title: &str,
    message: &str,
    link: &str,
    link_label: &str,
) -> Response {
    let viewer = viewer.map(|v| viewer_value(v, ""));
    pages::page(
        status,
        "message.html",
        context! { viewer, title, message, link, link_label },
    )
}
