//! `tamim org`: add, import, list, show, tree.

use clap::Subcommand;
use std::path::PathBuf;

use super::output::{opt, strs, table};
use super::sheet::{export_table, ExportFlags};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::{org, tree};
use tamim_app::sheet::{Column, Type};
use tamim_store as store;

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    /// Add an office.
    Add {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        kind: String,
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        kep: Option<String>,
        #[arg(long)]
        detsis: Option<String>,
    },
    /// Import offices from CSV or .xlsx (columns, in any order, also under their Turkish names: code,name,kind,parent,email,kep,detsis), all or nothing.
    Import { file: PathBuf },
    /// List offices in Turkish alphabetical order.
    List {
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        parent: Option<String>,
        #[command(flatten)]
        export: ExportFlags,
    },
    /// Show one office with its staff and child offices.
    Show { code: String },
    /// The office hierarchy.
    Tree { root: Option<String> },
}

/// The columns of the office list.
const ORGS: [Column; 7] = [
    Column::new("code", "Kod", Type::Text, 12.0),
    Column::new("name", "Birim Adı", Type::Text, 44.0),
    Column::new("kind", "Tür", Type::Text, 14.0),
    Column::new("parent", "Üst Birim", Type::Text, 12.0),
    Column::new("email", "E-posta", Type::Text, 28.0),
    Column::new("kep", "KEP", Type::Text, 28.0),
    Column::new("detsis", "DETSİS No", Type::Text, 12.0),
];

pub fn run(cli: &Cli, out: &Out, cmd: &OrgCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        OrgCmd::Add {
            code,
            name,
            kind,
            parent,
            email,
            kep,
            detsis,
        } => {
            let o = org::add(
                &mut reg.store,
                org::NewOrg {
                    code: code.clone(),
                    name: name.clone(),
                    kind: kind.clone(),
                    parent: parent.clone(),
                    email: email.clone(),
                    kep: kep.clone(),
                    detsis: detsis.clone(),
                },
            )
            .map_err(|e| {
                super::as_flags(
                    e,
                    &[
                        ("code", "CODE"),
                        ("name", "--name"),
                        ("kind", "--kind"),
                        ("parent", "--parent"),
                        ("email", "--email"),
                        ("kep", "--kep"),
                        ("detsis", "--detsis"),
                    ],
                )
            })?;
            out.print(&o, |o| t!("org-added", code = o.code.clone(), name = o.name.clone()));
        }
        OrgCmd::Import { file } => {
            let n = org::import(&mut reg.store, file)?;
            out.print(&serde_json::json!({"imported": n}), |_| {
                t!("org-imported", count = n as i64, file = file.display().to_string())
            });
        }
        OrgCmd::List { kind, parent, export } => {
            let mut orgs = store::orgs::all(&reg.store.conn)?;
            orgs.retain(|o| {
                kind.as_ref().is_none_or(|k| &o.kind == k)
                    && parent.as_ref().is_none_or(|p| o.parent.as_ref() == Some(p))
            });
            orgs.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
            if let Some(format) = export.sheet() {
                return export_table(cli, &reg, export, format, ("birimler", "Birimler"), &ORGS, |t| {
                    for o in &orgs {
                        t.row(&[
                            o.code.as_str().into(),
                            o.name.as_str().into(),
                            o.kind.as_str().into(),
                            o.parent.as_deref().into(),
                            o.email.as_deref().into(),
                            o.kep.as_deref().into(),
                            o.detsis.as_deref().into(),
                        ])?;
                    }
                    Ok(())
                });
            }
            out.print(&orgs, |orgs| {
                let rows: Vec<Vec<String>> = orgs
                    .iter()
                    .map(|o| {
                        vec![
                            o.code.clone(),
                            o.name.clone(),
                            o.kind.clone(),
                            opt(&o.parent),
                            opt(&o.email),
                        ]
                    })
                    .collect();
                let h = [
                    t!("col-code"),
                    t!("col-name"),
                    t!("col-kind"),
                    t!("col-parent"),
                    t!("col-email"),
                ];
                table(&strs(&h), &rows) + &t!("org-count", count = orgs.len() as i64)
            });
        }
        OrgCmd::Show { code } => {
            let o = store::orgs::get(&reg.store.conn, code)?;
            let mut staff = store::people::all(&reg.store.conn, Some(code))?;
            staff.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name));
            let mut children = store::orgs::children(&reg.store.conn, o.id, None)?;
            children.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name));
            let v = serde_json::json!({"org": o, "staff": staff, "children": children});
            out.print(&v, |_| {
                let mut s = format!("{}  {}\n", o.code, o.name);
                for (k, v) in [
                    (t!("org-show-kind"), Some(o.kind.clone())),
                    (t!("org-show-parent"), o.parent.clone()),
                    (t!("org-show-email"), o.email.clone()),
                    ("KEP".to_string(), o.kep.clone()),
                    ("DETSİS".to_string(), o.detsis.clone()),
                ] {
                    if let Some(v) = v.filter(|v| !v.is_empty()) {
                        s.push_str(&format!("  {k:<8} {v}\n"));
                    }
                }
                s.push_str(&format!("  {:<8} {}\n", t!("org-show-staff"), staff.len()));
                for p in &staff {
                    s.push_str(&format!("    {} {} {}\n", p.code, p.name, opt(&p.title)));
                }
                s.push_str(&format!("  {:<8} {}\n", t!("org-show-children"), children.len()));
                for c in &children {
                    s.push_str(&format!("    {} {}\n", c.code, c.name));
                }
                s
            });
        }
        OrgCmd::Tree { root } => {
            let t = tree::tree(&reg.store.conn, root.as_deref())?;
            out.print(&t, |t| {
                let mut s = String::new();
                for n in t {
                    n.render_text(0, &mut s);
                }
                s
            });
        }
    }
    Ok(())
}
