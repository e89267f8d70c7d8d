//! `tamim ack`: record an acknowledgement by a clerk (paper, phone, KEP, manual), import a signed sign-off
//! sheet, record the recipient office's receipt, exempt a recipient, or note a follow-on reported back.

use clap::{Args, Subcommand};
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::ack::{self, record, Ack, Method, Outcome};
use tamim_app::registry::document;
use tamim_app::roster::staff_ack;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AckArgs {
    #[command(subcommand)]
    pub cmd: Option<AckCmd>,
    /// The document (#12, a sayı as printed, 2021/243).
    #[arg(required = true)]
    pub doc: Option<String>,
    /// The recipient's org or person code.
    #[arg(required = true)]
    pub recipient: Option<String>,
    /// How it was acknowledged.
    #[arg(long, value_parser = parse_method, required = true)]
    pub method: Option<Method>,
    /// Who acknowledged (the name as signed or said).
    #[arg(long)]
    pub by: Option<String>,
    /// When: 2021-11-05 14:30, 05.11.2021 14:30, 05.11.2021 or RFC 3339 (Türkiye time unless an offset is given); now by default.
    #[arg(long)]
    pub at: Option<String>,
    /// The recipient office's kayıt no of our document.
    #[arg(long)]
    pub kayit_no: Option<String>,
    /// Evidence: the KEP delivery id, a note.
    #[arg(long)]
    pub evidence: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AckCmd {
    /// Import a typed-in signed sign-off sheet. Header: document,recipient,name,at,method,kayit_no
    /// (method empty = paper; kayit_no may be empty). A bad line is reported by its number and nothing is
    /// imported, unless --partial.
    Import {
        file: PathBuf,
        /// Import the good lines and report the bad ones.
        #[arg(long)]
        partial: bool,
    },
    /// The recipient office registered our document: its kayıt no and date.
    Received {
        doc: String,
        recipient: String,
        #[arg(long)]
        kayit_no: Option<String>,
        /// The date on their registration stamp (Geldiği Tarih).
        #[arg(long)]
        date: Option<String>,
    },
    /// Exempt a recipient from acknowledging (on leave, transferred), with the reason.
    Exempt {
        doc: String,
        recipient: String,
        #[arg(long)]
        reason: String,
        /// Exempt these staff of the recipient office instead (izinli, raporlu, görevden ayrıldı, görevli).
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        sicil: Vec<String>,
    },
    /// Record staff of a recipient office as having acknowledged (recorded by a clerk).
    Staff {
        doc: String,
        office: String,
        #[arg(long, value_delimiter = ',', num_args = 1.., required = true)]
        sicil: Vec<String>,
    },
    /// Upload the scan of a signed tebliğ-tebellüğ sheet (a PDF) and record who signed it.
    Sheet {
        doc: String,
        office: String,
        #[arg(long)]
        scan: PathBuf,
        #[arg(long, value_delimiter = ',', num_args = 1.., required = true)]
        signed: Vec<String>,
    },
    /// A recipient's own follow-on citing our document, reported back by its sayı and date.
    Followon {
        doc: String,
        recipient: String,
        #[arg(long)]
        sayi: String,
        #[arg(long)]
        tarih: String,
        /// How many it was sent to.
        #[arg(long)]
        recipients: Option<i64>,
        /// How many of those acknowledged.
        #[arg(long)]
        acknowledged: Option<i64>,
    },
}

fn parse_method(s: &str) -> Result<Method, String> {
    Method::parse(s)
        .filter(|m| *m != Method::Link)
        .ok_or_else(|| t!("ack-bad-method", method = s.to_string()))
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

pub fn run(cli: &Cli, out: &Out, a: &AckArgs) -> tamim_app::Result<()> {
    let mut reg = open(cli)?;
    let zone = reg.config.office.zone();
    match &a.cmd {
        Some(AckCmd::Import { file, partial }) => {
            let r = reg.store.write(|tx| ack::import::import(tx, file, *partial, now()))?;
            out.print(&r, |r| {
                let mut s = t!("ack-imported", count = r.imported as i64, file = r.file.clone());
                if !r.skipped.is_empty() {
                    s.push_str(&t!("ack-skipped", count = r.skipped.len() as i64));
                    for l in &r.skipped {
                        s.push_str(&format!("  {l}\n"));
                    }
                }
                s
            });
        }
        Some(AckCmd::Received {
            doc,
            recipient,
            kayit_no,
            date,
        }) => {
            let date = date
                .as_deref()
                .map(|d| tamim_core::turkish::parse_date(d).map_err(|e| tamim_app::Error::bad_date("--date", e)))
                .transpose()?;
            let seq = reg.store.write(|tx| {
                let id = document::resolve(tx, doc)?;
                let d = record::find_delivery(tx, id, doc, recipient)?;
                record::mark_received(tx, &d, now(), kayit_no.as_deref(), date).map_err(prefix_flags)
            })?;
            out.print(
                &serde_json::json!({"recipient": recipient, "state": "received", "event": seq}),
                |_| t!("ack-received", recipient = recipient.clone(), seq = seq),
            );
        }
        Some(AckCmd::Exempt {
            doc,
            recipient,
            reason,
            sicil,
        }) if !sicil.is_empty() => {
            let why = staff_ack::ExemptReason::parse(reason)
                .ok_or_else(|| staff_ack::StaffAckError::UnknownReason(reason.clone()))?;
            let r = reg
                .store
                .write(|tx| staff_ack::record(tx, doc, recipient, sicil, &staff_ack::How::Exempt(why)))?;
            out.print(&r, |r| {
                t!(
                    "ack-staff-exempt",
                    office = r.office.clone(),
                    count = r.recorded as i64,
                    reason = why.as_str()
                )
            });
        }
        Some(AckCmd::Staff { doc, office, sicil }) => {
            let r = reg
                .store
                .write(|tx| staff_ack::record(tx, doc, office, sicil, &staff_ack::How::Clerk))?;
            out.print(&r, |r| {
                t!("ack-staff", office = r.office.clone(), count = r.recorded as i64)
            });
        }
        Some(AckCmd::Sheet {
            doc,
            office,
            scan,
            signed,
        }) => {
            let r = staff_ack::sheet(&mut reg, doc, office, scan, signed)?;
            out.print(&r, |r| {
                t!(
                    "ack-sheet",
                    office = r.office.clone(),
                    count = r.recorded as i64,
                    sha = r.evidence_sha256.clone().unwrap_or_default()
                )
            });
        }
        Some(AckCmd::Exempt {
            doc, recipient, reason, ..
        }) => {
            let seq = reg.store.write(|tx| {
                let id = document::resolve(tx, doc)?;
                let d = record::find_delivery(tx, id, doc, recipient)?;
                record::exempt(tx, &d, reason)
            })?;
            out.print(
                &serde_json::json!({"recipient": recipient, "state": "exempt", "event": seq}),
                |_| t!("ack-exempt", recipient = recipient.clone(), seq = seq),
            );
        }
        Some(AckCmd::Followon {
            doc,
            recipient,
            sayi,
            tarih,
            recipients,
            acknowledged,
        }) => {
            let t = tamim_core::turkish::parse_date(tarih).map_err(|e| tamim_app::Error::bad_date("--tarih", e))?;
            let seq = reg.store.write(|tx| {
                let id = document::resolve(tx, doc)?;
                let d = record::find_delivery(tx, id, doc, recipient)?;
                record::report_followon(tx, &d, sayi, t, *recipients, *acknowledged, now()).map_err(prefix_flags)
            })?;
            out.print(
                &serde_json::json!({"recipient": recipient, "followon": sayi, "event": seq}),
                |_| {
                    t!(
                        "ack-followon",
                        recipient = recipient.clone(),
                        sayi = sayi.clone(),
                        seq = seq
                    )
                },
            );
        }
        None => {
            let (doc, recipient) = (
                a.doc.as_deref().unwrap_or_default(),
                a.recipient.as_deref().unwrap_or_default(),
            );
            let method = a.method.unwrap_or(Method::Manual);
            let n = now();
            let at = match &a.at {
                Some(t) => ack::time::parse_at("--at", t, n)?,
                None => n,
            };
            let outcome = reg.store.write(|tx| {
                let id = document::resolve(tx, doc)?;
                let d = record::find_delivery(tx, id, doc, recipient)?;
                let req = Ack {
                    method,
                    by: a.by.clone(),
                    at,
                    kayit_no: a.kayit_no.clone(),
                    evidence: a.evidence.clone(),
                };
                record::acknowledge_by_clerk(tx, &d, req, n, a.at.as_deref().unwrap_or("now")).map_err(prefix_flags)
            })?;
            out.print(&outcome, |o| match o {
                Outcome::Recorded { recipient, at, seq, .. } => {
                    t!(
                        "ack-recorded",
                        recipient = recipient.clone(),
                        method = method.as_str(),
                        at = ack::time::shown_in(at, zone),
                        seq = *seq
                    )
                }
                Outcome::Already { recipient, .. } => t!("ack-already", recipient = recipient.clone()),
            });
        }
    }
    Ok(())
}

/// Field names as the clerk typed them: `--by`, `--at`, `--kayit-no`, `--date`, `--tarih`.
fn prefix_flags(e: tamim_app::Error) -> tamim_app::Error {
    match e {
        tamim_app::Error::Domain(tamim_core::Error::Invalid { field, problem }) => {
            let f = match field.as_str() {
                "name" => "--by".to_string(),
                "at" => "--at".to_string(),
                "kayit-no" => "--kayit-no".to_string(),
                "evidence" => "--evidence".to_string(),
                "date" => "--date".to_string(),
                "tarih" => "--tarih".to_string(),
                "sayi" => "--sayi".to_string(),
                "acknowledged" => "--acknowledged".to_string(),
                other => other.to_string(),
            };
            tamim_app::Error::invalid(f, problem)
        }
        tamim_app::Error::Domain(tamim_core::Error::BadDate { field, source })
            if field == "date" || field == "tarih" =>
        {
            tamim_app::Error::bad_date(format!("--{field}"), source)
        }
        other => other,
    }
}
