//! `POST /rapor`: another tamim reports back on one of our deliveries (`tamim_app::report`). JSON in,
//! JSON out (`{"hata": "…"}` in Turkish on a refusal, with the status `Refused::status` gives); the body
//! limit (10 MB) is this route's own. The handler only carries bytes: the checks and the recording are
//! `report::accept`, run on the writer thread inside one savepoint.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::writer::{ReportFailed, ReportJob, Work};
use super::App;
use tamim_app::report::{self, Refused};

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn refused(r: &Refused) -> Response {
    let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST);
    answer(status, json!({"hata": r.message_tr()}))
}

fn failed() -> Response {
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"hata": "Rapor kaydedilemedi (sunucu hatası); hiçbir şey kaydedilmedi, daha sonra yeniden gönderin."}),
    )
}

pub async fn post_report(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refused(&Refused::TooLarge {
                limit: report::MAX_BODY,
            })
        }
        Err(e) => return refused(&Refused::Malformed(e.body_text())),
    };
    let signature = headers
        .get(report::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (reply, rx) = tokio::sync::oneshot::channel();
    if app
        .writer
        .send(Work::Report(ReportJob { body, signature, reply }))
        .await
        .is_err()
    {
        return failed();
    }
    match rx.await {
        Ok(Ok(a)) => answer(
            StatusCode::OK,
            json!({
                "kabul": true,
                "sequence": a.sequence,
                "olay": a.event_seq,
                "alindi": a.received,
                "mesaj": "Rapor kaydedildi.",
            }),
        ),
        Ok(Err(ReportFailed::Refused(r))) => refused(&r),
        Ok(Err(ReportFailed::Failed(e))) => {
            tracing::error!(error = %e, "recording a report");
            failed()
        }
        Err(_) => failed(),
    }
}
