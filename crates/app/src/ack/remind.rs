//! Reminders: who is due one (not yet acknowledged, last contacted long enough ago), and to whom it goes —
//! the recipient; after `ack.escalate_after` reminders (or at once when its message bounced) the
//! recipient's parent org (for a person: their org); and, when there is no parent to tell (none, the
//! issuing office itself, or one without an address) or the recipient has no address at all, the issuing
//! office's own staff, as an internal notice that names the late recipient. Produces the messages for the
//! outbox; a reminder is recorded (its counter and a `delivery.reminded` event) only once it was sent
//! ([`record_sent`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use tamim_store::Conn;

use super::state::State;
use super::status::{deadline, head};
use crate::config::AckSettings;
use crate::distribution::token;
use crate::error::Result;
use tamim_store::deliveries::Delivery;
use tamim_store::{events, receipts};

/// Who a reminder is addressed to, which decides its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressedTo {
    /// The late recipient itself: "the document was sent to you".
    Recipient,
    /// The late recipient's parent office (a person's org): "the document was sent to <recipient>, under you".
    Parent,
    /// The issuing office's own staff, an internal notice: "<recipient> has not acknowledged, and why no one
    /// else can be told".
    Staff,
}

/// Why a notice goes to the issuing office's own staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffBecause {
    /// The recipient has no e-mail address.
    NoAddress,
    /// The recipient has no parent office.
    NoParent,
    /// The recipient's parent is the issuing office itself.
    ParentIsIssuer,
    /// The recipient's parent office has no e-mail address.
    ParentWithoutAddress,
}

/// The issuing office, whose staff internal notices go to.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub code: String,
    pub name: String,
    /// Where its staff read notices: the office's e-mail, else the address it sends from.
    pub address: Option<String>,
}

impl Issuer {
    pub fn of(c: &crate::config::OfficeConfig) -> Issuer {
        let nonempty = |s: Option<&String>| s.filter(|a| !a.trim().is_empty()).cloned();
        Issuer {
            code: c.office.code.clone(),
            name: c.office.name.clone(),
            address: nonempty(c.office.email.as_ref()).or_else(|| nonempty(c.mail.from_addr.as_ref())),
        }
    }
}

/// One reminder to hand to the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct ReminderMessage {
    pub delivery: i64,
    pub document: i64,
    /// The recipient who has not acknowledged.
    pub recipient: String,
    pub recipient_name: String,
    pub role: String,
    /// Where the reminder goes: the recipient itself or, escalated, its parent org or the issuing office.
    pub to: String,
    pub to_name: String,
    pub address: String,
    /// Not to the recipient itself (to its parent, or to the issuing office's staff).
    pub escalated: bool,
    pub addressed_to: AddressedTo,
    /// For a notice to the staff: why it goes to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_because: Option<StaffBecause>,
    /// The recipient's state: `no-address`, `failed` (bounced), `sent`, `received`.
    pub recipient_state: String,
    /// This is reminder number …
    pub reminder: i64,
    /// The recipient's personal ack token and link (the same link as the first e-mail).
    pub token: String,
    pub link: String,
    pub deadline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemindReport {
    pub document: i64,
    pub deadline: String,
    /// Days since the last contact after which a reminder is due.
    pub after_days: i64,
    pub messages: Vec<ReminderMessage>,
    /// Not acknowledged, due, but no one to tell: no address of its own, no parent to escalate to, and the
    /// issuing office has no address for its staff.
    pub unreachable: Vec<String>,
    /// Not acknowledged but contacted too recently (or not sent yet).
    pub not_due: i64,
}

/// The default interval: the time from issue to the deadline, split into `escalate_after + 1` rounds (at least a day),
/// so a GÜNLÜDÜR document's short deadline brings its reminders closer together.
pub fn default_after(issued: NaiveDate, dl: NaiveDate, cfg: &AckSettings) -> i64 {
    ((dl - issued).num_days() / (cfg.escalate_after as i64 + 1)).max(1)
}

/// When a delivery was last contacted: its last reminder, else when it was sent, else the document's date.
fn last_contact(d: &Delivery, extra: &receipts::Extra, issued: NaiveDate) -> NaiveDate {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&super::time::turkey()).date_naive())
    };
    parse(&extra.last_reminded_at)
        .or_else(|| parse(&d.sent_at))
        .unwrap_or(issued)
}

/// Select and address the reminders of document `doc`; nothing is written (each is recorded by
/// [`record_sent`] once it went out). Each message's `reminder` is the number it will be recorded as.
#[allow(clippy::too_many_arguments)]
pub fn remind(
    conn: &Conn,
    secret: &[u8],
    base_url: &str,
    issuer: &Issuer,
    doc: i64,
    after: Option<u32>,
    cfg: &AckSettings,
    now: DateTime<Utc>,
) -> Result<RemindReport> {
    let h = head(conn, doc)?;
    let issued = NaiveDate::parse_from_str(&h.tarih, "%Y-%m-%d").unwrap_or_default();
    let (dl, _) = deadline(&h, cfg);
    let after_days = after.map(i64::from).unwrap_or_else(|| default_after(issued, dl, cfg));
    let today = now.with_timezone(&super::time::turkey()).date_naive();
    let mut report = RemindReport {
        document: doc,
        deadline: dl.format("%Y-%m-%d").to_string(),
        after_days,
        messages: Vec::new(),
        unreachable: Vec::new(),
        not_due: 0,
    };
    for d in receipts::open_deliveries(conn, doc)? {
        // Not sent yet: the sender's job, not a reminder's.
        let state = d.state;
        if matches!(state, State::Queued | State::Sending) {
            report.not_due += 1;
            continue;
        }
        let extra = receipts::extra(conn, d.id)?;
        if (today - last_contact(&d, &extra, issued)).num_days() < after_days {
            report.not_due += 1;
            continue;
        }
        let own = d
            .email
            .clone()
            .filter(|_| !matches!(state, State::Failed | State::NoAddress));
        // Escalate after `escalate_after` reminders, or at once without a working address of its own: to the
        // parent office when there is one to tell, else to the issuing office's own staff.
        let escalate = d.reminders >= cfg.escalate_after as i64 || own.is_none();
        let target = if !escalate {
            own.map(|e| {
                (
                    AddressedTo::Recipient,
                    None,
                    d.recipient_code.clone(),
                    d.name.clone(),
                    e,
                )
            })
        } else {
            let no_address = state == State::NoAddress || d.email.as_deref().is_none_or(|e| e.trim().is_empty());
            let parent = receipts::escalation_target(conn, &d)?;
            let because = match &parent {
                _ if no_address => Some(StaffBecause::NoAddress),
                None => Some(StaffBecause::NoParent),
                Some((code, _, _)) if *code == issuer.code => Some(StaffBecause::ParentIsIssuer),
                Some((_, _, None)) => Some(StaffBecause::ParentWithoutAddress),
                Some(_) => None,
            };
            match (because, parent) {
                (None, Some((code, name, Some(e)))) => Some((AddressedTo::Parent, None, code, name, e)),
                (because, _) => issuer
                    .address
                    .clone()
                    .map(|e| (AddressedTo::Staff, because, issuer.code.clone(), issuer.name.clone(), e)),
            }
        };
        let Some((addressed_to, staff_because, to, to_name, address)) = target else {
            report.unreachable.push(d.recipient_code.clone());
            continue;
        };
        let n = d.reminders + 1;
        let tok = token::token(secret, doc, &d.recipient_code);
        report.messages.push(ReminderMessage {
            delivery: d.id,
            document: doc,
            recipient: d.recipient_code.clone(),
            recipient_name: d.name.clone(),
            role: d.role.clone(),
            to,
            to_name,
            address,
            escalated: addressed_to != AddressedTo::Recipient,
            addressed_to,
            staff_because,
            recipient_state: state.as_str().to_string(),
            reminder: n,
            link: format!("{}/ack/{tok}", base_url.trim_end_matches('/')),
            token: tok,
            deadline: report.deadline.clone(),
        });
    }
    Ok(report)
}

/// Record reminder `m` as sent at `now`: the delivery's reminder counter and last contact, and its
/// `delivery.reminded` event. Only a reminder that went out is recorded.
pub fn record_sent(conn: &Conn, m: &ReminderMessage, now: DateTime<Utc>) -> Result<i64> {
    let n = receipts::record_reminder(conn, m.delivery, &super::time::stored(now))?;
    events::append(
        conn,
        Some(m.document),
        Some(m.delivery),
        "delivery.reminded",
        &json!({"recipient": m.recipient, "reminder": n, "to": m.to, "address": m.address, "escalated": m.escalated, "addressed_to": m.addressed_to}),
    )?;
    Ok(n)
}
