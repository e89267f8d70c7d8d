//! The audit summary of one issued document: coverage per level of the chain and per office, failures,
//! exemptions, cascade gaps, follow-ons, the chain above with its discrepancies, acknowledgements per day,
//! the event log's verification, and the deliveries whose stored state the log does not back. Counted as
//! the deliveries stream past, each with its events (`store::audit`).

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use tamim_store::Conn;

use super::verify::Verification;
use crate::ack::state::{self, State};
use crate::ack::status::{deadline, head, percent};
use crate::config::AckSettings;
use crate::error::Result;
use crate::registry::chain::{self, ChainDoc, Discrepancy};
use tamim_store::audit::{Recipient, TimelineEvent};
use tamim_store::receipts;

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
    /// many (always counted; an `Option` for the JSON report's sake), and the first `UNBACKED_LISTED` of them.
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
fn doc_counts(conn: &Conn, doc: i64) -> Result<(i64, i64)> {
    use tamim_store::deliveries::{count_for, count_in};
    Ok((count_for(conn, doc)?, count_in(conn, doc, State::Acknowledged)?))
}

/// What counting a delivery needs to know of its document, and what the summary says of the document.
pub(super) struct Context {
    head: receipts::DocHead,
    deadline: NaiveDate,
    past_deadline: bool,
    chain: chain::Chain,
    registered: Vec<(i64, String, Option<String>)>,
    reported: Vec<receipts::FollowonReport>,
    /// The recipients known to have passed the document on.
    followed: HashSet<String>,
}

impl Context {
    /// `doc`'s (an error when it was not issued and sent by this office).
    pub(super) fn load(conn: &Conn, doc: i64, cfg: &AckSettings, today: NaiveDate) -> Result<Context> {
        let head = head(conn, doc)?;
        let (deadline, _) = deadline(&head, cfg);
        let registered = receipts::registered_followons(conn, doc)?;
        let reported = receipts::followons(conn, doc)?;
        let followed = registered
            .iter()
            .filter_map(|(_, _, org)| org.clone())
            .chain(reported.iter().map(|r| r.recipient_code.clone()))
            .collect();
        Ok(Context {
            head,
            deadline,
            past_deadline: today > deadline,
            chain: chain::chain(conn, doc)?,
            registered,
            reported,
            followed,
        })
    }
}

/// What a pass over some of the deliveries (in id order) counts. A document's deliveries may be counted
/// in parts, consecutive id ranges each on its own thread, taken back in order ([`Tally::follow`]).
#[derive(Default)]
pub(super) struct Tally {
    counts: BTreeMap<String, i64>,
    /// Offices in the order their first recipient comes, found by code (an org's, else the recipient's own).
    offices: Vec<Office>,
    office_at: HashMap<String, usize>,
    failures: Vec<Note>,
    /// Failures the recipient was reached after (listed after the failures).
    reached_later: Vec<Note>,
    exemptions: Vec<Note>,
    gaps: Vec<Gap>,
    pub(super) total: i64,
    pub(super) acked: i64,
    late: i64,
    /// Acknowledgements per UTC day (the first 10 characters of the stored time).
    per_day: BTreeMap<String, i64>,
    unbacked_states: i64,
    unbacked: Vec<Unbacked>,
}

impl Tally {
    /// Take in what a pass over the ids right after these counted.
    pub(super) fn follow(&mut self, later: Tally) {
        for (k, n) in later.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (k, n) in later.per_day {
            *self.per_day.entry(k).or_default() += n;
        }
        for o in later.offices {
            match self.office_at.get(&o.code) {
                Some(i) => {
                    let m = &mut self.offices[*i];
                    m.recipients += o.recipients;
                    m.acknowledged += o.acknowledged;
                    (m.failed, m.exempt, m.open) = (m.failed + o.failed, m.exempt + o.exempt, m.open + o.open);
                }
                None => {
                    self.office_at.insert(o.code.clone(), self.offices.len());
                    self.offices.push(o);
                }
            }
        }
        self.failures.extend(later.failures);
        self.reached_later.extend(later.reached_later);
        self.exemptions.extend(later.exemptions);
        self.gaps.extend(later.gaps);
        (self.total, self.acked, self.late) = (
            self.total + later.total,
            self.acked + later.acked,
            self.late + later.late,
        );
        self.unbacked_states += later.unbacked_states;
        self.unbacked.extend(later.unbacked);
        self.unbacked.truncate(UNBACKED_LISTED);
    }

    /// Count one delivery (in id order) with its events.
    pub(super) fn add(&mut self, cx: &Context, r: &Recipient, events: &[TimelineEvent]) {
        let (followed, past_deadline) = (&cx.followed, cx.past_deadline);
        let d = &r.delivery;
        self.total += 1;
        *self.counts.entry(d.state.to_string()).or_default() += 1;
        if let Some(t) = d.acknowledged_at {
            *self.per_day.entry(t.get(..10).unwrap_or(t).to_string()).or_default() += 1;
        }
        let (code, name) = r.office.unwrap_or((d.recipient_code, d.name));
        let i = match self.office_at.get(code) {
            Some(i) => *i,
            None => {
                self.offices.push(Office {
                    code: code.to_string(),
                    name: name.to_string(),
                    ..Default::default()
                });
                self.office_at.insert(code.to_string(), self.offices.len() - 1);
                self.offices.len() - 1
            }
        };
        let o = &mut self.offices[i];
        o.recipients += 1;
        let note = |text: Option<&str>, later: Option<&str>| Note {
            recipient: d.recipient_code.to_string(),
            name: d.name.to_string(),
            office: code.to_string(),
            text: text.unwrap_or_default().to_string(),
            later: later.map(str::to_string),
        };
        match d.state {
            State::Acknowledged => {
                o.acknowledged += 1;
                self.acked += 1;
            }
            State::Failed => {
                o.failed += 1;
                self.failures.push(note(d.last_reply, None));
            }
            State::Exempt => {
                o.exempt += 1;
                self.exemptions.push(note(r.extra.state_reason, None));
            }
            _ => o.open += 1,
        }
        if past_deadline && !matches!(d.state, State::Acknowledged | State::Exempt) {
            self.late += 1;
        }
        if (d.cascade_kind.is_some() || d.cascade_text.is_some()) && !followed.contains(d.recipient_code) {
            self.gaps.push(Gap {
                office: d.recipient_code.to_string(),
                name: d.name.to_string(),
                duty: d.cascade_text.or(d.cascade_kind).unwrap_or_default().to_string(),
                state: d.state.to_string(),
            });
        }
        // What the log says: the last move among its events, and whether one of them was a failure.
        let last = events.iter().rev().find_map(|e| state::moved_to(&e.kind));
        let failed_once = events.iter().any(|e| state::moved_to(&e.kind) == Some(State::Failed));
        let stored = d.state;
        let shown = stored.as_str();
        if failed_once && !matches!(stored, State::Failed | State::Queued | State::Sending) {
            // A bounce stays on the record when the recipient is reached another way afterwards.
            self.reached_later.push(note(d.last_reply, Some(shown)));
        }
        if !state::agrees_with_log(shown, last) {
            self.unbacked_states += 1;
            if self.unbacked.len() < UNBACKED_LISTED {
                self.unbacked.push(Unbacked {
                    recipient: d.recipient_code.to_string(),
                    name: d.name.to_string(),
                    office: code.to_string(),
                    stored: shown.to_string(),
                    logged: last.map(|s| s.as_str().to_string()),
                });
            }
        }
    }
}

/// The summary: what `tally` counted of the document's deliveries, with the chain below and above, and
/// `log`, the event log's verification (all read at the same committed state: the caller's).
pub(super) fn finish(conn: &Conn, cx: Context, tally: Tally, log: Verification) -> Result<Summary> {
    let (h, dl, ch, mut t) = (cx.head, cx.deadline, cx.chain, tally);
    t.failures.extend(t.reached_later);
    for o in &mut t.offices {
        o.percent = percent(o.acknowledged, o.recipients);
    }
    tamim_core::turkish::sort(&mut t.offices, |o| &o.name);
    tamim_core::turkish::sort(&mut t.gaps, |g| &g.name);

    // Levels: 1 = ours; below, follow-ons that have deliveries here, and follow-ons reported back.
    let mut levels = vec![Level {
        level: 1,
        what: "bu belgenin alıcıları".into(),
        recipients: t.total,
        acknowledged: t.acked,
        percent: percent(t.acked, t.total),
    }];
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
    for r in &cx.reported {
        let e = below.entry(2).or_default();
        e.0 += r.recipients.unwrap_or(0);
        e.1 += r.acknowledged.unwrap_or(0);
        e.2.push(format!("{} {}", r.recipient_code, r.sayi));
    }
    for (level, (t, a, what)) in below {
        levels.push(Level {
            level,
            what: format!("ilgili yazılar: {}", what.join(", ")),
            recipients: t,
            acknowledged: a,
            percent: percent(a, t),
        });
    }

    let mut followons = Vec::new();
    for (id, _, org) in &cx.registered {
        let (t, a) = doc_counts(conn, *id)?;
        let info = receipts::doc_head(conn, *id)?;
        followons.push(Followon {
            recipient: org.clone().unwrap_or_default(),
            source: "registered".into(),
            document: Some(*id),
            sayi: info.as_ref().and_then(|i| i.sayi.clone()),
            tarih: info.map(|i| i.tarih),
            recipients: (t > 0).then_some(t),
            acknowledged: (t > 0).then_some(a),
        });
    }
    followons.extend(cx.reported.iter().map(|r| Followon {
        recipient: r.recipient_code.clone(),
        source: "reported".into(),
        document: None,
        sayi: Some(r.sayi.clone()),
        tarih: Some(r.tarih.clone()),
        recipients: r.recipients,
        acknowledged: r.acknowledged,
    }));

    let mut cum = 0;
    let acks_per_day = t
        .per_day
        .into_iter()
        .map(|(d, n)| {
            cum += n;
            (d, n, cum)
        })
        .collect();
    Ok(Summary {
        document: DocInfo {
            id: h.id,
            kind: h.kind,
            sayi: h.sayi,
            kind_no: h.kind_no,
            tarih: h.tarih,
            konu: h.konu,
            issuer: h.issuer,
        },
        generated_at: tamim_store::now_text(),
        deadline: dl.format("%Y-%m-%d").to_string(),
        total: t.total,
        counts: t.counts,
        acknowledged: t.acked,
        acknowledged_percent: percent(t.acked, t.total),
        late: t.late,
        levels,
        offices: t.offices,
        failures: t.failures,
        exemptions: t.exemptions,
        cascade_gaps: t.gaps,
        followons,
        chain_above: ch.documents.iter().filter(|c| c.level < 0).cloned().collect(),
        discrepancies: ch.discrepancies.clone(),
        acks_per_day,
        log,
        unbacked_states: Some(t.unbacked_states),
        unbacked: t.unbacked,
    })
}
