//! The states of a delivery and the moves between them: forward only; acknowledged is final.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Where every delivery with an address starts.
    #[default]
    Queued,
    Sending,
    Sent,
    Received,
    Acknowledged,
    Failed,
    Exempt,
    NoAddress,
}

pub const ALL: [State; 8] = [
    State::Queued,
    State::Sending,
    State::Sent,
    State::Received,
    State::Acknowledged,
    State::Failed,
    State::Exempt,
    State::NoAddress,
];

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Received => "received",
            State::Acknowledged => "acknowledged",
            State::Failed => "failed",
            State::Exempt => "exempt",
            State::NoAddress => "no-address",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Turkish label for pages and PDFs.
    pub fn label_tr(self) -> &'static str {
        match self {
            State::Queued => "sırada",
            State::Sending => "gönderiliyor",
            State::Sent => "gönderildi",
            State::Received => "alındı",
            State::Acknowledged => "tebellüğ edildi",
            State::Failed => "ulaştırılamadı",
            State::Exempt => "muaf",
            State::NoAddress => "adres yok",
        }
    }

    /// Whether a delivery may move from `self` to `to`. Forward only: queued → sending → sent → received →
    /// acknowledged; failed is a retryable stop before sent (or a bounce after it); exempt (on leave,
    /// transferred) can be given to anyone not yet acknowledged; acknowledged is final. Received needs the
    /// document to have gone out (or a recipient without an address, reached on paper or by KEP). Acknowledged
    /// is allowed from queued and sending for the link alone, which only a message that went out carries (its
    /// result not recorded yet, or a transient error after delivery put it back in the queue); a clerk's entry
    /// is refused there (`record::acknowledge_by_clerk`).
    pub fn can_move_to(self, to: State) -> bool {
        use State::*;
        match to {
            Sending => matches!(self, Queued | Failed),
            Sent => matches!(self, Queued | Sending | Failed | NoAddress),
            Received => matches!(self, Sent | Failed | NoAddress),
            Failed => matches!(self, Queued | Sending | Sent | NoAddress),
            Exempt => !matches!(self, Acknowledged | Exempt),
            Acknowledged => self != Acknowledged,
            Queued | NoAddress => false,
        }
    }

    /// The one move back, kept out of [`State::can_move_to`]: `failed` → `queued`, to send again. Only an
    /// explicit request takes it (`tamim send --retry-failed`, through `ack::record::requeue_failed`), and it
    /// is recorded as an event of its own; nothing else ever moves a delivery back to the queue.
    pub fn can_requeue(self) -> bool {
        self == State::Failed
    }
}

/// The event kinds that move a delivery, and (same position in `MOVED_TO`) the state each moves it to; a
/// deferral or a requeue puts it back in the queue. Reminders, follow-on reports and the like are not moves.
pub const MOVE_KINDS: [&str; 8] = [
    "delivery.sent",
    "delivery.failed",
    "delivery.received",
    "delivery.acknowledged",
    "delivery.exempt",
    "delivery.no-address",
    "delivery.deferred",
    "delivery.requeued",
];
const MOVED_TO: [State; 8] = [
    State::Sent,
    State::Failed,
    State::Received,
    State::Acknowledged,
    State::Exempt,
    State::NoAddress,
    State::Queued,
    State::Queued,
];

/// The state an event of the log moves a delivery to, if it is a move.
pub fn moved_to(kind: &str) -> Option<State> {
    MOVE_KINDS.iter().position(|k| *k == kind).map(|i| MOVED_TO[i])
}

/// A move as one byte, from the kind's bytes as stored: 1 + its place in `MOVE_KINDS`, 0 for no move.
pub fn move_code(kind: &[u8]) -> u8 {
    MOVE_KINDS
        .iter()
        .position(|k| k.as_bytes() == kind)
        .map_or(0, |i| i as u8 + 1)
}

/// The state a [`move_code`] moves to (none for 0).
pub fn code_moves_to(code: u8) -> Option<State> {
    MOVED_TO.get((code as usize).checked_sub(1)?).copied()
}

/// Whether a delivery's stored state is what the last move in its events says (`None`: no move logged).
/// Taking a delivery to send (`sending`) and putting it back after an interrupted run are not logged, so a
/// delivery queued or being sent agrees with a log that leaves it queued, and also, being retried, with one
/// whose last word was a failure.
pub fn agrees_with_log(stored: &str, last_move: Option<State>) -> bool {
    match last_move {
        None | Some(State::Queued) => matches!(stored, "queued" | "sending"),
        Some(State::Failed) => matches!(stored, "failed" | "queued" | "sending"),
        Some(s) => stored == s.as_str(),
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::State::*;
    use super::*;

    #[test]
    fn forward_only() {
        assert!(Queued.can_move_to(Sent) && Sent.can_move_to(Received) && Received.can_move_to(Acknowledged));
        assert!(
            NoAddress.can_move_to(Acknowledged),
            "a recipient without e-mail acknowledges on paper"
        );
        assert!(
            NoAddress.can_move_to(Received),
            "a recipient without e-mail registers a paper copy"
        );
        assert!(
            !Queued.can_move_to(Received) && !Sending.can_move_to(Received),
            "not sent yet"
        );
        assert!(Sent.can_move_to(Failed), "a bounce after the SMTP server accepted");
        assert!(!Received.can_move_to(Sent));
        assert!(!Received.can_move_to(Failed));
        assert!(!Acknowledged.can_move_to(Exempt));
        for s in ALL {
            assert!(!Acknowledged.can_move_to(s), "acknowledged is final, not -> {s}");
            assert!(!s.can_move_to(Queued));
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_stored_state_agrees_with_the_last_move_logged() {
        let log = |k: &str| moved_to(k);
        assert!(agrees_with_log("acknowledged", log("delivery.acknowledged")));
        assert!(agrees_with_log("sent", log("delivery.sent")));
        assert!(
            !agrees_with_log("acknowledged", log("delivery.sent")),
            "flipped in the table"
        );
        assert!(!agrees_with_log("sent", None), "sent with nothing logged");
        // Claiming for sending and putting back after a crash are not logged.
        assert!(agrees_with_log("queued", None) && agrees_with_log("sending", None));
        assert!(
            agrees_with_log("sending", log("delivery.deferred")) && agrees_with_log("queued", log("delivery.requeued"))
        );
        assert!(
            agrees_with_log("sending", log("delivery.failed")) && agrees_with_log("failed", log("delivery.failed"))
        );
        assert_eq!(log("delivery.reminded"), None, "a reminder is not a move");
    }

    #[test]
    fn only_failed_goes_back_to_the_queue_and_only_when_asked() {
        let requeued: Vec<State> = ALL.into_iter().filter(|s| s.can_requeue()).collect();
        assert_eq!(requeued, [Failed]);
        assert!(!Failed.can_move_to(Queued), "not an ordinary move");
    }
}
