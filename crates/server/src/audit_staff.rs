//! `/audit/doc/12/personel[.csv|.json]`: the auditor's view of a document's staff coverage — per office with
//! the "notify all staff" duty, who was on its roster on the issue date, acknowledged, exempt by reason and
//! pending by name, whether the duty is met and why not; and "Tüm personele duyuruldu" for the document.
//! The figures are `roster::coverage`'s, the same the text, JSON and PDF audits print.

use axum::response::Response;
use minijinja::context;
use serde::Serialize;
use std::sync::Arc;

use super::audit_pages::{csv_of, json, render};
use super::pages::not_found;
use super::session::Viewer;
use super::App;
use tamim_app::roster::coverage::{self, Coverage};

/// One office's row, worded for the page and the CSV.
#[derive(Serialize)]
struct Row {
    office: String,
    name: String,
    on_roster: u64,
    acknowledged: u64,
    exempt: u64,
    /// `izinli 1, raporlu 2`.
    exempt_by_reason: String,
    pending: usize,
    /// `102 Ömer Demir, 103 Işıl Öztürk`.
    pending_names: String,
    duty_met: bool,
    reason: String,
}

fn rows(c: &Coverage) -> Vec<Row> {
    c.offices
        .iter()
        .map(|o| Row {
            office: o.office.clone(),
            name: o.name.clone(),
            on_roster: o.on_roster,
            acknowledged: o.acknowledged,
            exempt: o.exempt_total(),
            exempt_by_reason: o
                .exempt
                .iter()
                .map(|(r, n)| format!("{r} {}", tamim_core::turkish::number::integer(*n as i64)))
                .collect::<Vec<_>>()
                .join(", "),
            pending: o.pending.len(),
            pending_names: o
                .pending
                .iter()
                .map(|p| format!("{} {}", p.sicil, p.name))
                .collect::<Vec<_>>()
                .join(", "),
            duty_met: o.duty_met,
            reason: o.reason.as_ref().map(|r| r.text_tr()).unwrap_or_default(),
        })
        .collect()
}

pub(crate) async fn view(app: &Arc<App>, viewer: &Option<Viewer>, qs: String, id: i64, ext: Option<&str>) -> Response {
    let read = app.read(move |conn| {
        tamim_app::ack::status::head(conn, id)?; // an unknown document is a 404, not an empty coverage
        coverage::coverage(conn, id)
    });
    let Ok(c) = read.await else {
        return not_found();
    };
    match ext {
        None => render(
            app,
            viewer,
            "audit_staff.html",
            context! {
                id => id,
                q => qs,
                issue_date => c.issue_date.clone(),
                all => c.all_staff_notified,
                reason => c.reason.as_ref().map(|r| r.text_tr()),
                rows => rows(&c),
            },
        ),
        Some("json") => json(&c, format!("personel-{id}.json")),
        Some("csv") => csv_of(
            &[
                "office",
                "name",
                "on_roster",
                "acknowledged",
                "exempt",
                "exempt_by_reason",
                "pending",
                "pending_names",
                "duty_met",
                "reason",
            ],
            rows(&c)
                .into_iter()
                .map(|r| {
                    vec![
                        r.office,
                        r.name,
                        r.on_roster.to_string(),
                        r.acknowledged.to_string(),
                        r.exempt.to_string(),
                        r.exempt_by_reason,
                        r.pending.to_string(),
                        r.pending_names,
                        r.duty_met.to_string(),
                        r.reason,
                    ]
                })
                .collect(),
            format!("personel-{id}.csv"),
        ),
        _ => not_found(),
    }
}
