//! The template context: `office` from office.toml and `doc` from the draft and the numbers it was given.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::draft::Draft;
use crate::config::OfficeConfig;
use tamim_core::turkish;

/// The numbers an issued document carries (placeholders in a preview).
pub struct Numbers {
    pub sayi: String,
    pub kind_no: String,
    pub verification: Option<(String, String)>,
    /// The document carries a secure electronic signature: the footer may say so.
    pub signed: bool,
}

/// How the date is printed by default for a template.
pub fn default_date_style(template: &str) -> &'static str {
    match template {
        "genelge" | "karar" => "dotted",
        _ => "long",
    }
}

pub fn date_text(style: &str, d: NaiveDate) -> String {
    match style {
        "upper" => turkish::format_upper(d),
        "dotted" => turkish::format_dotted(d),
        _ => turkish::format_long(d),
    }
}

pub fn office(cfg: &OfficeConfig) -> Value {
    let o = &cfg.office;
    let mut v = json!({
        "heading": o.heading,
        "name": o.name,
        "verification_base_url": o.base_url,
    });
    let m = v.as_object_mut().expect("object");
    for (k, val) in [
        ("founding", &o.founding),
        ("detsis", &o.detsis),
        ("address", &o.address),
        ("phone", &o.phone),
        ("fax", &o.fax),
        ("email", &o.email),
        ("web", &o.web),
        ("kep", &o.kep),
    ] {
        if let Some(x) = val {
            m.insert(k.into(), json!(x));
        }
    }
    if let Some(c) = &cfg.contact {
        m.insert("contact".into(), json!({"name": c.name, "title": c.title.clone().unwrap_or_default(), "phone": c.phone.clone().unwrap_or_default()}));
    }
    v
}

/// The `doc` object for the template.
pub fn doc(
    d: &Draft,
    tarih: NaiveDate,
    numbers: &Numbers,
    ilgi: &[String],
    dagitim: Option<(Vec<String>, Vec<String>)>,
    preview: bool,
) -> Value {
    let style = d
        .date_style
        .clone()
        .unwrap_or_else(|| default_date_style(&d.template).to_string());
    let mut v = json!({
        "sayi": numbers.sayi,
        "kind_no": numbers.kind_no,
        "tarih": date_text(&style, tarih),
        "date": tarih.format("%Y-%m-%d").to_string(),
        "konu": d.konu.trim(),
        "muhatap": d.muhatap.iter().map(|m| turkish::upper(m.trim())).collect::<Vec<_>>(),
        "ilgi": ilgi,
        "body": d.body,
        "imza": d.imza.iter().map(|s| json!({"name": s.name, "titles": s.title})).collect::<Vec<_>>(),
        "draft": preview,
        "signed": numbers.signed,
    });
    let m = v.as_object_mut().expect("object");
    if let Some(c) = &d.closing {
        m.insert("closing".into(), json!(c));
    }
    if !d.ek.is_empty() {
        m.insert(
            "ek".into(),
            json!(d.ek.iter().map(|e| e.text.clone()).collect::<Vec<_>>()),
        );
    }
    if let Some((g, b)) = dagitim {
        if !g.is_empty() || !b.is_empty() {
            m.insert("dagitim".into(), json!({"gereği": g, "bilgi": b}));
        }
    }
    if let Some(u) = &d.urgency {
        m.insert("urgency".into(), json!(u));
    }
    if let Some(dl) = &d.deadline {
        let text = turkish::parse_date(dl)
            .map(turkish::format_dotted)
            .unwrap_or_else(|_| dl.clone());
        m.insert("deadline".into(), json!(format!("(Son gün: {text})")));
    }
    if let Some(c) = &d.classification {
        m.insert("classification".into(), json!(c));
    }
    if let Some(t) = &d.title {
        m.insert("title".into(), json!(t));
    }
    if let Some((code, url)) = &numbers.verification {
        m.insert("verification".into(), json!({"code": code, "url": url}));
        // The QR code is the verification link with the code filled in: scanning it opens the answer.
        m.insert("qr".into(), json!(format!("{url}?kod={code}")));
    }
    v
}
