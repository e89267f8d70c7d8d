//! tamim's signatures, knowing nothing of PDF or packages: a detached CMS SignedData (CAdES-BES; the
//! CMS a PAdES signature embeds) built by [`cades::sign_detached`] with a [`key::Key`] from a PKCS#12
//! file ([`key::SoftKey`]) or a PKCS#11 token ([`token::TokenKey`]), an RFC 3161 timestamp
//! ([`tsa::Tsa`]), and checking one ([`check::check_detached`]).
//!
//! Built on RustCrypto's `cms`/`x509-cert`/`der` types (the structures, not hand-written DER), `rsa`
//! and `p256` for the arithmetic, `x509-tsp` for RFC 3161, `p12-keystore` to open PKCS#12 and
//! `cryptoki` for PKCS#11.

pub mod cades;
pub mod cert;
pub mod check;
pub mod error;
pub mod key;
pub mod token;
pub mod tsa;

pub use error::{Error, Result};
pub use x509_cert::Certificate;
