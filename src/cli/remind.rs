//! `tamim remind DOC [--after DAYS]`: record a reminder for everyone not yet acknowledged (escalating to the
//! parent org after `ack.escalate_after`), and list the messages for the outbox.

use clap::Args;

use super::output::table;
use super::{open, Cli, Out};
use tamim::registry::document;

#[derive(Args, Debug)]
pub struct RemindArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    /// Remind those last contacted at least this many days ago (default: the time to the deadline split
    /// into ack.escalate_after + 1 rounds; a GÜNLÜDÜR document's own deadline makes them closer).
    #[arg(long)]
    pub after: Option<u32>,
}

pub fn run(cli: &Cli, out: &Out, a: &RemindArgs) -> tamim::Result<()> {
    let mut reg = open(cli)?;
    let secret = tamim::distribution::token::secret(&reg.home)?;
    let (cfg, base) = (reg.config.ack.clone(), reg.config.office.base_url.clone());
    let r = reg.store.write(|tx| {
        let id = document::resolve(tx, &a.doc)?;
        tamim::ack::remind::remind(tx, &secret, &base, id, a.after, &cfg, chrono::Utc::now())
    })?;
    out.print(&r, |r| {
        let mut o = format!("{} reminder(s) recorded (due after {} day(s); deadline {})\n", r.messages.len(), r.after_days, r.deadline);
        let rows: Vec<Vec<String>> = r
            .messages
            .iter()
            .map(|m| {
                vec![m.recipient.clone(), m.reminder.to_string(), if m.escalated { format!("{} (escalated)", m.to) } else { m.to.clone() }, m.address.clone()]
            })
            .collect();
        if !rows.is_empty() {
            o.push_str(&table(&["recipient", "reminder", "to", "address"], &rows));
        }
        if !r.unreachable.is_empty() {
            o.push_str(&format!("no address and no parent to escalate to: {}\n", r.unreachable.join(", ")));
        }
        o.push_str(&format!("{} not due yet\n", r.not_due));
        o
    });
    Ok(())
}
