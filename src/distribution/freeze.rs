//! Freezing the dağıtım: the issued document's lists, expanded once, become its deliveries, so later list
//! edits do not change who was sent what. Running it again adds nothing.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::registry::expand;
use crate::registry::list::MemberTarget;
use crate::store::{self, deliveries::NewDelivery};

#[derive(Debug, Clone, Serialize, Default)]
pub struct FreezeReport {
    /// Deliveries that exist for the document after this call.
    pub total: i64,
    /// Deliveries this call created.
    pub created: i64,
    /// Of all deliveries: recipients with no e-mail address (paper or KEP instead).
    pub no_address: i64,
}

/// The lists an issued document goes to (from its frozen draft).
pub fn lists_of(doc: &crate::registry::document::Document) -> Vec<String> {
    doc.payload.get("to").and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

/// Create the deliveries of document `doc` (inside the caller's transaction) unless they already exist.
pub fn freeze(tx: &rusqlite::Transaction, secret: &[u8], doc: i64) -> Result<FreezeReport> {
    let d = store::documents::get(tx, doc)?;
    if d.direction != "outgoing" || d.state != "issued" {
        return Err(Error::invalid("DOC", format!("document #{doc} ({}) is not an issued document of this office; only issued documents are sent", d.label())));
    }
    let existing = store::deliveries::count_for(tx, doc)?;
    if existing > 0 {
        let no_address = tx.query_row("SELECT count(*) FROM deliveries WHERE document_id = ?1 AND state = 'no-address'", [doc], |r| r.get(0))?;
        return Ok(FreezeReport { total: existing, created: 0, no_address });
    }
    let lists = lists_of(&d);
    if lists.is_empty() {
        return Err(Error::invalid("DOC", format!("document #{doc} has no distribution list (draft field `to`)")));
    }
    let mut seen: std::collections::HashMap<String, _> = std::collections::HashMap::new();
    let mut report = FreezeReport::default();
    for list in &lists {
        let e = expand::expand(tx, list)?;
        for r in e.iter() {
            // A recipient on two of the document's lists is one delivery, with the stronger role.
            if let Some((prev_role, id)) = seen.get(r.code).cloned() {
                if r.role > prev_role {
                    tx.execute("UPDATE deliveries SET role = ?1, path = ?2 WHERE id = ?3", rusqlite::params![r.role.as_str(), r.path, id])?;
                    seen.insert(r.code.to_string(), (r.role, id));
                }
                continue;
            }
            let (kind, org_id, person_id) = match r.target {
                MemberTarget::Person(id) => ("person", None, Some(id)),
                MemberTarget::Org(id) => ("org", Some(id), None),
                MemberTarget::List(_) => continue,
            };
            let email = r.email.as_deref().filter(|e| !e.trim().is_empty());
            let state = if email.is_some() { "queued" } else { "no-address" };
            let channel = if email.is_some() { Some("email") } else if r.kep.is_some() { Some("kep") } else { Some("paper") };
            let token = super::token::token(secret, doc, &r.code);
            let id = store::deliveries::insert(
                tx,
                &NewDelivery {
                    document_id: doc,
                    recipient_kind: kind,
                    recipient_code: &r.code,
                    org_id,
                    person_id,
                    name: &r.name,
                    email,
                    role: r.role.as_str(),
                    path: &r.path,
                    cascade_kind: r.cascade_kind.as_deref(),
                    cascade_text: r.cascade.as_deref(),
                    state,
                    channel,
                    token_hash: &super::token::token_hash(&token),
                },
            )?;
            seen.insert(r.code.to_string(), (r.role, id));
            report.created += 1;
            if email.is_none() {
                report.no_address += 1;
                store::events::append(
                    tx,
                    Some(doc),
                    Some(id),
                    "delivery.no-address",
                    &serde_json::json!({"recipient": r.code, "channel": channel}),
                )?;
            }
        }
    }
    store::events::append(tx, Some(doc), None, "document.distribution-frozen", &serde_json::json!({"lists": lists, "recipients": report.created}))?;
    report.total = report.created;
    Ok(report)
}
