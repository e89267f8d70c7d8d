//! The kinds of official document tamim registers and issues, with every rule that depends on the kind in
//! one place: how it is stored and named, how a citation or an ek line calls it, whether it carries a yearly
//! number of its own (Tamim No 2021/243), how its file is named, which template issues it by default, how
//! many may sign it, and the label a letter's heading gives its number (read back when a letter comes in).
//!
//! Adding a kind: a variant here (the compiler then points to every `match` below) and, when it is issued
//! from a template of its own, that template in `templates/documents/`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(try_from = "String", into = "String")]
pub enum DocumentKind {
    /// An ordinary official letter (`yazı`), numbered by its sayı only.
    #[default]
    Yazi,
    /// A governorship's or ministry's circular (`genelge`).
    Genelge,
    /// A chamber union's circular to its member chambers (`tamim`, Tamim No 2021/243).
    Tamim,
    /// A board's principle decision (`ilke-kararı`, İlke Kararı 2021/81).
    IlkeKarari,
    /// A decision (`karar`, Karar No).
    Karar,
}

/// Every kind, in the order they are listed to a user.
pub const ALL: [DocumentKind; 5] = [
    DocumentKind::Yazi,
    DocumentKind::Genelge,
    DocumentKind::Tamim,
    DocumentKind::IlkeKarari,
    DocumentKind::Karar,
];

impl DocumentKind {
    /// As stored and as typed (`--kind`, `kind = "…"` in a draft).
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Yazi => "yazı",
            DocumentKind::Genelge => "genelge",
            DocumentKind::Tamim => "tamim",
            DocumentKind::IlkeKarari => "ilke-kararı",
            DocumentKind::Karar => "karar",
        }
    }

    /// A kind as a user may type it: the stored name, in any case, with or without Turkish letters
    /// (`yazi`, `İlke Kararı`, `ilke-karari`).
    pub fn parse(s: &str) -> Option<DocumentKind> {
        let folded: String = crate::turkish::lower(s.trim())
            .chars()
            .map(|c| match c {
                'ı' => 'i',
                ' ' | '_' => '-',
                c => c,
            })
            .collect();
        ALL.into_iter().find(|k| k.as_str().replace('ı', "i") == folded)
    }

    /// How a citation or an ek line names a document of this kind: `… sayılı genelgesi`.
    pub fn citation_word(self) -> &'static str {
        match self {
            DocumentKind::Yazi => "yazısı",
            DocumentKind::Genelge => "genelgesi",
            DocumentKind::Tamim => "tamimi",
            DocumentKind::IlkeKarari => "İlke Kararı",
            DocumentKind::Karar => "kararı",
        }
    }

    /// Whether the kind carries a yearly number of its own (Tamim No, Karar No) beside the sayı; a
    /// document of such a kind goes by that number (its label, its file name).
    pub fn numbered_by_kind(self) -> bool {
        matches!(
            self,
            DocumentKind::Tamim | DocumentKind::IlkeKarari | DocumentKind::Karar
        )
    }

    /// The label a document goes by in subjects, e-mails and registers: `Tamim 2021/243`,
    /// `Genelge E-85840981-167.01-122254`, `Sayı 4516`; `None` when it has neither number.
    pub fn label(self, kind_no: Option<&str>, sayi: Option<&str>) -> Option<String> {
        match (self, kind_no, sayi) {
            (DocumentKind::Tamim, Some(k), _) => Some(format!("Tamim {k}")),
            (DocumentKind::IlkeKarari, Some(k), _) => Some(format!("İlke Kararı {k}")),
            (DocumentKind::Genelge, _, Some(s)) => Some(format!("Genelge {s}")),
            (_, _, Some(s)) => Some(format!("Sayı {s}")),
            _ => None,
        }
    }

    /// The template a document of this kind is issued from unless the draft says otherwise.
    pub fn default_template(self) -> &'static str {
        match self {
            DocumentKind::Yazi => "ust-yazi",
            DocumentKind::Genelge => "genelge",
            DocumentKind::Tamim => "tamim",
            DocumentKind::IlkeKarari | DocumentKind::Karar => "karar",
        }
    }

    /// The kind a draft written for `template` issues by default (`draft forward`, `draft new`).
    pub fn for_template(template: &str) -> DocumentKind {
        match template {
            "tamim" => DocumentKind::Tamim,
            "genelge" => DocumentKind::Genelge,
            "karar" => DocumentKind::IlkeKarari,
            _ => DocumentKind::Yazi,
        }
    }

    /// How many may sign side by side; `None`: no limit (a board's decision is signed by all its members).
    pub fn max_signatories(self) -> Option<usize> {
        match self {
            DocumentKind::IlkeKarari | DocumentKind::Karar => None,
            _ => Some(4),
        }
    }

    /// The labels a letter's heading gives this kind's own number (`Tamim No: 2021/243`), lower-cased, the
    /// most specific first; read back when a letter comes in.
    pub fn number_labels(self) -> &'static [&'static str] {
        match self {
            DocumentKind::Tamim => &["tamim no"],
            DocumentKind::Karar => &["karar no"],
            DocumentKind::Genelge => &["genelge no", "genelge"],
            DocumentKind::Yazi | DocumentKind::IlkeKarari => &[],
        }
    }

    /// The known kinds as a user reads them: `yazı, genelge, tamim, ilke-kararı, karar`.
    pub fn list() -> String {
        ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<DocumentKind> for String {
    fn from(k: DocumentKind) -> String {
        k.as_str().to_string()
    }
}

impl TryFrom<String> for DocumentKind {
    type Error = crate::Error;
    fn try_from(s: String) -> Result<DocumentKind, crate::Error> {
        s.parse()
    }
}

impl std::str::FromStr for DocumentKind {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<DocumentKind, crate::Error> {
        DocumentKind::parse(s).ok_or_else(|| {
            crate::Error::invalid(
                "kind",
                format!("{s:?} is not a document kind; known kinds: {}", DocumentKind::list()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_stored_and_as_typed() {
        for k in ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
            assert_eq!(DocumentKind::parse(&crate::turkish::upper(k.as_str())), Some(k));
        }
        assert_eq!(DocumentKind::parse("yazi"), Some(DocumentKind::Yazi));
        assert_eq!(DocumentKind::parse("İlke Kararı"), Some(DocumentKind::IlkeKarari));
        assert_eq!(DocumentKind::parse("ilke-karari"), Some(DocumentKind::IlkeKarari));
        assert_eq!(DocumentKind::parse("duyuru"), None);
        let e = "duyuru".parse::<DocumentKind>().unwrap_err().to_string();
        assert_eq!(
            e,
            "kind: \"duyuru\" is not a document kind; known kinds: yazı, genelge, tamim, ilke-kararı, karar"
        );
    }

    #[test]
    fn a_kind_serializes_as_its_stored_name() {
        assert_eq!(
            serde_json::to_string(&DocumentKind::IlkeKarari).unwrap(),
            "\"ilke-kararı\""
        );
        let k: DocumentKind = serde_json::from_str("\"tamim\"").unwrap();
        assert_eq!(k, DocumentKind::Tamim);
        assert!(serde_json::from_str::<DocumentKind>("\"duyuru\"").is_err());
    }

    #[test]
    fn labels_and_templates() {
        assert_eq!(
            DocumentKind::Tamim.label(Some("2021/243"), Some("4516")).as_deref(),
            Some("Tamim 2021/243")
        );
        assert_eq!(
            DocumentKind::Genelge.label(None, Some("E-1")).as_deref(),
            Some("Genelge E-1")
        );
        assert_eq!(DocumentKind::Yazi.label(None, None), None);
        for k in ALL {
            // A kind's default template issues that kind, except a karar's, which issues the board's decision.
            let back = DocumentKind::for_template(k.default_template());
            assert!(back == k || k == DocumentKind::Karar, "{k}");
        }
    }
}
