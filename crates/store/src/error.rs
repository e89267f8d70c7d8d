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

/// What a database error means for the user, one of a few cases ([`db_sentence`] tells each in English;
/// the CLI tells it in the user's language from this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbProblem {
    ForeignKey,
    Unique,
    Frozen,
    Constraint,
    Busy,
    Damaged,
    ReadOnly,
    DiskFull,
    TooBig,
    IoFailure,
    Interrupted,
    Failed,
    NoRow,
    Unreadable,
}

impl DbProblem {
    /// The case of `e`.
    pub fn of(e: &rusqlite::Error) -> DbProblem {
        use rusqlite::ffi;
        use rusqlite::ErrorCode as C;
        match e {
            rusqlite::Error::SqliteFailure(f, _) => match (f.code, f.extended_code) {
                (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => DbProblem::ForeignKey,
                (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => {
                    DbProblem::Unique
                }
                (C::ConstraintViolation, ffi::SQLITE_CONSTRAINT_TRIGGER) => DbProblem::Frozen,
                (C::ConstraintViolation, _) => DbProblem::Constraint,
                (C::DatabaseBusy | C::DatabaseLocked, _) => DbProblem::Busy,
                (C::NotADatabase | C::DatabaseCorrupt, _) => DbProblem::Damaged,
                (C::ReadOnly | C::CannotOpen | C::PermissionDenied, _) => DbProblem::ReadOnly,
                (C::DiskFull, _) => DbProblem::DiskFull,
                (C::TooBig, _) => DbProblem::TooBig,
                (C::SystemIoFailure, _) => DbProblem::IoFailure,
                (C::OperationInterrupted, _) => DbProblem::Interrupted,
                _ => DbProblem::Failed,
            },
            rusqlite::Error::QueryReturnedNoRows => DbProblem::NoRow,
            _ => DbProblem::Unreadable,
        }
    }
}

impl Error {
    /// For a database error, what it means ([`DbProblem`]).
    pub fn db_problem(&self) -> Option<DbProblem> {
        match self {
            Error::Db(e) => Some(DbProblem::of(e)),
            _ => None,
        }
    }
}

pub fn db_sentence(e: &rusqlite::Error) -> String {
    match DbProblem::of(e) {
        DbProblem::ForeignKey => "the registry refused the change: it refers to a record the registry does not hold (nothing was changed)".into(),
        DbProblem::Unique => "the registry refused the change: the same record is already registered (nothing was changed)".into(),
        DbProblem::Frozen => "the registry refused the change: what is recorded there is frozen and is never edited (nothing was changed)".into(),
        DbProblem::Constraint => "the registry refused the change: a value it needs is missing or out of range (nothing was changed)".into(),
        DbProblem::Busy => "the registry is busy: another tamim command is writing to it; run the command again in a moment (nothing was changed)".into(),
        DbProblem::Damaged => "the registry's database (tamim.sqlite) is damaged or is not a database; restore it from a backup".into(),
        DbProblem::ReadOnly => "the registry's database (tamim.sqlite) cannot be opened for writing; check the permissions of the registry folder and its files".into(),
        DbProblem::DiskFull => "the disk holding the registry is full (nothing was changed); free some space and run the command again".into(),
        DbProblem::TooBig => "a value given is too large for the registry to store (nothing was changed)".into(),
        DbProblem::IoFailure => "the registry's database could not be read or written (an input/output error of the disk; nothing was changed)".into(),
        DbProblem::Interrupted => "the command was interrupted before it finished (nothing was changed)".into(),
        DbProblem::Failed => "the registry's database could not carry out the command (nothing was changed)".into(),
        DbProblem::NoRow => "a record the command needs is not in the registry".into(),
        DbProblem::Unreadable => "the registry holds a record this version of tamim cannot read; `tamim log verify` checks the registry".into(),
    }
}
