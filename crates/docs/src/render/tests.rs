//! Tests that render letters and read them back as a reader would: poppler's `pdftotext
//! -layout`, `pdfinfo` and `qpdf --check`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

pub(crate) fn templates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates/documents")
}

pub(crate) fn example(name: &str) -> serde_json::Value {
    let path = templates_dir().join("examples").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("example context");
    serde_json::from_str(&text).expect("example JSON")
}

pub(crate) fn from_example(template: &str, example_name: &str) -> Letter {
    render_template(&template::built_in(), template, &example(example_name)).expect("template renders")
}

fn tmp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamim-render-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Writes the PDF, checks it with qpdf and returns `pdftotext -layout` per page.
pub(crate) fn read_back(name: &str, bytes: &[u8]) -> Vec<String> {
    let path = tmp_path(&format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf runs");
    let qout = String::from_utf8_lossy(&qpdf.stdout);
    assert!(
        qpdf.status.success(),
        "qpdf --check failed: {qout}{}",
        String::from_utf8_lossy(&qpdf.stderr)
    );
    assert!(qout.contains("No syntax or stream encoding errors"), "{qout}");
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8 text");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn raw_text(name: &str, bytes: &[u8]) -> String {
    let path = tmp_path(&format!("{name}-raw.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Words with their page number and top-left corner, from `pdftotext -bbox`.
fn word_boxes(name: &str, bytes: &[u8]) -> Vec<(usize, f64, f64, String, f64)> {
    let path = tmp_path(&format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8(out.stdout).expect("utf-8");
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        let Some(rest) = line.trim().strip_prefix("<word xMin=\"") else {
            continue;
        };
        let x: f64 = rest.split('"').next().unwrap().parse().unwrap();
        let xmax: f64 = rest
            .split("xMax=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let y: f64 = rest
            .split("yMin=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
        words.push((page, x, y, text, xmax));
    }
    words
}

/// Decompressed content streams (for what text extraction ignores, like diagonal text).
fn content_streams(name: &str, bytes: &[u8]) -> String {
    let path = tmp_path(&format!("{name}.pdf"));
    let qdf = tmp_path(&format!("{name}-qdf.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    let st = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&path)
        .arg(&qdf)
        .status()
        .unwrap();
    assert!(st.success());
    String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line_with<'a>(page: &'a str, needle: &str) -> &'a str {
    page.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{page}"))
}

fn simple_letter() -> Letter {
    let mut l = from_example("genelge", "genelge-122254");
    l.qr = None;
    l
}

#[test]
fn date_is_right_of_sayi_on_one_line() {
    let pages = read_back("date", &render(&simple_letter()).unwrap());
    let line = line_with(&pages[0], "Sayı");
    let s = line.find("E-85840981-167.01-122254").unwrap();
    let d = line.find("02.11.2021").expect("date on the sayı line");
    assert!(d > s + 30, "date not at the right: {line:?}");
    assert!(line.trim_end().ends_with("02.11.2021"));
    // Colons of Sayı, Konu and İlgi line up (measured in PDF coordinates).
    let colons: Vec<f64> = word_boxes("date-bbox", &render(&simple_letter()).unwrap())
        .into_iter()
        .filter(|w| w.3 == ":")
        .map(|w| w.1)
        .collect();
    assert!(colons.len() >= 3, "{colons:?}");
    assert!(colons.iter().all(|x| (x - colons[0]).abs() < 0.01), "{colons:?}");
}

#[test]
fn ilgi_lines_lettered_in_order() {
    let mut l = simple_letter();
    l.ilgi = vec![
        "Kamu Görevlileri Etik Kurulunun 12.10.2021 tarihli ve 53064 sayılı yazısı.".into(),
        "İçişleri Bakanlığının 25.10.2021 tarihli ve 12345 sayılı yazısı.".into(),
        "Valiliğimizin 01.11.2021 tarihli ve 122000 sayılı yazısı.".into(),
        "Kaymakamlığın 02.11.2021 tarihli ve 7 sayılı yazısı.".into(),
    ];
    let text = squash(&read_back("ilgi", &render(&l).unwrap())[0]);
    let a = text.find("İlgi : a) Kamu Görevlileri").expect("a)");
    let b = text.find("b) İçişleri").expect("b)");
    let c = text.find("c) Valiliğimizin").expect("c)");
    let cc = text.find("ç) Kaymakamlığın").expect("ç) (Turkish alphabet)");
    assert!(a < b && b < c && c < cc);
}

#[test]
fn single_ilgi_is_unlettered() {
    let text = squash(&read_back("ilgi1", &render(&simple_letter()).unwrap())[0]);
    assert!(
        text.contains("İlgi : Kamu Görevlileri Etik Kurulunun 22.10.2021"),
        "{text}"
    );
    assert!(!text.contains("a) Kamu"));
}

#[test]
fn dagitim_groups() {
    let pages = read_back("dagitim", &render(&simple_letter()).unwrap());
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    let dl = line_with(p, "Dağıtım:");
    assert!(dl.trim_start().starts_with("Dağıtım:"));
    let g = line_with(p, "Gereği:");
    let gx = g.find("Gereği:").unwrap();
    let bx = g.find("Bilgi:").expect("Bilgi beside Gereği");
    assert!(bx > gx + 20);
    let t = squash(p);
    assert!(t.find("Gereği:").unwrap() < t.find("İstanbul Büyükşehir Belediye Başkanlığına").unwrap());
    assert!(t.contains("Vali Yardımcılarına"));
    assert!(t.contains("Valilik Birimlerine"));
}

#[test]
fn dagitim_without_bilgi_goes_under_the_label() {
    let mut l = simple_letter();
    l.dagitim.bilgi.clear();
    let p = &read_back("dagitim2", &render(&l).unwrap())[0];
    assert!(!p.contains("Gereği:"));
    assert!(!p.contains("Bilgi:"));
    let t = squash(p);
    assert!(
        t.contains("Dağıtım: İstanbul Büyükşehir") || t.contains("Dağıtım:\nİstanbul"),
        "{t}"
    );
}

fn long_body(paragraphs: usize) -> Vec<Block> {
    let p = "Dijitalleşen özel ve kamusal yaşamda hızla ilerleyen sosyal medya kullanımında, kamu \
             hizmetlerinin tarafsızlığının ve kamu yönetimine duyulan güvenin korunması amacıyla, kamu \
             görevlisince gözetilmesi gereken etik ilkeleri, Kamu Görevlileri Etik Kurulunun İlke \
             Kararı ile belirlendiği bildirilmiştir.";
    (0..paragraphs)
        .map(|i| Block::Paragraph {
            text: format!("{} {p}", i + 1),
            indent: true,
        })
        .collect()
}

#[test]
fn three_page_body_is_numbered_and_fields_stay_on_their_pages() {
    let mut l = simple_letter();
    l.body = long_body(30);
    let pages = read_back("three", &render(&l).unwrap());
    assert_eq!(pages.len(), 3, "expected 3 pages");
    for (i, p) in pages.iter().enumerate() {
        let want = format!("{}/3", i + 1);
        let last = p.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert!(p.contains(&want), "page {} lacks {want}", i + 1);
        let _ = last;
    }
    assert!(pages[0].contains("Sayı") && !pages[1].contains("Sayı") && !pages[2].contains("Sayı"));
    assert!(pages[0].contains("DAĞITIM YERLERİNE") && !pages[1].contains("DAĞITIM YERLERİNE"));
    assert!(pages[2].contains("Mehmet Ali ÖZYİĞİT") && !pages[1].contains("ÖZYİĞİT"));
    assert!(pages[2].contains("Dağıtım:") && !pages[0].contains("Dağıtım:"));
    // The signature page carries body text too.
    let before_sig = &pages[2][..pages[2].find("Mehmet Ali").unwrap()];
    assert!(before_sig.contains("bildirilmiştir") || before_sig.contains("rica ederim"));
}

#[test]
fn one_page_letter_has_no_page_number() {
    let pages = read_back("onepage", &render(&simple_letter()).unwrap());
    assert_eq!(pages.len(), 1);
    assert!(!pages[0].contains("1/1"));
}

#[test]
fn signature_never_alone_on_a_page() {
    // Grow the body one paragraph at a time; wherever the page breaks, the signature page
    // must start with body text.
    for n in 3..9 {
        let mut l = simple_letter();
        l.body = long_body(n);
        let pages = read_back(&format!("alone{n}"), &render(&l).unwrap());
        let last = pages.last().unwrap();
        let sig = last.find("Mehmet Ali").unwrap();
        let before = squash(&last[..sig]);
        if pages.len() > 1 {
            let words = before.split(' ').filter(|w| w.chars().any(char::is_alphabetic)).count();
            assert!(words >= 4, "signature nearly alone with {n} paragraphs: {before:?}");
        }
    }
}

#[test]
fn hyphenates_turkish_words_at_line_ends() {
    let mut l = simple_letter();
    l.body = long_body(3);
    let pages = read_back("hyph", &render(&l).unwrap());
    let text = pages.join("\n");
    let hyphenated: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| l.ends_with('-') && l.chars().rev().nth(1).is_some_and(char::is_alphabetic))
        .collect();
    assert!(!hyphenated.is_empty(), "no hyphenated line end:\n{text}");
    // Every hyphenated piece joins back into a word of the source text.
    let source = squash(&long_body(3).iter().map(|b| format!("{b:?}")).collect::<String>());
    for line in &hyphenated {
        let head = line.split_whitespace().last().unwrap().trim_end_matches('-');
        assert!(source.contains(head), "{head}");
    }
}

#[test]
fn long_dagitim_moves_to_its_own_page() {
    let mut l = simple_letter();
    l.dagitim.geregi = (1..=120).map(|i| format!("Alıcı Kurum {i} Müdürlüğüne")).collect();
    let pages = read_back("dag120", &render(&l).unwrap());
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(squash(&pages[0]).contains("Dağıtım: Dağıtım listesi ektedir."));
    let list_start = pages
        .iter()
        .position(|p| p.contains("DAĞITIM LİSTESİ"))
        .expect("list page");
    assert!(list_start >= 1);
    let rest = pages[list_start..].join("\n");
    for i in [1, 60, 120] {
        assert!(rest.contains(&format!("Alıcı Kurum {i} Müdürlüğüne")), "entry {i}");
    }
    assert!(rest.contains("Vali Yardımcılarına"));
    let n = pages.len();
    assert!(pages[n - 1].contains(&format!("{n}/{n}")));
}

#[test]
fn turkish_text_round_trips_exactly() {
    let mut l = simple_letter();
    l.heading = vec![HeadingLine {
        text: "İSTANBUL VALİLİĞİ ığüşöç".into(),
        bold: true,
        size: None,
    }];
    l.body = vec![Block::Paragraph {
        text: "İĞÜŞÖÇ ığüşöç âî “tırnak” – ‘x’ …".into(),
        indent: true,
    }];
    let raw = raw_text("roundtrip", &render(&l).unwrap());
    assert!(raw.contains("İSTANBUL VALİLİĞİ ığüşöç"), "{raw}");
    assert!(raw.contains("İĞÜŞÖÇ ığüşöç âî “tırnak” – ‘x’ …"), "{raw}");
}

#[test]
fn same_letter_gives_identical_bytes() {
    let l = from_example("genelge", "genelge-122254");
    let a = render(&l).unwrap();
    let b = render(&l).unwrap();
    assert_eq!(a, b);
    let mut other = l.clone();
    other.konu = Some("Başka Konu".into());
    assert_ne!(render(&other).unwrap(), a);
    let s = String::from_utf8_lossy(&a);
    assert!(s.contains("D:20211102"), "PDF dates come from the document date");
}

#[test]
fn missing_glyph_is_an_error_before_output() {
    for (ch, field) in [('中', "konu"), ('ع', "body[0]")] {
        let mut l = simple_letter();
        if field == "konu" {
            l.konu = Some(format!("Konu {ch}"));
        } else {
            l.body[0] = Block::Paragraph {
                text: format!("Metin {ch} burada"),
                indent: true,
            };
        }
        match render(&l) {
            Err(RenderError::MissingGlyph { ch: c, context }) => {
                assert_eq!(c, ch);
                assert_eq!(context, field);
            }
            other => panic!("expected MissingGlyph, got {other:?}"),
        }
    }
}

#[test]
fn bad_letters_are_refused() {
    let mut l = simple_letter();
    l.konu = Some("iki\nsatır".into());
    assert!(matches!(render(&l), Err(RenderError::Invalid(_))));
    let mut l = simple_letter();
    l.signatories.clear();
    assert!(matches!(render(&l), Err(RenderError::Invalid(_))));
}

#[test]
fn missing_field_names_field_and_line() {
    let mut ctx = example("genelge-122254");
    ctx["doc"].as_object_mut().unwrap().remove("konu");
    match render_template(&template::built_in(), "genelge", &ctx) {
        Err(TemplateError::MissingField { template, field, line }) => {
            assert_eq!(template, "genelge.toml.j2");
            assert_eq!(field, "doc.konu");
            let src = std::fs::read_to_string(templates_dir().join("genelge.toml.j2")).unwrap();
            let text = src.lines().nth(line - 1).unwrap();
            assert!(text.contains("doc.konu"), "line {line}: {text}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
    let mut ctx = example("genelge-122254");
    ctx["office"].as_object_mut().unwrap().remove("kep");
    let err = render_template(&template::built_in(), "genelge", &ctx).unwrap_err();
    assert!(err.to_string().contains("office.kep"), "{err}");
}

#[test]
fn unknown_template_lists_available() {
    match render_template(&template::built_in(), "yok", &example("genelge-122254")) {
        Err(TemplateError::UnknownTemplate { name, available }) => {
            assert_eq!(name, "yok");
            for t in ["genelge", "karar", "tamim", "ust-yazi"] {
                assert!(available.contains(&t.to_string()), "{available:?}");
            }
        }
        other => panic!("expected UnknownTemplate, got {other:?}"),
    }
    let err = render_template(&template::built_in(), "../README", &example("genelge-122254")).unwrap_err();
    assert!(matches!(err, TemplateError::UnknownTemplate { .. }));
}

#[test]
fn any_text_survives_the_template() {
    let mut ctx = example("tamim-2021-243");
    let tricky = "Tırnak \"çift\" ve 'tek', ters \\ bölü, {{ kıvırcık }} İığüşöç\tsekme";
    ctx["doc"]["konu"] = tricky.into();
    let l = render_template(&template::built_in(), "tamim", &ctx).unwrap();
    assert_eq!(l.konu.as_deref(), Some(tricky));
}

#[test]
fn seed_tamim_from_template() {
    let l = from_example("tamim", "tamim-2021-243");
    let pages = read_back("tamim", &render(&l).unwrap());
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    let t = squash(p);
    for want in [
        "İSTANBUL",
        "ESNAF VE SANATKARLAR ODALARI BİRLİĞİ",
        "KURULUŞ: 1951",
        "Sayı : 4516",
        "Tamim No : 2021/243",
        "Konu : Sosyal Medya Etik İlkeleri hk.",
        "ODASI BAŞKANLIĞINA",
        "Bilgilerinizi ve gereğini rica ederiz.",
        "EKİ:",
        "1- İstanbul Valiliği, İl Yazı İşleri Müdürlüğü'nün; 02.11.2021 tarih ve 122254 sayılı genelgesi ve eki (5 sayfa)",
    ] {
        assert!(t.contains(want), "missing {want:?} in {t}");
    }
    let sayi = line_with(p, "4516");
    assert!(sayi.trim_end().ends_with("05 Kasım 2021"), "{sayi:?}");
    let names = line_with(p, "Ömer DEMİR");
    assert!(names.contains("Engin TÜRKMEN"), "signatures side by side: {names:?}");
    assert!(
        names.find("Ömer").unwrap() > 40,
        "signatures in the right half: {names:?}"
    );
    let titles = line_with(p, "Genel Sekreter");
    assert!(titles.contains("Başkan Vekili"));
}

#[test]
fn karar_signatures_in_rows_of_four() {
    let l = from_example("karar", "karar-2021-81");
    let pages = read_back("karar", &render(&l).unwrap());
    let last = pages.last().unwrap();
    // Rows of at most four, as many as the longest name allows without overlap.
    let rows: Vec<Vec<(f64, String)>> = {
        let words = word_boxes("karar-bbox", &render(&l).unwrap());
        let last_page = words.iter().map(|w| w.0).max().unwrap();
        let mut ys: Vec<f64> = words
            .iter()
            .filter(|w| w.0 == last_page && (w.3 == "Üye" || w.3 == "Başkan"))
            .map(|w| w.2)
            .collect();
        ys.dedup_by(|a, b| (*a - *b).abs() < 1.0);
        ys.iter()
            .map(|y| {
                words
                    .iter()
                    .filter(|w| w.0 == last_page && (w.2 - y).abs() < 1.0)
                    .map(|w| (w.1, w.3.clone()))
                    .collect()
            })
            .collect()
    };
    let counts: Vec<usize> = rows.iter().map(|r| r.len()).collect();
    assert_eq!(counts.iter().sum::<usize>(), 11, "{rows:?}");
    assert!(counts.iter().all(|&n| n <= 4), "{counts:?}");
    assert!(counts[0] >= 3, "{counts:?}");
    let row1 = line_with(last, "Zerrin GÜNGÖR");
    assert!(
        row1.contains("Faruk Nafiz ÖZAK") && row1.contains("İbrahim KARAOSMANOĞLU"),
        "{row1}"
    );
    for w in row1.split("  ").map(str::trim).filter(|w| !w.is_empty()) {
        assert!(
            [
                "Zerrin GÜNGÖR",
                "Faruk Nafiz ÖZAK",
                "İbrahim KARAOSMANOĞLU",
                "Ahmet KARAYİĞİT"
            ]
            .contains(&w),
            "overlap: {w:?}"
        );
    }
    let t = squash(&pages.join(" "));
    assert!(t.contains("İLKE KARARI") && t.contains("Karar No : 2021/81"));
    assert!(pages.len() >= 2);
}

#[test]
fn draft_classification_and_urgency_are_marked() {
    let mut l = simple_letter();
    l.draft = true;
    l.classification = Some(Classification::HizmeteOzel);
    l.urgency = Some(Urgency {
        level: UrgencyLevel::Gunludur,
        deadline: Some("(Son gün: 15.11.2021)".into()),
    });
    l.body = long_body(25);
    let bytes = render(&l).unwrap();
    let pages = read_back("marks", &bytes);
    assert!(pages.len() >= 2);
    for p in &pages {
        assert_eq!(p.matches("HİZMETE ÖZEL").count(), 2, "top and bottom");
    }
    // TASLAK is drawn diagonally (text extraction skips diagonal text): one rotated text
    // matrix per page.
    let streams = content_streams("marks-streams", &bytes);
    assert_eq!(
        streams.matches("0.70710677 0.70710677 -0.70710677 0.70710677").count(),
        pages.len()
    );
    let plain = content_streams("plain-streams", &render(&simple_letter()).unwrap());
    assert!(!plain.contains("0.70710677 0.70710677 -0.70710677"));
    assert!(pages[0].contains("GÜNLÜDÜR (Son gün: 15.11.2021)"));
    assert!(!pages[1].contains("GÜNLÜDÜR"));
}

/// Renders the four seed documents to /tmp/render-samples for a visual check.
#[test]
fn seed_samples() {
    let dir = Path::new("/tmp/render-samples");
    std::fs::create_dir_all(dir).unwrap();
    for (template, ex, file) in [
        ("karar", "karar-2021-81", "1-karar-2021-81"),
        ("ust-yazi", "ust-yazi-53064", "2-kurul-ust-yazi"),
        ("genelge", "genelge-122254", "3-valilik-genelge"),
        ("tamim", "tamim-2021-243", "4-iesob-tamim-2021-243"),
    ] {
        let bytes = render(&from_example(template, ex)).unwrap();
        read_back(file, &bytes);
        std::fs::write(dir.join(format!("{file}.pdf")), &bytes).unwrap();
    }
}

#[test]
fn long_konu_wraps_before_the_centre_line() {
    let mut l = simple_letter();
    let konu = "Kamu Görevlilerinin Sosyal Medya Kullanımında Uyacakları Etik İlkelerin Her Düzeyde Duyurulması ve Uygulanması";
    l.konu = Some(konu.into());
    let words = word_boxes("konu", &render(&l).unwrap());
    let konu_words: Vec<&str> = konu.split(' ').collect();
    let start = words.iter().position(|w| w.3 == "Konu").unwrap();
    let mut lines = std::collections::BTreeSet::new();
    for w in &words[start + 2..start + 2 + konu_words.len()] {
        assert!(konu_words.contains(&w.3.as_str()), "{w:?}");
        assert!(w.4 <= 595.276 / 2.0, "{w:?} crosses the centre line");
        lines.insert((w.2 * 10.0) as i64);
    }
    assert!(lines.len() >= 3, "konu wrapped onto {} lines", lines.len());
}

/// Mean grey level (0 black – 255 white) of a rectangle given in points from the top left.
fn mean_grey(name: &str, bytes: &[u8], page: usize, (x, y, w, h): (f64, f64, f64, f64)) -> f64 {
    let path = tmp_path(&format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let prefix = tmp_path(&format!("{name}-p{page}"));
    let st = Command::new("pdftoppm")
        .args([
            "-r",
            "72",
            "-gray",
            "-singlefile",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(&path)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success());
    let pgm = std::fs::read(prefix.with_extension("pgm")).unwrap();
    // P5 header: magic, width, height, maxval, each followed by whitespace.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        let start = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..i]).into_owned());
        i += 1;
    }
    let width: usize = fields[1].parse().unwrap();
    let data = &pgm[i..];
    let (mut sum, mut n) = (0u64, 0u64);
    for row in y as usize..(y + h) as usize {
        for col in x as usize..(x + w) as usize {
            sum += data[row * width + col] as u64;
            n += 1;
        }
    }
    sum as f64 / n as f64
}

#[test]
fn qr_code_bottom_right_of_page_one_only() {
    let mut l = from_example("genelge", "genelge-122254");
    assert!(l.qr.is_some());
    l.body = long_body(20);
    let bytes = render(&l).unwrap();
    let pages = read_back("qr", &bytes);
    assert!(pages.len() >= 2);
    let m = 1.5 * 72.0 / 2.54;
    let area = (595.276 - m - 50.0, 841.89 - m - 50.0, 46.0, 46.0);
    let first = mean_grey("qr", &bytes, 1, area);
    let second = mean_grey("qr", &bytes, 2, area);
    assert!(first < 200.0, "page 1 QR area mean grey {first}");
    assert!(second > 250.0, "page 2 QR area mean grey {second}");
}

#[test]
fn long_ek_list_moves_to_its_own_page() {
    let mut l = simple_letter();
    l.ek = Some(Ek {
        label: None,
        numbered: false,
        items: (1..=70).map(|i| format!("Ek belge {i} (2 sayfa)")).collect(),
    });
    let pages = read_back("ek70", &render(&l).unwrap());
    let t0 = squash(&pages[0]);
    assert!(t0.contains("Ek: Ek listesi ektedir."), "{t0}");
    let at = pages
        .iter()
        .position(|p| p.contains("EK LİSTESİ"))
        .expect("EK LİSTESİ page");
    let rest = squash(&pages[at..].join(" "));
    assert!(rest.contains("1- Ek belge 1 (2 sayfa)") && rest.contains("70- Ek belge 70 (2 sayfa)"));
    // The short dağıtım list still fits on the letter.
    assert!(t0.contains("Vali Yardımcılarına"));
}

#[test]
fn draft_preview_from_template() {
    let mut ctx = example("tamim-2021-243");
    ctx["doc"]["draft"] = true.into();
    let l = render_template(&template::built_in(), "tamim", &ctx).unwrap();
    assert!(l.draft);
    let streams = content_streams("draft-tamim", &render(&l).unwrap());
    assert_eq!(
        streams.matches("0.70710677 0.70710677 -0.70710677 0.70710677").count(),
        1
    );
}

#[test]
fn letter_toml_round_trip_and_unknown_fields() {
    let l = from_example("genelge", "genelge-122254");
    let text = toml::to_string(&l).expect("serialises");
    let back: Letter = toml::from_str(&text).expect("reads back");
    assert_eq!(back, l);
    let bad = text.replacen("konu = ", "konuu = \"x\"\nkonu = ", 1);
    let err = toml::from_str::<Letter>(&bad).unwrap_err().to_string();
    assert!(err.contains("konuu"), "{err}");
    let bad_block = text.replacen("type = \"paragraph\"", "type = \"paragraph\"\nfoo = 1", 1);
    assert!(toml::from_str::<Letter>(&bad_block).is_err());
}

/// Decodes the QR code with zbar when it is installed (it is not a requirement).
#[test]
fn qr_code_decodes_to_the_payload() {
    if Command::new("zbarimg").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "zbarimg is required in CI (scripts/test.sh installs zbar-tools)"
        );
        eprintln!("zbarimg not installed; skipping the decode check");
        return;
    }
    let l = from_example("genelge", "genelge-122254");
    let path = tmp_path("qr-decode.pdf");
    std::fs::write(&path, render(&l).unwrap()).unwrap();
    let png = tmp_path("qr-decode");
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        l.qr.as_deref().unwrap()
    );
}

/// A circular carries the documents it forwards, each with its own font subsets: in the merged file
/// (read by poppler's `pdffonts` and by lopdf) two different subsets never share a name, and every
/// name has the six-letter tag a subset needs.
#[test]
fn different_subsets_in_one_file_have_different_names() {
    let tamim = render(&from_example("tamim", "tamim-2021-243")).unwrap();
    let genelge = render(&simple_letter()).unwrap();
    let merged = crate::pdf::append(&tamim, &[&genelge]).unwrap();
    let path = tmp_path("subsets.pdf");
    std::fs::write(&path, &merged).unwrap();
    let out = Command::new("pdffonts").arg(&path).output().expect("pdffonts runs");
    let listing = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), 4, "two faces in each document:\n{listing}");
    for name in &names {
        let (tag, font) = name.split_once('+').unwrap_or_else(|| panic!("no subset tag: {name}"));
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()), "{name}");
        assert!(font.starts_with("LiberationSerif"), "{name}");
    }
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "a name shared by two subsets:\n{listing}");

    // And the name follows the glyphs: the same letter rendered again names its fonts the same way.
    let again = render(&simple_letter()).unwrap();
    assert_eq!(font_names(&genelge), font_names(&again));
    assert_ne!(font_names(&genelge), font_names(&tamim));
}

fn font_names(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut names: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| {
            o.as_dict()
                .ok()?
                .get(b"FontName")
                .ok()?
                .as_name()
                .ok()
                .map(<[u8]>::to_vec)
        })
        .collect();
    names.sort();
    names
}
