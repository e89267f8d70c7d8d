//! The audited document's events, gathered by the event log's verification walk as each report shows them.
//!
//! An audit verifies the whole log, which reads every entry; the timelines need the document's entries
//! again, grouped by recipient. Reading them twice was the longest part of a large audit, so the walk
//! (each range of the log on its own thread) formats the document's events as it passes them
//! ([`Gathered::note`]) and, once it is done, they are grouped by delivery ([`Timelines::assemble`]) for the
//! writer to put after each recipient. What is held is bounded ([`LIMIT`] bytes across all ranges); past it,
//! gathering stops, the memory is given back, and the report reads the events from the `events_timeline`
//! index instead (same bytes, more time).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::fragment::{Fragments, Shape};
use super::packed::Packed;
use tamim_store::events::RawEvent;
use tamim_store::receipts::EventRow;

/// The bytes an audit's gathered events take by default (the events as shown, and the indexes that find
/// and group them): a million recipients with one and a half million events take about 110 MB as text
/// lines, 105 MB as CSV pieces and about 150 MB packed for the JSON report (`audit::packed`; 270 MB as
/// the objects themselves), so with the rest of the report's work (about 30 MB) an audit stays within its
/// 300 MB. Past it, the events are read again instead.
pub const LIMIT: usize = 224 << 20;

/// The widest id range of one document's deliveries gathered for (a few bytes per id).
const SPAN_MAX: i64 = 1 << 26;

/// How often (in bytes gathered by one range) the shared budget is brought up to date.
const ACCOUNT_EVERY: usize = 1 << 20;

/// The bytes all ranges of one walk have gathered, against the limit.
#[derive(Debug)]
struct Budget {
    limit: usize,
    used: AtomicUsize,
    over: AtomicBool,
}

/// How a range keeps its events: as the text and CSV reports show them, or packed for the JSON report.
enum Keep {
    Shown(Fragments),
    Packed(Packed),
}

/// What one range of the walk gathered: the document's events in seq order, each as its report shows it
/// (or, for JSON, packed).
pub struct Gathered {
    doc: i64,
    lo: i64,
    span: usize,
    shape: Shape,
    keep: Keep,
    budget: Arc<Budget>,
    /// Per event: its delivery (the offset of its id from `lo`) and where its bytes start in `bytes`.
    deliveries: Vec<u32>,
    starts: Vec<u32>,
    bytes: Vec<u8>,
    /// Of `bytes`, how many are counted in the budget.
    counted: usize,
}

impl Gathered {
    /// For the deliveries of `doc` with ids `lo..=hi`, shown as `shape`, holding at most `limit` bytes
    /// (all ranges together); none when the range is empty or too wide.
    pub fn new(doc: i64, lo: i64, hi: i64, shape: Shape, limit: usize) -> Option<Gathered> {
        let limit = limit.min(u32::MAX as usize / 2);
        let span = usize::try_from(hi.checked_sub(lo)?.checked_add(1)?).ok().filter(|_| hi - lo < SPAN_MAX)?;
        // Grouping takes 4 bytes per id of the span, counted from the start.
        let grouping = 4 * span;
        let budget = Budget { limit, used: AtomicUsize::new(grouping), over: AtomicBool::new(grouping > limit) };
        Some(Gathered::empty(doc, lo, span, shape, Arc::new(budget)))
    }

    /// An empty gathering for another range of the same walk (sharing the budget).
    pub fn fresh(&self) -> Gathered {
        Gathered::empty(self.doc, self.lo, self.span, self.shape, self.budget.clone())
    }

    fn empty(doc: i64, lo: i64, span: usize, shape: Shape, budget: Arc<Budget>) -> Gathered {
        Gathered {
            doc,
            lo,
            span,
            shape,
            keep: match shape {
                Shape::Json => Keep::Packed(Packed::default()),
                _ => Keep::Shown(Fragments::new(shape)),
            },
            budget,
            deliveries: Vec::new(),
            starts: Vec::new(),
            bytes: Vec::new(),
            counted: 0,
        }
    }

    /// Whether gathering stopped at the limit (the report then reads the events again).
    pub fn over(&self) -> bool {
        self.budget.over.load(Ordering::Relaxed)
    }

    /// Note one entry of the log (in seq order): kept, as shown or packed, if it is an event of one of the
    /// document's deliveries.
    pub fn note(&mut self, e: &RawEvent) {
        if e.document_id != Some(self.doc) {
            return;
        }
        let Some(id) = e.delivery_id else { return };
        let Some(offset) = usize::try_from(id.wrapping_sub(self.lo)).ok().filter(|o| *o < self.span && id >= self.lo) else { return };
        if self.over() {
            self.give_back();
            return;
        }
        // Checked with SIMD; text that is not UTF-8 (an edited row) shows with replacement characters.
        let text = |b| simdutf8::basic::from_utf8(b).map_or_else(|_| String::from_utf8_lossy(b), std::borrow::Cow::Borrowed);
        let (at, kind, detail) = (text(e.at), text(e.kind), text(e.detail));
        self.deliveries.push(offset as u32);
        self.starts.push(self.bytes.len() as u32);
        let row = EventRow { seq: e.seq, delivery_id: id, at: &at, kind: &kind, detail: &detail };
        match &mut self.keep {
            Keep::Shown(f) => f.push(&mut self.bytes, &row),
            Keep::Packed(p) => p.push(&mut self.bytes, &row),
        }
        // (More often under a small limit, so that one is kept too.)
        if self.held() - self.counted >= ACCOUNT_EVERY.min(self.budget.limit + 1) {
            self.account();
        }
    }

    /// The bytes held: the events, 8 per event to find and group them (and 4 more when grouped), and the
    /// kinds a packing range numbered.
    fn held(&self) -> usize {
        let kinds = match &self.keep {
            Keep::Packed(p) => p.held(),
            Keep::Shown(_) => 0,
        };
        self.bytes.len() + 12 * self.starts.len() + kinds
    }

    /// Add what this range gathered since the last time to the shared count; stop all ranges past the limit.
    fn account(&mut self) {
        let add = self.held() - self.counted;
        self.counted = self.held();
        let used = self.budget.used.fetch_add(add, Ordering::Relaxed) + add;
        if used > self.budget.limit {
            self.budget.over.store(true, Ordering::Relaxed);
            self.give_back();
        }
    }

    fn give_back(&mut self) {
        if self.bytes.capacity() > 0 || self.starts.capacity() > 0 {
            self.bytes = Vec::new();
            self.starts = Vec::new();
            self.deliveries = Vec::new();
        }
        if let Keep::Packed(p) = &mut self.keep {
            *p = Packed::default();
        }
    }
}

/// One range's events: their bytes, where each starts (with its end after the last), and for the JSON
/// report the kinds it numbered.
struct Part {
    bytes: Vec<u8>,
    starts: Vec<u32>,
    packed: Option<Packed>,
}

/// One gathered event: as its report shows it, or packed (`audit::packed`) to be expanded as it is written.
#[derive(Clone, Copy)]
pub struct Event<'a> {
    pub bytes: &'a [u8],
    pub packed: Option<&'a Packed>,
}

/// The gathered events grouped by delivery, each delivery's in seq order.
pub struct Timelines {
    shape: Shape,
    lo: i64,
    parts: Vec<Part>,
    /// The index (over all ranges, in seq order) at which each range's events begin.
    bases: Vec<usize>,
    /// For delivery offset `o`, its events are `order[ends[o - 1]..ends[o]]` (from 0 for the first).
    ends: Vec<u32>,
    order: Vec<u32>,
}

impl Timelines {
    /// Group what the ranges of one walk gathered (given in seq order); none if gathering went over the limit.
    pub fn assemble(parts: Vec<Gathered>) -> Option<Timelines> {
        let first = parts.first()?;
        if parts.iter().any(Gathered::over) {
            return None;
        }
        let (shape, lo, span) = (first.shape, first.lo, first.span);
        let total: usize = parts.iter().map(|p| p.deliveries.len()).sum();
        // A counting sort by delivery, stable, so each delivery's events stay in seq order.
        let mut ends = vec![0u32; span];
        for p in &parts {
            for d in &p.deliveries {
                ends[*d as usize] += 1;
            }
        }
        let mut sum = 0u32;
        for e in ends.iter_mut() {
            let n = *e;
            *e = sum;
            sum += n;
        }
        // `ends[d]` is now where delivery d's events start; filling moves it to where they end.
        let mut order = vec![0u32; total];
        let mut bases = Vec::with_capacity(parts.len());
        let mut kept = Vec::with_capacity(parts.len());
        let mut g = 0usize;
        for p in parts {
            bases.push(g);
            for d in &p.deliveries {
                let at = &mut ends[*d as usize];
                order[*at as usize] = g as u32;
                *at += 1;
                g += 1;
            }
            let Gathered { bytes, mut starts, keep, .. } = p;
            starts.push(bytes.len() as u32);
            let packed = match keep {
                Keep::Packed(p) => Some(p),
                Keep::Shown(_) => None,
            };
            kept.push(Part { bytes, starts, packed });
        }
        Some(Timelines { shape, lo, parts: kept, bases, ends, order })
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The events of delivery `id`, in seq order.
    pub fn events(&self, id: i64) -> impl Iterator<Item = Event<'_>> + '_ {
        let range = usize::try_from(id.wrapping_sub(self.lo))
            .ok()
            .filter(|o| *o < self.ends.len() && id >= self.lo)
            .map_or(0..0, |o| if o == 0 { 0 } else { self.ends[o - 1] as usize }..self.ends[o] as usize);
        self.order[range].iter().map(move |g| {
            let g = *g as usize;
            let p = self.bases.iter().rposition(|b| *b <= g).unwrap_or(0);
            let Part { bytes, starts, packed } = &self.parts[p];
            let i = g - self.bases[p];
            Event { bytes: &bytes[starts[i] as usize..starts[i + 1] as usize], packed: packed.as_ref() }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(seq: i64, doc: Option<i64>, delivery: Option<i64>, at: &'a str, detail: &'a str) -> RawEvent<'a> {
        RawEvent { seq, at: at.as_bytes(), document_id: doc, delivery_id: delivery, kind: b"delivery.sent", detail: detail.as_bytes(), prev_hash: b"", hash: b"" }
    }

    /// Events split over ranges come out per delivery in seq order; other documents' and out-of-range
    /// deliveries' events are left out.
    #[test]
    fn events_come_out_per_delivery_in_seq_order_across_ranges() {
        let first = Gathered::new(7, 10, 14, Shape::Csv, LIMIT).unwrap();
        let mut parts = vec![first.fresh(), first.fresh(), first];
        parts.rotate_right(1);
        let deliveries = [12, 10, 12, 14, 9, 15, 12, 10, 11];
        for (i, d) in deliveries.iter().enumerate() {
            let detail = format!("{{\"reply\":\"r{i}\"}}");
            let e = raw(i as i64 + 1, Some(if i == 5 { 8 } else { 7 }), Some(*d), "2021-11-05T09:00:00Z", &detail);
            parts[i * 3 / deliveries.len()].note(&e);
            // Another document's event for the same delivery id is not ours.
            parts[i * 3 / deliveries.len()].note(&raw(100 + i as i64, Some(8), Some(*d), "x", "{}"));
        }
        let t = Timelines::assemble(parts).unwrap();
        let got = |id: i64| t.events(id).map(|e| String::from_utf8(e.bytes.to_vec()).unwrap()).collect::<Vec<_>>();
        let line = |i: usize| format!("2021-11-05T09:00:00Z sent reply=r{i}");
        assert_eq!(got(10), vec![line(1), line(7)]);
        assert_eq!(got(11), vec![line(8)]);
        assert_eq!(got(12), vec![line(0), line(2), line(6)]);
        assert_eq!(got(13), Vec::<String>::new());
        assert_eq!(got(14), vec![line(3)]);
        assert!(got(9).is_empty() && got(15).is_empty() && got(-1).is_empty());
    }

    /// Past the limit, every range stops and gives its memory back; the report reads the events again.
    #[test]
    fn past_the_limit_nothing_is_kept() {
        let first = Gathered::new(1, 1, 100_000, Shape::Text, 3 * ACCOUNT_EVERY).unwrap();
        let mut parts = vec![first.fresh(), first];
        let detail = format!("{{\"reply\":\"{}\"}}", "x".repeat(200));
        for seq in 1..=40_000 {
            parts[(seq % 2) as usize].note(&raw(seq, Some(1), Some(seq), "2021-11-05T09:00:00Z", &detail));
        }
        assert!(parts.iter().all(Gathered::over));
        assert!(parts.iter().all(|p| p.bytes.capacity() == 0));
        assert!(Timelines::assemble(parts).is_none());
        // Under it, all is kept.
        let first = Gathered::new(1, 1, 100_000, Shape::Text, LIMIT).unwrap();
        let mut parts = vec![first.fresh(), first];
        for seq in 1..=40_000 {
            parts[(seq % 2) as usize].note(&raw(seq, Some(1), Some(seq), "2021-11-05T09:00:00Z", &detail));
        }
        let t = Timelines::assemble(parts).unwrap();
        assert_eq!(t.events(40_000).count(), 1);
        // The kinds a JSON range numbers count too: a few hundred long ones (edited rows) go over the limit.
        let first = Gathered::new(1, 1, 1_000, Shape::Json, 3 * ACCOUNT_EVERY).unwrap();
        let mut parts = vec![first];
        let kinds: Vec<String> = (0..200).map(|i| format!("{i}{}", "k".repeat(64 << 10))).collect();
        for (i, k) in kinds.iter().enumerate() {
            let e = RawEvent { kind: k.as_bytes(), ..raw(i as i64 + 1, Some(1), Some(i as i64 + 1), "2021-11-05T09:00:00Z", "{}") };
            parts[0].note(&e);
        }
        assert!(parts[0].over());
        assert!(Timelines::assemble(parts).is_none());
        assert!(String::from_utf8_lossy(t.events(17).next().unwrap().bytes).starts_with("      05.11.2021 12:00  sent reply=xxx"));
    }
}
