//! The QR code of the verification payload, as a grid of dark/light modules drawn as vector
//! squares by the PDF writer.

use qrcode::{Color, EcLevel, QrCode};

use super::RenderError;

/// Quiet-zone width around the code, in modules.
const QUIET: usize = 2;

/// The code's modules, row by row, with a quiet zone: `(side, dark flags)`.
pub(crate) fn modules(payload: &str) -> Result<(usize, Vec<bool>), RenderError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| RenderError::Qr(e.to_string()))?;
    let w = code.width();
    let colors = code.to_colors();
    let n = w + 2 * QUIET;
    let mut out = vec![false; n * n];
    for y in 0..w {
        for x in 0..w {
            if colors.get(y * w + x) == Some(&Color::Dark) {
                out[(y + QUIET) * n + x + QUIET] = true;
            }
        }
    }
    Ok((n, out))
}
