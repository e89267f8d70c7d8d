//! tamim: register incoming official documents, issue follow-on circulars, distribute them and prove who was reached.

pub mod ack;
pub mod audit;
pub mod config;
pub mod demo;
pub mod distribution;
pub mod error;
pub mod intake;
pub mod issue;
pub mod mail;
pub mod pdf;
pub mod registry;
pub mod render;
pub mod server;
pub mod store;
pub mod turkish;

pub use error::{Error, Result};
