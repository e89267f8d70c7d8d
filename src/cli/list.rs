//! `tamim list`: create, add, remove, show [--expand].

use clap::Subcommand;

use super::output::{opt, strs, table, write_table};
use super::sheet::{export_table, ExportFlags};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::expand;
use tamim_app::registry::list::{self, Member, MemberTarget, Role};
use tamim_app::sheet::{Column, Type};
use tamim_store as store;

#[derive(Subcommand, Debug)]
pub enum ListCmd {
    /// Create a distribution list.
    Create {
        name: String,
        /// How the list is printed in a dağıtım block, e.g. "39 İlçe Kaymakamlığına".
        #[arg(long)]
        title: Option<String>,
    },
    /// Add members: org codes, person ids, or @LIST (org:CODE / person:ID when a code is both).
    Add {
        name: String,
        #[arg(required = true)]
        members: Vec<String>,
        /// gereği (for action) or bilgi (for information).
        #[arg(long, default_value = "gereği")]
        role: String,
        /// The recipient must pass the document on to its child orgs of this kind.
        #[arg(long)]
        cascade: Option<String>,
        /// The cascade instruction as printed (default from the kind).
        #[arg(long)]
        cascade_text: Option<String>,
        /// How this entry is printed in a dağıtım block.
        #[arg(long)]
        label: Option<String>,
        /// The recipient office must notify all its staff (each acknowledges or is exempt).
        #[arg(long)]
        all_staff: bool,
    },
    /// Remove members.
    Remove {
        name: String,
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Show a list's entries, or with --expand every recipient it reaches.
    Show {
        name: String,
        #[arg(long)]
        expand: bool,
        /// With --expand: the recipients as csv, csv-excel or xlsx.
        #[command(flatten)]
        export: ExportFlags,
    },
    /// All lists.
    Ls,
}

/// The columns of an expanded list.
const RECIPIENTS: [Column; 10] = [
    Column::new("name", "Alıcı", Type::Text, 40.0),
    Column::new("code", "Kod", Type::Text, 14.0),
    Column::new("kind", "Tür", Type::Text, 14.0),
    Column::new("role", "Gereği/Bilgi", Type::Text, 12.0),
    Column::new("path", "Yol", Type::Text, 30.0),
    Column::new("cascade", "Dağıtım Talimatı", Type::Text, 30.0),
    Column::new("email", "E-posta", Type::Text, 28.0),
    Column::new("kep", "KEP", Type::Text, 28.0),
    Column::new("org", "Birim", Type::Text, 14.0),
    Column::new("title", "Unvan", Type::Text, 24.0),
];

/// `list`'s arguments and flags, by the field each sets.
fn flags(e: tamim_app::Error) -> tamim_app::Error {
    super::as_flags(
        e,
        &[
            ("list", "NAME"),
            ("title", "--title"),
            ("cascade", "--cascade"),
            ("cascade text", "--cascade-text"),
            ("label", "--label"),
            ("member", "MEMBER"),
        ],
    )
}

pub fn run(cli: &Cli, out: &Out, cmd: &ListCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        ListCmd::Create { name, title } => {
            let l = list::create(&mut reg.store, name, title.as_deref()).map_err(flags)?;
            out.print(&l, |l| t!("list-created", name = l.name.clone()));
        }
        ListCmd::Add {
            name,
            members,
            role,
            cascade,
            cascade_text,
            label,
            all_staff,
        } => {
            let role = Role::parse(role)
                .ok_or_else(|| tamim_app::Error::invalid("--role", t!("list-bad-role", role = role.clone())))?;
            let template = Member {
                target: MemberTarget::Org(0),
                role,
                cascade_kind: cascade.clone(),
                cascade_text: cascade_text.clone(),
                label: label.clone(),
                staff_duty: *all_staff,
            };
            let l = list::add(&mut reg.store, name, members, template).map_err(flags)?;
            out.print(&l, |l| t!("list-entries", name = l.name.clone(), count = l.entries));
        }
        ListCmd::Remove { name, members } => {
            let l = list::remove(&mut reg.store, name, members).map_err(flags)?;
            out.print(&l, |l| t!("list-entries", name = l.name.clone(), count = l.entries));
        }
        ListCmd::Show {
            name, expand: false, ..
        } => {
            let id = store::lists::id_of(&reg.store.conn, name)?;
            let info = store::lists::info(&reg.store.conn, id)?;
            let members = store::lists::members(&reg.store.conn, id)?;
            let entries: Vec<serde_json::Value> = members
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "member": match m.target { MemberTarget::List(_) => format!("@{}", m.code), _ => m.code.clone() },
                        "name": m.name, "role": m.role, "cascade": m.cascade_text, "label": m.label, "printed": m.display_text(),
                    })
                })
                .collect();
            let v = serde_json::json!({"name": info.name, "title": info.title, "entries": entries});
            out.print(&v, |_| {
                let rows: Vec<Vec<String>> = members
                    .iter()
                    .map(|m| {
                        let member = match m.target {
                            MemberTarget::List(_) => format!("@{}", m.code),
                            _ => m.code.clone(),
                        };
                        vec![member, m.role.label().to_string(), m.display_text()]
                    })
                    .collect();
                format!(
                    "{}{}\n",
                    info.name,
                    info.title.as_ref().map(|t| format!(" — {t}")).unwrap_or_default()
                ) + &table(&strs(&[t!("col-member"), t!("col-role"), t!("col-printed-as")]), &rows)
            });
        }
        ListCmd::Show {
            name,
            expand: true,
            export,
        } => {
            let e = expand::expand(&reg.store.conn, name)?;
            if let Some(format) = export.sheet() {
                let file = format!("alicilar-{}", name.replace(['/', '\\'], "-"));
                return export_table(cli, &reg, export, format, (&file, "Alıcılar"), &RECIPIENTS, |t| {
                    for r in e.iter() {
                        t.row(&[
                            r.name.into(),
                            r.code.into(),
                            r.kind.into(),
                            r.role.label().into(),
                            r.path.into(),
                            r.cascade.into(),
                            r.email.into(),
                            r.kep.into(),
                            r.org.into(),
                            r.title.into(),
                        ])?;
                    }
                    Ok(())
                });
            }
            if out.json {
                print_expansion_json(&e);
            } else {
                use std::io::Write;
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                let header = [
                    t!("col-name"),
                    t!("col-code"),
                    t!("col-kind"),
                    t!("col-role"),
                    t!("col-path"),
                    t!("col-cascade"),
                ];
                let _ = write_table(&mut w, &strs(&header), e.len(), |i| {
                    let r = e.get(i);
                    [
                        r.name,
                        r.code,
                        r.kind,
                        r.role.label(),
                        r.path,
                        r.cascade.unwrap_or_default(),
                    ]
                });
                let _ = writeln!(
                    w,
                    "{}",
                    t!(
                        "list-expanded",
                        count = e.len() as i64,
                        action = e.count(Role::Gereği) as i64,
                        info = e.count(Role::Bilgi) as i64
                    )
                );
            }
        }
        ListCmd::Ls => {
            let mut ls = store::lists::all(&reg.store.conn)?;
            ls.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name));
            out.print(&ls, |ls| {
                let rows: Vec<Vec<String>> = ls
                    .iter()
                    .map(|l| vec![l.name.clone(), opt(&l.title), l.entries.to_string()])
                    .collect();
                table(&strs(&[t!("col-name"), t!("col-title"), t!("col-entries")]), &rows)
            });
        }
    }
    Ok(())
}

/// Stream the expansion as `{"recipients": [...]}` without building it all in memory twice.
fn print_expansion_json(e: &expand::Expansion) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let _ = writeln!(w, "{{\"recipients\": [");
    for i in 0..e.len() {
        let _ = w.write_all(b"  ");
        let _ = serde_json::to_writer(&mut w, &e.get(i));
        let _ = w.write_all(if i + 1 < e.len() { b",\n" } else { b"\n" });
    }
    let _ = writeln!(
        w,
        "], \"count\": {}, \"gereği\": {}, \"bilgi\": {}}}",
        e.len(),
        e.count(Role::Gereği),
        e.count(Role::Bilgi)
    );
}
