//! People: the staff of an org, who are notified too ("her düzeydeki kamu görevlisine").

use super::csv_import::{read_csv, BadLines};
use crate::error::Result;
use std::path::Path;
use tamim_store::{self as store, Store};

pub use tamim_core::person::{NewPerson, Person};

/// Add one person; a refusal names the field (`id`, `name`, `org`, …).
pub fn add(store: &mut Store, p: NewPerson) -> Result<Person> {
    p.validate("", "id")?;
    store.write(|tx| {
        store::people::insert(tx, &p)?;
        Ok(store::people::find(tx, &p.code)?.expect("just inserted"))
    })
}

pub const PERSON_CSV_HEADER: &[&str] = &["id", "name", "title", "org", "email"];

/// Import people from CSV (`id,name,title,org,email`) in one transaction; every bad line is reported.
pub fn import(store: &mut Store, path: &Path) -> Result<usize> {
    let rows = read_csv(path, PERSON_CSV_HEADER)?;
    let mut bad = BadLines::new(path);
    let mut people = Vec::with_capacity(rows.len());
    let mut seen = std::collections::HashMap::new();
    for (line, rec) in rows {
        let opt = |i: usize| Some(rec[i].trim().to_string()).filter(|s| !s.is_empty());
        let p = NewPerson {
            code: rec[0].trim().to_string(),
            name: rec[1].trim().to_string(),
            title: opt(2),
            org: rec[3].trim().to_string(),
            email: opt(4),
        };
        if let Err(e) = p.validate("", "id") {
            bad.add(line, e);
            continue;
        }
        if let Some(first) = seen.insert(p.code.clone(), line) {
            bad.add(line, format!("id {:?} already appears on line {first}", p.code));
            continue;
        }
        people.push((line, p));
    }
    store.write(|tx| {
        let mut org_ids = std::collections::HashMap::new();
        let now = store::now_text();
        for (line, p) in &people {
            let org_id = match org_ids.get(&p.org) {
                Some(id) => *id,
                None => match store::orgs::id_of(tx, &p.org) {
                    Ok(id) => {
                        org_ids.insert(p.org.clone(), id);
                        id
                    }
                    Err(_) => {
                        bad.add(*line, format!("org: {:?} does not exist", p.org));
                        continue;
                    }
                },
            };
            if store::people::find(tx, &p.code)?.is_some() {
                bad.add(*line, format!("person {:?} already exists in the registry", p.code));
                continue;
            }
            store::people::insert_in_org(tx, p, org_id, &now)?;
        }
        bad.into_result()?;
        Ok(people.len())
    })
}
