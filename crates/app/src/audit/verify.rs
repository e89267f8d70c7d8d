//! Verifying the event log: recompute every entry's hash and its link to the one before, in seq order, and
//! name the first entry that was edited, deleted or reordered.
//!
//! What it cannot see on its own: the newest entries cut off the end (the chain that is left is whole).
//! That is what the head hash printed in every audit report is for: a later log must still contain it
//! (`log verify --head SEQ:HASH`, [`verify_against`]).

use tamim_store::Conn;
use serde::Serialize;
use std::collections::HashMap;

use super::gather::{Gathered, Timelines};
use crate::error::Result;
use tamim_store::events::{self, entry_hash, Event, GENESIS};
use tamim_store::snapshot;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verification {
    pub ok: bool,
    pub entries: i64,
    /// The last entry: its seq and hash (what a printed report quotes).
    pub head_seq: Option<i64>,
    pub head_hash: Option<String>,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    /// The entry named.
    pub seq: i64,
    /// `edited`, `deleted` or `reordered`.
    pub kind: String,
    pub message: String,
}

fn recompute(e: &Event, prev: &str, seq: i64) -> String {
    entry_hash(prev, seq, &e.at, e.document_id, e.delivery_id, &e.kind, &e.detail)
}

/// Walk the whole log. Memory stays small unless a problem is found (then one more pass classifies it).
/// Each entry is hashed from the bytes SQLite holds, without copying them. A log in a file is split into
/// ranges of seq verified at once, each on its own thread and read-only connection, all reading the same
/// committed state (`store::snapshot`; see [`walk`]).
pub fn verify(conn: &Conn) -> Result<Verification> {
    let (_snapshot, spares) = snapshot::begin(conn, threads() - 1)?;
    Ok(verify_in(conn, spares, Witness::default())?.0)
}

/// A head an earlier report printed (`head SEQ HASH`): the log must still hold that entry with that hash.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownHead {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for KnownHead {
    type Err = crate::Error;
    /// `SEQ:HASH` (or `SEQ HASH`, as a report prints it).
    fn from_str(s: &str) -> Result<KnownHead> {
        let bad = || {
            crate::Error::invalid("--head", format!("expected SEQ:HASH, the entry number and 64-digit hash a report prints after \"head\"; got {s:?}"))
        };
        let (seq, hash) = s.trim().split_once([':', ' ']).ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(bad)?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(KnownHead { seq, hash })
    }
}

/// What the log says of each delivery of one document, gathered by the verification's walk (which reads
/// every entry anyway): for delivery `lo + i`, the last move among its events, as `state::move_code`
/// (0: none logged). The audit checks the stored states against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moves {
    doc: i64,
    lo: i64,
    codes: Vec<u8>,
}

/// The bit of a gathered move that says a failure was logged before it (move codes are small).
const FAILED_ONCE: u8 = 0x80;

/// The widest id range of one document's deliveries whose moves are gathered (a byte per id).
const MOVES_SPAN_MAX: i64 = 1 << 26;

impl Moves {
    /// For the deliveries of `doc` with ids `lo..=hi`; none when the range is empty or too wide to hold.
    pub fn for_span(doc: i64, lo: i64, hi: i64) -> Option<Moves> {
        (hi >= lo && hi - lo < MOVES_SPAN_MAX).then(|| Moves { doc, lo, codes: vec![0; (hi - lo + 1) as usize] })
    }

    /// For the deliveries of `doc`, as they are now.
    pub fn for_document(conn: &Conn, doc: i64) -> Result<Option<Moves>> {
        let (lo, hi) = tamim_store::receipts::id_range(conn, doc)?;
        Ok(Moves::for_span(doc, lo, hi))
    }

    fn note(&mut self, e: &events::RawEvent) {
        if e.document_id != Some(self.doc) {
            return;
        }
        let Some(i) = e.delivery_id.and_then(|id| usize::try_from(id - self.lo).ok()).filter(|i| *i < self.codes.len()) else { return };
        let code = crate::ack::state::move_code(e.kind);
        if code != 0 {
            let failed = if crate::ack::state::code_moves_to(code) == Some(crate::ack::state::State::Failed) { FAILED_ONCE } else { 0 };
            self.codes[i] = code | failed | (self.codes[i] & FAILED_ONCE);
        }
    }

    /// Take what a later part of the log says over this (a failure logged in either is kept).
    fn follow(&mut self, later: &Moves) {
        for (a, b) in self.codes.iter_mut().zip(&later.codes) {
            if *b != 0 {
                *a = *b | (*a & FAILED_ONCE);
            }
        }
    }

    /// The state the log's last move gives delivery `id` (none when no move is logged or `id` is not covered).
    pub fn of(&self, id: i64) -> Option<crate::ack::state::State> {
        let i = usize::try_from(id - self.lo).ok()?;
        crate::ack::state::code_moves_to(*self.codes.get(i)? & !FAILED_ONCE)
    }

    /// Whether the log holds a failure for delivery `id`, whatever came after it (a bounce, then a phone call).
    pub fn failed_once(&self, id: i64) -> bool {
        usize::try_from(id - self.lo).ok().and_then(|i| self.codes.get(i)).is_some_and(|c| c & FAILED_ONCE != 0)
    }

    /// The id range covered: `lo` and how many ids.
    pub fn span(&self) -> (i64, usize) {
        (self.lo, self.codes.len())
    }
}

/// [`verify`], and check that the log still holds `known`: what a walk alone cannot see is the newest
/// entries cut off the end, or the whole log re-hashed from some entry on. Either is named as the problem
/// (when the walk found none earlier).
pub fn verify_against(conn: &Conn, known: &KnownHead) -> Result<Verification> {
    let (_snapshot, spares) = snapshot::begin(conn, threads() - 1)?;
    let (mut v, _) = verify_in(conn, spares, Witness::default())?;
    if v.problem.is_none() {
        v.problem = match events::hash_at(conn, known.seq)? {
            None => Some(Problem {
                seq: known.seq,
                kind: "truncated".into(),
                message: format!(
                    "entry {} is gone: the log ends at entry {}, so the entries after it were cut off since the report that printed that head",
                    known.seq,
                    v.head_seq.unwrap_or(0)
                ),
            }),
            Some(h) if h != known.hash => Some(Problem {
                seq: known.seq,
                kind: "rewritten".into(),
                message: format!(
                    "entry {} now has hash {h}, not {} as the report printed: the log was rewritten (edited and re-hashed) at or before it",
                    known.seq, known.hash
                ),
            }),
            Some(_) => None,
        };
        v.ok = v.problem.is_none();
    }
    Ok(v)
}

/// How many threads (each with its connection) a verification uses: the cores, at most 4.
pub fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4)
}

/// What a verification's walk notes of one document on its way (it reads every entry anyway): the last
/// move of each delivery, and each delivery's events as a report shows them.
#[derive(Default)]
pub struct Witness {
    pub moves: Option<Moves>,
    pub events: Option<Gathered>,
}

impl Witness {
    /// Nothing noted yet, for another range of the same walk.
    fn fresh(&self) -> Witness {
        Witness { moves: self.moves.clone(), events: self.events.as_ref().map(Gathered::fresh) }
    }

    fn note(&mut self, e: &events::RawEvent) {
        if let Some(m) = &mut self.moves {
            m.note(e);
        }
        if let Some(g) = &mut self.events {
            g.note(e);
        }
    }
}

/// What the walk noted, all ranges together: the moves (`Moves::of`), and the events grouped by delivery
/// (none when not asked for, or when there were more than gathering holds).
#[derive(Default)]
pub struct Witnessed {
    pub moves: Option<Moves>,
    pub timelines: Option<Timelines>,
}

/// `verify` with the log split into one range more than `spares` (other connections reading what `conn`
/// reads), or fewer when the log is short, noting what `witness` asks for on the way.
fn verify_in(conn: &Conn, mut spares: Vec<Conn>, witness: Witness) -> Verified {
    let last = events::last_seq(conn)?.unwrap_or(0);
    let ranges = spares.len() as i64 + 1;
    let ranges = if last >= 2 * ranges { ranges } else { 1 };
    spares.truncate(ranges as usize - 1);
    // Range k holds seq [start(k), start(k + 1) - 1]; the first also anything below 1, the last anything above.
    let start = |k: i64| 1 + k * last / ranges;
    let parts: Vec<Part> = if ranges == 1 {
        vec![walk(conn, i64::MIN, None, Seed::genesis(), witness)?]
    } else {
        std::thread::scope(|s| -> Result<Vec<Part>> {
            let others: Vec<_> = spares
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let k = i as i64 + 1;
                    let (from, to) = (start(k), (k + 1 < ranges).then(|| start(k + 1) - 1));
                    let witness = witness.fresh();
                    std::thread::Builder::new()
                        .name("tamim-log-verify".into())
                        .spawn_scoped(s, move || -> Result<Part> {
                            let seed = Seed::after(&c, from)?;
                            walk(&c, from, to, seed, witness)
                        })
                        .map_err(|e| crate::Error::Conflict(format!("starting a log verification thread: {e}")))
                })
                .collect::<Result<_>>()?;
            let mut parts = vec![walk(conn, i64::MIN, Some(start(1) - 1), Seed::genesis(), witness)?];
            for t in others {
                parts.push(t.join().unwrap_or_else(|_| Err(crate::Error::Conflict("a log verification thread panicked".into())))?);
            }
            Ok(parts)
        })?
    };
    let entries = parts.iter().map(|p| p.entries).sum();
    let head = parts.iter().rev().find_map(|p| p.last.clone());
    // The ranges in seq order: what a later one says of a delivery comes after what an earlier one says.
    let mut gathered: Option<Moves> = None;
    let mut events = Vec::new();
    let mut bads = Vec::new();
    for p in parts {
        if let Some(m) = p.witness.moves {
            match &mut gathered {
                Some(g) => g.follow(&m),
                None => gathered = Some(m),
            }
        }
        events.extend(p.witness.events);
        bads.extend(p.bad);
    }
    let timelines = Timelines::assemble(events);
    let problem = match bads.into_iter().next() {
        None => None,
        Some(b) => Some(classify(conn, &b.event, b.before, b.expected_seq, &String::from_utf8_lossy(&b.expected_prev))?),
    };
    let (head_seq, head_hash) = match head {
        Some((seq, hash)) => (Some(seq), Some(String::from_utf8_lossy(&hash).into_owned())),
        None => (None, None),
    };
    Ok((Verification { ok: problem.is_none(), entries, head_seq, head_hash, problem }, Witnessed { moves: gathered, timelines }))
}

/// Where a walk starts: the seq and predecessor hash the first entry must have, and the predecessor's seq.
struct Seed {
    expected_seq: i64,
    expected_prev: Vec<u8>,
    prev_seen: Option<i64>,
}

impl Seed {
    fn genesis() -> Seed {
        Seed { expected_seq: 1, expected_prev: GENESIS.as_bytes().to_vec(), prev_seen: None }
    }

    /// A range starting at `from` follows the stored entry `from - 1` (the range before checks that entry;
    /// if it is missing, that range reports it first).
    fn after(conn: &Conn, from: i64) -> Result<Seed> {
        Ok(match events::hash_at(conn, from - 1)? {
            Some(h) => Seed { expected_seq: from, expected_prev: h.into_bytes(), prev_seen: Some(from - 1) },
            None => Seed { expected_seq: from, expected_prev: Vec::new(), prev_seen: None },
        })
    }
}

/// The first entry of a range that does not check, with what the walk expected there.
struct Bad {
    event: Event,
    before: Option<i64>,
    expected_seq: i64,
    expected_prev: Vec<u8>,
}

/// What one range's walk found: entries counted, its last entry, its first problem.
struct Part {
    entries: i64,
    last: Option<(i64, Vec<u8>)>,
    bad: Option<Bad>,
    witness: Witness,
}

/// Check the entries from `from` on, each against its own hash and its predecessor, up to `to` and one
/// entry beyond it (that one is counted by the next range, but checking its link here means a gap at the
/// end of this range is found here, as a single walk would find it).
fn walk(conn: &Conn, from: i64, to: Option<i64>, seed: Seed, witness: Witness) -> Result<Part> {
    let Seed { mut expected_seq, mut expected_prev, mut prev_seen } = seed;
    let mut part = Part { entries: 0, last: None, bad: None, witness };
    let mut hex = [0u8; 64];
    events::for_each_raw(conn, from, |e| {
        let beyond = to.is_some_and(|to| e.seq > to);
        if !beyond {
            part.entries += 1;
            part.witness.note(e);
            match &mut part.last {
                Some((seq, hash)) => {
                    *seq = e.seq;
                    hash.clear();
                    hash.extend_from_slice(e.hash);
                }
                None => part.last = Some((e.seq, e.hash.to_vec())),
            }
        }
        if part.bad.is_none() {
            let mut ok = e.seq == expected_seq && e.prev_hash == expected_prev.as_slice();
            if ok {
                hex::encode_to_slice(e.digest(e.prev_hash, e.seq), &mut hex).expect("64 hex digits for 32 bytes");
                ok = e.hash == hex;
            }
            if ok {
                expected_prev.clear();
                expected_prev.extend_from_slice(&hex);
                expected_seq = e.seq + 1;
                prev_seen = Some(e.seq);
            } else {
                part.bad = Some(Bad { event: e.to_event(), before: prev_seen.take(), expected_seq, expected_prev: expected_prev.clone() });
            }
        }
        Ok::<_, crate::Error>(!beyond)
    })?;
    Ok(part)
}

/// Verify on other threads, on `spares`: connections reading what the caller's reads (from
/// `store::snapshot::begin`; [`threads`] of them is what a verification uses), so an audit's other passes
/// need not wait for it and its result describes the same registry. Without spares (a database in memory),
/// the log is verified on the caller's connection when joined.
/// A verification and, when asked for, what the log says of a document's deliveries.
type Verified = Result<(Verification, Witnessed)>;

pub struct Pending {
    thread: Option<std::thread::JoinHandle<Verified>>,
    witness: Option<Witness>,
}

/// Start verifying on `spares`, noting what `witness` asks for on the way (`Moves::for_document`,
/// `Gathered::new`).
pub fn start(spares: Vec<Conn>, witness: Witness) -> Pending {
    let mut spares = spares.into_iter();
    match spares.next() {
        Some(first) => {
            let rest: Vec<_> = spares.collect();
            // Kept for verifying on the caller's connection should no thread start (the closure is lost then).
            let unstarted = witness.fresh();
            match std::thread::Builder::new().name("tamim-log-verify".into()).spawn(move || verify_in(&first, rest, witness)) {
                Ok(t) => Pending { thread: Some(t), witness: None },
                Err(_) => Pending { thread: None, witness: Some(unstarted) },
            }
        }
        None => Pending { thread: None, witness: Some(witness) },
    }
}

impl Pending {
    /// The verification, and what the log says of the document's deliveries when that was asked for.
    pub fn join(self, conn: &Conn) -> Verified {
        match self.thread {
            Some(t) => t.join().unwrap_or_else(|_| Err(crate::Error::Conflict("the event-log verification thread panicked".into()))),
            None => verify_in(conn, Vec::new(), self.witness.unwrap_or_default()),
        }
    }
}

/// Say what happened at the first entry that does not check.
fn classify(conn: &Conn, e: &Event, before: Option<i64>, expected_seq: i64, expected_prev: &str) -> Result<Problem> {
    let self_consistent = recompute(e, &e.prev_hash, e.seq) == e.hash;
    if e.seq > expected_seq {
        let missing = if e.seq == expected_seq + 1 { format!("entry {expected_seq} is") } else { format!("entries {expected_seq}–{} are", e.seq - 1) };
        return Ok(Problem { seq: expected_seq, kind: "deleted".into(), message: format!("{missing} missing: the log jumps from {} to {}", expected_seq - 1, e.seq) });
    }
    // Does this entry's content belong at another position? Find where its recorded predecessor sits.
    let mut hash_at: HashMap<String, i64> = HashMap::new();
    events::for_each(conn, |x| {
        hash_at.insert(x.hash.clone(), x.seq);
        Ok::<_, crate::Error>(())
    })?;
    // The seq this content was hashed with: right after its recorded predecessor, or near where it sits now.
    let home = |x: &Event| -> Option<i64> {
        let after_prev = if x.prev_hash == GENESIS { Some(1) } else { hash_at.get(&x.prev_hash).map(|p| p + 1) };
        after_prev.into_iter().chain((x.seq - 100).max(1)..=x.seq + 100).find(|s| recompute(x, &x.prev_hash, *s) == x.hash)
    };
    if !self_consistent {
        if let Some(h) = home(e) {
            if h != e.seq {
                return Ok(Problem {
                    seq: e.seq,
                    kind: "reordered".into(),
                    message: format!("entry {} holds the content written as entry {h}: entries were swapped or reordered", e.seq),
                });
            }
        }
        return Ok(Problem {
            seq: e.seq,
            kind: "edited".into(),
            message: format!("entry {} ({}) was edited: its content no longer matches its hash", e.seq, e.kind),
        });
    }
    // The entry checks on its own but does not follow the one before it.
    if e.prev_hash != expected_prev {
        if let Some(b) = before {
            if !hash_at.contains_key(&e.prev_hash) {
                return Ok(Problem {
                    seq: b,
                    kind: "edited".into(),
                    message: format!("entry {b} was edited and re-hashed: entry {} was written after a different entry {b}", e.seq),
                });
            }
        }
        return Ok(Problem {
            seq: e.seq,
            kind: "deleted".into(),
            message: format!("the entry written before entry {} is missing or was replaced", e.seq),
        });
    }
    Ok(Problem { seq: e.seq, kind: "edited".into(), message: format!("entry {} does not check", e.seq) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamim_store::Store;

    /// A log of `n` entries in a registry database file.
    fn log(n: i64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path()).unwrap();
        store
            .write(|tx| {
                let mut chain = events::Chain::load(tx)?;
                for i in 1..=n {
                    chain.append(tx, "2021-11-05T09:00:00Z", None, None, "test.entry", &serde_json::json!({"i": i}))?;
                }
                Ok::<_, crate::Error>(())
            })
            .unwrap();
        (dir, store)
    }

    /// Whatever is done to the log, verifying it in ranges on several threads finds what one walk finds.
    #[test]
    fn ranges_find_what_one_walk_finds() {
        let n = 17;
        let cases: Vec<(String, Box<dyn Fn(&Conn, i64)>)> = vec![
            ("nothing".into(), Box::new(|_, _| {})),
            ("edit".into(), Box::new(|c, s| {
                c.raw_for_tests().execute("UPDATE events SET detail = '{\"i\":0}' WHERE seq = ?1", [s]).unwrap();
            })),
            ("delete".into(), Box::new(|c, s| {
                c.raw_for_tests().execute("DELETE FROM events WHERE seq = ?1", [s]).unwrap();
            })),
            ("delete two".into(), Box::new(|c, s| {
                c.raw_for_tests().execute("DELETE FROM events WHERE seq IN (?1, ?1 + 1)", [s]).unwrap();
            })),
            ("swap".into(), Box::new(|c, s| {
                c.raw_for_tests().execute_batch(&format!(
                    "UPDATE events SET seq = -1 WHERE seq = {s}; UPDATE events SET seq = {s} WHERE seq = {s} + 1;
                     UPDATE events SET seq = {s} + 1 WHERE seq = -1;"
                ))
                .unwrap();
            })),
            ("edit and re-hash".into(), Box::new(|c, s| {
                let (prev, at, kind): (String, String, String) =
                    c.raw_for_tests().query_row("SELECT prev_hash, at, kind FROM events WHERE seq = ?1", [s], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
                let h = events::entry_hash(&prev, s, &at, None, None, &kind, "{\"i\":0}");
                c.raw_for_tests().execute("UPDATE events SET detail = '{\"i\":0}', hash = ?1 WHERE seq = ?2", rusqlite::params![h, s]).unwrap();
            })),
            ("a stray entry 0".into(), Box::new(|c, _| {
                c.raw_for_tests().execute("INSERT INTO events (seq, at, kind, detail, prev_hash, hash) VALUES (0, 'x', 'k', '{}', 'p', 'h')", []).unwrap();
            })),
        ];
        let mut broken = 0;
        for (what, corrupt) in &cases {
            for seq in 1..n {
                let (dir, store) = log(n);
                corrupt(&store.conn, seq);
                let (one, _) = verify_in(&store.conn, Vec::new(), Witness::default()).unwrap();
                if !one.ok {
                    broken += 1;
                }
                for ranges in [2, 3, 7] {
                    let (_snapshot, spares) = snapshot::begin(&store.conn, ranges - 1).unwrap();
                    assert_eq!(spares.len(), ranges - 1);
                    assert_eq!(verify_in(&store.conn, spares, Witness::default()).unwrap().0, one, "{what} at {seq}, {ranges} ranges");
                }
                drop(dir);
            }
        }
        assert!(broken >= (cases.len() - 1) * (n as usize - 2), "the corruptions were found: {broken}");
    }

    /// What the log says of each delivery is the same whether the log is walked once or in ranges: the last
    /// move wins, wherever the ranges split a delivery's events.
    #[test]
    fn gathered_moves_are_the_last_of_each_delivery_in_any_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path()).unwrap();
        let kinds = ["delivery.sent", "delivery.reminded", "delivery.acknowledged", "delivery.failed", "delivery.requeued", "delivery.sent"];
        store
            .write(|tx| {
                let mut chain = events::Chain::load(tx)?;
                for (i, kind) in kinds.iter().cycle().take(40).enumerate() {
                    let delivery = 10 + (i as i64 * 7) % 9;
                    let doc = if i % 5 == 4 { 2 } else { 1 };
                    chain.append(tx, "2021-11-05T09:00:00Z", Some(doc), Some(delivery), kind, &serde_json::json!({"i": i}))?;
                }
                Ok::<_, crate::Error>(())
            })
            .unwrap();
        let conn = &store.conn;
        // Expected: replay doc 1's events in seq order, the last move of each delivery.
        let mut want = std::collections::HashMap::new();
        let mut failed = std::collections::HashSet::new();
        for (i, kind) in kinds.iter().cycle().take(40).enumerate() {
            if i % 5 != 4 && crate::ack::state::moved_to(kind).is_some() {
                want.insert(10 + (i as i64 * 7) % 9, crate::ack::state::moved_to(kind));
            }
            if i % 5 != 4 && *kind == "delivery.failed" {
                failed.insert(10 + (i as i64 * 7) % 9);
            }
        }
        assert!(!failed.is_empty() && failed.len() < 9);
        for ranges in [1, 2, 3, 7] {
            let (_snapshot, spares) = snapshot::begin(conn, ranges - 1).unwrap();
            let (v, noted) = verify_in(conn, spares, Witness { moves: Moves::for_span(1, 10, 18), events: None }).unwrap();
            assert!(v.ok);
            let moves = noted.moves.unwrap();
            for id in 10..=18 {
                assert_eq!(moves.of(id), want.get(&id).copied().flatten(), "delivery {id}, {ranges} ranges");
                assert_eq!(moves.failed_once(id), failed.contains(&id), "delivery {id}, {ranges} ranges");
            }
            assert_eq!((moves.of(9), moves.of(19)), (None, None));
        }
    }
}
