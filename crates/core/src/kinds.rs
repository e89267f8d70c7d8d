//! Org kinds tamim knows by name, and how a cascade duty to each is printed.

/// Known org kinds: (code, the plural dative used in "… Duyurulacaktır").
pub const KINDS: &[(&str, &str)] = &[
    ("valilik", "İl Valiliklerine"),
    ("kaymakamlik", "İlçe Kaymakamlıklarına"),
    ("ilce-belediyesi", "İlçe Belediye Başkanlıklarına"),
    ("buyuksehir-belediyesi", "Büyükşehir Belediye Başkanlıklarına"),
    ("kamu-kurumu", "Kamu Kurum ve Kuruluşlarına"),
    ("birim", "Birimlere"),
    ("birlik", "Birliklere"),
    ("oda", "Odalara"),
    ("kurul", "Kurullara"),
];

/// The printed instruction for a cascade to child orgs of `kind`.
pub fn cascade_text(kind: &str) -> String {
    match KINDS.iter().find(|(k, _)| *k == kind) {
        Some((_, dative)) => format!("{dative} Duyurulacaktır"),
        None => format!("{kind} birimlerine duyurulacaktır"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cascade_texts() {
        assert_eq!(
            super::cascade_text("ilce-belediyesi"),
            "İlçe Belediye Başkanlıklarına Duyurulacaktır"
        );
    }
}
