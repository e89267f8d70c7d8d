//! The demo's offices, people and distribution lists: the 81 governorships, Istanbul's 39 districts with their
//! municipalities, the Valilik's distribution, and İESOB's member chambers with staff. Data files are embedded.

use std::path::Path;

use tamim_app::error::Result;
use tamim_app::registry::list::{self, Member, MemberTarget, Role};
use tamim_app::registry::{org, person, Registry};

const ILLER: &str = include_str!("../../registry/demo/iller.csv");
const ILCELER: &str = include_str!("../../registry/demo/istanbul-ilceleri.csv");
pub const ODALAR: &str = include_str!("../../registry/demo/odalar.csv");

/// A code from a Turkish name: `Büyükçekmece` → `BUYUKCEKMECE`.
pub fn slug(name: &str) -> String {
    tamim_core::turkish::upper(name)
        .chars()
        .filter_map(|c| match c {
            'Ç' => Some('C'),
            'Ğ' => Some('G'),
            'İ' | 'I' => Some('I'),
            'Ö' => Some('O'),
            'Ş' => Some('S'),
            'Ü' => Some('U'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().to_string()).collect())
        .collect()
}

fn push(csv: &mut String, fields: &[&str]) {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains(',') {
                format!("\"{f}\"")
            } else {
                f.to_string()
            }
        })
        .collect();
    csv.push_str(&quoted.join(","));
    csv.push('\n');
}

/// Load every demo org, person and list into `reg` (through the same CSV import a clerk uses).
pub fn load(reg: &mut Registry, work: &Path) -> Result<()> {
    let mut orgs = String::from("code,name,kind,parent,email,kep,detsis\n");
    push(
        &mut orgs,
        &[
            "KURUL",
            "Kamu Görevlileri Etik Kurulu",
            "kurul",
            "",
            "etik@example.gov.tr",
            "",
            "25346381",
        ],
    );
    for r in csv_rows(ILLER) {
        let (plate, il) = (&r[0], &r[1]);
        let code = format!("IL-{plate}");
        let name = format!("{il} Valiliği");
        let email = format!("valilik{plate}@example.gov.tr");
        if plate == "34" {
            push(
                &mut orgs,
                &[
                    &code,
                    &name,
                    "valilik",
                    "",
                    "yaziisleri@istanbul.gov.tr",
                    "icisleribakanligi@hs01.kep.tr",
                    "85840981",
                ],
            );
        } else {
            push(&mut orgs, &[&code, &name, "valilik", "", &email, "", ""]);
        }
    }
    push(
        &mut orgs,
        &[
            "IBB",
            "İstanbul Büyükşehir Belediye Başkanlığı",
            "buyuksehir-belediyesi",
            "IL-34",
            "ibb@example.gov.tr",
            "",
            "",
        ],
    );
    for r in csv_rows(ILCELER) {
        let ilce = &r[0];
        let s = slug(ilce);
        let lower = s.to_ascii_lowercase();
        push(
            &mut orgs,
            &[
                &format!("KAY-{s}"),
                &format!("{ilce} Kaymakamlığı"),
                "kaymakamlik",
                "IL-34",
                &format!("{lower}.kaymakamlik@example.gov.tr"),
                "",
                "",
            ],
        );
        push(
            &mut orgs,
            &[
                &format!("BEL-{s}"),
                &format!("{ilce} Belediye Başkanlığı"),
                "ilce-belediyesi",
                &format!("KAY-{s}"),
                &format!("{lower}.belediye@example.bel.tr"),
                "",
                "",
            ],
        );
    }
    for (code, name, kind) in [
        ("MEM-34", "İstanbul İl Milli Eğitim Müdürlüğü", "kamu-kurumu"),
        ("SAG-34", "İstanbul İl Sağlık Müdürlüğü", "kamu-kurumu"),
        ("SGK-34", "SGK İstanbul İl Müdürlüğü", "kamu-kurumu"),
        ("IESOB", "İstanbul Esnaf ve Sanatkarlar Odaları Birliği", "birlik"),
        ("EMN-34", "İstanbul İl Emniyet Müdürlüğü", "icisleri-birimi"),
        ("JAN-34", "İstanbul İl Jandarma Komutanlığı", "icisleri-birimi"),
        ("GOC-34", "İstanbul İl Göç İdaresi Müdürlüğü", "icisleri-birimi"),
        ("YAZI-34", "İl Yazı İşleri Müdürlüğü", "valilik-birimi"),
        ("IK-34", "İl İnsan Kaynakları Müdürlüğü", "valilik-birimi"),
        ("BIM-34", "İl Bilgi İşlem Müdürlüğü", "valilik-birimi"),
    ] {
        let parent = if kind == "birlik" { "" } else { "IL-34" };
        let email = format!("{}@example.gov.tr", code.to_ascii_lowercase());
        let email = if code == "IESOB" {
            "iesob@example.org.tr".to_string()
        } else {
            email
        };
        push(&mut orgs, &[code, name, kind, parent, &email, "", ""]);
    }
    for r in csv_rows(ODALAR) {
        push(
            &mut orgs,
            &[
                &r[0],
                &r[1],
                "oda",
                "IESOB",
                r.get(2).map(String::as_str).unwrap_or(""),
                "",
                "",
            ],
        );
    }
    let orgs_file = work.join("orgs.csv");
    tamim_app::registry::home::write_atomic(&orgs_file, orgs.as_bytes())?;
    org::import(&mut reg.store, &orgs_file)?;

    let mut people = String::from("id,name,title,org,email\n");
    for (i, (name, mail)) in [
        ("Ahmet YILMAZ", "ayilmaz"),
        ("Gülşen ÇELİK", "gcelik"),
        ("İsmail ÖZTÜRK", "iozturk"),
    ]
    .iter()
    .enumerate()
    {
        push(
            &mut people,
            &[
                &format!("VY-{}", i + 1),
                name,
                "Vali Yardımcısı",
                "IL-34",
                &format!("{mail}@istanbul.gov.tr"),
            ],
        );
    }
    let staff = [
        ("Başkan", "baskan"),
        ("Genel Sekreter", "sekreter"),
        ("Büro Memuru", "buro"),
    ];
    let first = [
        "Ayşe", "Mehmet", "Fatma", "Hüseyin", "Zeynep", "İbrahim", "Şule", "Ömer", "Çiğdem", "Ufuk", "Gökhan", "Işıl",
    ];
    let last = [
        "KAYA",
        "ŞAHİN",
        "DEMİR",
        "ÇELİK",
        "YILDIZ",
        "ÖZDEMİR",
        "ARSLAN",
        "DOĞAN",
        "KILIÇ",
        "AYDIN",
        "ÖZKAN",
        "GÜNEŞ",
    ];
    for (n, r) in csv_rows(ODALAR).iter().enumerate() {
        for (k, (title, mail)) in staff.iter().enumerate() {
            let i = n * 3 + k;
            let name = format!("{} {}", first[i % first.len()], last[(i * 7 + 3) % last.len()]);
            let email = if k == 2 && n % 4 == 3 {
                String::new()
            } else {
                format!("{mail}.{}@odalar.example.org.tr", r[0].to_ascii_lowercase())
            };
            push(
                &mut people,
                &[&format!("{}-P{}", r[0], k + 1), &name, title, &r[0], &email],
            );
        }
    }
    let people_file = work.join("people.csv");
    tamim_app::registry::home::write_atomic(&people_file, people.as_bytes())?;
    person::import(&mut reg.store, &people_file)?;

    let add = |reg: &mut Registry,
               list: &str,
               members: Vec<String>,
               role: Role,
               cascade: Option<&str>,
               label: Option<&str>|
     -> Result<()> {
        let m = Member {
            target: MemberTarget::Org(0),
            role,
            cascade_kind: cascade.map(String::from),
            cascade_text: None,
            label: label.map(String::from),
            staff_duty: false,
        };
        list::add(&mut reg.store, list, &members, m).map(|_| ())
    };
    let mk = |reg: &mut Registry, name: &str, title: &str| -> Result<()> {
        list::create(&mut reg.store, name, Some(title)).map(|_| ())
    };
    mk(reg, "81-il-valiligi", "81 İl Valiliğine")?;
    add(
        reg,
        "81-il-valiligi",
        csv_rows(ILLER).iter().map(|r| format!("IL-{}", r[0])).collect(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "kurul-dagitim", "Kurul dağıtımı")?;
    add(
        reg,
        "kurul-dagitim",
        vec!["@81-il-valiligi".into()],
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "ilce-kaymakamliklari", "39 İlçe Kaymakamlığına")?;
    add(
        reg,
        "ilce-kaymakamliklari",
        csv_rows(ILCELER)
            .iter()
            .map(|r| format!("KAY-{}", slug(&r[0])))
            .collect(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "kamu-kurumlari", "Tüm Kamu Kurum ve Kuruluşlarına")?;
    add(
        reg,
        "kamu-kurumlari",
        ["MEM-34", "SAG-34", "SGK-34", "IESOB"].map(String::from).to_vec(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "icisleri-birimleri", "İçişleri Birimlerine")?;
    add(
        reg,
        "icisleri-birimleri",
        ["EMN-34", "JAN-34", "GOC-34"].map(String::from).to_vec(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "valilik-birimleri", "Valilik Birimlerine")?;
    add(
        reg,
        "valilik-birimleri",
        ["YAZI-34", "IK-34", "BIM-34"].map(String::from).to_vec(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "vali-yardimcilari", "Vali Yardımcılarına")?;
    add(
        reg,
        "vali-yardimcilari",
        ["VY-1", "VY-2", "VY-3"].map(String::from).to_vec(),
        Role::Gereği,
        None,
        None,
    )?;
    mk(reg, "valilik-dagitim", "İstanbul Valiliği dağıtımı")?;
    add(
        reg,
        "valilik-dagitim",
        vec!["IBB".into()],
        Role::Gereği,
        None,
        Some("İstanbul Büyükşehir Belediye Başkanlığına"),
    )?;
    add(
        reg,
        "valilik-dagitim",
        vec!["@ilce-kaymakamliklari".into()],
        Role::Gereği,
        Some("ilce-belediyesi"),
        None,
    )?;
    add(
        reg,
        "valilik-dagitim",
        ["@kamu-kurumlari", "@icisleri-birimleri", "@valilik-birimleri"]
            .map(String::from)
            .to_vec(),
        Role::Gereği,
        None,
        None,
    )?;
    add(
        reg,
        "valilik-dagitim",
        vec!["@vali-yardimcilari".into()],
        Role::Bilgi,
        None,
        None,
    )?;
    mk(reg, "uye-odalar", "Oda Başkanlıklarına")?;
    add(
        reg,
        "uye-odalar",
        csv_rows(ODALAR).iter().map(|r| r[0].clone()).collect(),
        Role::Gereği,
        None,
        None,
    )?;
    Ok(())
}
