//! The library's errors told in the run's language: each typed error becomes a message of the catalogs
//! (`error-…`) with its values as arguments, and a stable English code for `--json`. The domain crates keep
//! their English `Display` (logs, the server's stderr); only the command line uses this.

use fluent_bundle::FluentValue;
use serde::Serialize;
use tamim_app::accounts::AccountError;
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
        Error::Table(_) => "table",
        Error::StaffAck(_) => "staff",
        Error::Delegate(_) => "staff",
        Error::Ack(_) => "delivery",
        Error::Account(_) => "account",
        Error::Approval(_) => "approval",
        Error::AlreadyRegistered { .. } => "already-registered",
        Error::AlreadyIssued { .. } => "already-issued",
        Error::LostRace { .. } => "changed-meanwhile",
        Error::NotEmpty { .. } => "not-empty",
        Error::Runtime { .. } => "runtime",
        Error::CheckFailed(_) => "check-failed",
        Error::NotConfirmed => "not-confirmed",
        Error::Report(_) => "report-refused",
        Error::ReportSend(_) => "report-not-sent",
        Error::Json(_) => "json",
        Error::SendingStopped { .. } => "sending-stopped",
        Error::RemindersNotSent { .. } => "reminders-not-sent",
        Error::Internal(_) | Error::Drawing(_) => "internal",
        Error::Template(_) => "template",
        Error::MailTemplate(_) => "mail-template",
        Error::Interrupted { .. } => "interrupted",
        Error::Signing(_) | Error::NoSigningKey | Error::Secret { .. } => "signing",
        Error::UnsignedStatement => "unsigned-statement",
        Error::Pdf(_) => "pdf",
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

fn account(e: &AccountError) -> String {
    match e {
        AccountError::UnknownRole { given } => t!("error-user-unknown-role", role = s(given)),
        AccountError::InvalidUsername { username } => t!("error-user-bad-username", username = s(username)),
        AccountError::EmptyDisplayName => t!("error-user-empty-name"),
        AccountError::DuplicateUsername { username } => t!("error-user-duplicate", username = s(username)),
        AccountError::UnknownUser { username } => t!("error-user-unknown", username = s(username)),
        AccountError::EmptyPassword => t!("error-user-empty-password"),
        AccountError::PasswordTooShort { min } => t!("error-user-short-password", min = *min as i64),
        AccountError::NoRole => t!("error-user-no-role"),
        AccountError::PasswordMismatch => t!("error-user-password-mismatch"),
        AccountError::NoTerminal => t!("error-user-no-terminal"),
        AccountError::BadCredentials => t!("error-user-bad-credentials"),
        AccountError::Locked { until } => {
            let until = chrono::DateTime::from_timestamp(*until, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            t!("error-user-locked", until = until)
        }
        AccountError::Password(p) => t!("error-user-password", problem = s(p)),
    }
}

fn delegate(e: &tamim_app::roster::delegate::DelegateError) -> String {
    use tamim_app::roster::delegate::DelegateError as D;
    match e {
        D::NoDuty { office } => t!("staff-no-duty", office = s(office)),
        D::NoRoster { office } => t!("staff-no-roster", office = s(office)),
        D::Left { sicil, name, left } => t!("staff-link-left", sicil = s(sicil), name = s(name), left = s(left)),
    }
}

fn staff_ack(e: &tamim_app::roster::staff_ack::StaffAckError) -> String {
    use tamim_app::roster::staff_ack::StaffAckError as S;
    match e {
        S::NotOnRoster { office, sicil } => t!("staff-not-on-roster", office = s(office), sicil = s(sicil)),
        S::LeftBefore {
            office,
            sicil,
            name,
            left,
            issued,
        } => t!(
            "staff-left-before",
            office = s(office),
            sicil = s(sicil),
            name = s(name),
            left = s(left),
            issued = s(issued)
        ),
        S::JoinedAfter {
            office,
            sicil,
            name,
            joined,
            issued,
        } => t!(
            "staff-joined-after",
            office = s(office),
            sicil = s(sicil),
            name = s(name),
            joined = s(joined),
            issued = s(issued)
        ),
        S::UnknownReason(r) => t!("staff-unknown-reason", reason = s(r)),
        S::NoDuty { office } => t!("staff-no-duty", office = s(office)),
        S::NoneGiven => t!("staff-none-given"),
        S::ScanTooLarge { size, limit } => t!("staff-scan-too-large", size = *size as i64, limit = *limit as i64),
    }
}

fn cell(p: &tamim_app::table::CellProblem) -> String {
    use tamim_app::table::CellProblem as C;
    match p {
        C::Empty => t!("cell-empty"),
        C::NotADate(v) => t!("cell-not-a-date", value = s(v)),
        C::LeftBeforeJoined { joined, left } => t!("cell-left-before-joined", joined = s(joined), left = s(left)),
        C::Repeated { value, first } => t!("cell-repeated", value = s(value), first = *first as i64),
        C::Invalid(v) => t!("cell-invalid", value = s(v)),
    }
}

fn table(e: &tamim_app::table::TableError) -> String {
    use tamim_app::table::TableProblem as P;
    let problem = match &e.problem {
        P::NotXlsx(why) => t!("table-not-xlsx", why = s(why)),
        P::Encrypted => t!("table-encrypted"),
        P::OldXls => t!("table-old-xls"),
        P::Empty => t!("table-empty"),
        P::MissingColumn { column, found } => t!("table-missing-column", column = s(column), found = s(found)),
        P::DuplicateColumn { key, first, second } => {
            t!(
                "table-duplicate-column",
                key = s(key),
                first = s(first),
                second = s(second)
            )
        }
        P::Cell { row, column, problem } => {
            t!(
                "table-cell",
                row = *row as i64,
                column = s(column),
                problem = cell(problem)
            )
        }
        P::Row { row, problem } => t!("table-row", row = *row as i64, problem = s(problem)),
    };
    t!("error-file", path = s(e.path.display()), problem = problem)
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
        Error::Account(a) => account(a),
        Error::Approval(a) => a.message_tr(),
        Error::Table(t) => table(t),
        Error::StaffAck(x) => staff_ack(x),
        Error::Delegate(x) => delegate(x),
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
        // The issuer's side's refusals are the Turkish messages the reporting office reads.
        Error::Report(r) => r.message_tr(),
        Error::ReportSend(x) => match x {
            tamim_app::report::send::SendError::NoLink { doc } => t!("error-report-no-link", doc = s(doc)),
            tamim_app::report::send::SendError::Unreachable(e) => {
                t!("error-report-unreachable", url = s(&e.url), problem = s(&e.source))
            }
            tamim_app::report::send::SendError::Refused {
                sequence,
                status,
                message,
            } => t!(
                "error-report-refused",
                sequence = *sequence,
                status = s(status),
                message = s(message)
            ),
        },
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
        Error::Drawing(e) => t!("error-internal", problem = s(e.to_string())),
        Error::Template(t) => template(t),
        Error::MailTemplate(m) => match m {
            tamim_channels::MailError::Template { name, message } => {
                t!("error-mail-template", name = s(name), problem = s(message))
            }
            other => t!("error-mail", problem = s(other)),
        },
        Error::Interrupted { sent } => t!("error-interrupted", sent = *sent),
        Error::Signing(e) => t!("error-not-signed", problem = signing(e)),
        Error::NoSigningKey => t!("error-no-signing-key"),
        Error::Secret { section, what, problem } => t!(
            "error-secret",
            section = s(section),
            what = s(what),
            problem = secret(problem)
        ),
        Error::UnsignedStatement => t!("error-unsigned-statement"),
        Error::Pdf(p) => pdf(p),
    }
}

fn pdf(e: &tamim_docs::pdf::PdfError) -> String {
    use tamim_docs::pdf::PdfError as P;
    match e {
        P::Empty => t!("error-pdf-empty"),
        P::NotPdf => t!("error-pdf-not-pdf"),
        P::Encrypted => t!("error-pdf-encrypted"),
        P::Corrupt(d) => t!("error-pdf-corrupt", detail = s(d)),
        other => t!("error-pdf-other", detail = s(other)),
    }
}

fn secret(p: &tamim_app::error::SecretProblem) -> String {
    use tamim_app::error::SecretProblem as P;
    match p {
        P::EnvUnset(var) => t!("error-secret-env-unset", var = s(var)),
        P::FileUnreadable(path) => t!("error-secret-file-unreadable", path = s(path.display())),
        P::FileEmpty(path) => t!("error-secret-file-empty", path = s(path.display())),
        P::NotGiven(what) => t!("error-secret-not-given", what = s(what)),
    }
}

/// Why signing failed, in the run's language: the key, the token, the certificate, the timestamp authority.
fn signing(e: &tamim_sign::Error) -> String {
    use tamim_sign::error::{CertProblem as C, TsaProblem as T};
    use tamim_sign::Error as E;
    match e {
        E::Read { what, path, .. } => t!("error-sign-read", what = s(what), path = s(path.display())),
        E::Pkcs12 { path, .. } => t!("error-sign-pkcs12", path = s(path.display())),
        E::Pkcs12Empty(path) => t!("error-sign-pkcs12-empty", path = s(path.display())),
        E::Module { path, .. } => t!("error-sign-module", path = s(path.display())),
        E::NoToken(path) => t!("error-sign-no-token", path = s(path.display())),
        E::NoSuchToken { label, present } => t!("error-sign-no-such-token", label = s(label), present = s(present)),
        E::WrongPin { label, .. } => t!("error-sign-wrong-pin", label = s(label)),
        E::TokenMissing { label, what } => t!("error-sign-token-missing", label = s(label), what = s(what)),
        E::Token { op, .. } => t!("error-sign-token", op = s(op)),
        E::Certificate { subject, problem } => {
            let date = |d: &chrono::DateTime<chrono::Utc>| super::i18n::date(d.date_naive());
            let p = match problem {
                C::NotYetValid { from, at } => t!("error-cert-not-yet-valid", from = date(from), at = date(at)),
                C::Expired { until, at } => t!("error-cert-expired", until = date(until), at = date(at)),
                C::NoNonRepudiation => t!("error-cert-no-non-repudiation"),
                C::NoDigitalSignature => t!("error-cert-no-digital-signature"),
            };
            t!("error-sign-certificate", subject = s(subject), problem = p)
        }
        E::UnsupportedKey(k) => t!("error-sign-unsupported-key", key = s(k)),
        E::KeyMismatch(k) => t!("error-sign-key-mismatch", key = s(k)),
        E::TsaUnreachable { url, .. } => t!("error-tsa-unreachable", url = s(url)),
        E::TsaAnswer { url, problem } => {
            let p = match problem {
                T::NotAResponse(d) => t!("error-tsa-not-a-response", detail = s(d)),
                T::Refused { status, text } => t!("error-tsa-refused", status = s(status), text = s(text)),
                T::NoToken => t!("error-tsa-no-token"),
                T::Unreadable(d) => t!("error-tsa-unreadable", detail = s(d)),
                T::OtherDigest => t!("error-tsa-other-digest"),
                T::OtherNonce => t!("error-tsa-other-nonce"),
                T::BadSignature(p) => t!("error-tsa-bad-signature", problem = sign_problem(p)),
                T::Http(code) => t!("error-tsa-http", code = s(code)),
            };
            t!("error-tsa-answer", url = s(url), problem = p)
        }
        E::Malformed(d) => t!("error-sign-malformed", detail = s(d)),
        E::Der(d) => t!("error-sign-der", detail = s(d)),
    }
}

/// Why a signature does not hold, in the run's language.
pub fn sign_problem(p: &tamim_sign::check::Problem) -> String {
    use tamim_sign::check::Problem as P;
    match p {
        P::NoSigner => t!("sig-problem-no-signer"),
        P::SignerCertificateMissing => t!("sig-problem-signer-cert-missing"),
        P::UnsupportedDigest(oid) => t!("sig-problem-unsupported-digest", oid = s(oid)),
        P::ContentChanged => t!("sig-problem-content-changed"),
        P::Encoding(d) => t!("sig-problem-encoding", detail = s(d)),
        P::SignatureInvalid => t!("sig-problem-signature-invalid"),
        P::SigningCertificateOther => t!("sig-problem-signing-cert-other"),
        P::SigningCertificateUnreadable(d) => t!("sig-problem-signing-cert-unreadable", detail = s(d)),
        P::SigningCertificateAbsent => t!("sig-problem-signing-cert-absent"),
        P::StampUnreadable => t!("sig-problem-stamp-unreadable"),
        P::StampWithoutInfo => t!("sig-problem-stamp-without-info"),
        P::StampOverOtherData => t!("sig-problem-stamp-over-other-data"),
        P::NotSignedData => t!("sig-problem-not-signed-data"),
        P::ByteRange => t!("sig-problem-byte-range"),
        P::Malformed(d) => t!("sig-problem-malformed", detail = s(d)),
    }
}

/// A document template's failure, naming the template and the line.
fn template(e: &tamim_docs::render::TemplateError) -> String {
    use tamim_docs::render::TemplateError as T;
    match e {
        T::UnknownTemplate { name, available } => {
            t!(
                "error-template-unknown",
                name = s(name),
                available = s(available.join(", "))
            )
        }
        T::MissingField { template, field, line } => t!(
            "error-template-missing-field",
            template = s(template),
            field = s(field),
            line = *line as i64
        ),
        T::Syntax {
            template,
            line,
            message,
        } => t!(
            "error-template-syntax",
            template = s(template),
            line = *line as i64,
            problem = s(message)
        ),
        T::Render {
            template,
            line,
            message,
        } => t!(
            "error-template-render",
            template = s(template),
            line = *line as i64,
            problem = s(message)
        ),
        T::InvalidLetter { template, message } => {
            t!("error-template-invalid", template = s(template), problem = s(message))
        }
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
            | Error::Signing(_)
            | Error::Pdf(_)
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
