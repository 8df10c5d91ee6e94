//! Namespaces of the graph: the `coalition:` ontology, the W3C and community vocabularies it
//! reuses, and the configurable base IRI under which data resources are minted.

use oxigraph::model::NamedNode;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::RdfError;

/// The ontology namespace (`ontology/coalition.ttl`). Fixed: it names the vocabulary, not the data,
/// so it does not move with the base IRI.
pub const COALITION: &str = "https://coalition.example/ontology#";
/// The default base IRI of data resources.
pub const DEFAULT_BASE: &str = "https://coalition.example/";

/// RDF (<https://www.w3.org/TR/rdf11-schema/>).
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// OWL 2.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// SKOS (<https://www.w3.org/TR/skos-reference/>).
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// PROV-O (<https://www.w3.org/TR/prov-o/>).
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// W3C Web Annotation vocabulary (<https://www.w3.org/TR/annotation-vocab/>).
pub const OA: &str = "http://www.w3.org/ns/oa#";
/// DCMI Metadata Terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";
/// Wikidata entities, for `owl:sameAs`.
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// Prefixes written in Turtle, TriG and RDF/XML output (the data prefixes are added per base).
pub const PREFIXES: &[(&str, &str)] = &[
    ("coalition", COALITION),
    ("dcterms", DCTERMS),
    ("oa", OA),
    ("owl", OWL),
    ("prov", PROV),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("schema", SCHEMA),
    ("skos", SKOS),
    ("wd", WIKIDATA),
    ("xsd", XSD),
];

/// The base IRI under which entities, sources, statements and quotations are minted:
/// `{base}entity/{id}`, `{base}source/{id}`, `{base}statement/{source}/{id}`,
/// `{base}quotation/{id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base(String);

impl Base {
    /// Checks that `iri` is absolute and ends in `/` or `#`, so that appending ids is safe.
    pub fn new(iri: &str) -> Result<Base, RdfError> {
        if !(iri.ends_with('/') || iri.ends_with('#')) || NamedNode::new(iri).is_err() {
            return Err(RdfError::InvalidBase(iri.to_string()));
        }
        Ok(Base(iri.to_string()))
    }

    /// The base as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Prefixes for the data resources under this base (`entity:`, `source:`, ...).
    pub fn prefixes(&self) -> Vec<(&'static str, String)> {
        ["entity", "quotation", "source", "statement"]
            .iter()
            .map(|k| (*k, format!("{}{k}/", self.0)))
            .collect()
    }

    /// `{base}{kind}/{segments…}`, each segment percent-encoded.
    pub fn iri(&self, kind: &str, segments: &[&str]) -> NamedNode {
        let mut s = format!("{}{kind}", self.0);
        for seg in segments {
            s.push('/');
            s.extend(utf8_percent_encode(seg, SEGMENT));
        }
        // Safe: the base parsed as an IRI and every segment is percent-encoded.
        NamedNode::new_unchecked(s)
    }
}

impl Default for Base {
    fn default() -> Self {
        Base(DEFAULT_BASE.to_string())
    }
}

/// What a path segment percent-encodes: everything but RFC 3986 unreserved characters (ids are
/// slugs, so this only matters for literal-valued default statement ids and untrusted data).
pub const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A term of a namespace, e.g. `term(PROV, "wasDerivedFrom")`.
pub fn term(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_must_be_absolute_and_end_with_a_separator() {
        assert!(Base::new("https://example.org/kg/").is_ok());
        assert!(Base::new("https://example.org/kg#").is_ok());
        assert!(Base::new("https://example.org/kg").is_err());
        assert!(Base::new("relative/").is_err());
    }

    #[test]
    fn segments_are_percent_encoded() {
        let b = Base::default();
        assert_eq!(
            b.iri("statement", &["s", "a.number_of_members.about 30"])
                .as_str(),
            "https://coalition.example/statement/s/a.number_of_members.about%2030"
        );
    }
}
