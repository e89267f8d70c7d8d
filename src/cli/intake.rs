//! `tamim receive FILE --auto` and `tamim receive FILE.eyp`: show what was read from the document, field by field, then register on confirmation.

use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use super::receive::{print_registered, ReceiveArgs};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::registry::receive::{self, ReceiveRequest};
use tamim_app::Error;
use tamim_core::turkish;
use tamim_docs::intake::{self, Confidence, PdfIntake, ProposedOrg};

/// True for a file named like an e-Yazışma package.
pub fn is_package(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("eyp"))
}

pub fn run(cli: &Cli, out: &Out, a: &ReceiveArgs) -> tamim_app::Result<()> {
    if is_package(&a.file) {
        return super::intake_eyp::run(cli, out, a);
    }
    let bytes = receive::read_pdf(&a.file)?;
    let read = intake::read_pdf_letter(&bytes).map_err(|e| Error::file(&a.file, e.to_string()))?;
    if read.scan {
        return Err(Error::file(&a.file, t!("intake-scan")));
    }
    let mut reg = open(cli)?;
    let orgs = tamim_store::orgs::all(&reg.store.conn)?;
    let f = &read.fields;
    let heading = f.heading.as_ref().map(|h| h.value.clone()).unwrap_or_default();
    let sayi_read = f.sayi.as_ref().map(|s| s.value.as_str());
    // The office proposed from the heading only when none matched and none was given with --from.
    let issuer = match intake::find_issuer(&orgs, a.sayi.as_deref().or(sayi_read), &heading) {
        Some(k) => Issuer::Known(k),
        None => match intake::issuer::propose(&orgs, f).filter(|_| a.from.is_none()) {
            Some(p) => Issuer::New(p),
            None => Issuer::Unknown,
        },
    };

    if !out.json {
        eprint!("{}", render_read(&a.file, &read, &issuer));
    }
    let pick = |flag: &Option<String>, found: Option<String>, field: &str, name: &str| -> tamim_app::Result<String> {
        flag.clone().or(found).ok_or_else(|| {
            Error::invalid(
                field,
                t!(
                    "intake-field-not-found",
                    name = name.to_string(),
                    field = field.to_string()
                ),
            )
        })
    };
    let sayi = pick(&a.sayi, f.sayi.as_ref().map(|s| s.value.clone()), "--sayi", "sayı")?;
    let tarih = pick(
        &a.tarih,
        f.tarih.as_ref().map(|d| turkish::format_dotted(d.value)),
        "--tarih",
        "date",
    )?;
    let konu = pick(&a.konu, f.konu.as_ref().map(|k| k.value.clone()), "--konu", "konu")?;
    let (from, new_org) = match (&a.from, &issuer) {
        (Some(code), _) => (code.clone(), None),
        (None, Issuer::Known(k)) => (k.code.clone(), None),
        (None, Issuer::New(p)) => (p.code.clone(), Some(p)),
        (None, Issuer::Unknown) => {
            return Err(Error::invalid("--from", t!("intake-no-issuer")));
        }
    };
    let issuer = a.issuer.clone().or_else(|| {
        let parts: Vec<String> = [&f.administration, &f.unit]
            .iter()
            .filter_map(|x| x.as_ref().map(|v| v.value.clone()))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    let req = ReceiveRequest {
        file: a.file.clone(),
        sayi,
        sayi_form: a.sayi_form,
        tarih,
        konu,
        from,
        ilgi: if a.ilgi.is_empty() {
            f.ilgi.iter().map(|i| i.value.text.clone()).collect()
        } else {
            a.ilgi.clone()
        },
        ek: if a.ek.is_empty() {
            f.ek.iter().map(|e| e.value.text.clone()).collect()
        } else {
            a.ek.clone()
        },
        kind: a.kind.or_else(|| f.kind.as_ref().map(|k| k.value)),
        kind_no: a
            .kind_no
            .clone()
            .or_else(|| f.kind_no.as_ref().map(|k| k.value.clone())),
        muhatap: a
            .muhatap
            .clone()
            .or_else(|| f.muhatap.as_ref().map(|m| m.value.clone())),
        received: a.received.clone(),
        attached_to: a.attached_to.clone(),
        issuer,
        duplicate: a.duplicate,
        archive: a.archive,
        new_org: new_org.map(ProposedOrg::new_org),
        report_to: a.report_to.clone(),
    };
    match new_org {
        Some(p) => confirm_with(
            a.yes,
            &t!("intake-confirm-new-org", code = p.code.clone(), name = p.name.clone()),
        )?,
        None => confirm(a.yes)?,
    }
    let d = receive::receive(&mut reg, req).map_err(|e| super::as_flags(e, super::receive::RECEIVE_FLAGS))?;
    let added = match new_org {
        Some(p) => Some(tamim_store::orgs::get(&reg.store.conn, &p.code)?),
        None => None,
    };
    if out.json {
        #[derive(Serialize)]
        struct Both<'a> {
            read: &'a PdfIntake,
            document: &'a tamim_app::registry::document::Document,
            /// The office added from the letter's heading.
            #[serde(skip_serializing_if = "Option::is_none")]
            new_org: Option<&'a tamim_core::org::Org>,
        }
        out.print(
            &Both {
                read: &read,
                document: &d,
                new_org: added.as_ref(),
            },
            |_| String::new(),
        );
    } else {
        if let Some(o) = &added {
            println!("{}", t!("intake-added-org", code = o.code.clone(), name = org_line(o)));
        }
        print_registered(out, &d);
    }
    Ok(())
}

/// Who issued the letter, as far as reading it told.
pub enum Issuer {
    /// A registered office recognised.
    Known(intake::Known),
    /// Not registered: the office the heading names, to be added.
    New(ProposedOrg),
    /// Not registered, and no heading to name it (or --from names the office).
    Unknown,
}

/// An office's name with its kind and DETSİS number: `Muğla Valiliği, valilik, DETSİS 41234567`.
pub(super) fn org_line(o: &tamim_core::org::Org) -> String {
    let mut s = o.name.clone();
    if !o.kind.is_empty() {
        s.push_str(&format!(", {}", o.kind));
    }
    if let Some(d) = &o.detsis {
        s.push_str(&format!(", DETSİS {d}"));
    }
    s
}

/// Asks on the terminal; refuses without one unless --yes was given.
pub fn confirm(yes: bool) -> tamim_app::Result<()> {
    confirm_with(yes, &t!("intake-confirm"))
}

/// Asks `question` on the terminal; refuses without one unless --yes was given.
pub fn confirm_with(yes: bool, question: &str) -> tamim_app::Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid("--yes", t!("intake-no-terminal")));
    }
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    let a = turkish::lower(answer.trim());
    if matches!(a.as_str(), "y" | "yes" | "e" | "evet") {
        Ok(())
    } else {
        Err(Error::NotConfirmed)
    }
}

fn conf(c: Confidence) -> String {
    let word = match c {
        Confidence::High => t!("intake-confidence-high"),
        Confidence::Medium => t!("intake-confidence-medium"),
        Confidence::Low => t!("intake-confidence-low"),
    };
    format!("[{word}]")
}

/// What was read, field by field, with how sure each reading is; fields not found are named.
pub fn render_read(file: &Path, r: &PdfIntake, issuer: &Issuer) -> String {
    let f = &r.fields;
    let mut s = t!(
        "intake-read-from",
        file = file.display().to_string(),
        pages = f.pages as i64,
        letter = f.letter_pages as i64
    ) + "\n";
    let not_found = t!("intake-not-found");
    let mut row = |k: &str, v: String, c: Option<Confidence>| {
        let c = c.map(conf).unwrap_or_else(|| not_found.clone());
        s.push_str(&format!("  {k:<16} {c:<10} {v}\n"));
    };
    row(
        "Başlık",
        f.heading.as_ref().map(|h| h.value.join(" / ")).unwrap_or_default(),
        f.heading.as_ref().map(|h| h.confidence),
    );
    row(
        "İdare",
        f.administration.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        f.administration.as_ref().map(|h| h.confidence),
    );
    row(
        "Birim",
        f.unit.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        f.unit.as_ref().map(|h| h.confidence),
    );
    let (from, sure) = match issuer {
        Issuer::Known(intake::Known {
            code,
            by: intake::By::Detsis(d),
        }) => (
            t!("intake-issuer-by-detsis", code = code.clone(), detsis = d.clone()),
            Some(Confidence::High),
        ),
        Issuer::Known(intake::Known {
            code,
            by: intake::By::Name(n),
        }) => (
            t!("intake-issuer-by-name", code = code.clone(), name = n.clone()),
            Some(Confidence::High),
        ),
        Issuer::New(p) => (
            t!(
                "intake-issuer-new",
                code = p.code.clone(),
                name = p.name.clone(),
                kind = if p.kind.is_empty() {
                    "-".to_string()
                } else {
                    p.kind.clone()
                },
                detsis = p.detsis.clone().unwrap_or_else(|| "-".into())
            ),
            Some(Confidence::Medium),
        ),
        Issuer::Unknown => (String::new(), None),
    };
    row("Gönderen (org)", from, sure);
    row(
        "Sayı",
        f.sayi.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        f.sayi.as_ref().map(|h| h.confidence),
    );
    row(
        "Tarih",
        f.tarih
            .as_ref()
            .map(|d| {
                format!(
                    "{} (printed {:?})",
                    turkish::format_dotted(d.value),
                    f.tarih_text.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        f.tarih.as_ref().map(|h| h.confidence),
    );
    if let Some(k) = &f.kind_no {
        let kind = f.kind.as_ref().map(|k| format!(" ({})", k.value)).unwrap_or_default();
        row("No", format!("{}{kind}", k.value), Some(k.confidence));
    }
    row(
        "Konu",
        f.konu.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        f.konu.as_ref().map(|h| h.confidence),
    );
    row(
        "Muhatap",
        f.muhatap.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        f.muhatap.as_ref().map(|h| h.confidence),
    );
    if f.ilgi.is_empty() {
        row("İlgi", String::new(), None);
    }
    for i in &f.ilgi {
        let parts = format!(
            "{}  (tarih {}, sayı {})",
            i.value.text,
            i.value.date.map(turkish::format_dotted).unwrap_or_else(|| "?".into()),
            i.value.sayi.clone().unwrap_or_else(|| "?".into())
        );
        row("İlgi", parts, Some(i.confidence));
    }
    if f.ek.is_empty() {
        row("Ek", String::new(), None);
    }
    for e in &f.ek {
        row("Ek", e.value.text.clone(), Some(e.confidence));
    }
    row(
        "Gereği",
        f.gereği.join("; "),
        (!f.gereği.is_empty()).then_some(Confidence::Medium),
    );
    row(
        "Bilgi",
        f.bilgi.join("; "),
        (!f.bilgi.is_empty()).then_some(Confidence::Medium),
    );
    if f.signatories.is_empty() {
        row("İmza", String::new(), None);
    }
    for sg in &f.signatories {
        let v = &sg.value;
        let behalf = v.on_behalf.clone().map(|b| format!("{b} ")).unwrap_or_default();
        row("İmza", format!("{}, {behalf}{}", v.name, v.title), Some(sg.confidence));
    }
    row(
        "Doğrulama Kodu",
        f.verification_code
            .as_ref()
            .map(|h| h.value.clone())
            .unwrap_or_default(),
        f.verification_code.as_ref().map(|h| h.confidence),
    );
    row(
        "Doğrulama Adresi",
        f.verification_address
            .as_ref()
            .map(|h| h.value.clone())
            .unwrap_or_default(),
        f.verification_address.as_ref().map(|h| h.confidence),
    );
    row(
        "İletişim",
        f.contact.join("; "),
        (!f.contact.is_empty()).then_some(Confidence::Medium),
    );
    let at = &r.attachments;
    if at.pages_after_letter > 0 || !f.ek.is_empty() {
        let after = at.pages_after_letter as i64;
        s.push_str(&match at.stated_total {
            Some(total) => t!("intake-attachments-stated", after = after, total = total),
            None => t!("intake-attachments-unstated", after = after),
        });
        s.push('\n');
        for i in &at.items {
            let pages = match (i.from, i.to) {
                (Some(a), Some(b)) => t!("intake-ek-pages", from = a as i64, to = b as i64),
                _ => t!("intake-ek-unplaced"),
            };
            s.push_str(&format!("  Ek {}: {pages}  {}\n", i.ek, i.text));
        }
        for st in &at.starts {
            let what = st.heading.clone().unwrap_or_default()
                + &st.number.as_ref().map(|n| format!(" {n}")).unwrap_or_default();
            s.push_str(&format!(
                "  {}\n",
                t!("intake-document-begins", page = st.page as i64, what = what)
            ));
        }
        if at.mismatch.is_some() {
            let m = match at.stated_total {
                Some(total) => t!("intake-mismatch-count", total = total, after = after),
                None => t!("intake-mismatch-none-follow"),
            };
            s.push_str(&format!("  ! {}\n", t!("intake-mismatch", problem = m)));
        }
    }
    if !f.missing.is_empty() {
        s.push_str(&t!("intake-missing", fields = f.missing.join(", ")));
        s.push('\n');
    }
    s
}
