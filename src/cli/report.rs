//! `tamim report`: reports between two tamims — `send` ours on an incoming document to its issuer,
//! `link` an incoming document to its issuer's acknowledgement link, `show` what the offices below
//! reported on one of our documents (the same section `tamim audit` prints).

use clap::Subcommand;
use std::time::Duration;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::document::resolve;
use tamim_app::report::{send, upper};

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Build, sign and send the report of an incoming document to its issuer (its next sequence number).
    Send {
        doc: String,
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// Give an incoming document its report link (the acknowledgement link of the issuer's e-mail).
    Link { doc: String, link: String },
    /// What the offices below reported on one of our documents: figures, pending names, head hashes.
    Show { doc: String },
}

pub fn run(cli: &Cli, out: &Out, cmd: &ReportCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        ReportCmd::Send { doc, timeout } => {
            let id = resolve(&reg.store.conn, doc)?;
            let sent = send::send(&mut reg, id, Duration::from_secs(*timeout))?;
            out.print(&sent, |s| {
                t!("report-sent", sequence = s.sequence, url = s.endpoint.clone())
            });
        }
        ReportCmd::Link { doc, link } => {
            let id = resolve(&reg.store.conn, doc)?;
            reg.store.write(|tx| send::set_link(tx, id, link))?;
            let url = tamim_app::report::build::parse_link("report-to", link)?.endpoint;
            out.print(&serde_json::json!({"document_id": id, "endpoint": url}), |_| {
                t!("report-link-set", id = id, url = url.clone())
            });
        }
        ReportCmd::Show { doc } => {
            let id = resolve(&reg.store.conn, doc)?;
            let offices = upper::of_document(&reg.store.conn, id)?;
            let zone = reg.config.office.zone();
            out.print(&offices, |o| match o.is_empty() {
                true => t!("report-none"),
                false => upper::text(o, zone).trim_start().to_string(),
            });
        }
    }
    Ok(())
}
