//! HTML building blocks: escaping, the page layout with its warning banner, and the sentence
//! around a quoted passage with the quote in `<mark>`.
//!
//! Every text that comes from the facts, the source texts or a query goes through [`esc`]; the
//! pages are built from `format!` with escaped pieces, never from raw data.

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes an id for a URL path segment (ids are slugs, but the data is not trusted).
pub fn url_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, crate::rdf::ns::SEGMENT).to_string()
}

/// A whole page: `title` and `body` (already HTML), with the reload banner when the facts on disk
/// are invalid and an older graph is being served.
pub fn page(title: &str, banner: Option<&str>, body: &str) -> String {
    let banner = banner.map_or_else(String::new, |d| {
        format!(
            "<div class=\"banner\" role=\"alert\"><strong>The facts on disk are invalid; \
             showing the last good version.</strong><pre>{}</pre></div>",
            esc(d)
        )
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · coalition</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n\
         </head>\n<body>\n<header><a href=\"/\" class=\"home\">coalition</a> \
         <form action=\"/search\" method=\"get\" class=\"search\"><input type=\"search\" \
         name=\"q\" placeholder=\"Search names and aliases\" aria-label=\"Search\"> \
         <button>Search</button></form></header>\n{banner}<main>\n{body}\n</main>\n\
         <script src=\"/assets/app.js\"></script>\n</body>\n</html>\n",
        esc(title)
    )
}

/// Byte range of the sentence(s) around `start..end` in `text`, at most `MAX` bytes each side.
pub fn sentence_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    const MAX: usize = 400;
    let start = floor(text, start.min(text.len()));
    let end = floor(text, end.clamp(start, text.len()));
    let bytes = text.as_bytes();
    let lo_limit = floor(text, start.saturating_sub(MAX));
    let mut lo = start;
    while lo > lo_limit {
        let c = bytes[lo - 1];
        if c == b'\n' || (matches!(c, b'.' | b'!' | b'?') && lo < start) {
            break;
        }
        lo -= 1;
    }
    let lo = floor(text, lo);
    let hi_limit = floor(text, (end + MAX).min(text.len()));
    let mut hi = end;
    while hi < hi_limit {
        let c = bytes[hi];
        if c == b'\n' {
            break;
        }
        hi += 1;
        if matches!(c, b'.' | b'!' | b'?') {
            break;
        }
    }
    let hi = floor(text, hi);
    // Skip the blank after the previous sentence's full stop.
    let lead = text[lo..start].len() - text[lo..start].trim_start().len();
    (lo + lead, hi)
}

/// The sentence around `start..end` with the passage in `<mark>`, escaped.
pub fn quote_in_sentence(text: &str, start: usize, end: usize) -> String {
    let (lo, hi) = sentence_bounds(text, start, end);
    let start = floor(text, start.clamp(lo, hi));
    let end = floor(text, end.clamp(start, hi));
    format!(
        "{}<mark>{}</mark>{}",
        esc(&text[lo..start]),
        esc(&text[start..end]),
        esc(&text[end..hi])
    )
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
        assert_eq!(url_segment("../a b"), "..%2Fa%20b");
    }

    #[test]
    fn marks_the_quote_in_its_sentence() {
        let t = "Premier point. La lettre, signée par l’EFF, dit non. Fin.";
        let s = t.find("signée").unwrap();
        let e = s + "signée par l’EFF".len();
        assert_eq!(
            quote_in_sentence(t, s, e),
            "La lettre, <mark>signée par l’EFF</mark>, dit non."
        );
        // Out-of-range offsets are clamped, never a panic.
        assert!(quote_in_sentence("é.", 1, 9).contains('é'));
    }
}
