//! Checking a CMS SignedData: the digest of the content against the message-digest attribute, the
//! signature over the signed attributes by the signer's certificate, the signing-certificate-v2 binding,
//! the timestamp over the signature (B-T), and whether the certificates reach a trust anchor.

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::rfc5911;
use der::asn1::{OctetString, UtcTime};
use der::{Decode, Encode, Reader};
use serde::Serialize;
use sha2::Digest;
use x509_cert::Certificate;

use crate::cades::{SigningCertificateV2, ID_AA_SIGNATURE_TIME_STAMP_TOKEN};
use crate::cert;
use crate::error::{Error, Result};

/// Who signed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Signer {
    /// The common name.
    pub name: String,
    pub subject: String,
    pub serial: String,
    pub issuer: String,
}

/// Whether the signer's chain reaches a trust anchor.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Trust {
    /// The chain reaches this anchor (its subject).
    Trusted { anchor: String },
    /// Anchors are configured, and the chain reaches none of them.
    Untrusted,
    /// No trust anchor is configured.
    NotChecked,
}

/// Why a signature is not intact (or, with an intact one, a remark), for the user in their language.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, thiserror::Error)]
#[serde(tag = "code", content = "detail", rename_all = "kebab-case")]
pub enum Problem {
    #[error("no signer")]
    NoSigner,
    #[error("the signer's certificate is not in the signature")]
    SignerCertificateMissing,
    #[error("unsupported digest algorithm {0}")]
    UnsupportedDigest(String),
    #[error("the content was changed after signing (its digest differs)")]
    ContentChanged,
    #[error("the signed attributes cannot be encoded ({0})")]
    Encoding(String),
    #[error("the signature does not verify with the signer's certificate")]
    SignatureInvalid,
    #[error("the signing-certificate-v2 attribute names another certificate")]
    SigningCertificateOther,
    #[error("an unreadable signing-certificate-v2 attribute ({0})")]
    SigningCertificateUnreadable(String),
    #[error("no signing-certificate-v2 attribute")]
    SigningCertificateAbsent,
    #[error("an unreadable timestamp token")]
    StampUnreadable,
    #[error("a timestamp token without TSTInfo")]
    StampWithoutInfo,
    #[error("the timestamp is over other data")]
    StampOverOtherData,
    #[error("not signed-data")]
    NotSignedData,
    #[error("its byte range does not match the file (the signature hole or the file's length)")]
    ByteRange,
    #[error("not a CMS signature: {0}")]
    Malformed(String),
}

/// A timestamp over the signature (RFC 3161).
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    pub time: DateTime<Utc>,
    pub authority: Option<Signer>,
    /// The token is signed, and over this signature.
    pub intact: bool,
    pub problem: Option<Problem>,
}

/// What checking one SignedData found.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The content's digest matches and the signature verifies with the signer's certificate.
    pub intact: bool,
    /// Why it is not intact (or a remark: a missing signing-certificate-v2 binding).
    pub problem: Option<Problem>,
    pub signer: Option<Signer>,
    pub signing_time: Option<DateTime<Utc>>,
    pub timestamp: Option<Stamp>,
    pub trust: Trust,
    /// The certificates from the signer up, by subject.
    pub chain: Vec<String>,
}

impl Check {
    fn broken(problem: Option<Problem>) -> Self {
        Self {
            intact: false,
            problem,
            signer: None,
            signing_time: None,
            timestamp: None,
            trust: Trust::NotChecked,
            chain: Vec::new(),
        }
    }
}

fn signer_of(c: &Certificate) -> Signer {
    Signer {
        name: cert::common_name(&c.tbs_certificate.subject),
        subject: cert::subject(c),
        serial: cert::serial(c),
        issuer: cert::name(&c.tbs_certificate.issuer),
    }
}

/// Reads a ContentInfo at the start of `bytes` (a PDF's `/Contents` is padded with zeros after it).
pub fn parse_padded(bytes: &[u8]) -> Result<ContentInfo> {
    let mut reader = der::SliceReader::new(bytes)?;
    let info = ContentInfo::decode(&mut reader).map_err(|e| Error::Malformed(e.to_string()))?;
    let rest = reader.read_slice(reader.remaining_len())?;
    if rest.iter().any(|b| *b != 0) {
        return Err(Error::Malformed("data after the signature".into()));
    }
    if info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Error::Malformed(format!(
            "content type {}, not signed-data",
            info.content_type
        )));
    }
    Ok(info)
}

fn certificates(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn find_signer<'a>(si: &SignerInfo, certs: &'a [Certificate]) -> Option<&'a Certificate> {
    certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(i) => {
            c.tbs_certificate.issuer == i.issuer && c.tbs_certificate.serial_number == i.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .extensions
            .as_ref()
            .and_then(|e| {
                e.iter()
                    .find(|x| x.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            })
            .and_then(|x| OctetString::from_der(x.extn_value.as_bytes()).ok())
            .is_some_and(|k| k == ski.0),
    })
}

fn attr(attrs: &Option<x509_cert::attr::Attributes>, oid: const_oid::ObjectIdentifier) -> Option<&der::Any> {
    attrs.as_ref()?.iter().find(|a| a.oid == oid)?.values.iter().next()
}

/// The core: `content` is the signed content in pieces (a PDF's byte ranges, or one part of a package).
fn check_signed_data(sd: &SignedData, content: &[&[u8]], anchors: &[Certificate], with_stamp: bool) -> Check {
    let certs = certificates(sd);
    let Some(si) = sd.signer_infos.0.iter().next() else {
        return Check::broken(Some(Problem::NoSigner));
    };
    let Some(signer_cert) = find_signer(si, &certs) else {
        return Check::broken(Some(Problem::SignerCertificateMissing));
    };
    let mut check = Check::broken(None);
    check.signer = Some(signer_of(signer_cert));
    let digest_oid = si.digest_alg.oid;
    let digest = {
        let joined: Vec<u8> = content.concat();
        crate::cades::digest(&digest_oid, &joined)
    };
    let Some(digest) = digest else {
        check.problem = Some(Problem::UnsupportedDigest(digest_oid.to_string()));
        return check;
    };
    let message = match &si.signed_attrs {
        Some(attrs) => {
            let md: Option<OctetString> =
                attr(&si.signed_attrs, rfc5911::ID_MESSAGE_DIGEST).and_then(|a| a.decode_as().ok());
            if md.as_ref().map(|m| m.as_bytes()) != Some(&digest[..]) {
                check.problem = Some(Problem::ContentChanged);
                return check;
            }
            match attrs.to_der() {
                Ok(m) => m,
                Err(e) => {
                    check.problem = Some(Problem::Encoding(e.to_string()));
                    return check;
                }
            }
        }
        None => content.concat(),
    };
    let signature = si.signature.as_bytes();
    if !cert::verify_signature(
        &signer_cert.tbs_certificate.subject_public_key_info,
        &si.signature_algorithm.oid,
        Some(&digest_oid),
        &message,
        signature,
    ) {
        check.problem = Some(Problem::SignatureInvalid);
        return check;
    }
    check.intact = true;
    match attr(&si.signed_attrs, rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2).map(|a| a.decode_as::<SigningCertificateV2>())
    {
        Some(Ok(v2)) => {
            let hash = signer_cert
                .to_der()
                .map(|d| sha2::Sha256::digest(d).to_vec())
                .unwrap_or_default();
            let bound = v2.certs.first().is_some_and(|id| {
                id.hash_algorithm
                    .as_ref()
                    .is_none_or(|a| a.oid == const_oid::db::rfc5912::ID_SHA_256)
                    && id.cert_hash.as_bytes() == hash
            });
            if !bound {
                check.intact = false;
                check.problem = Some(Problem::SigningCertificateOther);
            }
        }
        Some(Err(e)) => check.problem = Some(Problem::SigningCertificateUnreadable(e.to_string())),
        None => check.problem = Some(Problem::SigningCertificateAbsent),
    }
    check.signing_time = attr(&si.signed_attrs, rfc5911::ID_SIGNING_TIME)
        .and_then(|a| {
            a.decode_as::<UtcTime>()
                .map(x509_cert::time::Time::UtcTime)
                .or_else(|_| {
                    a.decode_as::<der::asn1::GeneralizedTime>()
                        .map(x509_cert::time::Time::GeneralTime)
                })
                .ok()
        })
        .and_then(|t| DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0));
    if with_stamp {
        if let Some(token) = attr(&si.unsigned_attrs, ID_AA_SIGNATURE_TIME_STAMP_TOKEN) {
            check.timestamp = Some(stamp_over(token, signature));
        }
    }
    let (trust, chain) = trust(signer_cert, &certs, anchors);
    check.trust = trust;
    check.chain = chain;
    check
}

fn stamp_over(token: &der::Any, signature: &[u8]) -> Stamp {
    let broken = |p: Problem| Stamp {
        time: DateTime::default(),
        authority: None,
        intact: false,
        problem: Some(p),
    };
    let Ok(token) = token.decode_as::<ContentInfo>() else {
        return broken(Problem::StampUnreadable);
    };
    let Ok(info) = crate::tsa::token_info(&token) else {
        return broken(Problem::StampWithoutInfo);
    };
    let time = DateTime::from_timestamp(info.gen_time.to_unix_duration().as_secs() as i64, 0).unwrap_or_default();
    let c = check_token(&token);
    let over = crate::cades::digest(&info.message_imprint.hash_algorithm.oid, signature)
        .is_some_and(|d| d == info.message_imprint.hashed_message.as_bytes());
    Stamp {
        time,
        authority: c.signer,
        intact: c.intact && over,
        problem: if !over {
            Some(Problem::StampOverOtherData)
        } else {
            c.problem
        },
    }
}

/// Checks a timestamp token's own signature over its TSTInfo.
pub fn check_token(token: &ContentInfo) -> Check {
    let Ok(sd) = token.content.decode_as::<SignedData>() else {
        return Check::broken(Some(Problem::NotSignedData));
    };
    let Some(content) = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
    else {
        return Check::broken(Some(Problem::StampWithoutInfo));
    };
    check_signed_data(&sd, &[content.as_bytes()], &[], false)
}

/// The chain from `signer` up through `pool`, and whether it reaches one of `anchors`.
fn trust(signer: &Certificate, pool: &[Certificate], anchors: &[Certificate]) -> (Trust, Vec<String>) {
    let mut chain = vec![cert::subject(signer)];
    let mut cur = signer;
    for _ in 0..8 {
        if let Some(a) = anchors.iter().find(|a| *a == cur || cert::issued_by(cur, a)) {
            if *a != *cur {
                chain.push(cert::subject(a));
            }
            return (
                Trust::Trusted {
                    anchor: cert::subject(a),
                },
                chain,
            );
        }
        match pool.iter().find(|c| *c != cur && cert::issued_by(cur, c)) {
            Some(next) => {
                chain.push(cert::subject(next));
                cur = next;
            }
            None => break,
        }
    }
    (
        if anchors.is_empty() {
            Trust::NotChecked
        } else {
            Trust::Untrusted
        },
        chain,
    )
}

/// Checks a detached signature (`cms`, possibly zero-padded) over `content` (its pieces, concatenated),
/// against `anchors`. A `cms` that is not a SignedData is an [`Error::Malformed`].
pub fn check_detached(cms: &[u8], content: &[&[u8]], anchors: &[Certificate]) -> Result<Check> {
    let info = parse_padded(cms)?;
    let sd: SignedData = info.content.decode_as().map_err(|e| Error::Malformed(e.to_string()))?;
    Ok(check_signed_data(&sd, content, anchors, true))
}
