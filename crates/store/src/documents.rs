//! SQL for documents, their citations (ilgi) and attachments (ek).

use rusqlite::{params, OptionalExtension, Row};

use crate::Conn;

use super::now_text;
use crate::error::{Error, Result};
use tamim_core::document::{AttachmentRow, CitationRow, Document, NewDocument};

const COLS: &str = "d.id, d.direction, d.kind, d.sayi, d.kind_no, d.tarih, d.konu, d.muhatap, o.code, d.issuer,
    d.kayit_year, d.kayit_no, d.received_at, d.file_sha256, d.stamped_sha256, d.attached_to, d.state,
    d.verification, d.urgency, d.classification, d.deadline, f.pages, d.payload, d.created_at";
const FROM: &str = "documents d LEFT JOIN orgs o ON o.id = d.from_org_id LEFT JOIN files f ON f.sha256 = d.file_sha256";

/// A document kind as stored; a name this tamim does not know is an error naming the column.
fn kind_at(r: &Row, i: usize) -> rusqlite::Result<tamim_core::DocumentKind> {
    let s = super::text(r, i)?;
    tamim_core::DocumentKind::parse(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown document kind {s:?}").into(),
        )
    })
}

fn from_row(r: &Row) -> rusqlite::Result<Document> {
    let tarih: String = r.get(5)?;
    Ok(Document {
        id: r.get(0)?,
        direction: r.get(1)?,
        kind: kind_at(r, 2)?,
        sayi: r.get(3)?,
        kind_no: r.get(4)?,
        tarih: chrono::NaiveDate::parse_from_str(&tarih, "%Y-%m-%d").unwrap_or_default(),
        konu: r.get(6)?,
        muhatap: r.get(7)?,
        from: r.get(8)?,
        issuer: r.get(9)?,
        kayit_year: r.get(10)?,
        kayit_no: r.get(11)?,
        received_at: r.get(12)?,
        file: r.get(13)?,
        stamped_file: r.get(14)?,
        attached_to: r.get(15)?,
        state: r.get(16)?,
        verification: r.get(17)?,
        urgency: r.get(18)?,
        classification: r.get(19)?,
        deadline: r.get(20)?,
        pages: r.get(21)?,
        payload: serde_json::from_str(&r.get::<_, String>(22)?).unwrap_or_default(),
        created_at: r.get(23)?,
        ilgi: Vec::new(),
        ek: Vec::new(),
    })
}

pub fn insert(conn: &Conn, d: &NewDocument) -> Result<i64> {
    let from_org_id = match &d.from {
        Some(code) => Some(super::orgs::id_of(conn, code)?),
        None => None,
    };
    let (sayi, key, number) = match &d.sayi {
        Some(s) => (Some(s.raw.clone()), Some(s.key()), Some(s.number() as i64)),
        None => (None, None, None),
    };
    conn.raw().execute(
        "INSERT INTO documents (direction, kind, sayi, sayi_key, sayi_number, kind_no, tarih, konu, muhatap, from_org_id,
             issuer, kayit_year, kayit_no, received_at, file_sha256, stamped_sha256, attached_to, state, verification,
             urgency, classification, deadline, payload, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        params![
            d.direction,
            d.kind.as_str(),
            sayi,
            key,
            number,
            d.kind_no,
            d.tarih.format("%Y-%m-%d").to_string(),
            d.konu,
            d.muhatap,
            from_org_id,
            d.issuer,
            d.kayit_year,
            d.kayit_no,
            d.received_at,
            d.file,
            d.stamped_file,
            d.attached_to,
            d.state,
            d.verification,
            d.urgency,
            d.classification,
            d.deadline.map(|x| x.format("%Y-%m-%d").to_string()),
            serde_json::to_string(&d.payload).unwrap_or_else(|_| "{}".into()),
            now_text(),
        ],
    )?;
    let id = conn.raw().last_insert_rowid();
    let org_name: Option<String> = match from_org_id {
        Some(org) => conn
            .raw()
            .query_row("SELECT name FROM orgs WHERE id = ?1", [org], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let gonderen = org_name.as_deref().or(d.issuer.as_deref()).unwrap_or("");
    super::register::index(conn, id, &d.konu, gonderen)?;
    Ok(id)
}

pub fn insert_citation(conn: &Conn, doc: i64, pos: i64, c: &CitationRow) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO citations (document_id, position, text, cited_date, cited_sayi, target_id, discrepancy)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            doc,
            pos,
            c.text,
            c.cited_date.map(|x| x.format("%Y-%m-%d").to_string()),
            c.cited_sayi,
            c.target,
            c.discrepancy
        ],
    )?;
    Ok(())
}

pub fn insert_attachment(conn: &Conn, doc: i64, pos: i64, a: &AttachmentRow) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO attachments (document_id, position, description, target_id, file_sha256, pages) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![doc, pos, a.description, a.target, a.file, a.pages],
    )?;
    Ok(())
}

pub fn get(conn: &Conn, id: i64) -> Result<Document> {
    let mut d = conn
        .raw()
        .query_row(&format!("SELECT {COLS} FROM {FROM} WHERE d.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("document", id.to_string()))?;
    d.ilgi = citations(conn, id)?;
    d.ek = attachments(conn, id)?;
    Ok(d)
}

pub fn exists(conn: &Conn, id: i64) -> Result<bool> {
    Ok(conn
        .raw()
        .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Documents whose sayı has this matching key.
pub fn by_sayi_key(conn: &Conn, key: &str) -> Result<Vec<i64>> {
    let mut st = conn
        .raw()
        .prepare_cached("SELECT id FROM documents WHERE sayi_key = ?1 ORDER BY id")?;
    let rows = st
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

/// Documents whose sayı ends in this record number (the `122254 sayılı` short form).
pub fn by_sayi_number(conn: &Conn, number: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut st = conn
        .raw()
        .prepare_cached("SELECT id, tarih, sayi FROM documents WHERE sayi_number = ?1 ORDER BY id")?;
    let rows = st
        .query_map([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn by_kind_no(conn: &Conn, kind_no: &str) -> Result<Vec<i64>> {
    let mut st = conn
        .raw()
        .prepare_cached("SELECT id FROM documents WHERE kind_no = ?1 ORDER BY id")?;
    let rows = st
        .query_map([kind_no], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

pub fn by_verification(conn: &Conn, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .query_row("SELECT id FROM documents WHERE verification = ?1", [code], |r| r.get(0))
        .optional()?)
}

/// A registered document a new one looks like: its id, kayıt year and kayıt no.
pub type FirstCopy = (i64, Option<i64>, Option<i64>);

/// The first registered incoming document (not one registered as an attachment of another) that this one
/// looks like: the same original file, or the same issuer, sayı and date. Its id, kayıt year and kayıt no.
pub fn looks_like(
    conn: &Conn,
    file_sha256: &str,
    from_org_id: i64,
    sayi_key: &str,
    tarih: chrono::NaiveDate,
) -> Result<Option<FirstCopy>> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT id, kayit_year, kayit_no FROM documents WHERE direction = 'incoming' AND attached_to IS NULL
                AND (file_sha256 = ?1 OR (from_org_id = ?2 AND sayi_key = ?3 AND tarih = ?4)) ORDER BY id LIMIT 1",
            params![file_sha256, from_org_id, sayi_key, tarih.format("%Y-%m-%d").to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn by_file(conn: &Conn, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT id FROM documents WHERE file_sha256 = ?1 OR stamped_sha256 = ?1 ORDER BY id LIMIT 1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn citations(conn: &Conn, doc: i64) -> Result<Vec<CitationRow>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT c.text, c.cited_date, c.cited_sayi, c.target_id, c.discrepancy, t.sayi
           FROM citations c LEFT JOIN documents t ON t.id = c.target_id WHERE c.document_id = ?1 ORDER BY c.position",
    )?;
    let rows = st
        .query_map([doc], |r| {
            let date: Option<String> = r.get(1)?;
            Ok(CitationRow {
                text: r.get(0)?,
                cited_date: date.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                cited_sayi: r.get(2)?,
                target: r.get(3)?,
                discrepancy: r.get(4)?,
                target_sayi: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn attachments(conn: &Conn, doc: i64) -> Result<Vec<AttachmentRow>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT description, target_id, file_sha256, pages FROM attachments WHERE document_id = ?1 ORDER BY position",
    )?;
    let rows = st
        .query_map([doc], |r| {
            Ok(AttachmentRow {
                description: r.get(0)?,
                target: r.get(1)?,
                file: r.get(2)?,
                pages: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Documents this one cites or carries: (target id, relation).
pub fn links_up(conn: &Conn, doc: i64) -> Result<Vec<(i64, &'static str)>> {
    let mut out = Vec::new();
    let mut st = conn.raw().prepare_cached(
        "SELECT target_id FROM citations WHERE document_id = ?1 AND target_id IS NOT NULL ORDER BY position",
    )?;
    for r in st.query_map([doc], |r| r.get::<_, i64>(0))? {
        out.push((r?, "ilgi"));
    }
    let mut st = conn.raw().prepare_cached(
        "SELECT target_id FROM attachments WHERE document_id = ?1 AND target_id IS NOT NULL ORDER BY position",
    )?;
    for r in st.query_map([doc], |r| r.get::<_, i64>(0))? {
        out.push((r?, "ek"));
    }
    Ok(out)
}

/// Documents that cite or carry this one: (source id, relation).
pub fn links_down(conn: &Conn, doc: i64) -> Result<Vec<(i64, &'static str)>> {
    let mut out = Vec::new();
    let mut st = conn
        .raw()
        .prepare_cached("SELECT document_id FROM citations WHERE target_id = ?1 ORDER BY document_id")?;
    for r in st.query_map([doc], |r| r.get::<_, i64>(0))? {
        out.push((r?, "ilgi"));
    }
    let mut st = conn
        .raw()
        .prepare_cached("SELECT document_id FROM attachments WHERE target_id = ?1 ORDER BY document_id")?;
    for r in st.query_map([doc], |r| r.get::<_, i64>(0))? {
        out.push((r?, "ek"));
    }
    Ok(out)
}

pub fn set_state(conn: &Conn, id: i64, state: &str) -> Result<()> {
    conn.raw()
        .execute("UPDATE documents SET state = ?1 WHERE id = ?2", params![state, id])?;
    Ok(())
}

pub fn set_stamped(conn: &Conn, id: i64, sha: &str) -> Result<()> {
    conn.raw().execute(
        "UPDATE documents SET stamped_sha256 = ?1 WHERE id = ?2",
        params![sha, id],
    )?;
    Ok(())
}

pub fn count(conn: &Conn) -> Result<i64> {
    Ok(conn
        .raw()
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
}

pub fn list(conn: &Conn, limit: i64) -> Result<Vec<Document>> {
    let mut st = conn
        .raw()
        .prepare(&format!("SELECT {COLS} FROM {FROM} ORDER BY d.id DESC LIMIT ?1"))?;
    let rows = st.query_map([limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Citations not yet linked to a document whose cited sayı ends in `number`: (citation id, cited sayı, cited date).
pub fn unresolved_citations(conn: &Conn, number: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT id, cited_sayi, cited_date FROM citations WHERE target_id IS NULL AND cited_sayi IS NOT NULL AND cited_sayi LIKE '%' || ?1",
    )?;
    let rows = st
        .query_map([number.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn link_citation(conn: &Conn, citation: i64, target: i64, discrepancy: Option<&str>) -> Result<()> {
    conn.raw().execute(
        "UPDATE citations SET target_id = ?1, discrepancy = ?2 WHERE id = ?3",
        params![target, discrepancy, citation],
    )?;
    Ok(())
}

/// The outgoing document issued from the draft with this SHA-256, if any: its id and sayı.
pub fn issued_from_draft(conn: &Conn, draft_sha256: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT id, coalesce(sayi, '') FROM documents WHERE direction = 'outgoing' AND json_extract(payload, '$.draft_sha256') = ?1",
            [draft_sha256],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

/// The position the next attachment of document `parent` takes (1 for its first).
pub fn next_attachment_position(conn: &Conn, parent: i64) -> Result<i64> {
    Ok(conn.raw().query_row(
        "SELECT count(*) + 1 FROM attachments WHERE document_id = ?1",
        [parent],
        |r| r.get(0),
    )?)
}
