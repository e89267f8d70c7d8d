//! SQL for offices (orgs): insert, look up, list, children.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::now_text;
use crate::error::{Error, Result};
use crate::registry::org::{NewOrg, Org};

const COLS: &str = "o.id, o.code, o.name, o.kind, p.code, o.email, o.kep, o.detsis";

fn from_row(r: &Row) -> rusqlite::Result<Org> {
    Ok(Org {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        parent: r.get(4)?,
        email: r.get(5)?,
        kep: r.get(6)?,
        detsis: r.get(7)?,
    })
}

pub fn insert(conn: &Connection, org: &NewOrg) -> Result<i64> {
    if find(conn, &org.code)?.is_some() {
        return Err(Error::Duplicate { what: "org", key: org.code.clone() });
    }
    let parent_id = match &org.parent {
        Some(p) => Some(id_of(conn, p).map_err(|_| Error::invalid("--parent", format!("org {p:?} does not exist")))?),
        None => None,
    };
    conn.execute(
        "INSERT INTO orgs (code, name, kind, parent_id, email, kep, detsis, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![org.code, org.name, org.kind, parent_id, org.email, org.kep, org.detsis, now_text()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, code: &str) -> Result<Option<Org>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.code = ?1"),
            [code],
            from_row,
        )
        .optional()?)
}

pub fn get(conn: &Connection, code: &str) -> Result<Org> {
    find(conn, code)?.ok_or_else(|| Error::not_found("org", code))
}

pub fn get_by_id(conn: &Connection, id: i64) -> Result<Org> {
    Ok(conn.query_row(
        &format!("SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?1"),
        [id],
        from_row,
    )?)
}

pub fn id_of(conn: &Connection, code: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("org", code))
}

pub fn all(conn: &Connection) -> Result<Vec<Org>> {
    let mut st = conn.prepare(&format!("SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id"))?;
    let rows = st.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn children(conn: &Connection, parent_id: i64, kind: Option<&str>) -> Result<Vec<Org>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.parent_id = ?1 AND (?2 IS NULL OR o.kind = ?2)"
    ))?;
    let rows = st.query_map(params![parent_id, kind], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))?)
}
