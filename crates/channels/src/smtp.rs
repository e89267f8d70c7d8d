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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error as SmtpError;

use tamim_core::Channel;

use super::message::{BuiltMail, OutgoingMail};
use super::settings::{Endpoint, SmtpSettings, Tls};
use super::transport::{send_parallel, Delivered, FailureKind, SendError, Stage, Transport};
use super::MailError;

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
                let pem = std::fs::read(path).map_err(|source| MailError::Io {
                    path: path.clone(),
                    source,
                })?;
                let cert = Certificate::from_pem(&pem)
                    .map_err(|e| MailError::Settings(format!("{} is not a PEM certificate: {e}", path.display())))?;
                b = b.add_root_certificate(cert);
            }
            Some(b.build_rustls().map_err(|e| MailError::Settings(format!("TLS: {e}")))?)
        };
        let next_slot = match settings.rate_per_sec {
            Some(r) if r.is_finite() && r > 0.0 => Some((Mutex::new(Instant::now()), Duration::from_secs_f64(1.0 / r))),
            Some(r) => return Err(MailError::Settings(format!("rate_per_sec must be above 0, not {r}"))),
            None => None,
        };
        if settings.username.is_some() && endpoint.tls == Tls::None && !is_loopback(&endpoint.host) {
            return Err(MailError::Settings(format!(
                "refusing to send the password unencrypted to {endpoint}; use ?tls=starttls or smtps://"
            )));
        }
        Ok(Shared {
            where_: endpoint.to_string(),
            settings,
            endpoint,
            tls_params,
            next_slot,
        })
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
        if no_answer(e) {
            message.push_str(&format!(
                " (no answer from the server within {:?})",
                self.settings.timeout
            ));
            kind = FailureKind::Transient;
        }
        if let Some(p) = &self.settings.password {
            if p.expose().len() >= 4 {
                message = message.replace(p.expose(), "***");
            }
        }
        SendError {
            kind,
            stage,
            code,
            message,
        }
    }
}

/// True when an I/O read or write timed out (Linux reports a socket timeout as WouldBlock).
fn no_answer(e: &SmtpError) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock);
        }
        source = err.source();
    }
    false
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .map(|a| a.is_loopback())
            .unwrap_or(false)
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
    let mut out = Vec::with_capacity(message.len() + 8);
    // Copy line runs whole; only a line starting with `.` gets one more (rare: never in base64).
    let mut from = 0;
    if message.first() == Some(&b'.') {
        out.push(b'.');
    }
    for (i, w) in message.windows(2).enumerate() {
        if w == b"\n." {
            out.extend_from_slice(&message[from..=i]);
            out.push(b'.');
            from = i + 1;
        }
    }
    out.extend_from_slice(&message[from..]);
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
        SmtpTransport {
            shared,
            conn: None,
            sent_on_conn: 0,
        }
    }

    /// `smtp://host:port` (with `?tls=starttls`) or `smtps://host:port`.
    pub fn endpoint(&self) -> &Endpoint {
        &self.shared.endpoint
    }

    fn connect(&mut self) -> Result<(), SendError> {
        let sh = Arc::clone(&self.shared);
        let s = &sh.settings;
        let client_id = ClientId::Domain(s.helo_name.clone());
        let wrapper = if sh.endpoint.tls == Tls::Wrapper {
            sh.tls_params.as_ref()
        } else {
            None
        };
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
    fn transact(conn: &mut SmtpConnection, envelope: &Envelope, bytes: &[u8]) -> Result<String, (Stage, SmtpError)> {
        let mut params = Vec::new();
        if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let non_ascii = envelope
            .to()
            .iter()
            .chain(envelope.from())
            .any(|a| !a.to_string().is_ascii());
        if non_ascii && conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            params.push(MailParameter::SmtpUtfEight);
        }
        conn.command(Mail::new(envelope.from().cloned(), params))
            .map_err(|e| (Stage::MailFrom, e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .map_err(|e| (Stage::Rcpt, e))?;
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

    /// Connect (TLS and AUTH included) without sending anything, keeping the connection for the next send:
    /// whether the server will take mail at all, before anything that depends on it is recorded.
    pub fn check(&mut self) -> Result<(), SendError> {
        if self.conn.is_none() {
            self.connect()?;
        }
        Ok(())
    }

    /// Closes the connection politely (QUIT), if one is open.
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

impl Transport for SmtpTransport {
    type Message = BuiltMail;

    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send_built(&mut self, msg: &BuiltMail) -> Result<Delivered, SendError> {
        let (envelope, bytes) = (&msg.envelope, &msg.bytes);
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
            let Some(conn) = self.conn.as_mut() else {
                continue;
            };
            match Self::transact(conn, envelope, bytes) {
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
        Ok(SmtpPool {
            transports: (0..n)
                .map(|_| SmtpTransport::with_shared(Arc::clone(&shared)))
                .collect(),
        })
    }

    pub fn size(&self) -> usize {
        self.transports.len()
    }

    /// Sends `messages` over the pool, one thread per connection; see [`send_parallel`]
    /// for the order, back-pressure and stopping rules.
    pub fn send_all<I, F>(&mut self, messages: I, on_result: F) -> usize
    where
        I: IntoIterator<Item = OutgoingMail>,
        F: FnMut(usize, OutgoingMail, Result<Delivered, SendError>) -> ControlFlow<()>,
    {
        send_parallel(&mut self.transports, messages, on_result)
    }

    /// The pool's connections, e.g. for [`super::send_jobs`].
    pub fn transports_mut(&mut self) -> &mut [SmtpTransport] {
        &mut self.transports
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
