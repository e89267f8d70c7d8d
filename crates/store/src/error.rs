//! The store's error: the database failed, the folder is not a registry, or a value broke a rule of the
//! domain while it was being written.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] tamim_core::Error),

    /// A database error, told as a sentence ([`db_sentence`]); SQLite's own message stays in the source.
    #[error("{}", db_sentence(.0))]
    Db(#[from] rusqlite::Error),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0} is not a tamim registry (no tamim.sqlite there); run `tamim init --registry {0}` to make one")]
    NotARegistry(PathBuf),

    #[error("the registry database has schema version {found}, newer than this tamim understands ({supported}); upgrade tamim")]
    SchemaTooNew { found: i64, supported: i64 },

    #[error("cannot start the {what} thread: {source}")]
    Thread {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A bad value in a named field.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        tamim_core::Error::invalid(field, problem).into()
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        tamim_core::Error::not_found(what, key).into()
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn duplicate(what: &'static str, key: impl Into<String>) -> Self {
        tamim_core::Error::Duplicate { what, key: key.into() }.into()
    }
}

/// Whether `e` is the database's own message (error codes, constraint and table names): the end of the
/// chain of causes a user is told ([`Error::Db`] already said what it means for them).
pub fn is_database_detail(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<rusqlite::Error>()
}

pub fn db_sentence(e: &rusqlite::Error) -> String {
    use rusqlite::ffi;
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => match (f.code, f.extended_code) {
            (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                "the registry refused the change: it refers to a record the registry does not hold (nothing was changed)".into()
            }
            (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => {
                "the registry refused the change: the same record is already registered (nothing was changed)".into()
            }
            (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_TRIGGER) => {
                "the registry refused the change: what is recorded there is frozen and is never edited (nothing was changed)".into()
            }
            (C::ConstraintViolation, _) => {
                "the registry refused the change: a value it needs is missing or out of range (nothing was changed)".into()
            }
            (C::DatabaseBusy | C::DatabaseLocked, _) => {
                "the registry is busy: another tamim command is writing to it; run the command again in a moment (nothing was changed)".into()
            }
            (C::NotADatabase | C::DatabaseCorrupt, _) => {
                "the registry's database (tamim.sqlite) is damaged or is not a database; restore it from a backup".into()
            }
            (C::ReadOnly | C::CannotOpen | C::PermissionDenied, _) => {
                "the registry's database (tamim.sqlite) cannot be opened for writing; check the permissions of the registry folder and its files".into()
            }
            (C::DiskFull, _) => "the disk holding the registry is full (nothing was changed); free some space and run the command again".into(),
            (C::TooBig, _) => "a value given is too large for the registry to store (nothing was changed)".into(),
            (C::SystemIoFailure, _) => "the registry's database could not be read or written (an input/output error of the disk; nothing was changed)".into(),
            (C::OperationInterrupted, _) => "the command was interrupted before it finished (nothing was changed)".into(),
            _ => "the registry's database could not carry out the command (nothing was changed)".into(),
        },
        rusqlite::Error::QueryReturnedNoRows => "a record the command needs is not in the registry".into(),
        _ => "the registry holds a record this version of tamim cannot read; `tamim log verify` checks the registry".into(),
    }
}
