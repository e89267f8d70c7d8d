//! `tamim completions SHELL` (clap_complete) and `tamim man` (clap_mangen): generated from the same
//! argument definitions as `--help`, written to standard output.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell, e.g. `bash` (`tamim completions bash > /etc/bash_completion.d/tamim`), zsh, fish, elvish, powershell.
    pub shell: Shell,
}

pub fn completions(a: &CompletionsArgs) -> tamim_app::Result<()> {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "tamim", &mut script);
    write_stdout(&script)
}

fn write_stdout(bytes: &[u8]) -> tamim_app::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(tamim_app::Error::io("standard output", e)),
        _ => Ok(()),
    }
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write one page per subcommand (tamim.1, tamim-send.1, …) into this folder instead of printing tamim(1).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

pub fn man(a: &ManArgs) -> tamim_app::Result<()> {
    let cmd = Cli::command();
    match &a.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(|e| tamim_app::Error::io("standard output", e))?;
            write_stdout(&page)
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| tamim_app::Error::io(dir, e))?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| tamim_app::Error::io(dir, e))
        }
    }
}
