//! The store: the one layer that speaks SQL. Opens the registry's SQLite file, applies migrations, groups queries by aggregate.

pub mod accounts;
pub mod audit;
pub mod clock;
pub mod counters;
pub mod deliveries;
pub mod documents;
pub mod drafts;
pub mod error;
pub mod events;
pub mod files;
pub mod lists;
pub mod orgs;
pub mod people;
pub mod receipts;
pub mod register;
pub mod reports;
pub mod snapshot;
pub mod staff;
pub mod staff_links;

pub use error::{is_database_detail, DbProblem, Error, Result};

use ref_cast::RefCast;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Append-only migrations; the schema version is the number applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_registry", include_str!("migrations/0001_registry.sql")),
    ("0002_deliveries", include_str!("migrations/0002_deliveries.sql")),
    ("0003_receipts", include_str!("migrations/0003_receipts.sql")),
    ("0004_audit", include_str!("migrations/0004_audit.sql")),
    ("0005_accounts", include_str!("migrations/0005_accounts.sql")),
    ("0006_register", include_str!("migrations/0006_register.sql")),
    ("0007_rosters", include_str!("migrations/0007_rosters.sql")),
    ("0008_reports", include_str!("migrations/0008_reports.sql")),
    ("0009_staff_links", include_str!("migrations/0009_staff_links.sql")),
    (
        "0010_staff_duty_index",
        include_str!("migrations/0010_staff_duty_index.sql"),
    ),
    ("0011_approvals", include_str!("migrations/0011_approvals.sql")),
];

/// A registry's database file readable and writable by its owner only (0600), whatever the umask: it
/// holds every recipient and acknowledgement. A file someone else owns is left as it is (the owner's to
/// change).
fn owner_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if m.permissions().mode() & 0o077 != 0 {
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(())
}

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub const DB_FILE: &str = "tamim.sqlite";

/// A connection to the registry database. The layers above hold one only to hand it to this crate's
/// functions (`orgs::find(conn, code)`): they cannot run SQL on it. A write transaction ([`Tx`]) derefs to
/// it, so every read works inside a transaction too.
#[derive(RefCast)]
#[repr(transparent)]
pub struct Conn(Connection);

impl Conn {
    /// The SQLite connection underneath, for this crate's queries.
    pub(crate) fn raw(&self) -> &Connection {
        &self.0
    }

    /// A transaction to try something in and throw away: rolled back when dropped (a dry run that freezes
    /// a document's deliveries to count them, and keeps nothing).
    pub fn trial(&self) -> Result<Tx<'_>> {
        Ok(Tx(self.0.unchecked_transaction()?))
    }

    /// Run `f` inside a savepoint of the current transaction: what `f` did is kept when it returns `Ok`, and
    /// undone (the rest of the transaction kept) when it fails — one bad line of an import, not the import.
    pub fn savepoint<T, E: From<Error>>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        // Cached statements: the acknowledgement writer runs three of these per acknowledgement.
        let run = |sql: &str| -> Result<()> {
            self.0.prepare_cached(sql)?.execute([])?;
            Ok(())
        };
        run("SAVEPOINT tamim_step")?;
        match f() {
            Ok(v) => {
                run("RELEASE tamim_step")?;
                Ok(v)
            }
            Err(e) => {
                run("ROLLBACK TO tamim_step")?;
                run("RELEASE tamim_step")?;
                Err(e)
            }
        }
    }

    /// A connection of this crate's, opened by hand (the unit tests).
    #[cfg(test)]
    pub(crate) fn wrap(c: Connection) -> Conn {
        Conn(c)
    }
}

/// A write transaction begun with `BEGIN IMMEDIATE` by [`Store::write`]: what it did is committed when the
/// closure returns `Ok`, and undone otherwise.
pub struct Tx<'c>(rusqlite::Transaction<'c>);

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        Conn::ref_cast(&self.0)
    }
}

impl Tx<'_> {
    /// Commit what the transaction did (a [`Conn::trial`] is rolled back unless committed).
    pub fn commit(self) -> Result<()> {
        Ok(self.0.commit()?)
    }
}

/// For the integration tests only (feature `test-support`): SQL on a registry, to build a fixture or
/// break a registry the way an intruder would. Nothing else may reach SQLite past this crate.
#[cfg(feature = "test-support")]
impl Conn {
    pub fn raw_for_tests(&self) -> &Connection {
        &self.0
    }

    pub fn from_raw_for_tests(c: Connection) -> Conn {
        Conn(c)
    }
}

/// An open registry database.
pub struct Store {
    pub conn: Conn,
    pub path: PathBuf,
}

impl Store {
    /// Open an existing registry database; fails if it is missing or from a newer tamim.
    pub fn open(home: &Path) -> Result<Store> {
        let path = home.join(DB_FILE);
        if !path.is_file() {
            return Err(Error::NotARegistry(home.to_path_buf()));
        }
        owner_only(&path)?;
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let store = Store { conn: Conn(conn), path };
        store.configure()?;
        store.journal_owner_only()?;
        store.migrate()?;
        Ok(store)
    }

    /// Create (or open) the database and bring it to the current schema.
    pub fn create(home: &Path) -> Result<Store> {
        let path = home.join(DB_FILE);
        if !path.exists() {
            // Made owner-only before SQLite opens it: its -wal and -shm files take the database's mode.
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
        }
        owner_only(&path)?;
        let conn = Connection::open(&path)?;
        let store = Store { conn: Conn(conn), path };
        store.configure()?;
        store.journal_owner_only()?;
        store.migrate()?;
        Ok(store)
    }

    /// The database's `-wal` and `-shm` files readable by the owner only, like the database.
    fn journal_owner_only(&self) -> Result<()> {
        for suffix in ["-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let p = PathBuf::from(p);
            if p.exists() {
                owner_only(&p)?;
            }
        }
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        self.conn.0.busy_timeout(Duration::from_secs(60))?;
        self.conn.0.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.0.pragma_update(None, "foreign_keys", true)?;
        // Every commit is fsynced (FULL): a kayıt no or sayı, once committed, is never given out again,
        // even after a power loss (its stamped PDF may already be on disk or on its way). The outbox relaxes
        // this for its own many small commits (`relaxed_commits`).
        self.conn.0.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.0.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        // IMMEDIATE: two processes opening a fresh registry at once must not both migrate.
        self.conn.0.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| -> Result<()> {
            let now: i64 = self.conn.0.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(now as usize) {
                self.conn.0.execute_batch(sql)?;
                // The register's search index is folded in Rust: filled for the documents already there.
                if *name == "0006_register" {
                    register::index_all(&self.conn)?;
                }
                self.conn.0.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.conn.0.execute_batch("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.0.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Run `f` in one write transaction that takes the write lock up front (BEGIN IMMEDIATE),
    /// so concurrent writers queue instead of failing; everything `f` did is undone if it fails.
    pub fn write<T, E: From<Error>>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E> {
        let tx = Tx(self
            .conn
            .0
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::from)?);
        let out = f(&tx)?;
        tx.0.commit().map_err(Error::from)?;
        Ok(out)
    }
}

/// Another connection to an open registry's database, read-only, for a reader on another thread (WAL lets
/// it read while the first connection works). No migrations: the caller opened the registry already.
pub fn open_read_only(path: &Path) -> Result<Conn> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(60))?;
    Ok(Conn(conn))
}

/// Copy committed WAL pages into the database file, without waiting for the writer or readers (PASSIVE).
pub fn checkpoint(conn: &Conn) -> Result<()> {
    conn.0.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
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
        store.conn.0.pragma_update(None, "synchronous", "FULL")?;
        let (alive, stop) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("tamim-checkpoint".into())
            .spawn(move || loop {
                let last = matches!(
                    stop.recv_timeout(CHECKPOINT_EVERY),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected)
                );
                // One that fails leaves the pages in the WAL for the next (or for the next connection that opens
                // the database): nothing committed is lost.
                let _ = checkpoint(&store.conn);
                if last {
                    break;
                }
            })
            .map_err(|source| Error::Thread {
                what: "checkpoint",
                source,
            })?;
        Ok(Checkpointer {
            alive: Some(alive),
            thread: Some(thread),
        })
    }

    /// Stops the thread after a last checkpoint and gives `store`'s connection its automatic checkpoints back.
    pub fn stop(mut self, store: &Store) -> Result<()> {
        self.finish();
        store.conn.0.pragma_update(None, "wal_autocheckpoint", 1000)?;
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
        self.conn.0.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Every commit fsynced again (the default).
    pub fn strict_commits(&self) -> Result<()> {
        self.conn.0.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    /// This connection stops checkpointing in its commits; a [`Checkpointer`] thread does it until stopped
    /// ([`Checkpointer::stop`] turns this connection's automatic checkpoints back on).
    pub fn checkpoint_off_thread(&self) -> Result<Checkpointer> {
        let home = self.path.parent().unwrap_or(Path::new("."));
        let checkpointer = Checkpointer::spawn(home)?;
        self.conn.0.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(checkpointer)
    }
}

/// A text column borrowed from the row (no copy).
pub(crate) fn text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// A text column that may be NULL, borrowed from the row.
pub(crate) fn opt_text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'a str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// The current time ([`clock::now`]) as stored: RFC 3339 UTC with seconds.
pub fn now_text() -> String {
    clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
        let offices: Vec<Option<i64>> = store
            .conn
            .0
            .prepare("SELECT office_id FROM deliveries ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(offices, [Some(1), Some(2), None]);
    }
}
