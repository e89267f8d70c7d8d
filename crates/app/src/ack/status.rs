//! `status`: the short view of one document's deliveries — counts per state and role, % acknowledged,
//! and the late ones (not acknowledged past the deadline).

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use tamim_core::state::State;
use tamim_store::Conn;

use crate::config::AckSettings;
use crate::error::{Error, Result};
use tamim_store::receipts::{self, DocHead};

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub document: i64,
    pub sayi: Option<String>,
    pub tarih: String,
    pub konu: String,
    pub total: i64,
    /// Per state: `{"sent": 120, "acknowledged": 37}`.
    pub counts: BTreeMap<String, i64>,
    /// Per role (gereği / bilgi), then per state.
    pub by_role: BTreeMap<String, BTreeMap<String, i64>>,
    pub acknowledged_percent: f64,
    /// The last day to acknowledge (a GÜNLÜDÜR document's own deadline, else date + ack.deadline_days).
    pub deadline: String,
    pub deadline_source: String,
    pub late: Vec<Late>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Late {
    pub recipient: String,
    pub name: String,
    pub role: String,
    pub state: State,
    pub email: Option<String>,
    pub reminders: i64,
    pub days_late: i64,
}

/// Whether the urgency says GÜNLÜDÜR (any case, with or without the Turkish letters).
pub fn is_gunludur(urgency: Option<&str>) -> bool {
    urgency
        .map(|u| {
            matches!(
                tamim_core::turkish::upper(u.trim()).as_str(),
                "GÜNLÜDÜR" | "GUNLUDUR" | "GNL"
            )
        })
        .unwrap_or(false)
}

/// The acknowledgement deadline of a document and where it came from.
pub fn deadline(head: &DocHead, cfg: &AckSettings) -> (NaiveDate, &'static str) {
    let issued = NaiveDate::parse_from_str(&head.tarih, "%Y-%m-%d").unwrap_or_default();
    if is_gunludur(head.urgency.as_deref()) {
        if let Some(d) = head
            .deadline
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            return (d, "GÜNLÜDÜR");
        }
    }
    (
        issued + chrono::Duration::days(cfg.deadline_days as i64),
        "ack.deadline_days",
    )
}

/// Load the head of an issued document with deliveries, or say why it has none.
pub fn head(conn: &Conn, doc: i64) -> Result<DocHead> {
    let h = receipts::doc_head(conn, doc)?.ok_or_else(|| Error::not_found("document", format!("#{doc}")))?;
    if tamim_store::deliveries::count_for(conn, doc)? == 0 {
        return Err(Error::invalid(
            "DOC",
            format!("document #{doc} has no deliveries: it has not been issued and sent by this office"),
        ));
    }
    Ok(h)
}

pub fn status(conn: &Conn, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Status> {
    let h = head(conn, doc)?;
    let mut counts = BTreeMap::new();
    let mut by_role: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut total = 0;
    for (role, state, n) in receipts::counts_by_role(conn, doc)? {
        *counts.entry(state.clone()).or_insert(0) += n;
        *by_role.entry(role).or_default().entry(state).or_insert(0) += n;
        total += n;
    }
    let acked = counts.get("acknowledged").copied().unwrap_or(0);
    let (dl, source) = deadline(&h, cfg);
    let mut late = Vec::new();
    if today > dl {
        for d in receipts::open_deliveries(conn, doc)? {
            late.push(Late {
                recipient: d.recipient_code,
                name: d.name,
                role: d.role,
                state: d.state,
                email: d.email,
                reminders: d.reminders,
                days_late: (today - dl).num_days(),
            });
        }
    }
    Ok(Status {
        document: doc,
        sayi: h.sayi,
        tarih: h.tarih,
        konu: h.konu,
        total,
        counts,
        by_role,
        acknowledged_percent: percent(acked, total),
        deadline: dl.format("%Y-%m-%d").to_string(),
        deadline_source: source.into(),
        late,
    })
}

pub fn percent(part: i64, total: i64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / total as f64).round() / 10.0
    }
}
