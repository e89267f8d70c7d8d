//! İlgi: resolving a reference to a registered document, or keeping it as citation text, and flagging
//! citations whose date or number disagree with the document they point to.

use chrono::NaiveDate;
use tamim_store::Conn;

use super::document::CitationRow;
use crate::error::{Error, Result};
use tamim_core::turkish::{self, Sayi};
use tamim_store as store;

/// Resolve one `--ilgi` argument: `#12` / `id:12`, a sayı as printed, or a citation exactly as printed.
pub fn resolve(conn: &Conn, arg: &str) -> Result<CitationRow> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(Error::invalid("ilgi", "is empty"));
    }
    if arg.contains(['\r', '\n']) {
        return Err(Error::invalid("ilgi", format!("{arg:?} contains a line break")));
    }
    if turkish::looks_like_citation(arg) {
        let c = turkish::parse_citation(arg);
        return match_citation(conn, arg.to_string(), c.date, c.sayi);
    }
    // A registry id or a sayı: it must name a registered document.
    let id = super::document::resolve(conn, arg).map_err(|e| match e {
        Error::Domain(tamim_core::Error::NotFound { .. }) => Error::invalid(
            "ilgi",
            format!("no registered document is {arg:?}; give the citation as printed (\"… tarihli ve … sayılı yazısı.\") to keep it as text"),
        ),
        other => other,
    })?;
    let d = store::documents::get(conn, id)?;
    let text = citation_text(&d);
    Ok(CitationRow {
        text,
        cited_date: Some(d.tarih),
        cited_sayi: d.sayi.clone(),
        target: Some(id),
        target_sayi: d.sayi.clone(),
        discrepancy: None,
    })
}

/// The citation a clerk would print for a registered document.
pub fn citation_text(d: &super::document::Document) -> String {
    let issuer = d.issuer_text();
    let sayi = d
        .sayi
        .clone()
        .or_else(|| d.kind_no.clone())
        .unwrap_or_else(|| format!("#{}", d.id));
    let what = d.kind.citation_word();
    let issuer = if issuer.is_empty() {
        String::new()
    } else {
        format!("{issuer} ")
    };
    format!(
        "{issuer}{} tarihli ve {sayi} sayılı {what}.",
        turkish::format_dotted(d.tarih)
    )
}

/// Match a printed citation against the registry by sayı (either spelling), falling back to the record number
/// with the date; a match whose date or number differs is linked and flagged.
pub fn match_citation(conn: &Conn, text: String, date: Option<NaiveDate>, sayi: Option<Sayi>) -> Result<CitationRow> {
    let mut row = CitationRow {
        text,
        cited_date: date,
        cited_sayi: sayi.as_ref().map(|s| s.raw.clone()),
        target: None,
        target_sayi: None,
        discrepancy: None,
    };
    let Some(sayi) = sayi else { return Ok(row) };
    let mut candidates: Vec<(i64, NaiveDate, Option<String>)> = Vec::new();
    for id in store::documents::by_sayi_key(conn, &sayi.key())? {
        let d = store::documents::get(conn, id)?;
        candidates.push((id, d.tarih, d.sayi));
    }
    let mut exact_number = true;
    if candidates.is_empty() {
        // The short form `122254 sayılı` of `E-85840981-167.01-122254`: same record number.
        exact_number = false;
        for (id, tarih, s) in store::documents::by_sayi_number(conn, sayi.number() as i64)? {
            let Ok(t) = NaiveDate::parse_from_str(&tarih, "%Y-%m-%d") else {
                continue;
            };
            let compatible = match (&s, Sayi::parse(s.as_deref().unwrap_or_default())) {
                (Some(_), Ok(stored)) => short_form_of(&sayi, &stored),
                _ => false,
            };
            if compatible {
                candidates.push((id, t, s));
            }
        }
    }
    let pick = match candidates.len() {
        0 => None,
        1 => Some(candidates[0].clone()),
        _ => candidates.iter().find(|c| Some(c.1) == date).cloned(),
    };
    if let Some((id, tarih, s)) = pick {
        row.target = Some(id);
        row.target_sayi = s.clone();
        let mut problems = Vec::new();
        if let Some(cd) = date {
            if cd != tarih {
                problems.push(format!(
                    "ilgide {} tarihli olarak anılıyor, oysa #{id} belgesinin ({}) tarihi {}",
                    turkish::format_dotted(cd),
                    s.as_deref().unwrap_or("?"),
                    turkish::format_dotted(tarih)
                ));
            }
        }
        if !exact_number && candidates.len() == 1 && date.is_some() && date != Some(tarih) {
            problems.push(format!("yalnızca {} numarasıyla eşleşti", sayi.number()));
        }
        if !problems.is_empty() {
            row.discrepancy = Some(problems.join("; "));
        }
    }
    Ok(row)
}

/// Is `cited` the customary short form of `stored` (just the record number, or the same prefix)?
fn short_form_of(cited: &Sayi, stored: &Sayi) -> bool {
    use turkish::SayiForm::*;
    if cited.number() != stored.number() {
        return false;
    }
    match (&cited.form, &stored.form) {
        (Plain { .. }, _) => true,
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b) && cited.key() == stored.key(),
    }
}

/// When a document is registered after a document that cites it, link those earlier citations now
/// (with the same discrepancy check). Returns how many were linked.
pub fn link_pending(conn: &Conn, new_doc: i64) -> Result<usize> {
    let d = store::documents::get(conn, new_doc)?;
    let Some(sayi) = d.sayi.as_deref().and_then(|s| Sayi::parse(s).ok()) else {
        return Ok(0);
    };
    let mut linked = 0;
    for (cid, cited_sayi, cited_date) in store::documents::unresolved_citations(conn, sayi.number() as i64)? {
        let Ok(cited) = Sayi::parse(&cited_sayi) else { continue };
        if cited.key() != sayi.key() && !short_form_of(&cited, &sayi) {
            continue;
        }
        let cited_date = cited_date.and_then(|x| NaiveDate::parse_from_str(&x, "%Y-%m-%d").ok());
        let discrepancy = cited_date.filter(|cd| *cd != d.tarih).map(|cd| {
            format!(
                "ilgide {} tarihli olarak anılıyor, oysa #{new_doc} belgesinin ({}) tarihi {}",
                turkish::format_dotted(cd),
                sayi.raw,
                turkish::format_dotted(d.tarih)
            )
        });
        store::documents::link_citation(conn, cid, new_doc, discrepancy.as_deref())?;
        linked += 1;
    }
    Ok(linked)
}
