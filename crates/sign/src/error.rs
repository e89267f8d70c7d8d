//! What can go wrong while signing or checking a signature, each with the part that failed.

/// A signing or checking failure. The messages are sentences a clerk can act on; sources are kept.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {what} {path}")]
    Read {
        what: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the PKCS#12 file {path} cannot be opened: the password is wrong or the file is damaged")]
    Pkcs12 {
        path: std::path::PathBuf,
        #[source]
        source: p12_keystore::error::Error,
    },
    #[error("the PKCS#12 file {0} holds no private key with its certificate")]
    Pkcs12Empty(std::path::PathBuf),
    #[error("the PKCS#11 module {path} cannot be loaded")]
    Module {
        path: std::path::PathBuf,
        #[source]
        source: cryptoki::error::Error,
    },
    #[error("no token is present in any slot of the PKCS#11 module {0}")]
    NoToken(std::path::PathBuf),
    #[error("no token labelled {label:?} (tokens present: {present})")]
    NoSuchToken { label: String, present: String },
    #[error("the PIN for token {label:?} is wrong")]
    WrongPin {
        label: String,
        #[source]
        source: cryptoki::error::Error,
    },
    #[error("the token {label:?} holds no {what}")]
    TokenMissing { label: String, what: String },
    #[error("the token refused to {op}")]
    Token {
        op: &'static str,
        #[source]
        source: cryptoki::error::Error,
    },
    #[error("the signing certificate ({subject}) {problem}")]
    Certificate { subject: String, problem: CertProblem },
    #[error("the key is not an RSA (2048 bits or more) or ECDSA P-256 key: {0}")]
    UnsupportedKey(String),
    #[error("the private key does not belong to the certificate ({0})")]
    KeyMismatch(String),
    #[error("the timestamp authority {url} cannot be reached")]
    TsaUnreachable {
        url: String,
        #[source]
        source: Box<ureq::Error>,
    },
    #[error("the timestamp authority {url} answered {problem}")]
    TsaAnswer { url: String, problem: TsaProblem },
    #[error("not a CMS signature: {0}")]
    Malformed(String),
    #[error("ASN.1 encoding")]
    Der(#[from] der::Error),
}

/// Why a certificate cannot sign now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertProblem {
    #[error("is not valid before {from} (signing time {at})")]
    NotYetValid {
        from: chrono::DateTime<chrono::Utc>,
        at: chrono::DateTime<chrono::Utc>,
    },
    #[error("expired on {until} (signing time {at})")]
    Expired {
        until: chrono::DateTime<chrono::Utc>,
        at: chrono::DateTime<chrono::Utc>,
    },
    #[error("is qualified but does not allow non-repudiation (key usage)")]
    NoNonRepudiation,
    #[error("does not allow digital signatures (key usage)")]
    NoDigitalSignature,
}

/// What was wrong with a timestamp authority's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsaProblem {
    #[error("something that is not a timestamp response ({0})")]
    NotAResponse(String),
    #[error("with a refusal (PKIStatus {status}) {text}")]
    Refused { status: u8, text: String },
    #[error("granted but without a token")]
    NoToken,
    #[error("a token that cannot be read ({0})")]
    Unreadable(String),
    #[error("a token over another digest")]
    OtherDigest,
    #[error("a token with another nonce")]
    OtherNonce,
    #[error("a token whose signature does not verify ({0})")]
    BadSignature(crate::check::Problem),
    #[error("HTTP {0}")]
    Http(u16),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
