//! Acknowledgement: the life of one delivery (queued → sent → received → acknowledged, or failed / exempt),
//! each step recorded with its event in the caller's transaction; clerk and CSV entry, status and reminders.
//!
//! Architecture invariant: nothing here speaks SQL or HTTP. State changes go through `store::receipts`
//! (compare-and-set on the state, so two writers cannot both move one delivery) and are logged with
//! `store::events::append` in the same transaction.

pub mod import;
pub mod record;
pub mod remind;
pub use tamim_core::state;
pub mod status;
pub mod time;

pub use record::{acknowledge, exempt, find_delivery, mark_failed, mark_received, mark_sent, Ack, Method, Outcome};
pub use state::State;

/// What can go wrong when recording a step of a delivery.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    #[error("{recipient}: document {doc} was never sent to this recipient (no delivery for {recipient:?}); check the code with `tamim status {doc}`")]
    NotARecipient { doc: String, recipient: String },
    #[error("{recipient}: the delivery is {from}; it cannot move back to {to}")]
    Backwards { recipient: String, from: State, to: State },
    #[error("{recipient}: already acknowledged at {at} ({how}); an acknowledgement cannot be withdrawn or replaced")]
    AlreadyAcknowledged { recipient: String, at: String, how: String },
    #[error("{field}: {value:?} is in the future (it is now {now})")]
    Future { field: String, value: String, now: String },
    #[error("{field}: {value:?} is before the document's date {date}")]
    BeforeDocument { field: String, value: String, date: String },
    #[error("{field}: {value:?} ({shown}) is earlier than the delivery was {step} ({step_at}); an acknowledgement cannot come before it")]
    BeforeDelivery {
        field: String,
        value: String,
        shown: String,
        step: &'static str,
        step_at: String,
    },
    #[error("{recipient}: the delivery is {state}: document {doc} has not been sent to this recipient yet; run `tamim send {doc}` first, then record what the recipient did")]
    NotSentYet {
        recipient: String,
        state: State,
        doc: String,
    },
    #[error("{recipient}: follow-on {sayi} of {tarih} is already recorded (reported at {reported_at}) with the same counts; nothing was recorded")]
    DuplicateFollowon {
        recipient: String,
        sayi: String,
        tarih: String,
        reported_at: String,
    },
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
}

impl From<AckError> for crate::Error {
    fn from(e: AckError) -> Self {
        match e {
            AckError::Field { field, problem } => crate::Error::invalid(field, problem),
            AckError::Future { ref field, .. }
            | AckError::BeforeDocument { ref field, .. }
            | AckError::BeforeDelivery { ref field, .. } => {
                let field = field.clone();
                let msg = e.to_string();
                let problem = msg.strip_prefix(&format!("{field}: ")).unwrap_or(&msg).to_string();
                crate::Error::invalid(field, problem)
            }
            other => crate::Error::Ack(other),
        }
    }
}

/// Longest accepted name of the person who acknowledges (form field, --by, CSV).
pub const MAX_NAME: usize = 120;
/// Longest accepted kayıt no, reason or evidence text.
pub const MAX_KAYIT_NO: usize = 40;
pub const MAX_REASON: usize = 300;

/// One line of user text: trimmed, not empty, no control characters, at most `max` characters.
/// HTML is not rejected: it is stored as text and escaped wherever it is shown.
pub fn clean_text(field: &str, v: &str, max: usize) -> Result<String, AckError> {
    let t = v.trim();
    let bad = |problem: String| AckError::Field {
        field: field.to_string(),
        problem,
    };
    if t.is_empty() {
        return Err(bad("is empty".into()));
    }
    let n = t.chars().count();
    if n > max {
        return Err(bad(format!("is {n} characters long; at most {max} are allowed")));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return Err(bad(format!(
            "contains the control character {c:?}; it must be one line of text"
        )));
    }
    Ok(t.to_string())
}
