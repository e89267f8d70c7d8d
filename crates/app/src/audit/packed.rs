//! The JSON report's events as the log's verification walk keeps them (`audit::gather`): in about half
//! the bytes of their objects, and written out again, byte for byte as `serde_json` writes an
//! [`EventRow`], when the report is written ([`Packed::expand`]).
//!
//! What every event repeats is not kept: the keys, the delivery's id (the report knows it), the kind (one
//! byte for each of the first 255 kinds a range sees) and a time in the log's own form
//! (`2021-11-05T09:00:00Z`: its 14 digits in six bytes). Anything else (a time in another form, the
//! 256th kind) is kept as the JSON it shows as.
//!
//! One event: `[seq: zigzag LEB128][time][kind][detail, as its JSON shows it, to the end]`, where a time
//! is `0` and six bytes (the digits as a number, little-endian) or `1` and an inline JSON string, and a
//! kind is its number or `255` and an inline JSON string (`[length: LEB128][bytes]`).

use rustc_hash::FxHashMap;

use tamim_store::receipts::{embedded_json, EventRow};

const TIME_PACKED: u8 = 0;
const TIME_INLINE: u8 = 1;
/// A kind past the numbered ones, kept inline.
const KIND_INLINE: u8 = u8::MAX;

/// The kinds one range of the walk numbered, to pack its events and expand them again.
#[derive(Default)]
pub struct Packed {
    /// Each numbered kind, as stored and as its JSON string shows it (quoted, escaped).
    kinds: Vec<(Box<str>, Box<[u8]>)>,
    numbers: FxHashMap<Box<str>, u8>,
    /// The number of the last kind packed (events of one kind often come in runs).
    last: Option<u8>,
    /// The bytes the numbered kinds take (each kept three times), for the gathering's budget.
    held: usize,
}

impl Packed {
    /// Append `e`, packed, to `out`.
    pub fn push(&mut self, out: &mut Vec<u8>, e: &EventRow) {
        leb128(out, zigzag(e.seq));
        match pack_time(e.at) {
            Some(t) => {
                out.push(TIME_PACKED);
                out.extend_from_slice(&t.to_le_bytes()[..6]);
            }
            None => {
                out.push(TIME_INLINE);
                inline(out, &json_string(e.at));
            }
        }
        match self.number(e.kind) {
            Some(n) => out.push(n),
            None => {
                out.push(KIND_INLINE);
                inline(out, &json_string(e.kind));
            }
        }
        // Writing into a Vec cannot fail, and a detail always serializes (as itself or as a string).
        serde_json::to_writer(out, &Detail(e.detail)).expect("a detail serializes");
    }

    fn number(&mut self, kind: &str) -> Option<u8> {
        if let Some(n) = self.last.filter(|n| *self.kinds[*n as usize].0 == *kind) {
            return Some(n);
        }
        let n = match self.numbers.get(kind) {
            Some(n) => *n,
            None if self.kinds.len() < KIND_INLINE as usize => {
                let n = self.kinds.len() as u8;
                let json = json_string(kind).into_boxed_slice();
                self.held += 2 * kind.len() + json.len() + 64;
                self.kinds.push((kind.into(), json));
                self.numbers.insert(kind.into(), n);
                n
            }
            None => return None,
        };
        self.last = Some(n);
        Some(n)
    }

    /// The bytes the kinds this range numbered take (with a little for each entry's bookkeeping).
    pub fn held(&self) -> usize {
        self.held
    }

    /// Append the event `packed` (as [`Packed::push`] made it) of delivery `delivery` to `out` as the
    /// JSON object `serde_json` makes of its [`EventRow`].
    pub fn expand(&self, packed: &[u8], delivery: i64, out: &mut Vec<u8>) {
        let mut r = Reader(packed);
        let mut n = itoa::Buffer::new();
        out.extend_from_slice(b"{\"seq\":");
        out.extend_from_slice(n.format(unzigzag(r.leb128())).as_bytes());
        out.extend_from_slice(b",\"delivery_id\":");
        out.extend_from_slice(n.format(delivery).as_bytes());
        out.extend_from_slice(b",\"at\":");
        if r.byte() == TIME_PACKED {
            let mut t = [0u8; 8];
            t[..6].copy_from_slice(r.take(6));
            unpack_time(out, u64::from_le_bytes(t));
        } else {
            out.extend_from_slice(r.inline());
        }
        out.extend_from_slice(b",\"kind\":");
        match r.byte() {
            KIND_INLINE => out.extend_from_slice(r.inline()),
            k => out.extend_from_slice(&self.kinds[k as usize].1),
        }
        out.extend_from_slice(b",\"detail\":");
        out.extend_from_slice(r.0);
        out.push(b'}');
    }
}

/// A detail as the report embeds it.
struct Detail<'a>(&'a str);

impl serde::Serialize for Detail<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        embedded_json(self.0, s)
    }
}

fn json_string(s: &str) -> Vec<u8> {
    serde_json::to_vec(s).expect("a string serializes")
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn inline(out: &mut Vec<u8>, bytes: &[u8]) {
    leb128(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Where each character of `YYYY-MM-DDTHH:MM:SSZ` that is not a digit stands.
const TIME_MARKS: [(usize, u8); 6] = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')];

/// The 14 digits of a time in the log's form, as a number (below 2⁴⁷); none for any other text.
fn pack_time(at: &str) -> Option<u64> {
    let b = at.as_bytes();
    if b.len() != 20 {
        return None;
    }
    let mut n = 0u64;
    let mut marks = TIME_MARKS.iter().peekable();
    for (i, c) in b.iter().enumerate() {
        if marks.peek().is_some_and(|(at, _)| *at == i) {
            if marks.next().map(|(_, m)| m) != Some(c) {
                return None;
            }
        } else if c.is_ascii_digit() {
            n = n * 10 + u64::from(c - b'0');
        } else {
            return None;
        }
    }
    Some(n)
}

/// The time `pack_time` made `n` of, as a JSON string.
fn unpack_time(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 14];
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut t = [0u8; 22];
    t[0] = b'"';
    t[21] = b'"';
    let mut next = digits.iter();
    let mut marks = TIME_MARKS.iter().peekable();
    for (i, c) in t[1..21].iter_mut().enumerate() {
        *c = match marks.peek() {
            Some((at, m)) if *at == i => {
                marks.next();
                *m
            }
            _ => *next.next().expect("14 digits"),
        };
    }
    out.extend_from_slice(&t);
}

/// Reads back what `Packed::push` wrote (its own bytes: a short read is a bug, and panics).
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        self.take(1)[0]
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }

    fn leb128(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return v;
            }
            shift += 7;
        }
    }

    fn inline(&mut self) -> &'a [u8] {
        let n = self.leb128() as usize;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(seq: i64, delivery: i64, at: &'a str, kind: &'a str, detail: &'a str) -> EventRow<'a> {
        EventRow { seq, delivery_id: delivery, at, kind, detail }
    }

    /// Packed and expanded, an event is the object serde_json makes of it, whatever its fields hold.
    #[test]
    fn an_event_expands_to_the_json_serde_makes() {
        let times = [
            "2021-11-05T09:00:00Z",
            "0000-00-00T00:00:00Z",
            "9999-99-99T99:99:99Z",
            "2021-11-05T09:00:00+03:00",
            "2021-11-05 09:00:00Z",
            "2021-11-05T09:00:00.5Z",
            "2021-11-05T09:00:0xZ",
            "2021-11-05T09:00:00z",
            "2021-1-05T09:00:00ZZ",
            "",
            "\"quoted\" \u{1} ı",
        ];
        let kinds = ["delivery.sent", "delivery.acknowledged", "", "kind \"quoted\"\n", "ışık"];
        let details = [
            r#"{"recipient":"P0000001","channel":"email","reply":"250 2.0.0 Ok"}"#,
            r#" { "by" : "Ali \"Veli\"" } "#,
            r#"{"nested":{"a":[1,2.5,null]}}"#,
            "not json",
            "",
            "{\"by\":\"tab\there\"}",
            "[1,2]",
        ];
        let seqs = [0, 1, 127, 128, 335_099, -1, i64::MIN, i64::MAX];
        let deliveries = [1, 223_399, -5, i64::MAX];
        let mut p = Packed::default();
        let mut n = 0;
        for (i, at) in times.iter().enumerate() {
            for (j, kind) in kinds.iter().enumerate() {
                for (k, detail) in details.iter().enumerate() {
                    let e = row(seqs[(i + j + k) % seqs.len()], deliveries[(i * j + k) % deliveries.len()], at, kind, detail);
                    let mut packed = Vec::new();
                    p.push(&mut packed, &e);
                    let mut out = b"[".to_vec();
                    p.expand(&packed, e.delivery_id, &mut out);
                    assert_eq!(String::from_utf8(out).unwrap(), format!("[{}", serde_json::to_string(&e).unwrap()));
                    n += 1;
                }
            }
        }
        assert_eq!(n, times.len() * kinds.len() * details.len());
        // A plain event takes less than half its object.
        let e = row(335_099, 223_399, times[0], kinds[1], details[0]);
        let mut packed = Vec::new();
        p.push(&mut packed, &e);
        let whole = serde_json::to_vec(&e).unwrap().len();
        assert!(packed.len() * 2 < whole, "{} bytes packed, {whole} whole", packed.len());
    }

    /// Past 255 kinds, the rest are kept inline, and every one expands as it was.
    #[test]
    fn kinds_past_the_numbered_ones_are_kept_whole() {
        let mut p = Packed::default();
        let kinds: Vec<String> = (0..300).map(|i| format!("kind.{i}")).collect();
        let mut packed = Vec::new();
        for round in 0..2 {
            for (i, k) in kinds.iter().enumerate() {
                let e = row(i as i64, 7, "2021-11-05T09:00:00Z", k, "{}");
                packed.clear();
                p.push(&mut packed, &e);
                let mut out = Vec::new();
                p.expand(&packed, 7, &mut out);
                assert_eq!(out, serde_json::to_vec(&e).unwrap(), "round {round}, kind {k}");
            }
        }
        assert_eq!(p.kinds.len(), 255);
    }
}
