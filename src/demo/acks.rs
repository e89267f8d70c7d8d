//! The demo's last act: what happens after Tamim 2021/243 goes out — chambers acknowledging by link, one by
//! its signed paper sheet, one bounce, the late ones reminded — and the auditor's summary. It happens in
//! 2021, on the demo's own clock ([`tamim_store::clock::Fixed`]): the tamim dated 05.11.2021 is sent that
//! morning ([`sent_at`]), acknowledged over the following days before its deadline (20.11.2021), the late
//! reminded on 22.11.2021, and the summary is as of 25.11.2021 ([`AS_OF`]).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use std::path::Path;

use tamim_app::ack::{self, Ack, Method};
use tamim_app::distribution::send::{self, ReminderSummary, SendOptions};
use tamim_app::error::Result;
use tamim_app::registry::Registry;
use tamim_store as store;
use tamim_store::clock::Fixed;

/// A time in November 2021, Türkiye time.
fn november(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    ack::time::turkey()
        .with_ymd_and_hms(2021, 11, day, hour, minute, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// When Tamim 2021/243 is sent: the morning of its date, 05.11.2021 10:30.
pub fn sent_at() -> DateTime<Utc> {
    november(5, 10, 30)
}

/// When the chambers' staff acknowledgements are recorded: 18.11.2021 14:00.
pub fn staff_at() -> DateTime<Utc> {
    november(18, 14, 0)
}

/// The day the link acknowledgements come in (chamber `i`, in the order sent), at a time in office hours.
fn link_at(i: usize) -> DateTime<Utc> {
    const AT: [(u32, u32, u32); 10] = [
        (5, 11, 12),
        (5, 15, 40),
        (8, 9, 25),
        (8, 14, 3),
        (9, 10, 48),
        (10, 11, 30),
        (11, 16, 15),
        (12, 9, 55),
        (15, 13, 20),
        (16, 10, 5),
    ];
    let (day, hour, minute) = AT[i.min(AT.len() - 1)];
    november(day, hour, minute)
}

/// What happens to a delivery after the send.
#[derive(Debug, Clone, Copy)]
enum Step {
    Link,
    Received,
    Paper,
    Bounce,
}

/// The day the demo's story is told up to: the summary's date, five days after the deadline.
pub const AS_OF: (u32, u32, u32) = (25, 17, 0);

#[derive(Debug, Serialize)]
pub struct AfterSending {
    pub acknowledged_by_link: Vec<String>,
    pub acknowledged_on_paper: Option<String>,
    pub received: Option<String>,
    pub bounced: Option<String>,
    pub reminded: ReminderSummary,
    /// `tamim status` as of the demo's last day (25.11.2021): the late list counts days to it.
    pub status: ack::status::Status,
    /// `tamim audit`'s text summary.
    pub audit: String,
    pub log_head: String,
}

pub fn run(reg: &mut Registry, doc: i64, output: &Path, smtp: Option<&str>) -> Result<AfterSending> {
    let sent = store::deliveries::in_states(&reg.store.conn, doc, &[tamim_core::state::State::Sent])?;
    let codes: Vec<String> = sent.iter().map(|d| d.recipient_code.clone()).collect();
    let staff = store::people::all(&reg.store.conn, None)?;
    let mut by_link = Vec::new();
    let mut paper = None;
    let mut bounced = None;
    let mut received = None;
    // Each step on the demo's clock at its own time after the send, in the order of those times: everything it
    // records (the delivery's times, the event log) is dated then, and the log reads in time order.
    let mut steps: Vec<(DateTime<Utc>, usize, Step)> = Vec::new();
    for (i, _) in codes.iter().enumerate() {
        match i {
            // Most chambers open their link.
            0..=9 => steps.push((link_at(i), i, Step::Link)),
            // One registers our tamim in its own register first (09.11.2021), then signs the paper sheet,
            // entered by a clerk on 17.11.2021.
            10 => {
                steps.push((november(9, 9, 45), i, Step::Received));
                steps.push((november(17, 14, 20), i, Step::Paper));
            }
            // One address bounces back, minutes after the send.
            11 => steps.push((sent_at() + chrono::Duration::minutes(4), i, Step::Bounce)),
            _ => {}
        }
    }
    steps.sort_by_key(|(at, i, _)| (*at, *i));
    for (at, i, step) in steps {
        let code = &codes[i];
        let who = staff.iter().find(|p| &p.org == code).map(|p| p.name.clone());
        let _clock = Fixed::at(at);
        reg.store.write(|tx| {
            let d = ack::find_delivery(tx, doc, "Tamim 2021/243", code)?;
            match step {
                Step::Link => {
                    let a = Ack {
                        method: Method::Link,
                        by: who,
                        at,
                        kayit_no: None,
                        evidence: Some("127.0.0.1 (demo)".into()),
                    };
                    ack::acknowledge(tx, &d, &a)?;
                    by_link.push(code.clone());
                }
                Step::Received => {
                    let day = at.with_timezone(&ack::time::turkey()).date_naive();
                    ack::mark_received(tx, &d, at, Some("1187"), Some(day))?;
                    received = Some(code.clone());
                }
                Step::Paper => {
                    let a = Ack {
                        method: Method::Paper,
                        by: who,
                        at,
                        kayit_no: Some("1187".into()),
                        evidence: Some("imzalı tebliğ-tebellüğ listesi".into()),
                    };
                    ack::record::acknowledge_by_clerk(tx, &d, a, at, &ack::time::stored(at))?;
                    paper = Some(code.clone());
                }
                Step::Bounce => {
                    ack::mark_failed(
                        tx,
                        &d,
                        "550 5.1.1 <posta kutusu bulunamadı>: Recipient address rejected (bounce)",
                    )?;
                    bounced = Some(code.clone());
                }
            }
            Ok::<_, tamim_app::Error>(())
        })?;
    }
    // The rest are late: a reminder each, through the same outbox, two days after the deadline.
    let reminding = november(22, 9, 30);
    let clock = Fixed::at(reminding);
    let secret = tamim_app::distribution::token::secret(&reg.home)?;
    let (cfg, base) = (reg.config.ack.clone(), reg.config.office.base_url.clone());
    let issuer = ack::remind::Issuer::of(&reg.config);
    let report = reg
        .store
        .write(|tx| ack::remind::remind(tx, &secret, &base, &issuer, doc, Some(0), &cfg, reminding))?;
    let opts = SendOptions {
        transport: Some(if smtp.is_some() { "smtp" } else { "file" }.into()),
        smtp_url: smtp.map(String::from),
        dry_run: false,
        max_attempts: 1,
        backoff_secs: 0.0,
        retry_failed: false,
        stop: None,
    };
    let reminded = send::send_reminders(reg, doc, &report.messages, output, &opts)?;
    drop(clock);
    // The status and the auditor's summary as of 25.11.2021.
    let (day, hour, minute) = AS_OF;
    let _clock = Fixed::at(november(day, hour, minute));
    let today = NaiveDate::from_ymd_opt(2021, 11, day).unwrap_or_default();
    let status = ack::status::status(&reg.store.conn, doc, &reg.config.ack, today)?;
    let summary = tamim_app::audit::Audit::begin(&reg.store.conn, doc, &reg.config.ack, today)?.summary()?;
    let audit = tamim_app::audit::summary_text(&summary, reg.config.office.zone());
    let log = tamim_app::audit::verify(&reg.store.conn)?;
    Ok(AfterSending {
        acknowledged_by_link: by_link,
        acknowledged_on_paper: paper,
        received,
        bounced,
        reminded,
        status,
        audit,
        log_head: log.head_hash.clone().unwrap_or_default(),
    })
}
