//! SQL for the office's accounts: users, their roles, their login failures and their sessions.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::{now_text, Conn};
use tamim_core::account::{Grant, Role, Scope, User};

/// What a login needs to check a user: the account, its hash and its lock.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

/// A live session's row, by its token's hash.
pub struct Session {
    pub user_id: i64,
    pub csrf: String,
    pub created: i64,
    pub last_seen: i64,
    pub expires: i64,
}

pub fn insert(conn: &Conn, username: &str, display_name: &str, password_hash: &str, roles: &[Grant]) -> Result<i64> {
    conn.raw().execute(
        "INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![username, display_name, password_hash, now_text()],
    )?;
    let id = conn.raw().last_insert_rowid();
    for g in roles {
        conn.raw().execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role, unit) VALUES (?1, ?2, ?3)",
            params![id, g.role.as_str(), g.unit()],
        )?;
    }
    Ok(id)
}

fn roles_of(conn: &Conn, id: i64) -> Result<Vec<Grant>> {
    let mut st = conn
        .raw()
        .prepare_cached("SELECT role, unit FROM user_roles WHERE user_id = ?1")?;
    let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (role, unit) = row?;
        if let Some(role) = Role::ALL.into_iter().find(|r| r.as_str() == role) {
            out.push(Grant {
                role,
                scope: unit.map_or(Scope::Office, Scope::Unit),
            });
        }
    }
    out.sort();
    Ok(out)
}

const COLS: &str = "id, username, display_name, disabled, password_hash, failed_attempts, locked_until";

fn credentials_where(conn: &Conn, clause: &str, key: &dyn rusqlite::ToSql) -> Result<Option<Credentials>> {
    let row = conn
        .raw()
        .prepare_cached(&format!("SELECT {COLS} FROM users WHERE {clause}"))?
        .query_row([key], |r| {
            Ok((
                User {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    display_name: r.get(2)?,
                    disabled: r.get(3)?,
                    roles: Vec::new(),
                },
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })
        .optional()?;
    let Some((mut user, password_hash, failed_attempts, locked_until)) = row else {
        return Ok(None);
    };
    user.roles = roles_of(conn, user.id)?;
    Ok(Some(Credentials {
        user,
        password_hash,
        failed_attempts,
        locked_until,
    }))
}

pub fn credentials(conn: &Conn, username: &str) -> Result<Option<Credentials>> {
    credentials_where(conn, "username = ?1", &username)
}

pub fn find(conn: &Conn, username: &str) -> Result<Option<User>> {
    Ok(credentials(conn, username)?.map(|c| c.user))
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<User>> {
    Ok(credentials_where(conn, "id = ?1", &id)?.map(|c| c.user))
}

/// Every account, by username.
pub fn all(conn: &Conn) -> Result<Vec<User>> {
    let ids: Vec<String> = conn
        .raw()
        .prepare("SELECT username FROM users ORDER BY username")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for u in ids {
        if let Some(user) = find(conn, &u)? {
            out.push(user);
        }
    }
    Ok(out)
}

pub fn count(conn: &Conn) -> Result<i64> {
    Ok(conn.raw().query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
}

/// Disable an account and end its sessions.
pub fn disable(conn: &Conn, id: i64) -> Result<()> {
    conn.raw()
        .execute("UPDATE users SET disabled = 1 WHERE id = ?1", [id])?;
    conn.raw().execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    Ok(())
}

/// A new password: the lock and the failures cleared, every session ended.
pub fn set_password(conn: &Conn, id: i64, password_hash: &str) -> Result<()> {
    conn.raw().execute(
        "UPDATE users SET password_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        params![id, password_hash],
    )?;
    conn.raw().execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    Ok(())
}

/// Record a failed login; returns the failures counted so far.
pub fn record_failure(conn: &Conn, id: i64) -> Result<i64> {
    Ok(conn.raw().query_row(
        "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?1 RETURNING failed_attempts",
        [id],
        |r| r.get(0),
    )?)
}

/// Lock an account until `until` (unix seconds); the failures start again from zero.
pub fn lock(conn: &Conn, id: i64, until: i64) -> Result<()> {
    conn.raw().execute(
        "UPDATE users SET locked_until = ?2, failed_attempts = 0 WHERE id = ?1",
        params![id, until],
    )?;
    Ok(())
}

pub fn clear_failures(conn: &Conn, id: i64) -> Result<()> {
    conn.raw().execute(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub fn insert_session(conn: &Conn, token_hash: &str, user_id: i64, csrf: &str, now: i64, expires: i64) -> Result<()> {
    conn.raw().execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created, last_seen, expires) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![token_hash, user_id, csrf, now, expires],
    )?;
    Ok(())
}

pub fn session(conn: &Conn, token_hash: &str) -> Result<Option<Session>> {
    Ok(conn
        .raw()
        .prepare_cached("SELECT user_id, csrf, created, last_seen, expires FROM sessions WHERE token_hash = ?1")?
        .query_row([token_hash], |r| {
            Ok(Session {
                user_id: r.get(0)?,
                csrf: r.get(1)?,
                created: r.get(2)?,
                last_seen: r.get(3)?,
                expires: r.get(4)?,
            })
        })
        .optional()?)
}

pub fn touch_session(conn: &Conn, token_hash: &str, now: i64) -> Result<()> {
    conn.raw()
        .prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now])?;
    Ok(())
}

/// End one session; returns its user if there was one.
pub fn delete_session(conn: &Conn, token_hash: &str) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .query_row(
            "DELETE FROM sessions WHERE token_hash = ?1 RETURNING user_id",
            [token_hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// Forget sessions past their expiry or idle longer than `idle` seconds.
pub fn purge_sessions(conn: &Conn, now: i64, idle: i64) -> Result<usize> {
    Ok(conn.raw().execute(
        "DELETE FROM sessions WHERE expires <= ?1 OR last_seen + ?2 <= ?1",
        params![now, idle],
    )?)
}
