//! The embedded Liberation Serif faces (regular and bold), parsed once, with glyph-advance
//! measurement used by the line breaker.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use super::RenderError;

static REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Regular.ttf"
));
static BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Bold.ttf"
));

/// Which face a run of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

/// One parsed face with a fast advance table for the Latin range.
pub(crate) struct FontFace {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    /// Advance in em for U+0000..U+0800; `None` where the font has no glyph.
    table: Vec<Option<f32>>,
}

const TABLE_LEN: u32 = 0x800;

impl FontFace {
    fn load(bytes: &[u8], name: &str) -> Result<FontFace, String> {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| format!("{name} could not be parsed"))?;
        let upem = parsed.font_metrics.units_per_em as f32;
        if upem <= 0.0 {
            return Err(format!("{name} has no units-per-em value"));
        }
        let mut face = FontFace {
            parsed,
            units_per_em: upem,
            table: Vec::new(),
        };
        face.table = (0..TABLE_LEN)
            .map(|cp| char::from_u32(cp).and_then(|c| face.lookup(c)))
            .collect();
        Ok(face)
    }

    fn lookup(&self, ch: char) -> Option<f32> {
        let gid = self.parsed.lookup_glyph_index(ch as u32)?;
        if gid == 0 {
            return None;
        }
        Some(self.parsed.get_horizontal_advance(gid) as f32 / self.units_per_em)
    }

    /// Advance of one character in em, or `None` when the font cannot show it.
    pub(crate) fn advance(&self, ch: char) -> Option<f32> {
        let cp = ch as u32;
        if cp < TABLE_LEN {
            self.table[cp as usize]
        } else {
            self.lookup(ch)
        }
    }

    /// Width of `text` at `size` points. Characters the font lacks count as zero (the whole
    /// letter is checked with [`Fonts::check`] before layout).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c).unwrap_or(0.0)).sum::<f32>() * size
    }
}

/// Both faces.
pub(crate) struct Fonts {
    pub(crate) regular: FontFace,
    pub(crate) bold: FontFace,
}

impl Fonts {
    /// The process-wide parsed fonts (parsed on first use).
    pub(crate) fn get() -> Result<&'static Fonts, RenderError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Ok(Fonts {
                    regular: FontFace::load(REGULAR_TTF, "LiberationSerif-Regular.ttf")?,
                    bold: FontFace::load(BOLD_TTF, "LiberationSerif-Bold.ttf")?,
                })
            })
            .as_ref()
            .map_err(|e| RenderError::Font(e.clone()))
    }

    pub(crate) fn face(&self, face: Face) -> &FontFace {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    pub(crate) fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        self.face(face).width(text, size)
    }

    /// Fails with `MissingGlyph` on the first character either face cannot show. Other
    /// control characters are not drawable either.
    pub(crate) fn check(&self, context: &str, text: &str) -> Result<(), RenderError> {
        for ch in text.chars() {
            if ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' {
                continue; // whitespace is normalised by the layout
            }
            let ok = !ch.is_control() && self.regular.advance(ch).is_some() && self.bold.advance(ch).is_some();
            if !ok {
                return Err(RenderError::MissingGlyph {
                    ch,
                    context: context.to_string(),
                });
            }
        }
        Ok(())
    }
}
