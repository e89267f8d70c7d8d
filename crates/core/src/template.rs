//! A set of templates by file name, each knowing where it came from — built into the binary, or an office's own
//! file — so that an error can name the file. Finding and reading them is the app's (`tamim_app::templates`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a template's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary.
    BuiltIn,
    /// An office's own copy (an override under its registry).
    File(PathBuf),
}

/// One template: its file name (`tamim.toml.j2`), where it came from, its text.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub name: String,
    pub origin: Origin,
    pub text: Cow<'static, str>,
}

impl TemplateFile {
    /// How an error names it: the override's path, or the file name of a built-in one.
    pub fn shown(&self) -> String {
        match &self.origin {
            Origin::BuiltIn => self.name.clone(),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// Templates by file name; a later `insert` of the same name replaces the earlier (an override).
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    files: BTreeMap<String, TemplateFile>,
}

impl TemplateSet {
    /// The templates compiled into the binary, as `(file name, text)`; only the `*.j2` files are taken.
    pub fn from_built_in<'a>(files: impl IntoIterator<Item = (&'a str, &'static str)>) -> TemplateSet {
        let mut set = TemplateSet::default();
        for (name, text) in files.into_iter().filter(|(n, _)| n.ends_with(".j2")) {
            set.insert(TemplateFile {
                name: name.to_string(),
                origin: Origin::BuiltIn,
                text: Cow::Borrowed(text),
            });
        }
        set
    }

    pub fn insert(&mut self, file: TemplateFile) {
        self.files.insert(file.name.clone(), file);
    }

    pub fn get(&self, name: &str) -> Option<&TemplateFile> {
        self.files.get(name)
    }

    /// Every template, in file-name order.
    pub fn iter(&self) -> impl Iterator<Item = &TemplateFile> {
        self.files.values()
    }

    /// The names of the files ending in `suffix`, without it, sorted.
    pub fn names_ending(&self, suffix: &str) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|n| n.strip_suffix(suffix))
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_replaces_the_built_in_one_and_is_named_by_its_path() {
        let mut set = TemplateSet::default();
        let t = |origin| TemplateFile {
            name: "tamim.toml.j2".into(),
            origin,
            text: "x".into(),
        };
        set.insert(t(Origin::BuiltIn));
        assert_eq!(set.get("tamim.toml.j2").unwrap().shown(), "tamim.toml.j2");
        set.insert(t(Origin::File("/r/templates/documents/tamim.toml.j2".into())));
        assert_eq!(
            set.get("tamim.toml.j2").unwrap().shown(),
            "/r/templates/documents/tamim.toml.j2"
        );
        assert_eq!(set.names_ending(".toml.j2"), ["tamim"]);
    }
}
