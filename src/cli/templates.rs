//! `tamim templates`: the document and mail templates built into the binary — `export DIR` copies them out for
//! an office to change (into `<registry>/templates/` they become its own), `list` says which one each
//! command uses (built in, or the office's file).

use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;

use super::{Cli, Out};
use crate::t;
use tamim_app::templates::{self, Folder};
use tamim_core::template::Origin;

#[derive(Subcommand, Debug)]
pub enum TemplatesCmd {
    /// Copy the built-in templates to DIR/documents/ and DIR/mail/, e.g. `tamim templates export registry/templates`.
    Export(ExportArgs),
    /// Every template and where it comes from (built in, or the registry's own file).
    List,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The folder to write to (new or empty), e.g. `registry/templates` to make them the office's own.
    pub dir: PathBuf,
    /// Write into a folder that is not empty, replacing templates of the same name (nothing else is touched).
    #[arg(long)]
    pub force: bool,
}

#[derive(Serialize)]
struct Listed {
    folder: &'static str,
    template: String,
    /// `built-in`, or the path of the office's own file.
    from: String,
}

pub fn run(cli: &Cli, out: &Out, cmd: &TemplatesCmd) -> tamim_app::Result<()> {
    match cmd {
        TemplatesCmd::Export(a) => {
            // Group-readable like other output (no registry is needed, so `[files] mode`'s default).
            let done = templates::export(&a.dir, a.force, |p, b| {
                tamim_app::registry::home::write_output(p, b, Default::default())
            })?;
            out.print(&done, |d| {
                t!(
                    "templates-exported",
                    n = d.files.len() as i64,
                    dir = d.dir.display().to_string()
                )
            });
        }
        TemplatesCmd::List => {
            let mut rows = Vec::new();
            for folder in Folder::ALL {
                for t in templates::load(&cli.registry, folder)?.iter() {
                    rows.push(Listed {
                        folder: folder.name(),
                        template: t.name.clone(),
                        from: match &t.origin {
                            Origin::BuiltIn => "built-in".into(),
                            Origin::File(p) => p.display().to_string(),
                        },
                    });
                }
            }
            out.print(&rows, |rows| {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        let from = if r.from == "built-in" {
                            t!("templates-built-in")
                        } else {
                            r.from.clone()
                        };
                        vec![r.folder.to_string(), r.template.clone(), from]
                    })
                    .collect();
                let header = [
                    t!("templates-header-folder"),
                    t!("templates-header-template"),
                    t!("templates-header-from"),
                ];
                super::output::table(&header.each_ref().map(String::as_str), &cells)
            });
        }
    }
    Ok(())
}
