//! What the handlers read: the current snapshot of the graph (model, store, named queries) and the
//! banner shown when the last reload failed. A reload swaps the snapshot atomically, so a request
//! always sees one consistent graph.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use oxigraph::store::Store;

use super::error::ServeError;
use super::graph;
use super::queries::{self, NamedQuery};
use crate::diagram::{self, Engine, View};
use crate::facts::{self, diagnostic, Corpus};
use crate::model::Model;
use crate::rdf::Base;

/// Most relations the home page's overview diagram is drawn for.
pub const MAX_DIAGRAM_RELATIONS: usize = 100;

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
    pub model: Model,
    /// Its RDF form.
    pub store: Store,
    /// The named queries offered on the home page.
    pub queries: Vec<NamedQuery>,
    /// The IRI base the store was minted under.
    pub base: Base,
    /// The coalition diagram (SVG), or why it could not be drawn.
    pub diagram: Result<String, String>,
}

/// State shared by every request.
pub struct Shared {
    /// IRI prefix of the minted IRIs, ending with `/`.
    pub base: String,
    /// Query limits.
    pub limits: Limits,
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
            current: RwLock::new(Arc::new(snapshot)),
            problem: RwLock::new(problem),
        }
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
    let checked = facts::check(dir)?;
    if checked.has_errors() {
        return Err(ServeError::Invalid {
            dir: dir.to_path_buf(),
            diagnostics: diagnostic::render(&checked.diagnostics, |p| {
                checked.texts.get(p).cloned()
            }),
        });
    }
    build(checked.corpus, queries_dir, base)
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
    // The embedded layout grows faster than linearly; past a few hundred relations the overview
    // would hold up loading and be unreadable anyway.
    let relations = model.statement_edges().count();
    let diagram = if relations > MAX_DIAGRAM_RELATIONS {
        Err(format!(
            "{relations} relations are too many for the overview (at most \
             {MAX_DIAGRAM_RELATIONS}); draw a part with `coalition diagram --focus ID`"
        ))
    } else {
        diagram::svg(&model, &View::default(), Engine::Embedded).map_err(|e| e.to_string())
    };
    Ok(Snapshot {
        model,
        store,
        queries,
        base,
        diagram,
    })
}
