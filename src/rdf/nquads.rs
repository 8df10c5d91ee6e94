//! N-Quads (<https://www.w3.org/TR/n-quads/>) written straight into a buffer: the bytes of
//! Oxigraph's N-Quads serializer (one `s p o [g] .` line per quad, literals escaped as
//! `oxrdf` escapes them), without going through `fmt` one character at a time.

use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, Quad, TermRef};

/// Appends one line per quad to `out`.
pub fn write(quads: &[Quad], out: &mut Vec<u8>) {
    for q in quads {
        subject(q.subject.as_ref(), out);
        out.push(b' ');
        iri(q.predicate.as_str(), out);
        out.push(b' ');
        object(q.object.as_ref(), out);
        match q.graph_name.as_ref() {
            GraphNameRef::DefaultGraph => {}
            GraphNameRef::NamedNode(n) => {
                out.push(b' ');
                iri(n.as_str(), out);
            }
            GraphNameRef::BlankNode(b) => {
                out.extend_from_slice(b" _:");
                out.extend_from_slice(b.as_str().as_bytes());
            }
        }
        out.extend_from_slice(b" .\n");
    }
}

fn iri(s: &str, out: &mut Vec<u8>) {
    out.push(b'<');
    out.extend_from_slice(s.as_bytes());
    out.push(b'>');
}

fn subject(s: NamedOrBlankNodeRef<'_>, out: &mut Vec<u8>) {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => iri(n.as_str(), out),
        NamedOrBlankNodeRef::BlankNode(b) => {
            out.extend_from_slice(b"_:");
            out.extend_from_slice(b.as_str().as_bytes());
        }
    }
}

fn object(o: TermRef<'_>, out: &mut Vec<u8>) {
    match o {
        TermRef::NamedNode(n) => iri(n.as_str(), out),
        TermRef::BlankNode(b) => {
            out.extend_from_slice(b"_:");
            out.extend_from_slice(b.as_str().as_bytes());
        }
        TermRef::Literal(l) => {
            quoted(l.value(), out);
            if let Some(lang) = l.language() {
                out.push(b'@');
                out.extend_from_slice(lang.as_bytes());
            } else if l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" {
                out.extend_from_slice(b"^^");
                iri(l.datatype().as_str(), out);
            }
        }
        #[allow(unreachable_patterns)]
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

/// A string literal's lexical form, escaped as `oxrdf::print_quoted_str` escapes it.
fn quoted(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape: &[u8] = match c {
            '\u{8}' => b"\\b",
            '\t' => b"\\t",
            '\n' => b"\\n",
            '\u{C}' => b"\\f",
            '\r' => b"\\r",
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => b"",
            _ => continue,
        };
        out.extend_from_slice(&s.as_bytes()[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{:04X}", u32::from(c)).as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = i + c.len_utf8();
    }
    out.extend_from_slice(&s.as_bytes()[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use oxigraph::io::{RdfFormat, RdfSerializer};
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode};

    use super::*;

    #[test]
    fn same_bytes_as_oxigraph() {
        let n = |s: &str| NamedNode::new(format!("https://x.example/{s}")).unwrap();
        let hostile = "q \" b\\s\nn\tt \r \u{0} \u{1} \u{8}\u{c}\u{7f}\u{fffe} é <script> 𝄞";
        let quads = vec![
            Quad::new(
                n("a"),
                n("p"),
                Literal::new_simple_literal(hostile),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                n("a"),
                n("p"),
                Literal::new_language_tagged_literal("x", "fr").unwrap(),
                n("g"),
            ),
            Quad::new(
                BlankNode::new("b1").unwrap(),
                n("p"),
                Literal::new_typed_literal(
                    "2018-05",
                    NamedNode::new("http://www.w3.org/2001/XMLSchema#gYearMonth").unwrap(),
                ),
                BlankNode::new("g2").unwrap(),
            ),
            Quad::new(n("a"), n("p"), BlankNode::new("b1").unwrap(), n("g")),
        ];
        let mut w = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
        for q in &quads {
            w.serialize_quad(q).unwrap();
        }
        let expected = w.finish().unwrap();
        let mut ours = Vec::new();
        write(&quads, &mut ours);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
