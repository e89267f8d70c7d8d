//! Sending an issued document: one message per recipient through a crash-safe outbox in SQLite. Each
//! delivery is marked `sending` before its message goes out and `sent` / `failed` / back to `queued` after,
//! so a run interrupted anywhere (even `kill -9`) is finished by running it again: nobody is skipped, and
//! only the messages in flight at the interruption are sent twice (with the same Message-ID) — at most one
//! per connection, since a connection claims its next delivery only when it is ready to send it, in the
//! commit that records its last result (`Outbox`). The driver is generic over a channel's
//! `tamim_channels::Transport` and its `Outgoing`; e-mail (the file outbox, SMTP) is the one channel sent today.

use serde::Serialize;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tamim_store::{Conn, Tx};

use crate::ack::remind::ReminderMessage;
use crate::error::{Error, Result};
use crate::registry::document::Document;
use crate::registry::Registry;
use tamim_channels::{self as mail, Attachment, MailKind, OutgoingMail, SendError, SmtpSettings};
use tamim_core::{state::State, turkish, Channel};
use tamim_store::{self as store, deliveries::Delivery};

/// How to send.
#[derive(Debug, Clone, Default)]
pub struct SendOptions {
    /// `file` or `smtp`; office.toml's `[mail] transport` when empty.
    pub transport: Option<String>,
    /// Overrides office.toml and `TAMIM_SMTP_URL`.
    pub smtp_url: Option<String>,
    pub dry_run: bool,
    /// Rounds of retry for transient failures (4xx, lost connection, timeout).
    pub max_attempts: u32,
    /// Seconds to wait before the second round; doubles each round.
    pub backoff_secs: f64,
    /// Put the deliveries that failed for good back in the queue first, so they are sent again.
    pub retry_failed: bool,
    /// Set (by a signal handler) to stop: no delivery is claimed any more, the messages in flight finish and
    /// are recorded, the run ends with [`Error::Interrupted`]; a re-run sends to everyone left.
    pub stop: Option<Arc<AtomicBool>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub recipient: String,
    pub name: String,
    pub email: Option<String>,
    pub reply: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub recipient: String,
    pub name: String,
    pub email: Option<String>,
    pub role: String,
    pub path: String,
    pub cascade: Option<String>,
    pub channel: String,
    /// What a run would do with it now: `send`, `send again` (failed, with --retry-failed), `skip: sent` (or
    /// whichever state it is in), `paper or KEP` (no e-mail address).
    pub action: String,
}

/// What a dry run says of the message itself.
#[derive(Debug, Clone, Serialize)]
pub struct MessagePlan {
    pub subject: String,
    /// `attached` or `linked` (the PDF over `[mail] attach_limit_bytes`).
    pub pdf: String,
    pub pdf_bytes: u64,
    /// Recipients a run would send to now.
    pub would_send: i64,
}

/// What a run did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SendSummary {
    pub document: i64,
    pub label: String,
    pub transport: String,
    pub recipients: i64,
    /// Sent in this run.
    pub sent: i64,
    /// Failed for good in this run (the server's reply is kept).
    pub failed: i64,
    /// Already sent (or further along, or exempt) before this run.
    pub skipped: i64,
    /// Failed for good in an earlier run and not sent again (`--retry-failed` sends to them): still failed.
    pub failed_earlier: i64,
    /// No e-mail address: to be reached on paper or by KEP.
    pub no_address: i64,
    /// Still waiting after a transient failure; run `send` again later.
    pub deferred: i64,
    /// Failed in an earlier run and put back in the queue by `--retry-failed` (then counted as sent, failed or
    /// deferred like the others).
    pub requeued: i64,
    /// Sent again because a previous run was interrupted with them in flight.
    pub resent_in_flight: i64,
    pub failures: Vec<Failure>,
    /// The recipients of `failed_earlier`, each with the reply it failed with.
    pub earlier_failures: Vec<Failure>,
    /// The deferred recipients, each with the server's reply to its last attempt.
    pub deferrals: Vec<Failure>,
    pub needs_other_channel: Vec<Planned>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<Planned>,
    /// A dry run's message: subject, the PDF attached or linked, how many it would go to now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessagePlan>,
    pub dry_run: bool,
}

/// The label a document goes by in subjects and e-mails: `Tamim 2021/243`.
pub fn document_label(d: &Document) -> String {
    d.kind
        .label(d.kind_no.as_deref(), d.sayi.as_deref())
        .unwrap_or_else(|| format!("Belge #{}", d.id))
}

/// The acknowledgement deadline: the document's own (GÜNLÜDÜR) or its date plus `[ack] deadline_days`.
pub fn ack_deadline(d: &Document, days: u32) -> chrono::NaiveDate {
    d.deadline
        .as_deref()
        .and_then(|x| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())
        .unwrap_or(d.tarih + chrono::Duration::days(days as i64))
}

/// A number from the environment, when set: `ok` says which values make sense, `what` says so in the error.
fn env_number<T: std::str::FromStr>(name: &str, ok: impl Fn(&T) -> bool, what: &str) -> Result<Option<T>> {
    match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<T>().ok().filter(|n| ok(n)) {
            Some(n) => Ok(Some(n)),
            None => Err(Error::invalid(name, format!("expected {what}, got {v:?}"))),
        },
    }
}

/// SMTP settings: office.toml, then the environment (`TAMIM_SMTP_URL`, `TAMIM_SMTP_USERNAME`,
/// `TAMIM_SMTP_PASSWORD` or `TAMIM_SMTP_PASSWORD_FILE`, `TAMIM_SMTP_CA_CERT`, `TAMIM_SMTP_TIMEOUT_SECS`,
/// `TAMIM_SMTP_POOL_SIZE`, `TAMIM_SMTP_RATE_PER_SEC`, `TAMIM_SMTP_PER_CONNECTION_LIMIT`), then the flag.
pub fn smtp_settings(reg: &Registry, flag_url: Option<&str>) -> Result<SmtpSettings> {
    let m = &reg.config.mail;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let url = flag_url
        .map(String::from)
        .or_else(|| env("TAMIM_SMTP_URL"))
        .or_else(|| m.smtp_url.clone())
        .ok_or_else(|| {
            Error::invalid(
                "--smtp",
                "no SMTP server: give --smtp URL, TAMIM_SMTP_URL, or [mail] smtp_url in office.toml",
            )
        })?;
    let password = match (
        env("TAMIM_SMTP_PASSWORD"),
        env("TAMIM_SMTP_PASSWORD_FILE").or_else(|| m.password_file.clone()),
    ) {
        (Some(p), _) => Some(mail::Secret::new(p)),
        (None, Some(f)) => {
            Some(mail::Secret::from_file(Path::new(&f)).map_err(|e| Error::invalid("password_file", e.to_string()))?)
        }
        (None, None) => None,
    };
    let helo = m
        .from_addr
        .as_deref()
        .and_then(|a| a.split('@').nth(1))
        .unwrap_or("localhost")
        .to_string();
    Ok(SmtpSettings {
        url,
        username: env("TAMIM_SMTP_USERNAME").or_else(|| m.username.clone()),
        password,
        ca_cert_pem: env("TAMIM_SMTP_CA_CERT")
            .or_else(|| m.ca_cert.clone())
            .map(PathBuf::from),
        timeout: std::time::Duration::from_secs(
            env_number(
                "TAMIM_SMTP_TIMEOUT_SECS",
                |n: &u64| (1..=3600).contains(n),
                "seconds from 1 to 3600",
            )?
            .unwrap_or(m.timeout_secs)
            .max(1),
        ),
        pool_size: env_number(
            "TAMIM_SMTP_POOL_SIZE",
            |n: &u32| (1..=64).contains(n),
            "a number of connections from 1 to 64",
        )?
        .unwrap_or(m.pool_size)
        .max(1) as usize,
        rate_per_sec: env_number(
            "TAMIM_SMTP_RATE_PER_SEC",
            |n: &f64| n.is_finite() && *n > 0.0,
            "messages per second above 0",
        )?
        .or(m.rate_per_sec),
        per_connection_limit: env_number(
            "TAMIM_SMTP_PER_CONNECTION_LIMIT",
            |n: &u32| *n >= 1,
            "messages per connection, 1 or more",
        )?
        .or(m.per_connection_limit),
        helo_name: helo,
    })
}

/// Everything needed to compose each recipient's message.
struct Composer {
    inner: mail::Composer,
    doc: Document,
    label: String,
    from_name: String,
    from_addr: String,
    domain: String,
    base_url: String,
    secret: Vec<u8>,
    deadline_text: String,
    attachment: Option<Attachment>,
    /// `DOC-SAYI`, the document's part of every Message-ID and of `X-Tamim-Document`.
    doc_key: String,
}

impl Composer {
    fn message_id(&self, recipient_code: &str, kind: MailKind, reminder: i64) -> String {
        let key = match kind {
            MailKind::Reminder => format!("{recipient_code}-r{reminder}"),
            MailKind::Staff => format!("{recipient_code}-s{reminder}"),
            MailKind::Circular => recipient_code.to_string(),
        };
        mail::message_id(&self.doc_key, &key, &self.domain)
    }

    /// The circular to one recipient, the PDF attached (or linked when it is over the limit).
    fn circular(&self, d: &Delivery) -> std::result::Result<OutgoingMail, String> {
        let token = super::token::token(&self.secret, self.doc.id, &d.recipient_code);
        // Too large to attach: the recipient's own link to the PDF (served by `tamim serve`).
        let attachment = match &self.attachment {
            Some(a) => serde_json::json!({"mode": "attached", "filename": a.filename}),
            None => serde_json::json!({"mode": "linked", "link": format!("{}/ack/{token}/pdf", self.base_url)}),
        };
        let ctx = serde_json::json!({
            "cascade_duty": d.cascade_text.as_deref().map(lower_first),
            "ack_deadline_text": self.deadline_text,
            "ack_link": format!("{}/ack/{token}", self.base_url),
            "attachment": attachment,
        });
        self.outgoing(
            MailKind::Circular,
            &d.recipient_code,
            0,
            (&d.name, d.email.as_deref().unwrap_or_default()),
            &d.role,
            ctx,
        )
    }

    /// A reminder: it links to the PDF instead of attaching it, and names the reminder's deadline and link;
    /// to a parent office or to the issuing office's staff it names the late recipient, and the staff's
    /// notice says why it came to them (`addressed_to`, `late_name`, `staff_because`).
    fn reminder(&self, r: &ReminderMessage) -> std::result::Result<OutgoingMail, String> {
        let ctx = serde_json::json!({
            "cascade_duty": serde_json::Value::Null,
            // As the circular says it: "20 Kasım 2021" (the report keeps the ISO date for scripts).
            "ack_deadline_text": chrono::NaiveDate::parse_from_str(&r.deadline, "%Y-%m-%d")
                .map_or_else(|_| r.deadline.clone(), turkish::format_long),
            "ack_link": r.link,
            "attachment": {"mode": "linked", "link": format!("{}/pdf", r.link)},
            "addressed_to": r.addressed_to,
            "late_name": r.recipient_name,
            "late_code": r.recipient,
            "late_state": r.recipient_state,
            "staff_because": r.staff_because,
        });
        let mut m = self.outgoing(
            MailKind::Reminder,
            &r.recipient,
            r.reminder,
            (&r.to_name, &r.address),
            &r.role,
            ctx,
        )?;
        if r.addressed_to == crate::ack::remind::AddressedTo::Staff {
            // An internal notice: its subject names the late recipient, not "a reminder to you".
            m.subject = format!(
                "İç bilgi: {} tebellüğ etmedi — {}",
                r.recipient_name,
                mail::subject(MailKind::Circular, &self.label, &self.doc.konu)
            );
        }
        Ok(m)
    }

    /// A staff member's personal link, sent on their office's behalf (`X adına`); the PDF is linked.
    fn staff(&self, m: &crate::roster::delegate::StaffMessage) -> std::result::Result<OutgoingMail, String> {
        let ctx = serde_json::json!({
            "office_name": m.office_name,
            "ack_link": m.link,
            "pdf_link": format!("{}/pdf", m.link),
            "reminder": m.reminder,
            "ack_deadline_text": self.deadline_text,
        });
        let key = format!("{}-{}", m.office, m.sicil);
        self.outgoing(MailKind::Staff, &key, m.reminder, (&m.name, &m.address), "gereği", ctx)
    }

    /// Renders `kind`'s templates into the message to `(name, address)` about `recipient_code`, in `role`:
    /// the document's fields plus `per_recipient` (cascade duty, deadline, link, attachment). Only the
    /// circular carries the attachment.
    fn outgoing(
        &self,
        kind: MailKind,
        recipient_code: &str,
        reminder: i64,
        (to_name, to_addr): (&str, &str),
        role: &str,
        per_recipient: serde_json::Value,
    ) -> std::result::Result<OutgoingMail, String> {
        let mut ctx = serde_json::json!({
            "recipient_name": to_name,
            "issuer_name": self.from_name,
            "document_label": self.label,
            "sayi": self.doc.sayi.clone().unwrap_or_default(),
            "date_text": turkish::format_long(self.doc.tarih),
            "konu": self.doc.konu,
            "role": if role == "bilgi" { "Bilgi" } else { "Gereği" },
        });
        if let (Some(ctx), serde_json::Value::Object(more)) = (ctx.as_object_mut(), per_recipient) {
            ctx.extend(more);
        }
        let (text, html) = self.inner.render(kind, &ctx).map_err(|e| e.to_string())?;
        Ok(OutgoingMail {
            message_id: self.message_id(recipient_code, kind, reminder),
            date: tamim_store::clock::now(),
            from_name: self.from_name.clone(),
            from_addr: self.from_addr.clone(),
            to_name: to_name.to_string(),
            to_addr: to_addr.to_string(),
            subject: mail::subject(kind, &self.label, &self.doc.konu),
            text,
            html,
            attachment: if kind == MailKind::Circular {
                self.attachment.clone()
            } else {
                None
            },
            headers: vec![
                ("X-Tamim-Document".into(), self.doc_key.clone()),
                ("X-Tamim-Recipient".into(), recipient_code.to_string()),
            ],
        })
    }
}

/// A cascade duty as it reads inside a sentence: its first letter in lower case, Turkish rules
/// ("İlçe Belediye Başkanlıklarına Duyurulacaktır" → "ilçe Belediye …").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut buf = [0u8; 4];
            turkish::lower(first.encode_utf8(&mut buf)) + chars.as_str()
        }
        None => String::new(),
    }
}

/// A message that could not be composed: that recipient's permanent failure, reported like any other.
fn build_error(message: String) -> SendError {
    SendError {
        kind: mail::FailureKind::Permanent,
        stage: mail::Stage::Build,
        code: None,
        message,
    }
}

/// `attach`: read the issued PDF to attach it (the circular); reminders only link to it.
fn composer(reg: &Registry, doc: Document, attach: bool) -> Result<Composer> {
    let set = crate::templates::load(&reg.home, crate::templates::Folder::Mail)?;
    let inner = mail::Composer::load(&set, &[MailKind::Circular, MailKind::Reminder, MailKind::Staff])
        .map_err(Error::MailTemplate)?;
    let m = &reg.config.mail;
    let from_addr = m
        .from_addr
        .clone()
        .or_else(|| reg.config.office.email.clone())
        .ok_or_else(|| Error::Config("[mail] from_addr (or [office] email) is needed to send e-mail".into()))?;
    let domain = from_addr.split('@').nth(1).unwrap_or("localhost").to_string();
    let pdf = match (&doc.file, attach) {
        (Some(sha), true) => reg.read_file(sha)?,
        (None, true) => {
            return Err(Error::invalid(
                "DOC",
                format!("document #{} has no issued file", doc.id),
            ))
        }
        (_, false) => Vec::new(),
    };
    let base_url = reg.config.office.base_url.trim_end_matches('/').to_string();
    let attachment = if attach && pdf.len() as u64 <= m.attach_limit_bytes {
        let name = format!("{}.pdf", document_label(&doc).replace(['/', ' '], "-"));
        Some(Attachment::new(
            name,
            "application/pdf",
            Arc::from(pdf.into_boxed_slice()),
        ))
    } else {
        None
    };
    Ok(Composer {
        inner,
        label: document_label(&doc),
        from_name: m.from_name.clone().unwrap_or_else(|| reg.config.office.name.clone()),
        from_addr,
        domain,
        base_url,
        secret: super::token::secret(&reg.home)?,
        deadline_text: turkish::format_long(ack_deadline(&doc, reg.config.ack.deadline_days)),
        attachment,
        doc_key: format!("{}-{}", doc.id, doc.sayi.clone().unwrap_or_default()),
        doc,
    })
}

/// What a run would do with a delivery in `state` now.
fn action(state: State, retry_failed: bool) -> String {
    match state {
        State::Queued | State::Sending => "send".into(),
        State::Failed if retry_failed => "send again".into(),
        State::Failed => "skip: failed (--retry-failed)".into(),
        State::NoAddress => "paper or KEP".into(),
        other => format!("skip: {other}"),
    }
}

/// What the plan says of a delivery, owned or borrowed from its row.
fn planned<S: AsRef<str>>(d: &Delivery<S>, retry_failed: bool) -> Planned {
    let own = |s: &S| s.as_ref().to_string();
    Planned {
        action: action(d.state, retry_failed),
        recipient: own(&d.recipient_code),
        name: own(&d.name),
        email: d.email.as_ref().map(own),
        role: own(&d.role),
        path: own(&d.path),
        cascade: d.cascade_text.as_ref().map(own),
        channel: d.channel.as_ref().map(own).unwrap_or_default(),
    }
}

/// The document to send, if it can be sent, and the transport's name.
fn sendable(reg: &Registry, doc_id: i64, opts: &SendOptions) -> Result<(Document, String)> {
    let doc = store::documents::get(&reg.store.conn, doc_id)?;
    if doc.direction != "outgoing" || doc.state != "issued" {
        return Err(Error::invalid(
            "DOC",
            format!(
                "document #{doc_id} ({}) is not issued by this office; issue a draft first (`tamim issue`)",
                doc.label()
            ),
        ));
    }
    Ok((doc, transport_name(reg, opts)?))
}

/// The transport to send through: `--transport`, else `smtp` when an SMTP server is given, else
/// `TAMIM_MAIL_TRANSPORT`, else office.toml's `[mail] transport`. A server given with `--transport file` is refused: the file outbox would silently
/// ignore it.
pub fn transport_name(reg: &Registry, opts: &SendOptions) -> Result<String> {
    let (name, from) = match (&opts.transport, &opts.smtp_url) {
        (Some(t), Some(url)) if t == "file" => {
            let url = mail::redacted_url(url);
            return Err(Error::invalid("--smtp", format!("{url} was given with --transport file, which writes .eml files and sends nothing to a server; drop --transport file to send through {url}, or drop --smtp to write the outbox")));
        }
        (Some(t), _) => (t.clone(), "--transport"),
        (None, Some(_)) => ("smtp".into(), "--smtp"),
        (None, None) => match std::env::var("TAMIM_MAIL_TRANSPORT").ok().filter(|v| !v.is_empty()) {
            Some(t) => (t, "TAMIM_MAIL_TRANSPORT"),
            None => (reg.config.mail.transport.clone(), "[mail] transport"),
        },
    };
    if name != "file" && name != "smtp" {
        return Err(Error::invalid(
            from,
            format!("{name:?} is not a transport; use file or smtp"),
        ));
    }
    check_overrides(opts)?;
    Ok(name)
}

/// Every mail setting given in the environment or by a flag, checked whatever the transport (a value that
/// makes no sense is refused by its name even when the file outbox would not use it).
fn check_overrides(opts: &SendOptions) -> Result<()> {
    env_number(
        "TAMIM_SMTP_TIMEOUT_SECS",
        |n: &u64| (1..=3600).contains(n),
        "seconds from 1 to 3600",
    )?;
    env_number(
        "TAMIM_SMTP_POOL_SIZE",
        |n: &u32| (1..=64).contains(n),
        "a number of connections from 1 to 64",
    )?;
    env_number(
        "TAMIM_SMTP_RATE_PER_SEC",
        |n: &f64| n.is_finite() && *n > 0.0,
        "messages per second above 0",
    )?;
    env_number(
        "TAMIM_SMTP_PER_CONNECTION_LIMIT",
        |n: &u32| *n >= 1,
        "messages per connection, 1 or more",
    )?;
    let endpoint = |field: &str, url: &str| {
        SmtpSettings {
            url: url.to_string(),
            ..Default::default()
        }
        .endpoint()
        .map(|_| ())
        .map_err(|e| Error::invalid(field, e.to_string()))
    };
    if let Some(u) = std::env::var("TAMIM_SMTP_URL").ok().filter(|v| !v.is_empty()) {
        endpoint("TAMIM_SMTP_URL", &u)?;
    }
    if let Some(u) = &opts.smtp_url {
        endpoint("--smtp", u)?;
    }
    for var in ["TAMIM_SMTP_CA_CERT", "TAMIM_SMTP_PASSWORD_FILE"] {
        if let Some(f) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
            if !Path::new(&f).is_file() {
                return Err(Error::invalid(var, format!("{f} is not a file")));
            }
        }
    }
    Ok(())
}

/// A dry run under way: the distribution expanded as `send` would expand it, inside a transaction that is
/// rolled back when this is dropped (a dry run writes nothing). Its recipients are read through a cursor
/// each time they are walked, so a million of them are never held at once.
pub struct DryRun<'r> {
    tx: Tx<'r>,
    doc: i64,
    retry_failed: bool,
    /// The counts (recipients, no address) and those to reach on paper or by KEP; `plan` is left empty.
    pub summary: SendSummary,
}

impl DryRun<'_> {
    /// Every recipient, in the order they would be sent to.
    pub fn for_each(&self, mut f: impl FnMut(&Planned) -> Result<()>) -> Result<()> {
        store::deliveries::for_each_of(&self.tx, self.doc, |d| f(&planned(d, self.retry_failed)))
    }
}

/// Start a dry run of sending `doc_id`: the same checks as [`send`], the distribution expanded, nothing kept.
pub fn dry_run<'r>(reg: &'r Registry, doc_id: i64, opts: &SendOptions) -> Result<DryRun<'r>> {
    let (doc, transport) = sendable(reg, doc_id, opts)?;
    let secret = super::token::secret(&reg.home)?;
    let tx = reg.store.conn.trial()?;
    super::freeze::freeze(&tx, &secret, doc_id)?;
    let needs_other_channel: Vec<Planned> = store::deliveries::in_states(&tx, doc_id, &[State::NoAddress])?
        .iter()
        .map(|d| planned(d, opts.retry_failed))
        .collect();
    let counts = store::deliveries::counts(&tx, doc_id)?;
    let recipients = counts.iter().map(|(_, n)| n).sum();
    let would_send = counts
        .iter()
        .filter(|(s, _)| action(*s, opts.retry_failed).starts_with("send"))
        .map(|(_, n)| n)
        .sum();
    let pdf_bytes = match &doc.file {
        Some(sha) => match store::files::get(&reg.store.conn, sha)? {
            Some(f) => f.size as u64,
            None => reg.read_file(sha)?.len() as u64,
        },
        None => 0,
    };
    let message = MessagePlan {
        subject: mail::subject(MailKind::Circular, &document_label(&doc), &doc.konu),
        pdf: if pdf_bytes <= reg.config.mail.attach_limit_bytes {
            "attached"
        } else {
            "linked"
        }
        .into(),
        pdf_bytes,
        would_send,
    };
    let summary = SendSummary {
        message: Some(message),
        document: doc_id,
        label: document_label(&doc),
        transport,
        dry_run: true,
        recipients,
        no_address: needs_other_channel.len() as i64,
        needs_other_channel,
        ..Default::default()
    };
    Ok(DryRun {
        tx,
        doc: doc_id,
        retry_failed: opts.retry_failed,
        summary,
    })
}

/// Send document `doc_id`. `progress(done, total)` is called as messages complete. With `opts.dry_run`,
/// send nothing and list every recipient in the summary's `plan` ([`dry_run`] walks them without holding them).
pub fn send(
    reg: &mut Registry,
    doc_id: i64,
    output: &Path,
    opts: &SendOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SendSummary> {
    if opts.dry_run {
        let run = dry_run(reg, doc_id, opts)?;
        let mut plan = Vec::new();
        run.for_each(|p| {
            plan.push(p.clone());
            Ok(())
        })?;
        return Ok(SendSummary {
            plan,
            ..run.summary.clone()
        });
    }
    let (doc, transport_name) = sendable(reg, doc_id, opts)?;
    let secret = super::token::secret(&reg.home)?;
    let mut summary = SendSummary {
        document: doc_id,
        label: document_label(&doc),
        transport: transport_name.clone(),
        dry_run: false,
        ..Default::default()
    };
    let smtp = if transport_name == "smtp" {
        Some(smtp_settings(reg, opts.smtp_url.as_deref())?)
    } else {
        None
    };
    let c = composer(reg, doc.clone(), true)?;
    // Every setting is checked (the SMTP URL, its TLS trust) before the deliveries are frozen.
    let mut pool = match &smtp {
        Some(s) => Some(mail::SmtpPool::new(s.clone()).map_err(|e| Error::invalid("--smtp", e.to_string()))?),
        None => None,
    };
    reg.store.write(|tx| super::freeze::freeze(tx, &secret, doc_id))?;
    if opts.retry_failed {
        summary.requeued = reg.store.write(|tx| requeue_failed(tx, doc_id))?;
    }
    // Counted, not loaded: the pending deliveries are paged through below.
    let count = |states: &[State], counts: &[(State, i64)]| {
        counts
            .iter()
            .filter(|(s, _)| states.contains(s))
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    let counts = store::deliveries::counts(&reg.store.conn, doc_id)?;
    summary.recipients = counts.iter().map(|(_, n)| n).sum();
    summary.needs_other_channel = store::deliveries::in_states(&reg.store.conn, doc_id, &[State::NoAddress])?
        .iter()
        .map(|d| planned(d, false))
        .collect();
    summary.no_address = summary.needs_other_channel.len() as i64;
    summary.skipped = count(
        &[State::Sent, State::Received, State::Acknowledged, State::Exempt],
        &counts,
    );
    summary.earlier_failures = store::deliveries::in_states(&reg.store.conn, doc_id, &[State::Failed])?
        .into_iter()
        .map(|d| Failure {
            recipient: d.recipient_code,
            name: d.name,
            email: d.email,
            reply: d.last_reply.unwrap_or_default(),
        })
        .collect();
    summary.failed_earlier = summary.earlier_failures.len() as i64;
    summary.resent_in_flight = count(&[State::Sending], &counts);
    let total = count(&[State::Queued, State::Sending], &counts) as u64;
    tracing::info!(document = doc_id, transport = %transport_name, recipients = summary.recipients, to_send = total, "sending");
    progress(0, total);

    let outbox = output.join("outbox");
    let mut file_transports: Vec<mail::FileTransport> = (0..2).map(|_| mail::FileTransport::new(&outbox)).collect();
    let mut run = Outbox {
        doc_id,
        o: &c,
        channel: Channel::Email,
        after: 0,
        exhausted: false,
        deferred: Vec::new(),
        done: 0,
        total,
        error: None,
        server_error: None,
        stop: opts.stop.clone(),
    };
    let attempts = opts.max_attempts.max(1);
    // Checkpoints run on a thread of their own while sending, not inside the commit that records results and
    // claims the next deliveries: a checkpoint fsyncs, and on a journalling file system that fsync can wait
    // for every outbox file written so far (ext4 data=ordered: 0.2–0.7 s), with the sending threads idle.
    let checkpoints = reg.store.checkpoint_off_thread()?;
    // The claims and results are many small commits; a lost one after a power loss means a re-send only.
    reg.store.relaxed_commits()?;
    let result = (|| {
        for round in 0..attempts {
            if run.stopped() {
                break;
            }
            if round > 0 {
                std::thread::sleep(std::time::Duration::from_secs_f64(
                    opts.backoff_secs * f64::from(1u32 << (round - 1).min(6)),
                ));
            }
            (run.after, run.exhausted) = (0, false);
            run.deferred.clear();
            match pool.as_mut() {
                Some(p) => run.round(reg, p.transports_mut(), &mut summary, progress),
                None => run.round(reg, &mut file_transports, &mut summary, progress),
            }
            if let Some(e) = run.error.take() {
                return Err(e);
            }
            if run.stopped() {
                // Claimed and not sent (none, when the transports finished their messages): back to the queue.
                let released = reg.store.write(|tx| store::deliveries::release_claims(tx, doc_id))?;
                tracing::info!(sent = summary.sent, released, "send stopped by a signal");
                return Err(Error::Interrupted { sent: summary.sent });
            }
            if let Some(e) = run.server_error.take() {
                // Nothing that did not go out is marked sent: the unsent claims go back to the queue.
                reg.store.write(|tx| store::deliveries::release_claims(tx, doc_id))?;
                let when = match e.stage {
                    mail::Stage::MailFrom => "when the server accepts mail from this sender (check [mail] from_addr and the server's relay rules)",
                    _ => "when the server is reachable",
                };
                return Err(Error::SendingStopped {
                    source: e,
                    sent: summary.sent,
                    when,
                });
            }
            summary.deferred = run.deferred.len() as i64;
            summary.deferrals = std::mem::take(&mut run.deferred);
            if summary.deferred == 0 {
                break;
            }
        }
        Ok(())
    })();
    checkpoints.stop(&reg.store)?;
    reg.store.strict_commits()?;
    tracing::info!(
        document = doc_id,
        sent = summary.sent,
        failed = summary.failed,
        deferred = summary.deferred,
        "sending done"
    );
    result.map(|()| summary)
}

/// `--retry-failed`: every delivery of `doc_id` that failed for good goes back to the queue, each with its
/// event, paged through in one transaction. How many went back.
fn requeue_failed(tx: &Conn, doc_id: i64) -> Result<i64> {
    let mut chain = store::events::Chain::load(tx)?;
    let (mut after, mut requeued) = (0, 0);
    loop {
        let page = store::deliveries::failed_page(tx, doc_id, after, CLAIM)?;
        let Some(last) = page.last() else { return Ok(requeued) };
        after = last.id;
        for d in &page {
            if crate::ack::record::requeue_failed(tx, &mut chain, d)?.is_some() {
                requeued += 1;
            }
        }
    }
}

/// Deliveries read per page when `--retry-failed` puts the failed back in the queue.
const CLAIM: usize = 50;

/// What the outbox needs of a channel besides its transports: the Message-ID a claim records, and each
/// delivery's message built once (on a sending thread) as that channel's [`mail::Transport`]s take it. A new
/// channel is one of these, its transport, and its settings.
trait Outgoing: Sync {
    type Message;
    fn claim_id(&self, d: &Delivery) -> String;
    fn build(&self, d: &Delivery) -> std::result::Result<Self::Message, SendError>;
}

/// E-mail: the circular composed from the templates and built into its bytes and envelope.
impl Outgoing for Composer {
    type Message = mail::BuiltMail;

    fn claim_id(&self, d: &Delivery) -> String {
        self.message_id(&d.recipient_code, MailKind::Circular, 0)
    }

    fn build(&self, d: &Delivery) -> std::result::Result<mail::BuiltMail, SendError> {
        let m = self.circular(d).map_err(build_error)?;
        mail::BuiltMail::new(&m).map_err(mail::build_failure)
    }
}

/// One delivery claimed (`sending`, committed), built and sent on a sending thread.
struct Claimed<'a, O> {
    o: &'a O,
    d: Delivery,
}

impl<O: Outgoing> mail::Job for Claimed<'_, O>
where
    O::Message: Send,
{
    type Message = O::Message;
    fn build(&self) -> std::result::Result<O::Message, SendError> {
        self.o.build(&self.d)
    }
}

/// The outbox driver's state on the recording thread. Each connection asks for its next delivery only when it
/// is ready to send it, bringing the result of its last one ([`mail::send_on_demand`]); the requests waiting
/// at that moment are served in one transaction that records their results and claims one delivery for each.
/// So a connection never sends before its previous result is committed, and after a crash (even `kill -9`)
/// at most one message per connection went out with its result unrecorded: a re-run sends again at most as
/// many messages as there are connections.
struct Outbox<'a, O> {
    doc_id: i64,
    o: &'a O,
    channel: Channel,
    /// Keyset paging: the highest delivery id claimed in this round.
    after: i64,
    exhausted: bool,
    /// Deferred in this round, with the server's reply.
    deferred: Vec<Failure>,
    done: u64,
    total: u64,
    error: Option<Error>,
    server_error: Option<SendError>,
    /// [`SendOptions::stop`].
    stop: Option<Arc<AtomicBool>>,
}

type Reported = (Delivery, std::result::Result<String, SendError>);

impl<'a, O: Outgoing> Outbox<'a, O>
where
    O::Message: Send,
{
    /// Whether a signal asked the run to stop.
    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// One pass over the pending deliveries of this channel, in id order.
    fn round<T: mail::Transport<Message = O::Message>>(
        &mut self,
        reg: &mut Registry,
        transports: &mut [T],
        summary: &mut SendSummary,
        progress: &mut dyn FnMut(u64, u64),
    ) {
        mail::send_on_demand(transports, |batch: &mut Vec<mail::Request<Claimed<'a, O>>>| {
            let mut results = Vec::with_capacity(batch.len());
            for r in batch.iter_mut() {
                match r.done.take() {
                    // Not this recipient's doing: the run stops; the delivery stays claimed and goes back to the
                    // queue with the others left (`release_claims`).
                    Some((_, Err(e))) if e.is_server_level() => {
                        self.server_error.get_or_insert(e);
                    }
                    Some((job, r)) => results.push((job.d, r.map(|x| x.reply))),
                    None => {}
                }
            }
            let stop = self.exhausted || self.error.is_some() || self.server_error.is_some() || self.stopped();
            let want = if stop { 0 } else { batch.len() };
            let claimed = self.record_and_claim(reg, summary, results, want).unwrap_or_else(|e| {
                self.error.get_or_insert(e);
                Vec::new()
            });
            progress(self.done, self.total);
            let o = self.o;
            let mut claimed = claimed.into_iter();
            batch.iter().map(|_| claimed.next().map(|d| Claimed { o, d })).collect()
        });
    }

    /// In one transaction: record `results` (each result's state and event; the chain's end read once), then
    /// mark the next `want` deliveries `sending` — committed before any of them is sent — and return them.
    fn record_and_claim(
        &mut self,
        reg: &mut Registry,
        summary: &mut SendSummary,
        results: Vec<Reported>,
        want: usize,
    ) -> Result<Vec<Delivery>> {
        if results.is_empty() && want == 0 {
            return Ok(Vec::new());
        }
        let (o, channel, doc_id) = (self.o, self.channel, self.doc_id);
        let (after, exhausted) = (&mut self.after, &mut self.exhausted);
        let claimed = reg.store.write(|tx| {
            if !results.is_empty() {
                let mut chain = store::events::Chain::load(tx)?;
                for (d, r) in &results {
                    let r = r
                        .as_ref()
                        .map(String::as_str)
                        .map_err(|e| (e.kind == mail::FailureKind::Permanent, e.message.as_str()));
                    crate::ack::record::outbox_result(tx, &mut chain, d, channel, r)?;
                }
            }
            let mut claimed = Vec::with_capacity(want);
            while claimed.len() < want {
                let page = store::deliveries::pending_page(tx, doc_id, channel.as_str(), *after, want - claimed.len())?;
                if page.is_empty() {
                    *exhausted = true;
                    break;
                }
                for mut d in page {
                    *after = d.id;
                    if crate::ack::record::outbox_claim(tx, &d, &o.claim_id(&d), channel)? {
                        d.state = State::Sending;
                        claimed.push(d);
                    }
                }
            }
            Ok::<_, Error>(claimed)
        })?;
        for (d, r) in results {
            tracing::debug!(recipient = %d.recipient_code, sent = r.is_ok(), "result recorded");
            let failure = |e: SendError| Failure {
                recipient: d.recipient_code,
                name: d.name,
                email: d.email,
                reply: e.message,
            };
            match r {
                Ok(_) => summary.sent += 1,
                Err(e) if e.kind == mail::FailureKind::Permanent => {
                    summary.failed += 1;
                    summary.failures.push(failure(e));
                }
                Err(e) => self.deferred.push(failure(e)),
            }
            self.done += 1;
        }
        Ok(claimed)
    }
}

/// What sending the reminders did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ReminderSummary {
    pub sent: i64,
    pub failed: Vec<Failure>,
    pub transport: String,
}

/// Send the reminders `tamim remind` recorded (to the recipient, or escalated to its parent org) through the
/// same transports as the circular; each message sent or failed is an event. Streamed like the circular: each
/// reminder is composed on a sending thread as it goes out, so only the messages in flight are held.
/// Whether the SMTP server `opts` (or office.toml) names can be reached and logged in to; nothing to check
/// for the file outbox. `remind` asks before it records any reminder, so a server that is down does not
/// count reminders that never went out.
pub fn check_server(reg: &Registry, opts: &SendOptions) -> Result<()> {
    if transport_name(reg, opts)? != "smtp" {
        return Ok(());
    }
    let settings = smtp_settings(reg, opts.smtp_url.as_deref())?;
    let mut t = mail::SmtpTransport::new(settings).map_err(|e| Error::invalid("--smtp", e.to_string()))?;
    let checked = t.check();
    t.close();
    checked.map_err(|e| Error::RemindersNotSent { source: e })
}

pub fn send_reminders(
    reg: &mut Registry,
    doc_id: i64,
    reminders: &[ReminderMessage],
    output: &Path,
    opts: &SendOptions,
) -> Result<ReminderSummary> {
    let doc = store::documents::get(&reg.store.conn, doc_id)?;
    let transport_name = transport_name(reg, opts)?;
    let mut summary = ReminderSummary {
        transport: transport_name.clone(),
        ..Default::default()
    };
    if reminders.is_empty() || opts.dry_run {
        return Ok(summary);
    }
    let c = composer(reg, doc, false)?;
    let jobs = reminders.iter().map(|r| ReminderJob { c: &c, r });
    // By position in `reminders` (send_jobs numbers the jobs in order).
    let mut results: Vec<(usize, std::result::Result<String, SendError>)> = Vec::with_capacity(reminders.len());
    let mut on_result = |i: usize, _: ReminderJob, r: std::result::Result<mail::Delivered, SendError>| {
        results.push((i, r.map(|d| d.reply)));
        ControlFlow::Continue(())
    };
    if transport_name == "smtp" {
        let settings = smtp_settings(reg, opts.smtp_url.as_deref())?;
        let mut pool = mail::SmtpPool::new(settings).map_err(|e| Error::invalid("--smtp", e.to_string()))?;
        let window = 2 * pool.size();
        mail::send_jobs(pool.transports_mut(), window, jobs, &mut on_result);
    } else {
        let mut t: Vec<mail::FileTransport> = (0..2)
            .map(|_| mail::FileTransport::new(output.join("outbox")))
            .collect();
        mail::send_jobs(&mut t, 4, jobs, &mut on_result);
    }
    // Only what went out is recorded as a reminder (its counter and `delivery.reminded`); a failure is recorded
    // as such (`reminder.failed`), the delivery not counted as reminded.
    let now = tamim_store::clock::now();
    reg.store.write(|tx| {
        for (i, res) in &results {
            let r = &reminders[*i];
            let (kind, detail) = match res {
                Ok(reply) => {
                    crate::ack::remind::record_sent(tx, r, now)?;
                    ("reminder.sent", serde_json::json!({"recipient": r.recipient, "to": r.to, "reminder": r.reminder, "escalated": r.escalated, "reply": reply}))
                }
                Err(e) => ("reminder.failed", serde_json::json!({"recipient": r.recipient, "to": r.to, "reminder": r.reminder, "reply": e.message})),
            };
            store::events::append(tx, Some(doc_id), Some(r.delivery), kind, &detail)?;
        }
        Ok::<_, Error>(())
    })?;
    for (i, res) in results {
        let r = &reminders[i];
        match res {
            Ok(_) => summary.sent += 1,
            Err(e) => summary.failed.push(Failure {
                recipient: r.recipient.clone(),
                name: r.to_name.clone(),
                email: Some(r.address.clone()),
                reply: e.message,
            }),
        }
    }
    Ok(summary)
}

/// One reminder, composed and sent on a sending thread.
struct ReminderJob<'a> {
    c: &'a Composer,
    r: &'a ReminderMessage,
}

impl mail::Job for ReminderJob<'_> {
    type Message = mail::BuiltMail;
    fn build(&self) -> std::result::Result<mail::BuiltMail, SendError> {
        let m = self.c.reminder(self.r).map_err(build_error)?;
        mail::BuiltMail::new(&m).map_err(mail::build_failure)
    }
}

/// Send each staff member's personal link (`roster::delegate` records what went out) through the same
/// transports as the circular; returns each message's result by position in `messages` (the server's reply,
/// or why it failed).
pub fn send_staff_links(
    reg: &Registry,
    doc_id: i64,
    messages: &[crate::roster::delegate::StaffMessage],
    output: &Path,
) -> Result<Vec<std::result::Result<String, String>>> {
    let mut out: Vec<std::result::Result<String, String>> = vec![Err(String::new()); messages.len()];
    if messages.is_empty() {
        return Ok(out);
    }
    let doc = store::documents::get(&reg.store.conn, doc_id)?;
    let opts = SendOptions::default();
    let transport_name = transport_name(reg, &opts)?;
    let c = composer(reg, doc, false)?;
    let jobs = messages.iter().map(|m| StaffJob { c: &c, m });
    let mut on_result = |i: usize, _: StaffJob, r: std::result::Result<mail::Delivered, SendError>| {
        out[i] = r.map(|d| d.reply).map_err(|e| e.message);
        ControlFlow::Continue(())
    };
    if transport_name == "smtp" {
        let settings = smtp_settings(reg, None)?;
        let mut pool = mail::SmtpPool::new(settings).map_err(|e| Error::invalid("--smtp", e.to_string()))?;
        let window = 2 * pool.size();
        mail::send_jobs(pool.transports_mut(), window, jobs, &mut on_result);
    } else {
        let mut t = vec![mail::FileTransport::new(output.join("outbox"))];
        mail::send_jobs(&mut t, 2, jobs, &mut on_result);
    }
    Ok(out)
}

/// One staff member's message, composed and sent on a sending thread.
struct StaffJob<'a> {
    c: &'a Composer,
    m: &'a crate::roster::delegate::StaffMessage,
}

impl mail::Job for StaffJob<'_> {
    type Message = mail::BuiltMail;
    fn build(&self) -> std::result::Result<mail::BuiltMail, SendError> {
        let m = self.c.staff(self.m).map_err(build_error)?;
        mail::BuiltMail::new(&m).map_err(mail::build_failure)
    }
}
