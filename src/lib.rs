//! tamim: register incoming official documents, issue follow-on circulars, distribute them and prove who was reached.

pub mod ack;
pub mod audit;
pub mod config;
pub mod distribution;
pub mod error;
pub mod pdf;
pub mod registry;
pub mod server;
pub mod store;
pub mod turkish;

pub use error::{Error, Result};
