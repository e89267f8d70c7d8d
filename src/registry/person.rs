//! People: the staff of an org, who are notified too ("her düzeydeki kamu görevlisine").

use serde::{Deserialize, Serialize};
use std::path::Path;

use super::csv_import::{read_csv, BadLines};
use super::validate;
use crate::error::Result;
use crate::store::{self, Store};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    #[serde(rename = "id")]
    pub code: String,
    pub name: String,
    pub title: Option<String>,
    pub org: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub code: String,
    pub name: String,
    pub title: Option<String>,
    pub org: String,
    pub email: Option<String>,
}

impl NewPerson {
    pub fn validate(&self, prefix: &str, id_field: &str) -> Result<()> {
        validate::code(&format!("{prefix}{id_field}"), &self.code)?;
        validate::text(&format!("{prefix}name"), &self.name, 200)?;
        if let Some(t) = &self.title {
            validate::text(&format!("{prefix}title"), t, 200)?;
        }
        validate::code(&format!("{prefix}org"), &self.org)?;
        if let Some(e) = &self.email {
            validate::email(&format!("{prefix}email"), e)?;
        }
        Ok(())
    }
}

pub fn add(store: &mut Store, p: NewPerson) -> Result<Person> {
    p.validate("--", "id")?;
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
        let mut st = tx.prepare(
            "INSERT INTO people (code, name, title, org_id, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
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
            st.execute(rusqlite::params![p.code, p.name, p.title, org_id, p.email, now])?;
        }
        drop(st);
        bad.into_result()?;
        Ok(people.len())
    })
}
