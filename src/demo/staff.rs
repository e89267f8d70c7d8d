//! The demo's staff: every member chamber's roster (three to a dozen people, as the chamber's own
//! Windows-1254 `;` CSV), the "notify all staff" duty on Tamim 2021/243's chambers, and what came of it by
//! the summary's date — one chamber all done but one person on leave (izinli), one by its signed sheet,
//! one part-way, the rest still pending.

use std::path::Path;

use chrono::NaiveDate;
use tamim_app::error::Result;
use tamim_app::registry::list::{self, Member, MemberTarget, Role};
use tamim_app::registry::Registry;
use tamim_app::roster::{delegate, import, staff_ack};

use super::data::{csv_rows, ODALAR};

const FIRST: [&str; 12] = [
    "Ayşe", "Mehmet", "Fatma", "Hüseyin", "Zeynep", "İbrahim", "Şule", "Ömer", "Çiğdem", "Ufuk", "Gökhan", "Işıl",
];
const LAST: [&str; 12] = [
    "Kaya", "Şahin", "Demir", "Çelik", "Yıldız", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aydın", "Özkan", "Güneş",
];
const TITLES: [&str; 4] = ["Genel Sekreter", "Muhasebeci", "Büro Memuru", "Sicil Memuru"];

/// How many staff chamber `n` (0-based) has: three to twelve.
fn size(n: usize) -> usize {
    3 + (n * 7) % 10
}

/// The chambers' codes.
fn chambers() -> Vec<String> {
    csv_rows(ODALAR).into_iter().map(|r| r[0].clone()).collect()
}

fn sicil(n: usize, k: usize) -> String {
    format!("{}{:02}", 1000 + n * 100, k + 1)
}

/// Each chamber's roster, imported from the CSV it keeps; and the staff duty on the `uye-odalar` list.
pub fn rosters(reg: &mut Registry, work: &Path) -> Result<()> {
    let today = NaiveDate::from_ymd_opt(2021, 11, 1).unwrap_or_default();
    for (n, code) in chambers().iter().enumerate() {
        let mut text = String::from("Sicil No;Adı Soyadı;Unvanı;Birimi;E-posta;Göreve Başlama\r\n");
        for k in 0..size(n) {
            let i = n * 12 + k;
            let name = format!(
                "{} {}",
                FIRST[(n + k * 5) % FIRST.len()],
                LAST[(n * 5 + k * 7 + 3) % LAST.len()]
            );
            text.push_str(&format!(
                "{};{name};{};Oda Merkezi;p{}.{}@odalar.example.org.tr;{:02}.{:02}.{}\r\n",
                sicil(n, k),
                TITLES[k % TITLES.len()],
                k + 1,
                code.to_ascii_lowercase(),
                1 + (i % 28),
                1 + (i % 12),
                2005 + (i % 16)
            ));
        }
        let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(&text);
        let file = work.join(format!("personel-{code}.csv"));
        tamim_app::registry::home::write_atomic(&file, &bytes)?;
        import::import(&mut reg.store, code, &file, today)?;
    }
    let duty = Member {
        target: MemberTarget::Org(0),
        role: Role::Gereği,
        cascade_kind: None,
        cascade_text: None,
        label: None,
        staff_duty: true,
    };
    list::add(&mut reg.store, "uye-odalar", &chambers(), duty)?;
    Ok(())
}

/// What the chambers recorded of their staff: the first all but one (izinli), the second by its signed
/// tebliğ-tebellüğ sheet, the third sends its staff their personal links from its page (through the outbox
/// in `output`) and two of them acknowledge through theirs; the others nothing yet.
pub fn acknowledge(reg: &mut Registry, doc: i64, work: &Path, output: &Path) -> Result<()> {
    let codes = chambers();
    let all = |n: usize| (0..size(n)).map(|k| sicil(n, k)).collect::<Vec<_>>();
    let d = format!("#{doc}");
    let first = all(0);
    reg.store.write(|tx| {
        staff_ack::record(tx, &d, &codes[0], &first[1..], &staff_ack::How::Clerk)?;
        staff_ack::record(
            tx,
            &d,
            &codes[0],
            &first[..1],
            &staff_ack::How::Exempt(staff_ack::ExemptReason::Izinli),
        )?;
        Ok::<_, tamim_app::Error>(())
    })?;
    by_links(reg, doc, &codes[2], &all(2)[..2], output)?;
    // The second chamber prints its sheet, has it signed, and sends the scan.
    let sheet = tamim_app::roster::signoff::render(&reg.store.conn, doc, &codes[1])?;
    let scan = work.join(format!("imzali-liste-{}.pdf", codes[1]));
    tamim_app::registry::home::write_atomic(&scan, &sheet)?;
    staff_ack::sheet(reg, &d, &codes[1], &scan, &all(1))?;
    Ok(())
}

/// The chamber `office` sends its pending staff their links as its page does (`roster::delegate`), and the
/// people `who` acknowledge through theirs, by the same function the server's writer calls.
fn by_links(reg: &mut Registry, doc: i64, office: &str, who: &[String], output: &Path) -> Result<()> {
    let delivery = tamim_store::deliveries::for_document(&reg.store.conn, doc)?
        .into_iter()
        .find(|d| d.recipient_code == office)
        .ok_or_else(|| tamim_core::Error::not_found("delivery", office.to_string()))?;
    delegate::send_links(reg, delivery.id, delegate::Whom::NotYetSent, output)?;
    let secret = tamim_app::distribution::token::secret(&reg.home)?;
    let today = tamim_store::clock::now().format("%Y-%m-%d").to_string();
    for sicil in who {
        let tok = tamim_core::token::staff_token(&secret, doc, office, sicil);
        let link = delegate::lookup(&reg.store.conn, &secret, &tok)?
            .ok_or_else(|| tamim_core::Error::not_found("staff link", sicil.clone()))?;
        reg.store
            .write(|tx| delegate::acknowledge(tx, &link, "127.0.0.1", &today, &tamim_store::now_text()))?;
    }
    Ok(())
}
