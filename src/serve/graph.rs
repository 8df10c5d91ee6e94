//! The RDF graph the endpoint queries: the model mapped to triples in an in-memory Oxigraph store
//! (RDF 1.1 concepts: <https://www.w3.org/TR/rdf11-concepts/>).
//!
//! [`load_store`] is the one place the server builds its store, so the mapping can be swapped for
//! the `rdf` module's without touching the handlers. Until then this is a small mapping of its
//! own: entities with their class, labels, aliases and Wikidata link, every statement as a triple,
//! sources with title, date and publisher.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, QuadRef};
use oxigraph::store::Store;

use super::error::ServeError;
use crate::model::{Edge, Model, Node};

/// Namespace of the `coalition:` ontology (classes and properties).
pub const ONTOLOGY: &str = "https://w3id.org/coalition/ontology#";
const SKOS_ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
const DCT_TITLE: &str = "http://purl.org/dc/terms/title";
const DCT_DATE: &str = "http://purl.org/dc/terms/date";
const DCT_PUBLISHER: &str = "http://purl.org/dc/terms/publisher";
const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// The IRI of an entity: `{base}entity/{id}`, which this server dereferences.
pub fn entity_iri(base: &str, id: &str) -> String {
    format!("{base}entity/{id}")
}

/// The IRI of a source: `{base}source/{id}`.
pub fn source_iri(base: &str, id: &str) -> String {
    format!("{base}source/{id}")
}

/// Builds the in-memory store for `model`, minting IRIs under `base` (which ends with `/`).
pub fn load_store(model: &Model, base: &str) -> Result<Store, ServeError> {
    let store = Store::new().map_err(|e| ServeError::Store(e.to_string()))?;
    let err = |e: &dyn std::fmt::Display| ServeError::Store(e.to_string());
    let iri = |s: String| NamedNode::new(s).map_err(|e| err(&e));
    let mut quads: Vec<(NamedNode, NamedNode, oxigraph::model::Term)> = Vec::new();
    for n in model.graph.node_indices() {
        match &model.graph[n] {
            Node::Entity(e) => {
                let s = iri(entity_iri(base, &e.id))?;
                let class = iri(format!("{ONTOLOGY}{}", e.kind.class()))?;
                quads.push((s.clone(), rdf::TYPE.into_owned(), class.into()));
                quads.push((
                    s.clone(),
                    rdfs::LABEL.into_owned(),
                    Literal::new_simple_literal(&e.name).into(),
                ));
                for (lang, label) in &e.labels {
                    if let Ok(l) = Literal::new_language_tagged_literal(label, lang) {
                        quads.push((s.clone(), rdfs::LABEL.into_owned(), l.into()));
                    }
                }
                for alias in &e.aliases {
                    quads.push((
                        s.clone(),
                        iri(SKOS_ALT_LABEL.into())?,
                        Literal::new_simple_literal(alias).into(),
                    ));
                }
                if let Some(q) = &e.wikidata {
                    quads.push((
                        s.clone(),
                        iri(OWL_SAME_AS.into())?,
                        iri(format!("{WIKIDATA}{q}"))?.into(),
                    ));
                }
            }
            Node::Source(id) => {
                let Some(src) = model.corpus.sources.get(id) else {
                    continue;
                };
                let s = iri(source_iri(base, id))?;
                quads.push((
                    s.clone(),
                    rdf::TYPE.into_owned(),
                    iri(format!("{ONTOLOGY}Source"))?.into(),
                ));
                quads.push((
                    s.clone(),
                    iri(DCT_TITLE.into())?,
                    Literal::new_simple_literal(&src.source.title).into(),
                ));
                quads.push((
                    s.clone(),
                    iri(DCT_DATE.into())?,
                    Literal::new_typed_literal(&src.source.date, xsd::STRING).into(),
                ));
                quads.push((
                    s,
                    iri(DCT_PUBLISHER.into())?,
                    iri(entity_iri(base, &src.source.publisher))?.into(),
                ));
            }
            Node::Quotation(..) => {}
        }
    }
    for e in model.graph.edge_indices() {
        let Some((a, b)) = model.graph.edge_endpoints(e) else {
            continue;
        };
        if let (Edge::Statement { predicate, .. }, Node::Entity(s), Node::Entity(o)) =
            (&model.graph[e], &model.graph[a], &model.graph[b])
        {
            quads.push((
                iri(entity_iri(base, &s.id))?,
                iri(format!("{ONTOLOGY}{}", predicate.property()))?,
                iri(entity_iri(base, &o.id))?.into(),
            ));
        }
    }
    for (s, p, o) in &quads {
        store
            .insert(QuadRef::new(s, p, o, GraphNameRef::DefaultGraph))
            .map_err(|e| err(&e))?;
    }
    Ok(store)
}
