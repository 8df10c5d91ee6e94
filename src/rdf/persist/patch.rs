//! The store brought up to date after a few fact files changed, reading only those (RDF 1.1
//! datasets: <https://www.w3.org/TR/rdf11-concepts/#section-dataset>).
//!
//! The whole corpus is checked with the cache's incremental check
//! ([`facts::incremental::check`]: unchanged clean sources are neither read nor validated, the
//! cross-file rules still see every file). When it is clean, only the files that are not an
//! unchanged source's (the registry, and the changed or new sources) are loaded and validated
//! again, a model is made of them, and their graphs replace the old ones in one transaction: a
//! source's graph depends on its own files alone, and the default graph on the registry alone.
//! The changed sources must agree with the full check's counts (sources, entities); anything
//! unexpected gives `None`, and the caller checks the facts in full and calls [`super::update`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;
use oxigraph::store::Store;

use super::{apply, write_manifest, Changes, Manifest, Persisted};
use super::{ANSWERS, REBUILD_SHARE};
use crate::cache::Cache;
use crate::facts::incremental::{self, Report};
use crate::facts::load::discover;
use crate::facts::{batch, shard};
use crate::model::Model;
use crate::progress::Reporter;
use crate::rdf::{Base, RdfError};

/// What [`patch`] found.
pub enum Patched {
    /// The facts are invalid: the incremental check's diagnostics (the store is untouched).
    Invalid(Report),
    /// The store, brought up to date.
    Done(Store, Changes),
}

/// Brings the store in step with the facts in `facts`, loading only the changed files; `None`
/// when it cannot (no store or manifest yet, most sources changed, or a disagreement), and the
/// caller then checks in full. `started` is when the facts were first looked at (ns since the
/// epoch).
pub fn patch(
    p: &Persisted,
    cache: &Cache,
    facts: &Path,
    base: &Base,
    started: i64,
    rep: &Reporter,
) -> Result<Option<Patched>, RdfError> {
    let Some(old) = p.manifest() else {
        return Ok(None);
    };
    if old.source_files.len() != old.sources.len() || std::fs::metadata(p.rocks()).is_err() {
        return Ok(None);
    }
    let Ok(report) = rep.stage("check", || incremental::check(facts, cache, rep)) else {
        return Ok(None);
    };
    if report.has_errors() {
        return Ok(Some(Patched::Invalid(report)));
    }
    let Ok(found) = discover(facts) else {
        return Ok(None);
    };
    let stale = stale(&old);
    if stale.len() * REBUILD_SHARE > old.sources.len().max(1) {
        return Ok(None);
    }
    let kept: BTreeMap<&str, &[PathBuf; 2]> = old
        .source_files
        .iter()
        .filter(|(id, _)| !stale.contains(id.as_str()))
        .map(|(id, files)| (id.as_str(), files))
        .collect();
    let Some((model, texts)) = changed_model(cache, &found, &kept, &report, rep) else {
        return Ok(None);
    };
    let (next, registry) =
        next_manifest(p, started, (&old, &kept), (&model, &texts), &found, base)?;
    let changed: Vec<&String> = model
        .sources()
        .map(|(id, _)| next.sources.get_key_value(id))
        .filter_map(|kv| kv.filter(|(id, d)| old.sources.get(*id) != Some(*d)))
        .map(|(id, _)| id)
        .collect();
    // The manifest goes first and comes back last, so a run killed midway leaves no store that
    // claims to be fresh; the answers kept for the old store go with it.
    let _ = std::fs::remove_file(p.manifest_path());
    let _ = cache.sweep(ANSWERS);
    let store = Store::open(p.rocks())?;
    let changes = apply(&store, &model, base, &old, &next, &changed, &registry)?;
    write_manifest(p, &next)?;
    Ok(Some(Patched::Done(store, changes)))
}

/// The model of the registry and of the sources not in `kept` (validated against the registry),
/// with the texts of their fact files; `None` if they do not agree with the full check.
fn changed_model(
    cache: &Cache,
    found: &[PathBuf],
    kept: &BTreeMap<&str, &[PathBuf; 2]>,
    report: &Report,
    rep: &Reporter,
) -> Option<(Model, HashMap<PathBuf, String>)> {
    let unchanged: BTreeSet<&Path> = kept.values().map(|f| f[0].as_path()).collect();
    let selected: Vec<PathBuf> = found
        .iter()
        .filter(|f| !unchanged.contains(f.as_path()))
        .cloned()
        .collect();
    let checked = rep.stage("parse", || {
        let (files, diags) = batch::load_all(
            &selected,
            Some(cache),
            &rep.bar("parse", selected.len() as u64),
        );
        shard::validate(files, diags, rayon::current_num_threads())
    });
    let corpus = &checked.corpus;
    let agrees = !checked.has_errors()
        && corpus.sources.len() + kept.len() == report.sources
        && corpus.entities.len() == report.entities
        && corpus
            .sources
            .keys()
            .all(|id| !kept.contains_key(id.as_str()));
    agrees.then(|| (Model::build(checked.corpus), checked.texts))
}

/// The manifest after the patch: the `kept` sources as `old` recorded them, the model's anew,
/// the stamps of every fact file `found` and text; and the registry's sorted quads.
fn next_manifest(
    p: &Persisted,
    started: i64,
    (old, kept): (&Manifest, &BTreeMap<&str, &[PathBuf; 2]>),
    (model, texts): (&Model, &HashMap<PathBuf, String>),
    found: &[PathBuf],
    base: &Base,
) -> Result<(Manifest, Vec<Quad>), RdfError> {
    let mut next = Manifest::new(p, started);
    for (id, files) in kept {
        next.sources
            .insert(id.to_string(), old.sources[*id].clone());
        next.source_files.insert(id.to_string(), (*files).clone());
    }
    next.record(model, texts);
    let texts_now: Vec<PathBuf> = next.source_files.values().map(|f| f[1].clone()).collect();
    next.stamp(found.iter().cloned().chain(texts_now));
    let registry = next.registry(model, base)?;
    Ok((next, registry))
}

/// The recorded sources whose fact file or text changed, went away or is not settled.
fn stale(old: &Manifest) -> BTreeSet<&str> {
    old.source_files
        .iter()
        .filter(|(_, [fact, text])| !old.unchanged(fact) || !old.unchanged(text))
        .map(|(id, _)| id.as_str())
        .collect()
}
