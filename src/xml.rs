//! Escaping for XML 1.0 (<https://www.w3.org/TR/xml/#syntax>), shared by every writer of XML we
//! have: the embedded SVG diagrams, GraphML and GEXF exports, and the stance networks.

/// Replaces what XML 1.0 cannot carry at all, even escaped (most C0 controls, U+FFFE, U+FFFF),
/// by U+FFFD, and escapes the rest for text content or, with `attribute`, an attribute value.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Attribute-value normalisation would turn these into spaces, and a bare CR is
            // folded into LF in text: character references keep them.
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text content for XML.
pub fn xml_text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an XML attribute value (to be written between double quotes).
pub fn xml_attr(s: &str) -> String {
    escape(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_what_xml_cannot_carry_visible() {
        let s = "<script>\"a\" & 'b'\n\tc\r«é»\u{1}";
        assert_eq!(
            xml_attr(s),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&#10;&#9;c&#13;«é»\u{FFFD}"
        );
        assert_eq!(
            xml_text(s),
            "&lt;script&gt;\"a\" &amp; 'b'\n\tc&#13;«é»\u{FFFD}"
        );
    }
}
