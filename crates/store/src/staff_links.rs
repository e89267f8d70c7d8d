//! SQL for delegated notification: the personal link an office sends each person on its roster for a delivery
//! with the staff duty (kept only as the token's SHA-256), the roster of one delivery as it stood on the
//! document's date with each person's state, and the acknowledgement a person makes through their link.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::Conn;

/// One person on a delivery's office roster on the document's date, with their state for that delivery.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RosterEntry {
    #[serde(skip)]
    pub staff_id: i64,
    pub sicil: String,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub left_on: Option<String>,
    /// `acknowledged`, `exempt`, or none (pending).
    pub state: Option<String>,
    /// `link`, `paper`, `report`, `clerk` when recorded.
    pub method: Option<String>,
    pub reason: Option<String>,
    /// How many times a personal link was sent (0: none yet).
    pub links_sent: i64,
}

/// The delivery's office roster on `issue_date` (`YYYY-MM-DD`), by sicil no: joined on or before it (or no
/// date) and not left before it — the same rule as the coverage.
pub fn roster_of_delivery(conn: &Conn, delivery_id: i64, issue_date: &str) -> Result<Vec<RosterEntry>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT s.id, s.sicil, s.name, s.title, s.email, s.left_on, a.state, a.method, a.reason,
                COALESCE(l.sent_count, 0)
         FROM deliveries d
         JOIN staff s ON s.org_id = d.org_id
              AND (s.joined_on IS NULL OR s.joined_on <= ?2)
              AND (s.left_on IS NULL OR s.left_on >= ?2)
         LEFT JOIN staff_acks a ON a.delivery_id = d.id AND a.staff_id = s.id
         LEFT JOIN staff_links l ON l.delivery_id = d.id AND l.staff_id = s.id
         WHERE d.id = ?1
         ORDER BY s.sicil",
    )?;
    let rows = st
        .query_map(params![delivery_id, issue_date], |r| {
            Ok(RosterEntry {
                staff_id: r.get(0)?,
                sicil: r.get(1)?,
                name: r.get(2)?,
                title: r.get(3)?,
                email: r.get(4)?,
                left_on: r.get(5)?,
                state: r.get(6)?,
                method: r.get(7)?,
                reason: r.get(8)?,
                links_sent: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records the person's link for the delivery (once: a re-send keeps the same row and token) and returns its id.
pub fn upsert(conn: &Conn, delivery_id: i64, staff_id: i64, token_hash: &str, now: &str) -> Result<i64> {
    conn.raw()
        .prepare_cached(
            "INSERT INTO staff_links (delivery_id, staff_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (delivery_id, staff_id) DO NOTHING",
        )?
        .execute(params![delivery_id, staff_id, token_hash, now])?;
    Ok(conn
        .raw()
        .prepare_cached("SELECT id FROM staff_links WHERE delivery_id = ?1 AND staff_id = ?2")?
        .query_row(params![delivery_id, staff_id], |r| r.get(0))?)
}

/// Counts one more message sent for the link.
pub fn mark_sent(conn: &Conn, link_id: i64, now: &str) -> Result<()> {
    conn.raw()
        .prepare_cached("UPDATE staff_links SET sent_count = sent_count + 1, last_sent_at = ?2 WHERE id = ?1")?
        .execute(params![link_id, now])?;
    Ok(())
}

/// What a personal link opens: the link, its delivery and document, and the person.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub link_id: i64,
    pub delivery_id: i64,
    pub document_id: i64,
    pub recipient_code: String,
    pub recipient_name: String,
    pub staff_id: i64,
    pub sicil: String,
    pub name: String,
    pub left_on: Option<String>,
    /// The person's acknowledgement state for the delivery, and when.
    pub state: Option<String>,
    pub at: Option<String>,
}

/// The link whose token hashes to `token_hash`, if any.
pub fn by_token_hash(conn: &Conn, token_hash: &str) -> Result<Option<LinkView>> {
    Ok(conn
        .raw()
        .prepare_cached(
            "SELECT l.id, d.id, d.document_id, d.recipient_code, d.name, s.id, s.sicil, s.name, s.left_on,
                    a.state, a.at
             FROM staff_links l
             JOIN deliveries d ON d.id = l.delivery_id
             JOIN staff s ON s.id = l.staff_id
             LEFT JOIN staff_acks a ON a.delivery_id = d.id AND a.staff_id = s.id
             WHERE l.token_hash = ?1",
        )?
        .query_row([token_hash], |r| {
            Ok(LinkView {
                link_id: r.get(0)?,
                delivery_id: r.get(1)?,
                document_id: r.get(2)?,
                recipient_code: r.get(3)?,
                recipient_name: r.get(4)?,
                staff_id: r.get(5)?,
                sicil: r.get(6)?,
                name: r.get(7)?,
                left_on: r.get(8)?,
                state: r.get(9)?,
                at: r.get(10)?,
            })
        })
        .optional()?)
}

/// Records the person's acknowledgement by their link, with the SHA-256 of the address it came from. Returns
/// false (nothing written) when the person already has a record for the delivery.
pub fn record_link_ack(conn: &Conn, delivery_id: i64, staff_id: i64, at: &str, ip_sha256: &str) -> Result<bool> {
    let n = conn
        .raw()
        .prepare_cached(
            "INSERT INTO staff_acks (delivery_id, staff_id, state, method, at, ip_sha256)
             VALUES (?1, ?2, 'acknowledged', 'link', ?3, ?4)
             ON CONFLICT (delivery_id, staff_id) DO NOTHING",
        )?
        .execute(params![delivery_id, staff_id, at, ip_sha256])?;
    Ok(n == 1)
}
