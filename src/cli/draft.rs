//! `tamim draft forward|new`: write a pre-filled, human-editable draft.

use clap::Subcommand;
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::document;

#[derive(Subcommand, Debug)]
pub enum DraftCmd {
    /// A follow-on that cites and carries a registered document.
    Forward {
        /// The registered document (#12 or its sayı).
        doc: String,
        #[arg(long, default_value = "tamim")]
        template: String,
        /// Distribution lists (repeatable).
        #[arg(long = "to", required = true)]
        to: Vec<String>,
        /// Document kind (default from the template).
        #[arg(long)]
        kind: Option<tamim_core::DocumentKind>,
        #[arg(long)]
        muhatap: Option<String>,
        #[arg(long = "file", value_name = "FILE")]
        out: PathBuf,
        /// Replace the draft file when it exists (never one of the registry's own files).
        #[arg(long)]
        force: bool,
    },
    /// An empty draft for a template.
    New {
        #[arg(long, default_value = "ust-yazi")]
        template: String,
        #[arg(long = "to")]
        to: Vec<String>,
        #[arg(long = "file", value_name = "FILE")]
        out: PathBuf,
        /// Replace the draft file when it exists (never one of the registry's own files).
        #[arg(long)]
        force: bool,
    },
}

pub fn run(cli: &Cli, out: &Out, cmd: &DraftCmd) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let tdir = tamim_app::templates::load(&reg.home, tamim_app::templates::Folder::Documents)?;
    let check_template = |t: &str| -> tamim_app::Result<()> {
        let names = tamim_docs::render::template::available_templates(&tdir);
        if names.iter().any(|n| n == t) {
            Ok(())
        } else {
            Err(tamim_app::Error::invalid(
                "--template",
                t!(
                    "draft-unknown-template",
                    template = t.to_string(),
                    available = names.join(", ")
                ),
            ))
        }
    };
    let (draft, path) = match cmd {
        DraftCmd::Forward {
            doc,
            template,
            to,
            kind,
            muhatap,
            out,
            force,
        } => {
            reg.check_output(out, *force)?;
            check_template(template)?;
            for l in to {
                tamim_store::lists::id_of(&reg.store.conn, l)?;
            }
            let id = document::resolve(&reg.store.conn, doc)?;
            let d = document::load(&reg.store.conn, id)?;
            (
                tamim_app::issue::forward::forward(&reg, &d, template, *kind, to, muhatap.as_deref())?,
                out,
            )
        }
        DraftCmd::New {
            template,
            to,
            out,
            force,
        } => {
            reg.check_output(out, *force)?;
            check_template(template)?;
            (tamim_app::issue::forward::new_draft(&reg, template, to), out)
        }
    };
    tamim_app::registry::home::write_output(path, draft.to_toml()?.as_bytes(), reg.config.modes())?;
    out.print(&draft, |_| t!("draft-wrote", file = path.display().to_string()));
    Ok(())
}
