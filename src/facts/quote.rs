//! Finds a verbatim quote in a source text and computes the offsets and context that the
//! W3C Web Annotation selectors need (<https://www.w3.org/TR/annotation-model/#text-quote-selector>).

use serde::Serialize;

/// Characters of context kept on each side of a quote for `oa:prefix` / `oa:suffix`.
pub const CONTEXT_CHARS: usize = 32;

/// A located passage of a source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// The quoted text.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters before it.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after it.
    pub suffix: String,
    /// Start, in Unicode code points from the start of the text (`oa:start`).
    pub start: usize,
    /// End (exclusive), in code points (`oa:end`).
    pub end: usize,
    /// Start in bytes.
    pub byte_start: usize,
    /// End in bytes (exclusive).
    pub byte_end: usize,
    /// 1-based line of the start.
    pub line: usize,
}

/// Why a quote could not be pinned to one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteError {
    /// No occurrence; the hint says what almost matched ([`find`] only: [`find_in`] leaves the
    /// hint to [`near_miss`], asked only for the diagnostics shown).
    NotFound(Option<String>),
    /// Several occurrences: how many, and the distinct 1-based lines of the first ones (at most
    /// [`MAX_LINES`]; none for a quote found by the suffix array more than [`MAX_SORTED`] times).
    Ambiguous {
        /// How many times the quote occurs.
        count: usize,
        /// Distinct lines of the first occurrences.
        lines: Vec<usize>,
    },
}

/// Most lines of an ambiguous quote's occurrences listed.
pub const MAX_LINES: usize = 10;

/// Searches of one text answered by scanning it; later ones are answered by a suffix array of
/// the text, built once (16 MB: about 2 s, as long as 4,000 scans), then a binary search a quote.
/// Many quotes of one long text otherwise cost quotes × text length.
const SCANS_BEFORE_INDEX: usize = 4_000;

/// Occurrences of one quote the suffix array gives in order (sorted) to apply a scan's rules;
/// past that, the whole selector (prefix, quote, suffix) is looked up and only counted.
const MAX_SORTED: usize = 1_000;

/// The occurrences of a quote kept while they are found: the count, the first, the first lines.
#[derive(Default)]
struct Found {
    count: usize,
    first: usize,
    lines: Vec<usize>,
}

impl Found {
    fn add(&mut self, index: &TextIndex<'_>, at: usize) {
        if self.count == 0 {
            self.first = at;
        }
        self.count += 1;
        let line = index.line(at);
        if self.lines.len() < MAX_LINES && self.lines.last() != Some(&line) {
            self.lines.push(line);
        }
    }
}

/// Locates `quote` in `text`, using `prefix` / `suffix` to choose between occurrences.
pub fn find(
    text: &str,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Result<Passage, QuoteError> {
    let index = TextIndex::new(text);
    find_in(&index, quote, prefix, suffix).map_err(|e| match e {
        QuoteError::NotFound(_) => QuoteError::NotFound(near_miss(&index, quote, prefix, suffix)),
        e => e,
    })
}

/// What is computed once per source text, so that each quote costs a search and no more:
/// line starts, character counts by block, and (on the first near miss) the folded text.
#[derive(Debug)]
pub struct TextIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    /// Characters before each [`BLOCK`]-byte boundary.
    chars: Vec<usize>,
    folded: std::cell::OnceCell<String>,
    searches: std::cell::Cell<usize>,
    table: std::cell::OnceCell<suffix::SuffixTable<'a, 'a>>,
}

/// Bytes per entry of the character index.
const BLOCK: usize = 4096;

impl<'a> TextIndex<'a> {
    /// Indexes `text` (one pass).
    pub fn new(text: &'a str) -> TextIndex<'a> {
        let mut lines = vec![0];
        lines.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars = vec![0];
        for block in text.as_bytes().chunks(BLOCK) {
            let n = block.iter().filter(|&&b| !is_continuation(b)).count();
            chars.push(chars.last().copied().unwrap_or(0) + n);
        }
        TextIndex {
            text,
            lines,
            chars,
            folded: std::cell::OnceCell::new(),
            searches: std::cell::Cell::new(0),
            table: std::cell::OnceCell::new(),
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// 1-based line of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.lines.partition_point(|&s| s <= at)
    }

    /// Characters before byte `at` (a character boundary).
    pub fn chars_before(&self, at: usize) -> usize {
        let k = at / BLOCK;
        let rest = &self.text.as_bytes()[k * BLOCK..at];
        self.chars[k] + rest.iter().filter(|&&b| !is_continuation(b)).count()
    }

    fn folded(&self) -> &str {
        self.folded.get_or_init(|| fold(self.text))
    }

    /// The occurrences of `quote` that memchr's scan finds (leftmost first, not overlapping)
    /// with `prefix` before and `suffix` after them.
    fn occurrences(&self, quote: &str, prefix: Option<&str>, suffix: Option<&str>) -> Found {
        let searches = self.searches.get() + 1;
        self.searches.set(searches);
        let text = self.text;
        let around = |&i: &usize| {
            prefix.is_none_or(|p| text[..i].ends_with(p))
                && suffix.is_none_or(|s| text[i + quote.len()..].starts_with(s))
        };
        let mut found = Found::default();
        if searches <= SCANS_BEFORE_INDEX {
            memchr::memmem::find_iter(text.as_bytes(), quote.as_bytes())
                .filter(around)
                .for_each(|i| found.add(self, i));
            return found;
        }
        let table = self.table.get_or_init(|| suffix::SuffixTable::new(text));
        let all = table.positions(quote);
        if all.len() <= MAX_SORTED {
            let mut all: Vec<usize> = all.iter().map(|&i| i as usize).collect();
            all.sort_unstable();
            let mut next = 0;
            for i in all {
                if i >= next {
                    next = i + quote.len();
                    if around(&i) {
                        found.add(self, i);
                    }
                }
            }
            return found;
        }
        let (p, s) = (prefix.unwrap_or(""), suffix.unwrap_or(""));
        let whole = table.positions(&format!("{p}{quote}{s}"));
        if whole.len() <= MAX_SORTED {
            let mut at: Vec<usize> = whole.iter().map(|&i| i as usize + p.len()).collect();
            at.sort_unstable();
            at.into_iter().for_each(|i| found.add(self, i));
        } else {
            found.count = whole.len();
        }
        found
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xC0).contains(&b)
}

/// [`find`] in an indexed text.
pub fn find_in(
    index: &TextIndex<'_>,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Result<Passage, QuoteError> {
    if quote.is_empty() {
        return Err(QuoteError::NotFound(Some("the quote is empty".into())));
    }
    let found = index.occurrences(quote, prefix, suffix);
    match found.count {
        0 => Err(QuoteError::NotFound(None)),
        1 => Ok(passage_in(index, found.first, found.first + quote.len())),
        count => Err(QuoteError::Ambiguous {
            count,
            lines: found.lines,
        }),
    }
}

/// Builds the passage for the byte range `start..end` of an indexed text.
pub fn passage_in(index: &TextIndex<'_>, start: usize, end: usize) -> Passage {
    let text = index.text;
    let before = &text[..start];
    let char_start = index.chars_before(start);
    let char_len = text[start..end].chars().count();
    let from = before
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(start, |(i, _)| i);
    Passage {
        exact: text[start..end].to_string(),
        prefix: before[from..].to_string(),
        suffix: text[end..].chars().take(CONTEXT_CHARS).collect(),
        start: char_start,
        end: char_start + char_len,
        byte_start: start,
        byte_end: end,
        line: index.line(start),
    }
}

/// One character with its typographic variants folded: curly quotes to straight ones, every
/// kind of space or line break to a plain space.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{00A0}' | '\u{202F}' | '\t' | '\n' | '\r' => ' ',
        c => c,
    }
}

/// Normalises typographic variants that look alike to a reader but differ byte-wise.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = fold_char(c);
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What almost matched a quote that [`find_in`] did not find, if anything: a few scans of the
/// text, so asked only for the diagnostics shown.
pub fn near_miss(
    index: &TextIndex<'_>,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<String> {
    let text = index.text;
    let occurs = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if (prefix.is_some() || suffix.is_some()) && occurs(quote) {
        return Some("the quote occurs, but not with this prefix/suffix around it".into());
    }
    if memchr::memmem::find(index.folded().as_bytes(), fold(quote).as_bytes()).is_some() {
        return Some(
            "the text matches if case, apostrophes (’ vs ') or spaces are ignored; copy the \
             quote from the source text exactly"
                .into(),
        );
    }
    let best = longest_prefix(text, quote);
    (best >= 8).then(|| {
        // Cut by characters: a byte cut could split a multi-byte character.
        let differs: String = quote[best..].chars().take(24).collect();
        format!(
            "the source has `{}` but then differs from `{differs}`",
            &quote[..best]
        )
    })
}

/// Most occurrences of a quote's first characters that [`longest_prefix`] extends.
const MAX_ANCHORS: usize = 10_000;

/// The byte length of the longest leading part of `quote` (cut between characters) that occurs
/// in `text`, if it is 8 bytes or more: one search for the first 8 bytes, each hit extended.
/// The longest match tells the curator where the quote diverges; on a text where those bytes
/// occur more than [`MAX_ANCHORS`] times the first hits are enough for a hint.
fn longest_prefix(text: &str, quote: &str) -> usize {
    let Some(anchor) = (8..=quote.len()).find(|&b| quote.is_char_boundary(b)) else {
        return 0;
    };
    let (t, q) = (text.as_bytes(), quote.as_bytes());
    let mut best = 0;
    for at in memchr::memmem::find_iter(t, &q[..anchor]).take(MAX_ANCHORS) {
        let same = t[at..].iter().zip(q).take_while(|(a, b)| a == b).count();
        best = best.max(same);
        if best == q.len() {
            break;
        }
    }
    while !quote.is_char_boundary(best) {
        best -= 1;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unique_quote_with_char_offsets() {
        let p = find("«é» abc déf", "déf", None, None).unwrap();
        assert_eq!((p.start, p.end), (8, 11));
        assert_eq!(p.prefix, "«é» abc ");
    }

    #[test]
    fn disambiguates_with_prefix_and_suffix() {
        let t = "la lettre. la lettre!";
        assert_eq!(
            find(t, "la lettre", None, None),
            Err(QuoteError::Ambiguous {
                count: 2,
                lines: vec![1]
            })
        );
        assert_eq!(find(t, "la lettre", Some(". "), None).unwrap().start, 11);
        assert_eq!(find(t, "la lettre", None, Some(".")).unwrap().start, 0);
    }

    #[test]
    fn the_suffix_array_answers_as_the_scan_does() {
        let text = "aaaa. la lettre. la lettre!\nabab abab ab\n«é» déf déf\n".repeat(3);
        let cases: [(&str, Option<&str>, Option<&str>); 9] = [
            ("aa", None, None),
            ("aaa", None, None),
            ("la lettre", Some(". "), None),
            ("la lettre", None, Some("!")),
            ("abab", None, None),
            ("«é» déf", None, None),
            ("déf\nab", None, None),
            ("absent", None, None),
            ("a", Some("«é» déf déf\na"), None),
        ];
        let scan = TextIndex::new(&text);
        let table = TextIndex::new(&text);
        table.searches.set(SCANS_BEFORE_INDEX);
        for (q, p, s) in cases {
            assert_eq!(find_in(&scan, q, p, s), find_in(&table, q, p, s), "{q}");
        }
        assert!(table.table.get().is_some() && scan.table.get().is_none());
        // A quote found more often than the sorted limit is counted whole, without lines.
        let long = "ab ".repeat(MAX_SORTED + 5);
        let table = TextIndex::new(&long);
        table.searches.set(SCANS_BEFORE_INDEX);
        let got = find_in(&table, "ab", None, None);
        let want = QuoteError::Ambiguous {
            count: MAX_SORTED + 5,
            lines: vec![],
        };
        assert_eq!(got, Err(want));
        assert_eq!(find_in(&table, "ab", None, Some(" ab ab ")).unwrap_err(), {
            QuoteError::Ambiguous {
                count: MAX_SORTED + 3,
                lines: vec![],
            }
        });
        let one = find_in(&table, "ab", Some("ab ab "), Some(" ab ")).unwrap_err();
        assert!(matches!(one, QuoteError::Ambiguous { .. }));
    }

    #[test]
    fn near_miss_finds_the_longest_matching_prefix() {
        let t = "abcdefghij klmnop";
        match find(t, "abcdefghij klmXYZ", None, None) {
            Err(QuoteError::NotFound(Some(h))) => assert!(h.contains("`abcdefghij klm`"), "{h}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            find(t, "abcXYZ", None, None),
            Err(QuoteError::NotFound(None))
        );
    }

    #[test]
    fn explains_near_misses() {
        let t = "l’ACLU a découvert";
        match find(t, "l'ACLU a découvert", None, None) {
            Err(QuoteError::NotFound(Some(h))) => assert!(h.contains("apostrophes")),
            other => panic!("{other:?}"),
        }
    }
}
