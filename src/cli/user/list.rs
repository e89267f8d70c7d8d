//! `tamim user list [--json]`: every account with its roles, as a table.

use crate::cli::output::{strs, table};
use crate::cli::Out;
use crate::t;
use tamim_app::accounts;
use tamim_store::Store;

pub fn run(store: &Store, out: &Out) -> tamim_app::Result<()> {
    let users = accounts::list(&store.conn)?;
    out.print(&users, |us| {
        let rows: Vec<Vec<String>> = us
            .iter()
            .map(|u| {
                let roles: Vec<String> = u.roles.iter().map(|g| g.label_tr()).collect();
                vec![
                    u.username.clone(),
                    u.display_name.clone(),
                    roles.join(", "),
                    if u.disabled {
                        t!("user-state-disabled")
                    } else {
                        t!("user-state-active")
                    },
                ]
            })
            .collect();
        let h = [
            t!("user-col-username"),
            t!("user-col-name"),
            t!("user-col-roles"),
            t!("user-col-state"),
        ];
        table(&strs(&h), &rows) + &t!("user-count", count = us.len() as i64)
    });
    Ok(())
}
