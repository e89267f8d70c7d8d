//! Printing command results: JSON for scripts, aligned tables for people.

use serde::Serialize;

pub struct Out {
    pub json: bool,
}

impl Out {
    /// Print `value` as JSON, or call `human` to print it for people.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
            );
        } else {
            let s = human(value);
            print!("{s}");
            if !s.ends_with('\n') && !s.is_empty() {
                println!();
            }
        }
    }
}

/// A plain text table with a header row; columns padded by character count.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut cols = Columns::new(header);
    for r in rows {
        cols.measure(r);
    }
    let mut out = cols.head(header);
    for r in rows {
        out.push_str(&cols.line(r));
    }
    out
}

/// Like [`table`], for many rows made on demand and written as they go: `row(i)` is called twice per row
/// (once to measure the columns, once to print), so a million rows are never all in memory at once.
pub fn write_table<R: AsRef<[S]>, S: AsRef<str>>(
    w: &mut impl std::io::Write,
    header: &[&str],
    len: usize,
    row: impl Fn(usize) -> R,
) -> std::io::Result<()> {
    let mut cols = Columns::new(header);
    for i in 0..len {
        cols.measure(row(i).as_ref());
    }
    w.write_all(cols.head(header).as_bytes())?;
    for i in 0..len {
        w.write_all(cols.line(row(i).as_ref()).as_bytes())?;
    }
    Ok(())
}

/// Like [`write_table`], for rows that can only be walked (a database cursor): `walk` is called twice and
/// hands each row to its argument, once to measure the columns and once to print them.
pub fn write_walked_table(
    w: &mut impl std::io::Write,
    header: &[&str],
    walk: impl Fn(&mut dyn FnMut(&[String]) -> tamim_app::Result<()>) -> tamim_app::Result<()>,
) -> tamim_app::Result<()> {
    let io = |e: std::io::Error| tamim_app::Error::io("standard output", e);
    let mut cols = Columns::new(header);
    walk(&mut |r| {
        cols.measure(r);
        Ok(())
    })?;
    w.write_all(cols.head(header).as_bytes()).map_err(io)?;
    walk(&mut |r| w.write_all(cols.line(r).as_bytes()).map_err(io))
}

/// Column widths of a table, in characters.
struct Columns {
    width: Vec<usize>,
}

impl Columns {
    fn new(header: &[&str]) -> Columns {
        Columns {
            width: header.iter().map(|h| h.chars().count()).collect(),
        }
    }

    fn measure(&mut self, cells: &[impl AsRef<str>]) {
        for (w, c) in self.width.iter_mut().zip(cells) {
            *w = (*w).max(c.as_ref().chars().count());
        }
    }

    /// The header line and the rule under it.
    fn head(&self, header: &[&str]) -> String {
        let rule: Vec<String> = self.width.iter().map(|w| "-".repeat(*w)).collect();
        self.line(header) + &self.line(&rule)
    }

    fn line(&self, cells: &[impl AsRef<str>]) -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let c = c.as_ref();
            s.push_str(c);
            if i + 1 < cells.len() {
                let pad = self
                    .width
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(c.chars().count());
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    }
}

/// A table's header from its column names (each a message of the catalogs).
pub fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

pub fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}
