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
    /// No occurrence; the hint says what almost matched.
    NotFound(Option<String>),
    /// Several occurrences (their 1-based lines).
    Ambiguous(Vec<usize>),
}

/// Locates `quote` in `text`, using `prefix` / `suffix` to choose between occurrences.
pub fn find(
    text: &str,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Result<Passage, QuoteError> {
    if quote.is_empty() {
        return Err(QuoteError::NotFound(Some("the quote is empty".into())));
    }
    let hits: Vec<usize> = text
        .match_indices(quote)
        .map(|(i, _)| i)
        .filter(|&i| prefix.is_none_or(|p| text[..i].ends_with(p)))
        .filter(|&i| suffix.is_none_or(|s| text[i + quote.len()..].starts_with(s)))
        .collect();
    match hits.as_slice() {
        [] => Err(QuoteError::NotFound(near_miss(text, quote, prefix, suffix))),
        [one] => Ok(passage(text, *one, *one + quote.len())),
        many => Err(QuoteError::Ambiguous(
            many.iter().map(|&i| line_of(text, i)).collect(),
        )),
    }
}

/// Builds the passage for the byte range `start..end` of `text`.
pub fn passage(text: &str, start: usize, end: usize) -> Passage {
    let before = &text[..start];
    let after = &text[end..];
    let char_start = before.chars().count();
    let char_len = text[start..end].chars().count();
    let prefix: String = {
        let n = before.chars().count();
        before
            .chars()
            .skip(n.saturating_sub(CONTEXT_CHARS))
            .collect()
    };
    Passage {
        exact: text[start..end].to_string(),
        prefix,
        suffix: after.chars().take(CONTEXT_CHARS).collect(),
        start: char_start,
        end: char_start + char_len,
        byte_start: start,
        byte_end: end,
        line: line_of(text, start),
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// Normalises typographic variants that look alike to a reader but differ byte-wise.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{00A0}' | '\u{202F}' | '\t' | '\n' | '\r' => ' ',
            c => c,
        };
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

fn near_miss(
    text: &str,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<String> {
    if (prefix.is_some() || suffix.is_some()) && text.contains(quote) {
        return Some("the quote occurs, but not with this prefix/suffix around it".into());
    }
    if fold(text).contains(&fold(quote)) {
        return Some(
            "the text matches if case, apostrophes (’ vs ') or spaces are ignored; copy the \
             quote from the source text exactly"
                .into(),
        );
    }
    // The longest leading part that still matches tells the curator where the quote diverges.
    // If a prefix occurs, every shorter one does too, so a binary search finds it in
    // O(log m) scans of the text rather than m (a long quote in a long text stays fast).
    let bounds: Vec<usize> = quote.char_indices().map(|(i, _)| i).skip(1).collect();
    let matching = bounds.partition_point(|&b| text.contains(&quote[..b]));
    let best = matching.checked_sub(1).map_or(0, |k| bounds[k]);
    (best >= 8).then(|| {
        // Cut by characters: a byte cut could split a multi-byte character.
        let differs: String = quote[best..].chars().take(24).collect();
        format!(
            "the source has `{}` but then differs from `{differs}`",
            &quote[..best]
        )
    })
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
            Err(QuoteError::Ambiguous(vec![1, 1]))
        );
        assert_eq!(find(t, "la lettre", Some(". "), None).unwrap().start, 11);
        assert_eq!(find(t, "la lettre", None, Some(".")).unwrap().start, 0);
    }

    #[test]
    fn near_miss_cuts_the_hint_between_characters() {
        let t = "Friends of Privacy signed an open letter";
        match find(
            t,
            "Friends of Privacy signéé éééééééééééééééééééé",
            None,
            None,
        ) {
            Err(QuoteError::NotFound(Some(h))) => {
                assert_eq!(
                    h,
                    "the source has `Friends of Privacy sign` but then differs from \
                     `éé éééééééééééééééééééé`"
                )
            }
            other => panic!("{other:?}"),
        }
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
