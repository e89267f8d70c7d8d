//! Per-person staff acknowledgements of a delivery with the "notify all staff" duty: recorded by a clerk
//! (`ack staff`), an exemption with its reason (`ack exempt … --sicil`), or a signed tebliğ-tebellüğ sheet
//! whose scan is stored by SHA-256 with the acknowledgements it supports (`ack sheet`). Each person an
//! event; one refused person and nothing is written.

use serde::Serialize;
use tamim_store::{self as store, staff::StaffAck, Tx};

use crate::ack::record::find_delivery;
use crate::error::{Error, Result};
use crate::registry::{document, Registry};

/// The largest sheet scan accepted.
pub const MAX_SCAN_BYTES: u64 = 20 * 1024 * 1024;

/// Why a staff exemption was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExemptReason {
    #[serde(rename = "izinli")]
    Izinli,
    #[serde(rename = "raporlu")]
    Raporlu,
    #[serde(rename = "görevden ayrıldı")]
    GorevdenAyrildi,
    #[serde(rename = "görevli")]
    Gorevli,
}

impl ExemptReason {
    pub const ALL: [ExemptReason; 4] = [
        ExemptReason::Izinli,
        ExemptReason::Raporlu,
        ExemptReason::GorevdenAyrildi,
        ExemptReason::Gorevli,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ExemptReason::Izinli => "izinli",
            ExemptReason::Raporlu => "raporlu",
            ExemptReason::GorevdenAyrildi => "görevden ayrıldı",
            ExemptReason::Gorevli => "görevli",
        }
    }

    /// `izinli`, `raporlu`, `görevden ayrıldı` (or `gorevden-ayrildi`), `görevli`, any case.
    pub fn parse(s: &str) -> Option<ExemptReason> {
        let f = crate::table::fold(s);
        Self::ALL.into_iter().find(|r| crate::table::fold(r.as_str()) == f)
    }
}

/// How the staff duty was met for a person.
#[derive(Debug, Clone)]
pub enum How {
    /// A clerk of the issuer recorded it.
    Clerk,
    Exempt(ExemptReason),
    /// A signed sheet, stored under this SHA-256.
    Paper {
        sha256: String,
    },
}

/// Why a person cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffAckError {
    #[error("{office} has no one with sicil no {sicil} on its roster")]
    NotOnRoster { office: String, sicil: String },
    #[error("{office}: sicil no {sicil} ({name}) left on {left}, before the document's date {issued}")]
    LeftBefore {
        office: String,
        sicil: String,
        name: String,
        left: String,
        issued: String,
    },
    #[error("{office}: sicil no {sicil} ({name}) joined on {joined}, after the document's date {issued}")]
    JoinedAfter {
        office: String,
        sicil: String,
        name: String,
        joined: String,
        issued: String,
    },
    #[error("{0:?} is not an exemption reason (izinli, raporlu, görevden ayrıldı, görevli)")]
    UnknownReason(String),
    #[error("{office} was not given the duty to notify all its staff for this document")]
    NoDuty { office: String },
    #[error("give at least one sicil no")]
    NoneGiven,
    #[error("the scan is {size} bytes, over the limit of {limit}")]
    ScanTooLarge { size: u64, limit: u64 },
}

#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub office: String,
    pub recorded: usize,
    pub state: &'static str,
    pub evidence_sha256: Option<String>,
}

/// Record `sicils` of `office` for document `doc_arg` in one transaction.
pub fn record(tx: &Tx, doc_arg: &str, office: &str, sicils: &[String], how: &How) -> Result<Recorded> {
    if sicils.is_empty() {
        return Err(StaffAckError::NoneGiven.into());
    }
    let doc = document::resolve(tx, doc_arg)?;
    let d = find_delivery(tx, doc, doc_arg, office)?;
    if !store::staff::has_duty(tx, d.id)? {
        return Err(StaffAckError::NoDuty {
            office: office.to_string(),
        }
        .into());
    }
    let issued = store::staff::issue_date(tx, doc)?.unwrap_or_default();
    let org_id = d.org_id.ok_or_else(|| StaffAckError::NoDuty {
        office: office.to_string(),
    })?;
    let (state, method, reason, evidence) = match how {
        How::Clerk => ("acknowledged", "clerk", None, None),
        How::Exempt(r) => ("exempt", "clerk", Some(r.as_str()), None),
        How::Paper { sha256 } => ("acknowledged", "paper", None, Some(sha256.as_str())),
    };
    let now = store::now_text();
    let mut chain = store::events::Chain::load(tx)?;
    for sicil in sicils {
        let sicil = sicil.trim();
        let m = store::staff::find(tx, org_id, sicil)?.ok_or_else(|| StaffAckError::NotOnRoster {
            office: office.to_string(),
            sicil: sicil.to_string(),
        })?;
        if let Some(left) = m.left_on.as_deref().filter(|l| *l < issued.as_str()) {
            return Err(StaffAckError::LeftBefore {
                office: office.to_string(),
                sicil: m.sicil.clone(),
                name: m.name.clone(),
                left: left.to_string(),
                issued,
            }
            .into());
        }
        if let Some(joined) = m.joined_on.as_deref().filter(|j| *j > issued.as_str()) {
            return Err(StaffAckError::JoinedAfter {
                office: office.to_string(),
                sicil: m.sicil.clone(),
                name: m.name.clone(),
                joined: joined.to_string(),
                issued,
            }
            .into());
        }
        store::staff::record_ack(
            tx,
            &StaffAck {
                delivery_id: d.id,
                staff_id: m.id,
                state,
                method,
                evidence_sha256: evidence,
                reason,
                at: &now,
            },
        )?;
        chain.append(
            tx,
            &now,
            Some(doc),
            Some(d.id),
            if state == "exempt" { "staff.exempt" } else { "staff.acknowledged" },
            &serde_json::json!({"office": office, "sicil": m.sicil, "name": m.name, "method": method, "reason": reason, "evidence": evidence}),
        )?;
    }
    Ok(Recorded {
        office: office.to_string(),
        recorded: sicils.len(),
        state,
        evidence_sha256: evidence.map(str::to_string),
    })
}

/// `ack sheet`: check the scan (a real PDF under the size limit), store it by hash, and record who signed.
pub fn sheet(
    reg: &mut Registry,
    doc_arg: &str,
    office: &str,
    scan: &std::path::Path,
    signed: &[String],
) -> Result<Recorded> {
    let size = std::fs::metadata(scan).map_err(|e| Error::io(scan, e))?.len();
    if size > MAX_SCAN_BYTES {
        return Err(StaffAckError::ScanTooLarge {
            size,
            limit: MAX_SCAN_BYTES,
        }
        .into());
    }
    let bytes = crate::registry::receive::read_pdf(scan)?;
    let info = tamim_docs::pdf::inspect(&bytes).map_err(Error::Pdf)?;
    let (sha, wrote) = reg.store_file(&bytes)?;
    let path = reg.file_path(&sha);
    let r = reg.store.write(|tx| {
        store::files::upsert(
            tx,
            &store::files::FileRow {
                sha256: sha.clone(),
                size: bytes.len() as i64,
                media_type: "application/pdf".into(),
                pages: Some(info.pages as i64),
                original_name: scan.file_name().map(|n| n.to_string_lossy().into_owned()),
            },
        )?;
        record(tx, doc_arg, office, signed, &How::Paper { sha256: sha.clone() })
    });
    if r.is_err() && wrote {
        // Nothing was recorded: the scan this call stored goes too.
        let _ = std::fs::remove_file(&path);
    }
    r
}
