//! The time the registry records. The real clock, except inside [`Fixed`]: `tamim demo` tells its story
//! (Tamim 2021/243 sent on 05.11.2021, acknowledged over the following days, reminders after the deadline)
//! on a clock of its own, so what it records is dated in 2021, not on the day the demo runs. The CLI and the
//! server never set it.

use chrono::{DateTime, Utc};
use std::sync::RwLock;

static FIXED: RwLock<Option<DateTime<Utc>>> = RwLock::new(None);

/// Now: the real clock, or the time a [`Fixed`] holds.
pub fn now() -> DateTime<Utc> {
    match FIXED.read() {
        Ok(g) => g.unwrap_or_else(Utc::now),
        Err(_) => Utc::now(),
    }
}

/// While it lives, [`now`] (and so every time the store records) is `at`, for every thread of the process;
/// the clock it replaced comes back when it is dropped.
#[must_use = "the clock is fixed only while the guard lives"]
pub struct Fixed {
    before: Option<DateTime<Utc>>,
}

impl Fixed {
    pub fn at(at: DateTime<Utc>) -> Fixed {
        let mut g = FIXED.write().unwrap_or_else(|e| e.into_inner());
        Fixed { before: g.replace(at) }
    }
}

impl Drop for Fixed {
    fn drop(&mut self) {
        *FIXED.write().unwrap_or_else(|e| e.into_inner()) = self.before;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_holds_while_its_guard_lives() {
        let at = DateTime::parse_from_rfc3339("2021-11-05T07:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        {
            let _c = Fixed::at(at);
            assert_eq!(now(), at);
            assert_eq!(crate::now_text(), "2021-11-05T07:30:00Z");
        }
        assert!(now() > at + chrono::Duration::days(365));
    }
}
