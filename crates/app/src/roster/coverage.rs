//! Staff coverage of a document: per recipient office that carries the "notify all staff" duty, who was on
//! its roster on the issue date, who acknowledged, who is exempt (by reason), who is still pending (named),
//! and whether the duty is met; and the same yes/no for the whole document.
//!
//! The API (`coverage(conn, doc_id) -> Coverage`, the serde shape with English keys) is stable: the
//! report-back protocol and the audit both read it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tamim_store::Conn;

use crate::error::{Error, Result};

/// Someone on the roster who has neither acknowledged nor been exempted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub sicil: String,
    pub name: String,
}

/// Why a duty (or the whole document) is not met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotMet {
    /// The office has nobody on its roster on the issue date: nothing proves its staff were told.
    NoRoster,
    /// Some staff have neither acknowledged nor been exempted.
    Pending { count: u64 },
    /// Whole document: these offices' duties are not met.
    Offices { count: u64 },
    /// Whole document: no recipient carries the staff duty.
    NoStaffDuty,
}

impl NotMet {
    /// As the audit prints it (Turkish).
    pub fn text_tr(&self) -> String {
        use tamim_core::turkish::number::integer as n;
        match self {
            NotMet::NoRoster => "personel listesi yok".to_string(),
            NotMet::Pending { count } => format!("{} kişi bekliyor", n(*count as i64)),
            NotMet::Offices { count } => format!("{} birimde personelin tamamına ulaşılmadı", n(*count as i64)),
            NotMet::NoStaffDuty => "hiçbir alıcıya personele duyurma görevi verilmedi".to_string(),
        }
    }
}

/// One recipient office with the staff duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeCoverage {
    pub delivery_id: i64,
    pub office: String,
    pub name: String,
    /// On the roster on the issue date.
    pub on_roster: u64,
    pub acknowledged: u64,
    /// Exempt, counted by reason (`izinli`, `raporlu`, `görevden ayrıldı` …).
    pub exempt: BTreeMap<String, u64>,
    /// Still to acknowledge, by sicil no.
    pub pending: Vec<Pending>,
    pub duty_met: bool,
    /// Why not, when `duty_met` is false.
    pub reason: Option<NotMet>,
}

impl OfficeCoverage {
    pub fn exempt_total(&self) -> u64 {
        self.exempt.values().sum()
    }
}

/// A document's staff coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub document_id: i64,
    /// `YYYY-MM-DD`: who was on a roster that day counts.
    pub issue_date: String,
    pub offices: Vec<OfficeCoverage>,
    /// "Tüm personele duyuruldu" for the whole document.
    pub all_staff_notified: bool,
    pub reason: Option<NotMet>,
}

fn finish(o: &mut OfficeCoverage) {
    o.reason = if o.on_roster == 0 {
        Some(NotMet::NoRoster)
    } else if !o.pending.is_empty() {
        Some(NotMet::Pending {
            count: o.pending.len() as u64,
        })
    } else {
        None
    };
    o.duty_met = o.reason.is_none();
}

/// The document's staff coverage, read in one pass (one row per person on a roster).
pub fn coverage(conn: &Conn, doc_id: i64) -> Result<Coverage> {
    let issue_date = tamim_store::staff::issue_date(conn, doc_id)
        .map_err(Error::from)?
        .ok_or_else(|| Error::from(tamim_core::Error::not_found("document", format!("#{doc_id}"))))?;
    let mut offices: Vec<OfficeCoverage> = Vec::new();
    tamim_store::staff::for_each_coverage_row(conn, doc_id, &issue_date, |r| -> Result<()> {
        if offices.last().map(|o| o.delivery_id) != Some(r.delivery_id) {
            if let Some(o) = offices.last_mut() {
                finish(o);
            }
            offices.push(OfficeCoverage {
                delivery_id: r.delivery_id,
                office: r.recipient_code,
                name: r.recipient_name,
                on_roster: 0,
                acknowledged: 0,
                exempt: BTreeMap::new(),
                pending: Vec::new(),
                duty_met: false,
                reason: None,
            });
        }
        let o = offices.last_mut().expect("pushed above");
        let Some(sicil) = r.sicil else { return Ok(()) };
        o.on_roster += 1;
        match r.state.as_deref() {
            Some("acknowledged") => o.acknowledged += 1,
            Some("exempt") => *o.exempt.entry(r.reason.unwrap_or_default()).or_default() += 1,
            _ => o.pending.push(Pending {
                sicil,
                name: r.staff_name.unwrap_or_default(),
            }),
        }
        Ok(())
    })?;
    if let Some(o) = offices.last_mut() {
        finish(o);
    }
    let unmet = offices.iter().filter(|o| !o.duty_met).count() as u64;
    let reason = if offices.is_empty() {
        Some(NotMet::NoStaffDuty)
    } else if unmet > 0 {
        Some(NotMet::Offices { count: unmet })
    } else {
        None
    };
    Ok(Coverage {
        document_id: doc_id,
        issue_date,
        offices,
        all_staff_notified: reason.is_none(),
        reason,
    })
}

fn yes_no(yes: bool, reason: &Option<NotMet>) -> String {
    match (yes, reason) {
        (true, _) => "Evet".to_string(),
        (false, Some(r)) => format!("Hayır ({})", r.text_tr()),
        (false, None) => "Hayır".to_string(),
    }
}

/// The audit's text section: per office on the roster, acknowledged, exempt by reason, pending by name, and
/// "Tüm personele duyuruldu: Evet/Hayır (neden)"; then the same for the whole document.
pub fn text(c: &Coverage) -> String {
    use std::fmt::Write;
    use tamim_core::turkish::number::integer as n;
    let mut s = String::new();
    let day = chrono::NaiveDate::parse_from_str(&c.issue_date, "%Y-%m-%d")
        .map(tamim_core::turkish::date::format_long)
        .unwrap_or_else(|_| c.issue_date.clone());
    let _ = writeln!(s, "\nPersonele duyuru ({day} tarihli personel listelerine göre)");
    for o in &c.offices {
        let _ = writeln!(s, "  {} {}", o.office, o.name);
        let exempt = if o.exempt.is_empty() {
            String::new()
        } else {
            let by: Vec<String> = o.exempt.iter().map(|(r, k)| format!("{r} {}", n(*k as i64))).collect();
            format!(" ({})", by.join(", "))
        };
        let _ = writeln!(
            s,
            "    Listede {}, tebellüğ eden {}, muaf {}{exempt}, bekleyen {}",
            n(o.on_roster as i64),
            n(o.acknowledged as i64),
            n(o.exempt_total() as i64),
            n(o.pending.len() as i64)
        );
        if !o.pending.is_empty() {
            let names: Vec<String> = o.pending.iter().map(|p| format!("{} {}", p.sicil, p.name)).collect();
            let _ = writeln!(s, "    Bekleyenler: {}", names.join(", "));
        }
        let _ = writeln!(s, "    Tüm personele duyuruldu: {}", yes_no(o.duty_met, &o.reason));
    }
    let _ = writeln!(
        s,
        "  Belgenin tamamı: Tüm personele duyuruldu: {}",
        yes_no(c.all_staff_notified, &c.reason)
    );
    s
}
