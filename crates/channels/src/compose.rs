//! Renders a recipient's message bodies (plain text and HTML) from the Turkish templates in
//! `templates/mail/` with minijinja: strict undefined (a missing context field is an error,
//! not an empty string) and HTML auto-escaping for `*.html.j2`. The context fields are listed
//! in `templates/mail/README.md`.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::MailError;
use tamim_core::TemplateSet;

/// Which message: the circular itself or a reminder to acknowledge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Circular,
    Reminder,
    /// An office's personal link to one of its staff, sent by the issuer on the office's behalf.
    Staff,
}

impl MailKind {
    /// The template base name (`circular`, `reminder`).
    pub fn template_stem(self) -> &'static str {
        match self {
            MailKind::Circular => "circular",
            MailKind::Reminder => "reminder",
            MailKind::Staff => "staff",
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
        MailKind::Staff => format!("Tebliğ: {base}"),
    }
}

fn load(env: &mut Environment<'static>, set: &TemplateSet, name: &str) -> Result<(), MailError> {
    let t = set.get(name).ok_or_else(|| MailError::Template {
        name: name.to_string(),
        message: "there is no such template".into(),
    })?;
    env.add_template_owned(name.to_string(), t.text.to_string())
        .map_err(|e| template_error(&t.shown(), &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> MailError {
    let what = match e.detail() {
        Some(detail) => format!("{}: {detail}", e.kind()),
        None => e.kind().to_string(),
    };
    let mut message = match e.line() {
        Some(line) => format!("line {line}: {what}"),
        None => what,
    };
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

/// The mail templates compiled in (`templates/mail/`, with its README for `tamim templates export`).
pub static BUILT_IN: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../templates/mail");

/// The built-in mail templates (`*.j2`).
pub fn built_in() -> TemplateSet {
    TemplateSet::from_built_in(
        BUILT_IN
            .files()
            .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?))),
    )
}

/// The templates, parsed once, for rendering many recipients' messages.
pub struct Composer {
    env: Environment<'static>,
    /// Each template's name in errors (an office's own copy by its path).
    shown: std::collections::HashMap<String, String>,
}

impl Composer {
    /// Parses `<kind>.txt.j2` and `<kind>.html.j2` from `set` (the mail templates) for each of `kinds`.
    pub fn load(set: &TemplateSet, kinds: &[MailKind]) -> Result<Composer, MailError> {
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
            load(&mut env, set, &format!("{stem}.txt.j2"))?;
            load(&mut env, set, &format!("{stem}.html.j2"))?;
        }
        let shown = set.iter().map(|t| (t.name.clone(), t.shown())).collect();
        Ok(Composer { env, shown })
    }

    /// Renders `(text, html)` for `kind` with `ctx`.
    pub fn render(&self, kind: MailKind, ctx: &serde_json::Value) -> Result<(String, String), MailError> {
        let stem = kind.template_stem();
        let render = |name: String| -> Result<String, MailError> {
            let shown = self.shown.get(&name).unwrap_or(&name);
            let t = self.env.get_template(&name).map_err(|e| template_error(shown, &e))?;
            t.render(ctx)
                .map(|s| normalize_newlines(&s))
                .map_err(|e| template_error(shown, &e))
        };
        Ok((render(format!("{stem}.txt.j2"))?, render(format!("{stem}.html.j2"))?))
    }
}

/// Renders `<kind>.txt.j2` and `<kind>.html.j2` from `set` (the mail templates) with `ctx`; returns
/// `(text, html)`. For many recipients, load a [`Composer`] once instead.
pub fn compose(set: &TemplateSet, kind: MailKind, ctx: &serde_json::Value) -> Result<(String, String), MailError> {
    Composer::load(set, &[kind])?.render(kind, ctx)
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
