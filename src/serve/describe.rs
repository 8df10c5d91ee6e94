//! The SPARQL 1.1 Service Description (<https://www.w3.org/TR/sparql11-service-description/>)
//! that `GET /sparql` without a query answers, as Oxigraph and Fuseki do: the endpoint, the query
//! language, every result format served, the features, and the default dataset with the triple
//! count (VoID, <https://www.w3.org/TR/void/>) of its default graph and of each named graph.

use std::collections::BTreeMap;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, Term, Triple};
use oxigraph::store::Store;

use super::error::HttpError;

/// The Service Description vocabulary.
pub const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
/// VoID, for triple counts.
pub const VOID: &str = "http://rdfs.org/ns/void#";
/// The W3C format IRIs (<https://www.w3.org/ns/formats/>).
pub const FORMATS: &str = "http://www.w3.org/ns/formats/";
/// The simple entailment regime: answers come from the stored triples only.
const SIMPLE: &str = "http://www.w3.org/ns/entailment/Simple";

/// The W3C names of the formats the endpoint serves: SELECT/ASK results, then graphs.
pub const RESULT_FORMATS: &[&str] = &[
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
];

/// What the description says about the service.
pub struct Service<'a> {
    /// The endpoint's URL.
    pub endpoint: NamedNode,
    /// The store queried; its graphs are counted.
    pub store: &'a Store,
    /// Whether the default graph is the union of the named graphs (it is not in `serve`: it
    /// holds the entity registry).
    pub union_default_graph: bool,
}

/// The description's triples, in a fixed order (named graphs sorted by IRI).
pub fn triples(service: &Service<'_>) -> Result<Vec<Triple>, HttpError> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut default_count = 0;
    for quad in service.store.iter() {
        match quad.map_err(HttpError::internal)?.graph_name {
            GraphName::DefaultGraph => default_count += 1,
            GraphName::NamedNode(g) => *counts.entry(g.into_string()).or_default() += 1,
            // The store is built from the facts, whose graphs are all named by IRIs.
            GraphName::BlankNode(_) => {}
        }
    }
    let mut out = Vec::new();
    let mut add = |s: &BlankNode, p: &str, o: Term| {
        out.push(Triple::new(s.clone(), term(p), o));
    };
    let svc = bnode("service");
    add(&svc, &rdf_type(), term(&format!("{SD}Service")).into());
    add(
        &svc,
        &format!("{SD}endpoint"),
        service.endpoint.clone().into(),
    );
    add(&svc, &format!("{SD}supportedLanguage"), sd("SPARQL11Query"));
    for f in RESULT_FORMATS {
        add(
            &svc,
            &format!("{SD}resultFormat"),
            term(&format!("{FORMATS}{f}")).into(),
        );
    }
    if service.union_default_graph {
        add(&svc, &format!("{SD}feature"), sd("UnionDefaultGraph"));
    }
    add(
        &svc,
        &format!("{SD}defaultEntailmentRegime"),
        term(SIMPLE).into(),
    );
    let dataset = bnode("dataset");
    add(&svc, &format!("{SD}defaultDataset"), dataset.clone().into());
    add(&dataset, &rdf_type(), sd("Dataset"));
    let default = bnode("default_graph");
    add(
        &dataset,
        &format!("{SD}defaultGraph"),
        default.clone().into(),
    );
    add(&default, &rdf_type(), sd("Graph"));
    add(&default, &format!("{VOID}triples"), count(default_count));
    for (i, (name, n)) in counts.iter().enumerate() {
        let named = bnode(&format!("named_{i}"));
        let graph = bnode(&format!("graph_{i}"));
        add(&dataset, &format!("{SD}namedGraph"), named.clone().into());
        add(&named, &rdf_type(), sd("NamedGraph"));
        add(&named, &format!("{SD}name"), term(name).into());
        add(&named, &format!("{SD}graph"), graph.clone().into());
        add(&graph, &rdf_type(), sd("Graph"));
        add(&graph, &format!("{VOID}triples"), count(*n));
    }
    Ok(out)
}

/// `triples` written in `format`, with the `sd:`, `void:` and `formats:` prefixes.
pub fn serialize(triples: &[Triple], format: RdfFormat) -> Result<Vec<u8>, HttpError> {
    let mut ser = RdfSerializer::from_format(format);
    for (name, iri) in [("sd", SD), ("void", VOID), ("formats", FORMATS)] {
        ser = ser.with_prefix(name, iri).map_err(HttpError::internal)?;
    }
    let mut w = ser.for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t).map_err(HttpError::internal)?;
    }
    w.finish().map_err(HttpError::internal)
}

fn term(iri: &str) -> NamedNode {
    // Safe: built from the constant namespaces above or from IRIs the store already holds.
    NamedNode::new_unchecked(iri)
}

fn sd(local: &str) -> Term {
    term(&format!("{SD}{local}")).into()
}

fn rdf_type() -> String {
    rdf::TYPE.as_str().to_string()
}

fn bnode(id: &str) -> BlankNode {
    // Fixed labels keep the output deterministic.
    BlankNode::new_unchecked(id)
}

fn count(n: usize) -> Term {
    Literal::from(n as i64).into()
}
