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

    #[error("registry database: {0}")]
    Db(#[from] rusqlite::Error),

    #[error(transparent)]
    Date(#[from] crate::turkish::DateError),

    #[error(transparent)]
    Sayi(#[from] crate::turkish::SayiError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
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
