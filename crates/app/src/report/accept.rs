//! The issuer's side of a report: find the delivery by its public id, check the HMAC over the exact body
//! in constant time, check the figures and the sequence number, then record it in the caller's `Tx` — the
//! delivery moved to "received" if it was not yet, the follow-ons, the report itself, and an event whose
//! detail carries the reporter's head hash (so our log anchors theirs). A refusal writes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::wire::{Level, Report, STAFF_STATES, UNITS};
use crate::error::{Error, Result};
use tamim_core::state::State;
use tamim_core::token;
use tamim_store::{deliveries, events, receipts, reports, Conn};

/// Why a report was refused. Each names what was wrong; [`Refused::status`] is its HTTP status and
/// [`Refused::message_tr`] what the reporting office reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the report is not JSON: {0}")]
    Malformed(String),
    #[error("the report is over {limit} bytes")]
    TooLarge { limit: usize },
    #[error("no delivery has the public id {0:?}")]
    UnknownDelivery(String),
    #[error("document {sayi} was not sent to {office}")]
    NotSentHere { sayi: String, office: String },
    #[error("the report's signature does not verify under the delivery's key")]
    BadKey,
    #[error("sequence {got} is not after {last}, the last report accepted on this delivery")]
    Replayed { got: i64, last: i64 },
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
}

impl Refused {
    /// The HTTP status the endpoint answers with.
    pub fn status(&self) -> u16 {
        match self {
            Refused::Malformed(_) => 400,
            Refused::BadKey => 401,
            Refused::UnknownDelivery(_) | Refused::NotSentHere { .. } => 404,
            Refused::Replayed { .. } => 409,
            Refused::TooLarge { .. } => 413,
            Refused::Invalid { .. } => 422,
        }
    }

    /// What the reporting office reads (Turkish).
    pub fn message_tr(&self) -> String {
        use tamim_core::turkish::number::integer as n;
        match self {
            Refused::Malformed(e) => format!("Rapor geçerli bir JSON değil: {e}"),
            Refused::TooLarge { limit } => {
                format!("Rapor çok büyük: en fazla {} bayt kabul edilir.", n(*limit as i64))
            }
            Refused::UnknownDelivery(_) => {
                "delivery: Bu kimlikle bir gönderim yok; rapor, gönderimin tebellüğ bağlantısından alınan kimlikle gönderilmelidir.".into()
            }
            Refused::NotSentHere { sayi, office } => {
                format!("document: {sayi} sayılı belge {office} kurumuna gönderilmedi.")
            }
            Refused::BadKey => {
                "X-Tamim-Imza: Raporun imzası bu gönderimin anahtarıyla doğrulanmadı; rapor değiştirilmiş ya da anahtar yanlış.".into()
            }
            Refused::Replayed { got, last } => format!(
                "sequence: {} numaralı rapor kabul edilmedi; bu gönderim için kabul edilen son rapor {} numaralı. Her rapor bir öncekinden büyük bir sıra numarası taşımalıdır.",
                n(*got),
                n(*last)
            ),
            Refused::Invalid { field, problem } => format!("{field}: {problem}"),
        }
    }
}

/// What an accepted report recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub delivery_id: i64,
    pub sequence: i64,
    /// The event that records the report in our log.
    pub event_seq: i64,
    /// Our delivery moved to "received" by this report.
    pub received: bool,
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Error {
    Error::Report(Refused::Invalid {
        field: field.into(),
        problem: problem.into(),
    })
}

/// Longest text field taken (kayıt no, sayı, a pending name, konu).
const MAX_TEXT: usize = 500;

fn text(field: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(invalid(field, "boş olamaz"));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(invalid(field, format!("en fazla {MAX_TEXT} karakter olabilir")));
    }
    if v.chars().any(char::is_control) {
        return Err(invalid(field, "denetim karakteri içeremez"));
    }
    Ok(())
}

fn date(field: &str, v: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| invalid(field, format!("{v:?} bir tarih değil (YYYY-AA-GG bekleniyor)")))
}

/// A level's figures that can be: nothing negative, the states adding up to the total, no more
/// acknowledged than on the level, no more names pending than are pending.
fn check_level(i: usize, l: &Level) -> Result<()> {
    let f = |k: &str| format!("levels[{i}].{k}");
    if l.level < 1 {
        return Err(invalid(
            f("level"),
            format!("{} olamaz; düzeyler 1'den başlar", l.level),
        ));
    }
    if !UNITS.contains(&l.unit.as_str()) {
        return Err(invalid(
            f("unit"),
            format!("{:?} bilinmiyor (offices ya da staff)", l.unit),
        ));
    }
    if l.total < 0 {
        return Err(invalid(f("total"), format!("{} eksi olamaz", l.total)));
    }
    for (state, count) in &l.states {
        let known = match l.unit.as_str() {
            "staff" => STAFF_STATES.contains(&state.as_str()),
            _ => State::parse(state).is_some(),
        };
        if !known {
            return Err(invalid(f("states"), format!("{state:?} bilinmeyen bir durum")));
        }
        if *count < 0 {
            return Err(invalid(f(&format!("states.{state}")), format!("{count} eksi olamaz")));
        }
    }
    let acked = l.count("acknowledged");
    if acked > l.total {
        return Err(invalid(
            f("states.acknowledged"),
            format!(
                "tebellüğ eden {acked} kişi/kurum, listedeki {} kişi/kurumdan fazla olamaz",
                l.total
            ),
        ));
    }
    let sum = l.states.values().try_fold(0i64, |a, c| a.checked_add(*c));
    if sum != Some(l.total) {
        return Err(invalid(
            f("states"),
            format!(
                "durumların toplamı ({}) toplam sayıyla ({}) aynı değil",
                sum.unwrap_or(i64::MAX),
                l.total
            ),
        ));
    }
    let open = l.total - acked - l.count("exempt");
    if l.pending.len() as i64 > open {
        return Err(invalid(
            f("pending"),
            format!(
                "{} bekleyen adı var, ama yalnızca {open} kişi/kurum bekliyor",
                l.pending.len()
            ),
        ));
    }
    for (j, name) in l.pending.iter().enumerate() {
        text(&f(&format!("pending[{j}]")), name)?;
    }
    Ok(())
}

/// Every field of a parsed report that can be checked without the registry.
fn check_fields(r: &Report) -> Result<(NaiveDate, Vec<NaiveDate>)> {
    if r.sequence < 1 {
        return Err(invalid(
            "sequence",
            format!("{} olamaz; sıra numarası 1'den başlar", r.sequence),
        ));
    }
    if r.head.len() != 64 || !r.head.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("head", "olay kaydının son özeti 64 onaltılık rakam olmalıdır"));
    }
    text("office", &r.office)?;
    text("registration.kayit_no", &r.registration.kayit_no)?;
    let registered = date("registration.date", &r.registration.date)?;
    let mut follow_dates = Vec::new();
    for (i, f) in r.follow_ons.iter().enumerate() {
        text(&format!("follow_ons[{i}].sayi"), &f.sayi)?;
        text(&format!("follow_ons[{i}].konu"), &f.konu)?;
        follow_dates.push(date(&format!("follow_ons[{i}].tarih"), &f.tarih)?);
    }
    for (i, l) in r.levels.iter().enumerate() {
        check_level(i, l)?;
    }
    Ok((registered, follow_dates))
}

/// Check `body` (the exact bytes received) and its `signature` (the header's hex HMAC) and record the
/// report in `conn`'s transaction. `secret` is the registry's: the delivery's token is derived again from it.
pub fn accept(
    conn: &Conn,
    secret: &[u8],
    body: &[u8],
    signature: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Accepted> {
    // 1. JSON at all, and which delivery it names.
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Error::Report(Refused::Malformed(e.to_string())))?;
    let public = value
        .get("delivery")
        .and_then(|v| v.as_str())
        .ok_or_else(|| invalid("delivery", "gönderimin kimliği (metin) eksik"))?
        .to_string();
    let d = deliveries::by_token_hash(conn, &public)?
        .ok_or_else(|| Error::Report(Refused::UnknownDelivery(public.clone())))?;
    // 2. The signature, under the key only the recipient and we can derive.
    let tok = token::token(secret, d.document_id, &d.recipient_code);
    let expected = token::report_mac(&token::report_key(&tok), body);
    if !signature.is_some_and(|s| token::constant_time_eq(&s.trim().to_ascii_lowercase(), &expected)) {
        return Err(Error::Report(Refused::BadKey));
    }
    // 3. The figures.
    let r: Report =
        serde_json::from_value(value).map_err(|e| invalid("rapor", format!("alanlar beklenen biçimde değil: {e}")))?;
    let (registered, follow_dates) = check_fields(&r)?;
    let ours = tamim_store::documents::get(conn, d.document_id)?;
    let our_sayi = ours.sayi.clone().unwrap_or_default();
    if r.document.sayi.trim() != our_sayi || r.document.tarih != ours.tarih.format("%Y-%m-%d").to_string() {
        return Err(Error::Report(Refused::NotSentHere {
            sayi: r.document.sayi.clone(),
            office: d.name.clone(),
        }));
    }
    let today = now.date_naive();
    for (field, day) in std::iter::once(("registration.date".to_string(), registered)).chain(
        follow_dates
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("follow_ons[{i}].tarih"), *t)),
    ) {
        if day > today {
            return Err(invalid(
                field,
                format!("{} ileri bir tarih", tamim_core::turkish::format_dotted(day)),
            ));
        }
        if day < ours.tarih {
            return Err(invalid(
                field,
                format!(
                    "{} belgemizin tarihinden ({}) önce",
                    tamim_core::turkish::format_dotted(day),
                    tamim_core::turkish::format_dotted(ours.tarih)
                ),
            ));
        }
    }
    // 4. Newer than every report accepted on this delivery.
    if let Some(last) = reports::last_sequence(conn, d.id)? {
        if r.sequence <= last {
            return Err(Error::Report(Refused::Replayed { got: r.sequence, last }));
        }
    }
    // 5. Recorded: received (if not yet), the follow-ons, the report and its event.
    let received = matches!(d.state, State::Sent | State::Failed | State::NoAddress);
    if received {
        crate::ack::mark_received(conn, &d, now, Some(&r.registration.kayit_no), Some(registered))
            .map_err(|e| invalid("registration", e.to_string()))?;
    }
    let offices = r.levels.iter().find(|l| l.level == 1 && l.unit == "offices");
    let at = crate::ack::time::stored(now);
    for f in &r.follow_ons {
        let row = receipts::FollowonReport {
            delivery_id: d.id,
            recipient_code: d.recipient_code.clone(),
            sayi: f.sayi.trim().to_string(),
            tarih: f.tarih.clone(),
            recipients: offices.map(|l| l.total),
            acknowledged: offices.map(|l| l.count("acknowledged")),
            reported_at: at.clone(),
        };
        receipts::insert_followon(conn, d.document_id, &row)?;
    }
    let body_sha256 = hex::encode(Sha256::digest(body));
    let counts: Vec<serde_json::Value> = r
        .levels
        .iter()
        .map(|l| json!({"level": l.level, "unit": l.unit, "total": l.total, "states": l.states}))
        .collect();
    let ev = events::append(
        conn,
        Some(d.document_id),
        Some(d.id),
        "delivery.reported",
        &json!({
            "recipient": d.recipient_code,
            "sequence": r.sequence,
            "head": r.head,
            "body_sha256": body_sha256,
            "kayit_no": r.registration.kayit_no,
            "kayit_date": r.registration.date,
            "follow_ons": r.follow_ons.iter().map(|f| json!({"sayi": f.sayi, "tarih": f.tarih})).collect::<Vec<_>>(),
            "levels": counts,
        }),
    )?;
    reports::insert(
        conn,
        &reports::Stored {
            document_id: d.document_id,
            delivery_id: d.id,
            sequence: r.sequence,
            received_at: at,
            body: body.to_vec(),
            body_sha256,
            head_hash: r.head.clone(),
            event_seq: ev.seq,
        },
    )?;
    Ok(Accepted {
        delivery_id: d.id,
        sequence: r.sequence,
        event_seq: ev.seq,
        received,
    })
}
