//! `tamim chain`: the whole chain of a document, with discrepancies marked.

use clap::Args;

use super::{open, Cli, Out};
use tamim_app::registry::{chain, document};

#[derive(Args, Debug)]
pub struct ChainArgs {
    /// A registry id (#12) or a sayı as printed.
    pub doc: String,
}

pub fn run(cli: &Cli, out: &Out, a: &ChainArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let c = chain::chain(&reg.store.conn, id)?;
    out.print(&c, |c| c.render_text());
    Ok(())
}
