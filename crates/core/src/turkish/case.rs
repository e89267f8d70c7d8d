//! Turkish upper-, lower- and title-casing (`i`↔`İ`, `ı`↔`I`), via ICU4X with the `tr` locale.
//!
//! Rust's `str::to_uppercase` maps `i` to `I`, which is wrong for Turkish
//! ("istanbul" must become "İSTANBUL"). Everything in tamim that changes the case of
//! Turkish text goes through this module.

use icu_casemap::options::TitlecaseOptions;
use icu_casemap::CaseMapper;
use icu_locale_core::{langid, LanguageIdentifier};

/// The language every mapping here uses.
const TR: LanguageIdentifier = langid!("tr");

/// Short words kept lower-case inside a title ("Esnaf ve Sanatkarlar").
const LOWER_IN_TITLES: &[&str] = &["ve", "ile", "veya", "ya", "da", "de", "ki"];

/// Upper-cases `s` by Turkish rules: "istanbul valiliği" → "İSTANBUL VALİLİĞİ".
pub fn upper(s: &str) -> String {
    CaseMapper::new().uppercase_to_string(s, &TR).into_owned()
}

/// Lower-cases `s` by Turkish rules: "ISPARTA" → "ısparta", "İZMİR" → "izmir".
pub fn lower(s: &str) -> String {
    CaseMapper::new().lowercase_to_string(s, &TR).into_owned()
}

/// A name folded for matching, the Turkish way: lower-cased by Turkish rules, ı ş ğ ü ö ç â î û folded to
/// i s g u o c a i u, every run of other characters than letters and digits one space. "MUĞLA VALİLİĞİ",
/// "Muğla Valiliği" and "Mugla  Valiligi" all fold to "mugla valiligi".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in lower(s).chars() {
        let c = match c {
            'ı' => 'i',
            'ş' => 's',
            'ğ' => 'g',
            'ü' => 'u',
            'ö' => 'o',
            'ç' => 'c',
            'â' => 'a',
            'î' => 'i',
            'û' => 'u',
            c if c.is_alphanumeric() => c,
            // The combining dot lower() leaves after an "i" of a word that was upper-case elsewhere.
            '\u{307}' => continue,
            _ => ' ',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Title-cases one word by Turkish rules: its first letter upper-case, the rest lower-case
/// ("iSTANBUL" → "İstanbul", "ısparta" → "Isparta"). Leading punctuation is skipped
/// ("(istanbul" → "(İstanbul"); text after an apostrophe stays lower-case
/// ("MÜDÜRLÜĞÜ'NÜN" → "Müdürlüğü'nün").
pub fn title_word(s: &str) -> String {
    CaseMapper::new()
        .titlecase_segment_with_only_case_data_to_string(s, &TR, TitlecaseOptions::default())
        .into_owned()
}

/// Title-cases every whitespace-separated word of `s` with [`title_word`], keeping the
/// whitespace as it is, and keeping the conjunctions "ve", "ile", "veya", "ya", "da", "de"
/// and "ki" lower-case unless they start the text:
/// "İL YAZI İŞLERİ MÜDÜRLÜĞÜ" → "İl Yazı İşleri Müdürlüğü",
/// "ESNAF VE SANATKARLAR" → "Esnaf ve Sanatkarlar".
pub fn title_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let low = lower(word);
        if !*first && LOWER_IN_TITLES.contains(&low.as_str()) {
            out.push_str(&low);
        } else {
            out.push_str(&title_word(word));
        }
        *first = false;
        word.clear();
    };
    for ch in s.chars() {
        if ch.is_whitespace() {
            flush(&mut word, &mut out, &mut first);
            out.push(ch);
        } else {
            word.push(ch);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_whatever_the_case_keyboard_or_spacing() {
        assert_eq!(fold("MUĞLA VALİLİĞİ"), "mugla valiligi");
        assert_eq!(fold("Muğla Valiliği"), "mugla valiligi");
        assert_eq!(fold("  Mugla\tValiligi. "), "mugla valiligi");
        assert_eq!(fold("ÇANKAYA KAYMAKAMLIĞI"), "cankaya kaymakamligi");
        assert_eq!(fold("ISPARTA"), "isparta");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn upper_uses_dotted_capital_i() {
        assert_eq!(upper("istanbul valiliği"), "İSTANBUL VALİLİĞİ");
        assert_eq!(upper("dağıtım yerlerine"), "DAĞITIM YERLERİNE");
        assert_eq!(upper("odası başkanlığına"), "ODASI BAŞKANLIĞINA");
        assert_eq!(upper("12 ekim 2021"), "12 EKİM 2021");
        assert_eq!(upper("çğıöşü"), "ÇĞIÖŞÜ");
        assert_eq!(upper(""), "");
    }

    #[test]
    fn lower_uses_dotless_small_i() {
        assert_eq!(lower("ISPARTA"), "ısparta");
        assert_eq!(lower("İZMİR"), "izmir");
        assert_eq!(lower("KAMU GÖREVLİLERİ ETİK KURULU"), "kamu görevlileri etik kurulu");
        assert_eq!(lower("ÇĞIİÖŞÜ"), "çğıiöşü");
    }

    #[test]
    fn round_trip_keeps_the_four_is_apart() {
        let s = "ıiIİ";
        assert_eq!(upper(s), "IİIİ");
        assert_eq!(lower(s), "ıiıi");
    }

    #[test]
    fn title_word_first_letter_only() {
        assert_eq!(title_word("iSTANBUL"), "İstanbul");
        assert_eq!(title_word("ısparta"), "Isparta");
        assert_eq!(title_word("İZMİR"), "İzmir");
        assert_eq!(title_word("(istanbul"), "(İstanbul");
        assert_eq!(title_word("MÜDÜRLÜĞÜ'NÜN"), "Müdürlüğü'nün");
        assert_eq!(title_word(""), "");
        assert_eq!(title_word("123"), "123");
    }

    #[test]
    fn title_words_keeps_conjunctions_and_spacing() {
        assert_eq!(title_words("İL YAZI İŞLERİ MÜDÜRLÜĞÜ"), "İl Yazı İşleri Müdürlüğü");
        assert_eq!(
            title_words("İSTANBUL ESNAF VE SANATKARLAR ODALARI BİRLİĞİ"),
            "İstanbul Esnaf ve Sanatkarlar Odaları Birliği"
        );
        assert_eq!(title_words("ve  ILGI\tyazı"), "Ve  Ilgı\tYazı");
        assert_eq!(title_words("  "), "  ");
    }
}
