#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub(crate) mod analysis;
pub mod cache;
pub mod cli;
pub(crate) mod curation;
pub mod diagram;
pub mod export;
pub mod facts;
pub(crate) mod lsp;
pub mod model;
pub(crate) mod progress;
pub(crate) mod push;
pub mod rdf;
pub mod serve;
pub(crate) mod suggest;
pub mod synth;
pub(crate) mod xml;

use std::path::{Path, PathBuf};

pub use model::Model;

/// Why the library's entry points ([`load`], [`to_rdf`], [`query`], [`dot`]) gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The facts folder could not be read.
    #[error(transparent)]
    Facts(#[from] facts::FactsError),
    /// The fact files have errors.
    #[error("the facts under {} are invalid:\n{diagnostics}", dir.display())]
    Invalid {
        /// The facts folder.
        dir: PathBuf,
        /// Every problem, as `coalition check` prints them.
        diagnostics: String,
    },
    /// Mapping, serializing or querying the RDF failed.
    #[error(transparent)]
    Rdf(#[from] rdf::RdfError),
    /// The diagram could not be made.
    #[error(transparent)]
    Diagram(#[from] diagram::DiagramError),
}

/// Loads and checks the fact files under `dir` and builds their [`Model`], the one input of every
/// output (RDF, SPARQL, diagrams, exports, analyses).
///
/// ```
/// let model = coalition::load("seeds")?;
/// let eff = model.entity_record("eff").unwrap();
/// assert_eq!(eff.name, "Electronic Frontier Foundation");
/// let (id, source) = model.sources().next().unwrap();
/// assert_eq!((id, source.source.language.as_str()), ("afp-2018-05-rekognition-letter", "fr"));
/// # Ok::<(), coalition::Error>(())
/// ```
pub fn load(dir: impl AsRef<Path>) -> Result<Model, Error> {
    let dir = dir.as_ref();
    let checked = facts::check(dir)?;
    if checked.has_errors() {
        let texts = &checked.texts;
        return Err(Error::Invalid {
            dir: dir.to_path_buf(),
            diagnostics: facts::diagnostic::render(&checked.diagnostics, |p| texts.get(p).cloned()),
        });
    }
    Ok(Model::build(checked.corpus))
}

/// The model's RDF in `format`, under the default base IRI: for N-Quads, TriG, Turtle and
/// JSON-LD, the bytes `coalition build` writes to `graphs/`.
///
/// ```
/// let model = coalition::load("seeds")?;
/// let nquads = coalition::to_rdf(&model, coalition::rdf::Format::NQuads)?;
/// assert_eq!(nquads, std::fs::read("graphs/coalition.nq")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_rdf(model: &Model, format: rdf::Format) -> Result<Vec<u8>, Error> {
    Ok(rdf::serialize(model, format, &rdf::Base::default())?)
}

/// Runs a SPARQL query on the model's graph (the default graph is the union of all graphs, as
/// in `coalition query`) and gives the results as SPARQL CSV. Loads the model into a fresh
/// in-memory store each time: for many queries, keep a store from
/// [`rdf::store::from_model`].
///
/// ```
/// let model = coalition::load("seeds")?;
/// let csv = coalition::query(
///     &model,
///     "SELECT ?name WHERE { ?s coalition:statementPredicate coalition:signed ;
///                              coalition:statementSubject/skos:prefLabel ?name }
///      ORDER BY ?name",
/// )?;
/// assert!(csv.starts_with("name\r\n"));
/// assert!(csv.contains("Electronic Frontier Foundation"));
/// # Ok::<(), coalition::Error>(())
/// ```
pub fn query(model: &Model, sparql: &str) -> Result<String, Error> {
    let base = rdf::Base::default();
    let store = rdf::store::from_model(model, &base)?;
    let results =
        rdf::query::execute(&store, sparql, rdf::query::DefaultGraph::Union, Some(&base))?;
    let mut out = Vec::new();
    rdf::query::write_results(results, rdf::query::ResultsFormat::Csv, &base, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The whole-coalition diagram as Graphviz DOT: `graphs/coalition.dot`.
///
/// ```
/// let model = coalition::load("seeds")?;
/// assert_eq!(coalition::dot(&model)?, std::fs::read_to_string("graphs/coalition.dot")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn dot(model: &Model) -> Result<String, Error> {
    Ok(diagram::dot(model, &diagram::View::default())?)
}
