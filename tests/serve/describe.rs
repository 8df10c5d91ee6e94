//! The SPARQL 1.1 Service Description (<https://www.w3.org/TR/sparql11-service-description/>)
//! that `GET /sparql` without a query answers: read back with Oxigraph's parsers in every
//! negotiated format, its counts checked against the endpoint's own answers, and the real binary's
//! description read by rdflib.

use std::collections::BTreeMap;
use std::process::Command;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use super::{app_with, enc, get, limits, send, Server};
use crate::util::{require_python_module, root};

fn app() -> axum::Router {
    app_with("seeds", limits())
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const VOID_TRIPLES: &str = "http://rdfs.org/ns/void#triples";

fn sd(local: &str) -> NamedNode {
    NamedNode::new(format!("{SD}{local}")).unwrap()
}

fn parse(body: &str, format: RdfFormat) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .map(|q| Triple::from(q.unwrap()))
        .collect()
}

fn objects<'a>(g: &'a [Triple], s: &NamedOrBlankNode, p: &NamedNode) -> Vec<&'a Term> {
    g.iter()
        .filter(|t| &t.subject == s && &t.predicate == p)
        .map(|t| &t.object)
        .collect()
}

fn one<'a>(g: &'a [Triple], s: &NamedOrBlankNode, p: &NamedNode) -> &'a Term {
    let o = objects(g, s, p);
    assert_eq!(o.len(), 1, "{s} {p}: {o:?}");
    o[0]
}

fn node(t: &Term) -> NamedOrBlankNode {
    match t {
        Term::NamedNode(n) => n.clone().into(),
        Term::BlankNode(b) => b.clone().into(),
        other => panic!("not a node: {other}"),
    }
}

fn count(t: &Term) -> usize {
    match t {
        Term::Literal(l) => l.value().parse().unwrap(),
        other => panic!("not a count: {other}"),
    }
}

/// The triple count of each graph as the endpoint's own SPARQL answers it ("" = default).
async fn counts_by_query() -> BTreeMap<String, usize> {
    let q = "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g";
    let (s, _, body) = send(app(), get(&format!("/sparql?query={}", enc(q)), None)).await;
    assert_eq!(s, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let g = b.get("g").map_or("", |g| g["value"].as_str().unwrap());
            let n = b["n"]["value"].as_str().unwrap().parse().unwrap();
            (g.to_string(), n)
        })
        .collect()
}

/// Checks a parsed description; returns the graph counts it states ("" = default).
fn check(g: &[Triple], endpoint: &str) -> BTreeMap<String, usize> {
    let typ = oxigraph::model::vocab::rdf::TYPE.into_owned();
    let services: Vec<&Triple> = g
        .iter()
        .filter(|t| t.predicate == typ && t.object == sd("Service").into())
        .collect();
    assert_eq!(services.len(), 1, "one sd:Service");
    let svc = services[0].subject.clone();
    let ep = one(g, &svc, &sd("endpoint"));
    assert_eq!(ep, &Term::from(NamedNode::new(endpoint).unwrap()));
    assert_eq!(
        one(g, &svc, &sd("supportedLanguage")),
        &Term::from(sd("SPARQL11Query"))
    );
    let mut formats: Vec<String> = objects(g, &svc, &sd("resultFormat"))
        .iter()
        .map(|t| t.to_string())
        .collect();
    formats.sort();
    let f = |n: &str| format!("<http://www.w3.org/ns/formats/{n}>");
    let mut want: Vec<String> = [
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_JSON",
        "SPARQL_Results_TSV",
        "SPARQL_Results_XML",
        "Turtle",
    ]
    .iter()
    .map(|n| f(n))
    .collect();
    want.sort();
    assert_eq!(formats, want);
    // The default graph is the entity registry, not the union of the source graphs.
    assert!(
        !objects(g, &svc, &sd("feature")).contains(&&Term::from(sd("UnionDefaultGraph"))),
        "no sd:UnionDefaultGraph"
    );
    let dataset = node(one(g, &svc, &sd("defaultDataset")));
    let void = NamedNode::new(VOID_TRIPLES).unwrap();
    let mut counts = BTreeMap::new();
    let default = node(one(g, &dataset, &sd("defaultGraph")));
    counts.insert(String::new(), count(one(g, &default, &void)));
    for named in objects(g, &dataset, &sd("namedGraph")) {
        let named = node(named);
        let Term::NamedNode(name) = one(g, &named, &sd("name")) else {
            panic!("sd:name is an IRI")
        };
        let graph = node(one(g, &named, &sd("graph")));
        counts.insert(name.as_str().to_string(), count(one(g, &graph, &void)));
    }
    counts
}

#[tokio::test]
async fn get_without_query_describes_the_service_in_four_formats() {
    let expected = counts_by_query().await;
    assert_eq!(
        expected.len(),
        2,
        "the registry and the seed's one source: {expected:?}"
    );
    let endpoint = "http://127.0.0.1:7878/sparql";
    for (accept, format) in [
        (None, RdfFormat::Turtle),
        (Some("text/turtle"), RdfFormat::Turtle),
        (Some("application/n-triples"), RdfFormat::NTriples),
        (Some("application/rdf+xml"), RdfFormat::RdfXml),
        (
            Some("application/ld+json"),
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        (
            Some("application/sparql-results+json;q=0.5, */*;q=0.1"),
            RdfFormat::Turtle,
        ),
    ] {
        let (s, ty, body) = send(app(), get("/sparql", accept)).await;
        assert_eq!(s, 200, "{accept:?}: {body}");
        assert!(ty.starts_with(format.media_type()), "{accept:?}: {ty}");
        let g = parse(&body, format);
        assert_eq!(check(&g, endpoint), expected, "{accept:?}");
    }
    // The endpoint is named after the Host the client used.
    let req = axum::http::Request::get("/sparql")
        .header("host", "sparql.example:8080")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, body) = send(app(), req).await;
    check(
        &parse(&body, RdfFormat::Turtle),
        "http://sparql.example:8080/sparql",
    );
}

#[tokio::test]
async fn a_client_accepting_no_rdf_format_is_told_what_is_missing() {
    let (s, _, body) = send(
        app(),
        get("/sparql", Some("application/sparql-results+json")),
    )
    .await;
    assert_eq!(s, 400, "{body}");
    assert!(body.contains("missing `query`"), "{body}");
    assert!(body.contains("service description"), "{body}");
    let (s, _, _) = send(app(), get("/sparql", Some("text/html,*/*;q=0.8"))).await;
    assert_eq!(s, 303, "a browser is sent to the editor");
}

/// rdflib, an independent RDF library, reads the real binary's description.
#[test]
fn rdflib_reads_the_description_of_the_binary() {
    if !require_python_module("rdflib") {
        return;
    }
    let server = Server::start(&root(), &["--facts", "seeds"]);
    let script = r#"
import sys, urllib.request, rdflib
url = sys.argv[1]
for media, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                   ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")]:
    req = urllib.request.Request(url, headers={"Accept": media})
    body = urllib.request.urlopen(req).read()
    g = rdflib.Graph()
    g.parse(data=body, format=fmt)
    rows = g.query("""
        PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?endpoint ?default (COUNT(?name) AS ?named) (SUM(?n) AS ?total) WHERE {
          ?s a sd:Service ; sd:endpoint ?endpoint ; sd:supportedLanguage sd:SPARQL11Query ;
             sd:defaultDataset ?d .
          ?d sd:defaultGraph/void:triples ?default .
          OPTIONAL { ?d sd:namedGraph ?ng . ?ng sd:name ?name ; sd:graph/void:triples ?n }
        } GROUP BY ?endpoint ?default""")
    for r in rows:
        print(fmt, r.endpoint, int(r.default) > 0, int(r.named), int(r.total) > 0)
"#;
    let url = format!("{}sparql", server.url());
    let out = Command::new("python3")
        .args(["-c", script, &url])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let want: Vec<String> = ["turtle", "nt", "xml", "json-ld"]
        .iter()
        .map(|f| format!("{f} {url} True 1 True"))
        .collect();
    assert_eq!(lines, want, "{stderr}");
}
