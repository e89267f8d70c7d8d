//! The recipient's side: the report of an incoming document — its registration here, the follow-on(s)
//! issued from it (outgoing documents citing or carrying it), their coverage per level (1: the offices
//! they went to, by delivery state, the unacknowledged named; 2: the staff on those offices' rosters) and
//! the head of our event log.

use std::collections::BTreeMap;

use super::wire::{DocumentRef, FollowOn, Level, Registration, Report};
use crate::error::{Error, Result};
use tamim_core::state::State;
use tamim_store::{deliveries, documents, events, receipts, Conn};

/// Where a report-back link points: the issuer's endpoint and the acknowledgement token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedLink {
    /// `http(s)://host[:port]/rapor`
    pub endpoint: String,
    pub token: String,
}

/// Read an acknowledgement link (`https://tamim.valilik.gov.tr/ack/3f9c…`, as in the e-mail): the issuer's
/// report endpoint is `/rapor` beside `/ack/`.
pub fn parse_link(field: &str, url: &str) -> Result<ParsedLink> {
    let url = url.trim();
    let bad = |problem: &str| {
        Error::invalid(
            field,
            format!("{url:?} {problem}, e.g. https://tamim.example.gov.tr/ack/<token>"),
        )
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(bad("is not an http(s) link"));
    }
    let (base, rest) = url
        .rsplit_once("/ack/")
        .ok_or_else(|| bad("is not an acknowledgement link (…/ack/TOKEN)"))?;
    let token = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if token.len() != 40 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("does not end in a 40-digit acknowledgement token"));
    }
    if base.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("contains spaces"));
    }
    Ok(ParsedLink {
        endpoint: format!("{base}/rapor"),
        token: token.to_ascii_lowercase(),
    })
}

/// The states of a delivery that still wait for the recipient.
const OPEN: [State; 6] = [
    State::Queued,
    State::Sending,
    State::Sent,
    State::Received,
    State::Failed,
    State::NoAddress,
];

/// The report on incoming document `doc` as it stands, numbered `sequence`, naming the issuer's delivery
/// `delivery` and our office `office`.
pub fn build(conn: &Conn, doc: i64, delivery: &str, sequence: i64, office: &str) -> Result<Report> {
    let d = documents::get(conn, doc)?;
    let label = d.label();
    if d.direction != "incoming" {
        return Err(Error::invalid(
            "DOC",
            format!("{label} is not an incoming document; a report is made on what came in"),
        ));
    }
    let (Some(kayit_no), Some(received)) = (d.kayit_no, d.received_at.as_deref()) else {
        return Err(Error::invalid(
            "DOC",
            format!("{label} has no kayıt no of its own (it came as an attachment)"),
        ));
    };
    let mut follow_ons = Vec::new();
    let mut offices = Level {
        level: 1,
        unit: "offices".into(),
        total: 0,
        states: BTreeMap::new(),
        pending: Vec::new(),
    };
    let mut staff = Level {
        level: 2,
        unit: "staff".into(),
        total: 0,
        states: BTreeMap::new(),
        pending: Vec::new(),
    };
    for (id, direction, _) in receipts::registered_followons(conn, doc)? {
        if direction != "outgoing" {
            continue;
        }
        let f = documents::get(conn, id)?;
        if f.state != "issued" {
            continue;
        }
        follow_ons.push(FollowOn {
            sayi: f.sayi.clone().unwrap_or_default(),
            tarih: f.tarih.format("%Y-%m-%d").to_string(),
            konu: f.konu.clone(),
        });
        for (state, n) in deliveries::counts(conn, id)? {
            offices.total += n;
            *offices.states.entry(state.as_str().to_string()).or_default() += n;
        }
        for o in deliveries::in_states(conn, id, &OPEN)? {
            offices.pending.push(format!("{} {}", o.recipient_code, o.name));
        }
        let c = crate::roster::coverage::coverage(conn, id)?;
        for o in &c.offices {
            staff.total += o.on_roster as i64;
            *staff.states.entry("acknowledged".into()).or_default() += o.acknowledged as i64;
            *staff.states.entry("exempt".into()).or_default() += o.exempt_total() as i64;
            *staff.states.entry("pending".into()).or_default() += o.pending.len() as i64;
            staff
                .pending
                .extend(o.pending.iter().map(|p| format!("{} {}", p.sicil, p.name)));
        }
    }
    let mut levels = Vec::new();
    if !follow_ons.is_empty() {
        levels.push(offices);
        if staff.total > 0 {
            levels.push(staff);
        }
    }
    let head = match events::last_seq(conn)? {
        Some(seq) => events::hash_at(conn, seq)?.unwrap_or_default(),
        None => events::GENESIS.to_string(),
    };
    Ok(Report {
        delivery: delivery.to_string(),
        sequence,
        office: office.to_string(),
        document: DocumentRef {
            sayi: d.sayi.clone().unwrap_or_default(),
            tarih: d.tarih.format("%Y-%m-%d").to_string(),
        },
        registration: Registration {
            kayit_no: kayit_no.to_string(),
            date: received.get(..10).unwrap_or(received).to_string(),
        },
        follow_ons,
        levels,
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_link;

    #[test]
    fn an_acknowledgement_link_gives_the_report_endpoint() {
        let t = "3f9c2a773f9c2a773f9c2a773f9c2a773f9c2a77";
        let l = parse_link("report-to", &format!("http://127.0.0.1:8080/ack/{t}")).unwrap();
        assert_eq!(l.endpoint, "http://127.0.0.1:8080/rapor");
        assert_eq!(l.token, t);
        assert!(parse_link("report-to", "ftp://x/ack/abc").is_err());
        assert!(parse_link("report-to", "http://x/dogrula?kod=1").is_err());
        assert!(parse_link("report-to", "http://x/ack/1234").is_err());
    }
}
