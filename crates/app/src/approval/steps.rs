//! The chain's operations, each one write transaction that checks the user, the draft's state and version,
//! moves the draft on, records the step in its history and appends an event. The CLI and the server call
//! these same functions.

use serde_json::json;
use std::path::Path;

use super::{check, Action, ApprovalError, Chain, Row, State, Step};
use crate::error::{Error, Result};
use crate::issue::{self, draft::Draft, Issued, Options, Source};
use crate::registry::home::Registry;
use tamim_core::account::User;
use tamim_store::{self as store, drafts};

fn require(by: &User, action: Action) -> Result<()> {
    if by.has_any(action.roles()) {
        Ok(())
    } else {
        Err(ApprovalError::NoRole {
            username: by.username.clone(),
            roles: action.roles(),
        }
        .into())
    }
}

fn load(conn: &store::Conn, id: i64) -> Result<Row> {
    Ok(drafts::get(conn, id)?.ok_or(ApprovalError::NotFound { id })?)
}

fn state_of(row: &Row) -> State {
    State::parse(&row.state).unwrap_or(State::Draft)
}

/// The row at `version`, or — when it moved on — the answer a double submission gets: the row as it is
/// now if the step from `version` was this very step by this user; otherwise [`ApprovalError::Stale`].
enum Seen {
    Current(Row),
    Replayed(Row),
}

fn seen(conn: &store::Conn, id: i64, version: i64, by: &User, action: Action) -> Result<Seen> {
    let row = load(conn, id)?;
    if row.version == version {
        return Ok(Seen::Current(row));
    }
    match drafts::step_from(conn, id, version)? {
        Some(s) if s.username == by.username && s.action == action.as_str() => Ok(Seen::Replayed(row)),
        _ => Err(ApprovalError::Stale {
            id,
            given: version,
            current: row.version,
        }
        .into()),
    }
}

fn record(tx: &store::Tx, row: &Row, by: &User, action: Action, note: Option<&str>, doc: Option<i64>) -> Result<()> {
    drafts::insert_step(tx, row.id, row.version, &by.username, action.as_str(), note)?;
    let mut detail = json!({"draft": row.id, "version": row.version, "by": by.username, "konu": row.konu});
    if let Some(n) = note {
        detail["note"] = json!(n);
    }
    store::events::append(tx, doc, None, &format!("draft.{}", action_event(action)), &detail)?;
    Ok(())
}

fn action_event(a: Action) -> &'static str {
    match a {
        Action::Create => "created",
        Action::Update => "updated",
        Action::Submit => "submitted",
        Action::Approve => "approved",
        Action::Return => "returned",
        Action::Sign => "signed",
    }
}

/// A new draft by `by` (a hazırlayan), with its chain (the office's default where the form leaves it
/// empty). The same form's `nonce` posted again gives the draft it made the first time.
pub fn create(reg: &mut Registry, by: &User, d: &Draft, chain: &Chain, nonce: Option<&str>) -> Result<Row> {
    require(by, Action::Create)?;
    if let Some(n) = nonce {
        if let Some(id) = drafts::by_nonce(&reg.store.conn, n)? {
            let row = load(&reg.store.conn, id)?;
            return if row.author == by.username {
                Ok(row)
            } else {
                Err(ApprovalError::NonceUsed.into())
            };
        }
    }
    check::draft(reg, d)?;
    let (paraf, imza) = check::chain(reg, chain)?;
    let toml = d.to_toml()?;
    reg.store.write(|tx| {
        if let Some(id) = nonce.map(|n| drafts::by_nonce(tx, n)).transpose()?.flatten() {
            return load(tx, id);
        }
        let id = drafts::insert(
            tx,
            &drafts::New {
                author: &by.username,
                toml: &toml,
                konu: d.konu.trim(),
                paraf: &paraf,
                imza: &imza,
                nonce,
            },
        )?;
        let row = load(tx, id)?;
        record(
            tx,
            &Row {
                version: 0,
                ..row.clone()
            },
            by,
            Action::Create,
            None,
            None,
        )?;
        Ok(row)
    })
}

/// New content for a draft its author holds (taslak or iade).
pub fn update(reg: &mut Registry, by: &User, id: i64, version: i64, d: &Draft, chain: &Chain) -> Result<Row> {
    require(by, Action::Update)?;
    let row = match seen(&reg.store.conn, id, version, by, Action::Update)? {
        // The same edit posted twice answers as the first did; another edit from the same version (a second
        // tab) would overwrite the first unseen: stale.
        Seen::Replayed(row) if row.toml == d.to_toml()? => return Ok(row),
        Seen::Replayed(row) => {
            return Err(ApprovalError::Stale {
                id,
                given: version,
                current: row.version,
            }
            .into())
        }
        Seen::Current(row) => row,
    };
    authors_turn(&row, by, Action::Update)?;
    check::draft(reg, d)?;
    let (paraf, imza) = check::chain(reg, chain)?;
    let toml = d.to_toml()?;
    reg.store.write(|tx| {
        if !drafts::update_content(tx, id, version, &toml, d.konu.trim(), &paraf, &imza)? {
            return Err(stale(tx, id, version)?);
        }
        record(tx, &row, by, Action::Update, None, None)?;
        load(tx, id)
    })
}

fn authors_turn(row: &Row, by: &User, action: Action) -> Result<()> {
    if row.author != by.username {
        return Err(ApprovalError::NotAuthor {
            id: row.id,
            author: row.author.clone(),
        }
        .into());
    }
    match state_of(row) {
        State::Draft | State::Returned => Ok(()),
        state => Err(ApprovalError::WrongState {
            id: row.id,
            state,
            action,
        }
        .into()),
    }
}

fn stale(conn: &store::Conn, id: i64, given: i64) -> Result<Error> {
    let current = load(conn, id)?.version;
    Ok(ApprovalError::Stale { id, given, current }.into())
}

/// One step that only moves the draft (submit, approve, return): checked and recorded in one transaction.
fn step(reg: &mut Registry, by: &User, id: i64, version: i64, action: Action, note: Option<&str>) -> Result<Row> {
    require(by, action)?;
    reg.store.write(|tx| {
        let row = match seen(tx, id, version, by, action)? {
            Seen::Replayed(row) => return Ok(row),
            Seen::Current(row) => row,
        };
        let state = state_of(&row);
        let wrong = || -> Error { ApprovalError::WrongState { id, state, action }.into() };
        let (next, step, awaiting) = match action {
            Action::Submit => {
                authors_turn(&row, by, action)?;
                match row.paraf.first() {
                    Some(p) => (State::Review, 0, p.clone()),
                    None => (State::Signing, 0, row.imza.clone()),
                }
            }
            Action::Approve | Action::Return => {
                let turn = match state {
                    State::Review => row.paraf.get(row.step as usize).cloned(),
                    State::Signing if action == Action::Return => Some(row.imza.clone()),
                    _ => return Err(wrong()),
                };
                if turn.as_deref() != Some(by.username.as_str()) {
                    return Err(ApprovalError::NotYourTurn {
                        id,
                        username: by.username.clone(),
                        awaiting: turn,
                    }
                    .into());
                }
                if action == Action::Return {
                    (State::Returned, 0, row.author.clone())
                } else {
                    let n = row.step as usize + 1;
                    match row.paraf.get(n) {
                        Some(p) => (State::Review, n as i64, p.clone()),
                        None => (State::Signing, n as i64, row.imza.clone()),
                    }
                }
            }
            _ => return Err(wrong()),
        };
        let m = drafts::Move {
            state: next.as_str(),
            step,
            awaiting: Some(&awaiting),
            note,
            document_id: None,
        };
        if !drafts::move_on(tx, id, version, &m)? {
            return Err(stale(tx, id, version)?);
        }
        record(tx, &row, by, action, note, None)?;
        load(tx, id)
    })
}

/// The author sends the draft into its chain (again, after a return).
pub fn submit(reg: &mut Registry, by: &User, id: i64, version: i64) -> Result<Row> {
    step(reg, by, id, version, Action::Submit, None)
}

/// The paraf whose turn it is initials the draft: on to the next paraf, or to the imza user.
pub fn approve(reg: &mut Registry, by: &User, id: i64, version: i64) -> Result<Row> {
    step(reg, by, id, version, Action::Approve, None)
}

/// The paraf (or the imza user) whose turn it is returns the draft to its author with a note.
pub fn return_to_drafter(reg: &mut Registry, by: &User, id: i64, version: i64, note: &str) -> Result<Row> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 2000 {
        require(by, Action::Return)?;
        return Err(ApprovalError::NoteRequired.into());
    }
    step(reg, by, id, version, Action::Return, Some(note))
}

/// The imza user signs and issues the draft: `issue::issue_source` (the CLI's `tamim issue`) takes the sayı
/// and the kind's number in the transaction that also marks the draft signed. Posted twice, it issues once.
/// With `[signing.key]` in office.toml the PDF is signed; a failure to sign issues nothing.
pub fn sign(reg: &mut Registry, by: &User, id: i64, version: i64, output: &Path) -> Result<Row> {
    require(by, Action::Sign)?;
    let row = match seen(&reg.store.conn, id, version, by, Action::Sign)? {
        Seen::Replayed(row) => return Ok(row),
        Seen::Current(row) => row,
    };
    let state = state_of(&row);
    if state != State::Signing {
        return Err(ApprovalError::WrongState {
            id,
            state,
            action: Action::Sign,
        }
        .into());
    }
    if row.imza != by.username {
        return Err(ApprovalError::NotYourTurn {
            id,
            username: by.username.clone(),
            awaiting: Some(row.imza.clone()),
        }
        .into());
    }
    let label = std::path::PathBuf::from(format!("taslak-{id}"));
    let dir = reg.home.join("files");
    // The draft's number in the text issued: two drafts of the same words are two documents.
    let text = format!("# taslak #{id}\n{}", row.toml);
    let source = Source {
        text: &text,
        dir: &dir,
        label: &label,
    };
    let on_record = |tx: &store::Tx, issued: &Issued| -> Result<()> {
        let m = drafts::Move {
            state: State::Signed.as_str(),
            step: row.step,
            awaiting: None,
            note: None,
            document_id: issued.id,
        };
        if !drafts::move_on(tx, id, version, &m)? {
            return Err(stale(tx, id, version)?);
        }
        record(tx, &row, by, Action::Sign, None, issued.id)
    };
    // Signed (PAdES) with the office's `[signing.key]` when it has one, as `tamim issue --sign` does; the
    // signer's own key once accounts hold keys.
    let options = Options {
        preview: false,
        sign: reg.config.signing.key.is_some(),
    };
    match issue::issue_source(reg, &source, output, options, &on_record) {
        Ok(_) => load(&reg.store.conn, id),
        // Another request signed it meanwhile (the same form posted twice): answer as it did.
        Err(e @ (Error::AlreadyIssued { .. } | Error::Approval(ApprovalError::Stale { .. }))) => {
            match seen(&reg.store.conn, id, version, by, Action::Sign) {
                Ok(Seen::Replayed(row)) => Ok(row),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// The draft's PDF as it would be issued, marked TASLAK (`issue`'s preview: no number, nothing recorded).
pub fn preview(reg: &mut Registry, id: i64) -> Result<Vec<u8>> {
    let row = load(&reg.store.conn, id)?;
    let tmp = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let label = std::path::PathBuf::from(format!("taslak-{id}"));
    let dir = reg.home.join("files");
    let source = Source {
        text: &row.toml,
        dir: &dir,
        label: &label,
    };
    let options = Options {
        preview: true,
        sign: false,
    };
    let issued = issue::issue_source(reg, &source, tmp.path(), options, &|_, _| Ok(()))?;
    std::fs::read(&issued.file).map_err(|e| Error::io(&issued.file, e))
}

/// One draft.
pub fn get(conn: &store::Conn, id: i64) -> Result<Row> {
    load(conn, id)
}

/// A draft's steps, oldest first.
pub fn history(conn: &store::Conn, id: i64) -> Result<Vec<Step>> {
    Ok(drafts::steps(conn, id)?)
}

/// The drafts `username` wrote or that await them, newest first.
pub fn list_for(conn: &store::Conn, username: &str) -> Result<Vec<Row>> {
    Ok(drafts::for_user(conn, username, 200)?)
}
