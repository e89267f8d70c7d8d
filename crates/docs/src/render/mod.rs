//! PDF rendering of official letters (genelge / tamim / üst yazı / karar) laid out as the 2020
//! regulation on official correspondence asks, and the document templates that produce them.
//!
//! `render_template` turns a template and a JSON context into a [`Letter`]; [`render`] turns a
//! `Letter` into PDF bytes.

mod blocks;
mod draw;
mod font;
mod layout;
pub mod letter;
mod linebreak;
mod paginate;
mod pdf;
mod qr;
pub mod template;
#[cfg(test)]
mod tests;

pub use letter::*;
pub use pdf::render;
pub use template::{render_template, TemplateError};

/// Why a letter could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A character none of the embedded fonts can show; nothing was produced.
    #[error("the font cannot show {ch:?} (U+{code:04X}) in {context}", code = *ch as u32)]
    MissingGlyph { ch: char, context: String },
    /// The letter breaks a rule the layout cannot repair.
    #[error("invalid letter: {0}")]
    Invalid(String),
    /// The embedded font could not be loaded.
    #[error("could not load the embedded font: {0}")]
    Font(String),
    /// The QR payload could not be encoded.
    #[error("could not build the QR code: {0}")]
    Qr(String),
    /// The PDF writer produced something unexpected.
    #[error("could not write the PDF: {0}")]
    Pdf(String),
}
