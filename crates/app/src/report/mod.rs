//! Reports between two tamims (issue #15, item 3c): an office that runs tamim registers our document,
//! issues its own follow-on, notifies its people, and reports back to us over HTTP.
//!
//! The protocol (`wire`): a JSON body POSTed to the issuer's `/rapor`, naming the delivery by its public id
//! (the SHA-256 of the acknowledgement token, which the issuer already stores), with a sequence number, the
//! recipient's kayıt no and date, its follow-on(s), its coverage per level and the head hash of its event
//! log. The header `X-Tamim-Imza` carries HMAC-SHA256 over the exact body under the delivery's report key,
//! HMAC-SHA256(token, "tamim report") (`tamim_core::token::report_key`): the recipient has the token from
//! its link, the issuer derives it again from its secret. The token itself never travels in a report.
//!
//! - `accept`: the issuer's side: checks and records one report (one `Tx`, nothing written on a refusal).
//! - `build` and `send`: the recipient's side: the report of an incoming document, signed and POSTed.
//! - `upper`: the issuer's audit of what the offices below reported.

pub mod accept;
pub mod build;
pub mod send;
pub mod upper;
pub mod wire;

pub use accept::{accept, Accepted, Refused};

/// The header that carries a report's HMAC (hex).
pub const SIGNATURE_HEADER: &str = "x-tamim-imza";

/// The largest report body taken (10 MB): a report with 10,000 pending names is about 0.5 MB.
pub const MAX_BODY: usize = 10 * 1024 * 1024;
