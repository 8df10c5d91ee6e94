//! What the cursor is on, read from the raw line rather than a YAML parse, so that it works on
//! half-typed lines and broken files: the key of the line, the section it is in, and the word.

use super::workspace::offset;
use lsp_types::Position;

/// Keys whose value is an entity id.
pub const ENTITY_KEYS: &[&str] = &[
    "subject",
    "object",
    "speaker",
    "publisher",
    "attributed_to",
    "document",
    "about",
];

/// The cursor's surroundings.
#[derive(Debug)]
pub struct Cursor<'a> {
    /// Byte offset of the cursor in the text.
    pub at: usize,
    /// The key of the cursor's line (`subject` in `  - subject: eff`), if the cursor is after it.
    pub key: Option<&'a str>,
    /// The top-level section the line is in (`statements`, `source`, ...).
    pub section: Option<&'a str>,
    /// Byte range of the value after `key:` on this line (to the end of the line).
    pub value: (usize, usize),
    /// Byte range of the id-like word (letters, digits, `-`, `_`) around the cursor.
    pub word: (usize, usize),
}

impl<'a> Cursor<'a> {
    /// Reads the cursor at `pos` in `text`.
    pub fn at(text: &'a str, pos: Position) -> Self {
        let at = offset(text, pos);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[line_start..line_end];
        let mut key = None;
        let mut value = (at, at);
        if let Some((k, v)) = key_of(line) {
            let colon = line_start + v;
            if at >= colon {
                key = Some(k);
                let rest = &text[colon..line_end];
                let lead = rest.len() - rest.trim_start().len();
                value = ((colon + lead).min(line_end), line_end);
            }
        }
        let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let start = text[line_start..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word(*c))
            .last()
            .map_or(at, |(i, _)| line_start + i);
        let end = text[at..line_end]
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(line_end, |(i, _)| at + i);
        Cursor {
            at,
            key,
            section: section_of(text, line_start),
            value,
            word: (start, end),
        }
    }

    /// Whether the cursor is on an entity id: a reference, or an `id:` of the registry.
    pub fn on_entity(&self) -> bool {
        match (self.key, self.section) {
            (Some(k), _) if ENTITY_KEYS.contains(&k) => true,
            (Some("id"), Some("entities")) => true,
            _ => false,
        }
    }
}

/// The key of a line and the byte offset just after its colon: `  - subject: x` → `subject`.
pub fn key_of(line: &str) -> Option<(&str, usize)> {
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start();
    }
    let start = line.len() - rest.len();
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if len == 0 || !rest[len..].starts_with(':') {
        return None;
    }
    let after = &rest[len + 1..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    Some((&rest[..len], start + len + 1))
}

/// The top-level key above the line starting at byte `line_start`.
pub fn section_of(text: &str, line_start: usize) -> Option<&str> {
    let upto = text[..line_start.min(text.len())].lines().rev();
    let head = text[line_start..].lines().next().into_iter();
    head.chain(upto)
        .find(|l| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']))
        .and_then(|l| key_of(l).map(|(k, _)| k))
}

/// The value of `key` in the list item around byte `at` (the `subject:` of the statement whose
/// `predicate:` the cursor is on), from the raw lines.
pub fn item_field<'t>(text: &'t str, at: usize, key: &str) -> Option<&'t str> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The item starts at the nearest line above whose `- ` sits left of the cursor's key.
    let mut starts = text[..line_start].lines().rev();
    let here = text[line_start..].lines().next().unwrap_or("");
    let (item_line, item_indent) = if here.trim_start().starts_with("- ") {
        (here, indent(here))
    } else {
        let own = indent(here);
        let l = starts.find(|l| l.trim_start().starts_with("- ") && indent(l) < own)?;
        (l, indent(l))
    };
    let item_at = item_line.as_ptr() as usize - text.as_ptr() as usize;
    let mut lines = text[item_at..].lines();
    let first = lines.next()?;
    let body = lines.take_while(|l| l.trim().is_empty() || indent(l) > item_indent);
    std::iter::once(first).chain(body).find_map(|l| {
        let (k, after) = key_of(l)?;
        (k == key).then(|| l[after..].trim().trim_matches(['"', '\'']))
    })
}

/// Where the value starting at byte `start` ends: block scalars (`>-`, `|`) and plain scalars
/// go on over the following lines indented more than the key's column.
pub fn value_end(text: &str, start: usize) -> usize {
    let line = line_at(text, start);
    let col = key_of(line).map_or(indent(line), |(k, after)| after - k.len() - 1);
    lines_deeper_than(text, start, col)
}

/// Where the mapping or list item whose first key is at byte `start` ends.
pub fn node_end(text: &str, start: usize) -> usize {
    let line = line_at(text, start);
    let col = if line.trim_start().starts_with("- ") {
        indent(line)
    } else {
        indent(line).saturating_sub(1)
    };
    lines_deeper_than(text, start, col)
}

fn line_at(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    &line[..line.find('\n').unwrap_or(line.len())]
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The end of the line holding `start` and of the lines after it indented more than `col`
/// (blank lines in between do not stop it, trailing ones are left out).
fn lines_deeper_than(text: &str, start: usize, col: usize) -> usize {
    let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut pos = end + 1;
    while pos < text.len() {
        let l_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let body = text[pos..l_end].trim_end_matches('\r');
        if !body.trim().is_empty() && !body.trim_start().starts_with('#') {
            if indent(body) <= col {
                break;
            }
            end = pos + body.len();
        }
        pos = l_end + 1;
    }
    end.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_section_and_word() {
        let t = "statements:\n  - subject: ef\n    predicate: si\n";
        let c = Cursor::at(t, Position::new(1, 15));
        assert_eq!(c.key, Some("subject"));
        assert_eq!(c.section, Some("statements"));
        assert_eq!(&t[c.word.0..c.word.1], "ef");
        assert_eq!(item_field(t, t.find("si").unwrap(), "subject"), Some("ef"));
        assert!(Cursor::at(t, Position::new(1, 4)).key.is_none());
    }

    #[test]
    fn finds_the_end_of_folded_values() {
        let t = "s:\n  - quote: >-\n      a b\n      c\n    prefix: x\n";
        let start = t.find(">-").unwrap();
        assert_eq!(&t[start..value_end(t, start)], ">-\n      a b\n      c");
        let p = t.find("x\n").unwrap();
        assert_eq!(&t[p..value_end(t, p)], "x");
        let item = t.find("quote").unwrap();
        assert_eq!(node_end(t, item), t.len() - 1);
    }
}
