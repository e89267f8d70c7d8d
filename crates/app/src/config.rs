//! `office.toml`: who this office is, how it numbers, how it sends. A pure parse with unknown keys rejected.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::{Error, Result};

/// The whole of `office.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OfficeConfig {
    pub office: Office,
    #[serde(default)]
    pub signatories: Vec<Signatory>,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub numbering: Numbering,
    #[serde(default)]
    pub mail: MailSettings,
    #[serde(default)]
    pub ack: AckSettings,
    #[serde(default)]
    pub audit: AuditSettings,
    /// `tamim serve`: whether it is reached over HTTPS (the session cookie is then `Secure`).
    #[serde(default)]
    pub server: ServerSettings,
    /// Signing issued documents (`issue --sign`) and packages: `[signing.key]`, `[signing.seal]`, `[signing.tsa]`.
    #[serde(default)]
    pub signing: SigningSettings,
    #[serde(default)]
    pub files: FileSettings,
    /// `[approval]`: the office's default chain of a draft (paraf users in order, then the imza user).
    #[serde(default)]
    pub approval: ApprovalSettings,
}

/// This office: the letterhead and the contact block of every letter it issues.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// The org code this office has in its own registry (e.g. `IESOB`).
    pub code: String,
    /// Full name, as in running text: `İstanbul Esnaf ve Sanatkarlar Odaları Birliği`.
    pub name: String,
    /// Heading lines, top to bottom: `T.C.`, `İSTANBUL VALİLİĞİ`, `İl Yazı İşleri Müdürlüğü`.
    pub heading: Vec<String>,
    /// A chamber's founding line, e.g. `KURULUŞ: 1951`.
    #[serde(default)]
    pub founding: Option<String>,
    #[serde(default)]
    pub detsis: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub fax: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub web: Option<String>,
    #[serde(default)]
    pub kep: Option<String>,
    /// Where recipients acknowledge and documents are verified: `https://tamim.example.org`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Default template for outgoing circulars (`tamim`, `genelge`, `ust-yazi`, `karar`).
    #[serde(default = "default_template")]
    pub template: String,
    /// The office's clock, an IANA time zone name: times in reports, pages and the CLI are shown in it.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

/// The clock an office is on unless its office.toml names another.
pub const DEFAULT_ZONE: chrono_tz::Tz = chrono_tz::Europe::Istanbul;

fn default_time_zone() -> String {
    "Europe/Istanbul".into()
}

impl Office {
    /// [`Office::time_zone`] as a zone (checked when office.toml is read; Europe/Istanbul otherwise).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(DEFAULT_ZONE)
    }
}

fn default_base_url() -> String {
    "http://127.0.0.1:8080".into()
}
fn default_template() -> String {
    "tamim".into()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    /// Title lines under the name: `["Vali a.", "Vali Yardımcısı"]`.
    pub title: Vec<String>,
}

/// The `Bilgi için` contact printed at the bottom right.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// How outgoing sayı numbers are printed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SayiStyle {
    /// A chamber's plain running number: `4516`.
    #[default]
    Plain,
    /// e-Yazışma: `E-<DETSİS>-<SDP>-<number>`.
    Eyazisma,
    /// The older dotted form: `<DETSİS>.<SDP>/<number>`.
    Dotted,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Numbering {
    #[serde(default)]
    pub sayi_style: SayiStyle,
    /// File-plan (SDP) code used in e-Yazışma and dotted sayı: `010.06` is Genelgeler.
    #[serde(default = "default_sdp")]
    pub sdp: String,
}

fn default_sdp() -> String {
    "010.06".into()
}

impl Default for Numbering {
    fn default() -> Self {
        Numbering {
            sayi_style: SayiStyle::Plain,
            sdp: default_sdp(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `file` (one .eml per message in output/outbox) or `smtp`.
    #[serde(default = "default_transport")]
    pub transport: String,
    #[serde(default)]
    pub from_name: Option<String>,
    #[serde(default)]
    pub from_addr: Option<String>,
    /// `smtp://host:port`, `smtps://host:port`, `smtp://host:port?tls=starttls`.
    #[serde(default)]
    pub smtp_url: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    /// A file holding the SMTP password; the password itself never goes in office.toml.
    #[serde(default)]
    pub password_file: Option<String>,
    /// A PEM certificate to trust for a self-signed server.
    #[serde(default)]
    pub ca_cert: Option<String>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    #[serde(default = "default_pool")]
    pub pool_size: u32,
    #[serde(default)]
    pub rate_per_sec: Option<f64>,
    #[serde(default)]
    pub per_connection_limit: Option<u32>,
    /// PDFs larger than this are linked, not attached.
    #[serde(default = "default_attach_limit")]
    pub attach_limit_bytes: u64,
}

fn default_transport() -> String {
    "file".into()
}
fn default_timeout() -> u64 {
    30
}
fn default_pool() -> u32 {
    4
}
fn default_attach_limit() -> u64 {
    10 * 1024 * 1024
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: default_transport(),
            from_name: None,
            from_addr: None,
            smtp_url: None,
            username: None,
            password_file: None,
            ca_cert: None,
            timeout_secs: default_timeout(),
            pool_size: default_pool(),
            rate_per_sec: None,
            per_connection_limit: None,
            attach_limit_bytes: default_attach_limit(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AckSettings {
    /// Days a recipient has to acknowledge (15 working days is the regulation's default for information).
    #[serde(default = "default_deadline_days")]
    pub deadline_days: u32,
    /// After this many reminders, the next goes to the recipient's parent org.
    #[serde(default = "default_escalate")]
    pub escalate_after: u32,
}

fn default_deadline_days() -> u32 {
    15
}
fn default_escalate() -> u32 {
    2
}

impl Default for AckSettings {
    fn default() -> Self {
        AckSettings {
            deadline_days: default_deadline_days(),
            escalate_after: default_escalate(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// Token that opens the auditor's pages in `tamim serve`.
    #[serde(default)]
    pub token: Option<String>,
}

/// `[approval]`: who reviews and who signs a draft unless its form names others — usernames of the office's
/// accounts: `paraf = ["sef", "mudur"]` (in order, up the hierarchy), `imza = "genelsekreter"`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    #[serde(default)]
    pub paraf: Vec<String>,
    #[serde(default)]
    pub imza: Option<String>,
}

/// `[server]`: how `tamim serve` is reached.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// The pages are served over HTTPS (usually a TLS reverse proxy in front of `tamim serve` on
    /// 127.0.0.1): the session cookie is marked `Secure`, so a browser never sends it in clear.
    #[serde(default)]
    pub tls: bool,
}

/// `[signing]`: where the signer's key is, the institution's seal, the timestamp authority.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct SigningSettings {
    /// The signer's key (`[signing.key]`).
    #[serde(default)]
    pub key: Option<KeySettings>,
    /// The institution's e-mühür (`[signing.seal]`): seals NihaiOzet in e-Yazışma packages.
    #[serde(default)]
    pub seal: Option<KeySettings>,
    /// A timestamp authority (`[signing.tsa]`): signatures become PAdES B-T.
    #[serde(default)]
    pub tsa: Option<TsaSettings>,
}

/// A key: on a PKCS#11 token (`module`, `token`, `pin_file`/`pin_env`) or in a PKCS#12 file (`pkcs12`,
/// `password_file`/`password_env`). Secrets are read from a file or the environment, never written here.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct KeySettings {
    /// The PKCS#11 module (the card's library, or SoftHSM2's).
    #[serde(default)]
    pub module: Option<String>,
    /// The token's label (the slot's token).
    #[serde(default)]
    pub token: Option<String>,
    /// The private key's label on the token; the first key when absent.
    #[serde(default)]
    pub key_label: Option<String>,
    #[serde(default)]
    pub pin_file: Option<String>,
    /// The name of the environment variable holding the PIN.
    #[serde(default)]
    pub pin_env: Option<String>,
    /// A PKCS#12 (.p12/.pfx) file.
    #[serde(default)]
    pub pkcs12: Option<String>,
    #[serde(default)]
    pub password_file: Option<String>,
    /// The name of the environment variable holding the PKCS#12 password.
    #[serde(default)]
    pub password_env: Option<String>,
    /// Intermediate certificates (PEM) to complete the chain.
    #[serde(default)]
    pub chain: Option<String>,
}

/// `[signing.tsa]`: an RFC 3161 timestamp authority, and how to authenticate to it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct TsaSettings {
    pub url: String,
    /// HTTP basic authentication: the user name; the password from `password_file` or `password_env`.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password_file: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
    /// A header the authority wants with each request (e.g. "X-API-Key"); its value from
    /// `header_value_file` or `header_value_env`.
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub header_value_file: Option<String>,
    #[serde(default)]
    pub header_value_env: Option<String>,
    #[serde(default = "default_tsa_timeout")]
    pub timeout_secs: u64,
}

fn default_tsa_timeout() -> u64 {
    15
}

/// `[files]`: who may open what tamim writes for people — issued PDFs, reports, sheets, drafts, packages.
/// The registry's own files (the database, `secret.key`, `files/`) and the e-mail outbox (each message holds
/// its recipient's acknowledgement link) stay the owner's alone whatever this says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// Octal permissions of output files, e.g. "0640" (owner reads and writes, the group reads: the default)
    /// or "0600" (the owner only). Folders made for them get the same, plus search (x) where read is given.
    #[serde(default = "default_file_mode")]
    pub mode: String,
}

fn default_file_mode() -> String {
    "0640".into()
}

impl Default for FileSettings {
    fn default() -> Self {
        FileSettings {
            mode: default_file_mode(),
        }
    }
}

/// Permissions for output files and the folders made for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    pub file: u32,
    pub dir: u32,
}

impl Default for Modes {
    /// `[files] mode = "0640"`: folders 0750.
    fn default() -> Self {
        Modes::from_file_mode(0o640)
    }
}

impl Modes {
    fn from_file_mode(file: u32) -> Modes {
        let search = (file & 0o444) >> 2;
        Modes {
            file,
            dir: file | search,
        }
    }
}

impl FileSettings {
    /// The modes `mode` gives; an error names the setting and the problem.
    pub fn modes(&self) -> Result<Modes> {
        let bad = |why: &str| Error::Config(format!("[files] mode = {:?}: {why}", self.mode));
        let digits = self.mode.trim();
        if !(3..=4).contains(&digits.len()) || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return Err(bad(msg::MODE_NOT_OCTAL));
        }
        let mode = u32::from_str_radix(digits, 8).map_err(|_| bad(msg::MODE_NOT_OCTAL))?;
        if mode & !0o666 != 0 {
            return Err(bad(msg::MODE_EXECUTE));
        }
        if mode & 0o600 != 0o600 {
            return Err(bad(msg::MODE_OWNER));
        }
        Ok(Modes::from_file_mode(mode))
    }
}

/// The messages of `[files]` a user reads (English; the CLI's catalogs carry the Turkish).
mod msg {
    pub const MODE_NOT_OCTAL: &str =
        "give octal permissions of 3 or 4 digits, e.g. \"0640\" (group may read) or \"0600\" (owner only)";
    pub const MODE_EXECUTE: &str =
        "output files are documents, not programs: no execute, setuid, setgid or sticky bits (e.g. \"0640\")";
    pub const MODE_OWNER: &str = "the owner must be able to read and write the files (e.g. \"0640\")";
}

impl OfficeConfig {
    /// The permissions of output files and folders (`[files] mode`, checked when office.toml is read).
    pub fn modes(&self) -> Modes {
        self.files.modes().unwrap_or_default()
    }

    /// Parse the text of an office.toml; unknown keys are an error naming the key.
    pub fn parse(text: &str) -> Result<OfficeConfig> {
        let cfg: OfficeConfig = toml::from_str(text).map_err(|e| Error::Config(e.to_string().trim().to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn from_file(path: &Path) -> Result<OfficeConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        OfficeConfig::parse(&text).map_err(|e| match e {
            Error::Config(m) => Error::Config(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    fn validate(&self) -> Result<()> {
        if self.office.name.trim().is_empty() {
            return Err(Error::Config("office.name is empty".into()));
        }
        if self.office.code.trim().is_empty() {
            return Err(Error::Config("office.code is empty".into()));
        }
        if self.office.heading.is_empty() {
            return Err(Error::Config("office.heading needs at least one line".into()));
        }
        if self.signatories.len() > 4 {
            return Err(Error::Config(format!(
                "{} signatories given; a letter carries 1 to 4 side by side",
                self.signatories.len()
            )));
        }
        if self.office.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(Error::Config(format!(
                "[office] time_zone: {:?} is not a time zone name; write one such as \"Europe/Istanbul\"",
                self.office.time_zone
            )));
        }
        self.validate_texts()?;
        check_base_url(&self.office.base_url)?;
        self.validate_mail()?;
        if let Some(t) = &self.audit.token {
            check_audit_token(t)?;
        }
        for (name, k) in [
            ("[signing.key]", &self.signing.key),
            ("[signing.seal]", &self.signing.seal),
        ] {
            if let Some(k) = k {
                match (&k.module, &k.pkcs12) {
                    (Some(_), Some(_)) => {
                        return Err(Error::Config(format!(
                            "{name} names both a PKCS#11 module and a PKCS#12 file; give one"
                        )))
                    }
                    (None, None) => {
                        return Err(Error::Config(format!(
                            "{name} needs `module` and `token` (a PKCS#11 token) or `pkcs12` (a file)"
                        )))
                    }
                    (Some(_), None) if k.token.is_none() => {
                        return Err(Error::Config(format!(
                            "{name} needs `token`, the label of the token in the module"
                        )))
                    }
                    _ => {}
                }
            }
        }
        if let Some(t) = &self.signing.tsa {
            if !t.url.starts_with("http://") {
                return Err(Error::Config(format!(
                    "[signing.tsa] url {:?}: give an http:// address of an RFC 3161 timestamp authority",
                    t.url
                )));
            }
        }
        self.files.modes()?;
        Ok(())
    }

    /// Every text printed in letters, mails and pages: one line, no control or invisible format character.
    fn validate_texts(&self) -> Result<()> {
        let o = &self.office;
        let one = |field: &str, v: &str| -> Result<()> {
            if let Some(c) = v
                .chars()
                .find(|c| c.is_control() || crate::registry::validate::is_format_char(*c))
            {
                return Err(Error::Config(format!("{field} contains the character U+{:04X}; write it on one line, without control or invisible characters", c as u32)));
            }
            Ok(())
        };
        one("[office] code", &o.code)?;
        one("[office] name", &o.name)?;
        for h in &o.heading {
            one("[office] heading", h)?;
        }
        for (field, v) in [
            ("founding", &o.founding),
            ("detsis", &o.detsis),
            ("address", &o.address),
            ("phone", &o.phone),
            ("fax", &o.fax),
            ("email", &o.email),
            ("web", &o.web),
            ("kep", &o.kep),
        ] {
            if let Some(v) = v {
                one(&format!("[office] {field}"), v)?;
            }
        }
        one("[office] template", &o.template)?;
        for (i, s) in self.signatories.iter().enumerate() {
            one(&format!("[[signatories]] {} name", i + 1), &s.name)?;
            for t in &s.title {
                one(&format!("[[signatories]] {} title", i + 1), t)?;
            }
        }
        if let Some(c) = &self.contact {
            one("[contact] name", &c.name)?;
            for (field, v) in [("title", &c.title), ("phone", &c.phone)] {
                if let Some(v) = v {
                    one(&format!("[contact] {field}"), v)?;
                }
            }
        }
        one("[numbering] sdp", &self.numbering.sdp)?;
        Ok(())
    }

    /// `[mail]`: checked whatever the transport, so a setting that cannot work is named before any work.
    fn validate_mail(&self) -> Result<()> {
        let m = &self.mail;
        if m.transport != "file" && m.transport != "smtp" {
            return Err(Error::Config(format!(
                "[mail] transport: {:?} is not a transport; use file or smtp",
                m.transport
            )));
        }
        if let Some(a) = &m.from_addr {
            crate::registry::validate::email("[mail] from_addr", a).map_err(|_| {
                Error::Config(format!("[mail] from_addr: {a:?} is not an e-mail address a message can be sent from (one address, no spaces or line breaks)"))
            })?;
        }
        if let Some(n) = &m.from_name {
            if let Some(c) = n
                .chars()
                .find(|c| c.is_control() || crate::registry::validate::is_format_char(*c))
            {
                return Err(Error::Config(format!(
                    "[mail] from_name contains the character U+{:04X}; it must be one line of visible text",
                    c as u32
                )));
            }
        }
        if let Some(u) = &m.smtp_url {
            let s = tamim_channels::SmtpSettings {
                url: u.clone(),
                ..Default::default()
            };
            s.endpoint()
                .map_err(|e| Error::Config(format!("[mail] smtp_url: {e}")))?;
        }
        if let Some(u) = &m.username {
            if u.is_empty() || u.chars().any(|c| c.is_control()) {
                return Err(Error::Config(
                    "[mail] username is empty or contains a control character".into(),
                ));
            }
        }
        if !(1..=3600).contains(&m.timeout_secs) {
            return Err(Error::Config(format!(
                "[mail] timeout_secs: expected seconds from 1 to 3600, got {}",
                m.timeout_secs
            )));
        }
        if !(1..=64).contains(&m.pool_size) {
            return Err(Error::Config(format!(
                "[mail] pool_size: expected a number of connections from 1 to 64, got {}",
                m.pool_size
            )));
        }
        if let Some(r) = m.rate_per_sec {
            if !(r.is_finite() && r > 0.0) {
                return Err(Error::Config(format!(
                    "[mail] rate_per_sec: expected messages per second above 0, got {r}"
                )));
            }
        }
        if m.per_connection_limit == Some(0) {
            return Err(Error::Config(
                "[mail] per_connection_limit: expected messages per connection, 1 or more, got 0".into(),
            ));
        }
        if m.attach_limit_bytes == 0 {
            return Err(Error::Config(
                "[mail] attach_limit_bytes: expected a size in bytes above 0, got 0".into(),
            ));
        }
        Ok(())
    }

    /// A starting office.toml for `tamim init`, to be edited by the office.
    pub fn template_text() -> &'static str {
        include_str!("../../../templates/office.toml")
    }
}

/// `[office] base_url`: where recipients acknowledge and documents are verified, an `http://` or `https://`
/// address with a host (no `javascript:`, no spaces).
pub fn check_base_url(u: &str) -> Result<()> {
    let bad = |why: &str| Error::Config(format!("[office] base_url: {u:?} {why}"));
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| bad("must start with http:// or https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Err(bad("has no host"));
    }
    if u.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || crate::registry::validate::is_format_char(c)
            || matches!(c, '"' | '<' | '>' | '\\' | '`')
    }) {
        return Err(bad("contains a space or a character a link cannot hold"));
    }
    Ok(())
}

/// The fewest characters an auditor's token has: 22 base64 characters carry 132 bits, 32 hex digits 128.
pub const AUDIT_TOKEN_MIN_BASE64: usize = 22;
pub const AUDIT_TOKEN_MIN_HEX: usize = 32;

/// `[audit] token`: at least 128 bits, that is at least 32 hexadecimal digits or at least 22 characters of
/// the base64 or base64url alphabet (`A–Z a–z 0–9 + / - _`, `=` padding not counted), e.g.
/// `openssl rand -base64 24`. Absent, the auditor's pages are closed.
pub fn check_audit_token(t: &str) -> Result<()> {
    let body = t.trim_end_matches('=');
    if body
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_')))
    {
        return Err(Error::Config(
            "[audit] token contains a character outside base64 (A–Z, a–z, 0–9, +, /, -, _); use e.g. the output of `openssl rand -base64 24`".into(),
        ));
    }
    let hex = body.chars().all(|c| c.is_ascii_hexdigit());
    let enough = if hex {
        body.len() >= AUDIT_TOKEN_MIN_HEX
    } else {
        body.len() >= AUDIT_TOKEN_MIN_BASE64
    };
    if !enough {
        return Err(Error::Config(format!(
            "[audit] token is too short to keep the auditor's pages closed: it needs at least 128 bits, that is {AUDIT_TOKEN_MIN_BASE64} base64 characters or {AUDIT_TOKEN_MIN_HEX} hexadecimal digits (it has {}); make one with `openssl rand -base64 24`, or remove it to close the pages",
            body.len()
        )));
    }
    Ok(())
}
