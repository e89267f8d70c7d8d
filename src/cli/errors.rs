//! The library's errors told in the run's language: each typed error becomes a message of the catalogs
//! (`error-…`) with its values as arguments, and a stable English code for `--json`. The domain crates keep
//! their English `Display` (logs, the server's stderr); only the command line uses this.

use fluent_bundle::FluentValue;
use serde::Serialize;
use tamim_app::ack::AckError;
use tamim_app::Error;
use tamim_core::state::State;
use tamim_core::turkish::{DateError, SayiError, SayiFormKind};
use tamim_store::DbProblem;

use super::i18n::{self, Lang};
use crate::t;

/// An error as `--json` prints it: `{"error": {"code": "not-found", "message": "…"}}`.
#[derive(Serialize)]
pub struct JsonError {
    pub error: JsonErrorBody,
}

#[derive(Serialize)]
pub struct JsonErrorBody {
    pub code: &'static str,
    pub message: String,
}

/// The error's code for scripts: the kind of failure, in English, stable across languages.
pub fn code(e: &Error) -> &'static str {
    match e {
        Error::Domain(d) => match d {
            tamim_core::Error::Invalid { .. } => "invalid",
            tamim_core::Error::NotFound { .. } => "not-found",
            tamim_core::Error::Duplicate { .. } => "duplicate",
            tamim_core::Error::Cycle(_) => "cycle",
            tamim_core::Error::Date(_) | tamim_core::Error::BadDate { .. } => "invalid-date",
            tamim_core::Error::Sayi(_) => "invalid-sayi",
        },
        Error::Store(tamim_store::Error::NotARegistry(_)) => "not-a-registry",
        Error::Store(_) => "store",
        Error::File { .. } | Error::Io { .. } => "file",
        Error::Config(_) => "config",
        Error::Csv { .. } => "csv",
        Error::Ack(_) => "delivery",
        Error::AlreadyRegistered { .. } => "already-registered",
        Error::AlreadyIssued { .. } => "already-issued",
        Error::LostRace { .. } => "changed-meanwhile",
        Error::NotEmpty { .. } => "not-empty",
        Error::Runtime { .. } => "runtime",
        Error::CheckFailed(_) => "check-failed",
        Error::NotConfirmed => "not-confirmed",
        Error::Json(_) => "json",
        Error::SendingStopped { .. } => "sending-stopped",
        Error::RemindersNotSent { .. } => "reminders-not-sent",
        Error::Internal(_) => "internal",
    }
}

fn s(v: impl ToString) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

/// A state's name in the run's language (`adres yok` / `no-address`).
pub fn state(st: State) -> String {
    match i18n::lang() {
        Lang::Tr => st.label_tr().to_string(),
        Lang::En => st.as_str().to_string(),
    }
}

/// A stored state name (`no-address`) as [`state`] shows it; an unknown one as it is.
pub fn state_text(name: &str) -> String {
    State::parse(name).map(state).unwrap_or_else(|| name.to_string())
}

/// The domain's word for a record (`document`, `org`) in the run's language.
fn what(w: &str) -> String {
    match w {
        "document" => t!("word-document"),
        "org" => t!("word-org"),
        "person" => t!("word-person"),
        "list" => t!("word-list"),
        "delivery" => t!("word-delivery"),
        "org or person" => t!("word-org-or-person"),
        other => other.to_string(),
    }
}

fn hint(h: &str) -> String {
    match h {
        "" => String::new(),
        " (by id or sayı)" => t!("hint-by-id-or-sayi"),
        " (write @NAME for a list)" => t!("hint-write-at-name"),
        other => other.to_string(),
    }
}

fn date(e: &DateError) -> String {
    match e {
        DateError::Empty => t!("error-date-empty"),
        DateError::Unrecognised { value } => t!("error-date-unrecognised", value = s(value)),
        DateError::UnknownMonth { value, month } => {
            t!("error-date-unknown-month", value = s(value), month = s(month))
        }
        DateError::NoSuchMonth { value, month } => {
            t!("error-date-no-such-month", value = s(value), month = s(month))
        }
        DateError::NoSuchDay { value, day } => t!("error-date-no-such-day", value = s(value), day = s(day)),
        DateError::DayPastMonthEnd {
            value,
            month,
            month_name,
            year,
            days,
            ..
        } => {
            let name = match i18n::lang() {
                Lang::Tr => tamim_core::turkish::month_name(*month).to_string(),
                Lang::En => month_name.to_string(),
            };
            t!(
                "error-date-past-month-end",
                value = s(value),
                month = name,
                year = s(year),
                days = *days as i64
            )
        }
        DateError::YearOutOfRange { value, year } => {
            t!("error-date-year-out-of-range", value = s(value), year = s(year))
        }
    }
}

fn sayi(e: &SayiError) -> String {
    match e {
        SayiError::Empty => t!("error-sayi-empty"),
        SayiError::Unrecognised { raw } => t!("error-sayi-unrecognised", raw = s(raw)),
        SayiError::NotInForm { raw, kind } => {
            let form = match kind {
                SayiFormKind::Plain => "plain",
                SayiFormKind::Dotted => "dotted",
                SayiFormKind::EYazisma => "eyazisma",
                SayiFormKind::YearNumber => "year-number",
            };
            t!("error-sayi-not-in-form", raw = s(raw), form = form)
        }
        SayiError::NumberTooLarge { raw, digits } => {
            t!("error-sayi-too-large", raw = s(raw), digits = s(digits))
        }
    }
}

fn domain(e: &tamim_core::Error) -> String {
    match e {
        tamim_core::Error::Invalid { field, problem } => t!("error-invalid", field = s(field), problem = s(problem)),
        tamim_core::Error::NotFound { what: w, key, hint: h } => {
            t!("error-not-found", what = what(w), key = s(key), hint = hint(h))
        }
        tamim_core::Error::Duplicate { what: w, key } => t!("error-duplicate", what = what(w), key = s(key)),
        tamim_core::Error::Cycle(c) => t!("error-cycle", cycle = s(c)),
        tamim_core::Error::Date(d) => date(d),
        tamim_core::Error::BadDate { field, source } => t!("error-invalid", field = s(field), problem = date(source)),
        tamim_core::Error::Sayi(x) => sayi(x),
    }
}

fn db(p: DbProblem) -> String {
    match p {
        DbProblem::ForeignKey => t!("error-db-foreign-key"),
        DbProblem::Unique => t!("error-db-unique"),
        DbProblem::Frozen => t!("error-db-frozen"),
        DbProblem::Constraint => t!("error-db-constraint"),
        DbProblem::Busy => t!("error-db-busy"),
        DbProblem::Damaged => t!("error-db-damaged"),
        DbProblem::ReadOnly => t!("error-db-read-only"),
        DbProblem::DiskFull => t!("error-db-disk-full"),
        DbProblem::TooBig => t!("error-db-too-big"),
        DbProblem::IoFailure => t!("error-db-io"),
        DbProblem::Interrupted => t!("error-db-interrupted"),
        DbProblem::Failed => t!("error-db-failed"),
        DbProblem::NoRow => t!("error-db-no-row"),
        DbProblem::Unreadable => t!("error-db-unreadable"),
    }
}

fn store(e: &tamim_store::Error) -> String {
    use tamim_store::Error as S;
    match e {
        S::Domain(d) => domain(d),
        S::Db(x) => db(DbProblem::of(x)),
        S::Io { path, source } => t!("error-io", path = s(path.display()), problem = s(source)),
        S::NotARegistry(p) => t!("error-not-a-registry", path = s(p.display())),
        S::SchemaTooNew { found, supported } => {
            t!("error-schema-too-new", found = s(found), supported = s(supported))
        }
        S::Thread { what, source } => t!("error-thread", what = s(what), problem = s(source)),
    }
}

fn ack(e: &AckError) -> String {
    match e {
        AckError::NotARecipient { doc, recipient } => {
            t!("error-ack-not-a-recipient", doc = s(doc), recipient = s(recipient))
        }
        AckError::Backwards { recipient, from, to } => {
            t!(
                "error-ack-backwards",
                recipient = s(recipient),
                from = state(*from),
                to = state(*to)
            )
        }
        AckError::AlreadyAcknowledged { recipient, at, how } => {
            t!("error-ack-already", recipient = s(recipient), at = s(at), how = s(how))
        }
        AckError::Future { field, value, now } => {
            t!("error-ack-future", field = s(field), value = s(value), now = s(now))
        }
        AckError::BeforeDocument { field, value, date } => {
            t!(
                "error-ack-before-document",
                field = s(field),
                value = s(value),
                date = s(date)
            )
        }
        AckError::BeforeDelivery {
            field,
            value,
            shown,
            step,
            step_at,
        } => t!(
            "error-ack-before-delivery",
            field = s(field),
            value = s(value),
            shown = s(shown),
            step = s(step),
            at = s(step_at)
        ),
        AckError::NotSentYet {
            recipient,
            state: st,
            doc,
        } => {
            t!(
                "error-ack-not-sent-yet",
                recipient = s(recipient),
                state = state(*st),
                doc = s(doc)
            )
        }
        AckError::DuplicateFollowon {
            recipient,
            sayi,
            tarih,
            reported_at,
        } => t!(
            "error-ack-duplicate-followon",
            recipient = s(recipient),
            sayi = s(sayi),
            tarih = s(tarih),
            at = s(reported_at)
        ),
        AckError::Field { field, problem } => t!("error-invalid", field = s(field), problem = s(problem)),
    }
}

/// The error itself, in the run's language (without its causes).
fn headline(e: &Error) -> String {
    match e {
        Error::Domain(d) => domain(d),
        Error::Store(x) => store(x),
        Error::File { path, problem } => t!("error-file", path = s(path.display()), problem = s(problem)),
        Error::Io { path, source } => t!("error-io", path = s(path.display()), problem = s(source)),
        Error::Config(m) => t!("error-config", problem = s(m)),
        Error::Csv { file, count, lines } => {
            t!(
                "error-csv",
                file = s(file.display()),
                count = *count as i64,
                lines = s(lines)
            )
        }
        Error::Ack(a) => ack(a),
        Error::AlreadyRegistered { first, kayit } => {
            let kayit = kayit.map(|(y, n)| format!("{n}/{y}")).unwrap_or_default();
            t!("error-already-registered", first = s(first), kayit = kayit)
        }
        Error::AlreadyIssued { draft, id, sayi } => {
            t!(
                "error-already-issued",
                draft = s(draft.display()),
                id = s(id),
                sayi = s(sayi)
            )
        }
        Error::LostRace { recipient } => t!("error-lost-race", recipient = s(recipient)),
        Error::NotEmpty { path, what: w } => t!("error-not-empty", path = s(path.display()), what = s(w)),
        Error::Runtime { what: w, source } => t!("error-runtime", what = s(w), problem = s(source)),
        Error::CheckFailed(m) => m.clone(),
        Error::NotConfirmed => t!("error-not-confirmed"),
        Error::Json(j) => t!("error-json", problem = s(j)),
        Error::SendingStopped { source, sent, when } => {
            t!(
                "error-sending-stopped",
                problem = s(source),
                sent = *sent,
                when = s(when)
            )
        }
        Error::RemindersNotSent { source } => t!("error-reminders-not-sent", problem = s(source)),
        Error::Internal(m) => t!("error-internal", problem = s(m)),
    }
}

/// What a user is told: the error and the causes its message does not already say, in the run's
/// language (a database's own message is never among them), as `Error::sentences` does in English.
pub fn message(e: &Error) -> String {
    let mut msg = headline(e);
    // The causes the headline did not already carry (its source is shown in it where it has one).
    let shown_source = matches!(
        e,
        Error::Io { .. }
            | Error::Runtime { .. }
            | Error::SendingStopped { .. }
            | Error::RemindersNotSent { .. }
            | Error::Domain(tamim_core::Error::BadDate { .. })
    );
    let mut src = std::error::Error::source(e);
    if shown_source {
        src = src.and_then(|x| x.source());
    }
    while let Some(x) = src {
        if tamim_store::is_database_detail(x) {
            break;
        }
        let text = x.to_string();
        if !msg.contains(&text) {
            msg.push_str(&t!("error-caused-by", cause = text));
        }
        src = x.source();
    }
    msg
}

/// Print `e` for the user on standard error: `hata: …`, or under `--json` the error as JSON (standard
/// output keeps only results: `log verify --json` prints its findings there and fails all the same).
pub fn report(e: &Error, json: bool) {
    print_error(code(e), message(e), json)
}

/// Print an error with its code and message on standard error: as JSON under `--json`, else a line.
pub fn print_error(code: &'static str, message: String, json: bool) {
    if json {
        let v = JsonError {
            error: JsonErrorBody { code, message },
        };
        eprintln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!("{}", t!("error-prefix", message = message));
    }
}
