//! The demo's last act: what happens after Tamim 2021/243 goes out — chambers acknowledging by link, one by
//! its signed paper sheet, one bounce, the late ones reminded — and the auditor's summary. It happens as the
//! demo runs, right after the send: a tamim dated 05.11.2021 sent today is acknowledged today, not in 2021.

use chrono::Utc;
use serde::Serialize;
use std::path::Path;

use tamim_app::ack::{self, Ack, Method};
use tamim_app::distribution::send::{self, ReminderSummary, SendOptions};
use tamim_app::error::Result;
use tamim_app::registry::Registry;
use tamim_store as store;

#[derive(Debug, Serialize)]
pub struct AfterSending {
    pub acknowledged_by_link: Vec<String>,
    pub acknowledged_on_paper: Option<String>,
    pub received: Option<String>,
    pub bounced: Option<String>,
    pub reminded: ReminderSummary,
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
    // The tamim was sent just now (the outbox stamps the clock's time): what follows happens after it, as
    // the demo runs, so no step is dated before the one it follows.
    let now = Utc::now();
    let today = now.with_timezone(&ack::time::turkey()).date_naive();
    reg.store.write(|tx| {
        for (i, code) in codes.iter().enumerate() {
            let d = ack::find_delivery(tx, doc, "Tamim 2021/243", code)?;
            let who = staff.iter().find(|p| &p.org == code).map(|p| p.name.clone());
            match i {
                // Most chambers open their link.
                0..=9 => {
                    let a = Ack {
                        method: Method::Link,
                        by: who,
                        at: now,
                        kayit_no: None,
                        evidence: Some("127.0.0.1 (demo)".into()),
                    };
                    ack::acknowledge(tx, &d, &a)?;
                    by_link.push(code.clone());
                }
                // One registers our tamim in its own register first, then signs the paper sheet (entered by a clerk).
                10 => {
                    ack::mark_received(tx, &d, now, Some("1187"), Some(today))?;
                    let d = ack::find_delivery(tx, doc, "Tamim 2021/243", code)?;
                    let a = Ack {
                        method: Method::Paper,
                        by: who,
                        at: now,
                        kayit_no: Some("1187".into()),
                        evidence: Some("imzalı tebliğ-tebellüğ listesi".into()),
                    };
                    ack::record::acknowledge_by_clerk(tx, &d, a, now, &ack::time::stored(now))?;
                    paper = Some(code.clone());
                    received = Some(code.clone());
                }
                // One address bounces back.
                11 => {
                    ack::mark_failed(
                        tx,
                        &d,
                        "550 5.1.1 <posta kutusu bulunamadı>: Recipient address rejected (bounce)",
                    )?;
                    bounced = Some(code.clone());
                }
                _ => {}
            }
        }
        Ok::<_, tamim_app::Error>(())
    })?;
    // The rest are late: a reminder each, through the same outbox.
    let secret = tamim_app::distribution::token::secret(&reg.home)?;
    let (cfg, base) = (reg.config.ack.clone(), reg.config.office.base_url.clone());
    let issuer = ack::remind::Issuer::of(&reg.config);
    let report = reg
        .store
        .write(|tx| ack::remind::remind(tx, &secret, &base, &issuer, doc, Some(0), &cfg, Utc::now()))?;
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
    let summary = tamim_app::audit::Audit::begin(&reg.store.conn, doc, &reg.config.ack, today)?.summary()?;
    let audit = tamim_app::audit::summary_text(&summary, reg.config.office.zone());
    let log = tamim_app::audit::verify(&reg.store.conn)?;
    Ok(AfterSending {
        acknowledged_by_link: by_link,
        acknowledged_on_paper: paper,
        received,
        bounced,
        reminded,
        audit,
        log_head: log.head_hash.clone().unwrap_or_default(),
    })
}
