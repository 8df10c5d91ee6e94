//! HTML building blocks: the page layout with its warning banner, and the sentence around a quoted
//! passage with the quote in `<mark>`.
//!
//! The pages are [maud](https://maud.lambda.xyz/) templates: every `(value)` spliced into one is
//! escaped, so no datum reaches HTML unescaped; markup goes in only as [`Markup`] built the same
//! way (the overview diagram's SVG, escaped by its own writer, is the one `PreEscaped` datum).

use maud::{html, Markup, DOCTYPE};

/// Percent-encodes an id for a URL path segment (ids are slugs, but the data is not trusted).
pub fn url_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, crate::rdf::ns::SEGMENT).to_string()
}

/// The pieces with `sep` between them.
pub fn join(pieces: impl IntoIterator<Item = Markup>, sep: &str) -> Markup {
    html! { @for (i, p) in pieces.into_iter().enumerate() { @if i > 0 { (sep) } (p) } }
}

/// A whole page: `title` and `body`, with the reload banner when the facts on disk are invalid
/// and an older graph is being served. The only script is the embedded one (the CSP allows no
/// other).
pub fn page(title: &str, banner: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · coalition" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header {
                    a href="/" class="home" { "coalition" } " "
                    form action="/search" method="get" class="search" {
                        input type="search" name="q" placeholder="Search names and aliases"
                            aria-label="Search";
                        " " button { "Search" }
                    }
                }
                @if let Some(d) = banner {
                    div class="banner" role="alert" {
                        strong { "The facts on disk are invalid; showing the last good version." }
                        pre { (d) }
                    }
                }
                main { (body) }
                script src="/assets/app.js" {}
            }
        }
    }
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

/// The sentence around `start..end` with the passage in `<mark>`.
pub fn quote_in_sentence(text: &str, start: usize, end: usize) -> Markup {
    let (lo, hi) = sentence_bounds(text, start, end);
    let start = floor(text, start.clamp(lo, hi));
    let end = floor(text, end.clamp(start, hi));
    html! { (&text[lo..start]) mark { (&text[start..end]) } (&text[end..hi]) }
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
        let page = page(
            "<b>\"",
            Some("<script>alert(1)</script> &"),
            html! { "<i>" },
        )
        .0;
        assert!(
            page.contains("<title>&lt;b&gt;&quot; · coalition</title>"),
            "{page}"
        );
        assert!(page.contains("<pre>&lt;script&gt;alert(1)&lt;/script&gt; &amp;</pre>"));
        assert!(page.contains("<main>&lt;i&gt;</main>"));
        assert_eq!(url_segment("../a b"), "..%2Fa%20b");
    }

    #[test]
    fn marks_the_quote_in_its_sentence() {
        let t = "Premier point. La lettre, signée par l’EFF, dit non. Fin.";
        let s = t.find("signée").unwrap();
        let e = s + "signée par l’EFF".len();
        assert_eq!(
            quote_in_sentence(t, s, e).0,
            "La lettre, <mark>signée par l’EFF</mark>, dit non."
        );
        // Out-of-range offsets are clamped, never a panic.
        assert!(quote_in_sentence("é.", 1, 9).0.contains('é'));
    }
}
