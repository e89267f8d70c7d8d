//! The store's error: the database failed, the folder is not a registry, or a value broke a rule of the
//! domain while it was being written.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] tamim_core::Error),

    #[error("registry database: {0}")]
    Db(#[from] rusqlite::Error),

    #[error("{0} is not a tamim registry (no tamim.sqlite there); run `tamim init --registry {0}` to make one")]
    NotARegistry(PathBuf),

    #[error("the registry database has schema version {found}, newer than this tamim understands ({supported}); upgrade tamim")]
    SchemaTooNew { found: i64, supported: i64 },

    #[error("cannot start the {what} thread: {source}")]
    Thread { what: &'static str, #[source] source: std::io::Error },
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

    pub fn duplicate(what: &'static str, key: impl Into<String>) -> Self {
        tamim_core::Error::Duplicate { what, key: key.into() }.into()
    }
}
