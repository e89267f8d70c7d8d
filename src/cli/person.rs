//! `tamim person`: add, import, list.

use clap::Subcommand;
use std::path::PathBuf;

use super::output::{opt, strs, table};
use super::sheet::{export_table, ExportFlags};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::person;
use tamim_app::sheet::{Column, Type};
use tamim_store as store;

#[derive(Subcommand, Debug)]
pub enum PersonCmd {
    /// Add a member of staff.
    Add {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        org: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Import staff from CSV or .xlsx (columns, in any order, also under their Turkish names: id,name,title,org,email), all or nothing.
    Import { file: PathBuf },
    /// List staff in Turkish alphabetical order.
    List {
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        export: ExportFlags,
    },
}

/// The columns of the staff list.
const PEOPLE: [Column; 5] = [
    Column::new("id", "Sicil", Type::Text, 12.0),
    Column::new("name", "Ad Soyad", Type::Text, 28.0),
    Column::new("title", "Unvan", Type::Text, 24.0),
    Column::new("org", "Birim", Type::Text, 14.0),
    Column::new("email", "E-posta", Type::Text, 28.0),
];

pub fn run(cli: &Cli, out: &Out, cmd: &PersonCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        PersonCmd::Add {
            id,
            name,
            org,
            title,
            email,
        } => {
            let p = person::add(
                &mut reg.store,
                person::NewPerson {
                    code: id.clone(),
                    name: name.clone(),
                    title: title.clone(),
                    org: org.clone(),
                    email: email.clone(),
                },
            )
            .map_err(|e| {
                super::as_flags(
                    e,
                    &[
                        ("id", "ID"),
                        ("name", "--name"),
                        ("title", "--title"),
                        ("org", "--org"),
                        ("email", "--email"),
                    ],
                )
            })?;
            out.print(&p, |p| {
                t!(
                    "person-added",
                    name = p.name.clone(),
                    code = p.code.clone(),
                    org = p.org.clone()
                )
            });
        }
        PersonCmd::Import { file } => {
            let n = person::import(&mut reg.store, file)?;
            out.print(&serde_json::json!({"imported": n}), |_| {
                t!("person-imported", count = n as i64, file = file.display().to_string())
            });
        }
        PersonCmd::List { org, export } => {
            if let Some(o) = org {
                store::orgs::get(&reg.store.conn, o)?;
            }
            let mut people = store::people::all(&reg.store.conn, org.as_deref())?;
            people.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
            if let Some(format) = export.sheet() {
                return export_table(cli, &reg, export, format, ("personel", "Personel"), &PEOPLE, |t| {
                    for p in &people {
                        t.row(&[
                            p.code.as_str().into(),
                            p.name.as_str().into(),
                            p.title.as_deref().into(),
                            p.org.as_str().into(),
                            p.email.as_deref().into(),
                        ])?;
                    }
                    Ok(())
                });
            }
            out.print(&people, |ps| {
                let rows: Vec<Vec<String>> = ps
                    .iter()
                    .map(|p| {
                        vec![
                            p.code.clone(),
                            p.name.clone(),
                            opt(&p.title),
                            p.org.clone(),
                            opt(&p.email),
                        ]
                    })
                    .collect();
                let h = [
                    t!("col-id"),
                    t!("col-name"),
                    t!("col-title"),
                    t!("col-org"),
                    t!("col-email"),
                ];
                table(&strs(&h), &rows) + &t!("person-count", count = ps.len() as i64)
            });
        }
    }
    Ok(())
}
