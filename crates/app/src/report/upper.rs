//! The issuer's audit of what the offices below reported: per reporting office, the last report accepted
//! (when, which sequence, how many so far), their registration, follow-ons, counts per level, the names
//! still pending, and the head hash of their log as we recorded it (in text and JSON).

use serde::Serialize;

use super::wire::{FollowOn, Level, Registration, Report};
use crate::error::{Error, Result};
use tamim_store::{deliveries, reports, Conn};

/// One reporting office, as its last accepted report stands.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeReport {
    pub delivery_id: i64,
    pub office: String,
    pub name: String,
    /// How the office names itself in its report.
    pub reported_as: String,
    pub sequence: i64,
    pub reports: i64,
    pub received_at: String,
    pub registration: Registration,
    pub follow_ons: Vec<FollowOn>,
    pub levels: Vec<Level>,
    /// The head hash of the office's event log, as recorded in our event `event_seq`.
    pub head: String,
    pub body_sha256: String,
    pub event_seq: i64,
}

/// Every office that reported on `doc`, in delivery order.
pub fn of_document(conn: &Conn, doc: i64) -> Result<Vec<OfficeReport>> {
    let mut out = Vec::new();
    for s in reports::latest_for_document(conn, doc)? {
        let d = deliveries::get(conn, s.delivery_id)?
            .ok_or_else(|| Error::Internal(format!("report on a missing delivery #{}", s.delivery_id)))?;
        let r: Report = serde_json::from_slice(&s.body)?;
        out.push(OfficeReport {
            delivery_id: d.id,
            office: d.recipient_code,
            name: d.name,
            reported_as: r.office,
            sequence: s.sequence,
            reports: reports::count_for_delivery(conn, d.id)?,
            received_at: s.received_at,
            registration: r.registration,
            follow_ons: r.follow_ons,
            levels: r.levels,
            head: s.head_hash,
            body_sha256: s.body_sha256,
            event_seq: s.event_seq,
        });
    }
    Ok(out)
}

fn day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(tamim_core::turkish::date::format_long)
        .unwrap_or_else(|_| iso.to_string())
}

/// A stored time as the audit shows it: `5 Kasım 2021 14:30` on the office's clock.
pub fn when(rfc3339: &str, zone: chrono_tz::Tz) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let t = t.with_timezone(&zone);
            format!(
                "{} {}",
                tamim_core::turkish::date::format_long(t.date_naive()),
                t.format("%H:%M")
            )
        }
        Err(_) => rfc3339.to_string(),
    }
}

/// A level's state as the audit names it.
pub fn state_label(unit: &str, state: &str) -> String {
    match (unit, state) {
        ("staff", "acknowledged") => "tebellüğ eden".into(),
        ("staff", "exempt") => "muaf".into(),
        ("staff", "pending") => "bekleyen".into(),
        (_, s) => tamim_core::state::State::parse(s).map_or(s.to_string(), |s| s.label_tr().to_string()),
    }
}

/// One office's report as the auditor's page shows it: every text already in Turkish.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeView {
    pub office: String,
    pub name: String,
    pub sequence: i64,
    pub reports: i64,
    pub received: String,
    pub kayit_no: String,
    pub kayit_date: String,
    pub follow_ons: Vec<String>,
    /// `1. düzey (kurum): toplam 6, …`, with the pending names after it.
    pub levels: Vec<(String, String)>,
    pub head: String,
    pub event_seq: i64,
}

/// The page's view of [`of_document`].
pub fn views(offices: &[OfficeReport], zone: chrono_tz::Tz) -> Vec<OfficeView> {
    use tamim_core::turkish::number::integer as n;
    offices
        .iter()
        .map(|o| OfficeView {
            office: o.office.clone(),
            name: o.name.clone(),
            sequence: o.sequence,
            reports: o.reports,
            received: when(&o.received_at, zone),
            kayit_no: o.registration.kayit_no.clone(),
            kayit_date: day(&o.registration.date),
            follow_ons: o
                .follow_ons
                .iter()
                .map(|f| format!("{} sayılı, {}: {}", f.sayi, day(&f.tarih), f.konu))
                .collect(),
            levels: o
                .levels
                .iter()
                .map(|l| {
                    let what = if l.unit == "staff" { "personel" } else { "kurum" };
                    let counts: Vec<String> = l
                        .states
                        .iter()
                        .map(|(k, v)| format!("{} {}", state_label(&l.unit, k), n(*v)))
                        .collect();
                    (
                        format!(
                            "{}. düzey ({what}): toplam {}, {}",
                            l.level,
                            n(l.total),
                            counts.join(", ")
                        ),
                        l.pending.join(", "),
                    )
                })
                .collect(),
            head: o.head.clone(),
            event_seq: o.event_seq,
        })
        .collect()
}

/// The audit's text section (Turkish).
pub fn text(offices: &[OfficeReport], zone: chrono_tz::Tz) -> String {
    use std::fmt::Write;
    use tamim_core::turkish::number::integer as n;
    let mut s = String::new();
    let _ = writeln!(s, "\nAlt düzeylerden gelen raporlar");
    for o in offices {
        let _ = writeln!(s, "  {} {}", o.office, o.name);
        let _ = writeln!(
            s,
            "    Son rapor: {} numaralı, {} (toplam {} rapor)",
            n(o.sequence),
            when(&o.received_at, zone),
            n(o.reports)
        );
        let _ = writeln!(
            s,
            "    Kayıt: {} sayılı, {}",
            o.registration.kayit_no,
            day(&o.registration.date)
        );
        for f in &o.follow_ons {
            let _ = writeln!(s, "    İlgili yazısı: {} sayılı, {}: {}", f.sayi, day(&f.tarih), f.konu);
        }
        for l in &o.levels {
            let what = if l.unit == "staff" { "personel" } else { "kurum" };
            let counts: Vec<String> = l
                .states
                .iter()
                .map(|(k, v)| format!("{} {}", state_label(&l.unit, k), n(*v)))
                .collect();
            let _ = writeln!(
                s,
                "    {}. düzey ({what}): toplam {}, {}",
                l.level,
                n(l.total),
                counts.join(", ")
            );
            if !l.pending.is_empty() {
                let _ = writeln!(s, "      Bekleyenler: {}", l.pending.join(", "));
            }
        }
        let _ = writeln!(
            s,
            "    Olay kaydının son özeti: {} (kaydımızda {}. olay)",
            o.head,
            n(o.event_seq)
        );
    }
    s
}
