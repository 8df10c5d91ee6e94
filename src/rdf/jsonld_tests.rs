//! Tests of [`super`]: what Oxigraph's JSON-LD parser reads back from the compacted output.

use oxigraph::io::{JsonLdProfile, RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{BlankNode, Dataset, GraphName, Literal, NamedNode};

use super::*;

fn doc(ctx: &Context, pieces: &[&[Quad]]) -> Vec<u8> {
    let mut doc = Document::new(ctx);
    let mut out = Vec::new();
    for p in pieces {
        let mut piece = Vec::new();
        ctx.elements(p, &mut piece).unwrap();
        doc.push(&mut out, &piece).unwrap();
    }
    doc.finish(&mut out).unwrap();
    out
}

/// The quads Oxigraph's own JSON-LD parser reads, blank nodes canonicalized.
fn canonical(quads: impl IntoIterator<Item = Quad>) -> Dataset {
    let mut d: Dataset = quads.into_iter().collect();
    d.canonicalize(CanonicalizationAlgorithm::Unstable);
    d
}

fn parse(bytes: &[u8]) -> Dataset {
    let format = RdfFormat::JsonLd {
        profile: JsonLdProfile::Streaming.into(),
    };
    let parsed = RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(bytes)));
    canonical(parsed)
}

fn hostile_quads() -> Vec<Quad> {
    let n = |s: &str| NamedNode::new(format!("https://coalition.example/entity/{s}")).unwrap();
    let co = |s: &str| NamedNode::new(format!("{}{s}", ns::COALITION)).unwrap();
    let iri = |s: &str| NamedNode::new(s).unwrap();
    let g1: GraphName = iri("https://coalition.example/source/g1").into();
    let g2: GraphName = BlankNode::new("g2").unwrap().into();
    let b1 = BlankNode::new("b1").unwrap();
    let hostile = "quote \" back\\slash\nnew\ttab \u{1} \u{8}\u{c} é <script> @id";
    let typed = |v: &str, t: &str| Literal::new_typed_literal(v, iri(t));
    let d = GraphName::DefaultGraph;
    vec![
        Quad::new(
            n("a"),
            co("p"),
            Literal::new_simple_literal(hostile),
            d.clone(),
        ),
        Quad::new(n("a"), co("p"), n("b"), d.clone()),
        Quad::new(n("a"), iri(RDF_TYPE), co("T"), d.clone()),
        Quad::new(
            n("a"),
            iri(RDF_TYPE),
            iri("https://schema.org/Thing"),
            d.clone(),
        ),
        Quad::new(n("a"), iri(RDF_TYPE), b1.clone(), d.clone()),
        Quad::new(
            n("a"),
            iri(RDF_TYPE),
            Literal::new_simple_literal("x"),
            d.clone(),
        ),
        Quad::new(
            n("b"),
            co("q"),
            Literal::new_language_tagged_literal("x", "fr").unwrap(),
            d.clone(),
        ),
        // Not compactable: empty suffix, a suffix starting with `//`, no prefix at all.
        Quad::new(
            iri(ns::COALITION),
            co("p"),
            iri("https://schema.org///x"),
            d.clone(),
        ),
        Quad::new(
            iri("urn:x:y"),
            iri("http://example.org/p"),
            n("a"),
            d.clone(),
        ),
        Quad::new(
            n("a"),
            co("n"),
            typed("030", "http://www.w3.org/2001/XMLSchema#integer"),
            g1.clone(),
        ),
        Quad::new(
            n("a"),
            co("n"),
            typed("1.0", "http://www.w3.org/2001/XMLSchema#decimal"),
            g1.clone(),
        ),
        Quad::new(
            n("a"),
            co("j"),
            typed(
                "{\"a\": 1}",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON",
            ),
            g1.clone(),
        ),
        Quad::new(n("a"), co("u"), typed("x", "urn:datatype"), g1.clone()),
        Quad::new(n("c"), co("p"), b1.clone(), g1.clone()),
        Quad::new(b1.clone(), co("p"), n("c"), g1.clone()),
        Quad::new(n("a"), co("p"), n("c"), g2.clone()),
        Quad::new(b1, co("p"), Literal::new_simple_literal(""), g2),
    ]
}

#[test]
fn oxigraph_reads_back_the_same_quads() {
    let ctx = Context::new(&Base::default());
    let quads = hostile_quads();
    let whole = doc(&ctx, &[&quads]);
    assert_eq!(parse(&whole), canonical(quads.clone()));
    // Pieces concatenate: the default graph, then one piece per named graph.
    let pieces = doc(&ctx, &[&quads[..9], &[], &quads[9..15], &quads[15..]]);
    assert_eq!(pieces, whole);
    let text = String::from_utf8(whole).unwrap();
    for compact in [
        "\"@type\": [\n        \"coalition:T\",\n        \"schema:Thing\"\n      ],\n      \"@id\": \"entity:a\"",
        "\"rdf:type\": [",
        "{\"@type\": \"xsd:integer\", \"@value\": \"030\"}",
        "{\"@value\": \"x\", \"@language\": \"fr\"}",
        "\"@id\": \"source:g1\",\n      \"@graph\": [",
        "{\"@id\": \"https://schema.org///x\"}",
    ] {
        assert!(text.contains(compact), "{compact}:\n{text}");
    }
    // Empty: a valid document with no quads.
    let empty = doc(&ctx, &[]);
    assert!(parse(&empty).is_empty());
    assert!(String::from_utf8(empty)
        .unwrap()
        .ends_with("\"@graph\": []\n}\n"));
}

#[test]
fn the_data_prefixes_follow_the_base() {
    let base = Base::new("https://example.org/kg#").unwrap();
    let ctx = Context::new(&base);
    let q = Quad::new(
        base.iri("entity", &["a b"]),
        NamedNode::new(format!("{}p", ns::COALITION)).unwrap(),
        base.iri("source", &["s"]),
        GraphName::DefaultGraph,
    );
    let out = doc(&ctx, &[std::slice::from_ref(&q)]);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(
        text.contains("\"entity\": \"https://example.org/kg#entity/\""),
        "{text}"
    );
    assert!(text.contains("\"@id\": \"entity:a%20b\""), "{text}");
    assert_eq!(parse(&out), canonical([q]));
}

/// An absolute IRI whose scheme is a term would read as a compact IRI of that term: its node
/// (or graph) turns the term off with a scoped context, and every reader gets it back whole.
#[test]
fn an_iri_confused_with_a_prefix_gets_a_scoped_context() {
    let ctx = Context::new(&Base::default());
    let iri = |s: &str| NamedNode::new(s).unwrap();
    let p = iri(&format!("{}p", ns::COALITION));
    let quads = vec![
        Quad::new(
            iri("entity:x"),
            p.clone(),
            iri("wd:Q1"),
            GraphName::DefaultGraph,
        ),
        Quad::new(
            iri("https://coalition.example/entity/y"),
            p.clone(),
            Literal::new_typed_literal("1", iri("xsd:int")),
            GraphName::DefaultGraph,
        ),
        Quad::new(
            iri("http://www.wikidata.org/entity/Q2"),
            iri("wd:p"),
            iri("http://www.wikidata.org/entity/Q3"),
            GraphName::from(iri("source:g")),
        ),
        Quad::new(
            iri("entity:z"),
            p,
            iri("wd:Q4"),
            GraphName::from(iri("source:g")),
        ),
    ];
    let out = doc(&ctx, &[&quads]);
    assert_eq!(parse(&out), canonical(quads));
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "{\n      \"@context\": {\"entity\": null, \"wd\": null},\n      \"@id\": \"entity:x\"",
        "\"@context\": {\"xsd\": null},\n      \"@id\": \"entity:y\"",
        "\"@context\": {\"source\": null},\n      \"@id\": \"source:g\"",
        // Inside the graph `source:` is off; `wd:` is turned off by its nodes.
        "\"@context\": {\"wd\": null},\n          \"@id\": \"http://www.wikidata.org/entity/Q2\"",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}
