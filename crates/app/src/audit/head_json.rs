//! A recipient's object in the JSON report, up to its `events` array, written as `serde_json` writes a
//! [`TimelineRow`] but without its generality: a million recipients' objects are most of a large JSON
//! report, and `serde_json` spends most of that time checking each string for characters to escape one
//! byte at a time and going through a map for the flattened fields. Here a string is checked eight bytes
//! at a time, and only one that needs escaping goes to `serde_json`.
//!
//! The keys are those of [`Delivery`](tamim_store::deliveries::Delivery), the office, and
//! [`Extra`](tamim_store::receipts::Extra), in their order; a test holds this to `serde_json`'s output.

use tamim_store::receipts::TimelineRow;

/// Append `t`'s object to `o`, open at its `events` array: `{"id":1,…,"events":[`.
pub fn head(o: &mut Vec<u8>, t: &TimelineRow) {
    let d = &t.delivery;
    let x = &t.extra;
    let mut w = Writer { o, first: true };
    w.int("id", d.id);
    w.int("document_id", d.document_id);
    w.text("recipient_kind", d.recipient_kind);
    w.text("recipient_code", d.recipient_code);
    w.text("name", d.name);
    w.opt_text("email", d.email);
    w.text("role", d.role);
    w.text("path", d.path);
    w.opt_text("cascade_kind", d.cascade_kind);
    w.opt_text("cascade_text", d.cascade_text);
    w.text("state", d.state);
    w.opt_text("channel", d.channel);
    w.int("attempts", d.attempts);
    w.opt_text("message_id", d.message_id);
    w.opt_text("last_reply", d.last_reply);
    w.opt_text("sent_at", d.sent_at);
    w.opt_text("received_at", d.received_at);
    w.opt_text("acknowledged_at", d.acknowledged_at);
    w.opt_text("ack_by", d.ack_by);
    w.opt_text("ack_method", d.ack_method);
    w.int("reminders", d.reminders);
    w.opt_int("org_id", d.org_id);
    w.opt_int("person_id", d.person_id);
    w.opt_text("office_code", t.office_code);
    w.opt_text("office_name", t.office_name);
    w.opt_text("recipient_kayit_no", x.recipient_kayit_no);
    w.opt_text("recipient_kayit_date", x.recipient_kayit_date);
    w.opt_text("state_reason", x.state_reason);
    w.opt_text("last_reminded_at", x.last_reminded_at);
    w.key("events");
    w.o.push(b'[');
}

struct Writer<'o> {
    o: &'o mut Vec<u8>,
    first: bool,
}

impl Writer<'_> {
    /// `k` is one of the keys above, none of which needs escaping.
    fn key(&mut self, k: &str) {
        self.o.push(if self.first { b'{' } else { b',' });
        self.first = false;
        self.o.push(b'"');
        self.o.extend_from_slice(k.as_bytes());
        self.o.extend_from_slice(b"\":");
    }

    fn int(&mut self, k: &str, v: i64) {
        self.key(k);
        self.o.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    fn opt_int(&mut self, k: &str, v: Option<i64>) {
        match v {
            Some(v) => self.int(k, v),
            None => self.null(k),
        }
    }

    fn text(&mut self, k: &str, v: &str) {
        self.key(k);
        string(self.o, v);
    }

    fn opt_text(&mut self, k: &str, v: Option<&str>) {
        match v {
            Some(v) => self.text(k, v),
            None => self.null(k),
        }
    }

    fn null(&mut self, k: &str) {
        self.key(k);
        self.o.extend_from_slice(b"null");
    }
}

/// `s` as a JSON string: copied between quotes when nothing in it needs escaping (a quote, a backslash, a
/// control character), else escaped by `serde_json`.
fn string(o: &mut Vec<u8>, s: &str) {
    if plain(s.as_bytes()) {
        o.reserve(s.len() + 2);
        o.push(b'"');
        o.extend_from_slice(s.as_bytes());
        o.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        serde_json::to_writer(&mut *o, s).expect("a string serializes");
    }
}

/// Whether no byte of `b` needs escaping in a JSON string, eight bytes at a time (the strings are short,
/// too short for wider vectors).
fn plain(b: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether any byte of `x` is below `n` (n ≤ 128): exact as a whole, whatever the borrows do to each byte.
    fn below(x: u64, n: u8) -> bool {
        x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0
    }
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_ne_bytes(w.try_into().expect("8 bytes"));
        if below(x, 0x20) || below(x ^ (ONES * u64::from(b'"')), 1) || below(x ^ (ONES * u64::from(b'\\')), 1) {
            return false;
        }
    }
    words.remainder().iter().all(|c| *c >= 0x20 && *c != b'"' && *c != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamim_store::deliveries::Delivery;
    use tamim_store::receipts::Extra;

    fn serde_head(t: &TimelineRow) -> String {
        let mut s = serde_json::to_string(t).unwrap();
        assert!(s.ends_with("\"events\":[]}"));
        s.truncate(s.len() - 2);
        s
    }

    fn ours(t: &TimelineRow) -> String {
        let mut o = Vec::new();
        head(&mut o, t);
        String::from_utf8(o).unwrap()
    }

    /// Every field, set or not, with any text in it, is written as serde_json writes it.
    #[test]
    fn a_head_is_what_serde_json_writes() {
        let texts = [
            "",
            "Personel 0000001",
            "Ayşe YILMAZ — İESOB",
            "Ali \"Veli\"",
            "back\\slash",
            "line\nbreak\ttab\r\u{1}\u{1f}\u{7f}",
            "<script>alert(1)</script>",
            "ı\u{2028}\u{2029}/",
        ];
        for (i, &text) in texts.iter().enumerate() {
            let some = |k: usize| !(i + k).is_multiple_of(3);
            let opt = |k: usize| some(k).then_some(text);
            let delivery = Delivery {
                id: i as i64 * 1_000_003 - 2,
                document_id: i64::MAX - i as i64,
                recipient_kind: text,
                recipient_code: text,
                name: text,
                email: opt(1),
                role: text,
                path: text,
                cascade_kind: opt(2),
                cascade_text: opt(3),
                state: text,
                channel: opt(4),
                attempts: -(i as i64),
                message_id: opt(5),
                last_reply: opt(6),
                sent_at: opt(7),
                received_at: opt(8),
                acknowledged_at: opt(9),
                ack_by: opt(10),
                ack_method: opt(11),
                reminders: i64::MIN + i as i64,
                org_id: some(12).then_some(i as i64),
                person_id: some(13).then_some(-(i as i64)),
            };
            let extra = Extra { recipient_kayit_no: opt(14), recipient_kayit_date: opt(15), state_reason: opt(16), last_reminded_at: opt(17) };
            let t = TimelineRow { delivery, office_id: Some(3), office_code: opt(18), office_name: opt(19), extra, events: &[] };
            assert_eq!(ours(&t), serde_head(&t), "{text:?}");
        }
        // Every byte in every place of strings up to 24 bytes long.
        for len in 1..=24 {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut b = vec![b'a'; len];
                    b[at] = c;
                    let escape = c < 0x20 || c == b'"' || c == b'\\';
                    assert_eq!(plain(&b), !escape, "{b:?}");
                }
            }
        }
        // All absent.
        let t = TimelineRow { delivery: Delivery::default(), office_id: None, office_code: None, office_name: None, extra: Extra::default(), events: &[] };
        assert_eq!(ours(&t), serde_head(&t));
    }
}
