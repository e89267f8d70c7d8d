//! `/evrak`: the evrak kayıt defteri — every document, newest first, 50 a page, searchable by sayı, konu
//! (full text, Turkish-folded: "İSTANBUL" finds "istanbul"), gönderen, a date range and a kind — and
//! `/evrak/{id}`: one document's fields, files, its chain up and down (discrepancies marked) and its events.
//! Every role reads them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::session::Viewer;
use super::{layout, pages, App};
use tamim_app::accounts::Role;
use tamim_app::registry::chain;
use tamim_store::{documents, events, register};

pub const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    sayi: String,
    #[serde(default)]
    konu: String,
    #[serde(default)]
    gonderen: String,
    #[serde(default)]
    baslangic: String,
    #[serde(default)]
    bitis: String,
    #[serde(default)]
    tur: String,
    #[serde(default)]
    sayfa: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date(s: &str) -> Result<Option<String>, String> {
    match some(s) {
        None => Ok(None),
        Some(d) => match tamim_core::turkish::parse_date(&d) {
            Ok(day) => Ok(Some(day.format("%Y-%m-%d").to_string())),
            Err(_) => Err(format!("Tarih anlaşılamadı: \"{d}\" (örnek: 05.11.2021)")),
        },
    }
}

#[derive(Serialize)]
struct KindOption {
    value: &'static str,
    selected: bool,
}

/// The query string of a search, for the pager's links.
fn link(s: &Search, page: i64) -> String {
    let enc = super::login_pages::form_escape;
    format!(
        "/evrak?sayi={}&konu={}&gonderen={}&baslangic={}&bitis={}&tur={}&sayfa={page}",
        enc(&s.sayi),
        enc(&s.konu),
        enc(&s.gonderen),
        enc(&s.baslangic),
        enc(&s.bitis),
        enc(&s.tur)
    )
}

pub async fn register_page(State(app): State<Arc<App>>, viewer: Viewer, Query(s): Query<Search>) -> Response {
    if let Err(r) = viewer.require(&Role::ALL) {
        return r;
    }
    let page = s.sayfa.unwrap_or(1).clamp(1, 1_000_000);
    let kinds: Vec<KindOption> = tamim_core::kind::ALL
        .into_iter()
        .map(|k| KindOption {
            value: k.as_str(),
            selected: tamim_core::DocumentKind::parse(&s.tur) == Some(k),
        })
        .collect();
    let (from, to) = match (date(&s.baslangic), date(&s.bitis)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(m), _) | (_, Err(m)) => {
            return layout::page(
                &app,
                StatusCode::BAD_REQUEST,
                "evrak.html",
                &viewer,
                context! { message => m, rows => Vec::<register::Row>::new(), total => 0, kinds, s => form_values(&s) },
            )
        }
    };
    let q = register::Query {
        sayi: some(&s.sayi),
        konu: some(&s.konu),
        gonderen: some(&s.gonderen),
        from,
        to,
        kind: tamim_core::DocumentKind::parse(&s.tur).map(|k| k.as_str().to_string()),
        offset: (page - 1) * PAGE,
        limit: PAGE,
    };
    let started = std::time::Instant::now();
    let Ok((total, rows)) = app.read(move |c| Ok(register::search(c, &q)?)).await else {
        return pages::internal();
    };
    tracing::debug!(
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        total,
        "register search"
    );
    let pages_n = (total + PAGE - 1) / PAGE;
    let prev = (page > 1).then(|| link(&s, page - 1));
    let next = (page < pages_n).then(|| link(&s, page + 1));
    layout::page(
        &app,
        StatusCode::OK,
        "evrak.html",
        &viewer,
        context! { rows, total, page, pages => pages_n.max(1), prev, next, kinds, s => form_values(&s) },
    )
}

fn form_values(s: &Search) -> minijinja::Value {
    context! { sayi => s.sayi, konu => s.konu, gonderen => s.gonderen, baslangic => s.baslangic, bitis => s.bitis }
}

#[derive(Serialize)]
struct EventRow {
    seq: i64,
    at: String,
    kind: String,
    detail: String,
}

/// What an event of a document's is, in Turkish (an unknown kind shows as stored).
fn event_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "document.received" => "kayda alındı",
        "document.issued" => "çıkarıldı",
        "draft.signed" => "onay akışında imzalandı",
        "document.distribution-frozen" => "dağıtım listesi donduruldu",
        "delivery.sent" => "gönderildi",
        "delivery.failed" => "gönderilemedi",
        "delivery.deferred" => "ertelendi",
        "delivery.requeued" => "yeniden kuyruğa alındı",
        "delivery.no-address" => "adres yok",
        "delivery.received" => "teslim alındı",
        "delivery.acknowledged" => "tebellüğ edildi",
        "delivery.exempt" => "muaf tutuldu",
        "delivery.reminded" => "hatırlatıldı",
        "delivery.followon-reported" => "ilgili yazı bildirildi",
        "reminder.sent" => "hatırlatma gönderildi",
        "reminder.failed" => "hatırlatma gönderilemedi",
        _ => return None,
    })
}

pub async fn document_page(State(app): State<Arc<App>>, viewer: Viewer, Path(id): Path<String>) -> Response {
    if let Err(r) = viewer.require(&Role::ALL) {
        return r;
    }
    let Ok(id) = id.parse::<i64>() else {
        return pages::not_found();
    };
    let zone = app.config.office.zone();
    let loaded = app
        .read(move |c| {
            if !documents::exists(c, id)? {
                return Ok(None);
            }
            let d = documents::get(c, id)?;
            let ch = chain::chain(c, id)?;
            let evs = events::for_document(c, id)?;
            Ok(Some((d, ch, evs)))
        })
        .await;
    let (d, ch, evs) = match loaded {
        Ok(Some(x)) => x,
        Ok(None) => return pages::not_found(),
        Err(e) => {
            tracing::error!(error = %e, "document page");
            return pages::internal();
        }
    };
    let events: Vec<EventRow> = evs
        .into_iter()
        .map(|e| EventRow {
            seq: e.seq,
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| tamim_core::turkish::format_time(t.to_utc(), zone))
                .unwrap_or(e.at),
            kind: event_label(&e.kind).map_or(e.kind.clone(), str::to_string),
            detail: e.detail,
        })
        .collect();
    let nodes = super::audit_pages::tree(&ch);
    let doc = context! {
        id => d.id,
        direction => if d.direction == "incoming" { "gelen" } else { "giden" },
        kind => d.kind.as_str(),
        sayi => d.sayi,
        kind_no => d.kind_no,
        tarih => d.tarih.format("%Y-%m-%d").to_string(),
        konu => d.konu,
        muhatap => d.muhatap,
        gonderen => d.issuer.or(d.from),
        kayit => d.kayit_no.map(|n| format!("{n}/{}", d.kayit_year.unwrap_or_default())),
        state => match d.state.as_str() {
            "registered" => "kayıtlı",
            "issued" => "çıkarıldı",
            other => other,
        },
        pages => d.pages,
        file => d.file,
        stamped => d.stamped_file,
        deadline => d.deadline,
        verification => d.verification,
    };
    layout::page(
        &app,
        StatusCode::OK,
        "evrak_doc.html",
        &viewer,
        context! { d => doc, nodes, discrepancies => &ch.discrepancies, events },
    )
}
