//! The body of a draft as one text box holds it, one block a line: `## Başlık` a heading, `(1) Metin`,
//! `1) Metin`, `1- Metin` or `a) Metin` a numbered item (the number as written), any other line a paragraph.
//! Blank lines are ignored. [`to_text`] writes blocks back in the same syntax, so a draft edits round.

use serde_json::{json, Value};

/// The item marker a line starts with (`(1)`, `1)`, `1-`, `1.`, `a)`), and the rest.
fn item(line: &str) -> Option<(&str, &str)> {
    let (marker, rest) = line.split_once(char::is_whitespace)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let ok = if let Some(inner) = marker.strip_prefix('(').and_then(|m| m.strip_suffix(')')) {
        digits(inner)
    } else if let Some(n) = marker.strip_suffix(')') {
        digits(n) || (n.chars().count() == 1 && n.chars().all(char::is_lowercase))
    } else if let Some(n) = marker.strip_suffix('-').or_else(|| marker.strip_suffix('.')) {
        digits(n)
    } else {
        false
    };
    ok.then_some((marker, rest))
}

/// The blocks of a body typed in a text box.
pub fn parse(text: &str) -> Vec<Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if let Some(h) = l.strip_prefix("##") {
                json!({"type": "heading", "text": h.trim()})
            } else if let Some((number, rest)) = item(l) {
                json!({"type": "item", "number": number, "text": rest})
            } else {
                Value::String(l.to_string())
            }
        })
        .collect()
}

/// The blocks as a text box shows them.
pub fn to_text(body: &[Value]) -> String {
    body.iter()
        .map(|b| match b {
            Value::String(s) => s.clone(),
            Value::Object(o) => {
                let text = o.get("text").and_then(Value::as_str).unwrap_or_default();
                match o.get("type").and_then(Value::as_str) {
                    Some("heading") => format!("## {text}"),
                    Some("item") => format!("{} {text}", o.get("number").and_then(Value::as_str).unwrap_or("-")),
                    _ => text.to_string(),
                }
            }
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks_and_back() {
        let text =
            "İlk paragraf.\n\n## Tarafsızlık\n(1) Birinci madde\na) alt madde\n2- ikinci\n1999 yılında başlayan.";
        let b = parse(text);
        assert_eq!(b[0], Value::String("İlk paragraf.".into()));
        assert_eq!(b[1], json!({"type": "heading", "text": "Tarafsızlık"}));
        assert_eq!(b[2], json!({"type": "item", "number": "(1)", "text": "Birinci madde"}));
        assert_eq!(b[3]["number"], "a)");
        assert_eq!(b[4]["number"], "2-");
        assert_eq!(b[5], Value::String("1999 yılında başlayan.".into()));
        assert_eq!(parse(&to_text(&b)), b);
    }
}
