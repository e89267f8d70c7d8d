//! `tamim numbering`: the gap-free counters (kayıt no, sayı, each kind's yearly number).

use clap::Subcommand;

use super::output::{strs, table};
use super::{open, Cli, Out};
use crate::t;
use tamim_store as store;

#[derive(Subcommand, Debug)]
pub enum NumberingCmd {
    /// Every counter and the last number it gave.
    Show,
    /// Make the next number of a counter N (numbers only move forward), e.g. when moving from a paper register.
    Set {
        /// kayit, sayi, or kind:<kind> (kind:tamim for Tamim No).
        scope: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        next: i64,
    },
}

pub fn run(cli: &Cli, out: &Out, cmd: &NumberingCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        NumberingCmd::Show => {
            let rows = store::counters::all(&reg.store.conn)?;
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|(s, y, v)| serde_json::json!({"scope": s, "year": y, "last": v, "next": v + 1}))
                .collect();
            out.print(&v, |_| {
                table(
                    &strs(&[t!("col-scope"), t!("col-year"), t!("col-last"), t!("col-next")]),
                    &rows
                        .iter()
                        .map(|(s, y, v)| vec![s.clone(), y.to_string(), v.to_string(), (v + 1).to_string()])
                        .collect::<Vec<_>>(),
                )
            });
        }
        NumberingCmd::Set { scope, year, next } => {
            let ok = scope == "kayit" || scope == "sayi" || scope.strip_prefix("kind:").is_some_and(|k| !k.is_empty());
            if !ok {
                return Err(tamim_app::Error::invalid(
                    "SCOPE",
                    t!("numbering-bad-scope", scope = scope.clone()),
                ));
            }
            if !(1900..=2200).contains(year) {
                return Err(tamim_app::Error::invalid(
                    "--year",
                    t!("numbering-bad-year", year = year.to_string()),
                ));
            }
            reg.store
                .write(|tx| store::counters::set_next(tx, scope, *year, *next))
                .map_err(|e| super::as_flags(tamim_app::Error::from(e), &[("next", "--next")]))?;
            out.print(&serde_json::json!({"scope": scope, "year": year, "next": next}), |_| {
                t!(
                    "numbering-set",
                    scope = scope.clone(),
                    year = year.to_string(),
                    next = next.to_string()
                )
            });
        }
    }
    Ok(())
}
