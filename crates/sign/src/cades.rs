//! Building a detached CMS SignedData (CAdES-BES, and the CMS a PAdES signature embeds): the signed
//! attributes content-type, message-digest, signing-certificate-v2 (and signing-time when asked), signed
//! by a [`Key`], the signer's chain in `certificates`, a timestamp as an unsigned attribute (B-T).

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec, UtcTime};
use der::{Any, Encode, Sequence};
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use crate::error::{Error, Result};
use crate::key::Key;
use crate::tsa::Tsa;

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
pub const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// `ESSCertIDv2` (RFC 5035): the hash of the signer's certificate and its issuer and serial.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Absent means SHA-256 (the DEFAULT).
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// `SigningCertificateV2` (RFC 5035), without policies.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
}

/// How to sign.
#[derive(Default)]
pub struct Options<'a> {
    /// Add the signing-time attribute (CAdES-BES). PAdES leaves it out: the time is the dictionary's `/M`.
    pub signing_time: Option<DateTime<Utc>>,
    /// Add a timestamp over the signature from this authority (B-T).
    pub tsa: Option<&'a Tsa>,
}

pub(crate) fn sha256_id() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

/// The digest of `data` with the algorithm `oid` (SHA-256, -384, -512), or `None` for another one.
pub fn digest(oid: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    match *oid {
        rfc5912::ID_SHA_256 => Some(sha2::Sha256::digest(data).to_vec()),
        rfc5912::ID_SHA_384 => Some(sha2::Sha384::digest(data).to_vec()),
        rfc5912::ID_SHA_512 => Some(sha2::Sha512::digest(data).to_vec()),
        _ => None,
    }
}

pub(crate) fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

fn signing_certificate_v2(cert: &Certificate) -> Result<Any> {
    let id = EssCertIdV2 {
        hash_algorithm: None,
        cert_hash: OctetString::new(sha2::Sha256::digest(cert.to_der()?).to_vec())?,
        issuer_serial: Some(IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(cert.tbs_certificate.issuer.clone())],
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
    };
    Ok(Any::encode_from(&SigningCertificateV2 { certs: vec![id] })?)
}

/// A detached SignedData over content whose SHA-256 is `content_digest`, DER-encoded as a ContentInfo.
pub fn sign_detached(key: &dyn Key, content_digest: &[u8], options: &Options) -> Result<Vec<u8>> {
    let cert = key.certificate();
    let mut attrs = vec![
        attribute(rfc5911::ID_CONTENT_TYPE, Any::encode_from(&rfc5911::ID_DATA)?)?,
        attribute(
            rfc5911::ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(content_digest)?)?,
        )?,
        attribute(rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2, signing_certificate_v2(cert)?)?,
    ];
    if let Some(t) = options.signing_time {
        let d = std::time::Duration::from_secs(t.timestamp().max(0) as u64);
        attrs.push(attribute(
            rfc5911::ID_SIGNING_TIME,
            Any::encode_from(&UtcTime::from_unix_duration(d)?)?,
        )?);
    }
    let signed_attrs = SetOfVec::try_from(attrs)?;
    let signature = key.sign(&signed_attrs.to_der()?)?;
    let unsigned_attrs = match options.tsa {
        Some(tsa) => {
            let token = tsa.stamp(&sha2::Sha256::digest(&signature))?;
            Some(SetOfVec::try_from(vec![attribute(
                ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
                Any::encode_from(&token)?,
            )?])?)
        }
        None => None,
    };
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_id(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: key.algorithm().identifier(),
        signature: OctetString::new(signature)?,
        unsigned_attrs,
    };
    let certificates: Vec<CertificateChoices> = key
        .chain()
        .iter()
        .cloned()
        .map(CertificateChoices::Certificate)
        .collect();
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_id()])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet::try_from(certificates)?),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer])?,
    };
    let info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&signed)?,
    };
    Ok(info.to_der()?)
}

/// Refuses a key whose certificate cannot sign at `at` (see [`crate::cert::check_signing`]).
pub fn check_key(key: &dyn Key, at: DateTime<Utc>) -> Result<()> {
    crate::cert::check_signing(key.certificate(), at)?;
    if key.chain().is_empty() {
        return Err(Error::Malformed("no certificate".into()));
    }
    Ok(())
}
