//! Verifying the event log: recompute every entry's hash and its link to the one before, in seq order, and
//! name the first entry that was edited, deleted or reordered.
//!
//! What it cannot see on its own: the newest entries cut off the end (the chain that is left is whole).
//! That is what the head hash printed in every audit report is for: a later log must still contain it
//! (`log verify --head SEQ:HASH`, [`verify_against`]).
//!
//! The security-critical part of the audit, and nothing else: the report only formats what it returns.

use serde::Serialize;
use std::collections::HashMap;
use tamim_store::Conn;

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
    verify_in(conn, spares)
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
            crate::Error::invalid(
                "--head",
                format!(
                    "expected SEQ:HASH, the entry number and 64-digit hash a report prints after \"head\"; got {s:?}"
                ),
            )
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

/// [`verify`], and check that the log still holds `known`: what a walk alone cannot see is the newest
/// entries cut off the end, or the whole log re-hashed from some entry on. Either is named as the problem
/// (when the walk found none earlier).
pub fn verify_against(conn: &Conn, known: &KnownHead) -> Result<Verification> {
    let (_snapshot, spares) = snapshot::begin(conn, threads() - 1)?;
    let mut v = verify_in(conn, spares)?;
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
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// `verify` with the log split into one range more than `spares` (other connections reading what `conn`
/// reads, `store::snapshot::begin`), or fewer when the log is short.
pub fn verify_in(conn: &Conn, mut spares: Vec<Conn>) -> Result<Verification> {
    let last = events::last_seq(conn)?.unwrap_or(0);
    let ranges = spares.len() as i64 + 1;
    let ranges = if last >= 2 * ranges { ranges } else { 1 };
    spares.truncate(ranges as usize - 1);
    // Range k holds seq [start(k), start(k + 1) - 1]; the first also anything below 1, the last anything above.
    let start = |k: i64| 1 + k * last / ranges;
    let parts: Vec<Part> = if ranges == 1 {
        vec![walk(conn, i64::MIN, None, Seed::genesis())?]
    } else {
        std::thread::scope(|s| -> Result<Vec<Part>> {
            let others: Vec<_> = spares
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let k = i as i64 + 1;
                    let (from, to) = (start(k), (k + 1 < ranges).then(|| start(k + 1) - 1));
                    std::thread::Builder::new()
                        .name("tamim-log-verify".into())
                        .spawn_scoped(s, move || -> Result<Part> {
                            let seed = Seed::after(&c, from)?;
                            walk(&c, from, to, seed)
                        })
                        .map_err(|e| crate::Error::runtime("starting a log verification thread", e))
                })
                .collect::<Result<_>>()?;
            let mut parts = vec![walk(conn, i64::MIN, Some(start(1) - 1), Seed::genesis())?];
            for t in others {
                parts
                    .push(t.join().unwrap_or_else(|_| {
                        Err(crate::Error::Internal("a log verification thread panicked".into()))
                    })?);
            }
            Ok(parts)
        })?
    };
    let entries = parts.iter().map(|p| p.entries).sum();
    let head = parts.iter().rev().find_map(|p| p.last.clone());
    // The first problem in seq order is the one named.
    let problem = match parts.into_iter().find_map(|p| p.bad) {
        None => None,
        Some(b) => Some(classify(
            conn,
            &b.event,
            b.before,
            b.expected_seq,
            &String::from_utf8_lossy(&b.expected_prev),
        )?),
    };
    let (head_seq, head_hash) = match head {
        Some((seq, hash)) => (Some(seq), Some(String::from_utf8_lossy(&hash).into_owned())),
        None => (None, None),
    };
    Ok(Verification {
        ok: problem.is_none(),
        entries,
        head_seq,
        head_hash,
        problem,
    })
}

/// Where a walk starts: the seq and predecessor hash the first entry must have, and the predecessor's seq.
struct Seed {
    expected_seq: i64,
    expected_prev: Vec<u8>,
    prev_seen: Option<i64>,
}

impl Seed {
    fn genesis() -> Seed {
        Seed {
            expected_seq: 1,
            expected_prev: GENESIS.as_bytes().to_vec(),
            prev_seen: None,
        }
    }

    /// A range starting at `from` follows the stored entry `from - 1` (the range before checks that entry;
    /// if it is missing, that range reports it first).
    fn after(conn: &Conn, from: i64) -> Result<Seed> {
        Ok(match events::hash_at(conn, from - 1)? {
            Some(h) => Seed {
                expected_seq: from,
                expected_prev: h.into_bytes(),
                prev_seen: Some(from - 1),
            },
            None => Seed {
                expected_seq: from,
                expected_prev: Vec::new(),
                prev_seen: None,
            },
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
}

/// Check the entries from `from` on, each against its own hash and its predecessor, up to `to` and one
/// entry beyond it (that one is counted by the next range, but checking its link here means a gap at the
/// end of this range is found here, as a single walk would find it).
fn walk(conn: &Conn, from: i64, to: Option<i64>, seed: Seed) -> Result<Part> {
    let Seed {
        mut expected_seq,
        mut expected_prev,
        mut prev_seen,
    } = seed;
    let mut part = Part {
        entries: 0,
        last: None,
        bad: None,
    };
    let mut hex = [0u8; 64];
    events::for_each_raw(conn, from, |e| {
        let beyond = to.is_some_and(|to| e.seq > to);
        if !beyond {
            part.entries += 1;
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
                part.bad = Some(Bad {
                    event: e.to_event(),
                    before: prev_seen.take(),
                    expected_seq,
                    expected_prev: expected_prev.clone(),
                });
            }
        }
        Ok::<_, crate::Error>(!beyond)
    })?;
    Ok(part)
}

/// Say what happened at the first entry that does not check.
fn classify(conn: &Conn, e: &Event, before: Option<i64>, expected_seq: i64, expected_prev: &str) -> Result<Problem> {
    let self_consistent = recompute(e, &e.prev_hash, e.seq) == e.hash;
    if e.seq > expected_seq {
        let missing = if e.seq == expected_seq + 1 {
            format!("entry {expected_seq} is")
        } else {
            format!("entries {expected_seq}–{} are", e.seq - 1)
        };
        return Ok(Problem {
            seq: expected_seq,
            kind: "deleted".into(),
            message: format!(
                "{missing} missing: the log jumps from {} to {}",
                expected_seq - 1,
                e.seq
            ),
        });
    }
    // Does this entry's content belong at another position? Find where its recorded predecessor sits.
    let mut hash_at: HashMap<String, i64> = HashMap::new();
    events::for_each(conn, |x| {
        hash_at.insert(x.hash.clone(), x.seq);
        Ok::<_, crate::Error>(())
    })?;
    // The seq this content was hashed with: right after its recorded predecessor, or near where it sits now.
    let home = |x: &Event| -> Option<i64> {
        let after_prev = if x.prev_hash == GENESIS {
            Some(1)
        } else {
            hash_at.get(&x.prev_hash).map(|p| p + 1)
        };
        after_prev
            .into_iter()
            .chain((x.seq - 100).max(1)..=x.seq + 100)
            .find(|s| recompute(x, &x.prev_hash, *s) == x.hash)
    };
    if !self_consistent {
        if let Some(h) = home(e) {
            if h != e.seq {
                return Ok(Problem {
                    seq: e.seq,
                    kind: "reordered".into(),
                    message: format!(
                        "entry {} holds the content written as entry {h}: entries were swapped or reordered",
                        e.seq
                    ),
                });
            }
        }
        return Ok(Problem {
            seq: e.seq,
            kind: "edited".into(),
            message: format!(
                "entry {} ({}) was edited: its content no longer matches its hash",
                e.seq, e.kind
            ),
        });
    }
    // The entry checks on its own but does not follow the one before it.
    if e.prev_hash != expected_prev {
        if let Some(b) = before {
            if !hash_at.contains_key(&e.prev_hash) {
                return Ok(Problem {
                    seq: b,
                    kind: "edited".into(),
                    message: format!(
                        "entry {b} was edited and re-hashed: entry {} was written after a different entry {b}",
                        e.seq
                    ),
                });
            }
        }
        return Ok(Problem {
            seq: e.seq,
            kind: "deleted".into(),
            message: format!("the entry written before entry {} is missing or was replaced", e.seq),
        });
    }
    Ok(Problem {
        seq: e.seq,
        kind: "edited".into(),
        message: format!("entry {} does not check", e.seq),
    })
}
