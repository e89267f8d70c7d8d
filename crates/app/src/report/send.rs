//! The recipient's side: record where an incoming document reports to (its acknowledgement link, as
//! `receive --report-to` gives it), and `report send`: take the next sequence number, build the report,
//! sign it and POST it to the issuer; what the issuer answered is an event of our log.

use std::time::Duration;

use serde_json::json;

use super::build::{build, parse_link};
use super::wire::Report;
use crate::error::{Error, Result};
use crate::registry::home::Registry;
use tamim_core::token;
use tamim_store::{events, reports, Conn};

/// Why a report did not get through.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The incoming document has no report link.
    #[error("{doc} has no report link: register it with --report-to LINK (the acknowledgement link of the issuer's e-mail), or give one with `tamim report link {doc} LINK`")]
    NoLink { doc: String },
    #[error(transparent)]
    Unreachable(tamim_channels::report::PostError),
    /// The issuer answered with a refusal (its own message, in Turkish).
    #[error("the issuer refused report {sequence} ({status}): {message}")]
    Refused {
        sequence: i64,
        status: u16,
        message: String,
    },
}

/// Record the report link of incoming document `doc` (inside the caller's transaction): the endpoint, the
/// delivery's public id and the key derived from the token — the token itself is not kept.
pub fn set_link(conn: &Conn, doc: i64, link: &str) -> Result<()> {
    let l = parse_link("report-to", link)?;
    let key = token::report_key(&l.token);
    reports::set_link(
        conn,
        doc,
        &l.endpoint,
        &token::report_delivery_id(&l.token),
        &hex::encode(key),
    )?;
    Ok(())
}

/// What `report send` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sent {
    pub document_id: i64,
    pub endpoint: String,
    pub sequence: i64,
    pub status: u16,
    pub report: Report,
}

/// Build, sign and send the report of incoming document `doc` now.
pub fn send(reg: &mut Registry, doc: i64, timeout: Duration) -> Result<Sent> {
    let office = reg.config.office.name.clone();
    let label = tamim_store::documents::get(&reg.store.conn, doc)?.label();
    let (link, report) = reg.store.write(|tx| -> Result<_> {
        let link =
            reports::link(tx, doc)?.ok_or_else(|| Error::ReportSend(SendError::NoLink { doc: label.clone() }))?;
        let sequence = reports::next_sequence(tx, doc)?;
        let report = build(tx, doc, &link.delivery, sequence, &office)?;
        Ok((link, report))
    })?;
    let body = serde_json::to_vec(&report)?;
    let key = hex::decode(&link.key_hex).map_err(|_| Error::Internal("a report key that is not hex".into()))?;
    let mac = token::report_mac(&key, &body);
    let answer = tamim_channels::report::post(&link.url, super::SIGNATURE_HEADER, &mac, &body, timeout)
        .map_err(|e| Error::ReportSend(SendError::Unreachable(e)))?;
    let at = tamim_store::now_text();
    reg.store.write(|tx| -> Result<()> {
        reports::record_sent(tx, doc, &at, answer.status as i64)?;
        events::append(
            tx,
            Some(doc),
            None,
            "document.report-sent",
            &json!({"endpoint": link.url, "sequence": report.sequence, "status": answer.status, "head": report.head}),
        )?;
        Ok(())
    })?;
    if answer.status != 200 {
        let message = serde_json::from_str::<serde_json::Value>(&answer.body)
            .ok()
            .and_then(|v| v.get("hata").and_then(|m| m.as_str()).map(str::to_string))
            .unwrap_or(answer.body);
        return Err(Error::ReportSend(SendError::Refused {
            sequence: report.sequence,
            status: answer.status,
            message,
        }));
    }
    Ok(Sent {
        document_id: doc,
        endpoint: link.url,
        sequence: report.sequence,
        status: answer.status,
        report,
    })
}
