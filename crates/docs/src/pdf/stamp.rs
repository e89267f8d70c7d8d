//! The receiving office's registration stamp (office, `Kayıt No.`, `Geldiği Tarih`), drawn
//! onto the top right of page 1 of an incoming PDF.

use std::sync::OnceLock;

use lopdf::{dictionary, Dictionary, Object, Stream};

use super::font::{Plan, TtfFont};
use super::load::{self, add, id_seed};
use super::PdfError;

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Regular.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Bold.ttf"
));

/// Labels printed in the stamp, as on the seed's paper.
const LABEL_NO: &str = "Kayıt No.";
const LABEL_DATE: &str = "Geldiği Tarih";
/// Box geometry, in points.
const MIN_WIDTH: f32 = 180.0;
const PAD: f32 = 4.0;
const MARGIN: f32 = 18.0;
const SIZE: f32 = 9.0;
const ROW: f32 = 13.0;
const LINE: f32 = 0.8;
/// Stamp ink: a dark blue.
const INK: &str = "0.09 0.18 0.55";
/// Characters put in the bold subset whatever the stamp says: digits, date and number
/// punctuation, and the letters of the Turkish month names.
const ALWAYS: &str = "0123456789 ./-:OcakŞubatMartNisanMayısHaziranTemmuzAğustosEylülEkimKasımAralık";
/// The name under which the stamp is placed in the page's XObject resources.
const XOBJECT_NAME: &str = "TamimKayit";

/// What the receiving office stamps on an incoming document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationStamp {
    /// The receiving office, printed in bold at the top, e.g. `İSTANBUL ESNAF VE SANATKARLAR ODALARI BİRLİĞİ`.
    pub office: String,
    /// Its registration number for the document, e.g. `4959`.
    pub kayit_no: String,
    /// The arrival date as printed, e.g. `03 Kasım 2021`.
    pub date_text: String,
}

fn fonts() -> Result<&'static (TtfFont, TtfFont), PdfError> {
    static FONTS: OnceLock<Result<(TtfFont, TtfFont), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Ok((
                TtfFont::parse(REGULAR, "LiberationSerif")?,
                TtfFont::parse(BOLD, "LiberationSerif-Bold")?,
            ))
        })
        .as_ref()
        .map_err(|e| PdfError::Stamp(format!("the embedded font cannot be read: {e}")))
}

/// Returns a copy of `pdf` with the registration box drawn on the top right of page 1 (as the
/// page is displayed: MediaBox/CropBox origin and /Rotate are respected). The original content
/// is wrapped in `q … Q`, the box is a Form XObject with its own subset of Liberation Serif
/// and a ToUnicode map, so `pdftotext` gives the stamped text back exactly. Deterministic.
pub fn stamp_registration(pdf: &[u8], s: &RegistrationStamp) -> Result<Vec<u8>, PdfError> {
    let (regular, bold) = fonts()?;
    for (field, value) in [
        ("office", &s.office),
        ("kayit_no", &s.kayit_no),
        ("date_text", &s.date_text),
    ] {
        if value.trim().is_empty() {
            return Err(PdfError::Stamp(format!("the stamp's {field} is empty")));
        }
    }
    let layout = Layout::new(regular, bold, s)?;
    let mut doc = load::load(pdf)?;
    let page_id = *doc
        .get_pages()
        .get(&1)
        .ok_or_else(|| PdfError::Corrupt("the document has no page 1".into()))?;
    let page = doc
        .get_dictionary(page_id)
        .map_err(|_| PdfError::Corrupt("page 1 is missing".into()))?
        .clone();

    // What a viewer shows: the CropBox clipped to the MediaBox (A4 when neither can be read).
    let media = load::inherited(&doc, &page, b"MediaBox")
        .and_then(|b| load::rect(&doc, &b))
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let visible = match load::inherited(&doc, &page, b"CropBox").and_then(|b| load::rect(&doc, &b)) {
        Some(c) if c[0].max(media[0]) < c[2].min(media[2]) && c[1].max(media[1]) < c[3].min(media[3]) => [
            c[0].max(media[0]),
            c[1].max(media[1]),
            c[2].min(media[2]),
            c[3].min(media[3]),
        ],
        _ => media,
    };
    let rotate = load::inherited(&doc, &page, b"Rotate")
        .and_then(|r| doc.dereference(&r).ok().and_then(|(_, r)| r.as_i64().ok()))
        .unwrap_or(0)
        .rem_euclid(360);
    // A document stamped before (by us, at an earlier office) keeps its box; ours goes below.
    let below = earlier_stamps_height(&doc, &page);
    let matrix = placement(visible, rotate, layout.width, layout.height, below);

    // The form: the box drawn in its own coordinates, with its own fonts.
    // The regular face prints only the labels. The bold one always holds the glyphs of
    // numbers and dates too, so one office's stamps share one font subset (and its cache entry).
    let missing = |c: char| PdfError::Stamp(format!("the font has no glyph for {c:?}"));
    let regular_plan = regular.plan(&[LABEL_NO, LABEL_DATE]).map_err(missing)?;
    let mut bold_texts: Vec<&str> = vec![ALWAYS, &layout.kayit_no, &layout.date_text];
    bold_texts.extend(layout.office_lines.iter().map(String::as_str));
    let bold_plan = bold.plan(&bold_texts).map_err(missing)?;
    let content = layout.content(regular, bold, &regular_plan, &bold_plan)?;
    let f1 = regular.embed(&mut doc, &regular_plan)?;
    let f2 = bold.embed(&mut doc, &bold_plan)?;
    let mut form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), Object::Real(layout.width), Object::Real(layout.height)],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
        },
        content.into_bytes(),
    );
    form.compress().map_err(|e| PdfError::Stamp(e.to_string()))?;
    let form_id = add(&mut doc, form)?;

    // The page: its own resources with the form added, its content wrapped in q … Q.
    let mut resources = load::inherited(&doc, &page, b"Resources")
        .and_then(|r| doc.dereference(&r).ok().and_then(|(_, r)| r.as_dict().ok().cloned()))
        .unwrap_or_default();
    let mut xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| doc.dereference(x).ok().and_then(|(_, x)| x.as_dict().ok().cloned()))
        .unwrap_or_default();
    let mut name = XOBJECT_NAME.to_string();
    let mut n = 1;
    while xobjects.has(name.as_bytes()) {
        n += 1;
        name = format!("{XOBJECT_NAME}{n}");
    }
    xobjects.set(name.as_bytes(), form_id);
    resources.set("XObject", xobjects);

    let [a, b, c, d, e, f] = matrix;
    let open = add(&mut doc, Stream::new(Dictionary::new(), b"q\n".to_vec()))?;
    let close = add(
        &mut doc,
        Stream::new(
            Dictionary::new(),
            format!("\nQ\nq {a:.4} {b:.4} {c:.4} {d:.4} {e:.2} {f:.2} cm /{name} Do Q\n").into_bytes(),
        ),
    )?;
    let mut contents = vec![Object::Reference(open)];
    contents.extend(doc.get_page_contents(page_id).into_iter().map(Object::Reference));
    contents.push(Object::Reference(close));

    let page_mut = doc
        .get_dictionary_mut(page_id)
        .map_err(|_| PdfError::Corrupt("page 1 is missing".into()))?;
    page_mut.set("Resources", resources);
    page_mut.set("Contents", contents);

    let seed = id_seed(&[
        b"tamim-stamp",
        pdf,
        s.office.as_bytes(),
        s.kayit_no.as_bytes(),
        s.date_text.as_bytes(),
    ]);
    load::save(&mut doc, &seed)
}

/// The matrix putting a `w`×`h` form, upright as displayed, in the displayed top-right corner
/// of `visible` on a page turned by `rotate` degrees clockwise.
/// `below` moves it down (as displayed) past earlier stamps.
fn placement(visible: [f32; 4], rotate: i64, w: f32, h: f32, below: f32) -> [f32; 6] {
    let [x0, y0, x1, y1] = visible;
    // On a small page the box is scaled down to at most half the displayed width.
    let shown_w = if rotate == 90 || rotate == 270 {
        y1 - y0
    } else {
        x1 - x0
    };
    let k = (shown_w * 0.5 / w).clamp(0.2, 1.0);
    let (w, h) = (w * k, h * k);
    let (m, t) = (MARGIN * k, (MARGIN + below) * k);
    let (abcd, e, f) = match rotate {
        90 => ([0.0, 1.0, -1.0, 0.0], x0 + t + h, y1 - m - w),
        180 => ([-1.0, 0.0, 0.0, -1.0], x0 + m + w, y0 + t + h),
        270 => ([0.0, -1.0, 1.0, 0.0], x1 - t - h, y0 + m + w),
        _ => ([1.0, 0.0, 0.0, 1.0], x1 - m - w, y1 - t - h),
    };
    [abcd[0] * k, abcd[1] * k, abcd[2] * k, abcd[3] * k, e, f]
}

/// The total height, plus a gap each, of the stamps this module put on the page before.
fn earlier_stamps_height(doc: &lopdf::Document, page: &Dictionary) -> f32 {
    let xobjects = load::inherited(doc, page, b"Resources")
        .and_then(|r| doc.dereference(&r).ok().and_then(|(_, r)| r.as_dict().ok().cloned()))
        .and_then(|r| {
            r.get(b"XObject")
                .ok()
                .and_then(|x| doc.dereference(x).ok())
                .and_then(|(_, x)| x.as_dict().ok().cloned())
        });
    let Some(xobjects) = xobjects else { return 0.0 };
    let mut total = 0.0;
    for (name, x) in xobjects.iter() {
        if !name.starts_with(XOBJECT_NAME.as_bytes()) {
            continue;
        }
        let bbox = doc
            .dereference(x)
            .ok()
            .and_then(|(_, x)| x.as_stream().ok())
            .and_then(|s| s.dict.get(b"BBox").ok())
            .and_then(|b| load::rect(doc, b));
        if let Some([_, y0, _, y1]) = bbox {
            total += (y1 - y0).min(200.0) + 6.0;
        }
    }
    total
}

/// The measured box: lines of the office name, label column and total size.
struct Layout {
    office_lines: Vec<String>,
    office_size: f32,
    label_col: f32,
    width: f32,
    height: f32,
    kayit_no: String,
    date_text: String,
}

impl Layout {
    fn new(regular: &TtfFont, bold: &TtfFont, s: &RegistrationStamp) -> Result<Self, PdfError> {
        fn missing(field: &'static str) -> impl Fn(char) -> PdfError {
            move |c| {
                PdfError::Stamp(format!(
                    "the font has no glyph for {c:?} (U+{:04X}) in the stamp's {field}",
                    c as u32
                ))
            }
        }
        let kayit_no = s.kayit_no.trim().to_string();
        let date_text = s.date_text.trim().to_string();
        let label_col = regular
            .width(LABEL_DATE, SIZE)
            .map_err(missing("label"))?
            .max(regular.width(LABEL_NO, SIZE).map_err(missing("label"))?)
            + 2.0 * PAD;
        let values = bold
            .width(&kayit_no, SIZE)
            .map_err(missing("kayit_no"))?
            .max(bold.width(&date_text, SIZE).map_err(missing("date_text"))?);
        let width = MIN_WIDTH.max(label_col + values + 2.0 * PAD).ceil();
        let inner = width - 2.0 * PAD;
        let mut chosen = None;
        for size in [9.0, 8.5, 8.0, 7.5, 7.0] {
            let lines = wrap(bold, s.office.trim(), size, inner).map_err(missing("office"))?;
            if lines.len() <= 2 || size == 7.0 {
                chosen = Some((lines, size));
                break;
            }
        }
        let (office_lines, office_size) = chosen.unwrap_or_default();
        if office_lines.len() > 4 {
            return Err(PdfError::Stamp(format!(
                "the office name is too long for the stamp ({} lines)",
                office_lines.len()
            )));
        }
        let height = (office_lines.len() as f32 * office_size * 1.2 + 2.0 * PAD + 2.0 * ROW).ceil();
        Ok(Layout {
            office_lines,
            office_size,
            label_col,
            width,
            height,
            kayit_no,
            date_text,
        })
    }

    /// The form's content stream; records the glyphs used per font.
    fn content(
        &self,
        regular: &TtfFont,
        bold: &TtfFont,
        regular_plan: &Plan,
        bold_plan: &Plan,
    ) -> Result<String, PdfError> {
        let missing = |c: char| PdfError::Stamp(format!("the font has no glyph for {c:?}"));
        let (w, h) = (self.width, self.height);
        let half = LINE / 2.0;
        let rows_top = 2.0 * ROW;
        let mut s = format!("q {INK} RG {INK} rg {LINE} w\n");
        s += &format!("{half} {half} {:.2} {:.2} re S\n", w - LINE, h - LINE);
        s += &format!("{half} {rows_top} m {:.2} {rows_top} l S\n", w - half);
        s += &format!("{half} {ROW} m {:.2} {ROW} l S\n", w - half);
        s += &format!("{:.2} {half} m {:.2} {rows_top} l S\n", self.label_col, self.label_col);
        let mut text =
            |font: &str, size: f32, x: f32, y: f32, t: &str, f: &TtfFont, plan: &Plan| -> Result<(), PdfError> {
                let hex = f.encode(t, plan).map_err(missing)?;
                s += &format!("BT /{font} {size} Tf 1 0 0 1 {x:.2} {y:.2} Tm {hex} Tj ET\n");
                Ok(())
            };
        let line_h = self.office_size * 1.2;
        let mut y = h - PAD - self.office_size;
        for line in &self.office_lines {
            let lw = bold.width(line, self.office_size).map_err(missing)?;
            text("F2", self.office_size, (w - lw) / 2.0, y, line, bold, bold_plan)?;
            y -= line_h;
        }
        let base = |row: f32| row * ROW + (ROW - SIZE * 0.7) / 2.0;
        text("F1", SIZE, PAD, base(1.0), LABEL_NO, regular, regular_plan)?;
        text(
            "F2",
            SIZE,
            self.label_col + PAD,
            base(1.0),
            &self.kayit_no,
            bold,
            bold_plan,
        )?;
        text("F1", SIZE, PAD, base(0.0), LABEL_DATE, regular, regular_plan)?;
        text(
            "F2",
            SIZE,
            self.label_col + PAD,
            base(0.0),
            &self.date_text,
            bold,
            bold_plan,
        )?;
        s += "Q\n";
        Ok(s)
    }
}

/// Greedy word wrap of `text` to `width` points; a single word wider than the line stands alone.
fn wrap(font: &TtfFont, text: &str, size: f32, width: f32) -> Result<Vec<String>, char> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if font.width(&candidate, size)? <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
#[path = "stamp_tests.rs"]
mod tests;
