//! Shared fixture for the ack, audit and server tests: a registry with a birlik, its chambers (one without
//! e-mail), a kaymakamlık with a cascade duty, two staff, a list, and an issued tamim frozen into deliveries
//! (inserted directly, as `tamim issue` would leave it).
#![allow(dead_code)]

use std::path::Path;

use tamim_app::registry::document::NewDocument;
use tamim_app::registry::Registry;

pub use crate::common::*;

pub const RECIPIENTS: [&str; 6] = ["ODA-1", "ODA-2", "ODA-3", "ODA-4", "KAY-SILE", "P-AYSE"];

/// Orgs, people and the list `odalar`.
pub fn seed(env: &Env) {
    env.ok(&[
        "org",
        "add",
        "BIRLIK",
        "--name",
        "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "--kind",
        "birlik",
        "--email",
        "birlik@example.org",
    ]);
    env.ok(&[
        "org",
        "add",
        "IST",
        "--name",
        "İstanbul Valiliği",
        "--kind",
        "valilik",
        "--email",
        "vali@example.org",
    ]);
    for (code, name, email) in [
        ("ODA-1", "İstanbul Berberler Odası", Some("oda1@example.org")),
        ("ODA-2", "İstanbul Çilingirler Odası", Some("oda2@example.org")),
        ("ODA-3", "İstanbul Şoförler Odası", Some("oda3@example.org")),
        ("ODA-4", "İstanbul Işıkçılar Odası", None),
    ] {
        let mut a = vec![
            "org", "add", code, "--name", name, "--kind", "oda", "--parent", "BIRLIK",
        ];
        if let Some(e) = email {
            a.extend(["--email", e]);
        }
        env.ok(&a);
    }
    env.ok(&[
        "org",
        "add",
        "KAY-SILE",
        "--name",
        "Şile Kaymakamlığı",
        "--kind",
        "kaymakamlik",
        "--parent",
        "IST",
        "--email",
        "sile@example.org",
    ]);
    env.ok(&[
        "person",
        "add",
        "P-AYSE",
        "--name",
        "Ayşe YILMAZ",
        "--org",
        "ODA-1",
        "--title",
        "Genel Sekreter",
        "--email",
        "ayse@example.org",
    ]);
    env.ok(&[
        "person",
        "add",
        "P-OMER",
        "--name",
        "Ömer DEMİR",
        "--org",
        "ODA-1",
        "--title",
        "Başkan",
    ]);
    env.ok(&["list", "create", "odalar", "--title", "Oda Başkanlıklarına"]);
    env.ok(&["list", "add", "odalar", "ODA-1", "ODA-2", "ODA-3", "ODA-4"]);
    env.ok(&["list", "add", "odalar", "KAY-SILE", "--cascade", "ilce-belediyesi"]);
    env.ok(&["list", "add", "odalar", "P-AYSE", "--role", "bilgi"]);
}

/// Insert an issued outgoing tamim dated `tarih` (ISO) going to `odalar`, freeze it; returns its id.
pub fn issue(home: &Path, sayi: &str, tarih: &str, urgency: Option<(&str, &str)>, pdf: Option<&[u8]>) -> i64 {
    let mut reg = Registry::open(home).expect("open registry");
    let secret = tamim_app::distribution::token::secret(home).expect("secret");
    let file = pdf.map(|b| {
        let (sha, _) = reg.store_file(b).expect("store file");
        sha
    });
    reg.store
        .write(|tx| {
            if let Some(sha) = &file {
                tamim_store::files::upsert(
                    tx,
                    &tamim_store::files::FileRow {
                        sha256: sha.clone(),
                        size: pdf.map(|b| b.len() as i64).unwrap_or(0),
                        media_type: "application/pdf".into(),
                        pages: Some(1),
                        original_name: None,
                    },
                )?;
            }
            let id = tamim_store::documents::insert(
                tx,
                &NewDocument {
                    direction: "outgoing".into(),
                    kind: tamim_core::DocumentKind::Tamim,
                    sayi: Some(tamim_core::turkish::Sayi::parse(sayi).expect("sayi")),
                    kind_no: Some("2021/243".into()),
                    tarih: chrono::NaiveDate::parse_from_str(tarih, "%Y-%m-%d").expect("date"),
                    konu: "Sosyal Medya Etik İlkeleri hk.".into(),
                    muhatap: Some("ODASI BAŞKANLIĞINA".into()),
                    issuer: Some("İstanbul Esnaf ve Sanatkarlar Odaları Birliği".into()),
                    file: file.clone(),
                    state: "issued".into(),
                    urgency: urgency.map(|u| u.0.to_string()),
                    deadline: urgency.map(|u| chrono::NaiveDate::parse_from_str(u.1, "%Y-%m-%d").expect("deadline")),
                    payload: serde_json::json!({"to": ["odalar"]}),
                    ..Default::default()
                },
            )?;
            tamim_app::distribution::freeze::freeze(tx, &secret, id)?;
            Ok::<_, tamim_app::Error>(id)
        })
        .expect("issue")
}

/// Mark every delivery with an address as sent (what the sender does), through the library.
pub fn mark_all_sent(home: &Path, doc: i64) {
    let mut reg = Registry::open(home).expect("open registry");
    reg.store
        .write(|tx| {
            for d in tamim_store::deliveries::for_document(tx, doc)? {
                if d.state == tamim_core::state::State::Queued {
                    tamim_app::ack::mark_sent(tx, &d, "email", Some("250 2.0.0 Ok: queued"))?;
                }
            }
            Ok::<_, tamim_app::Error>(())
        })
        .expect("mark sent");
}

/// Date every sent delivery's `sent_at` `days` ago at 09:00 Türkiye time (`mark_all_sent` sends now, as the
/// outbox does), for a story where the document went out on its date and was acknowledged since.
pub fn sent_days_ago(env: &Env, doc: i64, days: i64) {
    let at = format!("{}T06:00:00Z", days_ago(days));
    env.db()
        .execute(
            "UPDATE deliveries SET sent_at = ?1 WHERE document_id = ?2 AND sent_at IS NOT NULL",
            rusqlite::params![at, doc],
        )
        .expect("backdate sent_at");
}

/// A date `days` before today as a clerk types it: `05.11.2021`.
pub fn dotted_days_ago(days: i64) -> String {
    let d = chrono::NaiveDate::parse_from_str(&days_ago(days), "%Y-%m-%d").expect("date");
    d.format("%d.%m.%Y").to_string()
}

pub fn token(home: &Path, doc: i64, code: &str) -> String {
    tamim_app::distribution::token::token(
        &tamim_app::distribution::token::secret(home).expect("secret"),
        doc,
        code,
    )
}

/// An ISO date `days` before today.
pub fn days_ago(days: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

pub fn state_of(env: &Env, doc: i64, code: &str) -> String {
    env.db()
        .query_row(
            "SELECT state FROM deliveries WHERE document_id = ?1 AND recipient_code = ?2",
            rusqlite::params![doc, code],
            |r| r.get(0),
        )
        .expect("delivery")
}

pub fn events_count(env: &Env) -> i64 {
    env.count("SELECT count(*) FROM events")
}
pub mod http;
