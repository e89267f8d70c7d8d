//! `tamim user disable USERNAME`.

use crate::cli::Out;
use crate::t;
use tamim_app::accounts;
use tamim_store::Store;

pub fn run(store: &mut Store, out: &Out, username: &str) -> tamim_app::Result<()> {
    let user = accounts::disable(store, username, "cli")?;
    out.print(&user, |u| t!("user-disabled", username = u.username.clone()));
    Ok(())
}
