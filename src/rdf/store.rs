//! Loads the graph into an in-memory Oxigraph store with the bulk loader, ready for SPARQL.

use oxigraph::model::Quad;
use oxigraph::store::Store;

use super::{mapping, Base, RdfError};
use crate::model::Model;

/// A fresh in-memory store holding `quads`.
pub fn load(quads: &[Quad]) -> Result<Store, RdfError> {
    let store = Store::new()?;
    let mut loader = store.bulk_loader();
    loader.load_quads(quads.iter().cloned())?;
    loader.commit()?;
    Ok(store)
}

/// A fresh in-memory store holding the model's graph under `base`.
pub fn from_model(model: &Model, base: &Base) -> Result<Store, RdfError> {
    load(&mapping::quads(model, base)?)
}
