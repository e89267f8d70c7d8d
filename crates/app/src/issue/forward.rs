//! `tamim draft forward` / `draft new`: a pre-filled draft of the follow-on that cites and carries a
//! registered document, in the office's words, for a clerk to check and issue.

use super::draft::{Draft, DraftEk, DraftIlgi, DraftSignatory};
use crate::error::Result;
use crate::registry::document::Document;
use crate::registry::home::Registry;
use tamim_core::turkish::{self, Sayi, SayiForm};
use tamim_core::DocumentKind;

/// The number as a citation prints it: the record number of an e-Yazışma sayı, otherwise as printed.
fn cited_number(d: &Document) -> String {
    match d.sayi.as_deref().map(Sayi::parse) {
        Some(Ok(Sayi {
            form: SayiForm::EYazisma { number, .. },
            ..
        })) => number.to_string(),
        _ => d.sayi.clone().unwrap_or_else(|| format!("#{}", d.id)),
    }
}

/// The ek line of a forwarded document, like the seed's
/// `İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün; 02.11.2021 tarih ve 122254 sayılı genelgesi ve eki (5 sayfa)`.
pub fn ek_line(d: &Document) -> String {
    let with_ek = if d.ek.is_empty() { "" } else { " ve eki" };
    let pages = d.pages.map(|p| format!(" ({p} sayfa)")).unwrap_or_default();
    format!(
        "{}; {} tarih ve {} sayılı {}{with_ek}{pages}",
        turkish::suffix::genitive_name(&d.issuer_text()),
        turkish::format_dotted(d.tarih),
        cited_number(d),
        d.kind.citation_word()
    )
}

/// A draft forwarding `doc` with `template` to `lists`.
pub fn forward(
    reg: &Registry,
    doc: &Document,
    template: &str,
    kind: Option<DocumentKind>,
    lists: &[String],
    muhatap: Option<&str>,
) -> Result<Draft> {
    let chamber = template == "tamim";
    let kind = kind.unwrap_or_else(|| DocumentKind::for_template(template));
    let konu = if chamber && !doc.konu.trim_end().ends_with("hk.") {
        format!("{} hk.", doc.konu.trim_end().trim_end_matches('.'))
    } else {
        doc.konu.clone()
    };
    let citation = crate::registry::ilgi::citation_text(doc);
    let (ilgi, ek, body, closing) = if chamber {
        (
            Vec::new(),
            vec![DraftEk { text: ek_line(doc), doc: Some(format!("#{}", doc.id)), file: None }],
            vec![serde_json::Value::String(format!(
                "{} {} tarih ve {} sayılı {} ile {} konusunda bilgi verilmiş olup söz konusu yazı ve eki ekte gönderilmiştir.",
                turkish::suffix::genitive_name(&doc.issuer_text()),
                turkish::format_dotted(doc.tarih),
                cited_number(doc),
                doc.kind.citation_word(),
                doc.konu.trim_end_matches(" hk.")
            ))],
            "Bilgilerinizi ve gereğini rica ederiz.".to_string(),
        )
    } else {
        (
            vec![DraftIlgi {
                doc: Some(format!("#{}", doc.id)),
                text: Some(citation),
            }],
            vec![DraftEk {
                text: "İlgi yazı ve eki.".into(),
                doc: Some(format!("#{}", doc.id)),
                file: None,
            }],
            vec![serde_json::Value::String(format!(
                "{} konusundaki ilgi yazı ve eki ilişikte gönderilmiştir.",
                doc.konu.trim_end_matches(" hk.")
            ))],
            "Bilgi ve gereğini rica ederim.".to_string(),
        )
    };
    let muhatap = muhatap.map(str::to_string).unwrap_or_else(|| {
        if chamber {
            "ODASI BAŞKANLIĞINA".into()
        } else {
            "DAĞITIM YERLERİNE".into()
        }
    });
    Ok(Draft {
        template: template.to_string(),
        kind,
        tarih: None,
        date_style: None,
        konu,
        muhatap: vec![muhatap],
        ilgi,
        body,
        closing: Some(closing),
        imza: signatories(reg),
        ek,
        to: lists.to_vec(),
        dagitim: None,
        print_dagitim: !chamber,
        urgency: None,
        deadline: None,
        classification: None,
        title: None,
    })
}

/// An empty draft for `template`, signed by the office's signatories.
pub fn new_draft(reg: &Registry, template: &str, lists: &[String]) -> Draft {
    Draft {
        template: template.to_string(),
        kind: DocumentKind::for_template(template),
        konu: "Konu".into(),
        muhatap: vec!["DAĞITIM YERLERİNE".into()],
        body: vec![serde_json::Value::String("Metin.".into())],
        closing: Some("Bilgi ve gereğini rica ederim.".into()),
        imza: signatories(reg),
        to: lists.to_vec(),
        print_dagitim: true,
        ..Default::default()
    }
}

fn signatories(reg: &Registry) -> Vec<DraftSignatory> {
    reg.config
        .signatories
        .iter()
        .map(|s| DraftSignatory {
            name: s.name.clone(),
            title: s.title.clone(),
        })
        .collect()
}
