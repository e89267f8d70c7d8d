//! SQL for people (staff of an org).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::now_text;
use crate::error::{Error, Result};
use crate::registry::person::{NewPerson, Person};

const COLS: &str = "p.id, p.code, p.name, p.title, o.code, p.email";

fn from_row(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person { id: r.get(0)?, code: r.get(1)?, name: r.get(2)?, title: r.get(3)?, org: r.get(4)?, email: r.get(5)? })
}

pub fn insert(conn: &Connection, p: &NewPerson) -> Result<i64> {
    if find(conn, &p.code)?.is_some() {
        return Err(Error::Duplicate { what: "person", key: p.code.clone() });
    }
    let org_id = super::orgs::id_of(conn, &p.org).map_err(|_| Error::invalid("--org", format!("org {:?} does not exist", p.org)))?;
    conn.execute(
        "INSERT INTO people (code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![p.code, p.name, p.title, org_id, p.email, now_text()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, code: &str) -> Result<Option<Person>> {
    Ok(conn
        .query_row(&format!("SELECT {COLS} FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.code = ?1"), [code], from_row)
        .optional()?)
}

pub fn all(conn: &Connection, org: Option<&str>) -> Result<Vec<Person>> {
    let mut st =
        conn.prepare(&format!("SELECT {COLS} FROM people p JOIN orgs o ON o.id = p.org_id WHERE (?1 IS NULL OR o.code = ?1)"))?;
    let rows = st.query_map(params![org], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
