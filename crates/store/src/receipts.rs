//! SQL for receipts and acknowledgements: state changes of deliveries (compare-and-set on the state), reminders,
//! follow-ons reported back, and the streaming reads that status, audit and the ack server need.

use rusqlite::{params, OptionalExtension};

use crate::Conn;

use super::deliveries::{self, Delivery};
use super::{opt_text, text};
use crate::error::{Error, Result};

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
    Ok(conn.raw()
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
pub fn record_ack(conn: &Conn, id: i64, at: &str, by: Option<&str>, method: &str, kayit_no: Option<&str>) -> Result<bool> {
    let n = conn.raw()
        .prepare_cached(
            "UPDATE deliveries SET state = 'acknowledged', acknowledged_at = ?1, ack_by = ?2, ack_method = ?3,
                    recipient_kayit_no = coalesce(?4, recipient_kayit_no)
              WHERE id = ?5 AND state <> 'acknowledged'",
        )?
        .execute(params![at, by, method, kayit_no, id])?;
    Ok(n == 1)
}

/// Record the recipient office's own registration of our document; only from `from` (compare-and-set).
pub fn record_received(conn: &Conn, id: i64, from: &str, at: &str, kayit_no: Option<&str>, kayit_date: Option<&str>) -> Result<bool> {
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
pub fn record_state(conn: &Conn, id: i64, from: &str, to: &str, at: &str, reason: Option<&str>, channel: Option<&str>) -> Result<bool> {
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
    conn.raw().prepare_cached("UPDATE deliveries SET reminders = reminders + 1, last_reminded_at = ?1 WHERE id = ?2")?.execute(params![at, id])?;
    Ok(conn.raw().prepare_cached("SELECT reminders FROM deliveries WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
}

/// Where a reminder escalates to: an org's parent, or a person's org — (code, name, e-mail).
pub fn escalation_target(conn: &Conn, d: &Delivery) -> Result<Option<(String, String, Option<String>)>> {
    let sql = if d.recipient_kind == "person" {
        "SELECT o.code, o.name, o.email FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?1"
    } else {
        "SELECT p.code, p.name, p.email FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?1"
    };
    let key = if d.recipient_kind == "person" { d.person_id } else { d.org_id };
    let Some(key) = key else { return Ok(None) };
    Ok(conn.raw().prepare_cached(sql)?.query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?)
}

/// Deliveries of a document still waiting for an acknowledgement (not acknowledged, not exempt).
pub fn open_deliveries(conn: &Conn, doc: i64) -> Result<Vec<Delivery>> {
    deliveries::in_states(conn, doc, &["queued", "sending", "sent", "received", "failed", "no-address"])
}

/// (role, state, count) for one document.
pub fn counts_by_role(conn: &Conn, doc: i64) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.raw().prepare_cached("SELECT role, state, count(*) FROM deliveries WHERE document_id = ?1 GROUP BY role, state ORDER BY role, state")?;
    let rows = st.query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The id range of a document's deliveries (they are frozen in one transaction, so usually contiguous).
/// Two queries: SQLite answers a lone `min` or `max` from the `(document_id, id)` index in one descent, but
/// both in one query walk every entry.
pub fn id_range(conn: &Conn, doc: i64) -> Result<(i64, i64)> {
    let one = |sql: &str| -> Result<Option<i64>> { Ok(conn.raw().prepare_cached(sql)?.query_row([doc], |r| r.get(0))?) };
    match (one("SELECT min(id) FROM deliveries WHERE document_id = ?1")?, one("SELECT max(id) FROM deliveries WHERE document_id = ?1")?) {
        (Some(lo), Some(hi)) => Ok((lo, hi)),
        _ => Ok((0, -1)),
    }
}

/// What the audit summary needs of one delivery, borrowed from the row.
pub struct SummaryRow<'a> {
    pub id: i64,
    /// The office it reached (frozen with the distribution); none when no org is known.
    pub office: Option<i64>,
    pub recipient_code: &'a str,
    pub name: &'a str,
    pub state: &'a str,
    pub last_reply: Option<&'a str>,
    pub state_reason: Option<&'a str>,
    pub cascade_kind: Option<&'a str>,
    pub cascade_text: Option<&'a str>,
    pub acknowledged_at: Option<&'a str>,
}

/// Walk every delivery of a document in id order reading only what the summary needs, from the row alone
/// (no join). Like the timeline walk, it reads the table over the document's id range (no per-row index
/// lookup; the unary `+` keeps SQLite from choosing the document index instead).
pub fn for_each_summary_row<E: From<Error>>(conn: &Conn, doc: i64, mut f: impl FnMut(&SummaryRow) -> Result<(), E>) -> Result<(), E> {
    let (lo, hi) = id_range(conn, doc)?;
    let mut st = conn.raw().prepare(
        "SELECT id, office_id, recipient_code, name, state, last_reply, state_reason, cascade_kind, cascade_text, acknowledged_at
           FROM deliveries WHERE id BETWEEN ?2 AND ?3 AND +document_id = ?1 ORDER BY id",
    ).map_err(Error::from)?;
    let mut rows = st.query(params![doc, lo, hi]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        f(&SummaryRow {
            id: r.get(0).map_err(Error::from)?,
            office: r.get(1).map_err(Error::from)?,
            recipient_code: text(r, 2).map_err(Error::from)?,
            name: text(r, 3).map_err(Error::from)?,
            state: text(r, 4).map_err(Error::from)?,
            last_reply: opt_text(r, 5).map_err(Error::from)?,
            state_reason: opt_text(r, 6).map_err(Error::from)?,
            cascade_kind: opt_text(r, 7).map_err(Error::from)?,
            cascade_text: opt_text(r, 8).map_err(Error::from)?,
            acknowledged_at: opt_text(r, 9).map_err(Error::from)?,
        })?;
    }
    Ok(())
}

/// How the audit names a delivery: recipient code, name, office (the code of the org it reached, else its own
/// code) and the last reply a server gave for it (kept when it moves on: a bounce, then a phone call).
pub struct DeliveryLabel {
    pub recipient: String,
    pub name: String,
    pub office: String,
    pub last_reply: Option<String>,
}

pub fn delivery_label(conn: &Conn, id: i64) -> Result<Option<DeliveryLabel>> {
    Ok(conn.raw()
        .prepare_cached(
            "SELECT d.recipient_code, d.name, coalesce(o.code, d.recipient_code), d.last_reply
               FROM deliveries d LEFT JOIN orgs o ON o.id = d.office_id WHERE d.id = ?1",
        )?
        .query_row([id], |r| Ok(DeliveryLabel { recipient: r.get(0)?, name: r.get(1)?, office: r.get(2)?, last_reply: r.get(3)? }))
        .optional()?)
}

/// An org's code and name by id.
pub fn org_code_name(conn: &Conn, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn.raw().prepare_cached("SELECT code, name FROM orgs WHERE id = ?1")?.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

/// One event of a delivery's timeline.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TimelineEvent {
    pub seq: i64,
    pub delivery_id: i64,
    pub at: String,
    pub kind: String,
    /// The stored JSON text; serialized as the JSON it holds (`"detail": {"method": "link", …}`), so a
    /// script reads `detail.method`. Text that is not JSON (an edited row) is serialized as a string, as stored.
    #[serde(serialize_with = "embedded_json")]
    pub detail: String,
}

pub fn embedded_json<S: serde::Serializer>(detail: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::Serialize;
    match serde_json::from_str::<&serde_json::value::RawValue>(detail) {
        Ok(raw) => raw.serialize(s),
        Err(_) => detail.serialize(s),
    }
}

/// One event of a delivery's timeline, borrowed (from a row, or from an entry the log's verification walks);
/// serialized as [`TimelineEvent`] is.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct EventRow<'a> {
    pub seq: i64,
    pub delivery_id: i64,
    pub at: &'a str,
    pub kind: &'a str,
    #[serde(serialize_with = "embedded_json")]
    pub detail: &'a str,
}

/// One recipient's timeline, borrowed from the rows being walked: the delivery, its office (the org
/// it reached, frozen with the distribution), the 0003 columns, and its events. Serialized as one JSON object.
#[derive(Debug, serde::Serialize)]
pub struct TimelineRow<'a> {
    #[serde(flatten)]
    pub delivery: Delivery<&'a str>,
    #[serde(skip)]
    pub office_id: Option<i64>,
    pub office_code: Option<&'a str>,
    pub office_name: Option<&'a str>,
    #[serde(flatten)]
    pub extra: Extra<&'a str>,
    pub events: &'a [TimelineEvent],
}

impl TimelineRow<'_> {
    /// What the summary counts of this recipient (read by the `All` and `Brief` walks).
    pub fn summary_row(&self) -> SummaryRow<'_> {
        let d = &self.delivery;
        SummaryRow {
            id: d.id,
            office: self.office_id,
            recipient_code: d.recipient_code,
            name: d.name,
            state: d.state,
            last_reply: d.last_reply,
            state_reason: self.extra.state_reason,
            cascade_kind: d.cascade_kind,
            cascade_text: d.cascade_text,
            acknowledged_at: d.acknowledged_at,
        }
    }
}

/// Which columns of a delivery a timeline walk reads. Decoding columns is most of the walk's time, so a
/// report that shows a few of them asks for those; the others come back empty (`''`, `0` or NULL, which
/// SQLite hands over without touching the row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineColumns {
    /// Every column (the JSON report).
    All,
    /// Those a CSV row shows.
    Csv,
    /// Those a text line shows (recipient, name, role, office, state) and those the summary counts.
    Brief,
}

impl TimelineColumns {
    fn wants(self, col: &str) -> bool {
        match self {
            TimelineColumns::All => true,
            TimelineColumns::Csv => matches!(
                col,
                "id" | "recipient_kind" | "recipient_code" | "name" | "role" | "path" | "state" | "channel" | "sent_at" | "received_at"
                    | "acknowledged_at" | "ack_by" | "ack_method" | "office_id" | "recipient_kayit_no"
            ),
            TimelineColumns::Brief => matches!(
                col,
                "id" | "recipient_code" | "name" | "role" | "state" | "office_id" | "last_reply" | "state_reason" | "cascade_kind"
                    | "cascade_text" | "acknowledged_at"
            ),
        }
    }

    /// The select list: each column of `cols` itself or, when not wanted, an empty stand-in of its type.
    fn select(self, cols: &str) -> String {
        cols.split(',')
            .map(|c| {
                let c = c.trim();
                if self.wants(c) {
                    match (self, c) {
                        // The summary shows a reply only for a failure (most rows have one: "250 OK").
                        (TimelineColumns::Brief, "last_reply") => "CASE WHEN state = 'failed' THEN last_reply END".to_string(),
                        _ => c.to_string(),
                    }
                } else {
                    match c {
                        "document_id" | "attempts" | "reminders" => "0".to_string(),
                        "recipient_kind" | "recipient_code" | "name" | "role" | "path" | "state" => "''".to_string(),
                        _ => "NULL".to_string(),
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Walk every delivery of a document with its events, holding one recipient at a time: the deliveries
/// (in id order, [`for_each_delivery`]) merged with the document's events (ordered by delivery, then seq,
/// [`for_each_document_event`]). Rows are borrowed and the event buffers reused, so nothing is allocated
/// per recipient.
pub fn for_each_timeline<E: From<Error>>(conn: &Conn, doc: i64, columns: TimelineColumns, mut f: impl FnMut(&TimelineRow) -> Result<(), E>) -> Result<(), E> {
    let mut ev = conn.raw().prepare(EVENTS_BY_DELIVERY).map_err(Error::from)?;
    let mut ev_rows = ev.query([doc]).map_err(Error::from)?;
    // The next event not yet given to a delivery (read into reused strings).
    fn next(rows: &mut rusqlite::Rows, e: &mut TimelineEvent) -> Result<bool> {
        let Some(r) = rows.next().map_err(Error::from)? else { return Ok(false) };
        e.seq = r.get(0).map_err(Error::from)?;
        e.delivery_id = r.get(1).map_err(Error::from)?;
        for (i, s) in [(2, &mut e.at), (3, &mut e.kind), (4, &mut e.detail)] {
            s.clear();
            s.push_str(text(r, i).map_err(Error::from)?);
        }
        Ok(true)
    }
    let mut pending = TimelineEvent::default();
    let mut have_pending = next(&mut ev_rows, &mut pending)?;
    let mut events: Vec<TimelineEvent> = Vec::new();
    for_each_delivery(conn, doc, columns, |t| {
        let id = t.delivery.id;
        let mut n = 0;
        while have_pending && pending.delivery_id <= id {
            if pending.delivery_id == id {
                if n == events.len() {
                    events.push(TimelineEvent::default());
                }
                std::mem::swap(&mut events[n], &mut pending);
                n += 1;
            }
            have_pending = next(&mut ev_rows, &mut pending)?;
        }
        f(&TimelineRow {
            delivery: t.delivery.clone(),
            office_id: t.office_id,
            office_code: t.office_code,
            office_name: t.office_name,
            extra: t.extra.clone(),
            events: &events[..n],
        })
    })
}

/// The document's events of its deliveries, by delivery then seq, from the 0004 `events_timeline` index alone.
const EVENTS_BY_DELIVERY: &str = "SELECT seq, delivery_id, at, kind, detail FROM events
          WHERE document_id = ?1 AND delivery_id IS NOT NULL ORDER BY delivery_id, seq";

/// Walk the document's events of its deliveries, ordered by delivery, then seq, borrowed. Text that is
/// not UTF-8 (an edited row) is shown with replacement characters, as the log's verification walk shows it.
pub fn for_each_document_event<E: From<Error>>(conn: &Conn, doc: i64, mut f: impl FnMut(&EventRow) -> Result<(), E>) -> Result<(), E> {
    let mut st = conn.raw().prepare(EVENTS_BY_DELIVERY).map_err(Error::from)?;
    let mut rows = st.query([doc]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        let shown = |i: usize| -> Result<std::borrow::Cow<'_, str>> {
            let v = r.get_ref(i).map_err(Error::from)?;
            let b = v.as_bytes().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e))).map_err(Error::from)?;
            Ok(String::from_utf8_lossy(b))
        };
        f(&EventRow { seq: r.get(0).map_err(Error::from)?, delivery_id: r.get(1).map_err(Error::from)?, at: &shown(2)?, kind: &shown(3)?, detail: &shown(4)? })?;
    }
    Ok(())
}

/// Walk every delivery of a document in id order, borrowed, reading only the `columns` asked for; each
/// comes with no events (see [`for_each_timeline`]).
pub fn for_each_delivery<E: From<Error>>(conn: &Conn, doc: i64, columns: TimelineColumns, f: impl FnMut(&TimelineRow) -> Result<(), E>) -> Result<(), E> {
    let (lo, hi) = id_range(conn, doc)?;
    for_each_delivery_in(conn, doc, columns, (lo, hi), f)
}

/// [`for_each_delivery`] for the deliveries with ids in `lo..=hi` (a part of the document's, walked on its own).
pub fn for_each_delivery_in<E: From<Error>>(
    conn: &Conn,
    doc: i64,
    columns: TimelineColumns,
    (lo, hi): (i64, i64),
    mut f: impl FnMut(&TimelineRow) -> Result<(), E>,
) -> Result<(), E> {
    // The offices' code and name, looked up once each (a few hundred offices for a million recipients).
    let mut offices: rustc_hash::FxHashMap<i64, Option<(String, String)>> = rustc_hash::FxHashMap::default();
    let all = format!("{}, office_id, recipient_kayit_no, recipient_kayit_date, state_reason, last_reminded_at", deliveries::COLS);
    let wanted: Vec<bool> = all.split(',').map(|c| columns.wants(c.trim())).collect();
    let mut st = conn.raw().prepare(&format!(
        "SELECT {} FROM deliveries WHERE id BETWEEN ?2 AND ?3 AND +document_id = ?1 ORDER BY id",
        columns.select(&all)
    )).map_err(Error::from)?;
    fn opt<'a>(wanted: &[bool], r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'a str>> {
        if wanted[i] {
            opt_text(r, i)
        } else {
            Ok(None)
        }
    }
    let mut rows = st.query(params![doc, lo, hi]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        let office: Option<i64> = if wanted[23] { r.get(23).map_err(Error::from)? } else { None };
        if let Some(o) = office.filter(|o| !offices.contains_key(o)) {
            offices.insert(o, org_code_name(conn, o)?);
        }
        let office_id = office;
        let office = office.and_then(|o| offices.get(&o)).and_then(|x| x.as_ref());
        f(&TimelineRow {
            office_id,
            delivery: deliveries::from_row_ref_only(r, &wanted).map_err(Error::from)?,
            office_code: office.map(|(code, _)| code.as_str()),
            office_name: office.map(|(_, name)| name.as_str()),
            extra: Extra {
                recipient_kayit_no: opt(&wanted, r, 24).map_err(Error::from)?,
                recipient_kayit_date: opt(&wanted, r, 25).map_err(Error::from)?,
                state_reason: opt(&wanted, r, 26).map_err(Error::from)?,
                last_reminded_at: opt(&wanted, r, 27).map_err(Error::from)?,
            },
            events: &[],
        })?;
    }
    Ok(())
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
        params![doc, r.delivery_id, r.sayi, r.tarih, r.recipients, r.acknowledged, r.reported_at],
    )?;
    Ok(())
}

const FOLLOWON_COLUMNS: &str = "f.delivery_id, d.recipient_code, f.sayi, f.tarih, f.recipients, f.acknowledged, f.reported_at
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
    let mut st = conn.raw().prepare_cached(&format!("SELECT {FOLLOWON_COLUMNS} WHERE f.document_id = ?1 ORDER BY f.id"))?;
    let rows = st.query_map([doc], followon_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The follow-on a delivery's recipient reported under `sayi`, if any.
pub fn followon(conn: &Conn, delivery: i64, sayi: &str) -> Result<Option<FollowonReport>> {
    Ok(conn.raw().prepare_cached(&format!("SELECT {FOLLOWON_COLUMNS} WHERE f.delivery_id = ?1 AND f.sayi = ?2"))?.query_row(params![delivery, sayi], followon_row).optional()?)
}

/// Registered documents that cite or carry `doc`, with the code of the org that issued them (for incoming ones).
pub fn registered_followons(conn: &Conn, doc: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT DISTINCT d.id, d.direction, o.code FROM documents d LEFT JOIN orgs o ON o.id = d.from_org_id
          WHERE d.id IN (SELECT document_id FROM citations WHERE target_id = ?1
                         UNION SELECT document_id FROM attachments WHERE target_id = ?1) ORDER BY d.id",
    )?;
    let rows = st.query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Documents that have deliveries, newest first: (id, recipients, acknowledged).
pub fn documents_with_deliveries(conn: &Conn) -> Result<Vec<(i64, i64, i64)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT document_id, count(*), sum(state = 'acknowledged') FROM deliveries GROUP BY document_id ORDER BY document_id DESC",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether a document went to the org `code` itself or to any of its staff.
pub fn sent_to_org_or_staff(conn: &Conn, doc: i64, code: &str) -> Result<bool> {
    Ok(conn.raw()
        .prepare_cached(
            "SELECT 1 FROM deliveries d LEFT JOIN people p ON p.id = d.person_id LEFT JOIN orgs po ON po.id = p.org_id
              WHERE d.document_id = ?1 AND (d.recipient_code = ?2 OR po.code = ?2) LIMIT 1",
        )?
        .query_row(params![doc, code], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::TimelineEvent;

    #[test]
    fn an_events_detail_serializes_as_the_json_it_holds_and_anything_else_as_text() {
        let e = |detail: &str| TimelineEvent { seq: 1, delivery_id: 2, at: "2021-11-05T09:00:00Z".into(), kind: "delivery.acknowledged".into(), detail: detail.into() };
        let json = |e: TimelineEvent| serde_json::to_value(e).unwrap()["detail"].clone();
        assert_eq!(json(e(r#"{"method":"link","by":"Ayşe <b>"}"#)), serde_json::json!({"method": "link", "by": "Ayşe <b>"}));
        // A detail edited into something that is not JSON is shown as it is stored, and the report stays JSON.
        assert_eq!(json(e(r#"{"method":"link""#)), serde_json::json!(r#"{"method":"link""#));
        assert_eq!(json(e("")), serde_json::json!(""));
    }
}
