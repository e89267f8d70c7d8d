//! `/yonetim/kullanicilar` (yönetici): the accounts with their roles, a form to add one, a button to disable
//! one. The same `tamim_app::accounts` functions as `tamim user add|disable`; every refusal told in Turkish,
//! nothing written.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use super::session::Viewer;
use super::{layout, pages, App};
use tamim_app::accounts::{self, AccountError, NewUser, Role};

#[derive(Serialize)]
struct Row {
    username: String,
    display_name: String,
    roles: String,
    disabled: bool,
}

#[derive(Serialize)]
struct RoleBox {
    name: &'static str,
    label: &'static str,
    checked: bool,
}

/// A refusal as the admin page tells it.
pub fn tell(e: &tamim_app::Error) -> (StatusCode, String) {
    let tamim_app::Error::Account(a) = e else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Beklenmeyen bir hata oluştu; hiçbir şey kaydedilmedi.".into(),
        );
    };
    let m = match a {
        AccountError::UnknownRole { given } => format!("Bilinmeyen rol: \"{given}\"."),
        AccountError::InvalidUsername { username } => format!(
            "Kullanıcı adı \"{username}\" geçersiz: 2–32 karakter, a–z, 0–9, '.', '_', '-' ve bir harfle başlamalı."
        ),
        AccountError::EmptyDisplayName => "Ad soyad boş olamaz.".into(),
        AccountError::DuplicateUsername { username } => format!("\"{username}\" adlı bir kullanıcı zaten var."),
        AccountError::UnknownUser { username } => format!("\"{username}\" adlı bir kullanıcı yok."),
        AccountError::EmptyPassword => "Parola boş olamaz.".into(),
        AccountError::PasswordTooShort { min } => format!("Parola çok kısa: en az {min} karakter olmalı."),
        AccountError::NoRole => "En az bir rol seçin.".into(),
        AccountError::PasswordMismatch => "İki parola aynı değil.".into(),
        other => format!("{other}"),
    };
    let status = match a {
        AccountError::DuplicateUsername { .. } => StatusCode::CONFLICT,
        AccountError::UnknownUser { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, format!("{m} Hiçbir şey kaydedilmedi."))
}

async fn show(
    app: &Arc<App>,
    viewer: &Viewer,
    status: StatusCode,
    message: Option<String>,
    done: Option<String>,
    form: &HashMap<String, String>,
) -> Response {
    let users = match app.read(accounts::list).await {
        Ok(u) => u,
        Err(_) => return pages::internal(),
    };
    let rows: Vec<Row> = users
        .into_iter()
        .map(|u| Row {
            roles: u.roles.iter().map(|g| g.label_tr()).collect::<Vec<_>>().join(", "),
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
        })
        .collect();
    let roles: Vec<RoleBox> = Role::ALL
        .into_iter()
        .map(|r| RoleBox {
            name: r.as_str(),
            label: r.label_tr(),
            checked: form.contains_key(&format!("rol_{}", r.as_str())),
        })
        .collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    layout::page(
        app,
        status,
        "admin_users.html",
        viewer,
        context! { users => rows, roles, message, done, username => get("kullanici"), name => get("ad"), unit => get("birim") },
    )
}

pub async fn index(State(app): State<Arc<App>>, viewer: Viewer) -> Response {
    if let Err(r) = viewer.require(&[Role::Admin]) {
        return r;
    }
    show(&app, &viewer, StatusCode::OK, None, None, &HashMap::new()).await
}

pub async fn add(State(app): State<Arc<App>>, viewer: Viewer, Form(f): Form<HashMap<String, String>>) -> Response {
    if let Err(r) = viewer.require(&[Role::Admin]) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(f.get("csrf").map(String::as_str)) {
        return r;
    }
    let unit = f.get("birim").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let roles: Vec<String> = Role::ALL
        .into_iter()
        .filter(|r| f.contains_key(&format!("rol_{}", r.as_str())))
        .map(|r| match &unit {
            Some(u) => format!("{}:{u}", r.as_str()),
            None => r.as_str().to_string(),
        })
        .collect();
    let new = NewUser {
        username: f.get("kullanici").cloned().unwrap_or_default(),
        display_name: f.get("ad").cloned().unwrap_or_default(),
        password: f.get("parola").cloned().unwrap_or_default(),
        roles,
    };
    let (home, by) = (app.home.clone(), viewer.user.username.clone());
    let done = tokio::task::spawn_blocking(move || {
        let mut store = tamim_store::Store::open(&home)?;
        accounts::add(&mut store, new, &by)
    })
    .await;
    match done {
        Ok(Ok(u)) => {
            let msg = format!("{} ({}) eklendi.", u.username, u.display_name);
            show(&app, &viewer, StatusCode::OK, None, Some(msg), &HashMap::new()).await
        }
        Ok(Err(e)) => {
            let (status, msg) = tell(&e);
            show(&app, &viewer, status, Some(msg), None, &f).await
        }
        Err(_) => pages::internal(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn disable(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(username): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = viewer.require(&[Role::Admin]) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(f.csrf.as_deref()) {
        return r;
    }
    let (home, by) = (app.home.clone(), viewer.user.username.clone());
    let done = tokio::task::spawn_blocking(move || {
        let mut store = tamim_store::Store::open(&home)?;
        accounts::disable(&mut store, &username, &by)
    })
    .await;
    match done {
        Ok(Ok(_)) => Redirect::to("/yonetim/kullanicilar").into_response(),
        Ok(Err(e)) => {
            let (status, msg) = tell(&e);
            show(&app, &viewer, status, Some(msg), None, &HashMap::new()).await
        }
        Err(_) => pages::internal(),
    }
}
