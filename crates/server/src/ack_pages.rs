//! `/ack/TOKEN`: the recipient's page (GET), the acknowledgement (POST) and the document's PDF.
//! A token is looked up by its hash and then compared in constant time with the one derived for that
//! delivery; anything unknown or wrong gets the same plain 404.

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use minijinja::context;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use super::pages::{internal, not_found, page};
use super::writer::Job;
use super::App;
use tamim_app::ack::{self, Ack, Method, Outcome, MAX_NAME};
use tamim_app::distribution::token;
use tamim_store::deliveries::Delivery;
use tamim_store::receipts::{self, DocHead};

pub(crate) struct View {
    pub delivery: Delivery,
    pub head: DocHead,
}

/// The office's own staff section under its acknowledgement (`staff_pages`): its roster on the document's
/// date when the delivery carries the staff duty, and what the last step did.
#[derive(Default)]
pub(crate) struct StaffPart {
    pub roster: Option<tamim_app::roster::delegate::OfficeRoster>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

pub(crate) fn plausible(t: &str) -> bool {
    t.len() == 40 && t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) async fn lookup(app: &Arc<App>, tok: String) -> Result<Option<View>, Response> {
    if !plausible(&tok) {
        return Ok(None);
    }
    let secret = app.secret.clone();
    let r = app
        .read(move |c| {
            let Some(d) = receipts::by_token_hash(c, &token::token_hash(&tok))? else {
                return Ok(None);
            };
            if !token::constant_time_eq(&token::token(&secret, d.document_id, &d.recipient_code), &tok) {
                return Ok(None);
            }
            Ok(receipts::doc_head(c, d.document_id)?.map(|head| View { delivery: d, head }))
        })
        .await;
    r.map_err(|e| {
        tracing::error!(error = %e, "acknowledgement lookup");
        internal()
    })
}

fn tr_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(tamim_core::turkish::format_long)
        .unwrap_or_else(|_| iso.to_string())
}

/// The office's page. The staff section shows once the office has acknowledged.
pub(crate) async fn office_page(
    app: &Arc<App>,
    v: &View,
    tok: &str,
    status: StatusCode,
    just_now: bool,
    mut staff: StaffPart,
) -> Response {
    if v.delivery.state == tamim_core::state::State::Acknowledged && staff.roster.is_none() {
        let id = v.delivery.id;
        match app
            .read(move |c| tamim_app::roster::delegate::office_roster(c, id))
            .await
        {
            Ok(r) => staff.roster = r,
            Err(e) => {
                tracing::error!(error = %e, "the office's roster");
                return internal();
            }
        }
    }
    render(v, tok, status, None, "", just_now, &staff)
}

fn render(
    v: &View,
    tok: &str,
    status: StatusCode,
    error: Option<&str>,
    name: &str,
    just_now: bool,
    staff: &StaffPart,
) -> Response {
    let d = &v.delivery;
    let h = &v.head;
    page(
        status,
        "ack.html",
        context! {
            doc => context! {
                issuer => h.issuer.clone().unwrap_or_default(),
                sayi => h.sayi.clone().unwrap_or_else(|| format!("#{}", h.id)),
                kind_no => h.kind_no.clone(),
                tarih => tr_date(&h.tarih),
                konu => h.konu.clone(),
            },
            recipient => d.name.clone(),
            has_pdf => h.file.is_some(),
            token => tok,
            acknowledged => d.state == tamim_core::state::State::Acknowledged,
            acknowledged_at => d.acknowledged_at.as_deref().map(ack::time::shown),
            acknowledged_by => d.ack_by.clone(),
            just_now => just_now,
            error => error,
            name => name,
            max_name => MAX_NAME,
            staff => context! {
                roster => staff.roster.as_ref().map(minijinja::Value::from_serialize),
                notice => staff.notice.as_deref(),
                error => staff.error.as_deref(),
                max_upload_mb => tamim_app::roster::staff_ack::MAX_SCAN_BYTES / (1024 * 1024),
            },
        },
    )
}

pub async fn get_ack(State(app): State<Arc<App>>, Path(tok): Path<String>) -> Response {
    match lookup(&app, tok.clone()).await {
        Ok(Some(v)) => office_page(&app, &v, &tok, StatusCode::OK, false, StaffPart::default()).await,
        Ok(None) => not_found(),
        Err(r) => r,
    }
}

pub async fn post_ack(
    State(app): State<Arc<App>>,
    Path(tok): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut v = match lookup(&app, tok.clone()).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(),
        Err(r) => return r,
    };
    if v.delivery.state == tamim_core::state::State::Acknowledged {
        return office_page(&app, &v, &tok, StatusCode::OK, false, StaffPart::default()).await;
    }
    let raw = form.get("name").map(String::as_str).unwrap_or("");
    let name = match ack::clean_text("name", raw, MAX_NAME) {
        Ok(n) => n,
        Err(_) => {
            let msg = if raw.trim().is_empty() {
                "Lütfen adınızı ve soyadınızı yazın.".to_string()
            } else if raw.trim().chars().count() > MAX_NAME {
                format!("Ad en fazla {MAX_NAME} karakter olabilir.")
            } else {
                "Ad tek satırlık bir metin olmalıdır.".to_string()
            };
            let keep: String = raw.chars().take(MAX_NAME).collect();
            return render(
                &v,
                &tok,
                StatusCode::BAD_REQUEST,
                Some(&msg),
                &keep,
                false,
                &StaffPart::default(),
            );
        }
    };
    let ack = Ack {
        method: Method::Link,
        by: Some(name),
        at: chrono::Utc::now(),
        kayit_no: None,
        evidence: Some(format!("web form from {}", peer.ip())),
    };
    let (reply, rx) = tokio::sync::oneshot::channel();
    if app
        .writer
        .send(
            Job {
                delivery: v.delivery.id,
                ack,
                reply,
            }
            .into(),
        )
        .await
        .is_err()
    {
        return internal();
    }
    match rx.await {
        Ok(Ok(o)) => {
            let just_now = matches!(o, Outcome::Recorded { .. });
            match o {
                Outcome::Recorded { at, .. } => {
                    v.delivery.acknowledged_at = Some(at);
                    v.delivery.ack_by = form.get("name").map(|n| n.trim().to_string());
                }
                Outcome::Already { at, by, .. } => {
                    v.delivery.acknowledged_at = Some(at);
                    v.delivery.ack_by = by;
                }
            }
            v.delivery.state = tamim_core::state::State::Acknowledged;
            office_page(&app, &v, &tok, StatusCode::OK, just_now, StaffPart::default()).await
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "acknowledgement write");
            internal()
        }
        Err(_) => internal(),
    }
}

pub async fn get_pdf(State(app): State<Arc<App>>, Path(tok): Path<String>) -> Response {
    let v = match lookup(&app, tok).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(),
        Err(r) => return r,
    };
    let Some(sha) = v.head.file.clone() else {
        return not_found();
    };
    super::pages::stored_pdf(&app, &sha, v.head.id).await
}
