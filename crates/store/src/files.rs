//! SQL for stored files (content-addressed by SHA-256).

use rusqlite::{params, OptionalExtension};

use crate::Conn;

use super::now_text;
use crate::error::Result;

pub struct FileRow {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub pages: Option<i64>,
    pub original_name: Option<String>,
}

pub fn upsert(conn: &Conn, f: &FileRow) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO files (sha256, size, media_type, pages, original_name, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (sha256) DO NOTHING",
        params![f.sha256, f.size, f.media_type, f.pages, f.original_name, now_text()],
    )?;
    Ok(())
}

pub fn get(conn: &Conn, sha256: &str) -> Result<Option<FileRow>> {
    Ok(conn
        .raw()
        .query_row(
            "SELECT sha256, size, media_type, pages, original_name FROM files WHERE sha256 = ?1",
            [sha256],
            |r| {
                Ok(FileRow {
                    sha256: r.get(0)?,
                    size: r.get(1)?,
                    media_type: r.get(2)?,
                    pages: r.get(3)?,
                    original_name: r.get(4)?,
                })
            },
        )
        .optional()?)
}
