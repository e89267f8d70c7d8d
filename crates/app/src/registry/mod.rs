//! The registry: who is who (orgs, people, distribution lists), what came in and went out, and how documents cite each other.

pub mod chain;
pub mod csv_import;
pub mod document;
pub mod expand;
pub mod guard;
pub mod home;
pub mod ilgi;
pub use tamim_core::kinds;
pub mod list;
pub mod org;
pub mod person;
pub mod receive;
pub mod tree;
pub use tamim_core::validate;

pub use home::Registry;
