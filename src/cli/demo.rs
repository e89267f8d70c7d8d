//! `tamim demo`: the seed's chain end to end on the embedded default (SQLite and a file outbox).

use clap::Args;

use super::{Cli, Out};
use crate::t;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Send through this SMTP server instead of the file outbox (smtp://host:port, …).
    #[arg(long)]
    pub smtp: Option<String>,
}

pub fn run(cli: &Cli, out: &Out, a: &DemoArgs) -> tamim_app::Result<()> {
    tamim_app::registry::guard::check_output_dir(&cli.registry, &cli.output)?;
    let report = tamim::demo::run(&cli.registry, &cli.output, a.smtp.as_deref())?;
    out.print(&report, |r| {
        let mut s = t!(
            "demo-built",
            registry = r.registry.display().to_string(),
            output = r.output.display().to_string()
        );
        s.push_str("\n\n");
        for d in &r.documents {
            let pages = t!("demo-pages", count = d.pages);
            s.push_str(&format!(
                "  {:<30} {:<24} Sayı {:<26} No {:<9} {pages:<9}  {}\n",
                d.office,
                d.what,
                d.sayi,
                d.kind_no,
                d.file.display()
            ));
        }
        s.push_str(&format!("\n{}\n\n", t!("demo-chain")));
        s.push_str(&r.chain.render_text());
        let m = &r.sent;
        let outbox = match m.transport.as_str() {
            "file" => t!("demo-outbox", path = r.output.join("outbox").display().to_string()),
            _ => String::new(),
        };
        let sent = t!(
            "demo-sent",
            label = m.label.clone(),
            transport = m.transport.clone(),
            recipients = m.recipients,
            sent = m.sent,
            failed = m.failed,
            no_address = m.no_address
        );
        s.push_str(&format!("\n{sent}{outbox}\n"));
        let a = &r.after;
        let none = t!("demo-none");
        let after = t!(
            "demo-after",
            by_link = a.acknowledged_by_link.len(),
            on_paper = a.acknowledged_on_paper.clone().unwrap_or_else(|| none.clone()),
            bounced = a.bounced.clone().unwrap_or_else(|| none.clone()),
            reminded = a.reminded.sent,
            transport = a.reminded.transport.clone()
        );
        s.push_str(&format!("\n{after}\n\n"));
        s.push_str(&a.audit);
        s.push_str(&format!("\n{}\n", t!("demo-log-head", head = a.log_head.clone())));
        s
    });
    Ok(())
}
