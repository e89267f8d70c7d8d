//! The command's help in the run's language: clap's command (from the derive in `cli/mod.rs` and each
//! subcommand's module) with every about and argument help taken from the catalogs — `about-<path>` and
//! `arg-<path>-<id>` (or `arg-<id>` for one that several commands share), where `<path>` is the
//! subcommand's names joined by `-` (`org-add`) — and clap's usage errors told in that language too.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, CommandFactory};
use std::process::ExitCode;

use super::errors::print_error;
use super::i18n::{catalog, Catalog};
use super::Cli;
use crate::t;

/// The whole command, its texts in the run's language: every command's about, and the arguments of the
/// commands on the way to the one `args` runs (those are all a run can show; telling all ~150 arguments
/// of every command would slow every start, `BENCHMARKS.md`).
pub fn command(args: &[std::ffi::OsString]) -> Command {
    let mut cmd = Cli::command();
    // When help or the version may be shown, built first, so the generated `--help`, `--version` and
    // `help` are there to be told too (building every command costs a run that shows neither ~0.5 ms).
    let shows_help = args.len() < 2
        || args
            .iter()
            .skip(1)
            .any(|a| matches!(a.to_str(), Some("-h" | "--help" | "-V" | "--version" | "help")));
    if shows_help {
        cmd.build();
    }
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| !a.starts_with('-'))
        .collect();
    // `tamim help org add` shows the help of `org add`.
    let words = match words.first().map(String::as_str) {
        Some("help") => &words[1..],
        _ => &words[..],
    };
    localise(cmd, "", catalog(), Some(words))
}

/// The catalog's key for the about of the command at `path`.
pub fn about_key(path: &str) -> String {
    if path.is_empty() {
        "about".into()
    } else {
        format!("about-{path}")
    }
}

/// The catalog's key for the help of argument `id` of the command at `path`: its own, else the one of the
/// nearest command above it that has one (`arg-draft-template` for both drafts), else the shared `arg-<id>`.
pub fn arg_key(cat: &Catalog, path: &str, id: &str) -> Option<String> {
    let mut p = path;
    loop {
        let key = if p.is_empty() {
            format!("arg-{id}")
        } else {
            format!("arg-{p}-{id}")
        };
        if cat.has(&key) {
            return Some(key);
        }
        if p.is_empty() {
            return None;
        }
        p = p.rfind('-').map_or("", |i| &p[..i]);
    }
}

/// Tell `cmd` (at `path`) in the catalog's language: its about and its arguments, and the abouts of its
/// subcommands; of those, the one `run` names next in full (all of them when `run` is `None`).
fn localise(mut cmd: Command, path: &str, cat: &Catalog, run: Option<&[String]>) -> Command {
    let about = about_key(path);
    if cat.has(&about) {
        cmd = cmd.about(cat.text(&about, &[]));
    }
    let (args_heading, options_heading) = (t!("help-heading-arguments"), t!("help-heading-options"));
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let help = arg_key(cat, path, &id).map(|k| cat.text(&k, &[]));
        let heading = if positional { &args_heading } else { &options_heading };
        cmd = cmd.mut_arg(&id, |a| {
            let a = a.help_heading(heading.clone());
            match help {
                Some(h) => a.help(h),
                None => a,
            }
        });
    }
    cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            t!("help-usage")
        ))
        .subcommand_help_heading(t!("help-heading-commands"))
        .subcommand_value_name(t!("help-command-value"));
    let subs: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in subs {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        // The run's words after this subcommand's name, when they name it (an option's value before it,
        // `--registry r`, is passed over).
        let rest = run.and_then(|r| r.iter().position(|w| *w == name).map(|i| &r[i + 1..]));
        if name == "help" {
            // The generated `help` mirrors every command; its own about is enough.
            let about = cat.text("about-help", &[]);
            cmd = cmd.mut_subcommand(&name, |c| c.about(about));
        } else if let Some(rest) = rest {
            cmd = cmd.mut_subcommand(&name, |c| localise(c, &sub, cat, Some(rest)));
        } else if run.is_none() {
            cmd = cmd.mut_subcommand(&name, |c| localise(c, &sub, cat, None));
        } else {
            let key = about_key(&sub);
            if cat.has(&key) {
                let about = cat.text(&key, &[]);
                cmd = cmd.mut_subcommand(&name, |c| c.about(about));
            }
        }
    }
    cmd
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Tell a usage error (or print the help or version asked for) and give the exit code: 0 for help and
/// version, 2 for a usage error, as clap does.
pub fn clap_error(e: clap::Error, json: bool) -> ExitCode {
    let arg = context(&e, ContextKind::InvalidArg);
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::InvalidValue => t!(
            "usage-invalid-value",
            arg = arg,
            value = context(&e, ContextKind::InvalidValue),
            valid = context(&e, ContextKind::ValidValue)
        ),
        ErrorKind::UnknownArgument => t!("usage-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => t!(
            "usage-unknown-command",
            command = context(&e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => t!("usage-missing-argument", arg = arg),
        ErrorKind::MissingSubcommand => t!("usage-missing-command"),
        ErrorKind::ArgumentConflict => t!("usage-conflict", arg = arg, other = context(&e, ContextKind::PriorArg)),
        ErrorKind::TooManyValues => t!("usage-once", arg = arg),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
            t!(
                "usage-bad-value",
                arg = arg,
                value = context(&e, ContextKind::InvalidValue),
                problem = why
            )
        }
        _ => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            first
        }
    };
    print_error("usage", format!("{message}\n{}", t!("usage-more")), json);
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::i18n::Lang;

    /// Every command and every argument has its help in both catalogs, each argument's with an example.
    #[test]
    fn every_command_and_argument_has_help_with_an_example_in_both_languages() {
        fn walk(c: &Command, path: &str, cat: &Catalog, missing: &mut Vec<String>) {
            if !cat.has(&about_key(path)) {
                missing.push(about_key(path));
            }
            for a in c.get_arguments() {
                let id = a.get_id().as_str();
                match arg_key(cat, path, id) {
                    None => missing.push(format!("arg-{path}-{id}")),
                    Some(k) => {
                        let text = cat.text(&k, &[]);
                        let example = if cat.lang == Lang::Tr { "örn." } else { "e.g." };
                        if !text.contains(example) {
                            missing.push(format!("{k}: no example"));
                        }
                    }
                }
            }
            for s in c.get_subcommands() {
                let name = s.get_name();
                let p = if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}-{name}")
                };
                if name == "help" {
                    if !cat.has(&about_key(&p)) && !cat.has("about-help") {
                        missing.push(about_key(&p));
                    }
                    continue;
                }
                walk(s, &p, cat, missing);
            }
        }
        for lang in [Lang::Tr, Lang::En] {
            let cat = Catalog::new(lang);
            let mut c = Cli::command();
            c.build();
            let mut missing = vec![];
            walk(&c, "", &cat, &mut missing);
            assert!(missing.is_empty(), "{lang:?}: help missing: {missing:#?}");
        }
    }
}
