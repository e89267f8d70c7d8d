//! Numbers as Turkish writes them, through ICU4X's decimal formatting for `tr`: `1.000.350`, `100,0`,
//! `%61,1` (the percent sign before the number).

use icu_decimal::input::Decimal;
use icu_decimal::{DecimalFormatter, DecimalFormatterPreferences};
use icu_locale_core::locale;

thread_local! {
    /// The formatter for `tr`, made once per thread (its data is compiled into the binary).
    static TR: Option<DecimalFormatter> =
        DecimalFormatter::try_new(DecimalFormatterPreferences::from(&locale!("tr")), Default::default()).ok();
}

fn format(d: &Decimal) -> String {
    TR.with(|f| match f {
        Some(f) => f.format(d).to_string(),
        None => d.to_string(),
    })
}

/// A whole number with thousands grouped: `1.000.350`.
pub fn integer(n: i64) -> String {
    format(&Decimal::from(n))
}

/// `x` with one decimal, rounded half away from zero: `61,1`, `100,0`, `1.234,5`.
pub fn one_decimal(x: f64) -> String {
    let tenths = if x.is_finite() { (x * 10.0).round() as i64 } else { 0 };
    let mut d = Decimal::from(tenths);
    d.multiply_pow10(-1);
    // Keep the digit after the comma when it is zero (`100,0`).
    d.absolute.pad_end(-1);
    format(&d)
}

/// A percentage with one decimal, as Turkish writes it: `%61,1`.
pub fn percent(x: f64) -> String {
    format!("%{}", one_decimal(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_turkish_way() {
        assert_eq!(integer(1_000_350), "1.000.350");
        assert_eq!(integer(18), "18");
        assert_eq!(integer(-4516), "-4.516");
        assert_eq!(one_decimal(100.0), "100,0");
        assert_eq!(one_decimal(0.0), "0,0");
        assert_eq!(one_decimal(61.1111), "61,1");
        assert_eq!(one_decimal(1234.56), "1.234,6");
        assert_eq!(percent(61.111), "%61,1");
        assert_eq!(percent(100.0), "%100,0");
        assert_eq!(one_decimal(f64::NAN), "0,0");
    }
}
