//! What a reload changes in the RDF store: the named graphs of the sources that were added,
//! removed or changed, and the default graph when the entity registry changed
//! (RDF 1.1 datasets: <https://www.w3.org/TR/rdf11-concepts/#section-dataset>).
//!
//! Each source's named graph depends on that source alone ([`mapping::source_quads`]), so a
//! reload maps only the sources that may have changed and applies the difference to the live
//! store in one Oxigraph transaction: a concurrent query sees the old graph or the new one.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use oxigraph::model::{GraphNameRef, NamedNode, Quad};
use oxigraph::store::Store;

use super::error::ServeError;
use crate::model::{Model, SourceFacts};
use crate::rdf::{mapping, Base};

/// The changes to make to a store holding `old` so that it holds `new`.
#[derive(Debug, Default)]
pub struct Delta {
    /// Sources added or changed, with their new quads.
    pub replaced: Vec<(String, Vec<Quad>)>,
    /// Sources removed.
    pub removed: Vec<String>,
    /// The new default graph, when the registry changed.
    pub registry: Option<Vec<Quad>>,
}

impl Delta {
    /// Graphs replaced, added or removed (the default graph counts as one).
    pub fn graphs(&self) -> usize {
        self.replaced.len() + self.removed.len() + usize::from(self.registry.is_some())
    }
}

/// A path with `.` and `..` resolved lexically, so that a text path written as
/// `sources/../texts/a.txt` matches the watcher's `texts/a.txt`.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The delta from `old` to `new`. `changed` holds the (normalized) files whose size or
/// modification time changed since `old` was loaded; a source is mapped again when its fact file
/// or text is among them, or when a cheap comparison of its checked facts (files, text, ids)
/// differs. Its graph is replaced only if its quads differ.
pub fn diff(
    old: &Model,
    new: &Model,
    changed: &BTreeSet<PathBuf>,
    base: &Base,
) -> Result<Delta, ServeError> {
    let store_err = |e: crate::rdf::RdfError| ServeError::Store(e.to_string());
    let mut delta = Delta {
        removed: old
            .sources()
            .filter(|(id, _)| new.source(id).is_none())
            .map(|(id, _)| id.to_string())
            .collect(),
        ..Delta::default()
    };
    for (id, s) in new.sources() {
        let prior = old.source(id);
        let suspect = match prior {
            None => true,
            Some(p) => {
                changed.contains(&normalize(&s.fact_file))
                    || changed.contains(&normalize(&s.text_path))
                    || !same_shape(p, s)
            }
        };
        if !suspect {
            continue;
        }
        let mut quads = mapping::source_quads(base, id, s).map_err(store_err)?;
        if let Some(p) = prior {
            let mut was = mapping::source_quads(base, id, p).map_err(store_err)?;
            mapping::sort(&mut quads);
            mapping::sort(&mut was);
            if quads == was {
                continue;
            }
        }
        delta.replaced.push((id.to_string(), quads));
    }
    let sorted = |m: &Model| -> Result<Vec<Quad>, ServeError> {
        let mut q = mapping::registry_quads(m, base).map_err(store_err)?;
        mapping::sort(&mut q);
        Ok(q)
    };
    let registry = sorted(new)?;
    if registry != sorted(old)? {
        delta.registry = Some(registry);
    }
    Ok(delta)
}

/// Whether two versions of a source agree on what a change of their files would show: the
/// files, the text, and the ids of statements and quotations. Catches changes that left the
/// fact file's size and modification time as they were.
fn same_shape(a: &SourceFacts, b: &SourceFacts) -> bool {
    a.fact_file == b.fact_file
        && a.text_path == b.text_path
        && a.text == b.text
        && a.statements.len() == b.statements.len()
        && a.quotations.len() == b.quotations.len()
        && a.statements
            .iter()
            .zip(&b.statements)
            .all(|(x, y)| x.id == y.id)
        && a.quotations
            .iter()
            .zip(&b.quotations)
            .all(|(x, y)| x.quotation.id == y.quotation.id)
}

/// Applies `delta` to `store` in one transaction: removed sources' graphs are dropped, changed
/// ones cleared and filled again, and the default graph replaced if the registry changed.
pub fn apply(store: &Store, base: &Base, delta: &Delta) -> Result<(), ServeError> {
    let err = |e: oxigraph::store::StorageError| ServeError::Store(e.to_string());
    let graph = |id: &str| -> NamedNode { base.iri("source", &[id]) };
    let mut t = store.start_transaction().map_err(err)?;
    for id in &delta.removed {
        t.remove_named_graph(&graph(id)).map_err(err)?;
    }
    for (id, quads) in &delta.replaced {
        t.clear_graph(&graph(id)).map_err(err)?;
        t.extend(quads);
    }
    if let Some(quads) = &delta.registry {
        t.clear_graph(GraphNameRef::DefaultGraph).map_err(err)?;
        t.extend(quads);
    }
    t.commit().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("seeds/sources/./../texts/a.txt")),
            PathBuf::from("seeds/texts/a.txt")
        );
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(normalize(Path::new("/a/b/../c")), PathBuf::from("/a/c"));
    }
}
