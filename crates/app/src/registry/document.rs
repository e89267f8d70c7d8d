//! Documents: what came in and what went out, with their sayı, date, konu, citations and attachments.

use crate::error::{Error, Result};
use tamim_core::turkish::Sayi;
use tamim_store as store;
use tamim_store::Conn;

pub use tamim_core::document::{AttachmentRow, CitationRow, Document, NewDocument};

/// Find a document named on the command line: `#12` / `id:12` (registry id), `sayı:4516`, a sayı as printed
/// (`E-85840981-167.01-122254`, `25346381.010.06/53064`), a kind number (`2021/243`), or a bare number
/// that is either an id or a sayı (refused when it is both).
pub fn resolve(conn: &Conn, arg: &str) -> Result<i64> {
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
        (None, []) => Err(Error::Domain(tamim_core::Error::NotFound {
            what: "document",
            key: arg.to_string(),
            hint: " (by id or sayı)".into(),
        })),
    }
}

/// Load a document with its citations and attachments.
pub fn load(conn: &Conn, id: i64) -> Result<Document> {
    Ok(store::documents::get(conn, id)?)
}
