//! Who issued a letter read from its text: a registered office recognised by the DETSİS number of its
//! e-Yazışma sayı or by its name folded the Turkish way, or else the office the heading names, proposed to
//! be added (its name from the administration, its kind from the name's last words, a code made from it).

use serde::Serialize;

use super::LetterFields;
use tamim_core::org::{NewOrg, Org};
use tamim_core::turkish::{self, Sayi, SayiForm};

/// An office a letter's heading names and the registry does not hold yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedOrg {
    /// A code made from the name, not used by any registered office.
    pub code: String,
    /// The administration as a name is written (`MUĞLA VALİLİĞİ` → `Muğla Valiliği`).
    pub name: String,
    /// The kind the name's last words say (`valilik`, `kaymakamlik`, …), empty when they say none.
    pub kind: String,
    /// The DETSİS number of the sayı, when it is in e-Yazışma form (`E-<DETSİS>-…`).
    pub detsis: Option<String>,
    /// The unit under the administration, as printed (kept on the document, not on the office).
    pub unit: Option<String>,
}

impl ProposedOrg {
    /// The office to add.
    pub fn new_org(&self) -> NewOrg {
        NewOrg {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            detsis: self.detsis.clone(),
            ..NewOrg::default()
        }
    }
}

/// The DETSİS number of an e-Yazışma sayı (`E-85840981-167.01-122254` → `85840981`).
pub fn detsis_of(sayi: Option<&str>) -> Option<String> {
    match sayi.map(Sayi::parse) {
        Some(Ok(Sayi {
            form: SayiForm::EYazisma { detsis, .. },
            ..
        })) => Some(detsis),
        _ => None,
    }
}

/// A registered office recognised as a letter's issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Known {
    pub code: String,
    pub by: By,
}

/// How the issuer was recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// The DETSİS number of the e-Yazışma sayı.
    Detsis(String),
    /// The office's name (as registered), found in the heading.
    Name(String),
}

/// The registered org that issued the letter: by the DETSİS number of an e-Yazışma sayı, else by its name
/// folded the Turkish way (`Mugla Valiligi` is `MUĞLA VALİLİĞİ`), whole words of the heading.
pub fn find_issuer(orgs: &[Org], sayi: Option<&str>, heading: &[String]) -> Option<Known> {
    if let Some(detsis) = detsis_of(sayi) {
        if let Some(o) = orgs.iter().find(|o| o.detsis.as_deref() == Some(detsis.as_str())) {
            return Some(Known {
                code: o.code.clone(),
                by: By::Detsis(detsis),
            });
        }
    }
    let head = format!(" {} ", turkish::fold(&heading.join(" ")));
    orgs.iter()
        .filter(|o| {
            let name = turkish::fold(&o.name);
            name.len() >= 4 && head.contains(&format!(" {name} "))
        })
        .max_by_key(|o| o.name.len())
        .map(|o| Known {
            code: o.code.clone(),
            by: By::Name(o.name.clone()),
        })
}

/// The office the heading names, to be added when no registered office matched: None when the letter has
/// no administration line to name one.
pub fn propose(orgs: &[Org], f: &LetterFields) -> Option<ProposedOrg> {
    let admin = f.administration.as_ref()?.value.trim();
    let name = turkish::title_words(&admin.split_whitespace().collect::<Vec<_>>().join(" "));
    let folded = turkish::fold(&name);
    if folded.is_empty() {
        return None;
    }
    Some(ProposedOrg {
        code: free_code(orgs, &folded),
        kind: kind_of(&folded).to_string(),
        detsis: detsis_of(f.sayi.as_ref().map(|s| s.value.as_str())),
        unit: f.unit.as_ref().map(|u| u.value.clone()),
        name,
    })
}

/// The office an e-Yazışma package names as its issuer (`Olusturan`: its name and DETSİS number), to be
/// added: the name as the package writes it, its kind from its last words, a free code made from it.
pub fn propose_named(orgs: &[Org], name: &str, detsis: Option<&str>) -> Option<ProposedOrg> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = turkish::fold(&name);
    if folded.is_empty() {
        return None;
    }
    Some(ProposedOrg {
        code: free_code(orgs, &folded),
        kind: kind_of(&folded).to_string(),
        detsis: detsis.map(str::to_string),
        unit: None,
        name,
    })
}

/// The kind an office's folded name says by its last words.
pub fn kind_of(folded: &str) -> &'static str {
    const ENDINGS: &[(&str, &str)] = &[
        ("valiligi", "valilik"),
        ("kaymakamligi", "kaymakamlik"),
        ("buyuksehir belediye baskanligi", "buyuksehir-belediyesi"),
        ("buyuksehir belediyesi", "buyuksehir-belediyesi"),
        ("belediye baskanligi", "ilce-belediyesi"),
        ("belediyesi", "ilce-belediyesi"),
        ("odasi", "oda"),
        ("odalari birligi", "birlik"),
        ("birligi", "birlik"),
        ("kurulu", "kurul"),
        ("bakanligi", "kamu-kurumu"),
        ("mudurlugu", "kamu-kurumu"),
        ("baskanligi", "kamu-kurumu"),
        ("universitesi", "kamu-kurumu"),
        ("kurumu", "kamu-kurumu"),
    ];
    ENDINGS
        .iter()
        .find(|(end, _)| folded == *end || folded.ends_with(&format!(" {end}")))
        .map_or("", |(_, kind)| kind)
}

/// A code from the folded name (`mugla valiligi` → `MUGLA-VALILIGI`, whole words up to 40 characters), with
/// `-2`, `-3`, … when an office already has it.
fn free_code(orgs: &[Org], folded: &str) -> String {
    let mut base = String::new();
    for w in folded.split(' ') {
        let w: String = w.chars().filter(char::is_ascii_alphanumeric).collect();
        if w.is_empty() {
            continue;
        }
        if !base.is_empty() && base.len() + 1 + w.len() > 40 {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&w.to_ascii_uppercase());
    }
    base.truncate(40);
    if base.is_empty() {
        base.push_str("KURUM");
    }
    let taken = |c: &str| orgs.iter().any(|o| o.code.eq_ignore_ascii_case(c));
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::pdf_letter::{Confidence, Found};

    fn org(code: &str, name: &str, detsis: Option<&str>) -> Org {
        Org {
            id: 0,
            code: code.into(),
            name: name.into(),
            kind: String::new(),
            parent: None,
            email: None,
            kep: None,
            detsis: detsis.map(str::to_string),
        }
    }

    fn found<T>(value: T) -> Option<Found<T>> {
        Some(Found {
            value,
            confidence: Confidence::High,
            page: 1,
        })
    }

    #[test]
    fn an_office_is_recognised_by_detsis_or_by_its_folded_name() {
        let orgs = [
            org("MUGLA", "Mugla Valiligi", None),
            org("IST", "İstanbul Valiliği", Some("85840981")),
        ];
        let head = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            find_issuer(&orgs, Some("E-85840981-167.01-122254"), &head(&["T.C.", "BAŞKA"])),
            Some(Known {
                code: "IST".into(),
                by: By::Detsis("85840981".into())
            })
        );
        assert_eq!(
            find_issuer(
                &orgs,
                Some("4516"),
                &head(&["T.C.", "MUĞLA VALİLİĞİ", "İl Sağlık Müdürlüğü"])
            )
            .map(|m| m.code),
            Some("MUGLA".into())
        );
        // Whole words only: "Muğla Valiliğinde" is not the office.
        assert_eq!(find_issuer(&orgs, None, &head(&["MUĞLA VALİLİĞİNDE"])), None);
    }

    #[test]
    fn the_heading_proposes_an_office_with_a_free_code_its_kind_and_detsis() {
        let f = LetterFields {
            administration: found("MUĞLA VALİLİĞİ".to_string()),
            unit: found("İl Sağlık Müdürlüğü".to_string()),
            sayi: found("E-41234567-100.01-5521".to_string()),
            ..Default::default()
        };
        let p = propose(&[org("MUGLA-VALILIGI", "Başka", None)], &f).expect("a proposal");
        assert_eq!(
            p,
            ProposedOrg {
                code: "MUGLA-VALILIGI-2".into(),
                name: "Muğla Valiliği".into(),
                kind: "valilik".into(),
                detsis: Some("41234567".into()),
                unit: Some("İl Sağlık Müdürlüğü".into()),
            }
        );
        assert!(p.new_org().validate("").is_ok());
        assert_eq!(propose(&[], &LetterFields::default()), None);
        assert_eq!(kind_of("cankaya kaymakamligi"), "kaymakamlik");
        assert_eq!(kind_of("istanbul esnaf ve sanatkarlar odalari birligi"), "birlik");
        assert_eq!(
            kind_of("ankara buyuksehir belediye baskanligi"),
            "buyuksehir-belediyesi"
        );
        assert_eq!(kind_of("bir dernek"), "");
    }
}
