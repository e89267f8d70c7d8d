//! SQL for staff rosters (an office's people, with the dates they joined and left; never deleted) and the
//! per-person staff acknowledgements of a delivery.

use rusqlite::{params, OptionalExtension, Row};

use crate::error::Result;
use crate::Conn;

/// One person on an office's roster. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StaffMember {
    #[serde(skip)]
    pub id: i64,
    pub sicil: String,
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub email: Option<String>,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
}

const COLS: &str = "id, sicil, name, title, unit, email, joined_on, left_on";

fn from_row(r: &Row) -> rusqlite::Result<StaffMember> {
    Ok(StaffMember {
        id: r.get(0)?,
        sicil: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        unit: r.get(4)?,
        email: r.get(5)?,
        joined_on: r.get(6)?,
        left_on: r.get(7)?,
    })
}

/// The office's whole roster (leavers included), by sicil no.
pub fn for_org(conn: &Conn, org_id: i64) -> Result<Vec<StaffMember>> {
    let mut st = conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM staff WHERE org_id = ?1 ORDER BY sicil"))?;
    let rows = st
        .query_map([org_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn find(conn: &Conn, org_id: i64, sicil: &str) -> Result<Option<StaffMember>> {
    Ok(conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM staff WHERE org_id = ?1 AND sicil = ?2"))?
        .query_row(params![org_id, sicil], from_row)
        .optional()?)
}

/// Adds a person to the roster (`m.id` is ignored); returns the new id.
pub fn insert(conn: &Conn, org_id: i64, m: &StaffMember, now: &str) -> Result<i64> {
    conn.raw()
        .prepare_cached(
            "INSERT INTO staff (org_id, sicil, name, title, unit, email, joined_on, left_on, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            org_id,
            m.sicil,
            m.name,
            m.title,
            m.unit,
            m.email,
            m.joined_on,
            m.left_on,
            now
        ])?;
    Ok(conn.raw().last_insert_rowid())
}

/// Rewrites the person's fields (by `m.id`).
pub fn update(conn: &Conn, m: &StaffMember) -> Result<()> {
    conn.raw()
        .prepare_cached(
            "UPDATE staff SET name = ?2, title = ?3, unit = ?4, email = ?5, joined_on = ?6, left_on = ?7 WHERE id = ?1",
        )?
        .execute(params![m.id, m.name, m.title, m.unit, m.email, m.joined_on, m.left_on])?;
    Ok(())
}

/// After a freeze: every org delivery of `doc` whose org is a "notify all staff" entry of one of `lists`
/// (or of a list nested in them) carries the staff duty. Returns how many deliveries carry it.
pub fn record_duties(conn: &Conn, doc: i64, lists: &[String]) -> Result<usize> {
    let names = serde_json::to_string(lists).unwrap_or_else(|_| "[]".into());
    let n = conn.raw().execute(
        "WITH RECURSIVE ls(id) AS (
             SELECT id FROM lists WHERE name IN (SELECT value FROM json_each(?2))
             UNION SELECT m.sublist_id FROM list_members m JOIN ls ON m.list_id = ls.id WHERE m.sublist_id IS NOT NULL)
         UPDATE deliveries SET staff_duty = 1
         WHERE document_id = ?1 AND org_id IN
             (SELECT m.org_id FROM list_members m JOIN ls ON m.list_id = ls.id WHERE m.staff_duty = 1 AND m.org_id IS NOT NULL)",
        params![doc, names],
    )?;
    Ok(n)
}

/// Records that the delivery carries the "notify all staff" duty.
pub fn set_duty(conn: &Conn, delivery_id: i64) -> Result<()> {
    conn.raw()
        .prepare_cached("UPDATE deliveries SET staff_duty = 1 WHERE id = ?1")?
        .execute([delivery_id])?;
    Ok(())
}

/// Whether the delivery carries the staff duty.
pub fn has_duty(conn: &Conn, delivery_id: i64) -> Result<bool> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT staff_duty FROM deliveries WHERE id = ?1")?
        .query_row([delivery_id], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0)
        != 0)
}

/// One staff acknowledgement or exemption, as written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffAck<'a> {
    pub delivery_id: i64,
    pub staff_id: i64,
    /// `acknowledged` or `exempt`.
    pub state: &'a str,
    /// `link`, `paper`, `report` or `clerk`.
    pub method: &'a str,
    pub evidence_sha256: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub at: &'a str,
}

/// The person's current record for the delivery: (state, method, reason).
pub fn ack_of(conn: &Conn, delivery_id: i64, staff_id: i64) -> Result<Option<(String, String, Option<String>)>> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT state, method, reason FROM staff_acks WHERE delivery_id = ?1 AND staff_id = ?2")?
        .query_row(params![delivery_id, staff_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// Records (or replaces) the person's acknowledgement or exemption for the delivery.
pub fn record_ack(conn: &Conn, a: &StaffAck) -> Result<()> {
    conn.raw()
        .prepare_cached(
            "INSERT INTO staff_acks (delivery_id, staff_id, state, method, evidence_sha256, reason, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (delivery_id, staff_id) DO UPDATE SET state = excluded.state, method = excluded.method,
                 evidence_sha256 = excluded.evidence_sha256, reason = excluded.reason, at = excluded.at",
        )?
        .execute(params![
            a.delivery_id,
            a.staff_id,
            a.state,
            a.method,
            a.evidence_sha256,
            a.reason,
            a.at
        ])?;
    Ok(())
}

/// One row of a document's staff coverage: a delivery with the staff duty, and one person on its office's
/// roster on the issue date (none when the roster is empty), with their acknowledgement if any.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub delivery_id: i64,
    pub recipient_code: String,
    pub recipient_name: String,
    pub sicil: Option<String>,
    pub staff_name: Option<String>,
    /// `acknowledged` / `exempt` / none (pending).
    pub state: Option<String>,
    pub reason: Option<String>,
}

/// Every row of the document's staff coverage, by delivery then sicil no. A person counts when on the
/// roster on `issue_date` (`YYYY-MM-DD`): joined on or before it (or no date), and not left before it.
pub fn for_each_coverage_row<E: From<crate::Error>>(
    conn: &Conn,
    doc: i64,
    issue_date: &str,
    mut f: impl FnMut(CoverageRow) -> Result<(), E>,
) -> Result<(), E> {
    let mut st = conn
        .raw()
        .prepare(
            "SELECT d.id, d.recipient_code, d.name, s.sicil, s.name, a.state, a.reason
             FROM deliveries d
             LEFT JOIN staff s ON s.org_id = d.org_id
                  AND (s.joined_on IS NULL OR s.joined_on <= ?2)
                  AND (s.left_on IS NULL OR s.left_on >= ?2)
             LEFT JOIN staff_acks a ON a.delivery_id = d.id AND a.staff_id = s.id
             WHERE d.document_id = ?1 AND d.staff_duty = 1
             ORDER BY d.id, s.sicil",
        )
        .map_err(crate::Error::from)?;
    let mut rows = st.query(params![doc, issue_date]).map_err(crate::Error::from)?;
    while let Some(r) = rows.next().map_err(crate::Error::from)? {
        let row = (|| -> rusqlite::Result<CoverageRow> {
            Ok(CoverageRow {
                delivery_id: r.get(0)?,
                recipient_code: r.get(1)?,
                recipient_name: r.get(2)?,
                sicil: r.get(3)?,
                staff_name: r.get(4)?,
                state: r.get(5)?,
                reason: r.get(6)?,
            })
        })()
        .map_err(crate::Error::from)?;
        f(row)?;
    }
    Ok(())
}

/// The document's issue date (`YYYY-MM-DD`) as recorded.
pub fn issue_date(conn: &Conn, doc: i64) -> Result<Option<String>> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT tarih FROM documents WHERE id = ?1")?
        .query_row([doc], |r| r.get(0))
        .optional()?)
}
