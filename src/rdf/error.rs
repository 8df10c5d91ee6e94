//! Errors of the RDF stage: building the graph, loading it into the store, querying, serializing.

use std::path::PathBuf;

/// What can go wrong between the model and RDF.
#[derive(Debug, thiserror::Error)]
pub enum RdfError {
    /// The configured base IRI is not an absolute IRI ending in `/` or `#`.
    #[error("invalid base IRI `{0}`: expected an absolute IRI ending in `/` or `#`")]
    InvalidBase(String),
    /// A value of the facts does not make a valid IRI (for example a malformed source URL).
    #[error("`{value}` is not a valid IRI: {reason}")]
    InvalidIri {
        /// The offending value.
        value: String,
        /// Why the IRI parser refused it.
        reason: String,
    },
    /// A language tag that RDF does not accept.
    #[error("`{0}` is not a valid language tag")]
    InvalidLanguage(String),
    /// The in-memory store failed.
    #[error("store: {0}")]
    Store(#[from] oxigraph::store::StorageError),
    /// The query does not parse; the message carries the line and column.
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// The query failed while running.
    #[error("query evaluation: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// No inline query, `.rq` file or named query matches.
    #[error("no query named `{0}` (see `coalition query --list`)")]
    UnknownQuery(String),
    /// Writing a serialization failed.
    #[error("serialization: {0}")]
    Io(#[from] std::io::Error),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
