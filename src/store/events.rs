//! SQL for the event log: append-only, each entry carrying the hash of the one before.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::now_text;
use crate::error::Result;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub document_id: Option<i64>,
    pub delivery_id: Option<i64>,
    pub kind: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: over its predecessor's hash and every field, so an edit, deletion or swap shows.
pub fn entry_hash(prev: &str, seq: i64, at: &str, doc: Option<i64>, delivery: Option<i64>, kind: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    let mut part = |p: &[u8]| {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    };
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    part(prev.as_bytes());
    part(seq.to_string().as_bytes());
    part(at.as_bytes());
    part(number(doc).as_bytes());
    part(number(delivery).as_bytes());
    part(kind.as_bytes());
    part(detail.as_bytes());
    hex::encode(h.finalize())
}

/// Append an event (call inside the transaction that makes the change it records). To append many in one
/// transaction, load a [`Chain`] once.
pub fn append(conn: &Connection, doc: Option<i64>, delivery: Option<i64>, kind: &str, detail: &serde_json::Value) -> Result<Event> {
    Chain::load(conn)?.append(conn, &now_text(), doc, delivery, kind, detail)
}

/// The end of the log, carried in memory so a transaction that appends many entries reads the last one
/// once. Valid only inside the one transaction it was loaded in (the write lock keeps other writers out);
/// if anything else appends in between, the next insert hits the taken `seq` and fails rather than forking
/// the chain.
#[derive(Debug, Clone)]
pub struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    /// Reads the last entry (inside the caller's transaction).
    pub fn load(conn: &Connection) -> Result<Chain> {
        let (seq, hash) = conn
            .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, GENESIS.to_string()));
        Ok(Chain { seq, hash })
    }

    /// Appends an entry, made at `at`, after the one this chain ends at.
    pub fn append(
        &mut self,
        conn: &Connection,
        at: &str,
        doc: Option<i64>,
        delivery: Option<i64>,
        kind: &str,
        detail: &serde_json::Value,
    ) -> Result<Event> {
        let seq = self.seq + 1;
        let detail = detail.to_string();
        let hash = entry_hash(&self.hash, seq, at, doc, delivery, kind, &detail);
        conn.prepare_cached(
            "INSERT INTO events (seq, at, document_id, delivery_id, kind, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![seq, at, doc, delivery, kind, detail, self.hash, hash])?;
        let prev = std::mem::replace(&mut self.hash, hash.clone());
        self.seq = seq;
        Ok(Event { seq, at: at.to_string(), document_id: doc, delivery_id: delivery, kind: kind.to_string(), detail, prev_hash: prev, hash })
    }
}

/// Walk every entry in order, calling `f` for each.
pub fn for_each(conn: &Connection, mut f: impl FnMut(Event) -> Result<()>) -> Result<()> {
    let mut st = conn.prepare("SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash, hash FROM events ORDER BY seq")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(from_row(r)?)?;
    }
    Ok(())
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    Ok(Event {
        seq: r.get(0)?,
        at: r.get(1)?,
        document_id: r.get(2)?,
        delivery_id: r.get(3)?,
        kind: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

pub fn for_document(conn: &Connection, doc: i64) -> Result<Vec<Event>> {
    let mut st = conn.prepare(
        "SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash, hash FROM events WHERE document_id = ?1 ORDER BY seq",
    )?;
    let rows = st
        .query_map([doc], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
