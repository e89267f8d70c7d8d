//! The integration tests: one binary, a module per area. Most drive the real `tamim` binary against a
//! registry in a temporary folder (`common::Env`); the SMTP, browser and PDF tests use real servers and
//! readers (aiosmtpd, Chromium, pdftotext, qpdf), installed by `scripts/test.sh`.

mod ack_common;
mod browser;
mod common;
mod sign_common;
#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod accounts_browser;
mod accounts_http;
mod accounts_register;
mod ack_cli;
mod ack_remind;
mod approval_browser;
mod approval_http;
mod architecture;
mod audit_log;
mod audit_report;
mod conventions;
mod crash;
mod dagitim_http;
mod delegate_browser;
mod delegate_http;
mod excel;
mod install;
mod intake_export;
mod intake_eyp;
mod intake_pdf;
mod issue;
mod language;
mod nothing_lost;
mod private;
mod registry;
mod report_http;
mod roster;
mod send;
mod server_ack;
mod server_browser;
mod server_verify;
mod sign_eyp;
mod sign_pdf;
mod sign_secrets;
mod sign_token;
mod sign_verify;
mod what_users_read;
