//! `tamim log verify`: walk the hash-chained event log and name the first entry edited, deleted or reordered.

use clap::Subcommand;

use super::{open, Cli, Out};
use crate::t;

#[derive(Subcommand, Debug)]
pub enum LogCmd {
    /// Recompute every entry's hash and link; exit 1 naming the first entry that was edited, deleted or reordered.
    Verify {
        /// The head an earlier report printed (SEQ:HASH): also check the log still holds it, which finds
        /// entries cut off the end and a log re-hashed from some entry on.
        #[arg(long)]
        head: Option<tamim_app::audit::verify::KnownHead>,
    },
}

pub fn run(cli: &Cli, out: &Out, c: &LogCmd) -> tamim_app::Result<()> {
    match c {
        LogCmd::Verify { head } => {
            let reg = open(cli)?;
            let v = match head {
                Some(h) => tamim_app::audit::verify::verify_against(&reg.store.conn, h)?,
                None => tamim_app::audit::verify(&reg.store.conn)?,
            };
            out.print(&v, |v| match &v.problem {
                None => {
                    t!(
                        "log-verified",
                        entries = v.entries,
                        seq = v.head_seq.unwrap_or(0),
                        hash = v.head_hash.clone().unwrap_or_default()
                    ) + &head
                        .as_ref()
                        .map(|h| t!("log-holds-head", seq = h.seq, hash = h.hash.clone()))
                        .unwrap_or_default()
                }
                Some(p) => t!("log-broken", seq = p.seq, kind = p.kind.clone()),
            });
            match v.problem {
                None => Ok(()),
                Some(p) => Err(tamim_app::Error::CheckFailed(t!("log-problem", problem = p.message))),
            }
        }
    }
}
