//! Freezing the dağıtım: the issued document's lists, expanded once, become its deliveries, so later list
//! edits do not change who was sent what. Running it again adds nothing.

use serde::Serialize;
use tamim_store::Tx;

use crate::error::{Error, Result};
use crate::registry::expand;
use crate::registry::list::{MemberTarget, Role};
use tamim_core::{state::State, Channel};
use tamim_store::{self as store, deliveries::NewDelivery};

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
    doc.payload
        .get("to")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// Create the deliveries of document `doc` (inside the caller's transaction) unless they already exist.
pub fn freeze(tx: &Tx, secret: &[u8], doc: i64) -> Result<FreezeReport> {
    let d = store::documents::get(tx, doc)?;
    if d.direction != "outgoing" || d.state != "issued" {
        return Err(Error::invalid(
            "DOC",
            format!(
                "document #{doc} ({}) is not an issued document of this office; only issued documents are sent",
                d.label()
            ),
        ));
    }
    let existing = store::deliveries::count_for(tx, doc)?;
    if existing > 0 {
        let no_address = store::deliveries::count_in(tx, doc, State::NoAddress)?;
        return Ok(FreezeReport {
            total: existing,
            created: 0,
            no_address,
        });
    }
    let lists = lists_of(&d);
    if lists.is_empty() {
        return Err(Error::invalid(
            "DOC",
            format!("document #{doc} has no distribution list (draft field `to`)"),
        ));
    }
    let mut report = FreezeReport::default();
    let mut chain = store::events::Chain::load(tx)?;
    // Streams each list's expansion into rows; the database, not a map in memory, knows who has one already.
    for list in &lists {
        let e = expand::expand(tx, list)?;
        for r in e.iter() {
            let (kind, org_id, person_id) = match r.target {
                MemberTarget::Person(id) => ("person", None, Some(id)),
                MemberTarget::Org(id) => ("org", Some(id), None),
                MemberTarget::List(_) => continue,
            };
            let email = r.email.filter(|e| !e.trim().is_empty());
            let channel = Channel::for_recipient(email, r.kep);
            // Only e-mail is sent by tamim today; KEP and paper recipients are listed for the clerk.
            let state = if channel == Channel::Email {
                State::Queued
            } else {
                State::NoAddress
            };
            let token = super::token::token(secret, doc, r.code);
            let inserted = store::deliveries::insert(
                tx,
                &NewDelivery {
                    document_id: doc,
                    recipient_kind: kind,
                    recipient_code: r.code,
                    org_id,
                    person_id,
                    name: r.name,
                    email,
                    role: r.role.as_str(),
                    path: r.path,
                    cascade_kind: r.cascade_kind,
                    cascade_text: r.cascade,
                    state,
                    channel: Some(channel.as_str()),
                    token_hash: &super::token::token_hash(&token),
                },
            )?;
            let Some(id) = inserted else {
                // A recipient on two of the document's lists is one delivery, with the stronger role.
                let (id, role) = store::deliveries::role_of(tx, doc, r.code)?;
                if Role::parse(&role).is_some_and(|prev| r.role > prev) {
                    store::deliveries::set_role(tx, id, r.role.as_str(), r.path)?;
                }
                continue;
            };
            report.created += 1;
            if channel != Channel::Email {
                report.no_address += 1;
                chain.append(
                    tx,
                    &store::now_text(),
                    Some(doc),
                    Some(id),
                    "delivery.no-address",
                    &serde_json::json!({"recipient": r.code, "channel": channel.as_str()}),
                )?;
            }
        }
    }
    let staff_duties = store::staff::record_duties(tx, doc, &lists)?;
    let mut detail = serde_json::json!({"lists": lists, "recipients": report.created});
    if staff_duties > 0 {
        detail["staff_duties"] = staff_duties.into();
    }
    chain.append(
        tx,
        &store::now_text(),
        Some(doc),
        None,
        "document.distribution-frozen",
        &detail,
    )?;
    report.total = report.created;
    Ok(report)
}
