//! `tamim init`: make a registry home.

use clap::Args;
use std::path::PathBuf;

use super::{Cli, Out};
use crate::t;
use tamim_app::registry::Registry;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Start from this office.toml instead of the template.
    #[arg(long)]
    pub office: Option<PathBuf>,
}

pub fn run(cli: &Cli, out: &Out, a: &InitArgs) -> tamim_app::Result<()> {
    let text = match &a.office {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| tamim_app::Error::io(p, e))?),
        None => None,
    };
    let report = Registry::init(&cli.registry, text.as_deref())?;
    out.print(&report, |r| {
        if r.created.is_empty() {
            t!(
                "init-complete",
                registry = r.registry.display().to_string(),
                version = r.schema_version
            )
        } else {
            t!(
                "init-ready",
                registry = r.registry.display().to_string(),
                version = r.schema_version,
                created = r.created.join(", ")
            )
        }
    });
    Ok(())
}
