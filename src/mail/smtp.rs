//! SMTP sending on lettre's low-level client ([`lettre::transport::smtp::client::SmtpConnection`]):
//! plain, STARTTLS or TLS-wrapper (SMTPS) connections, AUTH PLAIN/LOGIN, a trusted CA
//! certificate from a file, timeouts, connection reuse with a per-connection message limit, a
//! shared rate limit, and [`SmtpPool`] to send a batch over N connections in N threads.
//!
//! Why not `lettre::SmtpTransport`: in lettre 0.11.23 (the newest release) it writes the
//! end-of-data marker `\r\n.\r\n` as a separate small write on a socket without
//! `TCP_NODELAY`, so each message waits for the server's delayed ACK (≈40 ms on Linux). Here
//! the dot-stuffed body and the marker go out in one write through
//! `SmtpConnection::command`, which removes that wait while keeping lettre's TLS, AUTH,
//! response parsing and typed errors.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error as SmtpError;

use super::message::{build, OutgoingMail};
use super::transport::{Delivered, FailureKind, SendError, Stage, Transport};
use super::MailError;

/// How the connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain text (`smtp://host:port`).
    None,
    /// Plain connect, then STARTTLS, required (`smtp://host:port?tls=starttls`).
    Starttls,
    /// TLS from the first byte (`smtps://host:port`).
    Wrapper,
}

/// A password: `Debug` and `Display` print `***`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// From an environment variable; `Ok(None)` when it is not set.
    pub fn from_env(var: &str) -> Result<Option<Secret>, MailError> {
        match std::env::var(var) {
            Ok(v) => Ok(Some(Secret(v))),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(MailError::Settings(format!(
                "the environment variable {var} is not valid UTF-8"
            ))),
        }
    }

    /// From a file (one trailing line break removed).
    pub fn from_file(path: &std::path::Path) -> Result<Secret, MailError> {
        let s = std::fs::read_to_string(path)
            .map_err(|source| MailError::Io { path: path.to_path_buf(), source })?;
        let s = s.strip_suffix('\n').unwrap_or(&s);
        Ok(Secret(s.strip_suffix('\r').unwrap_or(s).to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// SMTP settings. `url` is `smtp://HOST[:PORT]` (plain, port 25), `smtp://HOST[:PORT]?tls=starttls`
/// (STARTTLS required, port 587) or `smtps://HOST[:PORT]` (TLS wrapper, port 465); no user or
/// password in the URL.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub url: String,
    pub username: Option<String>,
    /// From the environment or a file only ([`Secret::from_env`], [`Secret::from_file`]).
    pub password: Option<Secret>,
    /// A PEM certificate to trust in addition to the built-in web roots (a self-signed server).
    pub ca_cert_pem: Option<PathBuf>,
    /// Connect, read and write timeout.
    pub timeout: Duration,
    /// Connections (and threads) an [`SmtpPool`] uses.
    pub pool_size: usize,
    /// At most this many messages per second over all connections sharing the settings.
    pub rate_per_sec: Option<f64>,
    /// Messages sent on one connection before it is closed and a new one opened.
    pub per_connection_limit: Option<u32>,
    /// The EHLO name.
    pub helo_name: String,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            url: "smtp://127.0.0.1:25".into(),
            username: None,
            password: None,
            ca_cert_pem: None,
            timeout: Duration::from_secs(30),
            pool_size: 4,
            rate_per_sec: None,
            per_connection_limit: None,
            helo_name: "localhost".into(),
        }
    }
}

/// Where to connect, read from [`SmtpSettings::url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        match self.tls {
            Tls::None => write!(f, "smtp://{host}:{}", self.port),
            Tls::Starttls => write!(f, "smtp://{host}:{}?tls=starttls", self.port),
            Tls::Wrapper => write!(f, "smtps://{host}:{}", self.port),
        }
    }
}

impl SmtpSettings {
    /// Parses `url` (see the struct's documentation).
    pub fn endpoint(&self) -> Result<Endpoint, MailError> {
        let bad = |why: &str| MailError::Settings(format!("the SMTP URL {:?} {why}", self.url));
        let url = self.url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme (smtp:// or smtps://)"))?;
        let (authority, query) = match rest.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let authority = authority.trim_end_matches('/');
        if authority.contains('@') {
            return Err(bad("contains a user name or password; set username in the settings and the password in the environment or a file"));
        }
        let mut tls = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => Tls::None,
            "smtps" => Tls::Wrapper,
            _ => return Err(bad("must start with smtp:// or smtps://")),
        };
        if let Some(q) = query {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                match pair.to_ascii_lowercase().as_str() {
                    "tls=starttls" | "tls=required" | "starttls" if tls == Tls::None => tls = Tls::Starttls,
                    "tls=none" if tls == Tls::None => {}
                    "tls=wrapper" | "tls=smtps" => tls = Tls::Wrapper,
                    _ => return Err(bad(&format!("has an unknown option {pair:?} (use ?tls=starttls)"))),
                }
            }
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("has an unclosed [ in the host"))?;
            (h.to_string(), after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("has no usable host"));
        }
        let port = match port {
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| bad("has an invalid port"))?,
            None => match tls {
                Tls::None => 25,
                Tls::Starttls => 587,
                Tls::Wrapper => 465,
            },
        };
        Ok(Endpoint { host, port, tls })
    }
}

/// What the connections built from one settings value share.
struct Shared {
    settings: SmtpSettings,
    endpoint: Endpoint,
    where_: String,
    tls_params: Option<TlsParameters>,
    next_slot: Option<(Mutex<Instant>, Duration)>,
}

impl Shared {
    fn new(settings: SmtpSettings) -> Result<Shared, MailError> {
        let endpoint = settings.endpoint()?;
        let tls_params = if endpoint.tls == Tls::None {
            None
        } else {
            let mut b = TlsParameters::builder(endpoint.host.clone());
            if let Some(path) = &settings.ca_cert_pem {
                let pem = std::fs::read(path)
                    .map_err(|source| MailError::Io { path: path.clone(), source })?;
                let cert = Certificate::from_pem(&pem).map_err(|e| {
                    MailError::Settings(format!("{} is not a PEM certificate: {e}", path.display()))
                })?;
                b = b.add_root_certificate(cert);
            }
            Some(b.build_rustls().map_err(|e| MailError::Settings(format!("TLS: {e}")))?)
        };
        let next_slot = match settings.rate_per_sec {
            Some(r) if r.is_finite() && r > 0.0 => {
                Some((Mutex::new(Instant::now()), Duration::from_secs_f64(1.0 / r)))
            }
            Some(r) => return Err(MailError::Settings(format!("rate_per_sec must be above 0, not {r}"))),
            None => None,
        };
        if settings.username.is_some() && endpoint.tls == Tls::None && !is_loopback(&endpoint.host) {
            return Err(MailError::Settings(format!(
                "refusing to send the password unencrypted to {endpoint}; use ?tls=starttls or smtps://"
            )));
        }
        Ok(Shared { where_: endpoint.to_string(), settings, endpoint, tls_params, next_slot })
    }

    /// Waits for this message's slot under the shared rate limit.
    fn wait_rate(&self) {
        if let Some((next, interval)) = &self.next_slot {
            let slot = match next.lock() {
                Ok(mut n) => {
                    let now = Instant::now();
                    let slot = if *n > now { *n } else { now };
                    *n = slot + *interval;
                    slot
                }
                Err(_) => return,
            };
            let now = Instant::now();
            if slot > now {
                std::thread::sleep(slot - now);
            }
        }
    }

    /// A plain-English error naming where it tried; the password is never in it.
    fn error(&self, stage: Stage, e: &SmtpError) -> SendError {
        let mut kind = classify(e);
        // rustls reports an untrusted or mismatched certificate as an I/O error during the
        // handshake; retrying will not fix it. Only a timeout or a 4xx reply stays transient.
        if stage == Stage::Tls && !e.is_timeout() && !e.is_transient() {
            kind = FailureKind::Permanent;
        }
        let code = e.status().map(u16::from);
        let mut message = format!("{}: {stage} failed: {e}", self.where_);
        if let Some(p) = &self.settings.password {
            if p.expose().len() >= 4 {
                message = message.replace(p.expose(), "***");
            }
        }
        SendError { kind, stage, code, message }
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().map(|a| a.is_loopback()).unwrap_or(false)
}

/// Transient or permanent, from lettre's error type: 5xx replies, TLS and client-side errors
/// are permanent; 4xx replies, timeouts, refused or lost connections and garbled replies are
/// transient.
pub fn classify(e: &SmtpError) -> FailureKind {
    if e.is_permanent() || e.is_tls() || e.is_client() {
        FailureKind::Permanent
    } else {
        FailureKind::Transient
    }
}

/// The message body, dot-stuffed, with the end-of-data marker, ready to go out in one write.
pub(crate) fn data_payload(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 64 + 5);
    let mut line_start = true;
    for &b in message {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        line_start = b == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Sends an already-encoded payload as if it were a command (one write, then the reply).
struct RawPayload(String);

impl std::fmt::Display for RawPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One SMTP connection, opened on first use and reused; implements [`Transport`].
pub struct SmtpTransport {
    shared: Arc<Shared>,
    conn: Option<SmtpConnection>,
    sent_on_conn: u32,
}

impl SmtpTransport {
    /// Checks the settings (URL, certificate file); connects on the first send.
    pub fn new(settings: SmtpSettings) -> Result<SmtpTransport, MailError> {
        Ok(Self::with_shared(Arc::new(Shared::new(settings)?)))
    }

    fn with_shared(shared: Arc<Shared>) -> SmtpTransport {
        SmtpTransport { shared, conn: None, sent_on_conn: 0 }
    }

    /// `smtp://host:port` (with `?tls=starttls`) or `smtps://host:port`.
    pub fn endpoint(&self) -> &Endpoint {
        &self.shared.endpoint
    }

    fn connect(&mut self) -> Result<(), SendError> {
        let sh = Arc::clone(&self.shared);
        let s = &sh.settings;
        let client_id = ClientId::Domain(s.helo_name.clone());
        let wrapper = if sh.endpoint.tls == Tls::Wrapper { sh.tls_params.as_ref() } else { None };
        let mut conn = SmtpConnection::connect(
            (sh.endpoint.host.as_str(), sh.endpoint.port),
            Some(s.timeout),
            &client_id,
            wrapper,
            None,
        )
        .map_err(|e| sh.error(if e.is_tls() { Stage::Tls } else { Stage::Connect }, &e))?;
        if sh.endpoint.tls == Tls::Starttls {
            if !conn.can_starttls() {
                conn.abort();
                return Err(SendError {
                    kind: FailureKind::Permanent,
                    stage: Stage::Tls,
                    code: None,
                    message: format!("{}: the server does not offer STARTTLS", sh.where_),
                });
            }
            if let Some(p) = &sh.tls_params {
                conn.starttls(p, &client_id).map_err(|e| sh.error(Stage::Tls, &e))?;
            }
        }
        if let Some(user) = &s.username {
            let password = s.password.as_ref().map(|p| p.expose().to_string()).unwrap_or_default();
            let creds = Credentials::new(user.clone(), password);
            if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds) {
                conn.abort();
                return Err(sh.error(Stage::Auth, &e));
            }
        }
        self.conn = Some(conn);
        self.sent_on_conn = 0;
        Ok(())
    }

    /// MAIL, RCPT, DATA and the body; the error says at which step.
    fn transact(
        conn: &mut SmtpConnection,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<String, (Stage, SmtpError)> {
        let mut params = Vec::new();
        if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let non_ascii = envelope.to().iter().chain(envelope.from()).any(|a| !a.to_string().is_ascii());
        if non_ascii && conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            params.push(MailParameter::SmtpUtfEight);
        }
        conn.command(Mail::new(envelope.from().cloned(), params)).map_err(|e| (Stage::MailFrom, e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![])).map_err(|e| (Stage::Rcpt, e))?;
        }
        conn.command(Data).map_err(|e| (Stage::Data, e))?;
        let reply = match String::from_utf8(data_payload(bytes)) {
            Ok(payload) => conn.command(RawPayload(payload)),
            Err(_) => conn.message(bytes),
        }
        .map_err(|e| (Stage::Data, e))?;
        let text: Vec<&str> = reply.message().collect();
        Ok(format!("{} {}", reply.code(), text.join(" ")).trim_end().to_string())
    }

    /// Closes the connection politely (QUIT), if one is open.
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

impl Transport for SmtpTransport {
    fn send(&mut self, msg: &OutgoingMail) -> Result<Delivered, SendError> {
        let built = build(msg).map_err(|e| SendError {
            kind: FailureKind::Permanent,
            stage: Stage::Build,
            code: None,
            message: e.to_string(),
        })?;
        let bytes = built.formatted();
        let envelope = built.envelope().clone();
        self.shared.wait_rate();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let stale = self.conn.as_ref().is_none_or(|c| c.has_broken());
            if stale {
                self.conn = None;
                self.connect()?;
            }
            let reused = self.sent_on_conn > 0;
            let Some(conn) = self.conn.as_mut() else { continue };
            match Self::transact(conn, &envelope, &bytes) {
                Ok(reply) => {
                    self.sent_on_conn += 1;
                    if let Some(limit) = self.shared.settings.per_connection_limit {
                        if self.sent_on_conn >= limit {
                            self.close();
                        }
                    }
                    return Ok(Delivered { reply });
                }
                Err((stage, e)) => {
                    let answered = e.status().is_some();
                    // A reused connection the server closed while idle: open a new one once.
                    if !answered && stage == Stage::MailFrom && reused && attempts == 1 {
                        self.conn = None;
                        continue;
                    }
                    if answered && !conn.has_broken() && conn.command(Rset).is_ok() {
                        // The connection stays usable for the next message.
                    } else {
                        if let Some(mut c) = self.conn.take() {
                            c.abort();
                        }
                    }
                    return Err(self.shared.error(stage, &e));
                }
            }
        }
    }
}

impl Drop for SmtpTransport {
    fn drop(&mut self) {
        self.close();
    }
}

/// N connections sending in N threads; settings shared (one rate limit for all).
pub struct SmtpPool {
    transports: Vec<SmtpTransport>,
}

impl SmtpPool {
    /// `settings.pool_size` connections (at least one), opened on first use.
    pub fn new(settings: SmtpSettings) -> Result<SmtpPool, MailError> {
        let n = settings.pool_size.max(1);
        let shared = Arc::new(Shared::new(settings)?);
        Ok(SmtpPool { transports: (0..n).map(|_| SmtpTransport::with_shared(Arc::clone(&shared))).collect() })
    }

    pub fn size(&self) -> usize {
        self.transports.len()
    }

    /// Sends `messages` over the pool. At most 2 × size messages are in flight; they are
    /// taken from the iterator in order as capacity frees up, so a long or lazy iterator
    /// stays cheap in memory. `on_result(index, message, result)` runs on the calling
    /// thread once for every message that was handed to a connection (in completion order,
    /// `index` = position in `messages`); returning `ControlFlow::Break(())` stops taking
    /// new messages, and the ones already in flight are still reported. Returns how many
    /// messages were reported.
    pub fn send_all<I, F>(&mut self, messages: I, mut on_result: F) -> usize
    where
        I: IntoIterator<Item = OutgoingMail>,
        F: FnMut(usize, OutgoingMail, Result<Delivered, SendError>) -> ControlFlow<()>,
    {
        let window = self.transports.len() * 2;
        let (work_tx, work_rx) = mpsc::channel::<(usize, OutgoingMail)>();
        let work_rx = Mutex::new(work_rx);
        type Done = (usize, OutgoingMail, Result<Delivered, SendError>);
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let mut reported = 0;
        std::thread::scope(|s| {
            for t in self.transports.iter_mut() {
                let rx = &work_rx;
                let tx = done_tx.clone();
                s.spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => break,
                    };
                    let Ok((i, m)) = job else { break };
                    let r = t.send(&m);
                    if tx.send((i, m, r)).is_err() {
                        break;
                    }
                });
            }
            drop(done_tx);
            let mut source = messages.into_iter().enumerate();
            let mut feeding = true;
            let mut in_flight = 0usize;
            loop {
                while feeding && in_flight < window {
                    match source.next() {
                        Some(job) => {
                            if work_tx.send(job).is_err() {
                                feeding = false;
                                break;
                            }
                            in_flight += 1;
                        }
                        None => feeding = false,
                    }
                }
                if in_flight == 0 {
                    break;
                }
                let Ok((i, m, r)) = done_rx.recv() else { break };
                in_flight -= 1;
                reported += 1;
                if on_result(i, m, r).is_break() {
                    feeding = false;
                }
            }
            drop(work_tx);
        });
        reported
    }
}

/// One-shot: a pool from `settings`, `messages` sent across it (see [`SmtpPool::send_all`]).
pub fn parallel_send<I, F>(settings: &SmtpSettings, messages: I, on_result: F) -> Result<usize, MailError>
where
    I: IntoIterator<Item = OutgoingMail>,
    F: FnMut(usize, OutgoingMail, Result<Delivered, SendError>) -> ControlFlow<()>,
{
    Ok(SmtpPool::new(settings.clone())?.send_all(messages, on_result))
}
