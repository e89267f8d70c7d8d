//! Which pages after the letter belong to which `Ek:` item, and whether the page counts the letter states add up.

use serde::Serialize;

use super::pdf_letter::LetterFields;
use super::text::TextLayer;
use tamim_core::turkish;

/// A document that visibly begins on a page after the letter (a heading, a Sayı or Karar No).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentStart {
    pub page: usize,
    /// Its sayı or number as printed, when the page shows one.
    pub number: Option<String>,
    /// Its first heading line (`KAMU GÖREVLİLERİ ETİK KURULU`).
    pub heading: Option<String>,
}

/// The pages given to one ek item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EkPages {
    /// 1-based position among the letter's ek lines.
    pub ek: usize,
    pub text: String,
    pub stated: Option<i64>,
    /// First and last page, when the counts allow placing it.
    pub from: Option<usize>,
    pub to: Option<usize>,
}

/// The attachment pages and the check of the stated counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttachmentCheck {
    /// Pages after the letter.
    pub pages_after_letter: usize,
    /// The sum of the page counts the ek lines state, when every line states one.
    pub stated_total: Option<i64>,
    pub items: Vec<EkPages>,
    /// Documents seen to begin on attachment pages (only pages whose text was read).
    pub starts: Vec<DocumentStart>,
    /// What does not add up, in words; `None` when nothing is wrong or nothing can be checked.
    pub mismatch: Option<String>,
}

/// Places each ek item on the pages after the letter and checks the counts.
pub fn check(layer: &TextLayer, f: &LetterFields) -> AttachmentCheck {
    let after = layer.pages.saturating_sub(f.letter_pages);
    let mut c = AttachmentCheck {
        pages_after_letter: after,
        ..Default::default()
    };
    for (i, page) in layer.read.iter().enumerate().skip(f.letter_pages) {
        let top: Vec<&str> = page.lines.iter().take(10).map(|l| l.text.as_str()).collect();
        let number = top.iter().find_map(|t| {
            let low = turkish::lower(t);
            ["sayı", "karar no", "tamim no", "genelge no"].iter().find_map(|l| {
                let rest = low.strip_prefix(l)?.trim_start().strip_prefix(':')?;
                let _ = rest;
                let at = t.find(':')?;
                Some(t[at + 1..].split('\t').next().unwrap_or("").trim().to_string())
            })
        });
        let tc = top.iter().position(|t| t.replace(' ', "") == "T.C.");
        if number.is_some() || tc.is_some() {
            let heading = tc
                .and_then(|k| top.get(k + 1))
                .map(|h| h.split('\t').next().unwrap_or("").trim().to_string());
            c.starts.push(DocumentStart {
                page: i + 1,
                number: number.filter(|n| !n.is_empty()),
                heading,
            });
        }
    }
    let stated: Vec<Option<i64>> = f.ek.iter().map(|e| e.value.pages).collect();
    let all_stated = !stated.is_empty() && stated.iter().all(Option::is_some);
    c.stated_total = all_stated.then(|| stated.iter().flatten().sum());
    let mut next = f.letter_pages + 1;
    for (i, e) in f.ek.iter().enumerate() {
        let mut item = EkPages {
            ek: i + 1,
            text: e.value.text.clone(),
            stated: e.value.pages,
            from: None,
            to: None,
        };
        let span = match e.value.pages {
            Some(n) if n > 0 => Some(n as usize),
            // One ek without a count takes every page after the letter.
            None if f.ek.len() == 1 && after > 0 => Some(after),
            _ => None,
        };
        if let Some(n) = span.filter(|_| next <= layer.pages) {
            item.from = Some(next);
            item.to = Some((next + n - 1).min(layer.pages));
            next += n;
        } else {
            next = usize::MAX / 2;
        }
        c.items.push(item);
    }
    c.mismatch = match c.stated_total {
        Some(total) if total != after as i64 => Some(format!(
            "the ek lines state {total} page(s) but {after} page(s) follow the letter"
        )),
        None if !f.ek.is_empty() && after == 0 && f.ek.iter().any(|e| e.value.pages.is_some()) => {
            Some("the ek lines state pages but none follow the letter".to_string())
        }
        _ => None,
    };
    c
}
