//! The layout model of an official letter (`Letter`): plain data, deserialised from the TOML a
//! document template renders, and checked before anything is drawn.

use serde::{Deserialize, Serialize};

/// One official letter, ready to be laid out. Field names are documented in
/// `templates/documents/README.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// Page and type settings; every field has the regulation's default.
    #[serde(default)]
    pub settings: Settings,
    /// Heading lines, centred at the top of page 1 (`T.C.`, `İSTANBUL VALİLİĞİ`, …).
    pub heading: Vec<HeadingLine>,
    /// A centred bold title under the heading (e.g. `İLKE KARARI`); optional.
    #[serde(default)]
    pub title: Option<String>,
    /// The document number as printed (`4516`, `E-85840981-167.01-122254`).
    #[serde(default)]
    pub sayi: Option<String>,
    /// Extra numbered lines under sayı, colon-aligned with it (`Tamim No` → `2021/243`).
    #[serde(default)]
    pub numbers: Vec<NumberLine>,
    /// The date exactly as printed at the right of the sayı line (`05 Kasım 2021`); empty → none.
    #[serde(default)]
    pub date_text: String,
    /// The subject line, without a final period; wrapped before the page's centre line.
    #[serde(default)]
    pub konu: Option<String>,
    /// `ACELE` or `GÜNLÜDÜR`, printed in red capitals above the date.
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// Security classification, marked at the top and bottom of every page.
    #[serde(default)]
    pub classification: Option<Classification>,
    /// Prints the `DAĞITIMLI` marker above the date.
    #[serde(default)]
    pub dagitimli: bool,
    /// Addressee lines, centred, already upper-cased by the caller.
    #[serde(default)]
    pub muhatap: Vec<String>,
    /// References; lettered a), b), … when more than one.
    #[serde(default)]
    pub ilgi: Vec<String>,
    /// The body, in order.
    pub body: Vec<Block>,
    /// 1–4 signatories side by side in the right half; more are laid out in rows of four.
    #[serde(default)]
    pub signatories: Vec<Signatory>,
    /// Attachments block (`Ek:`); optional.
    #[serde(default)]
    pub ek: Option<Ek>,
    /// Distribution block (`Dağıtım:`); empty lists → no block.
    #[serde(default)]
    pub dagitim: Dagitim,
    /// The footer printed at the bottom of every page; optional.
    #[serde(default)]
    pub footer: Option<Footer>,
    /// Payload of the QR code drawn at the bottom right of page 1; optional.
    #[serde(default)]
    pub qr: Option<String>,
    /// Marks every page `TASLAK` (draft), diagonally in light grey.
    #[serde(default)]
    pub draft: bool,
    /// PDF document information.
    pub metadata: Metadata,
}

/// Page and type settings. Defaults follow the 2020 regulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Page margin on all sides, in centimetres (default 1.5).
    pub margin_cm: f32,
    /// Main font size in points (default 12).
    pub font_size: f32,
    /// Contact-block font size in points (default 8).
    pub contact_font_size: f32,
    /// First-line indent of paragraphs, in centimetres (default 1.25).
    pub indent_cm: f32,
    /// Line height as a multiple of the font size (default 1.15).
    pub line_spacing: f32,
    /// Extra space between body paragraphs, in points (default 0: no blank line).
    pub paragraph_spacing_pt: f32,
    /// Blank lines between the body and the signature names (default 2, 2–4 allowed).
    pub signature_gap_lines: u32,
    /// Prints the muhatap lines in bold.
    pub muhatap_bold: bool,
    /// Hyphenates Turkish words at line ends in justified text (default true).
    pub hyphenate: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            margin_cm: 1.5,
            font_size: 12.0,
            contact_font_size: 8.0,
            indent_cm: 1.25,
            line_spacing: 1.15,
            paragraph_spacing_pt: 0.0,
            signature_gap_lines: 2,
            muhatap_bold: false,
            hyphenate: true,
        }
    }
}

/// One heading line with its style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingLine {
    pub text: String,
    #[serde(default = "default_true")]
    pub bold: bool,
    /// Font size in points; the main size when absent.
    #[serde(default)]
    pub size: Option<f32>,
}

/// A labelled number printed under sayı (`Tamim No : 2021/243`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberLine {
    pub label: String,
    pub value: String,
}

/// Urgency marker printed in red above the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Urgency {
    pub level: UrgencyLevel,
    /// Deadline text printed after `GÜNLÜDÜR` (e.g. `(Son gün: 15.11.2021)`).
    #[serde(default)]
    pub deadline: Option<String>,
}

/// The only two urgency levels the regulation allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UrgencyLevel {
    #[serde(rename = "ACELE")]
    Acele,
    #[serde(rename = "GÜNLÜDÜR")]
    Gunludur,
}

/// Security classification (2022 rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Classification {
    #[serde(rename = "HİZMETE ÖZEL")]
    HizmeteOzel,
    #[serde(rename = "GİZLİ")]
    Gizli,
    #[serde(rename = "ÇOK GİZLİ")]
    CokGizli,
}

impl Classification {
    /// The marking as printed.
    pub fn label(self) -> &'static str {
        match self {
            Classification::HizmeteOzel => "HİZMETE ÖZEL",
            Classification::Gizli => "GİZLİ",
            Classification::CokGizli => "ÇOK GİZLİ",
        }
    }
}

/// Horizontal alignment of a body heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Center,
    Left,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// Justified paragraph with a first-line indent (unless `indent = false`).
    Paragraph {
        text: String,
        #[serde(default = "default_true")]
        indent: bool,
    },
    /// Bold heading, centred or at the left.
    Heading {
        text: String,
        #[serde(default)]
        align: Align,
    },
    /// Numbered item (`(1) …`) with a hanging indent.
    Item { number: String, text: String },
    /// Closing line (`Bilgi ve gereğini rica ederim.`): indented, not stretched.
    Closing { text: String },
}

/// One signatory: name, then title lines (`Vali a.`, `Vali Yardımcısı`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    #[serde(default)]
    pub titles: Vec<String>,
}

/// The attachments block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ek {
    /// Label, `Ek:` by default (e.g. `EKİ:`).
    #[serde(default)]
    pub label: Option<String>,
    /// Numbers the items (`1- …`) beneath the label even when there is only one.
    #[serde(default)]
    pub numbered: bool,
    pub items: Vec<String>,
}

/// The distribution block: `Gereği` (for action) and `Bilgi` (for information).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Dagitim {
    #[serde(default, rename = "gereği", alias = "geregi")]
    pub geregi: Vec<String>,
    #[serde(default)]
    pub bilgi: Vec<String>,
}

impl Dagitim {
    pub fn is_empty(&self) -> bool {
        self.geregi.is_empty() && self.bilgi.is_empty()
    }
}

/// The footer printed at the bottom of every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// E-signature statement (`Bu belge, güvenli elektronik imza ile imzalanmıştır.`).
    #[serde(default)]
    pub esign_statement: Option<String>,
    /// Verification code, printed at the left as `Doğrulama Kodu: …`.
    #[serde(default)]
    pub verification_code: Option<String>,
    /// Verification address, printed at the right as `Doğrulama Linki: …`.
    #[serde(default)]
    pub verification_url: Option<String>,
    /// Contact lines at the left below the rule (address, phone/fax, e-mail/web, KEP).
    #[serde(default)]
    pub contact: Vec<String>,
    /// Lines at the right below the rule; the first usually starts `Bilgi için:`.
    #[serde(default)]
    pub info: Vec<String>,
}

/// PDF document information. `creation_date` (ISO `YYYY-MM-DD`) sets the PDF dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    pub title: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub subject: String,
    pub creation_date: chrono::NaiveDate,
}

fn default_true() -> bool {
    true
}

impl Letter {
    /// Visits every piece of text the renderer may draw, with a name saying where it is.
    pub(crate) fn for_each_text(&self, f: &mut dyn FnMut(&str, &str)) {
        for (i, h) in self.heading.iter().enumerate() {
            f(&format!("heading[{i}]"), &h.text);
        }
        let mut opt = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                f(name, v);
            }
        };
        opt("title", &self.title);
        opt("sayi", &self.sayi);
        opt("konu", &self.konu);
        if let Some(u) = &self.urgency {
            opt("urgency.deadline", &u.deadline);
        }
        if let Some(e) = &self.ek {
            opt("ek.label", &e.label);
        }
        if let Some(ft) = &self.footer {
            opt("footer.esign_statement", &ft.esign_statement);
            opt("footer.verification_code", &ft.verification_code);
            opt("footer.verification_url", &ft.verification_url);
        }
        f("date_text", &self.date_text);
        for (i, n) in self.numbers.iter().enumerate() {
            f(&format!("numbers[{i}].label"), &n.label);
            f(&format!("numbers[{i}].value"), &n.value);
        }
        for (i, m) in self.muhatap.iter().enumerate() {
            f(&format!("muhatap[{i}]"), m);
        }
        for (i, m) in self.ilgi.iter().enumerate() {
            f(&format!("ilgi[{i}]"), m);
        }
        for (i, b) in self.body.iter().enumerate() {
            match b {
                Block::Paragraph { text, .. } | Block::Heading { text, .. } | Block::Closing { text } => {
                    f(&format!("body[{i}]"), text)
                }
                Block::Item { number, text } => {
                    f(&format!("body[{i}].number"), number);
                    f(&format!("body[{i}]"), text);
                }
            }
        }
        for (i, s) in self.signatories.iter().enumerate() {
            f(&format!("signatories[{i}].name"), &s.name);
            for t in &s.titles {
                f(&format!("signatories[{i}].titles"), t);
            }
        }
        if let Some(e) = &self.ek {
            for (i, t) in e.items.iter().enumerate() {
                f(&format!("ek.items[{i}]"), t);
            }
        }
        for (i, t) in self.dagitim.geregi.iter().enumerate() {
            f(&format!("dagitim.gereği[{i}]"), t);
        }
        for (i, t) in self.dagitim.bilgi.iter().enumerate() {
            f(&format!("dagitim.bilgi[{i}]"), t);
        }
        if let Some(ft) = &self.footer {
            for (i, t) in ft.contact.iter().enumerate() {
                f(&format!("footer.contact[{i}]"), t);
            }
            for (i, t) in ft.info.iter().enumerate() {
                f(&format!("footer.info[{i}]"), t);
            }
        }
    }
}
