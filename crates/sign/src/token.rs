//! A key on a PKCS#11 token (a smart card through its module, or SoftHSM2): the token chosen by its
//! label, the PIN given by the caller (read from a file or the environment, never the command line),
//! the private key by its label (or the first one), the certificate with the same `CKA_ID`.

use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::error::RvError;
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::Decode;
use sha2::Digest;
use std::path::Path;
use x509_cert::Certificate;

use crate::error::{Error, Result};
use crate::key::{Algorithm, Key};

/// Where a token key is.
#[derive(Debug, Clone)]
pub struct TokenRef<'a> {
    /// The PKCS#11 module (`/usr/lib/softhsm/libsofthsm2.so`, the card vendor's library).
    pub module: &'a Path,
    /// The token's label.
    pub token: &'a str,
    /// The private key's `CKA_LABEL`; `None`: the token's first private key.
    pub key: Option<&'a str>,
}

/// A signing key on a token, logged in.
pub struct TokenKey {
    session: Session,
    key: ObjectHandle,
    chain: Vec<Certificate>,
    algorithm: Algorithm,
    // Dropped last: finalizes the module.
    _ctx: Pkcs11,
}

fn token_err(op: &'static str) -> impl Fn(cryptoki::error::Error) -> Error {
    move |source| Error::Token { op, source }
}

impl TokenKey {
    /// Opens the token, logs in with `pin`, finds the key and its certificate; `extra` certificates
    /// (intermediates from a file) complete the chain with those on the token.
    pub fn open(at: &TokenRef, pin: &str, extra: &[Certificate]) -> Result<Self> {
        let ctx = Pkcs11::new(at.module).map_err(|source| Error::Module {
            path: at.module.into(),
            source,
        })?;
        match ctx.initialize(CInitializeArgs::OsThreads) {
            Ok(()) | Err(cryptoki::error::Error::AlreadyInitialized) => {}
            Err(source) => {
                return Err(Error::Module {
                    path: at.module.into(),
                    source,
                })
            }
        }
        let slots = ctx.get_slots_with_token().map_err(token_err("list its slots"))?;
        let mut labels = Vec::new();
        let mut found = None;
        for slot in slots {
            let info = ctx.get_token_info(slot).map_err(token_err("describe a token"))?;
            // An empty, uninitialised token (SoftHSM's spare slot, a blank card) holds no key.
            if !info.token_initialized() {
                continue;
            }
            let label = info.label().trim_end().to_string();
            if label == at.token && found.is_none() {
                found = Some(slot);
            }
            labels.push(label);
        }
        if labels.is_empty() {
            return Err(Error::NoToken(at.module.into()));
        }
        let slot = found.ok_or_else(|| Error::NoSuchToken {
            label: at.token.into(),
            present: labels.join(", "),
        })?;
        let session = ctx.open_ro_session(slot).map_err(token_err("open a session"))?;
        session
            .login(UserType::User, Some(&AuthPin::from(pin.to_owned())))
            .map_err(|source| match source {
                cryptoki::error::Error::Pkcs11(
                    RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange,
                    _,
                ) => Error::WrongPin {
                    label: at.token.into(),
                    source,
                },
                other => Error::Token {
                    op: "log in",
                    source: other,
                },
            })?;
        let missing = |what: String| Error::TokenMissing {
            label: at.token.into(),
            what,
        };
        let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        if let Some(l) = at.key {
            template.push(Attribute::Label(l.as_bytes().to_vec()));
        }
        let key = *session
            .find_objects(&template)
            .map_err(token_err("search its keys"))?
            .first()
            .ok_or_else(|| {
                missing(
                    at.key
                        .map_or("private key".into(), |l| format!("private key labelled {l:?}")),
                )
            })?;
        let id = session
            .get_attributes(key, &[AttributeType::Id])
            .map_err(token_err("read the key's id"))?
            .into_iter()
            .find_map(|a| if let Attribute::Id(id) = a { Some(id) } else { None })
            .unwrap_or_default();
        let mut certs = Vec::new();
        let mut signer = None;
        for h in session
            .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
            .map_err(token_err("search its certificates"))?
        {
            let attrs = session
                .get_attributes(h, &[AttributeType::Id, AttributeType::Value])
                .map_err(token_err("read a certificate"))?;
            let mut cid = Vec::new();
            let mut value = Vec::new();
            for a in attrs {
                match a {
                    Attribute::Id(v) => cid = v,
                    Attribute::Value(v) => value = v,
                    _ => {}
                }
            }
            let cert = Certificate::from_der(&value)?;
            if signer.is_none() && cid == id {
                signer = Some(cert);
            } else {
                certs.push(cert);
            }
        }
        let signer = signer.ok_or_else(|| missing("certificate for the key".into()))?;
        certs.extend(extra.iter().cloned());
        let algorithm = Algorithm::of(&signer)?;
        let chain = chain_of(signer, &certs);
        Ok(Self {
            session,
            key,
            chain,
            algorithm,
            _ctx: ctx,
        })
    }
}

/// `signer`, then each issuer found by name among `pool`, up to (without) a self-signed root.
pub(crate) fn chain_of(signer: Certificate, pool: &[Certificate]) -> Vec<Certificate> {
    let mut chain = vec![signer];
    while chain.len() < 8 {
        let cur = &chain[chain.len() - 1];
        match pool.iter().find(|c| {
            c.tbs_certificate.subject == cur.tbs_certificate.issuer
                && !crate::cert::self_signed(c)
                && !chain.contains(c)
        }) {
            Some(next) => chain.push(next.clone()),
            None => break,
        }
    }
    chain
}

impl Key for TokenKey {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        match self.algorithm {
            Algorithm::RsaSha256 => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(token_err("sign")),
            Algorithm::EcdsaP256Sha256 => {
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &sha2::Sha256::digest(message))
                    .map_err(token_err("sign"))?;
                let sig = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| Error::Malformed(format!("the token's ECDSA signature: {e}")))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}
