//! Greedy line breaking with the font's glyph advances and Turkish hyphenation (hypher, `tr`).

use super::font::{Face, Fonts};

/// One broken line of text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The text as drawn (words joined by single spaces; a trailing `-` when hyphenated).
    pub text: String,
    /// Natural width in points.
    pub width: f32,
    /// Number of spaces in `text` (where justification stretches).
    pub spaces: usize,
    /// The last line of its paragraph (never stretched).
    pub last: bool,
}

/// What the breaker needs to know.
pub(crate) struct Measure<'a> {
    pub fonts: &'a Fonts,
    pub face: Face,
    pub size: f32,
    pub hyphenate: bool,
}

impl Measure<'_> {
    fn w(&self, s: &str) -> f32 {
        self.fonts.width(self.face, s, self.size)
    }
}

/// Breaks `text` (whitespace normalised) into lines no wider than `first` (first line) and
/// `rest` (other lines). Always returns at least one line.
pub(crate) fn break_lines(m: &Measure, text: &str, first: f32, rest: f32) -> Vec<Line> {
    let space = m.w(" ");
    let mut lines: Vec<Line> = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0f32;
    let mut spaces = 0usize;
    let avail = |n: usize| if n == 0 { first } else { rest };
    let mut words: Vec<String> = words(text).into_iter().rev().collect();
    const EPS: f32 = 0.01;

    while let Some(word) = words.pop() {
        let ww = m.w(&word);
        let limit = avail(lines.len());
        let lead = if cur.is_empty() { 0.0 } else { cur_w + space };
        if lead + ww <= limit + EPS {
            if !cur.is_empty() {
                cur.push(' ');
                spaces += 1;
            }
            cur.push_str(&word);
            cur_w = lead + ww;
            continue;
        }
        // The word does not fit: try a hyphenation point that does.
        if m.hyphenate && !word.contains(NBSP) {
            if let Some((head, tail)) = best_split(m, &word, limit - lead) {
                if !cur.is_empty() {
                    cur.push(' ');
                    spaces += 1;
                }
                cur.push_str(&head);
                cur_w = lead + m.w(&head);
                lines.push(Line {
                    text: std::mem::take(&mut cur),
                    width: cur_w,
                    spaces,
                    last: false,
                });
                cur_w = 0.0;
                spaces = 0;
                words.push(tail);
                continue;
            }
        }
        if !cur.is_empty() {
            lines.push(Line {
                text: std::mem::take(&mut cur),
                width: cur_w,
                spaces,
                last: false,
            });
            cur_w = 0.0;
            spaces = 0;
            words.push(word);
            continue;
        }
        // A single word wider than the line: cut it by characters.
        let mut head = String::new();
        let mut head_w = 0.0;
        let mut cut = word.len();
        for (i, c) in word.char_indices() {
            let cw = m.w(c.encode_utf8(&mut [0; 4]));
            if head_w + cw > limit + EPS && !head.is_empty() {
                cut = i;
                break;
            }
            head.push(c);
            head_w += cw;
        }
        lines.push(Line {
            text: head,
            width: head_w,
            spaces: 0,
            last: false,
        });
        if cut < word.len() {
            words.push(word[cut..].to_string());
        }
    }
    lines.push(Line {
        text: cur,
        width: cur_w,
        spaces,
        last: true,
    });
    if lines.len() > 1 && lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
        if let Some(l) = lines.last_mut() {
            l.last = true;
        }
    }
    lines
}

/// The non-breaking space: a number and the word after it (`5 sayfa`, `15 gün`, `05 Kasım`) are joined by
/// one, so no line ends between them.
pub(crate) const NBSP: char = '\u{a0}';

/// The words of `text` as lines are made of them: split at whitespace other than a non-breaking space, a
/// word ending in a digit joined to the next when that begins with a letter.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text
        .split(|c: char| c.is_whitespace() && c != NBSP)
        .filter(|w| !w.is_empty())
    {
        match out.last_mut() {
            Some(prev)
                if prev.ends_with(|c: char| c.is_ascii_digit()) && w.starts_with(|c: char| c.is_alphabetic()) =>
            {
                prev.push(NBSP);
                prev.push_str(w);
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// The longest hyphenated head of `word` (ending in `-`) that fits in `room` points.
fn best_split(m: &Measure, word: &str, room: f32) -> Option<(String, String)> {
    let mut best = None;
    for at in hyphen_points(word) {
        let head = &word[..at];
        let with_hyphen = if head.ends_with('-') {
            head.to_string()
        } else {
            format!("{head}-")
        };
        if m.w(&with_hyphen) <= room + 0.01 {
            best = Some((with_hyphen, word[at..].to_string()));
        } else {
            break;
        }
    }
    best
}

/// Byte offsets in `word` where it may be broken, ascending. Only the purely alphabetic core
/// of a word (leading and trailing punctuation stripped) is hyphenated, at least two letters
/// either side; a word's own hyphen is also a break point.
pub(crate) fn hyphen_points(word: &str) -> Vec<usize> {
    let mut points = Vec::new();
    let start = word.find(|c: char| c.is_alphabetic()).unwrap_or(word.len());
    let end = word
        .rfind(|c: char| c.is_alphabetic())
        .map(|i| i + char_len(word, i))
        .unwrap_or(start);
    if start >= end {
        return points;
    }
    let core = &word[start..end];
    if core.chars().all(char::is_alphabetic) {
        if core.chars().count() >= 5 {
            let lower: String = core.chars().map(turkish_lower).collect();
            let mut char_pos = 0usize;
            let syllables: Vec<usize> = hypher::hyphenate(&lower, hypher::Lang::Turkish)
                .map(|s| s.chars().count())
                .collect();
            let offsets: Vec<usize> = core.char_indices().map(|(i, _)| i).collect();
            for n in syllables.iter().take(syllables.len().saturating_sub(1)) {
                char_pos += n;
                if let Some(off) = offsets.get(char_pos) {
                    points.push(start + off);
                }
            }
        }
    } else {
        for (i, c) in core.char_indices() {
            if c == '-' && i > 1 && i + 1 < core.len() {
                points.push(start + i + 1);
            }
        }
    }
    points
}

fn char_len(s: &str, i: usize) -> usize {
    s[i..].chars().next().map_or(0, char::len_utf8)
}

/// Lower-cases one letter the Turkish way, one char to one char (İ→i, I→ı).
fn turkish_lower(c: char) -> char {
    match c {
        'İ' => 'i',
        'I' => 'ı',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> Vec<String> {
        let pts = hyphen_points(word);
        let mut out = Vec::new();
        let mut last = 0;
        for p in pts {
            out.push(word[last..p].to_string());
            last = p;
        }
        out.push(word[last..].to_string());
        out
    }

    #[test]
    fn turkish_syllables() {
        assert_eq!(split("görevlilerinin").join("-"), "gö-rev-li-le-ri-nin");
        assert_eq!(split("tarafsızlığının,").join("-"), "ta-raf-sız-lı-ğı-nın,");
        assert_eq!(split("İSTANBUL").join("-"), "İS-TAN-BUL");
    }

    #[test]
    fn breaks_within_width_and_keeps_all_words() {
        let fonts = Fonts::get().unwrap();
        let m = Measure {
            fonts,
            face: Face::Regular,
            size: 12.0,
            hyphenate: true,
        };
        let text = "Dijitalleşen özel ve kamusal yaşamda hızla ilerleyen sosyal medya kullanımında, \
                    kamu hizmetlerinin tarafsızlığının ve kamu yönetimine duyulan güvenin korunması";
        let lines = break_lines(&m, text, 150.0, 200.0);
        assert!(lines.len() > 3);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.width <= if i == 0 { 150.01 } else { 200.01 }, "{l:?}");
        }
        let joined: String = lines
            .iter()
            .map(|l| {
                l.text
                    .strip_suffix('-')
                    .map(str::to_string)
                    .unwrap_or(format!("{} ", l.text))
            })
            .collect();
        assert_eq!(joined.trim_end(), words(text).join(" "));
        assert!(lines.last().unwrap().last);
    }

    /// A page count in an ek line: wherever the line ends, "5" and "sayfa" stay on the same line, joined by
    /// a non-breaking space (drawn as a space, never stretched).
    #[test]
    fn a_number_and_its_unit_stay_together() {
        let fonts = Fonts::get().unwrap();
        let m = Measure {
            fonts,
            face: Face::Regular,
            size: 12.0,
            hyphenate: true,
        };
        let text = "1- Kamu Görevlileri Etik Kurulunun yazısı ve eki (5 sayfa)";
        let before = m.w("1- Kamu Görevlileri Etik Kurulunun yazısı ve eki (5");
        for width in [before + 1.0, before + 5.0, before + 20.0, 150.0, 90.0] {
            let lines = break_lines(&m, text, width, width);
            let cut = lines
                .iter()
                .position(|l| l.text.ends_with("(5") || l.text.ends_with('5'));
            assert_eq!(cut, None, "a line ends at the number at width {width}: {lines:?}");
            assert!(lines.iter().any(|l| l.text.contains("(5\u{a0}sayfa)")), "{lines:?}");
        }
        assert_eq!(
            words("15 gün içinde 05 Kasım"),
            ["15\u{a0}gün", "içinde", "05\u{a0}Kasım"]
        );
        assert_eq!(words("2021/243 sayılı"), ["2021/243\u{a0}sayılı"]);
        assert_eq!(words("madde 5, fıkra"), ["madde", "5,", "fıkra"]);
    }
}
