//! Refuses query shapes whose evaluation grows with the square of the store or worse before any
//! deadline can help: cartesian products of open patterns (issue 19, item 9). Works on the parsed
//! algebra (<https://www.w3.org/TR/sparql11-query/#sparqlAlgebra>).
//!
//! A pattern is *open* when nothing in it pins a subject or an object to a constant, so it may
//! match as many rows as the store has triples (`?a ?b ?c`, `?s a ?type`). Joining two open
//! patterns that share no variable pairs every row of one with every row of the other: 1,000
//! triples make a million rows, and `GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i`
//! over the seed grew to gigabytes before its sort even started.

use std::collections::BTreeSet;

use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern, Variable};
use spargebra::Query;

/// Why `query` is refused, or `None` when its shape is acceptable.
pub fn refuse(query: &Query) -> Option<String> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. } => pattern,
        // ASK stops at the first solution: a product costs at most one side's rows (the W3C
        // protocol tests ask exactly that across two graphs).
        Query::Ask { .. } => return None,
    };
    product(pattern, None).map(|(a, b)| {
        format!(
            "the query joins `{a}` with `{b}`, which share no variable and are each unbounded: \
             every row of one would be paired with every row of the other (a cartesian \
             product), so it is refused. Connect them through a shared variable, or give a \
             constant subject or object"
        )
    })
}

/// The first cartesian product of two open patterns, as their SPARQL texts. `g` is the variable
/// naming the enclosing `GRAPH`, which pins a node like a constant: one graph, one node.
fn product(p: &GraphPattern, g: Option<&Variable>) -> Option<(String, String)> {
    match p {
        GraphPattern::Bgp { patterns } => {
            let open: Vec<Vec<&TriplePattern>> = components(patterns)
                .into_iter()
                .filter(|c| c.iter().all(|t| !pinned(t, g)))
                .collect();
            match open.as_slice() {
                [a, b, ..] => Some((bgp_text(a), bgp_text(b))),
                _ => None,
            }
        }
        GraphPattern::Join { left, right } | GraphPattern::LeftJoin { left, right, .. } => {
            let disjoint = vars(left).is_disjoint(&vars(right));
            if disjoint && open(left, g) && open(right, g) {
                return Some((left.to_string(), right.to_string()));
            }
            product(left, g).or_else(|| product(right, g))
        }
        GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => product(left, g).or_else(|| product(right, g)),
        GraphPattern::Graph { name, inner } => product(inner, graph_var(name)),
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => product(inner, g),
        GraphPattern::Path { .. } | GraphPattern::Values { .. } => None,
    }
}

/// Whether `p` may match as many rows as the store holds (`g` as in [`product`]).
fn open(p: &GraphPattern, g: Option<&Variable>) -> bool {
    match p {
        GraphPattern::Bgp { patterns } => components(patterns)
            .iter()
            .any(|c| c.iter().all(|t| !pinned(t, g))),
        GraphPattern::Path {
            subject, object, ..
        } => !fixed(subject, g) && !fixed(object, g),
        GraphPattern::Join { left, right } => open(left, g) && open(right, g),
        GraphPattern::Union { left, right } | GraphPattern::Lateral { left, right } => {
            open(left, g) || open(right, g)
        }
        GraphPattern::LeftJoin { left, .. } | GraphPattern::Minus { left, .. } => open(left, g),
        GraphPattern::Slice { length, inner, .. } => length.is_none() && open(inner, g),
        GraphPattern::Group {
            inner, variables, ..
        } => !variables.is_empty() && open(inner, g),
        GraphPattern::Graph { name, inner } => open(inner, graph_var(name)),
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner } => open(inner, g),
        GraphPattern::Values { .. } | GraphPattern::Service { .. } => false,
    }
}

/// Whether `t` is a constant, or the variable `g` naming the graph.
fn fixed(t: &TermPattern, g: Option<&Variable>) -> bool {
    match t {
        TermPattern::Variable(v) => Some(v) == g,
        TermPattern::BlankNode(_) => false,
        _ => true,
    }
}

fn graph_var(name: &NamedNodePattern) -> Option<&Variable> {
    match name {
        NamedNodePattern::Variable(v) => Some(v),
        NamedNodePattern::NamedNode(_) => None,
    }
}

/// A fixed subject or object narrows a triple pattern to one node's neighbourhood.
fn pinned(t: &TriplePattern, g: Option<&Variable>) -> bool {
    fixed(&t.subject, g) || fixed(&t.object, g)
}

/// The variables and blank nodes of a triple pattern (both join like variables in a BGP).
fn names(t: &TriplePattern) -> Vec<String> {
    let mut out = Vec::new();
    for term in [&t.subject, &t.object] {
        match term {
            TermPattern::Variable(v) => out.push(format!("?{}", v.as_str())),
            TermPattern::BlankNode(b) => out.push(format!("_:{}", b.as_str())),
            _ => {}
        }
    }
    if let NamedNodePattern::Variable(v) = &t.predicate {
        out.push(format!("?{}", v.as_str()));
    }
    out
}

/// The triple patterns grouped by shared variables (connected components).
fn components(patterns: &[TriplePattern]) -> Vec<Vec<&TriplePattern>> {
    let mut groups: Vec<(BTreeSet<String>, Vec<&TriplePattern>)> = Vec::new();
    for t in patterns {
        let own: BTreeSet<String> = names(t).into_iter().collect();
        let mut merged = (own, vec![t]);
        let mut rest = Vec::new();
        for g in groups {
            if g.0.is_disjoint(&merged.0) {
                rest.push(g);
            } else {
                merged.0.extend(g.0);
                merged.1.extend(g.1);
            }
        }
        rest.push(merged);
        groups = rest;
    }
    groups.into_iter().map(|(_, ts)| ts).collect()
}

/// Every variable and blank node mentioned in `p` (a superset of those in scope is enough here).
fn vars(p: &GraphPattern) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    p.on_in_scope_variable(|v| {
        out.insert(format!("?{}", v.as_str()));
    });
    out
}

fn bgp_text(ts: &[&TriplePattern]) -> String {
    ts.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(" . ")
}

#[cfg(test)]
mod tests {
    /// Why `text` is refused (see [`super::refuse`]).
    fn refuse(text: &str) -> Option<String> {
        super::refuse(&spargebra::SparqlParser::new().parse_query(text).unwrap())
    }

    #[test]
    fn products_of_open_patterns_are_refused() {
        for q in [
            "SELECT * WHERE { GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } ORDER BY ?i ?f ?c LIMIT 1",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
            "SELECT * WHERE { { ?a ?b ?c } { ?d ?e ?f } }",
            "SELECT * WHERE { ?a ?b ?c OPTIONAL { ?d ?e ?f } }",
            "SELECT * WHERE { ?s a ?t . _:x ?p ?o }",
            "SELECT * WHERE { GRAPH ?g { ?a ?b ?c . ?g ?e ?f . ?h ?i ?j } }",
        ] {
            let why = refuse(q).unwrap_or_else(|| panic!("accepted: {q}"));
            assert!(why.contains("cartesian product"), "{why}");
        }
    }

    #[test]
    fn connected_or_pinned_patterns_pass() {
        for q in [
            "SELECT * WHERE { ?a ?b ?c } ORDER BY ?c",
            "SELECT * WHERE { ?a ?b ?c . ?c ?e ?f }",
            "SELECT * WHERE { ?a a <http://x/T> . ?d a <http://x/U> }",
            "SELECT * WHERE { ?a ?b ?c . VALUES ?d { 1 2 } }",
            "SELECT * WHERE { ?a ?b ?c { SELECT (COUNT(*) AS ?n) WHERE { ?x ?y ?z } } }",
            "ASK { ?s ?p ?o }",
            "ASK { GRAPH <http://x/1> { ?s ?p ?o } GRAPH <http://x/2> { ?a ?b ?c } }",
            "SELECT * WHERE { GRAPH ?g { ?a ?b ?c . ?g ?e ?f } }",
        ] {
            assert_eq!(refuse(q), None, "{q}");
        }
    }

    #[test]
    fn the_named_queries_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            assert_eq!(refuse(&text), None, "{text}");
        }
    }
}
