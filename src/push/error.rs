//! Errors of `push`: each names the graph and, for HTTP failures, the status the store answered.

/// A push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The store answered with an error status (after retries for 5xx).
    #[error("pushing {graph} to {url}: HTTP {status}: {body}")]
    Status {
        /// The graph, as `<IRI>` or `the default graph`.
        graph: String,
        /// Request URL, without credentials.
        url: String,
        /// HTTP status code.
        status: u16,
        /// Start of the response body.
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
}
