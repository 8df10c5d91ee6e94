//! Finds where a value sits in a YAML file, by path (`statements[3].object`), using the
//! span-aware event parser of `yaml-rust2`.
//!
//! `serde_yaml` cannot give the position of a value that parsed fine (serde-yaml #181), so the
//! checker re-reads a file with this locator only when it has something to report about it.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A path into a YAML document, e.g. `statements[3].object`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    /// Builds `section[index]`.
    pub fn item(section: &str, index: usize) -> Self {
        YamlPath(vec![Seg::Key(section.into()), Seg::Index(index)])
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.into()));
        p
    }

    /// Parses the `entities[0].labels` form that `serde_yaml` puts in front of its messages.
    /// Keys holding `.` or `[` cannot be told apart and give a shorter path.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        for part in s.split('.').filter(|p| !p.is_empty()) {
            let (key, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            for idx in rest.split('[').filter(|p| !p.is_empty()) {
                match idx.trim_end_matches(']').parse() {
                    Ok(n) => segs.push(Seg::Index(n)),
                    Err(_) => return YamlPath(segs),
                }
            }
        }
        YamlPath(segs)
    }

    /// This path extended by an index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl std::fmt::Display for YamlPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Where a value was found: 1-based line and column, byte offset and byte length of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte length (0 for a collection start).
    pub len: usize,
}

#[derive(Debug)]
enum Node {
    /// A scalar; its text is kept only where it is a key (in the entry of its mapping).
    Scalar(Span),
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(String, Span, Node)>),
}

impl Node {
    fn span(&self) -> Span {
        match self {
            Node::Scalar(s) | Node::Seq(s, _) | Node::Map(s, _) => *s,
        }
    }
}

/// A parsed YAML document that answers "where is this path?".
#[derive(Debug)]
pub struct Locator {
    root: Option<Node>,
}

impl Locator {
    /// Parses `text`; on a syntax error the locator simply knows less.
    pub fn new(text: &str) -> Self {
        let mut b = Builder {
            text,
            lines: LineIndex::new(text),
            stack: Vec::new(),
            root: None,
        };
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut b, false);
        Locator { root: b.root }
    }

    /// The span of the value at `path`; falls back to the deepest existing ancestor.
    pub fn find(&self, path: &YamlPath) -> Option<Span> {
        let mut node = self.root.as_ref()?;
        for seg in &path.0 {
            let next = match (seg, node) {
                (Seg::Key(k), Node::Map(_, entries)) => entries
                    .iter()
                    .rev()
                    .find(|(key, ..)| key == k)
                    .map(|(_, _, v)| v),
                (Seg::Index(i), Node::Seq(_, items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => return Some(node.span()),
            }
        }
        Some(node.span())
    }

    /// The span of the key `key` inside the mapping at `path` (for unknown-field errors).
    pub fn find_key(&self, path: &YamlPath, key: &str) -> Option<Span> {
        let mut node = self.root.as_ref()?;
        for seg in &path.0 {
            node = match (seg, node) {
                (Seg::Key(k), Node::Map(_, entries)) => {
                    &entries.iter().rev().find(|(key, ..)| key == k)?.2
                }
                (Seg::Index(i), Node::Seq(_, items)) => items.get(*i)?,
                _ => return None,
            };
        }
        match node {
            Node::Map(_, entries) => entries.iter().find(|(k, ..)| k == key).map(|(_, s, _)| *s),
            _ => None,
        }
    }

    /// The span of the second occurrence of `key` in the mapping at `path` (for duplicate keys).
    pub fn find_repeated_key(&self, path: &YamlPath, key: &str) -> Option<Span> {
        let mut node = self.root.as_ref()?;
        for seg in &path.0 {
            node = match (seg, node) {
                (Seg::Key(k), Node::Map(_, entries)) => {
                    &entries.iter().find(|(key, ..)| key == k)?.2
                }
                (Seg::Index(i), Node::Seq(_, items)) => items.get(*i)?,
                _ => return None,
            };
        }
        match node {
            Node::Map(_, entries) => entries
                .iter()
                .filter(|(k, ..)| k == key)
                .nth(1)
                .map(|(_, s, _)| *s),
            _ => None,
        }
    }
}

/// Maps yaml-rust2's markers (1-based line, 0-based column in characters) onto byte offsets.
/// Its `index` drifts on some multi-byte input, so line and column are used instead.
///
/// Each lookup costs O(1) on an ASCII line. On other lines it walks from the previous lookup
/// when that was earlier on the same line (the parser reports positions in order), so a long
/// line with many values costs one walk over it, not one per value: counting every column
/// from the line start made a 416 kB one-line mapping take 16.8 s.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Whether each line is ASCII only (then a column is a byte count).
    ascii: Vec<bool>,
    /// The last lookup on a non-ASCII line: line, column, byte.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                text.as_bytes()[s..end].is_ascii()
            })
            .collect();
        LineIndex {
            text,
            starts,
            ascii,
            cursor: std::cell::Cell::new((0, 0, 0)),
        }
    }

    fn byte(&self, mark: Marker) -> usize {
        let index = mark.line().saturating_sub(1);
        let Some(&start) = self.starts.get(index) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        if self.ascii[index] && start + mark.col() < end {
            return start + mark.col();
        }
        let (line, col, byte) = self.cursor.get();
        let (from_col, from) = if line == mark.line() && col <= mark.col() {
            (col, byte)
        } else {
            (0, start)
        };
        let rest = &self.text[from..];
        let at = from
            + rest
                .char_indices()
                .nth(mark.col() - from_col)
                .map_or(rest.len(), |(b, _)| b);
        self.cursor.set((mark.line(), mark.col(), at));
        at
    }
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(String, Span, Node)>, Option<(String, Span)>),
}

struct Builder<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    stack: Vec<Frame>,
    root: Option<Node>,
}

impl Builder<'_> {
    fn scalar_span(&self, mark: Marker, value: &str) -> Span {
        let start = self.lines.byte(mark);
        // Quoted scalars start at the quote: cover the quotes too so the caret spans what is seen.
        let rest = &self.text[start..];
        let len = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(1, |e| e + 2),
            // As many characters as the value has, up to the end of the line (never a scan of
            // the whole line: a long line holds many scalars).
            _ => {
                let n = value.chars().count().max(1);
                rest.char_indices()
                    .take(n + 1)
                    .enumerate()
                    .find(|&(k, (_, c))| k == n || matches!(c, '\n' | '\r'))
                    .map_or(rest.len(), |(_, (b, _))| b)
            }
        };
        Span { start, len }
    }

    /// Adds `node`; `text` is the value of a scalar, kept if it is a key. Only scalar keys are
    /// meaningful in fact files.
    fn push_node(&mut self, node: Node, text: Option<String>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some((text.unwrap_or_default(), node.span())),
                Some((key, span)) => entries.push((key, span, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = Span {
            start: self.lines.byte(mark),
            len: 0,
        };
        match ev {
            Event::Scalar(value, ..) => {
                let span = self.scalar_span(mark, &value);
                self.push_node(Node::Scalar(span), Some(value));
            }
            Event::Alias(_) => self.push_node(Node::Scalar(at), None),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(at, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(at, Vec::new(), None)),
            Event::SequenceEnd => {
                if let Some(Frame::Seq(span, items)) = self.stack.pop() {
                    self.push_node(Node::Seq(span, items), None);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(mut span, entries, _)) = self.stack.pop() {
                    // yaml-rust2 marks a block mapping at the colon after its first key; a flow
                    // mapping at its `{`. The earlier of the two is where the mapping starts.
                    if let Some((_, key, _)) = entries.first() {
                        span.start = span.start.min(key.start);
                    }
                    self.push_node(Node::Map(span, entries), None);
                }
            }
            _ => {}
        }
    }
}

/// The byte offset of 1-based `line` and 1-based character `column` in `text`, clamped to its
/// end (parsers report positions so; diagnostics work on byte spans).
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_keys() {
        let text = "statements:\n  - subject: eff\n    object: \"efff\"\n";
        let loc = Locator::new(text);
        let path = YamlPath::item("statements", 0).key("object");
        let span = loc.find(&path).unwrap();
        assert_eq!(&text[span.start..span.start + span.len], "\"efff\"");
        let key = loc
            .find_key(&YamlPath::item("statements", 0), "subject")
            .unwrap();
        assert_eq!(&text[key.start..key.start + key.len], "subject");
    }

    #[test]
    fn block_mapping_starts_at_its_first_key_not_its_colon() {
        let text = "statements:\n  - subject: eff\n    q: {value: 3}\n";
        let loc = Locator::new(text);
        let item = loc.find(&YamlPath::item("statements", 0)).unwrap();
        assert!(text[item.start..].starts_with("subject: eff"));
        let flow = loc.find(&YamlPath::item("statements", 0).key("q")).unwrap();
        assert!(text[flow.start..].starts_with("{value"));
        let root = loc.find(&YamlPath::default()).unwrap();
        assert_eq!(root.start, 0);
    }

    #[test]
    fn parses_paths_in_serde_messages() {
        let p = YamlPath::parse("entities[0].labels");
        assert_eq!(p, YamlPath::item("entities", 0).key("labels"));
        assert_eq!(p.to_string(), "entities[0].labels");
        assert_eq!(YamlPath::parse(""), YamlPath::default());
        assert_eq!(
            YamlPath::parse("a[1][2]"),
            YamlPath(vec![Seg::Key("a".into()), Seg::Index(1), Seg::Index(2)])
        );
    }

    #[test]
    fn finds_every_value_of_a_long_multibyte_line() {
        // Lookups walk on from the previous one on a non-ASCII line; each must still land right.
        let pairs: Vec<String> = (0..300).map(|i| format!("k{i}: «v{i}é»")).collect();
        let text = format!("m: {{{}}}\nn: [é, ç]\n", pairs.join(", "));
        let loc = Locator::new(&text);
        for i in [0, 1, 150, 299] {
            let path = YamlPath(vec![Seg::Key("m".into()), Seg::Key(format!("k{i}"))]);
            let span = loc.find(&path).unwrap();
            assert_eq!(&text[span.start..span.start + span.len], format!("«v{i}é»"));
        }
        let n = YamlPath(vec![Seg::Key("n".into()), Seg::Index(1)]);
        let span = loc.find(&n).unwrap();
        assert_eq!(&text[span.start..span.start + span.len], "ç");
    }

    #[test]
    fn handles_multibyte_text() {
        let text = "x: «é»\ny: ç\n";
        let loc = Locator::new(text);
        let span = loc.find(&YamlPath(vec![Seg::Key("y".into())])).unwrap();
        assert_eq!(&text[span.start..span.start + span.len], "ç");
    }
}
