//! `tamim serve [--bind ADDR:PORT]`: acknowledgement links and the auditor's pages over HTTP.

use clap::Args;

use super::{Cli, Out};
use crate::t;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
}

pub fn run(cli: &Cli, _out: &Out, a: &ServeArgs) -> tamim_app::Result<()> {
    // Open once to give the usual errors (not a registry, newer schema) before binding.
    drop(super::open(cli)?);
    tamim_server::serve(&cli.registry, &a.bind, &cli.output, super::errors::message, |addr| {
        println!("{}", t!("serve-listening", addr = addr.to_string()));
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
}
