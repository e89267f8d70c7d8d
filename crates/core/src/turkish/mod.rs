//! Pure Turkish-text functions: casing, alphabetical order, dates, document numbers (sayı) and ilgi citations.
//!
//! Nothing here does I/O or reads configuration, and no function panics on any input. The
//! rest of the crate changes the case of, sorts, parses or prints Turkish text only through
//! this module (see `domain.md`, "Turkish text rules that code gets wrong").

pub mod case;
pub mod citation;
pub mod collate;
pub mod date;
pub mod number;
pub mod sayi;
pub mod suffix;

pub use case::{fold, lower, title_word, title_words, upper};
pub use citation::{looks_like_citation, parse_citation, Citation};
pub use collate::{compare, sort, sort_key};
pub use date::{
    format_day, format_dotted, format_iso, format_long, format_time, format_upper, month_name, parse_date, DateError,
};
pub use sayi::{Sayi, SayiError, SayiForm, SayiFormKind};

/// Pages stated in an ek line: `… ve eki (5 sayfa)` → 5.
pub fn stated_pages(ek: &str) -> Option<i64> {
    let lower = lower(ek);
    let i = lower.find("sayfa")?;
    let before = lower[..i].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}
