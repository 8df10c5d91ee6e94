//! The RDF graph the endpoint queries: the model mapped to quads by [`crate::rdf`] and loaded into
//! an in-memory Oxigraph store (RDF 1.1 concepts: <https://www.w3.org/TR/rdf11-concepts/>).
//!
//! [`load_store`] is the one place the server builds its store. Entity and source IRIs are minted
//! under the server's base (`http://{bind}/` by default), so they dereference to its pages.

use oxigraph::model::Quad;
use oxigraph::store::Store;

use super::error::ServeError;
use crate::model::Model;
use crate::rdf::{self, Base};

/// The checked base IRI.
pub fn base(iri: &str) -> Result<Base, ServeError> {
    Base::new(iri).map_err(|e| ServeError::Store(e.to_string()))
}

/// The IRI of an entity: `{base}entity/{id}`, which this server dereferences.
pub fn entity_iri(base: &Base, id: &str) -> String {
    base.iri("entity", &[id]).into_string()
}

/// Builds the in-memory store for `model`, minting IRIs under `base` ([`rdf::store::from_model`]).
pub fn load_store(model: &Model, base: &Base) -> Result<Store, ServeError> {
    rdf::store::from_model(model, base).map_err(|e| ServeError::Store(e.to_string()))
}

/// Serializes quads as triples (graphs merged, sorted, deduplicated) in `format`, with the
/// graph's prefixes.
pub fn write_triples(
    quads: &[Quad],
    format: rdf::Format,
    base: &Base,
) -> Result<Vec<u8>, ServeError> {
    rdf::serialize_quads(quads, format, base).map_err(|e| ServeError::Store(e.to_string()))
}
