//! The one error type of the `pdf` module: what is wrong with a PDF, in plain words.

/// Why a PDF could not be read, merged, stamped or tagged.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The input has no bytes at all.
    #[error("the file is empty (0 bytes); expected a PDF")]
    Empty,
    /// The input does not start with a `%PDF-` header.
    #[error("the file is not a PDF: it has no `%PDF-` header in its first 1024 bytes")]
    NotPdf,
    /// The PDF needs a password to be opened.
    #[error("the PDF is encrypted and needs a password to open; ask the sender for an unprotected copy")]
    Encrypted,
    /// The PDF is damaged: its structure could not be read.
    #[error("the PDF is damaged or truncated: {0}")]
    Corrupt(String),
    /// The file, or something inside it, is larger than this module accepts.
    #[error("{what} is larger than the limit of {limit} bytes (a damaged file or a decompression bomb)")]
    TooLarge {
        /// What was too large, e.g. "the file" or "a stream of page 3".
        what: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Appending one PDF's pages to another failed.
    #[error("could not append the attachments: {0}")]
    Merge(String),
    /// An Info dictionary key that cannot be written as a PDF name.
    #[error("{0:?} cannot be an Info key: use ASCII letters and digits, no spaces or delimiters")]
    InfoKey(String),
    /// Drawing the registration stamp failed.
    #[error("could not stamp the PDF: {0}")]
    Stamp(String),
    /// Preparing or filling a signature failed.
    #[error("could not sign the PDF: {0}")]
    Signature(String),
}
