//! Excel out: every table a user opens in a spreadsheet, written by the real binary on the demo's registry
//! and read back by an independent reader — openpyxl for `.xlsx` (headers, cell types, values, widths,
//! the frozen header row), the csv crate for the CSV forms (the BOM and `;` of Turkish Excel's form, the
//! formula guard).

use crate::common::{self, Env};
use std::path::{Path, PathBuf};

/// The Python with openpyxl: the venv `scripts/test.sh` makes (`TAMIM_TEST_VENV`, else `target/venv`).
/// (`TAMIM_TEST_PYTHON` is the SMTP test server's Python, with aiosmtpd: not this one.)
fn python() -> PathBuf {
    match std::env::var_os("TAMIM_TEST_VENV") {
        Some(v) => PathBuf::from(v).join("bin/python"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv/bin/python"),
    }
}

/// Every sheet of a workbook as openpyxl reads it: `[{"title", "freeze", "widths", "rows": [[{"t", "v"}]]}]`,
/// each cell's type `date`, `number`, `text` or `empty` and its value (dates as `dd.mm.yyyy hh:mm`).
fn read_xlsx(path: &Path) -> serde_json::Value {
    const SCRIPT: &str = r#"
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, datetime.datetime):
                cells.append({"t": "date", "v": v.strftime("%d.%m.%Y %H:%M"), "f": c.number_format})
            elif isinstance(v, bool) or v is None:
                cells.append({"t": "empty", "v": None})
            elif isinstance(v, (int, float)):
                cells.append({"t": "number", "v": v, "f": c.number_format})
            else:
                cells.append({"t": "text", "v": v, "bold": bool(c.font and c.font.b)})
        rows.append(cells)
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    out.append({"title": ws.title, "freeze": ws.freeze_panes, "widths": widths, "rows": rows})
print(json.dumps(out))
"#;
    let py = python();
    let out = std::process::Command::new(&py)
        .arg("-c")
        .arg(SCRIPT)
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (scripts/test.sh makes it, with openpyxl): {e}",
                py.display()
            )
        });
    assert!(out.status.success(), "openpyxl failed: {}", common::stderr(&out));
    serde_json::from_slice(&out.stdout).expect("openpyxl's JSON")
}

fn demo() -> Env {
    let env = Env::bare();
    env.ok(&["demo"]);
    env
}

/// The header row's texts, each checked to be bold text.
fn headers(sheet: &serde_json::Value) -> Vec<String> {
    sheet["rows"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["t"], "text", "a header is text: {c}");
            assert_eq!(c["bold"], true, "a header is bold: {c}");
            c["v"].as_str().unwrap().to_string()
        })
        .collect()
}

/// The row whose first cells' values are `first`.
fn row_of<'a>(sheet: &'a serde_json::Value, col: usize, value: &str) -> &'a Vec<serde_json::Value> {
    sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap())
        .find(|r| r.get(col).and_then(|c| c["v"].as_str()) == Some(value))
        .unwrap_or_else(|| panic!("no row with {value:?} in column {col}: {sheet}"))
}

#[test]
fn audit_as_xlsx_has_turkish_headers_date_cells_and_widths() {
    let env = demo();
    let file = env.path("denetim.xlsx");
    env.ok(&[
        "audit",
        "2021/243",
        "--format",
        "xlsx",
        "--file",
        file.to_str().unwrap(),
    ]);
    let book = read_xlsx(&file);
    let sheet = &book[0];
    assert_eq!(sheet["title"], "Tebliğ Durumu");
    assert_eq!(sheet["freeze"], "A2", "the header row stays in view");
    let h = headers(sheet);
    assert_eq!(
        h[..9],
        [
            "Alıcı Kodu",
            "Alıcı",
            "Tür",
            "Birim",
            "Gereği/Bilgi",
            "Yol",
            "Durum",
            "Kanal",
            "Gönderildi"
        ]
    );
    assert_eq!(
        sheet["rows"].as_array().unwrap().len(),
        1 + 18,
        "a header and the 18 chambers"
    );
    // ODA-14 acknowledged by link: its times are date cells in a day-first format, in Türkiye time.
    let r = row_of(sheet, 0, "ODA-14");
    assert_eq!(r[6]["v"], "tebellüğ edildi", "the state as a user reads it");
    let db_time: String = env
        .db()
        .query_row(
            "SELECT acknowledged_at FROM deliveries WHERE recipient_code = 'ODA-14'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let local = chrono::DateTime::parse_from_rfc3339(&db_time)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(3 * 3600).unwrap());
    let ack = h.iter().position(|x| x == "Tebellüğ").unwrap();
    assert_eq!(r[ack]["t"], "date", "{r:?}");
    assert_eq!(r[ack]["v"], local.format("%d.%m.%Y %H:%M").to_string());
    assert_eq!(r[ack]["f"], "dd.mm.yyyy hh:mm");
    // A recipient without an address: no sent time at all (an empty cell, not a text).
    let r = row_of(sheet, 0, "ODA-15");
    assert_eq!(r[6]["v"], "adres yok");
    assert_eq!(r[8]["t"], "empty");
    let widths = sheet["widths"].as_object().unwrap();
    assert!(
        widths["B"].as_f64().unwrap() >= 40.0,
        "names get a wide column: {widths:?}"
    );
}

#[test]
fn status_as_xlsx_counts_numbers_and_lists_the_late_with_dates() {
    let env = demo();
    env.ok(&["status", "2021/243", "--format", "xlsx"]);
    let id = env.count("SELECT id FROM documents WHERE kind_no = '2021/243'");
    let book = read_xlsx(&env.output().join(format!("durum-{id}.xlsx")));
    let counts = &book[0];
    assert_eq!(counts["title"], "Durum");
    let h = headers(counts);
    assert_eq!(h[0], "Gereği/Bilgi");
    assert!(h.contains(&"tebellüğ edildi".to_string()) && h.contains(&"Tebellüğ %".to_string()));
    let all = row_of(counts, 0, "tümü");
    let total = h.iter().position(|x| x == "Toplam").unwrap();
    assert_eq!(all[total]["t"], "number");
    assert_eq!(all[total]["v"], 18);
    let pct = &all[h.iter().position(|x| x == "Tebellüğ %").unwrap()];
    assert_eq!(pct["t"], "number", "a percentage is a number: {pct}");
    assert_eq!(pct["f"], "0.0");
    let late = &book[1];
    assert_eq!(late["title"], "Gecikenler");
    assert_eq!(
        headers(late),
        [
            "Alıcı Kodu",
            "Alıcı",
            "Gereği/Bilgi",
            "Durum",
            "E-posta",
            "Hatırlatma",
            "Son Gün",
            "Gecikme (gün)"
        ]
    );
    let r = row_of(late, 0, "ODA-05");
    assert_eq!(r[3]["v"], "ulaştırılamadı");
    assert_eq!(r[5]["t"], "number");
    assert_eq!(r[6]["t"], "date");
    assert_eq!(r[6]["f"], "dd.mm.yyyy");
    assert_eq!(r[6]["v"], "20.11.2021 00:00", "the deadline: 15 days after 05.11.2021");
    assert_eq!(r[7]["t"], "number");
}

#[test]
fn recipients_people_and_offices_as_xlsx() {
    let env = demo();
    let file = env.path("alicilar.xlsx");
    env.ok(&[
        "list",
        "show",
        "uye-odalar",
        "--expand",
        "--format",
        "xlsx",
        "--file",
        file.to_str().unwrap(),
    ]);
    let book = read_xlsx(&file);
    assert_eq!(book[0]["title"], "Alıcılar");
    assert_eq!(headers(&book[0])[..4], ["Alıcı", "Kod", "Tür", "Gereği/Bilgi"]);
    let r = row_of(&book[0], 1, "ODA-14");
    assert_eq!(r[0]["v"], "İstanbul Ayakkabıcılar Odası");
    assert_eq!(book[0]["rows"].as_array().unwrap().len(), 19);

    env.ok(&["person", "list", "--format", "xlsx"]);
    let book = read_xlsx(&env.output().join("personel.xlsx"));
    assert_eq!(headers(&book[0]), ["Sicil", "Ad Soyad", "Unvan", "Birim", "E-posta"]);
    let people = env.count("SELECT COUNT(*) FROM people");
    assert_eq!(book[0]["rows"].as_array().unwrap().len() as i64, 1 + people);

    env.ok(&["org", "list", "--format", "xlsx"]);
    let book = read_xlsx(&env.output().join("birimler.xlsx"));
    assert_eq!(headers(&book[0])[..3], ["Kod", "Birim Adı", "Tür"]);
    // An existing file is replaced only with --force.
    let e = env.fails(&["org", "list", "--format", "xlsx"]);
    assert!(e.contains("--force"), "{e}");
    env.ok(&["org", "list", "--format", "xlsx", "--force"]);
}

/// Turkish Excel's CSV: a BOM, `;` between cells, Turkish headers, day-first times, the formula guard kept.
#[test]
fn csv_for_turkish_excel_has_bom_semicolons_and_the_formula_guard() {
    let env = demo();
    // A name typed as a formula into an acknowledgement: guarded in both CSV forms.
    let status = env.json(&["status", "2021/243"]);
    let late = status["late"].as_array().unwrap();
    let code = late
        .iter()
        .find(|l| l["state"] == "sent")
        .expect("a late chamber that was sent the tamim")["recipient"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(&[
        "ack",
        "2021/243",
        &code,
        "--method",
        "phone",
        "--by",
        "=HYPERLINK(\"http://x\")",
    ]);
    let text = env.ok(&["audit", "2021/243", "--format", "csv-excel"]);
    assert!(text.starts_with('\u{feff}'), "a BOM first");
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let h: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(h[0], "Alıcı Kodu");
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let oda01 = rows
        .iter()
        .find(|r| r[0] == code)
        .expect("the chamber acknowledged by phone");
    let by = h.iter().position(|x| x == "Tebellüğ Eden").unwrap();
    assert_eq!(&oda01[by], "'=HYPERLINK(\"http://x\")");
    let at = h.iter().position(|x| x == "Tebellüğ").unwrap();
    let shown = &oda01[at];
    assert!(
        chrono::NaiveDateTime::parse_from_str(shown, "%d.%m.%Y %H:%M").is_ok(),
        "a day-first time: {shown}"
    );
    // The plain CSV stays as scripts read it: commas, English keys, stored times, and the guard.
    let plain = env.ok(&["audit", "2021/243", "--format", "csv"]);
    assert!(plain.starts_with("recipient,name,"), "{plain}");
    assert!(plain.contains("'=HYPERLINK"));
    // And in a workbook the name is text, never a formula.
    let file = env.path("a.xlsx");
    env.ok(&[
        "audit",
        "2021/243",
        "--format",
        "xlsx",
        "--file",
        file.to_str().unwrap(),
    ]);
    let book = read_xlsx(&file);
    let r = row_of(&book[0], 0, &code);
    assert_eq!(r[by]["v"], "=HYPERLINK(\"http://x\")");
    assert_eq!(r[by]["t"], "text");
    // The late list in Excel's form: numbers as Turkish Excel reads them.
    let late = env.ok(&["status", "2021/243", "--format", "csv-excel"]);
    assert!(late.starts_with("\u{feff}Alıcı Kodu;Alıcı;"), "{late}");
    assert!(late.contains(";20.11.2021;"), "{late}");
}
