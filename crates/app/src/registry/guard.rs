//! The registry's own files are off limits to every output: a report, a draft, a sheet, a package or an
//! output folder that resolves (after symlinks) to the database, its journal files, the secret, office.toml,
//! `files/` or `templates/` is refused, and an existing file is replaced only when asked (`--force`).

use std::path::{Component, Path, PathBuf};

use super::home::{Registry, CONFIG_FILE, FILES_DIR};
use crate::error::{Error, Result};
use tamim_store::DB_FILE;

/// The registry's secret (acknowledgement tokens are derived from it).
const SECRET_FILE: &str = "secret.key";
/// An office's own copies of the templates.
const TEMPLATES_DIR: &str = "templates";

impl Registry {
    /// Where an output file given by the user (`--file`) may be written: its resolved path. Refused when
    /// it is one of the registry's own files or inside its `files/` or `templates/` (whatever symlinks lead
    /// there), when it is a folder, or when it exists and `force` is not given.
    pub fn check_output(&self, path: &Path, force: bool) -> Result<PathBuf> {
        check_output(&self.home, path, force)
    }

    /// Whether an output folder (`--output`: issued PDFs, reports, the outbox) may be used: it may not be,
    /// or be inside, one of the registry's own files or folders (`files/`, `templates/`, the database).
    pub fn check_output_dir(&self, dir: &Path) -> Result<PathBuf> {
        check_output_dir(&self.home, dir)
    }
}

/// [`Registry::check_output`] for a registry home that is not open.
pub fn check_output(home: &Path, path: &Path, force: bool) -> Result<PathBuf> {
    let field = "--file";
    let resolved = resolve(path).map_err(|e| Error::io(path, e))?;
    if let Some(what) = registry_part(home, &resolved, true) {
        return Err(Error::invalid(
            field,
            format!("{} is {what}; tamim never writes a report, draft or export over the registry's own files: choose another path", path.display()),
        ));
    }
    match std::fs::metadata(&resolved) {
        Ok(m) if m.is_dir() => Err(Error::invalid(
            field,
            format!("{} is a folder; give the name of a file to write", path.display()),
        )),
        Ok(_) if !force => Err(Error::invalid(
            field,
            format!(
                "{} already exists; give --force to replace it, or choose another path",
                path.display()
            ),
        )),
        _ => Ok(resolved),
    }
}

/// [`Registry::check_output_dir`] for a registry home that is not open.
pub fn check_output_dir(home: &Path, dir: &Path) -> Result<PathBuf> {
    let resolved = resolve(dir).map_err(|e| Error::io(dir, e))?;
    if let Some(what) = registry_part(home, &resolved, false) {
        return Err(Error::invalid(
            "--output",
            format!("{} is {what}; the output folder may not be one of the registry's own files or folders: choose another folder", dir.display()),
        ));
    }
    if resolved.exists() && !resolved.is_dir() {
        return Err(Error::invalid(
            "--output",
            format!("{} is a file, not a folder", dir.display()),
        ));
    }
    Ok(resolved)
}

/// What of the registry at `home` the resolved `target` is (or is inside), if anything. `as_file`: the
/// registry folder itself is off limits too (as a file to write, not as a folder to write in).
fn registry_part(home: &Path, target: &Path, as_file: bool) -> Option<String> {
    let home = resolve(home).ok()?;
    if target == home {
        return as_file.then(|| "the registry folder".to_string());
    }
    let rest = target.strip_prefix(&home).ok()?;
    let first = match rest.components().next()? {
        Component::Normal(n) => n.to_string_lossy().into_owned(),
        _ => return None,
    };
    let deeper = rest.components().count() > 1;
    let what = match first.as_str() {
        n if n == DB_FILE => "the registry's database".to_string(),
        n if n.starts_with(DB_FILE) => format!(
            "the registry database's {} file",
            &n[DB_FILE.len()..].trim_start_matches('-')
        ),
        SECRET_FILE => "the registry's secret (secret.key)".to_string(),
        CONFIG_FILE => "the registry's office.toml".to_string(),
        FILES_DIR if deeper => "inside the registry's stored files (files/)".to_string(),
        FILES_DIR => "the registry's stored files (files/)".to_string(),
        TEMPLATES_DIR if deeper => "inside the registry's templates (templates/)".to_string(),
        TEMPLATES_DIR => "the registry's templates (templates/)".to_string(),
        _ => return None,
    };
    Some(what)
}

/// `path` made absolute, with every symlink followed; for a path that does not exist yet, its nearest
/// existing ancestor resolved and the rest appended (`..` taken lexically), so a link anywhere on the way is
/// followed as the write would follow it.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    resolve_abs(&abs, 0)
}

fn resolve_abs(abs: &Path, depth: u32) -> std::io::Result<PathBuf> {
    if let Ok(p) = abs.canonicalize() {
        return Ok(p);
    }
    // A dangling symlink: where it points is where the file would be written.
    if depth < 40 {
        if let Ok(target) = std::fs::read_link(abs) {
            let base = abs.parent().unwrap_or(Path::new("/"));
            let next = if target.is_absolute() {
                target
            } else {
                base.join(target)
            };
            return resolve_abs(&next, depth + 1);
        }
    }
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => Ok(resolve_abs(parent, depth)?.join(name)),
        // `..` or the root: taken lexically.
        (Some(parent), None) => Ok(resolve_abs(parent, depth)?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"))),
        (None, _) => Ok(abs.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_files_are_named_and_others_pass() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("registry");
        std::fs::create_dir_all(home.join("files")).unwrap();
        std::fs::write(home.join("tamim.sqlite"), b"x").unwrap();
        std::fs::write(home.join("secret.key"), b"x").unwrap();
        for bad in [
            "tamim.sqlite",
            "tamim.sqlite-wal",
            "tamim.sqlite-shm",
            "secret.key",
            "office.toml",
            "files",
            "files/x.pdf",
            "files/a/b.pdf",
            "templates/documents/tamim.toml.j2",
        ] {
            assert!(check_output(&home, &home.join(bad), true).is_err(), "{bad}");
        }
        assert!(check_output(&home, &home, true).is_err());
        assert!(check_output(&home, &home.join("files/../tamim.sqlite"), true).is_err());
        assert!(check_output(&home, &dir.path().join("out/report.csv"), false).is_ok());
        // A symlink to the database, existing or through a folder.
        std::os::unix::fs::symlink(home.join("tamim.sqlite"), dir.path().join("link.csv")).unwrap();
        assert!(check_output(&home, &dir.path().join("link.csv"), true).is_err());
        std::os::unix::fs::symlink(&home, dir.path().join("r")).unwrap();
        assert!(check_output(&home, &dir.path().join("r/secret.key"), true).is_err());
        std::os::unix::fs::symlink(home.join("new-wal-to-be"), dir.path().join("dangling")).unwrap();
        assert!(check_output(&home, &dir.path().join("dangling"), false).is_ok());
        std::os::unix::fs::symlink(home.join("files/new.pdf"), dir.path().join("dangling2")).unwrap();
        assert!(check_output(&home, &dir.path().join("dangling2"), false).is_err());
        // An existing file needs force.
        std::fs::write(dir.path().join("old.csv"), b"x").unwrap();
        assert!(check_output(&home, &dir.path().join("old.csv"), false).is_err());
        assert!(check_output(&home, &dir.path().join("old.csv"), true).is_ok());
        // Folders.
        assert!(check_output_dir(&home, &home.join("files")).is_err());
        assert!(check_output_dir(&home, &home.join("files/out")).is_err());
        assert!(check_output_dir(&home, &home.join("tamim.sqlite")).is_err());
        assert!(check_output_dir(&home, &dir.path().join("output")).is_ok());
        assert!(check_output_dir(&home, &home.join("reports")).is_ok());
    }
}
