//! Drafts: the human-editable TOML a clerk fills in (or `tamim draft forward` pre-fills) before issuing.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::{Error, Result};
use crate::registry::validate;

/// A draft of an outgoing document. Unknown keys are an error naming the key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// Template in templates/documents: `tamim`, `genelge`, `ust-yazi`, `karar`.
    pub template: String,
    /// Document kind (`tamim_core::DocumentKind`): `yazı`, `genelge`, `tamim`, `ilke-kararı`, `karar`; a kind
    /// numbered by its own yearly number takes it (`Tamim No: 2021/243`).
    pub kind: tamim_core::DocumentKind,
    /// Date of issue (`05.11.2021`, `05 Kasım 2021`); the day of issue when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tarih: Option<String>,
    /// How the date is printed: `long` (05 Kasım 2021), `upper` (12 EKİM 2021), `dotted` (02.11.2021).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_style: Option<String>,
    pub konu: String,
    /// Addressee lines; upper-cased the Turkish way when printed.
    #[serde(default)]
    pub muhatap: Vec<String>,
    #[serde(default)]
    pub ilgi: Vec<DraftIlgi>,
    /// Paragraphs (strings) or blocks (`{ type = "heading", text = "…" }`, `{ type = "item", number = "(1)", text = "…" }`).
    #[serde(default)]
    pub body: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    #[serde(default)]
    pub imza: Vec<DraftSignatory>,
    #[serde(default)]
    pub ek: Vec<DraftEk>,
    /// Distribution lists the document goes to (frozen into deliveries when sent).
    #[serde(default)]
    pub to: Vec<String>,
    /// The printed Dağıtım block; made from the lists' entries when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dagitim: Option<DraftDagitim>,
    /// Print a Dağıtım block at all (a tamim to each chamber has none).
    #[serde(default = "yes")]
    pub print_dagitim: bool,
    /// `ACELE` or `GÜNLÜDÜR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
    /// The deadline of a `GÜNLÜDÜR` document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// `HİZMETE ÖZEL`, `GİZLİ`, `ÇOK GİZLİ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// A board decision's title (`İLKE KARARI`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DraftIlgi {
    /// A registered document (`#12` or its sayı).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The citation as printed; made from the document when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DraftSignatory {
    pub name: String,
    #[serde(default)]
    pub title: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DraftEk {
    /// The line as printed: `… genelgesi ve eki (5 sayfa)`.
    pub text: String,
    /// A registered document whose file (our stamped copy when there is one) is appended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// A PDF file to append.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DraftDagitim {
    #[serde(default, rename = "gereği")]
    pub gereği: Vec<String>,
    #[serde(default)]
    pub bilgi: Vec<String>,
}

pub const URGENCIES: &[&str] = &["ACELE", "GÜNLÜDÜR"];
pub const CLASSIFICATIONS: &[&str] = &["HİZMETE ÖZEL", "GİZLİ", "ÇOK GİZLİ"];

impl Draft {
    pub fn parse(text: &str) -> Result<Draft> {
        toml::from_str(text).map_err(|e| Error::invalid("draft", e.to_string().trim().to_string()))
    }

    pub fn from_file(path: &Path) -> Result<Draft> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Draft::parse(&text).map_err(|e| match e {
            Error::Domain(tamim_core::Error::Invalid { problem, .. }) => {
                Error::invalid(path.display().to_string(), problem)
            }
            other => other,
        })
    }

    /// The draft as TOML with a short guide on top, for a person to edit.
    pub fn to_toml(&self) -> Result<String> {
        let body = toml::to_string_pretty(self).map_err(|e| Error::invalid("draft", e.to_string()))?;
        Ok(format!(
            "# tamim draft: edit, look at it with `tamim issue --preview FILE`, then issue with `tamim issue FILE`.\n\
             # Fields are described in README.md (\"The draft format\").\n\n{body}"
        ))
    }

    /// Every check that needs no registry: one-line fields, signatories, known urgency and classification.
    pub fn validate(&self) -> Result<()> {
        validate::code("template", &self.template)?;
        validate::text("konu", &self.konu, 500)?;
        for (i, m) in self.muhatap.iter().enumerate() {
            validate::text(&format!("muhatap[{}]", i + 1), m, 300)?;
        }
        if self.imza.is_empty() {
            return Err(Error::invalid(
                "imza",
                "the draft has no signatory; add at least one [[imza]] with name and title",
            ));
        }
        if let Some(max) = self.kind.max_signatories().filter(|m| self.imza.len() > *m) {
            return Err(Error::invalid(
                "imza",
                format!(
                    "{} signatories; a {} carries 1 to {max} side by side",
                    self.imza.len(),
                    self.kind
                ),
            ));
        }
        for (i, s) in self.imza.iter().enumerate() {
            validate::text(&format!("imza[{}].name", i + 1), &s.name, 120)?;
            for t in &s.title {
                validate::text(&format!("imza[{}].title", i + 1), t, 120)?;
            }
        }
        for (i, g) in self.ilgi.iter().enumerate() {
            if g.doc.is_none() && g.text.is_none() {
                return Err(Error::invalid(
                    format!("ilgi[{}]", i + 1),
                    "needs doc (a registered document) or text (the citation as printed)",
                ));
            }
            if let Some(t) = &g.text {
                validate::text(&format!("ilgi[{}].text", i + 1), t, 1000)?;
            }
        }
        for (i, e) in self.ek.iter().enumerate() {
            validate::text(&format!("ek[{}].text", i + 1), &e.text, 1000)?;
            if e.doc.is_some() && e.file.is_some() {
                return Err(Error::invalid(format!("ek[{}]", i + 1), "give doc or file, not both"));
            }
        }
        for (i, b) in self.body.iter().enumerate() {
            let text = match b {
                serde_json::Value::String(s) => Some(s.as_str()),
                serde_json::Value::Object(o) => o.get("text").and_then(|t| t.as_str()),
                _ => {
                    return Err(Error::invalid(
                        format!("body[{}]", i + 1),
                        "must be a paragraph (text) or a block table",
                    ))
                }
            };
            if text.is_some_and(|t| t.trim().is_empty()) {
                return Err(Error::invalid(format!("body[{}]", i + 1), "is empty"));
            }
            if let serde_json::Value::Object(o) = b {
                for (k, v) in o {
                    if let Some(t) = v.as_str() {
                        validate::visible(&format!("body[{}].{k}", i + 1), t)?;
                    }
                }
            } else if let Some(t) = text {
                validate::visible(&format!("body[{}]", i + 1), t)?;
            }
        }
        for (field, t) in [
            ("closing", &self.closing),
            ("title", &self.title),
            ("urgency", &self.urgency),
            ("deadline", &self.deadline),
            ("tarih", &self.tarih),
        ] {
            if let Some(t) = t {
                validate::visible(field, t)?;
            }
        }
        for (i, l) in self.to.iter().enumerate() {
            validate::visible(&format!("to[{}]", i + 1), l)?;
        }
        if let Some(g) = &self.dagitim {
            for (key, lines) in [("gereği", &g.gereği), ("bilgi", &g.bilgi)] {
                for (i, t) in lines.iter().enumerate() {
                    validate::visible(&format!("dagitim.{key}[{}]", i + 1), t)?;
                }
            }
        }
        for (i, e) in self.ek.iter().enumerate() {
            for (k, v) in [("doc", &e.doc), ("file", &e.file)] {
                if let Some(v) = v {
                    validate::visible(&format!("ek[{}].{k}", i + 1), v)?;
                }
            }
        }
        for (i, g) in self.ilgi.iter().enumerate() {
            if let Some(v) = &g.doc {
                validate::visible(&format!("ilgi[{}].doc", i + 1), v)?;
            }
        }
        if let Some(u) = &self.urgency {
            if !URGENCIES.contains(&u.as_str()) {
                return Err(Error::invalid("urgency", format!("{u:?} is not ACELE or GÜNLÜDÜR")));
            }
            if u == "GÜNLÜDÜR" && self.deadline.is_none() {
                return Err(Error::invalid("deadline", "a GÜNLÜDÜR document states its deadline"));
            }
        }
        if let Some(d) = &self.deadline {
            tamim_core::turkish::parse_date(d).map_err(|e| Error::bad_date("deadline", e))?;
        }
        if let Some(c) = &self.classification {
            if !CLASSIFICATIONS.contains(&c.as_str()) {
                return Err(Error::invalid(
                    "classification",
                    format!("{c:?} is not HİZMETE ÖZEL, GİZLİ or ÇOK GİZLİ"),
                ));
            }
        }
        if let Some(s) = &self.date_style {
            if !["long", "upper", "dotted"].contains(&s.as_str()) {
                return Err(Error::invalid(
                    "date_style",
                    format!("{s:?} is not long, upper or dotted"),
                ));
            }
        }
        if let Some(t) = &self.tarih {
            tamim_core::turkish::parse_date(t).map_err(|e| Error::bad_date("tarih", e))?;
        }
        Ok(())
    }
}
