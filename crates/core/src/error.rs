//! The domain's error: a value that breaks a rule, named by its field in the domain's words.

/// A rule of the domain broken by a value. The layers above wrap it (`tamim_store::Error`,
/// `tamim_app::Error`) and the CLI and server map it to flags, exit codes and status codes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },

    #[error("{what} {key:?} does not exist{hint}")]
    NotFound {
        what: &'static str,
        key: String,
        hint: String,
    },

    #[error("{what} {key:?} already exists")]
    Duplicate { what: &'static str, key: String },

    #[error("distribution list cycle: {0}")]
    Cycle(String),

    #[error(transparent)]
    Date(#[from] crate::turkish::DateError),

    /// A date that does not parse, in a named field (told as `{field}: {why}`, like [`Error::Invalid`]).
    #[error("{field}: {source}")]
    BadDate {
        field: String,
        source: crate::turkish::DateError,
    },

    #[error(transparent)]
    Sayi(#[from] crate::turkish::SayiError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A bad value in a named field.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// A date in a named field that does not parse.
    pub fn bad_date(field: impl Into<String>, source: crate::turkish::DateError) -> Self {
        Error::BadDate {
            field: field.into(),
            source,
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            key: key.into(),
            hint: String::new(),
        }
    }
}
