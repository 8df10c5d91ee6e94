//! The one escaping layer between the model and the writers: DOT quoted strings
//! (<https://graphviz.org/doc/info/lang.html>) and XML text and attributes
//! (<https://www.w3.org/TR/xml/#syntax>).
//!
//! dot-writer 0.1.4 writes ids and values verbatim, so every id and value goes through
//! [`dot_quote`] first and reaches dot-writer already quoted.

/// Quotes `s` as a DOT double-quoted string that Graphviz reads back as exactly `s`.
///
/// `"` and `\` are backslash-escaped (so Graphviz's `\N`, `\l`… escapes cannot be triggered), line
/// breaks become `\n` (centred lines), and `&` becomes `&amp;` because Graphviz passes
/// entity-like text (`&lt;`) through to SVG. `<` and `>` need nothing inside quotes; non-ASCII text
/// stays UTF-8. Other control characters, which Graphviz rejects, become spaces.
pub fn dot_quote(s: &str) -> String {
    quote(s, r"\\")
}

/// Quotes `s` for the Graphviz attributes it unescapes twice, `tooltip` and `URL`: there Graphviz
/// turns `\\` into `\` before it expands `\N`, `\G`…, so a literal backslash needs four.
pub fn dot_quote_tooltip(s: &str) -> String {
    quote(s, r"\\\\")
}

fn quote(s: &str, backslash: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str(backslash),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes `s` for XML text content and double-quoted attribute values (SVG).
pub use crate::xml::xml_attr as xml;

/// Breaks `s` into lines of at most about `width` columns at its line breaks and spaces
/// (whitespace collapsed), never inside a word: textwrap's first fit.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut lines = Vec::new();
    for para in s.lines() {
        let words = para.split_whitespace().collect::<Vec<_>>().join(" ");
        lines.extend(
            textwrap::wrap(&words, &options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_quote_escapes_quotes_backslashes_newlines_and_ampersands() {
        assert_eq!(dot_quote("a"), r#""a""#);
        assert_eq!(dot_quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(dot_quote(r"C:\N\l"), r#""C:\\N\\l""#);
        assert_eq!(dot_quote("one\ntwo\r\nthree"), r#""one\ntwo\nthree""#);
        assert_eq!(dot_quote("AT&T <b>"), r#""AT&amp;T <b>""#);
        assert_eq!(dot_quote("«é ç»\u{7}"), "\"«é ç» \"");
        // A trailing backslash cannot swallow the closing quote.
        assert_eq!(dot_quote("\\"), r#""\\""#);
        assert_eq!(dot_quote_tooltip(r"a\N"), r#""a\\\\N""#);
        assert_eq!(dot_quote_tooltip("«x» & \"y\""), r#""«x» &amp; \"y\"""#);
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(
            wrap("Coalition of about thirty advocacy groups", 20),
            ["Coalition of about", "thirty advocacy", "groups"]
        );
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            ["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("a\u{a0}b  c\nd-e", 3), ["a b", "c", "d-e"]);
    }
}
