//! SQL for offices (orgs): insert, look up, list, children.

use rusqlite::{params, OptionalExtension, Row};

use crate::Conn;

use super::now_text;
use crate::error::{Error, Result};
use tamim_core::org::{NewOrg, Org};

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

pub fn insert(conn: &Conn, org: &NewOrg) -> Result<i64> {
    if find(conn, &org.code)?.is_some() {
        return Err(Error::duplicate("org", org.code.clone()));
    }
    let parent_id = match &org.parent {
        Some(p) => Some(id_of(conn, p).map_err(|_| Error::invalid("parent", format!("org {p:?} does not exist")))?),
        None => None,
    };
    conn.raw().execute(
        "INSERT INTO orgs (code, name, kind, parent_id, email, kep, detsis, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![org.code, org.name, org.kind, parent_id, org.email, org.kep, org.detsis, now_text()],
    )?;
    Ok(conn.raw().last_insert_rowid())
}

/// Set the parent of the org `code` (an import sets parents once every org of the file exists).
pub fn set_parent(conn: &Conn, code: &str, parent_id: i64) -> Result<()> {
    conn.raw().execute(
        "UPDATE orgs SET parent_id = ?1 WHERE code = ?2",
        params![parent_id, code],
    )?;
    Ok(())
}

pub fn find(conn: &Conn, code: &str) -> Result<Option<Org>> {
    Ok(conn
        .raw()
        .query_row(
            &format!("SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.code = ?1"),
            [code],
            from_row,
        )
        .optional()?)
}

pub fn get(conn: &Conn, code: &str) -> Result<Org> {
    find(conn, code)?.ok_or_else(|| Error::not_found("org", code))
}

pub fn get_by_id(conn: &Conn, id: i64) -> Result<Org> {
    Ok(conn.raw().query_row(
        &format!("SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?1"),
        [id],
        from_row,
    )?)
}

pub fn id_of(conn: &Conn, code: &str) -> Result<i64> {
    conn.raw()
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("org", code))
}

pub fn all(conn: &Conn) -> Result<Vec<Org>> {
    let mut st = conn.raw().prepare(&format!(
        "SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id"
    ))?;
    let rows = st.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn children(conn: &Conn, parent_id: i64, kind: Option<&str>) -> Result<Vec<Org>> {
    let mut st = conn.raw().prepare(&format!(
        "SELECT {COLS} FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.parent_id = ?1 AND (?2 IS NULL OR o.kind = ?2)"
    ))?;
    let rows = st
        .query_map(params![parent_id, kind], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn count(conn: &Conn) -> Result<i64> {
    Ok(conn.raw().query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))?)
}
