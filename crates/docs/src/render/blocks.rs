//! Layout of the blocks after the body (signatures, `Ek:`, `Dağıtım:`, the separate
//! `EK LİSTESİ` / `DAĞITIM LİSTESİ` pages) and of the page footer.

use super::font::Face;
use super::layout::{Ctx, Item, Row, Run, BLACK, PAGE_H};
use super::letter::{Dagitim, Ek, Footer, Signatory};

/// Wording printed beside `Ek:` / `Dağıtım:` when the list moves to its own page.
pub(crate) const EK_SHORT: &str = "Ek listesi ektedir.";
pub(crate) const DAGITIM_SHORT: &str = "Dağıtım listesi ektedir.";
pub(crate) const EK_TITLE: &str = "EK LİSTESİ";
pub(crate) const DAGITIM_TITLE: &str = "DAĞITIM LİSTESİ";

/// Signature blocks: 1 → centred in the right half; 2–4 → side by side in the right half
/// (or across the full width when the names do not fit); more → rows of four, full width.
pub(crate) fn signature_rows(c: &Ctx, sigs: &[Signatory]) -> Vec<Row> {
    let mut rows = Vec::new();
    if sigs.is_empty() {
        return rows;
    }
    rows.push(c.blank(c.s.signature_gap_lines.clamp(1, 6) as f32));
    let mid = (c.x0 + c.x1) / 2.0;
    let widest = sigs
        .iter()
        .flat_map(|s| std::iter::once(&s.name).chain(s.titles.iter()))
        .map(|t| c.w(Face::Regular, t))
        .fold(0.0, f32::max);
    let n = sigs.len().min(4);
    let fits = |left: f32, cols: usize| widest + 8.0 <= (c.x1 - left) / cols as f32;
    let (left, cols) = if fits(mid, n) {
        (mid, n)
    } else {
        // Full width, as many columns (at most four) as the longest line allows.
        let cols = (1..=n).rev().find(|&k| fits(c.x0, k)).unwrap_or(1);
        (c.x0, cols)
    };
    let per_row = cols;
    let col_w = (c.x1 - left) / cols as f32;
    for (ri, chunk) in sigs.chunks(per_row).enumerate() {
        if ri > 0 {
            rows.push(c.blank(2.0));
        }
        let depth = chunk.iter().map(|s| 1 + s.titles.len()).max().unwrap_or(1);
        // A short last row is centred under the full ones.
        let offset = (cols - chunk.len()) as f32 * col_w / 2.0;
        for line in 0..depth {
            let mut runs = Vec::new();
            for (ci, s) in chunk.iter().enumerate() {
                let text = if line == 0 {
                    Some(&s.name)
                } else {
                    s.titles.get(line - 1)
                };
                if let Some(t) = text {
                    let cl = left + offset + ci as f32 * col_w;
                    let x = cl + ((col_w - c.w(Face::Regular, t)) / 2.0).max(0.0);
                    runs.push(c.run(x, Face::Regular, t));
                }
            }
            rows.push(c.row(runs));
        }
    }
    rows
}

fn label_of(ek: &Ek) -> &str {
    ek.label.as_deref().filter(|l| !l.is_empty()).unwrap_or("Ek:")
}

/// The `Ek:` block; `short` prints only the pointer to the `EK LİSTESİ` page.
pub(crate) fn ek_rows(c: &Ctx, ek: &Ek, short: bool) -> Vec<Row> {
    let mut rows = vec![c.blank(1.0)];
    let label = label_of(ek);
    let after = c.x0 + c.w(Face::Bold, label) + c.w(Face::Regular, " ");
    let label_run = c.run(c.x0, Face::Bold, label);
    if short || (ek.items.len() == 1 && !ek.numbered) {
        let text = if short { EK_SHORT } else { ek.items[0].as_str() };
        let mut r = c.wrapped(Face::Regular, text, after, after, c.x1, false);
        if let Some(first) = r.first_mut() {
            first.items.push(Item::Text(label_run));
        }
        rows.extend(r);
    } else {
        rows.push(c.row(vec![label_run]));
        rows.extend(numbered_list(c, &ek.items, c.x0));
    }
    unmark(&mut rows);
    rows
}

/// `1- …` lines with a hanging indent.
fn numbered_list(c: &Ctx, items: &[String], x: f32) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mark = format!("{}- ", i + 1);
        let tx = x + c.w(Face::Regular, &mark);
        let mut r = c.wrapped(Face::Regular, item, tx, tx, c.x1, false);
        if let Some(first) = r.first_mut() {
            first.items.push(Item::Text(c.run(x, Face::Regular, mark.trim_end())));
        }
        rows.extend(r);
    }
    rows
}

/// The `Dağıtım:` block. With `Bilgi` entries, `Gereği:` and `Bilgi:` stand side by side;
/// without them the recipients go directly under `Dağıtım:`. `short` prints the pointer only.
pub(crate) fn dagitim_rows(c: &Ctx, d: &Dagitim, short: bool) -> Vec<Row> {
    let mut rows = vec![c.blank(1.0)];
    let label = "Dağıtım:";
    let label_run = c.run(c.x0, Face::Bold, label);
    if short {
        let x = c.x0 + c.w(Face::Bold, label) + c.w(Face::Regular, " ");
        rows.push(c.row(vec![label_run, c.run(x, Face::Regular, DAGITIM_SHORT)]));
        unmark(&mut rows);
        return rows;
    }
    rows.push(c.row(vec![label_run]));
    if d.bilgi.is_empty() {
        rows.extend(entry_rows(c, &d.geregi, c.x0, c.x1));
    } else {
        let split = c.x0 + c.width() * 0.58;
        let mut left = vec![c.row(vec![c.run(c.x0, Face::Regular, "Gereği:")])];
        left.extend(entry_rows(c, &d.geregi, c.x0, split - 12.0));
        let mut right = vec![c.row(vec![c.run(split, Face::Regular, "Bilgi:")])];
        right.extend(entry_rows(c, &d.bilgi, split, c.x1));
        rows.extend(zip_columns(left, right));
    }
    unmark(&mut rows);
    rows
}

/// Recipient lines, each wrapped with a small hanging indent.
fn entry_rows(c: &Ctx, entries: &[String], x: f32, right: f32) -> Vec<Row> {
    entries
        .iter()
        .flat_map(|e| c.wrapped(Face::Regular, e, x, x + 10.0, right, false))
        .collect()
}

fn zip_columns(left: Vec<Row>, right: Vec<Row>) -> Vec<Row> {
    let n = left.len().max(right.len());
    let mut l = left.into_iter();
    let mut r = right.into_iter();
    (0..n)
        .map(|_| {
            let mut row = l.next().unwrap_or_default();
            if let Some(rr) = r.next() {
                row.height = row.height.max(rr.height);
                row.items.extend(rr.items);
            }
            row
        })
        .collect()
}

fn unmark(rows: &mut [Row]) {
    for r in rows {
        r.body = false;
    }
}

/// A separate list page: centred bold title, then the list. Starts a new page.
pub(crate) fn ek_list_page(c: &Ctx, ek: &Ek) -> Vec<Row> {
    let mut rows = vec![c.centred(Face::Bold, EK_TITLE, c.size, c.x0, c.x1), c.blank(1.0)];
    rows.extend(numbered_list(c, &ek.items, c.x0));
    rows[0].break_before = true;
    unmark(&mut rows);
    rows
}

/// The `DAĞITIM LİSTESİ` page: `Gereği:` then `Bilgi:` lists, one under the other.
pub(crate) fn dagitim_list_page(c: &Ctx, d: &Dagitim) -> Vec<Row> {
    let mut rows = vec![c.centred(Face::Bold, DAGITIM_TITLE, c.size, c.x0, c.x1), c.blank(1.0)];
    if d.bilgi.is_empty() {
        rows.extend(entry_rows(c, &d.geregi, c.x0, c.x1));
    } else {
        rows.push(c.row(vec![c.run(c.x0, Face::Bold, "Gereği:")]));
        rows.extend(entry_rows(c, &d.geregi, c.x0, c.x1));
        rows.push(c.blank(1.0));
        rows.push(c.row(vec![c.run(c.x0, Face::Bold, "Bilgi:")]));
        rows.extend(entry_rows(c, &d.bilgi, c.x0, c.x1));
    }
    rows[0].break_before = true;
    unmark(&mut rows);
    rows
}

/// Side of the QR code in points.
pub(crate) const QR_SIZE: f32 = 54.0;

/// The footer of one page, positioned on the page, and the y where it begins. The QR code's
/// place is kept free on every page; the code itself is drawn when `draw_qr` is set (page 1).
pub(crate) fn footer_items(
    c: &Ctx,
    f: Option<&Footer>,
    qr: Option<&(usize, Vec<bool>)>,
    draw_qr: bool,
) -> (Vec<Item>, f32) {
    let bottom = PAGE_H - c.top();
    let mut items = Vec::new();
    let small = c.s.contact_font_size;
    let clh = small * 1.2;
    let mid = 9.0f32;
    let mlh = mid * 1.25;
    let right = if qr.is_some() { c.x1 - QR_SIZE - 6.0 } else { c.x1 };
    let mut y = bottom;
    let run = |x: f32, dy: f32, face: Face, size: f32, text: &str| {
        Item::Text(Run {
            x,
            dy,
            face,
            size,
            color: BLACK,
            text: text.to_string(),
            stretch: 0.0,
        })
    };
    if let Some(f) = f {
        let n = f.contact.len().max(f.info.len());
        let top_of_contact = bottom - n as f32 * clh;
        for (i, t) in f.contact.iter().enumerate() {
            items.push(run(
                c.x0,
                top_of_contact + (i as f32 + 1.0) * clh - 2.0,
                Face::Regular,
                small,
                t,
            ));
        }
        let info_w = f
            .info
            .iter()
            .map(|t| c.w_at(Face::Regular, t, small))
            .fold(0.0, f32::max);
        for (i, t) in f.info.iter().enumerate() {
            items.push(run(
                right - info_w,
                top_of_contact + (i as f32 + 1.0) * clh - 2.0,
                Face::Regular,
                small,
                t,
            ));
        }
        y = top_of_contact;
        if n > 0 {
            y -= 3.0;
            items.push(Item::Rule {
                x1: c.x0,
                x2: right,
                dy: y,
                thickness: 0.5,
            });
            y -= 3.0;
        }
        let code = f.verification_code.as_deref().map(|v| format!("Doğrulama Kodu: {v}"));
        let url = f.verification_url.as_deref().map(|v| format!("Doğrulama Linki: {v}"));
        if code.is_some() || url.is_some() {
            y -= mlh;
            if let Some(code) = code {
                items.push(run(c.x0, y + mid, Face::Regular, mid, &code));
            }
            if let Some(url) = url {
                let w = c.w_at(Face::Regular, &url, mid);
                items.push(run(right - w, y + mid, Face::Regular, mid, &url));
            }
        }
        if let Some(st) = f.esign_statement.as_deref().filter(|s| !s.is_empty()) {
            y -= mlh;
            items.push(run(c.x0, y + mid, Face::Regular, mid, st));
        }
    }
    if let Some((n, modules)) = qr {
        let qy = bottom - QR_SIZE;
        if draw_qr {
            items.push(Item::Qr {
                x: c.x1 - QR_SIZE,
                dy: qy,
                size: QR_SIZE,
                n: *n,
                modules: modules.clone(),
            });
        }
        y = y.min(qy);
    }
    (items, y)
}
