//! The RDF graph the endpoint queries: the model mapped to quads by [`crate::rdf`] and loaded into
//! an in-memory Oxigraph store (RDF 1.1 concepts: <https://www.w3.org/TR/rdf11-concepts/>).
//!
//! [`load_store`] is the one place the server builds its store. Entity and source IRIs are minted
//! under the server's base (`http://{bind}/` by default), so they dereference to its pages.

use oxigraph::model::Quad;
use oxigraph::store::Store;

use super::error::ServeError;
use crate::facts::corpus::SourceFacts;
use crate::model::Model;
use crate::progress::Reporter;
use crate::rdf::mapping;
use crate::rdf::{self, Base, RdfError};

/// Sources mapped (on every core) per batch handed to the bulk loader.
const BATCH: usize = 256;

/// The checked base IRI.
pub fn base(iri: &str) -> Result<Base, ServeError> {
    Base::new(iri).map_err(|e| ServeError::Store(e.to_string()))
}

/// The IRI of an entity: `{base}entity/{id}`, which this server dereferences.
pub fn entity_iri(base: &Base, id: &str) -> String {
    base.iri("entity", &[id]).into_string()
}

/// Builds the in-memory store for `model`, minting IRIs under `base`: the same quads as
/// [`rdf::store::from_model`], but streamed to the bulk loader a batch of sources at a time
/// instead of gathered and sorted first, so that millions of quads are not held twice.
pub fn load_store(model: &Model, base: &Base) -> Result<Store, ServeError> {
    stream(model, base).map_err(|e| ServeError::Store(e.to_string()))
}

fn stream(model: &Model, base: &Base) -> Result<Store, RdfError> {
    let store = Store::new()?;
    let mut loader = store.bulk_loader();
    loader.load_quads(mapping::registry_quads(model, base)?)?;
    let sources: Vec<(&String, &SourceFacts)> = model.corpus.sources.iter().collect();
    let rep = Reporter::silent();
    for batch in sources.chunks(BATCH) {
        let mapped = rep
            .bar("map", batch.len() as u64)
            .map(batch, |(sid, s)| mapping::source_quads(base, sid, s));
        for quads in mapped {
            loader.load_quads(quads?)?;
        }
    }
    loader.commit()?;
    Ok(store)
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
