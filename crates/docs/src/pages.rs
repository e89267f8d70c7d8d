//! A small A4 page writer on printpdf 0.12 for reports and sheets (the audit's PDF, the tebliğ-tebellüğ sheet): lines of text in the embedded
//! Liberation Serif, table rows, rules, filled rectangles and lines for charts, page numbers `1/3`.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};
use std::sync::OnceLock;

use crate::render::RenderError;

type Result<T> = std::result::Result<T, RenderError>;

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Regular.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/LiberationSerif-Bold.ttf"
));
const REGULAR_ID: &str = "AUDR";
const BOLD_ID: &str = "AUDB";

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
/// 1.5 cm margins, as the regulation sets for letters.
pub const MARGIN: f32 = 42.52;

struct Faces {
    regular: ParsedFont,
    bold: ParsedFont,
}

fn faces() -> Result<&'static Faces> {
    static F: OnceLock<Option<Faces>> = OnceLock::new();
    F.get_or_init(|| {
        let mut w = Vec::new();
        Some(Faces {
            regular: ParsedFont::from_bytes(REGULAR, 0, &mut w)?,
            bold: ParsedFont::from_bytes(BOLD, 0, &mut w)?,
        })
    })
    .as_ref()
    .ok_or_else(|| RenderError::Font("the embedded Liberation Serif could not be parsed".into()))
}

/// Width of `text` at `size` points.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let Ok(f) = faces() else { return 0.0 };
    let font = if bold { &f.bold } else { &f.regular };
    let upem = font.font_metrics.units_per_em.max(1) as f32;
    text.chars()
        .map(|c| {
            font.lookup_glyph_index(c as u32)
                .map(|g| font.get_horizontal_advance(g) as f32 / upem)
                .unwrap_or(0.5)
        })
        .sum::<f32>()
        * size
}

/// `text` cut with `…` to fit `max` points.
pub fn fit(text: &str, size: f32, bold: bool, max: f32) -> String {
    if width(text, size, bold) <= max {
        return text.to_string();
    }
    let mut s: String = text.to_string();
    while !s.is_empty() && width(&format!("{s}…"), size, bold) > max {
        s.pop();
    }
    format!("{s}…")
}

pub fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// Pages being written; `y` is the distance from the top of the page to the next line's baseline.
pub struct Pages {
    title: String,
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    pub y: f32,
    /// When the document was made (Unix seconds): its metadata's creation and modification dates. None
    /// leaves printpdf's fixed 1970 date, for sheets that must come out the same every time.
    pub created: Option<i64>,
}

impl Pages {
    pub fn new(title: &str) -> Result<Pages> {
        faces()?;
        Ok(Pages {
            title: title.to_string(),
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN + 12.0,
            created: None,
        })
    }

    pub fn bottom() -> f32 {
        PAGE_H - MARGIN - 20.0
    }

    /// Start a new page when fewer than `h` points are left.
    pub fn ensure(&mut self, h: f32) {
        if self.y + h > Self::bottom() {
            self.new_page();
        }
    }

    pub fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.ops));
        self.y = MARGIN + 12.0;
    }

    /// Text with its baseline `y` points from the top.
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops.push(Op::SetFillColor {
            col: rgb(0.0, 0.0, 0.0),
        });
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(if bold { BOLD_ID } else { REGULAR_ID }.into())),
            size: Pt(size),
        });
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(PAGE_H - y)),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// One line of text at the left margin, then move down.
    pub fn line(&mut self, size: f32, bold: bool, text: &str) {
        self.ensure(size * 1.4);
        let t = fit(text, size, bold, PAGE_W - 2.0 * MARGIN);
        self.text_at(MARGIN, self.y, size, bold, &t);
        self.y += size * 1.4;
    }

    /// Text wrapped at word boundaries to the page width.
    pub fn para(&mut self, size: f32, text: &str) {
        let max = PAGE_W - 2.0 * MARGIN;
        let mut cur = String::new();
        for w in text.split_whitespace() {
            let next = if cur.is_empty() {
                w.to_string()
            } else {
                format!("{cur} {w}")
            };
            if width(&next, size, false) > max && !cur.is_empty() {
                self.line(size, false, &cur);
                cur = w.to_string();
            } else {
                cur = next;
            }
        }
        if !cur.is_empty() {
            self.line(size, false, &cur);
        }
    }

    /// A table row: each cell (x offset from the margin, column width, text, right-aligned?).
    pub fn row(&mut self, size: f32, bold: bool, cells: &[(f32, f32, &str, bool)]) {
        self.ensure(size * 1.5);
        for (x, w, t, right) in cells {
            let t = fit(t, size, bold, *w - 2.0);
            let dx = if *right { w - 2.0 - width(&t, size, bold) } else { 0.0 };
            self.text_at(MARGIN + x + dx, self.y, size, bold, &t);
        }
        self.y += size * 1.5;
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// A filled rectangle; `top` measured from the top of the page.
    pub fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, col: Color) {
        self.ops.push(Op::SetFillColor { col });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_H - top - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A stroked polyline through points (x, y from the top).
    pub fn polyline(&mut self, pts: &[(f32, f32)], thickness: f32, col: Color) {
        if pts.len() < 2 {
            return;
        }
        self.ops.push(Op::SetOutlineColor { col });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: pts
                    .iter()
                    .map(|(x, y)| LinePoint {
                        p: Point {
                            x: Pt(*x),
                            y: Pt(PAGE_H - y),
                        },
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            },
        });
    }

    pub fn hrule(&mut self) {
        let y = self.y - 8.0;
        self.polyline(&[(MARGIN, y), (PAGE_W - MARGIN, y)], 0.5, rgb(0.0, 0.0, 0.0));
        self.y += 4.0;
    }

    /// Finish: page numbers `1/N` centred at the bottom, fonts embedded (subset).
    pub fn finish(mut self) -> Result<Vec<u8>> {
        let f = faces()?;
        if !self.ops.is_empty() || self.done.is_empty() {
            self.done.push(std::mem::take(&mut self.ops));
        }
        let total = self.done.len();
        let mut pages = Vec::with_capacity(total);
        for (i, ops) in std::mem::take(&mut self.done).into_iter().enumerate() {
            self.ops = ops;
            let t = format!("{}/{}", i + 1, total);
            self.text_at(
                (PAGE_W - width(&t, 9.0, false)) / 2.0,
                PAGE_H - MARGIN / 2.0,
                9.0,
                false,
                &t,
            );
            pages.push(PdfPage::new(
                printpdf::Mm(210.0),
                printpdf::Mm(297.0),
                std::mem::take(&mut self.ops),
            ));
        }
        let mut doc = PdfDocument::new(&self.title);
        doc.resources
            .fonts
            .map
            .insert(FontId(REGULAR_ID.into()), PdfFont::new(f.regular.clone()));
        doc.resources
            .fonts
            .map
            .insert(FontId(BOLD_ID.into()), PdfFont::new(f.bold.clone()));
        doc.metadata.info.creator = "tamim".into();
        doc.metadata.info.producer = "tamim (printpdf)".into();
        if let Some(t) = self
            .created
            .and_then(|t| printpdf::OffsetDateTime::from_unix_timestamp(t).ok())
        {
            let info = &mut doc.metadata.info;
            (info.creation_date, info.modification_date, info.metadata_date) = (t, t, t);
        }
        doc.with_pages(pages);
        let opts = PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        let mut warnings = Vec::new();
        Ok(doc.save(&opts, &mut warnings))
    }
}
