//! Offices (orgs): the governorship, a district governorship, a chamber union, a member chamber.

use super::csv_import::{read_csv, BadLines};
use crate::error::Result;
use std::path::Path;
use tamim_store::{self as store, Store};

pub use tamim_core::org::{NewOrg, Org};

/// Add one office; a refusal names the field (`code`, `name`, `parent`, …).
pub fn add(store: &mut Store, org: NewOrg) -> Result<Org> {
    org.validate("")?;
    store.write(|tx| {
        store::orgs::insert(tx, &org)?;
        Ok(store::orgs::get(tx, &org.code)?)
    })
}

pub const ORG_CSV_HEADER: &[&str] = &["code", "name", "kind", "parent", "email", "kep", "detsis"];

/// Import orgs from CSV (`code,name,kind,parent,email,kep,detsis`) in one transaction.
/// A parent may be defined later in the same file. Every bad line is reported; nothing is imported then.
pub fn import(store: &mut Store, path: &Path) -> Result<usize> {
    let rows = read_csv(path, ORG_CSV_HEADER)?;
    let mut bad = BadLines::new(path);
    let mut orgs = Vec::with_capacity(rows.len());
    let mut seen = std::collections::HashMap::new();
    for (line, rec) in rows {
        let opt = |i: usize| Some(rec[i].trim().to_string()).filter(|s| !s.is_empty());
        let org = NewOrg {
            code: rec[0].trim().to_string(),
            name: rec[1].trim().to_string(),
            kind: rec[2].trim().to_string(),
            parent: opt(3),
            email: opt(4),
            kep: opt(5),
            detsis: opt(6),
        };
        if let Err(e) = org.validate("") {
            bad.add(line, e);
            continue;
        }
        if let Some(first) = seen.insert(org.code.clone(), line) {
            bad.add(line, format!("code {:?} already appears on line {first}", org.code));
            continue;
        }
        orgs.push((line, org));
    }
    let result = store.write(|tx| {
        for (line, org) in &orgs {
            if store::orgs::find(tx, &org.code)?.is_some() {
                bad.add(*line, format!("org {:?} already exists in the registry", org.code));
                continue;
            }
            store::orgs::insert(
                tx,
                &NewOrg {
                    parent: None,
                    ..org.clone()
                },
            )?;
        }
        for (line, org) in &orgs {
            if let Some(p) = &org.parent {
                match store::orgs::id_of(tx, p) {
                    Ok(pid) => {
                        store::orgs::set_parent(tx, &org.code, pid)?;
                    }
                    Err(_) => bad.add(*line, format!("parent: org {p:?} does not exist")),
                }
            }
        }
        // A cycle of parents (a → b → a) is as bad as a missing parent.
        for (line, org) in &orgs {
            if super::tree::has_parent_cycle(tx, &org.code)? {
                bad.add(*line, format!("parent: org {:?} would be its own ancestor", org.code));
            }
        }
        bad.into_result()?;
        Ok(orgs.len())
    });
    result
}
