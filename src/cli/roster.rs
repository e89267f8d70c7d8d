//! `tamim roster`: an office's staff roster, imported from its spreadsheet or CSV, and shown.

use clap::Subcommand;
use std::path::PathBuf;

use super::output::{opt, strs, table};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::roster::import;

#[derive(Subcommand, Debug)]
pub enum RosterCmd {
    /// Import an office's staff from .xlsx or CSV; re-importing adds joiners, updates, marks leavers.
    Import { office: String, file: PathBuf },
    /// Show an office's roster, leavers included.
    Show { office: String },
    /// A document's staff coverage: per office with the staff duty, who is done, exempt, pending.
    Coverage { doc: String },
}

pub fn run(cli: &Cli, out: &Out, cmd: &RosterCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        RosterCmd::Import { office, file } => {
            let today = chrono::Utc::now().with_timezone(&reg.config.office.zone()).date_naive();
            let r = import::import(&mut reg.store, office, file, today)?;
            out.print(&r, |r| {
                let mut s = t!(
                    "roster-imported",
                    office = r.office.clone(),
                    rows = r.rows as i64,
                    added = r.added as i64,
                    updated = r.updated as i64,
                    left = r.left as i64
                );
                if !r.ignored_columns.is_empty() {
                    s.push('\n');
                    s += &t!("roster-ignored-columns", columns = r.ignored_columns.join(", "));
                }
                s
            });
        }
        RosterCmd::Coverage { doc } => {
            let id = tamim_app::registry::document::resolve(&reg.store.conn, doc)?;
            let c = tamim_app::roster::coverage::coverage(&reg.store.conn, id)?;
            out.print(&c, |c| tamim_app::roster::coverage::text(c).trim_start().to_string());
        }
        RosterCmd::Show { office } => {
            let staff = import::show(&reg.store.conn, office)?;
            out.print(&staff, |ps| {
                let rows: Vec<Vec<String>> = ps
                    .iter()
                    .map(|p| {
                        vec![
                            p.sicil.clone(),
                            p.name.clone(),
                            opt(&p.title),
                            opt(&p.unit),
                            opt(&p.email),
                            opt(&p.joined_on),
                            opt(&p.left_on),
                        ]
                    })
                    .collect();
                let h = [
                    t!("col-sicil"),
                    t!("col-name"),
                    t!("col-title"),
                    t!("col-unit"),
                    t!("col-email"),
                    t!("col-joined"),
                    t!("col-left"),
                ];
                table(&strs(&h), &rows) + &t!("person-count", count = ps.len() as i64)
            });
        }
    }
    Ok(())
}
