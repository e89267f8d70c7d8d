//! `/dagitim/{id}`: Dağıtım ve takip — one issued document's deliveries, each recipient's state as it stands,
//! and what a dağıtım user does with them: send (`gonder`; `yeniden=1` sends the failed again) and record an
//! acknowledgement that came on paper, by phone or by KEP (`tebellug`). Each action calls the same
//! application function as its CLI command (`tamim send`, `tamim ack`), on the registry opened on a blocking thread (`App::on_registry`), and the page shows what it did or the
//! refusal in the run's language (`App::explain`). Every form carries the session's CSRF token.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use minijinja::context;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

use super::session::Viewer;
use super::{layout, pages, App};
use tamim_app::ack::{record, Ack, Method};
use tamim_app::error::Error;
use tamim_app::registry::Registry;
use tamim_core::account::Role;

const ROLES: [Role; 2] = [Role::Dispatcher, Role::Admin];

#[derive(Serialize)]
struct Row {
    code: String,
    name: String,
    role: String,
    channel: String,
    state: String,
    /// The state's Turkish name.
    state_tr: &'static str,
    sent_at: String,
    acknowledged: String,
    reply: String,
    reminders: i64,
    /// Whether a clerk may still record its acknowledgement.
    open: bool,
}

/// The page, with `notice` or `error` from the last action.
async fn show(
    app: &Arc<App>,
    viewer: &Viewer,
    id: i64,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let (cfg, zone) = (app.config.ack.clone(), app.config.office.zone());
    let read = app.read(move |c| {
        let head = tamim_store::receipts::doc_head(c, id)?
            .ok_or_else(|| tamim_core::Error::not_found("document", format!("#{id}")))?;
        let deliveries = tamim_store::deliveries::for_document(c, id)?;
        // Before the first send there are no deliveries yet, and no status to show.
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        let st = match deliveries.is_empty() {
            true => None,
            false => Some(tamim_app::ack::status::status(c, id, &cfg, today)?),
        };
        Ok((head, st, deliveries))
    });
    let (head, st, deliveries) = match read.await {
        Ok(x) => x,
        Err(Error::Domain(tamim_core::Error::NotFound { .. })) => return pages::not_found(),
        Err(e) => {
            tracing::error!(error = %e, "the dağıtım page");
            return pages::internal();
        }
    };
    let rows: Vec<Row> = deliveries
        .into_iter()
        .map(|d| Row {
            open: !matches!(
                d.state,
                tamim_core::state::State::Acknowledged | tamim_core::state::State::Exempt
            ),
            code: d.recipient_code,
            name: d.name,
            role: d.role,
            channel: d.channel.unwrap_or_default(),
            state: d.state.to_string(),
            state_tr: d.state.label_tr(),
            sent_at: d
                .sent_at
                .as_deref()
                .map(tamim_app::ack::time::shown)
                .unwrap_or_default(),
            acknowledged: match (d.acknowledged_at.as_deref(), d.ack_by) {
                (Some(at), Some(by)) => format!("{} · {by}", tamim_app::ack::time::shown(at)),
                (Some(at), None) => tamim_app::ack::time::shown(at),
                _ => String::new(),
            },
            reply: d.last_reply.unwrap_or_default(),
            reminders: d.reminders,
        })
        .collect();
    layout::page(
        app,
        status,
        "dagitim.html",
        viewer,
        context! {
            doc => context! { id => head.id, sayi => head.sayi, tarih => head.tarih, konu => head.konu },
            st => &st,
            rows => rows,
            notice => notice,
            error => error,
        },
    )
}

pub async fn page(State(app): State<Arc<App>>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    if let Err(r) = viewer.require(&ROLES) {
        return r;
    }
    show(&app, &viewer, id, StatusCode::OK, None, None).await
}

/// Check the role and the form's CSRF token, then run `f` on the registry and show the page with its result.
async fn act(
    app: Arc<App>,
    viewer: Viewer,
    id: i64,
    form: &HashMap<String, String>,
    f: impl FnOnce(&mut Registry) -> tamim_app::Result<String> + Send + 'static,
) -> Response {
    if let Err(r) = viewer.require(&ROLES) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(form.get("csrf").map(String::as_str)) {
        return r;
    }
    match app.on_registry(f).await {
        Ok(notice) => show(&app, &viewer, id, StatusCode::OK, Some(notice), None).await,
        Err(e) => {
            let status = match &e {
                Error::Store(_) | Error::Io { .. } | Error::Runtime { .. } | Error::Internal(_) => {
                    tracing::error!(error = %e, "a dağıtım step");
                    return pages::internal();
                }
                Error::Domain(tamim_core::Error::NotFound { .. }) => StatusCode::NOT_FOUND,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let msg = (app.explain)(&e);
            show(&app, &viewer, id, status, None, Some(msg)).await
        }
    }
}

/// `POST /dagitim/{id}/gonder`: send to every recipient not yet sent (`yeniden=1`: the failed too).
pub async fn post_send(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let output = app.output.clone();
    let retry_failed = form.get("yeniden").is_some_and(|v| v == "1");
    act(app, viewer, id, &form, move |reg| {
        let opts = tamim_app::distribution::send::SendOptions {
            retry_failed,
            max_attempts: 3,
            backoff_secs: 1.0,
            ..Default::default()
        };
        let s = tamim_app::distribution::send::send(reg, id, &output, &opts, &mut |_, _| {})?;
        Ok(format!(
            "{} alıcıya gönderildi, {} alıcıya ulaştırılamadı; {} alıcı daha önce gönderilmişti.",
            s.sent, s.failed, s.skipped
        ))
    })
    .await
}

/// `POST /dagitim/{id}/tebellug`: `alici` acknowledged on paper (`kagit`), by phone (`telefon`) or by KEP
/// (`kep`), by `eden`, with the office's `kayit_no` if it gave one — as `tamim ack DOC RECIPIENT` records it.
pub async fn post_ack(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let (recipient, by, kayit_no) = (field("alici"), field("eden"), field("kayit_no"));
    let method = match field("yontem").as_deref() {
        Some("kagit") => Some(Method::Paper),
        Some("telefon") => Some(Method::Phone),
        Some("kep") => Some(Method::Kep),
        _ => None,
    };
    let (Some(recipient), Some(method)) = (recipient, method) else {
        if let Err(r) = viewer.require(&ROLES) {
            return r;
        }
        let msg = "Alıcı ve tebellüğ yöntemi (kâğıt, telefon, KEP) seçilmelidir; hiçbir şey kaydedilmedi.";
        return show(
            &app,
            &viewer,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(msg.into()),
        )
        .await;
    };
    act(app, viewer, id, &form, move |reg| {
        let now = tamim_store::clock::now();
        let doc = format!("#{id}");
        reg.store.write(|tx| {
            let d = record::find_delivery(tx, id, &doc, &recipient)?;
            let req = Ack {
                method,
                by,
                at: now,
                kayit_no,
                evidence: Some("dağıtım ekranı".into()),
            };
            record::acknowledge_by_clerk(tx, &d, req, now, "now")?;
            Ok::<_, Error>(())
        })?;
        Ok(format!("{recipient}: tebellüğ kaydedildi."))
    })
    .await
}
