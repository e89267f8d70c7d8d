//! Reading incoming documents so the clerk only checks and confirms: PDF letters by their text layer, e-Yazışma packages by their metadata.
//!
//! Code map: `text` (bounded text-layer reading: lines in reading order), `pdf_letter` (the
//! letter's fields, each with a confidence), `split` (which pages after the letter belong to
//! which `Ek:` item), `issuer` (the registered office that issued it, or the one its heading
//! proposes), `eyp` (e-Yazışma v2 packages: reading with digest checks), `eyp_write` (an issued
//! document as an unsigned v2 package).
//!
//! Architecture invariant: nothing here writes to the registry or prints; `cli/intake.rs`
//! shows what was found and `registry::receive` registers it.

pub mod eyp;
pub mod eyp_write;
pub mod issuer;
pub mod pdf_letter;
pub mod split;
pub mod text;

use serde::Serialize;

pub use issuer::{find_issuer, By, Known, ProposedOrg};
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
