//! `tamim remind DOC [--after DAYS]`: send a reminder to everyone not yet acknowledged (escalating to the
//! parent org after `ack.escalate_after`), recording each one that went out, and list them.

use clap::Args;

use super::output::{strs, table};
use super::{i18n, open, Cli, Out};
use crate::t;
use tamim_app::ack::remind::AddressedTo;
use tamim_app::registry::document;

#[derive(Args, Debug)]
pub struct RemindArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    /// Remind those last contacted at least this many days ago (default: the time to the deadline split
    /// into ack.escalate_after + 1 rounds; a GÜNLÜDÜR document's own deadline makes them closer).
    #[arg(long)]
    pub after: Option<u32>,
    /// file (output/outbox) or smtp; default from office.toml.
    #[arg(long)]
    pub transport: Option<String>,
    /// SMTP server for the reminders (implies --transport smtp).
    #[arg(long)]
    pub smtp: Option<String>,
}

pub fn run(cli: &Cli, out: &Out, a: &RemindArgs) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    reg.check_output_dir(&cli.output)?;
    let secret = tamim_app::distribution::token::secret(&reg.home)?;
    let (cfg, base) = (reg.config.ack.clone(), reg.config.office.base_url.clone());
    let issuer = tamim_app::ack::remind::Issuer::of(&reg.config);
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    // The reminders go out through the same transports as the circular, each sent or failed an event.
    let opts = tamim_app::distribution::send::SendOptions {
        transport: a.transport.clone(),
        smtp_url: a.smtp.clone(),
        dry_run: false,
        max_attempts: 1,
        backoff_secs: 0.0,
        retry_failed: false,
        stop: None,
    };
    // A contradiction in the flags, or an SMTP server that is down or refuses the login, is refused before any
    // reminder is recorded.
    tamim_app::distribution::send::check_server(&reg, &opts)?;
    let r = reg.store.write(|tx| {
        tamim_app::ack::remind::remind(tx, &secret, &base, &issuer, id, a.after, &cfg, chrono::Utc::now())
    })?;
    let sent = tamim_app::distribution::send::send_reminders(&mut reg, id, &r.messages, &cli.output, &opts)?;
    let both = Reminded {
        remind: &r,
        sent: &sent,
    };
    out.print(&both, |b| {
        let r = b.remind;
        // Recorded: the reminders that went out; one that failed is listed below and not counted.
        let mut o = t!(
            "remind-recorded",
            count = b.sent.sent,
            after = r.after_days,
            deadline = i18n::date_text(&r.deadline)
        );
        let rows: Vec<Vec<String>> = r
            .messages
            .iter()
            .map(|m| {
                vec![
                    m.recipient.clone(),
                    m.reminder.to_string(),
                    match m.addressed_to {
                        AddressedTo::Recipient => m.to.clone(),
                        AddressedTo::Parent => t!("remind-escalated", to = m.to.clone()),
                        AddressedTo::Staff => t!("remind-to-staff", to = m.to.clone()),
                    },
                    m.address.clone(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            let h = [
                t!("remind-col-recipient"),
                t!("remind-col-reminder"),
                t!("remind-col-to"),
                t!("remind-col-address"),
            ];
            o.push_str(&table(&strs(&h), &rows));
        }
        if !r.unreachable.is_empty() {
            o.push_str(&t!("remind-unreachable", who = r.unreachable.join(", ")));
        }
        o.push_str(&t!("remind-not-due", count = r.not_due));
        o.push_str(&t!(
            "remind-sent",
            count = b.sent.sent,
            transport = b.sent.transport.clone()
        ));
        for f in &b.sent.failed {
            o.push_str(&t!(
                "remind-failed",
                name = f.name.clone(),
                email = f.email.clone().unwrap_or_default(),
                reply = f.reply.clone()
            ));
        }
        o
    });
    Ok(())
}

/// What `remind` prints: the recorded reminders and what sending them did.
#[derive(serde::Serialize)]
struct Reminded<'a> {
    #[serde(flatten)]
    remind: &'a tamim_app::ack::remind::RemindReport,
    sent: &'a tamim_app::distribution::send::ReminderSummary,
}
