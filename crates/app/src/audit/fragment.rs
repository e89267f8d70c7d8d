//! How one event of the log shows in a report: a line of the text report's timeline, a piece of the CSV's
//! timeline cell, an object of the JSON's `events`. The same bytes whether the event was gathered by the
//! log's verification walk (`audit::gather`) or read again from the `events_timeline` index.

use std::borrow::Cow;

use crate::ack::time::ShownCache;
use tamim_store::receipts::EventRow;

/// The report an event is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `      05.11.2021 12:00  sent channel=email reply=250 OK\n` (Turkey's time, a line each).
    Text,
    /// `2021-11-05T09:00:00Z sent channel=email reply=250 OK` (as stored; joined with `; ` in one cell).
    Csv,
    /// `{"seq":1,"delivery_id":1,"at":"…","kind":"delivery.sent","detail":{…}}` (joined with `,`).
    Json,
}

impl Shape {
    /// What goes between two events of one recipient.
    pub fn separator(self) -> &'static [u8] {
        match self {
            Shape::Text => b"",
            Shape::Csv => b"; ",
            Shape::Json => b",",
        }
    }
}

/// Writes events in one shape, remembering the times it has shown.
pub struct Fragments {
    shape: Shape,
    times: ShownCache,
}

impl Fragments {
    pub fn new(shape: Shape) -> Fragments {
        Fragments { shape, times: ShownCache::default() }
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Append `e` as its report shows it to `out`.
    pub fn push(&mut self, out: &mut Vec<u8>, e: &EventRow) {
        match self.shape {
            Shape::Text => {
                out.extend_from_slice(b"      ");
                out.extend_from_slice(self.times.shown(e.at).as_bytes());
                out.extend_from_slice(b"  ");
                event_line(out, e.kind, e.detail);
                out.push(b'\n');
            }
            Shape::Csv => {
                out.extend_from_slice(e.at.as_bytes());
                out.push(b' ');
                event_line(out, e.kind, e.detail);
            }
            Shape::Json => {
                // Writing into a Vec cannot fail, and every field serializes.
                serde_json::to_writer(out, e).expect("an event serializes");
            }
        }
    }
}

/// The keys of an event's detail that a timeline line shows, in the order shown (`key=value`).
const SHOWN: [&str; 8] = ["method", "by", "channel", "reply", "kayit_no", "reason", "to", "sayi"];

/// What a timeline line shows of an event's detail, borrowed from the stored JSON: the string values of
/// `SHOWN` (any other type counts as absent) and the reminder's number. Like `serde_json::Value`, the last
/// of repeated keys wins; a detail that is not a JSON object shows nothing.
#[derive(Default)]
struct Shown<'a> {
    texts: [Option<Cow<'a, str>>; SHOWN.len()],
    reminder: Option<i64>,
}

impl<'de> serde::Deserialize<'de> for Shown<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ShownVisitor)
    }
}

struct ShownVisitor;

impl<'de> serde::de::Visitor<'de> for ShownVisitor {
    type Value = Shown<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an event detail object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Shown<'de>, A::Error> {
        let mut s = Shown::default();
        while let Some(k) = a.next_key::<Cow<'de, str>>()? {
            if k == "reminder" {
                s.reminder = a.next_value::<Scalar>()?.0.and_then(|v| v.as_i64());
            } else if let Some(i) = SHOWN.iter().position(|x| *x == k) {
                s.texts[i] = a.next_value::<Scalar>()?.1;
            } else {
                a.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(s)
    }
}

/// A JSON value kept only if it is a number (0) or a string (1, borrowed when it has no escapes).
struct Scalar<'a>(Option<serde_json::Number>, Option<Cow<'a, str>>);

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, Some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, Some(Cow::Owned(v.to_string()))))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(Some(v.into()), None))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(Some(v.into()), None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_unit<E>(self) -> std::result::Result<Scalar<'de>, E> {
        Ok(Scalar(None, None))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar<'de>, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None, None))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar<'de>, A::Error> {
        while a.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None, None))
    }
}

/// One event as a timeline line, appended to `o`: `acknowledged method=phone by=Ayşe YILMAZ`.
pub fn event_line(o: &mut Vec<u8>, kind: &str, detail: &str) {
    let v = Shown::of(detail);
    o.extend_from_slice(kind.strip_prefix("delivery.").unwrap_or(kind).as_bytes());
    for (k, x) in SHOWN.iter().zip(&v.texts) {
        if let Some(x) = x {
            o.push(b' ');
            o.extend_from_slice(k.as_bytes());
            o.push(b'=');
            o.extend_from_slice(x.as_bytes());
        }
    }
    if let Some(n) = v.reminder {
        o.extend_from_slice(b" #");
        o.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }
}

impl<'a> Shown<'a> {
    /// What `detail` shows: read by [`Shown::flat`] when it is a flat object with plain strings (what tamim
    /// writes), by `serde_json` otherwise; the same either way.
    fn of(detail: &'a str) -> Shown<'a> {
        Shown::flat(detail).unwrap_or_else(|| serde_json::from_str(detail).unwrap_or_default())
    }

    /// A flat JSON object whose values are strings without escapes, integers, `true`, `false` or `null`,
    /// read without a parser's generality; none for anything else (escapes, nesting, fractions, anything
    /// malformed), left to `serde_json`.
    fn flat(detail: &'a str) -> Option<Shown<'a>> {
        let b = detail.as_bytes();
        let mut i = 0;
        let ws = |i: &mut usize| {
            while matches!(b.get(*i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                *i += 1;
            }
        };
        // A string with no escape or control character: its text (between quotes that are ASCII, so the
        // slice falls on character boundaries).
        let string = |i: &mut usize| -> Option<&'a str> {
            if b.get(*i) != Some(&b'"') {
                return None;
            }
            let start = *i + 1;
            let len = b[start..].iter().position(|c| *c == b'"' || *c == b'\\' || *c < 0x20)?;
            if b[start + len] != b'"' {
                return None;
            }
            *i = start + len + 1;
            detail.get(start..start + len)
        };
        ws(&mut i);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i += 1;
        ws(&mut i);
        let mut s = Shown::default();
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                let key = string(&mut i)?;
                ws(&mut i);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i += 1;
                ws(&mut i);
                // (a string, an integer); neither for true, false or null.
                let (text, number) = match b.get(i)? {
                    b'"' => (Some(string(&mut i)?), None),
                    b'-' | b'0'..=b'9' => {
                        let start = i;
                        i += usize::from(b[i] == b'-');
                        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        let leading_zero = digits > 1 && b[i] == b'0';
                        // serde_json reads `-0` as a float, which shows no number.
                        let minus_zero = start < i && b[i] == b'0';
                        if digits == 0 || digits > 18 || leading_zero || minus_zero || matches!(b.get(i + digits), Some(b'.' | b'e' | b'E')) {
                            return None;
                        }
                        i += digits;
                        (None, Some(detail[start..i].parse::<i64>().ok()?))
                    }
                    _ => {
                        let word = [&b"true"[..], b"false", b"null"].into_iter().find(|w| b[i..].starts_with(w))?;
                        i += word.len();
                        (None, None)
                    }
                };
                if key == "reminder" {
                    s.reminder = number;
                } else if let Some(k) = SHOWN.iter().position(|x| *x == key) {
                    s.texts[k] = text.map(Cow::Borrowed);
                }
                ws(&mut i);
                match b.get(i)? {
                    b',' => {
                        i += 1;
                        ws(&mut i);
                    }
                    b'}' => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        ws(&mut i);
        (i == b.len()).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: &str, detail: &str) -> String {
        let mut o = Vec::new();
        event_line(&mut o, kind, detail);
        String::from_utf8(o).unwrap()
    }

    /// The quick reading of a detail and serde_json's agree on everything the quick one accepts, and it
    /// leaves the rest to serde_json.
    #[test]
    fn a_flat_detail_reads_as_serde_json_reads_it() {
        let accepted = [
            r#"{"recipient":"P0000001","channel":"email","reply":"250 2.0.0 Ok"}"#,
            r#"{}"#,
            r#" { "by" : "Ayşe YILMAZ" , "method":"phone" } "#,
            r#"{"reminder":3,"to":"ODA-1"}"#,
            r#"{"reminder":-3}"#,
            r#"{"reminder":0}"#,
            r#"{"reminder":"3"}"#,
            r#"{"by":"a","by":"b"}"#,
            r#"{"by":"a","by":null}"#,
            r#"{"by":7,"method":true,"reason":false}"#,
            r#"{"kayit_no":"4959","sayi":"E-123/45","x":null}"#,
            "{\"reply\":\"550 <a@b> ş\"}",
        ];
        let refused = [
            r#"{"by":"Ali \"Veli\""}"#,
            r#"{"by":"a\u0131"}"#,
            r#"{"reminder":1.5}"#,
            r#"{"reminder":1e3}"#,
            r#"{"reminder":01}"#,
            r#"{"reminder":-0}"#,
            r#"{"reminder":-01}"#,
            r#"{"reminder":12345678901234567890}"#,
            r#"{"to":{"a":1}}"#,
            r#"{"to":["a"]}"#,
            r#"{"by":"a",}"#,
            r#"{"by":"a"} x"#,
            r#"{"by":"a""#,
            r#"[1]"#,
            r#""x""#,
            "",
            "not json",
            "{\"by\":\"tab\there\"}",
            r#"{"by" "a"}"#,
            r#"{"by":tru}"#,
        ];
        for d in accepted.iter().chain(&refused) {
            let serde: Shown = serde_json::from_str(d).unwrap_or_default();
            match Shown::flat(d) {
                Some(quick) => {
                    assert!(accepted.contains(d), "{d:?} should be left to serde_json");
                    assert_eq!((&quick.texts, quick.reminder), (&serde.texts, serde.reminder), "{d:?}");
                }
                None => assert!(refused.contains(d), "{d:?} should be read quickly"),
            }
        }
        assert_eq!(line("delivery.reminded", r#"{"reminder":2,"to":"ODA-1","by":"x"}"#), "reminded by=x to=ODA-1 #2");
        assert_eq!(line("delivery.acknowledged", r#"{"by":"Ali \"V\"","method":"link"}"#), "acknowledged method=link by=Ali \"V\"");
        assert_eq!(line("custom.kind", "not json"), "custom.kind");
    }
}
