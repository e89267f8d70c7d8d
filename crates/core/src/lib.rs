//! tamim's domain: the types and rules of official correspondence, with no I/O — documents and their kinds,
//! offices, people and distribution lists, a delivery's states, Turkish text (casing, collation, dates,
//! sayı, citations), acknowledgement tokens and the event log's hash.
//!
//! Architecture invariant: nothing here touches a file, a database, the network or the terminal.

pub mod account;
pub mod channel;
pub mod document;
pub mod error;
pub mod event;
pub mod kind;
pub mod kinds;
pub mod list;
pub mod org;
pub mod person;
pub mod state;
pub mod template;
pub mod token;
pub mod turkish;
pub mod validate;

pub use channel::Channel;
pub use error::{Error, Result};
pub use kind::DocumentKind;
pub use template::{TemplateFile, TemplateSet};
