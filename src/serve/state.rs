//! What the handlers read: the current snapshot of the graph (model, store, named queries) and the
//! banner shown when the last reload failed. A reload swaps the snapshot atomically, so a request
//! always sees one consistent graph; [`reload`] replaces only the changed sources' named graphs in
//! the store it shares with the previous snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use oxigraph::store::Store;

use super::answers::Answers;
use super::delta;
use super::error::ServeError;
use super::graph;
use super::guard::Guard;
use super::queries::{self, NamedQuery};
use super::recheck;
use crate::cache::Cache;
use crate::diagram::{self, Engine, View};
use crate::facts::{self, diagnostic, Corpus};
use crate::model::Model;
use crate::progress::Reporter;
use crate::rdf::Base;

/// Most relations the home page's overview diagram is drawn for.
pub use crate::diagram::MAX_DIAGRAM_RELATIONS;

/// Limits and settings the handlers apply.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest a query may run.
    pub timeout: Duration,
    /// Most solutions (or triples) a query may return.
    pub max_results: usize,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
}

/// One loaded version of the facts.
pub struct Snapshot {
    /// The graph model.
    pub model: Arc<Model>,
    /// Its RDF form.
    pub store: Store,
    /// The named queries offered on the home page.
    pub queries: Vec<NamedQuery>,
    /// The IRI base the store was minted under.
    pub base: Base,
    /// The coalition diagram (SVG), or why it could not be drawn.
    pub diagram: Result<String, String>,
    /// Answers already computed on this snapshot's store.
    pub answers: Answers,
}

/// State shared by every request.
pub struct Shared {
    /// IRI prefix of the minted IRIs, ending with `/`.
    pub base: String,
    /// Query limits.
    pub limits: Limits,
    /// How many queries run at once.
    pub guard: Guard,
    /// Whether each snapshot's named queries are answered ahead (see [`super::ahead`]).
    pub answer_ahead: bool,
    current: RwLock<Arc<Snapshot>>,
    problem: RwLock<Option<String>>,
}

/// The handlers' state.
pub type AppState = Arc<Shared>;

impl Shared {
    /// State serving `snapshot`, with `problem` shown in a banner when given.
    pub fn new(base: String, limits: Limits, snapshot: Snapshot, problem: Option<String>) -> Self {
        Shared {
            base,
            limits,
            guard: Guard::default(),
            answer_ahead: false,
            current: RwLock::new(Arc::new(snapshot)),
            problem: RwLock::new(problem),
        }
    }

    /// This state with another concurrency [`Guard`].
    pub fn with_guard(mut self, guard: Guard) -> Self {
        self.guard = guard;
        self
    }

    /// This state answering each snapshot's named queries ahead, or not.
    pub fn with_answers_ahead(mut self, ahead: bool) -> Self {
        self.answer_ahead = ahead;
        self
    }

    /// The snapshot to answer from.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The diagnostics of the last failed reload, if the served graph is stale.
    pub fn problem(&self) -> Option<String> {
        match self.problem.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Serves `snapshot` from now on and clears the banner.
    pub fn replace(&self, snapshot: Snapshot) {
        let mut g = self.current.write().unwrap_or_else(|p| p.into_inner());
        *g = Arc::new(snapshot);
        *self.problem.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Keeps the current snapshot and shows `problem` in a banner.
    pub fn fail(&self, problem: String) {
        *self.problem.write().unwrap_or_else(|p| p.into_inner()) = Some(problem);
    }
}

/// Loads and checks the facts in `dir` and builds a snapshot; invalid facts give
/// [`ServeError::Invalid`] with the rendered diagnostics.
pub fn load(dir: &Path, queries_dir: &Path, base: &str) -> Result<Snapshot, ServeError> {
    load_with(dir, queries_dir, base, None)
}

/// [`load`], reusing (and filling) `cache` for the parses of the fact files.
pub fn load_with(
    dir: &Path,
    queries_dir: &Path,
    base: &str,
    cache: Option<&Cache>,
) -> Result<Snapshot, ServeError> {
    build(check(dir, cache)?, queries_dir, base)
}

/// The checked corpus, or [`ServeError::Invalid`].
fn check(dir: &Path, cache: Option<&Cache>) -> Result<Corpus, ServeError> {
    let checked = facts::check_with(dir, cache, &Reporter::silent())?;
    if checked.has_errors() {
        return Err(ServeError::Invalid {
            dir: dir.to_path_buf(),
            diagnostics: diagnostic::render(&checked.diagnostics, |p| {
                checked.texts.get(p).cloned()
            }),
        });
    }
    Ok(checked.corpus)
}

/// What a [`reload`] did, for its log line.
#[derive(Clone, Debug, Default)]
pub struct Reloaded {
    /// Graphs replaced, added or removed (the default graph counts as one).
    pub replaced: usize,
    /// Graphs in the new store: one per source, and the default graph.
    pub graphs: usize,
    /// Whether the store was loaded afresh rather than changed in place.
    pub fresh: bool,
    /// Whether every source was validated again (no cache, or the patch was not trusted).
    pub full_check: bool,
    /// The part of [`Reloaded::check`] spent in the incremental check of the whole corpus.
    pub incremental: Duration,
    /// Time spent checking the facts, building the model, and changing the store.
    pub check: Duration,
    /// See [`Reloaded::check`].
    pub model: Duration,
    /// See [`Reloaded::check`].
    pub store: Duration,
}

/// The snapshot after the facts in `dir` (or only the queries) changed. `changed` holds the
/// files (normalized with [`delta::normalize`]) whose size or modification time differs from
/// when `old` was loaded; `None` means the facts did not change. With a cache, the corpus is
/// checked incrementally and only the changed sources validated again (`recheck`), else in
/// full. Sources whose graphs did not change keep them: the delta is applied to `old`'s store in one transaction, unless most of
/// the graph changed (or `old` was empty), where a fresh bulk load is faster.
///
/// Invalid facts give [`ServeError::Invalid`] and leave `old`, store included, untouched.
pub fn reload(
    old: &Snapshot,
    dir: &Path,
    queries_dir: &Path,
    cache: Option<&Cache>,
    changed: Option<&BTreeSet<PathBuf>>,
) -> Result<(Snapshot, Reloaded), ServeError> {
    let queries = queries::load(queries_dir)?;
    let graphs = old.model.source_count() + 1;
    let Some(changed) = changed else {
        let snapshot = Snapshot {
            model: old.model.clone(),
            store: old.store.clone(),
            queries,
            base: old.base.clone(),
            diagram: old.diagram.clone(),
            answers: Answers::default(),
        };
        let r = Reloaded {
            graphs,
            ..Reloaded::default()
        };
        return Ok((snapshot, r));
    };
    let mut r = Reloaded::default();
    let started = Instant::now();
    let patch = match cache {
        Some(c) if old.model.source_count() > 0 => {
            let (patch, took) = recheck::patched(&old.model, dir, c, changed)?;
            r.incremental = took;
            patch
        }
        _ => None,
    };
    r.full_check = patch.is_none();
    let corpus = match patch {
        Some(c) => c,
        None => check(dir, cache)?,
    };
    r.check = started.elapsed();
    let started = Instant::now();
    let model = Model::build(corpus);
    r.model = started.elapsed();
    let started = Instant::now();
    let base = old.base.clone();
    r.graphs = model.source_count() + 1;
    let d = delta::diff(&old.model, &model, changed, &base)?;
    r.replaced = d.graphs();
    // A transaction holds its changes in memory (Oxigraph's advice is not to load millions of
    // quads through one); past half of the graph, a fresh bulk load is also faster.
    r.fresh = old.model.source_count() == 0 || 2 * d.replaced.len() > r.graphs;
    let store = if r.fresh {
        r.replaced = r.graphs;
        graph::load_store(&model, &base)?
    } else {
        delta::apply(&old.store, &base, &d)?;
        old.store.clone()
    };
    r.store = started.elapsed();
    let diagram = overview(&model);
    let snapshot = Snapshot {
        model: Arc::new(model),
        store,
        queries,
        base,
        diagram,
        answers: Answers::default(),
    };
    Ok((snapshot, r))
}

/// A snapshot with no facts, served in `--watch` mode until the facts become valid.
pub fn empty(queries_dir: &Path, base: &str) -> Result<Snapshot, ServeError> {
    build(Corpus::default(), queries_dir, base)
}

fn build(corpus: Corpus, queries_dir: &Path, base: &str) -> Result<Snapshot, ServeError> {
    let base = graph::base(base)?;
    let model = Model::build(corpus);
    let store = graph::load_store(&model, &base)?;
    let queries = queries::load(queries_dir)?;
    let diagram = overview(&model);
    Ok(Snapshot {
        model: Arc::new(model),
        store,
        queries,
        base,
        diagram,
        answers: Answers::default(),
    })
}

/// The home page's overview diagram, or why it is not drawn.
fn overview(model: &Model) -> Result<String, String> {
    // The embedded layout grows faster than linearly; past a few hundred relations the overview
    // would hold up loading and be unreadable anyway.
    let relations = model.statement_edges().count();
    if relations > MAX_DIAGRAM_RELATIONS {
        Err(format!(
            "{relations} relations are too many for the overview (at most \
             {MAX_DIAGRAM_RELATIONS}); draw a part with `coalition diagram --focus ID`"
        ))
    } else {
        diagram::svg(model, &View::default(), Engine::Embedded).map_err(|e| e.to_string())
    }
}
