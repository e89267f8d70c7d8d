//! `tamim user add USERNAME --name "Ayşe Yılmaz" --role paraf[:Birim] … [--password-stdin]`.

use clap::Args;

use crate::cli::Out;
use crate::t;
use tamim_app::accounts::{self, NewUser};
use tamim_store::Store;

#[derive(Args, Debug)]
pub struct AddArgs {
    pub username: String,
    #[arg(long)]
    pub name: String,
    #[arg(long = "role", required = true)]
    pub roles: Vec<String>,
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(store: &mut Store, out: &Out, a: &AddArgs) -> tamim_app::Result<()> {
    // The roles and the name are checked before a password is asked for.
    accounts::parse_roles(&a.roles)?;
    let password = super::read_password(a.password_stdin)?;
    let user = accounts::add(
        store,
        NewUser {
            username: a.username.clone(),
            display_name: a.name.clone(),
            password,
            roles: a.roles.clone(),
        },
        "cli",
    )?;
    out.print(&user, |u| {
        let roles: Vec<String> = u.roles.iter().map(|g| g.label_tr()).collect();
        t!(
            "user-added",
            username = u.username.clone(),
            name = u.display_name.clone(),
            roles = roles.join(", ")
        )
    });
    Ok(())
}
