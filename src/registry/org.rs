//! Offices (orgs): the governorship, a district governorship, a chamber union, a member chamber.

use serde::{Deserialize, Serialize};
use std::path::Path;

use super::csv_import::{read_csv, BadLines};
use super::validate;
use crate::error::{Error, Result};
use crate::store::{self, Store};

/// An office as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Org {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub kep: Option<String>,
    pub detsis: Option<String>,
}

/// An office to add.
#[derive(Debug, Clone, Default)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub kep: Option<String>,
    pub detsis: Option<String>,
}

impl NewOrg {
    /// Check every field; `prefix` names where the value came from (`--email`, `line 7: email`).
    pub fn validate(&self, prefix: &str) -> Result<()> {
        validate::code(&format!("{prefix}code"), &self.code)?;
        validate::text(&format!("{prefix}name"), &self.name, 300)?;
        validate::optional_code(&format!("{prefix}kind"), &self.kind)?;
        if let Some(e) = &self.email {
            validate::email(&format!("{prefix}email"), e)?;
        }
        if let Some(e) = &self.kep {
            validate::email(&format!("{prefix}kep"), e)?;
        }
        if let Some(d) = &self.detsis {
            if !d.chars().all(|c| c.is_ascii_digit()) || d.is_empty() || d.len() > 12 {
                return Err(Error::invalid(format!("{prefix}detsis"), format!("{d:?} is not a DETSİS number (digits only)")));
            }
        }
        if self.parent.as_deref() == Some(self.code.as_str()) {
            return Err(Error::invalid(format!("{prefix}parent"), format!("org {:?} cannot be its own parent", self.code)));
        }
        Ok(())
    }
}

pub fn add(store: &mut Store, org: NewOrg) -> Result<Org> {
    org.validate("--")?;
    store.write(|tx| {
        store::orgs::insert(tx, &org)?;
        store::orgs::get(tx, &org.code)
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
            store::orgs::insert(tx, &NewOrg { parent: None, ..org.clone() })?;
        }
        for (line, org) in &orgs {
            if let Some(p) = &org.parent {
                match store::orgs::id_of(tx, p) {
                    Ok(pid) => {
                        tx.execute("UPDATE orgs SET parent_id = ?1 WHERE code = ?2", rusqlite::params![pid, org.code])?;
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
