//! `tamim serve`: the acknowledgement page and form over real HTTP, the PDF link, the plain 404 for
//! unknown or altered tokens, bad form input, HTML in a name, a second visit; the auditor's pages.

use crate::ack_common;

use ack_common::http::Server;
use ack_common::*;

fn setup() -> (Env, i64) {
    let env = Env::new();
    seed(&env);
    let pdf = minimal_pdf(&["Tamim 2021/243"]);
    let doc = issue(&env.registry(), "4516", &days_ago(3), None, Some(&pdf));
    mark_all_sent(&env.registry(), doc);
    (env, doc)
}

#[test]
fn ack_page_form_and_second_visit() {
    let (env, doc) = setup();
    let srv = Server::start(&env);
    let tok = token(&env.registry(), doc, "ODA-2");
    let path = format!("/ack/{tok}");

    let r = srv.get(&path);
    assert_eq!(r.status, 200);
    let page = r.text();
    for want in [
        "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "4516",
        "Sosyal Medya Etik İlkeleri hk.",
        "İstanbul Çilingirler Odası",
        "Okudum, anladım",
        "name=\"name\"",
        &format!("href=\"/ack/{tok}/pdf\""),
    ] {
        assert!(page.contains(want), "missing {want:?}:\n{page}");
    }
    let date = tamim_core::turkish::format_long(chrono::NaiveDate::parse_from_str(&days_ago(3), "%Y-%m-%d").unwrap());
    assert!(page.contains(&date), "{date} in {page}");
    assert!(!page.contains("<script"), "no JavaScript");

    let r = srv.get(&format!("{path}/pdf"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r.body.starts_with(b"%PDF-"));

    // Bad form input: nothing recorded, the page says why.
    let before = events_count(&env);
    let r = srv.post_form(&path, &[("name", "   ")]);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("Lütfen adınızı ve soyadınızı yazın."), "{}", r.text());
    let r = srv.post_form(&path, &[("name", &"Ç".repeat(121))]);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("Ad en fazla 120 karakter olabilir."));
    let r = srv.post_form(&path, &[]);
    assert_eq!(r.status, 400);
    assert_eq!(events_count(&env), before);
    assert_eq!(state_of(&env, doc, "ODA-2"), "sent");

    // HTML in the name is stored as text and shown escaped.
    let evil = "<script>alert('x')</script> Ayla ŞEN";
    let r = srv.post_form(&path, &[("name", evil)]);
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains("Teşekkür ederiz"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Ayla ŞEN") || page.contains("&lt;script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>"), "{page}");
    let (by, method): (String, String) = env
        .db()
        .query_row(
            "SELECT ack_by, ack_method FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((by.as_str(), method.as_str()), (evil, "link"));
    assert_eq!(events_count(&env), before + 1);
    let first_at: String = env
        .db()
        .query_row(
            "SELECT acknowledged_at FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let shown = tamim_app::ack::time::shown(&first_at);

    // A second click and a second visit: the first acknowledgement, nothing new.
    let r = srv.post_form(&path, &[("name", "Başka Biri")]);
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains(&format!("Bu belge {shown} tarihinde")),
        "{}",
        r.text()
    );
    assert!(r.text().contains("Yeni bir kayıt yapılmadı."));
    let r = srv.get(&path);
    let page = r.text();
    assert!(page.contains(&format!("Bu belge {shown} tarihinde")), "{page}");
    assert!(!page.contains("<form"), "{page}");
    assert_eq!(events_count(&env), before + 1);
    let by: String = env
        .db()
        .query_row(
            "SELECT ack_by FROM deliveries WHERE recipient_code = 'ODA-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, evil);
}

#[test]
fn unknown_or_altered_tokens_get_the_same_plain_404() {
    let (env, doc) = setup();
    let srv = Server::start(&env);
    let tok = token(&env.registry(), doc, "ODA-1");
    let mut altered = tok.clone();
    let last = if altered.ends_with('0') { "1" } else { "0" };
    altered.replace_range(39..40, last);
    let other_registry_token = tamim_app::distribution::token::token(&[9u8; 32], doc, "ODA-1");
    let before = events_count(&env);
    for path in [
        format!("/ack/{altered}"),
        format!("/ack/{other_registry_token}"),
        "/ack/short".to_string(),
        format!("/ack/{}", tok.to_uppercase()),
        format!("/ack/{altered}/pdf"),
        "/nothing/here".to_string(),
    ] {
        let r = srv.get(&path);
        assert_eq!((r.status, r.text().as_str()), (404, "404 Not Found\n"), "{path}");
    }
    let r = srv.post_form(&format!("/ack/{altered}"), &[("name", "Ali")]);
    assert_eq!((r.status, r.text().as_str()), (404, "404 Not Found\n"));
    assert_eq!(events_count(&env), before);
    // The auditor's pages are behind a login now: the login page, not a 404.
    assert_eq!(srv.get("/audit").status, 303);
}

#[test]
fn auditor_pages_behind_the_token() {
    let (env, doc) = setup();
    let cfg = env.registry().join("office.toml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "# token = \"a long random string for the auditor's pages\"",
        "token = \"denetci-anahtari-7f3c9a21b8e4d5f6\"",
    );
    std::fs::write(&cfg, text).unwrap();
    env.ok(&["ack", &format!("#{doc}"), "ODA-1", "--method", "paper", "--by", "Ali"]);
    let srv = Server::start(&env);
    let q = "?token=denetci-anahtari-7f3c9a21b8e4d5f6";
    // Without the token (or with a wrong one) and without a login: the login page.
    for path in ["/audit", "/audit?token=yanlis"] {
        let r = srv.get(path);
        assert_eq!(r.status, 303, "{path}");
        assert!(r.header("location").unwrap().starts_with("/giris"), "{path}");
    }
    let r = srv.get(&format!("/audit{q}"));
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("Sosyal Medya Etik İlkeleri hk.") && r.text().contains(&format!("/audit/doc/{doc}{q}")),
        "{}",
        r.text()
    );
    let r = srv.get(&format!("/audit/doc/{doc}{q}"));
    let page = r.text();
    assert_eq!(r.status, 200, "{page}");
    assert!(
        page.contains("<svg") && page.contains("Zincir düzeyine göre tebellüğ"),
        "{page}"
    );
    assert!(page.contains("İstanbul Berberler Odası"));
    assert!(!page.contains("<script"));
    // The chart per level: one bar for level 1, labelled, its value as Turkish writes it.
    let bar = regex_lite::Regex::new(
        r##"<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+" fill="#2b6cb0"><title>Düzey 1 %[0-9]+,[0-9]</title></rect>"##,
    ).unwrap();
    assert!(bar.is_match(&page), "{page}");
    // Numbers and dates as Turkish writes them: "(%16,7)", "son gün 20 Kasım 2021"; no state by its code.
    let month = "(Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık)";
    let turkish = regex_lite::Regex::new(&format!(r"son gün \d{{1,2}} {month} \d{{4}}")).unwrap();
    assert!(turkish.is_match(&page), "{page}");
    assert!(
        regex_lite::Regex::new(r"\(%\d+,\d\)").unwrap().is_match(&page),
        "{page}"
    );
    assert!(!page.contains("no-address") && !page.contains("(sent)"), "{page}");
    let r = srv.get_with(
        &format!("/audit/doc/{doc}.csv"),
        &[("X-Audit-Token", "denetci-anahtari-7f3c9a21b8e4d5f6")],
    );
    assert_eq!(r.status, 200);
    assert!(
        r.text().starts_with("code,name,recipients,acknowledged"),
        "{}",
        r.text()
    );
    let r = srv.get_with(
        &format!("/audit/doc/{doc}.json"),
        &[("Authorization", "Bearer denetci-anahtari-7f3c9a21b8e4d5f6")],
    );
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["counts"]["acknowledged"], 1);
    assert_eq!(srv.get(&format!("/audit/doc/{doc}/late{q}")).status, 200);
    let r = srv.get(&format!("/audit/doc/{doc}/late.json{q}"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&r.body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let r = srv.get(&format!("/audit/doc/{doc}/chain{q}"));
    assert!(r.text().contains(&format!("#{doc} tamim")), "{}", r.text());
    assert_eq!(srv.get(&format!("/audit/doc/{doc}/chain.csv{q}")).status, 200);
    assert_eq!(srv.get(&format!("/audit/documents.json{q}")).status, 200);
    assert_eq!(srv.get(&format!("/audit/doc/999{q}")).status, 404);
}

/// Names typed into the public form that a spreadsheet would run as formulas come out of `tamim audit
/// --format csv` with a leading `'`; nothing else in the file changes.
#[test]
fn audit_csv_defuses_formulas_typed_into_the_form() {
    let (env, doc) = setup();
    let srv = Server::start(&env);
    let names = [
        ("ODA-1", "=HYPERLINK(\"http://evil\",\"x\")"),
        ("ODA-2", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("ODA-3", "+90 212 555 00 00"),
        ("P-AYSE", "-2+3"),
        ("KAY-SILE", "Ayla ŞEN = Şile"),
    ];
    for (code, name) in names {
        let r = srv.post_form(
            &format!("/ack/{}", token(&env.registry(), doc, code)),
            &[("name", name)],
        );
        assert_eq!(r.status, 200, "{code}: {}", r.text());
    }
    let csv = env.ok(&["audit", &format!("#{doc}"), "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (code_col, by_col) = (col("recipient"), col("ack_by"));
    let mut seen = 0;
    for row in rdr.records() {
        let row = row.unwrap();
        let Some((_, name)) = names.iter().find(|(c, _)| *c == &row[code_col]) else {
            continue;
        };
        let want = if name.starts_with(['=', '+', '-', '@']) {
            format!("'{name}")
        } else {
            name.to_string()
        };
        assert_eq!(&row[by_col], want, "{}", &row[code_col]);
        seen += 1;
    }
    assert_eq!(seen, names.len(), "{csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"), "{csv}");
    // The names as stored are the names as typed.
    let by: String = env
        .db()
        .query_row(
            "SELECT ack_by FROM deliveries WHERE recipient_code = 'ODA-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, names[0].1);
}
