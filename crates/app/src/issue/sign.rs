//! Signing what is issued: the office's key opened from `[signing]` (PKCS#11 token or PKCS#12 file, the
//! PIN or password read from a file or the environment), checked for the signing time, and a PAdES
//! signature (B-B; B-T with `[signing.tsa]`) put on the frozen PDF. Also the time an issue happens.

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use tamim_sign::key::{Key, SoftKey};
use tamim_sign::token::{TokenKey, TokenRef};
use tamim_sign::tsa::Tsa;

use crate::config::{KeySettings, SigningSettings};
use crate::error::{Error, Result, SecretProblem};

/// The time of an issue: now, or `SOURCE_DATE_EPOCH` (seconds) for a reproducible run; whole seconds.
pub fn issue_time() -> Result<DateTime<Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH").ok().filter(|v| !v.is_empty()) {
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| {
                Error::invalid(
                    "SOURCE_DATE_EPOCH",
                    format!("{v:?} is not a number of seconds since 1970"),
                )
            }),
        None => Ok(DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default()),
    }
}

fn resolve(home: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        home.join(p)
    }
}

/// A secret from `file` (its first line) or the environment variable `env`; its value never appears in
/// an error.
fn secret(home: &Path, section: &str, what: &str, file: &Option<String>, env: &Option<String>) -> Result<String> {
    let refuse = |problem: SecretProblem| Error::Secret {
        section: section.to_string(),
        what: what.to_string(),
        problem,
    };
    if let Some(var) = env {
        return std::env::var(var).map_err(|_| refuse(SecretProblem::EnvUnset(var.clone())));
    }
    if let Some(f) = file {
        let path = resolve(home, f);
        let text = std::fs::read_to_string(&path).map_err(|_| refuse(SecretProblem::FileUnreadable(path.clone())))?;
        let first = text.lines().next().unwrap_or_default().to_string();
        if first.is_empty() {
            return Err(refuse(SecretProblem::FileEmpty(path)));
        }
        return Ok(first);
    }
    Err(refuse(SecretProblem::NotGiven(what.to_string())))
}

/// Opens the key `k` (named `section` in messages) of the registry at `home`.
pub fn open_key(home: &Path, section: &str, k: &KeySettings) -> Result<Box<dyn Key>> {
    let chain = match &k.chain {
        Some(c) => {
            let path = resolve(home, c);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            tamim_sign::cert::parse_certificates(&bytes).map_err(Error::Signing)?
        }
        None => Vec::new(),
    };
    if let Some(p12) = &k.pkcs12 {
        let password = secret(home, section, "password", &k.password_file, &k.password_env)?;
        let key = SoftKey::open(&resolve(home, p12), &password).map_err(Error::Signing)?;
        return Ok(Box::new(key));
    }
    let (Some(module), Some(token)) = (&k.module, &k.token) else {
        return Err(Error::Config(format!(
            "{section} needs `module` and `token`, or `pkcs12`"
        )));
    };
    let pin = secret(home, section, "pin", &k.pin_file, &k.pin_env)?;
    let at = TokenRef {
        module: Path::new(module),
        token,
        key: k.key_label.as_deref(),
    };
    Ok(Box::new(TokenKey::open(&at, &pin, &chain).map_err(Error::Signing)?))
}

/// The timestamp authority of `[signing.tsa]`, with its credentials read.
pub fn tsa(home: &Path, s: &SigningSettings) -> Result<Option<Tsa>> {
    let Some(t) = &s.tsa else { return Ok(None) };
    let mut tsa = Tsa::new(t.url.clone());
    tsa.timeout = std::time::Duration::from_secs(t.timeout_secs.max(1));
    if let Some(user) = &t.username {
        let password = secret(home, "[signing.tsa]", "password", &t.password_file, &t.password_env)?;
        tsa.basic_auth = Some((user.clone(), password));
    }
    if let Some(name) = &t.header {
        let value = secret(
            home,
            "[signing.tsa]",
            "header_value",
            &t.header_value_file,
            &t.header_value_env,
        )?;
        tsa.header = Some((name.clone(), value));
    }
    Ok(Some(tsa))
}

/// What signing needs, opened before any number is taken: the key, checked for `at`, and the authority.
pub struct Signing {
    pub key: Box<dyn Key>,
    pub tsa: Option<Tsa>,
    pub at: DateTime<Utc>,
}

impl Signing {
    /// Opens `[signing.key]` and checks its certificate for `at`.
    pub fn open(home: &Path, s: &SigningSettings, at: DateTime<Utc>) -> Result<Self> {
        let k = s.key.as_ref().ok_or(Error::NoSigningKey)?;
        let key = open_key(home, "[signing.key]", k)?;
        tamim_sign::cades::check_key(key.as_ref(), at).map_err(Error::Signing)?;
        Ok(Self {
            key,
            tsa: tsa(home, s)?,
            at,
        })
    }

    /// `pdf` with a PAdES signature (invisible, `/M` the issue time).
    pub fn sign_pdf(&self, pdf: &[u8]) -> Result<Vec<u8>> {
        use sha2::Digest;
        let m = format!("D:{}+00'00'", self.at.format("%Y%m%d%H%M%S"));
        let prepared =
            tamim_docs::pdf::signature::prepare(pdf, &m).map_err(|e| Error::invalid("pdf", e.to_string()))?;
        let mut h = sha2::Sha256::new();
        for piece in prepared.signed_ranges() {
            h.update(piece);
        }
        let options = tamim_sign::cades::Options {
            signing_time: None,
            tsa: self.tsa.as_ref(),
        };
        let cms =
            tamim_sign::cades::sign_detached(self.key.as_ref(), &h.finalize(), &options).map_err(Error::Signing)?;
        prepared.finish(&cms).map_err(|e| Error::invalid("pdf", e.to_string()))
    }

    /// Who signs: the certificate's common name.
    pub fn signer(&self) -> String {
        tamim_sign::cert::common_name(&self.key.certificate().tbs_certificate.subject)
    }
}

/// The e-signature statement (or any wording of it) in a letter that is not signed is refused.
pub fn check_statement(letter: &tamim_docs::render::Letter, signed: bool) -> Result<()> {
    if signed {
        return Ok(());
    }
    let text = serde_json::to_string(letter).unwrap_or_default().to_lowercase();
    if text.contains("güvenli elektronik imza") {
        return Err(Error::UnsignedStatement);
    }
    Ok(())
}
