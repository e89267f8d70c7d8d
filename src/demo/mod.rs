//! `tamim demo`: the seed's chain end to end. The Kurul issues its İlke Kararı and letter; İstanbul Valiliği
//! registers the letter and issues its genelge; İESOB registers the genelge (Kayıt No 4959) and issues
//! Tamim 2021/243 with the genelge and its attachments appended — each office in its own registry.

pub mod acks;
pub mod data;
pub mod staff;

use serde::Serialize;
use std::path::{Path, PathBuf};

use tamim_app::error::{Error, Result};
use tamim_app::issue::Issued;
use tamim_app::registry::chain::{self, Chain};
use tamim_app::registry::receive::{self, ReceiveRequest};
use tamim_app::registry::Registry;
use tamim_store as store;

const KURUL_TOML: &str = include_str!("../../registry/demo/kurul.toml");
const VALILIK_TOML: &str = include_str!("../../registry/demo/valilik.toml");
const IESOB_TOML: &str = include_str!("../../registry/demo/iesob.toml");
const DRAFT_KARAR: &str = include_str!("../../registry/demo/drafts/kurul-ilke-karari.toml");
const DRAFT_KURUL: &str = include_str!("../../registry/demo/drafts/kurul-yazi.toml");
const DRAFT_GENELGE: &str = include_str!("../../registry/demo/drafts/valilik-genelge.toml");
const DRAFT_TAMIM: &str = include_str!("../../registry/demo/drafts/iesob-tamim.toml");

#[derive(Debug, Serialize)]
pub struct DemoDocument {
    pub office: String,
    pub what: String,
    pub sayi: String,
    pub kind_no: String,
    pub pages: usize,
    pub file: PathBuf,
}

#[derive(Debug, Serialize)]
pub struct DemoReport {
    pub registry: PathBuf,
    pub output: PathBuf,
    pub documents: Vec<DemoDocument>,
    /// The İESOB registry's id of Tamim 2021/243.
    pub tamim: i64,
    /// The İESOB registry's id of the Valilik's genelge (Kayıt No 4959).
    pub genelge: i64,
    pub chain: Chain,
    /// Tamim 2021/243 sent to the member chambers (file outbox, or SMTP with --smtp).
    pub sent: tamim_app::distribution::send::SendSummary,
    /// Acknowledgements, a bounce, reminders, and the audit summary.
    pub after: acks::AfterSending,
}

fn setup(home: &Path, office_toml: &str, work: &Path) -> Result<Registry> {
    Registry::init(home, Some(office_toml))?;
    let mut reg = Registry::open(home)?;
    data::load(&mut reg, work)?;
    Ok(reg)
}

fn set_next(reg: &mut Registry, scope: &str, next: i64) -> Result<()> {
    Ok(reg.store.write(|tx| store::counters::set_next(tx, scope, 2021, next))?)
}

fn write_draft(work: &Path, name: &str, text: &str, subst: &[(&str, String)]) -> Result<PathBuf> {
    let mut t = text.to_string();
    for (k, v) in subst {
        t = t.replace(&format!("doc = \"{k}\""), &format!("doc = \"{v}\""));
    }
    let p = work.join(name);
    tamim_app::registry::home::write_atomic(&p, t.as_bytes())?;
    Ok(p)
}

/// The Kurul's letter as a receiving office registers it (on its own, or as part of the genelge).
fn kurul_letter(letter: &Issued, received: &str, attached_to: Option<i64>) -> ReceiveRequest {
    ReceiveRequest {
        file: letter.file.clone(),
        sayi: letter.sayi.clone(),
        tarih: "12.10.2021".into(),
        konu: letter.konu.clone(),
        from: "KURUL".into(),
        ek: vec!["Sosyal Medya Etik İlkeleri (3 Sayfa)".into()],
        muhatap: Some("DAĞITIM YERLERİNE".into()),
        received: Some(received.into()),
        attached_to: attached_to.map(|id| format!("#{id}")),
        ..Default::default()
    }
}

fn doc(office: &str, what: &str, i: &Issued) -> DemoDocument {
    DemoDocument {
        office: office.into(),
        what: what.into(),
        sayi: i.sayi.clone(),
        kind_no: i.kind_no.clone(),
        pages: i.pages,
        file: i.file.clone(),
    }
}

/// Build the chain in `home` (İESOB's registry; the upstream offices' registries go in `home/chain/`) and `output`.
pub fn run(home: &Path, output: &Path, smtp: Option<&str>) -> Result<DemoReport> {
    if home.join(store::DB_FILE).is_file() {
        let reg = Registry::open(home)?;
        let n = store::documents::count(&reg.store.conn)?;
        if n > 0 {
            return Err(Error::NotEmpty {
                path: home.to_path_buf(),
                what: format!("{n} documents"),
            });
        }
        if store::orgs::count(&reg.store.conn)? > 0 {
            return Err(Error::NotEmpty {
                path: home.to_path_buf(),
                what: "offices".into(),
            });
        }
    }
    let chain_dir = home.join("chain");
    if chain_dir.exists() {
        std::fs::remove_dir_all(&chain_dir).map_err(|e| Error::io(&chain_dir, e))?;
    }
    // What this run makes in `home`, taken away again if it fails: no half-built chain is left behind.
    let made: Vec<PathBuf> = [
        "chain",
        store::DB_FILE,
        &format!("{}-wal", store::DB_FILE),
        &format!("{}-shm", store::DB_FILE),
        tamim_app::distribution::token::SECRET_FILE,
        tamim_app::registry::home::FILES_DIR,
        tamim_app::registry::home::CONFIG_FILE,
    ]
    .iter()
    .map(|n| home.join(n))
    .filter(|p| !p.exists())
    .collect();
    build(home, output, smtp).inspect_err(|e| {
        tracing::info!(error = %e, "the demo failed; removing what it made");
        for p in &made {
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(p)
            } else {
                std::fs::remove_file(p)
            };
        }
    })
}

fn build(home: &Path, output: &Path, smtp: Option<&str>) -> Result<DemoReport> {
    let work = home.join("chain").join("work");
    std::fs::create_dir_all(&work).map_err(|e| Error::io(&work, e))?;
    tamim_app::registry::home::create_output_dir(output, Default::default())?;
    let mut documents = Vec::new();

    // 1. The Kurul: İlke Kararı 2021/81 (3 pages), then its letter 25346381.010.06/53064 carrying it.
    let mut kurul = setup(&home.join("chain").join("kurul"), KURUL_TOML, &work)?;
    set_next(&mut kurul, "sayi", 53063)?;
    set_next(&mut kurul, "kind:ilke-kararı", 81)?;
    let karar = tamim_app::issue::issue(
        &mut kurul,
        &write_draft(&work, "kurul-ilke-karari.toml", DRAFT_KARAR, &[])?,
        output,
        false,
    )?;
    documents.push(doc("Kamu Görevlileri Etik Kurulu", "İlke Kararı", &karar));
    let p = write_draft(
        &work,
        "kurul-yazi.toml",
        DRAFT_KURUL,
        &[("KARAR", format!("#{}", karar.id.unwrap_or_default()))],
    )?;
    let letter = tamim_app::issue::issue(&mut kurul, &p, output, false)?;
    documents.push(doc("Kamu Görevlileri Etik Kurulu", "yazı (81 İl Valiliğine)", &letter));

    // 2. İstanbul Valiliği: registers the letter (stamped), issues genelge E-85840981-167.01-122254.
    let mut valilik = setup(&home.join("chain").join("valilik"), VALILIK_TOML, &work)?;
    set_next(&mut valilik, "kayit", 320214)?;
    set_next(&mut valilik, "sayi", 122254)?;
    let got = receive::receive(&mut valilik, kurul_letter(&letter, "2021-11-01T09:30:00", None))?;
    let p = write_draft(
        &work,
        "valilik-genelge.toml",
        DRAFT_GENELGE,
        &[("KURUL-YAZI", format!("#{}", got.id))],
    )?;
    let genelge = tamim_app::issue::issue(&mut valilik, &p, output, false)?;
    documents.push(doc("İstanbul Valiliği", "genelge", &genelge));

    // 3. İESOB: registers the genelge as Kayıt No 4959 and its attachments, then issues Tamim 2021/243.
    let mut iesob = setup(home, IESOB_TOML, &work)?;
    staff::rosters(&mut iesob, &work)?;
    set_next(&mut iesob, "kayit", 4959)?;
    set_next(&mut iesob, "sayi", 4516)?;
    set_next(&mut iesob, "kind:tamim", 243)?;
    let g = receive::receive(
        &mut iesob,
        ReceiveRequest {
            file: genelge.file.clone(),
            sayi: genelge.sayi.clone(),
            tarih: "02.11.2021".into(),
            konu: genelge.konu.clone(),
            from: "IL-34".into(),
            issuer: Some("İstanbul Valiliği, İl Yazı İşleri Müdürlüğü".into()),
            kind: Some(tamim_core::DocumentKind::Genelge),
            muhatap: Some("DAĞITIM YERLERİNE".into()),
            ilgi: vec![
                "Kamu Görevlileri Etik Kurulunun 22.10.2021 tarihli ve 25346381.010.06-53064 sayılı yazısı.".into(),
            ],
            ek: vec!["İlgi yazı ve eki.".into()],
            received: Some("2021-11-03T10:15:00".into()),
            ..Default::default()
        },
    )?;
    // The genelge's attachments, registered as parts of it: the Kurul's letter (which links the genelge's
    // citation and flags its date) and the İlke Kararı the letter carries.
    let kl = receive::receive(&mut iesob, kurul_letter(&letter, "2021-11-03T10:15:00", Some(g.id)))?;
    receive::receive(
        &mut iesob,
        ReceiveRequest {
            file: karar.file.clone(),
            // An İlke Kararı has a number of its kind (2021/81), not a sayı of its own: it is registered
            // under the sayı of the letter that carried it.
            sayi: letter.sayi.clone(),
            tarih: "20.09.2021".into(),
            konu: karar.konu.clone(),
            from: "KURUL".into(),
            kind: Some(tamim_core::DocumentKind::IlkeKarari),
            kind_no: Some("2021/81".into()),
            received: Some("2021-11-03T10:15:00".into()),
            attached_to: Some(format!("#{}", kl.id)),
            ..Default::default()
        },
    )?;
    let p = write_draft(
        &work,
        "iesob-tamim.toml",
        DRAFT_TAMIM,
        &[("GENELGE", format!("#{}", g.id))],
    )?;
    let tamim = tamim_app::issue::issue(&mut iesob, &p, output, false)?;
    documents.push(doc("İESOB", "Tamim", &tamim));
    let tamim_id = tamim.id.unwrap_or_default();
    let chain = chain::chain(&iesob.store.conn, tamim_id)?;

    // 4. Distribution: one e-mail per member chamber.
    let opts = tamim_app::distribution::send::SendOptions {
        transport: Some(if smtp.is_some() { "smtp" } else { "file" }.into()),
        smtp_url: smtp.map(String::from),
        dry_run: false,
        max_attempts: 3,
        backoff_secs: 1.0,
        retry_failed: false,
        stop: None,
    };
    // On the demo's clock: sent the morning of the tamim's date, not on the day the demo runs.
    let clock = tamim_store::clock::Fixed::at(acks::sent_at());
    let sent = tamim_app::distribution::send::send(&mut iesob, tamim_id, output, &opts, &mut |_, _| {})?;
    drop(clock);

    // 5. Receipt and acknowledgement, reminders for the late, and the auditor's summary, in November 2021.
    let after = acks::run(&mut iesob, tamim_id, output, smtp)?;
    // The chambers' staff: by the summary's date, some told, one on leave, one sheet signed, some pending.
    let clock = tamim_store::clock::Fixed::at(acks::staff_at());
    staff::acknowledge(&mut iesob, tamim_id, &work, output)?;
    drop(clock);
    Ok(DemoReport {
        registry: home.to_path_buf(),
        output: output.to_path_buf(),
        documents,
        tamim: tamim_id,
        genelge: g.id,
        chain,
        sent,
        after,
    })
}
