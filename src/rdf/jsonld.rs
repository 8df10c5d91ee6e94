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
//! `@type` or `@language`, values always strings so that lexical forms survive. An absolute IRI
//! whose scheme is a prefix (`wd:Q1`, which JSON-LD would expand as a compact IRI) gets a scoped
//! `"@context": {"wd": null}` on its node object.
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

    /// `iri` as a compact IRI when a prefix among the terms not in `off` applies, else whole.
    /// JSON-LD reads `p:s` as a compact IRI whenever `p` is a term and `s` does not start with
    /// `//` (IRI expansion, step 6), so a prefix is used only then; a whole IRI of that shape
    /// gives `Err(p)`: the caller turns `p` off with a scoped context (`{"p": null}`) and
    /// writes the object again.
    fn compact<'a, 's>(&'s self, iri: &'a str, off: &[&str]) -> Result<Cow<'a, str>, &'s str> {
        for &i in &self.by_length {
            let (term, ns) = &self.terms[i];
            if let Some(suffix) = iri.strip_prefix(ns.as_str()) {
                if !suffix.is_empty() && !suffix.starts_with("//") && !off.contains(&term.as_str())
                {
                    return Ok(Cow::Owned(format!("{term}:{suffix}")));
                }
            }
        }
        if let Some((scheme, rest)) = iri.split_once(':') {
            if !rest.starts_with("//") && !off.contains(&scheme) {
                if let Some((term, _)) = self.terms.iter().find(|(t, _)| t == scheme) {
                    return Err(term);
                }
            }
        }
        Ok(Cow::Borrowed(iri))
    }

    fn id<'a, 's>(
        &'s self,
        n: NamedOrBlankNodeRef<'a>,
        off: &[&str],
    ) -> Result<Cow<'a, str>, &'s str> {
        match n {
            NamedOrBlankNodeRef::NamedNode(n) => self.compact(n.as_str(), off),
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
                GraphNameRef::NamedNode(n) => Some(n.as_str().to_string()),
                GraphNameRef::BlankNode(b) => Some(format!("_:{}", b.as_str())),
            };
            match name {
                None => self.nodes(&quads[i..end], 2, &[], out),
                Some(name) => {
                    // The scoped context of a graph name confused with a prefix holds for the
                    // graph's nodes too.
                    let (name, off) = match self.compact(&name, &[]) {
                        Ok(n) => (n.into_owned(), Vec::new()),
                        Err(term) => (name.clone(), vec![term]),
                    };
                    out.extend_from_slice(b",\n    {\n      ");
                    scoped(&off, 3, out);
                    out.extend_from_slice(b"\"@id\": ");
                    string(&name, out);
                    out.extend_from_slice(b",\n      \"@graph\": [");
                    let mut nodes = Vec::new();
                    self.nodes(&quads[i..end], 4, &off, &mut nodes);
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
    /// indentation of `level`; the terms of `off` are turned off by an enclosing context.
    fn nodes(&self, quads: &[Quad], level: usize, off: &[&str], out: &mut Vec<u8>) {
        let mut i = 0;
        while i < quads.len() {
            let subject = quads[i].subject.as_ref();
            let end = i + quads[i..]
                .iter()
                .take_while(|q| q.subject.as_ref() == subject)
                .count();
            out.extend_from_slice(b",\n");
            indent(level, out);
            // Each IRI confused with a prefix turns that prefix off for the node, then the
            // node is written again: at most once per term.
            let mut local: Vec<&str> = Vec::new();
            let start = out.len();
            loop {
                let all: Vec<&str> = off.iter().chain(&local).copied().collect();
                match self.node(subject, &quads[i..end], level, (&local, &all), out) {
                    Ok(()) => break,
                    Err(term) => {
                        out.truncate(start);
                        local.push(term);
                    }
                }
            }
            i = end;
        }
    }

    /// One node object; `local` are the terms its own scoped context turns off, `all` those
    /// turned off here or above.
    fn node<'s>(
        &'s self,
        subject: NamedOrBlankNodeRef<'_>,
        quads: &[Quad],
        level: usize,
        (local, all): (&[&str], &[&str]),
        out: &mut Vec<u8>,
    ) -> Result<(), &'s str> {
        let mut types: Vec<Cow<'_, str>> = Vec::new();
        let mut properties: BTreeMap<Cow<'_, str>, Vec<TermRef<'_>>> = BTreeMap::new();
        for q in quads {
            match q.object.as_ref() {
                TermRef::NamedNode(n) if q.predicate.as_str() == RDF_TYPE => {
                    types.push(self.compact(n.as_str(), all)?);
                }
                object => properties
                    .entry(self.compact(q.predicate.as_str(), all)?)
                    .or_default()
                    .push(object),
            }
        }
        out.extend_from_slice(b"{\n");
        indent(level + 1, out);
        // `@context`, then `@type`, then `@id` before the properties: JSON-LD's streaming
        // document form, which Oxigraph's streaming parser requires.
        scoped(local, level + 1, out);
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
        string(&self.id(subject, all)?, out);
        for (p, objects) in properties {
            out.extend_from_slice(b",\n");
            indent(level + 1, out);
            string(&p, out);
            out.extend_from_slice(b": ");
            let values = objects
                .into_iter()
                .map(|o| self.value(o, all))
                .collect::<Result<Vec<_>, _>>()?;
            list(&values, level + 1, out);
        }
        out.push(b'\n');
        indent(level, out);
        out.push(b'}');
        Ok(())
    }

    /// A value on one line: `{"@id": …}`, a JSON string, or a value object.
    fn value<'s>(&'s self, v: TermRef<'_>, off: &[&str]) -> Result<Vec<u8>, &'s str> {
        let mut out = Vec::new();
        match v {
            TermRef::NamedNode(n) => {
                out.extend_from_slice(b"{\"@id\": ");
                string(&self.compact(n.as_str(), off)?, &mut out);
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
                    string(&self.compact(l.datatype().as_str(), off)?, &mut out);
                    out.extend_from_slice(b", \"@value\": ");
                    string(l.value(), &mut out);
                    out.push(b'}');
                }
            }
            #[allow(unreachable_patterns)]
            other => {
                // RDF 1.2 triple terms are not enabled; keep the output valid JSON anyway.
                out.extend_from_slice(b"{\"@id\": ");
                string(&other.to_string(), &mut out);
                out.push(b'}');
            }
        }
        Ok(out)
    }
}

/// A scoped context turning the terms of `off` off (`"@context": {"t": null},` and the next
/// line's indentation at `level`), or nothing.
fn scoped(off: &[&str], level: usize, out: &mut Vec<u8>) {
    if off.is_empty() {
        return;
    }
    let mut terms = off.to_vec();
    terms.sort_unstable();
    out.extend_from_slice(b"\"@context\": {");
    for (k, t) in terms.iter().enumerate() {
        if k > 0 {
            out.extend_from_slice(b", ");
        }
        string(t, out);
        out.extend_from_slice(b": null");
    }
    out.extend_from_slice(b"},\n");
    indent(level, out);
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
#[path = "jsonld_tests.rs"]
mod tests;
