//! `tamim log verify`: walk the hash-chained event log and name the first entry edited, deleted or reordered.

use clap::Subcommand;

use super::{open, Cli, Out};

#[derive(Subcommand, Debug)]
pub enum LogCmd {
    /// Recompute every entry's hash and link; exit 1 naming the first entry that was edited, deleted or reordered.
    Verify,
}

pub fn run(cli: &Cli, out: &Out, c: &LogCmd) -> tamim::Result<()> {
    match c {
        LogCmd::Verify => {
            let reg = open(cli)?;
            let v = tamim::audit::verify(&reg.store.conn)?;
            out.print(&v, |v| match &v.problem {
                None => format!("event log verified: {} entries, head {} {}", v.entries, v.head_seq.unwrap_or(0), v.head_hash.clone().unwrap_or_default()),
                Some(p) => format!("event log BROKEN at entry {} ({})", p.seq, p.kind),
            });
            match v.problem {
                None => Ok(()),
                Some(p) => Err(tamim::Error::Conflict(format!("event log: {}", p.message))),
            }
        }
    }
}
