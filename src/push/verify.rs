//! Checks what landed: counts the triples of each pushed graph through the store's SPARQL 1.1
//! query endpoint (<https://www.w3.org/TR/sparql11-protocol/>), and derives that endpoint from
//! the push endpoint when it follows a known store's layout.

use std::collections::BTreeMap;

use super::{PushError, Target, DEFAULT_GRAPH};

/// The query endpoint beside a push endpoint: the last path segment `store`, `update` or `data`
/// becomes `query` (Oxigraph, Fuseki), `sparql-graph-crud` becomes `sparql` (Virtuoso, whose
/// `sparql` and `sparql-auth` serve both), GraphDB's `statements` and `rdf-graphs/service` become
/// the repository URL. `None` for any other layout (then `--query-endpoint` is needed).
pub fn query_endpoint(target: &Target) -> Option<String> {
    let url = match target {
        Target::GraphStore(u) | Target::Update(u) => u.split(['?', '#']).next()?,
    };
    let url = url.trim_end_matches('/');
    let (parent, last) = url.rsplit_once('/')?;
    if !parent.contains("://") || parent.ends_with('/') {
        return None;
    }
    let with = |segment: &str| Some(format!("{parent}/{segment}"));
    match last {
        "store" | "update" | "data" => with("query"),
        "sparql" | "sparql-auth" => Some(url.to_string()),
        "sparql-graph-crud" => with("sparql"),
        "sparql-graph-crud-auth" => with("sparql-auth"),
        "statements" => Some(parent.to_string()),
        "service" => parent.strip_suffix("/rdf-graphs").map(str::to_string),
        _ => None,
    }
}

fn select(
    agent: &ureq::Agent,
    auth: Option<&str>,
    endpoint: &str,
    query: &str,
) -> Result<serde_json::Value, PushError> {
    let err = |message: String| PushError::Verify {
        url: endpoint.to_string(),
        message,
    };
    let mut req = agent
        .post(endpoint)
        .header("Accept", "application/sparql-results+json");
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut resp = req
        .send_form([("query", query)])
        .map_err(|e| err(e.to_string()))?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| err(e.to_string()))?;
    if !(200..300).contains(&status) {
        return Err(err(format!(
            "HTTP {status}: {}",
            super::http::message(&body, true)
        )));
    }
    serde_json::from_str(&body).map_err(|e| err(format!("not SPARQL JSON results ({e})")))
}

fn rows(v: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    v["results"]["bindings"].as_array().into_iter().flatten()
}

fn number(row: &serde_json::Value) -> u64 {
    row["n"]["value"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Triples per graph on the store: the default graph under [`DEFAULT_GRAPH`], every named graph
/// under its IRI (one query for all of them).
pub(super) fn counts(
    agent: &ureq::Agent,
    auth: Option<&str>,
    endpoint: &str,
) -> Result<BTreeMap<String, u64>, PushError> {
    let mut out = BTreeMap::new();
    let named = select(
        agent,
        auth,
        endpoint,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )?;
    for row in rows(&named) {
        if let Some(g) = row["g"]["value"].as_str() {
            out.insert(g.to_string(), number(row));
        }
    }
    let default = select(
        agent,
        auth,
        endpoint,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    )?;
    let n = rows(&default).next().map(number).unwrap_or(0);
    out.insert(DEFAULT_GRAPH.to_string(), n);
    Ok(out)
}

/// Distinct triples in an N-Triples text (one per line, as push writes them).
pub(super) fn distinct_triples(ntriples: &[u8]) -> usize {
    let mut lines: Vec<&[u8]> = ntriples
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines.len()
}

/// Whether the store holds what was sent: a named graph exactly the triples sent (push replaced
/// it); the default graph at least as many, since a store may make it the union of all graphs.
pub(super) fn holds(iri: &str, sent: usize, found: u64) -> bool {
    if iri == DEFAULT_GRAPH {
        found >= sent as u64
    } else {
        found == sent as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive(u: &str) -> Option<String> {
        query_endpoint(&Target::GraphStore(u.into()))
    }

    #[test]
    fn query_endpoints_of_known_stores() {
        let q = |u: &str| Some(u.to_string());
        assert_eq!(derive("http://h:7878/store"), q("http://h:7878/query"));
        assert_eq!(derive("http://h:3030/ds/data"), q("http://h:3030/ds/query"));
        assert_eq!(
            derive("http://h:3030/ds/update"),
            q("http://h:3030/ds/query")
        );
        assert_eq!(
            derive("http://h:8890/sparql-graph-crud"),
            q("http://h:8890/sparql")
        );
        assert_eq!(derive("http://h:8890/sparql"), q("http://h:8890/sparql"));
        assert_eq!(
            derive("http://h/repositories/c/rdf-graphs/service"),
            q("http://h/repositories/c")
        );
        assert_eq!(
            derive("http://h/repositories/c/statements"),
            q("http://h/repositories/c")
        );
        assert_eq!(derive("http://h:7001"), None);
        assert_eq!(derive("http://h/whatever"), None);
    }

    #[test]
    fn the_default_graph_may_hold_more() {
        assert!(holds(DEFAULT_GRAPH, 3, 5));
        assert!(!holds(DEFAULT_GRAPH, 3, 0));
        assert!(!holds("http://g", 3, 5));
        assert_eq!(
            distinct_triples(b"<a> <b> <c> .\n<a> <b> <c> .\n<a> <b> <d> .\n"),
            2
        );
    }
}
