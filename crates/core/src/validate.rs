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
    if let Some(c) = v.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(Error::invalid(field, format!("{v:?} contains {c:?}; use letters, digits, '-', '_' or '.'")));
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
        return Err(Error::invalid(field, format!("{v:?} contains a line break; it must be one line")));
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(field, format!("{v:?} contains the control character {c:?}")));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(field, format!("is {} characters long; at most {max} are allowed", v.chars().count())));
    }
    Ok(())
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces or control characters.
pub fn email(field: &str, v: &str) -> Result<()> {
    let bad = || Error::invalid(field, format!("{v:?} is not an e-mail address"));
    if v.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
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
        assert_eq!(code("code", "a b").unwrap_err().to_string(), "code: \"a b\" contains ' '; use letters, digits, '-', '_' or '.'");
        assert_eq!(code("code", "").unwrap_err().to_string(), "code: is empty");
    }

    #[test]
    fn texts() {
        assert_eq!(text("--konu", "  ", 10).unwrap_err().to_string(), "--konu: is empty");
        assert!(text("--konu", "a\nb", 10).unwrap_err().to_string().contains("line break"));
    }

    #[test]
    fn emails() {
        assert!(email("email", "oda@iesob.org.tr").is_ok());
        for bad in ["x", "@a.b", "a@b", "a b@c.d", "a@b.c\r\nBcc: x@y.z", "a@@b.c"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }
}
