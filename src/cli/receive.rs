//! `tamim receive`, `tamim show`, `tamim documents`: register incoming documents and look at them.

use clap::Args;
use std::path::PathBuf;

use super::output::{opt, table};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::document::{self, Document};
use tamim_app::registry::receive::{self, ReceiveRequest};
use tamim_core::turkish::{self, SayiFormKind};

#[derive(Args, Debug)]
pub struct ReceiveArgs {
    /// The document as it arrived (PDF, or an e-Yazışma package .eyp).
    pub file: PathBuf,
    /// Read the fields from the PDF's text layer, show them, and register on confirmation.
    /// Flags given explicitly override what was read.
    #[arg(long)]
    pub auto: bool,
    /// With --auto (or a .eyp): register what was read without asking (for scripts).
    #[arg(long)]
    pub yes: bool,
    /// The document's number as printed: 4516, 25346381.010.06/53064, E-85840981-167.01-122254.
    #[arg(long)]
    pub sayi: Option<String>,
    /// The form the sayı is in (detected when not given): plain, dotted, eyazisma, year.
    #[arg(long, value_parser = parse_form)]
    pub sayi_form: Option<SayiFormKind>,
    /// The document's date: 05 Kasım 2021, 12 EKİM 2021, 02.11.2021.
    #[arg(long)]
    pub tarih: Option<String>,
    /// Subject line.
    #[arg(long)]
    pub konu: Option<String>,
    /// The issuing org's code.
    #[arg(long)]
    pub from: Option<String>,
    /// A reference: a registry id (#12), a sayı, or the citation exactly as printed. Repeatable.
    #[arg(long)]
    pub ilgi: Vec<String>,
    /// An attachment line as printed, e.g. "İlgi yazı ve eki." Repeatable.
    #[arg(long)]
    pub ek: Vec<String>,
    /// Document kind: yazı (default), genelge, tamim, ilke-kararı, karar (e.g. --kind genelge).
    #[arg(long)]
    pub kind: Option<tamim_core::DocumentKind>,
    /// The kind's own number, e.g. 2021/81 for Karar No.
    #[arg(long)]
    pub kind_no: Option<String>,
    /// The addressee line as printed.
    #[arg(long)]
    pub muhatap: Option<String>,
    /// When it arrived (date or ISO date-time); now by default.
    #[arg(long)]
    pub received: Option<String>,
    /// It came as an attachment of this registered document (gets no kayıt no of its own).
    #[arg(long)]
    pub attached_to: Option<String>,
    /// The issuer as printed, when it differs from the org's name.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Register it though it looks like a registered document (the same file, or the same issuer, sayı and
    /// date); it is recorded as a copy of the first.
    #[arg(long)]
    pub duplicate: bool,
    /// Registering an archive: accept a document dated before 1900.
    #[arg(long)]
    pub archive: bool,
    /// The issuer's acknowledgement link from its e-mail, when the issuer runs tamim: report back to it.
    #[arg(long)]
    pub report_to: Option<String>,
}

fn parse_form(s: &str) -> Result<SayiFormKind, String> {
    SayiFormKind::parse(s).ok_or_else(|| format!("{s:?} is not a sayı form; use plain, dotted, eyazisma or year"))
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A registry id (#12) or a sayı as printed.
    pub doc: String,
}

#[derive(Args, Debug)]
pub struct DocumentsArgs {
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}

/// `receive`'s flags, by the request field each sets.
pub const RECEIVE_FLAGS: &[(&str, &str)] = &[
    ("sayı", "--sayi"),
    ("tarih", "--tarih"),
    ("konu", "--konu"),
    ("from", "--from"),
    ("ilgi", "--ilgi"),
    ("ek", "--ek"),
    ("muhatap", "--muhatap"),
    ("received", "--received"),
    ("kind_no", "--kind-no"),
    ("issuer", "--issuer"),
    ("attached_to", "--attached-to"),
    ("report-to", "--report-to"),
];

pub fn run_receive(cli: &Cli, out: &Out, a: &ReceiveArgs) -> tamim_app::Result<()> {
    if a.auto || super::intake::is_package(&a.file) {
        return super::intake::run(cli, out, a);
    }
    let need = |flag: &str, v: &Option<String>| {
        v.clone()
            .ok_or_else(|| tamim_app::Error::invalid(flag, t!("receive-flag-required")))
    };
    let (sayi, tarih, konu, from) = (
        need("--sayi", &a.sayi)?,
        need("--tarih", &a.tarih)?,
        need("--konu", &a.konu)?,
        need("--from", &a.from)?,
    );
    let mut reg = open(cli)?;
    let d = receive::receive(
        &mut reg,
        ReceiveRequest {
            file: a.file.clone(),
            sayi,
            sayi_form: a.sayi_form,
            tarih,
            konu,
            from,
            ilgi: a.ilgi.clone(),
            ek: a.ek.clone(),
            kind: a.kind,
            kind_no: a.kind_no.clone(),
            muhatap: a.muhatap.clone(),
            received: a.received.clone(),
            attached_to: a.attached_to.clone(),
            issuer: a.issuer.clone(),
            duplicate: a.duplicate,
            archive: a.archive,
            new_org: None,
            report_to: a.report_to.clone(),
        },
    )
    .map_err(|e| super::as_flags(e, RECEIVE_FLAGS))?;
    print_registered(out, &d);
    Ok(())
}

/// "Registered #N as Kayıt No K" and the document, or the document as JSON.
pub fn print_registered(out: &Out, d: &Document) {
    out.print(d, |d| {
        let head = match d.kayit_no {
            Some(n) => t!(
                "receive-registered",
                id = d.id,
                kayit = n,
                year = d.kayit_year.unwrap_or_default()
            ),
            None => t!(
                "receive-registered-attachment",
                id = d.id,
                of = d.attached_to.unwrap_or_default()
            ),
        };
        head + &render_document(d)
    });
}

pub fn run_show(cli: &Cli, out: &Out, a: &ShowArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let d = document::load(&reg.store.conn, id)?;
    out.print(&d, render_document);
    Ok(())
}

pub fn run_documents(cli: &Cli, out: &Out, a: &DocumentsArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let docs = tamim_store::documents::list(&reg.store.conn, a.limit)?;
    out.print(&docs, |docs| {
        let rows: Vec<Vec<String>> = docs
            .iter()
            .map(|d| {
                vec![
                    format!("#{}", d.id),
                    direction(&d.direction),
                    d.kind.to_string(),
                    opt(&d.sayi),
                    turkish::format_dotted(d.tarih),
                    d.kayit_no.map(|k| k.to_string()).unwrap_or_default(),
                    d.konu.clone(),
                ]
            })
            .collect();
        let header = [
            t!("documents-col-id"),
            t!("documents-col-direction"),
            t!("documents-col-kind"),
            t!("documents-col-sayi"),
            t!("documents-col-tarih"),
            t!("documents-col-kayit"),
            t!("documents-col-konu"),
        ];
        table(&header.each_ref().map(String::as_str), &rows)
    });
    Ok(())
}

/// `incoming`/`outgoing` as the run's language says it.
fn direction(d: &str) -> String {
    match d {
        "incoming" => t!("direction-incoming"),
        "outgoing" => t!("direction-outgoing"),
        other => other.to_string(),
    }
}

/// A document for people: the fields, its ilgi lines with their resolution, its ek lines.
pub fn render_document(d: &Document) -> String {
    let mut s = String::new();
    let mut field = |k: &str, v: String| {
        if !v.is_empty() {
            s.push_str(&format!("  {k:<14} {v}\n"));
        }
    };
    field("Belge", format!("#{} ({}, {})", d.id, direction(&d.direction), d.kind));
    field("Sayı", opt(&d.sayi));
    field("No", opt(&d.kind_no));
    field(
        "Tarih",
        format!(
            "{} ({})",
            turkish::format_long(d.tarih),
            turkish::format_dotted(d.tarih)
        ),
    );
    field("Konu", d.konu.clone());
    field("Gönderen", d.issuer_text());
    field("Muhatap", opt(&d.muhatap));
    if let Some(k) = d.kayit_no {
        field("Kayıt No", format!("{k} / {}", d.kayit_year.unwrap_or_default()));
    }
    field("Geldiği Tarih", opt(&d.received_at));
    field("Durum", d.state.clone());
    field("Sayfa", d.pages.map(|p| p.to_string()).unwrap_or_default());
    field(
        "Dosya",
        d.file.clone().map(|f| format!("files/{f}.pdf")).unwrap_or_default(),
    );
    field(
        "Kaşeli kopya",
        d.stamped_file
            .clone()
            .map(|f| format!("files/{f}.pdf"))
            .unwrap_or_default(),
    );
    field("Doğrulama", opt(&d.verification));
    for (i, c) in d.ilgi.iter().enumerate() {
        let letter = if d.ilgi.len() > 1 {
            format!("{}) ", (b'a' + i as u8) as char)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  {:<14} {letter}{}\n",
            if i == 0 { "İlgi" } else { "" },
            c.text
        ));
        match (c.target, &c.discrepancy) {
            (Some(t), None) => s.push_str(&format!("  {:<14}   → #{t} {}\n", "", opt(&c.target_sayi))),
            (Some(t), Some(p)) => s.push_str(&format!("  {:<14}   → #{t} {}  ! {p}\n", "", opt(&c.target_sayi))),
            (None, _) => s.push_str(&format!("  {:<14}   → {}\n", "", t!("receive-ilgi-not-registered"))),
        }
    }
    for (i, e) in d.ek.iter().enumerate() {
        let target = e.target.map(|t| format!("  → #{t}")).unwrap_or_default();
        s.push_str(&format!(
            "  {:<14} {}{target}\n",
            if i == 0 { "Ek" } else { "" },
            e.description
        ));
    }
    s
}
