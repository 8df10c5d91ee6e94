//! The read-only SPARQL 1.1 Protocol endpoint (<https://www.w3.org/TR/sparql11-protocol/>):
//! queries by GET `?query=`, POST `application/x-www-form-urlencoded` and POST
//! `application/sparql-query`; results negotiated among the SPARQL 1.1 result formats and graphs
//! among Turtle, N-Triples, JSON-LD and RDF/XML.
//!
//! `GET /sparql` without a query answers the Service Description ([`super::describe`]). Relative
//! IRIs in a query (`<s>`) resolve against the server's base IRI (`--base`, by default
//! `http://{bind}/`). A `default-graph-uri` or `named-graph-uri` parameter replaces the query's
//! own `FROM` and `FROM NAMED` (Protocol §2.1.4). Updates are refused (403). Bodies must be
//! UTF-8 (else 415). A query that runs past the timeout gets 503 and is cancelled; one that
//! returns more than the result cap gets 422 before anything is sent.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, Variable,
};
use oxigraph::store::Store;

use std::sync::Arc;

use crate::rdf::query::{syntax, Prepared};
use spargebra::SparqlParser;

use super::answers::{Answer, Claim, Question, Turn};
use super::describe::{self, Service};
use super::error::HttpError;
use super::negotiate;
use super::state::{AppState, Snapshot};

const READ_ONLY: &str =
    "this endpoint is read-only: SPARQL Update is not accepted (edit the fact files instead)";

/// Media types offered for SELECT and ASK results, the first being the default.
const RESULT_TYPES: &[&str] = &[
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
];

/// Media types offered for CONSTRUCT and DESCRIBE graphs, the first being the default.
const GRAPH_TYPES: &[&str] = &[
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
];

/// The protocol's request parameters.
#[derive(Debug, Default)]
struct Params {
    query: Option<String>,
    update: bool,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
}

impl Params {
    fn parse(encoded: &[u8]) -> Result<Params, HttpError> {
        let mut p = Params::default();
        for (k, v) in form_urlencoded::parse(encoded) {
            match &*k {
                "query" if p.query.is_some() => {
                    return Err(HttpError::bad_request("give exactly one `query` parameter"))
                }
                "query" => p.query = Some(v.into_owned()),
                "update" | "using-graph-uri" | "using-named-graph-uri" => p.update = true,
                "default-graph-uri" => p.default_graphs.push(v.into_owned()),
                "named-graph-uri" => p.named_graphs.push(v.into_owned()),
                _ => {}
            }
        }
        Ok(p)
    }
}

/// `GET /sparql?query=…`.
pub async fn get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = match Params::parse(raw.unwrap_or_default().as_bytes()) {
        Ok(p) if p.query.is_none() && !p.update => description(state, &headers).await,
        Ok(p) => answer(state, p, &headers).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The response to `query` asked by GET with `Accept: accept` and no dataset, as a client would
/// get it (the server asks itself its named queries ahead this way, see [`super::ahead`]).
pub async fn ask(state: AppState, query: String, accept: &str) -> Response {
    let params = Params {
        query: Some(query),
        ..Params::default()
    };
    let mut headers = HeaderMap::new();
    if let Ok(v) = header::HeaderValue::from_str(accept) {
        headers.insert(header::ACCEPT, v);
    }
    answer(state, params, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// The Service Description in the RDF format the client accepts (Turtle by default); a browser
/// is sent to the editor instead.
async fn description(state: AppState, headers: &HeaderMap) -> Result<Response, HttpError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if accept.is_some_and(|a| a.contains("text/html")) {
        return Ok(Redirect::to("/#sparql").into_response());
    }
    let Some(media) = negotiate::choose(accept, GRAPH_TYPES) else {
        return Err(HttpError::bad_request(format!(
            "missing `query` parameter; without one, GET /sparql answers the service \
             description in {} (see the SPARQL editor at /)",
            GRAPH_TYPES.join(", ")
        )));
    };
    let format = RdfFormat::from_media_type(media).ok_or_else(|| not_acceptable(GRAPH_TYPES))?;
    let endpoint = endpoint_iri(&state, headers);
    let snapshot = state.snapshot();
    run_limited(&state, CancellationToken::new(), move || {
        let triples = describe::triples(&Service {
            endpoint,
            store: &snapshot.store,
            union_default_graph: false,
        })?;
        Ok(body(media, describe::serialize(&triples, format)?))
    })
    .await
}

/// `http://{Host}/sparql`, or under the base IRI when the request names no usable host.
fn endpoint_iri(state: &AppState, headers: &HeaderMap) -> NamedNode {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', '?', '#', '@']))
        .and_then(|h| NamedNode::new(format!("http://{h}/sparql")).ok())
        .unwrap_or_else(|| NamedNode::new_unchecked(format!("{}sparql", state.base)))
}

/// `POST /sparql` with a form or a `application/sparql-query` body.
pub async fn post(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = async {
        let raw_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let content_type = media_type(raw_type)?;
        let params = match content_type.as_str() {
            "application/x-www-form-urlencoded" => Params::parse(&body)?,
            "application/sparql-query" => {
                let mut p = Params::parse(raw.unwrap_or_default().as_bytes())?;
                let text = String::from_utf8(body.to_vec())
                    .map_err(|_| HttpError::bad_request("the query is not valid UTF-8"))?;
                p.query = Some(text);
                p
            }
            "application/sparql-update" => {
                return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY))
            }
            other => {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "unsupported content type `{other}`: POST a form \
                         (application/x-www-form-urlencoded) or application/sparql-query"
                    ),
                ))
            }
        };
        answer(state, params, &headers).await
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The media type of a `Content-Type` value, lower-cased; 415 when it names a charset other
/// than UTF-8 or its subset US-ASCII (the Protocol's bodies are UTF-8).
fn media_type(value: &str) -> Result<String, HttpError> {
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            let v = v.trim().trim_matches('"');
            let utf8 = ["utf-8", "utf8", "us-ascii"]
                .iter()
                .any(|c| v.eq_ignore_ascii_case(c));
            if k.trim().eq_ignore_ascii_case("charset") && !utf8 {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("unsupported charset `{v}`: send the request body in UTF-8"),
                ));
            }
        }
    }
    Ok(media)
}

async fn answer(
    state: AppState,
    params: Params,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    if params.update {
        return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY));
    }
    let Some(text) = params.query else {
        // A browser opening the endpoint's URL gets the editor; a client gets told what's missing.
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
        if accept.is_some_and(|a| a.contains("text/html")) {
            return Ok(Redirect::to("/#sparql").into_response());
        }
        return Err(HttpError::bad_request(
            "missing `query` parameter (see the SPARQL editor at /)",
        ));
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let mut question = Question {
        query: text,
        default_graphs: params.default_graphs,
        named_graphs: params.named_graphs,
        media: String::new(),
    };
    let snapshot = state.snapshot();
    if let Some(kept) = kept(&snapshot, &mut question, accept) {
        return Ok(kept.response(headers));
    }
    let token = CancellationToken::new();
    let query = parse(&state, &question.query)?;
    let media = match query {
        spargebra::Query::Select { .. } | spargebra::Query::Ask { .. } => result_format(accept)?.0,
        _ => graph_format(accept).ok_or_else(|| not_acceptable(GRAPH_TYPES))?,
    };
    question.media = bare(media);
    let claim = match turn(&state, &snapshot, &question).await {
        Ok(kept) => return Ok(kept.response(headers)),
        Err(claim) => claim,
    };
    let prepared = Prepared::new(evaluator(&state, &token)?, query);
    let prepared = set_dataset(prepared, &question.default_graphs, &question.named_graphs)?;
    let limits = state.limits.clone();
    let accept = accept.map(str::to_string);
    let worker_token = token.clone();
    let worker = snapshot.clone();
    let answer = run_limited(&state, token, move || {
        evaluate(
            &worker.store,
            prepared,
            accept.as_deref(),
            limits.max_results,
            &worker_token,
        )
    })
    .await?;
    let answer = Arc::new(answer);
    if !snapshot.answers.put(question.clone(), answer.clone()) {
        // Too large to keep as it is: coded after this response, kept if that fits; whoever
        // waits for it goes on waiting until then.
        let (snapshot, answer) = (snapshot.clone(), answer.clone());
        tokio::task::spawn_blocking(move || {
            if let Some(coded) = answer.coded() {
                snapshot.answers.put(question, Arc::new(coded));
            }
            drop(claim);
        });
    }
    Ok(answer.response(headers))
}

/// `text` parsed (400 if it is not a query, 403 if it is an update), with a shape the server
/// evaluates (see [`super::shape`]).
fn parse(state: &AppState, text: &str) -> Result<spargebra::Query, HttpError> {
    let query = match parser(state)?.parse_query(text) {
        Ok(q) => q,
        Err(e) => {
            let token = CancellationToken::new();
            if evaluator(state, &token)?.parse_update(text).is_ok() {
                return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY));
            }
            return Err(HttpError::bad_request(syntax::sentence(
                text,
                &e.to_string(),
            )));
        }
    };
    match super::shape::refuse(&query) {
        Some(why) => Err(HttpError::bad_request(why)),
        None => Ok(query),
    }
}

/// The answer kept for `question` in a format `accept` may choose (tried before parsing: it is
/// one of the results and graph formats, whatever the query's form); sets `question.media`.
fn kept(snapshot: &Snapshot, question: &mut Question, accept: Option<&str>) -> Option<Arc<Answer>> {
    let offered = [
        result_format(accept).ok().map(|(m, _)| m),
        graph_format(accept),
    ];
    offered.into_iter().flatten().find_map(|media| {
        question.media = bare(media);
        snapshot.answers.get(question)
    })
}

/// The answer to `question` once whoever is answering it has kept it, or the right to answer it
/// (`None`: waited past the timeout, or they failed; answer without a claim).
async fn turn(
    state: &AppState,
    snapshot: &Snapshot,
    question: &Question,
) -> Result<Arc<Answer>, Option<Claim>> {
    match snapshot.answers.turn(question) {
        Turn::Kept(kept) => Ok(kept),
        Turn::Mine(claim) => Err(Some(claim)),
        Turn::Wait(mut done) => {
            let _ = tokio::time::timeout(state.limits.timeout, done.changed()).await;
            snapshot.answers.get(question).ok_or(None)
        }
    }
}

/// A parser resolving relative IRIs against the server's base.
fn parser(state: &AppState) -> Result<SparqlParser, HttpError> {
    SparqlParser::new()
        .with_base_iri(state.base.as_str())
        .map_err(HttpError::internal)
}

/// An evaluator cancelled by `token` (its parser resolves against the server's base, for
/// updates).
fn evaluator(state: &AppState, token: &CancellationToken) -> Result<SparqlEvaluator, HttpError> {
    SparqlEvaluator::new()
        .with_cancellation_token(token.clone())
        .with_base_iri(state.base.as_str())
        .map_err(HttpError::internal)
}

/// Runs `work` under the server's guards (see [`super::guard::run_limited`]).
async fn run_limited<T: Send + 'static>(
    state: &AppState,
    token: CancellationToken,
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    super::guard::run_limited(state, token, work).await
}

/// Results of a query, for rendering as an HTML table.
pub enum Table {
    /// SELECT: variable names and rows (unbound cells are `None`).
    Solutions(Vec<String>, Vec<Vec<Option<Term>>>),
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT or DESCRIBE: the triples.
    Triples(Vec<Triple>),
}

/// Runs `text` with the server's limits and returns its results as a [`Table`].
pub async fn table(state: &AppState, text: &str) -> Result<Table, HttpError> {
    let token = CancellationToken::new();
    let query = parser(state)?
        .parse_query(text)
        .map_err(|e| HttpError::bad_request(syntax::sentence(text, &e.to_string())))?;
    let prepared = Prepared::new(evaluator(state, &token)?, query);
    let snapshot = state.snapshot();
    let max = state.limits.max_results;
    let worker_token = token.clone();
    run_limited(state, token, move || {
        let too_many = || too_many(max);
        match prepared.execute(&snapshot.store).map_err(eval_error)? {
            QueryResults::Solutions(solutions) => {
                let vars: Vec<Variable> = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for s in solutions {
                    if worker_token.is_cancelled() {
                        return Err(eval_error(QueryEvaluationError::Cancelled));
                    }
                    if rows.len() >= max {
                        return Err(too_many());
                    }
                    let s = s.map_err(eval_error)?;
                    rows.push(vars.iter().map(|v| s.get(v).cloned()).collect());
                }
                let names = vars.iter().map(|v| v.as_str().to_string()).collect();
                Ok(Table::Solutions(names, rows))
            }
            QueryResults::Boolean(b) => Ok(Table::Boolean(b)),
            QueryResults::Graph(triples) => {
                let mut out = Vec::new();
                for t in triples {
                    if out.len() >= max {
                        return Err(too_many());
                    }
                    out.push(t.map_err(eval_error)?);
                }
                Ok(Table::Triples(out))
            }
        }
    })
    .await
}

fn too_many(max_results: usize) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "the query returns more than {max_results} results (the server's cap); add a LIMIT"
        ),
    )
}

/// Applies the protocol's dataset, which replaces the query's `FROM` and `FROM NAMED` whole:
/// given only `default-graph-uri`, there are no named graphs, and the reverse.
fn set_dataset(
    prepared: Prepared,
    default: &[String],
    named: &[String],
) -> Result<Prepared, HttpError> {
    if default.is_empty() && named.is_empty() {
        return Ok(prepared);
    }
    let iri = |s: &String| {
        NamedNode::new(s.clone())
            .map_err(|e| HttpError::bad_request(format!("invalid graph IRI `{s}`: {e}")))
    };
    let default: Vec<GraphName> = default
        .iter()
        .map(|s| iri(s).map(GraphName::from))
        .collect::<Result<_, _>>()?;
    let named: Vec<NamedOrBlankNode> = named
        .iter()
        .map(|s| iri(s).map(NamedOrBlankNode::from))
        .collect::<Result<_, _>>()?;
    Ok(prepared.with_dataset(|dataset| {
        dataset.set_default_graph(default.clone());
        dataset.set_available_named_graphs(named.clone());
    }))
}

/// Runs the query and serializes its results in the negotiated format, enforcing the cap.
fn evaluate(
    store: &Store,
    prepared: Prepared,
    accept: Option<&str>,
    max_results: usize,
    token: &CancellationToken,
) -> Result<Answer, HttpError> {
    let results = prepared.execute(store).map_err(eval_error)?;
    let too_many = || too_many(max_results);
    match results {
        QueryResults::Solutions(solutions) => {
            let (media, format) = result_format(accept)?;
            let mut ser = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
                .map_err(HttpError::internal)?;
            for (i, s) in solutions.enumerate() {
                if token.is_cancelled() {
                    return Err(eval_error(QueryEvaluationError::Cancelled));
                }
                if i >= max_results {
                    return Err(too_many());
                }
                ser.serialize(&s.map_err(eval_error)?)
                    .map_err(HttpError::internal)?;
            }
            Ok(Answer::new(
                media,
                ser.finish().map_err(HttpError::internal)?,
            ))
        }
        QueryResults::Boolean(b) => {
            let (media, format) = result_format(accept)?;
            let out = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), b)
                .map_err(HttpError::internal)?;
            Ok(Answer::new(media, out))
        }
        QueryResults::Graph(triples) => {
            let media = graph_format(accept).ok_or_else(|| not_acceptable(GRAPH_TYPES))?;
            let format =
                RdfFormat::from_media_type(media).ok_or_else(|| not_acceptable(GRAPH_TYPES))?;
            let mut ser = RdfSerializer::from_format(format).for_writer(Vec::new());
            for (i, t) in triples.enumerate() {
                if token.is_cancelled() {
                    return Err(eval_error(QueryEvaluationError::Cancelled));
                }
                if i >= max_results {
                    return Err(too_many());
                }
                ser.serialize_triple(&t.map_err(eval_error)?)
                    .map_err(HttpError::internal)?;
            }
            Ok(Answer::new(
                media,
                ser.finish().map_err(HttpError::internal)?,
            ))
        }
    }
}

fn result_format(accept: Option<&str>) -> Result<(&'static str, QueryResultsFormat), HttpError> {
    let media =
        negotiate::choose(accept, RESULT_TYPES).ok_or_else(|| not_acceptable(RESULT_TYPES))?;
    let format = match media {
        "application/sparql-results+xml" => QueryResultsFormat::Xml,
        "text/csv" => QueryResultsFormat::Csv,
        "text/tab-separated-values" => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    };
    Ok((format.media_type(), format))
}

/// A media type without its parameters (`text/csv; charset=utf-8` is `text/csv`).
fn bare(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The graph format `accept` prefers, if it accepts one.
fn graph_format(accept: Option<&str>) -> Option<&'static str> {
    negotiate::choose(accept, GRAPH_TYPES)
}

fn not_acceptable(offers: &[&str]) -> HttpError {
    HttpError::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "none of the accepted media types is offered; ask for one of: {}",
            offers.join(", ")
        ),
    )
}

fn eval_error(e: QueryEvaluationError) -> HttpError {
    match e {
        QueryEvaluationError::Cancelled => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "query timed out; simplify it or add a LIMIT",
        ),
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) => {
            HttpError::bad_request(format!("federated queries are not supported: {e}"))
        }
        e => HttpError::bad_request(format!("query evaluation failed: {e}")),
    }
}

fn body(media: &str, bytes: Vec<u8>) -> Response {
    Answer::new(media, bytes).response(&HeaderMap::new())
}
