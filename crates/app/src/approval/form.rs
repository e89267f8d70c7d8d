//! A draft as the `/taslak` form holds it: every field a text, one item a line (`#12 | metin` where a line
//! names a registered document and its printed text). [`DraftForm::to_draft`] reads a posted form into the
//! TOML [`Draft`] (the exchange format) over the stored one, keeping what the form does not show (tarih,
//! urgency …); [`DraftForm::of_draft`] fills the form from a draft and its chain.

use serde::{Deserialize, Serialize};

use super::{body, ApprovalError, Chain};
use crate::issue::draft::{Draft, DraftEk, DraftIlgi, DraftSignatory};
use crate::registry::home::Registry;
use tamim_core::DocumentKind;

/// The templates a draft may use, as the form lists them (value, label).
pub const TEMPLATES: [(&str, &str); 4] = [
    ("tamim", "Tamim (odalara)"),
    ("ust-yazi", "Üst yazı"),
    ("genelge", "Genelge"),
    ("karar", "Karar"),
];

/// The form's fields (the names the page posts).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct DraftForm {
    pub sablon: String,
    pub tur: String,
    pub konu: String,
    /// Muhatap lines.
    pub muhatap: String,
    /// `#12` or `#12 | the citation as printed`, one a line.
    pub ilgi: String,
    /// The body in [`body`]'s line syntax.
    pub metin: String,
    pub kapanis: String,
    /// `#12 | the ek line as printed (5 sayfa)`, or the line alone, one a line.
    pub ekler: String,
    /// Distribution lists (names), separated by commas, spaces or lines.
    pub dagitim: String,
    /// `on` when the Dağıtım block is printed.
    pub dagitim_yazdir: Option<String>,
    /// `Ad SOYAD | Unvan | …`, one signatory a line.
    pub imzalar: String,
    /// The paraf users in order (usernames, separated by commas or spaces).
    pub paraf: String,
    /// The imza user (username); the office's default when empty.
    pub imzaci: String,
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `left | right` of a line, `left` empty when there is no bar and the line does not name a document.
fn doc_and_text(line: &str) -> (Option<String>, Option<String>) {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    match line.split_once('|') {
        Some((doc, text)) => (some(doc), some(text)),
        None if line.starts_with('#') && !line.contains(char::is_whitespace) => (some(line), None),
        None => (None, some(line)),
    }
}

fn field(field: &str, problem: impl Into<String>) -> ApprovalError {
    ApprovalError::Field {
        field: field.to_string(),
        problem: problem.into(),
    }
}

impl DraftForm {
    /// The draft this form describes, over `base` (the stored draft, or an empty one).
    pub fn to_draft(&self, base: Draft) -> Result<Draft, ApprovalError> {
        let template = self.sablon.trim();
        if !TEMPLATES.iter().any(|(t, _)| *t == template) {
            return Err(field(
                "şablon",
                format!("\"{template}\" bilinmiyor; şunlardan biri seçilmeli: tamim, ust-yazi, genelge, karar"),
            ));
        }
        let kind = match self.tur.trim() {
            "" => DocumentKind::for_template(template),
            t => DocumentKind::parse(t)
                .ok_or_else(|| field("tür", format!("\"{t}\" bilinmiyor (örn. tamim, genelge, yazı)")))?,
        };
        let konu = self.konu.trim();
        if konu.is_empty() {
            return Err(field("konu", "boş olamaz"));
        }
        let mut ilgi = Vec::new();
        for (i, l) in lines(&self.ilgi).enumerate() {
            let (doc, text) = doc_and_text(l);
            if doc.as_deref().is_some_and(|d| !d.starts_with('#')) {
                return Err(field(
                    &format!("ilgi {}. satır", i + 1),
                    "kayıtlı evrak #numarasıyla yazılmalı (örn. #12 | ilgi metni)",
                ));
            }
            ilgi.push(DraftIlgi { doc, text });
        }
        let mut ek = Vec::new();
        for (i, l) in lines(&self.ekler).enumerate() {
            let (doc, text) = doc_and_text(l);
            if doc.as_deref().is_some_and(|d| !d.starts_with('#')) {
                return Err(field(
                    &format!("ekler {}. satır", i + 1),
                    "kayıtlı evrak #numarasıyla yazılmalı (örn. #12 | Genelge ve eki (3 sayfa))",
                ));
            }
            let Some(text) = text else {
                return Err(field(
                    &format!("ekler {}. satır", i + 1),
                    "ekin basılacak satırı yok (örn. #12 | Genelge ve eki (3 sayfa))",
                ));
            };
            ek.push(DraftEk { text, doc, file: None });
        }
        let imza: Vec<DraftSignatory> = lines(&self.imzalar)
            .map(|l| {
                let mut parts = l.split('|').map(str::trim).filter(|p| !p.is_empty());
                DraftSignatory {
                    name: parts.next().unwrap_or_default().to_string(),
                    title: parts.map(str::to_string).collect(),
                }
            })
            .collect();
        if imza.is_empty() {
            return Err(field(
                "imzalar",
                "en az bir imza sahibi gerekir (örn. Ömer DEMİR | Genel Sekreter)",
            ));
        }
        let body = body::parse(&self.metin);
        if body.is_empty() {
            return Err(field("metin", "boş olamaz"));
        }
        Ok(Draft {
            template: template.to_string(),
            kind,
            konu: konu.to_string(),
            muhatap: lines(&self.muhatap).map(str::to_string).collect(),
            ilgi,
            body,
            closing: Some(self.kapanis.trim().to_string()).filter(|s| !s.is_empty()),
            imza,
            ek,
            to: words(&self.dagitim),
            print_dagitim: self.dagitim_yazdir.is_some(),
            ..base
        })
    }

    /// The chain the form names (the office's default fills what it leaves empty, when checked).
    pub fn chain(&self) -> Chain {
        Chain {
            paraf: words(&self.paraf),
            imza: Some(self.imzaci.trim().to_string()).filter(|s| !s.is_empty()),
        }
    }

    /// The form showing `d` with its chain.
    pub fn of_draft(d: &Draft, chain: &Chain) -> DraftForm {
        let bar = |doc: &Option<String>, text: &Option<String>| match (doc, text) {
            (Some(d), Some(t)) => format!("{d} | {t}"),
            (Some(d), None) => d.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        };
        DraftForm {
            sablon: d.template.clone(),
            tur: d.kind.as_str().to_string(),
            konu: d.konu.clone(),
            muhatap: d.muhatap.join("\n"),
            ilgi: d
                .ilgi
                .iter()
                .map(|g| bar(&g.doc, &g.text))
                .collect::<Vec<_>>()
                .join("\n"),
            metin: body::to_text(&d.body),
            kapanis: d.closing.clone().unwrap_or_default(),
            ekler: d
                .ek
                .iter()
                .map(|e| bar(&e.doc, &Some(e.text.clone())))
                .collect::<Vec<_>>()
                .join("\n"),
            dagitim: d.to.join(", "),
            dagitim_yazdir: d.print_dagitim.then(|| "on".to_string()),
            imzalar: d
                .imza
                .iter()
                .map(|s| {
                    std::iter::once(s.name.as_str())
                        .chain(s.title.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            paraf: chain.paraf.join(", "),
            imzaci: chain.imza.clone().unwrap_or_default(),
        }
    }
}

/// A new draft's starting point: a follow-on of the registered document `kaynak` (as `tamim draft forward`
/// writes it), or an empty draft of `template`; with the office's default chain.
pub fn prefill(reg: &Registry, kaynak: Option<&str>, template: &str) -> crate::error::Result<(Draft, Chain)> {
    let d = match kaynak {
        Some(k) => {
            let id = crate::registry::document::resolve(&reg.store.conn, k).map_err(|_| ApprovalError::Unknown {
                field: "kaynak".into(),
                key: k.to_string(),
            })?;
            let doc = crate::registry::document::load(&reg.store.conn, id)?;
            crate::issue::forward::forward(reg, &doc, template, None, &[], None)?
        }
        None => crate::issue::forward::new_draft(reg, template, &[]),
    };
    Ok((d, Chain::default_of(&reg.config)))
}

/// The stored draft's TOML read back.
pub fn stored(row: &super::Row) -> crate::error::Result<Draft> {
    Draft::parse(&row.toml)
}

/// The stored draft's chain.
pub fn chain_of(row: &super::Row) -> Chain {
    Chain {
        paraf: row.paraf.clone(),
        imza: Some(row.imza.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_into_a_draft_and_back() {
        let f = DraftForm {
            sablon: "tamim".into(),
            konu: "Sosyal Medya Etik İlkeleri hk.".into(),
            muhatap: "ODASI BAŞKANLIĞINA".into(),
            ilgi: "#1 | İstanbul Valiliğinin genelgesi".into(),
            metin: "Birinci paragraf.\n(1) madde".into(),
            ekler: "#1 | Genelge ve eki (3 sayfa)\nListe (1 sayfa)".into(),
            dagitim: "odalar, kurullar".into(),
            imzalar: "Ömer DEMİR | Genel Sekreter\nEngin TÜRKMEN | Başkan Vekili".into(),
            paraf: "sef mudur".into(),
            ..Default::default()
        };
        let d = f.to_draft(Draft::default()).unwrap();
        assert_eq!(d.kind, DocumentKind::Tamim);
        assert_eq!(d.ek[0].doc.as_deref(), Some("#1"));
        assert_eq!(d.ek[1].doc, None);
        assert_eq!(d.to, vec!["odalar", "kurullar"]);
        assert_eq!(d.imza[0].title, vec!["Genel Sekreter"]);
        assert!(!d.print_dagitim);
        let chain = f.chain();
        assert_eq!(chain.paraf, vec!["sef", "mudur"]);
        let back = DraftForm::of_draft(&d, &chain);
        assert_eq!(back.to_draft(Draft::default()).unwrap(), d);
        let bad = DraftForm {
            ekler: "#1".into(),
            ..f.clone()
        };
        assert!(matches!(
            bad.to_draft(Draft::default()),
            Err(ApprovalError::Field { .. })
        ));
        let bad = DraftForm {
            imzalar: String::new(),
            ..f
        };
        assert!(bad
            .to_draft(Draft::default())
            .unwrap_err()
            .message_tr()
            .contains("imza sahibi"));
    }
}
