//! SQL for receipts and acknowledgements: state changes of deliveries (compare-and-set on the state), reminders,
//! follow-ons reported back, and the reads that status and the ack server need (the audit's are in `store::audit`).

use rusqlite::{params, OptionalExtension};

use crate::Conn;
use tamim_core::state::State;

use super::deliveries::{self, Delivery};
use crate::error::Result;

/// What the ack page and the state machine need to know about the document of a delivery.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocHead {
    pub id: i64,
    pub direction: String,
    pub state: String,
    pub sayi: Option<String>,
    pub kind: String,
    pub kind_no: Option<String>,
    pub tarih: String,
    pub konu: String,
    pub issuer: Option<String>,
    pub urgency: Option<String>,
    pub deadline: Option<String>,
    /// The issued PDF (stamped copy preferred), by SHA-256.
    pub file: Option<String>,
}

pub fn doc_head(conn: &Conn, doc: i64) -> Result<Option<DocHead>> {
    Ok(conn
        .raw()
        .prepare_cached(
            "SELECT d.id, d.direction, d.state, d.sayi, d.kind, d.kind_no, d.tarih, d.konu, coalesce(d.issuer, o.name),
                    d.urgency, d.deadline, coalesce(d.stamped_sha256, d.file_sha256)
               FROM documents d LEFT JOIN orgs o ON o.id = d.from_org_id WHERE d.id = ?1",
        )?
        .query_row([doc], |r| {
            Ok(DocHead {
                id: r.get(0)?,
                direction: r.get(1)?,
                state: r.get(2)?,
                sayi: r.get(3)?,
                kind: r.get(4)?,
                kind_no: r.get(5)?,
                tarih: r.get(6)?,
                konu: r.get(7)?,
                issuer: r.get(8)?,
                urgency: r.get(9)?,
                deadline: r.get(10)?,
                file: r.get(11)?,
            })
        })
        .optional()?)
}

/// The columns 0003 added to a delivery (owned, or borrowed from a row).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Extra<S = String> {
    pub recipient_kayit_no: Option<S>,
    pub recipient_kayit_date: Option<S>,
    pub state_reason: Option<S>,
    pub last_reminded_at: Option<S>,
}

impl<S> Extra<S> {
    /// The same columns with each passed through `f` (e.g. `String` → `&str`).
    pub fn map<'a, T>(&'a self, f: impl Fn(&'a S) -> T) -> Extra<T> {
        Extra {
            recipient_kayit_no: self.recipient_kayit_no.as_ref().map(&f),
            recipient_kayit_date: self.recipient_kayit_date.as_ref().map(&f),
            state_reason: self.state_reason.as_ref().map(&f),
            last_reminded_at: self.last_reminded_at.as_ref().map(&f),
        }
    }
}

pub fn extra(conn: &Conn, id: i64) -> Result<Extra> {
    Ok(conn.raw()
        .prepare_cached("SELECT recipient_kayit_no, recipient_kayit_date, state_reason, last_reminded_at FROM deliveries WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Extra { recipient_kayit_no: r.get(0)?, recipient_kayit_date: r.get(1)?, state_reason: r.get(2)?, last_reminded_at: r.get(3)? })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn by_token_hash(conn: &Conn, hash: &str) -> Result<Option<Delivery>> {
    deliveries::by_token_hash(conn, hash)
}

/// Record an acknowledgement unless the delivery is already acknowledged; false when it was.
pub fn record_ack(
    conn: &Conn,
    id: i64,
    at: &str,
    by: Option<&str>,
    method: &str,
    kayit_no: Option<&str>,
) -> Result<bool> {
    let n = conn
        .raw()
        .prepare_cached(
            "UPDATE deliveries SET state = 'acknowledged', acknowledged_at = ?1, ack_by = ?2, ack_method = ?3,
                    recipient_kayit_no = coalesce(?4, recipient_kayit_no)
              WHERE id = ?5 AND state <> 'acknowledged'",
        )?
        .execute(params![at, by, method, kayit_no, id])?;
    Ok(n == 1)
}

/// Record the recipient office's own registration of our document; only from `from` (compare-and-set).
pub fn record_received(
    conn: &Conn,
    id: i64,
    from: &str,
    at: &str,
    kayit_no: Option<&str>,
    kayit_date: Option<&str>,
) -> Result<bool> {
    let n = conn.raw()
        .prepare_cached(
            "UPDATE deliveries SET state = 'received', received_at = ?1, recipient_kayit_no = coalesce(?2, recipient_kayit_no),
                    recipient_kayit_date = coalesce(?3, recipient_kayit_date)
              WHERE id = ?4 AND state = ?5",
        )?
        .execute(params![at, kayit_no, kayit_date, id, from])?;
    Ok(n == 1)
}

/// Move a delivery from `from` to `to` (sent, failed, back to queued, exempt) with a reason or reply; false when it was not in `from`.
pub fn record_state(
    conn: &Conn,
    id: i64,
    from: &str,
    to: &str,
    at: &str,
    reason: Option<&str>,
    channel: Option<&str>,
) -> Result<bool> {
    let n = match to {
        "sent" | "failed" | "queued" => {
            let col = if to == "sent" { "sent_at" } else { "next_attempt_at" };
            conn.raw().prepare_cached(&format!(
                "UPDATE deliveries SET state = ?1, {col} = ?2, last_reply = coalesce(?3, last_reply), channel = coalesce(?4, channel)
                  WHERE id = ?5 AND state = ?6"
            ))?
            .execute(params![to, at, reason, channel, id, from])?
        }
        _ => conn.raw()
            .prepare_cached(
                "UPDATE deliveries SET state = ?1, state_reason = coalesce(?2, state_reason), channel = coalesce(?3, channel)
                  WHERE id = ?4 AND state = ?5",
            )?
            .execute(params![to, reason, channel, id, from])?,
    };
    Ok(n == 1)
}

/// Count one more reminder; returns the new count.
pub fn record_reminder(conn: &Conn, id: i64, at: &str) -> Result<i64> {
    conn.raw()
        .prepare_cached("UPDATE deliveries SET reminders = reminders + 1, last_reminded_at = ?1 WHERE id = ?2")?
        .execute(params![at, id])?;
    Ok(conn
        .raw()
        .prepare_cached("SELECT reminders FROM deliveries WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// Where a reminder escalates to: an org's parent, or a person's org — (code, name, e-mail).
pub fn escalation_target(conn: &Conn, d: &Delivery) -> Result<Option<(String, String, Option<String>)>> {
    let sql = if d.recipient_kind == "person" {
        "SELECT o.code, o.name, o.email FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?1"
    } else {
        "SELECT p.code, p.name, p.email FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?1"
    };
    let key = if d.recipient_kind == "person" {
        d.person_id
    } else {
        d.org_id
    };
    let Some(key) = key else { return Ok(None) };
    Ok(conn
        .raw()
        .prepare_cached(sql)?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Deliveries of a document still waiting for an acknowledgement (not acknowledged, not exempt).
pub fn open_deliveries(conn: &Conn, doc: i64) -> Result<Vec<Delivery>> {
    deliveries::in_states(
        conn,
        doc,
        &[
            State::Queued,
            State::Sending,
            State::Sent,
            State::Received,
            State::Failed,
            State::NoAddress,
        ],
    )
}

/// (role, state, count) for one document.
pub fn counts_by_role(conn: &Conn, doc: i64) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT role, state, count(*) FROM deliveries WHERE document_id = ?1 GROUP BY role, state ORDER BY role, state",
    )?;
    let rows = st
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A follow-on reported back by a recipient.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FollowonReport {
    pub delivery_id: i64,
    pub recipient_code: String,
    pub sayi: String,
    pub tarih: String,
    pub recipients: Option<i64>,
    pub acknowledged: Option<i64>,
    pub reported_at: String,
}

pub fn insert_followon(conn: &Conn, doc: i64, r: &FollowonReport) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO followon_reports (document_id, delivery_id, sayi, tarih, recipients, acknowledged, reported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (delivery_id, sayi) DO UPDATE SET tarih = excluded.tarih, recipients = excluded.recipients,
            acknowledged = excluded.acknowledged, reported_at = excluded.reported_at",
        params![
            doc,
            r.delivery_id,
            r.sayi,
            r.tarih,
            r.recipients,
            r.acknowledged,
            r.reported_at
        ],
    )?;
    Ok(())
}

const FOLLOWON_COLUMNS: &str =
    "f.delivery_id, d.recipient_code, f.sayi, f.tarih, f.recipients, f.acknowledged, f.reported_at
           FROM followon_reports f JOIN deliveries d ON d.id = f.delivery_id";

fn followon_row(r: &rusqlite::Row) -> rusqlite::Result<FollowonReport> {
    Ok(FollowonReport {
        delivery_id: r.get(0)?,
        recipient_code: r.get(1)?,
        sayi: r.get(2)?,
        tarih: r.get(3)?,
        recipients: r.get(4)?,
        acknowledged: r.get(5)?,
        reported_at: r.get(6)?,
    })
}

pub fn followons(conn: &Conn, doc: i64) -> Result<Vec<FollowonReport>> {
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT {FOLLOWON_COLUMNS} WHERE f.document_id = ?1 ORDER BY f.id"
    ))?;
    let rows = st
        .query_map([doc], followon_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The follow-on a delivery's recipient reported under `sayi`, if any.
pub fn followon(conn: &Conn, delivery: i64, sayi: &str) -> Result<Option<FollowonReport>> {
    Ok(conn
        .raw()
        .prepare_cached(&format!(
            "SELECT {FOLLOWON_COLUMNS} WHERE f.delivery_id = ?1 AND f.sayi = ?2"
        ))?
        .query_row(params![delivery, sayi], followon_row)
        .optional()?)
}

/// Registered documents that cite or carry `doc`, with the code of the org that issued them (for incoming ones).
pub fn registered_followons(conn: &Conn, doc: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT DISTINCT d.id, d.direction, o.code FROM documents d LEFT JOIN orgs o ON o.id = d.from_org_id
          WHERE d.id IN (SELECT document_id FROM citations WHERE target_id = ?1
                         UNION SELECT document_id FROM attachments WHERE target_id = ?1) ORDER BY d.id",
    )?;
    let rows = st
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Documents that have deliveries, newest first: (id, recipients, acknowledged).
pub fn documents_with_deliveries(conn: &Conn) -> Result<Vec<(i64, i64, i64)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT document_id, count(*), sum(state = 'acknowledged') FROM deliveries GROUP BY document_id ORDER BY document_id DESC",
    )?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether a document went to the org `code` itself or to any of its staff.
pub fn sent_to_org_or_staff(conn: &Conn, doc: i64, code: &str) -> Result<bool> {
    Ok(conn
        .raw()
        .prepare_cached(
            "SELECT 1 FROM deliveries d LEFT JOIN people p ON p.id = d.person_id LEFT JOIN orgs po ON po.id = p.org_id
              WHERE d.document_id = ?1 AND (d.recipient_code = ?2 OR po.code = ?2) LIMIT 1",
        )?
        .query_row(params![doc, code], |_| Ok(()))
        .optional()?
        .is_some())
}
