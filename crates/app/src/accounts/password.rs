//! Password hashes: argon2id (RFC 9106) with the parameters OWASP recommends for it — 19 MiB of memory,
//! 2 passes, 1 lane — in PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`), each with its own 16-byte
//! random salt. A hash records its own parameters, so raising them later still verifies older hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::AccountError;

/// Memory in KiB, passes, lanes.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

fn hasher() -> Result<Argon2<'static>, AccountError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| AccountError::Password(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string for `pw`.
pub fn hash(pw: &str) -> Result<String, AccountError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AccountError::Password(e.to_string()))?;
    Ok(hasher()?
        .hash_password(pw.as_bytes(), &salt)
        .map_err(|e| AccountError::Password(e.to_string()))?
        .to_string())
}

/// Whether `pw` matches `phc` (a malformed hash matches nothing). The comparison inside is constant-time.
pub fn verify(phc: &str, pw: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    match hasher() {
        Ok(h) => h.verify_password(pw.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, checked when the username is unknown so that an unknown user costs the
/// same time as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("tamim-decoy-password-never-valid").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("doğru parola 123").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(super::verify(&h, "doğru parola 123"));
        assert!(!super::verify(&h, "yanlış parola 123"));
        assert!(!super::verify("not a hash", "x"));
    }
}
