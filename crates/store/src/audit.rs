//! SQL for the audit report: one document's deliveries in id order, each with its events (ordered by
//! delivery, then seq, from the 0004 `events_timeline` index), merged in one streaming pass that holds
//! one delivery's events at a time.

use rusqlite::{params, Row};

use crate::Conn;
use std::collections::HashMap;

use super::deliveries::{self, Delivery};
use super::opt_text;
use super::receipts::Extra;
use crate::error::{Error, Result};

/// One delivery as the report reads it, borrowed from the row: the delivery, the office it reached
/// (code and name of the org frozen with the distribution), and the 0003 columns.
#[derive(Debug)]
pub struct Recipient<'a> {
    pub delivery: Delivery<&'a str>,
    pub office_id: Option<i64>,
    pub office: Option<(&'a str, &'a str)>,
    pub extra: Extra<&'a str>,
}

/// One event of a delivery's timeline (its buffers reused from one delivery to the next). Text that is
/// not UTF-8 (an edited row) comes with replacement characters.
#[derive(Debug, Clone, Default)]
pub struct TimelineEvent {
    pub seq: i64,
    pub delivery_id: i64,
    pub at: String,
    pub kind: String,
    /// The stored JSON text.
    pub detail: String,
}

/// Which columns a walk reads: decoding columns is most of a walk's time, so the summary asks for those
/// it counts (the others come back empty: `''`, `0` or NULL) and the events' kinds alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// The summary's: id, office, recipient code, name, state, last reply, state reason, cascade duty,
    /// acknowledged at; each event's kind.
    Summary,
    /// Everything.
    All,
}

const ALL: &str = "id, document_id, recipient_kind, recipient_code, name, email, role, path, cascade_kind, cascade_text,
    state, channel, attempts, message_id, last_reply, sent_at, received_at, acknowledged_at, ack_by, ack_method, reminders,
    org_id, person_id, office_id, recipient_kayit_no, recipient_kayit_date, state_reason, last_reminded_at";
const SUMMARY: &str = "id, 0, '', recipient_code, name, NULL, '', '', cascade_kind, cascade_text,
    state, NULL, 0, NULL, last_reply, NULL, NULL, acknowledged_at, NULL, NULL, 0,
    NULL, NULL, office_id, NULL, NULL, state_reason, NULL";

/// Which of the delivery's columns (in `deliveries::COLS` order) the summary reads.
const SUMMARY_WANTED: [bool; 23] = {
    let mut w = [false; 23];
    let mut i = 0;
    while i < 23 {
        // id, recipient_code, name, cascade_kind, cascade_text, state, last_reply, acknowledged_at
        w[i] = matches!(i, 0 | 3 | 4 | 8 | 9 | 10 | 14 | 17);
        i += 1;
    }
    w
};

/// The id range of a document's deliveries (they are frozen in one transaction, so usually contiguous).
/// Two queries: SQLite answers a lone `min` or `max` from the `(document_id, id)` index in one descent.
fn id_range(conn: &Conn, doc: i64) -> Result<(i64, i64)> {
    let one =
        |sql: &str| -> Result<Option<i64>> { Ok(conn.raw().prepare_cached(sql)?.query_row([doc], |r| r.get(0))?) };
    match (
        one("SELECT min(id) FROM deliveries WHERE document_id = ?1")?,
        one("SELECT max(id) FROM deliveries WHERE document_id = ?1")?,
    ) {
        (Some(lo), Some(hi)) => Ok((lo, hi)),
        _ => Ok((0, -1)),
    }
}

/// The ids of a document's deliveries as `n` consecutive ranges of about the same size, for reading in
/// parts (fewer when there are few ids, one at least).
pub fn id_ranges(conn: &Conn, doc: i64, n: usize) -> Result<Vec<(i64, i64)>> {
    let (lo, hi) = id_range(conn, doc)?;
    Ok(split(lo, hi, n))
}

/// `lo..=hi` in `n` consecutive ranges of about the same size (fewer when there are few ids; one at least).
fn split(lo: i64, hi: i64, n: usize) -> Vec<(i64, i64)> {
    /// Below this many ids a range is not worth a thread.
    const LEAST: i128 = 1024;
    // In i128: ids spread over most of i64 (a row inserted by hand) must not overflow.
    let (lo_w, span) = (lo as i128, (hi as i128 - lo as i128 + 1).max(0));
    let n = (n as i128).min(span / LEAST).max(1);
    (0..n)
        .map(|k| ((lo_w + k * span / n) as i64, (lo_w + (k + 1) * span / n - 1) as i64))
        .collect()
}

/// Walk the deliveries of `doc` with ids in `lo..=hi` (all of them: [`id_ranges`] with one part) in id
/// order with their events, calling `f` once per delivery. Rows are borrowed and the event buffers
/// reused: nothing is held but one delivery's events.
pub fn for_each_recipient<E: From<Error>>(
    conn: &Conn,
    doc: i64,
    (lo, hi): (i64, i64),
    columns: Columns,
    mut f: impl FnMut(&Recipient, &[TimelineEvent]) -> Result<(), E>,
) -> Result<(), E> {
    let events_sql = match columns {
        Columns::All => {
            "SELECT seq, delivery_id, at, kind, detail FROM events
                          WHERE document_id = ?1 AND delivery_id BETWEEN ?2 AND ?3 ORDER BY delivery_id, seq"
        }
        Columns::Summary => {
            "SELECT seq, delivery_id, '', kind, '' FROM events
                              WHERE document_id = ?1 AND delivery_id BETWEEN ?2 AND ?3 ORDER BY delivery_id, seq"
        }
    };
    let mut ev = conn.raw().prepare(events_sql).map_err(Error::from)?;
    let mut ev_rows = ev.query(params![doc, lo, hi]).map_err(Error::from)?;
    let mut pending = TimelineEvent::default();
    let mut have_pending = next_event(&mut ev_rows, &mut pending)?;
    let mut events: Vec<TimelineEvent> = Vec::new();

    // The offices' code and name, looked up once each (a few hundred offices for a million recipients).
    let mut offices: HashMap<i64, Option<(String, String)>> = HashMap::new();
    let mut org = conn
        .raw()
        .prepare_cached("SELECT code, name FROM orgs WHERE id = ?1")
        .map_err(Error::from)?;
    // The table read over the document's id range (no per-row index lookup; the unary `+` keeps SQLite
    // from choosing the document index instead).
    let cols = if columns == Columns::All { ALL } else { SUMMARY };
    let mut st = conn
        .raw()
        .prepare(&format!(
            "SELECT {cols} FROM deliveries WHERE id BETWEEN ?2 AND ?3 AND +document_id = ?1 ORDER BY id"
        ))
        .map_err(Error::from)?;
    let mut rows = st.query(params![doc, lo, hi]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        let delivery = match columns {
            Columns::All => deliveries::from_row_ref(r).map_err(Error::from)?,
            Columns::Summary => deliveries::from_row_ref_only(r, &SUMMARY_WANTED).map_err(Error::from)?,
        };
        let office_id: Option<i64> = r.get(23).map_err(Error::from)?;
        if let Some(o) = office_id.filter(|o| !offices.contains_key(o)) {
            use rusqlite::OptionalExtension;
            let found = org
                .query_row([o], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(Error::from)?;
            offices.insert(o, found);
        }
        let office = office_id
            .and_then(|o| offices.get(&o))
            .and_then(|x| x.as_ref())
            .map(|(c, n)| (c.as_str(), n.as_str()));
        // This delivery's events; those of ids with no delivery here (none, unless rows were edited) are passed over.
        let mut n = 0;
        while have_pending && pending.delivery_id <= delivery.id {
            if pending.delivery_id == delivery.id {
                if n == events.len() {
                    events.push(TimelineEvent::default());
                }
                std::mem::swap(&mut events[n], &mut pending);
                n += 1;
            }
            have_pending = next_event(&mut ev_rows, &mut pending)?;
        }
        let recipient = Recipient {
            office_id,
            office,
            extra: extra(r, columns).map_err(Error::from)?,
            delivery,
        };
        f(&recipient, &events[..n])?;
    }
    Ok(())
}

fn extra<'r>(r: &'r Row<'_>, columns: Columns) -> rusqlite::Result<Extra<&'r str>> {
    if columns == Columns::Summary {
        return Ok(Extra {
            state_reason: opt_text(r, 26)?,
            ..Default::default()
        });
    }
    Ok(Extra {
        recipient_kayit_no: opt_text(r, 24)?,
        recipient_kayit_date: opt_text(r, 25)?,
        state_reason: opt_text(r, 26)?,
        last_reminded_at: opt_text(r, 27)?,
    })
}

/// Read the next event into `e`'s reused strings; false at the end.
fn next_event(rows: &mut rusqlite::Rows, e: &mut TimelineEvent) -> Result<bool> {
    let Some(r) = rows.next()? else {
        return Ok(false);
    };
    e.seq = r.get(0)?;
    e.delivery_id = r.get(1)?;
    for (i, s) in [(2, &mut e.at), (3, &mut e.kind), (4, &mut e.detail)] {
        let v = r.get_ref(i)?;
        let b = v
            .as_bytes()
            .map_err(|err| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(err)))?;
        s.clear();
        s.push_str(&String::from_utf8_lossy(b));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn ids_split_into_consecutive_ranges_covering_them_all() {
        let cases = [
            (1, 1_000_000, 2),
            (1, 1_000_000, 3),
            (5, 20_000, 4),
            (7, 9_000, 2),
            (1, 2047, 2),
            (1, 100, 4),
            (0, -1, 2),
            (3, 3, 1),
            (1, 1 << 62, 2),
            (i64::MIN + 1, i64::MAX, 3),
            (-5, 1 << 40, 4),
        ];
        for (lo, hi, n) in cases {
            let r = split(lo, hi, n);
            assert!(!r.is_empty() && r.len() <= n);
            assert_eq!((r[0].0, r[r.len() - 1].1), (lo, hi), "{lo} {hi} {n}");
            assert!(r.windows(2).all(|w| w[1].0 == w[0].1 + 1 && w[0].1 >= w[0].0), "{r:?}");
            if (hi as i128 - lo as i128 + 1) >= 2 * 1024 {
                assert!(r.len() >= 2, "{r:?}");
            }
        }
        assert_eq!(split(1, 1_000_000, 2), vec![(1, 500_000), (500_001, 1_000_000)]);
    }
}
