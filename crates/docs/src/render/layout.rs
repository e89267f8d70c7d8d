//! Layout primitives (rows of positioned text) and the page-1 header and body of a letter.
//! Coordinates are points from the top-left corner of the page, y downwards.

use super::font::{Face, Fonts};
use super::letter::{Align, Block, Letter, Settings, UrgencyLevel};
use super::linebreak::{break_lines, Line, Measure};

pub(crate) const PAGE_W: f32 = 595.276;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const PT_PER_CM: f32 = 72.0 / 2.54;

pub(crate) type Rgb = (f32, f32, f32);
pub(crate) const BLACK: Rgb = (0.0, 0.0, 0.0);
pub(crate) const RED: Rgb = (0.8, 0.0, 0.0);

/// A piece of text drawn at one place.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub x: f32,
    /// Baseline, from the top of the row (or of the page for page items).
    pub dy: f32,
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
    pub text: String,
    /// Extra space after each space character, in points (justification).
    pub stretch: f32,
}

/// Something drawn in a row.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text(Run),
    /// A horizontal rule from x1 to x2 at dy.
    Rule {
        x1: f32,
        x2: f32,
        dy: f32,
        thickness: f32,
    },
    /// A QR code: `modules` is `n × n` dark flags; top-left at (x, dy), `size` points wide.
    Qr {
        x: f32,
        dy: f32,
        size: f32,
        n: usize,
        modules: Vec<bool>,
    },
}

/// One horizontal slice of the flow; rows with the same `keep` id stay on one page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub height: f32,
    pub items: Vec<Item>,
    pub keep: Option<u32>,
    /// Blank space, dropped at the top of a page.
    pub spacer: bool,
    /// Starts a new page.
    pub break_before: bool,
    /// A line of body text (used to carry the last body lines with the signature).
    pub body: bool,
}

/// Shared measurements for one letter.
pub(crate) struct Ctx<'a> {
    pub fonts: &'a Fonts,
    pub s: &'a Settings,
    pub x0: f32,
    pub x1: f32,
    pub size: f32,
    pub lh: f32,
}

impl<'a> Ctx<'a> {
    pub fn new(fonts: &'a Fonts, s: &'a Settings) -> Ctx<'a> {
        let m = s.margin_cm * PT_PER_CM;
        Ctx {
            fonts,
            s,
            x0: m,
            x1: PAGE_W - m,
            size: s.font_size,
            lh: s.font_size * s.line_spacing,
        }
    }
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn top(&self) -> f32 {
        self.s.margin_cm * PT_PER_CM
    }
    pub fn w(&self, face: Face, text: &str) -> f32 {
        self.fonts.width(face, text, self.size)
    }
    pub fn w_at(&self, face: Face, text: &str, size: f32) -> f32 {
        self.fonts.width(face, text, size)
    }
    pub fn measure(&self, face: Face, hyphenate: bool) -> Measure<'a> {
        Measure {
            fonts: self.fonts,
            face,
            size: self.size,
            hyphenate: hyphenate && self.s.hyphenate,
        }
    }
    pub fn run(&self, x: f32, face: Face, text: &str) -> Run {
        Run {
            x,
            dy: self.size,
            face,
            size: self.size,
            color: BLACK,
            text: text.to_string(),
            stretch: 0.0,
        }
    }
    /// A one-line row of the main size.
    pub fn row(&self, runs: Vec<Run>) -> Row {
        Row {
            height: self.lh,
            items: runs.into_iter().map(Item::Text).collect(),
            ..Row::default()
        }
    }
    pub fn blank(&self, lines: f32) -> Row {
        Row {
            height: self.lh * lines,
            spacer: true,
            ..Row::default()
        }
    }
    /// A centred one-line row.
    pub fn centred(&self, face: Face, text: &str, size: f32, left: f32, right: f32) -> Row {
        let w = self.w_at(face, text, size);
        let x = left + ((right - left) - w).max(0.0) / 2.0;
        let lh = size * self.s.line_spacing;
        let run = Run {
            x,
            dy: size,
            face,
            size,
            color: BLACK,
            text: text.to_string(),
            stretch: 0.0,
        };
        Row {
            height: lh,
            items: vec![Item::Text(run)],
            ..Row::default()
        }
    }
    /// Wrapped lines starting at `x` (first line) / `x_rest` (others), up to `right`.
    pub fn wrapped(&self, face: Face, text: &str, x: f32, x_rest: f32, right: f32, justify: bool) -> Vec<Row> {
        let m = self.measure(face, justify);
        let lines = break_lines(&m, text, right - x, right - x_rest);
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let lx = if i == 0 { x } else { x_rest };
                let mut run = self.run(lx, face, &l.text);
                if justify {
                    run.stretch = stretch(l, right - lx);
                }
                let mut row = self.row(vec![run]);
                row.body = true;
                row
            })
            .collect()
    }
}

/// Extra space per space character that makes `line` fill `avail` points.
fn stretch(line: &Line, avail: f32) -> f32 {
    if line.last || line.spaces == 0 {
        return 0.0;
    }
    ((avail - line.width) / line.spaces as f32).max(0.0)
}

/// Rows of page 1 above the body: heading, title, markers, sayı/date, numbers, konu, muhatap, ilgi.
pub(crate) fn header_rows(c: &Ctx, l: &Letter) -> Vec<Row> {
    let mut rows = Vec::new();
    for h in &l.heading {
        let face = if h.bold { Face::Bold } else { Face::Regular };
        rows.push(c.centred(face, &h.text, h.size.unwrap_or(c.size), c.x0, c.x1));
    }
    if let Some(t) = &l.title {
        rows.push(c.blank(1.0));
        rows.push(c.centred(Face::Bold, t, c.size, c.x0, c.x1));
    }

    // Two blank lines before the sayı line; urgency and DAĞITIMLI fill them from the bottom.
    let mut markers: Vec<Run> = Vec::new();
    if let Some(u) = &l.urgency {
        let mut text = match u.level {
            UrgencyLevel::Acele => "ACELE".to_string(),
            UrgencyLevel::Gunludur => "GÜNLÜDÜR".to_string(),
        };
        if let Some(d) = u.deadline.as_deref().filter(|d| !d.is_empty()) {
            text = format!("{text} {d}");
        }
        let mut r = c.run(c.x1 - c.w(Face::Bold, &text), Face::Bold, &text);
        r.color = RED;
        markers.push(r);
    }
    if l.dagitimli {
        let t = "DAĞITIMLI";
        markers.push(c.run(c.x1 - c.w(Face::Bold, t), Face::Bold, t));
    }
    let has_fields = l.sayi.is_some() || !l.numbers.is_empty() || !l.date_text.is_empty() || l.konu.is_some();
    if has_fields || !markers.is_empty() {
        let blanks = 2usize.saturating_sub(markers.len());
        for _ in 0..blanks {
            rows.push(c.blank(1.0));
        }
        for m in markers {
            rows.push(c.row(vec![m]));
        }
    }

    // Colon-aligned labels: Sayı, the extra numbers, Konu, İlgi.
    let mut labels: Vec<&str> = vec!["Sayı", "Konu", "İlgi"];
    labels.extend(l.numbers.iter().map(|n| n.label.as_str()));
    let label_w = labels.iter().map(|t| c.w(Face::Regular, t)).fold(0.0, f32::max) + 3.0;
    let colon_x = c.x0 + label_w;
    let value_x = colon_x + c.w(Face::Regular, ": ");
    let labelled = |label: &str, value: &str, right: f32| -> Vec<Row> {
        let mut rows = c.wrapped(Face::Regular, value, value_x, value_x, right, false);
        for r in rows.iter_mut() {
            r.body = false;
        }
        if let Some(first) = rows.first_mut() {
            first.items.push(Item::Text(c.run(c.x0, Face::Regular, label)));
            first.items.push(Item::Text(c.run(colon_x, Face::Regular, ":")));
        }
        rows
    };

    let date_w = c.w(Face::Regular, &l.date_text);
    let date_run = (!l.date_text.is_empty()).then(|| c.run(c.x1 - date_w, Face::Regular, &l.date_text));
    let mut date_placed = false;
    if let Some(s) = &l.sayi {
        let mut r = labelled("Sayı", s, c.x1 - date_w - 12.0);
        if let (Some(first), Some(d)) = (r.first_mut(), date_run.clone()) {
            first.items.push(Item::Text(d));
            date_placed = true;
        }
        rows.extend(r);
    }
    for n in &l.numbers {
        let mut r = labelled(
            &n.label,
            &n.value,
            if date_placed { c.x1 } else { c.x1 - date_w - 12.0 },
        );
        if !date_placed {
            if let (Some(first), Some(d)) = (r.first_mut(), date_run.clone()) {
                first.items.push(Item::Text(d));
                date_placed = true;
            }
        }
        rows.extend(r);
    }
    if !date_placed {
        if let Some(d) = date_run {
            rows.push(c.row(vec![d]));
        }
    }
    if let Some(k) = &l.konu {
        rows.extend(labelled("Konu", k, PAGE_W / 2.0));
    }

    if !l.muhatap.is_empty() {
        rows.push(c.blank(2.0));
        let face = if c.s.muhatap_bold { Face::Bold } else { Face::Regular };
        for m in &l.muhatap {
            rows.push(c.centred(face, m, c.size, c.x0, c.x1));
        }
    }
    if !l.ilgi.is_empty() {
        rows.push(c.blank(1.0));
        let several = l.ilgi.len() > 1;
        for (i, text) in l.ilgi.iter().enumerate() {
            // One reference stands beside the colon; several are lettered a), b), c), ç) …
            let mark = if several {
                format!("{}) ", ilgi_letter(i))
            } else {
                String::new()
            };
            let tx = value_x + c.w(Face::Regular, &mark);
            let mut r = c.wrapped(Face::Regular, text, tx, tx, c.x1, true);
            if let Some(first) = r.first_mut() {
                if several {
                    first
                        .items
                        .push(Item::Text(c.run(value_x, Face::Regular, mark.trim_end())));
                }
                if i == 0 {
                    first.items.push(Item::Text(c.run(c.x0, Face::Regular, "İlgi")));
                    first.items.push(Item::Text(c.run(colon_x, Face::Regular, ":")));
                }
            }
            for row in r.iter_mut() {
                row.body = false;
            }
            rows.extend(r);
        }
    }
    rows.push(c.blank(1.0));
    rows
}

/// The letter of the i-th reference in the Turkish alphabet (a, b, c, ç, d, …), doubled
/// after z.
fn ilgi_letter(i: usize) -> String {
    const ALPHABET: [char; 29] = [
        'a', 'b', 'c', 'ç', 'd', 'e', 'f', 'g', 'ğ', 'h', 'ı', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ö', 'p', 'r', 's',
        'ş', 't', 'u', 'ü', 'v', 'y', 'z',
    ];
    let ch = ALPHABET[i % ALPHABET.len()];
    std::iter::repeat_n(ch, i / ALPHABET.len() + 1).collect()
}

/// Rows of the body blocks. Paragraphs keep at least two lines together at a page break
/// (no widows or orphans); a heading stays with the lines that follow it.
pub(crate) fn body_rows(c: &Ctx, l: &Letter) -> Vec<Row> {
    let indent = c.s.indent_cm * PT_PER_CM;
    let mut rows = Vec::new();
    let mut next_id = 1_000_000u32;
    let mut pending_heading: Option<u32> = None;
    for (i, b) in l.body.iter().enumerate() {
        if i > 0 && c.s.paragraph_spacing_pt > 0.0 && !matches!(b, Block::Heading { .. }) && pending_heading.is_none() {
            rows.push(Row {
                height: c.s.paragraph_spacing_pt,
                spacer: true,
                ..Row::default()
            });
        }
        let mut block = match b {
            Block::Paragraph { text, indent: ind } => {
                let first = if *ind { c.x0 + indent } else { c.x0 };
                c.wrapped(Face::Regular, text, first, c.x0, c.x1, true)
            }
            Block::Closing { text } => c.wrapped(Face::Regular, text, c.x0 + indent, c.x0, c.x1, false),
            Block::Item { number, text } => {
                let mark = format!("{number} ");
                let tx = c.x0 + indent + c.w(Face::Regular, &mark);
                let mut r = c.wrapped(Face::Regular, text, tx, tx, c.x1, true);
                if let Some(first) = r.first_mut() {
                    first
                        .items
                        .push(Item::Text(c.run(c.x0 + indent, Face::Regular, number)));
                }
                r
            }
            Block::Heading { text, align } => {
                if i > 0 {
                    rows.push(Row {
                        height: c.lh * 0.5,
                        spacer: true,
                        ..Row::default()
                    });
                }
                let mut hr = match align {
                    Align::Center => {
                        let m = c.measure(Face::Bold, false);
                        break_lines(&m, text, c.width(), c.width())
                            .iter()
                            .map(|ln| c.centred(Face::Bold, &ln.text, c.size, c.x0, c.x1))
                            .collect::<Vec<_>>()
                    }
                    Align::Left => c.wrapped(Face::Bold, text, c.x0, c.x0, c.x1, false),
                };
                let id = pending_heading.unwrap_or_else(|| {
                    next_id += 1;
                    next_id
                });
                for r in hr.iter_mut() {
                    r.keep = Some(id);
                    r.body = false;
                }
                pending_heading = Some(id);
                rows.extend(hr);
                continue;
            }
        };
        // Keep the first two and the last two lines of a block together.
        let n = block.len();
        let mut first_id = pending_heading.take().unwrap_or_else(|| {
            next_id += 1;
            next_id
        });
        if n <= 3 {
            for r in block.iter_mut() {
                r.keep = Some(first_id);
            }
        } else {
            for r in block.iter_mut().take(2) {
                r.keep = Some(first_id);
            }
            next_id += 1;
            first_id = next_id;
            for r in block.iter_mut().skip(n - 2) {
                r.keep = Some(first_id);
            }
        }
        rows.extend(block);
    }
    rows
}
