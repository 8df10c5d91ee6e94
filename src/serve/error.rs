//! Errors of the server: those that stop it ([`ServeError`]) and those a request gets back as an
//! HTTP status with a plain-text message ([`HttpError`]).

use std::path::PathBuf;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::facts::FactsError;

/// Why the server could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The fact files could not be read.
    #[error(transparent)]
    Facts(#[from] FactsError),
    /// The fact files are invalid (the rendered diagnostics).
    #[error("the facts in {dir} are invalid:\n{diagnostics}")]
    Invalid {
        /// The facts folder.
        dir: PathBuf,
        /// The checker's report, rendered as text.
        diagnostics: String,
    },
    /// The RDF store could not be built.
    #[error("cannot build the RDF store: {0}")]
    Store(String),
    /// The named queries could not be read.
    #[error("cannot read the named queries in {path}: {source}")]
    Queries {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Binding the address or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address given with `--bind`.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// An error answered to a client: a status and a plain-text message saying what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A message for the client.
    pub message: String,
    /// Seconds to send in `Retry-After` (with 503), when the client should simply retry.
    pub retry_after: Option<u32>,
}

impl HttpError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// This error with a `Retry-After: secs` header.
    pub fn retry_after(mut self, secs: u32) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 Not Found.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("not found: {what}"))
    }

    /// 500 Internal Server Error.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message.to_string())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut body = self.message;
        body.push('\n');
        let mut res = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        res
    }
}
