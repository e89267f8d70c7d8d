//! The states of a delivery and the moves between them: forward only; acknowledged is final.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Queued,
    Sending,
    Sent,
    Received,
    Acknowledged,
    Failed,
    Exempt,
    NoAddress,
}

pub const ALL: [State; 8] =
    [State::Queued, State::Sending, State::Sent, State::Received, State::Acknowledged, State::Failed, State::Exempt, State::NoAddress];

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
    /// transferred) can be given to anyone not yet acknowledged; acknowledged is final.
    pub fn can_move_to(self, to: State) -> bool {
        use State::*;
        match to {
            Sending => matches!(self, Queued | Failed),
            Sent => matches!(self, Queued | Sending | Failed | NoAddress),
            Received => matches!(self, Queued | Sending | Sent | Failed | NoAddress),
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
        assert!(NoAddress.can_move_to(Acknowledged), "a recipient without e-mail acknowledges on paper");
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
    fn only_failed_goes_back_to_the_queue_and_only_when_asked() {
        let requeued: Vec<State> = ALL.into_iter().filter(|s| s.can_requeue()).collect();
        assert_eq!(requeued, [Failed]);
        assert!(!Failed.can_move_to(Queued), "not an ordinary move");
    }
}
