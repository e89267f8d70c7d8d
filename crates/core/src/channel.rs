//! The channel a delivery goes out on: e-mail, KEP (kayıtlı elektronik posta) or paper, as the deliveries
//! table stores it (`email`, `kep`, `paper`).

use std::fmt;

/// How a delivery reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// E-mail through the file outbox or SMTP.
    Email,
    /// Registered electronic mail (KEP); not sent by tamim yet: listed for the clerk.
    Kep,
    /// A paper copy, by post or by hand.
    Paper,
}

pub const ALL: [Channel; 3] = [Channel::Email, Channel::Kep, Channel::Paper];

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Kep => "kep",
            Channel::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The channel a recipient is reached on: e-mail when it has an address, else KEP when it has a KEP
    /// address, else paper.
    pub fn for_recipient(email: Option<&str>, kep: Option<&str>) -> Channel {
        let given = |a: Option<&str>| a.is_some_and(|a| !a.trim().is_empty());
        if given(email) {
            Channel::Email
        } else if given(kep) {
            Channel::Kep
        } else {
            Channel::Paper
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_a_recipient_gets_its_channel() {
        for c in ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(Channel::for_recipient(Some("a@b.tr"), Some("k@kep.tr")), Channel::Email);
        assert_eq!(Channel::for_recipient(Some(" "), Some("k@kep.tr")), Channel::Kep);
        assert_eq!(Channel::for_recipient(None, None), Channel::Paper);
    }
}
