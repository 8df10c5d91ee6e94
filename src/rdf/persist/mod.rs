//! The graph kept on disk in an Oxigraph RocksDB store (feature `persistent`), in step with the
//! facts source by source, so that `query` answers without reading the corpus again
//! (RDF 1.1 datasets: <https://www.w3.org/TR/rdf11-concepts/#section-dataset>).
//!
//! Beside the store, a manifest records what it was made from: the stamp (size, times, inode) of
//! every fact file and source text, a digest of each source's inputs and one of the registry.
//! [`fresh`] trusts the store only when every stamp is unchanged and settled (as the cache's
//! stat index does, see [`crate::cache::stat`]); otherwise [`patch`] checks the facts
//! incrementally and loads only the changed files, or, when it cannot, the caller checks them in
//! full and [`update`] replaces only the named graphs of the sources whose inputs changed.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oxigraph::model::{GraphNameRef, NamedNode, Quad, Variable};
use oxigraph::sparql::{QueryResults, QuerySolution, QuerySolutionIter};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};

mod patch;

pub use patch::{patch, Patched};

use super::query::{self, DefaultGraph, ResultsFormat};
use super::{mapping, Base, RdfError};
use crate::cache::stat::{self, Stamp};
use crate::cache::{digest, hex, Cache, Key};
use crate::facts::corpus::SourceFacts;
use crate::facts::load::{discover, MAX_FILE_BYTES};
use crate::model::Model;

/// The cache's kind of the answers kept for the store ([`Answers`]).
const ANSWERS: &str = "answers";

/// Version of the store's layout and manifest, part of its key.
const LAYOUT: &[u8] = b"store-1";

/// Above this share of changed sources, the store is loaded again from scratch (the bulk loader
/// is faster than one large transaction, and holds less in memory).
const REBUILD_SHARE: usize = 4;

/// What the store was made from.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// Cache key of the binary, the base and the layout: another one means another mapping.
    key: String,
    /// When the run that wrote it started (ns since the epoch): stamps must be older than this
    /// by [`stat::MARGIN_NS`] to be trusted.
    started: i64,
    /// Stamps of the fact files and source texts read.
    files: BTreeMap<PathBuf, [i64; 4]>,
    /// Digest of each source's inputs (id, fact file, text).
    sources: BTreeMap<String, String>,
    /// Digest of the registry's quads.
    registry: String,
    /// Each source's fact file and text, so that [`patch`] knows which files are whose (empty in
    /// manifests written before it: then the facts are checked in full).
    #[serde(default)]
    source_files: BTreeMap<String, [PathBuf; 2]>,
}

/// Where the store of `base` lives in `cache`, and what it was made from.
pub struct Persisted {
    dir: PathBuf,
    key: String,
}

/// What [`update`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Whether the store was loaded from scratch (new, outdated layout, or most sources changed).
    pub rebuilt: bool,
    /// Sources whose named graph was replaced or added.
    pub replaced: usize,
    /// Sources whose named graph was dropped.
    pub removed: usize,
    /// Whether the default graph (the registry) was replaced.
    pub registry: bool,
}

impl Persisted {
    /// The store of the corpus `cache` belongs to, minted under `base`.
    pub fn new(cache: &Cache, base: &Base) -> Persisted {
        let key = cache
            .key("store", &[LAYOUT, base.as_str().as_bytes()])
            .hex();
        Persisted {
            dir: cache.dir().join("store").join(&key[..16]),
            key,
        }
    }

    /// The store's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The answers kept for the store as it is now, if it has a manifest (read once here).
    pub fn answers(&self) -> Option<Answers> {
        let manifest = fs::read(self.manifest_path()).ok()?;
        Some(Answers {
            manifest: digest(&manifest),
        })
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.json")
    }

    fn rocks(&self) -> PathBuf {
        self.dir.join("rocksdb")
    }

    fn manifest(&self) -> Option<Manifest> {
        let bytes = fs::read(self.manifest_path()).ok()?;
        serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .filter(|m| m.key == self.key)
    }
}

/// The answers kept in the cache for one state of the store. An answer is a pure function of
/// the store and the question, and the store is read-only while fresh; the key includes the
/// manifest's digest, so an answer never outlives the store it was computed on, and [`update`]
/// deletes them all.
pub struct Answers {
    manifest: [u8; 32],
}

impl Answers {
    /// The answer to `question` (the parts of [`query::question`]) kept in `cache`, if any.
    pub fn get(&self, cache: &Cache, question: &[&[u8]]) -> Option<Vec<u8>> {
        cache.get(ANSWERS, &self.key(cache, question))
    }

    /// Keeps `answer` to `question` in `cache` (a failure only means it is not kept).
    pub fn put(&self, cache: &Cache, question: &[&[u8]], answer: &[u8]) {
        let _ = cache.put(ANSWERS, &self.key(cache, question), answer);
    }

    /// Answers `text` on `store` (the union of its graphs, as `query` asks by default) and keeps
    /// the answer in each of `formats`, from one evaluation. Only a SELECT query's answer is
    /// kept; it returns how many rows it has.
    pub fn keep_to(
        &self,
        cache: &Cache,
        store: &Store,
        text: &str,
        formats: &[ResultsFormat],
        base: &Base,
    ) -> Result<Option<usize>, RdfError> {
        let dataset = DefaultGraph::Union;
        let QueryResults::Solutions(solutions) = query::execute(store, text, dataset, Some(base))?
        else {
            return Ok(None);
        };
        let variables: Arc<[Variable]> = solutions.variables().into();
        let rows = solutions
            .map(|row| row.map(|r| r.values().to_vec()))
            .collect::<Result<Vec<_>, _>>()?;
        for &format in formats {
            let again = rows.iter().map(|values| {
                Ok(QuerySolution::from((
                    Arc::clone(&variables),
                    values.clone(),
                )))
            });
            let again = QuerySolutionIter::new(Arc::clone(&variables), again);
            let mut answer = Vec::new();
            query::write_results(again.into(), format, base, &mut answer)?;
            let parts = query::question(text, dataset, format, base);
            self.put(cache, &parts.each_ref().map(Vec::as_slice), &answer);
        }
        Ok(Some(rows.len()))
    }

    fn key(&self, cache: &Cache, question: &[&[u8]]) -> Key {
        let mut parts = vec![self.manifest.as_slice()];
        parts.extend_from_slice(question);
        cache.key(ANSWERS, &parts)
    }
}

/// A store found fresh by [`fresh`], not opened yet: an answer kept for it needs no store.
pub struct Fresh(PathBuf);

impl Fresh {
    /// Opens the store read-only.
    pub fn open(self) -> Result<Store, RdfError> {
        Ok(Store::open_read_only(self.0)?)
    }
}

/// The store, if it holds exactly the facts now in `facts`: same fact files, and every fact
/// file and text unchanged since the store was written. `None` when there is no store yet or
/// anything may have changed (the caller then checks the facts and calls [`update`]); never a
/// store that may be stale.
pub fn fresh(p: &Persisted, facts: &Path) -> Option<Fresh> {
    let m = p.manifest()?;
    let found = discover(facts).ok()?;
    if !found.iter().all(|f| m.files.contains_key(f)) {
        return None;
    }
    // Every recorded file (fact files and texts) must still carry its recorded, settled stamp;
    // a fact file added since is caught above, one removed by its missing stamp.
    m.files
        .keys()
        .all(|path| m.unchanged(path))
        .then(|| Fresh(p.rocks()))
}

/// Brings the store in step with `model` (checked from `facts`, whose fact files' texts are in
/// `texts`; `cache` holds the answers kept for it): only the named graphs of sources whose fact
/// file or text changed are replaced. The manifest is removed first and written last, so a run
/// killed midway leaves no store that claims to be fresh. `started` is when the facts were read
/// (ns since the epoch).
pub fn update(
    p: &Persisted,
    cache: &Cache,
    facts: &Path,
    model: &Model,
    texts: &HashMap<PathBuf, String>,
    base: &Base,
    started: i64,
) -> Result<(Store, Changes), RdfError> {
    let old = p.manifest();
    let _ = fs::remove_file(p.manifest_path());
    // No answer is asked for by this run, so the sweep removes them all.
    let _ = cache.sweep(ANSWERS);
    let mut next = Manifest::new(p, started);
    next.record(model, texts);
    let found = discover(facts).map_err(|e| RdfError::File {
        path: facts.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    next.stamp(
        found
            .into_iter()
            .chain(model.sources().map(|(_, s)| s.text_path.clone())),
    );
    let registry = next.registry(model, base)?;
    let store = match old {
        Some(old) if fs::metadata(p.rocks()).is_ok() => {
            let changed: Vec<&String> = next
                .sources
                .iter()
                .filter(|(id, d)| old.sources.get(*id) != Some(*d))
                .map(|(id, _)| id)
                .collect();
            if changed.len() * REBUILD_SHARE > next.sources.len().max(1) {
                (rebuild(p, model, base)?, Changes::rebuilt())
            } else {
                let store = Store::open(p.rocks())?;
                let changes = apply(&store, model, base, &old, &next, &changed, &registry)?;
                (store, changes)
            }
        }
        _ => (rebuild(p, model, base)?, Changes::rebuilt()),
    };
    write_manifest(p, &next)?;
    Ok(store)
}

impl std::fmt::Display for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.rebuilt {
            return f.write_str("loaded from the facts");
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "brought up to date: {} source graph{} replaced, {} removed, registry {}",
            self.replaced,
            plural(self.replaced),
            self.removed,
            if self.registry {
                "replaced"
            } else {
                "unchanged"
            }
        )
    }
}

impl Changes {
    fn rebuilt() -> Changes {
        Changes {
            rebuilt: true,
            ..Changes::default()
        }
    }
}

/// Replaces, in one transaction, the graphs of the `changed` sources, drops those of removed
/// ones, and the default graph if the registry changed.
fn apply(
    store: &Store,
    model: &Model,
    base: &Base,
    old: &Manifest,
    next: &Manifest,
    changed: &[&String],
    registry: &[Quad],
) -> Result<Changes, RdfError> {
    let graph = |id: &str| -> NamedNode { base.iri("source", &[id]) };
    let mut changes = Changes::default();
    let mut t = store.start_transaction()?;
    for id in old
        .sources
        .keys()
        .filter(|id| !next.sources.contains_key(*id))
    {
        t.remove_named_graph(&graph(id))?;
        changes.removed += 1;
    }
    for id in changed {
        let Some(s) = model.source(id) else { continue };
        t.clear_graph(&graph(id))?;
        t.extend(&mapping::source_quads(base, id, s)?);
        changes.replaced += 1;
    }
    if old.registry != next.registry {
        t.clear_graph(GraphNameRef::DefaultGraph)?;
        t.extend(registry);
        changes.registry = true;
    }
    t.commit()?;
    store.flush()?;
    Ok(changes)
}

/// A new store holding the model's graph, in place of whatever was there.
fn rebuild(p: &Persisted, model: &Model, base: &Base) -> Result<Store, RdfError> {
    let rocks = p.rocks();
    if rocks.exists() {
        fs::remove_dir_all(&rocks).map_err(|source| RdfError::File {
            path: rocks.clone(),
            source,
        })?;
    }
    fs::create_dir_all(&rocks).map_err(|source| RdfError::File {
        path: rocks.clone(),
        source,
    })?;
    let store = Store::open(&rocks)?;
    super::store::fill(&store, model, base)?;
    store.flush()?;
    // The bulk load leaves many small table files; every later `query` opens them all (2.0 s of
    // `ASK {}` at 10,000 sources), so they are merged once here.
    store.optimize()?;
    Ok(store)
}

impl Manifest {
    /// An empty manifest for `p`'s store, made from the facts read at `started`.
    fn new(p: &Persisted, started: i64) -> Manifest {
        Manifest {
            key: p.key.clone(),
            started,
            ..Manifest::default()
        }
    }

    /// Records `model`'s sources: the digest of each one's inputs (`texts`: its fact file's) and
    /// its files.
    fn record(&mut self, model: &Model, texts: &HashMap<PathBuf, String>) {
        for (sid, s) in model.sources() {
            self.sources
                .insert(sid.to_string(), source_digest(sid, s, texts));
            self.source_files
                .insert(sid.to_string(), [s.fact_file.clone(), s.text_path.clone()]);
        }
    }

    /// Records the stamps of `paths` (fact files and texts).
    fn stamp(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        for path in paths {
            // A file that cannot be stamped gets an impossible stamp: the store is never fresh.
            let s = stat::stamp(&path, MAX_FILE_BYTES).map_or([-1; 4], |s| stamp_fields(&s));
            self.files.insert(path, s);
        }
    }

    /// Records the digest of `model`'s registry, and returns its quads, sorted.
    fn registry(&mut self, model: &Model, base: &Base) -> Result<Vec<Quad>, RdfError> {
        let mut quads = mapping::registry_quads(model, base)?;
        mapping::sort(&mut quads);
        let bytes = super::serialize_quads(&quads, super::Format::NQuads, base)?;
        self.registry = hex(&digest(&bytes));
        Ok(quads)
    }

    /// Whether `path` still carries the stamp recorded here, and it is settled (older than the
    /// run that recorded it by the cache's margin).
    fn unchanged(&self, path: &Path) -> bool {
        self.files.get(path).is_some_and(|recorded| {
            stat::stamp(path, MAX_FILE_BYTES)
                .is_some_and(|s| stamp_fields(&s) == *recorded && s.settled(self.started))
        })
    }
}

fn stamp_fields(s: &Stamp) -> [i64; 4] {
    let signed = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    [signed(s.size), s.mtime, s.ctime, signed(s.ino)]
}

/// Digest of what a source's named graph is made from: its id, its fact file and its text.
fn source_digest(sid: &str, s: &SourceFacts, texts: &HashMap<PathBuf, String>) -> String {
    let fact = texts.get(&s.fact_file).map_or("", String::as_str);
    let mut bytes = Vec::with_capacity(sid.len() + fact.len() + s.text.len() + 24);
    for part in [sid, fact, &s.text] {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    hex(&digest(&bytes))
}

/// Writes the manifest through a temporary file renamed into place.
fn write_manifest(p: &Persisted, m: &Manifest) -> Result<(), RdfError> {
    let path = p.manifest_path();
    let file_err = |source| RdfError::File {
        path: path.clone(),
        source,
    };
    let bytes = serde_json::to_vec(m).map_err(|e| file_err(std::io::Error::other(e)))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&p.dir).map_err(file_err)?;
    tmp.write_all(&bytes).map_err(file_err)?;
    tmp.persist(&path).map_err(|e| file_err(e.error))?;
    Ok(())
}
