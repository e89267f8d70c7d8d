//! SQL for the drafts held in the registry while they go through the approval chain (`tamim_app::approval`):
//! the draft's row (its TOML, its chain, whose turn it is, its version) and the history of its steps.
//! Every change of a row names the version it saw ([`move_on`]): a stale one changes nothing.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::{now_text, Conn};

/// A draft as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: i64,
    pub author: String,
    pub toml: String,
    pub konu: String,
    pub state: String,
    /// The paraf users, in order.
    pub paraf: Vec<String>,
    pub step: i64,
    pub imza: String,
    pub awaiting: Option<String>,
    pub note: Option<String>,
    pub version: i64,
    pub document_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A draft to record.
pub struct New<'a> {
    pub author: &'a str,
    pub toml: &'a str,
    pub konu: &'a str,
    pub paraf: &'a [String],
    pub imza: &'a str,
    pub nonce: Option<&'a str>,
}

/// One step of a draft's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from_version: i64,
    pub username: String,
    pub action: String,
    pub note: Option<String>,
    pub at: String,
}

/// What a step changes on the row.
pub struct Move<'a> {
    pub state: &'a str,
    pub step: i64,
    pub awaiting: Option<&'a str>,
    pub note: Option<&'a str>,
    pub document_id: Option<i64>,
}

const COLS: &str =
    "id, author, toml, konu, state, paraf, step, imza, awaiting, note, version, document_id, created_at, updated_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let paraf: String = r.get(5)?;
    Ok(Row {
        id: r.get(0)?,
        author: r.get(1)?,
        toml: r.get(2)?,
        konu: r.get(3)?,
        state: r.get(4)?,
        paraf: serde_json::from_str(&paraf).unwrap_or_default(),
        step: r.get(6)?,
        imza: r.get(7)?,
        awaiting: r.get(8)?,
        note: r.get(9)?,
        version: r.get(10)?,
        document_id: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

fn chain_json(paraf: &[String]) -> String {
    serde_json::to_string(paraf).unwrap_or_else(|_| "[]".into())
}

/// Record a new draft (state `taslak`, version 1, the author's turn).
pub fn insert(conn: &Conn, d: &New) -> Result<i64> {
    let now = now_text();
    conn.raw().execute(
        "INSERT INTO drafts (author, toml, konu, state, paraf, step, imza, awaiting, version, nonce, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'taslak', ?4, 0, ?5, ?1, 1, ?6, ?7, ?7)",
        params![d.author, d.toml, d.konu, chain_json(d.paraf), d.imza, d.nonce, now],
    )?;
    Ok(conn.raw().last_insert_rowid())
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Row>> {
    Ok(conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM drafts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The draft a form with this one-time key already made.
pub fn by_nonce(conn: &Conn, nonce: &str) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .query_row("SELECT id FROM drafts WHERE nonce = ?1", [nonce], |r| r.get(0))
        .optional()?)
}

/// New content for version `version`; false (nothing changed) when the row is no longer at that version.
pub fn update_content(
    conn: &Conn,
    id: i64,
    version: i64,
    toml: &str,
    konu: &str,
    paraf: &[String],
    imza: &str,
) -> Result<bool> {
    let n = conn.raw().execute(
        "UPDATE drafts SET toml = ?3, konu = ?4, paraf = ?5, imza = ?6, version = version + 1, updated_at = ?7
         WHERE id = ?1 AND version = ?2",
        params![id, version, toml, konu, chain_json(paraf), imza, now_text()],
    )?;
    Ok(n == 1)
}

/// Move the draft at version `version` on; false (nothing changed) when it is no longer at that version.
pub fn move_on(conn: &Conn, id: i64, version: i64, m: &Move) -> Result<bool> {
    let n = conn.raw().execute(
        "UPDATE drafts SET state = ?3, step = ?4, awaiting = ?5, note = coalesce(?6, note), document_id = coalesce(?7, document_id),
                version = version + 1, updated_at = ?8
         WHERE id = ?1 AND version = ?2",
        params![id, version, m.state, m.step, m.awaiting, m.note, m.document_id, now_text()],
    )?;
    Ok(n == 1)
}

pub fn insert_step(
    conn: &Conn,
    draft: i64,
    from_version: i64,
    username: &str,
    action: &str,
    note: Option<&str>,
) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO draft_steps (draft_id, from_version, username, action, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![draft, from_version, username, action, note, now_text()],
    )?;
    Ok(())
}

/// The step taken from version `from_version`, if any (a form posted twice finds its first posting).
pub fn step_from(conn: &Conn, draft: i64, from_version: i64) -> Result<Option<Step>> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT from_version, username, action, note, at FROM draft_steps WHERE draft_id = ?1 AND from_version = ?2",
            params![draft, from_version],
            step_row,
        )
        .optional()?)
}

fn step_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Step> {
    Ok(Step {
        from_version: r.get(0)?,
        username: r.get(1)?,
        action: r.get(2)?,
        note: r.get(3)?,
        at: r.get(4)?,
    })
}

/// A draft's steps, oldest first.
pub fn steps(conn: &Conn, draft: i64) -> Result<Vec<Step>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT from_version, username, action, note, at FROM draft_steps WHERE draft_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([draft], step_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The drafts `username` wrote or whose turn is theirs, newest first (at most `limit`).
pub fn for_user(conn: &Conn, username: &str, limit: i64) -> Result<Vec<Row>> {
    let mut st = conn.raw().prepare_cached(&format!(
        "SELECT {COLS} FROM drafts WHERE author = ?1 OR awaiting = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![username, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Conn {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        for (_, sql) in crate::MIGRATIONS {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(
            "INSERT INTO users (username, display_name, password_hash, created_at) VALUES
             ('h', 'H', 'x', 'x'), ('p', 'P', 'x', 'x'), ('i', 'I', 'x', 'x');",
        )
        .unwrap();
        Conn::wrap(c)
    }

    #[test]
    fn a_stale_version_changes_nothing() {
        let c = conn();
        let paraf = vec!["p".to_string()];
        let id = insert(
            &c,
            &New {
                author: "h",
                toml: "t",
                konu: "K",
                paraf: &paraf,
                imza: "i",
                nonce: Some("n1"),
            },
        )
        .unwrap();
        assert_eq!(by_nonce(&c, "n1").unwrap(), Some(id));
        let m = Move {
            state: "parafta",
            step: 0,
            awaiting: Some("p"),
            note: None,
            document_id: None,
        };
        assert!(move_on(&c, id, 1, &m).unwrap());
        assert!(!move_on(&c, id, 1, &m).unwrap());
        let row = get(&c, id).unwrap().unwrap();
        assert_eq!((row.state.as_str(), row.version, row.paraf), ("parafta", 2, paraf));
        assert_eq!(for_user(&c, "p", 10).unwrap().len(), 1);
        assert_eq!(for_user(&c, "i", 10).unwrap().len(), 0);
    }
}
