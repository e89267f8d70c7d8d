//! tamim's application: what an office does with a document — register it (`registry`), issue a follow-on
//! (`issue`), distribute it (`distribution`), record and chase acknowledgements (`ack`) and prove it all
//! (`audit`) — over the store, the documents and the channels crates.

pub mod accounts;
pub mod ack;
pub mod approval;
pub mod audit;
pub mod config;
pub mod distribution;
pub mod error;
pub mod eyazisma;
pub mod issue;
pub mod registry;
pub mod report;
pub mod roster;
pub mod sheet;
pub mod table;
pub mod templates;

pub use error::{Error, Result};
