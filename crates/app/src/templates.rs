//! The document and mail templates an office uses: those compiled into the binary, each replaced by the
//! office's own copy of the same file when it has one — `<registry>/templates/documents/*.toml.j2` and
//! `<registry>/templates/mail/*.j2`, each folder found on its own, each file on its own (an office that
//! changed only `tamim.toml.j2` keeps every other built-in template). `tamim templates export DIR` writes the
//! built-in ones out to start from.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tamim_core::template::{Origin, TemplateFile, TemplateSet};

use crate::error::{Error, Result};

/// Under the registry: the office's own templates.
pub const DIR: &str = "templates";

/// The two kinds of templates and their folder under [`DIR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Documents,
    Mail,
}

impl Folder {
    pub const ALL: [Folder; 2] = [Folder::Documents, Folder::Mail];

    pub fn name(self) -> &'static str {
        match self {
            Folder::Documents => "documents",
            Folder::Mail => "mail",
        }
    }

    fn built_in(self) -> (&'static include_dir::Dir<'static>, TemplateSet) {
        match self {
            Folder::Documents => (
                &tamim_docs::render::template::BUILT_IN,
                tamim_docs::render::template::built_in(),
            ),
            Folder::Mail => (&tamim_channels::compose::BUILT_IN, tamim_channels::compose::built_in()),
        }
    }
}

/// The office's templates of `folder`: the built-in ones, each replaced by the file of the same name in
/// `<home>/templates/<folder>/` when there is one (and that folder's other `*.j2` files added).
pub fn load(home: &Path, folder: Folder) -> Result<TemplateSet> {
    let mut set = folder.built_in().1;
    let own = home.join(DIR).join(folder.name());
    if !own.is_dir() {
        return Ok(set);
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&own).map_err(|e| Error::io(&own, e))? {
        let entry = entry.map_err(|e| Error::io(&own, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".j2") && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let path = own.join(&name);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        tracing::debug!(template = %path.display(), "the office's own template");
        set.insert(TemplateFile {
            name,
            origin: Origin::File(path),
            text: Cow::Owned(text),
        });
    }
    Ok(set)
}

/// What `tamim templates export` wrote.
#[derive(Debug, Serialize)]
pub struct Exported {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Writes the built-in templates (with their READMEs and examples) to `dir/documents/` and `dir/mail/` — the
/// layout the registry reads, so `tamim templates export <registry>/templates` makes them the office's own.
/// Refused into a folder that is not empty unless `force` (then files of the same name are replaced and
/// nothing else is touched).
pub fn export(dir: &Path, force: bool, write: impl Fn(&Path, &[u8]) -> Result<()>) -> Result<Exported> {
    if !force && dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::file(dir, msg::NOT_EMPTY));
        }
    } else if dir.exists() && !dir.is_dir() {
        return Err(Error::file(dir, msg::NOT_A_FOLDER));
    }
    let mut files = Vec::new();
    for folder in Folder::ALL {
        let mut stack = vec![folder.built_in().0];
        while let Some(d) = stack.pop() {
            stack.extend(d.dirs());
            for f in d.files() {
                let path = dir.join(folder.name()).join(f.path());
                write(&path, f.contents())?;
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(Exported {
        dir: dir.to_path_buf(),
        files,
    })
}

/// The messages of this module a user reads (English; the CLI's catalogs carry the Turkish).
pub mod msg {
    pub const NOT_EMPTY: &str =
        "the folder is not empty; give an empty or new folder, or --force to replace the templates in it";
    pub const NOT_A_FOLDER: &str = "exists and is not a folder";
}
