//! Registering an incoming document: the next gap-free kayıt no of the year, the stored original and a
//! stamped copy, its citations resolved and flagged, all in one transaction.

use chrono::NaiveDateTime;
use std::path::PathBuf;

use super::document::{AttachmentRow, Document, NewDocument};
use super::home::Registry;
use super::validate;
use crate::error::{Error, Result};
use tamim_core::turkish::{self, Sayi, SayiFormKind};
use tamim_store as store;

/// `tamim receive`'s request, before any work.
#[derive(Debug, Clone, Default)]
pub struct ReceiveRequest {
    pub file: PathBuf,
    pub sayi: String,
    /// The form the sayı claims to be in; detected when absent.
    pub sayi_form: Option<SayiFormKind>,
    pub tarih: String,
    pub konu: String,
    /// Issuing org code.
    pub from: String,
    pub ilgi: Vec<String>,
    pub ek: Vec<String>,
    pub kind: Option<tamim_core::DocumentKind>,
    pub kind_no: Option<String>,
    pub muhatap: Option<String>,
    /// Arrival date or time (`03.11.2021`, `2021-11-03T09:12:00`); now when absent.
    pub received: Option<String>,
    /// This document arrived as an attachment of another (no kayıt no of its own).
    pub attached_to: Option<String>,
    /// Print the stamp with this text instead of the registry's number (for documents stamped elsewhere).
    pub issuer: Option<String>,
    /// It is meant to be registered again though it looks like a registered document (the same file, or the
    /// same issuer, sayı and date): it is recorded as a copy of the first (`--duplicate`).
    pub duplicate: bool,
    /// An archive is being registered: a document dated before 1900 is accepted (`--archive`).
    pub archive: bool,
    /// The issuer is an office not registered yet, added in the transaction that registers the document
    /// (its code is `from`): a letter from a new sender, its office proposed from the heading.
    pub new_org: Option<tamim_core::org::NewOrg>,
    /// The issuer's acknowledgement link (from its e-mail), when the issuer runs tamim: this office reports
    /// back to it (`report send`); kept as the endpoint, the delivery's public id and the derived key.
    pub report_to: Option<String>,
}

/// The earliest document date taken without `--archive`.
pub const EARLIEST_DATE: (i32, u32, u32) = (1900, 1, 1);

/// A document date and an arrival that an office can mean: the document not dated in the future (nor
/// before 1900 unless `archive`), the arrival neither in the future nor before the document's date.
pub fn check_dates(tarih: chrono::NaiveDate, arrival: NaiveDateTime, now: NaiveDateTime, archive: bool) -> Result<()> {
    let earliest =
        chrono::NaiveDate::from_ymd_opt(EARLIEST_DATE.0, EARLIEST_DATE.1, EARLIEST_DATE.2).expect("a real date");
    if tarih > now.date() {
        return Err(Error::invalid(
            "tarih",
            format!(
                "{} is in the future (today is {}); a document is dated when it is signed",
                turkish::format_dotted(tarih),
                turkish::format_dotted(now.date())
            ),
        ));
    }
    if tarih < earliest && !archive {
        return Err(Error::invalid(
            "tarih",
            format!(
                "{} is before 1900; give --archive when registering an archive's old documents",
                turkish::format_dotted(tarih)
            ),
        ));
    }
    if arrival > now {
        return Err(Error::invalid(
            "received",
            format!(
                "{} is in the future (it is now {}); a document is registered when it arrives",
                arrival.format("%d.%m.%Y %H:%M"),
                now.format("%d.%m.%Y %H:%M")
            ),
        ));
    }
    if tarih > arrival.date() {
        return Err(Error::invalid(
            "tarih",
            format!(
                "{} is after the arrival date {}",
                turkish::format_dotted(tarih),
                turkish::format_dotted(arrival.date())
            ),
        ));
    }
    Ok(())
}

/// Parse the arrival time: a date (taken at 00:00 local) or an ISO date-time.
pub fn parse_arrival(field: &str, s: &str) -> Result<NaiveDateTime> {
    let t = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(dt);
        }
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(dt.naive_utc());
    }
    let d = turkish::parse_date(t).map_err(|e| Error::bad_date(field, e))?;
    Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

pub use tamim_core::turkish::stated_pages;

/// A request whose every field was checked and whose PDF was read, ready to be recorded.
struct Checked {
    req: ReceiveRequest,
    sayi: Sayi,
    tarih: chrono::NaiveDate,
    arrival: NaiveDateTime,
    kind: tamim_core::DocumentKind,
    bytes: Vec<u8>,
    info: tamim_docs::pdf::PdfInfo,
}

/// Every field checked, and the PDF read and inspected, before anything is written.
fn check(req: ReceiveRequest) -> Result<Checked> {
    // 1. Every field checked before anything is written.
    validate::text("konu", &req.konu, 500)?;
    validate::code("from", &req.from)?;
    if let Some(o) = &req.new_org {
        o.validate("new_org.")?;
        if o.code != req.from {
            return Err(Error::invalid(
                "from",
                format!("{:?} is not the code of the office to add ({:?})", req.from, o.code),
            ));
        }
    }
    let sayi = match req.sayi_form {
        Some(kind) => Sayi::parse_as(&req.sayi, kind),
        None => Sayi::parse(&req.sayi),
    }
    .map_err(|e| Error::invalid("sayı", e.to_string()))?;
    let tarih = turkish::parse_date(&req.tarih).map_err(|e| Error::bad_date("tarih", e))?;
    let now = chrono::Local::now().naive_local();
    let arrival = match &req.received {
        Some(r) => parse_arrival("received", r)?,
        None => now,
    };
    check_dates(tarih, arrival, now, req.archive)?;
    if let Some(m) = &req.muhatap {
        validate::text("muhatap", m, 300)?;
    }
    for e in &req.ek {
        validate::text("ek", e, 500)?;
    }
    for i in &req.ilgi {
        validate::visible("ilgi", i)?;
    }
    for (field, v) in [
        ("sayı", Some(&req.sayi)),
        ("tarih", Some(&req.tarih)),
        ("kind_no", req.kind_no.as_ref()),
        ("issuer", req.issuer.as_ref()),
        ("attached_to", req.attached_to.as_ref()),
    ] {
        if let Some(v) = v {
            validate::visible(field, v)?;
        }
    }
    if let Some(link) = &req.report_to {
        crate::report::build::parse_link("report-to", link)?;
    }
    let kind = req.kind.unwrap_or_default();
    let bytes = read_pdf(&req.file)?;
    let info = tamim_docs::pdf::inspect(&bytes).map_err(|e| Error::file(&req.file, e.to_string()))?;
    Ok(Checked {
        req,
        sayi,
        tarih,
        arrival,
        kind,
        bytes,
        info,
    })
}

/// Register one incoming document: the next kayıt no of the year, the original and a stamped copy stored.
pub fn receive(reg: &mut Registry, req: ReceiveRequest) -> Result<Document> {
    Ok(receive_package(reg, req, Vec::new())?.0)
}

/// Register a document and those that arrived attached to it (an e-Yazışma package's ekler) in one
/// transaction: a failure in any of them leaves nothing registered, no file stored and no kayıt no used.
/// Each attachment is recorded as attached to the first document (no kayıt no of its own).
pub fn receive_package(
    reg: &mut Registry,
    cover: ReceiveRequest,
    attachments: Vec<ReceiveRequest>,
) -> Result<(Document, Vec<Document>)> {
    let cover = check(cover)?;
    let attachments = attachments.into_iter().map(check).collect::<Result<Vec<_>>>()?;
    let office_name = turkish::upper(&reg.config.office.name);
    let home = reg.home.clone();
    let files_dir = reg.files_dir();
    // The originals are stored first (content-addressed, atomic) and removed again if the transaction fails.
    let mut written: Vec<(String, bool)> = Vec::new();
    let mut result = Ok(());
    for c in std::iter::once(&cover).chain(&attachments) {
        match reg.store_file(&c.bytes) {
            Ok((sha, wrote)) => written.push((sha, wrote)),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    // Each original's SHA-256 as stored, in the order of the documents (stamped copies are added after).
    let originals: Vec<String> = written.iter().map(|(sha, _)| sha.clone()).collect();
    let result = result.and_then(|()| {
        reg.store.write(|tx| {
            let first = record(tx, &cover, &originals[0], None, &office_name, &files_dir, &mut written)?;
            let mut rest = Vec::new();
            for (a, sha) in attachments.iter().zip(&originals[1..]) {
                rest.push(record(
                    tx,
                    a,
                    sha,
                    Some(first.id),
                    &office_name,
                    &files_dir,
                    &mut written,
                )?);
            }
            Ok((first, rest))
        })
    });
    if result.is_err() {
        for (sha, wrote) in &written {
            if *wrote {
                let _ = std::fs::remove_file(home.join(super::home::FILES_DIR).join(format!("{sha}.pdf")));
            }
        }
    }
    result
}

/// Record one checked document inside the caller's transaction: its kayıt no (unless it is attached to
/// `parent` or to the document its request names), stamped copy, citations, ek lines and event.
fn record(
    tx: &store::Tx,
    c: &Checked,
    sha: &str,
    parent: Option<i64>,
    office_name: &str,
    files_dir: &std::path::Path,
    written: &mut Vec<(String, bool)>,
) -> Result<Document> {
    let Checked {
        req,
        sayi,
        tarih,
        arrival,
        kind,
        bytes,
        info,
    } = c;
    let (tarih, arrival, kind) = (*tarih, *arrival, *kind);
    let sha = sha.to_string();
    let original_name = req.file.file_name().map(|n| n.to_string_lossy().to_string());
    if let Some(o) = &req.new_org {
        store::orgs::insert(tx, o)?;
    }
    let from_org = store::orgs::get(tx, &req.from)
        .map_err(|_| Error::invalid("from", format!("org {:?} does not exist", req.from)))?;
    let attached_to = match (parent, &req.attached_to) {
        (Some(p), _) => Some(p),
        (None, Some(a)) => {
            Some(super::document::resolve(tx, a).map_err(|e| Error::invalid("attached_to", e.to_string()))?)
        }
        (None, None) => None,
    };
    // The same letter registered twice is a clerk's slip unless --duplicate says it is meant; then it is
    // recorded as a copy of the first. (A document arriving as part of another is not one.)
    let mut copy_of = None;
    if attached_to.is_none() {
        if let Some((first, year, no)) = store::documents::looks_like(tx, &sha, from_org.id, &sayi.key(), tarih)? {
            if !req.duplicate {
                return Err(Error::AlreadyRegistered {
                    first,
                    kayit: year.zip(no),
                });
            }
            copy_of = Some(first);
        }
    }
    let mut citations = Vec::new();
    for i in &req.ilgi {
        citations.push(super::ilgi::resolve(tx, i)?);
    }
    // The kayıt no is taken inside this transaction: a failure below gives it back.
    let year = chrono::Datelike::year(&arrival.date());
    let kayit_no = match attached_to {
        None => Some(store::counters::next(tx, "kayit", year)?),
        Some(_) => None,
    };
    store::files::upsert(
        tx,
        &store::files::FileRow {
            sha256: sha.clone(),
            size: bytes.len() as i64,
            media_type: "application/pdf".into(),
            pages: Some(info.pages as i64),
            original_name: original_name.clone(),
        },
    )?;
    let stamped = match kayit_no {
        Some(n) => {
            let stamp = tamim_docs::pdf::RegistrationStamp {
                office: office_name.to_string(),
                kayit_no: n.to_string(),
                date_text: turkish::format_long(arrival.date()),
            };
            let stamped = tamim_docs::pdf::stamp_registration(bytes, &stamp)
                .map_err(|e| Error::file(&req.file, e.to_string()))?;
            let ssha = super::home::sha256_hex(&stamped);
            let path = files_dir.join(format!("{ssha}.pdf"));
            let existed = path.is_file();
            if !existed {
                super::home::write_atomic(&path, &stamped)?;
            }
            written.push((ssha.clone(), !existed));
            store::files::upsert(
                tx,
                &store::files::FileRow {
                    sha256: ssha.clone(),
                    size: stamped.len() as i64,
                    media_type: "application/pdf".into(),
                    pages: Some(info.pages as i64),
                    original_name: None,
                },
            )?;
            Some(ssha)
        }
        None => None,
    };
    let doc = NewDocument {
        direction: "incoming".into(),
        kind,
        sayi: Some(sayi.clone()),
        kind_no: req.kind_no.clone(),
        tarih,
        konu: req.konu.trim().to_string(),
        muhatap: req.muhatap.as_ref().map(|m| turkish::upper(m.trim())),
        from: Some(from_org.code.clone()),
        issuer: Some(req.issuer.clone().unwrap_or_else(|| from_org.name.clone())),
        kayit_year: kayit_no.map(|_| year),
        kayit_no,
        received_at: Some(arrival.format("%Y-%m-%dT%H:%M:%S").to_string()),
        file: Some(sha.clone()),
        stamped_file: stamped,
        attached_to,
        state: "registered".into(),
        payload: match copy_of {
            Some(first) => serde_json::json!({"duplicate_of": first}),
            None => serde_json::Value::default(),
        },
        ..Default::default()
    };
    let id = store::documents::insert(tx, &doc)?;
    for (i, c) in citations.iter().enumerate() {
        store::documents::insert_citation(tx, id, i as i64 + 1, c)?;
    }
    for (i, e) in req.ek.iter().enumerate() {
        let row = AttachmentRow {
            description: e.trim().to_string(),
            target: None,
            file: None,
            pages: stated_pages(e),
        };
        store::documents::insert_attachment(tx, id, i as i64 + 1, &row)?;
    }
    if let Some(parent) = attached_to {
        let pos = store::documents::next_attachment_position(tx, parent)?;
        let row = AttachmentRow {
            description: doc.konu.clone(),
            target: Some(id),
            file: Some(sha.clone()),
            pages: Some(info.pages as i64),
        };
        store::documents::insert_attachment(tx, parent, pos, &row)?;
    }
    super::ilgi::link_pending(tx, id)?;
    if let Some(link) = &req.report_to {
        crate::report::send::set_link(tx, id, link)?;
    }
    store::events::append(
        tx,
        Some(id),
        None,
        "document.received",
        &match copy_of {
            Some(first) => {
                serde_json::json!({"sayi": sayi.raw, "kayit_no": kayit_no, "file": sha, "duplicate_of": first})
            }
            None => serde_json::json!({"sayi": sayi.raw, "kayit_no": kayit_no, "file": sha}),
        },
    )?;
    Ok(store::documents::get(tx, id)?)
}

/// Read a file that must be a PDF; a missing file or another format is an error naming the file.
pub fn read_pdf(path: &std::path::Path) -> Result<Vec<u8>> {
    if !path.exists() {
        return Err(Error::file(path, "does not exist"));
    }
    if !path.is_file() {
        return Err(Error::file(path, "is not a file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.is_empty() {
        return Err(Error::file(path, "is empty; a PDF is required"));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::file(path, "is not a PDF (it does not start with %PDF-)"));
    }
    Ok(bytes)
}
