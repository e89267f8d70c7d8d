//! SQL for gap-free yearly counters. Call inside the write transaction that records the numbered thing,
//! so a failure rolls the number back with it and no number is ever skipped or repeated.

use rusqlite::{params, OptionalExtension};

use crate::Conn;

use crate::error::{Error, Result};

/// Take the next number of `scope` in `year`.
pub fn next(conn: &Conn, scope: &str, year: i32) -> Result<i64> {
    let v: i64 = conn.raw().query_row(
        "INSERT INTO counters (scope, year, value) VALUES (?1, ?2, 1)
         ON CONFLICT (scope, year) DO UPDATE SET value = value + 1
         RETURNING value",
        params![scope, year],
        |r| r.get(0),
    )?;
    Ok(v)
}

/// The last number taken (0 if none).
pub fn current(conn: &Conn, scope: &str, year: i32) -> Result<i64> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT value FROM counters WHERE scope = ?1 AND year = ?2",
            params![scope, year],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Make the next number of `scope` in `year` be `next`; numbers only move forward.
pub fn set_next(conn: &Conn, scope: &str, year: i32, next: i64) -> Result<()> {
    let cur = current(conn, scope, year)?;
    if next <= cur {
        return Err(Error::invalid(
            "next",
            format!("{scope} {year} has already used number {cur}; the next number must be greater than {cur}"),
        ));
    }
    conn.raw().execute(
        "INSERT INTO counters (scope, year, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (scope, year) DO UPDATE SET value = excluded.value",
        params![scope, year, next - 1],
    )?;
    Ok(())
}

pub fn all(conn: &Conn) -> Result<Vec<(String, i32, i64)>> {
    let mut st = conn
        .raw()
        .prepare("SELECT scope, year, value FROM counters ORDER BY scope, year")?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
