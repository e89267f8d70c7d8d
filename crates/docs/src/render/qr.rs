//! The QR code of the verification payload, as a grid of dark/light modules drawn as vector
//! squares by the PDF writer.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel, Version};

use super::RenderError;

/// Quiet-zone width around the code, in modules.
const QUIET: usize = 2;

/// The payload in byte mode behind an ECI designator for UTF-8 (26), so readers do not guess
/// another charset for the Turkish letters; in the smallest version that holds it.
fn utf8_bits(data: &[u8]) -> Result<Bits, RenderError> {
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        let fits = bits.push_eci_designator(26).is_ok()
            && bits.push_byte_data(data).is_ok()
            && bits.push_terminator(EcLevel::M).is_ok();
        if fits {
            return Ok(bits);
        }
    }
    Err(RenderError::Qr(format!(
        "{} bytes are too many for a QR code",
        data.len()
    )))
}

/// The code's modules, row by row, with a quiet zone: `(side, dark flags)`.
///
/// Built like `QrCode::with_error_correction_level`, but with one fixed mask pattern instead of
/// scoring all eight (any mask is valid; the scoring was an eighth of the render time).
pub(crate) fn modules(payload: &str) -> Result<(usize, Vec<bool>), RenderError> {
    let err = |e: qrcode::types::QrError| RenderError::Qr(e.to_string());
    let bits = utf8_bits(payload.as_bytes())?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (encoded, ec) = construct_codewords(&data, version, EcLevel::M).map_err(err)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let colors = canvas.into_colors();
    let w = version.width().max(0) as usize;
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
        assert!(
            (0..7).all(|i| at(q + i, q) && at(q, q + i) && at(q + 6, q + i)),
            "finder ring"
        );
        assert!(!at(q + 1, q + 1) && at(q + 3, q + 3), "finder centre");
        let reference = qrcode::QrCode::with_error_correction_level("x".as_bytes(), qrcode::EcLevel::M).unwrap();
        assert_eq!(super::modules("x").unwrap().0, reference.width() + 2 * q);
    }
}
