//! Delegated notification, from the office's own acknowledgement page down to each of its people.
//!
//! Under `/ack/TOKEN` (the office's link), once the office has acknowledged a delivery that carries the staff
//! duty: `personel` sends the pending people their personal links (or reminds them), `personel/liste` takes a
//! roster when the office has none, `personel/tutanak.pdf` prints the tebliğ-tebellüğ sheet and
//! `personel/tarama` takes its signed scan with who signed. `/ack/s/TOKEN` is one person's page: the
//! document, its PDF and "Okudum, anladım" (through the writer thread, like the office's own).
//!
//! Refusals are the office's page with the error in the run's language (`App::explain`): 422 for what the
//! office can fix, 413 for a scan over the limit, 409 before the office has acknowledged, 410 for the link
//! of a person who has left. Nothing is written on any of them.

use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use minijinja::context;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use super::ack_pages::{lookup, office_page, plausible, StaffPart, View};
use super::pages::{download, internal, not_found, page};
use super::writer::{StaffJob, Work};
use super::App;
use tamim_app::error::Error;
use tamim_app::registry::Registry;
use tamim_app::roster::delegate::{self, DelegateError, LinkOutcome, LinkView, Whom};
use tamim_app::roster::staff_ack::{StaffAckError, MAX_SCAN_BYTES};
use tamim_core::state::State as DeliveryState;
use tamim_store::receipts::{self, DocHead};

/// The largest request `personel/tarama` reads: the scan's limit and room for the form around it. A larger
/// body is refused with 413 before it is read.
pub const MAX_UPLOAD: usize = MAX_SCAN_BYTES as usize + 1024 * 1024;

/// The office's link, acknowledged: the view, or the response that ends the request.
async fn acknowledged(app: &Arc<App>, tok: &str) -> Result<View, Response> {
    let v = match lookup(app, tok.to_string()).await? {
        Some(v) => v,
        None => return Err(not_found()),
    };
    if v.delivery.state != DeliveryState::Acknowledged {
        let staff = StaffPart {
            error: Some("Personele duyurmadan önce belgeyi kurum adına tebellüğ edin.".into()),
            ..StaffPart::default()
        };
        return Err(office_page(app, &v, tok, StatusCode::CONFLICT, false, staff).await);
    }
    Ok(v)
}

/// The status a refused step answers with.
fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::StaffAck(x) if matches!(**x, StaffAckError::ScanTooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Delegate(x) if matches!(**x, DelegateError::Left { .. }) => StatusCode::GONE,
        Error::Delegate(_)
        | Error::StaffAck(_)
        | Error::Table(_)
        | Error::Pdf(_)
        | Error::File { .. }
        | Error::Csv { .. }
        | Error::Domain(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Run `f` on the registry ([`App::on_registry`]), then show the office's page
/// with what it did or why it was refused.
async fn on_registry(
    app: &Arc<App>,
    v: &View,
    tok: &str,
    f: impl FnOnce(&mut Registry) -> tamim_app::Result<String> + Send + 'static,
) -> Response {
    let (status, staff) = match app.on_registry(f).await {
        Ok(notice) => (
            StatusCode::OK,
            StaffPart {
                notice: Some(notice),
                ..StaffPart::default()
            },
        ),
        Err(e) => {
            let status = status_of(&e);
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                tracing::error!(error = %e, "an office's staff step");
                return internal();
            }
            (
                status,
                StaffPart {
                    error: Some((app.explain)(&e)),
                    ..StaffPart::default()
                },
            )
        }
    };
    office_page(app, v, tok, status, false, staff).await
}

/// `POST /ack/TOKEN/personel`: `action=gonder` sends each pending person who has not had one their personal
/// link; `action=hatirlat` sends it again to those who had one and have not acknowledged.
pub async fn post_links(
    State(app): State<Arc<App>>,
    Path(tok): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = match acknowledged(&app, &tok).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let whom = match form.get("action").map(String::as_str) {
        Some("gonder") => Whom::NotYetSent,
        Some("hatirlat") => Whom::Remind,
        _ => {
            let staff = StaffPart {
                error: Some(
                    "İşlem anlaşılamadı: \"Bağlantıları gönder\" ya da \"Hatırlat\" düğmesini kullanın.".into(),
                ),
                ..StaffPart::default()
            };
            return office_page(&app, &v, &tok, StatusCode::BAD_REQUEST, false, staff).await;
        }
    };
    let (id, output) = (v.delivery.id, app.output.clone());
    on_registry(&app, &v, &tok, move |reg| {
        let r = delegate::send_links(reg, id, whom, &output)?;
        let mut notice = match (whom, r.sent) {
            (_, 0) => "Gönderilecek kimse yoktu.".to_string(),
            (Whom::NotYetSent, n) => format!("{n} kişiye kişisel bağlantısı gönderildi."),
            (Whom::Remind, n) => format!("{n} kişiye hatırlatma gönderildi."),
        };
        if !r.no_address.is_empty() {
            notice.push_str(&format!(
                " E-posta adresi olmayanlar (tutanakla duyurun): {}.",
                r.no_address.join(", ")
            ));
        }
        if !r.failed.is_empty() {
            let failed: Vec<String> = r.failed.iter().map(|(n, why)| format!("{n} ({why})")).collect();
            notice.push_str(&format!(" Gönderilemeyenler: {}.", failed.join(", ")));
        }
        Ok(notice)
    })
    .await
}

/// One uploaded file: its name as the office gave it (for messages) and its bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

/// The form's files by field name and its other fields (a field given twice keeps each value, in order).
struct Fields {
    files: HashMap<String, Upload>,
    values: Vec<(String, String)>,
}

/// Read a multipart form; a body over the limit is 413, anything else malformed 400.
async fn fields(mut m: Multipart) -> Result<Fields, StatusCode> {
    let mut out = Fields {
        files: HashMap::new(),
        values: Vec::new(),
    };
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(out),
            Err(e) => return Err(e.status()),
        };
        let key = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(name) => {
                let bytes = field.bytes().await.map_err(|e| e.status())?;
                out.files.insert(
                    key,
                    Upload {
                        name,
                        bytes: bytes.to_vec(),
                    },
                );
            }
            None => {
                let text = field.text().await.map_err(|e| e.status())?;
                out.values.push((key, text));
            }
        }
    }
}

/// The upload written to a private temporary directory under its own name (its last path component, so an
/// error names the file the office chose), for the readers that take a path.
fn to_temp(u: &Upload) -> tamim_app::Result<(tempfile::TempDir, std::path::PathBuf)> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let name = std::path::Path::new(&u.name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .unwrap_or("yuklenen");
    let path = dir.path().join(name);
    std::fs::write(&path, &u.bytes).map_err(|e| Error::io(&path, e))?;
    Ok((dir, path))
}

/// A refusal before the registry is touched: the office's page with `msg`.
async fn refuse(app: &Arc<App>, v: &View, tok: &str, status: StatusCode, msg: &str) -> Response {
    let staff = StaffPart {
        error: Some(msg.to_string()),
        ..StaffPart::default()
    };
    office_page(app, v, tok, status, false, staff).await
}

/// `POST /ack/TOKEN/personel/liste` (multipart, `liste`): the office's roster from a CSV or .xlsx, read and
/// checked as `tamim roster import` reads it; a bad row is named and nothing is imported.
pub async fn post_roster(State(app): State<Arc<App>>, Path(tok): Path<String>, m: Multipart) -> Response {
    let v = match acknowledged(&app, &tok).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut f = match fields(m).await {
        Ok(f) => f,
        Err(status) => return refuse(&app, &v, &tok, status, "Form okunamadı.").await,
    };
    let Some(file) = f.files.remove("liste").filter(|u| !u.bytes.is_empty()) else {
        return refuse(
            &app,
            &v,
            &tok,
            StatusCode::UNPROCESSABLE_ENTITY,
            "liste: bir personel listesi dosyası (CSV ya da .xlsx) seçin.",
        )
        .await;
    };
    let (id, zone) = (v.delivery.id, app.config.office.zone());
    on_registry(&app, &v, &tok, move |reg| {
        let (_dir, path) = to_temp(&file)?;
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        let r = delegate::import_roster(reg, id, &path, today)?;
        Ok(format!(
            "Personel listesi yüklendi: {} satır, {} kişi eklendi, {} kişi güncellendi.",
            r.rows, r.added, r.updated
        ))
    })
    .await
}

/// `GET /ack/TOKEN/personel/tutanak.pdf`: the tebliğ-tebellüğ sheet of the office's roster, to print and sign.
pub async fn get_sheet(State(app): State<Arc<App>>, Path(tok): Path<String>) -> Response {
    let v = match acknowledged(&app, &tok).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (doc, office) = (v.delivery.document_id, v.delivery.recipient_code.clone());
    match app
        .read(move |c| tamim_app::roster::signoff::render(c, doc, &office))
        .await
    {
        Ok(pdf) => download("application/pdf", format!("tutanak-{}.pdf", v.delivery.id), pdf),
        Err(e) if status_of(&e) != StatusCode::INTERNAL_SERVER_ERROR => {
            let msg = (app.explain)(&e);
            refuse(&app, &v, &tok, status_of(&e), &msg).await
        }
        Err(e) => {
            tracing::error!(error = %e, "the tebliğ-tebellüğ sheet");
            internal()
        }
    }
}

/// `POST /ack/TOKEN/personel/tarama` (multipart, `tarama` and one `sicil` per person who signed): the signed
/// sheet, stored by its SHA-256 and recorded for each person ticked, as `tamim ack sheet` does.
pub async fn post_scan(State(app): State<Arc<App>>, Path(tok): Path<String>, m: Multipart) -> Response {
    let v = match acknowledged(&app, &tok).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut f = match fields(m).await {
        Ok(f) => f,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => {
            let msg = format!("tarama: dosya {} MB sınırını aşıyor.", MAX_SCAN_BYTES / (1024 * 1024));
            return refuse(&app, &v, &tok, StatusCode::PAYLOAD_TOO_LARGE, &msg).await;
        }
        Err(status) => return refuse(&app, &v, &tok, status, "Form okunamadı.").await,
    };
    let Some(scan) = f.files.remove("tarama").filter(|u| !u.bytes.is_empty()) else {
        return refuse(
            &app,
            &v,
            &tok,
            StatusCode::UNPROCESSABLE_ENTITY,
            "tarama: imzalı tutanağın taramasını (PDF) seçin.",
        )
        .await;
    };
    let signed: Vec<String> = f
        .values
        .into_iter()
        .filter(|(k, _)| k == "sicil")
        .map(|(_, s)| s)
        .collect();
    let (doc, office) = (v.delivery.document_id, v.delivery.recipient_code.clone());
    on_registry(&app, &v, &tok, move |reg| {
        let (_dir, path) = to_temp(&scan)?;
        let r = tamim_app::roster::staff_ack::sheet(reg, &format!("#{doc}"), &office, &path, &signed)?;
        Ok(format!(
            "İmzalı tutanak kaydedildi: {} kişinin tebellüğü işlendi.",
            r.recorded
        ))
    })
    .await
}

/// A personal link and the document it is about.
struct PersonView {
    link: LinkView,
    head: DocHead,
}

async fn person(app: &Arc<App>, tok: String) -> Result<PersonView, Response> {
    if !plausible(&tok) {
        return Err(not_found());
    }
    let secret = app.secret.clone();
    let r = app
        .read(move |c| {
            let Some(link) = delegate::lookup(c, &secret, &tok)? else {
                return Ok(None);
            };
            Ok(receipts::doc_head(c, link.document_id)?.map(|head| PersonView { link, head }))
        })
        .await;
    match r {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(not_found()),
        Err(e) => {
            tracing::error!(error = %e, "a staff link's lookup");
            Err(internal())
        }
    }
}

fn person_page(p: &PersonView, tok: &str, status: StatusCode, just_now: bool, refused: Option<&str>) -> Response {
    let (l, h) = (&p.link, &p.head);
    page(
        status,
        "staff_ack.html",
        context! {
            doc => context! {
                issuer => h.issuer.clone().unwrap_or_default(),
                sayi => h.sayi.clone().unwrap_or_else(|| format!("#{}", h.id)),
                kind_no => h.kind_no.clone(),
                tarih => h.tarih.clone(),
                konu => h.konu.clone(),
            },
            office => l.recipient_name.clone(),
            name => l.name.clone(),
            sicil => l.sicil.clone(),
            has_pdf => h.file.is_some(),
            token => tok,
            state => l.state.clone(),
            at => l.at.as_deref().map(tamim_app::ack::time::shown),
            just_now => just_now,
            refused => refused,
        },
    )
}

/// `GET /ack/s/TOKEN`: the person's page.
pub async fn get_person(State(app): State<Arc<App>>, Path(tok): Path<String>) -> Response {
    match person(&app, tok.clone()).await {
        Ok(p) => person_page(&p, &tok, StatusCode::OK, false, None),
        Err(r) => r,
    }
}

/// `POST /ack/s/TOKEN`: "Okudum, anladım" — recorded once, durably, before the page says so.
pub async fn post_person(
    State(app): State<Arc<App>>,
    Path(tok): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    let mut p = match person(&app, tok.clone()).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let today = chrono::Utc::now()
        .with_timezone(&app.config.office.zone())
        .format("%Y-%m-%d")
        .to_string();
    let (reply, rx) = tokio::sync::oneshot::channel();
    let job = StaffJob {
        link: p.link.clone(),
        ip: peer.ip().to_string(),
        today,
        reply,
    };
    if app.writer.send(Work::Staff(job)).await.is_err() {
        return internal();
    }
    match rx.await {
        Ok(Ok(LinkOutcome::Recorded { at })) => {
            p.link.state = Some("acknowledged".into());
            p.link.at = Some(at);
            person_page(&p, &tok, StatusCode::OK, true, None)
        }
        Ok(Ok(LinkOutcome::Already)) => person_page(&p, &tok, StatusCode::OK, false, None),
        Ok(Err(e)) if status_of(&e) == StatusCode::GONE => {
            let msg = (app.explain)(&e);
            person_page(&p, &tok, StatusCode::GONE, false, Some(&msg))
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "a staff acknowledgement");
            internal()
        }
        Err(_) => internal(),
    }
}

/// `GET /ack/s/TOKEN/pdf`: the document, for the person to read.
pub async fn get_person_pdf(State(app): State<Arc<App>>, Path(tok): Path<String>) -> Response {
    let p = match person(&app, tok).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(sha) = p.head.file.clone() else {
        return not_found();
    };
    super::pages::stored_pdf(&app, &sha, p.head.id).await
}
