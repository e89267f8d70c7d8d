//! Logging in and the server-side sessions: an opaque random token (32 bytes, base64url) is the cookie;
//! the store keeps only its SHA-256, with the user, a CSRF token, and the times that end it (an absolute
//! expiry and an idle timeout). Failed logins are counted per account; after [`Policy::max_failures`] in
//! a row the account is locked for [`Policy::lock_for`]. Every login, failure, lock and logout is an event.

use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use tamim_store::{self as store, Conn, Store};

use super::{password, AccountError, User};

/// How long sessions live and how failures are punished.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Seconds from login after which a session ends, however busy (8 hours).
    pub absolute: i64,
    /// Seconds without a request after which a session ends (30 minutes).
    pub idle: i64,
    /// Failures in a row that lock an account (5).
    pub max_failures: i64,
    /// Seconds an account stays locked (15 minutes).
    pub lock_for: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            absolute: 8 * 3600,
            idle: 30 * 60,
            max_failures: 5,
            lock_for: 15 * 60,
        }
    }
}

/// A session just opened: the token goes into the cookie and nowhere else.
pub struct Opened {
    pub user: User,
    pub token: String,
    pub csrf: String,
}

/// The session a request carries, still live.
#[derive(Debug, Clone)]
pub struct Current {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    /// Seconds since the last request was recorded on it (the server records at most one a minute).
    pub since_seen: i64,
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored key of a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

enum Outcome {
    Opened(Opened),
    Refused(AccountError),
}

/// Check `username` and `pw` (argon2 on the calling thread: call it on a blocking one) and open a session.
/// A wrong password and an unknown user are the same refusal ([`AccountError::BadCredentials`]).
pub fn login(store: &mut Store, username: &str, pw: &str, now: i64, policy: Policy) -> crate::Result<Opened> {
    let username: String = username.trim().chars().take(64).collect();
    let creds = store::accounts::credentials(&store.conn, &username)?;
    let ok = match &creds {
        Some(c) => password::verify(&c.password_hash, pw),
        None => {
            password::verify(password::decoy(), pw);
            false
        }
    };
    let outcome = store.write(|tx| -> crate::Result<Outcome> {
        let Some(c) = &creds else {
            store::events::append(
                tx,
                None,
                None,
                "login.failed",
                &json!({"username": username, "reason": "unknown-user"}),
            )?;
            return Ok(Outcome::Refused(AccountError::BadCredentials));
        };
        let id = c.user.id;
        if let Some(until) = c.locked_until.filter(|u| *u > now) {
            store::events::append(
                tx,
                None,
                None,
                "login.refused",
                &json!({"username": username, "reason": "locked"}),
            )?;
            return Ok(Outcome::Refused(AccountError::Locked { until }));
        }
        if c.user.disabled {
            store::events::append(
                tx,
                None,
                None,
                "login.failed",
                &json!({"username": username, "reason": "disabled"}),
            )?;
            return Ok(Outcome::Refused(AccountError::BadCredentials));
        }
        if !ok {
            let failures = store::accounts::record_failure(tx, id)?;
            store::events::append(
                tx,
                None,
                None,
                "login.failed",
                &json!({"username": username, "reason": "wrong-password", "failures": failures}),
            )?;
            if failures >= policy.max_failures {
                let until = now + policy.lock_for;
                store::accounts::lock(tx, id, until)?;
                store::events::append(
                    tx,
                    None,
                    None,
                    "account.locked",
                    &json!({"username": username, "failures": failures, "until": until}),
                )?;
                return Ok(Outcome::Refused(AccountError::Locked { until }));
            }
            return Ok(Outcome::Refused(AccountError::BadCredentials));
        }
        store::accounts::clear_failures(tx, id)?;
        store::accounts::purge_sessions(tx, now, policy.idle)?;
        let token = random_token();
        let csrf = random_token();
        store::accounts::insert_session(tx, &token_hash(&token), id, &csrf, now, now + policy.absolute)?;
        store::events::append(tx, None, None, "login.succeeded", &json!({"username": username}))?;
        Ok(Outcome::Opened(Opened {
            user: c.user.clone(),
            token,
            csrf,
        }))
    })?;
    match outcome {
        Outcome::Opened(o) => Ok(o),
        Outcome::Refused(e) => Err(e.into()),
    }
}

/// The live session of `token`: none if unknown, past its expiry, idle too long, or its user disabled.
pub fn current(conn: &Conn, token: &str, now: i64, policy: Policy) -> crate::Result<Option<Current>> {
    let hash = token_hash(token);
    let Some(s) = store::accounts::session(conn, &hash)? else {
        return Ok(None);
    };
    if s.expires <= now || s.last_seen + policy.idle <= now || s.created + policy.absolute <= now {
        return Ok(None);
    }
    let Some(user) = store::accounts::get(conn, s.user_id)? else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(Current {
        user,
        csrf: s.csrf,
        token_hash: hash,
        since_seen: now - s.last_seen,
    }))
}

/// Record a request on a session (its idle clock starts again).
pub fn touch(store: &mut Store, token_hash: &str, now: i64) -> crate::Result<()> {
    store.write(|tx| Ok(store::accounts::touch_session(tx, token_hash, now)?))
}

/// End a session (logout).
pub fn logout(store: &mut Store, token_hash: &str) -> crate::Result<()> {
    store.write(|tx| {
        if let Some(uid) = store::accounts::delete_session(tx, token_hash)? {
            let username = store::accounts::get(tx, uid)?.map(|u| u.username).unwrap_or_default();
            store::events::append(tx, None, None, "logout", &json!({"username": username}))?;
        }
        Ok(())
    })
}
