//! The evrak kayıt defteri as a searchable register: every document (incoming and outgoing), paged, newest
//! first, filtered by sayı, konu (FTS5 full text), gönderen (FTS5), a date range and a kind.
//!
//! Turkish folding is done here in Rust (`tamim_core::turkish::fold`: "İSTANBUL", "İstanbul" and
//! "istanbul" all become "istanbul", "Şişli" "sisli") both before indexing and before querying; the FTS5
//! table is contentless (`documents_fts`, rowid = document id) and kept in step by [`index`], which
//! `documents::insert` calls in the same transaction.

use rusqlite::{params_from_iter, types::Value};

use crate::error::Result;
use crate::Conn;
use tamim_core::turkish::fold;

/// Index one document's konu and gönderen.
pub fn index(conn: &Conn, id: i64, konu: &str, gonderen: &str) -> Result<()> {
    conn.raw()
        .prepare_cached("INSERT INTO documents_fts (rowid, konu, gonderen) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![id, fold(konu), fold(gonderen)])?;
    Ok(())
}

/// Who a document is from, as the register shows it: the issuing office's name, else the issuer typed.
const GONDEREN: &str = "COALESCE(o.name, d.issuer, '')";

/// Index every document (right after the migration that made the table).
pub fn index_all(conn: &Conn) -> Result<()> {
    let mut st = conn.raw().prepare(&format!(
        "SELECT d.id, d.konu, {GONDEREN} FROM documents d LEFT JOIN orgs o ON o.id = d.from_org_id"
    ))?;
    let rows: Vec<(i64, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, konu, gonderen) in rows {
        index(conn, id, &konu, &gonderen)?;
    }
    Ok(())
}

/// What the register is asked for; every field optional.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Part of the sayı, as written (`E-12345678-010.06-4516` or just `4516`).
    pub sayi: Option<String>,
    /// Words of the konu (each a prefix, all required).
    pub konu: Option<String>,
    /// Words of the sender's name.
    pub gonderen: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A kind as stored (`genelge`).
    pub kind: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// One line of the register.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub id: i64,
    pub direction: String,
    pub kind: String,
    pub sayi: Option<String>,
    pub tarih: String,
    pub konu: String,
    pub gonderen: String,
    pub kayit_year: Option<i64>,
    pub kayit_no: Option<i64>,
}

/// An FTS5 expression for `words` in `column`: each folded word a quoted prefix, all of them required.
fn fts_terms(column: &str, words: &str, out: &mut Vec<String>) {
    for w in fold(words).split(' ').filter(|w| !w.is_empty()) {
        // fold() leaves letters, digits and single spaces only: nothing of FTS5's syntax survives it.
        out.push(format!("{column} : \"{w}\"*"));
    }
}

/// The page of the register `q` asks for, and how many documents match in all.
pub fn search(conn: &Conn, q: &Query) -> Result<(i64, Vec<Row>)> {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut terms = Vec::new();
    if let Some(k) = q.konu.as_deref() {
        fts_terms("konu", k, &mut terms);
    }
    if let Some(g) = q.gonderen.as_deref() {
        fts_terms("gonderen", g, &mut terms);
    }
    if !terms.is_empty() {
        wh.push("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)".into());
        args.push(Value::Text(terms.join(" AND ")));
    }
    if let Some(s) = q.sayi.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        wh.push("instr(d.sayi, ?) > 0".into());
        args.push(Value::Text(s.to_string()));
    }
    if let Some(f) = &q.from {
        wh.push("d.tarih >= ?".into());
        args.push(Value::Text(f.clone()));
    }
    if let Some(t) = &q.to {
        wh.push("d.tarih <= ?".into());
        args.push(Value::Text(t.clone()));
    }
    if let Some(k) = &q.kind {
        wh.push("d.kind = ?".into());
        args.push(Value::Text(k.clone()));
    }
    let clause = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    let total: i64 = conn.raw().query_row(
        &format!("SELECT COUNT(*) FROM documents d {clause}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let mut page_args = args.clone();
    page_args.push(Value::Integer(q.limit));
    page_args.push(Value::Integer(q.offset));
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT d.id, d.direction, d.kind, d.sayi, d.tarih, d.konu, {GONDEREN}, d.kayit_year, d.kayit_no
           FROM documents d LEFT JOIN orgs o ON o.id = d.from_org_id {clause}
          ORDER BY d.id DESC LIMIT ? OFFSET ?"
    ))?;
    let rows = st
        .query_map(params_from_iter(page_args.iter()), |r| {
            Ok(Row {
                id: r.get(0)?,
                direction: r.get(1)?,
                kind: r.get(2)?,
                sayi: r.get(3)?,
                tarih: r.get(4)?,
                konu: r.get(5)?,
                gonderen: r.get(6)?,
                kayit_year: r.get(7)?,
                kayit_no: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((total, rows))
}
