//! Documents: what came in and what went out, with their sayı, date, konu, citations and attachments.
use crate::turkish::{self, Sayi};
use crate::DocumentKind;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A registered document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    /// `incoming` or `outgoing`.
    pub direction: String,
    pub kind: DocumentKind,
    pub sayi: Option<String>,
    /// The kind's yearly number: `2021/243` (Tamim No), `2021/81` (Karar No).
    pub kind_no: Option<String>,
    #[serde(serialize_with = "iso_date")]
    pub tarih: NaiveDate,
    pub konu: String,
    pub muhatap: Option<String>,
    /// Issuing org (code), when it is in the registry.
    pub from: Option<String>,
    /// Issuer as printed, when not an org of ours.
    pub issuer: Option<String>,
    pub kayit_year: Option<i32>,
    pub kayit_no: Option<i64>,
    pub received_at: Option<String>,
    /// SHA-256 of the stored original.
    pub file: Option<String>,
    /// SHA-256 of the stored copy carrying our registration stamp.
    pub stamped_file: Option<String>,
    /// For a document that arrived as another's attachment: that document's id.
    pub attached_to: Option<i64>,
    /// `registered`, `issued`.
    pub state: String,
    pub verification: Option<String>,
    pub urgency: Option<String>,
    pub classification: Option<String>,
    pub deadline: Option<String>,
    pub pages: Option<i64>,
    /// Outgoing documents: the frozen draft (signatories, body, dağıtım …).
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub payload: serde_json::Value,
    pub created_at: String,
    pub ilgi: Vec<CitationRow>,
    pub ek: Vec<AttachmentRow>,
}

fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&d.format("%Y-%m-%d").to_string())
}

impl Document {
    /// How the document is named to people: `4516 (05.11.2021)` or `#12`.
    pub fn label(&self) -> String {
        match &self.sayi {
            Some(s) => format!("{s} ({})", turkish::format_dotted(self.tarih)),
            None => format!("#{} ({})", self.id, turkish::format_dotted(self.tarih)),
        }
    }

    /// The issuer as a person reads it.
    pub fn issuer_text(&self) -> String {
        self.issuer.clone().or_else(|| self.from.clone()).unwrap_or_default()
    }
}

/// A document about to be recorded.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    pub direction: String,
    pub kind: DocumentKind,
    pub sayi: Option<Sayi>,
    pub kind_no: Option<String>,
    pub tarih: NaiveDate,
    pub konu: String,
    pub muhatap: Option<String>,
    pub from: Option<String>,
    pub issuer: Option<String>,
    pub kayit_year: Option<i32>,
    pub kayit_no: Option<i64>,
    pub received_at: Option<String>,
    pub file: Option<String>,
    pub stamped_file: Option<String>,
    pub attached_to: Option<i64>,
    pub state: String,
    pub verification: Option<String>,
    pub urgency: Option<String>,
    pub classification: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub payload: serde_json::Value,
}

/// An ilgi line: the citation as printed, and what it resolved to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CitationRow {
    pub text: String,
    pub cited_date: Option<NaiveDate>,
    pub cited_sayi: Option<String>,
    /// The registered document it points to.
    pub target: Option<i64>,
    pub target_sayi: Option<String>,
    /// Why the citation disagrees with its target, when it does.
    pub discrepancy: Option<String>,
}

/// An ek line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AttachmentRow {
    pub description: String,
    pub target: Option<i64>,
    pub file: Option<String>,
    pub pages: Option<i64>,
}
