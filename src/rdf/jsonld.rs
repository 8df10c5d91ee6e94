//! Expanded JSON-LD 1.1 (<https://www.w3.org/TR/json-ld11/>) written straight from quads,
//! pretty-printed: the bytes `serde_json::to_vec_pretty` gives for Oxigraph's streaming JSON-LD
//! output, without building and re-parsing a document of gigabytes.
//!
//! One top-level element per run of quads with the same graph and subject (a named graph's runs
//! are wrapped in one `{"@graph": […], "@id": g}` element per run of that graph), keys sorted as
//! `serde_json` sorts them, values in input order. Every element is written as `,\n  {…}` so that
//! pieces written separately concatenate: [`Document`] drops the first comma.

use std::collections::BTreeMap;
use std::io::{self, Write};

use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, Quad, TermRef};

/// Appends the elements of `quads` to `out`, each opened by `,\n  ` (see the module docs).
pub fn elements(quads: &[Quad], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < quads.len() {
        let graph = quads[i].graph_name.as_ref();
        let end = i + quads[i..]
            .iter()
            .take_while(|q| q.graph_name.as_ref() == graph)
            .count();
        out.extend_from_slice(b",\n  ");
        match graph {
            GraphNameRef::DefaultGraph => {
                nodes(&quads[i..end], 1, out, true);
            }
            named => {
                out.extend_from_slice(b"{\n    \"@graph\": [");
                nodes(&quads[i..end], 3, out, false);
                out.extend_from_slice(b"\n    ],\n    \"@id\": ");
                match named {
                    GraphNameRef::NamedNode(n) => string(n.as_str(), out),
                    GraphNameRef::BlankNode(b) => string(&format!("_:{}", b.as_str()), out),
                    GraphNameRef::DefaultGraph => unreachable!("matched above"),
                }
                out.extend_from_slice(b"\n  }");
            }
        }
        i = end;
    }
}

/// Node objects, one per run of quads with the same subject, at `level` of indentation. At the
/// top level the caller has already written the separator of the first one.
fn nodes(quads: &[Quad], level: usize, out: &mut Vec<u8>, top: bool) {
    let mut i = 0;
    let mut first = true;
    while i < quads.len() {
        let subject = quads[i].subject.as_ref();
        let end = i + quads[i..]
            .iter()
            .take_while(|q| q.subject.as_ref() == subject)
            .count();
        if top {
            if !first {
                out.extend_from_slice(b",\n  ");
            }
        } else {
            out.extend_from_slice(if first { b"\n" } else { b",\n" });
            indent(level, out);
        }
        first = false;
        node(subject, &quads[i..end], level, out);
        i = end;
    }
}

fn node(subject: NamedOrBlankNodeRef<'_>, quads: &[Quad], level: usize, out: &mut Vec<u8>) {
    let mut properties: BTreeMap<&str, Vec<TermRef<'_>>> = BTreeMap::new();
    for q in quads {
        properties
            .entry(q.predicate.as_str())
            .or_default()
            .push(q.object.as_ref());
    }
    out.extend_from_slice(b"{\n");
    indent(level + 1, out);
    out.extend_from_slice(b"\"@id\": ");
    id(subject, out);
    for (p, values) in properties {
        out.extend_from_slice(b",\n");
        indent(level + 1, out);
        string(p, out);
        out.extend_from_slice(b": [");
        for (k, v) in values.into_iter().enumerate() {
            out.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
            indent(level + 2, out);
            value(v, level + 2, out);
        }
        out.push(b'\n');
        indent(level + 1, out);
        out.push(b']');
    }
    out.push(b'\n');
    indent(level, out);
    out.push(b'}');
}

fn id(n: NamedOrBlankNodeRef<'_>, out: &mut Vec<u8>) {
    match n {
        NamedOrBlankNodeRef::NamedNode(n) => string(n.as_str(), out),
        NamedOrBlankNodeRef::BlankNode(b) => string(&format!("_:{}", b.as_str()), out),
    }
}

fn value(v: TermRef<'_>, level: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\n");
    indent(level + 1, out);
    match v {
        TermRef::NamedNode(n) => {
            out.extend_from_slice(b"\"@id\": ");
            string(n.as_str(), out);
        }
        TermRef::BlankNode(b) => {
            out.extend_from_slice(b"\"@id\": ");
            string(&format!("_:{}", b.as_str()), out);
        }
        TermRef::Literal(l) => {
            if let Some(lang) = l.language() {
                out.extend_from_slice(b"\"@language\": ");
                string(lang, out);
                out.extend_from_slice(b",\n");
                indent(level + 1, out);
            } else if l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" {
                out.extend_from_slice(b"\"@type\": ");
                string(l.datatype().as_str(), out);
                out.extend_from_slice(b",\n");
                indent(level + 1, out);
            }
            out.extend_from_slice(b"\"@value\": ");
            string(l.value(), out);
        }
        #[allow(unreachable_patterns)]
        other => {
            // RDF 1.2 triple terms are not enabled; keep the output valid JSON anyway.
            out.extend_from_slice(b"\"@id\": ");
            string(&other.to_string(), out);
        }
    }
    out.push(b'\n');
    indent(level, out);
    out.push(b'}');
}

fn indent(level: usize, out: &mut Vec<u8>) {
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

/// A JSON string as `serde_json` writes it (RFC 8259 §7: `"` `\` and control characters escaped).
fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A JSON-LD document assembled from pieces of [`elements`].
#[derive(Debug, Default)]
pub struct Document {
    started: bool,
}

impl Document {
    /// Writes a piece (the output of [`elements`]); the first non-empty one opens the array.
    pub fn push(&mut self, w: &mut impl Write, piece: &[u8]) -> io::Result<()> {
        if piece.is_empty() {
            return Ok(());
        }
        if self.started {
            w.write_all(piece)
        } else {
            self.started = true;
            w.write_all(b"[")?;
            // Drop the comma of the first element.
            w.write_all(&piece[1..])
        }
    }

    /// Closes the array (`[]` when nothing was pushed) and the file's last line.
    pub fn finish(self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::io::{JsonLdProfile, RdfFormat, RdfSerializer};
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode};

    use super::*;

    fn oxigraph_pretty(quads: &[Quad]) -> Vec<u8> {
        let mut w = RdfSerializer::from_format(RdfFormat::JsonLd {
            profile: JsonLdProfile::Streaming.into(),
        })
        .for_writer(Vec::new());
        for q in quads {
            w.serialize_quad(q).unwrap();
        }
        let v: serde_json::Value = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        let mut out = serde_json::to_vec_pretty(&v).unwrap();
        out.push(b'\n');
        out
    }

    fn ours(pieces: &[&[Quad]]) -> Vec<u8> {
        let mut doc = Document::default();
        let mut out = Vec::new();
        for p in pieces {
            let mut piece = Vec::new();
            elements(p, &mut piece);
            doc.push(&mut out, &piece).unwrap();
        }
        doc.finish(&mut out).unwrap();
        out
    }

    #[test]
    fn same_bytes_as_oxigraph_then_serde_json() {
        let n = |s: &str| NamedNode::new(format!("https://x.example/{s}")).unwrap();
        let g1: GraphName = n("g1").into();
        let g2: GraphName = n("g2").into();
        let hostile = "quote \" back\\slash\nnew\ttab \u{1} \u{8}\u{c} é <script>";
        let quads = vec![
            Quad::new(
                n("a"),
                n("p"),
                Literal::new_simple_literal(hostile),
                GraphName::DefaultGraph,
            ),
            Quad::new(n("a"), n("p"), n("b"), GraphName::DefaultGraph),
            Quad::new(n("a"), n("a-type"), n("T"), GraphName::DefaultGraph),
            Quad::new(
                n("b"),
                n("q"),
                Literal::new_language_tagged_literal("x", "fr").unwrap(),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                n("a"),
                n("p"),
                Literal::new_typed_literal(
                    "30",
                    NamedNode::new("http://www.w3.org/2001/XMLSchema#integer").unwrap(),
                ),
                g1.clone(),
            ),
            Quad::new(n("c"), n("p"), BlankNode::new("b1").unwrap(), g1.clone()),
            Quad::new(BlankNode::new("b1").unwrap(), n("p"), n("c"), g1.clone()),
            Quad::new(n("a"), n("p"), n("c"), g2.clone()),
        ];
        assert_eq!(
            String::from_utf8(ours(&[&quads])).unwrap(),
            String::from_utf8(oxigraph_pretty(&quads)).unwrap()
        );
        // Pieces concatenate: the default graph, then one piece per named graph.
        assert_eq!(
            ours(&[&quads[..4], &[], &quads[4..7], &quads[7..]]),
            oxigraph_pretty(&quads)
        );
        assert_eq!(ours(&[]), b"[]\n");
        assert_eq!(oxigraph_pretty(&[]), b"[]\n");
    }
}
