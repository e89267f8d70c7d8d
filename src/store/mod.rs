//! The store: the one layer that speaks SQL. Opens the registry's SQLite file, applies migrations, groups queries by aggregate.

pub mod audit;
pub mod counters;
pub mod deliveries;
pub mod documents;
pub mod events;
pub mod files;
pub mod lists;
pub mod orgs;
pub mod people;
pub mod receipts;
pub mod snapshot;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// Append-only migrations; the schema version is the number applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_registry", include_str!("migrations/0001_registry.sql")),
    ("0002_deliveries", include_str!("migrations/0002_deliveries.sql")),
    ("0003_receipts", include_str!("migrations/0003_receipts.sql")),
    ("0004_audit", include_str!("migrations/0004_audit.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub const DB_FILE: &str = "tamim.sqlite";

/// An open registry database.
pub struct Store {
    pub conn: Connection,
    pub path: PathBuf,
}

impl Store {
    /// Open an existing registry database; fails if it is missing or from a newer tamim.
    pub fn open(home: &Path) -> Result<Store> {
        let path = home.join(DB_FILE);
        if !path.is_file() {
            return Err(Error::NotARegistry(home.to_path_buf()));
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let store = Store { conn, path };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Create (or open) the database and bring it to the current schema.
    pub fn create(home: &Path) -> Result<Store> {
        let path = home.join(DB_FILE);
        let conn = Connection::open(&path)?;
        let store = Store { conn, path };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(Duration::from_secs(60))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // Every commit is fsynced (FULL): a kayıt no or sayı, once committed, is never given out again,
        // even after a power loss (its stamped PDF may already be on disk or on its way). The outbox relaxes
        // this for its own many small commits (`relaxed_commits`).
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found, supported: SCHEMA_VERSION });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        // IMMEDIATE: two processes opening a fresh registry at once must not both migrate.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| -> Result<()> {
            let now: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(now as usize) {
                self.conn.execute_batch(sql)?;
                self.conn.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Run `f` in one write transaction that takes the write lock up front (BEGIN IMMEDIATE),
    /// so concurrent writers queue instead of failing; everything `f` did is undone if it fails.
    pub fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Another connection to an open registry's database, read-only, for a reader on another thread (WAL lets
/// it read while the first connection works). No migrations: the caller opened the registry already.
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(60))?;
    Ok(conn)
}

/// Copy committed WAL pages into the database file, without waiting for the writer or readers (PASSIVE).
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(())
}

/// How often a [`Checkpointer`] copies committed WAL pages into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// A thread with its own connection that runs a PASSIVE checkpoint every 250 ms (it never waits for the
/// writer or readers), so a writer whose connection does not checkpoint (`wal_autocheckpoint = 0`) never
/// has a commit stall on one: SQLite's automatic checkpoint runs inside the commit that crosses 1000 WAL
/// pages, and its fsyncs can take hundreds of milliseconds. Stops, after one last checkpoint, when dropped.
pub struct Checkpointer {
    alive: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on the registry at `home`.
    pub fn spawn(home: &Path) -> Result<Checkpointer> {
        let store = Store::open(home)?;
        store.conn.pragma_update(None, "synchronous", "FULL")?;
        let (alive, stop) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("tamim-checkpoint".into())
            .spawn(move || loop {
                let last = matches!(stop.recv_timeout(CHECKPOINT_EVERY), Err(std::sync::mpsc::RecvTimeoutError::Disconnected));
                // One that fails leaves the pages in the WAL for the next (or for the next connection that opens
                // the database): nothing committed is lost.
                let _ = checkpoint(&store.conn);
                if last {
                    break;
                }
            })
            .map_err(|e| Error::Conflict(format!("cannot start the checkpointer: {e}")))?;
        Ok(Checkpointer { alive: Some(alive), thread: Some(thread) })
    }

    /// Stops the thread after a last checkpoint and gives `store`'s connection its automatic checkpoints back.
    pub fn stop(mut self, store: &Store) -> Result<()> {
        self.finish();
        store.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        Ok(())
    }

    fn finish(&mut self) {
        drop(self.alive.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Store {
    /// Commits on this connection are no longer fsynced one by one (WAL with synchronous = NORMAL: the WAL
    /// is fsynced at each checkpoint) until [`Store::strict_commits`]. That is still durable against a crash
    /// of the process (kill -9 included): the WAL is in the OS's hands once written. Only a power loss or a
    /// kernel crash can lose the last commits. For the outbox that means re-sending, never skipping: a lost
    /// `sending` claim or `sent` result leaves the delivery queued or sending, so the next run sends it again
    /// (same Message-ID). Not for commits that give out numbers (kayıt no, sayı).
    pub fn relaxed_commits(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Every commit fsynced again (the default).
    pub fn strict_commits(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    /// This connection stops checkpointing in its commits; a [`Checkpointer`] thread does it until stopped
    /// ([`Checkpointer::stop`] turns this connection's automatic checkpoints back on).
    pub fn checkpoint_off_thread(&self) -> Result<Checkpointer> {
        let home = self.path.parent().unwrap_or(Path::new("."));
        let checkpointer = Checkpointer::spawn(home)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(checkpointer)
    }
}

/// A text column that may be NULL, borrowed from the row.
pub(crate) fn opt_text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'a str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// The current time as stored: RFC 3339 UTC with seconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    /// A registry written by a tamim at schema 3 gets each delivery's office filled in by 0004.
    #[test]
    fn schema_3_deliveries_get_their_office() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        for (_, sql) in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO orgs (id, code, name, kind, created_at) VALUES (1, 'ODA-1', 'Oda 1', 'oda', 'x'), (2, 'ODA-2', 'Oda 2', 'oda', 'x');
             INSERT INTO people (id, code, name, title, org_id, email, created_at) VALUES (7, 'P-1', 'Ayşe', 'Memur', 2, NULL, 'x');
             INSERT INTO documents (id, direction, kind, sayi, tarih, konu, issuer, state, payload, created_at)
                  VALUES (1, 'outgoing', 'tamim', '1', '2021-11-05', 'Konu', 'X', 'issued', '{}', 'x');
             INSERT INTO deliveries (id, document_id, recipient_kind, recipient_code, org_id, person_id, name, role, path)
                  VALUES (1, 1, 'org', 'ODA-1', 1, NULL, 'Oda 1', 'gereği', 'l'), (2, 1, 'person', 'P-1', NULL, 7, 'Ayşe', 'bilgi', 'l'),
                         (3, 1, 'person', 'P-GONE', NULL, NULL, 'Gone', 'bilgi', 'l');",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let offices: Vec<Option<i64>> =
            store.conn.prepare("SELECT office_id FROM deliveries ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(offices, [Some(1), Some(2), None]);
    }
}
