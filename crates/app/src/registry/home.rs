//! A registry home on disk: `office.toml`, `tamim.sqlite` and `files/` (stored PDFs named by SHA-256).

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{Modes, OfficeConfig};
use crate::error::{Error, Result};
use tamim_store::{Store, DB_FILE};

pub const CONFIG_FILE: &str = "office.toml";
pub const FILES_DIR: &str = "files";

/// An open registry: where it lives, this office's settings, the database.
pub struct Registry {
    pub home: PathBuf,
    pub config: OfficeConfig,
    pub store: Store,
}

#[derive(Debug, Serialize)]
pub struct InitReport {
    pub registry: PathBuf,
    /// What this run created; empty when the registry was already complete.
    pub created: Vec<String>,
    pub schema_version: i64,
}

impl Registry {
    /// Make a registry home, or complete one; running it twice is harmless and overwrites nothing.
    pub fn init(home: &Path, office_toml: Option<&str>) -> Result<InitReport> {
        let mut created = Vec::new();
        if home.exists() && !home.is_dir() {
            return Err(Error::file(home, "exists and is not a folder"));
        }
        if !home.exists() {
            // Owner-only (0700): the registry holds the database and the secret.
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(home)
                .map_err(|e| Error::io(home, e))?;
            created.push(home.display().to_string());
        }
        let cfg = home.join(CONFIG_FILE);
        if !cfg.exists() {
            let text = office_toml.unwrap_or(OfficeConfig::template_text());
            OfficeConfig::parse(text)?;
            write_atomic(&cfg, text.as_bytes())?;
            created.push(CONFIG_FILE.into());
        } else {
            OfficeConfig::from_file(&cfg)?;
        }
        let files = home.join(FILES_DIR);
        if !files.is_dir() {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&files)
                .map_err(|e| Error::io(&files, e))?;
            created.push(FILES_DIR.into());
        }
        let db_existed = home.join(DB_FILE).is_file();
        let store = Store::create(home)?;
        if !db_existed {
            created.push(DB_FILE.into());
        }
        Ok(InitReport {
            registry: home.to_path_buf(),
            created,
            schema_version: store.schema_version()?,
        })
    }

    /// Open an existing registry home.
    pub fn open(home: &Path) -> Result<Registry> {
        if !home.join(DB_FILE).is_file() {
            return Err(Error::Store(tamim_store::Error::NotARegistry(home.to_path_buf())));
        }
        let config = OfficeConfig::from_file(&home.join(CONFIG_FILE))?;
        let store = Store::open(home)?;
        tracing::debug!(registry = %home.display(), "registry opened");
        Ok(Registry {
            home: home.to_path_buf(),
            config,
            store,
        })
    }

    pub fn files_dir(&self) -> PathBuf {
        self.home.join(FILES_DIR)
    }

    /// Where a stored file lives.
    pub fn file_path(&self, sha256: &str) -> PathBuf {
        self.files_dir().join(format!("{sha256}.pdf"))
    }

    /// Store bytes under their SHA-256 (atomic write; an existing identical file is kept).
    /// Returns the hash and whether this call wrote the file (so a failed transaction can remove it).
    pub fn store_file(&self, bytes: &[u8]) -> Result<(String, bool)> {
        let sha = sha256_hex(bytes);
        let path = self.file_path(&sha);
        if path.is_file() {
            return Ok((sha, false));
        }
        write_atomic(&path, bytes)?;
        Ok((sha, true))
    }

    pub fn read_file(&self, sha256: &str) -> Result<Vec<u8>> {
        let p = self.file_path(sha256);
        std::fs::read(&p).map_err(|e| Error::io(p, e))
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Write a file so that readers see either the old content or the whole new content, never a part. Owner-only
/// (0600): for the registry's own files; what people open goes through [`write_output`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, None, |w| w.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// [`write_atomic`] for a file people open (an issued PDF, a report, a draft): with `modes.file`
/// (`[files] mode`, group-readable by default), its folder made with `modes.dir` when missing.
pub fn write_output(path: &Path, bytes: &[u8], modes: Modes) -> Result<()> {
    write_file(path, Some(modes), |w| {
        w.write_all(bytes).map_err(|e| Error::io(path, e))
    })
}

/// [`write_output`] through `write` (handed the writer): a file people open (a workbook, an export), whole
/// or not at all.
pub fn write_with(path: &Path, modes: Modes, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    write_file(path, Some(modes), write)
}

/// Makes `dir` (and its missing parents) for output, the folder itself with `modes.dir` when this makes it.
pub fn create_output_dir(dir: &Path, modes: Modes) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(modes.dir)
        .create(dir)
        .map_err(|e| Error::io(dir, e))?;
    // The setting, not the umask, decides.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(modes.dir)).map_err(|e| Error::io(dir, e))
}

/// Write `path` whole or not at all, through `write` (a file beside it, synced, renamed into place).
fn write_file(path: &Path, modes: Option<Modes>, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match modes {
        Some(m) => create_output_dir(dir, m)?,
        None => std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?,
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    if let Some(m) = modes {
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(m.file))
            .map_err(|e| Error::io(path, e))?;
    }
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
