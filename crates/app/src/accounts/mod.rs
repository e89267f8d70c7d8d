//! The office's accounts: add, list, disable, change a password (the CLI's `tamim user …` and the admin
//! page call these same functions), and the login and session rules `tamim serve` applies
//! ([`session`]). Every change is an event in the hash-chained log, in the transaction that makes it.
//!
//! Passwords are hashed with argon2id ([`password`]); sessions are kept server-side, by the SHA-256 of an
//! opaque cookie token.

pub mod password;
pub mod session;

use serde_json::json;
use tamim_store::{self as store, Store};

pub use tamim_core::account::{Grant, Role, Scope, User, MIN_PASSWORD_CHARS};

/// Why an account operation or a login was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "unknown role {given:?}: one of kayıt, hazırlayan, paraf, imza, dağıtım, denetçi, yönetici (ROLE or ROLE:UNIT)"
    )]
    UnknownRole { given: String },
    #[error("username {username:?}: 2–32 characters of a–z, 0–9, '.', '_', '-', starting with a letter")]
    InvalidUsername { username: String },
    #[error("display name: empty")]
    EmptyDisplayName,
    #[error("a user {username:?} already exists")]
    DuplicateUsername { username: String },
    #[error("no user {username:?}")]
    UnknownUser { username: String },
    #[error("the password is empty")]
    EmptyPassword,
    #[error("the password is too short: at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("at least one --role is needed")]
    NoRole,
    /// Wrong password or unknown user (the same refusal for both), or a disabled account.
    #[error("wrong username or password")]
    BadCredentials,
    /// Too many failures: logins refused until `until` (unix seconds).
    #[error("the account is locked after repeated failures until {until}")]
    Locked { until: i64 },
    #[error("the two passwords typed differ")]
    PasswordMismatch,
    #[error("no terminal to type the password at: give --password-stdin and the password on standard input")]
    NoTerminal,
    /// The password could not be hashed or read from the terminal.
    #[error("password: {0}")]
    Password(String),
}

impl From<AccountError> for crate::Error {
    fn from(e: AccountError) -> Self {
        crate::Error::Account(e)
    }
}

/// A user to add.
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// `paraf` or `paraf:Hukuk Birimi`, as typed.
    pub roles: Vec<String>,
}

/// Who made a change: `cli` (the command line) or the yönetici's username.
pub type Actor<'a> = &'a str;

/// The roles as typed, checked.
pub fn parse_roles(roles: &[String]) -> Result<Vec<Grant>, AccountError> {
    let mut out = Vec::new();
    for r in roles {
        let g = Grant::parse(r).map_err(|_| AccountError::UnknownRole { given: r.clone() })?;
        if !out.contains(&g) {
            out.push(g);
        }
    }
    if out.is_empty() {
        return Err(AccountError::NoRole);
    }
    Ok(out)
}

/// The rule every password meets: not empty, at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(pw: &str) -> Result<(), AccountError> {
    if pw.is_empty() {
        return Err(AccountError::EmptyPassword);
    }
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}

fn role_labels(roles: &[Grant]) -> Vec<String> {
    roles.iter().map(Grant::label_tr).collect()
}

/// Add a user with its roles; the first yönetici is made this way from the CLI.
pub fn add(store: &mut Store, new: NewUser, by: Actor) -> crate::Result<User> {
    let username = new.username.trim().to_string();
    if !tamim_core::account::valid_username(&username) {
        return Err(AccountError::InvalidUsername { username }.into());
    }
    let display_name = new.display_name.trim().to_string();
    if display_name.is_empty() {
        return Err(AccountError::EmptyDisplayName.into());
    }
    let roles = parse_roles(&new.roles)?;
    check_password(&new.password)?;
    if store::accounts::find(&store.conn, &username)?.is_some() {
        return Err(AccountError::DuplicateUsername { username }.into());
    }
    let hash = password::hash(&new.password)?;
    store.write(|tx| {
        if store::accounts::find(tx, &username)?.is_some() {
            return Err(AccountError::DuplicateUsername {
                username: username.clone(),
            }
            .into());
        }
        let id = store::accounts::insert(tx, &username, &display_name, &hash, &roles)?;
        store::events::append(
            tx,
            None,
            None,
            "user.added",
            &json!({"username": username, "display_name": display_name, "roles": role_labels(&roles), "by": by}),
        )?;
        store::accounts::get(tx, id)?.ok_or_else(|| crate::Error::Internal("the user just added".into()))
    })
}

fn existing(conn: &store::Conn, username: &str) -> crate::Result<User> {
    store::accounts::find(conn, username)?.ok_or_else(|| {
        AccountError::UnknownUser {
            username: username.to_string(),
        }
        .into()
    })
}

/// Every account, by username.
pub fn list(conn: &store::Conn) -> crate::Result<Vec<User>> {
    Ok(store::accounts::all(conn)?)
}

/// Disable an account: its sessions end, it cannot log in.
pub fn disable(store: &mut Store, username: &str, by: Actor) -> crate::Result<User> {
    store.write(|tx| {
        let u = existing(tx, username)?;
        store::accounts::disable(tx, u.id)?;
        store::events::append(
            tx,
            None,
            None,
            "user.disabled",
            &json!({"username": u.username, "by": by}),
        )?;
        Ok(User { disabled: true, ..u })
    })
}

/// A new password for an account (its lock cleared, its sessions ended).
pub fn set_password(store: &mut Store, username: &str, pw: &str, by: Actor) -> crate::Result<User> {
    let u = existing(&store.conn, username)?;
    check_password(pw)?;
    let hash = password::hash(pw)?;
    store.write(|tx| {
        let u = existing(tx, &u.username)?;
        store::accounts::set_password(tx, u.id, &hash)?;
        store::events::append(
            tx,
            None,
            None,
            "user.password-changed",
            &json!({"username": u.username, "by": by}),
        )?;
        Ok(u)
    })
}
