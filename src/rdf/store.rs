//! Loads the graph into an Oxigraph store (in memory, or on disk with [`super::persist`]) with the bulk loader, ready for SPARQL.

use oxigraph::model::Quad;
use oxigraph::store::Store;

use super::{mapping, Base, RdfError};
use crate::model::{Model, SourceFacts};
use crate::progress::Reporter;

/// A fresh in-memory store holding `quads`.
pub fn load(quads: &[Quad]) -> Result<Store, RdfError> {
    let store = Store::new()?;
    let mut loader = store.bulk_loader();
    loader.load_quads(quads.iter().cloned())?;
    loader.commit()?;
    Ok(store)
}

/// Sources mapped (on every core) per batch handed to the bulk loader.
const BATCH: usize = 256;

/// A fresh in-memory store holding the model's graph under `base`: the quads of
/// [`mapping::quads`], streamed to the bulk loader a batch of sources at a time instead of
/// gathered and sorted first, so that millions of quads are not held twice.
pub fn from_model(model: &Model, base: &Base) -> Result<Store, RdfError> {
    let store = Store::new()?;
    fill(&store, model, base)?;
    Ok(store)
}

/// Loads the model's graph into `store` (empty, in memory or on disk) with the bulk loader.
///
/// Each batch of [`BATCH`] sources goes to the loader in one call: a call per source made a
/// loader batch per source, and on disk a few table files per source (40,000 at 10,000 sources,
/// all read each time the store is opened).
pub fn fill(store: &Store, model: &Model, base: &Base) -> Result<(), RdfError> {
    let mut loader = store.bulk_loader();
    loader.load_quads(mapping::registry_quads(model, base)?)?;
    let sources: Vec<(&str, &SourceFacts)> = model.sources().map(|(id, s)| (id, &**s)).collect();
    let rep = Reporter::silent();
    for batch in sources.chunks(BATCH) {
        let mapped = rep
            .bar("map", batch.len() as u64)
            .map(batch, |(sid, s)| mapping::source_quads(base, sid, s));
        let mapped: Vec<Vec<Quad>> = mapped.into_iter().collect::<Result<_, _>>()?;
        loader.load_quads(mapped.into_iter().flatten())?;
    }
    loader.commit()?;
    Ok(())
}
