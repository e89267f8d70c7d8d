//! The auditor's report of one issued document: coverage per level of the chain and per office, failures,
//! exemptions, cascade gaps, the chain above with its discrepancies, acknowledgements over time, and the
//! event log's verification. Built in one streaming pass over the deliveries (reading only the columns it
//! needs, nothing allocated per recipient) while the event log is verified on another thread, so a million
//! recipients fit and take little time; the per-recipient timelines are streamed separately (`timelines`).

use tamim_store::Conn;
use chrono::NaiveDate;
use serde::Serialize;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::fragment::Shape;
use super::gather::{Gathered, Timelines};
use super::verify::{self, Verification};
use crate::ack::state;
use crate::ack::status::{deadline, head, percent};
use crate::config::AckSettings;
use crate::error::Result;
use crate::registry::chain::{self, ChainDoc, Discrepancy};
use tamim_store::receipts::{self, SummaryRow, TimelineRow};
use tamim_store::snapshot;
pub use tamim_store::receipts::TimelineColumns;


#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub document: DocInfo,
    pub generated_at: String,
    pub deadline: String,
    pub total: i64,
    pub counts: BTreeMap<String, i64>,
    pub acknowledged: i64,
    pub acknowledged_percent: f64,
    pub late: i64,
    pub levels: Vec<Level>,
    pub offices: Vec<Office>,
    pub failures: Vec<Note>,
    pub exemptions: Vec<Note>,
    pub cascade_gaps: Vec<Gap>,
    pub followons: Vec<Followon>,
    /// The documents above this one (what it cites and carries, to the root).
    pub chain_above: Vec<ChainDoc>,
    pub discrepancies: Vec<Discrepancy>,
    /// (day, acknowledged that day, acknowledged so far).
    pub acks_per_day: Vec<(String, i64, i64)>,
    pub log: Verification,
    /// Deliveries whose stored state the event log does not back (the table edited around the log): how
    /// many (none when it could not be checked: ids spread too wide), and the first `UNBACKED_LISTED` of them.
    pub unbacked_states: Option<i64>,
    pub unbacked: Vec<Unbacked>,
}

/// A delivery whose stored state is not what the last move in its events says.
#[derive(Debug, Clone, Serialize)]
pub struct Unbacked {
    pub recipient: String,
    pub name: String,
    pub office: String,
    pub stored: String,
    /// The state the log's last move gives; none when the log holds no move for it.
    pub logged: Option<String>,
}

/// How many deliveries with a state the log does not back a summary names (it counts them all).
pub const UNBACKED_LISTED: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    pub id: i64,
    pub kind: String,
    pub sayi: Option<String>,
    pub kind_no: Option<String>,
    pub tarih: String,
    pub konu: String,
    pub issuer: Option<String>,
}

/// Coverage at one level of the chain: 1 = our recipients; 2 = the recipients of their follow-ons; …
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub level: i64,
    pub what: String,
    pub recipients: i64,
    pub acknowledged: i64,
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub recipients: i64,
    pub acknowledged: i64,
    pub failed: i64,
    pub exempt: i64,
    pub open: i64,
    pub percent: f64,
}

impl Office {
    /// Add another count of the same office.
    fn take_in(&mut self, o: &Office) {
        self.recipients += o.recipients;
        self.acknowledged += o.acknowledged;
        self.failed += o.failed;
        self.exempt += o.exempt;
        self.open += o.open;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub recipient: String,
    pub name: String,
    pub office: String,
    pub text: String,
    /// For a failure the recipient was reached after (a bounce, then a phone call): the state it is in now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub office: String,
    pub name: String,
    pub duty: String,
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Followon {
    pub recipient: String,
    /// `registered` (#id in this registry) or `reported` (by sayı and date).
    pub source: String,
    pub document: Option<i64>,
    pub sayi: Option<String>,
    pub tarih: Option<String>,
    pub recipients: Option<i64>,
    pub acknowledged: Option<i64>,
}

/// (recipients, acknowledged) of a document.
pub fn doc_counts(conn: &Conn, doc: i64) -> Result<(i64, i64)> {
    let mut total = 0;
    let mut acked = 0;
    for (state, n) in tamim_store::deliveries::counts(conn, doc)? {
        total += n;
        if state == "acknowledged" {
            acked += n;
        }
    }
    Ok((total, acked))
}

/// The audit summary of one document, in one pass over its deliveries, everything (the event log's
/// verification included) read at one committed state.
pub fn summary(conn: &Conn, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Summary> {
    let (_snapshot, log) = begin(conn, doc)?;
    summary_in(conn, doc, cfg, today, log)
}

/// Start reading an audit of `doc`: a read transaction on `conn` (ended when the snapshot is dropped) and the
/// event log's verification under way on other connections reading the same state, gathering what the log
/// says of the document's deliveries.
pub fn begin(conn: &Conn, doc: i64) -> Result<(snapshot::Snapshot<'_>, verify::Pending)> {
    let (snapshot, log, _) = begin_gathering(conn, doc, None, 0)?;
    Ok((snapshot, log))
}

/// [`begin`], the verification's walk also gathering the document's events shown as `shape`, holding at
/// most `limit` bytes of them (`gather::LIMIT`): the timelines a report writes after [`Tally::finish_noted`].
/// Also `readers` more connections reading the same state, for reading the deliveries in parts.
pub fn begin_gathering(
    conn: &Conn,
    doc: i64,
    gather: Option<(Shape, usize)>,
    readers: usize,
) -> Result<(snapshot::Snapshot<'_>, verify::Pending, Vec<Conn>)> {
    let (snapshot, mut spares) = snapshot::begin(conn, verify::threads() + readers)?;
    let readers = spares.split_off(spares.len().saturating_sub(readers));
    let (lo, hi) = receipts::id_range(conn, doc)?;
    let witness = verify::Witness {
        moves: verify::Moves::for_span(doc, lo, hi),
        events: gather.and_then(|(shape, limit)| Gathered::new(doc, lo, hi, shape, limit)),
    };
    Ok((snapshot, verify::start(spares, witness), readers))
}

/// [`summary`] inside the caller's snapshot, the log verified by `log`.
pub fn summary_in(conn: &Conn, doc: i64, cfg: &AckSettings, today: NaiveDate, log: verify::Pending) -> Result<Summary> {
    let mut tally = Tally::start(conn, doc, cfg, today, log)?;
    receipts::for_each_summary_row(conn, doc, |d| tally.add(d, |org| Ok(receipts::org_code_name(conn, org)?)))?;
    tally.finish(conn)
}

/// The summary being built while a document's deliveries stream past: by [`summary`], or by a report
/// that writes every recipient's timeline in the same pass (`render::write_text`). It is started with the
/// event log's verification under way on other connections reading the same state (`verify::start`);
/// finishing waits for that. The deliveries may be counted in parts, consecutive id ranges each on its
/// own thread ([`Tally::parts`], [`Counted::add`], [`Tally::absorb`]).
pub struct Tally {
    head: receipts::DocHead,
    deadline: NaiveDate,
    chain: chain::Chain,
    registered: Vec<(i64, String, Option<String>)>,
    reported: Vec<receipts::FollowonReport>,
    context: Context,
    log: verify::Pending,
    counted: Counted,
}

/// What counting a delivery needs to know of the document (shared by every part of a walk).
pub struct Context {
    followed: HashSet<String>,
    past_deadline: bool,
}

/// What a walk over some of a document's deliveries (in id order) counted.
pub struct Counted {
    counts: FxHashMap<String, i64>,
    /// Offices by org id while walking (code and name looked up once per org), then merged by code.
    org_offices: FxHashMap<i64, (i64, Office)>,
    orgless: Vec<(i64, Office)>,
    failures: Vec<Note>,
    exemptions: Vec<Note>,
    gaps: Vec<Gap>,
    total: i64,
    acked: i64,
    late: i64,
    /// Acknowledgements per UTC day (the first 10 characters of the stored time).
    per_day: FxHashMap<String, i64>,
    /// Each delivery's stored state (1 + its place in `state::ALL`; 0: no delivery), by id from `stored_lo`
    /// (empty when not kept: ids spread too wide).
    stored_lo: i64,
    stored: Vec<u8>,
}

/// A stored state that is none of `state::ALL` (the table edited by hand).
const UNKNOWN_STATE: u8 = u8::MAX;

impl Counted {
    /// Nothing counted yet, for the deliveries with ids `lo..=hi`; keeping their stored states if `keep`.
    fn empty(lo: i64, hi: i64, keep: bool) -> Counted {
        Counted {
            counts: FxHashMap::default(),
            org_offices: FxHashMap::default(),
            orgless: Vec::new(),
            failures: Vec::new(),
            exemptions: Vec::new(),
            gaps: Vec::new(),
            total: 0,
            acked: 0,
            late: 0,
            per_day: FxHashMap::default(),
            stored_lo: lo,
            stored: if keep && hi >= lo { vec![0; (hi - lo + 1) as usize] } else { Vec::new() },
        }
    }

    /// Count one delivery (in delivery id order); `office` names an org (code, name) the first time it is seen.
    pub fn add(&mut self, cx: &Context, d: &SummaryRow, office: impl FnOnce(i64) -> Result<Option<(String, String)>>) -> Result<()> {
        self.total += 1;
        match self.counts.get_mut(d.state) {
            Some(n) => *n += 1,
            None => {
                self.counts.insert(d.state.to_string(), 1);
            }
        }
        if let Some(day) = d.acknowledged_at.map(|t| t.get(..10).unwrap_or(t)) {
            match self.per_day.get_mut(day) {
                Some(n) => *n += 1,
                None => {
                    self.per_day.insert(day.to_string(), 1);
                }
            }
        }
        let known = match d.office {
            Some(org) if !self.org_offices.contains_key(&org) => match office(org)? {
                Some((code, name)) => {
                    self.org_offices.insert(org, (d.id, Office { code, name, ..Default::default() }));
                    Some(org)
                }
                None => None,
            },
            other => other,
        };
        let o = match known {
            Some(org) => &mut self.org_offices.get_mut(&org).expect("inserted above").1,
            None => {
                self.orgless.push((d.id, Office { code: d.recipient_code.to_string(), name: d.name.to_string(), ..Default::default() }));
                &mut self.orgless.last_mut().expect("pushed").1
            }
        };
        o.recipients += 1;
        let note = |text: Option<&str>, office: &str| Note {
            recipient: d.recipient_code.to_string(),
            name: d.name.to_string(),
            office: office.to_string(),
            text: text.unwrap_or_default().to_string(),
            later: None,
        };
        // The stored state, kept (a byte per delivery) to check against what the log says once it is verified.
        if let Some(slot) = usize::try_from(d.id - self.stored_lo).ok().and_then(|i| self.stored.get_mut(i)) {
            *slot = state::State::parse(d.state).map_or(UNKNOWN_STATE, |st| st as u8 + 1);
        }
        match d.state {
            "acknowledged" => {
                o.acknowledged += 1;
                self.acked += 1;
            }
            "failed" => {
                o.failed += 1;
                self.failures.push(note(d.last_reply, &o.code));
            }
            "exempt" => {
                o.exempt += 1;
                self.exemptions.push(note(d.state_reason, &o.code));
            }
            _ => o.open += 1,
        }
        if cx.past_deadline && !matches!(d.state, "acknowledged" | "exempt") {
            self.late += 1;
        }
        if (d.cascade_kind.is_some() || d.cascade_text.is_some()) && !cx.followed.contains(d.recipient_code) {
            self.gaps.push(Gap {
                office: d.recipient_code.to_string(),
                name: d.name.to_string(),
                duty: d.cascade_text.or(d.cascade_kind).unwrap_or_default().to_string(),
                state: d.state.to_string(),
            });
        }
        Ok(())
    }

    /// Take in what a walk over the ids right after these counted.
    fn follow(&mut self, later: Counted) {
        for (k, n) in later.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (k, n) in later.per_day {
            *self.per_day.entry(k).or_default() += n;
        }
        for (org, (first, o)) in later.org_offices {
            match self.org_offices.get_mut(&org) {
                Some((_, m)) => m.take_in(&o),
                None => {
                    self.org_offices.insert(org, (first, o));
                }
            }
        }
        self.orgless.extend(later.orgless);
        self.failures.extend(later.failures);
        self.exemptions.extend(later.exemptions);
        self.gaps.extend(later.gaps);
        self.total += later.total;
        self.acked += later.acked;
        self.late += later.late;
        // The stored states go on where these end; a part that does not (or keeps none) ends the keeping.
        if !self.stored.is_empty() && later.stored_lo == self.stored_lo + self.stored.len() as i64 && !later.stored.is_empty() {
            self.stored.extend(later.stored);
        } else if !later.stored.is_empty() || !self.stored.is_empty() {
            self.stored.clear();
        }
    }
}

impl Tally {
    pub fn start(conn: &Conn, doc: i64, cfg: &AckSettings, today: NaiveDate, log: verify::Pending) -> Result<Tally> {
        let (lo, hi) = receipts::id_range(conn, doc)?;
        let h = head(conn, doc)?;
        let (dl, _) = deadline(&h, cfg);
        let ch = chain::chain(conn, doc)?;
        let registered = receipts::registered_followons(conn, doc)?;
        let reported = receipts::followons(conn, doc)?;
        let followed: HashSet<String> =
            registered.iter().filter_map(|(_, _, org)| org.clone()).chain(reported.iter().map(|r| r.recipient_code.clone())).collect();
        Ok(Tally {
            head: h,
            deadline: dl,
            chain: ch,
            registered,
            reported,
            context: Context { followed, past_deadline: today > dl },
            // The log is verified on other threads meanwhile (it reads every entry: the longest part).
            log,
            counted: Counted::empty(lo, hi, verify::Moves::for_span(doc, lo, hi).is_some()),
        })
    }

    /// Count one delivery (in delivery id order); `office` names an org (code, name) the first time it is seen.
    pub fn add(&mut self, d: &SummaryRow, office: impl FnOnce(i64) -> Result<Option<(String, String)>>) -> Result<()> {
        self.counted.add(&self.context, d, office)
    }

    /// Empty counts for walking the deliveries in parts, one per id range of `ranges` (consecutive, covering
    /// the document's ids in order, none counted yet), with what counting needs; [`Tally::absorb`] takes them back.
    pub fn parts(&self, ranges: &[(i64, i64)]) -> (&Context, Vec<Counted>) {
        let keep = !self.counted.stored.is_empty();
        (&self.context, ranges.iter().map(|(lo, hi)| Counted::empty(*lo, *hi, keep)).collect())
    }

    /// Take in the parts' counts, in id order.
    pub fn absorb(&mut self, parts: Vec<Counted>) {
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else { return };
        let keep = !self.counted.stored.is_empty() && self.counted.total == 0 && first.stored_lo == self.counted.stored_lo;
        let mut merged = first;
        for p in parts {
            merged.follow(p);
        }
        if !keep || merged.stored.len() != self.counted.stored.len() {
            merged.stored.clear();
        }
        if self.counted.total == 0 {
            self.counted = merged;
        } else {
            self.counted.follow(merged);
        }
    }

    /// The summary of what was added, with the chain below and above and the log's verification.
    pub fn finish(self, conn: &Conn) -> Result<Summary> {
        Ok(self.finish_noted(conn)?.0)
    }

    /// [`Tally::finish`], with the timelines the verification's walk gathered (when it was asked to,
    /// `begin_gathering`, and they fitted).
    pub fn finish_noted(self, conn: &Conn) -> Result<(Summary, Option<Timelines>)> {
        let Tally { head: h, deadline: dl, chain: ch, registered, reported, context: _, log, counted } = self;
        let Counted { counts, org_offices, orgless, mut failures, exemptions, mut gaps, total, acked, late, per_day, stored_lo, stored } = counted;
        // One office per code, named as its first recipient (in delivery order) names it.
        let mut firsts: Vec<(i64, Office)> = org_offices.into_values().chain(orgless).collect();
        firsts.sort_by_key(|(first, _)| *first);
        let mut offices: HashMap<String, Office> = HashMap::new();
        for (_, o) in firsts {
            match offices.get_mut(&o.code) {
                Some(m) => m.take_in(&o),
                None => {
                    offices.insert(o.code.clone(), o);
                }
            }
        }
        let mut offices: Vec<Office> = offices.into_values().map(|mut o| { o.percent = percent(o.acknowledged, o.recipients); o }).collect();
        tamim_core::turkish::sort(&mut offices, |o| &o.name);
        tamim_core::turkish::sort(&mut gaps, |g| &g.name);

        // Levels: 1 = ours; below, follow-ons that have deliveries here, and follow-ons reported back.
        let mut levels = vec![Level { level: 1, what: "bu belgenin alıcıları".into(), recipients: total, acknowledged: acked, percent: percent(acked, total) }];
        let mut below: BTreeMap<i64, (i64, i64, Vec<String>)> = BTreeMap::new();
        for cd in ch.documents.iter().filter(|c| c.level > 0) {
            let (t, a) = doc_counts(conn, cd.id)?;
            if t > 0 {
                let e = below.entry(cd.level + 1).or_default();
                e.0 += t;
                e.1 += a;
                e.2.push(format!("#{}", cd.id));
            }
        }
        for r in &reported {
            let e = below.entry(2).or_default();
            e.0 += r.recipients.unwrap_or(0);
            e.1 += r.acknowledged.unwrap_or(0);
            e.2.push(format!("{} {}", r.recipient_code, r.sayi));
        }
        for (level, (t, a, what)) in below {
            levels.push(Level { level, what: format!("ilgili yazılar: {}", what.join(", ")), recipients: t, acknowledged: a, percent: percent(a, t) });
        }

        let mut followons: Vec<Followon> = registered
            .iter()
            .map(|(id, _, org)| {
                let (t, a) = doc_counts(conn, *id).unwrap_or((0, 0));
                let info = receipts::doc_head(conn, *id).ok().flatten();
                Followon {
                    recipient: org.clone().unwrap_or_default(),
                    source: "registered".into(),
                    document: Some(*id),
                    sayi: info.as_ref().and_then(|i| i.sayi.clone()),
                    tarih: info.map(|i| i.tarih),
                    recipients: (t > 0).then_some(t),
                    acknowledged: (t > 0).then_some(a),
                }
            })
            .collect();
        followons.extend(reported.iter().map(|r| Followon {
            recipient: r.recipient_code.clone(),
            source: "reported".into(),
            document: None,
            sayi: Some(r.sayi.clone()),
            tarih: Some(r.tarih.clone()),
            recipients: r.recipients,
            acknowledged: r.acknowledged,
        }));

        let mut cum = 0;
        let acks_per_day = per_day
            .into_iter()
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .map(|(d, n)| {
                cum += n;
                (d, n, cum)
            })
            .collect();
        let (log, noted) = log.join(conn)?;
        let (unbacked_states, unbacked) = match noted.moves.as_ref().filter(|m| m.span() == (stored_lo, stored.len())) {
            Some(m) => {
                failures.extend(failed_then_reached(conn, stored_lo, &stored, m)?);
                unbacked_by_log(conn, stored_lo, &stored, m)?
            }
            None => (None, Vec::new()),
        };
        let summary = Summary {
            document: DocInfo { id: h.id, kind: h.kind, sayi: h.sayi, kind_no: h.kind_no, tarih: h.tarih, konu: h.konu, issuer: h.issuer },
            generated_at: tamim_store::now_text(),
            deadline: dl.format("%Y-%m-%d").to_string(),
            total,
            counts: counts.into_iter().collect(),
            acknowledged: acked,
            acknowledged_percent: percent(acked, total),
            late,
            levels,
            offices,
            failures,
            exemptions,
            cascade_gaps: gaps,
            followons,
            chain_above: ch.documents.iter().filter(|c| c.level < 0).cloned().collect(),
            discrepancies: ch.discrepancies.clone(),
            acks_per_day,
            log,
            unbacked_states,
            unbacked,
        };
        Ok((summary, noted.timelines))
    }
}

/// The failures the recipient was reached after (the log holds a failure; the stored state moved on): each
/// with the reply it failed with and the state it is in now. A bounce stays on the record.
fn failed_then_reached(conn: &Conn, lo: i64, stored: &[u8], log: &verify::Moves) -> Result<Vec<Note>> {
    let mut notes = Vec::new();
    for (i, code) in stored.iter().enumerate().filter(|(_, c)| **c != 0) {
        let id = lo + i as i64;
        let now = state::ALL.get(*code as usize - 1).copied();
        if !log.failed_once(id) || matches!(now, Some(state::State::Failed | state::State::Queued | state::State::Sending)) {
            continue;
        }
        let Some(l) = receipts::delivery_label(conn, id)? else { continue };
        let later = Some(now.map_or("(not a state)", |s| s.as_str()).to_string());
        notes.push(Note { recipient: l.recipient, name: l.name, office: l.office, text: l.last_reply.unwrap_or_default(), later });
    }
    Ok(notes)
}

/// The deliveries whose stored state (`stored`, by id from `lo`) is not what the log's last move says: how
/// many, and the first `UNBACKED_LISTED` of them named.
fn unbacked_by_log(conn: &Conn, lo: i64, stored: &[u8], log: &verify::Moves) -> Result<(Option<i64>, Vec<Unbacked>)> {
    let mut count = 0;
    let mut listed = Vec::new();
    for (i, code) in stored.iter().enumerate().filter(|(_, c)| **c != 0) {
        let id = lo + i as i64;
        let stored_state = state::ALL.get(*code as usize - 1).map_or("(not a state)", |s| s.as_str());
        let logged = log.of(id);
        if state::agrees_with_log(stored_state, logged) {
            continue;
        }
        count += 1;
        if listed.len() < UNBACKED_LISTED {
            let Some(l) = receipts::delivery_label(conn, id)? else { continue };
            listed.push(Unbacked { recipient: l.recipient, name: l.name, office: l.office, stored: stored_state.to_string(), logged: logged.map(|s| s.as_str().to_string()) });
        }
    }
    Ok((Some(count), listed))
}

/// Stream every recipient's timeline (deliveries in id order, each with its events), borrowed.
pub fn timelines(conn: &Conn, doc: i64, columns: TimelineColumns, f: impl FnMut(&TimelineRow) -> Result<()>) -> Result<()> {
    receipts::for_each_timeline(conn, doc, columns, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting the deliveries in parts (consecutive id ranges) and taking the parts in order gives what
    /// one walk counts: the same counts, offices (with the id that first named each), notes in the same
    /// order, and the stored states.
    #[test]
    fn counts_in_parts_are_the_counts_of_one_walk() {
        let cx = Context { followed: HashSet::from(["R7".to_string()]), past_deadline: true };
        let states = ["acknowledged", "sent", "failed", "exempt", "received", "bogus"];
        // (id, office, code, name, state, acknowledged at)
        type Row<'a> = (i64, Option<i64>, String, String, &'a str, Option<String>);
        let rows: Vec<Row> = (100..400)
            .map(|id| {
                let office = (id % 11 != 0).then_some(id % 5);
                let ack = (id % 6 == 0).then(|| format!("2021-11-{:02}T10:00:00Z", 1 + id % 4));
                (id, office, format!("R{}", id % 13), format!("Ad {id}"), states[(id % 6) as usize], ack)
            })
            .collect();
        let walk = |counted: &mut Counted, lo: i64, hi: i64| {
            for (id, office, code, name, state, ack) in rows.iter().filter(|r| (lo..=hi).contains(&r.0)) {
                let d = SummaryRow {
                    id: *id,
                    office: *office,
                    recipient_code: code,
                    name,
                    state,
                    last_reply: Some("550 no"),
                    state_reason: Some("izinli"),
                    cascade_kind: (id % 7 == 0).then_some("duyurulacak"),
                    cascade_text: None,
                    acknowledged_at: ack.as_deref(),
                };
                counted.add(&cx, &d, |org| Ok(Some((format!("ODA-{org}"), format!("Oda {org} (first named by {id})"))))).unwrap();
            }
        };
        let mut one = Counted::empty(100, 399, true);
        walk(&mut one, 100, 399);
        for cuts in [vec![100, 400], vec![100, 101, 400], vec![100, 250, 251, 300, 400], vec![100, 399, 400]] {
            let mut parts: Vec<Counted> = cuts.windows(2).map(|w| Counted::empty(w[0], w[1] - 1, true)).collect();
            for (p, w) in parts.iter_mut().zip(cuts.windows(2)) {
                walk(p, w[0], w[1] - 1);
            }
            let mut merged = parts.remove(0);
            for p in parts {
                merged.follow(p);
            }
            let key = |c: &Counted| {
                let mut offices: Vec<_> = c.org_offices.iter().map(|(k, (first, o))| (*k, *first, o.name.clone(), o.recipients, o.acknowledged, o.failed, o.exempt, o.open)).collect();
                offices.sort();
                let notes = |v: &[Note]| v.iter().map(|n| format!("{} {} {}", n.recipient, n.office, n.text)).collect::<Vec<_>>();
                let mut counts: Vec<_> = c.counts.iter().collect();
                counts.sort();
                let mut days: Vec<_> = c.per_day.iter().collect();
                days.sort();
                format!(
                    "{counts:?} {days:?} {offices:?} {:?} {:?} {:?} {:?} {} {} {} {} {:?}",
                    c.orgless.iter().map(|(id, o)| (id, &o.code)).collect::<Vec<_>>(),
                    notes(&c.failures),
                    notes(&c.exemptions),
                    c.gaps.iter().map(|g| (&g.office, &g.state)).collect::<Vec<_>>(),
                    c.total,
                    c.acked,
                    c.late,
                    c.stored_lo,
                    c.stored
                )
            };
            assert_eq!(key(&merged), key(&one), "cut at {cuts:?}");
        }
        assert_eq!(one.stored.len(), 300);
        assert!(one.stored.iter().all(|b| *b != 0) && one.stored.contains(&UNKNOWN_STATE));
        // A part that does not go on where the others end keeps no stored states (nothing is checked then).
        let mut a = Counted::empty(100, 199, true);
        walk(&mut a, 100, 199);
        let mut b = Counted::empty(201, 399, true);
        walk(&mut b, 201, 399);
        a.follow(b);
        assert!(a.stored.is_empty());
    }
}
