//! Document templates: minijinja files `<dir>/<name>.toml.j2` rendered with a JSON context to
//! TOML, then deserialised into a [`Letter`]. Printing or iterating a field the context lacks
//! is an error naming the field and the template line; every error names the template by its file (an
//! office's own copy by its path).

use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};

use super::letter::Letter;
use tamim_core::TemplateSet;

/// File-name suffix of document templates.
pub const TEMPLATE_SUFFIX: &str = ".toml.j2";

/// Why a template could not produce a letter.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown template {name:?}; available: {}", available.join(", "))]
    UnknownTemplate { name: String, available: Vec<String> },
    #[error("template {template:?} line {line} uses the field `{field}`, which the draft does not have")]
    MissingField {
        template: String,
        field: String,
        line: usize,
    },
    #[error("template {template:?} has a syntax error on line {line}: {message}")]
    Syntax {
        template: String,
        line: usize,
        message: String,
    },
    #[error("template {template:?} failed on line {line}: {message}")]
    Render {
        template: String,
        line: usize,
        message: String,
    },
    #[error("template {template:?} produced an invalid letter: {message}")]
    InvalidLetter { template: String, message: String },
}

/// The document templates compiled in (`templates/documents/`, with its README and examples for
/// `tamim templates export`).
pub static BUILT_IN: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../templates/documents");

/// The built-in document templates (`*.toml.j2`).
pub fn built_in() -> TemplateSet {
    TemplateSet::from_built_in(
        BUILT_IN
            .files()
            .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?))),
    )
}

/// Names of the document templates in `set` (without the suffix), sorted.
pub fn available_templates(set: &TemplateSet) -> Vec<String> {
    set.names_ending(TEMPLATE_SUFFIX)
}

/// Renders template `name` from `set` with `ctx` and deserialises the result.
pub fn render_template(set: &TemplateSet, name: &str, ctx: &serde_json::Value) -> Result<Letter, TemplateError> {
    let toml_text = render_template_text(set, name, ctx)?;
    toml::from_str::<Letter>(&toml_text).map_err(|e| TemplateError::InvalidLetter {
        template: shown(set, name),
        message: e.to_string(),
    })
}

/// How errors name template `name`: an office's own file by its path, a built-in one by its file name.
fn shown(set: &TemplateSet, name: &str) -> String {
    let file = format!("{name}{TEMPLATE_SUFFIX}");
    set.get(&file).map_or(file, |t| t.shown())
}

/// Renders template `name` to its TOML text (useful for drafts a person edits).
pub fn render_template_text(set: &TemplateSet, name: &str, ctx: &serde_json::Value) -> Result<String, TemplateError> {
    let file = format!("{name}{TEMPLATE_SUFFIX}");
    let Some(t) = set.get(&file) else {
        return Err(TemplateError::UnknownTemplate {
            name: name.to_string(),
            available: available_templates(set),
        });
    };
    let source: &str = &t.text;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_keep_trailing_newline(true);
    env.add_filter("toml", toml_filter);
    env.add_filter("upper_tr", upper_tr);
    let shown = t.shown();
    let convert = |e: minijinja::Error| convert_error(&shown, source, ctx, e);
    env.add_template(&file, source).map_err(convert)?;
    let tmpl = env.get_template(&file).map_err(convert)?;
    tmpl.render(Value::from_serialize(ctx)).map_err(convert)
}

fn convert_error(template: &str, source: &str, ctx: &serde_json::Value, e: minijinja::Error) -> TemplateError {
    let line = e.line().unwrap_or(0);
    let template = template.to_string();
    match e.kind() {
        ErrorKind::UndefinedError => {
            let span = e.range().and_then(|r| source.get(r)).unwrap_or("");
            let line_text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
            let field = missing_path(ctx, span)
                .or_else(|| missing_path(ctx, line_text))
                .or_else(|| paths_in(span).into_iter().next())
                .or_else(|| paths_in(line_text).into_iter().next())
                .unwrap_or_else(|| "(unknown)".to_string());
            TemplateError::MissingField { template, field, line }
        }
        ErrorKind::SyntaxError => TemplateError::Syntax {
            template,
            line,
            message: e.detail().unwrap_or("").to_string(),
        },
        _ => TemplateError::Render {
            template,
            line,
            message: e.detail().map(str::to_string).unwrap_or(e.to_string()),
        },
    }
}

/// The first path in `text` whose root is in the context but which does not resolve there.
fn missing_path(ctx: &serde_json::Value, text: &str) -> Option<String> {
    paths_in(text).into_iter().find(|p| {
        let mut parts = p.split('.');
        let Some(mut cur) = parts.next().and_then(|root| ctx.get(root)) else {
            return false;
        };
        for part in parts {
            match cur.get(part) {
                Some(v) => cur = v,
                None => return true,
            }
        }
        false
    })
}

/// Dotted paths (`doc.sayi`, `doc.dagitim["gereği"]` → `doc.dagitim.gereği`) in an
/// expression, skipping filter names and string literals.
fn paths_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_alphabetic() || c == '_' || c == '"' || c == '\'') {
        let before = rest[..start].trim_end();
        let tail = &rest[start..];
        if tail.starts_with(['"', '\'']) {
            let q = &tail[..1];
            let end = tail[1..].find(q).map_or(tail.len(), |i| i + 2);
            rest = &tail[end..];
            continue;
        }
        let path = field_in(tail).unwrap_or_default();
        let consumed = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']' || c == '"'))
            .unwrap_or(tail.len())
            .max(tail.chars().next().map_or(1, char::len_utf8));
        let is_filter = before.ends_with('|') || before.ends_with("is");
        const WORDS: &[&str] = &[
            "if", "for", "in", "and", "or", "not", "is", "else", "endif", "endfor", "true", "false", "none", "set",
            "macro", "endmacro", "defined",
        ];
        if !path.is_empty()
            && !is_filter
            && !path.contains('(')
            && !WORDS.contains(&path.as_str())
            && path.contains('.')
        {
            out.push(path);
        }
        rest = &tail[consumed..];
    }
    out
}

/// The first dotted or indexed path in an expression (`doc.sayi | toml` → `doc.sayi`).
fn field_in(expr: &str) -> Option<String> {
    let start = expr.find(|c: char| c.is_alphabetic() || c == '_')?;
    let mut out = String::new();
    let mut chars = expr[start..].chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
            chars.next();
        } else if c == '[' {
            let rest: String = chars.clone().collect();
            match rest.find(']') {
                Some(end) => {
                    let key = rest[1..end].trim().trim_matches(['"', '\'']);
                    out.push('.');
                    out.push_str(key);
                    for _ in 0..rest[..=end].chars().count() {
                        chars.next();
                    }
                }
                None => break,
            }
        } else {
            break;
        }
    }
    let out = out.trim_end_matches('.').to_string();
    (!out.is_empty()).then_some(out)
}

/// `{{ value | toml }}`: writes any context value as a TOML value (string, number, bool,
/// array, inline table). Undefined is an error; so is null (guard optional fields with `if`).
fn toml_filter(value: Value) -> Result<String, minijinja::Error> {
    if value.is_undefined() {
        return Err(minijinja::Error::new(ErrorKind::UndefinedError, "undefined value"));
    }
    let json = serde_json::to_value(&value)
        .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, format!("cannot convert to TOML: {e}")))?;
    let mut out = String::new();
    write_toml(&json, &mut out)?;
    Ok(out)
}

fn write_toml(v: &serde_json::Value, out: &mut String) -> Result<(), minijinja::Error> {
    use serde_json::Value as J;
    match v {
        J::Null => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "a null value cannot be written to TOML (guard optional fields with `if`)",
            ))
        }
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) => toml_string(s, out),
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_toml(item, out)?;
            }
            out.push(']');
        }
        J::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, item) in map {
                if item.is_null() {
                    continue;
                }
                out.push_str(if first { " " } else { ", " });
                first = false;
                toml_string(k, out);
                out.push_str(" = ");
                write_toml(item, out)?;
            }
            out.push_str(if first { "}" } else { " }" });
        }
    }
    Ok(())
}

/// A TOML basic string with every character that needs it escaped.
pub(crate) fn toml_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `{{ text | upper_tr }}`: upper case the Turkish way (i → İ, ı → I).
fn upper_tr(value: Value) -> Result<String, minijinja::Error> {
    if value.is_undefined() {
        return Err(minijinja::Error::new(ErrorKind::UndefinedError, "undefined value"));
    }
    let s = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
    Ok(s.chars()
        .flat_map(|c| match c {
            'i' => vec!['İ'],
            'ı' => vec!['I'],
            c => c.to_uppercase().collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_from_expressions() {
        assert_eq!(field_in("doc.sayi | toml").as_deref(), Some("doc.sayi"));
        assert_eq!(field_in(" office.contact.name").as_deref(), Some("office.contact.name"));
        assert_eq!(
            field_in("doc.dagitim[\"gereği\"]").as_deref(),
            Some("doc.dagitim.gereği")
        );
        assert_eq!(
            field_in("doc.dagitim[\"gereği\"].x | toml").as_deref(),
            Some("doc.dagitim.gereği.x")
        );
        assert_eq!(
            paths_in("{{ (\"Tel: \" ~ office.phone) | toml }} {{ doc.x | default(a.b) }}"),
            ["office.phone", "doc.x", "a.b"]
        );
        let ctx = serde_json::json!({"doc": {"a": 1}, "office": {}});
        assert_eq!(
            missing_path(&ctx, "{{ doc.a | toml }} {{ s.name }} {{ office.kep }}").as_deref(),
            Some("office.kep")
        );
    }

    #[test]
    fn toml_strings_survive() {
        let mut s = String::from("x = ");
        toml_string("a \"quoted\" \\ back\nslash İığüşöç\u{7f}\t", &mut s);
        let v: toml::Value = toml::from_str(&s).unwrap();
        assert_eq!(v["x"].as_str().unwrap(), "a \"quoted\" \\ back\nslash İığüşöç\u{7f}\t");
    }
}
