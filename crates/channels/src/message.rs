//! One recipient's e-mail as data ([`OutgoingMail`]) and its safe assembly into a MIME message
//! ([`build`]): RFC 2047 subject and names, text + HTML alternatives, an optional attachment
//! with an RFC 2231 file name, a fixed Message-ID and Date, and no header injection.

use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart};
use lettre::{Address, Message};
use sha2::{Digest, Sha256};

use super::MailError;

/// A file sent with the message (the issued PDF).
#[derive(Clone)]
pub struct Attachment {
    /// File name as the recipient sees it; may be Turkish (`Tamim-2021-243-Sosyal-Medya.pdf`).
    pub filename: String,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// The bytes; shared, so a thousand messages carrying one PDF hold one copy.
    pub bytes: Arc<[u8]>,
    /// The bytes as encoded for the message body, made on first use and shared by every clone, so a
    /// thousand messages encode the PDF once. Kept with the `bytes` it was made from: if `bytes` is
    /// replaced, the encoding is made again.
    encoded: Arc<OnceLock<Encoded>>,
}

struct Encoded {
    from: Arc<[u8]>,
    encoding: ContentTransferEncoding,
    body: Vec<u8>,
}

impl Attachment {
    pub fn new(filename: impl Into<String>, content_type: impl Into<String>, bytes: Arc<[u8]>) -> Attachment {
        Attachment {
            filename: filename.into(),
            content_type: content_type.into(),
            bytes,
            encoded: Arc::default(),
        }
    }

    /// The MIME body: lettre's own encoding of the bytes (base64), made once per attachment.
    fn body(&self) -> Body {
        let encode = || {
            let body = Body::new(self.bytes.to_vec());
            Encoded {
                from: Arc::clone(&self.bytes),
                encoding: body.encoding(),
                body: body.into_vec(),
            }
        };
        let e = self.encoded.get_or_init(encode);
        if Arc::ptr_eq(&e.from, &self.bytes) {
            Body::dangerous_pre_encoded(e.body.clone(), e.encoding)
        } else {
            Body::new(self.bytes.to_vec())
        }
    }
}

impl PartialEq for Attachment {
    fn eq(&self, other: &Attachment) -> bool {
        self.filename == other.filename && self.content_type == other.content_type && self.bytes == other.bytes
    }
}

impl Eq for Attachment {}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Everything that goes into one recipient's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// `<doc-….recipient-…@tamim.DOMAIN>`, from [`message_id`]; the same on every re-send.
    pub message_id: String,
    /// The `Date` header (passed in, so a re-built message is byte-identical).
    pub date: chrono::DateTime<chrono::Utc>,
    pub from_name: String,
    pub from_addr: String,
    /// May be empty (the address alone is used then).
    pub to_name: String,
    pub to_addr: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachment: Option<Attachment>,
    /// Extra headers, names `X-…` only (e.g. `X-Tamim-Document`).
    pub headers: Vec<(String, String)>,
}

/// Characters kept as they are in a Message-ID part; everything else is written `=XX` per
/// UTF-8 byte, so different keys never give the same id.
fn encode_id_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    if out.len() > 64 {
        // Keep header lines short: a long key becomes a digest of itself.
        let digest = Sha256::digest(s.as_bytes());
        return format!("h{}", &hex::encode(digest)[..40]);
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

/// The deterministic Message-ID for one document and one recipient:
/// `<doc-DOC.recipient-REC@tamim.DOMAIN>`. Keys keep letters, digits and `-`; any other
/// character is written `=XX` (so `2021/243` → `2021=2F243`); keys over 64 characters so
/// encoded become `h` + 40 hex digits of their SHA-256. The domain keeps letters, digits, `.`
/// and `-` (lower-cased); an empty one becomes `invalid`.
pub fn message_id(doc_key: &str, recipient_key: &str, domain: &str) -> String {
    let mut dom: String = domain
        .trim()
        .trim_matches('.')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    while dom.contains("..") {
        dom = dom.replace("..", ".");
    }
    if dom.is_empty() {
        dom = "invalid".into();
    }
    format!(
        "<doc-{}.recipient-{}@tamim.{}>",
        encode_id_part(doc_key),
        encode_id_part(recipient_key),
        dom
    )
}

/// Refuses control characters (CR, LF, NUL, TAB, …) and Unicode line/paragraph separators.
pub(crate) fn check_header_text(field: &str, value: &str) -> Result<(), MailError> {
    if value
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return Err(MailError::HeaderInjection {
            field: field.to_string(),
            value: value.to_string(),
        });
    }
    Ok(())
}

fn parse_address(field: &str, value: &str) -> Result<Address, MailError> {
    check_header_text(field, value)?;
    value.trim().parse::<Address>().map_err(|_| MailError::InvalidAddress {
        field: field.to_string(),
        value: value.to_string(),
    })
}

fn mailbox(name_field: &str, name: &str, addr_field: &str, addr: &str) -> Result<Mailbox, MailError> {
    check_header_text(name_field, name)?;
    let address = parse_address(addr_field, addr)?;
    let name = name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_string()), address))
}

fn check_message_id(id: &str) -> Result<(), MailError> {
    check_header_text("message id", id)?;
    let ok = id.len() <= 250
        && id.starts_with('<')
        && id.ends_with('>')
        && id.matches('@').count() == 1
        && id[1..id.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-@".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(MailError::Build(format!(
            "the message id {id:?} is not of the form <left@right> with safe characters"
        )))
    }
}

fn check_header_name(name: &str) -> Result<HeaderName, MailError> {
    let valid = name.len() > 2
        && name.len() <= 76
        && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-"))
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid {
        return Err(MailError::InvalidHeaderName { name: name.to_string() });
    }
    HeaderName::new_from_ascii(name.to_string()).map_err(|_| MailError::InvalidHeaderName { name: name.to_string() })
}

/// Checks every header field of `m` without building anything (names the first bad field).
pub fn validate(m: &OutgoingMail) -> Result<(), MailError> {
    check_message_id(&m.message_id)?;
    check_header_text("subject", &m.subject)?;
    check_header_text("sender name", &m.from_name)?;
    parse_address("sender address", &m.from_addr)?;
    check_header_text("recipient name", &m.to_name)?;
    parse_address("recipient address", &m.to_addr)?;
    for (name, value) in &m.headers {
        check_header_name(name)?;
        check_header_text(&format!("header {name}"), value)?;
    }
    if let Some(a) = &m.attachment {
        check_header_text("attachment file name", &a.filename)?;
        check_header_text("attachment content type", &a.content_type)?;
    }
    Ok(())
}

/// The Subject header. lettre encodes only the words that are not plain ASCII, so a konu holding an
/// ASCII `=?utf-8?q?…?=` would reach mail programs as an RFC 2047 encoded word and be shown decoded, not as
/// typed. Such a subject is encoded whole.
fn subject_header(subject: &str) -> HeaderValue {
    let name = HeaderName::new_from_ascii_str("Subject");
    if !subject.contains("=?") {
        return HeaderValue::new(name, subject.to_string());
    }
    HeaderValue::dangerous_new_pre_encoded(name, subject.to_string(), encoded_words(subject))
}

/// `s` as RFC 2047 `B` encoded words of at most 64 characters (39 bytes of UTF-8 each, split between
/// characters), one per line, so even the first, after `Subject: `, stays under 78: only printable ASCII,
/// so nothing can be injected.
fn encoded_words(s: &str) -> String {
    use base64::Engine;
    let word = |chunk: &str| {
        format!(
            "=?utf-8?b?{}?=",
            base64::engine::general_purpose::STANDARD.encode(chunk)
        )
    };
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if i + c.len_utf8() - start > 39 {
            words.push(word(&s[start..i]));
            start = i;
        }
    }
    words.push(word(&s[start..]));
    words.join("\r\n ")
}

/// A message built once for the e-mail channel, as every e-mail transport takes it: its Message-ID (the
/// file outbox names its file from it), the SMTP envelope and the RFC 5322 bytes.
#[derive(Debug, Clone)]
pub struct BuiltMail {
    pub message_id: String,
    pub envelope: lettre::address::Envelope,
    pub bytes: Vec<u8>,
}

impl BuiltMail {
    /// [`build`], then the envelope and bytes taken out.
    pub fn new(m: &OutgoingMail) -> Result<BuiltMail, MailError> {
        let built = build(m)?;
        Ok(BuiltMail {
            message_id: m.message_id.clone(),
            envelope: built.envelope().clone(),
            bytes: built.formatted(),
        })
    }
}

/// Assembles the MIME message: `multipart/mixed` (text+HTML alternative, then the attachment)
/// or just `multipart/alternative` without one. Fails with a typed, plain-English error on a
/// control character in any header field or an invalid address.
pub fn build(m: &OutgoingMail) -> Result<Message, MailError> {
    validate(m)?;
    let from = mailbox("sender name", &m.from_name, "sender address", &m.from_addr)?;
    let to = mailbox("recipient name", &m.to_name, "recipient address", &m.to_addr)?;
    let mut b = Message::builder()
        .from(from)
        .to(to)
        .raw_header(subject_header(&m.subject))
        .message_id(Some(m.message_id.clone()))
        .date(SystemTime::from(m.date));
    for (name, value) in &m.headers {
        let name = check_header_name(name)?;
        b = b.raw_header(HeaderValue::new(name, value.clone()));
    }
    let alternative = MultiPart::alternative_plain_html(m.text.clone(), m.html.clone());
    let built = match &m.attachment {
        Some(a) => {
            let ct = ContentType::parse(&a.content_type).map_err(|_| MailError::InvalidContentType {
                value: a.content_type.clone(),
            })?;
            let part = lettre::message::Attachment::new(a.filename.clone()).body(a.body(), ct);
            b.multipart(MultiPart::mixed().multipart(alternative).singlepart(part))
        }
        None => b.multipart(alternative),
    };
    built.map_err(|e| MailError::Build(e.to_string()))
}
