//! Recording the steps of a delivery: acknowledge, received (with the recipient's kayıt no), exempt, sent,
//! failed, failed back to the queue on request — each one state change plus its event, inside the caller's
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use tamim_store::Conn;

use super::state::State;
use super::time::stored;
use super::{clean_text, AckError, MAX_KAYIT_NO, MAX_NAME, MAX_REASON};
use crate::error::Result;
use tamim_core::Channel;
use tamim_store::deliveries::{self, Delivery};
use tamim_store::{events, receipts};

/// How an acknowledgement was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The personal link in the e-mail (`tamim serve`).
    Link,
    /// A signed paper sign-off sheet (tebellüğ).
    Paper,
    /// By telephone, noted by a clerk.
    Phone,
    /// Registered e-mail (KEP) with its delivery evidence.
    Kep,
    /// Any other way, entered by a clerk.
    Manual,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Link => "link",
            Method::Paper => "paper",
            Method::Phone => "phone",
            Method::Kep => "kep",
            Method::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        [Method::Link, Method::Paper, Method::Phone, Method::Kep, Method::Manual]
            .into_iter()
            .find(|m| m.as_str() == s.trim())
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Method::Link => "bağlantı",
            Method::Paper => "kâğıt (imzalı liste)",
            Method::Phone => "telefon",
            Method::Kep => "KEP",
            Method::Manual => "elle kayıt",
        }
    }
}

/// An acknowledgement to record.
#[derive(Debug, Clone)]
pub struct Ack {
    pub method: Method,
    /// Who acknowledged (name as given; HTML is kept as text).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// The recipient office's kayıt no of our document, when it gave one.
    pub kayit_no: Option<String>,
    /// Anything that proves it: KEP evidence id, the clerk's note, the client address of a link.
    pub evidence: Option<String>,
}

impl Ack {
    /// Check the fields (lengths, control characters, the time against now and the document's date).
    pub fn validate(mut self, doc_date: Option<NaiveDate>, now: DateTime<Utc>, at_text: &str) -> Result<Ack, AckError> {
        self.by = self
            .by
            .as_deref()
            .map(|b| clean_text("name", b, MAX_NAME))
            .transpose()?;
        self.kayit_no = self
            .kayit_no
            .as_deref()
            .map(|k| clean_text("kayit-no", k, MAX_KAYIT_NO))
            .transpose()?;
        self.evidence = self
            .evidence
            .as_deref()
            .map(|k| clean_text("evidence", k, MAX_REASON))
            .transpose()?;
        super::time::check_time("at", at_text, self.at, doc_date, now)?;
        Ok(self)
    }
}

/// What an acknowledgement did.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// Recorded now, as event `seq`.
    Recorded {
        delivery: i64,
        recipient: String,
        at: String,
        seq: i64,
    },
    /// It had been acknowledged before; nothing was recorded.
    Already {
        delivery: i64,
        recipient: String,
        at: String,
        by: Option<String>,
        method: Option<String>,
    },
}

/// The delivery of `doc` to `recipient` (an org or person code), or an error saying it was never sent there.
pub fn find_delivery(conn: &Conn, doc: i64, doc_label: &str, recipient: &str) -> Result<Delivery> {
    deliveries::by_recipient(conn, doc, recipient.trim())?.ok_or_else(|| {
        AckError::NotARecipient {
            doc: doc_label.to_string(),
            recipient: recipient.trim().to_string(),
        }
        .into()
    })
}

/// The document's date, for checking that an acknowledgement is not dated before it.
pub fn doc_date(conn: &Conn, doc: i64) -> Result<Option<NaiveDate>> {
    Ok(receipts::doc_head(conn, doc)?.and_then(|h| NaiveDate::parse_from_str(&h.tarih, "%Y-%m-%d").ok()))
}

/// Record an acknowledgement (already validated). A second acknowledgement records nothing and returns
/// the first one, so a double click or a re-sent link is harmless; callers that must refuse it do so.
pub fn acknowledge(conn: &Conn, d: &Delivery, ack: &Ack) -> Result<Outcome> {
    let already = |d: &Delivery| Outcome::Already {
        delivery: d.id,
        recipient: d.recipient_code.clone(),
        at: d.acknowledged_at.clone().unwrap_or_default(),
        by: d.ack_by.clone(),
        method: d.ack_method.clone(),
    };
    if d.state == State::Acknowledged {
        return Ok(already(d));
    }
    let at = stored(ack.at);
    if !receipts::record_ack(
        conn,
        d.id,
        &at,
        ack.by.as_deref(),
        ack.method.as_str(),
        ack.kayit_no.as_deref(),
    )? {
        // Someone acknowledged it between our read and our write: report theirs.
        let now = deliveries::get(conn, d.id)?.unwrap_or_else(|| d.clone());
        return Ok(already(&now));
    }
    let ev = events::append(
        conn,
        Some(d.document_id),
        Some(d.id),
        "delivery.acknowledged",
        &json!({"recipient": d.recipient_code, "from": d.state, "method": ack.method.as_str(), "by": ack.by,
                "at": at, "kayit_no": ack.kayit_no, "evidence": ack.evidence}),
    )?;
    Ok(Outcome::Recorded {
        delivery: d.id,
        recipient: d.recipient_code.clone(),
        at,
        seq: ev.seq,
    })
}

/// A clerk's acknowledgement (`tamim ack`, a sign-off sheet): its fields and time checked (`Ack::validate`,
/// `at_text` being the time as typed), then refused — nothing recorded — when the delivery is already
/// acknowledged, has not been sent yet (queued, or claimed by a send that has not recorded its result; a
/// recipient with no e-mail address is reached on paper or by KEP and may be acknowledged), or when the time
/// is earlier than the delivery was sent or received. The link (`server`) goes through `acknowledge` alone: it
/// can only be followed from a message that went out, at the time it is followed.
pub fn acknowledge_by_clerk(conn: &Conn, d: &Delivery, ack: Ack, now: DateTime<Utc>, at_text: &str) -> Result<Outcome> {
    let ack = ack.validate(doc_date(conn, d.document_id)?, now, at_text)?;
    if d.state != State::Acknowledged {
        require_sent(d)?;
        not_before_delivery(d, "at", at_text, ack.at)?;
    }
    refuse_already(acknowledge(conn, d, &ack)?)
}

/// Refuse a step a clerk records for a delivery whose message has not gone out yet (`queued`, `sending`).
fn require_sent(d: &Delivery) -> Result<()> {
    let state = d.state;
    if matches!(state, State::Queued | State::Sending) {
        return Err(AckError::NotSentYet {
            recipient: d.recipient_code.clone(),
            state,
            doc: format!("#{}", d.document_id),
        }
        .into());
    }
    Ok(())
}

/// Refuse a time earlier than the delivery's last step before it: received when recorded, else sent.
fn not_before_delivery(d: &Delivery, field: &str, text: &str, at: DateTime<Utc>) -> Result<()> {
    let steps = [("received", d.received_at.as_deref()), ("sent", d.sent_at.as_deref())];
    let Some((step, when)) = steps
        .into_iter()
        .find_map(|(step, t)| Some((step, DateTime::parse_from_rfc3339(t?).ok()?)))
    else {
        return Ok(());
    };
    if at < when {
        return Err(AckError::BeforeDelivery {
            field: field.to_string(),
            value: text.to_string(),
            shown: super::time::shown(&stored(at)),
            step,
            step_at: super::time::shown(&stored(when.with_timezone(&Utc))),
        }
        .into());
    }
    Ok(())
}

/// Refuse a second acknowledgement (clerk entry and CSV): it cannot be withdrawn or replaced.
pub fn refuse_already(o: Outcome) -> Result<Outcome> {
    match o {
        Outcome::Already {
            recipient,
            at,
            by,
            method,
            ..
        } => {
            let how = [method, by.map(|b| format!("by {b}"))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            Err(AckError::AlreadyAcknowledged { recipient, at, how }.into())
        }
        r => Ok(r),
    }
}

fn move_check(d: &Delivery, to: State) -> Result<State> {
    let from = d.state;
    if from == State::Acknowledged {
        let how = [d.ack_method.clone(), d.ack_by.clone().map(|b| format!("by {b}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        return Err(AckError::AlreadyAcknowledged {
            recipient: d.recipient_code.clone(),
            at: d.acknowledged_at.clone().unwrap_or_default(),
            how,
        }
        .into());
    }
    if !from.can_move_to(to) {
        return Err(AckError::Backwards {
            recipient: d.recipient_code.clone(),
            from,
            to,
        }
        .into());
    }
    Ok(from)
}

fn lost_race(d: &Delivery) -> crate::Error {
    crate::Error::LostRace {
        recipient: d.recipient_code.clone(),
    }
}

/// The recipient office registered our document: its kayıt no and the date on its stamp (our evidence of
/// receipt), recorded `now`. Refused for a delivery not sent yet, and for a date in the future or before the
/// document's date.
pub fn mark_received(
    conn: &Conn,
    d: &Delivery,
    now: DateTime<Utc>,
    kayit_no: Option<&str>,
    kayit_date: Option<NaiveDate>,
) -> Result<i64> {
    require_sent(d)?;
    let from = move_check(d, State::Received)?;
    let kayit_no = kayit_no.map(|k| clean_text("kayit-no", k, MAX_KAYIT_NO)).transpose()?;
    if let Some(date) = kayit_date {
        super::time::check_date("date", date, doc_date(conn, d.document_id)?, now)?;
    }
    let at = stored(now);
    let date = kayit_date.map(|x| x.format("%Y-%m-%d").to_string());
    if !receipts::record_received(conn, d.id, from.as_str(), &at, kayit_no.as_deref(), date.as_deref())? {
        return Err(lost_race(d));
    }
    let ev = events::append(
        conn,
        Some(d.document_id),
        Some(d.id),
        "delivery.received",
        &json!({"recipient": d.recipient_code, "from": from.as_str(), "at": at, "kayit_no": kayit_no, "kayit_date": date}),
    )?;
    Ok(ev.seq)
}

/// Exempt a recipient (on leave, transferred): a reason is required.
pub fn exempt(conn: &Conn, d: &Delivery, reason: &str) -> Result<i64> {
    let from = move_check(d, State::Exempt)?;
    let reason = clean_text("reason", reason, MAX_REASON)?;
    if !receipts::record_state(
        conn,
        d.id,
        from.as_str(),
        "exempt",
        &tamim_store::now_text(),
        Some(&reason),
        None,
    )? {
        return Err(lost_race(d));
    }
    let ev = events::append(
        conn,
        Some(d.document_id),
        Some(d.id),
        "delivery.exempt",
        &json!({"recipient": d.recipient_code, "from": from.as_str(), "reason": reason}),
    )?;
    Ok(ev.seq)
}

/// The one path to `sent` and `failed`, for a clerk's entry and the outbox alike: forward only (checked against
/// `d.state`), compare-and-set in the store, and its event on `chain`, in the caller's transaction. `Ok(None)`
/// when someone else moved the delivery after `d` was read: nothing is recorded.
fn move_to(
    conn: &Conn,
    chain: &mut events::Chain,
    d: &Delivery,
    to: State,
    reply: Option<&str>,
    channel: Option<&str>,
) -> Result<Option<i64>> {
    let from = move_check(d, to)?;
    let at = tamim_store::now_text();
    if !receipts::record_state(conn, d.id, from.as_str(), to.as_str(), &at, reply, channel)? {
        return Ok(None);
    }
    let (kind, detail) = match to {
        State::Sent => (
            "delivery.sent",
            json!({"recipient": d.recipient_code, "from": from.as_str(), "channel": channel, "reply": reply, "at": at}),
        ),
        _ => (
            "delivery.failed",
            json!({"recipient": d.recipient_code, "from": from.as_str(), "reply": reply}),
        ),
    };
    Ok(Some(
        chain
            .append(conn, &at, Some(d.document_id), Some(d.id), kind, &detail)?
            .seq,
    ))
}

/// The message went out on `channel` (the SMTP server's reply, the KEP evidence, or a clerk's note).
pub fn mark_sent(conn: &Conn, d: &Delivery, channel: &str, reply: Option<&str>) -> Result<i64> {
    move_to(
        conn,
        &mut events::Chain::load(conn)?,
        d,
        State::Sent,
        reply,
        Some(channel),
    )?
    .ok_or_else(|| lost_race(d))
}

/// The message could not be delivered (a bounce, a permanent SMTP error).
pub fn mark_failed(conn: &Conn, d: &Delivery, reply: &str) -> Result<i64> {
    move_check(d, State::Failed)?;
    let reply = clean_text("reply", reply, 1000)?;
    move_to(
        conn,
        &mut events::Chain::load(conn)?,
        d,
        State::Failed,
        Some(&reply),
        None,
    )?
    .ok_or_else(|| lost_race(d))
}

/// The outbox takes a delivery (`queued`, or `sending` left by an interrupted run) before its message goes
/// out: `sending`, with the message's id. No event: the result that follows is one. False when the delivery
/// is no longer waiting to be sent.
pub fn outbox_claim(conn: &Conn, d: &Delivery, message_id: &str, channel: Channel) -> Result<bool> {
    if !matches!(d.state, State::Queued | State::Sending) {
        return Ok(false);
    }
    Ok(deliveries::claim(conn, d.id, message_id, channel.as_str())?)
}

/// What became of a message the outbox claimed (`d.state` is `sending`): sent with the server's reply, failed
/// for good, or — a transient failure — given back to the queue, the only move back there, since the message
/// did not go out. Sent and failed take the same path as a clerk's entry. `Ok(None)` when someone else moved
/// the delivery meanwhile (an exemption, an acknowledgement through the link): their move stands.
pub fn outbox_result(
    conn: &Conn,
    chain: &mut events::Chain,
    d: &Delivery,
    channel: Channel,
    result: std::result::Result<&str, (bool, &str)>,
) -> Result<Option<i64>> {
    match result {
        Ok(reply) => move_to(conn, chain, d, State::Sent, Some(reply), Some(channel.as_str())),
        Err((true, reply)) => move_to(conn, chain, d, State::Failed, Some(reply), None),
        Err((false, reply)) => {
            let at = tamim_store::now_text();
            if d.state != State::Sending
                || !receipts::record_state(
                    conn,
                    d.id,
                    State::Sending.as_str(),
                    State::Queued.as_str(),
                    &at,
                    Some(reply),
                    None,
                )?
            {
                return Ok(None);
            }
            Ok(Some(
                chain
                    .append(
                        conn,
                        &at,
                        Some(d.document_id),
                        Some(d.id),
                        "delivery.deferred",
                        &json!({"recipient": d.recipient_code, "reply": reply}),
                    )?
                    .seq,
            ))
        }
    }
}

/// `tamim send --retry-failed`: a delivery that failed for good goes back to the queue to be sent again — the
/// one move back ([`State::can_requeue`]), taken only on that request, compare-and-set, with its event
/// (`delivery.requeued`, naming the reply it had failed with) on `chain`. `Ok(None)` when the delivery is not
/// failed (any more): nothing is recorded.
pub fn requeue_failed(conn: &Conn, chain: &mut events::Chain, d: &Delivery) -> Result<Option<i64>> {
    let from = d.state;
    let at = tamim_store::now_text();
    if !from.can_requeue()
        || !receipts::record_state(conn, d.id, from.as_str(), State::Queued.as_str(), &at, None, None)?
    {
        return Ok(None);
    }
    let detail = json!({"recipient": d.recipient_code, "from": from.as_str(), "reply": d.last_reply});
    Ok(Some(
        chain
            .append(conn, &at, Some(d.document_id), Some(d.id), "delivery.requeued", &detail)?
            .seq,
    ))
}

/// A recipient reports its own follow-on (its circular citing ours) by sayı and date, with how many it reached.
/// Its date is checked as an acknowledgement's (not in the future, not before our document). Reported again
/// with other counts it is updated; reported again as it stands it is refused, recording nothing.
pub fn report_followon(
    conn: &Conn,
    d: &Delivery,
    sayi: &str,
    tarih: NaiveDate,
    recipients: Option<i64>,
    acknowledged: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let sayi = clean_text("sayi", sayi, 80)?;
    super::time::check_date("tarih", tarih, doc_date(conn, d.document_id)?, now)?;
    if let (Some(r), Some(a)) = (recipients, acknowledged) {
        if a > r {
            return Err(AckError::Field {
                field: "acknowledged".into(),
                problem: format!("{a} is more than the {r} recipients"),
            }
            .into());
        }
    }
    let tarih_text = tarih.format("%Y-%m-%d").to_string();
    if let Some(old) = receipts::followon(conn, d.id, &sayi)? {
        if old.tarih == tarih_text && old.recipients == recipients && old.acknowledged == acknowledged {
            return Err(AckError::DuplicateFollowon {
                recipient: d.recipient_code.clone(),
                sayi,
                tarih: tamim_core::turkish::format_dotted(tarih),
                reported_at: super::time::shown(&old.reported_at),
            }
            .into());
        }
    }
    let r = receipts::FollowonReport {
        delivery_id: d.id,
        recipient_code: d.recipient_code.clone(),
        sayi: sayi.clone(),
        tarih: tarih_text,
        recipients,
        acknowledged,
        reported_at: stored(now),
    };
    receipts::insert_followon(conn, d.document_id, &r)?;
    let ev = events::append(
        conn,
        Some(d.document_id),
        Some(d.id),
        "delivery.followon-reported",
        &json!({"recipient": d.recipient_code, "sayi": sayi, "tarih": r.tarih, "recipients": recipients, "acknowledged": acknowledged}),
    )?;
    Ok(ev.seq)
}
