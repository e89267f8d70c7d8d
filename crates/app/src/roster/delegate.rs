//! Delegated notification: after an office with the staff duty acknowledges on its own page, it sees its
//! roster as it stood on the document's date (who is done, exempt, pending), sends each pending person a
//! personal link through the issuer's outbox on its behalf (and reminds them later), and each person
//! acknowledges through their link. Links are derived from the registry's secret like delivery tokens
//! (`tamim_core::token::staff_token`) and kept only as SHA-256; each person's acknowledgement is recorded
//! with the method `link`, the time and the SHA-256 of the address, and is an event.

use std::path::Path;

use serde::Serialize;
use tamim_core::token::{constant_time_eq, staff_token, token_hash};
use tamim_store::{self as store, staff_links::RosterEntry, Conn};

use crate::error::{Error, Result};
use crate::registry::Registry;

/// Why a delegated step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DelegateError {
    #[error("{office} was not given the duty to notify all its staff for this document")]
    NoDuty { office: String },
    #[error("{office} has nobody on its roster on the document's date")]
    NoRoster { office: String },
    #[error("{name} (sicil no {sicil}) left on {left}: their link no longer records anything")]
    Left { sicil: String, name: String, left: String },
}

/// One person's personal link message, as the outbox sends it.
#[derive(Debug, Clone, Serialize)]
pub struct StaffMessage {
    pub link_id: i64,
    /// The office's code and name (the message goes out on its behalf).
    pub office: String,
    pub office_name: String,
    pub sicil: String,
    pub name: String,
    pub address: String,
    pub link: String,
    /// 0 for the first message, then the number of messages sent before this one.
    pub reminder: i64,
}

/// The office's roster for a delivery with the staff duty, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeRoster {
    pub delivery_id: i64,
    pub document_id: i64,
    pub office: String,
    pub office_name: String,
    /// `YYYY-MM-DD`: whoever was on the roster that day counts.
    pub issue_date: String,
    pub entries: Vec<RosterEntry>,
    pub total: usize,
    pub acknowledged: usize,
    pub exempt: usize,
    pub pending: usize,
    /// Pending people a link was sent to at least once.
    pub linked: usize,
    /// Pending people with an e-mail address who have not been sent a link yet.
    pub sendable: usize,
}

fn delivery(conn: &Conn, id: i64) -> Result<store::deliveries::Delivery> {
    store::deliveries::get(conn, id)?
        .ok_or_else(|| Error::from(tamim_core::Error::not_found("delivery", format!("#{id}"))))
}

/// The roster of the delivery's office on the document's date; `None` when the delivery has no staff duty.
pub fn office_roster(conn: &Conn, delivery_id: i64) -> Result<Option<OfficeRoster>> {
    if !store::staff::has_duty(conn, delivery_id)? {
        return Ok(None);
    }
    let d = delivery(conn, delivery_id)?;
    let issue_date = store::staff::issue_date(conn, d.document_id)?.unwrap_or_default();
    let entries = store::staff_links::roster_of_delivery(conn, delivery_id, &issue_date)?;
    let count = |s: Option<&str>| entries.iter().filter(|e| e.state.as_deref() == s).count();
    Ok(Some(OfficeRoster {
        delivery_id,
        document_id: d.document_id,
        office: d.recipient_code.clone(),
        office_name: d.name.clone(),
        issue_date,
        total: entries.len(),
        acknowledged: count(Some("acknowledged")),
        exempt: count(Some("exempt")),
        pending: count(None),
        linked: entries.iter().filter(|e| e.state.is_none() && e.links_sent > 0).count(),
        sendable: entries
            .iter()
            .filter(|e| e.state.is_none() && e.links_sent == 0 && e.email.is_some())
            .count(),
        entries,
    }))
}

/// What sending the links did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct LinksSent {
    pub sent: usize,
    /// Pending people without an e-mail address on the roster (to be reached on paper).
    pub no_address: Vec<String>,
    /// Name and the reason, for each message that failed.
    pub failed: Vec<(String, String)>,
}

/// Which pending people to send to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whom {
    /// Those who have not been sent a link yet.
    NotYetSent,
    /// "Hatırlat": those sent a link who still have not acknowledged.
    Remind,
}

/// Send the office's pending staff their personal links (the file outbox under `output`, or SMTP as
/// office.toml says), on the office's behalf. Links are recorded first (one transaction); what went out is
/// counted on each link and is an event (`staff.link_sent`, or `staff.link_failed` with the reason).
pub fn send_links(reg: &mut Registry, delivery_id: i64, whom: Whom, output: &Path) -> Result<LinksSent> {
    let roster = office_roster(&reg.store.conn, delivery_id)?.ok_or_else(|| {
        let office = delivery(&reg.store.conn, delivery_id)
            .map(|d| d.recipient_code)
            .unwrap_or_default();
        Error::from(DelegateError::NoDuty { office })
    })?;
    if roster.total == 0 {
        return Err(DelegateError::NoRoster { office: roster.office }.into());
    }
    let secret = crate::distribution::token::secret(&reg.home)?;
    let base = reg.config.office.base_url.trim_end_matches('/').to_string();
    let mut out = LinksSent::default();
    let chosen: Vec<&RosterEntry> = roster
        .entries
        .iter()
        .filter(|e| e.state.is_none())
        .filter(|e| match whom {
            Whom::NotYetSent => e.links_sent == 0,
            Whom::Remind => e.links_sent > 0,
        })
        .collect();
    let mut messages = Vec::with_capacity(chosen.len());
    let now = store::now_text();
    reg.store.write(|tx| {
        for e in &chosen {
            let Some(address) = e.email.clone() else {
                out.no_address.push(e.name.clone());
                continue;
            };
            let tok = staff_token(&secret, roster.document_id, &roster.office, &e.sicil);
            let link_id = store::staff_links::upsert(tx, delivery_id, e.staff_id, &token_hash(&tok), &now)?;
            messages.push(StaffMessage {
                link_id,
                office: roster.office.clone(),
                office_name: roster.office_name.clone(),
                sicil: e.sicil.clone(),
                name: e.name.clone(),
                address,
                link: format!("{base}/ack/s/{tok}"),
                reminder: e.links_sent,
            });
        }
        Ok::<_, Error>(())
    })?;
    let results = crate::distribution::send::send_staff_links(reg, roster.document_id, &messages, output)?;
    let now = store::now_text();
    reg.store.write(|tx| {
        let mut chain = store::events::Chain::load(tx)?;
        for (m, r) in messages.iter().zip(&results) {
            let (kind, detail) = match r {
                Ok(reply) => {
                    store::staff_links::mark_sent(tx, m.link_id, &now)?;
                    out.sent += 1;
                    (
                        "staff.link_sent",
                        serde_json::json!({"office": m.office, "sicil": m.sicil, "to": m.address, "reminder": m.reminder, "reply": reply}),
                    )
                }
                Err(why) => {
                    out.failed.push((m.name.clone(), why.clone()));
                    (
                        "staff.link_failed",
                        serde_json::json!({"office": m.office, "sicil": m.sicil, "to": m.address, "reply": why}),
                    )
                }
            };
            chain.append(tx, &now, Some(roster.document_id), Some(delivery_id), kind, &detail)?;
        }
        Ok::<_, Error>(())
    })?;
    Ok(out)
}

/// Import a roster for the delivery's office from its page (the same reader and rules as `roster import`).
pub fn import_roster(
    reg: &mut Registry,
    delivery_id: i64,
    path: &Path,
    today: chrono::NaiveDate,
) -> Result<super::import::ImportReport> {
    let d = delivery(&reg.store.conn, delivery_id)?;
    if !store::staff::has_duty(&reg.store.conn, delivery_id)? {
        return Err(DelegateError::NoDuty {
            office: d.recipient_code,
        }
        .into());
    }
    super::import::import(&mut reg.store, &d.recipient_code, path, today)
}

/// What a personal link opens.
pub use store::staff_links::LinkView;

/// The link `tok` names, if it is one of ours (looked up by hash, then compared in constant time with the one
/// derived for that person).
pub fn lookup(conn: &Conn, secret: &[u8], tok: &str) -> Result<Option<LinkView>> {
    let Some(v) = store::staff_links::by_token_hash(conn, &token_hash(tok))? else {
        return Ok(None);
    };
    let want = staff_token(secret, v.document_id, &v.recipient_code, &v.sicil);
    Ok(constant_time_eq(&want, tok).then_some(v))
}

/// What acknowledging through a link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Recorded {
        at: String,
    },
    /// The person already had a record (acknowledged or exempt): nothing new written.
    Already,
}

/// The person acknowledges through their link, inside the caller's transaction (the server's writer takes it
/// as one savepoint of a batch): refused when they have left by `today` (`YYYY-MM-DD`, `Left`: nothing
/// written), recorded once at `now` with the SHA-256 of `ip` and an event.
pub fn acknowledge(tx: &store::Tx, v: &LinkView, ip: &str, today: &str, now: &str) -> Result<LinkOutcome> {
    if let Some(left) = v.left_on.as_deref().filter(|l| *l <= today) {
        return Err(DelegateError::Left {
            sicil: v.sicil.clone(),
            name: v.name.clone(),
            left: left.to_string(),
        }
        .into());
    }
    let ip_sha = crate::registry::home::sha256_hex(ip.as_bytes());
    if !store::staff_links::record_link_ack(tx, v.delivery_id, v.staff_id, now, &ip_sha)? {
        return Ok(LinkOutcome::Already);
    }
    let mut chain = store::events::Chain::load(tx)?;
    chain.append(
        tx,
        now,
        Some(v.document_id),
        Some(v.delivery_id),
        "staff.acknowledged",
        &serde_json::json!({"office": v.recipient_code, "sicil": v.sicil, "name": v.name, "method": "link", "ip_sha256": ip_sha}),
    )?;
    Ok(LinkOutcome::Recorded { at: now.to_string() })
}
