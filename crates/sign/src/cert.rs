//! What a certificate says (names, serial, validity, key usage) and whether one certificate or message was
//! signed by a given public key.

use chrono::{DateTime, Utc};
use const_oid::db::{rfc5280, rfc5912};
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::Certificate;

use crate::error::{CertProblem, Error, Result};

/// The QCStatements extension (RFC 3739): a qualified certificate, which must allow non-repudiation.
const QC_STATEMENTS: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");

/// A name as RFC 4514 writes it (`CN=…,O=…,C=TR`).
pub fn name(n: &Name) -> String {
    n.to_string()
}

/// The common name of `n`, or the whole name when it has none.
pub fn common_name(n: &Name) -> String {
    for rdn in n.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == const_oid::db::rfc4519::CN {
                if let Ok(s) = std::str::from_utf8(atv.value.value()) {
                    return s.to_string();
                }
            }
        }
    }
    name(n)
}

/// The subject's name as RFC 4514 writes it.
pub fn subject(c: &Certificate) -> String {
    name(&c.tbs_certificate.subject)
}

/// The serial number in hex (upper case, no leading zero byte).
pub fn serial(c: &Certificate) -> String {
    let b = c.tbs_certificate.serial_number.as_bytes();
    let b = if b.len() > 1 && b[0] == 0 { &b[1..] } else { b };
    hex::encode_upper(b)
}

pub fn self_signed(c: &Certificate) -> bool {
    c.tbs_certificate.subject == c.tbs_certificate.issuer
}

fn unix(t: x509_cert::time::Time) -> DateTime<Utc> {
    DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0).unwrap_or_default()
}

/// The validity period.
pub fn validity(c: &Certificate) -> (DateTime<Utc>, DateTime<Utc>) {
    let v = &c.tbs_certificate.validity;
    (unix(v.not_before), unix(v.not_after))
}

fn extension(c: &Certificate, oid: const_oid::ObjectIdentifier) -> Option<&[u8]> {
    c.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes())
}

/// Refuses a certificate that is not valid at `at` or does not allow signing documents: digital
/// signature, and for a qualified certificate (QCStatements) non-repudiation.
pub fn check_signing(c: &Certificate, at: DateTime<Utc>) -> Result<()> {
    let refuse = |problem: CertProblem| Error::Certificate {
        subject: subject(c),
        problem,
    };
    let (from, until) = validity(c);
    if at < from {
        return Err(refuse(CertProblem::NotYetValid { from, at }));
    }
    if at > until {
        return Err(refuse(CertProblem::Expired { until, at }));
    }
    let usage = match extension(c, rfc5280::ID_CE_KEY_USAGE) {
        Some(der) => KeyUsage::from_der(der)?,
        None => return Ok(()),
    };
    if extension(c, QC_STATEMENTS).is_some() {
        if !usage.0.contains(KeyUsages::NonRepudiation) {
            return Err(refuse(CertProblem::NoNonRepudiation));
        }
    } else if !usage.0.contains(KeyUsages::DigitalSignature) {
        return Err(refuse(CertProblem::NoDigitalSignature));
    }
    Ok(())
}

/// Whether `signature` over `message` was made by the key in `spki` with `algorithm` (the digest implied
/// by the algorithm, or `digest` when the algorithm names only the key type, as `rsaEncryption` does).
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &const_oid::ObjectIdentifier,
    digest: Option<&const_oid::ObjectIdentifier>,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use signature::Verifier;
    let Ok(der) = spki.to_der() else { return false };
    let hash = match *algorithm {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION | rfc5912::ECDSA_WITH_SHA_256 => rfc5912::ID_SHA_256,
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION | rfc5912::ECDSA_WITH_SHA_384 => rfc5912::ID_SHA_384,
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION | rfc5912::ECDSA_WITH_SHA_512 => rfc5912::ID_SHA_512,
        _ => match digest {
            Some(d) => *d,
            None => return false,
        },
    };
    if spki.algorithm.oid == rfc5912::RSA_ENCRYPTION {
        let Ok(key) = <rsa::RsaPublicKey as pkcs8::DecodePublicKey>::from_public_key_der(&der) else {
            return false;
        };
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
            return false;
        };
        match hash {
            rfc5912::ID_SHA_256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                .verify(message, &sig)
                .is_ok(),
            rfc5912::ID_SHA_384 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
                .verify(message, &sig)
                .is_ok(),
            rfc5912::ID_SHA_512 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key)
                .verify(message, &sig)
                .is_ok(),
            _ => false,
        }
    } else if spki.algorithm.oid == rfc5912::ID_EC_PUBLIC_KEY {
        let Ok(key) = <p256::ecdsa::VerifyingKey as pkcs8::DecodePublicKey>::from_public_key_der(&der) else {
            return false;
        };
        let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
            return false;
        };
        match hash {
            rfc5912::ID_SHA_256 => key.verify(message, &sig).is_ok(),
            // P-256 with another digest: verify the prehash.
            rfc5912::ID_SHA_384 | rfc5912::ID_SHA_512 => {
                use signature::hazmat::PrehashVerifier;
                let h = crate::cades::digest(&hash, message);
                h.is_some_and(|h| key.verify_prehash(&h, &sig).is_ok())
            }
            _ => false,
        }
    } else {
        false
    }
}

/// Whether `issuer` signed `c` (names match and the signature verifies).
pub fn issued_by(c: &Certificate, issuer: &Certificate) -> bool {
    if c.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(tbs) = c.tbs_certificate.to_der() else {
        return false;
    };
    let Some(sig) = c.signature.as_bytes() else {
        return false;
    };
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &c.signature_algorithm.oid,
        None,
        &tbs,
        sig,
    )
}

/// Certificates from PEM (one or many) or DER bytes.
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<Certificate>> {
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        Ok(Certificate::load_pem_chain(bytes)?)
    } else {
        Ok(vec![Certificate::from_der(bytes)?])
    }
}
