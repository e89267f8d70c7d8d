//! SQL for deliveries: one row per recipient of an issued document, frozen from the expanded dağıtım.

use rusqlite::{params, OptionalExtension, Row};

use crate::Conn;
use tamim_core::state::State;

use crate::error::{Error, Result};

/// A delivery as stored: owned (`Delivery`), or borrowed from the row being read (`Delivery<&str>`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Delivery<S = String> {
    pub id: i64,
    pub document_id: i64,
    pub recipient_kind: S,
    pub recipient_code: S,
    pub name: S,
    pub email: Option<S>,
    pub role: S,
    pub path: S,
    pub cascade_kind: Option<S>,
    pub cascade_text: Option<S>,
    /// Always read, whatever the columns asked for.
    pub state: State,
    pub channel: Option<S>,
    pub attempts: i64,
    pub message_id: Option<S>,
    pub last_reply: Option<S>,
    pub sent_at: Option<S>,
    pub received_at: Option<S>,
    pub acknowledged_at: Option<S>,
    pub ack_by: Option<S>,
    pub ack_method: Option<S>,
    pub reminders: i64,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
}

impl<S> Delivery<S> {
    /// The same delivery with each text field passed through `f` (e.g. `String` → `&str`).
    pub fn map<'a, T>(&'a self, f: impl Fn(&'a S) -> T) -> Delivery<T> {
        let opt = |x: &'a Option<S>| x.as_ref().map(&f);
        Delivery {
            id: self.id,
            document_id: self.document_id,
            recipient_kind: f(&self.recipient_kind),
            recipient_code: f(&self.recipient_code),
            name: f(&self.name),
            email: opt(&self.email),
            role: f(&self.role),
            path: f(&self.path),
            cascade_kind: opt(&self.cascade_kind),
            cascade_text: opt(&self.cascade_text),
            state: self.state,
            channel: opt(&self.channel),
            attempts: self.attempts,
            message_id: opt(&self.message_id),
            last_reply: opt(&self.last_reply),
            sent_at: opt(&self.sent_at),
            received_at: opt(&self.received_at),
            acknowledged_at: opt(&self.acknowledged_at),
            ack_by: opt(&self.ack_by),
            ack_method: opt(&self.ack_method),
            reminders: self.reminders,
            org_id: self.org_id,
            person_id: self.person_id,
        }
    }
}

pub const COLS: &str = "id, document_id, recipient_kind, recipient_code, name, email, role, path, cascade_kind, cascade_text,
    state, channel, attempts, message_id, last_reply, sent_at, received_at, acknowledged_at, ack_by, ack_method, reminders,
    org_id, person_id";

pub fn from_row(r: &Row) -> rusqlite::Result<Delivery> {
    read(r, |_| true, |i| r.get(i))
}

/// A delivery borrowed from the current row (its columns first, in `COLS` order): nothing is copied.
pub fn from_row_ref<'r>(r: &'r Row<'_>) -> rusqlite::Result<Delivery<&'r str>> {
    read(r, |_| true, |i| super::opt_text(r, i))
}

/// Like [`from_row_ref`], reading only the columns `wanted` names (by index in `COLS`); the others are
/// left empty (`""`, `0`, `None`) without asking SQLite for them.
pub fn from_row_ref_only<'r>(r: &'r Row<'_>, wanted: &[bool]) -> rusqlite::Result<Delivery<&'r str>> {
    read(r, |i| wanted.get(i).copied().unwrap_or(true), |i| super::opt_text(r, i))
}

/// A delivery's state as stored; a value this tamim does not know is an error naming the column.
pub(crate) fn state_at(r: &Row, i: usize) -> rusqlite::Result<State> {
    let s = super::text(r, i)?;
    State::parse(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown delivery state {s:?}").into(),
        )
    })
}

/// The columns of `COLS`, each text column read with `get`, only those `wanted`.
fn read<S: Default>(
    r: &Row,
    wanted: impl Fn(usize) -> bool,
    get: impl Fn(usize) -> rusqlite::Result<Option<S>>,
) -> rusqlite::Result<Delivery<S>> {
    let get = |i: usize| if wanted(i) { get(i) } else { Ok(None) };
    let need = |i: usize| {
        if !wanted(i) {
            return Ok(S::default());
        }
        get(i)?.ok_or_else(|| {
            let name = COLS.split(',').nth(i).unwrap_or_default().trim().to_string();
            rusqlite::Error::InvalidColumnType(i, name, rusqlite::types::Type::Null)
        })
    };
    let int = |i: usize| if wanted(i) { r.get(i) } else { Ok(0) };
    let opt_int = |i: usize| if wanted(i) { r.get(i) } else { Ok(None) };
    Ok(Delivery {
        id: int(0)?,
        document_id: int(1)?,
        recipient_kind: need(2)?,
        recipient_code: need(3)?,
        name: need(4)?,
        email: get(5)?,
        role: need(6)?,
        path: need(7)?,
        cascade_kind: get(8)?,
        cascade_text: get(9)?,
        state: state_at(r, 10)?,
        channel: get(11)?,
        attempts: int(12)?,
        message_id: get(13)?,
        last_reply: get(14)?,
        sent_at: get(15)?,
        received_at: get(16)?,
        acknowledged_at: get(17)?,
        ack_by: get(18)?,
        ack_method: get(19)?,
        reminders: int(20)?,
        org_id: opt_int(21)?,
        person_id: opt_int(22)?,
    })
}

/// A delivery to create.
pub struct NewDelivery<'a> {
    pub document_id: i64,
    pub recipient_kind: &'a str,
    pub recipient_code: &'a str,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub role: &'a str,
    pub path: &'a str,
    pub cascade_kind: Option<&'a str>,
    pub cascade_text: Option<&'a str>,
    pub state: State,
    pub channel: Option<&'a str>,
    pub token_hash: &'a str,
}

/// Creates the delivery; `None` when the document already has one for this recipient (nothing written).
pub fn insert(conn: &Conn, d: &NewDelivery) -> Result<Option<i64>> {
    let n = conn.raw()
        .prepare_cached(
            "INSERT INTO deliveries (document_id, recipient_kind, recipient_code, org_id, person_id, name, email, role, path,
                 cascade_kind, cascade_text, state, channel, token_hash, office_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                     coalesce(?4, (SELECT p.org_id FROM people p WHERE p.id = ?5)))
             ON CONFLICT (document_id, recipient_code) DO NOTHING",
        )?
        .execute(params![
            d.document_id,
            d.recipient_kind,
            d.recipient_code,
            d.org_id,
            d.person_id,
            d.name,
            d.email,
            d.role,
            d.path,
            d.cascade_kind,
            d.cascade_text,
            d.state.as_str(),
            d.channel,
            d.token_hash
        ])?;
    Ok((n == 1).then(|| conn.raw().last_insert_rowid()))
}

/// The id and role of the document's delivery to `code`.
pub fn role_of(conn: &Conn, doc: i64, code: &str) -> Result<(i64, String)> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT id, role FROM deliveries WHERE document_id = ?1 AND recipient_code = ?2")?
        .query_row(params![doc, code], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Gives a delivery a stronger role, with the path that gave it.
pub fn set_role(conn: &Conn, id: i64, role: &str, path: &str) -> Result<()> {
    conn.raw()
        .prepare_cached("UPDATE deliveries SET role = ?1, path = ?2 WHERE id = ?3")?
        .execute(params![role, path, id])?;
    Ok(())
}

/// How many of the document's deliveries are in `state`.
pub fn count_in(conn: &Conn, doc: i64, state: State) -> Result<i64> {
    Ok(conn.raw().query_row(
        "SELECT count(*) FROM deliveries WHERE document_id = ?1 AND state = ?2",
        params![doc, state.as_str()],
        |r| r.get(0),
    )?)
}

pub fn count_for(conn: &Conn, doc: i64) -> Result<i64> {
    Ok(conn
        .raw()
        .query_row("SELECT count(*) FROM deliveries WHERE document_id = ?1", [doc], |r| {
            r.get(0)
        })?)
}

pub fn for_document(conn: &Conn, doc: i64) -> Result<Vec<Delivery>> {
    let mut st = conn.raw().prepare(&format!(
        "SELECT {COLS} FROM deliveries WHERE document_id = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map([doc], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every delivery of `doc` in id order, each borrowed from its row: nothing is held but what `f` keeps.
pub fn for_each_of<E: From<Error>>(
    conn: &Conn,
    doc: i64,
    mut f: impl FnMut(&Delivery<&str>) -> Result<(), E>,
) -> Result<(), E> {
    let mut st = conn
        .raw()
        .prepare(&format!(
            "SELECT {COLS} FROM deliveries WHERE document_id = ?1 ORDER BY id"
        ))
        .map_err(Error::from)?;
    let mut rows = st.query([doc]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        f(&from_row_ref(r).map_err(Error::from)?)?;
    }
    Ok(())
}

pub fn in_states(conn: &Conn, doc: i64, states: &[State]) -> Result<Vec<Delivery>> {
    let marks = states
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",");
    let mut st = conn.raw().prepare(&format!(
        "SELECT {COLS} FROM deliveries WHERE document_id = ?1 AND state IN ({marks}) ORDER BY id"
    ))?;
    let rows = st.query_map([doc], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Delivery>> {
    Ok(conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM deliveries WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn by_token_hash(conn: &Conn, hash: &str) -> Result<Option<Delivery>> {
    Ok(conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM deliveries WHERE token_hash = ?1"))?
        .query_row([hash], from_row)
        .optional()?)
}

pub fn by_recipient(conn: &Conn, doc: i64, code: &str) -> Result<Option<Delivery>> {
    Ok(conn
        .raw()
        .query_row(
            &format!("SELECT {COLS} FROM deliveries WHERE document_id = ?1 AND recipient_code = ?2"),
            params![doc, code],
            from_row,
        )
        .optional()?)
}

/// The outbox claims a delivery waiting to be sent (`queued`, or `sending` from an interrupted run): `sending`,
/// with the id of the message about to go out; false when it was in another state (compare-and-set).
pub fn claim(conn: &Conn, id: i64, message_id: &str, channel: &str) -> Result<bool> {
    let n = conn
        .raw()
        .prepare_cached(
            "UPDATE deliveries SET state = 'sending', message_id = ?1, channel = ?2, attempts = attempts + 1
              WHERE id = ?3 AND state IN ('queued', 'sending')",
        )?
        .execute(params![message_id, channel, id])?;
    Ok(n == 1)
}

/// The next `limit` deliveries of `doc` on `channel` waiting to be sent (`queued`, or `sending` from an
/// interrupted run) with an id above `after`, in id order: the outbox pages through them instead of loading
/// them all.
pub fn pending_page(conn: &Conn, doc: i64, channel: &str, after: i64, limit: usize) -> Result<Vec<Delivery>> {
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT {COLS} FROM deliveries WHERE document_id = ?1 AND id > ?2 AND state IN ('queued', 'sending')
            AND coalesce(channel, 'email') = ?4 ORDER BY id LIMIT ?3"
    ))?;
    let rows = st
        .query_map(params![doc, after, limit as i64, channel], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The next `limit` deliveries of `doc` that failed for good, with an id above `after`, in id order.
pub fn failed_page(conn: &Conn, doc: i64, after: i64, limit: usize) -> Result<Vec<Delivery>> {
    page(conn, "('failed')", doc, after, limit)
}

/// Keyset paging through the deliveries of `doc` in `states` (an SQL list written here, never from input).
fn page(conn: &Conn, states: &str, doc: i64, after: i64, limit: usize) -> Result<Vec<Delivery>> {
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT {COLS} FROM deliveries WHERE document_id = ?1 AND id > ?2 AND state IN {states} ORDER BY id LIMIT ?3"
    ))?;
    let rows = st
        .query_map(params![doc, after, limit as i64], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Gives the document's unsent claims back to the queue (`sending` → `queued`) after the server refused the
/// whole run (connect, TLS, AUTH, a refused MAIL FROM): none of those messages went out.
pub fn release_claims(conn: &Conn, doc: i64) -> Result<usize> {
    Ok(conn.raw().execute(
        "UPDATE deliveries SET state = 'queued' WHERE document_id = ?1 AND state = 'sending'",
        [doc],
    )?)
}

/// Counts per state for one document.
pub fn counts(conn: &Conn, doc: i64) -> Result<Vec<(State, i64)>> {
    let mut st = conn
        .raw()
        .prepare("SELECT state, count(*) FROM deliveries WHERE document_id = ?1 GROUP BY state ORDER BY state")?;
    let rows = st
        .query_map([doc], |r| Ok((state_at(r, 0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
