//! Errors of `push`: each names the graph and, for HTTP failures, the status and the store's
//! whole answer.

/// A push (or the check of what landed) failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The store answered with an error status (after retries where a retry can help).
    #[error("pushing {graph} to {url}: HTTP {status}: {body}")]
    Status {
        /// The graph, as `<IRI>` or `the default graph`.
        graph: String,
        /// Request URL, without credentials.
        url: String,
        /// HTTP status code.
        status: u16,
        /// The store's message (HTML reduced to its text), whole.
        body: String,
    },
    /// The store could not be reached (after retries).
    #[error("pushing {graph} to {url}: {message}")]
    Connection {
        /// The graph, as `<IRI>` or `the default graph`.
        graph: String,
        /// Request URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The push state file could not be read or written.
    #[error("push state {path}: {message}")]
    State {
        /// State file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// After the push the store does not hold the triples sent to a graph.
    #[error("{graph} on the store holds {found} triples, {sent} were sent")]
    Mismatch {
        /// The graph, as `<IRI>` or `the default graph`.
        graph: String,
        /// Distinct triples sent.
        sent: usize,
        /// Triples the store's query endpoint counts.
        found: u64,
    },
    /// The query counting the triples per graph failed.
    #[error("checking what landed with {url}: {message}")]
    Verify {
        /// The query endpoint.
        url: String,
        /// What went wrong.
        message: String,
    },
}
