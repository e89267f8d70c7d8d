//! An audit chart (`tamim_app::audit::chart::Series`) laid out for the auditor's pages: the positions of its
//! gridlines and bars, which `templates/pages/chart.html` draws as inline SVG (escaped by the template, no
//! script).

use serde::Serialize;
use tamim_app::audit::chart::Series;

#[derive(Serialize)]
pub struct Chart {
    title: String,
    width: f64,
    height: f64,
    grid: Vec<Grid>,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Grid {
    x2: f64,
    y: String,
    label: String,
}

#[derive(Serialize)]
struct Bar {
    x: String,
    y: String,
    width: String,
    height: String,
    label: String,
    value: f64,
    /// Every label up to 16 bars, every other one beyond.
    labelled: bool,
    label_y: String,
}

pub fn layout(series: &Series) -> Chart {
    let (w, h, left, bottom, top) = (520.0f64, 200.0f64, 36.0f64, 28.0f64, 20.0f64);
    let plot_h = h - bottom;
    let slot = ((w - left - 8.0) / series.bars.len().max(1) as f64).min(60.0);
    let grid = [0.0, 50.0, 100.0]
        .into_iter()
        .map(|pct| Grid {
            x2: w - 8.0,
            y: format!("{:.1}", top + plot_h * (1.0 - pct / 100.0)),
            label: format!("%{pct:.0}"),
        })
        .collect();
    let bars = series
        .bars
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let bh = plot_h * v.clamp(0.0, 100.0) / 100.0;
            Bar {
                x: format!("{:.1}", left + slot * i as f64 + slot * 0.15),
                y: format!("{:.1}", top + plot_h - bh),
                width: format!("{:.1}", slot * 0.7),
                height: format!("{bh:.1}"),
                label: label.clone(),
                value: *v,
                labelled: series.bars.len() <= 16 || i % 2 == 0,
                label_y: format!("{:.1}", top + plot_h + 12.0),
            }
        })
        .collect();
    Chart {
        title: series.title.clone(),
        width: w,
        height: h + 20.0,
        grid,
        bars,
    }
}
