//! SQL for the event log: append-only, each entry carrying the hash of the one before.

use rusqlite::{params, OptionalExtension};

use crate::Conn;

use super::now_text;
use crate::error::{Error, Result};

pub use tamim_core::event::{entry_digest, entry_hash, GENESIS};

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

/// Append an event (call inside the transaction that makes the change it records). To append many in one
/// transaction, load a [`Chain`] once.
pub fn append(
    conn: &Conn,
    doc: Option<i64>,
    delivery: Option<i64>,
    kind: &str,
    detail: &serde_json::Value,
) -> Result<Event> {
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
    pub fn load(conn: &Conn) -> Result<Chain> {
        let (seq, hash) = conn
            .raw()
            .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, GENESIS.to_string()));
        Ok(Chain { seq, hash })
    }

    /// Appends an entry, made at `at`, after the one this chain ends at.
    pub fn append(
        &mut self,
        conn: &Conn,
        at: &str,
        doc: Option<i64>,
        delivery: Option<i64>,
        kind: &str,
        detail: &serde_json::Value,
    ) -> Result<Event> {
        let seq = self.seq + 1;
        let detail = detail.to_string();
        let hash = entry_hash(&self.hash, seq, at, doc, delivery, kind, &detail);
        conn.raw().prepare_cached(
            "INSERT INTO events (seq, at, document_id, delivery_id, kind, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![seq, at, doc, delivery, kind, detail, self.hash, hash])?;
        let prev = std::mem::replace(&mut self.hash, hash.clone());
        self.seq = seq;
        Ok(Event {
            seq,
            at: at.to_string(),
            document_id: doc,
            delivery_id: delivery,
            kind: kind.to_string(),
            detail,
            prev_hash: prev,
            hash,
        })
    }
}

/// Walk every entry in order, calling `f` for each.
pub fn for_each<E: From<Error>>(conn: &Conn, mut f: impl FnMut(Event) -> Result<(), E>) -> Result<(), E> {
    let mut st = conn
        .raw()
        .prepare("SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash, hash FROM events ORDER BY seq")
        .map_err(Error::from)?;
    let mut rows = st.query([]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        f(from_row(r).map_err(Error::from)?)?;
    }
    Ok(())
}

/// One entry as the bytes stored, borrowed from the current row (verification reads 1.5 M of them).
pub struct RawEvent<'a> {
    pub seq: i64,
    pub at: &'a [u8],
    pub document_id: Option<i64>,
    pub delivery_id: Option<i64>,
    pub kind: &'a [u8],
    pub detail: &'a [u8],
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
}

impl RawEvent<'_> {
    pub fn digest(&self, prev: &[u8], seq: i64) -> [u8; 32] {
        entry_digest(
            prev,
            seq,
            self.at,
            self.document_id,
            self.delivery_id,
            self.kind,
            self.detail,
        )
    }

    pub fn to_event(&self) -> Event {
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Event {
            seq: self.seq,
            at: s(self.at),
            document_id: self.document_id,
            delivery_id: self.delivery_id,
            kind: s(self.kind),
            detail: s(self.detail),
            prev_hash: s(self.prev_hash),
            hash: s(self.hash),
        }
    }
}

/// Walk the entries from `from_seq` on in seq order without copying them, while `f` says to go on.
pub fn for_each_raw<E: From<Error>>(
    conn: &Conn,
    from_seq: i64,
    mut f: impl FnMut(&RawEvent) -> Result<bool, E>,
) -> Result<(), E> {
    let mut st = conn.raw().prepare("SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash, hash FROM events WHERE seq >= ?1 ORDER BY seq").map_err(Error::from)?;
    let mut rows = st.query([from_seq]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        let bytes = |i: usize| {
            r.get_ref(i).and_then(|v| {
                v.as_bytes()
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))
            })
        };
        let go_on = f(&RawEvent {
            seq: r.get(0).map_err(Error::from)?,
            at: bytes(1).map_err(Error::from)?,
            document_id: r.get(2).map_err(Error::from)?,
            delivery_id: r.get(3).map_err(Error::from)?,
            kind: bytes(4).map_err(Error::from)?,
            detail: bytes(5).map_err(Error::from)?,
            prev_hash: bytes(6).map_err(Error::from)?,
            hash: bytes(7).map_err(Error::from)?,
        })?;
        if !go_on {
            break;
        }
    }
    Ok(())
}

/// The stored hash of entry `seq`, if there is one.
pub fn hash_at(conn: &Conn, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT hash FROM events WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

/// The highest seq in the log.
pub fn last_seq(conn: &Conn) -> Result<Option<i64>> {
    Ok(conn.raw().query_row("SELECT max(seq) FROM events", [], |r| r.get(0))?)
}

/// An entry as stored; text that is not UTF-8 (a row edited by hand) comes with replacement characters, so
/// the verification can still name the entry instead of failing on it.
fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    let text = |i: usize| -> rusqlite::Result<String> {
        let v = r.get_ref(i)?;
        let b = v
            .as_bytes()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))?;
        Ok(String::from_utf8_lossy(b).into_owned())
    };
    Ok(Event {
        seq: r.get(0)?,
        at: text(1)?,
        document_id: r.get(2)?,
        delivery_id: r.get(3)?,
        kind: text(4)?,
        detail: text(5)?,
        prev_hash: text(6)?,
        hash: text(7)?,
    })
}

pub fn for_document(conn: &Conn, doc: i64) -> Result<Vec<Event>> {
    let mut st = conn.raw().prepare(
        "SELECT seq, at, document_id, delivery_id, kind, detail, prev_hash, hash FROM events WHERE document_id = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([doc], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The hash input as first defined (every field as a `String`): logs written then must still verify.
    fn reference(
        prev: &str,
        seq: i64,
        at: &str,
        doc: Option<i64>,
        delivery: Option<i64>,
        kind: &str,
        detail: &str,
    ) -> String {
        let mut h = Sha256::new();
        let parts = [
            prev.to_string(),
            seq.to_string(),
            at.to_string(),
            doc.map(|d| d.to_string()).unwrap_or_default(),
            delivery.map(|d| d.to_string()).unwrap_or_default(),
            kind.to_string(),
            detail.to_string(),
        ];
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p.as_bytes());
        }
        hex::encode(h.finalize())
    }

    #[test]
    fn entry_hash_input_is_unchanged() {
        let long = format!("{{\"reply\":\"{}\"}}", "ş".repeat(600));
        for (seq, doc, delivery) in [
            (1, None, None),
            (42, Some(7), None),
            (1_500_000, Some(1), Some(999_999)),
            (i64::MAX, Some(-3), Some(0)),
        ] {
            // Short entries (hashed from one buffer), long ones (part by part), and those at the edge.
            for detail in [
                r#"{"reply":"250 OK"}"#.to_string(),
                long.clone(),
                "x".repeat(1024 - 8 * 7 - 64 - 20 - 13),
                "x".repeat(900),
            ] {
                let (at, kind) = ("2021-11-05T09:00:00Z", "delivery.sent");
                assert_eq!(
                    entry_hash(GENESIS, seq, at, doc, delivery, kind, &detail),
                    reference(GENESIS, seq, at, doc, delivery, kind, &detail),
                    "{seq} {doc:?} {delivery:?} {}",
                    detail.len()
                );
            }
        }
    }
}
