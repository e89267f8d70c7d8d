//! The text layer of a PDF's first pages as lines in reading order, read within fixed bounds.
//!
//! Loading goes through `pdf::load_bounded` (file size, per-stream decompression, page tree
//! checks). Only the first [`MAX_TEXT_PAGES`] pages are interpreted, and at most
//! [`TEXT_BUDGET`] bytes of page content are decoded in all, so a 500-page file costs no more
//! than its first pages. Text is decoded with lopdf's font encodings (ToUnicode CMaps, which
//! subset TrueType fonts from tamim, LibreOffice and Ghostscript carry; WinAnsi; Differences),
//! and placed with a small interpreter of the text operators (Tm, Td, TD, T*, TJ, cm, q/Q) so
//! that runs on one baseline become one line, and a wide gap becomes a tab (the date at the far
//! right of the sayı line).

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::Encoding;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::pdf::{self, PdfError};

/// Pages whose text is read; later pages are only counted.
pub const MAX_TEXT_PAGES: usize = 24;
/// Content bytes decoded over all pages read.
pub const TEXT_BUDGET: usize = 16 * 1024 * 1024;
/// Text operations interpreted per page (a page of a letter has a few thousand).
const MAX_OPS_PER_PAGE: usize = 200_000;
const MAX_STACK: usize = 64;

/// One line of text on a page: its baseline, left edge and size in points, its text (runs far
/// apart joined by a tab).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// The text of one page, top to bottom.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageText {
    pub width: f32,
    pub lines: Vec<Line>,
}

/// What was read: the page count and the text of the pages read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLayer {
    pub pages: usize,
    pub read: Vec<PageText>,
}

impl TextLayer {
    /// True when no page read shows any text: a scan.
    pub fn is_empty(&self) -> bool {
        self.read
            .iter()
            .all(|p| p.lines.iter().all(|l| l.text.trim().is_empty()))
    }
}

/// Reads the text of the first `max_pages` pages (at most [`MAX_TEXT_PAGES`]).
pub fn read_text(bytes: &[u8], max_pages: usize) -> Result<TextLayer, PdfError> {
    let doc = pdf::load_bounded(bytes)?;
    let pages = doc.get_pages();
    let mut budget = TEXT_BUDGET;
    let mut read = Vec::new();
    for id in pages.values().take(max_pages.min(MAX_TEXT_PAGES)) {
        read.push(page_text(&doc, *id, &mut budget)?);
    }
    Ok(TextLayer {
        pages: pages.len(),
        read,
    })
}

struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    widths: HashMap<u32, f32>,
    default_width: f32,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (row-vector convention, as in the PDF specification).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

struct Run {
    x: f32,
    y: f32,
    end: f32,
    size: f32,
    text: String,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    let mut out = [0.0; N];
    if ops.len() < N {
        return None;
    }
    for (i, o) in ops.iter().take(N).enumerate() {
        out[i] = num(o)?;
    }
    Some(out)
}

fn page_text(doc: &Document, page: ObjectId, budget: &mut usize) -> Result<PageText, PdfError> {
    let Ok(dict) = doc.get_dictionary(page) else {
        return Ok(PageText::default());
    };
    let width = pdf::inherited(doc, dict, b"MediaBox")
        .and_then(|o| doc.dereference(&o).ok().and_then(|(_, o)| o.as_array().ok().cloned()))
        .and_then(|a| Some(num(a.get(2)?)? - num(a.first()?)?))
        .unwrap_or(595.0);
    let mut data = Vec::new();
    for id in doc.get_page_contents(page) {
        if let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) {
            let content = pdf::stream_content(stream, (*budget).min(pdf::MAX_STREAM_BYTES))?;
            *budget = budget.saturating_sub(content.len());
            data.extend(content);
            data.push(b'\n');
            if *budget == 0 {
                return Err(PdfError::TooLarge {
                    what: "the page content read for text".into(),
                    limit: TEXT_BUDGET as u64,
                });
            }
        }
    }
    let fonts = page_fonts(doc, page);
    let content = match std::panic::catch_unwind(|| Content::decode(&data)) {
        Ok(Ok(c)) => c,
        // Unreadable content on one page: that page shows no text, the others are still read.
        _ => {
            return Ok(PageText {
                width,
                lines: Vec::new(),
            })
        }
    };
    let runs = interpret(&content, &fonts);
    Ok(PageText {
        width,
        lines: lines(runs),
    })
}

fn page_fonts(doc: &Document, page: ObjectId) -> BTreeMap<Vec<u8>, Font<'_>> {
    let fonts = doc.get_page_fonts(page).unwrap_or_default();
    fonts
        .into_iter()
        .take(256)
        .map(|(name, font)| (name, font_of(doc, font)))
        .collect()
}

fn font_of<'a>(doc: &'a Document, font: &'a Dictionary) -> Font<'a> {
    let encoding = font.get_font_encoding_with_limit(doc, 4 * 1024 * 1024).ok();
    let two_byte = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    let mut widths = HashMap::new();
    let mut default_width = if two_byte { 1000.0 } else { 500.0 };
    if two_byte {
        let desc = font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        if let Some(desc) = desc {
            if let Some(dw) = desc.get(b"DW").ok().and_then(num) {
                default_width = dw;
            }
            if let Some(w) = desc
                .get(b"W")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_array().ok())
            {
                cid_widths(w, &mut widths);
            }
        }
    } else {
        let first = font.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
        if let Some(w) = font
            .get(b"Widths")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
        {
            for (i, o) in w.iter().take(256).enumerate() {
                if let Some(v) = doc.dereference(o).ok().and_then(|(_, o)| num(o)) {
                    widths.insert(first + i as u32, v);
                }
            }
        }
    }
    Font {
        encoding,
        two_byte,
        widths,
        default_width,
    }
}

/// A CIDFont's /W array: `c [w1 w2 …]` or `c_first c_last w`.
fn cid_widths(w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() && out.len() < 70_000 {
        let Some(c) = num(&w[i]) else { break };
        match w.get(i + 1) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().take(70_000).enumerate() {
                    if let Some(v) = num(o) {
                        out.insert(c as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(num)) else {
                    break;
                };
                let (c, last) = (c as u32, (last as u32).min(c as u32 + 70_000));
                for k in c..=last {
                    out.insert(k, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    hscale: f32,
    leading: f32,
}

fn interpret(content: &Content, fonts: &BTreeMap<Vec<u8>, Font>) -> Vec<Run> {
    let mut s = State {
        ctm: IDENTITY,
        tm: IDENTITY,
        tlm: IDENTITY,
        font: None,
        size: 12.0,
        char_space: 0.0,
        word_space: 0.0,
        hscale: 1.0,
        leading: 0.0,
    };
    let mut stack: Vec<Matrix> = Vec::new();
    let mut runs = Vec::new();
    for op in content.operations.iter().take(MAX_OPS_PER_PAGE) {
        let o = &op.operands;
        match op.operator.as_str() {
            "q" if stack.len() < MAX_STACK => stack.push(s.ctm),
            "Q" => s.ctm = stack.pop().unwrap_or(s.ctm),
            "cm" => {
                if let Some(m) = nums::<6>(o) {
                    s.ctm = mul(&m, &s.ctm);
                }
            }
            "BT" => {
                s.tm = IDENTITY;
                s.tlm = IDENTITY;
            }
            "Tf" => {
                s.font = o.first().and_then(|n| n.as_name().ok()).map(<[u8]>::to_vec);
                s.size = o.get(1).and_then(num).unwrap_or(s.size);
            }
            "Tc" => s.char_space = o.first().and_then(num).unwrap_or(0.0),
            "Tw" => s.word_space = o.first().and_then(num).unwrap_or(0.0),
            "Tz" => s.hscale = o.first().and_then(num).unwrap_or(100.0) / 100.0,
            "TL" => s.leading = o.first().and_then(num).unwrap_or(0.0),
            "Td" | "TD" => {
                if let Some([tx, ty]) = nums::<2>(o) {
                    if op.operator == "TD" {
                        s.leading = -ty;
                    }
                    s.tlm = mul(&translate(tx, ty), &s.tlm);
                    s.tm = s.tlm;
                }
            }
            "Tm" => {
                if let Some(m) = nums::<6>(o) {
                    s.tlm = m;
                    s.tm = m;
                }
            }
            "T*" => next_line(&mut s),
            "Tj" => show(&mut s, fonts, o.first(), &mut runs),
            "'" => {
                next_line(&mut s);
                show(&mut s, fonts, o.first(), &mut runs);
            }
            "\"" => {
                s.word_space = o.first().and_then(num).unwrap_or(s.word_space);
                s.char_space = o.get(1).and_then(num).unwrap_or(s.char_space);
                next_line(&mut s);
                show(&mut s, fonts, o.get(2), &mut runs);
            }
            "TJ" => {
                if let Some(Object::Array(items)) = o.first() {
                    for item in items {
                        match item {
                            Object::String(..) => show(&mut s, fonts, Some(item), &mut runs),
                            other => {
                                if let Some(n) = num(other) {
                                    let tx = -n / 1000.0 * s.size * s.hscale;
                                    s.tm = mul(&translate(tx, 0.0), &s.tm);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    runs
}

fn next_line(s: &mut State) {
    s.tlm = mul(&translate(0.0, -s.leading), &s.tlm);
    s.tm = s.tlm;
}

fn show(s: &mut State, fonts: &BTreeMap<Vec<u8>, Font>, text: Option<&Object>, runs: &mut Vec<Run>) {
    let Some(Object::String(bytes, _)) = text else { return };
    let font = s.font.as_ref().and_then(|f| fonts.get(f));
    let decoded = match font.and_then(|f| f.encoding.as_ref()) {
        Some(enc) => Document::decode_text(enc, bytes).unwrap_or_default(),
        None => bytes
            .iter()
            .filter(|b| b.is_ascii_graphic() || **b == b' ')
            .map(|b| *b as char)
            .collect(),
    };
    let trm = mul(&s.tm, &s.ctm);
    let (x, y) = (trm[4], trm[5]);
    let scale = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
    // Advance by each code's width.
    let (two_byte, default_width) = font.map(|f| (f.two_byte, f.default_width)).unwrap_or((false, 500.0));
    let step = if two_byte { 2 } else { 1 };
    let mut advance = 0.0;
    for code in bytes.chunks(step) {
        let c = code.iter().fold(0u32, |a, b| a * 256 + *b as u32);
        let w = font.and_then(|f| f.widths.get(&c).copied()).unwrap_or(default_width);
        let mut tx = w / 1000.0 * s.size + s.char_space;
        if !two_byte && c == 32 {
            tx += s.word_space;
        }
        advance += tx * s.hscale;
    }
    s.tm = mul(&translate(advance, 0.0), &s.tm);
    let end = mul(&s.tm, &s.ctm)[4];
    let text = normalise(&decoded);
    if !text.is_empty() {
        runs.push(Run {
            x,
            y,
            end,
            size: (s.size * scale).abs().max(1.0),
            text,
        });
    }
}

/// Text shown by one operator as text: every run of whitespace (tabs some generators put between words,
/// line breaks, no-break spaces) one space, other control characters dropped. A tab in a [`Line`] is only
/// ever a wide gap between runs.
fn normalise(decoded: &str) -> String {
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// Groups runs on one baseline into lines, top to bottom, left to right.
fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Run>> = Vec::new();
    for r in runs {
        match groups.last_mut() {
            Some(g) if (g[0].y - r.y).abs() < 0.4 * g[0].size.min(r.size) => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        g.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut text = String::new();
        let mut prev_end: Option<f32> = None;
        let size = g.iter().map(|r| r.size).fold(0.0, f32::max);
        for r in &g {
            if let Some(end) = prev_end {
                let gap = r.x - end;
                if gap > 2.5 * size {
                    text = text.trim_end().to_string();
                    text.push('\t');
                } else if gap > 0.12 * size
                    && !text.ends_with(char::is_whitespace)
                    && !r.text.starts_with(char::is_whitespace)
                {
                    text.push(' ');
                }
            }
            text.push_str(&r.text);
            prev_end = Some(prev_end.map_or(r.end, |e| e.max(r.end)));
        }
        let text = text.replace('\u{a0}', " ").trim().to_string();
        if !text.is_empty() {
            out.push(Line {
                x: g[0].x,
                y: g[0].y,
                size,
                text,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn whitespace_within_a_run_is_one_space() {
        assert_eq!(
            super::normalise("Konu :\tAşı\t\tTakvimi\u{a0}Hakkında"),
            "Konu : Aşı Takvimi Hakkında"
        );
        assert_eq!(super::normalise("\tEk\r\n1-\u{7}"), " Ek 1-");
    }
}
