//! SMTP settings: the server URL ([`SmtpSettings::url`] → [`Endpoint`] with its [`Tls`] mode),
//! credentials with the password kept in a [`Secret`], TLS trust, timeouts, pool size and rate
//! limits.

use std::path::PathBuf;
use std::time::Duration;

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
        let s = std::fs::read_to_string(path).map_err(|source| MailError::Io {
            path: path.to_path_buf(),
            source,
        })?;
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
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
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
        let bad = |why: &str| MailError::Settings(format!("the SMTP URL {:?} {why}", redacted_url(&self.url)));
        let url = self.url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("has no scheme (smtp:// or smtps://)"))?;
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
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("has an invalid port"))?,
            None => match tls {
                Tls::None => 25,
                Tls::Starttls => 587,
                Tls::Wrapper => 465,
            },
        };
        Ok(Endpoint { host, port, tls })
    }
}

/// An SMTP URL as it may be shown: a user name or password in it (`smtp://user:pw@host`) replaced by `***`.
pub fn redacted_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let shown = match rest[..end].rfind('@') {
        Some(at) => format!("***@{}", &rest[at + 1..]),
        None => rest.to_string(),
    };
    match scheme {
        Some(s) => format!("{s}://{shown}"),
        None => shown,
    }
}
