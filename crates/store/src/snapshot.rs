//! One committed state read through several connections at once: a report that counts on one connection
//! and verifies the event log on another must describe the same registry, even while acknowledgements are
//! being recorded.
//!
//! SQLite gives each connection its own snapshot, taken at the first read of its transaction. While a third
//! connection holds the write lock no commit can land, so snapshots taken then are one and the same. The
//! lock is held only for those first reads: writers wait a few milliseconds, readers not at all.

use rusqlite::{Connection, OpenFlags};

use crate::Conn;
use std::time::Duration;

use crate::error::Result;

/// A read transaction on the caller's connection, ended (rolled back: it wrote nothing) when dropped.
pub struct Snapshot<'c> {
    conn: &'c Conn,
    began: bool,
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.began && !self.conn.raw().is_autocommit() {
            let _ = self.conn.raw().execute_batch("ROLLBACK");
        }
    }
}

/// Start a read transaction on `conn` and on up to `spares` new read-only connections to the same
/// database, all reading the same committed state; the spares are returned, each inside its transaction
/// (ended when it is dropped). There are no spares for a database without a file (in memory), nor when
/// `conn` is already inside a transaction (its snapshot was taken before; no other connection can join it):
/// then `conn` alone reads, at the state its transaction sees.
pub fn begin(conn: &Conn, spares: usize) -> Result<(Snapshot<'_>, Vec<Conn>)> {
    if !conn.raw().is_autocommit() {
        return Ok((Snapshot { conn, began: false }, Vec::new()));
    }
    let path = conn
        .raw()
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from);
    let (others, lock) = match (&path, spares) {
        (Some(path), 1..) => {
            let others = (0..spares)
                .map(|_| super::open_read_only(path))
                .collect::<Result<Vec<_>>>()?;
            let lock = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            lock.busy_timeout(Duration::from_secs(60))?;
            lock.execute_batch("BEGIN IMMEDIATE")?;
            (others, Some(lock))
        }
        _ => (Vec::new(), None),
    };
    // A transaction's first read takes its snapshot.
    let take = |c: &Conn| -> Result<()> {
        c.raw().execute_batch("BEGIN")?;
        c.raw()
            .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
        Ok(())
    };
    let snapshot = Snapshot { conn, began: true };
    take(conn)?;
    for c in &others {
        take(c)?;
    }
    // Dropping the lock's connection would roll back too; this says so.
    if let Some(lock) = lock {
        lock.execute_batch("ROLLBACK")?;
    }
    Ok((snapshot, others))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(c: &Conn) -> i64 {
        c.raw().query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn every_connection_reads_the_state_of_the_moment_it_began_while_writers_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let writer = Conn::wrap(Connection::open(&path).unwrap());
        writer
            .raw()
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);")
            .unwrap();
        let conn = Conn::wrap(Connection::open(&path).unwrap());
        {
            let (_snapshot, spares) = begin(&conn, 2).unwrap();
            assert_eq!(spares.len(), 2);
            // A commit after the snapshot began is not blocked, and not seen by any of its connections.
            writer.raw().busy_timeout(Duration::from_millis(100)).unwrap();
            writer.raw().execute("INSERT INTO t VALUES (3)", []).unwrap();
            assert_eq!(count(&conn), 2);
            assert!(spares.iter().all(|s| count(s) == 2));
            // A connection that did not share it sees the commit.
            assert_eq!(count(&Conn::wrap(Connection::open(&path).unwrap())), 3);
        }
        // Dropped: `conn` is out of its transaction and sees the present.
        assert!(conn.raw().is_autocommit());
        assert_eq!(count(&conn), 3);
    }

    #[test]
    fn inside_a_transaction_or_in_memory_there_are_no_spares() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Conn::wrap(Connection::open(dir.path().join("s.sqlite")).unwrap());
        conn.raw()
            .execute_batch("CREATE TABLE t (x); BEGIN; INSERT INTO t VALUES (1);")
            .unwrap();
        {
            let (_snapshot, spares) = begin(&conn, 3).unwrap();
            assert!(spares.is_empty());
        }
        // The caller's transaction is the caller's to end.
        assert!(!conn.raw().is_autocommit());
        conn.raw().execute_batch("COMMIT").unwrap();
        let memory = Conn::wrap(Connection::open_in_memory().unwrap());
        let (snapshot, spares) = begin(&memory, 1).unwrap();
        assert!(spares.is_empty() && !memory.raw().is_autocommit());
        drop(snapshot);
        assert!(memory.raw().is_autocommit());
    }
}
