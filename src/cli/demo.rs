//! `tamim demo`: the seed's chain end to end on the embedded default (SQLite and a file outbox).

use clap::Args;

use super::{Cli, Out};

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
        let mut s = format!("tamim demo: the seed's chain, built in {} (PDFs in {})\n\n", r.registry.display(), r.output.display());
        for d in &r.documents {
            s.push_str(&format!("  {:<30} {:<24} Sayı {:<26} No {:<9} {} pages  {}\n", d.office, d.what, d.sayi, d.kind_no, d.pages, d.file.display()));
        }
        s.push_str("\nThe chain as İESOB's registry holds it:\n\n");
        s.push_str(&r.chain.render_text());
        let m = &r.sent;
        s.push_str(&format!(
            "\n{} sent via {} to {} member chambers: {} sent, {} failed, {} with no e-mail address (paper/KEP){}\n",
            m.label,
            m.transport,
            m.recipients,
            m.sent,
            m.failed,
            m.no_address,
            if m.transport == "file" { format!(" — messages in {}", r.output.join("outbox").display()) } else { String::new() }
        ));
        let a = &r.after;
        s.push_str(&format!(
            "\nAfterwards: {} chambers acknowledged by link, {} on a signed paper sheet (after registering it), {} bounced; {} late recipient(s) reminded ({}).\n\n",
            a.acknowledged_by_link.len(),
            a.acknowledged_on_paper.as_deref().unwrap_or("none"),
            a.bounced.as_deref().unwrap_or("none"),
            a.reminded.sent,
            a.reminded.transport
        ));
        s.push_str(&a.audit);
        s.push_str(&format!("\nEvent log head: {}\n", a.log_head));
        s
    });
    Ok(())
}
