//! The registry's secret key, from which every acknowledgement token is derived (`tamim_core::token`).

use std::path::Path;

use crate::error::{Error, Result};

pub use tamim_core::token::{constant_time_eq, token, token_hash};

pub const SECRET_FILE: &str = "secret.key";

/// The registry's secret (32 random bytes in `secret.key`, made on first use, readable only by the owner).
pub fn secret(home: &Path) -> Result<Vec<u8>> {
    let path = home.join(SECRET_FILE);
    match std::fs::read(&path) {
        Ok(b) if b.len() == 64 => {
            hex::decode(&b).map_err(|_| Error::file(&path, "is not a tamim secret key (64 hex digits)"))
        }
        Ok(_) => Err(Error::file(&path, "is not a tamim secret key (64 hex digits)")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
            let text = hex::encode(key);
            // create_new: two processes racing here must not end with two different keys.
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    use std::io::Write;
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
                    }
                    f.write_all(text.as_bytes()).map_err(|e| Error::io(&path, e))?;
                    f.sync_all().map_err(|e| Error::io(&path, e))?;
                    Ok(key.to_vec())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => secret(home),
                Err(e) => Err(Error::io(&path, e)),
            }
        }
        Err(e) => Err(Error::io(&path, e)),
    }
}
