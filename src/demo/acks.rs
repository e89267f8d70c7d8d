//! The demo's last act: what happened after Tamim 2021/243 went out — chambers acknowledging by link, one by
//! its signed paper sheet, one bounce, the late ones reminded — and the auditor's summary.

use chrono::{NaiveDate, TimeZone, Utc};
use serde::Serialize;
use std::path::Path;

use crate::ack::{self, Ack, Method};
use crate::distribution::send::{self, ReminderSummary, SendOptions};
use crate::error::Result;
use crate::registry::Registry;
use crate::store;

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

fn at(d: u32, h: u32) -> chrono::DateTime<Utc> {
    // Turkey is UTC+3; these are office hours in İstanbul, November 2021.
    Utc.with_ymd_and_hms(2021, 11, d, h - 3, 15, 0).single().expect("a valid time")
}

pub fn run(reg: &mut Registry, doc: i64, output: &Path, smtp: Option<&str>) -> Result<AfterSending> {
    let sent = store::deliveries::in_states(&reg.store.conn, doc, &["sent"])?;
    let codes: Vec<String> = sent.iter().map(|d| d.recipient_code.clone()).collect();
    let staff = store::people::all(&reg.store.conn, None)?;
    let mut by_link = Vec::new();
    let mut paper = None;
    let mut bounced = None;
    let mut received = None;
    reg.store.write(|tx| {
        for (i, code) in codes.iter().enumerate() {
            let d = ack::find_delivery(tx, doc, "Tamim 2021/243", code)?;
            let who = staff.iter().find(|p| &p.org == code).map(|p| p.name.clone());
            match i {
                // Most chambers open their link within days.
                0..=9 => {
                    let a = Ack { method: Method::Link, by: who, at: at(8 + (i as u32 % 5), 10 + i as u32 % 6), kayit_no: None, evidence: Some("127.0.0.1 (demo)".into()) };
                    ack::acknowledge(tx, &d, &a)?;
                    by_link.push(code.clone());
                }
                // One registers our tamim in its own register first, then signs the paper sheet.
                10 => {
                    ack::mark_received(tx, &d, at(9, 11), Some("1187"), NaiveDate::from_ymd_opt(2021, 11, 9))?;
                    let d = ack::find_delivery(tx, doc, "Tamim 2021/243", code)?;
                    let a = Ack { method: Method::Paper, by: who, at: at(12, 14), kayit_no: Some("1187".into()), evidence: Some("imzalı tebliğ-tebellüğ listesi".into()) };
                    ack::acknowledge(tx, &d, &a)?;
                    paper = Some(code.clone());
                    received = Some(code.clone());
                }
                // One address bounces back days later.
                11 => {
                    ack::mark_failed(tx, &d, "550 5.1.1 <posta kutusu bulunamadı>: Recipient address rejected (bounce)")?;
                    bounced = Some(code.clone());
                }
                _ => {}
            }
        }
        Ok(())
    })?;
    // The rest are late: a reminder each, through the same outbox.
    let secret = crate::distribution::token::secret(&reg.home)?;
    let (cfg, base) = (reg.config.ack.clone(), reg.config.office.base_url.clone());
    let report = reg.store.write(|tx| ack::remind::remind(tx, &secret, &base, doc, Some(0), &cfg, Utc::now()))?;
    let opts = SendOptions { transport: Some(if smtp.is_some() { "smtp" } else { "file" }.into()), smtp_url: smtp.map(String::from), dry_run: false, max_attempts: 1, backoff_secs: 0.0, retry_failed: false };
    let reminded = send::send_reminders(reg, doc, &report.messages, output, &opts)?;
    let today = chrono::Local::now().date_naive();
    let summary = crate::audit::summary(&reg.store.conn, doc, &reg.config.ack, today)?;
    let audit = crate::audit::render::summary_text(&summary);
    let log = crate::audit::verify(&reg.store.conn)?;
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
