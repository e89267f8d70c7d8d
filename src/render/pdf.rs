//! Turns a `Letter` into PDF bytes: validation, glyph check, layout, drawing with printpdf ops,
//! subset font embedding and deterministic document IDs.

use printpdf::{
    Color, FontId, Greyscale, Mm, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions,
    Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

use super::blocks::footer_items;
use super::font::{Face, Fonts};
use super::layout::{Ctx, Item, Run, PAGE_H, PAGE_W};
use super::letter::Letter;
use super::paginate::layout_pages;
use super::RenderError;

const REGULAR_ID: &str = "TAMIMR";
const BOLD_ID: &str = "TAMIMB";

/// Renders a letter to PDF bytes. The same letter always gives the same bytes.
pub fn render(letter: &Letter) -> Result<Vec<u8>, RenderError> {
    let fonts = Fonts::get()?;
    validate(letter)?;
    let mut failure = None;
    letter.for_each_text(&mut |context, text| {
        if failure.is_none() {
            failure = fonts.check(context, text).err();
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }

    let c = Ctx::new(fonts, &letter.settings);
    let qr = match letter.qr.as_deref().filter(|q| !q.is_empty()) {
        Some(payload) => Some(super::qr::modules(payload)?),
        None => None,
    };
    let (_, footer_top) = footer_items(&c, letter.footer.as_ref(), qr.as_ref(), true);
    let bottom = footer_top - c.lh * 0.8;
    let pages = layout_pages(&c, letter, c.top(), bottom);
    let total = pages.len();

    let mut pdf_pages = Vec::with_capacity(total);
    for (index, rows) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        if letter.draft {
            watermark(&c, &mut ops);
        }
        if let Some(cl) = letter.classification {
            let t = cl.label();
            let w = c.w(Face::Bold, t);
            let x = (PAGE_W - w) / 2.0;
            draw_run(&mut ops, &Run { x, dy: 26.0, ..c.run(0.0, Face::Bold, t) }, 0.0);
            draw_run(&mut ops, &Run { x, dy: PAGE_H - 14.0, ..c.run(0.0, Face::Bold, t) }, 0.0);
        }
        for (y, row) in rows {
            for item in &row.items {
                draw_item(&mut ops, item, *y);
            }
        }
        let (footer, _) = footer_items(&c, letter.footer.as_ref(), qr.as_ref(), index == 0);
        for item in &footer {
            draw_item(&mut ops, item, 0.0);
        }
        if total > 1 {
            let t = format!("{}/{}", index + 1, total);
            let x = (PAGE_W - c.w_at(Face::Regular, &t, 10.0)) / 2.0;
            let run = Run { x, dy: PAGE_H - 28.0, size: 10.0, ..c.run(0.0, Face::Regular, &t) };
            draw_run(&mut ops, &run, 0.0);
        }
        pdf_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }

    let mut doc = PdfDocument::new(&letter.metadata.title);
    doc.resources.fonts.map.insert(FontId(REGULAR_ID.into()), PdfFont::new(fonts.regular.parsed.clone()));
    doc.resources.fonts.map.insert(FontId(BOLD_ID.into()), PdfFont::new(fonts.bold.parsed.clone()));
    let info = &mut doc.metadata.info;
    let date = letter.metadata.creation_date;
    let ts = date.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp()).unwrap_or(0);
    let when = printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .map_err(|e| RenderError::Invalid(format!("metadata.creation_date: {e}")))?;
    info.creation_date = when.clone();
    info.modification_date = when.clone();
    info.metadata_date = when;
    info.author = letter.metadata.author.clone();
    info.subject = letter.metadata.subject.clone();
    info.creator = "tamim".into();
    info.producer = "tamim (printpdf)".into();
    doc.with_pages(pdf_pages);

    // printpdf's own `optimize` deflates at the best (slowest) level, two thirds of the render
    // time; compress the streams here at the default level instead (same size within 1%).
    let opts = PdfSaveOptions { subset_fonts: true, optimize: false, ..PdfSaveOptions::default() };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    compress_streams(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| RenderError::Pdf(e.to_string()))?;
    set_document_id(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every uncompressed stream that gets smaller by it.
fn compress_streams(doc: &mut lopdf_044::Document) -> Result<(), RenderError> {
    use std::io::Write;
    for obj in doc.objects.values_mut() {
        let lopdf_044::Object::Stream(stream) = obj else { continue };
        if stream.dict.has(b"Filter") || stream.content.len() < 64 {
            continue;
        }
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&stream.content).map_err(|e| RenderError::Pdf(e.to_string()))?;
        let packed = enc.finish().map_err(|e| RenderError::Pdf(e.to_string()))?;
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", lopdf_044::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(packed);
        }
    }
    Ok(())
}

/// Checks what the layout cannot repair.
fn validate(l: &Letter) -> Result<(), RenderError> {
    let bad = |m: &str| Err(RenderError::Invalid(m.to_string()));
    if let Some(k) = &l.konu {
        if k.contains(['\n', '\r']) {
            return bad("konu must be a single line (it contains a line break)");
        }
    }
    if l.signatories.is_empty() {
        return bad("a letter needs at least one signatory");
    }
    let s = &l.settings;
    if !(0.5..=4.0).contains(&s.margin_cm) {
        return bad("settings.margin_cm must be between 0.5 and 4");
    }
    if !(8.0..=16.0).contains(&s.font_size) || !(6.0..=12.0).contains(&s.contact_font_size) {
        return bad("settings.font_size must be 8–16 pt and settings.contact_font_size 6–12 pt");
    }
    if !(1.0..=2.5).contains(&s.line_spacing) || !(0.0..=4.0).contains(&s.indent_cm) {
        return bad("settings.line_spacing must be 1–2.5 and settings.indent_cm 0–4");
    }
    if !(0.0..=24.0).contains(&s.paragraph_spacing_pt) {
        return bad("settings.paragraph_spacing_pt must be 0–24");
    }
    if l.heading.iter().any(|h| h.size.is_some_and(|z| !(6.0..=24.0).contains(&z))) {
        return bad("heading sizes must be 6–24 pt");
    }
    Ok(())
}

fn font_handle(face: Face) -> PdfFontHandle {
    PdfFontHandle::External(FontId(if face == Face::Bold { BOLD_ID } else { REGULAR_ID }.into()))
}

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

fn draw_item(ops: &mut Vec<Op>, item: &Item, y: f32) {
    match item {
        Item::Text(run) => draw_run(ops, run, y),
        Item::Rule { x1, x2, dy, thickness } => {
            let yy = PAGE_H - (y + dy);
            ops.push(Op::SetFillColor { col: rgb((0.0, 0.0, 0.0)) });
            ops.push(Op::DrawRectangle { rectangle: filled(*x1, yy - thickness / 2.0, x2 - x1, *thickness) });
        }
        Item::Qr { x, dy, size, n, modules } => {
            ops.push(Op::SetFillColor { col: rgb((0.0, 0.0, 0.0)) });
            let m = size / *n as f32;
            for row in 0..*n {
                let mut col = 0;
                while col < *n {
                    if modules.get(row * n + col).copied().unwrap_or(false) {
                        let start = col;
                        while col < *n && modules.get(row * n + col).copied().unwrap_or(false) {
                            col += 1;
                        }
                        let top = y + dy + row as f32 * m;
                        let rect = filled(x + start as f32 * m, PAGE_H - top - m, (col - start) as f32 * m, m);
                        ops.push(Op::DrawRectangle { rectangle: rect });
                    } else {
                        col += 1;
                    }
                }
            }
        }
    }
}

fn filled(x: f32, y: f32, w: f32, h: f32) -> Rect {
    Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        mode: Some(PaintMode::Fill),
        winding_order: Some(WindingOrder::NonZero),
    }
}

/// Draws one run; justification adds a `TJ` offset after every space.
fn draw_run(ops: &mut Vec<Op>, run: &Run, y: f32) {
    if run.text.is_empty() {
        return;
    }
    let items = if run.stretch > 0.001 {
        let shift = -run.stretch * 1000.0 / run.size;
        let mut items = Vec::new();
        let mut parts = run.text.split(' ').peekable();
        while let Some(p) = parts.next() {
            if parts.peek().is_some() {
                items.push(TextItem::Text(format!("{p} ")));
                items.push(TextItem::Offset(shift));
            } else {
                items.push(TextItem::Text(p.to_string()));
            }
        }
        items
    } else {
        vec![TextItem::Text(run.text.clone())]
    };
    ops.push(Op::SetFillColor { col: rgb(run.color) });
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont { font: font_handle(run.face), size: Pt(run.size) });
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(run.x), Pt(PAGE_H - (y + run.dy))) });
    ops.push(Op::ShowText { items });
    ops.push(Op::EndTextSection);
}

/// `TASLAK` across the page, diagonal, light grey, under everything else.
fn watermark(c: &Ctx, ops: &mut Vec<Op>) {
    let size = 120.0;
    let text = "TASLAK";
    let w = c.w_at(Face::Bold, text, size);
    let (s, k) = (std::f32::consts::FRAC_1_SQRT_2, std::f32::consts::FRAC_1_SQRT_2);
    // Centre of the text's box on the page centre, rotated 45°.
    let cx = PAGE_W / 2.0 - (w / 2.0) * k + (size * 0.35) * s;
    let cy = PAGE_H / 2.0 - (w / 2.0) * s - (size * 0.35) * k;
    ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: 0.85, icc_profile: None }) });
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont { font: font_handle(Face::Bold), size: Pt(size) });
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Raw([k, s, -s, k, cx, cy]) });
    ops.push(Op::ShowText { items: vec![TextItem::Text(text.into())] });
    ops.push(Op::EndTextSection);
}

/// Replaces the trailer's random `/ID` strings with a digest of the document's content, in
/// place (same length, so the cross-reference offsets stay valid).
fn set_document_id(bytes: &mut [u8]) -> Result<(), RenderError> {
    let pos = find_last(bytes, b"/ID").ok_or_else(|| RenderError::Pdf("the PDF trailer has no /ID".into()))?;
    let body_hash = fnv_hex(&bytes[..pos]);
    let mut i = pos;
    let mut filled = 0;
    while i < bytes.len() && filled < 2 {
        if bytes[i] == b'(' {
            let start = i + 1;
            let end = start + bytes[start..].iter().position(|&b| b == b')').unwrap_or(0);
            let seed = format!("{body_hash}{filled}");
            let id = fnv_hex(seed.as_bytes()).repeat(4);
            for (k, b) in bytes[start..end].iter_mut().enumerate() {
                *b = id.as_bytes()[k % id.len()];
            }
            filled += 1;
            i = end;
        }
        i += 1;
    }
    if filled == 2 {
        Ok(())
    } else {
        Err(RenderError::Pdf("unexpected /ID format in the PDF trailer".into()))
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// 64-bit FNV-1a as 16 hex digits (IDs only need to be content-derived, not secure).
fn fnv_hex(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016X}")
}
