//! `tamim export DOC --eyp [-o FILE]`: an issued document as an e-Yazışma v2 package, signed (CAdES-BES over
//! PaketOzeti, and the seal over NihaiOzet) when the document is.

use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::document;
use tamim_app::Error;
use tamim_docs::intake::eyp_write::{self, ExportDoc, ExportEk, ExportIlgi, ExportRecipient};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// An issued document: a registry id (#12) or its sayı.
    pub doc: String,
    /// Write an e-Yazışma v2 package (the only format for now).
    #[arg(long)]
    pub eyp: bool,
    /// Where to write it; <output>/<sayı>.eyp by default.
    #[arg(long = "file", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the package when the file exists (never one of the registry's own files).
    #[arg(long)]
    pub force: bool,
}

#[derive(Serialize)]
struct Exported {
    document: i64,
    file: PathBuf,
    bytes: usize,
    /// Signed over PaketOzeti (Imzalar/ImzaCades.imz): the document is signed.
    signed: bool,
    /// Sealed over NihaiOzet (Muhur/MuhurCades.imz): the office has a seal key.
    sealed: bool,
}

pub fn run(cli: &Cli, out: &Out, a: &ExportArgs) -> tamim_app::Result<()> {
    if !a.eyp {
        return Err(Error::invalid("--eyp", t!("export-eyp-required")));
    }
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let d = document::load(&reg.store.conn, id)?;
    if d.direction != "outgoing" {
        return Err(Error::invalid("DOC", t!("export-incoming", id = id)));
    }
    let sayi = d
        .sayi
        .clone()
        .ok_or_else(|| Error::invalid("DOC", t!("export-no-sayi", id = id)))?;
    let sha = d
        .file
        .clone()
        .ok_or_else(|| Error::invalid("DOC", t!("export-no-pdf", id = id)))?;
    let pdf_path = reg.files_dir().join(format!("{sha}.pdf"));
    let cover = std::fs::read(&pdf_path).map_err(|e| Error::io(&pdf_path, e))?;
    let office = &reg.config.office;
    let issuer_id = office.detsis.clone().unwrap_or_else(|| office.code.clone());
    let mut recipients = Vec::new();
    let dag = &d.payload["dagitim"];
    for (key, role) in [("gereği", "GRG"), ("bilgi", "BLG")] {
        for r in dag[key].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
            recipients.push(ExportRecipient {
                name: r.to_string(),
                id: r.to_string(),
                role,
            });
        }
    }
    if recipients.is_empty() {
        let m = d
            .muhatap
            .clone()
            .ok_or_else(|| Error::invalid("DOC", t!("export-no-addressee", id = id)))?;
        recipients.push(ExportRecipient {
            name: m.clone(),
            id: m,
            role: "GRG",
        });
    }
    let mut signatories = Vec::new();
    for s in d.payload["imza"].as_array().into_iter().flatten() {
        let name = s["name"].as_str().unwrap_or("").trim();
        let (first, last) = name.rsplit_once(' ').unwrap_or((name, name));
        let title = s["title"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        signatories.push((first.to_string(), last.to_string(), title));
    }
    if signatories.is_empty() {
        return Err(Error::invalid("DOC", t!("export-no-signatory", id = id)));
    }
    let mut ekler = Vec::new();
    for ek in &d.ek {
        let pdf = match &ek.file {
            Some(sha) => {
                let path = reg.files_dir().join(format!("{sha}.pdf"));
                Some(std::fs::read(&path).map_err(|e| Error::io(&path, e))?)
            }
            None => None,
        };
        let belge_no = match ek.target {
            Some(t) => document::load(&reg.store.conn, t)?.sayi,
            None => None,
        };
        ekler.push(ExportEk {
            name: ek.description.clone(),
            belge_no,
            pdf,
        });
    }
    let doc = ExportDoc {
        konu: d.konu.clone(),
        tarih: d.tarih,
        belge_no: sayi.clone(),
        issuer_name: office.name.clone(),
        issuer_id,
        recipients,
        ilgi: d
            .ilgi
            .iter()
            .map(|c| ExportIlgi {
                belge_no: c.cited_sayi.clone(),
                date: c.cited_date,
                text: c.text.clone(),
            })
            .collect(),
        signatories,
        verification_address: d
            .verification
            .clone()
            .map(|v| format!("Doğrulama Kodu: {v}"))
            .unwrap_or_else(|| "Doğrulama kodu yok".into()),
        cover_name: "ustyazi.pdf".into(),
        cover,
        ekler,
    };
    // A signed document's package is signed too: CAdES over PaketOzeti, and the seal over NihaiOzet.
    let signed = tamim_app::eyazisma::is_signed(&doc.cover);
    let (bytes, sealed) = if signed {
        let keys = tamim_app::eyazisma::PackageKeys::open(&reg)?;
        (tamim_app::eyazisma::write_signed(&doc, &keys)?, keys.seal.is_some())
    } else {
        (
            eyp_write::write_package(&doc).map_err(|e| Error::invalid("--eyp", e))?,
            false,
        )
    };
    let file = match &a.out {
        Some(p) => p.clone(),
        None => cli.output.join(format!("{}.eyp", sayi.replace(['/', '\\'], "-"))),
    };
    if a.out.is_none() {
        reg.check_output_dir(&cli.output)?;
    }
    reg.check_output(&file, a.force)?;
    tamim_app::registry::home::write_output(&file, &bytes, reg.config.modes())?;
    let r = Exported {
        document: id,
        file,
        bytes: bytes.len(),
        signed,
        sealed,
    };
    out.print(&r, |r| {
        let file = r.file.display().to_string();
        match (r.signed, r.sealed) {
            (true, true) => t!("export-wrote-sealed", id = r.document, file = file, bytes = r.bytes),
            (true, false) => t!("export-wrote-signed", id = r.document, file = file, bytes = r.bytes),
            _ => t!("export-wrote", id = r.document, file = file, bytes = r.bytes),
        }
    });
    Ok(())
}
