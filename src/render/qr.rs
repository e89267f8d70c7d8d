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

#[cfg(test)]
mod tests {
    #[test]
    fn finder_pattern_and_quiet_zone() {
        let (n, m) = super::modules("İstanbul Valiliği\nE-85840981-167.01-122254").unwrap();
        let at = |x: usize, y: usize| m[y * n + x];
        assert!((0..n).all(|i| !at(i, 0) && !at(0, i)), "quiet zone");
        let q = super::QUIET;
        assert!((0..7).all(|i| at(q + i, q) && at(q, q + i) && at(q + 6, q + i)), "finder ring");
        assert!(!at(q + 1, q + 1) && at(q + 3, q + 3), "finder centre");
    }
}
