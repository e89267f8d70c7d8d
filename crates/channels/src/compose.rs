//! Renders a recipient's message bodies (plain text and HTML) from the Turkish templates in
//! `templates/mail/` with minijinja: strict undefined (a missing context field is an error,
//! not an empty string) and HTML auto-escaping for `*.html.j2`. The context fields are listed
//! in `templates/mail/README.md`.

use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::MailError;

/// Which message: the circular itself or a reminder to acknowledge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Circular,
    Reminder,
}

impl MailKind {
    /// The template base name (`circular`, `reminder`).
    pub fn template_stem(self) -> &'static str {
        match self {
            MailKind::Circular => "circular",
            MailKind::Reminder => "reminder",
        }
    }
}

/// The subject line: `[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk.`; a reminder gets
/// `Hatırlatma: ` in front. Line breaks and tabs in `konu` become spaces here; [`super::build`]
/// still refuses any control character left in a subject.
pub fn subject(kind: MailKind, document_label: &str, konu: &str) -> String {
    let clean = |s: &str| -> String {
        s.split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let base = format!("[{}] {}", clean(document_label), clean(konu));
    match kind {
        MailKind::Circular => base,
        MailKind::Reminder => format!("Hatırlatma: {base}"),
    }
}

fn load(env: &mut Environment<'static>, dir: &Path, name: &str) -> Result<(), MailError> {
    let path = dir.join(name);
    let source = std::fs::read_to_string(&path).map_err(|e| MailError::Template {
        name: name.to_string(),
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    env.add_template_owned(name.to_string(), source)
        .map_err(|e| template_error(name, &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> MailError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    MailError::Template {
        name: name.to_string(),
        message,
    }
}

/// Like minijinja's default, but escapes only `& < > " '` (keeps `/` readable in links).
fn html_formatter(
    out: &mut minijinja::Output<'_>,
    state: &minijinja::State<'_, '_>,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if !matches!(state.auto_escape(), AutoEscape::Html) || value.is_safe() || value.is_undefined() || value.is_none() {
        return minijinja::escape_formatter(out, state, value);
    }
    let mut escaped = String::new();
    for c in value.to_string().chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write").with_source(e))
}

/// The templates, parsed once, for rendering many recipients' messages.
pub struct Composer {
    env: Environment<'static>,
}

impl Composer {
    /// Reads and parses `<kind>.txt.j2` and `<kind>.html.j2` from `dir` (the `templates/mail`
    /// folder) for each of `kinds`.
    pub fn load(dir: &Path, kinds: &[MailKind]) -> Result<Composer, MailError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") || name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_keep_trailing_newline(true);
        env.set_formatter(html_formatter);
        for kind in kinds {
            let stem = kind.template_stem();
            load(&mut env, dir, &format!("{stem}.txt.j2"))?;
            load(&mut env, dir, &format!("{stem}.html.j2"))?;
        }
        Ok(Composer { env })
    }

    /// Renders `(text, html)` for `kind` with `ctx`.
    pub fn render(&self, kind: MailKind, ctx: &serde_json::Value) -> Result<(String, String), MailError> {
        let stem = kind.template_stem();
        let render = |name: String| -> Result<String, MailError> {
            let t = self.env.get_template(&name).map_err(|e| template_error(&name, &e))?;
            t.render(ctx)
                .map(|s| normalize_newlines(&s))
                .map_err(|e| template_error(&name, &e))
        };
        Ok((render(format!("{stem}.txt.j2"))?, render(format!("{stem}.html.j2"))?))
    }
}

/// Renders `templates/mail/<kind>.txt.j2` and `<kind>.html.j2` from `dir` (the
/// `templates/mail` folder) with `ctx`; returns `(text, html)`. For many recipients, load a
/// [`Composer`] once instead.
pub fn compose(dir: &Path, kind: MailKind, ctx: &serde_json::Value) -> Result<(String, String), MailError> {
    Composer::load(dir, &[kind])?.render(kind, ctx)
}

/// Line ends as `\n` only, no trailing spaces, at most one blank line in a row.
fn normalize_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.replace("\r\n", "\n").split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
