//! Reading incoming documents so the clerk only checks and confirms: PDF letters by their text layer, e-Yazışma packages by their metadata.
//!
//! Code map: `text` (bounded text-layer reading: lines in reading order), `pdf_letter` (the
//! letter's fields, each with a confidence), `split` (which pages after the letter belong to
//! which `Ek:` item), `eyp` (e-Yazışma v2 packages: reading with digest checks), `eyp_write`
//! (an issued document as an unsigned v2 package).
//!
//! Architecture invariant: nothing here writes to the registry or prints; `cli/intake.rs`
//! shows what was found and `registry::receive` registers it.

pub mod eyp;
pub mod eyp_write;
pub mod pdf_letter;
pub mod split;
pub mod text;

use serde::Serialize;

pub use pdf_letter::{Confidence, LetterFields};
pub use split::AttachmentCheck;

use crate::pdf::PdfError;

/// What reading a PDF letter gave.
#[derive(Debug, Clone, Serialize)]
pub struct PdfIntake {
    /// No page shows any text: a scan, to be registered by hand.
    pub scan: bool,
    pub fields: LetterFields,
    pub attachments: AttachmentCheck,
}

/// Reads a letter: its text layer (first pages only, bounded), its fields, and how the pages
/// after it split into its attachments.
pub fn read_pdf_letter(bytes: &[u8]) -> Result<PdfIntake, PdfError> {
    let layer = text::read_text(bytes, text::MAX_TEXT_PAGES)?;
    if layer.is_empty() {
        let fields = LetterFields {
            pages: layer.pages,
            ..pdf_letter::parse_letter(&text::TextLayer::default())
        };
        return Ok(PdfIntake {
            scan: true,
            fields,
            attachments: AttachmentCheck::default(),
        });
    }
    let fields = pdf_letter::parse_letter(&layer);
    let attachments = split::check(&layer, &fields);
    Ok(PdfIntake {
        scan: false,
        fields,
        attachments,
    })
}

/// The registered org that issued the letter: by the DETSİS number of an e-Yazışma sayı, else
/// by the administration's name (Turkish upper case, whole name contained in the heading).
/// Returns the org's code and how it was recognised.
pub fn find_issuer(orgs: &[tamim_core::org::Org], sayi: Option<&str>, heading: &[String]) -> Option<(String, String)> {
    use tamim_core::turkish::{Sayi, SayiForm};
    if let Some(Ok(Sayi {
        form: SayiForm::EYazisma { detsis, .. },
        ..
    })) = sayi.map(Sayi::parse)
    {
        if let Some(o) = orgs.iter().find(|o| o.detsis.as_deref() == Some(detsis.as_str())) {
            return Some((o.code.clone(), format!("DETSİS {detsis} in the sayı")));
        }
    }
    let head = tamim_core::turkish::upper(&heading.join(" "));
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let head = norm(&head);
    orgs.iter()
        .filter(|o| {
            let name = norm(&tamim_core::turkish::upper(&o.name));
            name.len() >= 4 && head.contains(&name)
        })
        .max_by_key(|o| o.name.len())
        .map(|o| (o.code.clone(), format!("its name {:?} in the heading", o.name)))
}
