//! `tamim demo`: the seed's chain end to end on the embedded default (SQLite and a file outbox).

use clap::Args;

use super::{Cli, Out};

#[derive(Args, Debug)]
pub struct DemoArgs {}

pub fn run(cli: &Cli, out: &Out, _a: &DemoArgs) -> tamim::Result<()> {
    let report = tamim::demo::run(&cli.registry, &cli.output)?;
    out.print(&report, |r| {
        let mut s = format!("tamim demo: the seed's chain, built in {} (PDFs in {})\n\n", r.registry.display(), r.output.display());
        for d in &r.documents {
            s.push_str(&format!("  {:<30} {:<24} Sayı {:<26} No {:<9} {} pages  {}\n", d.office, d.what, d.sayi, d.kind_no, d.pages, d.file.display()));
        }
        s.push_str("\nThe chain as İESOB's registry holds it:\n\n");
        s.push_str(&r.chain.render_text());
        s
    });
    Ok(())
}
