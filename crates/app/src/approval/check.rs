//! What a draft must be before the chain takes it: a valid `Draft`, each ilgi and ek a registered document
//! (each ek's stated page count that of its file), each list known, and a chain of active users holding the
//! paraf and imza roles. Reads only.

use super::{ApprovalError, Chain};
use crate::error::Result;
use crate::issue::draft::Draft;
use crate::registry::home::Registry;
use tamim_core::account::Role;
use tamim_store as store;

fn user_with(conn: &store::Conn, field: &'static str, username: &str, role: Role) -> Result<()> {
    match store::accounts::find(conn, username)? {
        Some(u) if !u.disabled && u.has(role) => Ok(()),
        _ => Err(ApprovalError::BadChainUser {
            field,
            username: username.to_string(),
            role,
        }
        .into()),
    }
}

fn registered(conn: &store::Conn, field: String, key: &str) -> Result<i64> {
    crate::registry::document::resolve(conn, key).map_err(|_| {
        ApprovalError::Unknown {
            field,
            key: key.to_string(),
        }
        .into()
    })
}

/// The chain as it will be stored: the imza user the form's, or the office's default.
pub fn chain(reg: &Registry, chain: &Chain) -> Result<(Vec<String>, String)> {
    let conn = &reg.store.conn;
    let paraf: Vec<String> = chain
        .paraf
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    for p in &paraf {
        user_with(conn, "paraf", p, Role::Reviewer)?;
    }
    let imza = chain
        .imza
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| reg.config.approval.imza.clone())
        .ok_or(ApprovalError::NoSigner)?;
    user_with(conn, "imza", &imza, Role::Signer)?;
    Ok((paraf, imza))
}

/// Every check of a draft's content that issuing would make, told as the chain's own errors.
pub fn draft(reg: &Registry, d: &Draft) -> Result<()> {
    d.validate()?;
    let conn = &reg.store.conn;
    for (i, g) in d.ilgi.iter().enumerate() {
        if let Some(doc) = &g.doc {
            registered(conn, format!("ilgi[{}]", i + 1), doc)?;
        }
    }
    for (i, e) in d.ek.iter().enumerate() {
        let position = i + 1;
        let Some(doc) = &e.doc else {
            if e.file.is_some() {
                return Err(ApprovalError::EkNotRegistered { position }.into());
            }
            continue;
        };
        let id = registered(conn, format!("ek[{position}]"), doc)?;
        let t = store::documents::get(conn, id)?;
        let sha = t
            .stamped_file
            .or(t.file)
            .ok_or(ApprovalError::EkNoFile { position, doc: id })?;
        let bytes = reg.read_file(&sha)?;
        let actual = tamim_docs::pdf::inspect(&bytes).map_err(crate::Error::Pdf)?.pages as i64;
        if let Some(stated) = tamim_core::turkish::stated_pages(&e.text) {
            if stated != actual {
                return Err(ApprovalError::EkPages {
                    position,
                    doc: id,
                    stated,
                    actual,
                }
                .into());
            }
        }
    }
    for l in &d.to {
        if store::lists::find_id(conn, l)?.is_none() {
            return Err(ApprovalError::Unknown {
                field: "to".into(),
                key: l.clone(),
            }
            .into());
        }
    }
    Ok(())
}
