//! The auditor's proof: verifying the hash-chained event log, the audit report of an issued document
//! (text, JSON, CSV, PDF with charts), and the tebliğ-tebellüğ sign-off sheet.
//!
//! Architecture invariant: reads only. Nothing here changes the registry; SQL stays in `store::receipts`.

pub mod chart;
pub mod fragment;
pub mod gather;
mod head_json;
pub mod packed;
pub mod pdf;
pub mod pdfkit;
pub mod render;
pub mod report;
pub mod signoff;
mod spool;
pub mod verify;

pub use report::{summary, timelines, Summary};
pub use verify::{verify, Verification};
