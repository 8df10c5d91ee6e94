//! The knowledge-graph layer: ontology and shapes, the RDF mapping and its serializations,
//! `coalition query`, `coalition build`, and independent checkers (rdflib, pySHACL, Oxigraph CLI).

mod build;
mod checkers;
mod mapping;
mod ontology;
mod order;
#[cfg(feature = "persistent")]
mod persist;
mod query;

use std::collections::BTreeSet;
use std::path::Path;

use coalition::model::Model;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, Quad, Term, Triple};

use crate::util::root;

/// The model of the seed.
pub fn seed_model() -> Model {
    coalition::load(root().join("seeds")).unwrap_or_else(|e| panic!("{e}"))
}

/// Parses `bytes` in `format` into quads.
pub fn parse(bytes: &[u8], format: RdfFormat) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{format} does not parse: {e}"))
}

/// Parses a Turtle file into a graph.
pub fn turtle_file(path: &Path) -> Graph {
    let bytes = std::fs::read(path).unwrap();
    parse(&bytes, RdfFormat::Turtle)
        .into_iter()
        .map(Triple::from)
        .collect()
}

/// `https://coalition.example/ontology#local`.
pub fn co(local: &str) -> NamedNode {
    NamedNode::new(format!("{}{local}", coalition::rdf::ns::COALITION)).unwrap()
}

/// A term of another namespace.
pub fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new(format!("{ns}{local}")).unwrap()
}

/// The members of the RDF list starting at `head`.
pub fn rdf_list(g: &Graph, head: &Term) -> BTreeSet<String> {
    let first = iri(coalition::rdf::ns::RDF, "first");
    let rest = iri(coalition::rdf::ns::RDF, "rest");
    let mut out = BTreeSet::new();
    let mut node = head.clone();
    for _ in 0..1000 {
        let subject = match &node {
            Term::NamedNode(n) if n.as_str().ends_with("#nil") => break,
            Term::NamedNode(n) => oxigraph::model::NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => b.clone().into(),
            _ => panic!("not a list node: {node}"),
        };
        let v = g
            .object_for_subject_predicate(&subject, &first)
            .expect("list node has rdf:first");
        out.insert(match v {
            oxigraph::model::TermRef::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        });
        node = g
            .object_for_subject_predicate(&subject, &rest)
            .expect("list node has rdf:rest")
            .into_owned();
    }
    out
}
