//! `/taslak`: drafts held in the registry and their approval chain (hazırlayan → paraf … → imza). The list
//! of my drafts and of what awaits me; `/taslak/yeni` (empty, or `?kaynak=ID` pre-filled as `draft forward`
//! writes it); `/taslak/{id}` (the draft, its history, an edit form for its author, the buttons of the
//! current user's step); `POST /taslak/{id}/{gonder|parafla|iade|imzala}`; `/taslak/{id}/onizleme.pdf`
//! (marked TASLAK). Every rule is `tamim_app::approval`'s (the signing step issues through
//! `issue::issue_source`, the CLI's code); here only forms, pages and the Turkish status of a refusal.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::session::Viewer;
use super::{layout, pages, App};
use tamim_app::accounts::{Role, User};
use tamim_app::approval::{self, form::DraftForm, Action, ApprovalError, State as DraftState};

/// Who reaches the drafts at all (a denetçi reads them; the extractor refuses it every POST).
const READERS: [Role; 5] = [Role::Drafter, Role::Reviewer, Role::Signer, Role::Auditor, Role::Admin];

/// A posted draft form: the fields, the session's CSRF token, the form's one-time key.
#[derive(Deserialize)]
pub struct Posted {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    surum: Option<String>,
    #[serde(flatten)]
    form: DraftForm,
}

/// A posted step: the CSRF token, the version the page showed, a return's note.
#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    surum: Option<String>,
    #[serde(default)]
    not: Option<String>,
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    kaynak: Option<String>,
    #[serde(default)]
    sablon: Option<String>,
}

/// A refusal's status and its Turkish sentence.
fn tell(e: &tamim_app::Error) -> (StatusCode, String) {
    use ApprovalError as A;
    match e {
        tamim_app::Error::Approval(a) => {
            let status = match a {
                A::NotFound { .. } => StatusCode::NOT_FOUND,
                A::NoRole { .. } | A::NotAuthor { .. } | A::NotYourTurn { .. } => StatusCode::FORBIDDEN,
                A::WrongState { .. } | A::Stale { .. } | A::NonceUsed => StatusCode::CONFLICT,
                A::Field { .. } => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (status, a.message_tr())
        }
        tamim_app::Error::Domain(tamim_core::Error::Invalid { field, problem }) => (
            StatusCode::BAD_REQUEST,
            format!("{field}: taslak geçersiz ({problem}). Hiçbir şey kaydedilmedi."),
        ),
        other => {
            tracing::error!(error = %other, "a draft's step");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Beklenmeyen bir hata oluştu; hiçbir şey kaydedilmedi.".into(),
            )
        }
    }
}

fn version(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|v| v.trim().parse().ok())
}

#[derive(Serialize)]
struct ListRow {
    id: i64,
    konu: String,
    author: String,
    state: &'static str,
    awaiting: Option<String>,
    mine: bool,
    my_turn: bool,
    updated: String,
}

pub async fn list(State(app): State<Arc<App>>, viewer: Viewer) -> Response {
    if let Err(r) = viewer.require(&READERS) {
        return r;
    }
    let me = viewer.user.username.clone();
    let rows = match app.read(move |c| approval::list_for(c, &me)).await {
        Ok(r) => r,
        Err(e) => return error_page(&viewer, &e, "/"),
    };
    let me = &viewer.user.username;
    let rows: Vec<ListRow> = rows
        .into_iter()
        .map(|r| ListRow {
            mine: &r.author == me,
            my_turn: r.awaiting.as_deref() == Some(me.as_str()),
            state: DraftState::parse(&r.state).map_or("?", |s| s.label_tr()),
            id: r.id,
            konu: r.konu,
            author: r.author,
            awaiting: r.awaiting,
            updated: r.updated_at.get(..10).unwrap_or_default().to_string(),
        })
        .collect();
    let can_draft = viewer.user.has(Role::Drafter);
    layout::page(
        &app,
        StatusCode::OK,
        "taslak_list.html",
        &viewer,
        context! { rows, can_draft },
    )
}

/// What the form shows beside its fields: the registry's lists and its newest documents to pick from.
#[derive(Serialize)]
struct Helpers {
    lists: Vec<tamim_core::list::ListInfo>,
    docs: Vec<tamim_store::register::Row>,
    templates: Vec<(&'static str, &'static str)>,
    kinds: Vec<&'static str>,
}

async fn helpers(app: &Arc<App>) -> tamim_app::Result<Helpers> {
    app.read(|c| {
        let lists = tamim_store::lists::all(c)?;
        let q = tamim_store::register::Query {
            sayi: None,
            konu: None,
            gonderen: None,
            from: None,
            to: None,
            kind: None,
            offset: 0,
            limit: 30,
        };
        let (_, docs) = tamim_store::register::search(c, &q)?;
        Ok(Helpers {
            lists,
            docs,
            templates: approval::form::TEMPLATES.to_vec(),
            kinds: tamim_core::kind::ALL.iter().map(|k| k.as_str()).collect(),
        })
    })
    .await
}

async fn form_page(
    app: &Arc<App>,
    viewer: &Viewer,
    status: StatusCode,
    f: &DraftForm,
    nonce: &str,
    message: Option<String>,
) -> Response {
    let h = match helpers(app).await {
        Ok(h) => h,
        Err(e) => return error_page(viewer, &e, "/taslak"),
    };
    layout::page(
        app,
        status,
        "taslak_new.html",
        viewer,
        context! { f, nonce, message, h },
    )
}

pub async fn new_form(State(app): State<Arc<App>>, viewer: Viewer, Query(q): Query<NewQuery>) -> Response {
    if let Err(r) = viewer.require(Action::Create.roles()) {
        return r;
    }
    let kaynak = q.kaynak.filter(|k| !k.trim().is_empty()).map(|k| {
        let k = k.trim().to_string();
        if k.chars().all(|c| c.is_ascii_digit()) {
            format!("#{k}")
        } else {
            k
        }
    });
    let template = q
        .sablon
        .unwrap_or_else(|| if kaynak.is_some() { "tamim" } else { "ust-yazi" }.into());
    if !approval::form::TEMPLATES.iter().any(|(t, _)| *t == template) {
        let m =
            format!("şablon: \"{template}\" bilinmiyor; şunlardan biri seçilmeli: tamim, ust-yazi, genelge, karar.");
        return layout::message(
            StatusCode::BAD_REQUEST,
            Some(&viewer),
            "Taslak açılamadı",
            &m,
            "/taslak",
            "Taslaklar",
        );
    }
    let filled = app
        .on_registry(move |reg| approval::form::prefill(reg, kaynak.as_deref(), &template))
        .await;
    match filled {
        Ok((d, chain)) => {
            let f = DraftForm::of_draft(&d, &chain);
            form_page(&app, &viewer, StatusCode::OK, &f, &super::login_pages::token(), None).await
        }
        Err(e) => error_page(&viewer, &e, "/taslak"),
    }
}

pub async fn create(State(app): State<Arc<App>>, viewer: Viewer, Form(p): Form<Posted>) -> Response {
    if let Err(r) = viewer.require(Action::Create.roles()) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(p.csrf.as_deref()) {
        return r;
    }
    let nonce = p.nonce.clone().filter(|n| !n.is_empty() && n.len() <= 64);
    let (user, f) = (viewer.user.clone(), p.form.clone());
    let n2 = nonce.clone();
    let done = app
        .on_registry(move |reg| {
            let d = f.to_draft(Default::default())?;
            approval::create(reg, &user, &d, &f.chain(), n2.as_deref())
        })
        .await;
    match done {
        Ok(row) => Redirect::to(&format!("/taslak/{}", row.id)).into_response(),
        Err(e) => {
            let (status, m) = tell(&e);
            form_page(&app, &viewer, status, &p.form, nonce.as_deref().unwrap_or(""), Some(m)).await
        }
    }
}

#[derive(Serialize)]
struct StepRow {
    action: String,
    username: String,
    note: Option<String>,
    at: String,
}

/// The draft's page, with `message` (a refusal) and the form as posted (`posted`) when an edit failed.
async fn draft_page(
    app: &Arc<App>,
    viewer: &Viewer,
    id: i64,
    status: StatusCode,
    message: Option<String>,
    posted: Option<DraftForm>,
) -> Response {
    let zone = app.config.office.zone();
    let loaded = app
        .read(move |c| {
            let row = approval::get(c, id)?;
            let steps = approval::history(c, id)?;
            let issued = match row.document_id {
                Some(d) => Some(tamim_store::documents::get(c, d)?),
                None => None,
            };
            Ok((row, steps, issued))
        })
        .await;
    let (row, steps, issued) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(viewer, &e, "/taslak"),
    };
    let h = match helpers(app).await {
        Ok(h) => h,
        Err(e) => return error_page(viewer, &e, "/taslak"),
    };
    let me = viewer.user.username.as_str();
    let state = DraftState::parse(&row.state).unwrap_or(DraftState::Draft);
    let author_holds = row.author == me && matches!(state, DraftState::Draft | DraftState::Returned);
    let turn = row.awaiting.as_deref() == Some(me);
    let can = context! {
        edit => author_holds && viewer.user.has(Role::Drafter),
        submit => author_holds && viewer.user.has(Role::Drafter),
        approve => turn && state == DraftState::Review,
        give_back => turn && matches!(state, DraftState::Review | DraftState::Signing),
        sign => turn && state == DraftState::Signing && row.imza == me,
    };
    let f = match posted {
        Some(f) => f,
        None => match approval::form::stored(&row) {
            Ok(d) => DraftForm::of_draft(&d, &approval::form::chain_of(&row)),
            Err(e) => return error_page(viewer, &e, "/taslak"),
        },
    };
    let steps: Vec<StepRow> = steps
        .into_iter()
        .map(|s| StepRow {
            action: Action::label_tr(&s.action).to_string(),
            username: s.username,
            note: s.note,
            at: chrono::DateTime::parse_from_rfc3339(&s.at)
                .map(|t| tamim_core::turkish::format_time(t.to_utc(), zone))
                .unwrap_or(s.at),
        })
        .collect();
    let issued = issued.map(|d| context! { id => d.id, sayi => d.sayi, kind_no => d.kind_no, kind => d.kind.as_str() });
    let chain: Vec<String> = row.paraf.clone();
    let d = context! {
        id => row.id, konu => row.konu, author => row.author, state => state.label_tr(), awaiting => row.awaiting,
        note => row.note, version => row.version, paraf => chain, step => row.step, imza => row.imza,
    };
    layout::page(
        app,
        status,
        "taslak_view.html",
        viewer,
        context! { d, steps, can, f, h, message, issued },
    )
}

fn parse_id(id: &str) -> Option<i64> {
    id.parse::<i64>().ok().filter(|i| *i > 0)
}

pub async fn view(State(app): State<Arc<App>>, viewer: Viewer, Path(id): Path<String>) -> Response {
    if let Err(r) = viewer.require(&READERS) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return pages::not_found();
    };
    draft_page(&app, &viewer, id, StatusCode::OK, None, None).await
}

pub async fn update(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(p): Form<Posted>,
) -> Response {
    if let Err(r) = viewer.require(Action::Update.roles()) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(p.csrf.as_deref()) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return pages::not_found();
    };
    let Some(v) = version(&p.surum) else {
        return bad_version(&viewer, id);
    };
    let (user, f) = (viewer.user.clone(), p.form.clone());
    let done = app
        .on_registry(move |reg| {
            let base = approval::form::stored(&approval::get(&reg.store.conn, id)?)?;
            let d = f.to_draft(base)?;
            approval::update(reg, &user, id, v, &d, &f.chain())
        })
        .await;
    match done {
        Ok(_) => Redirect::to(&format!("/taslak/{id}")).into_response(),
        Err(e) => {
            let (status, m) = tell(&e);
            draft_page(&app, &viewer, id, status, Some(m), Some(p.form)).await
        }
    }
}

/// `POST /taslak/{id}/{gonder|parafla|iade|imzala}`.
pub async fn step(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path((id, adim)): Path<(String, String)>,
    Form(p): Form<StepForm>,
) -> Response {
    let action = match adim.as_str() {
        "gonder" => Action::Submit,
        "parafla" => Action::Approve,
        "iade" => Action::Return,
        "imzala" => Action::Sign,
        _ => return pages::not_found(),
    };
    if let Err(r) = viewer.require(action.roles()) {
        return r;
    }
    if let Err(r) = viewer.check_csrf(p.csrf.as_deref()) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return pages::not_found();
    };
    let Some(v) = version(&p.surum) else {
        return bad_version(&viewer, id);
    };
    let user: User = viewer.user.clone();
    let note = p.not.unwrap_or_default();
    let output = app.home.join("output");
    let done = app
        .on_registry(move |reg| match action {
            Action::Submit => approval::submit(reg, &user, id, v),
            Action::Approve => approval::approve(reg, &user, id, v),
            Action::Return => approval::return_to_drafter(reg, &user, id, v, &note),
            _ => approval::sign(reg, &user, id, v, &output),
        })
        .await;
    match done {
        Ok(_) => Redirect::to(&format!("/taslak/{id}")).into_response(),
        Err(e) => {
            let (status, m) = tell(&e);
            if status == StatusCode::NOT_FOUND || status == StatusCode::INTERNAL_SERVER_ERROR {
                return error_page(&viewer, &e, "/taslak");
            }
            draft_page(&app, &viewer, id, status, Some(m), None).await
        }
    }
}

pub async fn preview(State(app): State<Arc<App>>, viewer: Viewer, Path(id): Path<String>) -> Response {
    if let Err(r) = viewer.require(&READERS) {
        return r;
    }
    let Some(id) = parse_id(&id) else {
        return pages::not_found();
    };
    match app.on_registry(move |reg| approval::preview(reg, id)).await {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"taslak-{id}.pdf\""),
                ),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => error_page(&viewer, &e, &format!("/taslak/{id}")),
    }
}

fn bad_version(viewer: &Viewer, id: i64) -> Response {
    layout::message(
        StatusCode::BAD_REQUEST,
        Some(viewer),
        "Form eksik",
        "surum: Formda taslağın sürümü yok; hiçbir şey kaydedilmedi. Taslağı yeniden açıp tekrar deneyin.",
        &format!("/taslak/{id}"),
        "Taslağa dön",
    )
}

fn error_page(viewer: &Viewer, e: &tamim_app::Error, back: &str) -> Response {
    let (status, m) = tell(e);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        return pages::internal();
    }
    layout::message(status, Some(viewer), "İşlem yapılamadı", &m, back, "Geri dön")
}
