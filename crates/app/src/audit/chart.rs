//! The two charts of an audit — acknowledgement over time (cumulative %, per day) and per level of the chain —
//! as data, drawn in the PDF with rectangles and lines and on the auditor's pages as inline SVG (`tamim-server`'s
//! `chart.rs` and its template).

use super::summary::Summary;

/// Bars with values in percent (0–100) and a label each.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Series {
    pub title: String,
    pub bars: Vec<(String, f64)>,
}

/// Cumulative % acknowledged at the end of each day with acknowledgements (at most 31 bars: later days are merged).
pub fn over_time(s: &Summary) -> Series {
    over_days(s.total, &s.acks_per_day)
}

/// [`over_time`] of `total` recipients and (day, acknowledged that day, so far).
fn over_days(total: i64, days: &[(String, i64, i64)]) -> Series {
    let total = total.max(1) as f64;
    // Day and month, with the year too when the days span more than one (12.11.21 … 28.11.26).
    let year = |d: Option<&(String, i64, i64)>| d.and_then(|d| d.0.get(..4).map(str::to_string));
    let years_differ = year(days.first()) != year(days.last());
    let shown = if years_differ { "%d.%m.%y" } else { "%d.%m" };
    let mut bars: Vec<(String, f64)> = days
        .iter()
        .map(|(day, _, cum)| {
            let label = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(|d| d.format(shown).to_string())
                .unwrap_or_else(|_| day.clone());
            (label, (*cum as f64) * 100.0 / total)
        })
        .collect();
    if bars.len() > 31 {
        let step = bars.len().div_ceil(31);
        bars = bars.chunks(step).filter_map(|c| c.last().cloned()).collect();
    }
    Series {
        title: "Zamana göre tebellüğ (toplam %)".into(),
        bars,
    }
}

pub fn per_level(s: &Summary) -> Series {
    Series {
        title: "Zincir düzeyine göre tebellüğ (%)".into(),
        bars: s
            .levels
            .iter()
            .map(|l| (format!("Düzey {}", l.level), l.percent))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_shown_only_when_the_days_span_more_than_one() {
        let labels = |days: &[&str]| {
            let days: Vec<(String, i64, i64)> = days
                .iter()
                .enumerate()
                .map(|(i, d)| (d.to_string(), 1, i as i64 + 1))
                .collect();
            over_days(10, &days).bars.into_iter().map(|b| b.0).collect::<Vec<_>>()
        };
        assert_eq!(labels(&["2021-11-12", "2021-11-28"]), ["12.11", "28.11"]);
        assert_eq!(labels(&["2021-11-12", "2026-11-28"]), ["12.11.21", "28.11.26"]);
    }
}
