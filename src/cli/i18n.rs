//! The command line in the user's language: Project Fluent catalogs (`i18n/tr.ftl`, `i18n/en.ftl`,
//! embedded in the binary), one chosen per run by `--lang`, else `LC_ALL`, `LC_MESSAGES`, `LANG`.
//! Turkish is the default (tamim is for Turkish offices): an unset, `C` or `POSIX` locale, or one of a
//! language tamim does not speak, gives Turkish; an `en…` locale gives English. Identifiers, subcommand
//! names and JSON keys stay English in both.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::ffi::OsString;
use std::sync::OnceLock;

pub const TR_FTL: &str = include_str!("i18n/tr.ftl");
pub const EN_FTL: &str = include_str!("i18n/en.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Tr,
    En,
}

impl Lang {
    /// `tr` or `en` (also `tr_TR`, `en-US`); anything else is not a language tamim speaks.
    pub fn parse(s: &str) -> Option<Lang> {
        let code = s.split(['_', '-', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
        match code.as_str() {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale value (`tr_TR.UTF-8`); `None` for an unset or neutral one.
    fn of_locale(value: &str) -> Option<Lang> {
        match value {
            "" | "C" | "POSIX" => None,
            v if v.starts_with("C.") => None,
            v => Some(Lang::parse(v).unwrap_or(Lang::Tr)),
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Tr => TR_FTL,
            Lang::En => EN_FTL,
        }
    }
}

/// The value given to `--lang` on the command line (`--lang en`, `--lang=en`), if any.
pub fn flag_value(args: &[OsString]) -> Option<String> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return Some(it.next().map(|v| v.to_string()).unwrap_or_default());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

/// The language the environment asks for: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG` (POSIX's
/// order), Turkish when none says a language.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(&var)
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::of_locale(&v))
        .unwrap_or(Lang::Tr)
}

/// One language's messages.
pub struct Catalog {
    pub lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl Catalog {
    /// The embedded catalog of `lang`. A catalog that does not parse is a build mistake the tests catch
    /// (`i18n::tests`); the messages it does hold are still used.
    pub fn new(lang: Lang) -> Catalog {
        let res = match FluentResource::try_new(lang.source().to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let id: unic_langid::LanguageIdentifier = match lang {
            Lang::Tr => unic_langid::langid!("tr"),
            Lang::En => unic_langid::langid!("en"),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: the text goes to a terminal or a file.
        bundle.set_use_isolating(false);
        let _ = bundle.add_resource(res);
        Catalog { lang, bundle }
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.get_message(id).and_then(|m| m.value()).is_some()
    }

    /// Message `id` with `args`; the id itself when the catalog lacks it (a test keeps that from
    /// happening: `every_message_the_code_asks_for_is_in_both_catalogs`).
    pub fn text(&self, id: &str, args: &[(&str, FluentValue)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        let mut errors = vec![];
        self.bundle.format_pattern(pattern, Some(&fa), &mut errors).into_owned()
    }
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// Choose the run's language (once, first thing in `main`).
pub fn init(lang: Lang) {
    let _ = CATALOG.set(Catalog::new(lang));
}

/// The run's catalog (Turkish when [`init`] was not called).
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(|| Catalog::new(Lang::Tr))
}

pub fn lang() -> Lang {
    catalog().lang
}

/// Message `id` of the run's catalog, with arguments.
pub fn text(id: &str, args: &[(&str, FluentValue)]) -> String {
    catalog().text(id, args)
}

/// A whole number as the run's language writes it (`1.000.350` in Turkish, `1,000,350` in English).
pub fn int(n: i64) -> String {
    match lang() {
        Lang::Tr => tamim_core::turkish::number::integer(n),
        Lang::En => {
            let s = n.unsigned_abs().to_string();
            let mut o = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i).is_multiple_of(3) {
                    o.push(',');
                }
                o.push(c);
            }
            if n < 0 {
                o.insert(0, '-');
            }
            o
        }
    }
}

/// A percentage with one decimal: `%61,1` in Turkish, `61.1%` in English.
pub fn percent(x: f64) -> String {
    match lang() {
        Lang::Tr => tamim_core::turkish::number::percent(x),
        Lang::En => format!("{x:.1}%"),
    }
}

/// A date: `20 Kasım 2021` in Turkish, `20 November 2021` in English.
pub fn date(d: chrono::NaiveDate) -> String {
    match lang() {
        Lang::Tr => tamim_core::turkish::format_day(d),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A stored date (`2021-11-20`) as [`date`] writes it; any other text as it is.
pub fn date_text(s: &str) -> String {
    match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => date(d),
        Err(_) => s.to_string(),
    }
}

/// `t!("id")`, `t!("id", name = value, …)`: a message of the run's catalog.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::cli::i18n::text($id, &[])
    };
    ($id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::cli::i18n::text($id, &[$((stringify!($k), fluent_bundle::FluentValue::from($v))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(src: &str) -> BTreeSet<String> {
        let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(_, e)| panic!("catalog: {e:?}"));
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_catalogs_parse_and_hold_the_same_messages() {
        let (tr, en) = (ids(TR_FTL), ids(EN_FTL));
        let only_tr: Vec<_> = tr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&tr).collect();
        assert!(only_tr.is_empty(), "only in tr.ftl: {only_tr:?}");
        assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    }

    /// Every `t!("id"` in the command's source is a message of both catalogs.
    #[test]
    fn every_message_the_code_asks_for_is_in_both_catalogs() {
        let (tr, en) = (ids(TR_FTL), ids(EN_FTL));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/cli");
        let mut missing = vec![];
        for f in std::fs::read_dir(dir).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_none_or(|e| e != "rs") || p.ends_with("i18n.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            let re = regex_lite::Regex::new(r#"\bt!\("([a-z0-9-]+)""#).unwrap();
            for c in re.captures_iter(&src) {
                let id = &c[1];
                if !(tr.contains(id) && en.contains(id)) {
                    missing.push(format!("{}: {id}", p.display()));
                }
            }
        }
        assert!(missing.is_empty(), "messages missing from a catalog: {missing:?}");
    }

    #[test]
    fn the_language_comes_from_the_flag_then_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(from_env(env(&[])), Lang::Tr);
        assert_eq!(from_env(env(&[("LANG", "C")])), Lang::Tr);
        assert_eq!(from_env(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(from_env(env(&[("LANG", "tr_TR.UTF-8")])), Lang::Tr);
        assert_eq!(
            from_env(env(&[("LANG", "tr_TR.UTF-8"), ("LC_MESSAGES", "en_GB")])),
            Lang::En
        );
        assert_eq!(
            from_env(env(&[("LC_ALL", "tr_TR"), ("LC_MESSAGES", "en_GB")])),
            Lang::Tr
        );
        assert_eq!(from_env(env(&[("LANG", "de_DE.UTF-8")])), Lang::Tr);
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            flag_value(&args(&["tamim", "--lang", "en", "status"])),
            Some("en".into())
        );
        assert_eq!(flag_value(&args(&["tamim", "status", "--lang=xx"])), Some("xx".into()));
        assert_eq!(flag_value(&args(&["tamim", "status"])), None);
        assert_eq!(Lang::parse("xx"), None);
    }

    #[test]
    fn numbers_follow_the_language() {
        let c = Catalog::new(Lang::En);
        assert_eq!(c.lang, Lang::En);
        assert_eq!(tamim_core::turkish::number::percent(61.11), "%61,1");
    }
}
