//! `tamim receive FILE.eyp`: register an e-Yazışma package's cover letter and its PDF attachments from the package's metadata.

use serde::Serialize;

use super::intake::{confirm, confirm_with};
use super::receive::{print_registered, ReceiveArgs};
use super::{open, Cli, Out};
use crate::t;
use tamim_app::eyazisma::{PartCheck, PartSignature};
use tamim_app::registry::receive::{self, ReceiveRequest};
use tamim_app::Error;
use tamim_core::turkish;
use tamim_docs::intake::eyp::{self, Package};

/// One signature part as a line: a signature over its part (signer, intact, trust) or not a signature.
fn part_signature(c: &PartSignature) -> String {
    let part = c.part.clone();
    let covers = c.covers.clone();
    match &c.check {
        PartCheck::NotASignature { bytes, reason } => {
            t!(
                "eyp-sig-not-a-signature",
                part = part,
                bytes = *bytes,
                reason = reason.clone()
            )
        }
        PartCheck::CoveredPartMissing => t!("eyp-sig-covered-missing", part = part, covers = covers),
        PartCheck::Signature {
            intact,
            problem,
            signer,
            trust,
            ..
        } => {
            let who = signer
                .as_ref()
                .map(|s| format!("{} ({})", s.name, s.issuer))
                .unwrap_or_else(|| "?".into());
            let state = if *intact {
                t!("eyp-sig-intact")
            } else {
                t!(
                    "eyp-sig-broken",
                    problem = problem.as_ref().map(super::errors::sign_problem).unwrap_or_default()
                )
            };
            let trust = match trust {
                tamim_sign::check::Trust::Trusted { anchor } => t!("eyp-sig-trusted", anchor = anchor.clone()),
                tamim_sign::check::Trust::Untrusted => t!("eyp-sig-untrusted"),
                tamim_sign::check::Trust::NotChecked => t!("eyp-sig-not-checked"),
            };
            t!(
                "eyp-sig-signature",
                part = part,
                covers = covers,
                signer = who,
                state = state,
                trust = trust
            )
        }
    }
}

fn role(r: &str) -> &str {
    match r {
        "GRG" => "Gereği",
        "BLG" => "Bilgi",
        other => other,
    }
}

/// What was read, for people.
pub fn render_package(p: &Package, checks: &[PartSignature]) -> String {
    let mut s = String::from("Read from the e-Yazışma package (metadata; digests checked):\n");
    let mut row = |k: &str, v: String| s.push_str(&format!("  {k:<16} {v}\n"));
    row("BelgeId", p.belge_id.clone());
    let id = |d: &String| {
        if d.chars().all(|c| c.is_ascii_digit()) {
            format!(" (DETSİS {d})")
        } else {
            format!(" (kimlik {d})")
        }
    };
    row(
        "Gönderen",
        format!(
            "{}{}",
            p.issuer_name,
            p.issuer_detsis.as_ref().map(id).unwrap_or_default()
        ),
    );
    row("Sayı (BelgeNo)", p.belge_no.clone());
    row("Tarih", turkish::format_dotted(p.tarih));
    row("Konu", p.konu.clone());
    if let Some(c) = &p.sdp_code {
        row("SDP", format!("{c} {}", p.sdp_name.clone().unwrap_or_default()));
    }
    for r in &p.recipients {
        row("Dağıtım", format!("{}: {}", role(&r.role), r.name));
    }
    for i in &p.ilgi {
        row("İlgi", ilgi_text(i));
    }
    for e in &p.ekler {
        row("Ek", ek_text(e));
    }
    for sg in &p.signatories {
        row("İmza", sg.clone());
    }
    if checks.is_empty() {
        row("İmzalar", t!("eyp-sig-none"));
    }
    for c in checks {
        row("İmzalar", part_signature(c));
    }
    row("Doğrulama", p.verification_address.clone().unwrap_or_default());
    row("Özet", format!("{} part(s) match PaketOzeti", p.digests_checked.len()));
    s
}

/// An ilgi as a citation the registry can match: "05.11.2009 tarihli ve 65410891-020-480 sayılı İlgi (a) yazı".
fn ilgi_text(i: &eyp::Ilgi) -> String {
    let date = i
        .date
        .map(|d| format!("{} tarihli ve ", turkish::format_dotted(d)))
        .unwrap_or_default();
    let no = i.belge_no.as_ref().map(|n| format!("{n} sayılı ")).unwrap_or_default();
    // No label: the registry letters its citations itself.
    format!("{date}{no}{}", i.name.clone().unwrap_or_default())
        .trim()
        .to_string()
}

fn ek_text(e: &eyp::Ek) -> String {
    let what = match e.kind.as_str() {
        "DED" => e.file_name.clone().map(|f| format!(" ({f})")).unwrap_or_default(),
        "HRF" => e
            .reference
            .clone()
            .map(|r| format!(" (referans: {r})"))
            .unwrap_or_default(),
        "FZK" => " (fiziksel ek)".into(),
        _ => String::new(),
    };
    format!(
        "{}- {}{what}",
        e.order,
        e.name.clone().or_else(|| e.description.clone()).unwrap_or_default()
    )
}

pub fn run(cli: &Cli, out: &Out, a: &ReceiveArgs) -> tamim_app::Result<()> {
    if !a.file.is_file() {
        return Err(Error::file(&a.file, "does not exist"));
    }
    let bytes = std::fs::read(&a.file).map_err(|e| Error::io(&a.file, e))?;
    if bytes.is_empty() {
        return Err(Error::file(&a.file, "is empty; an e-Yazışma package (zip) is required"));
    }
    let p = eyp::read_package(&bytes).map_err(|e| Error::file(&a.file, e.to_string()))?;
    tamim_docs::pdf::inspect(&p.cover).map_err(|e| Error::file(&a.file, format!("{}: {e}", p.cover_part)))?;
    let pdf_ekler: Vec<&eyp::Ek> = p
        .ekler
        .iter()
        .filter(|e| e.bytes.as_ref().is_some_and(|b| b.starts_with(b"%PDF-")))
        .collect();
    for e in &pdf_ekler {
        if let Some(b) = &e.bytes {
            tamim_docs::pdf::inspect(b)
                .map_err(|err| Error::file(&a.file, format!("{}: {err}", e.part.clone().unwrap_or_default())))?;
        }
    }
    let mut reg = open(cli)?;
    let checks = tamim_app::eyazisma::check_signatures(&p, &tamim_app::issue::verify::trust_anchors(&reg)?);
    let orgs = tamim_store::orgs::all(&reg.store.conn)?;
    // The issuer: given with --from, a registered office (by DETSİS, then by name folded the Turkish way),
    // or else the office the package names, added in the transaction that registers it.
    let known = orgs
        .iter()
        .find(|o| o.detsis.is_some() && o.detsis == p.issuer_detsis)
        .or_else(|| {
            let name = turkish::fold(&p.issuer_name);
            orgs.iter().find(|o| turkish::fold(&o.name) == name)
        });
    let (from, new_org) = match (&a.from, known) {
        (Some(f), _) => (f.clone(), None),
        (None, Some(o)) => (o.code.clone(), None),
        (None, None) => {
            let proposed = tamim_docs::intake::issuer::propose_named(&orgs, &p.issuer_name, p.issuer_detsis.as_deref())
                .ok_or_else(|| Error::invalid("--from", t!("intake-no-issuer")))?;
            (proposed.code.clone(), Some(proposed))
        }
    };
    if !out.json {
        eprint!("{}", render_package(&p, &checks));
    }
    match &new_org {
        Some(o) => confirm_with(
            a.yes,
            &t!("intake-confirm-new-org", code = o.code.clone(), name = o.name.clone()),
        )?,
        None => confirm(a.yes)?,
    }
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let cover_name = p.cover_part.rsplit('/').next().unwrap_or("ustyazi.pdf").to_string();
    let cover_path = dir.path().join(&cover_name);
    std::fs::write(&cover_path, &p.cover).map_err(|e| Error::io(&cover_path, e))?;
    let muhatap = match p.recipients.as_slice() {
        [one] => Some(one.name.clone()),
        [] => None,
        _ => Some("DAĞITIM YERLERİNE".to_string()),
    };
    let req = ReceiveRequest {
        file: cover_path,
        sayi: a.sayi.clone().unwrap_or_else(|| p.belge_no.clone()),
        sayi_form: a.sayi_form,
        tarih: a.tarih.clone().unwrap_or_else(|| turkish::format_dotted(p.tarih)),
        konu: a.konu.clone().unwrap_or_else(|| p.konu.clone()),
        from: from.clone(),
        ilgi: if a.ilgi.is_empty() {
            p.ilgi.iter().map(ilgi_text).collect()
        } else {
            a.ilgi.clone()
        },
        ek: if a.ek.is_empty() {
            p.ekler.iter().map(ek_text).collect()
        } else {
            a.ek.clone()
        },
        kind: a.kind,
        kind_no: a.kind_no.clone(),
        muhatap: a.muhatap.clone().or(muhatap),
        received: a.received.clone(),
        attached_to: a.attached_to.clone(),
        issuer: a.issuer.clone().or_else(|| Some(p.issuer_name.clone())),
        duplicate: a.duplicate,
        archive: a.archive,
        new_org: new_org.as_ref().map(|o| o.new_org()),
        report_to: a.report_to.clone(),
    };
    // The attachments are read into requests first; the cover and every attachment are then registered in
    // one transaction, so a broken attachment leaves nothing registered and uses no kayıt no.
    let mut parts = Vec::new();
    for e in pdf_ekler {
        let Some(b) = &e.bytes else { continue };
        let path = dir.path().join(format!("ek-{}.pdf", e.order));
        std::fs::write(&path, b).map_err(|err| Error::io(&path, err))?;
        let sayi = e
            .belge_no
            .clone()
            .filter(|n| turkish::Sayi::parse(n).is_ok())
            .unwrap_or_else(|| p.belge_no.clone());
        let ad = e
            .name
            .clone()
            .or_else(|| e.file_name.clone())
            .unwrap_or_else(|| format!("Ek {}", e.order));
        parts.push(ReceiveRequest {
            file: path,
            sayi,
            tarih: turkish::format_dotted(p.tarih),
            konu: ad,
            from: from.clone(),
            received: a.received.clone(),
            issuer: Some(p.issuer_name.clone()),
            archive: a.archive,
            ..Default::default()
        });
    }
    let (d, atts) = receive::receive_package(&mut reg, req, parts)?;
    let added = match &new_org {
        Some(o) => Some(tamim_store::orgs::get(&reg.store.conn, &o.code)?),
        None => None,
    };
    let attachments: Vec<i64> = atts.iter().map(|d| d.id).collect();
    let d = tamim_app::registry::document::load(&reg.store.conn, d.id)?;
    if out.json {
        #[derive(Serialize)]
        struct Both<'a> {
            package: &'a Package,
            signature_checks: &'a [PartSignature],
            document: &'a tamim_app::registry::document::Document,
            attachments: &'a [i64],
            /// The office added as the package's issuer.
            #[serde(skip_serializing_if = "Option::is_none")]
            new_org: Option<&'a tamim_core::org::Org>,
        }
        out.print(
            &Both {
                package: &p,
                signature_checks: &checks,
                document: &d,
                attachments: &attachments,
                new_org: added.as_ref(),
            },
            |_| String::new(),
        );
    } else {
        if let Some(o) = &added {
            println!(
                "{}",
                t!(
                    "intake-added-org-package",
                    code = o.code.clone(),
                    name = super::intake::org_line(o)
                )
            );
        }
        print_registered(out, &d);
    }
    Ok(())
}
