//! `/dogrula`: the verification page every issued letter's footer points to. Whoever holds a copy types the
//! code printed on it and sees what this office issued under that code — issuer, sayı, date, konu, the
//! file's SHA-256 — and, unless the document carries a classification, the original PDF to compare with.
//! Public: no token; the code itself (25 characters of a 32-letter alphabet, ~125 bits) is the key.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use std::collections::HashMap;
use std::sync::Arc;

use super::pages::{internal, not_found, page};
use super::App;
use tamim_app::registry::document::Document;
use tamim_store as store;

/// The longest input we look at; a code is 29 characters with its dashes.
const MAX_CODE_INPUT: usize = 64;

/// A code as typed (any case, spaces, with or without dashes) in the printed
/// form `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, or None when it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    if input.len() > MAX_CODE_INPUT {
        return None;
    }
    let mut chars = Vec::with_capacity(25);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\t' => continue,
            c => c,
        };
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        chars.push(c);
    }
    if chars.len() != 25 {
        return None;
    }
    Some(
        chars
            .chunks(5)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

/// What the page shows of a verified document.
struct Found {
    doc: Document,
    issuer: String,
    pages: Option<i64>,
}

async fn find(app: &Arc<App>, code: String) -> Result<Option<Found>, Response> {
    app.read(move |c| {
        let Some(id) = store::documents::by_verification(c, &code)? else {
            return Ok(None);
        };
        let doc = store::documents::get(c, id)?;
        if doc.direction != "outgoing" || doc.state != "issued" {
            return Ok(None);
        }
        let issuer = store::receipts::doc_head(c, id)?
            .and_then(|h| h.issuer)
            .unwrap_or_default();
        let pages = match &doc.file {
            Some(sha) => store::files::get(c, sha)?.and_then(|f| f.pages),
            None => None,
        };
        Ok(Some(Found { doc, issuer, pages }))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "verification lookup");
        internal()
    })
}

/// The stored file's signatures, checked against the registry's trust anchors, in Turkish.
async fn signatures(app: &Arc<App>, sha: Option<String>) -> Vec<serde_json::Value> {
    let Some(sha) = sha else { return Vec::new() };
    let home = app.home.clone();
    tokio::task::spawn_blocking(move || {
        let path = home
            .join(tamim_app::registry::home::FILES_DIR)
            .join(format!("{sha}.pdf"));
        let bytes = std::fs::read(&path).ok()?;
        let anchors = tamim_app::issue::verify::trust_anchors_in(&home).ok()?;
        let found = tamim_app::issue::verify::check_signatures(&bytes, &anchors).ok()?;
        Some(found.iter().map(|s| s.turkish()).collect())
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default()
}

/// `GET /dogrula[?kod=CODE]`: the form, and the answer for a code.
pub async fn get_verify(State(app): State<Arc<App>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let office = app.config.office.name.clone();
    let typed = q.get("kod").map(|s| s.trim().to_string()).unwrap_or_default();
    if typed.is_empty() {
        return page(StatusCode::OK, "dogrula.html", context! { office => office, kod => "" });
    }
    let shown: String = typed.chars().take(MAX_CODE_INPUT).collect();
    let Some(code) = normalize_code(&typed) else {
        let error = "Doğrulama kodu 25 harf ve rakamdan oluşur (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX); yazdığınız kod bu biçimde değil.";
        return page(
            StatusCode::BAD_REQUEST,
            "dogrula.html",
            context! { office => office, kod => shown, error => error },
        );
    };
    match find(&app, code.clone()).await {
        Ok(Some(f)) => {
            let imzalar = signatures(&app, f.doc.file.clone()).await;
            let d = &f.doc;
            page(
                StatusCode::OK,
                "dogrula.html",
                context! {
                    office => office,
                    kod => code,
                    found => context! {
                        issuer => f.issuer,
                        kind => d.kind.clone(),
                        sayi => d.sayi.clone(),
                        kind_no => d.kind_no.clone(),
                        tarih => tamim_core::turkish::format_long(d.tarih),
                        konu => d.konu.clone(),
                        pages => f.pages,
                        sha256 => d.file.clone(),
                        classification => d.classification.clone(),
                        pdf => d.classification.is_none() && d.file.is_some(),
                        imzalar => imzalar,
                    },
                },
            )
        }
        Ok(None) => {
            let error = "Bu doğrulama koduyla bu kurumca düzenlenmiş bir belge bulunamadı. Kodu belgedeki gibi yazdığınızdan emin olun; kod doğruysa belge bu kuruma ait değildir.";
            page(
                StatusCode::NOT_FOUND,
                "dogrula.html",
                context! { office => office, kod => code, error => error },
            )
        }
        Err(r) => r,
    }
}

/// `GET /dogrula/CODE/pdf`: the original as issued (not for a classified document).
pub async fn get_verify_pdf(State(app): State<Arc<App>>, Path(code): Path<String>) -> Response {
    let Some(code) = normalize_code(&code) else {
        return not_found();
    };
    let f = match find(&app, code).await {
        Ok(Some(f)) => f,
        Ok(None) => return not_found(),
        Err(r) => return r,
    };
    let (Some(sha), None) = (&f.doc.file, &f.doc.classification) else {
        return not_found();
    };
    super::pages::stored_pdf(&app, sha, f.doc.id).await
}

#[cfg(test)]
mod tests {
    use super::normalize_code;

    #[test]
    fn codes_are_read_as_people_type_them() {
        let printed = "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2";
        assert_eq!(normalize_code(printed).as_deref(), Some(printed));
        assert_eq!(
            normalize_code("abcde fghjk lmnpq rstuv wxyz2").as_deref(),
            Some(printed)
        );
        assert_eq!(normalize_code("ABCDEFGHJKLMNPQRSTUVWXYZ2").as_deref(), Some(printed));
        assert_eq!(normalize_code("ABCDE-FGHJK"), None);
        assert_eq!(normalize_code("ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-X"), None);
        assert_eq!(normalize_code("ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ<"), None);
        assert_eq!(normalize_code("ŞABCD-FGHJK-LMNPQ-RSTUV-WXYZ2"), None);
        assert_eq!(normalize_code(&"A".repeat(1000)), None);
    }
}
