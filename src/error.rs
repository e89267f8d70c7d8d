//! The library's error type: every failure a user can cause, with the field and value that were wrong.

use std::path::PathBuf;

/// Everything that can go wrong in tamim's library code. `main` prints it and picks the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },

    #[error("{what} {key:?} does not exist{hint}")]
    NotFound { what: &'static str, key: String, hint: String },

    #[error("{what} {key:?} already exists")]
    Duplicate { what: &'static str, key: String },

    #[error("{0} is not a tamim registry (no tamim.sqlite there); run `tamim init --registry {0}` to make one")]
    NotARegistry(PathBuf),

    #[error("the registry database has schema version {found}, newer than this tamim understands ({supported}); upgrade tamim")]
    SchemaTooNew { found: i64, supported: i64 },

    #[error("{path}: {problem}")]
    File { path: PathBuf, problem: String },

    #[error("{path}: {source}")]
    Io { path: PathBuf, #[source] source: std::io::Error },

    #[error("office.toml: {0}")]
    Config(String),

    #[error("{file}: {count} bad line(s), nothing imported:\n{lines}")]
    Csv { file: PathBuf, count: usize, lines: String },

    #[error("distribution list cycle: {0}")]
    Cycle(String),

    #[error("{0}")]
    Conflict(String),

    /// A database error, told as a sentence ([`db_sentence`]); SQLite's own message stays in the source.
    #[error("{}", db_sentence(.0))]
    Db(#[from] rusqlite::Error),

    #[error(transparent)]
    Date(#[from] crate::turkish::DateError),

    #[error(transparent)]
    Sayi(#[from] crate::turkish::SayiError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What a user is told: this error and the chain of its causes, as plain sentences, each cause once
    /// (a database's own message, with its error codes and constraint names, is never among them).
    pub fn sentences(&self) -> String {
        let mut msg = self.to_string();
        let mut src = std::error::Error::source(self);
        while let Some(s) = src {
            if s.downcast_ref::<rusqlite::Error>().is_some() {
                break;
            }
            let text = s.to_string();
            if !msg.contains(&text) {
                msg.push_str(&format!("\n  caused by: {text}"));
            }
            src = s.source();
        }
        msg
    }

    /// A bad value in a named field.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), problem: problem.into() }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound { what, key: key.into(), hint: String::new() }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    pub fn file(path: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::File { path: path.into(), problem: problem.into() }
    }
}

/// A database error as a sentence about what it means for the user's command, without SQLite's own
/// message (error codes, constraint and table names). Every change is one transaction, so a refused change
/// left nothing behind.
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
