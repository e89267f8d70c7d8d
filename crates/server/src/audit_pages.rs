//! `/audit…`: the auditor's read-only pages, for a denetçi (or yönetici) logged in, or — only when office.toml
//! sets `[audit] token` — for a read-only link with that token (header `X-Audit-Token`,
//! `Authorization: Bearer`, or `?token=`): documents, one document's coverage with inline SVG charts, the
//! late list, the chain as a tree; each view also as `.csv` and `.json`. Without either: the login page.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::pages::{download, internal, not_found, page};
use super::session::{self, Viewer};
use super::{layout, App};
use axum::response::{IntoResponse, Redirect};
use tamim_app::accounts::Role;
use tamim_app::ack::status;
use tamim_app::audit::{self, chart};
use tamim_app::distribution::token::constant_time_eq;
use tamim_app::registry::chain;
use tamim_store::receipts;

pub(crate) type Params = Query<HashMap<String, String>>;

/// Who may read: a denetçi or yönetici logged in, or (when office.toml sets `[audit] token`) the token of a
/// read-only link. `Ok((query suffix to carry on links, the viewer))`; otherwise the login page (no session)
/// or a Turkish 403 (a session without the role).
pub(crate) async fn authorised(
    app: &Arc<App>,
    headers: &HeaderMap,
    q: &HashMap<String, String>,
) -> Result<(String, Option<Viewer>), Response> {
    if let Some(qs) = by_token(app, headers, q) {
        return Ok((qs, None));
    }
    match session::of_headers(app, headers).await {
        Some(v) => {
            v.require(&[Role::Auditor, Role::Admin])?;
            Ok((String::new(), Some(v)))
        }
        None => Err(Redirect::to("/giris?sonra=/audit").into_response()),
    }
}

/// A page of the auditor's, with the top bar when a user is logged in.
pub(crate) fn render(app: &App, viewer: &Option<Viewer>, name: &str, ctx: minijinja::Value) -> Response {
    match viewer {
        Some(v) => layout::page(app, StatusCode::OK, name, v, ctx),
        None => page(StatusCode::OK, name, ctx),
    }
}

/// The token presented, if it is the configured one; `Some(query suffix)` to carry on links.
fn by_token(app: &App, headers: &HeaderMap, q: &HashMap<String, String>) -> Option<String> {
    let want = app.config.audit.token.as_deref().filter(|t| !t.is_empty())?;
    let given = headers
        .get("x-audit-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string)
        })
        .or_else(|| q.get("token").cloned())?;
    if !constant_time_eq(&given, want) {
        return None;
    }
    Some(if q.contains_key("token") {
        format!("?token={}", form_escape(&given))
    } else {
        String::new()
    })
}

fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Today on the office's clock (office.toml `time_zone`).
fn today(zone: chrono_tz::Tz) -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&zone).date_naive()
}

pub(crate) fn json<T: Serialize>(v: &T, name: String) -> Response {
    match serde_json::to_vec_pretty(v) {
        Ok(b) => download("application/json", name, b),
        Err(_) => internal(),
    }
}

pub(crate) fn csv_of(header: &[&str], rows: Vec<Vec<String>>, name: String) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = audit::csv_record(&mut w, header);
    for r in rows {
        let _ = audit::csv_record(&mut w, r);
    }
    match w.into_inner() {
        Ok(b) => download("text/csv; charset=utf-8", name, b),
        Err(_) => internal(),
    }
}

#[derive(Serialize)]
struct DocRow {
    id: i64,
    sayi: String,
    tarih: String,
    konu: String,
    recipients: i64,
    acknowledged: i64,
    percent: f64,
}

async fn documents(app: &Arc<App>) -> crate::Result<Vec<DocRow>> {
    app.read(|c| {
        let mut out = Vec::new();
        for (id, n, a) in receipts::documents_with_deliveries(c)? {
            if let Some(h) = receipts::doc_head(c, id)? {
                out.push(DocRow {
                    id,
                    sayi: h.sayi.unwrap_or_default(),
                    tarih: h.tarih,
                    konu: h.konu,
                    recipients: n,
                    acknowledged: a,
                    percent: status::percent(a, n),
                });
            }
        }
        Ok(out)
    })
    .await
}

pub async fn index(State(app): State<Arc<App>>, headers: HeaderMap, Query(q): Params) -> Response {
    let (qs, viewer) = match authorised(&app, &headers, &q).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match documents(&app).await {
        Ok(docs) => render(
            &app,
            &viewer,
            "audit_index.html",
            context! { documents => docs, q => qs },
        ),
        Err(_) => internal(),
    }
}

pub async fn index_file(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Params,
    Path(file): Path<String>,
) -> Response {
    if let Err(r) = authorised(&app, &headers, &q).await {
        return r;
    }
    let Ok(docs) = documents(&app).await else {
        return internal();
    };
    match file.as_str() {
        "documents.json" => json(&docs, file),
        "documents.csv" => csv_of(
            &["id", "sayi", "tarih", "konu", "recipients", "acknowledged", "percent"],
            docs.iter()
                .map(|d| {
                    vec![
                        d.id.to_string(),
                        d.sayi.clone(),
                        d.tarih.clone(),
                        d.konu.clone(),
                        d.recipients.to_string(),
                        d.acknowledged.to_string(),
                        d.percent.to_string(),
                    ]
                })
                .collect(),
            file,
        ),
        _ => not_found(),
    }
}

/// `/audit/doc/12`, `/audit/doc/12.csv`, `/audit/doc/12.json`.
pub async fn document(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Params,
    Path(id): Path<String>,
) -> Response {
    let (qs, viewer) = match authorised(&app, &headers, &q).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (num, ext) = id
        .split_once('.')
        .map(|(a, b)| (a.to_string(), Some(b.to_string())))
        .unwrap_or((id.clone(), None));
    let Ok(doc) = num.parse::<i64>() else {
        return not_found();
    };
    let (cfg, zone) = (app.config.ack.clone(), app.config.office.zone());
    let (s, below) = match app
        .read(move |c| {
            let s = audit::Audit::begin(c, doc, &cfg, today(zone))?
                .in_zone(zone)
                .summary()?;
            // What the offices below reported back (`POST /rapor`).
            let below = tamim_app::report::upper::of_document(c, doc)?;
            Ok((s, below))
        })
        .await
    {
        Ok(x) => x,
        Err(_) => return not_found(),
    };
    match ext.as_deref() {
        None => render(
            &app,
            &viewer,
            "audit_doc.html",
            context! { s => &s, q => qs, reports => tamim_app::report::upper::views(&below, zone), chart_time => crate::chart::layout(&chart::over_time(&s)), chart_level => crate::chart::layout(&chart::per_level(&s)) },
        ),
        Some("json") => json(&s, format!("audit-{doc}.json")),
        Some("csv") => csv_of(
            &[
                "code",
                "name",
                "recipients",
                "acknowledged",
                "failed",
                "exempt",
                "open",
                "percent",
            ],
            s.offices
                .iter()
                .map(|o| {
                    vec![
                        o.code.clone(),
                        o.name.clone(),
                        o.recipients.to_string(),
                        o.acknowledged.to_string(),
                        o.failed.to_string(),
                        o.exempt.to_string(),
                        o.open.to_string(),
                        o.percent.to_string(),
                    ]
                })
                .collect(),
            format!("audit-{doc}.csv"),
        ),
        _ => not_found(),
    }
}

#[derive(Serialize)]
pub(crate) struct Node {
    id: i64,
    depth: usize,
    kind: String,
    sayi: String,
    tarih: String,
    issuer: String,
    konu: String,
    relation: Option<String>,
    focus: bool,
    discrepancy: bool,
    repeat: bool,
}

/// The chain flattened into rows with a depth, roots first, children under their parent.
pub(crate) fn tree(c: &chain::Chain) -> Vec<Node> {
    let by_id: BTreeMap<i64, &chain::ChainDoc> = c.documents.iter().map(|d| (d.id, d)).collect();
    let mut children: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    let mut has_parent = BTreeSet::new();
    for l in &c.links {
        has_parent.insert(l.from);
        children.entry(l.to).or_default().push((l.from, l.relation.clone()));
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(i64, usize, Option<String>)> = c
        .documents
        .iter()
        .filter(|d| !has_parent.contains(&d.id))
        .map(|d| (d.id, 0, None))
        .rev()
        .collect();
    while let Some((id, depth, rel)) = stack.pop() {
        let Some(d) = by_id.get(&id) else { continue };
        let repeat = !seen.insert(id);
        out.push(Node {
            id,
            depth,
            kind: d.kind.to_string(),
            sayi: d.sayi.clone().unwrap_or_default(),
            tarih: d.tarih.clone(),
            issuer: d.issuer.clone(),
            konu: d.konu.clone(),
            relation: rel,
            focus: id == c.focus,
            discrepancy: c.discrepancies.iter().any(|x| x.document == id),
            repeat,
        });
        if !repeat {
            for (k, r) in children.get(&id).into_iter().flatten().rev() {
                stack.push((*k, depth + 1, Some(r.clone())));
            }
        }
    }
    out
}

/// `/audit/doc/12/late[.csv|.json]`, `/audit/doc/12/chain[.csv|.json]`, `/audit/doc/12/personel[.csv|.json]`.
pub async fn document_view(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Params,
    Path((id, view)): Path<(i64, String)>,
) -> Response {
    let (qs, viewer) = match authorised(&app, &headers, &q).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (name, ext) = view
        .split_once('.')
        .map(|(a, b)| (a.to_string(), Some(b.to_string())))
        .unwrap_or((view.clone(), None));
    match name.as_str() {
        "late" => {
            let (cfg, zone) = (app.config.ack.clone(), app.config.office.zone());
            let Ok(st) = app.read(move |c| status::status(c, id, &cfg, today(zone))).await else {
                return not_found();
            };
            match ext.as_deref() {
                None => render(&app, &viewer, "audit_late.html", context! { st => &st, q => qs }),
                Some("json") => json(&st.late, format!("late-{id}.json")),
                Some("csv") => csv_of(
                    &["recipient", "name", "role", "state", "email", "reminders", "days_late"],
                    st.late
                        .iter()
                        .map(|l| {
                            vec![
                                l.recipient.clone(),
                                l.name.clone(),
                                l.role.clone(),
                                l.state.to_string(),
                                l.email.clone().unwrap_or_default(),
                                l.reminders.to_string(),
                                l.days_late.to_string(),
                            ]
                        })
                        .collect(),
                    format!("late-{id}.csv"),
                ),
                _ => not_found(),
            }
        }
        "chain" => {
            let Ok(c) = app
                .read(move |c| {
                    status::head(c, id)?;
                    chain::chain(c, id)
                })
                .await
            else {
                return not_found();
            };
            let nodes = tree(&c);
            match ext.as_deref() {
                None => render(
                    &app,
                    &viewer,
                    "audit_chain.html",
                    context! { nodes => nodes, focus => id, discrepancies => &c.discrepancies, q => qs },
                ),
                Some("json") => json(&c, format!("chain-{id}.json")),
                Some("csv") => csv_of(
                    &[
                        "id",
                        "depth",
                        "relation",
                        "kind",
                        "sayi",
                        "tarih",
                        "issuer",
                        "konu",
                        "discrepancy",
                    ],
                    nodes
                        .iter()
                        .map(|n| {
                            vec![
                                n.id.to_string(),
                                n.depth.to_string(),
                                n.relation.clone().unwrap_or_default(),
                                n.kind.clone(),
                                n.sayi.clone(),
                                n.tarih.clone(),
                                n.issuer.clone(),
                                n.konu.clone(),
                                n.discrepancy.to_string(),
                            ]
                        })
                        .collect(),
                    format!("chain-{id}.csv"),
                ),
                _ => not_found(),
            }
        }
        "personel" => crate::audit_staff::view(&app, &viewer, qs, id, ext.as_deref()).await,
        _ => not_found(),
    }
}
