//! Compacted JSON-LD 1.1 (<https://www.w3.org/TR/json-ld11/>) written straight from quads, with
//! an inline `@context` of the graph's prefixes (the vocabularies of [`super::ns`] and the data
//! prefixes of the base), without building and re-parsing a document of gigabytes.
//!
//! The document is `{"@context": {…}, "@graph": [node, …, {"@id": g, "@graph": [node, …]}, …]}`:
//! default-graph node objects at the top, one object per run of a named graph's quads (one per
//! graph in `build`, which writes each graph as one piece). Node objects have `@type` (the IRI
//! classes of `rdf:type`), `@id` and their properties, keys sorted, values in input order, one
//! value bare and several in an array. IRIs are written as compact IRIs (`entity:eff`) where a
//! prefix applies, `xsd:string` literals as JSON strings, other literals as value objects with
//! `@type` or `@language`, values always strings so that lexical forms survive.
//!
//! Every element is written as `,\n    {…}` so that pieces written separately concatenate:
//! [`Document`] drops the first comma.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, Quad, TermRef};

use super::{ns, Base, RdfError};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// A JSON-LD context of prefix terms (JSON-LD 1.1 §4.1.5 compact IRIs): every namespace ends in
/// `/` or `#`, so each term is usable as a prefix.
#[derive(Clone, Debug)]
pub struct Context {
    /// `(term, namespace)`, sorted by term.
    terms: Vec<(String, String)>,
    /// Indices into `terms`, longest namespace first: the most specific prefix wins.
    by_length: Vec<usize>,
}

impl Context {
    /// The vocabularies' prefixes of [`ns::PREFIXES`] and `base`'s data prefixes, as Turtle has.
    pub fn new(base: &Base) -> Context {
        let mut terms: Vec<(String, String)> = ns::PREFIXES
            .iter()
            .map(|(t, iri)| (t.to_string(), iri.to_string()))
            .chain(
                base.prefixes()
                    .into_iter()
                    .map(|(t, iri)| (t.to_string(), iri)),
            )
            .collect();
        terms.sort();
        let mut by_length: Vec<usize> = (0..terms.len()).collect();
        by_length.sort_by_key(|&i| (std::cmp::Reverse(terms[i].1.len()), i));
        Context { terms, by_length }
    }

    /// The context document (`ontology/context.jsonld`): `{"@context": {…}}`.
    pub fn document(&self) -> String {
        let mut out = b"{\n  \"@context\": ".to_vec();
        self.object(1, &mut out);
        out.extend_from_slice(b"\n}\n");
        String::from_utf8(out).expect("JSON written from strings")
    }

    /// The context's object, its closing brace at `level`.
    fn object(&self, level: usize, out: &mut Vec<u8>) {
        out.push(b'{');
        for (k, (term, iri)) in self.terms.iter().enumerate() {
            out.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
            indent(level + 1, out);
            string(term, out);
            out.extend_from_slice(b": ");
            string(iri, out);
        }
        out.push(b'\n');
        indent(level, out);
        out.push(b'}');
    }

    /// `iri` as a compact IRI when a prefix applies, else whole. JSON-LD reads `p:s` as a
    /// compact IRI whenever `p` is a term and `s` does not start with `//` (IRI expansion, step
    /// 6), so a prefix is used only then, and an absolute IRI of that shape cannot be written
    /// (the spec's "IRI confused with prefix" error).
    fn iri<'a>(&self, iri: &'a str) -> Result<Cow<'a, str>, RdfError> {
        for &i in &self.by_length {
            let (term, ns) = &self.terms[i];
            if let Some(suffix) = iri.strip_prefix(ns.as_str()) {
                if !suffix.is_empty() && !suffix.starts_with("//") {
                    return Ok(Cow::Owned(format!("{term}:{suffix}")));
                }
            }
        }
        if let Some((scheme, rest)) = iri.split_once(':') {
            if !rest.starts_with("//") && self.terms.iter().any(|(t, _)| t == scheme) {
                return Err(RdfError::InvalidIri {
                    value: iri.to_string(),
                    reason: format!(
                        "JSON-LD would read it as a compact IRI of the prefix `{scheme}:` \
                         (IRI confused with prefix)"
                    ),
                });
            }
        }
        Ok(Cow::Borrowed(iri))
    }

    fn id<'a>(&self, n: NamedOrBlankNodeRef<'a>) -> Result<Cow<'a, str>, RdfError> {
        match n {
            NamedOrBlankNodeRef::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => Ok(Cow::Owned(format!("_:{}", b.as_str()))),
        }
    }

    /// Appends the elements of `quads` to `out`, each opened by `,\n    ` (see the module docs).
    pub fn elements(&self, quads: &[Quad], out: &mut Vec<u8>) -> Result<(), RdfError> {
        let mut i = 0;
        while i < quads.len() {
            let graph = quads[i].graph_name.as_ref();
            let end = i + quads[i..]
                .iter()
                .take_while(|q| q.graph_name.as_ref() == graph)
                .count();
            let name = match graph {
                GraphNameRef::DefaultGraph => None,
                GraphNameRef::NamedNode(n) => Some(self.iri(n.as_str())?),
                GraphNameRef::BlankNode(b) => Some(Cow::Owned(format!("_:{}", b.as_str()))),
            };
            match name {
                None => self.nodes(&quads[i..end], 2, out)?,
                Some(name) => {
                    out.extend_from_slice(b",\n    {\n      \"@id\": ");
                    string(&name, out);
                    out.extend_from_slice(b",\n      \"@graph\": [");
                    let mut nodes = Vec::new();
                    self.nodes(&quads[i..end], 4, &mut nodes)?;
                    // The first node's comma goes: it opens the array.
                    out.extend_from_slice(&nodes[1..]);
                    out.extend_from_slice(b"\n      ]\n    }");
                }
            }
            i = end;
        }
        Ok(())
    }

    /// Node objects, one per run of quads with the same subject, each opened by `,\n` and the
    /// indentation of `level`.
    fn nodes(&self, quads: &[Quad], level: usize, out: &mut Vec<u8>) -> Result<(), RdfError> {
        let mut i = 0;
        while i < quads.len() {
            let subject = quads[i].subject.as_ref();
            let end = i + quads[i..]
                .iter()
                .take_while(|q| q.subject.as_ref() == subject)
                .count();
            out.extend_from_slice(b",\n");
            indent(level, out);
            self.node(subject, &quads[i..end], level, out)?;
            i = end;
        }
        Ok(())
    }

    fn node(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        quads: &[Quad],
        level: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), RdfError> {
        let mut types: Vec<Cow<'_, str>> = Vec::new();
        let mut properties: BTreeMap<Cow<'_, str>, Vec<TermRef<'_>>> = BTreeMap::new();
        for q in quads {
            match q.object.as_ref() {
                TermRef::NamedNode(n) if q.predicate.as_str() == RDF_TYPE => {
                    types.push(self.iri(n.as_str())?);
                }
                object => properties
                    .entry(self.iri(q.predicate.as_str())?)
                    .or_default()
                    .push(object),
            }
        }
        out.extend_from_slice(b"{\n");
        indent(level + 1, out);
        // `@type` first and `@id` before the properties: JSON-LD's streaming document form, which
        // Oxigraph's streaming parser requires.
        if !types.is_empty() {
            out.extend_from_slice(b"\"@type\": ");
            let values: Vec<Vec<u8>> = types
                .iter()
                .map(|t| {
                    let mut v = Vec::new();
                    string(t, &mut v);
                    v
                })
                .collect();
            list(&values, level + 1, out);
            out.extend_from_slice(b",\n");
            indent(level + 1, out);
        }
        out.extend_from_slice(b"\"@id\": ");
        string(&self.id(subject)?, out);
        for (p, objects) in properties {
            out.extend_from_slice(b",\n");
            indent(level + 1, out);
            string(&p, out);
            out.extend_from_slice(b": ");
            let values = objects
                .into_iter()
                .map(|o| self.value(o))
                .collect::<Result<Vec<_>, _>>()?;
            list(&values, level + 1, out);
        }
        out.push(b'\n');
        indent(level, out);
        out.push(b'}');
        Ok(())
    }

    /// A value on one line: `{"@id": …}`, a JSON string, or a value object.
    fn value(&self, v: TermRef<'_>) -> Result<Vec<u8>, RdfError> {
        let mut out = Vec::new();
        match v {
            TermRef::NamedNode(n) => {
                out.extend_from_slice(b"{\"@id\": ");
                string(&self.iri(n.as_str())?, &mut out);
                out.push(b'}');
            }
            TermRef::BlankNode(b) => {
                out.extend_from_slice(b"{\"@id\": ");
                string(&format!("_:{}", b.as_str()), &mut out);
                out.push(b'}');
            }
            TermRef::Literal(l) => {
                if let Some(lang) = l.language() {
                    out.extend_from_slice(b"{\"@value\": ");
                    string(l.value(), &mut out);
                    out.extend_from_slice(b", \"@language\": ");
                    string(lang, &mut out);
                    out.push(b'}');
                } else if l.datatype().as_str() == XSD_STRING {
                    string(l.value(), &mut out);
                } else {
                    out.extend_from_slice(b"{\"@type\": ");
                    string(&self.iri(l.datatype().as_str())?, &mut out);
                    out.extend_from_slice(b", \"@value\": ");
                    string(l.value(), &mut out);
                    out.push(b'}');
                }
            }
            #[allow(unreachable_patterns)]
            other => {
                return Err(RdfError::InvalidIri {
                    value: other.to_string(),
                    reason: "RDF 1.2 triple terms have no JSON-LD 1.1 form".into(),
                })
            }
        }
        Ok(out)
    }
}

/// One value bare, several as an array with one per line.
fn list(values: &[Vec<u8>], level: usize, out: &mut Vec<u8>) {
    if let [one] = values {
        out.extend_from_slice(one);
        return;
    }
    out.push(b'[');
    for (k, v) in values.iter().enumerate() {
        out.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
        indent(level + 1, out);
        out.extend_from_slice(v);
    }
    out.push(b'\n');
    indent(level, out);
    out.push(b']');
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

/// A JSON-LD document assembled from pieces of [`Context::elements`].
#[derive(Debug)]
pub struct Document {
    header: Vec<u8>,
    started: bool,
}

impl Document {
    /// A document whose `@context` is `context`, inline so that it reads the same wherever the
    /// file is.
    pub fn new(context: &Context) -> Document {
        let mut header = b"{\n  \"@context\": ".to_vec();
        context.object(1, &mut header);
        header.extend_from_slice(b",\n  \"@graph\": [");
        Document {
            header,
            started: false,
        }
    }

    /// Writes a piece (the output of [`Context::elements`]); the first non-empty one opens the
    /// document.
    pub fn push(&mut self, w: &mut impl Write, piece: &[u8]) -> io::Result<()> {
        if piece.is_empty() {
            return Ok(());
        }
        if self.started {
            w.write_all(piece)
        } else {
            self.started = true;
            w.write_all(&self.header)?;
            // Drop the comma of the first element.
            w.write_all(&piece[1..])
        }
    }

    /// Closes the document (an empty `@graph` when nothing was pushed) and the file's last line.
    pub fn finish(self, w: &mut impl Write) -> io::Result<()> {
        if self.started {
            w.write_all(b"\n  ]\n}\n")
        } else {
            w.write_all(&self.header)?;
            w.write_all(b"]\n}\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::io::{JsonLdProfile, RdfFormat, RdfParser};
    use oxigraph::model::dataset::CanonicalizationAlgorithm;
    use oxigraph::model::{BlankNode, Dataset, GraphName, Literal, NamedNode};

    use super::*;

    fn doc(ctx: &Context, pieces: &[&[Quad]]) -> Vec<u8> {
        let mut doc = Document::new(ctx);
        let mut out = Vec::new();
        for p in pieces {
            let mut piece = Vec::new();
            ctx.elements(p, &mut piece).unwrap();
            doc.push(&mut out, &piece).unwrap();
        }
        doc.finish(&mut out).unwrap();
        out
    }

    /// The quads Oxigraph's own JSON-LD parser reads, blank nodes canonicalized.
    fn canonical(quads: impl IntoIterator<Item = Quad>) -> Dataset {
        let mut d: Dataset = quads.into_iter().collect();
        d.canonicalize(CanonicalizationAlgorithm::Unstable);
        d
    }

    fn parse(bytes: &[u8]) -> Dataset {
        let format = RdfFormat::JsonLd {
            profile: JsonLdProfile::Streaming.into(),
        };
        let parsed = RdfParser::from_format(format)
            .for_slice(bytes)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(bytes)));
        canonical(parsed)
    }

    fn hostile_quads() -> Vec<Quad> {
        let n = |s: &str| NamedNode::new(format!("https://coalition.example/entity/{s}")).unwrap();
        let co = |s: &str| NamedNode::new(format!("{}{s}", ns::COALITION)).unwrap();
        let iri = |s: &str| NamedNode::new(s).unwrap();
        let g1: GraphName = iri("https://coalition.example/source/g1").into();
        let g2: GraphName = BlankNode::new("g2").unwrap().into();
        let b1 = BlankNode::new("b1").unwrap();
        let hostile = "quote \" back\\slash\nnew\ttab \u{1} \u{8}\u{c} é <script> @id";
        let typed = |v: &str, t: &str| Literal::new_typed_literal(v, iri(t));
        let d = GraphName::DefaultGraph;
        vec![
            Quad::new(
                n("a"),
                co("p"),
                Literal::new_simple_literal(hostile),
                d.clone(),
            ),
            Quad::new(n("a"), co("p"), n("b"), d.clone()),
            Quad::new(n("a"), iri(RDF_TYPE), co("T"), d.clone()),
            Quad::new(
                n("a"),
                iri(RDF_TYPE),
                iri("https://schema.org/Thing"),
                d.clone(),
            ),
            Quad::new(n("a"), iri(RDF_TYPE), b1.clone(), d.clone()),
            Quad::new(
                n("a"),
                iri(RDF_TYPE),
                Literal::new_simple_literal("x"),
                d.clone(),
            ),
            Quad::new(
                n("b"),
                co("q"),
                Literal::new_language_tagged_literal("x", "fr").unwrap(),
                d.clone(),
            ),
            // Not compactable: empty suffix, a suffix starting with `//`, no prefix at all.
            Quad::new(
                iri(ns::COALITION),
                co("p"),
                iri("https://schema.org///x"),
                d.clone(),
            ),
            Quad::new(
                iri("urn:x:y"),
                iri("http://example.org/p"),
                n("a"),
                d.clone(),
            ),
            Quad::new(
                n("a"),
                co("n"),
                typed("030", "http://www.w3.org/2001/XMLSchema#integer"),
                g1.clone(),
            ),
            Quad::new(
                n("a"),
                co("n"),
                typed("1.0", "http://www.w3.org/2001/XMLSchema#decimal"),
                g1.clone(),
            ),
            Quad::new(
                n("a"),
                co("j"),
                typed(
                    "{\"a\": 1}",
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON",
                ),
                g1.clone(),
            ),
            Quad::new(n("a"), co("u"), typed("x", "urn:datatype"), g1.clone()),
            Quad::new(n("c"), co("p"), b1.clone(), g1.clone()),
            Quad::new(b1.clone(), co("p"), n("c"), g1.clone()),
            Quad::new(n("a"), co("p"), n("c"), g2.clone()),
            Quad::new(b1, co("p"), Literal::new_simple_literal(""), g2),
        ]
    }

    #[test]
    fn oxigraph_reads_back_the_same_quads() {
        let ctx = Context::new(&Base::default());
        let quads = hostile_quads();
        let whole = doc(&ctx, &[&quads]);
        assert_eq!(parse(&whole), canonical(quads.clone()));
        // Pieces concatenate: the default graph, then one piece per named graph.
        let pieces = doc(&ctx, &[&quads[..9], &[], &quads[9..15], &quads[15..]]);
        assert_eq!(pieces, whole);
        let text = String::from_utf8(whole).unwrap();
        for compact in [
            "\"@type\": [\n        \"coalition:T\",\n        \"schema:Thing\"\n      ],\n      \"@id\": \"entity:a\"",
            "\"rdf:type\": [",
            "{\"@type\": \"xsd:integer\", \"@value\": \"030\"}",
            "{\"@value\": \"x\", \"@language\": \"fr\"}",
            "\"@id\": \"source:g1\",\n      \"@graph\": [",
            "{\"@id\": \"https://schema.org///x\"}",
        ] {
            assert!(text.contains(compact), "{compact}:\n{text}");
        }
        // Empty: a valid document with no quads.
        let empty = doc(&ctx, &[]);
        assert!(parse(&empty).is_empty());
        assert!(String::from_utf8(empty)
            .unwrap()
            .ends_with("\"@graph\": []\n}\n"));
    }

    #[test]
    fn the_data_prefixes_follow_the_base() {
        let base = Base::new("https://example.org/kg#").unwrap();
        let ctx = Context::new(&base);
        let q = Quad::new(
            base.iri("entity", &["a b"]),
            NamedNode::new(format!("{}p", ns::COALITION)).unwrap(),
            base.iri("source", &["s"]),
            GraphName::DefaultGraph,
        );
        let out = doc(&ctx, &[std::slice::from_ref(&q)]);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            text.contains("\"entity\": \"https://example.org/kg#entity/\""),
            "{text}"
        );
        assert!(text.contains("\"@id\": \"entity:a%20b\""), "{text}");
        assert_eq!(parse(&out), canonical([q]));
    }

    /// An absolute IRI whose scheme is a term would read as a compact IRI: refused, not garbled.
    #[test]
    fn an_iri_confused_with_a_prefix_is_an_error() {
        let ctx = Context::new(&Base::default());
        let q = Quad::new(
            NamedNode::new("entity:x").unwrap(),
            NamedNode::new(format!("{}p", ns::COALITION)).unwrap(),
            NamedNode::new("wd:Q1").unwrap(),
            GraphName::DefaultGraph,
        );
        let err = ctx.elements(&[q], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("confused with prefix"), "{err}");
    }
}
