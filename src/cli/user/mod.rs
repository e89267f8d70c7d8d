//! `tamim user`: the office's accounts for `tamim serve` — add, list, disable, passwd. One module per
//! subcommand; each calls `tamim_app::accounts` (the admin page calls the same functions).
//! A password is never an argument: it is read from standard input (`--password-stdin`) or typed at the
//! terminal without echo.

mod add;
mod disable;
mod list;
mod passwd;

use clap::Subcommand;

use super::{open, Cli, Out};
use tamim_app::accounts::AccountError;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add an account (the first yönetici is made this way).
    Add(add::AddArgs),
    /// List the accounts with their roles.
    List,
    /// Disable an account: its sessions end, it cannot log in.
    Disable { username: String },
    /// Set a new password for an account.
    Passwd(passwd::PasswdArgs),
}

pub fn run(cli: &Cli, out: &Out, cmd: &UserCmd) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    match cmd {
        UserCmd::Add(a) => add::run(&mut reg.store, out, a),
        UserCmd::List => list::run(&reg.store, out),
        UserCmd::Disable { username } => disable::run(&mut reg.store, out, username),
        UserCmd::Passwd(a) => passwd::run(&mut reg.store, out, a),
    }
}

/// The password: one line of standard input with `--password-stdin`, else typed twice at the terminal.
pub fn read_password(from_stdin: bool) -> Result<String, AccountError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| AccountError::Password(e.to_string()))?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let first = rpassword::prompt_password(crate::t!("user-password-prompt")).map_err(|_| AccountError::NoTerminal)?;
    let again = rpassword::prompt_password(crate::t!("user-password-again")).map_err(|_| AccountError::NoTerminal)?;
    if first != again {
        return Err(AccountError::PasswordMismatch);
    }
    Ok(first)
}
