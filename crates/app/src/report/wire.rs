//! A report as it travels (JSON, English keys): the recipient's registration of our document, its
//! follow-ons, its coverage per level and the head of its event log.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One report on one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The public id of the issuer's delivery (SHA-256 of its acknowledgement token, hex).
    pub delivery: String,
    /// Increases with each report on the delivery (from 1); an older or repeated one is refused.
    pub sequence: i64,
    /// The reporting office, as it names itself.
    pub office: String,
    /// The issuer's document, as the recipient registered it.
    pub document: DocumentRef,
    /// The recipient's own registration of it.
    pub registration: Registration,
    /// The follow-on(s) the recipient issued from it.
    pub follow_ons: Vec<FollowOn>,
    /// Coverage per level below the recipient: 1 = the offices it distributed to, 2 = its staff, …
    pub levels: Vec<Level>,
    /// The hash of the last entry of the recipient's event log when the report was made.
    pub head: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    pub sayi: String,
    /// `YYYY-MM-DD`.
    pub tarih: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub kayit_no: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowOn {
    pub sayi: String,
    /// `YYYY-MM-DD`.
    pub tarih: String,
    pub konu: String,
}

/// What one level counts: everyone on it (`total`), how many are in each state, and who is still pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: i64,
    /// `offices` (deliveries of the follow-on) or `staff` (people on rosters).
    pub unit: String,
    pub total: i64,
    /// Counts per state: `acknowledged`, `exempt`, `pending` for staff; a delivery's states for offices.
    pub states: BTreeMap<String, i64>,
    /// Those neither acknowledged nor exempt, by name (`sicil Ad SOYADI`, or an office's code and name).
    pub pending: Vec<String>,
}

impl Level {
    pub fn count(&self, state: &str) -> i64 {
        self.states.get(state).copied().unwrap_or(0)
    }
}

/// The units a level may count.
pub const UNITS: [&str; 2] = ["offices", "staff"];

/// The states a staff level counts.
pub const STAFF_STATES: [&str; 3] = ["acknowledged", "exempt", "pending"];
