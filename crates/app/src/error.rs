//! The application's error: every failure a user can cause, with the field and value that were wrong.
//! The domain's rules (`tamim_core::Error`) and the store's failures (`tamim_store::Error`) keep their own
//! types underneath; the CLI and the server map them to exit codes and status codes.

use std::path::PathBuf;

/// Why a secret of `[signing]` (a PIN, a password) cannot be had. Its value is never part of a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretProblem {
    #[error("the environment variable {0} is not set")]
    EnvUnset(String),
    #[error("the file {0} cannot be read")]
    FileUnreadable(PathBuf),
    #[error("the file {0} is empty")]
    FileEmpty(PathBuf),
    #[error("not given: set {0}_file or {0}_env")]
    NotGiven(String),
}

/// Everything that can go wrong in tamim's application code. `main` prints it and picks the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document template cannot make the letter: it names the template (an office's own by its path) and
    /// the line.
    #[error(transparent)]
    Template(#[from] tamim_docs::render::TemplateError),

    /// A mail template cannot be read, parsed or rendered: it names the template (an office's own by its
    /// path) and the line.
    #[error(transparent)]
    MailTemplate(tamim_channels::MailError),

    /// A value that breaks a rule of the domain (a field, a missing or duplicate record, a cycle, a date…).
    #[error(transparent)]
    Domain(tamim_core::Error),

    /// The registry database failed, or the folder is not a registry.
    #[error(transparent)]
    Store(tamim_store::Error),

    #[error("{path}: {problem}")]
    File { path: PathBuf, problem: String },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("office.toml: {0}")]
    Config(String),

    /// A staff acknowledgement or exemption refused (not on the roster, left before the document …).
    #[error(transparent)]
    StaffAck(Box<crate::roster::staff_ack::StaffAckError>),

    /// A delegated-notification step refused (no staff duty, no roster, a link of someone who left).
    #[error(transparent)]
    Delegate(Box<crate::roster::delegate::DelegateError>),

    /// A spreadsheet or CSV that cannot be read or imported; names the row and column.
    #[error(transparent)]
    Table(#[from] crate::table::TableError),

    #[error("{file}: {count} bad line(s), nothing imported:\n{lines}")]
    Csv { file: PathBuf, count: usize, lines: String },

    /// A recipient's delivery refused the step (not a recipient, already acknowledged, not sent yet …).
    #[error(transparent)]
    Ack(crate::ack::AckError),

    /// An account operation or a login refused (unknown role, duplicate username, short password, wrong
    /// password, locked account …).
    #[error(transparent)]
    Account(crate::accounts::AccountError),

    /// A step of the approval chain refused (not the user's turn, a stale version, a wrong ek page count …).
    #[error(transparent)]
    Approval(crate::approval::ApprovalError),

    /// A report from another tamim refused (malformed, wrong key, replayed, impossible figures …).
    #[error(transparent)]
    Report(crate::report::Refused),

    /// A report could not be sent to the issuer, or the issuer refused it.
    #[error(transparent)]
    ReportSend(crate::report::send::SendError),

    /// The same letter again: refused unless it is meant (`--duplicate`).
    #[error("this looks like document #{first}{}, already registered (the same file, or the same issuer, sayı and date); nothing was registered — give --duplicate to register it again as a copy of #{first}", kayit.map(|(y, n)| format!(", kayıt no {n}/{y}")).unwrap_or_default())]
    AlreadyRegistered { first: i64, kayit: Option<(i64, i64)> },

    /// An issued document is frozen: the same draft is issued once.
    #[error("{} was already issued as document #{id} (sayı {sayi}); an issued document is frozen: write a new draft that cites it (ilgi) to correct it", draft.display())]
    AlreadyIssued { draft: PathBuf, id: i64, sayi: String },

    /// Another command moved the delivery while this one was recording.
    #[error("{recipient}: the delivery changed while this was being recorded; run the command again")]
    LostRace { recipient: String },

    /// The demo builds its own registries and refuses to mix them into one that holds anything.
    #[error("{} already holds {what}; the demo builds its own registry: give it an empty --registry folder", path.display())]
    NotEmpty { path: PathBuf, what: String },

    /// A reader, writer or server thread (or its runtime) could not start or failed.
    #[error("{what}: {source}")]
    Runtime {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A check the user asked for came out negative (`verify`, `log verify`): said, with exit code 1.
    #[error("{0}")]
    CheckFailed(String),

    /// The clerk did not confirm what was read: nothing was registered.
    #[error("not confirmed; nothing registered")]
    NotConfirmed,

    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),

    /// The mail server cannot take the run's messages (connection, TLS, authentication, or a sender it
    /// refuses): sending stopped with everyone not sent still queued.
    #[error("sending stopped: {source}. {sent} message(s) were sent in this run; the other recipients stay queued — run `tamim send` again {when}")]
    SendingStopped {
        #[source]
        source: tamim_channels::SendError,
        sent: i64,
        when: &'static str,
    },

    /// A signal (SIGTERM, Ctrl-C) stopped `send`: the messages in flight were finished and recorded, nothing
    /// else was claimed.
    #[error("sending stopped by a signal: {sent} message(s) were sent and recorded in this run; the recipients not yet sent stay queued — run `tamim send` again to finish")]
    Interrupted { sent: i64 },

    /// The mail server cannot take reminders now: none was recorded.
    #[error("no reminder recorded: {source}; run `tamim remind` again when the server takes mail")]
    RemindersNotSent {
        #[source]
        source: tamim_channels::SendError,
    },

    /// Signing failed (the key, its PIN or password, its certificate, the timestamp authority): nothing
    /// was issued, no number used.
    #[error("not signed: {0}; nothing was issued")]
    Signing(#[source] tamim_sign::Error),

    /// A PDF that cannot be read (damaged, truncated, encrypted).
    #[error("the PDF cannot be read: {0}")]
    Pdf(#[source] tamim_docs::pdf::PdfError),

    /// `--sign` without `[signing.key]` in office.toml.
    #[error("--sign needs a key: add [signing.key] (a PKCS#11 token or a PKCS#12 file) to office.toml")]
    NoSigningKey,

    /// A PIN or password named in `[signing]` cannot be read (the variable is unset, the file is missing).
    #[error("{section} {what}: {problem}")]
    Secret {
        section: String,
        what: String,
        problem: SecretProblem,
    },

    /// The letter states the e-signature sentence but is not being signed.
    #[error("template: says \"Bu belge, güvenli elektronik imza ile imzalanmıştır.\" but the document is not signed: issue it with --sign, or take the sentence out")]
    UnsignedStatement,

    /// A report or sheet could not be drawn (the embedded font): a failure of tamim itself.
    #[error("internal error: {0}; nothing was changed — please report this")]
    Drawing(#[source] tamim_docs::render::RenderError),

    /// A failure of tamim itself, not of anything the user did (a thread that panicked, a part used twice):
    /// please report it.
    #[error("internal error: {0}; nothing was changed — please report this")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A failure of a thread or a runtime, with its cause.
    pub fn runtime(what: &'static str, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Runtime {
            what,
            source: Box::new(source),
        }
    }
}

impl From<tamim_core::Error> for Error {
    fn from(e: tamim_core::Error) -> Self {
        Error::Domain(e)
    }
}

/// A domain error raised inside the store stays a domain error, so callers match it in one place.
impl From<tamim_store::Error> for Error {
    fn from(e: tamim_store::Error) -> Self {
        match e {
            tamim_store::Error::Domain(d) => Error::Domain(d),
            other => Error::Store(other),
        }
    }
}

impl From<tamim_core::turkish::DateError> for Error {
    fn from(e: tamim_core::turkish::DateError) -> Self {
        Error::Domain(e.into())
    }
}

impl From<tamim_core::turkish::SayiError> for Error {
    fn from(e: tamim_core::turkish::SayiError) -> Self {
        Error::Domain(e.into())
    }
}

impl Error {
    /// What a user is told: this error and the chain of its causes, as plain sentences, each cause once
    /// (a database's own message, with its error codes and constraint names, is never among them).
    pub fn sentences(&self) -> String {
        let mut msg = self.to_string();
        let mut src = std::error::Error::source(self);
        while let Some(s) = src {
            if tamim_store::is_database_detail(s) {
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
        Error::Domain(tamim_core::Error::invalid(field, problem))
    }

    /// A date in a named field that does not parse.
    pub fn bad_date(field: impl Into<String>, source: tamim_core::turkish::DateError) -> Self {
        Error::Domain(tamim_core::Error::bad_date(field, source))
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::Domain(tamim_core::Error::not_found(what, key))
    }

    pub fn duplicate(what: &'static str, key: impl Into<String>) -> Self {
        Error::Domain(tamim_core::Error::Duplicate { what, key: key.into() })
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn file(path: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

impl From<crate::roster::delegate::DelegateError> for Error {
    fn from(e: crate::roster::delegate::DelegateError) -> Self {
        Error::Delegate(Box::new(e))
    }
}

impl From<crate::roster::staff_ack::StaffAckError> for Error {
    fn from(e: crate::roster::staff_ack::StaffAckError) -> Self {
        Error::StaffAck(Box::new(e))
    }
}

impl From<tamim_docs::render::RenderError> for Error {
    fn from(e: tamim_docs::render::RenderError) -> Self {
        Error::Drawing(e)
    }
}
