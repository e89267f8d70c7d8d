//! SQL for people (staff of an org).

use rusqlite::{params, OptionalExtension, Row};

use crate::Conn;

use super::now_text;
use crate::error::{Error, Result};
use tamim_core::person::{NewPerson, Person};

const COLS: &str = "p.id, p.code, p.name, p.title, o.code, p.email";

fn from_row(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        org: r.get(4)?,
        email: r.get(5)?,
    })
}

pub fn insert(conn: &Conn, p: &NewPerson) -> Result<i64> {
    if find(conn, &p.code)?.is_some() {
        return Err(Error::duplicate("person", p.code.clone()));
    }
    let org_id = super::orgs::id_of(conn, &p.org)
        .map_err(|_| Error::invalid("org", format!("org {:?} does not exist", p.org)))?;
    conn.raw().execute(
        "INSERT INTO people (code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![p.code, p.name, p.title, org_id, p.email, now_text()],
    )?;
    Ok(conn.raw().last_insert_rowid())
}

/// Insert a person whose org the caller has already looked up (an import of many: one statement, cached).
pub fn insert_in_org(conn: &Conn, p: &NewPerson, org_id: i64, now: &str) -> Result<i64> {
    conn.raw()
        .prepare_cached(
            "INSERT INTO people (code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![p.code, p.name, p.title, org_id, p.email, now])?;
    Ok(conn.raw().last_insert_rowid())
}

pub fn find(conn: &Conn, code: &str) -> Result<Option<Person>> {
    Ok(conn
        .raw()
        .query_row(
            &format!("SELECT {COLS} FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.code = ?1"),
            [code],
            from_row,
        )
        .optional()?)
}

pub fn all(conn: &Conn, org: Option<&str>) -> Result<Vec<Person>> {
    let mut st = conn.raw().prepare(&format!(
        "SELECT {COLS} FROM people p JOIN orgs o ON o.id = p.org_id WHERE (?1 IS NULL OR o.code = ?1)"
    ))?;
    let rows = st
        .query_map(params![org], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
