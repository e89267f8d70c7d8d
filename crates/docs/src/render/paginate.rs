//! Assembles the whole flow of a letter and breaks it into pages: heading fields on page 1,
//! signature/ek/dağıtım on the last page with at least two body lines, long lists moved to
//! their own pages.

use super::blocks::{dagitim_list_page, dagitim_rows, ek_list_page, ek_rows, signature_rows};
use super::layout::{body_rows, header_rows, Ctx, Row};
use super::letter::Letter;

/// Keep id of the tail (last body lines + signatures + ek + dağıtım).
const TAIL: u32 = 1;

/// One laid-out page: rows with the y of their top edge.
pub(crate) type PageRows = Vec<(f32, Row)>;

/// Builds the flow and paginates it between `top` and `bottom` (the footer's top).
pub(crate) fn layout_pages(c: &Ctx, l: &Letter, top: f32, bottom: f32) -> Vec<PageRows> {
    let avail = bottom - top;
    let header = header_rows(c, l);
    let body = body_rows(c, l);
    // When the tail does not fit one page, move the longer list to its own page first.
    let height = |rows: Vec<Row>| rows.iter().map(|r| r.height).sum::<f32>();
    let ek = l.ek.as_ref().filter(|e| e.items.len() > 1);
    let ek_h = ek.map_or(0.0, |e| height(ek_rows(c, e, false)));
    let dag_h = if l.dagitim.is_empty() {
        0.0
    } else {
        height(dagitim_rows(c, &l.dagitim, false))
    };
    let mut order = Vec::new();
    if ek.is_some() {
        order.push((ek_h, true));
    }
    if dag_h > 0.0 {
        order.push((dag_h, false));
    }
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut short_ek, mut short_dag) = (false, false);
    let mut order = order.into_iter();
    loop {
        let (flow, tail_h) = assemble(c, l, &header, &body, short_ek, short_dag);
        if tail_h > avail {
            if let Some((_, is_ek)) = order.next() {
                if is_ek {
                    short_ek = true;
                } else {
                    short_dag = true;
                }
                continue;
            }
        }
        return paginate(flow, top, bottom);
    }
}

/// The full flow and the height of the tail that must share one page.
fn assemble(c: &Ctx, l: &Letter, header: &[Row], body: &[Row], short_ek: bool, short_dag: bool) -> (Vec<Row>, f32) {
    let mut flow: Vec<Row> = header.to_vec();
    let body_start = flow.len();
    flow.extend(body.iter().cloned());
    // Carry the last two body lines with the signature.
    let mut marked = 0;
    let mut i = flow.len();
    while i > body_start && marked < 2 {
        i -= 1;
        if flow[i].body {
            marked += 1;
        }
    }
    let mut tail_start = if marked > 0 { i } else { flow.len() };
    // Do not split the block those lines belong to if that would leave one line behind.
    while tail_start > body_start
        && tail_start < flow.len()
        && flow[tail_start].keep.is_some()
        && flow[tail_start - 1].keep == flow[tail_start].keep
    {
        tail_start -= 1;
    }
    flow.extend(signature_rows(c, &l.signatories));
    if let Some(ek) = l.ek.as_ref().filter(|e| !e.items.is_empty()) {
        flow.extend(ek_rows(c, ek, short_ek));
    }
    if !l.dagitim.is_empty() {
        flow.extend(dagitim_rows(c, &l.dagitim, short_dag));
    }
    let mut tail_h = 0.0;
    for r in flow[tail_start..].iter_mut() {
        r.keep = Some(TAIL);
        tail_h += r.height;
    }
    if let (true, Some(ek)) = (short_ek, l.ek.as_ref()) {
        flow.extend(ek_list_page(c, ek));
    }
    if short_dag {
        flow.extend(dagitim_list_page(c, &l.dagitim));
    }
    (flow, tail_h)
}

/// Greedy pagination of rows; rows sharing a `keep` id move together when they fit a page.
pub(crate) fn paginate(rows: Vec<Row>, top: f32, bottom: f32) -> Vec<PageRows> {
    let mut pages: Vec<PageRows> = vec![Vec::new()];
    let mut y = top;
    let mut units: Vec<Vec<Row>> = Vec::new();
    for r in rows {
        match (units.last_mut(), r.keep) {
            (Some(u), Some(k)) if u.last().and_then(|x| x.keep) == Some(k) && !r.break_before => u.push(r),
            _ => units.push(vec![r]),
        }
    }
    for unit in units {
        let h: f32 = unit.iter().map(|r| r.height).sum();
        let page_empty = pages.last().is_none_or(|p| p.is_empty());
        let forced = unit.first().is_some_and(|r| r.break_before);
        if (forced || y + h > bottom + 0.01) && !page_empty && h <= bottom - top {
            pages.push(Vec::new());
            y = top;
        }
        for r in unit {
            let page_empty = pages.last().is_none_or(|p| p.is_empty());
            if (r.break_before || y + r.height > bottom + 0.01) && !page_empty {
                pages.push(Vec::new());
                y = top;
            }
            let page_empty = pages.last().is_none_or(|p| p.is_empty());
            if r.spacer && page_empty && pages.len() > 1 {
                continue;
            }
            let h = r.height;
            if let Some(p) = pages.last_mut() {
                p.push((y, r));
            }
            y += h;
        }
    }
    pages.retain(|p| !p.is_empty());
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}
