//! The approval chain (onay akışı): a draft held in the registry goes from its hazırlayan through the paraf
//! users in order to one imza user, who signs and issues it with the same code as `tamim issue`
//! (`issue::issue_source`), so the sayı and the kind's number are taken only then, in the transaction that
//! marks the draft signed. Any paraf (or the imza user) may return it with a note to the drafter, who fixes
//! it and submits it again.
//!
//! States: `taslak` → `parafta` (step n of the chain) → `imzada` → `imzalandi`; `iade` (returned) from
//! `parafta` or `imzada`, back to `parafta` on the next submit. Every step names the version of the draft it
//! saw: a step on a draft someone already moved on is [`ApprovalError::Stale`], unless it is the same step by
//! the same user posted twice (a double submission), which answers as the first did. Every step is an event
//! in the hash-chained log and a row of the draft's history (`tamim_store::drafts`).

pub mod body;
mod check;
pub mod form;
mod steps;
mod tell;

pub use steps::{approve, create, get, history, list_for, preview, return_to_drafter, sign, submit, update};
pub use tamim_store::drafts::{Row, Step};

use tamim_core::account::Role;

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Being written by its hazırlayan.
    Draft,
    /// With the paraf at the row's `step`.
    Review,
    /// With the imza user.
    Signing,
    /// Returned to its hazırlayan with a note.
    Returned,
    /// Signed and issued: a document of the register.
    Signed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "taslak",
            State::Review => "parafta",
            State::Signing => "imzada",
            State::Returned => "iade",
            State::Signed => "imzalandi",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Draft,
            State::Review,
            State::Signing,
            State::Returned,
            State::Signed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// The state as the screens name it.
    pub fn label_tr(self) -> &'static str {
        match self {
            State::Draft => "taslak",
            State::Review => "parafta",
            State::Signing => "imzada",
            State::Returned => "iade edildi",
            State::Signed => "imzalandı",
        }
    }
}

/// A step of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Submit,
    Approve,
    Return,
    Sign,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Sign => "sign",
        }
    }

    /// The step as a draft's history names it.
    pub fn label_tr(s: &str) -> &str {
        match s {
            "create" => "oluşturuldu",
            "update" => "düzenlendi",
            "submit" => "onaya gönderildi",
            "approve" => "paraflandı",
            "return" => "iade edildi",
            "sign" => "imzalandı ve çıkarıldı",
            other => other,
        }
    }

    /// The role a user needs to take this step at all.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::Create | Action::Update | Action::Submit => &[Role::Drafter],
            Action::Approve => &[Role::Reviewer],
            Action::Return => &[Role::Reviewer, Role::Signer],
            Action::Sign => &[Role::Signer],
        }
    }
}

/// Who reviews and who signs a draft: the paraf users in order, then the imza user (usernames).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    pub paraf: Vec<String>,
    pub imza: Option<String>,
}

impl Chain {
    /// The office's default chain (office.toml `[approval]`).
    pub fn default_of(config: &crate::config::OfficeConfig) -> Chain {
        Chain {
            paraf: config.approval.paraf.clone(),
            imza: config.approval.imza.clone(),
        }
    }
}

/// Why a step of the approval chain was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    #[error("no draft #{id}")]
    NotFound { id: i64 },
    /// The user holds none of the roles the step needs.
    #[error("{username} holds none of the roles this step needs ({})", roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))]
    NoRole { username: String, roles: &'static [Role] },
    /// Only the draft's hazırlayan edits and submits it.
    #[error("draft #{id} is {author}'s: only its author edits or submits it")]
    NotAuthor { id: i64, author: String },
    /// The step is someone else's turn.
    #[error("draft #{id} awaits {}, not {username}", awaiting.as_deref().unwrap_or("nobody"))]
    NotYourTurn {
        id: i64,
        username: String,
        awaiting: Option<String>,
    },
    /// The draft is not in a state this step applies to.
    #[error("draft #{id} is {}: it cannot be {}", state.as_str(), action.as_str())]
    WrongState { id: i64, state: State, action: Action },
    /// Someone moved the draft on since the form was opened.
    #[error("draft #{id} changed since version {given} (now {current}); open it again")]
    Stale { id: i64, given: i64, current: i64 },
    /// A user named in the chain does not exist, is disabled, or lacks the role.
    #[error("{field}: {username:?} is no active user holding the {} role", role.as_str())]
    BadChainUser {
        field: &'static str,
        username: String,
        role: Role,
    },
    /// No imza user chosen and none set in office.toml `[approval] imza`.
    #[error("imza: no signer chosen and no [approval] imza in office.toml")]
    NoSigner,
    /// An ek must be a registered document (its file is appended).
    #[error("ek[{position}]: give a registered document")]
    EkNotRegistered { position: usize },
    /// A registered document named as ek, ilgi, or a list named in `to`, that is not there.
    #[error("{field}: {key:?} is not in the register")]
    Unknown { field: String, key: String },
    /// The ek's line states a page count its document does not have.
    #[error("ek[{position}]: says {stated} sayfa but document #{doc} has {actual} pages")]
    EkPages {
        position: usize,
        doc: i64,
        stated: i64,
        actual: i64,
    },
    /// A registered document named as ek has no stored file to append.
    #[error("ek[{position}]: document #{doc} has no stored file")]
    EkNoFile { position: usize, doc: i64 },
    /// A return carries a note for the drafter.
    #[error("note: a return says what to fix (1 to 2000 characters)")]
    NoteRequired,
    /// A field of the draft form that cannot be read (the problem in Turkish, as the form shows it).
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
    /// A form's one-time key already used by another user's draft.
    #[error("this form was already used")]
    NonceUsed,
}

impl From<ApprovalError> for crate::Error {
    fn from(e: ApprovalError) -> Self {
        crate::Error::Approval(e)
    }
}
