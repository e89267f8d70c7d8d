//! Field checks shared by every input path (flags, CSV, drafts): each error names the field and the value.

use crate::error::{Error, Result};

/// A code: letters, digits, `-`, `_`, `.`; no spaces; 1..64 characters.
pub fn code(field: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if v.chars().count() > 64 {
        return Err(Error::invalid(field, format!("{v:?} is longer than 64 characters")));
    }
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(Error::invalid(
            field,
            format!("{v:?} contains {c:?}; use letters, digits, '-', '_' or '.'"),
        ));
    }
    Ok(())
}

pub fn optional_code(field: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        Ok(())
    } else {
        code(field, v)
    }
}

/// One line of text: not empty, no line breaks or control characters, at most `max` characters.
pub fn text(field: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if v.contains(['\r', '\n']) {
        return Err(Error::invalid(
            field,
            format!("{v:?} contains a line break; it must be one line"),
        ));
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("{v:?} contains the control character {c:?}"),
        ));
    }
    visible(field, v)?;
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is {} characters long; at most {max} are allowed", v.chars().count()),
        ));
    }
    Ok(())
}

/// Text with no invisible format character (Unicode general category Cf): no bidirectional control
/// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which would make the text display as something
/// else in pages, mails and reports, and no zero-width space, joiner or byte-order mark (U+200B, U+FEFF…).
/// [`text`] checks this too; text that may span lines (a paragraph) is checked with this alone.
pub fn visible(field: &str, v: &str) -> Result<()> {
    match v.chars().find(|c| is_format_char(*c)) {
        Some(c) => Err(Error::invalid(
            field,
            format!(
                "contains the invisible character U+{:04X}{}; type the text without it",
                c as u32,
                format_char_name(c).map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        )),
        None => Ok(()),
    }
}

/// Unicode's general category Cf (format characters), as of Unicode 15.1.
pub fn is_format_char(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2 | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD
        | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

fn format_char_name(c: char) -> Option<&'static str> {
    Some(match c as u32 {
        0x00AD => "SOFT HYPHEN",
        0x061C => "ARABIC LETTER MARK",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE / BYTE ORDER MARK",
        _ => return None,
    })
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces or control characters.
pub fn email(field: &str, v: &str) -> Result<()> {
    let bad = || Error::invalid(field, format!("{v:?} is not an e-mail address"));
    if v.chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_format_char(c) || matches!(c, '<' | '>' | ',' | ';' | '"'))
    {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(code("code", "IST-34").is_ok());
        assert!(code("code", "İSTANBUL").is_ok());
        assert_eq!(
            code("code", "a b").unwrap_err().to_string(),
            "code: \"a b\" contains ' '; use letters, digits, '-', '_' or '.'"
        );
        assert_eq!(code("code", "").unwrap_err().to_string(), "code: is empty");
    }

    #[test]
    fn texts() {
        assert_eq!(text("--konu", "  ", 10).unwrap_err().to_string(), "--konu: is empty");
        assert!(text("--konu", "a\nb", 10)
            .unwrap_err()
            .to_string()
            .contains("line break"));
    }

    #[test]
    fn invisible_characters() {
        for c in [
            '\u{202E}',
            '\u{202A}',
            '\u{2066}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{FEFF}',
            '\u{E0041}',
        ] {
            let e = text("--konu", &format!("Konu{c}metni"), 100).unwrap_err().to_string();
            assert!(
                e.starts_with("--konu: ") && e.contains(&format!("U+{:04X}", c as u32)),
                "{e}"
            );
            assert!(visible("body[1]", &format!("a\n{c}")).is_err());
        }
        assert!(text("--konu", "Sosyal Medya Etik İlkeleri hk. — “tırnak” ‘x’ …", 100).is_ok());
        assert!(visible("body[1]", "İki\nsatır").is_ok());
    }

    #[test]
    fn emails() {
        assert!(email("email", "oda@iesob.org.tr").is_ok());
        for bad in ["x", "@a.b", "a@b", "a b@c.d", "a@b.c\r\nBcc: x@y.z", "a@@b.c"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }
}
