//! Turkish suffixes tamim needs when it writes a citation: the genitive (`Müdürlüğü'nün`, `Valiliğinin`).
//! No maintained Rust library does Turkish morphology; vowel harmony for this one suffix is a short rule.

const VOWELS: &str = "aeıioöuüAEIİOÖUÜ";

fn last_vowel(s: &str) -> Option<char> {
    s.chars().rev().find(|c| VOWELS.contains(*c))
}

/// The genitive suffix for `word` by four-way vowel harmony: `ın/in/un/ün`, with a buffer `n` after a vowel.
pub fn genitive_suffix(word: &str) -> String {
    let harmony = match last_vowel(word).map(|c| super::lower(&c.to_string())) {
        Some(v) if v == "a" || v == "ı" => "ın",
        Some(v) if v == "e" || v == "i" => "in",
        Some(v) if v == "o" || v == "u" => "un",
        Some(v) if v == "ö" || v == "ü" => "ün",
        _ => "in",
    };
    let ends_with_vowel = word.chars().last().is_some_and(|c| VOWELS.contains(c));
    if ends_with_vowel {
        format!("n{harmony}")
    } else {
        harmony.to_string()
    }
}

/// A proper name in the genitive, with the apostrophe official writing uses: `İl Yazı İşleri Müdürlüğü'nün`.
pub fn genitive_name(name: &str) -> String {
    let name = name.trim();
    let last = name.split_whitespace().last().unwrap_or(name);
    format!("{name}'{}", genitive_suffix(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genitives() {
        assert_eq!(
            genitive_name("İstanbul Valiliği, İl Yazı İşleri Müdürlüğü"),
            "İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün"
        );
        assert_eq!(
            genitive_name("Kamu Görevlileri Etik Kurulu"),
            "Kamu Görevlileri Etik Kurulu'nun"
        );
        assert_eq!(genitive_name("İstanbul Valiliği"), "İstanbul Valiliği'nin");
        assert_eq!(genitive_name("İESOB Başkanlık"), "İESOB Başkanlık'ın");
        assert_eq!(genitive_suffix("Birlik"), "in");
    }
}
