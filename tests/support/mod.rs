//! Shared helpers for integration tests: `mod support;` then `support::smtp::SmtpServer`.
pub mod smtp;
