//! `tamim user passwd USERNAME [--password-stdin]`: a new password; the account's lock is cleared and its
//! sessions end.

use clap::Args;

use crate::cli::Out;
use crate::t;
use tamim_app::accounts;
use tamim_store::Store;

#[derive(Args, Debug)]
pub struct PasswdArgs {
    pub username: String,
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(store: &mut Store, out: &Out, a: &PasswdArgs) -> tamim_app::Result<()> {
    let password = super::read_password(a.password_stdin)?;
    let user = accounts::set_password(store, &a.username, &password, "cli")?;
    out.print(&user, |u| t!("user-password-changed", username = u.username.clone()));
    Ok(())
}
