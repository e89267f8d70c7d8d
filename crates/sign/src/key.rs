//! Where a signing key lives: a PKCS#12 file ([`SoftKey`]) or a PKCS#11 token ([`crate::token::TokenKey`]).
//! Either gives the certificate chain and signs a message (the DER of the signed attributes) with SHA-256.

use der::{Decode, Encode};
use pkcs8::DecodePrivateKey;
use signature::{SignatureEncoding, Signer};
use std::path::Path;
use x509_cert::Certificate;

use crate::error::{Error, Result};

/// The signature algorithms tamim signs with (both deterministic with a software key: RSA PKCS#1 v1.5 and
/// ECDSA with RFC 6979 nonces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    RsaSha256,
    EcdsaP256Sha256,
}

impl Algorithm {
    /// The algorithm a certificate's public key signs with; refuses RSA under 2048 bits and curves but P-256.
    pub fn of(cert: &Certificate) -> Result<Self> {
        let spki = &cert.tbs_certificate.subject_public_key_info;
        let der = spki.to_der()?;
        if spki.algorithm.oid == const_oid::db::rfc5912::RSA_ENCRYPTION {
            use rsa::traits::PublicKeyParts;
            let key = <rsa::RsaPublicKey as pkcs8::DecodePublicKey>::from_public_key_der(&der)
                .map_err(|e| Error::UnsupportedKey(e.to_string()))?;
            if key.size() * 8 < 2048 {
                return Err(Error::UnsupportedKey(format!("RSA of {} bits", key.size() * 8)));
            }
            Ok(Self::RsaSha256)
        } else if spki.algorithm.oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
            <p256::PublicKey as pkcs8::DecodePublicKey>::from_public_key_der(&der)
                .map_err(|e| Error::UnsupportedKey(format!("an EC key not on P-256 ({e})")))?;
            Ok(Self::EcdsaP256Sha256)
        } else {
            Err(Error::UnsupportedKey(spki.algorithm.oid.to_string()))
        }
    }

    /// The CMS `signatureAlgorithm` for this algorithm.
    pub fn identifier(self) -> spki::AlgorithmIdentifierOwned {
        match self {
            Self::RsaSha256 => spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            Self::EcdsaP256Sha256 => spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
                parameters: None,
            },
        }
    }
}

/// A signing key and the certificates that go with it.
pub trait Key {
    /// The signer's certificate first, then the intermediates (no self-signed root).
    fn chain(&self) -> &[Certificate];
    fn algorithm(&self) -> Algorithm;
    /// The signature over SHA-256 of `message`, as CMS carries it (RSA: the bytes; ECDSA: DER `Ecdsa-Sig-Value`).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
    /// The signer's certificate.
    fn certificate(&self) -> &Certificate {
        &self.chain()[0]
    }
}

enum Private {
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
    Ec(p256::ecdsa::SigningKey),
}

/// A key read from a PKCS#12 (.p12/.pfx) file: the simple option for an office without a card reader.
pub struct SoftKey {
    key: Private,
    chain: Vec<Certificate>,
    algorithm: Algorithm,
}

impl SoftKey {
    /// Open `path` with `password`: a wrong password or a damaged file is [`Error::Pkcs12`].
    pub fn open(path: &Path, password: &str) -> Result<Self> {
        let data = std::fs::read(path).map_err(|source| Error::Read {
            what: "the PKCS#12 file",
            path: path.into(),
            source,
        })?;
        let store = p12_keystore::KeyStore::from_pkcs12(&data, password, p12_keystore::Pkcs12ImportPolicy::Strict)
            .map_err(|source| Error::Pkcs12 {
                path: path.into(),
                source,
            })?;
        let (_, entry) = store
            .private_key_chain()
            .ok_or_else(|| Error::Pkcs12Empty(path.into()))?;
        let mut chain = Vec::new();
        for c in entry.certs() {
            let cert = Certificate::from_der(c.as_der())?;
            if !chain.is_empty() && crate::cert::self_signed(&cert) {
                continue;
            }
            chain.push(cert);
        }
        if chain.is_empty() {
            return Err(Error::Pkcs12Empty(path.into()));
        }
        Self::from_pkcs8(entry.key().as_der(), chain)
    }

    /// A key from its PKCS#8 DER and its chain (signer first).
    pub fn from_pkcs8(der: &[u8], chain: Vec<Certificate>) -> Result<Self> {
        let algorithm = Algorithm::of(&chain[0])?;
        let key = match algorithm {
            Algorithm::RsaSha256 => {
                let k = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|e| Error::UnsupportedKey(e.to_string()))?;
                let public = rsa::RsaPublicKey::from(&k);
                let certified = <rsa::RsaPublicKey as pkcs8::DecodePublicKey>::from_public_key_der(
                    &chain[0].tbs_certificate.subject_public_key_info.to_der()?,
                )
                .map_err(|e| Error::UnsupportedKey(e.to_string()))?;
                if public != certified {
                    return Err(Error::KeyMismatch(crate::cert::subject(&chain[0])));
                }
                Private::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k)))
            }
            Algorithm::EcdsaP256Sha256 => {
                let k =
                    p256::ecdsa::SigningKey::from_pkcs8_der(der).map_err(|e| Error::UnsupportedKey(e.to_string()))?;
                let certified = <p256::PublicKey as pkcs8::DecodePublicKey>::from_public_key_der(
                    &chain[0].tbs_certificate.subject_public_key_info.to_der()?,
                )
                .map_err(|e| Error::UnsupportedKey(e.to_string()))?;
                if p256::PublicKey::from(k.verifying_key()) != certified {
                    return Err(Error::KeyMismatch(crate::cert::subject(&chain[0])));
                }
                Private::Ec(k)
            }
        };
        Ok(Self { key, chain, algorithm })
    }
}

impl Key for SoftKey {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(match &self.key {
            Private::Rsa(k) => k.sign(message).to_vec(),
            Private::Ec(k) => {
                let s: p256::ecdsa::Signature = k.sign(message);
                s.to_der().as_bytes().to_vec()
            }
        })
    }
}
