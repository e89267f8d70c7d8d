//! Documents: what came in and what went out, with their sayı, date, konu, citations and attachments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store;
use crate::turkish::{self, Sayi};

/// A registered document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    /// `incoming` or `outgoing`.
    pub direction: String,
    /// `yazı`, `genelge`, `tamim`, `ilke-kararı`, …
    pub kind: String,
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
    pub kind: String,
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

/// Find a document named on the command line: `#12` / `id:12` (registry id), `sayı:4516`, a sayı as printed
/// (`E-85840981-167.01-122254`, `25346381.010.06/53064`), a kind number (`2021/243`), or a bare number
/// that is either an id or a sayı (refused when it is both).
pub fn resolve(conn: &rusqlite::Connection, arg: &str) -> Result<i64> {
    let arg = arg.trim();
    let by_id = |n: &str| -> Result<Option<i64>> {
        match n.parse::<i64>() {
            Ok(id) if store::documents::exists(conn, id)? => Ok(Some(id)),
            _ => Ok(None),
        }
    };
    if let Some(n) = arg.strip_prefix('#').or_else(|| arg.strip_prefix("id:")) {
        return by_id(n)?.ok_or_else(|| Error::not_found("document", arg));
    }
    let sayi_text = arg.strip_prefix("sayı:").or_else(|| arg.strip_prefix("sayi:"));
    let text = sayi_text.unwrap_or(arg);
    let mut by_sayi = match Sayi::parse(text) {
        Ok(s) => store::documents::by_sayi_key(conn, &s.key())?,
        Err(_) => Vec::new(),
    };
    if by_sayi.is_empty() && sayi_text.is_none() {
        by_sayi = store::documents::by_kind_no(conn, text)?;
    }
    let id = if sayi_text.is_none() { by_id(arg)? } else { None };
    match (id, by_sayi.as_slice()) {
        (Some(id), []) => Ok(id),
        (None, [one]) => Ok(*one),
        (Some(id), [one]) if id == *one => Ok(id),
        (Some(id), [one, ..]) => Err(Error::invalid(
            "DOC",
            format!("{arg:?} is both document #{id} and the sayı of document #{one}; write #{id} or sayı:{arg}"),
        )),
        (None, [first, rest @ ..]) => Err(Error::invalid(
            "DOC",
            format!(
                "{} documents have sayı {arg:?} (#{first}{}); name one by its id, e.g. #{first}",
                rest.len() + 1,
                rest.iter().map(|i| format!(", #{i}")).collect::<String>()
            ),
        )),
        (None, []) => Err(Error::NotFound { what: "document", key: arg.to_string(), hint: " (by id or sayı)".into() }),
    }
}

/// Load a document with its citations and attachments.
pub fn load(conn: &rusqlite::Connection, id: i64) -> Result<Document> {
    store::documents::get(conn, id)
}
