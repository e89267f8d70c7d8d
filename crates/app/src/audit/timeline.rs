//! The report's body: every recipient with its timeline, as the deliveries stream past merged with their
//! events (`store::audit::for_each_recipient`). One definition of what a timeline line shows ([`Line`])
//! serves the text report, the CSV's timeline cell and the PDF; the JSON report carries each event whole.
//! Each format's rows are derived types written through serde_json and the csv crate.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::io::Write;

use super::Format;
use crate::ack::time::ShownCache;
use crate::error::{Error, Result};
use crate::sheet::{Cell, Column, CsvTable, Type};
use tamim_store::audit::{Recipient, TimelineEvent};
use tamim_store::deliveries::Delivery;
use tamim_store::receipts::Extra;

fn io(e: impl Into<std::io::Error>) -> Error {
    Error::io("audit output", e.into())
}

/// The keys of an event's detail a timeline line shows, in the order shown (`key=value`).
const SHOWN: [&str; 8] = ["method", "by", "channel", "reply", "kayit_no", "reason", "to", "sayi"];

/// One event as a timeline line shows it: `acknowledged method=phone by=Ayşe YILMAZ` — the kind without
/// `delivery.`, the string values of [`SHOWN`] in the detail (any other type counts as absent; the last
/// of repeated keys wins; a detail that is not a JSON object shows nothing), and a reminder's number.
pub struct Line<'a> {
    kind: &'a str,
    texts: [Option<Cow<'a, str>>; SHOWN.len()],
    reminder: Option<i64>,
}

impl<'a> Line<'a> {
    pub fn of(kind: &'a str, detail: &'a str) -> Line<'a> {
        let Detail { texts, reminder } = serde_json::from_str(detail).unwrap_or_default();
        Line {
            kind: kind.strip_prefix("delivery.").unwrap_or(kind),
            texts,
            reminder,
        }
    }
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind)?;
        for (k, v) in SHOWN.iter().zip(&self.texts) {
            if let Some(v) = v {
                write!(f, " {k}={v}")?;
            }
        }
        match self.reminder {
            Some(n) => write!(f, " #{n}"),
            None => Ok(()),
        }
    }
}

impl Line<'_> {
    /// The line as the Turkish reports (text, PDF) show it: `tebellüğ edildi (yöntem: telefon, eden: Ayşe
    /// YILMAZ)`. JSON and CSV keep the English names of [`fmt::Display`], for scripts.
    pub fn turkish(&self) -> Turkish<'_, '_> {
        Turkish(self)
    }
}

/// [`Line::turkish`].
pub struct Turkish<'l, 'a>(&'l Line<'a>);

/// The Turkish name of an event kind (without `delivery.`); the kind itself when it has none.
fn kind_tr(kind: &str) -> &str {
    match kind {
        "deferred" => "ertelendi",
        "requeued" => "yeniden sıraya kondu",
        "reminded" => "hatırlatıldı",
        "followon-reported" => "ilgili yazısı bildirildi",
        k => tamim_core::state::State::parse(k).map_or(k, |s| s.label_tr()),
    }
}

/// The Turkish words for the keys of [`SHOWN`], in its order.
const SHOWN_TR: [&str; 8] = ["yöntem", "eden", "kanal", "yanıt", "kayıt no", "neden", "kime", "sayı"];

/// A method's or a channel's value in Turkish; any other value as it is.
fn value_tr(v: &str) -> &str {
    match v {
        "link" => "bağlantı",
        "paper" => "kâğıt",
        "phone" => "telefon",
        "kep" => "KEP",
        "manual" => "elle",
        "email" => "e-posta",
        other => other,
    }
}

impl fmt::Display for Turkish<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.0;
        f.write_str(kind_tr(l.kind))?;
        if let Some(n) = l.reminder {
            write!(f, " ({n}. hatırlatma)")?;
        }
        let mut first = true;
        for ((k, tr), v) in SHOWN.iter().zip(SHOWN_TR).zip(&l.texts) {
            if let Some(v) = v {
                let v = if matches!(*k, "method" | "channel") {
                    value_tr(v)
                } else {
                    v
                };
                f.write_str(if first { " — " } else { ", " })?;
                write!(f, "{tr}: {v}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// What a line shows of a detail, read by serde_json; its strings borrowed from the detail when they hold
/// no escapes (an audit reads 1,500,000 details: no allocation for most values).
#[derive(Default)]
struct Detail<'a> {
    texts: [Option<Cow<'a, str>>; SHOWN.len()],
    reminder: Option<i64>,
}

/// A detail's value as a line uses it: a string (borrowed where it can be), a whole number, or anything else.
enum Scalar<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Other,
}

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Owned(v)))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(i64::try_from(v).map_or(Scalar::Other, Scalar::Int))
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Self::Value, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Self::Value, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl<'de> serde::Deserialize<'de> for Detail<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Detail<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event detail object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> std::result::Result<Detail<'de>, A::Error> {
                let mut s = Detail::default();
                while let Some(k) = a.next_key::<Cow<'de, str>>()? {
                    match SHOWN.iter().position(|x| *x == k) {
                        Some(i) => match a.next_value()? {
                            Scalar::Text(t) => s.texts[i] = Some(t),
                            _ => s.texts[i] = None,
                        },
                        None if k == "reminder" => {
                            s.reminder = match a.next_value()? {
                                Scalar::Int(n) => Some(n),
                                _ => None,
                            }
                        }
                        None => drop(a.next_value::<serde::de::IgnoredAny>()?),
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// A recipient in the JSON report: the delivery's columns, its office, the 0003 columns and its events.
#[derive(Serialize)]
struct JsonRecipient<'a> {
    #[serde(flatten)]
    delivery: &'a Delivery<&'a str>,
    office_code: Option<&'a str>,
    office_name: Option<&'a str>,
    #[serde(flatten)]
    extra: &'a Extra<&'a str>,
    events: Vec<JsonEvent<'a>>,
}

/// An event in the JSON report; its detail as the JSON it holds (`"detail": {"method": "link", …}`), so
/// a script reads `detail.method`, or as a string when it is not JSON (an edited row).
#[derive(Serialize)]
struct JsonEvent<'a> {
    seq: i64,
    delivery_id: i64,
    at: &'a str,
    kind: &'a str,
    #[serde(serialize_with = "embedded_json")]
    detail: &'a str,
}

fn embedded_json<S: serde::Serializer>(detail: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    match serde_json::from_str::<&serde_json::value::RawValue>(detail) {
        Ok(raw) => raw.serialize(s),
        Err(_) => detail.serialize(s),
    }
}

/// The columns of the CSV and spreadsheet reports: one row per recipient, its timeline (`time kind; time
/// kind; …`, each as [`Line`] shows it) in the last cell. A new column: here and in [`csv_row`].
pub const COLUMNS: [Column; 15] = [
    Column::new("recipient", "Alıcı Kodu", Type::Text, 14.0),
    Column::new("name", "Alıcı", Type::Text, 40.0),
    Column::new("kind", "Tür", Type::Text, 8.0),
    Column::new("office", "Birim", Type::Text, 12.0),
    Column::new("role", "Gereği/Bilgi", Type::Text, 12.0),
    Column::new("path", "Yol", Type::Text, 30.0),
    Column::new("state", "Durum", Type::Text, 16.0),
    Column::new("channel", "Kanal", Type::Text, 10.0),
    Column::new("sent_at", "Gönderildi", Type::Time, 17.0),
    Column::new("received_at", "Alındı", Type::Time, 17.0),
    Column::new("recipient_kayit_no", "Alıcının Kayıt No", Type::Text, 16.0),
    Column::new("acknowledged_at", "Tebellüğ", Type::Time, 17.0),
    Column::new("ack_by", "Tebellüğ Eden", Type::Text, 24.0),
    Column::new("ack_method", "Tebellüğ Yolu", Type::Text, 14.0),
    Column::new("timeline", "Olaylar", Type::Text, 80.0),
];

/// Writes recipients with their timelines in a report's format (not PDF): text lines, the JSON array's
/// objects (each after the first preceded by `,\n`), or CSV rows.
pub(super) struct Writer<W: Write> {
    format: Format,
    out: Out<W>,
    written: bool,
    times: ShownCache,
    buf: Vec<u8>,
    cell: String,
}

enum Out<W: Write> {
    Plain(W),
    /// A CSV report, or the raw rows a workbook is made from; whether its cells are in Turkish (Excel's forms).
    Csv(Box<CsvTable<W>>, bool),
}

impl<W: Write> Writer<W> {
    /// A writer to `w`; a CSV one begins with the header if `first` (the first part of a report).
    pub(super) fn new(format: Format, w: W, first: bool, zone: chrono_tz::Tz) -> Result<Writer<W>> {
        let out = match format {
            Format::Csv => Out::Csv(Box::new(CsvTable::new(w, false, &COLUMNS, first)?.in_zone(zone)), false),
            Format::CsvExcel => Out::Csv(Box::new(CsvTable::new(w, true, &COLUMNS, first)?.in_zone(zone)), true),
            Format::Xlsx => Out::Csv(Box::new(CsvTable::raw(w)), true),
            _ => Out::Plain(w),
        };
        Ok(Writer {
            format,
            out,
            written: false,
            times: ShownCache::in_zone(zone),
            buf: Vec::new(),
            cell: String::new(),
        })
    }

    /// Whether a recipient was written.
    pub(super) fn written(&self) -> bool {
        self.written
    }

    pub(super) fn recipient(&mut self, r: &Recipient, events: &[TimelineEvent]) -> Result<()> {
        let d = &r.delivery;
        let buf = &mut self.buf;
        buf.clear();
        match (&mut self.out, self.format) {
            (Out::Plain(w), Format::Text) => {
                let office = r.office.map_or("", |(code, _)| code);
                writeln!(
                    buf,
                    "  {} {} [{} · {office} · {}]",
                    d.recipient_code,
                    d.name,
                    d.role,
                    d.state.label_tr()
                )
                .map_err(io)?;
                for e in events {
                    writeln!(
                        buf,
                        "      {}  {}",
                        self.times.shown(&e.at),
                        Line::of(&e.kind, &e.detail).turkish()
                    )
                    .map_err(io)?;
                }
                w.write_all(buf).map_err(io)?;
            }
            (Out::Plain(w), _) => {
                if self.written {
                    buf.extend_from_slice(b",\n");
                }
                let events = events
                    .iter()
                    .map(|e| JsonEvent {
                        seq: e.seq,
                        delivery_id: e.delivery_id,
                        at: &e.at,
                        kind: &e.kind,
                        detail: &e.detail,
                    })
                    .collect();
                let (office_code, office_name) = r.office.unzip();
                serde_json::to_writer(
                    &mut *buf,
                    &JsonRecipient {
                        delivery: d,
                        office_code,
                        office_name,
                        extra: &r.extra,
                        events,
                    },
                )
                .map_err(io)?;
                w.write_all(buf).map_err(io)?;
            }
            (Out::Csv(c, turkish), _) => {
                self.cell.clear();
                csv_timeline(&mut self.cell, events, turkish.then_some(&mut self.times));
                c.row(&csv_row(r, &self.cell, *turkish))?;
            }
        }
        self.written = true;
        Ok(())
    }

    /// The writer, everything written to it.
    pub(super) fn into_inner(self) -> Result<W> {
        match self.out {
            Out::Plain(w) => Ok(w),
            Out::Csv(c, _) => c.into_inner(),
        }
    }
}

/// A recipient's timeline as the CSV's last cell shows it: times as stored, or (Excel's forms) in Türkiye time.
fn csv_timeline(o: &mut String, events: &[TimelineEvent], mut shown: Option<&mut ShownCache>) {
    use fmt::Write;
    for (i, e) in events.iter().enumerate() {
        let sep = if i > 0 { "; " } else { "" };
        let at = match shown.as_deref_mut() {
            Some(c) => c.shown(&e.at),
            None => &e.at,
        };
        let _ = write!(o, "{sep}{at} {}", Line::of(&e.kind, &e.detail));
    }
}

/// A recipient's row of [`COLUMNS`]; in Turkish (Excel's forms) its state and kind as a user reads them.
fn csv_row<'a>(r: &'a Recipient, timeline: &'a str, turkish: bool) -> [Cell<'a>; 15] {
    let d = &r.delivery;
    let (state, kind) = match turkish {
        true => (
            d.state.label_tr(),
            match d.recipient_kind {
                "org" => "birim",
                "person" => "kişi",
                k => k,
            },
        ),
        false => (d.state.as_str(), d.recipient_kind),
    };
    let time = |t: Option<&'a str>| t.map_or(Cell::Empty, Cell::Time);
    [
        d.recipient_code.into(),
        d.name.into(),
        kind.into(),
        r.office.map(|(code, _)| code).into(),
        d.role.into(),
        d.path.into(),
        state.into(),
        d.channel.into(),
        time(d.sent_at),
        time(d.received_at),
        r.extra.recipient_kayit_no.into(),
        time(d.acknowledged_at),
        d.ack_by.into(),
        d.ack_method.into(),
        timeline.into(),
    ]
}

/// A cell as a spreadsheet shows it and never runs it: text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (a formula, such as a name typed into the public acknowledgement form as
/// `=HYPERLINK(…)`) gets a leading `'` (OWASP's advice on CSV injection). Other text is borrowed as it is.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Write one CSV record, every cell through `csv_cell`: how tamim writes any other CSV (the auditor's
/// downloads).
pub fn csv_record<W: Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    for c in cells {
        w.write_field(csv_cell(c.as_ref()).as_bytes())?;
    }
    w.write_record(std::iter::empty::<&[u8]>())
}
