//! SQL for reports between two tamims: on the issuer's side the reports received on its deliveries
//! (`reports`), on the recipient's side where an incoming document reports to (`report_links`).

use rusqlite::{params, OptionalExtension, Row};

use crate::error::Result;
use crate::Conn;

/// A report as received and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub document_id: i64,
    pub delivery_id: i64,
    pub sequence: i64,
    pub received_at: String,
    /// The exact bytes received (JSON).
    pub body: Vec<u8>,
    pub body_sha256: String,
    pub head_hash: String,
    pub event_seq: i64,
}

const COLS: &str = "document_id, delivery_id, sequence, received_at, body, body_sha256, head_hash, event_seq";

fn stored_row(r: &Row) -> rusqlite::Result<Stored> {
    Ok(Stored {
        document_id: r.get(0)?,
        delivery_id: r.get(1)?,
        sequence: r.get(2)?,
        received_at: r.get(3)?,
        body: r.get(4)?,
        body_sha256: r.get(5)?,
        head_hash: r.get(6)?,
        event_seq: r.get(7)?,
    })
}

/// Record an accepted report (inside the transaction that appends its event).
pub fn insert(conn: &Conn, s: &Stored) -> Result<()> {
    conn.raw()
        .prepare_cached(&format!(
            "INSERT INTO reports ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ))?
        .execute(params![
            s.document_id,
            s.delivery_id,
            s.sequence,
            s.received_at,
            s.body,
            s.body_sha256,
            s.head_hash,
            s.event_seq
        ])?;
    Ok(())
}

/// The highest sequence number accepted on a delivery (none yet: `None`).
pub fn last_sequence(conn: &Conn, delivery: i64) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT MAX(sequence) FROM reports WHERE delivery_id = ?1")?
        .query_row([delivery], |r| r.get(0))?)
}

/// The latest report of each delivery of `doc` that reported, in delivery order.
pub fn latest_for_document(conn: &Conn, doc: i64) -> Result<Vec<Stored>> {
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT {COLS} FROM reports r WHERE document_id = ?1
           AND sequence = (SELECT MAX(sequence) FROM reports x WHERE x.delivery_id = r.delivery_id)
         ORDER BY delivery_id"
    ))?;
    let rows = st.query_map([doc], stored_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many reports a delivery has sent.
pub fn count_for_delivery(conn: &Conn, delivery: i64) -> Result<i64> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT COUNT(*) FROM reports WHERE delivery_id = ?1")?
        .query_row([delivery], |r| r.get(0))?)
}

/// Where an incoming document reports to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub document_id: i64,
    /// The issuer's endpoint (`…/rapor`).
    pub url: String,
    /// The public id of the issuer's delivery to us.
    pub delivery: String,
    /// The HMAC key, hex.
    pub key_hex: String,
    /// The last sequence number used (0: none sent).
    pub sequence: i64,
    pub last_sent_at: Option<String>,
    pub last_status: Option<i64>,
}

/// Set (or replace) an incoming document's report link; its sequence is kept when it already had one.
pub fn set_link(conn: &Conn, doc: i64, url: &str, delivery: &str, key_hex: &str) -> Result<()> {
    conn.raw()
        .prepare_cached(
            "INSERT INTO report_links (document_id, url, delivery, key_hex) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (document_id) DO UPDATE SET url = excluded.url, delivery = excluded.delivery,
                key_hex = excluded.key_hex",
        )?
        .execute(params![doc, url, delivery, key_hex])?;
    Ok(())
}

pub fn link(conn: &Conn, doc: i64) -> Result<Option<Link>> {
    Ok(conn
        .raw()
        .prepare_cached(
            "SELECT document_id, url, delivery, key_hex, sequence, last_sent_at, last_status
             FROM report_links WHERE document_id = ?1",
        )?
        .query_row([doc], |r| {
            Ok(Link {
                document_id: r.get(0)?,
                url: r.get(1)?,
                delivery: r.get(2)?,
                key_hex: r.get(3)?,
                sequence: r.get(4)?,
                last_sent_at: r.get(5)?,
                last_status: r.get(6)?,
            })
        })
        .optional()?)
}

/// Take the next sequence number of a link (inside the transaction that records the report being sent).
pub fn next_sequence(conn: &Conn, doc: i64) -> Result<i64> {
    Ok(conn
        .raw()
        .prepare_cached("UPDATE report_links SET sequence = sequence + 1 WHERE document_id = ?1 RETURNING sequence")?
        .query_row([doc], |r| r.get(0))?)
}

/// What the issuer answered to a report sent now.
pub fn record_sent(conn: &Conn, doc: i64, at: &str, status: i64) -> Result<()> {
    conn.raw()
        .prepare_cached("UPDATE report_links SET last_sent_at = ?2, last_status = ?3 WHERE document_id = ?1")?
        .execute(params![doc, at, status])?;
    Ok(())
}
