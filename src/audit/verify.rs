//! Verifying the event log: recompute every entry's hash and its link to the one before, in seq order, and
//! name the first entry that was edited, deleted or reordered.
//!
//! What it cannot see on its own: the newest entries cut off the end (the chain that is left is whole).
//! That is what the head hash printed in every audit report is for: a later log must still contain it.

use serde::Serialize;
use std::collections::HashMap;

use crate::error::Result;
use crate::store::events::{self, entry_hash, Event, GENESIS};

#[derive(Debug, Clone, Serialize)]
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
/// Each entry is hashed from the bytes SQLite holds, without copying them.
pub fn verify(conn: &rusqlite::Connection) -> Result<Verification> {
    let mut expected_prev = [0u8; 64];
    expected_prev.copy_from_slice(GENESIS.as_bytes());
    let mut expected_seq = 1i64;
    let mut entries = 0i64;
    let mut head_seq: Option<i64> = None;
    let mut head_hash: Vec<u8> = Vec::with_capacity(64);
    let mut first_bad: Option<Event> = None;
    let mut prev_seen: Option<i64> = None;
    let mut bad_prev: Option<i64> = None;
    let mut hex = [0u8; 64];
    events::for_each_raw(conn, |e| {
        entries += 1;
        if first_bad.is_none() {
            let mut ok = e.seq == expected_seq && e.prev_hash == expected_prev;
            if ok {
                hex::encode_to_slice(e.digest(e.prev_hash, e.seq), &mut hex).expect("64 hex digits for 32 bytes");
                ok = e.hash == hex;
            }
            if ok {
                expected_prev = hex;
                expected_seq = e.seq + 1;
                prev_seen = Some(e.seq);
            } else {
                bad_prev = prev_seen.take();
                first_bad = Some(e.to_event());
            }
        }
        head_seq = Some(e.seq);
        head_hash.clear();
        head_hash.extend_from_slice(e.hash);
        Ok(())
    })?;
    let expected_prev = String::from_utf8_lossy(&expected_prev).into_owned();
    let problem = match first_bad {
        None => None,
        Some(e) => Some(classify(conn, &e, bad_prev, expected_seq, &expected_prev)?),
    };
    let head_hash = head_seq.map(|_| String::from_utf8_lossy(&head_hash).into_owned());
    Ok(Verification { ok: problem.is_none(), entries, head_seq, head_hash, problem })
}

/// Verify on another thread with its own read-only connection to the same database (WAL lets it read
/// while this one works), so an audit's other passes need not wait for it. A database without a file
/// (in memory) is verified on `conn` when joined.
pub struct Pending {
    thread: Option<std::thread::JoinHandle<Result<Verification>>>,
}

pub fn start(conn: &rusqlite::Connection) -> Pending {
    let path = conn.path().filter(|p| !p.is_empty()).map(std::path::PathBuf::from);
    let thread = path.and_then(|path| {
        std::thread::Builder::new()
            .name("tamim-log-verify".into())
            .spawn(move || {
                let c = crate::store::open_read_only(&path)?;
                verify(&c)
            })
            .ok()
    });
    Pending { thread }
}

impl Pending {
    pub fn join(self, conn: &rusqlite::Connection) -> Result<Verification> {
        match self.thread {
            Some(t) => t.join().unwrap_or_else(|_| Err(crate::Error::Conflict("the event-log verification thread panicked".into()))),
            None => verify(conn),
        }
    }
}

/// Say what happened at the first entry that does not check.
fn classify(conn: &rusqlite::Connection, e: &Event, before: Option<i64>, expected_seq: i64, expected_prev: &str) -> Result<Problem> {
    let self_consistent = recompute(e, &e.prev_hash, e.seq) == e.hash;
    if e.seq > expected_seq {
        let missing = if e.seq == expected_seq + 1 { format!("entry {expected_seq} is") } else { format!("entries {expected_seq}–{} are", e.seq - 1) };
        return Ok(Problem { seq: expected_seq, kind: "deleted".into(), message: format!("{missing} missing: the log jumps from {} to {}", expected_seq - 1, e.seq) });
    }
    // Does this entry's content belong at another position? Find where its recorded predecessor sits.
    let mut hash_at: HashMap<String, i64> = HashMap::new();
    events::for_each(conn, |x| {
        hash_at.insert(x.hash.clone(), x.seq);
        Ok(())
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
            if hash_at.get(&e.prev_hash).is_none() {
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
