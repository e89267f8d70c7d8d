//! `roster import OFFICE FILE`: an office's staff from the spreadsheet or CSV it keeps. The file is the
//! roster as it is now: new sicil nos join, changed fields are updated, people missing from the file (or
//! with an `Ayrılış` date) are marked as left — never deleted, the audit needs them. Every change is an
//! event; one bad row and nothing is written.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use tamim_store::{self as store, staff::StaffMember, Store};

use crate::error::{Error, Result};
use crate::table::{self, CellProblem, Field, Table, TableError, TableProblem};

const SICIL: usize = 0;
const NAME: usize = 1;
const TITLE: usize = 2;
const UNIT: usize = 3;
const EMAIL: usize = 4;
const JOINED: usize = 5;
const LEFT: usize = 6;

/// The roster's columns and the header names offices give them.
pub const FIELDS: [Field; 7] = [
    Field {
        key: "sicil",
        aliases: &["Sicil No", "Sicil", "Sicil Numarası", "Personel No", "Kurum Sicil No"],
        required: true,
    },
    Field {
        key: "name",
        aliases: &["Adı Soyadı", "Ad Soyad", "Adı ve Soyadı", "Ad Soyadı", "İsim Soyisim"],
        required: true,
    },
    Field {
        key: "title",
        aliases: &["Unvanı", "Unvan", "Kadro Unvanı", "Görevi"],
        required: false,
    },
    Field {
        key: "unit",
        aliases: &["Birimi", "Birim", "Şubesi", "Şube", "Çalıştığı Birim"],
        required: false,
    },
    Field {
        key: "email",
        aliases: &["E-posta", "E-posta Adresi", "E-mail", "Mail", "Kurumsal E-posta"],
        required: false,
    },
    Field {
        key: "joined",
        aliases: &[
            "Göreve Başlama",
            "Göreve Başlama Tarihi",
            "Başlama Tarihi",
            "İşe Giriş Tarihi",
        ],
        required: false,
    },
    Field {
        key: "left",
        aliases: &["Ayrılış", "Ayrılış Tarihi", "Ayrılma Tarihi", "İşten Ayrılış Tarihi"],
        required: false,
    },
];

/// What an import did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub office: String,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub left: usize,
    pub unchanged: usize,
    /// Columns of the file no roster field reads.
    pub ignored_columns: Vec<String>,
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

/// The file's rows as roster entries, each checked; the first bad row is the error.
fn members(t: &Table) -> std::result::Result<Vec<(usize, StaffMember)>, TableProblem> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(t.rows.len());
    let mut out = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        let c = &r.cells;
        for k in [SICIL, NAME] {
            if c[k].is_empty() {
                return Err(t.cell_problem(r.number, k, CellProblem::Empty));
            }
        }
        if let Some(first) = seen.insert(&c[SICIL], r.number) {
            return Err(t.cell_problem(
                r.number,
                SICIL,
                CellProblem::Repeated {
                    value: c[SICIL].clone(),
                    first,
                },
            ));
        }
        let joined = table::parse_date(&c[JOINED]).map_err(|p| t.cell_problem(r.number, JOINED, p))?;
        let left = table::parse_date(&c[LEFT]).map_err(|p| t.cell_problem(r.number, LEFT, p))?;
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                return Err(t.cell_problem(
                    r.number,
                    LEFT,
                    CellProblem::LeftBeforeJoined {
                        joined: c[JOINED].clone(),
                        left: c[LEFT].clone(),
                    },
                ));
            }
        }
        if !c[EMAIL].is_empty() && !c[EMAIL].contains('@') {
            return Err(t.cell_problem(r.number, EMAIL, CellProblem::Invalid(c[EMAIL].clone())));
        }
        out.push((
            r.number,
            StaffMember {
                id: 0,
                sicil: c[SICIL].clone(),
                name: c[NAME].clone(),
                title: opt(&c[TITLE]),
                unit: opt(&c[UNIT]),
                email: opt(&c[EMAIL]),
                joined_on: joined.map(ymd),
                left_on: left.map(ymd),
            },
        ));
    }
    Ok(out)
}

/// The fields that differ, by their English key.
fn changes(old: &StaffMember, new: &StaffMember) -> Vec<&'static str> {
    let mut v = Vec::new();
    if old.name != new.name {
        v.push("name");
    }
    if old.title != new.title {
        v.push("title");
    }
    if old.unit != new.unit {
        v.push("unit");
    }
    if old.email != new.email {
        v.push("email");
    }
    if old.joined_on != new.joined_on {
        v.push("joined");
    }
    v
}

/// Import `path` as `office`'s roster; people absent from it are marked as left on `today`.
pub fn import(store: &mut Store, office: &str, path: &Path, today: NaiveDate) -> Result<ImportReport> {
    let t = table::read(path, &FIELDS)?;
    let rows = members(&t).map_err(|problem| {
        Error::Table(TableError {
            path: path.to_path_buf(),
            problem,
        })
    })?;
    if rows.is_empty() {
        return Err(Error::Table(TableError {
            path: path.to_path_buf(),
            problem: TableProblem::Empty,
        }));
    }
    let today = ymd(today);
    store.write(|tx| {
        let org_id = store::orgs::id_of(tx, office)?;
        let mut existing: HashMap<String, StaffMember> = store::staff::for_org(tx, org_id)?
            .into_iter()
            .map(|m| (m.sicil.clone(), m))
            .collect();
        let mut report = ImportReport {
            office: office.to_string(),
            rows: rows.len(),
            ignored_columns: t.ignored.clone(),
            ..Default::default()
        };
        let mut chain = store::events::Chain::load(tx)?;
        let now = store::now_text();
        let mut event = |kind: &str, detail: serde_json::Value| chain.append(tx, &now, None, None, kind, &detail);
        for (_, m) in &rows {
            match existing.remove(&m.sicil) {
                None => {
                    store::staff::insert(tx, org_id, m, &now)?;
                    report.added += 1;
                    event(
                        "staff.added",
                        serde_json::json!({"office": office, "sicil": m.sicil, "name": m.name, "joined": m.joined_on, "left": m.left_on}),
                    )?;
                }
                Some(old) => {
                    let changed = changes(&old, m);
                    // A leaving date only ever arrives: a later file without one does not bring them back.
                    let left_on = m.left_on.clone().or(old.left_on.clone());
                    let leaves = old.left_on.is_none() && left_on.is_some();
                    if changed.is_empty() && !leaves && left_on == old.left_on {
                        report.unchanged += 1;
                        continue;
                    }
                    let new = StaffMember {
                        id: old.id,
                        left_on,
                        ..m.clone()
                    };
                    store::staff::update(tx, &new)?;
                    if !changed.is_empty() {
                        report.updated += 1;
                        event(
                            "staff.updated",
                            serde_json::json!({"office": office, "sicil": m.sicil, "fields": changed}),
                        )?;
                    }
                    if new.left_on != old.left_on {
                        report.left += usize::from(leaves);
                        event(
                            "staff.left",
                            serde_json::json!({"office": office, "sicil": m.sicil, "left": new.left_on}),
                        )?;
                    }
                }
            }
        }
        // Whoever is not in the file any more has left, today.
        let mut gone: Vec<StaffMember> = existing.into_values().filter(|m| m.left_on.is_none()).collect();
        gone.sort_by(|a, b| a.sicil.cmp(&b.sicil));
        for mut m in gone {
            m.left_on = Some(today.clone());
            store::staff::update(tx, &m)?;
            report.left += 1;
            event(
                "staff.left",
                serde_json::json!({"office": office, "sicil": m.sicil, "left": m.left_on, "absent_from_file": true}),
            )?;
        }
        Ok(report)
    })
}

/// The office's roster, leavers included.
pub fn show(conn: &tamim_store::Conn, office: &str) -> Result<Vec<StaffMember>> {
    let org_id = store::orgs::id_of(conn, office)?;
    Ok(store::staff::for_org(conn, org_id)?)
}
