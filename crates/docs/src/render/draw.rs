//! Drawing one page with printpdf ops: all text in one text object (font and colour set only
//! when they change), then rules and the QR code as filled rectangles.

use printpdf::{Color, FontId, Op, PaintMode, PdfFontHandle, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder};

use super::font::Face;
use super::layout::{Ctx, Item, Rgb as Colour, Run, BLACK, PAGE_H, PAGE_W};

/// Font ids; their first six letters are the subset tag (`TAMIMR+LiberationSerif`).
pub(crate) const REGULAR_ID: &str = "TAMIMR";
pub(crate) const BOLD_ID: &str = "TAMIMB";

const WATERMARK_GREY: Colour = (0.85, 0.85, 0.85);

/// The ops of one page being built.
#[derive(Default)]
pub(crate) struct PageOps {
    text: Vec<Op>,
    shapes: Vec<Op>,
    colour: Option<Colour>,
    font: Option<(Face, f32)>,
}

impl PageOps {
    /// Draws an item whose row starts at `y` (points from the top of the page).
    pub(crate) fn item(&mut self, item: &Item, y: f32) {
        match item {
            Item::Text(run) => self.run(run, y),
            Item::Rule { x1, x2, dy, thickness } => {
                let yy = PAGE_H - (y + dy);
                self.shapes.push(Op::DrawRectangle {
                    rectangle: filled(*x1, yy - thickness / 2.0, x2 - x1, *thickness),
                });
            }
            Item::Qr {
                x,
                dy,
                size,
                n,
                modules,
            } => {
                let m = size / *n as f32;
                let dark = |r: usize, c: usize| modules.get(r * n + c).copied().unwrap_or(false);
                for row in 0..*n {
                    let mut col = 0;
                    while col < *n {
                        if !dark(row, col) {
                            col += 1;
                            continue;
                        }
                        let start = col;
                        while col < *n && dark(row, col) {
                            col += 1;
                        }
                        let top = y + dy + row as f32 * m;
                        let rect = filled(x + start as f32 * m, PAGE_H - top - m, (col - start) as f32 * m, m);
                        self.shapes.push(Op::DrawRectangle { rectangle: rect });
                    }
                }
            }
        }
    }

    fn set_style(&mut self, colour: Colour, face: Face, size: f32) {
        if self.colour != Some(colour) {
            self.text.push(Op::SetFillColor { col: rgb(colour) });
            self.colour = Some(colour);
        }
        if self.font != Some((face, size)) {
            self.text.push(Op::SetFont {
                font: font_handle(face),
                size: Pt(size),
            });
            self.font = Some((face, size));
        }
    }

    /// One run; justification adds a `TJ` offset after every space.
    fn run(&mut self, run: &Run, y: f32) {
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
        self.set_style(run.color, run.face, run.size);
        self.text.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(run.x), Pt(PAGE_H - (y + run.dy))),
        });
        self.text.push(Op::ShowText { items });
    }

    /// `TASLAK` across the page, diagonal, light grey, under everything else.
    pub(crate) fn watermark(&mut self, c: &Ctx) {
        let size = 120.0;
        let text = "TASLAK";
        let w = c.w_at(Face::Bold, text, size);
        let k = std::f32::consts::FRAC_1_SQRT_2;
        // The text box's centre on the page centre, rotated 45°.
        let cx = PAGE_W / 2.0 - (w / 2.0) * k + (size * 0.35) * k;
        let cy = PAGE_H / 2.0 - (w / 2.0) * k - (size * 0.35) * k;
        self.set_style(WATERMARK_GREY, Face::Bold, size);
        self.text.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([k, k, -k, k, cx, cy]),
        });
        self.text.push(Op::ShowText {
            items: vec![TextItem::Text(text.into())],
        });
    }

    /// The page's ops: one text object, then the shapes in black.
    pub(crate) fn finish(self) -> Vec<Op> {
        let mut ops = Vec::with_capacity(self.text.len() + self.shapes.len() + 4);
        if !self.text.is_empty() {
            ops.push(Op::StartTextSection);
            ops.extend(self.text);
            ops.push(Op::EndTextSection);
        }
        if !self.shapes.is_empty() {
            ops.push(Op::SetFillColor { col: rgb(BLACK) });
            ops.extend(self.shapes);
        }
        ops
    }
}

fn font_handle(face: Face) -> PdfFontHandle {
    PdfFontHandle::External(FontId(if face == Face::Bold { BOLD_ID } else { REGULAR_ID }.into()))
}

fn rgb((r, g, b): Colour) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
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
