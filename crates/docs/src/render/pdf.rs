//! Turns a `Letter` into PDF bytes: validation, glyph check, layout, drawing with printpdf ops,
//! subset font embedding and deterministic document IDs.

use printpdf::{FontId, Mm, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};

use super::blocks::footer_items;
use super::draw::{PageOps, BOLD_ID, REGULAR_ID};
use super::font::{Face, Fonts};
use super::layout::{Ctx, Item, Run, PAGE_H, PAGE_W};
use super::letter::Letter;
use super::paginate::layout_pages;
use super::RenderError;

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
        let mut page = PageOps::default();
        if letter.draft {
            page.watermark(&c);
        }
        if let Some(cl) = letter.classification {
            let t = cl.label();
            let x = (PAGE_W - c.w(Face::Bold, t)) / 2.0;
            page.item(
                &Item::Text(Run {
                    x,
                    dy: 26.0,
                    ..c.run(0.0, Face::Bold, t)
                }),
                0.0,
            );
            page.item(
                &Item::Text(Run {
                    x,
                    dy: PAGE_H - 14.0,
                    ..c.run(0.0, Face::Bold, t)
                }),
                0.0,
            );
        }
        for (y, row) in rows {
            for item in &row.items {
                page.item(item, *y);
            }
        }
        let (footer, _) = footer_items(&c, letter.footer.as_ref(), qr.as_ref(), index == 0);
        for item in &footer {
            page.item(item, 0.0);
        }
        if total > 1 {
            let t = format!("{}/{}", index + 1, total);
            let x = (PAGE_W - c.w_at(Face::Regular, &t, 10.0)) / 2.0;
            page.item(
                &Item::Text(Run {
                    x,
                    dy: PAGE_H - 28.0,
                    size: 10.0,
                    ..c.run(0.0, Face::Regular, &t)
                }),
                0.0,
            );
        }
        pdf_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), page.finish()));
    }

    let mut doc = PdfDocument::new(&letter.metadata.title);
    doc.resources
        .fonts
        .map
        .insert(FontId(REGULAR_ID.into()), PdfFont::new(fonts.regular.parsed.clone()));
    doc.resources
        .fonts
        .map
        .insert(FontId(BOLD_ID.into()), PdfFont::new(fonts.bold.parsed.clone()));
    let info = &mut doc.metadata.info;
    let date = letter.metadata.creation_date;
    let ts = date.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp()).unwrap_or(0);
    let when = printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .map_err(|e| RenderError::Invalid(format!("metadata.creation_date: {e}")))?;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.author = letter.metadata.author.clone();
    info.subject = letter.metadata.subject.clone();
    info.creator = "tamim".into();
    info.producer = "tamim (printpdf)".into();
    doc.with_pages(pdf_pages);

    // printpdf's own `optimize` deflates at the best (slowest) level, two thirds of the render
    // time; compress the streams here at the default level instead (same size within 1%).
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    retag_subsets(&mut lo);
    compress_streams(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| RenderError::Pdf(e.to_string()))?;
    set_document_id(&mut bytes)?;
    Ok(bytes)
}

/// Gives each embedded font subset a tag derived from its glyphs (`QKXWZB+LiberationSerif`) in place
/// of the font id printpdf writes (`TAMIMR`). ISO 32000 §9.6.4: different subsets in one file must have
/// different tags — and an issued circular carries the documents it forwards, each rendered with its
/// own subset. The same glyphs give the same tag, so the output stays byte-identical.
fn retag_subsets(doc: &mut lopdf_044::Document) {
    use lopdf_044::Object;
    use sha2::{Digest, Sha256};
    let mut renames = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(dict) = obj.as_dict() else { continue };
        let (Ok(name), Ok(file)) = (dict.get(b"FontName"), dict.get(b"FontFile2")) else {
            continue;
        };
        let (Ok(name), Ok(file)) = (name.as_name(), file.as_reference()) else {
            continue;
        };
        let Some(Object::Stream(program)) = doc.objects.get(&file) else {
            continue;
        };
        let Some(rest) = [REGULAR_ID, BOLD_ID]
            .iter()
            .find_map(|tag| name.strip_prefix(tag.as_bytes()))
        else {
            continue;
        };
        let digest = Sha256::digest(&program.content);
        let mut new: Vec<u8> = digest.iter().take(6).map(|b| b'A' + b % 26).collect();
        new.extend_from_slice(rest);
        renames.push((*id, name.to_vec(), new));
    }
    for (descriptor, old, new) in renames {
        for obj in doc.objects.values_mut() {
            let Ok(dict) = obj.as_dict_mut() else { continue };
            rename_font(dict, descriptor, &old, &new);
        }
    }
}

/// Renames `old` to `new` in a font descriptor, a CID font pointing to it, and a Type0 font holding
/// that CID font inline.
fn rename_font(dict: &mut lopdf_044::Dictionary, descriptor: lopdf_044::ObjectId, old: &[u8], new: &[u8]) {
    use lopdf_044::Object;
    let is = |o: Result<&Object, _>| o.and_then(Object::as_name).is_ok_and(|n| n == old);
    if is(dict.get(b"FontName")) {
        dict.set("FontName", Object::Name(new.to_vec()));
    }
    let points_here = dict
        .get(b"FontDescriptor")
        .and_then(Object::as_reference)
        .is_ok_and(|r| r == descriptor);
    if is(dict.get(b"BaseFont")) && points_here {
        dict.set("BaseFont", Object::Name(new.to_vec()));
    }
    if let Ok(Object::Array(descendants)) = dict.get_mut(b"DescendantFonts") {
        let mut renamed = false;
        for d in descendants.iter_mut() {
            if let Object::Dictionary(cid) = d {
                let before = cid.get(b"BaseFont").ok().cloned();
                rename_font(cid, descriptor, old, new);
                renamed |= cid.get(b"BaseFont").ok() != before.as_ref();
            }
        }
        if renamed && is(dict.get(b"BaseFont")) {
            dict.set("BaseFont", Object::Name(new.to_vec()));
        }
    }
}

/// Deflates every uncompressed stream that gets smaller by it.
fn compress_streams(doc: &mut lopdf_044::Document) -> Result<(), RenderError> {
    use std::io::Write;
    for obj in doc.objects.values_mut() {
        let lopdf_044::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.has(b"Filter") || stream.content.len() < 64 {
            continue;
        }
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&stream.content)
            .map_err(|e| RenderError::Pdf(e.to_string()))?;
        let packed = enc.finish().map_err(|e| RenderError::Pdf(e.to_string()))?;
        if packed.len() + 19 < stream.content.len() {
            stream
                .dict
                .set("Filter", lopdf_044::Object::Name(b"FlateDecode".to_vec()));
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
    if l.heading
        .iter()
        .any(|h| h.size.is_some_and(|z| !(6.0..=24.0).contains(&z)))
    {
        return bad("heading sizes must be 6–24 pt");
    }
    Ok(())
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
