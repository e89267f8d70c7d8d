//! E-mail for distribution: compose each recipient's message, build it safely, and send it
//! through a file outbox or SMTP.
//!
//! - [`message`]: [`OutgoingMail`], deterministic [`message_id`], [`build`] (RFC 2047 subject,
//!   text + HTML, PDF attachment, no header injection).
//! - [`compose`]: the Turkish templates in `templates/mail/` rendered with minijinja.
//! - [`transport`]: the [`Transport`] trait (one channel's way of sending a message built once, before
//!   any transport sees it: for e-mail a [`BuiltMail`]), [`FileTransport`] (one `.eml` per message,
//!   atomic, idempotent), [`send_parallel`] (a batch over N transports in N threads), [`send_jobs`]
//!   (the same for any [`Job`], built on the sending threads) and [`send_on_demand`] (each connection
//!   takes its next job only when it is ready to send it).
//! - [`smtp`]: [`SmtpTransport`] / [`SmtpPool`] (STARTTLS, SMTPS, AUTH, pooled connections,
//!   rate limit, timeouts), configured by [`settings`] ([`SmtpSettings`], [`Secret`]).
//! - [`report`]: the report-back channel to another tamim: one signed JSON POST (ureq).

pub mod compose;
pub mod message;
pub mod report;
pub mod settings;
pub mod smtp;
pub mod transport;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_smtp;

pub use compose::{compose, subject, Composer, MailKind};
pub use message::{build, message_id, Attachment, BuiltMail, OutgoingMail};
pub use settings::{redacted_url, Endpoint, Secret, SmtpSettings, Tls};
pub use smtp::{parallel_send, SmtpPool, SmtpTransport};
pub use transport::{
    build_failure, send_jobs, send_on_demand, send_parallel, Delivered, FailureKind, FileTransport, Job, MailTransport,
    Request, SendError, Stage, Transport,
};

use std::path::PathBuf;

/// Why a message could not be composed or built (before anything is sent).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A line break or other control character where a header value goes.
    #[error(
        "the {field} contains a line break or control character, which is not allowed in an e-mail header: {value:?}"
    )]
    HeaderInjection { field: String, value: String },
    /// Not a usable e-mail address.
    #[error("the {field} is not a valid e-mail address: {value:?}")]
    InvalidAddress { field: String, value: String },
    /// A custom header name that is not `X-…` letters, digits and dashes.
    #[error("the header name {name:?} is not allowed (use X- followed by letters, digits and dashes)")]
    InvalidHeaderName { name: String },
    /// The attachment's content type could not be read.
    #[error("the attachment content type {value:?} is not a valid MIME type")]
    InvalidContentType { value: String },
    /// A template is missing, malformed, or uses a value the context does not give.
    #[error("e-mail template {name}: {message}")]
    Template { name: String, message: String },
    /// The message could not be assembled.
    #[error("the e-mail could not be assembled: {0}")]
    Build(String),
    /// Bad SMTP settings (URL, certificate file, …).
    #[error("SMTP settings: {0}")]
    Settings(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
